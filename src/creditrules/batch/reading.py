"""Phase 1: stream every row of the input into learner partitions; unreadable rows to the rejects.

A JSONL line whose learner id can be seen without parsing (:func:`records.fast_learner`)
is stored as it is, and parsed by the worker that decides its learner; every other row
is parsed here. A row without a learner cannot be partitioned, so it is rejected here,
with its line and reason.
"""

from __future__ import annotations

from collections.abc import Callable
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
    read = rejected = 0
    add = writer.add

    def route(row: Row) -> None:
        nonlocal rejected
        if row.learner is None or row.problem is not None:
            problem = row.problem or ("unreadable record", "无法读取的记录")
            record = reject(row.line, row.learner, "read", *problem, row.achievement, row.code,
                            text=row.payload or None, reason_code=row.reason_code)
            rejects.write(f"{row.line}\t{compact_json(record)}\n")
            rejected += 1
            return
        add(row.line, row.learner.encode("utf-8"), _KIND[row.kind], row.payload.encode("utf-8"))

    if source.format == "jsonl":
        json_kind = _KIND["json"]
        for number, raw in source.jsonl_lines():
            read += 1
            key = fast_learner(raw)
            if key is None:
                route(jsonl_row(number, raw))
            else:
                add(number, key, json_kind, raw)
            if progress is not None and read % _EVERY == 0:
                progress("read", source.position, source.size)
    else:
        for row in source:
            read += 1
            route(row)
            if progress is not None and read % _EVERY == 0:
                progress("read", source.position or read, source.size)
    if progress is not None:
        progress("read", source.position or read, source.size)
    return read, rejected


def rejects_path(folder: str | Path) -> Path:
    return Path(folder) / "read.rejects"
