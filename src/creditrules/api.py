"""Convenience entry points that chain loading and compiling."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .compiler import CompiledLibrary, compile_library
from .errors import Diagnostic, StandardError
from .loader import load, load_partial


def compile_standards(paths: Iterable[str | Path] | str | Path) -> CompiledLibrary:
    """Load and compile every standard under ``paths``; raise StandardError listing every problem."""
    return compile_library(load(paths))


def validate(paths: Iterable[str | Path] | str | Path) -> list[Diagnostic]:
    """Every problem and warning in the standards under ``paths``, in one pass, sorted.

    Files that load are compiled even when others fail, so one run reports everything;
    it never raises for bad standards."""
    library, problems, failed = load_partial(paths)
    try:
        problems.extend(compile_library(library, failed).warnings)
    except StandardError as exc:
        problems.extend(exc.diagnostics)
    return sorted(set(problems))
