"""Decision cases: tests that domain experts write in YAML, beside each standard.

A case file ``<name>.cases.yaml`` holds::

    standard: yrd-computer-application
    cases:
      - name: an intermediate Web certificate replaces two core courses
        as_of: 2025-06-30
        learner:                     # inline, or learner_file: ../../examples/x.yaml
          id: T1
          achievements:
            - {id: A1, code: X-WEB, level: 中级, obtained: 2024-06-15}
        expect:
          total: 8                   # converted credits
          awards:                    # the exact set of awards, in any order
            - {rule: web-core, courses: [C201], achievements: [A1]}
            - {rule: web-core, courses: [C202], achievements: [A1]}
          unused: {A2: conditions}   # optional: achievement → reason
          rejected: [A9]             # optional: achievements rejected as invalid

An expected award matches an actual one when every key it gives agrees
(rule, courses, category, outcome, credits, grade, achievements); keys left
out are not compared. ``pytest`` collects every case (tests/test_decision_cases.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import _yaml
from .compiled import from_centi
from .compiler import CompiledLibrary
from .dates import NotADay, parse_day
from .decision import Award, Decision
from .errors import CreditRulesError, Diagnostic
from .evaluator import evaluate
from .learner import learner_from_dict, load_learner
from .loader import CASES_SUFFIXES
from .safe_text import escape_controls
from .walk import Skipped, files_under

AWARD_KEYS = ("rule", "courses", "category", "outcome", "credits", "grade", "achievements")


@dataclass(frozen=True)
class Case:
    file: str
    line: int
    standard: str
    name: str
    as_of: date
    learner: Any  # a mapping, a path (confined to the project), or why the path may not be read
    expect: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{Path(self.file).name}::{self.name}"


class CaseFileError(CreditRulesError):
    """A case file, or a case's learner file, that cannot be used; the message is located and
    never quotes the content of another file."""

    def __init__(self, message: str):
        super().__init__(escape_controls(message))


@dataclass(frozen=True)
class Unreachable:
    """A ``learner_file`` that may not be read, and why: it is refused before anything is opened."""

    written: str
    reason: str


# a folder holding one of these is a project: case files may name files anywhere inside it
PROJECT_MARKERS = (".git", ".hg", "pyproject.toml")


def project_root(path: str | Path) -> Path:
    """The folder the files named by case files must stay in: the nearest folder around ``path``
    that holds ``.git``, ``.hg`` or ``pyproject.toml`` (the checkout CI runs in), else the folder
    being checked itself. A case file in a pull request cannot reach the runner's other files."""
    start = Path(path).resolve()
    if not start.is_dir():
        start = start.parent
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
    return start


def confine(case_file: Path, written: str, root: Path) -> Path | Unreachable:
    """The learner file a case names, if it lies inside ``root`` (every symbolic link resolved),
    outside any ``.git`` folder; otherwise why it may not be read."""
    if not written.strip():
        return Unreachable(written, "is empty; write a path relative to the case file")
    if "\0" in written:
        return Unreachable(written, "holds a NUL character; write a path relative to the case file")
    if Path(written).is_absolute():
        return Unreachable(written, "is an absolute path; write a path relative to the case file, inside "
                                    f"{root}")
    target = case_file.parent / written
    try:
        resolved = target.resolve()
        relative = resolved.relative_to(root.resolve())
    except ValueError:
        return Unreachable(written, f"leads outside the folder being checked ({root}); put the learner file "
                                    "inside it")
    except (OSError, RuntimeError):
        return Unreachable(written, "is a symbolic link that loops")
    if ".git" in relative.parts or ".hg" in relative.parts:
        return Unreachable(written, "is inside a version-control folder; put the learner file beside the cases")
    return target


def case_files(root: str | Path) -> list[Path]:
    return find_case_files(root)[0]


def find_case_files(root: str | Path) -> tuple[list[Path], list[Skipped]]:
    """Case files under ``root`` (or ``root`` itself), and the entries skipped on the way."""
    root = Path(root)
    if not root.is_dir():
        return [root], []
    return files_under(root, lambda name: name.endswith(CASES_SUFFIXES))


def load_cases(path: str | Path, root: Path | None = None) -> list[Case]:
    """Every case in one case file; CaseFileError (located) if the file is malformed. Learner files
    are confined to ``root`` (by default the :func:`project_root` of the case file)."""
    source = str(path)
    root = project_root(path) if root is None else root
    raw_bytes = _yaml.read(path)
    if isinstance(raw_bytes, Diagnostic):
        raise CaseFileError(str(raw_bytes))
    text = _yaml.decode(raw_bytes, source)
    if isinstance(text, Diagnostic):
        raise CaseFileError(str(text))
    parsed = _yaml.parse(text, source)
    if isinstance(parsed, Diagnostic):
        raise CaseFileError(str(parsed))
    data = parsed.data
    if not isinstance(data, dict) or not isinstance(data.get("standard"), str) or \
            not isinstance(data.get("cases"), list):
        raise CaseFileError(f"{source}:1:1: a case file needs 'standard: <id>' and 'cases: [...]'")
    cases = []
    for index, raw in enumerate(data["cases"]):
        line, _ = parsed.locate(("cases", index))
        where = f"{source}:{line}"
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise CaseFileError(f"{where}: each case needs a 'name'")
        unknown = set(raw) - {"name", "as_of", "learner", "learner_file", "expect"}
        if unknown:
            raise CaseFileError(f"{where}: unknown key '{sorted(unknown)[0]}' in case '{raw['name']}'")
        as_of = parse_day(raw.get("as_of"))
        if isinstance(as_of, NotADay):
            raise CaseFileError(f"{where}: case '{raw['name']}' needs 'as_of: YYYY-MM-DD': {as_of.en}")
        if ("learner" in raw) == ("learner_file" in raw):
            raise CaseFileError(f"{where}: case '{raw['name']}' needs exactly one of 'learner' or 'learner_file'")
        if "learner_file" in raw and not isinstance(raw["learner_file"], str):
            raise CaseFileError(f"{where}: case '{raw['name']}': 'learner_file' must be a path written as text")
        learner = raw.get("learner") or confine(Path(source), raw["learner_file"], root)
        expect = raw.get("expect")
        if not isinstance(expect, dict):
            raise CaseFileError(f"{where}: case '{raw['name']}' needs an 'expect' mapping")
        cases.append(Case(source, line, data["standard"], raw["name"], as_of, learner, expect))
    return cases


