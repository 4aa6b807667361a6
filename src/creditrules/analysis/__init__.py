"""Static analysis of compiled standards: what the rules do, found without any learner.

Each check is a module with one job and a ``check(context)`` that yields
diagnostics with stable ``A`` codes (see docs/diagnostics.md)::

    overlap       A001 rules whose competition the file order decides; A002 rules never awarded;
                  A003 rules another one shadows
    consumed      A004 one achievement two rules need, which only one may use (``reusable`` missing)
    gaps          A010–A012 codes and scale levels a standard says it covers but no rule takes
    limits        A020 limits that never bind; A021 limits that leave a rule nothing to give
    versions      A030–A032 versions of one standard that overlap, leave a gap, or never apply
    equivalences  A040 equivalences that chain; A041 one code recognised as two
    tables        A050 rows of one decision table that overlap; A051 a gap between a table's bands

Findings about pairs are grouped (one per set of rival rules, one per equivalence), each listing the
first pairs and counting the rest, so their number grows with the standards, not with the pairs.
Analysis runs once the standards compile without errors; ``creditrules validate``
runs it, ``evaluate`` does not need to.
"""

from __future__ import annotations

from ..compiler import CompiledLibrary
from ..errors import Diagnostic
from ..loader import StandardLibrary
from . import consumed, equivalences, gaps, limits, overlap, tables, versions
from .context import Context

CHECKS = (overlap.check, consumed.check, gaps.check, limits.check, versions.check, equivalences.check, tables.check)


def analyse(library: StandardLibrary, compiled: CompiledLibrary) -> list[Diagnostic]:
    """Every finding of every check, sorted and without repeats (one rule seen in several
    windows of a standard is reported once)."""
    context = Context(library, compiled)
    return sorted({finding for check in CHECKS for finding in check(context)})
