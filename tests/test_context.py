"""The learner, not only their achievements (issue 9, item 1): context attributes and course history,
standard-wide eligibility, a rule's `requires`, and `not_taken` exclusions."""

from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path

import pytest

import creditrules
from cli_run import run
from creditrules import LearnerError, learner_from_dict
from creditrules.errors import StandardError

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2025-06-30"


@pytest.fixture(scope="module")
def standard() -> creditrules.CompiledStandard:
    return creditrules.compile_standards(ROOT / "standards")["yrd-credit-by-exam"]


def _learner(hours: object = 20, program: str = "530302", courses: list | None = None, **achievements) -> dict:
    context: dict = {"attributes": {"residence_hours": hours, "program": program}}
    if courses is not None:
        context["courses"] = courses
    records = [{"id": ach_id, "code": code, "score": score, "obtained": "2025-03-01"}
               for ach_id, (code, score) in achievements.items()]
    return {"id": "L1", "context": context, "achievements": records}


def _bases(tmp_path: Path) -> None:
    for name in ("base.yaml", "accounting-non-traditional-base.yaml"):
        (tmp_path / name).write_text((ROOT / "standards" / "yangtze-delta" / name).read_text("utf-8"), "utf-8")


# ---------------------------------------------------------------- the learner file

BAD_CONTEXT = [
    ("not-mapping", [1], "'context' must be a mapping with 'attributes' and 'courses', not a list"),
    ("unknown-key", {"atributes": {}},
     "context: unknown key 'atributes' (did you mean 'attributes'?); allowed: attributes, courses"),
    ("attributes-list", {"attributes": [1]}, "'context.attributes' must be a mapping of names to values, not a list"),
    ("attribute-mapping", {"attributes": {"program": {"x": 1}}},
     "context attribute 'program' must be text, a number, true/false or a date, not a mapping"),
    ("attribute-nan", {"attributes": {"residence_hours": float("nan")}},
     "context attribute 'residence_hours' must be a finite number, not nan"),
    ("attribute-infinity", {"attributes": {"residence_hours": float("inf")}},
     "context attribute 'residence_hours' must be a finite number, not inf"),
    ("attribute-minus-infinity", {"attributes": {"program": float("-inf")}},
     "context attribute 'program' must be a finite number, not -inf"),
    ("courses-mapping", {"courses": {"code": "A"}}, "'context.courses' must be a list, not a mapping"),
    ("course-text", {"courses": ["A101"]},
     "context course #1 must be a mapping with 'code' and 'status', not 'A101'"),
    ("course-unknown-key", {"courses": [{"code": "A101", "status": "passed", "grdae": "B"}]},
     "context course #1: unknown key 'grdae' (did you mean 'grade'?); allowed: code, status, grade, term"),
    ("course-no-code", {"courses": [{"status": "passed"}]},
     "context course #1: 'code' must be a course code, not nothing"),
    ("course-bad-status", {"courses": [{"code": "A101", "status": "pased"}]},
     "context course #1 (A101): 'status' must be one of passed, failed, enrolled, withdrawn, not 'pased' "
     "(did you mean 'passed'?)"),
    ("course-no-status", {"courses": [{"code": "A101"}]},
     "context course #1 (A101): 'status' must be one of passed, failed, enrolled, withdrawn, not nothing"),
    ("course-grade-list", {"courses": [{"code": "A101", "status": "passed", "grade": [1]}]},
     "context course #1 (A101): 'grade' must be text or a number, not a list"),
]


@pytest.mark.parametrize(("raw", "message"), [(raw, message) for _, raw, message in BAD_CONTEXT],
                         ids=[name for name, _, _ in BAD_CONTEXT])
def test_an_unreadable_context_stops_the_evaluation_with_its_reason(raw, message):
    with pytest.raises(LearnerError) as caught:
        learner_from_dict({"id": "L1", "context": raw, "achievements": []}, "l.yaml")
    assert str(caught.value) == f"l.yaml: {message}"


@pytest.mark.parametrize(("written", "shown"), [("NaN", "nan"), ("Infinity", "inf"), ("-Infinity", "-inf")])
def test_nan_in_a_learner_file_is_refused_by_evaluate(tmp_path: Path, written: str, shown: str):
    """Python's json reads NaN and ±Infinity as floats: a context holding one would have no JSON to write.
    (YAML's .nan and .inf stay text here: the loader reads only plain decimals as numbers.)"""
    path = tmp_path / "learner.json"
    path.write_text(f'{{"id": "L1", "context": {{"attributes": {{"residence_hours": {written}}}}}, "achievements": []}}',
                    encoding="utf-8")
    code, out, err = run("evaluate", "--standard", "yrd-credit-by-exam", "--learner", str(path), "--as-of", AS_OF,
                         "--standards", str(ROOT / "standards"))
    assert (code, out) == (1, "")
    assert err == f"creditrules: {path}: context attribute 'residence_hours' must be a finite number, not {shown}\n"


