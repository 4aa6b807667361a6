"""durable_rules (a Rete engine in C) as the matching backend: ``creditrules[durable]``.

Each rule slot of a compiled standard becomes one or more durable_rules rules
(``m.f3 >= 5``, ``(m.f1 == 3) | (m.f1 == 7)``, ...). Achievements are asserted as
facts; every rule a fact meets queues an action, and draining those actions gives
the (rule, slot, achievement) matches. Allocation, limits and the trace stay the
evaluator's, so a decision is byte-identical to the native backend's.

durable_rules has hard limits (measured with 2.0.28); how this adapter survives each:

- **Events fire only their first matching rule.** Achievements are *asserted as facts*,
  which fire every rule they meet; nothing is ever posted.
- **More than 1,024 live sessions raise MemoryError.** One constant session id per
  durable ruleset; its state is deleted after every match, in ``finally``, so at most
  one session per ruleset lives at any time, whatever the number of learners.
- **More than 64 rules matching one fact fail (error 303).** A standard's slots are cut
  into chunks of at most 48 durable rules, each its own durable ruleset. A fact meets
  at most one variant (below) of each slot, so at most 48 rules of one chunk.
- **About 512 tests under one node hang ruleset creation.** Each chunk holds at most
  256 condition paths (a rule with ``or`` branches counts each combination), and a
  large ``in`` set is split into variants of at most 8 values.
- **Ruleset names are global and cannot be re-registered** (durable's Python host).
  The adapter talks to the engine module the host wraps (so no dispatcher threads can
  take its actions) and names each durable ruleset after the hash of its definition,
  created once per process and reused by every matcher.
- **An unmatched message raises** (``MessageNotHandledException`` in the host; result
  code 1 in the engine). For a batch of facts that only means some fact met no rule:
  the others' actions are still drained; code 1 is never an error here. Worse, deleting
  a session in which *no* fact matched reads uninitialised memory and can crash the
  process (seen under valgrind and MALLOC_PERTURB_); so every chunk has a sentinel rule
  and every batch a sentinel fact that meets it, and a session always holds a match.
- **Value types are coerced and some numbers crash it**: a fact ``"1"`` equals a rule's
  ``1``, ``"true"`` equals ``true``, exponents (``1e-05``) are refused (error 204) and
  some long decimals or numeric-looking strings segfault. So durable_rules only ever
  sees small integers: scale ranks and booleans as they are, dates as ordinals, and
  numbers and text as their position among the standard's own operands for that
  attribute (order-preserving, so ``=``, ``≠``, ``<``, ``≥`` … keep their meaning exactly).
- ``within_months`` is relative to the as-of date: each fact carries the as-of ordinal
  (``t``) and one cutoff ordinal per distinct month count (``w12`` …), and the rule
  compares fields of the same fact (``m.f2 >= m.w36``).

The engine is not thread-safe, so matching holds a process-wide lock. It builds
from source on Python 3.11 and 3.12 and does not import on 3.13.
"""

from __future__ import annotations

import bisect
import hashlib
import importlib
import itertools
import json
import operator
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..compiled import CompiledRuleset, CompiledSlot
from ..conditions import CompiledCondition, months_before
from ..learner import Fact
from . import BackendError, BackendUnavailable

MAX_RULES = 48  # durable rules per durable ruleset: a fact may match at most 64 (error 303)
MAX_PATHS = 256  # condition paths per durable ruleset: about 512 under one node hang creation
MAX_PLANS = 256  # compiled rulesets a matcher keeps translated
SESSION = "creditrules"  # the one session id; its state is deleted after every match
SENTINEL = "sentinel"  # a rule, and a fact asserted with every batch, that always match

MISSING = ("the durable backend needs the optional extra creditrules[durable] "
           "(pip install 'creditrules[durable]'); durable_rules builds from source on Python 3.11 and 3.12, "
           "and Python 3.13 and later are not supported, so use the native backend there. "
           "Import failed: {reason}")

_LOCK = threading.RLock()
_ENGINE: Any = None  # the durable_rules_engine module, once imported
_M: Any = None  # durable.lang.m, the rule language's message
_RULESETS: dict[str, int] = {}  # definition hash → engine handle; created once per process, never again


