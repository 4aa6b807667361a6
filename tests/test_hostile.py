"""Untrusted input: every file and record gets a located answer, never a traceback.

Property tests feed the loader random and mutated YAML; the rest pins the
behaviour a user sees for YAML 1.1 surprises, encodings, size limits, output
escaping, determinism across processes and sharing one compiled standard
between threads. Run longer with ``HYPOTHESIS_PROFILE=fuzz`` (see docs/robustness.md).
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import creditrules
from creditrules import Diagnostic, LearnerError
from creditrules import graph as graphs
from creditrules.formats import annotation
from creditrules.learner import parse_learner_text
from creditrules.render import render_text
from strategies import CASE_PATHS, HOSTILE_TEXT, MUTATIONS, YAMLISH, hostile_records, mutate, typed_as_people_do

ROOT = Path(__file__).resolve().parents[1]
STANDARD = ROOT / "standards" / "yangtze-delta" / "computer-application.yaml"
BASE = ROOT / "standards" / "yangtze-delta" / "base.yaml"
AS_OF = "2025-06-30"

settings.register_profile("fuzz", max_examples=3_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("default", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def _validate_text(tmp_path: Path, name: str, data: bytes) -> list[Diagnostic]:
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    (folder / "base.yaml").write_bytes(BASE.read_bytes())
    path = folder / "standard.yaml"
    path.write_bytes(data)
    problems = creditrules.validate(folder)
    lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 2  # CR ends a line too
    for problem in problems:
        assert isinstance(problem, Diagnostic)
        assert 0 <= problem.line <= lines, problem
        assert problem.code and problem.message
    return problems


# ---------------------------------------------------------------- property: the loader never raises

@given(text=YAMLISH)
def test_random_yaml_gives_diagnostics_not_exceptions(tmp_path_factory, text):
    _validate_text(tmp_path_factory.mktemp("y"), "random", text.encode("utf-8"))


@given(data=st.binary(max_size=300))
def test_random_bytes_give_diagnostics_not_exceptions(tmp_path_factory, data):
    _validate_text(tmp_path_factory.mktemp("b"), "bytes", data)


@given(operations=MUTATIONS)
def test_mutated_standard_gives_diagnostics_not_exceptions(tmp_path_factory, operations):
    text = mutate(STANDARD.read_text(encoding="utf-8"), operations)
    _validate_text(tmp_path_factory.mktemp("m"), "mutated", text.encode("utf-8"))


@given(text=YAMLISH, as_json=st.booleans())
def test_random_learner_text_is_a_learner_or_a_learner_error(text, as_json):
    try:
        learner = parse_learner_text(text, "learner.json" if as_json else "learner.yaml")
    except LearnerError as exc:
        # either outcome is allowed, so pytest.raises (which demands the error) does not fit
        assert str(exc).startswith("learner.")  # noqa: PT017
    else:
        assert isinstance(learner.id, str)


# A line break any reader may split on: \n and \r, VT, FF, FS, GS, RS, NEL, LS, PS
LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


@functools.lru_cache(maxsize=1)
def _sample() -> creditrules.CompiledStandard:
    """Not a fixture: hypothesis prints a failing example's arguments, and this one prints long."""
    return creditrules.compile_standards(ROOT / "standards")["yrd-computer-application"]


@given(record=hostile_records())
def test_random_hostile_record_is_decided_or_rejected(record):
    """Any value in any field of a record (numbers of any size, dates that are not days, look-alike
    codes, forged lines): each achievement is decided or rejected with a reason, never a traceback,
    and the text output keeps one line per line."""
    sample_standard = _sample()
    try:
        decision = creditrules.evaluate(sample_standard, record, AS_OF)
    except LearnerError as exc:
        # a record may be decided or refused, so pytest.raises (which demands the error) does not fit
        assert not LINE_BREAKS.search(str(exc)) and not BIDI.search(str(exc))  # noqa: PT017
        return
    seen = {a for award in decision.awards for a in award.achievements}
    seen |= {u.achievement for u in decision.unused} | {r.achievement for r in decision.rejected}
    assert len(seen) >= 1
    for rejection in decision.rejected:
        assert rejection.reason and rejection.reason_zh
    for lang in ("en", "zh"):
        text = render_text(decision, sample_standard.ruleset_for(decision.as_of), lang)
        assert not BIDI.search(text)
        assert not LINE_BREAKS.search(text.replace("\n", ""))


