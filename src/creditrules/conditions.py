"""Conditions, compiled once and checked many times.

A condition in YAML (``level: {at_least: 中级}``) compiles to a
:class:`CompiledCondition`: an attribute, an operator and an operand already in
the form achievement values are normalised to (scale levels become ranks,
dates become ``date`` objects, choices become frozensets). Checking is a
table lookup plus one comparison, with no Python evaluated from the standard.
Compiled conditions are plain data, so a compiled standard can be pickled.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

# attributes every achievement has, whatever its kind
BUILTIN_ATTRIBUTES: dict[str, str] = {
    "code": "code",
    "kind": "text",
    "obtained": "date",
    "verified": "bool",
    "issuer": "text",
    "region": "text",
}

MISSING = "(missing)"


@dataclass(frozen=True, slots=True)
class CompiledCondition:
    """One check on one attribute. ``required`` is the operand as the author wrote it."""

    attribute: str
    op: str  # eq ne in not_in ge le gt lt within_months on_or_after before
    operand: Any
    required: Any

    def check(self, value: Any, as_of: date) -> bool:
        if value is None:
            return False
        return _CHECKS[self.op](value, self.operand, as_of)

    def describe_required(self) -> str:
        return f"{OPERATOR_WORDS_EN[self.op]} {format_value(self.required)}"


@functools.lru_cache(maxsize=1024)
def months_before(day: date, months: int) -> date:
    """The cut-off of a recency window: worked out once per (as-of date, window), not per record."""
    return _months_before_uncached(day, months)


def _months_before_uncached(day: date, months: int) -> date:
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    # clamp the day (29 Feb, 31st) to the target month's length
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _within(value: Any, months: int, as_of: date) -> bool:
    return bool(months_before(as_of, months) <= value <= as_of)


_CHECKS: dict[str, Callable[[Any, Any, date], bool]] = {
    "eq": lambda v, o, _: bool(v == o),
    "ne": lambda v, o, _: bool(v != o),
    "in": lambda v, o, _: v in o,
    "not_in": lambda v, o, _: v not in o,
    "ge": lambda v, o, _: bool(v >= o),
    "le": lambda v, o, _: bool(v <= o),
    "gt": lambda v, o, _: bool(v > o),
    "lt": lambda v, o, _: bool(v < o),
    "within_months": _within,
    "on_or_after": lambda v, o, _: bool(v >= o),
    "before": lambda v, o, _: bool(v < o),
}

OPERATOR_WORDS_EN = {
    "eq": "=", "ne": "≠", "in": "one of", "not_in": "none of", "ge": "≥", "le": "≤", "gt": ">", "lt": "<",
    "within_months": "within", "on_or_after": "on or after", "before": "before",
    "passed": "includes a pass in", "not_taken": "has no record of",  # gates on the course history
}
OPERATOR_WORDS_ZH = {
    "eq": "为", "ne": "不为", "in": "属于", "not_in": "不属于", "ge": "不低于", "le": "不高于", "gt": "高于",
    "lt": "低于", "within_months": "在", "on_or_after": "不早于", "before": "早于",
    "passed": "包含已通过的", "not_taken": "不含",
}

# the YAML operator key → the compiled op name
YAML_OPERATORS = {
    "equals": "eq", "not_equals": "ne", "in_": "in", "not_in": "not_in", "at_least": "ge", "at_most": "le",
    "above": "gt", "below": "lt", "within_years": "within_months", "within_months": "within_months",
    "on_or_after": "on_or_after", "before": "before",
}
OPERATORS_BY_TYPE = {
    "scale": {"eq", "ne", "in", "not_in", "ge", "le", "gt", "lt"},
    "number": {"eq", "ne", "in", "not_in", "ge", "le", "gt", "lt"},
    "text": {"eq", "ne", "in", "not_in"},
    "code": {"eq", "ne", "in", "not_in"},
    "choice": {"eq", "ne", "in", "not_in"},
    "bool": {"eq", "ne"},
    "date": {"within_months", "on_or_after", "before"},
}


def format_value(value: Any) -> str:
    if isinstance(value, (list, tuple, frozenset, set)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return "[" + ", ".join(format_value(v) for v in items) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
