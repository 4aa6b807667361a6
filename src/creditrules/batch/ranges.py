"""Byte ranges of a JSONL file for parallel readers: each starts at a line start and knows its first line number.

Why line numbers are counted up front: a reader writes each row's line number into its
partition files and into the JSON of its rejects, so it must know the number of its first
line before it reads. Counting the newlines before a range is one ``bytes.count`` pass
(about 2 GB/s), done in the main process range by range, so the first reader starts at
once and each next one as soon as the lines before it are counted.

A line is what Python's binary line iteration yields: everything up to and including a
``\\n`` (a ``\\r`` before it stays in the line and is stripped later, as in the serial read).
A ``\\n`` byte is never inside a multi-byte UTF-8 character, so a range starting after one
never splits a character.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

MOST_READERS = 16
LEAST_BYTES = 1 << 20  # per range: a smaller file is read by fewer readers (a process start costs ~10 ms)
_BLOCK = 1 << 20


@dataclass(frozen=True)
class LineRange:
    """Bytes ``start`` (a line start) to ``end`` (exclusive; a line start or the file's end) of the input,
    whose first line is line number ``first`` (1 for the file's first line)."""

    start: int
    end: int
    first: int


def _next_line_start(handle: BinaryIO, offset: int, size: int) -> int:
    """The first line start at or after ``offset``: ``offset`` itself if the byte before it is a newline."""
    if offset <= 0:
        return 0
    handle.seek(offset - 1)
    position = offset - 1
    while position < size:
        block = handle.read(_BLOCK)
        if not block:
            break
        found = block.find(b"\n")
        if found >= 0:
            return position + found + 1
        position += len(block)
    return size


def spans(path: str | Path, readers: int, least: int | None = None) -> list[tuple[int, int]]:
    """At most ``readers`` (and ``MOST_READERS``) byte ranges covering the file, each at least about ``least``
    bytes (default ``LEAST_BYTES``), aligned to line starts; none is empty, so a file smaller than the readers
    gets fewer ranges, and an empty file none."""
    least = LEAST_BYTES if least is None else least
    with open(path, "rb") as handle:
        size = handle.seek(0, 2)
        count = max(1, min(readers, MOST_READERS, size // max(1, least)))
        starts = [0]
        for index in range(1, count):
            start = _next_line_start(handle, index * size // count, size)
            if starts[-1] < start < size:
                starts.append(start)
    return [(start, end) for start, end in zip(starts, [*starts[1:], size]) if start < end]


def count_lines(handle: BinaryIO, start: int, end: int) -> int:
    """Newlines in bytes ``start`` to ``end`` of the file: the lines that end there."""
    handle.seek(start)
    lines = 0
    left = end - start
    while left > 0:
        block = handle.read(min(_BLOCK, left))
        if not block:
            break
        lines += block.count(b"\n")
        left -= len(block)
    return lines


def numbered(path: str | Path, byte_ranges: Sequence[tuple[int, int]]) -> Iterator[LineRange]:
    """Each range with the number of its first line, yielded as soon as that is known: the lines of
    a range are counted only when the next one is asked for."""
    first = 1
    with open(path, "rb") as handle:
        for index, (start, end) in enumerate(byte_ranges):
            yield LineRange(start, end, first)
            if index + 1 < len(byte_ranges):
                first += count_lines(handle, start, end)
