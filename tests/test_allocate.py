"""Hand-written allocation examples with exact expected totals.

The first part drives :func:`creditrules.allocate.allocate` directly with
candidates built by hand; the second goes through ``evaluate`` with tiny
standards written as dicts (see tests/strategies.py), so the caps are the ones
the evaluator builds from the YAML limits.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import creditrules
import strategies as S
from creditrules.allocate import Candidate, CountCap, CreditCap, allocate
from creditrules.limits import CategoryLimit
from creditrules.solve.problem import Placement

allocate_module = sys.modules["creditrules.allocate"]  # the module, for its FORCE switch

# ---------------------------------------------------------------- the allocator alone


def cand(order: int, amount: int, *, divisible: bool = False, courses: tuple[str, ...] = (),
         achievements: tuple[str, ...] = (), owner: Any = None, shares: tuple[tuple[int, int], ...] = (),
         counts: tuple[tuple[int, frozenset], ...] = ()) -> Candidate:
    """A candidate; ``owner`` defaults to one of its own, so it shares nothing."""
    owner = owner if owner is not None else ("own", order)
    tokens = tuple([(f"course:{c}", ("course", order)) for c in courses]
                   + [(f"achievement:{a}", owner) for a in achievements])
    return Candidate((order,), amount, divisible, tokens, shares, counts, index=order)


def test_optimum_beats_greedy_in_canonical_order():
    # 0: A → C1 (4); 1: A → C2 (3); 2: B → C1 (4). Greedy keeps 0 and blocks both others: 4.
    # The best set is {1, 2}: 7.
    cands = [cand(0, 400, courses=("C1",), achievements=("A",)),
             cand(1, 300, courses=("C2",), achievements=("A",)),
             cand(2, 400, courses=("C1",), achievements=("B",))]
    result = allocate(cands, [], [])
    assert result.chosen == {1: 300, 2: 400}
    assert sum(result.chosen.values()) == 700
    assert result.optimal


def test_divisible_award_is_cut_by_the_total_cap():
    caps = [CreditCap("total", 500)]
    cands = [cand(0, 400, courses=("C1",), shares=((0, 400),)),
             cand(1, 300, divisible=True, shares=((0, 300),))]
    result = allocate(cands, caps, [], total_cap=0)
    assert result.chosen == {0: 400, 1: 100}


def test_whole_course_is_indivisible_so_a_smaller_one_fits_instead():
    caps = [CreditCap("total", 500)]
    cands = [cand(0, 400, courses=("C1",), shares=((0, 400),)),
             cand(1, 300, courses=("C2",), shares=((0, 300),)),
             cand(2, 200, courses=("C3",), shares=((0, 200),))]
    result = allocate(cands, caps, [], total_cap=0)
    assert sum(result.chosen.values()) == 500
    assert result.chosen == {1: 300, 2: 200}


def test_category_award_that_would_get_nothing_is_not_placed():
    caps = [CreditCap("category:elective", 200)]
    cands = [cand(0, 200, divisible=True, shares=((0, 200),)),
             cand(1, 100, divisible=True, shares=((0, 100),))]
    result = allocate(cands, caps, [])
    assert result.chosen == {0: 200}


def test_count_cap_keeps_the_larger_award():
    counts = [CountCap("kind-count:certificate", 1)]
    cands = [cand(0, 200, courses=("C1",), achievements=("A",), counts=((0, frozenset({"A"})),)),
             cand(1, 300, courses=("C2",), achievements=("B",), counts=((0, frozenset({"B"})),))]
    result = allocate(cands, [], counts)
    assert result.chosen == {1: 300}


def test_count_cap_counts_distinct_achievements():
    # two awards from the same certificate count it once
    counts = [CountCap("kind-count:certificate", 1)]
    items = ((0, frozenset({"A"})),)
    cands = [cand(0, 200, courses=("C1",), achievements=("A",), owner="reusable", counts=items),
             cand(1, 300, courses=("C2",), achievements=("A",), owner="reusable", counts=items)]
    result = allocate(cands, [], counts)
    assert result.chosen == {0: 200, 1: 300}


def test_equal_totals_prefer_the_earlier_candidate():
    # {0, 3} and {1, 2} both give 5; the lexicographically greatest inclusion vector is 1001 > 0110
    cands = [cand(0, 200, courses=("C1",), achievements=("A",)),
             cand(1, 300, courses=("C1",), achievements=("B",)),
             cand(2, 200, courses=("C2",), achievements=("A",)),
             cand(3, 300, courses=("C2",), achievements=("B",))]
    result = allocate(cands, [], [])
    assert sum(result.chosen.values()) == 500
    assert result.chosen == {0: 200, 3: 300}


def test_shared_owner_may_share_an_achievement():
    # the awards of one `mode: each` rule from one certificate share it
    cands = [cand(0, 400, courses=("C1",), achievements=("A",), owner=("rule", 0, ("A",))),
             cand(1, 300, courses=("C2",), achievements=("A",), owner=("rule", 0, ("A",))),
             cand(2, 500, courses=("C3",), achievements=("A",))]
    result = allocate(cands, [], [])
    assert result.chosen == {0: 400, 1: 300}


def test_independent_components_are_solved_separately():
    cands = [cand(0, 100, courses=("C1",), achievements=("A",)),
             cand(1, 200, courses=("C1",), achievements=("B",)),
             cand(2, 300, courses=("C2",), achievements=("C",))]
    result = allocate(cands, [], [])
    assert result.chosen == {1: 200, 2: 300}
    assert result.components == 2


# ---------------------------------------------------------------- exact solving: paths, the MILP, the cliff


def divisible(order: int, amount: int, shares: tuple[tuple[int, int], ...]) -> Candidate:
    return cand(order, amount, divisible=True, shares=shares)


def test_divisible_award_placed_first_takes_what_fits_not_what_suits_later_ones():
    # X = Y = 6 credits; A charges both, B only X, C only Y, 5 credits each. Placed in order,
    # {A, B, C} gives 5 + 1 + 1 = 7 (an LP that lets A take 1 would claim 1 + 5 + 5 = 11);
    # the best set is {B, C}: 10.
    caps = [CreditCap("X", 600), CreditCap("Y", 600)]
    cands = [divisible(0, 500, ((0, 500), (1, 500))), divisible(1, 500, ((0, 500),)),
             divisible(2, 500, ((1, 500),))]
    for force in (None, "milp"):
        result = allocate(cands, caps, [], force=force)
        assert result.chosen == {1: 500, 2: 500}
        assert result.optimal


def courses_under_total(amounts: list[int], cap: int) -> tuple[list[Candidate], list[CreditCap]]:
    cands = [cand(i, amount, courses=(f"C{i}",), shares=((0, amount),)) for i, amount in enumerate(amounts)]
    return cands, [CreditCap("total", cap)]


@pytest.mark.parametrize("size", [20, 30, 40, 60])
def test_cliff_equal_courses_under_a_binding_total_cap(size):
    # 3 credits each under a cap of 30.5: ten fit, any ten; the tie-break keeps the first ten.
    # The old search visited its 200,000 nodes here from 26 candidates on and gave up.
    cands, caps = courses_under_total([300] * size, 3050)
    result = allocate(cands, caps, [], total_cap=0)
    assert result.chosen == dict.fromkeys(range(10), 300)
    assert result.optimal
    assert result.paths == {"milp": 1}
    assert (result.components, result.searched, result.nodes) == (1, size, 0)


def test_cliff_where_placing_in_order_falls_short():
    # 6, 5, 5 and then 37 courses of 7 credits under a cap of 10.5: in order, 6 blocks every other
    # course (6 in all); the best is 5 + 5 = 10, and no other set makes 10
    cands, caps = courses_under_total([600, 500, 500] + [700] * 37, 1050)
    result = allocate(cands, caps, [], total_cap=0)
    assert result.chosen == {1: 500, 2: 500}
    assert result.paths == {"milp": 1}


def test_small_competition_is_searched_and_the_nodes_are_counted():
    # include 0 (3 nodes down to its leaf, 400), leave 0 out, include 1 and 2 (700), then two cut branches
    result = allocate([cand(0, 400, courses=("C1",), achievements=("A",)),
                       cand(1, 300, courses=("C2",), achievements=("A",)),
                       cand(2, 400, courses=("C1",), achievements=("B",))], [], [])
    assert (result.paths, result.nodes, result.searched, result.components) == ({"dfs": 1}, 9, 3, 1)


def test_components_that_do_not_compete_take_the_fast_paths():
    # a category award fills the total cap in order: nothing can beat the cap, no search;
    # the third award competes with nothing (it is not charged to the cap)
    caps = [CreditCap("total", 500)]
    result = allocate([cand(0, 400, courses=("C1",), shares=((0, 400),)),
                       cand(1, 300, divisible=True, shares=((0, 300),)),
                       cand(2, 100, courses=("C9",), achievements=("Z",))], caps, [], total_cap=0)
    assert result.chosen == {0: 400, 1: 100, 2: 100}
    assert (result.paths, result.nodes, result.components) == ({"fast": 1, "single": 1}, 0, 2)


@given(amount=st.integers(0, 900), divisible=st.booleans(),
       shares=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 900)), max_size=3),
       counts=st.lists(st.tuples(st.integers(0, 1), st.frozensets(st.sampled_from("ABCD"), min_size=1)), max_size=2),
       limits=st.tuples(st.integers(0, 900), st.integers(0, 900), st.integers(0, 900)),
       most=st.tuples(st.integers(0, 4), st.integers(0, 4)))
def test_a_candidate_alone_gets_what_placing_it_first_gives(amount, divisible, shares, counts, limits, most):
    # the single path does not build a Placement: it must still give exactly what one gives
    credit_caps = [CreditCap(f"c{i}", limit) for i, limit in enumerate(limits)]
    count_caps = [CountCap(f"n{i}", limit) for i, limit in enumerate(most)]
    one = cand(0, amount, divisible=divisible, courses=("C1",), achievements=("A",),
               shares=tuple(dict(shares).items()), counts=tuple(dict(counts).items()))
    placed = Placement(credit_caps, count_caps).fits(one)
    result = allocate([one], credit_caps, count_caps)
    assert result.chosen == ({0: placed} if placed else {})
    assert result.paths == {"single": 1}


def test_the_bound_counts_one_award_per_contested_achievement():
    # four different courses from two certificates, two rules each: the courses are not contested,
    # the certificates are, so at most 3 + 3 can be had; placing in order gets it without a search
    result = allocate([cand(0, 300, courses=("C0",), achievements=("A",)),
                       cand(1, 200, courses=("C1",), achievements=("A",)),
                       cand(2, 300, courses=("C2",), achievements=("B",)),
                       cand(3, 200, courses=("C3",), achievements=("B",))], [], [])
    assert result.chosen == {0: 300, 2: 300}
    assert (result.paths, result.nodes, result.components) == ({"fast": 2}, 0, 2)


def test_force_accepts_only_the_milp():
    with pytest.raises(ValueError, match=r"^force must be None or 'milp', not 'dfs'$"):
        allocate([], [], [], force="dfs")


def test_the_milp_prints_nothing(capfd):
    cands, caps = courses_under_total([300] * 30, 3050)
    allocate(cands, caps, [], total_cap=0, force="milp")
    assert capfd.readouterr() == ("", "")


def test_a_solver_answer_that_does_not_place_is_replaced_by_an_exhaustive_search(monkeypatch):
    from creditrules.solve import milp

    def disagree(*args: Any) -> None:
        raise milp.SolverDisagrees("the optimum does not place")

    monkeypatch.setattr(milp, "solve", disagree)
    cands, caps = courses_under_total([300] * 12, 3050)
    result = allocate(cands, caps, [], total_cap=0, force="milp")
    assert result.chosen == dict.fromkeys(range(10), 300)
    assert result.paths == {"dfs": 1} and result.nodes > 0


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -c code args`` in a fresh process that imports this creditrules."""
    env = dict(os.environ, PYTHONPATH=str(Path(creditrules.__file__).parents[1]))
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=False)


