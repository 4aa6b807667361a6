"""The rebuilt evaluation core: typed limits, typed targets, when_all as an assignment problem,
certified outcomes only from certification, ids that may hold any character, output linear in input."""

from __future__ import annotations

import itertools
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import creditrules
from creditrules.limits import (
    LIMIT_KINDS,
    AchievementLimit,
    BudgetLimit,
    CategoryCountLimit,
    CategoryLimit,
    GroupLimit,
    KindCountLimit,
    RuleCreditLimit,
    RuleGroupCountLimit,
    RuleGroupCreditLimit,
    RuleUsesLimit,
    TotalLimit,
)
from creditrules.matching import MAX_COMBINATIONS, slot_bindings
from creditrules.render import _Names

ROOT = Path(__file__).resolve().parents[1]


LIBRARY = creditrules.compile_standards(ROOT / "standards")


@pytest.fixture(scope="module")
def library() -> creditrules.CompiledLibrary:
    return LIBRARY


# ---------------------------------------------------------------- typed limits

EVERY_LIMIT = [TotalLimit(), CategoryLimit("elective"), RuleCreditLimit("r1"), RuleUsesLimit("r1"),
               AchievementLimit("A1"), KindCountLimit("x_certificate"), GroupLimit("same-competition", "云计算赛项"),
               CategoryCountLimit("elective"), RuleGroupCreditLimit("g", frozenset({"r1"})),
               RuleGroupCountLimit("g", frozenset({"r1"})), BudgetLimit("b", "共享", "shared")]


def test_every_kind_of_limit_is_listed_once():
    assert sorted(type(limit).__name__ for limit in EVERY_LIMIT) == sorted(k.__name__ for k in LIMIT_KINDS)


def test_limits_serialise_as_typed_fields_not_text_keys():
    assert [limit.to_dict() for limit in EVERY_LIMIT] == [
        {"kind": "total"}, {"kind": "category", "category": "elective"}, {"kind": "rule", "rule": "r1"},
        {"kind": "rule-uses", "rule": "r1"}, {"kind": "achievement", "achievement": "A1"},
        {"kind": "kind-count", "achievement_kind": "x_certificate"},
        {"kind": "group", "group": "same-competition", "value": "云计算赛项"},
        {"kind": "category-count", "category": "elective"}, {"kind": "rule-group", "group": "g"},
        {"kind": "rule-group-count", "group": "g"}, {"kind": "budget", "budget": "b"}]
    assert [limit.counted for limit in EVERY_LIMIT] == [False, False, False, True, False, True, True, True, False,
                                                        True, False]


def test_limits_word_themselves_in_both_languages(library):
    ruleset = library["yrd-computer-application"].ruleset_for(creditrules.evaluator.parse_day("2025-06-30"))
    en, zh = _Names(ruleset, "en"), _Names(ruleset, "zh")
    assert [limit.label(en) for limit in EVERY_LIMIT] == [
        "total converted credits", "the limit on Electives", "rule r1's maximum credits", "rule r1's maximum uses",
        "the per-achievement limit (A1)", "the count limit on 1+X vocational skill level certificate",
        "“the same competition event counts once” (云计算赛项)", "the count limit on awards into Electives",
        "the credit limit of “g”", "the count limit of “g”", "the shared budget “shared”"]
    assert [limit.label(zh) for limit in EVERY_LIMIT] == [
        "转换学分总额", "选修课限额", "规则 r1 的学分上限", "规则 r1 的使用次数上限", "单项成果学分上限（A1）",
        "1+X职业技能等级证书可计数量", "“同一赛项只认定一次”（云计算赛项）", "选修课认定次数上限", "“g”学分上限",
        "“g”认定次数上限", "共享限额“共享”"]


def test_equal_limits_are_one_capacity():
    assert GroupLimit("g", "a:b") == GroupLimit("g", "a:b") != GroupLimit("g:a", "b")
    assert len({CategoryLimit("x"), CategoryLimit("x"), RuleCreditLimit("x")}) == 2


# ---------------------------------------------------------------- when_all as an assignment

