"""The compiled form: immutable, picklable data the evaluator reads.

Credits are held as integers in hundredths (``centi``) so that sums, caps and
ratios are exact; they are turned back into numbers only for output.
Everything here is read-only: the classes are frozen, their mappings are
:class:`FrozenDict` (a ``dict`` that refuses every change) and a standard's rule graph
is frozen by networkx, which is what makes one compiled standard safe to share
between threads and processes. ``tests/test_contract.py`` tries every kind of change.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import Any, Literal, NoReturn, TypeVar

import networkx as nx

from .conditions import CompiledCondition
from .errors import Diagnostic, NoVersionInForce
from .limits import AwardLimit
from .normalise import normalise
from .plan import Plan, build_plan

CENTI = 100

_K = TypeVar("_K")
_V = TypeVar("_V")


class FrozenDict(dict[_K, _V]):
    """A ``dict`` that cannot be changed once built: every compiled mapping is one. Reading is a
    plain dict's (as fast); it pickles, so a compiled standard still travels to worker processes."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("a compiled standard is read-only: compile a changed standard instead")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenDict, (dict(self),))

    def __copy__(self) -> FrozenDict[_K, _V]:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> FrozenDict[_K, _V]:
        return self


def _freeze(owner: object, *names: str) -> None:
    """Make the named dict fields of a frozen dataclass FrozenDicts (at construction)."""
    for name in names:
        value = getattr(owner, name)
        if type(value) is not FrozenDict:
            object.__setattr__(owner, name, FrozenDict(value))


def to_centi(value: Decimal | int | float) -> int:
    return int((Decimal(str(value)) * CENTI).to_integral_value(rounding=ROUND_FLOOR))


def from_centi(value: int) -> int | float:
    """Credits for output: 4 stays 4, 450 hundredths become 4.5."""
    return value / CENTI if value % CENTI else value // CENTI


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a rule was written: the standard, its version and the file position."""

    standard_id: str
    version: str
    path: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class StandardRef:
    id: str
    version: str
    content_hash: str
    path: str


@dataclass(frozen=True, slots=True)
class AttributeInfo:
    type: str
    scale: str | None = None
    values: frozenset[str] = frozenset()
    min: float | None = None
    max: float | None = None
    required: bool = False
    name_zh: str | None = None
    name_en: str | None = None


@dataclass(frozen=True, slots=True)
class KindInfo:
    name_zh: str
    name_en: str
    attributes: dict[str, AttributeInfo]

    def __post_init__(self) -> None:
        _freeze(self, "attributes")


@dataclass(frozen=True, slots=True)
class ScaleInfo:
    name_zh: str
    name_en: str
    levels: tuple[str, ...]
    levels_en: tuple[str, ...]
    ranks: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        ranks: dict[str, int] = dict(self.ranks)
        for index, level in enumerate(self.levels):
            ranks.setdefault(level, index)
            ranks.setdefault(normalise(level), index)
        object.__setattr__(self, "ranks", FrozenDict(ranks))

    def rank(self, level: str) -> int | None:
        """The level's place on the scale; full-width and half-width forms are the same level."""
        found = self.ranks.get(level)
        return found if found is not None else self.ranks.get(normalise(level))


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """The unit credit is counted in, as outputs name it."""

    zh: str = "学分"
    en: str = "credits"
    en_one: str = "credit"

    def word(self, value: int, lang: str = "en") -> str:
        """The unit after ``value`` (in hundredths): 'credit' after 1, 'credits' otherwise; zh has one form."""
        if lang == "zh":
            return self.zh
        return self.en_one if value == CENTI else self.en

    def to_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en, "en_one": self.en_one}


DEFAULT_UNIT = UnitInfo()


@dataclass(frozen=True, slots=True)
class CatalogInfo:
    code: str
    kind: str
    name_zh: str
    name_en: str
    attributes: tuple[tuple[str, Any], ...] = ()  # fixed for every record of the code, as written
    certified_by: tuple[str, ...] | None = None  # service tiers that may certify it (the ledger checks)
    reconvertible: bool = False  # may count in more than one recorded decision


@dataclass(frozen=True, slots=True)
class CourseInfo:
    code: str
    name_zh: str
    name_en: str
    credits: int
    category: str


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    id: str
    name_zh: str
    name_en: str
    required: int


@dataclass(frozen=True, slots=True)
class ProgramInfo:
    code: str
    name_zh: str
    name_en: str
    total_credits: int
    categories: dict[str, CategoryInfo]
    courses: dict[str, CourseInfo]

    def __post_init__(self) -> None:
        _freeze(self, "categories", "courses")


@dataclass(frozen=True, slots=True)
class GroupInfo:
    id: str
    name_zh: str
    name_en: str
    kinds: frozenset[str]
    key: str
    max: int


@dataclass(frozen=True, slots=True)
class LimitsInfo:
    total: int | None = None
    total_source: str = ""  # how the total cap was stated, for the trace ("50" or "25% of 140")
    categories: dict[str, int] = field(default_factory=dict)
    per_achievement: int | None = None
    kind_counts: dict[str, int] = field(default_factory=dict)
    groups: tuple[GroupInfo, ...] = ()
    award_limits: tuple[tuple[AwardLimit, int], ...] = ()  # (limit, capacity): category counts, rule groups…
    rule_groups: dict[str, tuple[str, str]] = field(default_factory=dict)  # rule group id → (name_zh, name_en)

    def __post_init__(self) -> None:
        _freeze(self, "categories", "kind_counts")


