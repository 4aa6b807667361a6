"""Catalogue attributes: values a code fixes for every record, read from the catalog when a record leaves
them out, and a record that contradicts them rejected with its reason (reason code ``catalog-mismatch``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

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
