"""The static analysis says true things: regions agree with the evaluator's own condition checks,
and what A001/A002 claim about a pair of rules is what the evaluator then does."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import creditrules
from creditrules.compiled import AttributeInfo
from creditrules.conditions import CompiledCondition
from creditrules.regions import AllBut, Finite, Interval, SlotRegion, Window, full, of_condition

ROOT = Path(__file__).resolve().parents[1]
INVALID = ROOT / "tests" / "invalid"
AS_OF = date(2025, 6, 30)


# ---------------------------------------------------------------- regions against CompiledCondition.check

NUMBER = AttributeInfo("number", min=0.0, max=100.0)
numbers = st.sampled_from([0.0, 2.5, 3.0, 3.6, 4.0, 4.4, 10.0, 60.0, 99.0, 100.0])
number_conditions = st.one_of(
    st.builds(lambda op, v: CompiledCondition("x", op, v, v), st.sampled_from(["eq", "ne", "ge", "gt", "le", "lt"]),
              numbers),
    st.builds(lambda op, vs: CompiledCondition("x", op, frozenset(vs), vs), st.sampled_from(["in", "not_in"]),
              st.lists(numbers, min_size=1, max_size=3)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(number_conditions, min_size=1, max_size=3), numbers)
def test_number_region_admits_what_the_conditions_accept(conditions, value):
    region = full(NUMBER, {})
    for condition in conditions:
        region = of_condition(condition, region)
    accepted = all(c.check(value, AS_OF) for c in conditions)
    assert region.admits(value) == accepted
    if accepted:
        assert not region.empty()
    for example in region.examples():
        assert all(c.check(example, AS_OF) for c in conditions)


@settings(max_examples=200, deadline=None)
@given(st.lists(number_conditions, min_size=1, max_size=2), st.lists(number_conditions, min_size=1, max_size=2))
def test_number_region_within_is_sound(first, second):
    a, b = full(NUMBER, {}), full(NUMBER, {})
    for c in first:
        a = of_condition(c, a)
    for c in second:
        b = of_condition(c, b)
    if a.within(b):
        probes = [v / 10 for v in range(0, 1001, 5)] + [3.6, 4.4]
        assert all(b.admits(v) for v in probes if a.admits(v))


@settings(max_examples=300, deadline=None)
@given(st.lists(number_conditions, max_size=2), st.lists(number_conditions, max_size=2),
       st.sampled_from([("A",), ("A", "B"), ("B",)]), st.booleans())
def test_intersects_is_meet_without_building_it(first, second, codes, other_type):
    """SlotRegion.intersects, which the grouped A001 asks for every pair of classes, answers as meet does."""
    def slot(conditions: list[CompiledCondition], codes: tuple[str, ...], info: AttributeInfo) -> SlotRegion:
        region = full(info, {})
        for condition in conditions:
            region = of_condition(condition, region)
        return SlotRegion(frozenset(codes), {"x": region} if conditions else {}, {"x": info} if conditions else {},
                          {}, {"x": False})
    a = slot(first, ("A",), NUMBER)
    b = slot(second, codes, AttributeInfo("text") if other_type and second else NUMBER)
    assert a.intersects(b) == (a.meet(b) is not None) == b.intersects(a)


dates = st.dates(min_value=date(2015, 1, 1), max_value=AS_OF)
date_conditions = st.one_of(
    st.builds(lambda op, d: CompiledCondition("obtained", op, d, d), st.sampled_from(["on_or_after", "before"]),
              dates),
    st.builds(lambda m: CompiledCondition("obtained", "within_months", m, m), st.integers(1, 120)),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(date_conditions, min_size=1, max_size=3))
def test_an_empty_date_window_accepts_no_date(conditions):
    region = full(AttributeInfo("date"), {})
    for condition in conditions:
        region = of_condition(condition, region)
    if region.empty():
        for day in (date(2015, 1, 1), date(2020, 6, 1), date(2024, 12, 31), AS_OF):
            assert not all(c.check(day, AS_OF) for c in conditions)


def test_region_basics():
    assert Interval(1, 2).meet(Interval(2, 3)) == Interval(2, 2)
    assert not Interval(1, 2).meet(Interval(2, 3)).empty()
    assert Interval(1, 2, hi_open=True).meet(Interval(2, 3)).empty()
    assert Interval(2, 3).within(Interval(1, 4)) and not Interval(1, 4).within(Interval(2, 3))
    assert not Interval(0, 10).within(Interval(0, 10, excluded=frozenset({5.0})))
    assert Interval(0, math.inf).examples() == [0]
    assert Finite(frozenset({1, 2})).meet(Interval(lo=2)) == Finite(frozenset({2}))
    assert AllBut(frozenset({"a"})).meet(Finite(frozenset({"a", "b"}))) == Finite(frozenset({"b"}))
    assert AllBut(frozenset({"a", "b"})).within(AllBut(frozenset({"a"})))
    assert AllBut().examples() == ["other"] and AllBut(frozenset({"other"})).examples() == ["other-2"]
    assert Window(months=12).within(Window(months=36)) and not Window(months=36).within(Window(months=12))
    assert Window(date(2025, 1, 1), date(2024, 1, 1)).empty()


# ---------------------------------------------------------------- the claims, checked by evaluating

def _awards(path: Path, achievements: list[dict]) -> list[tuple[str, tuple[str, ...], str | None]]:
    library = creditrules.compile_standards(path)
    decision = creditrules.evaluate(library["test-conversion"], {"id": "L1", "achievements": achievements}, AS_OF)
    return [(a.rule, tuple(c.code for c in a.courses), a.grade) for a in decision.awards]


def _without_header(path: Path) -> str:
    return "\n".join(line for line in path.read_text(encoding="utf-8").split("\n") if not line.startswith("# expect"))


ADVANCED_WEB = {"id": "A1", "code": "X-WEB", "level": "高级", "obtained": "2024-06-01"}


def test_a001_the_order_of_the_rules_decides(tmp_path: Path):
    source = INVALID / "analysis-competition.yaml"
    assert ("web-advanced", ("C201",), "优秀") in _awards(source, [ADVANCED_WEB])
    text = _without_header(source)
    first = text.index("  - id: web-advanced")
    second = text.index("  - id: web-core")
    third = text.index("  - id: cloud-core")
    swapped = text[:first] + text[second:third] + text[first:second] + text[third:]
    path = tmp_path / "swapped.yaml"
    path.write_text(swapped, encoding="utf-8")
    assert ("web-core", ("C201",), "良好") in _awards(path, [ADVANCED_WEB])
    # written the other way round, the advanced rule is never awarded at all: A002, not A001
    assert [d.code for d in creditrules.validate([path]) if d.code.startswith("A")] == ["A002"]


def test_a001_is_silenced_by_a_priority(tmp_path: Path):
    text = _without_header(INVALID / "analysis-competition.yaml").replace(
        "    grant: {courses: [C201], grade: 优秀}\n", "    grant: {courses: [C201], grade: 优秀}\n    priority: 1\n")
    path = tmp_path / "priority.yaml"
    path.write_text(text, encoding="utf-8")
    assert not any(d.code == "A001" for d in creditrules.validate([path]))


def test_a002_the_subsumed_rule_is_never_awarded():
    source = INVALID / "analysis-subsumed.yaml"
    for level in ("中级", "高级"):
        awards = _awards(source, [{**ADVANCED_WEB, "level": level}])
        assert [(a[0], a[1]) for a in awards] == [("web-core", ("C201",))]
    for rank in (1, 3, 7):
        awards = _awards(source, [{"id": "C1", "code": "COMP", "rank": rank, "obtained": "2024-06-01"}])
        assert [a[0] for a in awards] == ["comp-top"]


def test_a003_the_shadowed_rule_is_a_fallback(tmp_path: Path):
    source = INVALID / "analysis-shadowed.yaml"
    assert _awards(source, [ADVANCED_WEB]) == [("web-core", ("C201", "C202"), None)]
    # when C202 goes to another award first, the shadowed rule is what the learner gets
    text = _without_header(source) + """  - id: database
    name_zh: 云计算证书替代数据库应用
    name_en: Cloud certificate replaces Database applications
    when: {code: X-CLOUD}
    grant: {courses: [C202]}
    priority: 1
"""
    path = tmp_path / "fallback.yaml"
    path.write_text(text, encoding="utf-8")
    cloud = {"id": "A2", "code": "X-CLOUD", "level": "中级", "obtained": "2024-06-01"}
    assert sorted(_awards(path, [ADVANCED_WEB, cloud])) == [("database", ("C202",), None),
                                                           ("web-advanced", ("C201",), None)]


def test_the_sample_standards_have_no_findings():
    assert creditrules.validate([ROOT / "standards"]) == []
