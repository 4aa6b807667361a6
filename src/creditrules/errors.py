"""Problems as values, and the one exception family that carries them.

Loading and compiling never stop at the first problem: every check appends a
:class:`Diagnostic` and the caller raises once, so one CI run shows all of them
(the sqlfluff/yamllint way). Exceptions::

    CreditRulesError                 base of everything this library raises
    ├── StandardError                standards that cannot be loaded or compiled
    ├── LearnerError                 a learner record that is unusable as a whole
    ├── NoVersionInForce             no version of a standard covers the as-of date
    ├── UnknownStandard              no standard of that id in a library (also a KeyError)
    └── DecisionFormatError          decision JSON that cannot be read back (located problems)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from .safe_text import escape_controls


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, located. ``line`` and ``column`` are 1-based; 0 means unknown."""

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)

    def __post_init__(self) -> None:
        # a message quotes input (keys, values, names): a line break or bidi override in
        # it must not forge a line of output, in any format
        object.__setattr__(self, "message", escape_controls(self.message))

    def __str__(self) -> str:
        return f"{escape_controls(self.path)}:{self.line}:{self.column}: {self.code} {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
        }


class CreditRulesError(Exception):
    """Base class of every error this library raises on purpose."""


class StandardError(CreditRulesError):
    """Standards that cannot be used; ``diagnostics`` lists every problem found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics: tuple[Diagnostic, ...] = tuple(sorted(diagnostics))
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class LearnerError(CreditRulesError):
    """A learner file or record that cannot be read at all (not one bad achievement).

    ``diagnostic`` locates the problem (code, line, column) when the reader knows where it is."""

    def __init__(self, source: str, message: str, diagnostic: Diagnostic | None = None):
        self.source = source
        self.message = escape_controls(message)
        self.diagnostic = diagnostic
        super().__init__(f"{escape_controls(source)}: {self.message}")


class NoVersionInForce(CreditRulesError):
    """No version of the standard is in force on the requested date."""


class UnknownStandard(CreditRulesError, KeyError):
    """A library has no standard of that id. A ``KeyError`` too, so ``except KeyError`` keeps working."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # KeyError would show the repr of the message
        return self.message


class DecisionFormatError(CreditRulesError):
    """Decision JSON that :meth:`Decision.from_json` cannot read back. ``problems`` lists each
    problem as ``path: what is wrong`` (``awards[0].credits: …``), every one found, in order."""

    def __init__(self, problems: Iterable[str]):
        self.problems: tuple[str, ...] = tuple(escape_controls(p) for p in problems)
        super().__init__("decision JSON: " + "; ".join(self.problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix for a misspelt name, or ''.

    Names are compared as a reader sees them (:func:`lookalike.skeleton`): letter case,
    invisible characters and look-alike letters do not hide the name that was meant."""
    from .lookalike import skeleton

    options = sorted(set(choices))
    if not options:
        return ""
    by_skeleton: dict[str, str] = {}
    for option in options:
        by_skeleton.setdefault(skeleton(option), option)
    seen = skeleton(word)
    exact = by_skeleton.get(seen)
    if exact is not None and exact != word:
        return f" (did you mean '{escape_controls(exact)}'?)"
    matches = difflib.get_close_matches(seen, sorted(by_skeleton), n=1, cutoff=0.6)
    if not matches or by_skeleton[matches[0]] == word:
        return ""
    return f" (did you mean '{escape_controls(by_skeleton[matches[0]])}'?)"