def cliff_in_a_child(before: str, after: str) -> str:
    """What a fresh process prints when it runs ``before``, decides 30 courses of 3 credits
    under a cap of 30.5 (a MILP) into ``result``, and runs ``after``."""
    cliff = ("from creditrules.allocate import Candidate, CreditCap, allocate\n"
             "cands = [Candidate((i,), 300, False, (), ((0, 300),), (), index=i) for i in range(30)]\n"
             "result = allocate(cands, [CreditCap('total', 3050)], [], 0)\n")
    child = run_python(before + cliff + after)
    assert (child.returncode, child.stderr) == (0, "")
    return child.stdout


def test_import_is_light_and_the_solver_is_loaded_only_when_needed():
    printed = cliff_in_a_child("import sys, creditrules, creditrules.allocate\nprint('highspy' in sys.modules)\n",
                               "print('highspy' in sys.modules)\n")
    assert printed.split() == ["False", "True"]


def test_another_highs_thread_pool_in_the_process_is_used_as_it_is():
    # HiGHS's thread pool is process-wide; one started with more threads makes a one-thread run
    # fail, and the solver then runs on the pool as it is
    printed = cliff_in_a_child("import highspy\n"
                               "h = highspy._Highs(); h.setOptionValue('output_flag', False)\n"
                               "h.addVar(0, 1); h.run()\n",
                               "print(sorted(result.chosen), result.paths)\n")
    assert printed == f"{list(range(10))} {{'milp': 1}}\n"


