"""Rules that compete for one achievement: A001 (decided by file order) and A002 (can never win).

Two awards cannot both be made when they credit the same course, or when they
use the same achievement and the rules are not both ``reusable``. The allocator
then keeps the better one; between equally good ones, the higher ``priority``,
then the rule written first. So:

* **A001** — two rules can take the same achievement, only one can be awarded,
  they give different things (courses, category, outcome or grade) worth the
  same credits, both whole courses or both credits, at the same priority: the
  file order decides silently. (Whole courses are always tried before category
  credits, so a course against category credits is not a tie.)
* **A002** — a rule takes nothing that another rule does not also take, and that
  other rule gives at least as much and wins ties: the rule is never awarded.

Aggregates are left out: what they give depends on how much the records add up to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from ..compiled import CompiledRule, CompiledRuleset, from_centi
from ..conditions import format_value
from ..errors import Diagnostic
from .context import Context, example, sample_values, show_value
from ..regions import SlotRegion, attribute_info, full


@dataclass(frozen=True)
class Unit:
    """One award a rule makes from one binding: courses, or credits into a category or outcome."""

    courses: tuple[str, ...]
    category: str | None
    outcome: str | None
    credits: int

    def label(self) -> str:
        if self.courses:
            return "+".join(self.courses)
        if self.outcome is not None:
            return f"outcome {self.outcome}"
        return f"{format_value(float(from_centi(self.credits)))} credits into {self.category}"


def units(rule: CompiledRule, ruleset: CompiledRuleset) -> list[Unit]:
    program = ruleset.program
    if rule.target == "courses":
        if program is None or any(c not in program.courses for c in rule.courses):
            return []
        groups = [(c,) for c in rule.courses] if rule.mode == "each" else [rule.courses]
        return [Unit(g, None, None, sum(program.courses[c].credits for c in g)) for g in groups]
    return [Unit((), rule.category, rule.outcome, rule.credits)]


def grade(rule: CompiledRule, shown: str | None) -> str | None:
    """The grade recorded for an achievement whose ``grade.from`` attribute is written ``shown``."""
    if rule.grade_from is None:
        return rule.grade
    if shown is not None:
        for key, value in rule.grade_map:
            if key == shown or _same_number(key, shown):
                return value
    return rule.grade_default


def _same_number(a: str, b: str) -> bool:
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def compete(r1: CompiledRule, u1: Unit, r2: CompiledRule, u2: Unit) -> bool:
    """True when the two awards, made from one shared achievement, exclude each other."""
    return bool(set(u1.courses) & set(u2.courses)) or not (r1.reusable and r2.reusable)


def check(context: Context) -> Iterator[Diagnostic]:
    for ruleset in context.rulesets():
        rules = [r for r in ruleset.rules if r.shape != "aggregate"]
        dead: set[int] = set()
        for loser in rules:
            winner = _dominating(context, ruleset, loser, rules)
            if winner is not None:
                dead.add(loser.index)
                yield _subsumed(context, ruleset, loser, winner)
        for i, first in enumerate(rules):
            for second in rules[i + 1:]:
                if first.index in dead or second.index in dead:
                    continue
                found = _tie(context, ruleset, first, second)
                if found is not None:
                    yield found


# ---------------------------------------------------------------- A001

def _tie(context: Context, ruleset: CompiledRuleset, first: CompiledRule, second: CompiledRule) -> Diagnostic | None:
    if first.priority != second.priority:
        return None
    pairs = [(u1, u2) for u1 in units(first, ruleset) for u2 in units(second, ruleset)
             if compete(first, u1, second, u2) and u1.credits == u2.credits
             and bool(u1.courses) == bool(u2.courses)]  # whole courses always go before category credits
    if not pairs:
        return None
    for s1 in context.regions(ruleset, first):
        for s2 in context.regions(ruleset, second):
            both = s1.meet(s2)
            if both is None:
                continue
            for point in _points(both, first, second, ruleset):
                shown = {name: _shown(both, name, value) for name, value in point.items()}
                for u1, u2 in pairs:
                    g1 = grade(first, shown.get(first.grade_from or ""))
                    g2 = grade(second, shown.get(second.grade_from or ""))
                    if (u1, g1) != (u2, g2):
                        return _competition(context, ruleset, first, u1, g1, second, u2, g2, example(both, point))
    return None


def _points(region: SlotRegion, first: CompiledRule, second: CompiledRule,
            ruleset: CompiledRuleset) -> list[dict[str, Any]]:
    """Values of the attributes the grades depend on, each combination one point to try."""
    names = sorted({r.grade_from for r in (first, second) if r.grade_from})
    points: list[dict[str, Any]] = [{}]
    for name in names:
        keys = [key for r in (first, second) for key, _ in r.grade_map]
        if name not in region.attributes:
            kinds = {ruleset.catalog[c].kind for c in region.codes}
            info = attribute_info(name, kinds, ruleset)
            if info is None:
                continue
            region = SlotRegion(region.codes, {**region.attributes, name: full(info, ruleset.scales)},
                                {**region.info, name: info}, region.scales, region.required)
        values = sample_values(region, name, [_parsed(k) for k in keys])
        points = [{**p, name: v} for p in points for v in values]
    return points


def _parsed(key: str) -> Any:
    try:
        return float(key)
    except ValueError:
        return key


def _shown(region: SlotRegion, name: str, value: Any) -> str | None:
    return None if value is None else show_value(name, value, region)


def _gives(unit: Unit, grade_: str | None) -> str:
    return unit.label() + (f" grade {grade_}" if grade_ else "")


def _competition(context: Context, ruleset: CompiledRuleset, first: CompiledRule, u1: Unit, g1: str | None,
                 second: CompiledRule, u2: Unit, g2: str | None, sample: str) -> Diagnostic:
    here = second.origin.path
    credits = format_value(float(from_centi(u1.credits)))
    message = (f"rules '{first.id}' ({context.where(first, here)}) and '{second.id}' compete for one achievement, "
               f"e.g. {sample}: '{first.id}' gives {_gives(u1, g1)}, '{second.id}' gives {_gives(u2, g2)}, "
               f"both {credits} credits at priority {first.priority}, so only their order in the file decides; "
               "give one a higher priority or make their conditions exclusive")
    return context.at_rule(second, ("id",), "A001", message)


# ---------------------------------------------------------------- A002

def _dominating(context: Context, ruleset: CompiledRuleset, loser: CompiledRule,
                rules: list[CompiledRule]) -> CompiledRule | None:
    """A rule that takes every achievement ``loser`` takes and beats each of its awards."""
    if loser.shape != "one":
        return None
    region = context.regions(ruleset, loser)[0]
    if region.empty():
        return None  # W002/W004 already say it can never fire
    lost = units(loser, ruleset)
    if not lost:
        return None
    for winner in rules:
        if winner is loser or winner.shape != "one" or winner.max_uses is not None or winner.max_credits is not None:
            continue
        if not region.within(context.regions(ruleset, winner)[0]):
            continue
        won = [w for w in units(winner, ruleset) if _always_fits(w, winner, ruleset)]
        if won and all(any(_beats(winner, w, loser, u) for w in won) for u in lost):
            return winner
    return None


def _always_fits(unit: Unit, rule: CompiledRule, ruleset: CompiledRuleset) -> bool:
    """False when a limit every award of the unit counts against is smaller than the unit (W003)."""
    limits = ruleset.limits
    caps = [limits.total, limits.per_achievement]
    if ruleset.program is not None:
        for code in unit.courses:
            category = ruleset.program.courses[code].category
            share = sum(ruleset.program.courses[c].credits for c in unit.courses
                        if ruleset.program.courses[c].category == category)
            cap = limits.categories.get(category)
            if cap is not None and share > cap:
                return False
    return all(cap is None or unit.credits <= cap for cap in caps) or not unit.courses


def _beats(winner: CompiledRule, w: Unit, loser: CompiledRule, u: Unit) -> bool:
    if not compete(winner, w, loser, u):
        return False
    if u.courses:
        at_least = set(u.courses) <= set(w.courses)
    else:
        at_least = (w.category, w.outcome) == (u.category, u.outcome) and w.credits >= u.credits
    if not at_least or w.credits < u.credits:
        return False
    if winner.priority != loser.priority:
        return winner.priority > loser.priority
    return w.credits > u.credits or winner.index < loser.index


def _all(rule: CompiledRule, ruleset: CompiledRuleset) -> str:
    return ", ".join(u.label() for u in units(rule, ruleset))


def _subsumed(context: Context, ruleset: CompiledRuleset, loser: CompiledRule, winner: CompiledRule) -> Diagnostic:
    here = loser.origin.path
    message = (f"rule '{loser.id}' can never be awarded: rule '{winner.id}' ({context.where(winner, here)}) takes "
               f"every achievement it takes, gives {_all(winner, ruleset)} (this rule: {_all(loser, ruleset)}) and "
               f"wins ties; remove '{loser.id}' or narrow '{winner.id}'")
    return context.at_rule(loser, ("id",), "A002", message)
