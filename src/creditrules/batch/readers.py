"""Phase 1 in parallel, for a JSONL file: one reader process per byte range (:mod:`.ranges`).

Why: reading routes every row (a regular expression, a CRC, Arrow buffers) in one process
while the other cores wait. Here each reader routes the rows of its range exactly as the
serial read does (:func:`.reading.route_jsonl`, with the range's true line numbers) into
partition files and a read-rejects file of its own. A partition is then the tuple of its
readers' files: the deciding sorts a learner's rows by line, and the merge orders rejects
by line, so the outputs are the bytes of the serial read.

Not for standard input (it cannot be split), CSV (a quoted field may hold a newline, so a
byte offset does not tell a row start), Parquet or Excel, or one worker. A reader that ends
unasked stops the run at once (:class:`.pool.WorkerDied`), as a deciding worker does.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import IO, Any

from ..errors import CreditRulesError
from ..records import RecordSource, jsonl_lines
from .partitions import PartitionWriter
from .pool import died
from .ranges import LineRange, numbered, spans
from .reading import route_jsonl

Progress = Callable[[str, int, "int | None"], None]
_BUFFER = 1 << 20


@dataclass
class ReadResult:
    """What the readers made: counts, each partition's files (by name, as the serial read names it), rejects files."""

    read: int = 0
    rejected: int = 0
    parts: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # name -> (file, bytes) of each reader
    rejects: list[str] = field(default_factory=list)
    cpu: float = 0.0  # of the readers, together
    readers: int = 0


def parallel_spans(source: RecordSource, workers: int) -> list[tuple[int, int]]:
    """The byte ranges to read in parallel, or [] when the input is read serially: not a JSONL file, one worker,
    or too small to give two readers a range each."""
    if workers < 2 or source.format != "jsonl" or not isinstance(source.source, (str, Path)) \
            or str(source.source) == "-":
        return []
    found = spans(source.source, workers)
    return found if len(found) >= 2 else []


def rejects_path(folder: str | Path, index: int) -> Path:
    return Path(folder) / f"read-{index:02d}.rejects"


def _prefix(index: int) -> str:
    return f"r{index:02d}-"


class InputChanged(CreditRulesError):
    """The file no longer holds the lines its ranges were cut from: some would be read twice, others never."""

    def __init__(self, path: str, why: str) -> None:
        self.why = why
        super().__init__(f"{path} changed while it was read ({why}); the run was stopped and no output was "
                         "written: run the batch on a copy that no program is writing")


def _range_lines(stream: IO[bytes], span: LineRange, done: list[int], path: str = "the input") -> Iterator[bytes]:
    """The lines of bytes ``span.start`` to ``span.end`` (which end at a line end), keeping in ``done[0]``
    the bytes read so far. InputChanged if the range no longer starts or ends at a line end: the file was
    written since it was cut."""
    if span.start > 0:
        stream.seek(span.start - 1)
        if stream.read(1) != b"\n":
            raise InputChanged(path, _moved(span))
    stream.seek(span.start)
    position = span.start
    for raw in stream:
        position += len(raw)
        done[0] = position - span.start
        yield raw
        if position >= span.end:
            break
    if position != span.end:
        raise InputChanged(path, _moved(span))


