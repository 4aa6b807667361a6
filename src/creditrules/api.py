"""Convenience entry points that chain loading, compiling and analysing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .allow import split_allowed
from .analysis import analyse
from .compiled import CompiledRuleset
from .compiler import CompiledLibrary, compile_library
from .errors import Diagnostic, Severity, StandardError, did_you_mean
from .learner import Learner
from .loader import discover, load, load_partial


def compile_standards(paths: Iterable[str | Path] | str | Path) -> CompiledLibrary:
    """Load and compile every standard under ``paths``; raise StandardError listing every problem."""
    return compile_library(load(paths))


@dataclass(frozen=True)
class Validation:
    """What ``validate`` found: problems to report, warnings allowed by comments, files read."""

    problems: tuple[Diagnostic, ...]
    allowed: tuple[Diagnostic, ...]
    files: int

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)


def check(paths: Iterable[str | Path] | str | Path) -> Validation:
    """Load, compile and analyse in one pass; never raises for bad standards.

    Files that load are compiled even when others fail, so one run reports every
    load and compile problem; the static analysis (A codes) runs once everything
    compiles, since it reasons about the compiled rules."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = list(paths)
    library, problems, failed = load_partial(paths)
    try:
        compiled = compile_library(library, failed)
    except StandardError as exc:
        problems.extend(exc.diagnostics)
    else:
        problems.extend(compiled.warnings)
        if not problems or all(p.severity is Severity.WARNING for p in problems):
            problems.extend(analyse(library, compiled))
    kept, allowed = split_allowed(sorted(set(problems)))
    return Validation(tuple(kept), tuple(allowed), len(discover(paths)[0]))


def validate(paths: Iterable[str | Path] | str | Path) -> list[Diagnostic]:
    """Every problem and warning in the standards under ``paths``, in one pass, sorted;
    warnings allowed by a ``# creditrules: allow CODE`` comment are left out. Never raises
    for bad standards."""
    return list(check(paths).problems)


def unknown_subject(ruleset: CompiledRuleset, learner: Learner, course: str | None,
                    achievement: str | None) -> tuple[str, str] | None:
    """Why ``explain`` cannot explain this course or achievement: (``course`` or ``achievement``,
    the message), or None when it names something of the program or the learner."""
    if course is not None and (ruleset.program is None or course not in ruleset.program.courses):
        program = ruleset.program
        where = f"program {program.code} ({program.name_en})" if program else f"standard {ruleset.id}"
        return "course", (f"'{course}' is not a course of {where}"
                          + (did_you_mean(course, program.courses) if program else ""))
    if achievement is not None and achievement not in {a.id for a in learner.achievements} | {
            r.achievement for r in learner.rejected}:
        return "achievement", (f"learner {learner.id} has no achievement '{achievement}'"
                               + did_you_mean(achievement, [a.id for a in learner.achievements]))
    return None
