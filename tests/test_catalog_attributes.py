"""Catalogue attributes: values a code fixes for every record, read from the catalog when a record leaves
them out, and a record that contradicts them rejected with its reason (reason code ``catalog-mismatch``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import creditrules
from creditrules.learner import learner_from_dict

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def worker() -> object:
    return creditrules.compile_standards(ROOT / "standards")["ah-worker-cnc"]


def _decide(standard: object, *achievements: dict[str, object]) -> creditrules.Decision:
    learner = learner_from_dict({"id": "W", "achievements": [
        {"obtained": "2024-06-01", "verified": True, **a} for a in achievements]})
    return creditrules.evaluate(standard, learner, as_of=date(2025, 6, 30))  # type: ignore[arg-type]


def test_a_record_that_contradicts_the_catalogue_is_rejected_with_the_reason_in_both_languages(worker: object):
    decision = _decide(worker, {"id": "K2", "code": "SKILL-CNC-MILL", "level": "三级/高级工", "field": "电气"})
    assert [r.to_dict() for r in decision.rejected] == [{
        "achievement": "K2", "code": "SKILL-CNC-MILL", "reason_code": "catalog-mismatch",
        "reason": "'field' is '电气', but the catalog of standard 'ah-worker-cnc' says every SKILL-CNC-MILL has "
                  "field 数控加工; correct the record or its code",
        "reason_zh": "'field' 为 '电气'，但标准 'ah-worker-cnc' 的目录规定 SKILL-CNC-MILL 的 field 均为 数控加工；"
                     "请更正记录或其代码"}]
    assert decision.awards == ()


def test_a_record_may_leave_out_or_repeat_what_the_catalogue_fixes(worker: object):
    left_out = _decide(worker, {"id": "K1", "code": "SKILL-CNC-LATHE", "level": "四级/中级工"})
    repeated = _decide(worker, {"id": "K1", "code": "SKILL-CNC-LATHE", "level": "四级/中级工", "field": "数控加工"})
    for decision in (left_out, repeated):
        assert [(a.rule, [c.code for c in a.courses]) for a in decision.awards] == [("cnc-intermediate", ["N202"])]
        assert decision.rejected == ()


def test_a_code_whose_fixed_values_fail_a_slot_is_not_taken_by_it(worker: object):
    ruleset = worker.segments[0]  # type: ignore[attr-defined]
    rule = ruleset.rule("cnc-intermediate")
    assert rule.slots[0].codes == frozenset({"SKILL-CNC-LATHE", "SKILL-CNC-MILL"})
    decision = _decide(worker, {"id": "R3", "code": "SKILL-AGRONOMY", "level": "四级/中级工"})
    assert [(u.achievement, u.reason) for u in decision.unused] == [("R3", "no-rule")]


LEVELS = ["五级/初级工", "四级/中级工", "三级/高级工", "二级/技师"]
FIELDS = {"SKILL-CNC-LATHE": "数控加工", "SKILL-CNC-MILL": "数控加工", "SKILL-ELEC": "电气"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(sorted(FIELDS)), st.sampled_from(LEVELS), st.booleans()), max_size=5))
def test_leaving_out_or_repeating_a_fixed_value_never_changes_a_decision(worker: object,
                                                                        records: list[tuple[str, str, bool]]):
    """The allocation sees the same facts whether a record repeats what the catalogue fixes or not."""
    def decide(repeat: bool) -> creditrules.Decision:
        return _decide(worker, *({"id": f"K{i}", "code": code, "level": level, **({"field": FIELDS[code]}
                                                                                   if repeat or mine else {})}
                                 for i, (code, level, mine) in enumerate(records)))
    left_out, repeated = decide(False), decide(True)
    assert left_out.total == repeated.total
    assert [(a.rule, a.achievements, a.credits) for a in left_out.awards] == \
        [(a.rule, a.achievements, a.credits) for a in repeated.awards]
    assert left_out.rejected == repeated.rejected == ()
