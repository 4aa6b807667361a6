"""Phase 3: merge the sorted partial outputs of every partition into the final outputs.

Decisions and award rows are merged by learner id, rejects by line; a CSV output gets
its header and safe cells (:mod:`.tables`). Each output is written through a
:class:`creditrules.outputs.Sink`, so nothing appears under its final name until the
whole run has succeeded.

The workers wrote decision and award lines as their final bytes, each after its merge key
(:func:`.deciding.merge_key`, which orders as the learner ids do): here whole lines are
compared and the key cut off, with no parsing or encoding in this one process.
"""

from __future__ import annotations

import heapq
import io
import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

from ..compiled import CompiledRuleset
from ..errors import CreditRulesError
from ..outputs import Sink
from .tables import AWARD_COLUMNS, REJECT_COLUMNS, SafeWriter, decision_columns

_READ_BUFFER = 1 << 16  # per partial file, all open at once (up to 512 partitions, more when split) ...
_READ_BUFFERS = 32 << 20  # ... and at most this much for all of them (but io's default each)
_CHUNK = 1 << 20  # bytes of output gathered before one write


def _keyed(path: str) -> Iterator[tuple[int, str]]:
    with open(path, encoding="utf-8", newline="\n") as handle:
        for text in handle:
            key, _, rest = text.rstrip("\n").partition("\t")
            yield int(key), rest


def _first(item: tuple[Any, str]) -> Any:
    return item[0]


def _bytes_writer(sink: Sink) -> Callable[[bytes], Any]:
    """Write UTF-8 bytes to a sink after the text written so far: straight to the file a sink opened
    (UTF-8, no newline translation), decoded for a stream it was given."""
    stream = sink.stream
    if sink.owned:  # a CSV output's header goes first as text, so a utf-8-sig file has its BOM
        stream.flush()
        return stream.buffer.write
    return lambda data: stream.write(data.decode("utf-8"))


def _merged(stack: ExitStack, paths: list[str]) -> Iterator[bytes]:
    """Every line of the sorted partial files, in learner order."""
    buffer = max(io.DEFAULT_BUFFER_SIZE, min(_READ_BUFFER, _READ_BUFFERS // max(1, len(paths))))
    return heapq.merge(*(stack.enter_context(open(path, "rb", buffering=buffer)) for path in paths))


def _write_lines(stack: ExitStack, paths: list[str], sink: Sink, unique: bool) -> None:
    """The partial files' lines merged, without their keys, written in chunks of about ``_CHUNK`` bytes."""
    write = _bytes_writer(sink)
    previous = b""
    chunk: list[bytes] = []
    size = 0
    for line in _merged(stack, paths):
        at = line.index(b"\t")
        if unique:
            if line[:at] == previous:
                learner = bytes.fromhex(previous.decode("ascii")).decode("utf-8")
                raise CreditRulesError(f"internal error: learner '{learner}' was decided twice; please report it")
            previous = line[:at]
        chunk.append(line[at + 1:])
        size += len(line)
        if size > _CHUNK:
            write(b"".join(chunk))
            chunk.clear()
            size = 0
    write(b"".join(chunk))


def merge(outputs: list[tuple[str, str, str]], read_rejects: list[str], decisions: Sink, rejects: Sink,
          awards: Sink | None, ruleset: CompiledRuleset, output_format: str, rejects_csv: bool) -> None:
    """Write the three outputs from the partial files (``outputs``: decisions, awards, rejects of each part;
    ``read_rejects``: the read phase's rejects, one file per reader)."""
    with ExitStack() as stack:
        if output_format == "csv":
            SafeWriter(decisions.stream).row(decision_columns(ruleset))
        _write_lines(stack, [o[0] for o in outputs], decisions, unique=True)
    lines = heapq.merge(*(_keyed(path) for path in read_rejects), *(_keyed(o[2]) for o in outputs), key=_first)
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
        SafeWriter(awards.stream).row(AWARD_COLUMNS)
        with ExitStack() as stack:
            _write_lines(stack, [o[1] for o in outputs], awards, unique=False)