def _engine() -> tuple[Any, Any]:
    global _ENGINE, _M
    if _ENGINE is None:
        try:
            engine = importlib.import_module("durable_rules_engine")
            lang = importlib.import_module("durable.lang")
        except ImportError as exc:
            raise BackendUnavailable(MISSING.format(reason=exc)) from None
        _ENGINE, _M = engine, lang.m
    return _ENGINE, _M


# ---------------------------------------------------------------- values as integers


def _domain(value: Any) -> str | None:
    """Which encoding a value takes. bool before int: True is an int in Python."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "num"
    if isinstance(value, str):
        return "str"
    if isinstance(value, date):
        return "date"
    return None


@dataclass(frozen=True)
class _Field:
    """One (attribute, domain) pair that some condition reads, as one fact field."""

    name: str  # "f0", "f1", ...
    attribute: str
    domain: str
    points: tuple[Any, ...]  # sorted operands (num and str): operand i → 2i+1, values between → even

    def encode(self, value: Any) -> int:
        if self.domain == "bool":
            return int(value)
        if self.domain == "date":
            return int(value.toordinal())
        i = bisect.bisect_left(self.points, value)
        return 2 * i + 1 if i < len(self.points) and self.points[i] == value else 2 * i


def _operand_items(condition: CompiledCondition) -> list[Any]:
    if condition.op in ("in", "not_in"):
        return sorted(condition.operand, key=lambda v: (str(type(v)), v))
    if condition.op == "within_months":
        return []
    return [condition.operand]


def _condition_domain(condition: CompiledCondition) -> str:
    if condition.op in ("within_months", "on_or_after", "before"):
        return "date"
    domains = {_domain(item) for item in _operand_items(condition)}
    if len(domains) > 1 or None in domains:
        raise BackendError(f"the durable backend cannot compare '{condition.attribute}' with "
                           f"{condition.describe_required()}: its values are of mixed or unknown types")
    return domains.pop() if domains else "str"  # an empty set: any domain, nothing to compare


# ---------------------------------------------------------------- the translation


@dataclass(frozen=True)
class _Rule:
    name: str
    rule: int
    slot: int
    definition: dict[str, Any]
    paths: int
    codes: frozenset[str]


@dataclass
class _Chunk:
    handle: int
    targets: dict[str, tuple[int, int]]  # durable rule name → (rule index, slot index)
    codes: frozenset[str]  # the codes some slot here can take: other facts are not asserted


@dataclass
class _Plan:
    fields: tuple[_Field, ...]
    months: tuple[int, ...]
    chunks: tuple[_Chunk, ...]

    def encode(self, facts: list[Fact], as_of: date) -> list[dict[str, Any]]:
        clock: dict[str, int] = {}
        if self.months:
            clock["t"] = as_of.toordinal()
            for months in self.months:
                clock[f"w{months}"] = months_before(as_of, months).toordinal()
        encoded = []
        for index, fact in enumerate(facts):
            item: dict[str, Any] = {"sid": SESSION, "id": index, **clock}
            for field in self.fields:
                value = fact.values.get(field.attribute)
                if value is not None and _domain(value) == field.domain:
                    item[field.name] = field.encode(value)
            encoded.append(item)
        return encoded


def _with_scope(slot: CompiledSlot) -> tuple[CompiledCondition, ...]:
    """The slot's conditions, plus its code (or kind) set when no condition states it."""
    stated = {c.attribute for c in slot.conditions if c.op in ("eq", "in")}
    if slot.codes is not None and "code" not in stated:
        return (*slot.conditions, CompiledCondition("code", "in", slot.codes, sorted(slot.codes)))
    if slot.codes is None and "kind" not in stated and "code" not in stated:
        return (*slot.conditions, CompiledCondition("kind", "in", slot.kinds, sorted(slot.kinds)))
    return slot.conditions