def product_sets(per_slot: list[frozenset[int]]) -> dict[frozenset[int], tuple[int, ...]]:
    """The old enumeration: every tuple, distinct items, each set once in its first slot order."""
    found: dict[frozenset[int], tuple[int, ...]] = {}
    for combo in itertools.product(*(sorted(s) for s in per_slot)):
        if len(set(combo)) == len(combo):
            found.setdefault(frozenset(combo), combo)
    return found


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 7).flatmap(lambda items: st.tuples(
    st.just(items), st.lists(st.frozensets(st.integers(0, items - 1)), min_size=1, max_size=5))))
def test_slot_bindings_are_the_sets_every_tuple_gives(case):
    items, per_slot = case
    found, complete = slot_bindings(items, per_slot)
    expected = product_sets(per_slot)
    assert complete
    assert {frozenset(b): b for b in found} == expected
    assert [tuple(sorted(b)) for b in found] == sorted(tuple(sorted(b)) for b in found), "smallest ids first"


def test_ten_equal_slots_and_nine_records_are_decided_at_once():
    per_slot = [frozenset(range(9))] * 10
    assert slot_bindings(9, per_slot) == ([], True)


def test_ten_equal_slots_and_twenty_records_stop_at_the_combination_limit():
    found, complete = slot_bindings(20, [frozenset(range(20))] * 10)
    assert not complete and len(found) == MAX_COMBINATIONS
    assert found[0] == tuple(range(10)) and found[1] == (0, 1, 2, 3, 4, 5, 6, 7, 8, 10)


def test_slots_that_need_different_records_skip_dead_ends_quickly():
    # five slots take only records 0-49, five only records 50-54: the first sets in id order
    # (all from 0-49) are infeasible, and the search must not try them one by one
    per_slot = [frozenset(range(50))] * 5 + [frozenset(range(50, 55))] * 5
    found, complete = slot_bindings(55, per_slot)
    assert not complete and len(found) == MAX_COMBINATIONS
    assert found[0] == (0, 1, 2, 3, 4, 50, 51, 52, 53, 54)


# ---------------------------------------------------------------- certified outcomes

def test_a_raw_record_cannot_claim_a_certified_outcome(library):
    learner = {"id": "L1", "achievements": [
        {"id": "F1", "code": "ELD-CERT-ARTS", "obtained": "2025-01-01", "verified": True, "credits": 9}]}
    decision = creditrules.evaluate(library["ah-senior-arts-certificate"], learner, "2025-06-30")
    assert decision.total_centi == 0
    assert [(r.achievement, r.reason, r.reason_zh) for r in decision.rejected] == [(
        "F1", "code 'ELD-CERT-ARTS' is a certified outcome of standard 'ah-elderly-cert': only certification "
        "issues it, so a record cannot claim it; submit the achievements it certifies instead",
        "代码 'ELD-CERT-ARTS' 是标准 'ah-elderly-cert' 认证的成果，只能经认证产生，记录不得直接申报；请提交被认证的原始成果")]
    assert decision.unused == ()
    assert decision.rejected[0].to_dict()["reason_code"] == "forged-outcome"


def test_every_record_rejection_carries_a_stable_code(library):
    """Systems match on the code; people read the reason in their language."""
    learner = {"id": "L1", "achievements": [
        {"id": "R1", "code": "X-WEB", "level": "中级", "obtained": "2024/06/01"},
        {"id": "R2", "code": "X-WEB", "level": "特级", "obtained": "2024-06-01"},
        {"id": "R3", "code": "X-WEB", "level": "中级", "obtained": "2099-01-01"},
        {"id": "R4", "obtained": "2024-06-01"},
        {"code": "X-WEB", "obtained": "2024-06-01"}]}
    decision = creditrules.evaluate(library["yrd-computer-application"], learner, "2025-06-30")
    assert [(r.achievement, r.reason_code) for r in decision.rejected] == [
        ("#5", "no-id"), ("R1", "date"), ("R2", "not-level"), ("R3", "future"), ("R4", "bad-code")]
    assert all(r.reason and r.reason_zh for r in decision.rejected)


# ---------------------------------------------------------------- ids are opaque

ENGINE_CHARACTERS = ":@+→#'/|\\,;="  # what the engine once built keys from (spaces are trimmed from ids)