@dataclass(frozen=True, slots=True)
class CompiledSlot:
    """What one achievement must be to fill a place in a rule."""

    codes: frozenset[str] | None  # None: any code of `kinds`
    kinds: frozenset[str]
    conditions: tuple[CompiledCondition, ...]


@dataclass(frozen=True, slots=True)
class CompiledAggregate:
    total: str  # "count", or a number attribute to add up
    per: Decimal
    credits: int
    rounding: str
    step: int
    max: int | None
    by: str | None = None  # a record attribute naming the course it counts toward: one sum per course
    targets: tuple[tuple[str, CompiledAggregate], ...] = ()  # course → its own ratio, rounding and cap

    def for_course(self, course: str) -> CompiledAggregate:
        """The ratio, rounding and cap of one course of an aggregate grouped ``by`` course."""
        return next((spec for code, spec in self.targets if code == course), self)

    def credits_for(self, amount: Decimal, capped: bool = True) -> int:
        """Credits (centi) for a total of ``amount`` units, rounded to ``step``, within ``max``
        unless ``capped`` is false."""
        raw = amount / self.per * self.credits
        steps = raw / self.step
        if self.rounding == "down":
            whole = int(steps.to_integral_value(rounding=ROUND_FLOOR))
        elif self.rounding == "up":
            whole = -int((-steps).to_integral_value(rounding=ROUND_FLOOR))
        else:
            whole = int((steps + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR))
        result = whole * self.step
        return min(result, self.max) if capped and self.max is not None else result


@dataclass(frozen=True, slots=True)
class CompiledGate:
    """Conditions on the learner rather than an achievement: context attributes (typed by the
    standard's ``context``), courses that must have been passed, courses that must not have been taken."""

    conditions: tuple[CompiledCondition, ...] = ()
    passed: tuple[str, ...] = ()
    not_taken: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CompiledNotTaken:
    """Course-history exclusions: a course award is suppressed when the learner's history holds the
    course with one of ``statuses``, or a passed course ``higher`` lists above it."""

    statuses: frozenset[str]
    higher: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CompiledRule:
    index: int
    id: str
    name_zh: str
    name_en: str
    priority: int
    shape: Literal["one", "all", "aggregate"]
    slots: tuple[CompiledSlot, ...]
    aggregate: CompiledAggregate | None
    target: Literal["courses", "category", "outcome"]
    courses: tuple[str, ...]
    mode: str
    category: str | None
    credits: int  # fixed credits of a category or outcome grant; 0 when an aggregate computes them
    grade: str | None
    grade_from: str | None
    grade_map: tuple[tuple[str, str], ...]
    grade_default: str | None
    outcome: str | None
    outcome_attributes: tuple[tuple[str, Any], ...]
    max_credits: int | None
    max_uses: int | None
    reusable: bool
    origin: Origin
    requires: CompiledGate | None = None  # the rule's own gate on the learner
    not_taken: CompiledNotTaken | None = None  # the exclusions in force for this rule (its own, or the standard's)


@dataclass(frozen=True)
class CompiledRuleset:
    """One standard as in force over one window of dates, inheritance resolved."""

    id: str
    version: str
    kind: str
    name_zh: str
    name_en: str
    effective_from: date
    effective_until: date | None
    chain: tuple[StandardRef, ...]
    content_hash: str
    scales: dict[str, ScaleInfo]
    kinds: dict[str, KindInfo]
    catalog: dict[str, CatalogInfo]
    aliases: dict[str, str]
    program: ProgramInfo | None
    limits: LimitsInfo
    rules: tuple[CompiledRule, ...]
    by_code: dict[str, tuple[int, ...]]
    certifications: tuple[CompiledRuleset, ...] = ()
    unit: UnitInfo = DEFAULT_UNIT
    # an institution-wide standard (no program): the categories its rules credit, id → (name_zh, name_en)
    categories: dict[str, tuple[str, str]] = field(default_factory=dict)
    context_attributes: dict[str, AttributeInfo] = field(default_factory=dict)
    eligibility: CompiledGate | None = None

    def __post_init__(self) -> None:
        _freeze(self, "scales", "kinds", "catalog", "aliases", "by_code")

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_until is None or day <= self.effective_until)

    def rule(self, rule_id: str) -> CompiledRule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    @functools.cached_property
    def plan(self) -> Plan:
        """The ruleset indexed for evaluation, built once on first use."""
        return build_plan(self)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("plan", None)  # derived: rebuilt where it is unpickled
        return state


@dataclass(frozen=True)
class CompiledStandard:
    """Every version of one standard, each resolved against its bases, ready to evaluate."""

    id: str
    segments: tuple[CompiledRuleset, ...]
    graph: nx.DiGraph = field(repr=False, compare=False)
    warnings: tuple[Diagnostic, ...] = ()

    def __post_init__(self) -> None:
        nx.freeze(self.graph)

    def ruleset_for(self, as_of: date) -> CompiledRuleset:
        """The ruleset in force on ``as_of`` (the latest-starting one if several overlap)."""
        matches = [s for s in self.segments if s.in_force(as_of)]
        if not matches:
            windows = ", ".join(
                f"{s.version} {s.effective_from}..{s.effective_until or ''}" for s in self.segments) or "none"
            raise NoVersionInForce(
                f"no version of standard '{self.id}' is in force on {as_of.isoformat()} (versions: {windows})")
        return max(matches, key=lambda s: (s.effective_from, s.version))
