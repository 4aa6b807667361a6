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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterator

from ..compiled import CompiledRuleset
from ..errors import Diagnostic, Severity
from ..loader import SourceFile
from .context import Context

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

    def overlaps(self, other: "Edge") -> bool:
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
    all_edges = edges(context)
    by_code: dict[str, list[Edge]] = {}
    for edge in all_edges:
        by_code.setdefault(edge.code, []).append(edge)
    for edge in all_edges:
        for other in by_code.get(edge.code, []):
            if other.standard != edge.standard and other.same_as != edge.same_as and edge.overlaps(other) \
                    and (other.path, other.index) < (edge.path, edge.index):
                yield context.at(edge.file, ("equivalences", edge.index, "same_as"), "A041",
                                 f"'{edge.code}' counts as '{edge.same_as}' here but as '{other.same_as}' in "
                                 f"standard '{other.standard}' ({other.place()}); one code of another bank must "
                                 "mean one certificate", Severity.ERROR)
        for before in all_edges:
            if before.same_as != edge.code or before.code == edge.same_as or before.standard == edge.standard \
                    or not before.overlaps(edge):
                continue
            if any(e.same_as == edge.same_as and e.standard == edge.standard for e in by_code.get(before.code, [])):
                continue  # the standard recognises the first code directly too
            cycle = _cycle(before, edge, by_code)
            tail = f" (the equivalences go round in a cycle: {' → '.join(cycle)})" if cycle else ""
            yield context.at(edge.file, ("equivalences", edge.index), "A040",
                             f"equivalences chain: '{before.code}' counts as '{before.same_as}' in standard "
                             f"'{before.standard}' ({before.place()}) and here '{edge.code}' counts as "
                             f"'{edge.same_as}'; they do not combine, so a record coded '{before.code}' is not "
                             f"recognised here; add {{code: {before.code}, same_as: {edge.same_as}}} if it "
                             f"should be{tail}")


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