# ---------------------------------------------------------------- through evaluate


standard = S.tiny_standard
ach = S.record


def evaluate(std: dict[str, Any], *achievements: dict[str, Any]) -> creditrules.Decision:
    return creditrules.evaluate(S.compile_in_memory(std), {"id": "L1", "achievements": list(achievements)},
                                S.AS_OF)


def awards(decision: creditrules.Decision) -> list[tuple[str, tuple[str, ...], tuple[str, ...], int]]:
    return sorted((a.rule, a.achievements, tuple(c.code for c in a.courses), a.credits_centi) for a in decision.awards)


def test_evaluate_optimum_beats_greedy():
    # r1 (listed first, so placed first) would use A1 for C1; the best is A1 → C2 and A2 → C1
    std = standard([
        {"id": "r1", "when": {"code": "X1"}, "grant": {"courses": ["C1"]}},
        {"id": "r2", "when": {"code": "X1"}, "grant": {"courses": ["C2"]}},
        {"id": "r3", "when": {"code": "X2"}, "grant": {"courses": ["C1"]}},
    ], courses=[("C1", 4, "core"), ("C2", 3, "core")])
    decision = evaluate(std, ach("A1", "X1"), ach("A2", "X2"))
    assert decision.total_centi == 700
    assert awards(decision) == [("r2", ("A1",), ("C2",), 300), ("r3", ("A2",), ("C1",), 400)]


