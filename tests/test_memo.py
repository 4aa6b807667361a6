"""The allocation memo (creditrules.memo, creditrules.solve.shape): a remembered answer is always the answer.

A ruleset's plan remembers each competing component's allocation by the component's shape, so
learners who meet the same competition share one search. The promise: a hit returns exactly
what solving would (the chosen set, the path, the nodes), for every problem the brute force
checks, and shapes are equal only for problems that are the same under a renaming.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import example, given, note, settings
from hypothesis import strategies as st

import creditrules
import strategies as S
from creditrules import allocate
from creditrules.allocate import AllocationMemo, Candidate, CountCap, CreditCap
from creditrules.learner import Achievement, facts_for
from creditrules.memo import BoundedMemo
from creditrules.solve.shape import problem_shape
from test_properties import SETTINGS, brute_force_problem, n, problem_candidates

AS_OF = date(2025, 6, 30)


def renamed(problem: dict[str, Any]) -> dict[str, Any]:
    """The same problem with every exclusive thing, owner and counted item called something else."""
    def name(value: str) -> str:
        return f"other-{value[::-1]}"

    cands = [dict(raw, tokens=[(name(t), name(o)) for t, o in raw["tokens"]],
                  counts=[(cap, frozenset(name(i) for i in items)) for cap, items in raw["counts"]])
             for raw in problem["candidates"]]
    return dict(problem, candidates=cands)


SHARED = AllocationMemo()  # one memo across every example, as a worker's plan keeps one across learners


@settings(max_examples=n(300), **SETTINGS)
@given(S.allocation_problems())
def test_a_remembered_allocation_is_the_brute_force_optimum(problem):
    _, placed = brute_force_problem(problem)
    plain = allocate.allocate(*problem_candidates(problem))
    for version in (problem, renamed(problem), problem):
        remembered = allocate.allocate(*problem_candidates(version), memo=SHARED)
        note(f"{remembered} against {plain}")
        assert remembered.chosen == placed
        assert (remembered.paths, remembered.nodes, remembered.components, remembered.searched) == \
               (plain.paths, plain.nodes, plain.components, plain.searched)


def test_a_renamed_competition_is_answered_from_the_memo():
    problem = {"credit_limits": [300], "count_limits": [], "total": 500, "candidates": [
        {"amount": 200, "divisible": False, "tokens": [("t1", "o1")], "shares": [(0, 200)], "counts": []},
        {"amount": 300, "divisible": False, "tokens": [("t1", "o2")], "shares": [(0, 300)], "counts": []},
        {"amount": 100, "divisible": True, "tokens": [("t2", "o3")], "shares": [(0, 100)], "counts": []}]}
    memo = AllocationMemo()
    first = allocate.allocate(*problem_candidates(problem), memo=memo)
    again = allocate.allocate(*problem_candidates(renamed(problem)), memo=memo)
    assert (memo.misses, memo.hits, len(memo)) == (1, 1, 1)
    assert first.chosen == again.chosen == {0: 200, 2: 100}  # 300 either way; the earlier candidate wins the tie


def _cand(amount: int, tokens: tuple[tuple[str, str], ...], shares: tuple[tuple[int, int], ...],
          counts: tuple[tuple[int, frozenset[str]], ...] = ()) -> Candidate:
    return Candidate((amount,), amount, False, tokens, shares, counts)


def test_shapes_differ_when_sharing_differs():
    """Two candidates contesting one thing are not two candidates with a thing each."""
    caps = [CreditCap("c", 500)]
    contested = [_cand(200, (("t", "a"),), ((0, 200),)), _cand(300, (("t", "b"),), ((0, 300),))]
    apart = [_cand(200, (("t", "a"),), ((0, 200),)), _cand(300, (("u", "b"),), ((0, 300),))]
    assert problem_shape(contested, caps, [], None) != problem_shape(apart, caps, [], None)


def test_shapes_differ_when_a_limit_differs():
    cands = [_cand(200, (("t", "a"),), ((0, 200),)), _cand(300, (("t", "b"),), ((0, 300),))]
    assert problem_shape(cands, [CreditCap("c", 500)], [], None) != problem_shape(cands, [CreditCap("c", 400)], [], None)
    counted = [_cand(200, (), (), ((0, frozenset({"x"})),)), _cand(300, (), (), ((0, frozenset({"y"})),))]
    assert problem_shape(counted, [], [CountCap("k", 1)], None) != problem_shape(counted, [], [CountCap("k", 2)], None)


def test_shapes_do_not_depend_on_which_caps_came_first():
    """A cap's number is the order the learner's candidates created it in: renumbered, with its limit."""
    one = [_cand(200, (("t", "a"),), ((0, 200),)), _cand(300, (("t", "b"),), ((0, 300),))]
    other = [_cand(200, (("t", "a"),), ((3, 200),)), _cand(300, (("t", "b"),), ((3, 300),))]
    caps = [CreditCap(f"c{i}", 500) for i in range(4)]
    assert problem_shape(one, caps, [], None) == problem_shape(other, caps, [], None)


def test_a_full_memo_starts_again_and_still_answers():
    memo: BoundedMemo[int] = BoundedMemo(capacity=2)
    memo.put("a", 1)
    memo.put("b", 2)
    memo.put("c", 3)
    assert (memo.get("a"), memo.get("c"), len(memo)) == (None, 3, 1)


def test_decisions_are_the_same_bytes_with_the_memo_warm_or_cold():
    """The first learner fills the memo; a fresh compile (a cold memo) decides the same bytes."""
    learners = [{"id": f"L{n}", "achievements": [
        {"id": f"A{n}-{i}", "code": code, "level": "高级", "obtained": "2025-01-10", "verified": True}
        for i, code in enumerate(("X-WEB", "X-CLOUD", "X-BIGDATA", "X-WEB"))]} for n in range(3)]
    warm = creditrules.compile_standards("standards")["yrd-computer-application"]
    warm_bytes = [creditrules.evaluate(warm, learner, AS_OF).to_json() for learner in learners]
    memo = warm.ruleset_for(AS_OF).plan.allocations
    assert memo.hits >= 2  # the second and third learners met the first one's competition
    for learner, expected in zip(learners, warm_bytes, strict=True):
        cold = creditrules.compile_standards("standards")["yrd-computer-application"]
        assert creditrules.evaluate(cold, learner, AS_OF).to_json() == expected


def test_an_unknown_code_is_explained_the_same_from_the_memo():
    """The reason (with its did-you-mean hint) is worked out once per code and ruleset, then reused."""
    standard = creditrules.compile_standards("standards")["yrd-computer-application"]
    learners = [{"id": name, "achievements": [{"id": "A1", "code": "X-WEBB", "obtained": "2025-01-10"}]}
                for name in ("L1", "L2")]
    first, second = (creditrules.evaluate(standard, learner, AS_OF) for learner in learners)
    assert [u.reason for u in first.unused] == [u.reason for u in second.unused] == ["unknown-code"]
    assert first.unused[0].detail == second.unused[0].detail
    assert "did you mean 'X-WEB'" in first.unused[0].detail
    assert len(standard.ruleset_for(AS_OF).plan.unknown_codes) == 1


TYPING_STANDARD = creditrules.compile_standards("standards")["yrd-computer-application"]
ATTRIBUTE_VALUES = st.one_of(
    st.sampled_from(["初级", "中级", "高级", "中級", " 高级 ", "特级", "省级", "一等奖", "industry", "其他", ""]),
    st.sampled_from([0, 1, 8, 40, True, False, 1.0, 0.0, -0.0, 1e300, 10 ** 20, None]),
    st.lists(st.integers(), max_size=1),
)
EQUAL_IN_PYTHON = st.sampled_from([1, True, 1.0, 0, False, 0.0, -0.0, "1", 40, 40.0])
TYPED_RECORDS = st.lists(st.one_of(
    st.fixed_dictionaries({"code": st.just("TRAIN-EXT"), "hours": EQUAL_IN_PYTHON}),
    st.fixed_dictionaries({"code": st.just("UNI-DB"), "score": EQUAL_IN_PYTHON, "credits": EQUAL_IN_PYTHON}),
    st.fixed_dictionaries(
    {"code": st.sampled_from(["X-WEB", "X-CLOUD", "JS-1X-WEB", "COMP-VOC", "COMP-WORK", "TRAIN-EXT", "UNI-DB"])},
    optional=dict.fromkeys(("level", "field", "tier", "award", "event", "organizer", "score", "credits", "hours"), ATTRIBUTE_VALUES))), min_size=1, max_size=6)


@settings(max_examples=n(200), deadline=None)
@given(TYPED_RECORDS)
@example([{"code": "TRAIN-EXT", "hours": -0.0}, {"code": "TRAIN-EXT", "hours": 0.0}])
@example([{"code": "TRAIN-EXT", "hours": 1}, {"code": "TRAIN-EXT", "hours": True}, {"code": "TRAIN-EXT", "hours": 1.0}])
def test_a_remembered_typing_is_the_typing(records):
    """Records typed from the memo (warm, as later learners of a batch are) equal records typed afresh,
    whatever their values: ``1`` and ``True``, ``0.0`` and ``-0.0`` never share an answer."""
    ruleset = TYPING_STANDARD.ruleset_for(AS_OF)
    achievements = [Achievement(f"A{i}", raw["code"], date(2024, 1, 1), True, None, None,
                                {k: v for k, v in raw.items() if k != "code"}) for i, raw in enumerate(records)]
    warm = facts_for(ruleset, achievements, AS_OF)
    again = facts_for(ruleset, achievements, AS_OF)
    cold: tuple[list[Any], list[Any], list[Any]] = ([], [], [])
    for achievement in achievements:  # each typed with nothing remembered
        ruleset.plan.typings.clear()
        for found, part in zip(cold, facts_for(ruleset, [achievement], AS_OF), strict=True):
            found.extend(part)
    assert warm == again == cold
    assert repr(warm) == repr(again) == repr(cold)  # equal is not enough: 1 == True == 1.0, -0.0 == 0.0


def test_records_with_the_same_code_and_values_are_typed_once():
    standard = creditrules.compile_standards("standards")["yrd-computer-application"]
    learners = [{"id": f"L{n}", "achievements": [{"id": "A1", "code": "X-WEB", "level": "中级",
                                                  "obtained": f"2025-01-1{n}"}]} for n in range(3)]
    decisions = [creditrules.evaluate(standard, learner, AS_OF) for learner in learners]
    typings = standard.ruleset_for(AS_OF).plan.typings
    assert (len(typings), typings.hits) == (1, 2)
    assert decisions[0].awards and len({tuple((a.rule, a.credits_centi) for a in d.awards) for d in decisions}) == 1
