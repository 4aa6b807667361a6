"""Convenience entry points that chain loading and compiling."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .compiler import CompiledLibrary, compile_library
from .errors import Diagnostic, StandardError
from .loader import load


def compile_standards(paths: Iterable[str | Path] | str | Path) -> CompiledLibrary:
    """Load and compile every standard under ``paths``; raise StandardError listing every problem."""
    return compile_library(load(paths))


def validate(paths: Iterable[str | Path] | str | Path) -> list[Diagnostic]:
    """Every problem and warning in the standards under ``paths``, sorted; never raises for bad standards."""
    try:
        library = compile_standards(paths)
    except StandardError as exc:
        return list(exc.diagnostics)
    return sorted(library.warnings)
