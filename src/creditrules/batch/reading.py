"""Phase 1: stream every row of the input into learner partitions; unreadable rows to the rejects.

A JSONL line whose learner id can be seen without parsing (:func:`records.fast_learner`)
is stored as it is, and parsed by the worker that decides its learner; every other row
is parsed here. A row without a learner cannot be partitioned, so it is rejected here,
with its line and reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from ..jsontext import compact_json
from ..records import RecordSource, Row, fast_learner, jsonl_row
from .learner_rows import reject
from .partitions import KINDS, PartitionWriter

Progress = Callable[[str, int, "int | None"], None]
_KIND = {name: index for index, name in enumerate(KINDS)}
_EVERY = 65_536  # rows between progress calls


def read_rows(source: RecordSource, writer: PartitionWriter, rejects: TextIO,
              progress: Progress | None) -> tuple[int, int]:
    """Route every row; rejected rows are written as ``line<TAB>json`` lines. (rows read, rows rejected)."""
    if source.format == "jsonl":
        def tick() -> None:
            if progress is not None:
                progress("read", source.position, source.size)

        counted = route_jsonl(source.jsonl_lines(), writer, rejects, tick if progress is not None else None)
    else:
        read = rejected = 0
        for row in source:
            read += 1
            rejected += route(row, writer, rejects)
            if progress is not None and read % _EVERY == 0:
                progress("read", source.position or read, source.size)
        counted = read, rejected
    if progress is not None:
        progress("read", source.position or counted[0], source.size)
    return counted


def route_jsonl(lines: Iterable[tuple[int, bytes]], writer: PartitionWriter, rejects: TextIO,
                tick: Callable[[], None] | None) -> tuple[int, int]:
    """Route JSONL lines (``(number, stripped bytes)``), calling ``tick`` every ``_EVERY`` rows; the loop of
    the serial read and of each parallel reader (:mod:`.readers`). (rows read, rows rejected)."""
    read = rejected = 0
    add = writer.add
    json_kind = _KIND["json"]
    for number, raw in lines:
        read += 1
        key = fast_learner(raw)
        if key is None:
            rejected += route(jsonl_row(number, raw), writer, rejects)
        else:
            add(number, key, json_kind, raw)
        if tick is not None and read % _EVERY == 0:
            tick()
    return read, rejected


def route(row: Row, writer: PartitionWriter, rejects: TextIO) -> int:
    """Add a parsed row to its partition, or write it to the rejects if it has no learner or a problem:
    1 if it was rejected, else 0."""
    if row.learner is None or row.problem is not None:
        problem = row.problem or ("unreadable record", "无法读取的记录")
        record = reject(row.line, row.learner, "read", *problem, row.achievement, row.code,
                        text=row.payload or None, reason_code=row.reason_code)
        rejects.write(f"{row.line}\t{compact_json(record)}\n")
        return 1
    writer.add(row.line, row.learner.encode("utf-8"), _KIND[row.kind], row.payload.encode("utf-8"))
    return 0


def rejects_path(folder: str | Path) -> Path:
    return Path(folder) / "read.rejects"