class _Translator:
    def __init__(self, ruleset: CompiledRuleset):
        _, self.m = _engine()
        self.ruleset = ruleset
        self.slots = [(rule.index, i, _with_scope(slot), slot) for rule in ruleset.rules
                      for i, slot in enumerate(rule.slots)]
        points: dict[tuple[str, str], set[Any]] = {}
        months: set[int] = set()
        for _, _, conditions, _ in self.slots:
            for condition in conditions:
                key = (condition.attribute, _condition_domain(condition))
                points.setdefault(key, set()).update(_operand_items(condition) if key[1] in ("num", "str") else ())
                if condition.op == "within_months":
                    months.add(int(condition.operand))
        self.fields = {key: _Field(f"f{i}", key[0], key[1], tuple(sorted(values)))
                       for i, (key, values) in enumerate(sorted(points.items()))}
        self.months = tuple(sorted(months))

    def plan(self) -> _Plan:
        rules: list[_Rule] = []
        for rule_index, slot_index, conditions, slot in self.slots:
            codes = slot.codes if slot.codes is not None else frozenset(
                code for code, info in self.ruleset.catalog.items() if info.kind in slot.kinds)
            rules.extend(self._rules(rule_index, slot_index, conditions, codes))
        rules.sort(key=lambda r: (sorted(r.codes), r.rule, r.slot, r.name))
        chunks: list[_Chunk] = []
        batch: list[_Rule] = []
        paths = 0
        for rule in rules:
            if batch and (len(batch) == MAX_RULES or paths + rule.paths > MAX_PATHS):
                chunks.append(_chunk(batch))
                batch, paths = [], 0
            batch.append(rule)
            paths += rule.paths
        if batch:
            chunks.append(_chunk(batch))
        return _Plan(tuple(self.fields.values()), self.months, tuple(chunks))

    def _rules(self, rule: int, slot: int, conditions: tuple[CompiledCondition, ...],
               codes: frozenset[str]) -> list[_Rule]:
        """One durable rule per variant: a large `in` is split into groups of values, and a
        variant takes one group of each, so a fact meets at most one variant of a slot."""
        wide = sum(1 for c in conditions if c.op == "in" and len(c.operand) > 1)
        width = 8 if wide <= 2 else 4 if wide == 3 else 2 if wide <= 6 else 1  # ≤ 64 paths a rule
        choices: list[list[tuple[Any, int]]] = []
        for condition in conditions:
            groups = self._condition(condition, width)
            if not groups:
                return []  # `in` an empty set: the slot can never be met
            choices.append(groups)
        result = []
        for variant, combination in enumerate(itertools.product(*choices)):
            expression = combination[0][0]
            paths = combination[0][1]
            for part, part_paths in combination[1:]:
                expression = expression & part
                paths *= part_paths
            result.append(_Rule(f"r{rule}s{slot}v{variant}", rule, slot,
                                {"all": [{"m": expression.define()}]}, paths, codes))
        return result

    def _condition(self, condition: CompiledCondition, width: int) -> list[tuple[Any, int]]:
        """The condition as alternative durable expressions (one unless a wide `in` is split),
        each with its number of paths."""
        op = condition.op
        field = self.fields[(condition.attribute, _condition_domain(condition))]
        value = getattr(self.m, field.name)
        if op == "within_months":
            return [((value >= getattr(self.m, f"w{int(condition.operand)}")) & (value <= self.m.t), 1)]
        if op in _COMPARISONS:
            return [(_COMPARISONS[op](value, field.encode(condition.operand)), 1)]
        items = [field.encode(item) for item in _operand_items(condition)]
        if op == "not_in":
            if not items:
                return [(+value, 1)]  # present is enough: an absent value never passes
            expression = value != items[0]
            for item in items[1:]:
                expression = expression & (value != item)
            return [(expression, 1)]
        if op == "in":
            groups = []
            for start in range(0, len(items), width):
                group = items[start:start + width]
                expression = value == group[0]
                for item in group[1:]:
                    expression = expression | (value == item)
                groups.append((expression, len(group)))
            return groups
        raise BackendError(f"the durable backend has no translation for operator '{op}'")


_COMPARISONS: dict[str, Callable[[Any, int], Any]] = {
    "eq": operator.eq, "ne": operator.ne, "ge": operator.ge, "le": operator.le, "gt": operator.gt,
    "lt": operator.lt, "on_or_after": operator.ge, "before": operator.lt,
}


