"""Conditions as regions of the attribute space, so rules can be compared without a learner.

A slot of a rule accepts the achievements whose code is in a finite set and whose
attributes lie in one region each: a set of ranks on an ordered scale, an
interval of numbers, a set of choices or texts (or everything but some texts), a
window of dates. Regions intersect, can be empty, can contain one another, and
can name one value they contain — which is all the static analysis needs to say
"these two rules can both take an intermediate X-WEB certificate".

A condition on an attribute also requires the attribute to be present (a missing
value fails every condition), so an unconstrained attribute is wider than any
constrained one unless the attribute is always present and the condition admits
every value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from .compiled import AttributeInfo, CompiledRuleset, CompiledSlot, ScaleInfo
from .conditions import BUILTIN_ATTRIBUTES, CompiledCondition

ALWAYS_PRESENT = frozenset({"code", "kind", "obtained", "verified"})


@dataclass(frozen=True)
class Finite:
    """Exactly these values (scale ranks, choices, true/false, or listed texts and numbers)."""

    values: frozenset[Any]

    def meet(self, other: Region) -> Region:
        if isinstance(other, Finite):
            return Finite(self.values & other.values)
        return Finite(frozenset(v for v in self.values if other.admits(v)))

    def admits(self, value: Any) -> bool:
        return value in self.values

    def empty(self) -> bool:
        return not self.values

    def within(self, other: Region) -> bool:
        return all(other.admits(v) for v in self.values)

    def examples(self) -> list[Any]:
        return sorted(self.values, key=_order)


@dataclass(frozen=True)
class AllBut:
    """Any text except these."""

    excluded: frozenset[Any] = frozenset()

    def meet(self, other: Region) -> Region:
        if isinstance(other, AllBut):
            return AllBut(self.excluded | other.excluded)
        return other.meet(self)

    def admits(self, value: Any) -> bool:
        return value not in self.excluded

    def empty(self) -> bool:
        return False

    def within(self, other: Region) -> bool:
        if isinstance(other, AllBut):
            return other.excluded <= self.excluded
        return False  # infinitely many texts against a finite set

    def examples(self) -> list[Any]:
        return [_fresh_text(self.excluded)]


@dataclass(frozen=True)
class Interval:
    """Numbers from ``lo`` to ``hi`` (each bound open or closed), except some points."""

    lo: float = -math.inf
    hi: float = math.inf
    lo_open: bool = False
    hi_open: bool = False
    excluded: frozenset[float] = frozenset()

    def meet(self, other: Region) -> Region:
        if isinstance(other, AllBut):
            numbers = frozenset(v for v in other.excluded if isinstance(v, (int, float)))
            return replace(self, excluded=self.excluded | numbers)
        if not isinstance(other, Interval):
            return other.meet(self)
        # the higher lower bound wins, an open one over a closed one at the same number
        lo, lo_open = max((self.lo, self.lo_open), (other.lo, other.lo_open))
        hi, hi_closed = min((self.hi, not self.hi_open), (other.hi, not other.hi_open))
        return Interval(lo, hi, lo_open, not hi_closed, self.excluded | other.excluded)

    def admits(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if value in self.excluded:
            return False
        above = value > self.lo or (value == self.lo and not self.lo_open)
        below = value < self.hi or (value == self.hi and not self.hi_open)
        return above and below

    def empty(self) -> bool:
        if self.lo > self.hi:
            return True
        if self.lo == self.hi:
            return self.lo_open or self.hi_open or self.lo in self.excluded
        return False  # an interval of real numbers minus finitely many points

    def within(self, other: Region) -> bool:
        if self.empty():
            return True
        if isinstance(other, Finite):
            return self.lo == self.hi and other.admits(self.lo)
        if isinstance(other, AllBut):
            return False
        assert isinstance(other, Interval)
        lower_ok = self.lo > other.lo or (self.lo == other.lo and (self.lo_open or not other.lo_open))
        upper_ok = self.hi < other.hi or (self.hi == other.hi and (self.hi_open or not other.hi_open))
        holes = all(not self.admits(point) for point in other.excluded)
        return lower_ok and upper_ok and holes

    def examples(self) -> list[Any]:
        if self.empty():
            return []
        candidates: list[float] = []
        if not self.lo_open and math.isfinite(self.lo):
            candidates.append(self.lo)
        if not self.hi_open and math.isfinite(self.hi):
            candidates.append(self.hi)
        if math.isfinite(self.lo) and math.isfinite(self.hi):
            candidates.append((self.lo + self.hi) / 2)
        elif math.isfinite(self.lo):
            candidates.append(math.floor(self.lo) + 1)
        elif math.isfinite(self.hi):
            candidates.append(math.ceil(self.hi) - 1)
        else:
            candidates.append(0.0)
        for value in candidates:
            if self.admits(value):
                return [value]
        # every nice value is excluded: step through the interval until one is not
        start = self.lo if math.isfinite(self.lo) else (self.hi - len(self.excluded) - 1)
        end = self.hi if math.isfinite(self.hi) else start + len(self.excluded) + 1
        steps = len(self.excluded) + 2
        for n in range(1, steps):
            value = start + (end - start) * n / steps
            if self.admits(value):
                return [value]
        return []


@dataclass(frozen=True)
class Window:
    """Dates on or after ``start`` and before ``stop``, and at most ``months`` before the as-of date."""

    start: date | None = None
    stop: date | None = None
    months: int | None = None

    def meet(self, other: Region) -> Region:
        assert isinstance(other, Window)
        start = max((d for d in (self.start, other.start) if d is not None), default=None)
        stop = min((d for d in (self.stop, other.stop) if d is not None), default=None)
        months = min((m for m in (self.months, other.months) if m is not None), default=None)
        return Window(start, stop, months)

    def admits(self, value: Any) -> bool:
        return isinstance(value, date) and (self.start is None or value >= self.start) and \
            (self.stop is None or value < self.stop)

    def empty(self) -> bool:
        return self.start is not None and self.stop is not None and self.start >= self.stop

    def within(self, other: Region) -> bool:
        if self.empty():
            return True
        assert isinstance(other, Window)
        return ((other.start is None or (self.start is not None and self.start >= other.start))
                and (other.stop is None or (self.stop is not None and self.stop <= other.stop))
                and (other.months is None or (self.months is not None and self.months <= other.months)))

    def examples(self) -> list[Any]:
        if self.empty():
            return []
        if self.start is not None:
            return [self.start]
        if self.stop is not None:
            return [self.stop - timedelta(days=1)]
        return []  # any recent date: nothing worth showing


Region = Finite | AllBut | Interval | Window


def _order(value: Any) -> tuple[str, Any]:
    return (type(value).__name__, value)


def _fresh_text(excluded: frozenset[Any]) -> str:
    """A text none of ``excluded`` equals, for examples."""
    candidate, n = "other", 1
    while candidate in excluded:
        n += 1
        candidate = f"other-{n}"
    return candidate


# ---------------------------------------------------------------- from conditions

def full(attr: AttributeInfo, scales: dict[str, ScaleInfo]) -> Region:
    """Every value an attribute can take."""
    if attr.type == "scale":
        scale = scales.get(attr.scale or "")
        return Finite(frozenset(range(len(scale.levels)))) if scale else AllBut()
    if attr.type == "choice":
        return Finite(attr.values)
    if attr.type == "bool":
        return Finite(frozenset({True, False}))
    if attr.type == "number":
        lo = attr.min if attr.min is not None else -math.inf
        hi = attr.max if attr.max is not None else math.inf
        return Interval(lo, hi)
    if attr.type == "date":
        return Window()
    return AllBut()


def of_condition(condition: CompiledCondition, domain: Region) -> Region:
    """The values of ``domain`` that meet one compiled condition."""
    op, operand = condition.op, condition.operand
    if op == "eq":
        return domain.meet(Finite(frozenset({operand})))
    if op == "in":
        return domain.meet(Finite(frozenset(operand)))
    if op in ("ne", "not_in"):
        removed = frozenset({operand}) if op == "ne" else frozenset(operand)
        if isinstance(domain, Finite):
            return Finite(domain.values - removed)
        if isinstance(domain, Interval):
            numbers = frozenset(v for v in removed if isinstance(v, (int, float)) and not isinstance(v, bool))
            return replace(domain, excluded=domain.excluded | numbers)
        if isinstance(domain, AllBut):
            return AllBut(domain.excluded | removed)
        return domain
    if op in ("ge", "gt", "le", "lt"):
        if isinstance(domain, Finite):
            keep = {"ge": lambda v: v >= operand, "gt": lambda v: v > operand,
                    "le": lambda v: v <= operand, "lt": lambda v: v < operand}[op]
            return Finite(frozenset(v for v in domain.values if keep(v)))
        bound = {"ge": Interval(lo=operand), "gt": Interval(lo=operand, lo_open=True),
                 "le": Interval(hi=operand), "lt": Interval(hi=operand, hi_open=True)}[op]
        return domain.meet(bound)
    if op == "on_or_after":
        return domain.meet(Window(start=operand))
    if op == "before":
        return domain.meet(Window(stop=operand))
    if op == "within_months":
        return domain.meet(Window(months=operand))
    return domain


@dataclass(frozen=True)
class SlotRegion:
    """What one slot of a rule accepts: codes, and a region per constrained attribute."""

    codes: frozenset[str]
    attributes: dict[str, Region] = field(default_factory=dict)
    info: dict[str, AttributeInfo] = field(default_factory=dict, compare=False)
    scales: dict[str, ScaleInfo] = field(default_factory=dict, compare=False, repr=False)
    required: dict[str, bool] = field(default_factory=dict, compare=False)  # attribute → present in every code

    def empty(self) -> bool:
        return not self.codes or any(r.empty() for r in self.attributes.values())

    def meet(self, other: SlotRegion) -> SlotRegion | None:
        """Achievements both slots accept, or None when there are none."""
        codes = self.codes & other.codes
        if not codes:
            return None
        attributes = dict(self.attributes)
        for name, region in other.attributes.items():
            if name in attributes:
                if self.info[name].type != other.info[name].type or self.info[name].scale != other.info[name].scale:
                    return None
                attributes[name] = attributes[name].meet(region)
            else:
                attributes[name] = region
        result = SlotRegion(codes, attributes, {**other.info, **self.info}, self.scales,
                            {**other.required, **self.required})
        return None if result.empty() else result

    def intersects(self, other: SlotRegion) -> bool:
        """Whether ``meet`` would find achievements both slots accept, without building the region."""
        if self.codes.isdisjoint(other.codes):
            return False
        for name, region in other.attributes.items():
            mine = self.attributes.get(name)
            if mine is None:
                if region.empty():
                    return False
            elif self.info[name].type != other.info[name].type or self.info[name].scale != other.info[name].scale \
                    or mine.meet(region).empty():
                return False
        return not any(region.empty() for name, region in self.attributes.items() if name not in other.attributes)

    def within(self, other: SlotRegion) -> bool:
        """Every achievement this slot accepts, ``other`` accepts too."""
        if self.empty():
            return True
        if not self.codes <= other.codes:
            return False
        for name, region in other.attributes.items():
            mine = self.attributes.get(name)
            if mine is None:
                info = other.info[name]
                if not (self.required.get(name, False) and full(info, self.scales).within(region)):
                    return False
            elif not mine.within(region):
                return False
        return True


def slot_region(slot: CompiledSlot, ruleset: CompiledRuleset) -> SlotRegion:
    """The region of one compiled slot, against the ruleset's catalog, kinds and scales."""
    codes = slot.codes if slot.codes is not None else frozenset(
        code for code, info in ruleset.catalog.items() if info.kind in slot.kinds)
    codes = frozenset(c for c in codes if c in ruleset.catalog)
    kinds = {ruleset.catalog[c].kind for c in codes}
    attributes: dict[str, Region] = {}
    infos: dict[str, AttributeInfo] = {}
    for condition in slot.conditions:
        if condition.attribute in ("code", "kind"):
            continue  # already in ``codes``
        info = attribute_info(condition.attribute, kinds, ruleset)
        if info is None:
            continue
        infos[condition.attribute] = info
        current = attributes.get(condition.attribute, full(info, ruleset.scales))
        attributes[condition.attribute] = of_condition(condition, current)
    required = {name: _always_present(name, kinds, ruleset) for name in infos}
    return SlotRegion(codes, attributes, infos, ruleset.scales, required)


def attribute_info(name: str, kinds: Iterable[str], ruleset: CompiledRuleset) -> AttributeInfo | None:
    if name in BUILTIN_ATTRIBUTES:
        return AttributeInfo(BUILTIN_ATTRIBUTES[name])
    for kind in sorted(kinds):
        info = ruleset.kinds.get(kind)
        if info is not None and name in info.attributes:
            return info.attributes[name]
    return None


def _always_present(name: str, kinds: Iterable[str], ruleset: CompiledRuleset) -> bool:
    if name in BUILTIN_ATTRIBUTES:
        return name in ALWAYS_PRESENT
    return all(ruleset.kinds[k].attributes.get(name, AttributeInfo("text")).required
               for k in kinds if k in ruleset.kinds)