def test_evaluate_category_award_capped_by_category_limit():
    std = standard([
        {"id": "comp", "when": {"code": "X1"}, "grant": {"category": "elective", "credits": 4}},
    ], limits={"categories": {"elective": {"max": 6}}})
    decision = evaluate(std, ach("A1"), ach("A2"))
    assert decision.total_centi == 600
    assert awards(decision) == [("comp", ("A1",), (), 400), ("comp", ("A2",), (), 200)]
    capped = [a for a in decision.awards if a.capped_by is not None]
    assert [(a.achievements, a.asked_centi, a.capped_by.key) for a in capped] == [(("A2",), 400, CategoryLimit("elective"))]


def test_evaluate_total_cap_leaves_room_for_a_category_award_after_courses():
    std = standard([
        {"id": "course", "when": {"code": "X1"}, "grant": {"courses": ["C1", "C2"], "mode": "each"}},
        {"id": "extra", "when": {"code": "X2"}, "grant": {"category": "elective", "credits": 3}},
    ], limits={"total": {"max": 9}}, courses=[("C1", 4, "core"), ("C2", 4, "core")])
    decision = evaluate(std, ach("A1", "X1"), ach("A2", "X2"))
    assert decision.total_centi == 900
    assert awards(decision) == [("course", ("A1",), ("C1",), 400), ("course", ("A1",), ("C2",), 400),
                                ("extra", ("A2",), (), 100)]