def _student(ids: list[str]) -> dict[str, Any]:
    """Four different records, so which wins never hangs on how their ids sort."""
    records = [{"code": "X-WEB", "level": "中级"}, {"code": "X-BIGDATA", "level": "高级"},
               {"code": "X-CLOUD", "level": "初级"}, {"code": "UNI-DB", "score": 82, "credits": 4}]
    return {"id": "L1", "achievements": [{"id": ident, **record, "obtained": "2025-01-01", "verified": True}
                                         for ident, record in zip(ids, records)]}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=ENGINE_CHARACTERS + "A1c", min_size=1, max_size=12), min_size=4, max_size=4,
                unique=True))
def test_ids_made_of_the_engines_own_characters_change_nothing(ids):
    standard = LIBRARY["yrd-computer-application"]
    plain = creditrules.evaluate(standard, _student(["A1", "A2", "A3", "A4"]), "2025-06-30")
    odd = creditrules.evaluate(standard, _student(ids), "2025-06-30")
    rename = dict(zip(["A1", "A2", "A3", "A4"], ids))
    assert odd.total == plain.total
    assert sorted((a.rule, tuple(sorted(rename[x] for x in a.achievements))) for a in plain.awards) == \
        sorted((a.rule, a.achievements) for a in odd.awards)
    listed = {x for a in odd.awards for x in a.achievements} | {u.achievement for u in odd.unused}
    assert listed == set(ids), "every record is awarded or says why not"


def test_a_record_named_like_a_certified_outcome_keeps_both(library):
    """The certified outcome of E1 would be called ``ah-elderly-cert:cert-arts:E1``; a record may
    already carry that id, and then the outcome takes another, so neither hides the other."""
    def course(ident: str, hours: int, field: str = "文化艺术") -> dict[str, Any]:
        return {"id": ident, "code": "ELD-COURSE", "course": "书法", "field": field, "hours": hours,
                "attendance": 95, "obtained": "2025-01-01", "verified": True}

    alone = creditrules.evaluate(library["ah-senior-arts-certificate"],
                                 {"id": "L1", "achievements": [course("E1", 72)]}, "2025-06-30")
    assert [a.achievements for a in alone.awards] == [("ah-elderly-cert:cert-arts:E1",)]
    both = creditrules.evaluate(library["ah-senior-arts-certificate"], {"id": "L1", "achievements": [
        course("E1", 72), course("ah-elderly-cert:cert-arts:E1", 4, "生活技能")]}, "2025-06-30")
    assert [a.achievements for a in both.outcomes] == [("E1",)]
    assert [a.achievements for a in both.awards] == [("ah-elderly-cert:cert-arts:E1'",)]
    assert [(u.achievement, u.reason) for u in both.unused] == [("ah-elderly-cert:cert-arts:E1", "too-little")]


# ---------------------------------------------------------------- output size

def test_decision_json_grows_linearly_with_records_that_lose_to_a_cap(library):
    """An aggregate of N records stopped by the total cap: each unused record names the award
    it would have been part of, not the N records of that award (which made the JSON N²)."""
    standard = library["yrd-computer-application"]

    def size(n: int) -> int:
        achievements = [{"id": f"C{i}", "code": "COMP-VOC", "tier": "国家级", "award": "一等奖", "event": f"赛项{i}",
                         "organizer": "government", "obtained": "2025-01-01", "verified": True} for i in range(20)]
        achievements += [{"id": f"T{i}", "code": "TRAIN-EXT", "hours": 16, "obtained": "2025-01-01",
                          "verified": True} for i in range(n)]
        decision = creditrules.evaluate(standard, {"id": "L", "achievements": achievements}, "2025-06-30",
                                        trace="compact")
        assert [u.reason for u in decision.unused][-n:] == ["limit"] * n
        return len(decision.to_json().encode())

    small, middle, large = size(50), size(100), size(200)
    assert (large - middle) / 100 == pytest.approx((middle - small) / 50, rel=0.05)