def iter_cases(root: str | Path) -> Iterator[Case]:
    for path in case_files(root):
        yield from load_cases(path)


def _award_view(award: Award) -> dict[str, Any]:
    return {
        "rule": award.rule,
        "courses": [c.code for c in award.courses],
        "category": award.category,
        "outcome": award.outcome,
        "credits": from_centi(award.credits_centi),
        "grade": award.grade,
        "achievements": list(award.achievements),
    }


def _matches(expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    for key, value in expected.items():
        have = actual.get(key)
        if isinstance(value, list):
            if sorted(map(str, value)) != sorted(map(str, have or [])):
                return False
        elif key == "credits":
            if have is None or abs(float(value) - float(have)) > 1e-9:
                return False
        elif value != have:
            return False
    return True


@dataclass(frozen=True)
class Comparison:
    """Expected against actual, part by part, for a readable diff.

    ``awards`` lists ("matched", expected, actual) and ("missing", expected, None) in the
    order the case writes them, then ("unexpected", None, actual); ``problems`` are the one-line differences
    (empty when the case passes)."""

    total: tuple[Any, Any] | None  # (expected, actual) when the case gives a total
    awards: tuple[tuple[str, dict[str, Any] | None, dict[str, Any] | None], ...]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def learner_of(case: Case) -> Any:
    """The case's learner record, read from its file or from the case itself."""
    if isinstance(case.learner, Unreachable):
        raise CaseFileError(f"{case.file}:{case.line}: case '{case.name}': learner_file '{case.learner.written}' "
                            f"{case.learner.reason}")
    return load_learner(case.learner) if isinstance(case.learner, Path) else \
        learner_from_dict(case.learner, f"{case.file}:{case.line}")


def check_case(case: Case, library: CompiledLibrary) -> tuple[Decision, list[str]]:
    """Run one case; the list of differences is empty when the decision is as expected."""
    decision = evaluate(library[case.standard], learner_of(case), case.as_of)
    return decision, list(compare(case, decision).problems)


def compare(case: Case, decision: Decision) -> Comparison:
    """Every difference between what the case expects and the decision."""
    problems: list[str] = []
    expect = case.expect
    unknown = set(expect) - {"total", "awards", "unused", "rejected"}
    if unknown:
        problems.append(f"unknown expectation '{sorted(unknown)[0]}' (use total, awards, unused, rejected)")
    total = None
    if "total" in expect:
        total = (expect["total"], from_centi(decision.total_centi))
        if abs(float(expect["total"]) - float(from_centi(decision.total_centi))) > 1e-9:
            problems.append(f"total: expected {expect['total']}, got {from_centi(decision.total_centi)}")
    rows: list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]] = []
    if "awards" in expect:
        actual = [_award_view(a) for a in decision.awards]
        remaining = list(actual)
        for wanted in expect["awards"]:
            unknown_keys = set(wanted) - set(AWARD_KEYS)
            if unknown_keys:
                problems.append(f"unknown award key '{sorted(unknown_keys)[0]}' (use {', '.join(AWARD_KEYS)})")
                continue
            match = next((a for a in remaining if _matches(wanted, a)), None)
            if match is None:
                problems.append(f"missing award: {show_award(wanted)}")
                rows.append(("missing", wanted, None))
            else:
                remaining.remove(match)
                rows.append(("matched", wanted, match))
        for extra in remaining:
            shown = {k: v for k, v in extra.items() if v not in (None, [])}
            problems.append(f"unexpected award: {show_award(shown)}")
            rows.append(("unexpected", None, shown))
    if "unused" in expect:
        actual_unused = {u.achievement: u.reason for u in decision.unused}
        for ach, reason in (expect["unused"] or {}).items():
            if actual_unused.get(str(ach)) != reason:
                problems.append(f"unused {ach}: expected reason '{reason}', got '{actual_unused.get(str(ach))}'")
    if "rejected" in expect:
        got = sorted(r.achievement for r in decision.rejected)
        if sorted(map(str, expect["rejected"] or [])) != got:
            problems.append(f"rejected: expected {sorted(map(str, expect['rejected'] or []))}, got {got}")
    return Comparison(total, tuple(rows), tuple(problems))


def show_award(award: dict[str, Any]) -> str:
    """An award as a flow mapping, the way the case file writes it."""
    return "{" + ", ".join(f"{k}: {v}" for k, v in award.items()) + "}"