def test_evaluate_kind_count_cap():
    std = standard([
        {"id": "small", "when": {"code": "X1"}, "grant": {"category": "elective", "credits": 2}},
        {"id": "big", "when": {"code": "X2"}, "grant": {"category": "elective", "credits": 3}},
    ], limits={"kinds": {"cert": {"max_count": 1}}})
    decision = evaluate(std, ach("A1", "X1"), ach("A2", "X2"))
    assert decision.total_centi == 300
    assert awards(decision) == [("big", ("A2",), (), 300)]


def test_evaluate_group_cap_counts_one_event_once():
    std = standard([
        {"id": "comp", "when": {"code": "X1"}, "grant": {"category": "elective", "credits": 2}},
    ], limits={"groups": [{"id": "same-event", "name_zh": "同一赛项", "name_en": "same event",
                           "kinds": ["cert"], "key": "event", "max": 1}]})
    # the full-width ｅ１ is the same event as e1
    decision = evaluate(std, ach("A1", event="e1"), ach("A2", event="ｅ１"), ach("A3", event="e2"))
    assert decision.total_centi == 400
    assert awards(decision) == [("comp", ("A1",), (), 200), ("comp", ("A3",), (), 200)]


def test_evaluate_tie_broken_by_priority():
    # both rules give 2 credits from the one certificate; r-high has the higher priority
    std = standard([
        {"id": "r-low", "when": {"code": "X1"}, "grant": {"category": "elective", "credits": 2}},
        {"id": "r-high", "priority": 1, "when": {"code": "X1"}, "grant": {"category": "core", "credits": 2}},
    ])
    decision = evaluate(std, ach("A1"))
    assert decision.total_centi == 200
    assert awards(decision) == [("r-high", ("A1",), (), 200)]


def test_evaluate_tie_broken_by_rule_order_without_priority():
    std = standard([
        {"id": "first", "when": {"code": "X1"}, "grant": {"category": "elective", "credits": 2}},
        {"id": "second", "when": {"code": "X1"}, "grant": {"category": "core", "credits": 2}},
    ])
    assert awards(evaluate(std, ach("A1"))) == [("first", ("A1",), (), 200)]


def test_evaluate_per_achievement_cap_on_mode_each():
    # one certificate yields at most 4 credits: one 3-credit course, not both
    std = standard([
        {"id": "each", "when": {"code": "X1"}, "grant": {"courses": ["C1", "C2"], "mode": "each"}},
    ], limits={"per_achievement": {"max_credits": 4}}, courses=[("C1", 3, "core"), ("C2", 3, "core")])
    decision = evaluate(std, ach("A1"))
    assert decision.total_centi == 300
    assert awards(decision) == [("each", ("A1",), ("C1",), 300)]