def test_an_unused_record_names_its_lost_award_without_the_others(library):
    standard = library["yrd-computer-application"]
    achievements = [{"id": f"C{i}", "code": "COMP-VOC", "tier": "国家级", "award": "一等奖", "event": f"赛项{i}",
                     "organizer": "government", "obtained": "2025-01-01", "verified": True} for i in range(20)]
    achievements += [{"id": "T1", "code": "TRAIN-EXT", "hours": 40, "obtained": "2025-01-01", "verified": True}]
    decision = creditrules.evaluate(standard, {"id": "L", "achievements": achievements}, "2025-06-30")
    data = json.loads(decision.to_json())
    assert [u for u in data["unused"] if u["achievement"] == "T1"] == [{
        "achievement": "T1", "code": "TRAIN-EXT", "reason": "limit",
        "candidate": {"rule": "external-training", "target": {"category": "elective"}, "credits": 2.5,
                      "outcome": "limit",
                      "limit": {"limit": {"kind": "total"}, "max": 50, "room": 0, "asked": 2.5}}}]


# ---------------------------------------------------------------- JSON bytes

def test_decision_json_is_json_dumps_byte_for_byte(library):
    """Decision.to_json writes with orjson; the bytes must be exactly what json.dumps writes."""
    learners = [creditrules.load_learner(path) for path in sorted((ROOT / "examples").glob("*.yaml"))]
    standards = ["yrd-computer-application", "ah-worker-cnc", "ah-farmer-agri", "ah-senior-arts-certificate"]
    checked = 0
    for learner in learners:
        for standard_id in standards:
            for trace in ("full", "compact", "none"):
                decision = creditrules.evaluate(library[standard_id], learner, "2025-06-30", trace=trace)
                assert decision.to_json() == json.dumps(decision.to_dict(), ensure_ascii=False, indent=2) + "\n"
                checked += 1
    assert checked == 48


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False,
                    allow_infinity=False) | st.text(), lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=12))
def test_indented_json_is_json_dumps_for_any_value(value):
    from creditrules.jsontext import indented_json
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_every_rejection_code_is_documented():
    from creditrules.learner import _REASONS
    doc = (ROOT / "docs" / "learner-format.md").read_text(encoding="utf-8")
    assert [code for code in _REASONS if code != "unknown-code" and f"`{code}`" not in doc] == []


# ---------------------------------------------------------------- found in review

@pytest.mark.parametrize("as_of, message", [
    (datetime(2025, 6, 30, 8, 0), "as-of date: a date and time is not a date; write the day as YYYY-MM-DD, "
                                  "e.g. 2024-09-01"),
    (20250630, "as-of date: 20250630 is not a date; write 2025-06-30"),
    (b"2025-06-30", "as-of date: bytes is not a date; write the day as YYYY-MM-DD, e.g. 2024-09-01"),
    ("2025-W26-1", "as-of date: '2025-W26-1' is a week date; write the day as YYYY-MM-DD, e.g. 2024-09-01"),
])
def test_an_as_of_that_is_not_a_day_is_a_clear_error(library, as_of, message):
    with pytest.raises(creditrules.CreditRulesError) as info:
        creditrules.evaluate(library["yrd-computer-application"], _student(["A1", "A2", "A3", "A4"]), as_of)
    assert str(info.value) == message


def test_exactly_the_combination_limit_is_complete():
    assert slot_bindings(MAX_COMBINATIONS, [frozenset(range(MAX_COMBINATIONS))])[1] is True
    found, complete = slot_bindings(MAX_COMBINATIONS + 1, [frozenset(range(MAX_COMBINATIONS + 1))])
    assert (len(found), complete) == (MAX_COMBINATIONS, False)


def test_ids_with_digits_of_other_scripts_sort_without_error(library):
    """'፩' is a digit to str.isdigit but not to the pattern that splits ids into numbers and text."""
    learner = {"id": "L", "achievements": [{"id": ident, "code": "ZZZ", "obtained": "2024-01-01"}
                                           for ident in ("፩", "x", "A10", "A2", "٣")]}
    decision = creditrules.evaluate(library["yrd-computer-application"], learner, "2025-06-30")
    assert [u.achievement for u in decision.unused] == ["٣", "A2", "A10", "x", "፩"]  # ٣ is the number 3


def test_a_standard_id_that_is_not_text_is_a_key_error(library):
    with pytest.raises(KeyError) as info:
        library[0]
    assert str(info.value) == "no standard 0"  # UnknownStandard: a KeyError that reads as a sentence
