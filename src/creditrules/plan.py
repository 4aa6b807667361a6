"""What a ruleset needs at evaluation time, worked out once per ruleset.

Compiling a standard gives rules as the author wrote them; evaluating a learner
needs them indexed the other way round — which slots a code can fill, what each
award would be charged to — and that answer is the same for every learner. A
:class:`Plan` holds it, built the first time a ruleset is evaluated and kept on the
ruleset (it is derived data: dropped when a ruleset is pickled, rebuilt on demand),
so per learner the evaluator does no work in proportion to rules the learner does
not touch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .limits import AwardLimit, CategoryLimit, LimitKind, RuleCreditLimit, RuleUsesLimit, TotalLimit
from .memo import BoundedMemo

if TYPE_CHECKING:
    from .allocate import AllocationMemo
    from .compiled import CompiledRule, CompiledRuleset, ProgramInfo


@dataclass(frozen=True, slots=True)
class Unit:
    """One award a rule can make for one binding: its courses (none for a category or outcome
    grant), their credits, and what the courses charge each category limit."""

    courses: tuple[str, ...]
    amount: int  # centi; 0 for a category or outcome grant (the rule or the aggregate says)
    category_shares: tuple[tuple[CategoryLimit, int], ...]
    award_credits: tuple[tuple[LimitKind, int], ...] = ()  # award limits charged the award's amount
    award_counts: tuple[tuple[LimitKind, int], ...] = ()  # award limits the award counts one toward


@dataclass(frozen=True, slots=True)
class RulePlan:
    rule: CompiledRule
    units: tuple[Unit, ...]
    divisible: bool  # a category or outcome grant, cut to fit; whole courses are never split
    credit_limits: tuple[tuple[LimitKind, int], ...]  # (limit, capacity) charged the award's full amount
    uses_limit: tuple[RuleUsesLimit, int] | None
    slot_codes: tuple[frozenset[str] | None, ...]
    origin: str = ""  # "path:line:column" of the rule, as a trace shows it


@dataclass(slots=True)
class DecisionConstants:
    """Parts every decision under one ruleset shares, filled on first use (None until then)."""

    stamp: Any = None  # decision.StandardStamp
    nothing_awarded: Any = None  # decision.Application of a learner awarded nothing


@dataclass(frozen=True, slots=True)
class Plan:
    """One ruleset, indexed for evaluation."""

    rules: tuple[RulePlan, ...]
    by_code: dict[str, tuple[int, ...]]  # code → indexes of the rules that can use it
    outcome_codes: dict[str, str]  # code only certification may issue → the certification standard
    total: tuple[TotalLimit, int] | None
    # Answers of allocation problems already met, by shape: derived, never part of a decision's content.
    allocations: AllocationMemo = field(default_factory=BoundedMemo, compare=False, repr=False)
    # Why a record's code is unknown here (en, zh, reason code), by the code as written: the hint
    # searches the whole catalog, and screening a province meets the same foreign codes millions of times.
    unknown_codes: BoundedMemo[tuple[str, str, str]] = field(default_factory=BoundedMemo, compare=False, repr=False)
    # A record's attributes typed against its kind, by its code and those values (learner.facts_for):
    # a province holds millions of records but few distinct (code, level) pairs.
    typings: BoundedMemo[Any] = field(default_factory=BoundedMemo, compare=False, repr=False)
    # What every decision under this ruleset repeats (its stamp, its application when nothing is
    # awarded), made once by the evaluator: immutable decision values, which this layer cannot build.
    constants: DecisionConstants = field(default_factory=DecisionConstants, compare=False, repr=False)


def build_plan(ruleset: CompiledRuleset) -> Plan:
    limits = ruleset.limits
    program = ruleset.program
    total = (TotalLimit(), limits.total) if limits.total is not None else None
    plans = []
    for rule in ruleset.rules:
        divisible = rule.target != "courses"
        units: list[Unit] = []
        if rule.target == "courses":
            assert program is not None
            by_course = rule.aggregate is not None and rule.aggregate.by is not None
            groups = [(c,) for c in rule.courses] if (rule.mode == "each" and rule.aggregate is None) or by_course \
                else [rule.courses]
            for courses in groups:
                per_category: dict[str, int] = {}
                for code in courses:
                    course = program.courses[code]
                    per_category[course.category] = per_category.get(course.category, 0) + course.credits
                shares = tuple((CategoryLimit(c), a) for c, a in sorted(per_category.items())
                               if c in limits.categories)
                units.append(Unit(courses, sum(program.courses[c].credits for c in courses), shares))
        else:
            units.append(Unit((), 0, ()))
        if limits.award_limits:
            units = [_with_award_limits(unit, rule, program, limits.award_limits) for unit in units]
        credit_limits: list[tuple[LimitKind, int]] = []
        if divisible and rule.category is not None and rule.category in limits.categories:
            credit_limits.append((CategoryLimit(rule.category), limits.categories[rule.category]))
        if rule.max_credits is not None:
            credit_limits.append((RuleCreditLimit(rule.id), rule.max_credits))
        uses = (RuleUsesLimit(rule.id), rule.max_uses) if rule.max_uses is not None else None
        plans.append(RulePlan(rule, tuple(units), divisible, tuple(credit_limits), uses,
                              tuple(slot.codes for slot in rule.slots),
                              f"{rule.origin.path}:{rule.origin.line}:{rule.origin.column}"))
    outcome_codes = {rule.outcome: cert.id for cert in ruleset.certifications for rule in cert.rules
                     if rule.outcome is not None}
    return Plan(tuple(plans), ruleset.by_code, outcome_codes, total)


def _with_award_limits(unit: Unit, rule: CompiledRule, program: ProgramInfo | None,
                       award_limits: tuple[tuple[AwardLimit, int], ...]) -> Unit:
    """The award limits (limits.py) one award of ``unit`` is charged to, asked of each limit once per ruleset."""
    if unit.courses and program is not None:
        categories = frozenset(program.courses[c].category for c in unit.courses)
    else:
        categories = frozenset([rule.category]) if rule.target == "category" and rule.category else frozenset()
    credits = tuple((limit, capacity) for limit, capacity in award_limits
                    if not limit.counted and limit.charged(rule, categories))
    counts = tuple((limit, capacity) for limit, capacity in award_limits
                   if limit.counted and limit.charged(rule, categories))
    return Unit(unit.courses, unit.amount, unit.category_shares, credits, counts) if credits or counts else unit