def test_evaluate_rule_max_uses_and_max_credits():
    std = standard([
        {"id": "uses", "when": {"code": "X1"}, "grant": {"category": "elective", "credits": 2}, "max_uses": 2},
        {"id": "credits", "when": {"code": "X2"}, "grant": {"category": "core", "credits": 2}, "max_credits": 3},
    ])
    decision = evaluate(std, ach("A1", "X1"), ach("A2", "X1"), ach("A3", "X1"),
                        ach("B1", "X2"), ach("B2", "X2"))
    assert decision.total_centi == 700
    assert awards(decision) == [("credits", ("B1",), (), 200), ("credits", ("B2",), (), 100),
                                ("uses", ("A1",), (), 200), ("uses", ("A2",), (), 200)]


# ---------------------------------------------------------------- engine bugs found by test_properties.py
# Regression tests: each failed on the engine before commit c59fd5b.


def test_when_all_pair_of_interchangeable_slots_is_one_award():
    """Two achievements fill ``when_all: [{code: X1}, {code: X1}]`` in two orders; that is still
    one pair and one award of 1 credit, not two."""
    std = standard([
        {"id": "pair", "when_all": [{"code": "X1"}, {"code": "X1"}],
         "grant": {"category": "elective", "credits": 1}},
    ])
    decision = evaluate(std, ach("A1"), ach("A2"))
    assert awards(decision) == [("pair", ("A1", "A2"), (), 100)]
    assert decision.total_centi == 100


def test_group_limit_counts_every_achievement_of_one_award():
    """A pair from the same event uses the event twice; a group of max 1 must refuse it."""
    std = standard([
        {"id": "pair", "when_all": [{"code": "X1"}, {"code": "X2"}],
         "grant": {"category": "elective", "credits": 1}},
    ], limits={"groups": [{"id": "same-event", "name_zh": "同一赛项", "name_en": "same event",
                           "kinds": ["cert"], "key": "event", "max": 1}]})
    decision = evaluate(std, ach("A1", "X1", event="e1"), ach("A2", "X2", event="e1"))
    assert decision.total_centi == 0
    assert awards(decision) == []


def test_reusable_rule_uses_an_achievement_in_one_binding_only():
    """Reusable shares a certificate with other reusable rules, not between two pairs of one rule."""
    std = standard([
        {"id": "pair", "reusable": True, "when_all": [{"code": "X1"}, {"code": "X2"}],
         "grant": {"category": "elective", "credits": 1}},
    ])
    decision = evaluate(std, ach("A1", "X1"), ach("A2", "X2"), ach("A3", "X2"))
    assert decision.total_centi == 100
    assert awards(decision) == [("pair", ("A1", "A2"), (), 100)]


def test_reusable_rules_share_an_achievement():
    std = standard([
        {"id": "course", "reusable": True, "when": {"code": "X1"}, "grant": {"courses": ["C1"]}},
        {"id": "extra", "reusable": True, "when": {"code": "X1"}, "grant": {"category": "elective", "credits": 2}},
        {"id": "other", "when": {"code": "X1"}, "grant": {"category": "elective", "credits": 5}},
    ], courses=[("C1", 4, "core")])
    decision = evaluate(std, ach("A1"))
    assert decision.total_centi == 600
    assert awards(decision) == [("course", ("A1",), ("C1",), 400), ("extra", ("A1",), (), 200)]


@pytest.mark.parametrize("fraction, cap", [(0.125, 750), (0.0625, 375), (0.25, 1500)])
def test_total_cap_as_fraction_is_exact(fraction, cap):
    """max_fraction 0.125 of 60 credits is 7.5 credits, not 7.2."""
    std = standard([
        {"id": "big", "when": {"code": "X1"}, "grant": {"category": "elective", "credits": 20}},
    ], limits={"total": {"max_fraction": fraction}})
    decision = evaluate(std, ach("A1"))
    assert decision.total_centi == cap