def test_nan_given_through_the_api_is_written_null_as_orjson_writes_it(standard):
    """A context built by the caller is not checked: its NaN shows as the actual value, and every form of the
    decision stays JSON (null), as before the encoder noted wide numbers."""
    learner = learner_from_dict(_learner(EXAM_ACC=("EXAM-ACC", 75)))
    odd = dataclasses.replace(learner, context=dataclasses.replace(
        learner.context, attributes={**learner.context.attributes, "residence_hours": float("nan")}))
    decision = creditrules.evaluate(standard, odd, AS_OF)
    line = decision.to_json_bytes()
    assert b'"actual":null' in line and b"NaN" not in line
    assert json.loads(line) == json.loads(decision.to_json())
    assert creditrules.Decision.from_json(decision.to_json()) == creditrules.Decision.from_json(line.decode())


def test_the_context_is_read_into_typed_values():
    learner = learner_from_dict({"id": "L1", "context": {
        "attributes": {"residence_hours": 14, "program": "530302"},
        "courses": [{"code": "A101", "status": "failed", "grade": "D"}, {"code": "A101", "status": "passed",
                                                                         "grade": 80, "term": "2025-spring"}]}})
    assert learner.context.attributes == {"program": "530302", "residence_hours": 14}
    assert [(c.code, c.status, c.grade, c.term) for c in learner.context.courses] == [
        ("A101", "failed", "D", None), ("A101", "passed", "80", "2025-spring")]
    assert learner.context.statuses == {"A101": frozenset({"failed", "passed"})}


# ---------------------------------------------------------------- eligibility (the standard)

def test_eligibility_fails_every_award_with_the_condition_and_both_values(standard):
    decision = creditrules.evaluate(standard, _learner(11.5, E1=("EXAM-ACC", 95)), AS_OF)
    assert decision.total == 0 and decision.awards == ()
    data = decision.to_dict()
    assert data["eligibility"] == [{"standard": "yrd-credit-by-exam", "ok": False, "conditions": [
        {"attribute": "residence_hours", "op": "ge", "required": 12, "actual": 11.5, "ok": False}]}]
    assert data["unused"] == [{"achievement": "E1", "code": "EXAM-ACC", "reason": "not-eligible",
                               "eligibility_failed": [{"attribute": "residence_hours", "op": "ge", "required": 12,
                                                       "actual": 11.5, "ok": False}]}]
    ruleset = standard.ruleset_for(decision.as_of)
    en = creditrules.render_text(decision, ruleset, "en")
    zh = creditrules.render_text(decision, ruleset, "zh")
    assert "Not eligible under this standard: credit hours in residence ≥ 12 (has 11.5). Nothing is credited." in en
    assert ("  ✗ E1 (EXAM-ACC): the learner does not meet this standard's eligibility: credit hours in residence "
            "≥ 12 (has 11.5)") in en
    assert "不符合本标准的认定资格：在校已修学分不低于12（实际为 11.5）。不予认定任何学分。" in zh
    assert "  ✗ E1（EXAM-ACC）：学习者不符合本标准的认定资格：在校已修学分不低于12（实际为 11.5）" in zh


def test_a_context_value_that_does_not_fit_fails_its_condition_and_is_shown_as_written(standard):
    decision = creditrules.evaluate(standard, _learner("many", E1=("EXAM-ACC", 95)), AS_OF)
    assert decision.total == 0
    assert decision.eligibility[0].failed[0].actual == "many"


def test_eligibility_passed_is_recorded_and_awards_proceed(standard):
    decision = creditrules.evaluate(standard, _learner(12, E1=("EXAM-ACC", 60)), AS_OF)
    assert decision.total == 4
    assert decision.to_dict()["eligibility"][0]["ok"] is True


def test_a_standard_without_gates_keeps_its_decision_shape():
    library = creditrules.compile_standards(ROOT / "standards")
    learner = creditrules.load_learner(ROOT / "examples" / "student-1x.yaml")
    data = creditrules.evaluate(library["yrd-computer-application"], learner, AS_OF).to_dict()
    assert "eligibility" not in data
    assert all("requires" not in t for t in data["trace"])


