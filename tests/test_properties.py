"""Property tests of the evaluator and the allocator on random small standards.

The optimality test re-implements the allocation semantics documented in
``creditrules/allocate.py`` independently: it takes the candidate awards the
decision's trace lists, enumerates every subset, places each in canonical order
with its own reading of every limit (worked out from the standard *dict*, not
from the compiled caps), and keeps the best. Nothing from ``allocate.py`` is used
for the answer; the tests of the allocator alone build its input types only.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import pickle
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, event, example, given, note, settings
from hypothesis import strategies as st

import creditrules
import strategies as S
from creditrules import allocate
from creditrules.allocate import Candidate, CountCap, CreditCap

MAX_BRUTE = 14  # candidates; 2**14 subsets at most
# PROPERTY_SCALE=10 runs ten times as many examples (a longer hunt; the default fits in a minute)
SCALE = float(os.environ.get("PROPERTY_SCALE", "1"))
SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much]}


def n(examples: int) -> int:
    return max(1, int(examples * SCALE))


# ---------------------------------------------------------------- running


_COMPILED: dict[str, Any] = {}


def compiled(standard: dict[str, Any]) -> creditrules.CompiledStandard:
    """Compile in memory (cached by the YAML text: shrinking revisits the same standards).
    test_yaml_and_memory_compile_alike checks this is the same as compiling the YAML file."""
    text = S.dump_yaml(standard)
    if text not in _COMPILED:
        if len(_COMPILED) > 256:
            _COMPILED.clear()
        _COMPILED[text] = S.compile_in_memory(standard)
    return _COMPILED[text]


def decide(standard: dict[str, Any], learner: dict[str, Any]) -> creditrules.Decision:
    note("standard:\n" + S.dump_yaml(standard))
    note("learner:\n" + S.dump_yaml(learner))
    return creditrules.evaluate(compiled(standard), copy.deepcopy(learner), S.AS_OF)


def centi(value: Any) -> int:
    return int((Decimal(str(value)) * 100).to_integral_value())


# ---------------------------------------------------------------- the standard, read independently


@dataclass(frozen=True)
class Limits:
    total: int | None
    categories: dict[str, int]
    per_achievement: int | None
    kind_counts: dict[str, int]
    groups: list[dict[str, Any]]
    category_counts: dict[str, int]
    rule_groups: list[dict[str, Any]]


def limits_of(standard: dict[str, Any]) -> Limits:
    raw = standard.get("limits", {})
    total = None
    if "total" in raw:
        if "max" in raw["total"]:
            total = centi(raw["total"]["max"])
        else:  # a fraction of the program's credits, exactly
            exact = Decimal(str(standard["program"]["total_credits"])) * Decimal(str(raw["total"]["max_fraction"]))
            total = int((exact * 100).to_integral_value(rounding=ROUND_FLOOR))
    return Limits(total,
                  {c: centi(v["max"]) for c, v in raw.get("categories", {}).items()},
                  centi(raw["per_achievement"]["max_credits"]) if "per_achievement" in raw else None,
                  {k: v["max_count"] for k, v in raw.get("kinds", {}).items()},
                  list(raw.get("groups", [])),
                  {c: v["max_count"] for c, v in raw.get("category_counts", {}).items()},
                  list(raw.get("rule_groups", [])))


def award_categories(c: Cand, course_info: dict[str, tuple[int, str]]) -> set[str]:
    """The categories an award credits: its courses' categories, or its category."""
    return {course_info[code][1] for code in c.courses} if c.whole else {c.category} - {None}


def courses_of(standard: dict[str, Any]) -> dict[str, tuple[int, str]]:
    return {c["code"]: (centi(c["credits"]), c["category"]) for c in standard["program"]["courses"]}


@dataclass(frozen=True)
class Cand:
    rule: dict[str, Any]
    rule_index: int
    achievements: tuple[str, ...]
    courses: tuple[str, ...]  # empty for a category award
    category: str | None
    amount: int

    @property
    def whole(self) -> bool:
        return bool(self.courses)

    @property
    def aggregate(self) -> bool:
        return "aggregate" in self.rule

    @property
    def reusable(self) -> bool:
        return bool(self.rule.get("reusable", False))

    @property
    def order(self) -> tuple[Any, ...]:
        return (0 if self.whole else 1, -self.rule.get("priority", 0), self.rule_index, self.achievements,
                tuple(sorted(self.courses)))

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.rule["id"], self.achievements, self.courses, self.category)


