"""Decision tables: each row is the rule an author would have written by hand.

The diagnostics (C060, A050, A051) are checked word for word by tests/invalid/table-*.yaml and
docs/diagnostics.md; here: row ids, names and positions, inheritance (replaces, remove_rules), and the
property that a table decides exactly as the rules it stands for, on any learner.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import creditrules
from creditrules.learner import learner_from_dict

HEAD = """\
id: {id}
version: "1"
kind: {kind}
name_zh: 测试
name_en: Test
{extends}effective: {{from: 2024-09-01}}
source: {{citation: Illustrative test standard., illustrative: true}}
"""

BASE = HEAD.format(id="t-base", kind="base", extends="") + """\
kinds:
  exam:
    name_zh: 考试
    name_en: Exam
    attributes:
      score: {type: number, min: 0, max: 710, required: true}
      event: {type: text}
catalog:
  CET4: {kind: exam, name_zh: 大学英语四级, name_en: CET-4}
  CET6: {kind: exam, name_zh: 大学英语六级, name_en: CET-6}
limits:
  total: {max: 7}
"""

PROGRAM = """\
program:
  code: "510201"
  name_zh: 专业
  name_en: Program
  total_credits: 140
  categories:
    foundation: {name_zh: 公共基础课, name_en: Foundation courses, required: 40}
    elective: {name_zh: 选修课, name_en: Electives, required: 20}
  courses:
    - {code: E101, name_zh: 大学英语, name_en: College English, credits: 4, category: foundation}
"""

TABLE = """\
tables:
  - id: english
    name_zh: 英语考试成绩换学分
    name_en: English exam scores to credits
    category: elective
    rows:
      - {code: CET4, score: {at_least: 425, below: 550}, credits: 2}
      - {code: CET4, score: {at_least: 550}, credits: 3}
      - {id: cet6, code: CET6, score: {at_least: 425}, courses: [E101], grade: 良好}
"""

RULES = """\
rules:
  - id: english-1
    name_zh: 英语考试成绩换学分（第1行）
    name_en: English exam scores to credits (row 1)
    when: {code: CET4, score: {at_least: 425, below: 550}}
    grant: {category: elective, credits: 2}
  - id: english-2
    name_zh: 英语考试成绩换学分（第2行）
    name_en: English exam scores to credits (row 2)
    when: {code: CET4, score: {at_least: 550}}
    grant: {category: elective, credits: 3}
  - id: english-3
    name_zh: 英语考试成绩换学分（cet6）
    name_en: English exam scores to credits (cet6)
    when: {code: CET6, score: {at_least: 425}}
    grant: {courses: [E101], grade: 良好}
"""


def _conversion(standard_id: str, body: str) -> str:
    return HEAD.format(id=standard_id, kind="conversion", extends="extends: t-base\n") + PROGRAM + body


def _library(tmp_path: Path, **files: str) -> Path:
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_each_row_is_a_rule_with_a_stable_id_a_name_and_the_row_s_line(tmp_path: Path):
    folder = _library(tmp_path, table=_conversion("t-table", TABLE))
    ruleset = creditrules.compile_standards(folder)["t-table"].segments[0]
    assert [(r.id, r.name_zh, r.name_en, r.origin.line) for r in ruleset.rules] == [
        ("english/row-1", "英语考试成绩换学分（第1行）", "English exam scores to credits (row 1)", 25),
        ("english/row-2", "英语考试成绩换学分（第2行）", "English exam scores to credits (row 2)", 26),
        ("english/cet6", "英语考试成绩换学分（cet6）", "English exam scores to credits (cet6)", 27),
    ]
    first, _, third = ruleset.rules
    assert (first.target, first.category, first.credits) == ("category", "elective", 200)
    assert (third.target, third.courses, third.grade) == ("courses", ("E101",), "良好")
    assert creditrules.validate([folder]) == []


def test_a_table_is_replaced_or_removed_as_a_whole_by_a_standard_that_extends_its_base(tmp_path: Path):
    base = BASE + PROGRAM.replace("program:", "program:", 1) + TABLE
    child = HEAD.format(id="t-child", kind="conversion", extends="extends: t-base\n") + """\
tables:
  - id: english
    replaces: true
    name_zh: 英语
    name_en: English
    category: elective
    rows:
      - {code: CET4, score: {at_least: 500}, credits: 1}
"""
    gone = HEAD.format(id="t-gone", kind="conversion", extends="extends: t-base\n") + "remove_rules: [english]\n"
    (tmp_path / "base.yaml").write_text(base, encoding="utf-8")
    (tmp_path / "child.yaml").write_text(child, encoding="utf-8")
    (tmp_path / "gone.yaml").write_text(gone, encoding="utf-8")
    library = creditrules.compile_standards(tmp_path)
    assert [r.id for r in library["t-child"].segments[0].rules] == ["english/row-1"]
    assert library["t-child"].segments[0].rules[0].credits == 100
    assert library["t-gone"].segments[0].rules == ()


def test_a_table_id_already_used_and_replaces_without_a_table_are_reported(tmp_path: Path):
    text = _conversion("t-twice", RULES.replace("english-1", "english") + TABLE + """\
  - id: other
    replaces: true
    name_zh: 其他
    name_en: Other
    category: elective
    rows:
      - {id: a, code: CET4, score: {at_least: 600}, credits: 1}
      - {id: a, code: CET4, score: {at_least: 650}, credits: 1}
""")
    folder = _library(tmp_path, twice=text)
    found = sorted((d.code, d.line, d.message) for d in creditrules.validate([folder]))
    assert found == [
        ("C020", 36, "table id 'english' is already used (first on line 20); choose another id"),
        ("C020", 51, "row id 'other/a' is used twice in this table (first on line 50)"),
        ("C021", 45, "table 'other' says 'replaces: true' but no base standard defines it"),
    ]


SCORES = st.integers(min_value=0, max_value=710)
ACHIEVEMENT = st.tuples(st.sampled_from(["CET4", "CET6"]), SCORES, st.sampled_from(["a", "b", "c"]))


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, object]:
    folder = _library(tmp_path_factory.mktemp("twins"), table=_conversion("t-table", TABLE),
                      rules=_conversion("t-rules", RULES))
    library = creditrules.compile_standards(folder)
    return library["t-table"], library["t-rules"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ACHIEVEMENT, max_size=5))
def test_a_table_decides_exactly_as_the_rules_it_stands_for(twins: tuple[object, object],
                                                           achievements: list[tuple[str, int, str]]):
    table, rules = twins
    learner = learner_from_dict({"id": "L1", "achievements": [
        {"id": f"A{i}", "code": code, "score": score, "event": event, "obtained": "2024-10-01", "verified": True}
        for i, (code, score, event) in enumerate(achievements)]})
    names = {"english/row-1": "english-1", "english/row-2": "english-2", "english/cet6": "english-3"}
    as_of = date(2025, 1, 1)
    by_table = creditrules.evaluate(table, learner, as_of=as_of)  # type: ignore[arg-type]
    by_rules = creditrules.evaluate(rules, learner, as_of=as_of)  # type: ignore[arg-type]
    assert by_table.total_credits == by_rules.total_credits
    assert sorted((names[a.rule], a.achievements, a.credits) for a in by_table.awards) == \
        sorted((a.rule, a.achievements, a.credits) for a in by_rules.awards)
