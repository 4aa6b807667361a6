"""The public API: what ``__all__`` promises, and the library's manners (no printing,
picklable compiled standards)."""

from __future__ import annotations

import importlib
import pickle
import types
from pathlib import Path

import pytest

import creditrules

ROOT = Path(__file__).resolve().parents[1]
STANDARDS = ROOT / "standards"
LEARNER = ROOT / "examples" / "student-1x.yaml"
AS_OF = "2025-06-30"


def test_all_is_sorted():
    assert creditrules.__all__ == sorted(creditrules.__all__)
    assert len(set(creditrules.__all__)) == len(creditrules.__all__)


def test_all_is_exactly_the_public_names():
    public = {name for name, value in vars(creditrules).items()
              if not name.startswith("_") and not isinstance(value, types.ModuleType)}
    assert set(creditrules.__all__) == public | {"__version__"}


@pytest.mark.parametrize("name", creditrules.__all__)
def test_every_name_is_importable(name: str):
    namespace: dict[str, object] = {}
    exec(f"from creditrules import {name}", namespace)  # the import statement itself is the test
    assert namespace[name] is getattr(importlib.import_module("creditrules"), name)


def test_star_import_gives_all():
    namespace: dict[str, object] = {}
    exec("from creditrules import *", namespace)
    assert set(creditrules.__all__) - {"__version__"} <= set(namespace)


def test_version_is_text():
    assert isinstance(creditrules.__version__, str) and creditrules.__version__.count(".") >= 1


def test_exception_family():
    for error in (creditrules.StandardError, creditrules.LearnerError, creditrules.NoVersionInForce):
        assert issubclass(error, creditrules.CreditRulesError)
    assert issubclass(creditrules.CreditRulesError, Exception)


# ---------------------------------------------------------------- the library never prints

def test_library_never_prints(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    library = creditrules.compile_standards(STANDARDS)
    standard = library["yrd-computer-application"]
    learner = creditrules.load_learner(LEARNER)
    decision = creditrules.evaluate(standard, learner, as_of=AS_OF)
    ruleset = standard.ruleset_for(decision.as_of)
    creditrules.render_text(decision, ruleset, lang="zh")
    creditrules.render_text(decision, ruleset, lang="en")
    creditrules.render_explanation(decision, ruleset, "C201")
    decision.to_json()
    creditrules.validate([STANDARDS])
    creditrules.standard_schema()
    # and on the failure paths
    creditrules.validate([ROOT / "tests" / "invalid" / "cycle"])
    with pytest.raises(creditrules.StandardError):
        creditrules.compile_standards(ROOT / "tests" / "invalid" / "unknown-course.yaml")
    with pytest.raises(creditrules.NoVersionInForce):
        creditrules.evaluate(standard, learner, as_of="2024-08-31")
    with pytest.raises(creditrules.LearnerError):
        creditrules.load_learner(tmp_path / "missing.yaml")
    creditrules.Decision.from_json(decision.to_json())
    creditrules.decision_schema()
    with pytest.raises(creditrules.DecisionFormatError):
        creditrules.Decision.from_json("{}")
    with pytest.raises(creditrules.UnknownStandard):
        library["no-such-standard"]
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")


# ---------------------------------------------------------------- pickling

def test_compiled_library_pickles():
    library = creditrules.compile_standards(STANDARDS)
    copy = pickle.loads(pickle.dumps(library))
    assert isinstance(copy, creditrules.CompiledLibrary)
    assert sorted(copy.standards) == sorted(library.standards)
    assert copy.warnings == library.warnings
    learner = creditrules.load_learner(LEARNER)
    original = creditrules.evaluate(library["yrd-computer-application"], learner, AS_OF)
    again = creditrules.evaluate(copy["yrd-computer-application"], learner, AS_OF)
    assert again.to_json() == original.to_json()


def test_compiled_standard_and_decision_pickle():
    standard = creditrules.compile_standards(STANDARDS)["yrd-computer-application"]
    copy = pickle.loads(pickle.dumps(standard))
    assert isinstance(copy, creditrules.CompiledStandard)
    decision = creditrules.evaluate(copy, creditrules.load_learner(LEARNER), AS_OF)
    assert pickle.loads(pickle.dumps(decision)).to_json() == decision.to_json()


def test_library_lookup_error_suggests():
    library = creditrules.compile_standards(STANDARDS)
    with pytest.raises(KeyError) as info:
        library["yrd-computer-aplication"]
    assert info.value.args[0] == "no standard 'yrd-computer-aplication' (did you mean 'yrd-computer-application'?)"


def test_evaluate_rejects_a_bad_as_of():
    standard = creditrules.compile_standards(STANDARDS)["yrd-computer-application"]
    with pytest.raises(creditrules.CreditRulesError) as info:
        creditrules.evaluate(standard, {"id": "S1"}, "30/06/2025")
    assert str(info.value) == "as-of date: '30/06/2025' is not a date; write YYYY-MM-DD, e.g. 2024-09-01"


# ---------------------------------------------------------------- a condition that compiles to nothing

NEGATED_CODE = """\
id: negated
version: "1"
kind: conversion
name_zh: 否定条件
name_en: Negated code condition
effective:
  from: 2024-09-01
source:
  citation: Illustrative.
  illustrative: true
scales:
  x_level: {name_zh: 等级, name_en: Level, levels: [初级, 中级]}
kinds:
  x_certificate:
    name_zh: 证书
    name_en: Certificate
    attributes:
      level: {type: scale, scale: x_level, required: true}
catalog:
  X-WEB: {kind: x_certificate, name_zh: Web证书, name_en: Web certificate}
  X-OLD: {kind: x_certificate, name_zh: 旧证书, name_en: Old certificate}
program:
  code: "1"
  name_zh: 专业
  name_en: Program
  total_credits: 100
  categories:
    core: {name_zh: 核心课, name_en: Core, required: 60}
  courses:
    - {code: C1, name_zh: 课程, name_en: Course, credits: 4, category: core}
rules:
  - id: any-but-old
    name_zh: 除旧证书外的证书
    name_en: Any certificate but the old one
    when:
      kind: x_certificate
      code: {not_in: [X-OLD]}
    grant: {courses: [C1]}
"""


def test_negated_code_condition_matches_the_other_codes(tmp_path: Path):
    """``code: {not_in: [X-OLD]}`` compiles to an empty code set, so the rule silently never fires
    (no error, no warning); an X-WEB certificate must earn C1."""
    (tmp_path / "negated.yaml").write_text(NEGATED_CODE, encoding="utf-8")
    standard = creditrules.compile_standards(tmp_path)["negated"]
    decision = creditrules.evaluate(standard, {"id": "S1", "achievements": [
        {"id": "A1", "code": "X-WEB", "level": "中级", "obtained": "2025-01-01"},
        {"id": "A2", "code": "X-OLD", "level": "中级", "obtained": "2025-01-01"}]}, AS_OF)
    assert [(a.rule, a.achievements) for a in decision.awards] == [("any-but-old", ("A1",))]
