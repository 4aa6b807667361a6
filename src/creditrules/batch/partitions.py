"""Rows hash-partitioned by learner into Arrow files, and read back grouped by learner.

Why Arrow (pyarrow): rows are kept in columns (line, learner hash, learner id, payload
kind, payload) in Arrow IPC stream files, one per partition. Routing a chunk of rows to
its partitions, splitting a partition that grew too big on further bits of the hash,
and sorting a partition by learner are column operations in Arrow's C++ kernels
(``sort_indices``, ``take``, bit shifts), not Python loops over lines; a partition file
is read back in one call. Memory holds one chunk while reading and one partition per
worker while deciding, whatever the input's size.

The partition of a row is the low bits of the CRC-32 of its learner id (UTF-8); a
partition too big to load is split on the next bits. Sorting the learner column as
bytes orders UTF-8 text by code point, the order of the outputs.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

PARTITIONS = 64  # at least this many (a power of two: the low bits of the hash pick the partition)
MOST_PARTITIONS = 512  # open files while reading
TARGET_BYTES = 8 << 20  # of input per partition, when the input's size is known
SPLIT_BITS = 4  # a partition too big to load is split 16 ways on the next bits
MAX_PARTITION_BYTES = 32 << 20
MAX_SPLIT_DEPTH = 6
CHUNK_ROWS = 1 << 16

KINDS = ("json", "text", "value")  # how a payload becomes a row's data: see records.Row
SCHEMA = pa.schema([("line", pa.int64()), ("hash", pa.uint32()), ("learner", pa.binary()), ("kind", pa.int8()),
                    ("payload", pa.binary())])


def partition_count(size: int | None) -> int:
    """Partitions for an input of ``size`` bytes: about ``TARGET_BYTES`` each, so that a worker holds little
    even for a province, and few partitions are split later (a power of two, 64 to 512)."""
    wanted = max(PARTITIONS, (size or 0) // TARGET_BYTES)
    return max(PARTITIONS, min(MOST_PARTITIONS, 1 << (wanted - 1).bit_length()))


def bucket_bits(depth: int, partitions: int) -> tuple[int, int]:
    """(shift, mask) of the hash bits that pick a partition at this depth of splitting."""
    if depth == 0:
        return 0, partitions - 1
    return (partitions - 1).bit_length() + SPLIT_BITS * (depth - 1), (1 << SPLIT_BITS) - 1


class PartitionWriter:
    """Collect rows in column buffers; every ``CHUNK_ROWS`` rows route them to partition files."""

    def __init__(self, folder: Path, prefix: str, partitions: int = PARTITIONS):
        self.folder, self.prefix, self.partitions = folder, prefix, partitions
        self.writers: dict[int, pa.ipc.RecordBatchStreamWriter] = {}
        self._clear()

    def _clear(self) -> None:
        self.lines: list[int] = []
        self.hashes: list[int] = []
        self.learners: list[bytes] = []
        self.kinds: list[int] = []
        self.payloads: list[bytes] = []

    def path(self, index: int) -> Path:
        return self.folder / f"{self.prefix}{index:03d}.arrow"

    def add(self, line: int, learner: bytes, kind: int, payload: bytes) -> None:
        self.lines.append(line)
        self.hashes.append(zlib.crc32(learner))
        self.learners.append(learner)
        self.kinds.append(kind)
        self.payloads.append(payload)
        if len(self.lines) >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.lines:
            return
        batch = pa.record_batch([pa.array(self.lines, pa.int64()), pa.array(self.hashes, pa.uint32()),
                                 pa.array(self.learners, pa.binary()), pa.array(self.kinds, pa.int8()),
                                 pa.array(self.payloads, pa.binary())], schema=SCHEMA)
        self._clear()
        self.route(batch, 0)

    def route(self, batch: pa.RecordBatch, depth: int) -> None:
        """Write each row of ``batch`` to its partition at ``depth``, in one sort and one slice each."""
        shift, mask = bucket_bits(depth, self.partitions)
        index = pc.bit_wise_and(pc.shift_right(batch.column("hash"), shift), mask)
        order = pc.sort_indices(index)  # stable: rows keep their order within a partition
        batch, index = batch.take(order), index.take(order)
        counts = pc.value_counts(index)
        start = 0
        for value, count in sorted(zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist())):
            writer = self.writers.get(value)
            if writer is None:
                writer = self.writers[value] = pa.ipc.new_stream(str(self.path(value)), SCHEMA)
            writer.write_batch(batch.slice(start, count))
            start += count

    def close(self) -> list[tuple[Path, int]]:
        """Finish every file: (path, size in bytes) of each partition written, in partition order."""
        return [(path, size) for _, path, size in self.close_indexed()]

    def close_indexed(self) -> list[tuple[int, Path, int]]:
        """Finish every file: (partition index, path, size in bytes) of each partition written, in partition order."""
        self.flush()
        for writer in self.writers.values():
            writer.close()
        return [(i, self.path(i), self.path(i).stat().st_size) for i in sorted(self.writers)]


def split(paths: Sequence[Path], depth: int, name: str, partitions: int = PARTITIONS) -> list[tuple[Path, int]]:
    """Split one partition (its files: one per reader) on the hash bits of the next depth; the files are removed."""
    writer = PartitionWriter(paths[0].parent, f"{name}-", partitions)
    for path in paths:
        with pa.ipc.open_stream(str(path)) as reader:
            for batch in reader:
                writer.route(batch, depth)
    parts = writer.close()
    for path in paths:
        path.unlink()
    return parts


def learners(paths: Sequence[Path]) -> Iterator[tuple[bytes, list[tuple[int, int, bytes]]]]:
    """Each learner of a partition (its files: one per reader) with their ``(line, kind, payload)`` rows,
    by learner id (code-point order), rows by line, whichever file holds them. The files are removed once read."""
    tables = []
    for path in paths:
        with pa.ipc.open_stream(str(path)) as reader:
            tables.append(reader.read_all())
        path.unlink()
    table = tables[0] if len(tables) == 1 else pa.concat_tables(tables)
    del tables
    table = table.sort_by([("learner", "ascending"), ("line", "ascending")])
    keys = table.column("learner").to_pylist()
    lines = table.column("line").to_pylist()
    kinds = table.column("kind").to_pylist()
    payloads = table.column("payload").to_pylist()
    del table
    start = 0
    total = len(keys)
    while start < total:
        key = keys[start]
        end = start + 1
        while end < total and keys[end] == key:
            end += 1
        yield key, list(zip(lines[start:end], kinds[start:end], payloads[start:end]))
        start = end
