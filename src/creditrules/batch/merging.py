"""Phase 3: merge the sorted partial outputs of every partition into the final outputs.

Decisions and award rows are merged by learner id, rejects by line; a CSV output gets
its header and safe cells (:mod:`.tables`). Each output is written through a
:class:`creditrules.outputs.Sink`, so nothing appears under its final name until the
whole run has succeeded.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterator
from typing import Any

from ..compiled import CompiledRuleset
from ..errors import CreditRulesError
from ..outputs import Sink
from .tables import AWARD_COLUMNS, REJECT_COLUMNS, SafeWriter, decision_columns


def _keyed(path: str, as_int: bool = False) -> Iterator[tuple[Any, str]]:
    with open(path, encoding="utf-8", newline="\n") as handle:
        for text in handle:
            key, _, rest = text.rstrip("\n").partition("\t")
            yield (int(key) if as_int else json.loads(key)), rest


def _first(item: tuple[Any, str]) -> Any:
    return item[0]


def merge(outputs: list[tuple[str, str, str]], read_rejects: str, decisions: Sink, rejects: Sink,
          awards: Sink | None, ruleset: CompiledRuleset, output_format: str, rejects_csv: bool) -> None:
    """Write the three outputs from the partial files (``outputs``: decisions, awards, rejects of each part)."""
    merged = heapq.merge(*(_keyed(o[0]) for o in outputs), key=_first)
    if output_format == "csv":
        writer = SafeWriter(decisions.stream)
        writer.row(decision_columns(ruleset))
        for _, text in merged:
            writer.row(json.loads(text))
    else:
        previous = None
        stream = decisions.stream
        for learner, text in merged:
            if learner == previous:
                raise CreditRulesError(f"internal error: learner '{learner}' was decided twice; please report it")
            previous = learner
            stream.write(text)
            stream.write("\n")
    lines = heapq.merge(_keyed(read_rejects, True), *(_keyed(o[2], True) for o in outputs), key=_first)
    if rejects_csv:
        writer = SafeWriter(rejects.stream)
        writer.row(REJECT_COLUMNS)
        for _, text in lines:
            data = json.loads(text)
            writer.row(data.get(c) for c in REJECT_COLUMNS)
    else:
        stream = rejects.stream
        for _, text in lines:
            stream.write(text)
            stream.write("\n")
    if awards is not None:
        writer = SafeWriter(awards.stream)
        writer.row(AWARD_COLUMNS)
        for _, text in heapq.merge(*(_keyed(o[1]) for o in outputs), key=_first):
            writer.row(json.loads(text))
