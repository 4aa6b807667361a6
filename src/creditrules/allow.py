"""Warnings an author has looked at and accepts: ``# creditrules: allow W001``.

The comment goes at the end of the line a warning points at, or alone on the
line just above it; several codes are separated by commas. Only warnings can be
allowed — an error means the standard cannot be used as written — so a comment
naming an error code changes nothing. This is how ``--strict`` stays usable when
a warning is intended (a course that can only be earned by study, say).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from .errors import Diagnostic, Severity

ALLOW = re.compile(r"#\s*creditrules:\s*allow\s+([A-Z]\d{3}(?:\s*,\s*[A-Z]\d{3})*)")


def _codes(line: str) -> set[str]:
    found = ALLOW.search(line)
    return {code.strip() for code in found.group(1).split(",")} if found else set()


def split_allowed(diagnostics: Iterable[Diagnostic]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(kept, allowed): warnings whose line carries an allow comment for their code are set apart."""
    lines: dict[str, list[str]] = {}
    kept: list[Diagnostic] = []
    allowed: list[Diagnostic] = []
    for diagnostic in diagnostics:
        if diagnostic.severity is not Severity.WARNING or diagnostic.line < 1:
            kept.append(diagnostic)
            continue
        if diagnostic.path not in lines:
            try:
                lines[diagnostic.path] = Path(diagnostic.path).read_text(encoding="utf-8").split("\n")
            except (OSError, UnicodeDecodeError):
                lines[diagnostic.path] = []
        text = lines[diagnostic.path]
        here = text[diagnostic.line - 1] if diagnostic.line <= len(text) else ""
        above = text[diagnostic.line - 2] if 2 <= diagnostic.line <= len(text) + 1 else ""
        codes = _codes(here) | (_codes(above) if above.strip().startswith("#") else set())
        (allowed if diagnostic.code in codes else kept).append(diagnostic)
    return kept, allowed
