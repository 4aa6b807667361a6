"""Untrusted text made safe to show: one place that decides what may reach an output.

Ids, names and course titles come from standards and records that anyone may write.
Shown raw, a line break in one forges a line of its own (an award that was never made),
a bidi override reorders what a reader sees, and a cell beginning with ``=`` runs as a
spreadsheet formula. Every output (text, DOT, Mermaid, CSV, annotations) passes what it
did not write itself through these functions.
"""

from __future__ import annotations

import re

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
