"""Running decision cases for ``creditrules test``: results, and which rules the cases exercise.

A rule counts as **covered** when at least one case's decision *awards* by it (an
award, or a certified outcome of a certification stage). A rule that cases only
see refused is not covered: a case that checks a refusal would also pass if the
rule were deleted, so it does not show that the rule gives what it should.

The rules counted are those of the standards the cases test and of every standard
those build on (``extends`` and ``uses``), each version on its own: a rule of the
2024 version and the rule of the same id in the 2026 version are two rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .cases import Case, CaseFileError, Comparison, compare, find_case_files, learner_of, load_cases, project_root
from .compiler import CompiledLibrary
from .decision import Decision
from .errors import CreditRulesError
from .evaluator import evaluate
from .loader import discover
from .safe_text import escape_controls


@dataclass(frozen=True)
class CaseResult:
    """One case run: its decision and comparison, or why it could not be run."""

    case: Case
    decision: Decision | None = None
    comparison: Comparison | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.comparison is not None and self.comparison.ok


@dataclass(frozen=True, order=True)
class RuleRef:
    """One rule as written in one version of one standard, and where."""

    path: str
    line: int
    column: int
    standard: str
    version: str
    rule: str


@dataclass(frozen=True)
class Coverage:
    rules: tuple[RuleRef, ...]
    covered: tuple[RuleRef, ...]

    @property
    def uncovered(self) -> tuple[RuleRef, ...]:
        done = set(self.covered)
        return tuple(r for r in self.rules if r not in done)

    @property
    def percent(self) -> float:
        return 100.0 if not self.rules else 100.0 * len(self.covered) / len(self.rules)


@dataclass(frozen=True)
class TestRun:
    results: tuple[CaseResult, ...]
    file_errors: tuple[str, ...]  # case files that could not be read, located
    coverage: Coverage

    @property
    def failed(self) -> tuple[CaseResult, ...]:
        return tuple(r for r in self.results if not r.ok)


def collect(paths: Iterable[str | Path]) -> tuple[list[Case], list[str]]:
    """Every case under the given files or folders, and the case files that could not be read."""
    cases: list[Case] = []
    errors: list[str] = []
    roots: dict[Path, Path] = {}  # case file → the project its learner files must stay in
    for path in paths:
        found, skipped = find_case_files(path)
        errors.extend(escape_controls(f"{s.path}: skipped: {s.reason}") for s in skipped)
        root = project_root(path)
        for file in found:
            roots.setdefault(file, root)
    for file in sorted(roots):
        try:
            cases.extend(load_cases(file, roots[file]))
        except CaseFileError as exc:
            errors.append(str(exc))
        except OSError as exc:
            errors.append(f"{file}: cannot read the file: {exc.strerror}")
    return cases, errors


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def standards_for(paths: Iterable[str | Path], fallback: str | Path) -> tuple[list[Path], bool]:
    """The folders of standards the cases under ``paths`` are decided against, and whether ``fallback``
    is among them. A folder given is decided against the standards in it: its ``standards/`` sub-folder if it
    has one (a checkout: its examples are not standards), else the standard files under it. A folder inside
    ``fallback``, or holding it, uses ``fallback`` (which holds everything its standards build on); so do case
    files named one by one and folders without standard files."""
    fallback = Path(fallback)
    own: list[Path] = []
    needs_fallback = False
    for raw in paths:
        path = Path(raw)
        if not path.is_dir() or _inside(path, fallback) or _inside(fallback, path):
            needs_fallback = True
            continue
        folder = path / "standards" if (path / "standards").is_dir() else path
        if not discover([folder])[0]:
            needs_fallback = True
        elif not any(_inside(folder, other) for other in own):
            own = [other for other in own if not _inside(other, folder)] + [folder]
    return own + ([fallback] if needs_fallback else []), needs_fallback


def run_case(case: Case, library: CompiledLibrary) -> CaseResult:
    try:
        standard = library[case.standard]
    except KeyError as exc:
        return CaseResult(case, error=str(exc.args[0]))
    try:
        decision = evaluate(standard, learner_of(case), case.as_of)
    except CreditRulesError as exc:
        return CaseResult(case, error=str(exc))
    return CaseResult(case, decision, compare(case, decision))


def run(paths: Iterable[str | Path], library: CompiledLibrary) -> TestRun:
    cases, errors = collect(paths)
    results = tuple(run_case(case, library) for case in cases)
    return TestRun(results, tuple(errors), coverage(results, library))


def coverage(results: Iterable[CaseResult], library: CompiledLibrary) -> Coverage:
    results = list(results)
    tested = {r.case.standard for r in results if r.case.standard in library.standards}
    closure: set[str] = set()
    for standard_id in tested:
        for ruleset in library.standards[standard_id].segments:
            closure |= {ref.id for ref in ruleset.chain}
    rules: set[RuleRef] = set()
    for standard_id in closure & set(library.standards):
        for ruleset in library.standards[standard_id].segments:
            for rule in ruleset.rules:
                origin = rule.origin
                rules.add(RuleRef(origin.path, origin.line, origin.column, origin.standard_id, origin.version,
                                  rule.id))
    by_key = {(r.standard, r.version, r.rule): r for r in rules}
    covered = {by_key[(a.standard, a.version, a.rule)]
               for r in results if r.decision is not None
               for a in (*r.decision.awards, *r.decision.outcomes)
               if (a.standard, a.version, a.rule) in by_key}
    return Coverage(tuple(sorted(rules)), tuple(sorted(covered)))