# ---------------------------------------------------------------- requires (a rule)

def test_a_rule_requirement_refuses_that_rule_only(standard):
    decision = creditrules.evaluate(standard, _learner(20, "510201", E2=("EXAM-STAT", 70), E3=("EXAM-ENG", 95)),
                                    AS_OF)
    assert [a.rule for a in decision.awards] == ["exam-statistics"]
    unused = decision.to_dict()["unused"]
    assert unused == [{"achievement": "E3", "code": "EXAM-ENG", "reason": "not-eligible", "nearest_miss": {
        "rule": "exam-english", "failed": [{"attribute": "program", "op": "eq", "required": "530302",
                                            "actual": "510201", "ok": False}]}}]
    trace = next(t for t in decision.trace if t.rule == "exam-english")
    assert trace.result == "not-eligible"
    ruleset = standard.ruleset_for(decision.as_of)
    assert ("  ✗ E3 (EXAM-ENG): rule exam-english “College English examination, 70 or more, replaces College "
            "English (students of this program only)” needs the learner to meet program = 530302 (has 510201)"
            ) in creditrules.render_text(decision, ruleset, "en")
    assert ("  ✗ E3（EXAM-ENG）：规则 exam-english“大学英语认定考试70分及以上替代大学英语（仅限本专业学生）”要求学习者满足："
            "就读专业为530302（实际为 510201）") in creditrules.render_text(decision, ruleset, "zh")


# ---------------------------------------------------------------- not_taken (course history)

@pytest.mark.parametrize(("courses", "exclusion", "en", "zh"), [
    ([{"code": "A101", "status": "passed"}], {"course": "A101", "history": {"course": "A101", "status": "passed"}},
     "rule exam-accounting would credit A101, but the course history holds A101 (passed)",
     "规则 exam-accounting 可认定 A101，但修读记录中已有 A101（已通过）"),
    ([{"code": "A101", "status": "failed"}], {"course": "A101", "history": {"course": "A101", "status": "failed"}},
     "rule exam-accounting would credit A101, but the course history holds A101 (failed)",
     "规则 exam-accounting 可认定 A101，但修读记录中已有 A101（未通过）"),
    ([{"code": "A101", "status": "enrolled"}],
     {"course": "A101", "history": {"course": "A101", "status": "enrolled"}},
     "rule exam-accounting would credit A101, but the course history holds A101 (enrolled)",
     "规则 exam-accounting 可认定 A101，但修读记录中已有 A101（在修）"),
    ([{"code": "A201", "status": "passed"}], {"course": "A101", "history": {"course": "A201", "status": "passed"}},
     "rule exam-accounting would credit A101, but the course history holds A201 (passed)",
     "规则 exam-accounting 可认定 A101，但修读记录中已有 A201（已通过）"),
])
def test_the_course_history_suppresses_a_course_award(standard, courses, exclusion, en, zh):
    decision = creditrules.evaluate(standard, _learner(20, courses=courses, E1=("EXAM-ACC", 90)), AS_OF)
    assert decision.total == 0
    unused = decision.to_dict()["unused"][0]
    assert unused["reason"] == "excluded"
    assert unused["candidate"]["excluded_by"] == exclusion
    ruleset = standard.ruleset_for(decision.as_of)
    assert f"  ✗ E1 (EXAM-ACC): {en}" in creditrules.render_text(decision, ruleset, "en")
    assert f"  ✗ E1（EXAM-ACC）：{zh}" in creditrules.render_text(decision, ruleset, "zh")


@pytest.mark.parametrize("courses", [[{"code": "A101", "status": "withdrawn"}],
                                     [{"code": "A201", "status": "failed"}], [{"code": "A201", "status": "enrolled"}]])
def test_withdrawn_or_a_higher_course_not_passed_does_not_suppress(standard, courses):
    decision = creditrules.evaluate(standard, _learner(20, courses=courses, E1=("EXAM-ACC", 90)), AS_OF)
    assert decision.total == 4


def test_the_decision_is_the_same_whatever_the_order_of_the_history(standard):
    courses = [{"code": "A102", "status": "failed"}, {"code": "A102", "status": "passed"},
               {"code": "A201", "status": "passed"}, {"code": "A103", "status": "withdrawn"}]
    seen = set()
    for order in itertools.permutations(courses):
        learner = _learner(20, courses=list(order), E1=("EXAM-ACC", 90), E2=("EXAM-STAT", 90), E3=("EXAM-ENG", 90))
        seen.add(creditrules.evaluate(standard, learner, AS_OF).to_json())
    assert len(seen) == 1
    data = json.loads(seen.pop())
    assert {u["achievement"]: u["candidate"]["excluded_by"]["history"]["status"] for u in data["unused"]} == {
        "E1": "passed", "E2": "passed"}


