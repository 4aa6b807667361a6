"""The exact fix for the traps experts fall into when writing a condition or a flow mapping.

Pure functions of the text written; the loader and compiler append what they return to their messages:

- an operator spelt as in other tools (``min:``, ``gte:``, ``max:``): the operator of this format;
- a number in quotes (``'50'``) or a comparison written as text (``'>= 50'``): the condition as it should be;
- an unquoted comma inside ``{…}`` (``name_en: Web, mobile``): YAML ends the value at the comma and reads
  the rest as a key; quote the whole value.
"""

from __future__ import annotations

import re
from typing import Any

# operators of other tools and languages → the operator of this format
OPERATOR_SYNONYMS: dict[str, str] = {
    "min": "at_least", "minimum": "at_least", "gte": "at_least", "ge": "at_least", ">=": "at_least",
    "≥": "at_least", "from": "at_least",
    "max": "at_most", "maximum": "at_most", "lte": "at_most", "le": "at_most", "<=": "at_most", "≤": "at_most",
    "gt": "above", ">": "above", "more_than": "above", "greater_than": "above",
    "lt": "below", "<": "below", "less_than": "below",
    "eq": "equals", "==": "equals", "=": "equals", "is": "equals", "equal": "equals",
    "ne": "not_equals", "!=": "not_equals", "≠": "not_equals", "not": "not_equals",
    "one_of": "in", "any_of": "in", "none_of": "not_in", "nin": "not_in",
    "after": "on_or_after", "since": "on_or_after", "until": "before",
    "within": "within_years", "years": "within_years", "months": "within_months",
}

_COMPARISON = re.compile(r"^\s*(>=|<=|==|!=|=|>|<|≥|≤|≠)\s*([-+]?\d+(?:\.\d+)?)\s*$")
_NUMBER = re.compile(r"^\s*[-+]?\d+(?:\.\d+)?\s*$")
_WRITTEN = {">=": "at_least", "≥": "at_least", "<=": "at_most", "≤": "at_most", ">": "above", "<": "below",
            "==": "equals", "=": "equals", "!=": "not_equals", "≠": "not_equals"}


def operator_synonym(key: str) -> str | None:
    """The operator of this format that ``key`` means, if it is a well-known spelling of one."""
    return OPERATOR_SYNONYMS.get(key.strip().lower())


# a compiled operator → the YAML operator it was written as (a bare value is ``eq``)
_YAML_NAME = {"eq": "equals", "ne": "not_equals", "ge": "at_least", "le": "at_most", "gt": "above", "lt": "below"}


def number_fix(attribute: str, op: str, item: Any) -> str:
    """'; write score: {at_least: 50}' for a number attribute given text; '' when there is no sure fix.
    ``op`` is the compiled operator the value was given under (``eq`` for a bare value)."""
    if not isinstance(item, str):
        return ""
    comparison = _COMPARISON.match(item)
    if comparison is not None and op == "eq":
        return f"; write {attribute}: {{{_WRITTEN[comparison[1]]}: {comparison[2]}}}"
    if _NUMBER.match(item):
        number = item.strip()
        if op == "eq":
            written = f"{attribute}: {number}"
        elif op in _YAML_NAME:
            written = f"{attribute}: {{{_YAML_NAME[op]}: {number}}}"
        else:
            written = number
        return f"; it is in quotes, so it is text: write {written}, without quotes"
    return ""


def comma_split(line_text: str, column: int, key: str) -> bool:
    """Whether the key ``key`` at ``column`` (1-based) of ``line_text`` is the rest of a value cut off at an
    unquoted comma inside ``{…}``: it follows a comma, inside braces, and no colon follows it."""
    start = column - 1
    if line_text[start:start + len(key)] != key:
        return False
    before = line_text[:start].rstrip()
    after = line_text[start + len(key):].lstrip()
    return before.endswith(",") and "{" in before and not after.startswith(":")