def aggregate_credits(standard: dict[str, Any], rule: dict[str, Any], members: tuple[str, ...],
                      learner: dict[str, Any], strict: bool = True) -> int | None:
    """What an aggregate rule gives for these members, computed from the YAML numbers; for a
    course grant, the courses' credits if the total reaches them (else None, or an error if strict)."""
    agg = rule["aggregate"]
    by_id = {a["id"]: a for a in learner["achievements"]}
    if agg["total"] == "count":
        amount = Decimal(len(members))
    else:
        amount = sum((Decimal(str(by_id[m][agg["total"]])) for m in members), Decimal(0))
    raw = amount / Decimal(str(agg["per"])) * Decimal(str(agg["credits"]))
    step = Decimal(str(agg.get("step", 0.5)))
    steps = raw / step
    rounding = agg.get("rounding", "down")
    if rounding == "down":
        whole = steps.to_integral_value(rounding=ROUND_FLOOR)
    elif rounding == "up":
        whole = -((-steps).to_integral_value(rounding=ROUND_FLOOR))
    else:
        whole = (steps + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR)
    credits = centi(whole * step)
    if "max" in agg:
        credits = min(credits, centi(agg["max"]))
    if "courses" in rule["grant"]:
        needed = sum(courses_of(standard)[c][0] for c in rule["grant"]["courses"])
        if credits < needed:
            assert not strict, (rule["id"], members, credits, needed)
            return None
        return needed
    return credits


def candidates_from_trace(standard: dict[str, Any], learner: dict[str, Any],
                          decision: creditrules.Decision) -> tuple[list[Cand], list[tuple[Cand, int]]]:
    """Every candidate award the trace lists (canonical order) and the chosen ones with what they got.
    Also checks each candidate's credits against the standard's own numbers."""
    rules = {r["id"]: (i, r) for i, r in enumerate(standard["rules"])}
    course_info = courses_of(standard)
    cands: list[Cand] = []
    chosen: list[tuple[Cand, int]] = []
    for rule_trace in decision.trace:
        index, rule = rules[rule_trace.rule]
        for ct in rule_trace.candidates:
            if not ct.target.courses:
                courses, category = (), ct.target.category
                assert category == rule["grant"]["category"]
            else:
                courses, category = ct.target.courses, None
                if rule["grant"].get("mode") == "each" and "aggregate" not in rule:
                    assert len(courses) == 1 and courses[0] in rule["grant"]["courses"]
                else:
                    assert list(courses) == rule["grant"]["courses"]
            if "aggregate" in rule:
                expected = aggregate_credits(standard, rule, ct.achievements, learner)
            elif courses:
                expected = sum(course_info[c][0] for c in courses)
            else:
                expected = centi(rule["grant"]["credits"])
            assert ct.credits_centi == expected, (rule["id"], ct, expected)
            cand = Cand(rule, index, tuple(ct.achievements), courses, category, ct.credits_centi)
            cands.append(cand)
            if ct.outcome in ("awarded", "capped"):
                chosen.append((cand, ct.placed_centi))
    cands.sort(key=lambda c: c.order)
    return cands, chosen


# ---------------------------------------------------------------- candidates, read independently