def test_a_rule_may_switch_the_exclusions_off(tmp_path):
    text = (ROOT / "standards" / "yangtze-delta" / "credit-by-exam.yaml").read_text(encoding="utf-8")
    text = text.replace("    grant: {courses: [A101]}\n", "    grant: {courses: [A101]}\n    not_taken: {statuses: []}\n")
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    _bases(tmp_path)
    compiled = creditrules.compile_standards(tmp_path)["yrd-credit-by-exam"]
    learner = _learner(20, courses=[{"code": "A101", "status": "passed"}, {"code": "A102", "status": "passed"}],
                       E1=("EXAM-ACC", 90), E2=("EXAM-STAT", 90))
    decision = creditrules.evaluate(compiled, learner, AS_OF)
    assert [a.rule for a in decision.awards] == ["exam-accounting"]


# ---------------------------------------------------------------- compile errors

def _compile_errors(tmp_path: Path, replace: tuple[str, str]) -> list[str]:
    text = (ROOT / "standards" / "yangtze-delta" / "credit-by-exam.yaml").read_text(encoding="utf-8")
    assert replace[0] in text
    (tmp_path / "s.yaml").write_text(text.replace(*replace), encoding="utf-8")
    _bases(tmp_path)
    with pytest.raises(StandardError) as caught:
        creditrules.compile_standards(tmp_path)
    return [f"{d.code} {d.message}" for d in caught.value.diagnostics]


def test_c060_an_undeclared_context_attribute(tmp_path):
    assert _compile_errors(tmp_path, ("    residence_hours: {at_least: 12}", "    residence_hour: {at_least: 12}")) == [
        "C062 'residence_hour' is not a context attribute of this standard (did you mean 'residence_hours'?); "
        "declare it under 'context: attributes:' (program, residence_hours)"]


def test_c061_higher_names_a_course_outside_the_program(tmp_path):
    assert _compile_errors(tmp_path, ("    A101: [A201]", "    X999: [A201]")) == [
        "C061 'X999' is not a course of the program; 'higher' lists, for a course rules may "
        "credit, the courses above it"]


def test_c035_a_gate_value_that_does_not_fit_the_context_attribute(tmp_path):
    assert _compile_errors(tmp_path, ("    residence_hours: {at_least: 12}", "    residence_hours: {at_least: x}")) == [
        "C035 'residence_hours' is a number; 'x' is not"]


# ---------------------------------------------------------------- properties

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_COURSES = st.lists(st.fixed_dictionaries({"code": st.sampled_from(["A101", "A102", "A103", "A201", "Z9"]),
                                           "status": st.sampled_from(["passed", "failed", "enrolled", "withdrawn"])}),
                    max_size=5)
_EXAMS = st.lists(st.tuples(st.sampled_from(["EXAM-ACC", "EXAM-STAT", "EXAM-ENG"]), st.integers(50, 100)),
                  max_size=5)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(courses=_COURSES, extra=_COURSES, exams=_EXAMS, hours=st.sampled_from([None, 11, 12, 40]),
       program=st.sampled_from(["530302", "510201"]))
def test_history_never_lets_an_excluded_course_through_and_more_history_never_adds_credit(
        standard, courses, extra, exams, hours, program):
    def learner(history):
        data = _learner(hours, program, history, **{f"E{i}": exam for i, exam in enumerate(exams)})
        if hours is None:
            del data["context"]["attributes"]["residence_hours"]
        return data

    decision = creditrules.evaluate(standard, learner(courses), AS_OF)
    statuses: dict[str, set[str]] = {}
    for course in courses:
        statuses.setdefault(course["code"], set()).add(course["status"])
    for award in decision.awards:
        for course in award.courses:
            assert not statuses.get(course.code, set()) & {"passed", "failed", "enrolled"}
            assert not (course.code == "A101" and "passed" in statuses.get("A201", set()))
        if award.rule == "exam-english":
            assert program == "530302"
    if hours is None or hours < 12:
        assert decision.total == 0
    more = creditrules.evaluate(standard, learner(courses + extra), AS_OF)
    assert more.total <= decision.total