def _reader(connection: Connection, path: str, span: LineRange, index: int, folder: str, partitions: int) -> None:
    """A reader's life: route its range's rows, send progress now and then, then its result."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the main process, which ends the readers
    cpu = time.process_time()
    try:
        writer = PartitionWriter(Path(folder), _prefix(index) + "part-", partitions)
        rejects = rejects_path(folder, index)
        done = [0]
        with open(rejects, "w", encoding="utf-8", newline="\n") as handle, \
                open(path, "rb", buffering=_BUFFER) as stream:
            read, rejected = route_jsonl(jsonl_lines(_range_lines(stream, span, done, path), first=span.first),
                                         writer, handle, lambda: connection.send(("at", done[0])))
        parts = {f"part-{i:03d}": (str(file), size) for i, file, size in writer.close_indexed()}
        connection.send(("ok", (read, rejected, parts, str(rejects), time.process_time() - cpu, done[0])))
    except InputChanged as exc:
        connection.send(("changed", exc.why))
    except OSError as exc:
        connection.send(("error", f"a reader could not read the input or write its partitions: {exc}"))
    except Exception as exc:  # the main process stops the run with this text
        connection.send(("error", f"internal error in a reader ({type(exc).__name__}: {exc}); please report it"))


def read_in_parallel(source: RecordSource, byte_ranges: Sequence[tuple[int, int]], folder: str, partitions: int,
                     progress: Progress | None) -> ReadResult:
    """Read ``byte_ranges`` of the JSONL file ``source`` in one process each; a reader starts as soon as the
    number of its first line is known. InputChanged if the file is written meanwhile."""
    path = str(source.source)  # a file: see parallel_spans
    with open(path, "rb") as held:  # kept open: its identity cannot be reused, its size and time are its own
        before = _version(held)
        if before[0] != byte_ranges[-1][1]:  # written between the cutting and now
            raise InputChanged(path, f"{before[0]:,} bytes now, {byte_ranges[-1][1]:,} when it was cut into ranges")
        result = _read_ranges(source, byte_ranges, folder, partitions, progress)
        if _version(held) != before or not _same_file(held, path):  # appended to, rewritten, or replaced
            raise InputChanged(path, "its size, modification time or file moved during the read")
    return result


def _read_ranges(source: RecordSource, byte_ranges: Sequence[tuple[int, int]], folder: str, partitions: int,
                 progress: Progress | None) -> ReadResult:
    path = str(source.source)
    context = multiprocessing.get_context()
    result = ReadResult(readers=len(byte_ranges))
    started: list[tuple[Any, Connection, LineRange]] = []
    at: dict[Connection, int] = {}
    try:
        for index, span in enumerate(numbered(path, byte_ranges)):
            mine, theirs = context.Pipe(duplex=False)
            process = context.Process(target=_reader, args=(theirs, path, span, index, folder, partitions),
                                      daemon=True)
            process.start()
            theirs.close()
            started.append((process, mine, span))
            at[mine] = 0
        running = {connection: (process, span) for process, connection, span in started}
        by_sentinel = {process.sentinel: connection for process, connection, _ in started}
        while running:
            for item in wait([*running, *(running[c][0].sentinel for c in running)]):
                if isinstance(item, int):  # a reader ended: fine once it has sent its result
                    connection = by_sentinel[item]
                    if connection in running and not connection.poll():
                        process, span = running[connection]
                        process.join()
                        raise _reader_died(process, span)
                    continue
                connection = item  # type: ignore[assignment]
                if connection not in running:
                    continue
                try:
                    status, value = connection.recv()
                except (EOFError, OSError):
                    process, span = running[connection]
                    process.join()
                    raise _reader_died(process, span) from None
                if status == "error":
                    raise CreditRulesError(value)
                if status == "changed":
                    raise InputChanged(path, value)
                if status == "at":
                    at[connection] = value
                else:
                    _add(result, value)
                    at[connection] = value[5]
                    del running[connection]
                if progress is not None:
                    progress("read", sum(at.values()), source.size)
        for process, _, _ in started:
            process.join()
    finally:
        for process, connection, _ in started:
            if process.is_alive():
                process.terminate()
            process.join()
            connection.close()
    return result


def _version(held: IO[bytes]) -> tuple[int, int]:
    """What changes when a file is written: its size and modification time."""
    found = os.fstat(held.fileno())
    return found.st_size, found.st_mtime_ns


def _same_file(held: IO[bytes], path: str) -> bool:
    """Whether ``path`` still names the file held open (not another one moved over it); where a file system
    gives no inode numbers (0), not to be told."""
    mine = os.fstat(held.fileno())
    try:
        now = os.stat(path)
    except OSError:
        return False
    return mine.st_ino == 0 or (now.st_ino, now.st_dev) == (mine.st_ino, mine.st_dev)


def _moved(span: LineRange) -> str:
    return f"bytes {span.start:,} to {span.end:,} no longer begin and end at line ends"


def _add(result: ReadResult, value: tuple[int, int, dict[str, tuple[str, int]], str, float, int]) -> None:
    read, rejected, parts, rejects, cpu, _ = value
    result.read += read
    result.rejected += rejected
    for name, part in parts.items():
        result.parts.setdefault(name, []).append(part)
    result.rejects.append(rejects)
    result.cpu += cpu


def _reader_died(process: multiprocessing.process.BaseProcess, span: LineRange) -> CreditRulesError:
    return died(process, "reader", f" while reading the input from line {span.first} (bytes {span.start} to "
                                   f"{span.end})")
