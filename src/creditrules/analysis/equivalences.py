"""Equivalences (互认) across the whole library: chains and cycles (A040), one code, two meanings (A041).

Within one standard the compiler already refuses a foreign code mapped twice or
onto a code of its own catalog (C012). Across standards in force at the same
time, two more things go wrong:

* **A040** — ``A → B`` in one standard and ``B → C`` in another: equivalences do
  not combine, so a record coded ``A`` is recognised by the first standard and not
  by the second, though both agreements say it is the same certificate. When the
  mappings go round (``A → B → C → A``) the message says it is a cycle. Two
  standards that map each other's codes (``A → B`` and ``B → A``) are mutual
  recognition, which is fine.
* **A041** — one foreign code is the same as ``B`` in one standard and as ``C`` in
  another: one certificate cannot be two different ones (error).

Each is reported once per equivalence as written, naming the first few it chains or clashes with and
counting the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from ..compiled import CompiledRuleset
from ..errors import Diagnostic, Severity
from ..loader import SourceFile
from .context import Context
from .rivals import SHOWN, more

END = date(9999, 12, 31)


@dataclass(frozen=True)
class Edge:
    code: str
    same_as: str
    standard: str
    start: date
    end: date
    path: str
    index: int
    file: SourceFile = field(compare=False, repr=False)

    def overlaps(self, other: Edge) -> bool:
        return self.start <= other.end and other.start <= self.end

    def place(self) -> str:
        line, _ = self.file.locate("equivalences", self.index)
        return f"{self.file.path}:{line}"


def _lineage(context: Context, ruleset: CompiledRuleset) -> list[SourceFile]:
    """The file of the ruleset and the files it extends, most derived first (not the ones it uses)."""
    files = [context.files[ruleset.chain[0].path]]
    wanted = files[0].standard.extends
    for ref in ruleset.chain[1:]:
        if ref.id == wanted:
            files.append(context.files[ref.path])
            wanted = files[-1].standard.extends
    return files


def edges(context: Context) -> list[Edge]:
    found: set[Edge] = set()
    for ruleset in context.rulesets():
        lineage = _lineage(context, ruleset)
        for code, same_as in ruleset.aliases.items():
            for file in lineage:
                index = next((i for i, eq in enumerate(file.standard.equivalences) if eq.code == code), None)
                if index is not None:
                    found.add(Edge(code, same_as, ruleset.id, ruleset.effective_from,
                                   ruleset.effective_until or END, file.path, index, file))
                    break
    return sorted(found, key=lambda e: (e.path, e.index, e.standard, e.start))


def check(context: Context) -> Iterator[Diagnostic]:
    """One A041 and one A040 at most per equivalence, naming the first few equivalences it clashes or
    chains with and counting the rest; every lookup goes through an index, never over all pairs."""
    all_edges = edges(context)
    by_code: dict[str, list[Edge]] = {}
    by_target: dict[str, list[Edge]] = {}
    for edge in all_edges:
        by_code.setdefault(edge.code, []).append(edge)
        by_target.setdefault(edge.same_as, []).append(edge)
    direct = {(e.code, e.same_as, e.standard) for e in all_edges}
    for windows in _entries(all_edges):
        edge = windows[0]
        clashes = _distinct(o for w in windows for o in by_code.get(w.code, [])
                            if o.standard != w.standard and o.same_as != w.same_as and w.overlaps(o)
                            and (o.path, o.index) < (w.path, w.index))
        if clashes:
            yield _two_meanings(context, edge, clashes)
        # a standard that also recognises the first code directly has no chain
        chained = _distinct(b for w in windows for b in by_target.get(w.code, [])
                            if b.code != w.same_as and b.standard != w.standard and b.overlaps(w)
                            and (b.code, w.same_as, w.standard) not in direct)
        if chained:
            yield _chain(context, edge, chained, by_code)


def _entries(all_edges: list[Edge]) -> list[list[Edge]]:
    """The edges of each equivalence as written (one per window of the standard), in the order of the files."""
    entries: dict[tuple[str, int], list[Edge]] = {}
    for edge in all_edges:
        entries.setdefault((edge.path, edge.index), []).append(edge)
    return list(entries.values())


def _distinct(found: Iterable[Edge]) -> list[Edge]:
    """One edge per equivalence as written, in the order of the files."""
    return sorted({(e.path, e.index): e for e in sorted(found, key=_order, reverse=True)}.values(), key=_order)


def _order(edge: Edge) -> tuple[str, int, str, date]:
    return edge.path, edge.index, edge.standard, edge.start


def _two_meanings(context: Context, edge: Edge, clashes: list[Edge]) -> Diagnostic:
    shown = ", ".join(f"as '{o.same_as}' in standard '{o.standard}' ({o.place()})" for o in clashes[:SHOWN])
    return context.at(edge.file, ("equivalences", edge.index, "same_as"), "A041",
                      f"'{edge.code}' counts as '{edge.same_as}' here but {shown}"
                      f"{more(len(clashes) - SHOWN, 'standard')}; one code of another bank must mean one "
                      "certificate", Severity.ERROR)


def _chain(context: Context, edge: Edge, chained: list[Edge], by_code: dict[str, list[Edge]]) -> Diagnostic:
    def tail(before: Edge) -> str:
        cycle = _cycle(before, edge, by_code)
        return f" (the equivalences go round in a cycle: {' → '.join(cycle)})" if cycle else ""

    if len(chained) == 1:
        before = chained[0]
        message = (f"equivalences chain: '{before.code}' counts as '{before.same_as}' in standard "
                   f"'{before.standard}' ({before.place()}) and here '{edge.code}' counts as '{edge.same_as}'; they "
                   f"do not combine, so a record coded '{before.code}' is not recognised here; add {{code: "
                   f"{before.code}, same_as: {edge.same_as}}} if it should be{tail(before)}")
    else:
        shown = ", ".join(f"'{b.code}' in standard '{b.standard}' ({b.place()}){tail(b)}" for b in chained[:SHOWN])
        codes = ", ".join(f"'{b}'" for b in dict.fromkeys(b.code for b in chained[:SHOWN]))
        message = (f"equivalences chain: {len(chained)} equivalences of other standards count a code as "
                   f"'{edge.code}' — {shown}{more(len(chained) - SHOWN, 'equivalence')} — and here '{edge.code}' "
                   f"counts as '{edge.same_as}'; they do not combine, so records coded {codes} are not recognised "
                   f"here; add {{code: {chained[0].code}, same_as: {edge.same_as}}} for each one that should be")
    return context.at(edge.file, ("equivalences", edge.index), "A040", message)


def _cycle(before: Edge, edge: Edge, by_code: dict[str, list[Edge]]) -> list[str]:
    """The codes of a cycle through before → edge, if following the equivalences leads back."""
    start = before.code
    path = [before.code, before.same_as, edge.same_as]
    seen = set(path)
    current = edge.same_as
    while True:
        nexts = sorted({e.same_as for e in by_code.get(current, [])})
        if start in nexts:
            return path + [start]
        fresh = [n for n in nexts if n not in seen]
        if not fresh:
            return []
        current = fresh[0]
        path.append(current)
        seen.add(current)
