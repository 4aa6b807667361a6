"""Limits the policies use (issue 9, item 4): awards per category, and credits or awards of a group of rules.
Each is one class in creditrules.limits; the brute force of test_properties.py reads them independently."""

from __future__ import annotations

from pathlib import Path

import pytest

import creditrules
from creditrules.errors import StandardError
from creditrules.limits import AWARD_LIMITS, LIMIT_KINDS, CategoryCountLimit, RuleGroupCountLimit

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2025-06-30"
SAMPLE = ROOT / "standards" / "yangtze-delta" / "computer-application.yaml"
BASE = ROOT / "standards" / "yangtze-delta" / "base.yaml"
COMPETITIONS = [
    {"id": f"K{i}", "code": "COMP-VOC", "tier": tier, "award": "一等奖", "event": f"赛项{i}",
     "organizer": "government", "obtained": "2025-01-01", "verified": True}
    for i, tier in enumerate(["国家级", "国家级", "省级"], start=1)]


def _compile(tmp_path: Path, limits_yaml: str) -> creditrules.CompiledStandard:
    text = SAMPLE.read_text(encoding="utf-8")
    assert "\nlimits:\n" not in text
    (tmp_path / "s.yaml").write_text(text + "\n" + limits_yaml, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    return creditrules.compile_standards(tmp_path)["yrd-computer-application"]


def _decide(standard: creditrules.CompiledStandard) -> creditrules.Decision:
    return creditrules.evaluate(standard, {"id": "L1", "achievements": COMPETITIONS}, AS_OF)


def test_without_the_limits_all_three_competitions_count(tmp_path):
    decision = _decide(_compile(tmp_path, "limits: {}\n"))
    assert [a.rule for a in decision.awards] == ["competition-national", "competition-national",
                                                 "competition-provincial"]


def test_a_rule_group_count_stops_the_third_award_and_says_so(tmp_path):
    standard = _compile(tmp_path, """limits:
  rule_groups:
    - {id: competitions, name_zh: 竞赛类认定合计, name_en: Competition awards together,
       rules: [competition-national, competition-provincial], max_count: 2}
""")
    decision = _decide(standard)
    assert [a.achievements for a in decision.awards] == [("K1",), ("K2",)]
    unused = decision.to_dict()["unused"]
    assert unused[0]["candidate"]["limit"] == {
        "limit": {"kind": "rule-group-count", "group": "competitions"}, "max": 2, "room": 0, "asked": 1}
    assert creditrules.Decision.from_json(decision.to_json()) == decision
    ruleset = standard.ruleset_for(decision.as_of)
    assert ("rule competition-provincial was stopped by the count limit of “Competition awards together” "
            "(max 2, 0 left)") in creditrules.render_text(decision, ruleset, "en")
    assert "规则 competition-provincial 受限额 “竞赛类认定合计”认定次数上限 限制（上限 2，剩余 0）" in \
        creditrules.render_text(decision, ruleset, "zh")


def test_a_rule_group_credit_cap_cuts_a_category_award(tmp_path):
    standard = _compile(tmp_path, """limits:
  rule_groups:
    - {id: competitions, name_zh: 竞赛类认定合计, name_en: Competition awards together,
       rules: [competition-national, competition-provincial], max_credits: 9}
""")
    decision = _decide(standard)
    assert decision.total == 9
    capped = [a for a in decision.awards if a.capped_by is not None]
    assert [(a.rule, a.credits, a.capped_by.to_dict()) for a in capped] == [
        ("competition-provincial", 1,
         {"limit": {"kind": "rule-group", "group": "competitions"}, "max": 9, "room": 1, "asked": 2})]
    back = creditrules.Decision.from_json(decision.to_json())  # the limit reads back: kind and group
    assert back == decision and back.to_json() == decision.to_json()


def test_a_category_count_limit_counts_awards_into_the_category(tmp_path):
    standard = _compile(tmp_path, "limits:\n  category_counts:\n    elective: {max_count: 1}\n")
    decision = _decide(standard)
    assert [(a.rule, a.achievements) for a in decision.awards] == [("competition-national", ("K1",))]
    ruleset = standard.ruleset_for(decision.as_of)
    assert "stopped by the count limit on awards into Electives (max 1, 0 left)" in \
        creditrules.render_text(decision, ruleset, "en")
    assert "受限额 选修课认定次数上限 限制（上限 1，剩余 0）" in creditrules.render_text(decision, ruleset, "zh")


@pytest.mark.parametrize(("limits", "message"), [
    ("limits:\n  category_counts:\n    electives: {max_count: 1}\n",
     "C050 unknown category 'electives' (did you mean 'elective'?)"),
    ("limits:\n  rule_groups:\n    - {id: g, name_zh: 组, name_en: g, rules: [competition-nationl], max_count: 1}\n",
     "C055 unknown rule 'competition-nationl' (did you mean 'competition-national'?)"),
])
def test_references_of_the_new_limits_are_checked(tmp_path, limits, message):
    with pytest.raises(StandardError) as caught:
        _compile(tmp_path, limits)
    assert [f"{d.code} {d.message}" for d in caught.value.diagnostics if d.code != "W001"] == [message]


def test_a_rule_group_needs_a_limit(tmp_path):
    with pytest.raises(StandardError) as caught:
        _compile(tmp_path, "limits:\n  rule_groups:\n    - {id: g, name_zh: 组, name_en: g, rules: [web-core]}\n")
    assert [d.code for d in caught.value.diagnostics if d.code != "W001"] == ["E100"]
    assert any("a rule group needs 'max_credits', 'max_count' or both" in d.message for d in caught.value.diagnostics)


def test_each_award_limit_is_one_class_that_answers_everything():
    for limit_class in AWARD_LIMITS:
        assert limit_class in LIMIT_KINDS
        assert limit_class.compile is not None and limit_class.charged is not None and limit_class.yaml_key
    assert CategoryCountLimit("x").to_dict() == {"kind": "category-count", "category": "x"}
    assert RuleGroupCountLimit("g", frozenset({"r"})).display_id == "rule-group-count:g"


def test_a020_an_award_limit_that_can_never_bind(tmp_path):
    text = (ROOT / "standards" / "yangtze-delta" / "credit-by-exam.yaml").read_text(encoding="utf-8")
    (tmp_path / "s.yaml").write_text(text.replace("foundation: {max_count: 2}", "foundation: {max_count: 3}"),
                                     encoding="utf-8")
    for name in ("base.yaml", "accounting-non-traditional-base.yaml"):
        (tmp_path / name).write_text((ROOT / "standards" / "yangtze-delta" / name).read_text("utf-8"), "utf-8")
    found = [d for d in creditrules.validate([tmp_path]) if d.code == "A020"]
    assert [d.message for d in found] == [
        "category-count:foundation (3 awards) never binds: the rules it applies to can make at most 3 awards"]


# ---------------------------------------------------------------- item 9: every limit that stopped a candidate

def test_every_limit_that_stops_a_candidate_is_named(tmp_path):
    standard = _compile(tmp_path, "limits:\n  kinds:\n    competition: {max_count: 1}\n")
    same_event = [{**record, "tier": "省级", "event": "云计算赛项"} for record in COMPETITIONS[:2]]
    decision = creditrules.evaluate(standard, {"id": "L1", "achievements": same_event}, AS_OF)
    assert [a.achievements for a in decision.awards] == [("K1",)]
    candidate = decision.to_dict()["unused"][0]["candidate"]
    assert candidate["limit"] == {"limit": {"kind": "kind-count", "achievement_kind": "competition"},
                                  "max": 1, "room": 0, "asked": 1}
    assert candidate["also_limits"] == [{"limit": {"kind": "group", "group": "same-competition",
                                                   "value": "云计算赛项"}, "max": 1, "room": 0, "asked": 1}]
    ruleset = standard.ruleset_for(decision.as_of)
    en = creditrules.render_text(decision, ruleset, "en")
    zh = creditrules.render_text(decision, ruleset, "zh")
    assert ("  ✗ K2 (COMP-VOC): rule competition-provincial was stopped by the count limit on Skills competition "
            "(max 1, 0 left), and by “the same competition event counts once” (云计算赛项) (max 1, 0 left)") in en, en
    assert ("规则 competition-provincial 受限额 技能竞赛可计数量 限制（上限 1，剩余 0），"
            "并受限额 “同一赛项只认定一次”（云计算赛项） 限制（上限 1，剩余 0）") in zh, zh