def _chunk(rules: list[_Rule]) -> _Chunk:
    """The durable ruleset for these rules: created once per process, found by its definition."""
    engine, m = _engine()
    definition = {r.name: r.definition for r in rules}
    definition[SENTINEL] = {"all": [{"m": (getattr(m, SENTINEL) == 1).define()}]}
    text = json.dumps(definition, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
    with _LOCK:
        handle = _RULESETS.get(digest)
        if handle is None:
            try:
                handle = engine.create_ruleset(f"creditrules-{digest}", text)
            except engine.error as exc:
                raise BackendError(f"durable_rules refused a ruleset: {exc}") from None
            _RULESETS[digest] = handle
    return _Chunk(handle, {r.name: (r.rule, r.slot) for r in rules}, frozenset().union(*(r.codes for r in rules)))


# ---------------------------------------------------------------- matching


class DurableMatcher:
    """A :class:`~creditrules.evaluator.Matcher` that runs rule matching in durable_rules.

    ::

        matcher = DurableMatcher()            # raises BackendUnavailable without the extra
        decision = creditrules.evaluate(standard, learner, "2025-06-30", matcher=matcher)

    One matcher serves any number of standards and learners, from any thread; each
    compiled ruleset is translated once and its durable rulesets live for the process.
    """

    def __init__(self) -> None:
        _engine()
        self._plans: dict[int, tuple[CompiledRuleset, _Plan]] = {}

    def _plan(self, ruleset: CompiledRuleset) -> _Plan:
        found = self._plans.get(id(ruleset))
        if found is not None and found[0] is ruleset:
            return found[1]
        with _LOCK:
            plan = _Translator(ruleset).plan()
            if len(self._plans) >= MAX_PLANS:
                self._plans.pop(next(iter(self._plans)))
            self._plans[id(ruleset)] = (ruleset, plan)  # the ruleset is kept, so its id stays its own
        return plan

    def match(self, ruleset: CompiledRuleset, facts: list[Fact], as_of: date) -> set[tuple[int, int, str]]:
        """(rule index, slot index, achievement id) for every rule slot an achievement meets."""
        if not facts:
            return set()
        plan = self._plan(ruleset)
        encoded = plan.encode(facts, as_of)
        found: set[tuple[int, int, str]] = set()
        for chunk in plan.chunks:
            batch = [item for item, fact in zip(encoded, facts) if fact.code in chunk.codes]
            if batch:
                for rule, slot, index in _run(chunk, batch):
                    found.add((rule, slot, facts[index].id))
        return found


def _run(chunk: _Chunk, batch: list[dict[str, Any]]) -> Iterable[tuple[int, int, int]]:
    """Assert the facts in the chunk's session, drain the actions they queue, delete the state."""
    engine, _ = _engine()
    matches: list[tuple[int, int, int]] = []
    with _LOCK:
        asserted = False
        try:
            try:
                code, state = engine.assert_facts(chunk.handle, json.dumps(
                    [*batch, {"sid": SESSION, "id": -1, SENTINEL: 1}], ensure_ascii=False))
            except engine.error as exc:
                raise BackendError(f"durable_rules could not assert {len(batch)} fact(s): {exc}") from None
            asserted = True
            if code == 2:
                raise BackendError("durable_rules had already seen one of these facts: a session was not cleared")
            # code 1: some fact met no rule (durable's unmatched message); the others still queued actions
            result = engine.start_action_for_state(chunk.handle, state)
            text = result[1] if result else None
            while text:
                for name, payload in json.loads(text).items():
                    if name != SENTINEL:
                        rule, slot = chunk.targets[name]
                        matches.append((rule, slot, payload["m"]["id"]))
                text = engine.complete_and_start_action(chunk.handle, state)
        finally:
            try:
                engine.delete_state(chunk.handle, SESSION)
            except engine.error as exc:
                if asserted:  # otherwise no state was made, and the first error is the one to report
                    raise BackendError(f"durable_rules could not delete a session: {exc}") from None
    return matches


def live_sessions() -> int:
    """How many sessions hold state across every durable ruleset of this process (0 between
    matches). For tests: durable_rules fails past 1,024."""
    engine, _ = _engine()
    count = 0
    with _LOCK:
        for handle in _RULESETS.values():
            try:
                engine.get_state(handle, SESSION)
            except engine.error:
                continue
            count += 1
    return count


__all__ = ["MISSING", "DurableMatcher", "live_sessions"]