@given(name=HOSTILE_TEXT, course=HOSTILE_TEXT)
@settings(max_examples=max(40, settings.default.max_examples // 10))  # each example compiles a standard
def test_random_hostile_names_cannot_forge_lines_in_any_output(tmp_path_factory, name, course):
    """Names and course titles are free text in a standard: every output shows them on the line
    they belong to, and DOT and Mermaid labels cannot be closed early."""
    folder = tmp_path_factory.mktemp("names")
    (folder / "base.yaml").write_bytes(BASE.read_bytes())
    text = STANDARD.read_text(encoding="utf-8").replace(
        "name_en: Web front-end development, credits: 4",
        f"name_en: {json.dumps(course, ensure_ascii=True)}, credits: 4")
    text = text.replace("name_en: Computer Application Technology conversion standard",
                        f"name_en: {json.dumps(name, ensure_ascii=True)}", 1)
    (folder / "standard.yaml").write_text(text, encoding="utf-8")
    try:
        standard = creditrules.compile_standards(folder)["yrd-computer-application"]
    except creditrules.StandardError as exc:  # a name may be empty or too long: a located refusal
        for diagnostic in exc.diagnostics:
            assert not LINE_BREAKS.search(str(diagnostic)) and not BIDI.search(str(diagnostic))
            assert not LINE_BREAKS.search(annotation(diagnostic))
        return
    dot = graphs.to_dot(standard.graph)
    for line in dot.splitlines()[2:-1]:
        assert DOT_LINE.fullmatch(line), line
    mermaid = graphs.to_mermaid(standard.graph)
    for line in mermaid.splitlines()[1:]:
        assert MERMAID_LINE.fullmatch(line), line
    learner = creditrules.load_learner(ROOT / "examples" / "student-1x.yaml")
    decision = creditrules.evaluate(standard, learner, AS_OF)
    out = render_text(decision, standard.ruleset_for(decision.as_of))
    assert not BIDI.search(dot + mermaid + out)
    assert not any(line.startswith("  ✓ C999") for line in out.splitlines())


DOT_LINE = re.compile(r'  "(?:[^"\\\n]|\\.)*"(?: -> "(?:[^"\\\n]|\\.)*"(?: \[label="(?:[^"\\\n]|\\.)*"\])?'
                      r'| \[label="(?:[^"\\\n]|\\.)*", shape=\w+\]);')
MERMAID_LINE = re.compile(r'  n\d+(?: -->(?:\|"[^"\[\]\n|]*"\|)? n\d+|\["[^"\[\]\n]*"\])')


@given(written=CASE_PATHS)
def test_random_case_paths_stay_inside_the_project(tmp_path_factory, written):
    """Whatever path a case file names, the learner file it reaches lies inside the project."""
    from creditrules.cases import Unreachable, confine

    root = tmp_path_factory.mktemp("project")
    (root / "sub").mkdir()
    (root / "sub" / "link").symlink_to("/etc")
    case_file = root / "sub" / "x.cases.yaml"
    try:
        found = confine(case_file, written, root)
    except Exception as exc:  # the case runner would show a traceback
        pytest.fail(f"confine({written!r}) raised {type(exc).__name__}: {exc}")
    if not isinstance(found, Unreachable):
        resolved = found.resolve()
        assert resolved == root.resolve() or root.resolve() in resolved.parents, (written, resolved)
        assert ".git" not in resolved.relative_to(root.resolve()).parts


@given(data=st.data())
def test_random_spellings_of_a_code_and_a_level_give_the_same_award_and_grade(data):
    """Full-width or padded, a code and a level are the same code and level: same award, same grade."""
    level = data.draw(st.sampled_from(["中级", "高级"]))
    plain = {"id": "S1", "achievements": [{"id": "A1", "code": "X-WEB", "level": level, "obtained": "2024-06-15"}]}
    typed = {"id": "S1", "achievements": [{"id": "A1", "code": data.draw(typed_as_people_do("X-WEB")),
                                           "level": data.draw(typed_as_people_do(level)), "obtained": "2024-06-15"}]}
    decide = functools.partial(creditrules.evaluate, _sample(), as_of=AS_OF)
    expected = [(a.rule, a.grade, a.credits) for a in decide(plain).awards]
    assert expected and [(a.rule, a.grade, a.credits) for a in decide(typed).awards] == expected


# ---------------------------------------------------------------- YAML 1.1 surprises and encodings

def _line_of(text: str) -> int:
    """The line of the sample standard that holds ``text`` (tests follow the file as it changes)."""
    lines = STANDARD.read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def _standard_with(tmp_path: Path, old: str, new: str) -> list[str]:
    text = STANDARD.read_text(encoding="utf-8")
    assert old in text
    problems = _validate_text(tmp_path, "edited", text.replace(old, new, 1).encode("utf-8"))
    return [f"{p.line}:{p.column}: {p.code} {p.message}" for p in problems if p.code != "W001"]


def test_yaml_11_no_is_text_not_false(tmp_path):
    line = _line_of("where: {code: TRAIN-EXT, verified: true}")
    assert _standard_with(tmp_path, "where: {code: TRAIN-EXT, verified: true}",
                          "where: {code: TRAIN-EXT, verified: no}") == [
        f"{line}:32: C035 'verified' is true or false; 'no' is neither"]


def test_yaml_11_booleans_are_refused_for_flags(tmp_path):
    line = _line_of("illustrative: true")
    assert _standard_with(tmp_path, "illustrative: true", "illustrative: on") == [
        f"{line}:3: E100 source.illustrative: Input should be a valid boolean; write true or false"]


def test_exponent_is_neither_text_nor_a_number_but_a_question(tmp_path):
    """1e3 is text to creditrules and a number to editors: the schema and the loader must not disagree."""
    line = _line_of("      per: 16")
    assert _standard_with(tmp_path, "      per: 16\n", "      per: 1e3\n") == [
        f"{line}:12: Y010 '1e3' is text to creditrules but a number to other YAML readers (editors, the JSON "
        "Schema); put it in quotes if it is text (\"1e3\"), or write it as 1000 if it is meant so"]


def test_octal_looking_code_stays_the_code_written(tmp_path):
    folder = tmp_path / "octal"
    folder.mkdir()
    (folder / "base.yaml").write_bytes(BASE.read_bytes())
    text = STANDARD.read_text(encoding="utf-8").replace("  UNI-DB:\n", "  0123:\n").replace("code: UNI-DB", "code: 0123")
    (folder / "standard.yaml").write_text(text, encoding="utf-8")
    # unquoted, 0123 is the number 123 to an editor: refused, so the schema and the loader agree
    assert {d.code for d in creditrules.validate([folder])} == {"Y010"}
    text = text.replace("  0123:\n", '  "0123":\n').replace("code: 0123", 'code: "0123"')
    (folder / "standard.yaml").write_text(text, encoding="utf-8")
    standard = creditrules.compile_standards(folder)["yrd-computer-application"]
    learner = {"id": "S1", "achievements": [
        {"id": "A1", "code": "0123", "score": 80, "credits": 4, "obtained": "2024-01-01"}]}
    decision = creditrules.evaluate(standard, learner, AS_OF)
    assert [(a.rule, a.achievements) for a in decision.awards] == [("transfer-database", ("A1",))]


def test_unquoted_dates_stay_text_until_a_date_is_wanted(tmp_path):
    line = _line_of("effective: {from: 2024-09-01")
    assert _standard_with(tmp_path, "effective: {from: 2024-09-01", "effective: {from: 2024-9-1") == [
        f"{line}:13: E100 effective.from: '2024-9-1' is not a date; write YYYY-MM-DD, e.g. 2024-09-01"]


def test_bom_and_crlf_are_accepted_and_lines_still_count(tmp_path):
    text = STANDARD.read_text(encoding="utf-8").replace("priority", "priority")
    broken = text.replace("      per: 16\n", "      per: 16\n      perr: 1\n")
    data = b"\xef\xbb\xbf" + broken.replace("\n", "\r\n").encode("utf-8")
    problems = [str(p).split(": ", 1)[1] for p in _validate_text(tmp_path, "crlf", data) if p.code != "W001"]
    assert problems == ["E100 unknown key 'perr' (did you mean 'per'?); remove it or fix its spelling"]
    located = next(p for p in _validate_text(tmp_path, "crlf2", data) if p.code == "E100")
    assert (located.line, located.column) == (_line_of("      per: 16") + 1, 7)


def test_full_width_or_padded_code_in_a_standard_is_refused(tmp_path):
    assert _standard_with(tmp_path, "  UNI-DB:\n", "  ＵＮＩ-DB:\n")[0].endswith(
        "'ＵＮＩ-DB' is not a valid code; it contains U+FF35 FULLWIDTH LATIN CAPITAL LETTER U at position 1, "
        "U+FF2E FULLWIDTH LATIN CAPITAL LETTER N at position 2, U+FF29 FULLWIDTH LATIN CAPITAL LETTER I at position 3; "
        "use letters, digits, '+', '.', '_' and '-', starting with a letter or digit")


def test_size_limit_is_configurable(tmp_path, monkeypatch):
    monkeypatch.setenv("CREDITRULES_MAX_FILE_BYTES", "1000")
    folder = tmp_path / "limit"
    folder.mkdir()
    (folder / "standard.yaml").write_bytes(STANDARD.read_bytes())
    size = STANDARD.stat().st_size
    assert [str(p) for p in creditrules.validate(folder)] == [
        f"{folder / 'standard.yaml'}:1:1: Y005 the file is {size} bytes, over the limit of 1000; split it or raise "
        "CREDITRULES_MAX_FILE_BYTES"]


# ---------------------------------------------------------------- outputs, processes, threads

def test_control_characters_in_names_cannot_forge_lines(tmp_path):
    folder = tmp_path / "forge"
    folder.mkdir()
    (folder / "base.yaml").write_bytes(BASE.read_bytes())
    text = STANDARD.read_text(encoding="utf-8").replace(
        "name_en: Web front-end development, credits: 4",
        'name_en: "Web\\n  ✓ C999 Free diploma — 140 credits", credits: 4')
    (folder / "standard.yaml").write_text(text, encoding="utf-8")
    standard = creditrules.compile_standards(folder)["yrd-computer-application"]
    learner = creditrules.load_learner(ROOT / "examples" / "student-1x.yaml")
    decision = creditrules.evaluate(standard, learner, AS_OF)
    text_out = render_text(decision, standard.ruleset_for(decision.as_of))
    assert "  ✓ C201 Web\\n  ✓ C999 Free diploma — 140 credits — 4 credits (Core courses), grade 良好" in text_out
    assert not any(line.startswith("  ✓ C999") for line in text_out.splitlines())


def test_same_bytes_under_different_hash_seeds():
    outputs = set()
    for seed in ("0", "1", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        result = subprocess.run(
            [sys.executable, "-m", "creditrules", "evaluate", "--standards", str(ROOT / "standards"),
             "--standard", "ah-worker-cnc", "--learner", str(ROOT / "examples" / "worker.yaml"),
             "--as-of", AS_OF, "--format", "json"],
            capture_output=True, env=env, check=True)
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_one_compiled_standard_serves_many_threads():
    library = creditrules.compile_standards(ROOT / "standards")
    jobs = []
    for standard_id, learner_file in [("yrd-computer-application", "student-1x.yaml"), ("ah-worker-cnc", "worker.yaml"),
                                      ("ah-farmer-agri", "farmer.yaml"),
                                      ("ah-senior-arts-certificate", "elderly.yaml")]:
        learner = creditrules.load_learner(ROOT / "examples" / learner_file)
        jobs.extend([(library[standard_id], learner)] * 25)
    sequential = [creditrules.evaluate(s, learner, AS_OF).to_json() for s, learner in jobs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda job: creditrules.evaluate(job[0], job[1], AS_OF).to_json(), jobs))
    assert threaded == sequential


def test_ten_thousand_achievements_are_decided():
    standard = creditrules.compile_standards(ROOT / "standards")["yrd-computer-application"]
    achievements = [{"id": f"A{i}", "code": "COMP-VOC", "tier": "省级", "award": "二等奖", "event": f"赛项{i % 40}",
                     "organizer": "government", "obtained": "2025-01-01"} for i in range(10_000)]
    decision = creditrules.evaluate(standard, {"id": "S1", "achievements": achievements}, AS_OF)
    assert decision.total_credits == 50  # 40 events × 2 credits, cut by the 50-credit total
    assert len(decision.unused) == 10_000 - len(decision.awards)


@pytest.mark.parametrize("bad", ["-12", "1e3", ".nan", "null"])
def test_bad_hours_reject_one_record_and_keep_the_rest(bad):
    standard = creditrules.compile_standards(ROOT / "standards")["yrd-computer-application"]
    learner = parse_learner_text(
        "id: S1\nachievements:\n"
        f"  - {{id: A1, code: TRAIN-EXT, hours: {bad}, obtained: 2025-01-01, verified: true}}\n"
        "  - {id: A2, code: X-WEB, level: 中级, obtained: 2025-01-01}\n", "learner.yaml")
    decision = creditrules.evaluate(standard, learner, AS_OF)
    assert [r.achievement for r in decision.rejected] == ["A1"]
    assert decision.total_credits == 8


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_a_number_of_any_size_in_a_batch_rejects_one_record(tmp_path, suffix):
    from cli_run import run

    rows = [("L1", "A1", "TRAIN-EXT", "9" * 5000), ("L1", "A2", "TRAIN-EXT", "16"), ("L2", "A1", "TRAIN-EXT", "9" * 400)]
    path = tmp_path / f"in{suffix}"
    if suffix == ".csv":
        path.write_text("learner,id,code,obtained,hours,verified\n" + "".join(
            f"{learner},{ach},{code},2024-06-01,{hours},true\n" for learner, ach, code, hours in rows), encoding="utf-8")
    else:
        path.write_text("".join(
            f'{{"learner": "{learner}", "id": "{ach}", "code": "{code}", "obtained": "2024-06-01", "hours": {hours}, '
            f'"verified": true}}\n' for learner, ach, code, hours in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, _, err = run("batch", "--standards", str(ROOT / "standards"), "--standard", "yrd-computer-application",
                       "--input", str(path), "--output", str(out), "--as-of", AS_OF, "--workers", "1")
    assert (code, err) == (0, "")
    rejects = [json.loads(line) for line in (tmp_path / "out.rejects.jsonl").read_text().splitlines()]
    assert [(r["learner"], r["achievement"], r["reason"]) for r in rejects] == [
        ("L1", "A1", "'hours' is a number of 5000 digits, too large (at most 15)"),
        ("L2", "A1", "'hours' is a number of 400 digits, too large (at most 15)")]
    decided = {d["learner"]: d["total"] for d in map(json.loads, out.read_text().splitlines())}
    assert decided == {"L1": 1, "L2": 0}
