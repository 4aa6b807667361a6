"""Limits that can never bind (A020), and limits that leave rules nothing to give (A021).

A course is credited once per decision, so whole-course rules can only ever give
so much; a category or outcome rule is bounded only by its own ``max_uses`` or
``max_credits``, or by an aggregate's ``max``. When everything a limit counts
can never exceed it, the limit says nothing (A020) — usually a typo or a limit
left over from an older version. A limit of 0 (or a count of 0) makes every rule
it applies to useless (A021). A whole-course grant larger than a limit is W003,
from the compiler.

Only limits a file sets itself are judged in that file: a base's limit may bind
for one standard that extends it and not for another.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..compiled import CompiledRule, CompiledRuleset, from_centi
from ..conditions import format_value
from ..errors import Diagnostic
from ..loader import SourceFile
from .context import Context


def check(context: Context) -> Iterator[Diagnostic]:
    for ruleset in context.rulesets():
        own = context.own_file(ruleset)
        yield from _zero(context, ruleset, own)
        yield from _rule_limits(context, ruleset, own)
        if ruleset.program is not None or ruleset.kind == "certification":
            yield from _shared_limits(context, ruleset, own)


def _credits(value: int) -> str:
    return format_value(float(from_centi(value)))


def _amount(value: int) -> str:
    """'1 credit', '2.5 credits'."""
    return f"{_credits(value)} credit{'' if value == 100 else 's'}"


def _names(rules: list[CompiledRule]) -> str:
    return ", ".join(f"'{r.id}'" for r in rules)


# ---------------------------------------------------------------- what rules can give at most

def course_credits(rule: CompiledRule, ruleset: CompiledRuleset) -> int:
    program = ruleset.program
    if program is None:
        return 0
    return sum(program.courses[c].credits for c in rule.courses if c in program.courses)


def most_awards(rule: CompiledRule) -> int | None:
    """The most awards the rule can make in one decision, before its own max_uses (None: no bound)."""
    if rule.target == "courses":
        return len(rule.courses) if rule.mode == "each" and rule.shape != "aggregate" else 1
    if rule.shape == "aggregate":
        return 1
    return None


def most_credits(rule: CompiledRule, ruleset: CompiledRuleset, own_cap: bool = True) -> int | None:
    """The most credits the rule can give in one decision (None: no bound)."""
    bounds: list[int] = []
    if rule.target == "courses":
        bounds.append(course_credits(rule, ruleset))
    elif rule.shape == "aggregate":
        if rule.aggregate is not None and rule.aggregate.max is not None:
            bounds.append(rule.aggregate.max)
    elif rule.max_uses is not None:
        bounds.append(rule.max_uses * rule.credits)
    if own_cap and rule.max_credits is not None:
        bounds.append(rule.max_credits)
    return min(bounds) if bounds else None


# ---------------------------------------------------------------- A021

def _zero(context: Context, ruleset: CompiledRuleset, own: SourceFile) -> Iterator[Diagnostic]:
    limits = own.standard.limits
    if limits is not None:
        all_rules = list(ruleset.rules)
        if limits.total is not None and ruleset.limits.total == 0 and all_rules:
            yield context.at(own, ("limits", "total"), "A021",
                             f"the total limit is 0, so no rule can give credit ({_names(all_rules)})")
        for category, cap in limits.categories.items():
            hit = [r for r in ruleset.rules if r.category == category and r.target == "category"]
            if cap.max == 0 and hit:
                yield context.at(own, ("limits", "categories", category, "max"), "A021",
                                 f"the limit on category '{category}' is 0, so {_rules(hit)} can never give "
                                 "credit into it")
        if limits.per_achievement is not None and limits.per_achievement.max_credits == 0:
            hit = [r for r in ruleset.rules if r.shape != "aggregate"]
            if hit:
                yield context.at(own, ("limits", "per_achievement", "max_credits"), "A021",
                                 f"the per-achievement limit is 0, so {_rules(hit)} can never give credit")
        for kind, count in limits.kinds.items():
            hit = [r for r in ruleset.rules if count.max_count == 0 and any(
                region.codes and all(ruleset.catalog[c].kind == kind for c in region.codes)
                for region in context.regions(ruleset, r))]
            if hit:
                yield context.at(own, ("limits", "kinds", kind, "max_count"), "A021",
                                 f"achievements of kind '{kind}' may count 0 times, so {_rules(hit)} can never "
                                 "be awarded")
    for rule in ruleset.rules:
        if rule.origin.path != own.path:
            continue
        if rule.max_credits == 0:
            yield context.at_rule(rule, ("max_credits",), "A021",
                                  f"max_credits 0 leaves rule '{rule.id}' nothing to give")
        if rule.aggregate is not None and rule.aggregate.max == 0:
            yield context.at_rule(rule, ("aggregate", "max"), "A021",
                                  f"an aggregate max of 0 leaves rule '{rule.id}' nothing to give")


def _rules(rules: list[CompiledRule]) -> str:
    return ("rule " if len(rules) == 1 else "rules ") + _names(rules)


# ---------------------------------------------------------------- A020: a rule's own limits

def _rule_limits(context: Context, ruleset: CompiledRuleset, own: SourceFile) -> Iterator[Diagnostic]:
    for rule in ruleset.rules:
        if rule.origin.path != own.path or (rule.target == "courses" and ruleset.program is None):
            continue
        if rule.max_credits:
            bound = most_credits(rule, ruleset, own_cap=False)
            if bound is not None and bound <= rule.max_credits:
                yield context.at_rule(rule, ("max_credits",), "A020",
                                      f"max_credits {_credits(rule.max_credits)} of rule '{rule.id}' never binds: "
                                      f"the rule can give at most {_amount(bound)}")
        if rule.max_uses is not None:
            awards = most_awards(rule)
            if awards is not None and awards <= rule.max_uses:
                times = "once" if awards == 1 else f"{awards} times"
                yield context.at_rule(rule, ("max_uses",), "A020",
                                      f"max_uses {rule.max_uses} of rule '{rule.id}' never binds: the rule can be "
                                      f"awarded at most {times}")


# ---------------------------------------------------------------- A020: limits shared by rules

def _shared_limits(context: Context, ruleset: CompiledRuleset, own: SourceFile) -> Iterator[Diagnostic]:
    limits = own.standard.limits
    if limits is None:
        return
    by_category = _category_bounds(ruleset)
    for category in limits.categories:
        bound = by_category.get(category, 0)
        if bound is not None and ruleset.limits.categories.get(category) and \
                bound <= ruleset.limits.categories[category]:
            yield context.at(own, ("limits", "categories", category, "max"), "A020",
                             f"the limit of {_amount(ruleset.limits.categories[category])} on category "
                             f"'{category}' never binds: the rules can give at most {_amount(bound)} in it")
    if limits.total is not None and ruleset.limits.total:
        total = _total_bound(ruleset, by_category)
        if total is not None and total <= ruleset.limits.total:
            yield context.at(own, ("limits", "total"), "A020",
                             f"the total limit of {_amount(ruleset.limits.total)} never binds: the rules "
                             f"can give at most {_amount(total)} in all")
    yield from _award_limits(context, ruleset, own)
    if limits.per_achievement is not None and ruleset.limits.per_achievement:
        most = _per_achievement_bound(context, ruleset)
        if most is not None and most <= ruleset.limits.per_achievement:
            yield context.at(own, ("limits", "per_achievement", "max_credits"), "A020",
                             f"the per-achievement limit of {_amount(ruleset.limits.per_achievement)} "
                             f"never binds: no achievement can earn more than {_amount(most)}")


def _category_bounds(ruleset: CompiledRuleset) -> dict[str, int | None]:
    """The most credit that can land in each category (None: no bound)."""
    bounds: dict[str, int | None] = {}
    program = ruleset.program
    if program is not None:
        reached = {c for r in ruleset.rules if r.target == "courses" for c in r.courses if c in program.courses}
        for code in reached:
            category = program.courses[code].category
            bounds[category] = (bounds.get(category) or 0) + program.courses[code].credits
    for rule in ruleset.rules:
        if rule.target != "category" or rule.category is None:
            continue
        bound = most_credits(rule, ruleset)
        before = bounds.get(rule.category, 0)
        bounds[rule.category] = None if bound is None or before is None else before + bound
    return bounds


def _total_bound(ruleset: CompiledRuleset, by_category: dict[str, int | None]) -> int | None:
    total = 0
    for category, bound in by_category.items():
        cap = ruleset.limits.categories.get(category)
        if bound is None and cap is None:
            return None
        total += min(b for b in (bound, cap) if b is not None)
    for rule in ruleset.rules:
        if rule.target == "outcome":
            bound = most_credits(rule, ruleset)
            if bound is None:
                return None
            total += bound
    return total


def _per_achievement_bound(context: Context, ruleset: CompiledRuleset) -> int | None:
    """The most credit one achievement can bring: one exclusive binding, or every reusable rule at once."""
    shared: dict[str, int] = {}
    alone: dict[str, int] = {}
    for rule in ruleset.rules:
        if rule.shape == "aggregate":
            continue  # the per-achievement limit does not apply to aggregates
        one = course_credits(rule, ruleset) if rule.target == "courses" else rule.credits
        if rule.max_credits is not None:
            one = min(one, rule.max_credits)
        codes = {c for region in context.regions(ruleset, rule) if not region.empty() for c in region.codes}
        for code in codes:
            if rule.reusable:
                shared[code] = shared.get(code, 0) + one
            else:
                alone[code] = max(alone.get(code, 0), one)
    return max([0, *shared.values(), *alone.values()])


def _award_limits(context: Context, ruleset: CompiledRuleset, own: SourceFile) -> Iterator[Diagnostic]:
    """A020 for award limits (limits.py): what the rules it charges can give, added up, against its capacity."""
    limits = own.standard.limits
    assert limits is not None
    for limit, capacity in ruleset.limits.award_limits:
        if limit.yaml_key not in limits.model_fields_set or capacity == 0 or limit.shared:
            continue  # a shared budget binds across standards decided together: one standard's bound says nothing
        bound: int | None = 0
        for rule_plan in ruleset.plan.rules:
            charged = [u for u in rule_plan.units
                       if any(key == limit for key, _ in (*u.award_counts, *u.award_credits))]
            if not charged:
                continue
            rule = rule_plan.rule
            most = (min(len(charged), rule.max_uses or len(charged)) if most_awards(rule) is not None
                    else rule.max_uses) if limit.counted else most_credits(rule, ruleset)
            if most is None or bound is None:
                bound = None
                break
            bound += most
        if bound is not None and bound <= capacity:
            show = str if limit.counted else _credits
            what = "awards" if limit.counted else "credits"
            yield context.at(own, ("limits", limit.yaml_key), "A020",
                             f"{limit.display_id} ({show(capacity)} {what}) never binds: the rules it applies to "
                             f"can make at most {show(bound)} {what}")
