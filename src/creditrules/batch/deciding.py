"""Phase 2, one partition: group its rows by learner, decide each, write sorted partial outputs.

A worker (or the main process, with one worker) calls :func:`decide_partition` with a
partition's files (one, or one per parallel reader). The outputs are three files in the
job's folder, each sorted (decisions and award rows by learner id, rejects by line), for
the merge to interleave. Decision and
award lines are written in binary, as their final bytes (JSON, or CSV with safe cells),
each after its merge key (:func:`merge_key`), so the merge decodes and encodes nothing.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from ..compiled import CompiledRuleset, CompiledStandard
from ..decision import Decision
from ..jsontext import compact_json
from ..learner import MAX_ACHIEVEMENTS
from ..records import NOT_UTF8, cell_types, parse_json_object, typed_cells
from .job import Job
from .learner_rows import LearnerOutcome, decide_learner_rows, reject
from .partitions import KINDS, MAX_SPLIT_DEPTH, learners, split
from .rowjson import plain_json_object
from .summary import PartitionCounts
from .tables import CsvLines, award_rows, decision_row

_SNIPPET = 200
_TEXT = KINDS.index("text")
_BUFFER = 1 << 20  # bytes each partial output gathers before a write: decisions are ~4 kB


class Context:
    """The compiled standard and settings in one process: the main one, or a worker's."""

    def __init__(self, standard: CompiledStandard, job: Job):
        self.standard, self.job = standard, job
        self.ruleset: CompiledRuleset = standard.ruleset_for(job.as_of)
        self.types = cell_types(self.ruleset)


def _row_data(context: Context, kind: int, payload: bytes) -> dict[str, Any] | tuple[str, str]:
    data = plain_json_object(payload)  # most rows: read by orjson, as json would read them
    if data is not None:
        return typed_cells(data, context.types) if kind == _TEXT else data
    return _parsed(context, KINDS[kind], payload)


def _parsed(context: Context, kind: str, payload: bytes) -> dict[str, Any] | tuple[str, str]:
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        return NOT_UTF8
    if kind == "json":
        return parse_json_object(text)
    data = json.loads(text)
    return typed_cells(data, context.types) if kind == "text" else data


def _snippet(text: str) -> str:
    return text if len(text) <= _SNIPPET else text[:_SNIPPET] + "…"


def decide_partition(context: Context, paths: tuple[str, ...], depth: int = 0, name: str | None = None
                     ) -> PartitionCounts:
    """Decide every learner of one partition, from its files (one per reader; split first if too big to load)."""
    cpu = time.process_time()
    files = [Path(path) for path in paths]
    name = name or files[0].stem
    counts = PartitionCounts()
    if sum(os.path.getsize(file) for file in files) > context.job.max_partition_bytes and depth < MAX_SPLIT_DEPTH:
        for part, _ in split(files, depth + 1, name, context.job.partitions):
            counts.add(decide_partition(context, (str(part),), depth + 1, part.stem))
        counts.cpu = time.process_time() - cpu  # the sub-partitions' time included
        return counts
    _decide_file(context, files, name, counts)
    counts.cpu = time.process_time() - cpu
    return counts


def merge_key(learner: bytes) -> bytes:
    """The prefix of a learner's partial lines: the hex of the id's UTF-8 bytes, then a tab.

    Hex orders as the bytes do, and UTF-8 bytes as the id's code points (Python's str order,
    the outputs' order); it holds no tab or newline whatever the id, and the tab sorts before
    every hex digit, so whole lines compare as their learners do."""
    return learner.hex().encode("ascii") + b"\t"


def _decide_file(context: Context, files: list[Path], name: str, counts: PartitionCounts) -> None:
    job = context.job
    folder = Path(job.folder)
    out_path, awards_path, rejects_path = (folder / f"{name}.{suffix}" for suffix in ("out", "awards", "rejects"))
    rejects: list[tuple[int, str]] = []
    clock = time.process_time
    csv_lines = CsvLines()
    with open(out_path, "wb", buffering=_BUFFER) as out, open(awards_path, "wb", buffering=_BUFFER) as awards:
        for key, group in learners(files):
            learner = key.decode("utf-8")
            rows = []
            parse = len(group) <= MAX_ACHIEVEMENTS  # else the learner is refused whole, unread
            for line, kind, payload in group:
                data = _row_data(context, kind, payload) if parse else {}
                if type(data) is tuple:  # unreadable (seen only here when routed without parsing)
                    text = _snippet(payload.decode("utf-8", "replace"))
                    rejects.append((line, compact_json(reject(line, None, "read", *data, text=text))))
                    counts.rejected_by["read"] += 1
                    continue
                rows.append((line, data))
            if not rows:
                continue
            started = clock()
            outcome = decide_learner_rows(context.ruleset, learner, rows, job.as_of, job.trace)  # type: ignore[arg-type]
            decided = clock()
            counts.engine_cpu += decided - started
            _count(outcome, learner, counts, rejects)
            decision = outcome.decision
            if decision is None:
                continue
            prefix = merge_key(key)
            out.write(prefix)
            out.write(_decision_line(decision, context, outcome, csv_lines))
            counts.written += 1
            for row in award_rows(decision):
                awards.write(prefix + csv_lines.line(row))
                counts.award_rows += 1
            counts.encode_cpu += clock() - decided
    rejects.sort(key=lambda item: item[0])
    with open(rejects_path, "w", encoding="utf-8", newline="\n") as handle:
        for line, text in rejects:
            handle.write(f"{line}\t{text}\n")
    counts.outputs.append((str(out_path), str(awards_path), str(rejects_path)))


def _count(outcome: LearnerOutcome, learner: str, counts: PartitionCounts, rejects: list[tuple[int, str]]) -> None:
    for item in outcome.rejects:
        rejects.append((item["line"], compact_json(item)))
        counts.rejected_by[item["stage"]] += 1
    counts.credited += outcome.credited
    counts.unused += outcome.unused
    if outcome.lost:
        counts.lost += len(outcome.lost)
        counts.lost_examples.extend(f"{learner}/{a}" for a in outcome.lost[:3])
    if outcome.internal_error:
        counts.internal += 1
    if outcome.decision is None:
        counts.undecided += 1
    else:
        counts.decided += 1


def _decision_line(decision: Decision, context: Context, outcome: LearnerOutcome, csv_lines: CsvLines) -> bytes:
    """The decision's line of the output, as its bytes: a CSV row, or JSON."""
    if context.job.output_format == "csv":
        return csv_lines.line(decision_row(decision, context.ruleset, outcome))
    return decision.to_json_bytes(trace=context.job.trace != "none") + b"\n"