def _months_before(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    for last in (31, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError


def slot_accepts(standard: dict[str, Any], slot: dict[str, Any], ach: dict[str, Any]) -> bool:
    """Whether one achievement fills one slot, for the conditions strategies.py writes."""
    if not S.usable(standard, ach):
        return False
    code = S.canonical_code(standard, ach["code"])
    entry = standard["catalog"][code]
    levels = standard["scales"]["lvl"]["levels"]
    for attribute, condition in slot.items():
        if attribute == "code":
            ok = code in (condition if isinstance(condition, list) else [condition])
        elif attribute == "kind":
            ok = entry["kind"] in (condition if isinstance(condition, list) else [condition])
        elif attribute == "level":
            rank = levels.index(ach["level"])
            if isinstance(condition, dict):
                ok = rank >= levels.index(condition["at_least"])
            elif isinstance(condition, list):
                ok = ach["level"] in condition
            else:
                ok = ach["level"] == condition
        elif attribute == "hours":
            ok = ach["hours"] >= condition["at_least"]
        elif attribute == "verified":
            ok = ach.get("verified", False) is condition
        elif attribute == "event":
            ok = S.normalise_text(ach["event"]) in condition
        elif attribute == "obtained":
            obtained = date.fromisoformat(ach["obtained"])
            ok = _months_before(S.AS_OF, 12 * condition["within_years"]) <= obtained <= S.AS_OF
        else:
            raise AssertionError(f"no independent reading of condition '{attribute}'")
        if not ok:
            return False
    return True


def expected_candidates(standard: dict[str, Any], learner: dict[str, Any]) -> dict[tuple[Any, ...], int]:
    """Every possible award (rule, achievements, courses, category) → credits, from the dicts alone."""
    course_info = courses_of(standard)
    achs = sorted(learner["achievements"], key=lambda a: a["id"])
    result: dict[tuple[Any, ...], int] = {}
    for rule in standard["rules"]:
        grant = rule["grant"]
        if "when" in rule:
            bindings = [(a["id"],) for a in achs if slot_accepts(standard, rule["when"], a)]
        elif "when_all" in rule:
            found = set()
            for combo in itertools.permutations(achs, len(rule["when_all"])):
                if all(slot_accepts(standard, slot, a) for slot, a in zip(rule["when_all"], combo)):
                    found.add(tuple(sorted(a["id"] for a in combo)))
            bindings = sorted(found)
        else:
            members = tuple(a["id"] for a in achs if slot_accepts(standard, rule["aggregate"]["where"], a))
            if members:
                credits = aggregate_credits(standard, rule, members, learner, strict=False)
                if credits is not None and credits > 0:
                    courses = tuple(grant["courses"]) if "courses" in grant else ()
                    result[(rule["id"], members, courses, grant.get("category"))] = credits
            continue
        for ids in bindings:
            if "courses" in grant:
                units = [(c,) for c in grant["courses"]] if grant.get("mode") == "each" else [tuple(grant["courses"])]
                for courses in units:
                    result[(rule["id"], ids, courses, None)] = sum(course_info[c][0] for c in courses)
            else:
                result[(rule["id"], ids, (), grant["category"])] = centi(grant["credits"])
    return result


# ---------------------------------------------------------------- brute force


class Placement:
    """The state of placing candidates one by one, with the documented semantics."""

    def __init__(self, standard: dict[str, Any], learner: dict[str, Any]):
        self.limits = limits_of(standard)
        self.course_info = courses_of(standard)
        self.facts = S.achievement_facts(standard, learner)
        self.courses: set[str] = set()
        self.users: dict[str, list[Cand]] = {}
        self.credit: dict[str, int] = {}
        self.counted: dict[str, set[str]] = {}
        self.uses: dict[str, int] = {}

    def copy(self) -> Placement:
        other = copy.copy(self)
        other.courses = set(self.courses)
        other.users = {k: list(v) for k, v in self.users.items()}
        other.credit = dict(self.credit)
        other.counted = {k: set(v) for k, v in self.counted.items()}
        other.uses = dict(self.uses)
        return other

    @staticmethod
    def may_share(a: Cand, b: Cand) -> bool:
        """Whether two awards may both use one achievement."""
        if a.rule["id"] != b.rule["id"]:
            return a.reusable and b.reusable  # two different rules, both reusable
        # one rule uses an achievement in one binding only (reusable or not); the awards of
        # one `mode: each` binding are the courses it gives, and share it
        return a.achievements == b.achievements and a.whole and b.whole and not set(a.courses) & set(b.courses)

    def credit_caps(self, c: Cand) -> list[tuple[str, int, int]]:
        """(cap, limit, charge at full amount) for every credit cap the candidate touches."""
        caps: list[tuple[str, int, int]] = []
        lim = self.limits
        if lim.total is not None:
            caps.append(("total", lim.total, c.amount))
        if c.whole:
            per_category: dict[str, int] = {}
            for code in c.courses:
                credits, category = self.course_info[code]
                per_category[category] = per_category.get(category, 0) + credits
            for category, amount in per_category.items():
                if category in lim.categories:
                    caps.append((f"category:{category}", lim.categories[category], amount))
        elif c.category in lim.categories:
            caps.append((f"category:{c.category}", lim.categories[c.category], c.amount))
        if "max_credits" in c.rule:
            caps.append((f"rule:{c.rule['id']}", centi(c.rule["max_credits"]), c.amount))
        if lim.per_achievement is not None and not c.aggregate:
            for a in c.achievements:
                caps.append((f"achievement:{a}", lim.per_achievement, c.amount))
        for group in lim.rule_groups:
            if "max_credits" in group and c.rule["id"] in group["rules"]:
                caps.append((f"rule-group:{group['id']}", centi(group["max_credits"]), c.amount))
        return caps

    def award_counts(self, c: Cand) -> list[tuple[str, int]]:
        """(cap, limit) for every limit that counts awards (one per award), besides max_uses."""
        found = [(f"category-count:{cat}", self.limits.category_counts[cat])
                 for cat in sorted(award_categories(c, self.course_info)) if cat in self.limits.category_counts]
        found += [(f"rule-group-count:{g['id']}", g["max_count"]) for g in self.limits.rule_groups
                  if "max_count" in g and c.rule["id"] in g["rules"]]
        return found

    def count_items(self, c: Cand) -> list[tuple[str, int, set[str]]]:
        """(cap, limit, achievements it adds) for every count cap."""
        if c.aggregate:
            return []
        items: list[tuple[str, int, set[str]]] = []
        for kind, limit in self.limits.kind_counts.items():
            mine = {a for a in c.achievements if self.facts[a]["kind"] == kind}
            if mine:
                items.append((f"kind:{kind}", limit, mine))
        for group in self.limits.groups:
            by_value: dict[Any, set[str]] = {}
            for a in c.achievements:
                fact = self.facts[a]
                value = fact.get(group["key"])
                if fact["kind"] in group["kinds"] and value is not None:
                    by_value.setdefault(value, set()).add(a)
            for value, mine in by_value.items():
                items.append((f"group:{group['id']}:{value}", group.get("max", 1), mine))
        return items

    def place(self, c: Cand) -> int:
        """Place ``c``; return the credits it gets, 0 if it cannot be placed (state unchanged then)."""
        if self.courses & set(c.courses):
            return 0
        for a in c.achievements:
            if any(not self.may_share(c, other) for other in self.users.get(a, [])):
                return 0
        if "max_uses" in c.rule and self.uses.get(c.rule["id"], 0) + 1 > c.rule["max_uses"]:
            return 0
        counts = self.count_items(c)
        for key, limit, mine in counts:
            if len(self.counted.get(key, set()) | mine) > limit:
                return 0
        award_counts = self.award_counts(c)
        if any(self.uses.get(key, 0) + 1 > limit for key, limit in award_counts):
            return 0
        caps = self.credit_caps(c)
        if c.whole:
            for key, limit, charge in caps:
                if self.credit.get(key, 0) + charge > limit:
                    return 0
            placed = c.amount
            charges = [(key, charge) for key, _, charge in caps]
        else:
            placed = c.amount
            for key, limit, _ in caps:
                placed = min(placed, limit - self.credit.get(key, 0))
            if placed <= 0:
                return 0
            charges = [(key, placed) for key, _, _ in caps]
        self.courses |= set(c.courses)
        for a in c.achievements:
            self.users.setdefault(a, []).append(c)
        for key, _, mine in counts:
            self.counted.setdefault(key, set()).update(mine)
        for key, charge in charges:
            self.credit[key] = self.credit.get(key, 0) + charge
        self.uses[c.rule["id"]] = self.uses.get(c.rule["id"], 0) + 1
        for key, _ in award_counts:
            self.uses[key] = self.uses.get(key, 0) + 1
        return placed


def brute_force(standard: dict[str, Any], learner: dict[str, Any], cands: list[Cand]
                ) -> tuple[int, tuple[int, ...], list[tuple[Cand, int]]]:
    """Best (total, inclusion vector, chosen) over every subset of ``cands`` (canonical order).

    A subset is placed in order; it is infeasible as soon as one member cannot be
    placed, and later members never change an earlier placement, so the subsets
    with an infeasible prefix are skipped without changing the result."""
    best: list[Any] = [(-1, ()), []]

    def walk(i: int, state: Placement, total: int, vector: tuple[int, ...], chosen: list[tuple[Cand, int]]) -> None:
        if i == len(cands):
            if (total, vector) > best[0]:
                best[0], best[1] = (total, vector), list(chosen)
            return
        with_it = state.copy()
        placed = with_it.place(cands[i])
        if placed:
            walk(i + 1, with_it, total + placed, vector + (1,), chosen + [(cands[i], placed)])
        walk(i + 1, state, total, vector + (0,), chosen)

    walk(0, Placement(standard, learner), 0, (), [])
    (total, vector), chosen = best
    return total, vector, chosen


# ---------------------------------------------------------------- the engine bugs found so far
# The smallest cases of what these properties found (tests/test_allocate.py has them as plain
# tests too), kept as explicit examples: they run first, every time, and a regression fails at
# once instead of after a long search and shrink.


def _learner(*records: dict[str, Any]) -> dict[str, Any]:
    return {"id": "L1", "achievements": list(records)}


# when_all with two slots that the same achievements fill in either order: one pair gave two awards
PAIR_TWICE = (S.tiny_standard([{"id": "pair", "when_all": [{"code": "X1"}, {"code": "X1"}],
                                "grant": {"category": "elective", "credits": 1}}]),
              _learner(S.record("A1"), S.record("A2")))
# a group limit (one use per event) let a pair from the same event through
GROUP_PAIR = (S.tiny_standard([{"id": "pair", "when_all": [{"code": "X1"}, {"code": "X2"}],
                                "grant": {"category": "elective", "credits": 1}}],
                              limits={"groups": [{"id": "g1", "name_zh": "同一赛项", "name_en": "same event",
                                                  "kinds": ["cert"], "key": "event", "max": 1}]}),
              _learner(S.record("A1", "X1", event="e1"), S.record("A2", "X2", event="e1")))
# limits.total.max_fraction 0.125 of 60 credits capped at 7.2, not 7.5
FRACTION = (S.tiny_standard([{"id": "big", "when": {"code": "X1"}, "grant": {"category": "elective", "credits": 20}}],
                            limits={"total": {"max_fraction": 0.125}}),
            _learner(S.record("A1")))

# a reusable when_all rule used one certificate in two pairs
REUSED_TWICE = (S.tiny_standard([{"id": "pair", "reusable": True, "when_all": [{"code": "X1"}, {"code": "X2"}],
                                  "grant": {"category": "elective", "credits": 1}}]),
                _learner(S.record("A1", "X1"), S.record("A2", "X2"), S.record("A3", "X2")))


# ---------------------------------------------------------------- 0. candidates


@settings(max_examples=n(120), **SETTINGS)
@given(S.cases())
@example(PAIR_TWICE)
def test_candidates_are_the_bindings_that_match(case):
    """The trace lists exactly the possible awards the rules allow, each once, at its credits."""
    standard, learner = case
    decision = decide(standard, learner)
    listed: dict[tuple[Any, ...], int] = {}
    for cand in candidates_from_trace(standard, learner, decision)[0]:
        assert cand.key not in listed, f"candidate {cand.key} listed twice"
        listed[cand.key] = cand.amount
    assert listed == expected_candidates(standard, learner)


# ---------------------------------------------------------------- 1. optimality


def _bucket(count: int) -> str:
    return next(label for top, label in ((0, "0"), (3, "1-3"), (8, "4-8"), (MAX_BRUTE, f"9-{MAX_BRUTE}"))
                if count <= top) if count <= MAX_BRUTE else f">{MAX_BRUTE} (skipped)"


@settings(max_examples=n(300), **SETTINGS)
@given(S.cases())
@example(PAIR_TWICE)
@example(GROUP_PAIR)
@example(FRACTION)
@example(REUSED_TWICE)
def test_total_is_brute_force_optimum(case):
    """The engine's total is the best any subset of the candidates can give, placed in canonical
    order under every limit; and the set it picks is the one the tie-break picks."""
    _check_brute_force_optimum(case)


@settings(max_examples=n(150), **SETTINGS)
@given(S.cases())
@example(GROUP_PAIR)
@example(FRACTION)
@example(REUSED_TWICE)
def test_total_is_brute_force_optimum_by_milp(case):
    """The same with every component, even a single candidate, solved by the MILP: its
    encoding of every limit and of the tie-break is exact."""
    before = allocate.FORCE
    allocate.FORCE = "milp"
    try:
        _check_brute_force_optimum(case)
    finally:
        allocate.FORCE = before


def _check_brute_force_optimum(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    standard, learner = case
    decision = decide(standard, learner)
    cands, engine_chosen = candidates_from_trace(standard, learner, decision)
    event(f"candidates: {_bucket(len(cands))}")
    assume(len(cands) <= MAX_BRUTE)
    total, _, chosen = brute_force(standard, learner, cands)
    greedy = Placement(standard, learner)
    if sum(greedy.place(c) for c in cands) < total:
        event("greedy in canonical order is worse than the optimum")
    if any(p < c.amount for c, p in chosen):
        event("an award is cut by a cap")
    if len(chosen) < len(cands):
        event("some candidates left out")
    note(f"brute force: {total} centi from {[(c.key, p) for c, p in chosen]}")
    note(f"engine: {decision.total_centi} centi from {[(c.key, p) for c, p in engine_chosen]}")
    assert decision.search.optimal
    assert decision.total_centi == total
    assert sum(p for _, p in engine_chosen) == decision.total_centi
    # bonus: the same set wins the tie-break
    assert sorted((c.key, p) for c, p in engine_chosen) == sorted((c.key, p) for c, p in chosen)


# ---------------------------------------------------------------- 1b. the allocator alone
# Problems drawn as plain data (tests/strategies.py), placed here by a reading of the documented
# semantics that shares nothing with creditrules/solve/: every subset, in canonical order.


def problem_candidates(problem: dict[str, Any]) -> tuple[list[Candidate], list[CreditCap], list[CountCap], int | None]:
    caps = [CreditCap(("cap", i), limit) for i, limit in enumerate(problem["credit_limits"])]
    total = None
    if problem["total"] is not None:
        total = len(caps)
        caps.append(CreditCap("total", problem["total"]))
    counts = [CountCap(("count", i), limit) for i, limit in enumerate(problem["count_limits"])]
    cands = []
    for i, raw in enumerate(problem["candidates"]):
        shares = tuple(raw["shares"]) + (((total, raw["amount"]),) if total is not None else ())
        cands.append(Candidate((i,), raw["amount"], raw["divisible"], tuple(raw["tokens"]), shares,
                               tuple(raw["counts"]), index=i))
    return cands, caps, counts, total


def brute_force_problem(problem: dict[str, Any]) -> tuple[int, dict[int, int]]:
    """(best total, {candidate: credits}) with the tie-break, over every subset."""
    raw = problem["candidates"]
    limits = list(problem["credit_limits"]) + ([problem["total"]] if problem["total"] is not None else [])
    best: tuple[tuple[int, tuple[int, ...]], dict[int, int]] = ((-1, ()), {})
    for vector in itertools.product((1, 0), repeat=len(raw)):
        members = [i for i, bit in enumerate(vector) if bit]
        holders: dict[str, set[str]] = {}
        items: dict[int, set[str]] = {}
        for i in members:
            for token, owner in raw[i]["tokens"]:
                holders.setdefault(token, set()).add(owner)
            for cap, mine in raw[i]["counts"]:
                items.setdefault(cap, set()).update(mine)
        if any(len(owners) > 1 for owners in holders.values()):
            continue
        if any(len(mine) > problem["count_limits"][cap] for cap, mine in items.items()):
            continue
        used = [0] * len(limits)
        placed: dict[int, int] = {}
        for i in members:
            charges = list(raw[i]["shares"]) + ([(len(limits) - 1, raw[i]["amount"])]
                                                if problem["total"] is not None else [])
            if raw[i]["divisible"]:
                amount = min([raw[i]["amount"]] + [limits[cap] - used[cap] for cap, _ in charges])
                if amount <= 0:
                    break
                charges = [(cap, amount) for cap, _ in charges]
            else:
                amount = raw[i]["amount"]
                if any(used[cap] + share > limits[cap] for cap, share in charges):
                    break
            for cap, charge in charges:
                used[cap] += charge
            placed[i] = amount
        else:
            key = (sum(placed.values()), vector)
            if key > best[0]:
                best = (key, placed)
    return best[0][0], best[1]


@settings(max_examples=n(400), **SETTINGS)
@given(S.allocation_problems())
@example({"credit_limits": [600, 600], "count_limits": [], "total": None, "candidates": [  # the LP trap
    {"amount": 500, "divisible": True, "tokens": [], "shares": [(0, 500), (1, 500)], "counts": []},
    {"amount": 500, "divisible": True, "tokens": [], "shares": [(0, 500)], "counts": []},
    {"amount": 500, "divisible": True, "tokens": [], "shares": [(1, 500)], "counts": []}]})
def test_allocator_is_brute_force_optimum(problem):
    """Every path picks exactly the brute force's set: the default choice, the MILP forced, and
    the default with a search budget so small that most searches give up and go to the MILP."""
    cands, caps, counts, total = problem_candidates(problem)
    best, placed = brute_force_problem(problem)
    note(f"brute force: {best} from {placed}")
    budget = allocate.DFS_BUDGET
    for force, nodes in ((None, budget), ("milp", budget), (None, 3)):
        allocate.DFS_BUDGET = nodes
        try:
            result = allocate.allocate(cands, caps, counts, total, force=force)
        finally:
            allocate.DFS_BUDGET = budget
        note(f"{force or 'default'} with a budget of {nodes} nodes: {result}")
        assert result.optimal
        assert result.chosen == placed
        event(f"paths with a budget of {nodes} nodes{' (MILP forced)' if force else ''}: {sorted(result.paths)}")


def subset_sum_best(amounts: list[int], cap: int) -> dict[int, int]:
    """The cliff's answer by dynamic programming: the most credit under the cap, and among the
    sets giving it the lexicographically greatest (each candidate kept if what follows can
    still make up the rest exactly)."""
    reach = [{0}]  # reach[i]: sums the candidates i… can make, up to the cap
    for amount in reversed(amounts):
        sums = reach[0]
        reach.insert(0, sums | {s + amount for s in sums if s + amount <= cap})
    best = max(reach[0])
    chosen: dict[int, int] = {}
    left = best
    for i, amount in enumerate(amounts):
        if amount <= left and left - amount in reach[i + 1]:
            chosen[i] = amount
            left -= amount
    assert left == 0
    return chosen


@settings(max_examples=n(30), **SETTINGS)
@given(S.knapsacks())
def test_cliff_shapes_are_solved_exactly(case):
    """20-60 whole-course awards overflowing a total cap: the shape on which the old search ran
    out of nodes. The answer is the subset-sum optimum with the tie-break, proven."""
    amounts, cap = case
    cands = [Candidate((i,), amount, False, ((("course", i), ("rule", i)),), ((0, amount),), (), index=i)
             for i, amount in enumerate(amounts)]
    result = allocate.allocate(cands, [CreditCap("total", cap)], [], 0)
    assert result.optimal
    assert result.chosen == subset_sum_best(amounts, cap)


# ---------------------------------------------------------------- 2. limits


@settings(max_examples=n(200), **SETTINGS)
@given(S.cases())
@example(GROUP_PAIR)
def test_limits_never_exceeded(case):
    """Every credit and count limit holds for the awards made (read from the standard dict)."""
    standard, learner = case
    decision = decide(standard, learner)
    lim = limits_of(standard)
    rules = {r["id"]: r for r in standard["rules"]}
    facts = S.achievement_facts(standard, learner)
    assert decision.total_centi == sum(a.credits_centi for a in decision.awards)
    assert all(a.credits_centi > 0 for a in decision.awards)
    if lim.total is not None:
        assert decision.total_centi <= lim.total
    per_category: dict[str, int] = {}
    per_rule: dict[str, int] = {}
    per_achievement: dict[str, int] = {}
    uses: dict[str, int] = {}
    kind_items: dict[str, set[str]] = {}
    group_items: dict[tuple[str, Any], set[str]] = {}
    for award in decision.awards:
        rule = rules[award.rule]
        assert (award.capped_by is not None) == (award.credits_centi < award.asked_centi), award
        if award.courses:
            assert award.credits_centi == sum(c.credits for c in award.courses)
            for course in award.courses:
                per_category[course.category] = per_category.get(course.category, 0) + course.credits
        else:
            per_category[award.category] = per_category.get(award.category, 0) + award.credits_centi
            assert award.credits_centi <= award.asked_centi
        per_rule[award.rule] = per_rule.get(award.rule, 0) + award.credits_centi
        uses[award.rule] = uses.get(award.rule, 0) + 1
        if "aggregate" in rule:
            continue
        for a in award.achievements:
            per_achievement[a] = per_achievement.get(a, 0) + award.credits_centi
            kind_items.setdefault(facts[a]["kind"], set()).add(a)
            for group in lim.groups:
                value = facts[a].get(group["key"])
                if facts[a]["kind"] in group["kinds"] and value is not None:
                    group_items.setdefault((group["id"], value), set()).add(a)
    assert dict(decision.by_category_centi) == {k: v for k, v in per_category.items() if v}
    for category, used in per_category.items():
        if category in lim.categories:
            assert used <= lim.categories[category], category
    for rule_id, used in per_rule.items():
        if "max_credits" in rules[rule_id]:
            assert used <= centi(rules[rule_id]["max_credits"]), rule_id
        if "max_uses" in rules[rule_id]:
            assert uses[rule_id] <= rules[rule_id]["max_uses"], rule_id
    if lim.per_achievement is not None:
        for a, used in per_achievement.items():
            assert used <= lim.per_achievement, a
    for kind, limit in lim.kind_counts.items():
        assert len(kind_items.get(kind, ())) <= limit, kind
    group_max = {g["id"]: g.get("max", 1) for g in lim.groups}
    for (group_id, value), items in group_items.items():
        assert len(items) <= group_max[group_id], (group_id, value, sorted(items))
    for category, most in lim.category_counts.items():
        awards = [a for a in decision.awards if category in (
            {c.category for c in a.courses} if a.courses else {a.category})]
        assert len(awards) <= most, category
    for group in lim.rule_groups:
        mine = [a for a in decision.awards if a.rule in group["rules"]]
        if "max_count" in group:
            assert len(mine) <= group["max_count"], group["id"]
        if "max_credits" in group:
            assert sum(a.credits for a in mine) <= centi(group["max_credits"]), group["id"]


# ---------------------------------------------------------------- 3. nothing counted twice


@settings(max_examples=n(200), **SETTINGS)
@given(S.cases())
@example(PAIR_TWICE)
@example(REUSED_TWICE)
def test_nothing_counted_twice(case):
    """A course is credited once, an award made once, and an achievement serves two awards only
    when both rules are reusable or both are courses of one `mode: each` binding."""
    standard, learner = case
    decision = decide(standard, learner)
    rules = {r["id"]: r for r in standard["rules"]}
    seen_courses: dict[str, str] = {}
    for award in decision.awards:
        for course in award.courses:
            assert course.code not in seen_courses, f"course {course.code} credited twice"
            seen_courses[course.code] = award.rule
    bindings = [(a.rule, a.achievements, tuple(c.code for c in a.courses), a.category) for a in decision.awards]
    assert len(set(bindings)) == len(bindings), "the same award was made twice"
    awards = list(decision.awards)
    for i, one in enumerate(awards):
        for other in awards[i + 1:]:
            shared = set(one.achievements) & set(other.achievements)
            if not shared:
                continue
            if one.rule != other.rule:
                assert rules[one.rule].get("reusable", False) and rules[other.rule].get("reusable", False), (
                    f"achievements {sorted(shared)} used by {one.rule} and {other.rule}")
            else:  # one rule: only the courses of one `mode: each` binding share
                assert one.achievements == other.achievements and one.courses and other.courses, (
                    f"achievements {sorted(shared)} used by two bindings of {one.rule}: "
                    f"{one.achievements} and {other.achievements}")
    # a certificate used by an award is never listed as unused
    used = {a for award in decision.awards for a in award.achievements}
    assert not used & {u.achievement for u in decision.unused}


# ---------------------------------------------------------------- 4. input order


@settings(max_examples=n(120), **SETTINGS)
@given(S.cases(), st.randoms(use_true_random=False))
def test_achievement_order_is_irrelevant(case, rnd):
    """Shuffling the records (and the keys inside each) changes no byte of the decision."""
    standard, learner = case
    shuffled = copy.deepcopy(learner)
    rnd.shuffle(shuffled["achievements"])
    for ach in shuffled["achievements"]:  # key order inside a record does not matter either
        items = list(ach.items())
        rnd.shuffle(items)
        ach.clear()
        ach.update(items)
    assert decide(standard, learner).to_json() == decide(standard, shuffled).to_json()


# ---------------------------------------------------------------- 5. monotone


@st.composite
def cases_plus_one(draw):
    standard, learner = draw(S.cases(max_achievements=6))
    extra = draw(S.achievements("A9", S.learner_codes(standard)))
    return standard, learner, extra


@settings(max_examples=n(120), **SETTINGS)
@given(cases_plus_one())
def test_adding_an_achievement_never_lowers_the_total(case):
    """One more record never costs credit: every set feasible before is still feasible."""
    standard, learner, extra = case
    before = decide(standard, learner)
    more = copy.deepcopy(learner)
    more["achievements"].append(extra)
    after = decide(standard, more)
    assert after.total >= before.total, (before.total, after.total)


# ---------------------------------------------------------------- 6. deterministic


@settings(max_examples=n(80), **SETTINGS)
@given(S.cases())
def test_deterministic_and_picklable(case):
    """The same input twice, or through a pickled compiled standard, gives the same bytes."""
    standard, learner = case
    std = compiled(standard)
    first = creditrules.evaluate(std, copy.deepcopy(learner), S.AS_OF).to_json()
    second = creditrules.evaluate(std, copy.deepcopy(learner), S.AS_OF).to_json()
    assert first == second
    again = pickle.loads(pickle.dumps(std))
    assert creditrules.evaluate(again, copy.deepcopy(learner), S.AS_OF).to_json() == first


@settings(max_examples=n(30), **SETTINGS)
@given(S.cases())
def test_yaml_and_memory_compile_alike(case):
    standard, learner = case
    with tempfile.TemporaryDirectory() as folder:
        from_file = S.compile_one(folder, standard)
    from_memory = compiled(standard)
    assert creditrules.evaluate(from_file, copy.deepcopy(learner), S.AS_OF).to_json(trace=False) == \
        creditrules.evaluate(from_memory, copy.deepcopy(learner), S.AS_OF).to_json(trace=False)


_CHILD = f"""
import json, sys
import creditrules
std = creditrules.compile_standards(sys.argv[1])["{S.STANDARD_ID}"]
learner = json.load(open(sys.argv[2], encoding="utf-8"))
sys.stdout.write(creditrules.evaluate(std, learner, "{S.AS_OF.isoformat()}").to_json())
"""


@settings(max_examples=n(3), **SETTINGS)
@given(S.cases())
def test_same_bytes_under_other_hash_seeds(case):
    """Decisions must not depend on set/dict iteration order that varies between processes."""
    standard, learner = case
    with tempfile.TemporaryDirectory() as folder:
        S.compile_dicts(Path(folder) / "std", [standard])
        learner_path = Path(folder) / "learner.json"
        learner_path.write_text(json.dumps(learner, ensure_ascii=False), encoding="utf-8")
        outputs = set()
        for seed in ("1", "2"):
            env = dict(os.environ, PYTHONHASHSEED=seed)
            result = subprocess.run([sys.executable, "-c", _CHILD, str(Path(folder) / "std"), str(learner_path)],
                                    capture_output=True, text=True, env=env, check=True)
            outputs.add(result.stdout)
        assert len(outputs) == 1
