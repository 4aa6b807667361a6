"""``creditrules validate`` output: text for people, JSON for tools, GitHub annotations, SARIF.

Each formatter turns a :class:`~creditrules.api.Validation` into text and
prints nothing. ``strict`` only changes the verdict (warnings fail); severities
are reported as they are, so a reader still tells errors from warnings.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ._version import __version__
from .api import Validation
from .codes import CODES, title
from .errors import Diagnostic, Severity
from .safe_text import escape_controls

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def failed(result: Validation, strict: bool) -> bool:
    return bool(result.errors) or (strict and bool(result.warnings))


def summary(result: Validation, strict: bool) -> str:
    """The last line of text output: the verdict and the counts."""
    errors, warnings = len(result.errors), len(result.warnings)
    allowed = f", {len(result.allowed)} allowed by comments" if result.allowed else ""
    if errors:
        return f"{errors} error(s), {warnings} warning(s){allowed}"
    if strict and warnings:
        return f"0 error(s), {warnings} warning(s){allowed}; --strict makes warnings fail"
    return f"ok: {result.files} standard file(s) valid, {warnings} warning(s){allowed}"


def text(result: Validation, strict: bool) -> str:
    return "".join(f"{p}\n" for p in result.problems) + summary(result, strict) + "\n"


def as_json(result: Validation, strict: bool) -> str:
    data = {"ok": not failed(result, strict), "strict": strict, "errors": len(result.errors),
            "warnings": len(result.warnings), "problems": [p.to_dict() for p in result.problems],
            "allowed": [p.to_dict() for p in result.allowed]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _escape_data(value: str) -> str:
    """GitHub's workflow-command escaping, after every other control, Unicode line break and bidi
    override is shown as an escape: a runner or a log viewer that splits on U+2028 sees no new line."""
    return escape_controls(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Diagnostic) -> str:
    """One GitHub Actions workflow command: ``::error file=…,line=…,col=…,title=CODE::message``."""
    level = "error" if problem.severity is Severity.ERROR else "warning"
    props = [f"file={_escape_property(problem.path)}"]
    if problem.line > 0:
        props += [f"line={problem.line}", f"col={max(problem.column, 1)}"]
    props.append(f"title={_escape_property(problem.code)}")
    return f"::{level} {','.join(props)}::{_escape_data(problem.message)}"


def github(result: Validation, strict: bool) -> str:
    return "".join(f"{annotation(p)}\n" for p in result.problems) + summary(result, strict) + "\n"


def _uri(path: str) -> str:
    """A relative path stays relative (SARIF resolves it against the checkout); others become file URIs."""
    candidate = Path(path)
    if candidate.is_absolute():
        return candidate.as_uri()
    return quote(candidate.as_posix())


def _level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def sarif(result: Validation, strict: bool) -> str:
    """A SARIF 2.1.0 log with one run: every code found is a rule; allowed warnings are
    results suppressed in source, so code scanning shows them as dismissed."""
    everything = [(p, False) for p in result.problems] + [(p, True) for p in result.allowed]
    codes = sorted({p.code for p, _ in everything})
    index = {code: i for i, code in enumerate(codes)}
    rules = [{"id": code, "name": code, "shortDescription": {"text": title(code)},
              "defaultConfiguration": {"level": _level(CODES[code].severity if code in CODES else Severity.ERROR)}}
             for code in codes]
    results: list[dict[str, Any]] = []
    for problem, allowed in everything:
        location: dict[str, Any] = {"artifactLocation": {"uri": _uri(problem.path)}}
        if problem.line > 0:
            location["region"] = {"startLine": problem.line, "startColumn": max(problem.column, 1)}
        entry: dict[str, Any] = {"ruleId": problem.code, "ruleIndex": index[problem.code],
                                 "level": _level(problem.severity), "message": {"text": problem.message},
                                 "locations": [{"physicalLocation": location}]}
        if allowed:
            entry["suppressions"] = [{"kind": "inSource", "justification": "# creditrules: allow comment"}]
        results.append(entry)
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0",
           "runs": [{"tool": {"driver": {"name": "creditrules", "version": __version__, "rules": rules}},
                     "columnKind": "unicodeCodePoints", "results": results}]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


FORMATS: dict[str, Callable[[Validation, bool], str]] = {
    "text": text, "json": as_json, "github": github, "sarif": sarif,
}
