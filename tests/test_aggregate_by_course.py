"""Aggregates grouped by target (issue 9, item 2): records add up per course of the grant, each course at its own
ratio, rounding and cap, in one rule."""

from __future__ import annotations

import json
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import creditrules
from creditrules.errors import StandardError

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2025-06-30"
FOLDER = ROOT / "standards" / "yangtze-delta"
STANDARD = FOLDER / "accounting-training.yaml"


@pytest.fixture(scope="module")
def standard() -> creditrules.CompiledStandard:
    return creditrules.compile_standards(ROOT / "standards")["yrd-accounting-training"]


def record(ach_id: str, hours: float, course: str) -> dict:
    return {"id": ach_id, "code": "TRAIN-ACC", "hours": hours, "course": course, "obtained": "2025-02-01",
            "verified": True}


def test_each_course_adds_up_on_its_own_and_says_which(standard):
    decision = creditrules.evaluate(standard, {"id": "L", "achievements": [
        record("T1", 12, "A104"), record("T2", 9, "A104"), record("T3", 30, "A105")]}, AS_OF)
    data = decision.to_dict()
    assert data["awards"][0]["courses"][0]["code"] == "A104"
    assert data["awards"][0]["tally"] == {"records": 2, "unit": "hours", "amount": 21, "credits": 2, "course": "A104"}
    assert data["unused"] == [{"achievement": "T3", "code": "TRAIN-ACC", "reason": "too-little", "nearest_miss": {
        "rule": "training-by-course", "failed": []}, "tally": {
        "records": 1, "unit": "hours", "amount": 30, "credits": 1.5, "course": "A105", "needed": 3}}]
    ruleset = standard.ruleset_for(decision.as_of)
    assert "adds up toward A105: 1 record, 30 hours → 1.5 credits; the courses need 3" in \
        creditrules.render_text(decision, ruleset, "en")
    assert "合计：计入 A105：1 条记录，共 30 学时 → 1.5 学分；课程需要 3 学分" in creditrules.render_text(decision, ruleset, "zh")


def test_a_course_cap_and_a_record_for_a_course_not_granted(standard):
    decision = creditrules.evaluate(standard, {"id": "L", "achievements": [
        record("T1", 200, "A105"), record("T2", 40, "A101")]}, AS_OF)
    award = decision.to_dict()["awards"][0]
    assert award["tally"] == {"records": 1, "unit": "hours", "amount": 200, "credits": 11, "course": "A105", "max": 3}
    assert decision.to_dict()["unused"][0]["nearest_miss"] == {"rule": "training-by-course", "failed": [
        {"attribute": "course", "op": "in", "required": ["A104", "A105"], "actual": "A101", "ok": False}]}


def _errors(tmp_path: Path, old: str, new: str) -> list[str]:
    text = STANDARD.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "s.yaml").write_text(text.replace(old, new), encoding="utf-8")
    for name in ("base.yaml", "accounting-non-traditional-base.yaml"):
        (tmp_path / name).write_text((FOLDER / name).read_text("utf-8"), "utf-8")
    with pytest.raises(StandardError) as caught:
        creditrules.compile_standards(tmp_path)
    return [f"{d.code} {d.message}" for d in caught.value.diagnostics if d.code != "W001"]


@pytest.mark.parametrize(("old", "new", "message"), [
    ("      by: course\n", "      by: cours\n",
     "C056 kind 'course_training' has no text attribute 'cours' naming a course (did you mean 'course'?); 'by' reads "
     "the course each record counts toward"),
    ("        A105: {per: 18}\n", "        A106: {per: 18}\n",
     "C056 'A106' is not a course of this rule's grant (did you mean 'A105'?)"),
    ("      by: course\n", "",
     "C056 'targets' sets each course's own ratio when records add up 'by' course; add 'by'"),
])
def test_c056(tmp_path, old, new, message):
    assert _errors(tmp_path, old, new) == [message]


def _expected(records: list[tuple[float, str]]) -> int:
    """Independently: per course, hours / per rounded down to 0.5, at most 3, whole course if it reaches it."""
    per = {"A104": Decimal(10), "A105": Decimal(18)}
    needed = {"A104": 200, "A105": 300}
    total = 0
    for course in ("A104", "A105"):
        hours = sum((Decimal(repr(float(h))) for h, c in records if c == course), Decimal(0))
        steps = (hours / per[course] / Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR)
        credits = min(int(steps) * 50, 300)
        if hours and credits >= needed[course]:
            total += needed[course]
    return min(total, 1000)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 40), st.sampled_from(["A104", "A105", "A101"])), max_size=6),
       st.randoms(use_true_random=False))
def test_per_course_sums_match_an_independent_reading_whatever_the_order(standard, records, rnd):
    learner = {"id": "L", "achievements": [record(f"T{i}", h, c) for i, (h, c) in enumerate(records)]}
    decision = creditrules.evaluate(standard, learner, AS_OF)
    assert decision.total_centi == _expected(records)
    shuffled = dict(learner, achievements=list(learner["achievements"]))
    rnd.shuffle(shuffled["achievements"])
    assert creditrules.evaluate(standard, shuffled, AS_OF).to_json() == decision.to_json()
    assert json.loads(decision.to_json())["total"] * 100 == decision.total_centi