def test_evaluate_divisible_awards_sharing_some_caps_are_placed_in_order():
    # The trap in rules: A1 → core (5) under the core cap and A1's own cap (6 each); A2 → core (5);
    # A1 again → elective (5) under A1's cap. In order all three give 5 + 1 + 1 = 7; the best is
    # the last two: 10. Forced through the MILP too.
    std = standard([
        {"id": "ra", "reusable": True, "when": {"code": "X1"}, "grant": {"category": "core", "credits": 5}},
        {"id": "rb", "when": {"code": "X2"}, "grant": {"category": "core", "credits": 5}},
        {"id": "rc", "reusable": True, "when": {"code": "X1"}, "grant": {"category": "elective", "credits": 5}},
    ], limits={"categories": {"core": {"max": 6}}, "per_achievement": {"max_credits": 6}})
    for force in (None, "milp"):
        before, allocate_module.FORCE = allocate_module.FORCE, force
        try:
            decision = evaluate(std, ach("A1", "X1"), ach("A2", "X2"))
        finally:
            allocate_module.FORCE = before
        assert decision.total_centi == 1000
        assert awards(decision) == [("rb", ("A2",), (), 500), ("rc", ("A1",), (), 500)]
        assert decision.search.to_dict() == {"candidates": 3, "components": 1, "searched": 3,
                                             "nodes": 0 if force else 13, "optimal": True}


def test_evaluate_forty_courses_under_a_total_cap_is_proven_best():
    # the shape that used to hit the search budget and say "may not be the best possible":
    # 40 certificates, each worth one 3-credit course, under a total cap of 30.5 credits
    rules = [{"id": f"r{i:02d}", "when": {"code": f"X{i:02d}"}, "grant": {"courses": [f"C{i:02d}"]}}
             for i in range(40)]
    std = standard(rules, limits={"total": {"max": 30.5}}, courses=[(f"C{i:02d}", 3, "core") for i in range(40)],
                   kinds={f"X{i:02d}": "cert" for i in range(40)})
    decision = evaluate(std, *[ach(f"A{i:02d}", f"X{i:02d}") for i in range(40)])
    assert decision.total_centi == 3000
    assert awards(decision) == [(f"r{i:02d}", (f"A{i:02d}",), (f"C{i:02d}",), 300) for i in range(10)]
    assert decision.search.to_dict() == {"candidates": 40, "components": 1, "searched": 40, "nodes": 0,
                                         "optimal": True}


def test_without_highspy_the_cli_says_how_to_install_it(tmp_path):
    # a broken installation: the message, the exit code of a problem (1), and no traceback
    rules = [{"id": f"r{i:02d}", "when": {"code": f"X{i:02d}"}, "grant": {"courses": [f"C{i:02d}"]}}
             for i in range(40)]
    std = standard(rules, limits={"total": {"max": 30.5}}, courses=[(f"C{i:02d}", 3, "core") for i in range(40)],
                   kinds={f"X{i:02d}": "cert" for i in range(40)})
    (tmp_path / "std").mkdir()
    (tmp_path / "std" / "std.yaml").write_text(S.dump_yaml(std), encoding="utf-8")
    learner = {"id": "L1", "achievements": [ach(f"A{i:02d}", f"X{i:02d}") for i in range(40)]}
    (tmp_path / "learner.json").write_text(json.dumps(learner), encoding="utf-8")
    code = ("import sys\n"
            "sys.modules['highspy'] = None  # as if it were not installed\n"
            "from creditrules.cli import main\n"
            "sys.exit(main(sys.argv[1:]))\n")
    result = run_python(code, "evaluate", "--standards", str(tmp_path / "std"), "--standard", S.STANDARD_ID,
                        "--learner", str(tmp_path / "learner.json"), "--as-of", "2025-06-30")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("creditrules: awards that compete are decided by the HiGHS solver, and its Python "
                             "package is not installed; install it with: pip install 'highspy>=1.15,<2'\n")
