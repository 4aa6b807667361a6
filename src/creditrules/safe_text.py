"""Untrusted text made safe to show: one place that decides what may reach an output.

Ids, names and course titles come from standards and records that anyone may write.
Shown raw, a line break in one forges a line of its own (an award that was never made),
a bidi override reorders what a reader sees, and a cell beginning with ``=`` runs as a
spreadsheet formula. Every output (text, DOT, Mermaid, CSV, annotations) passes what it
did not write itself through these functions.
"""

from __future__ import annotations

import re
from typing import Any

# C0 and C1 controls, DEL, Unicode line and paragraph separators, bidi embeddings,
# overrides and isolates, and the byte-order mark / zero-width no-break space
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")

# a cell that begins with one of these is read as a formula by spreadsheet programs (OWASP)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _visible(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]  # "\\n", "\\x85", "\\u2028": what Python itself would show


def escape_controls(text: str) -> str:
    """``text`` with every control, line-break and bidi character shown as an escape (a newline becomes ``\\n``)."""
    return UNSAFE.sub(_visible, text) if UNSAFE.search(text) else text


def spreadsheet_cell(text: str) -> str:
    """A CSV cell that no spreadsheet runs as a formula and no line-splitting reader breaks apart.

    A cell starting with a formula character gets a leading apostrophe, as OWASP recommends; the
    cell's text is otherwise kept, with controls escaped."""
    if text.startswith(FORMULA_START):
        text = "'" + text
    return escape_controls(text)


# JSON (``"\ud800"``) and YAML (``"\ud800"`` in double quotes) let a file write half of a character as an
# escape; Python reads it into a string that no UTF-8 output can hold, so every reader refuses it on entry
SURROGATE = re.compile("[\ud800-\udfff]")


def surrogate_escape(text: str) -> str | None:
    """The first lone surrogate in ``text``, written as its escape (``\\ud800``); None when there is none."""
    found = SURROGATE.search(text)
    return f"\\u{ord(found.group()):04x}" if found else None


def shown_key(key: str) -> str:
    """A key or value quoted in a message: controls escaped, and lone surrogates written as escapes."""
    text = escape_controls(key)
    return SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if SURROGATE.search(text) else text


def surrogate_in(value: Any) -> tuple[str, str] | None:
    """Where the first lone surrogate of parsed JSON or YAML stands, in the order the file writes it
    (``'achievements[0].id'``, or ``the key '…'``), and its escape; None when there is none. Without
    recursion: the data may be deeply nested."""
    stack: list[tuple[str, Any, bool]] = [("", value, False)]  # (path, item, whether the item is a key)
    while stack:
        path, item, is_key = stack.pop()
        if isinstance(item, str):
            escape = surrogate_escape(item)
            if escape is not None:
                return (f"the key '{path}'" if is_key else f"'{path}'" if path else "the value"), escape
        elif isinstance(item, dict):
            entries: list[tuple[str, Any, bool]] = []
            for key, element in item.items():
                where = f"{path}.{shown_key(str(key))}" if path else shown_key(str(key))
                entries += [(where, key, True), (where, element, False)]
            stack.extend(reversed(entries))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", element, False) for i, element in reversed(list(enumerate(item))))
    return None


def surrogate_reason(where: str, escape: str) -> tuple[str, str]:
    """Why text holding a lone surrogate is refused, in English and Chinese."""
    return (f"{escape} at {where} is an escaped lone surrogate, half of a character that no output can hold; "
            "write the character itself",
            f"{where} 处的 {escape} 是孤立的代理项转义，只是半个字符，任何输出都无法保存；请直接写出该字符")
