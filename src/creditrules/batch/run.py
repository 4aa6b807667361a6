"""The driver: check the options and paths, read, decide (here or in workers), merge, count."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from ..columns import ColumnMap, check_fields
from ..compiled import CompiledStandard
from ..errors import CreditRulesError
from ..evaluator import TRACE_MODES, TraceMode, parse_day
from ..outputs import Output, Sink, check_outputs
from ..records import RecordSource, record_fields
from .job import Job, standard_files
from .summary import BatchSummary, PartitionCounts

OUTPUT_FORMATS = ("jsonl", "csv")
Progress = Callable[[str, int, "int | None"], None]
Target = str | Path | TextIO | Output
PYARROW_MISSING = ("batch runs need pyarrow, a dependency of creditrules that is missing here: "
                   "pip install 'pyarrow>=14'")


def default_workers() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def rejects_path_for(output: str | Path) -> Path:
    """Where the rejects go when no file is named: beside the output, ``NAME.rejects.jsonl``."""
    path = Path(output)
    return path.with_name(f"{path.stem if path.suffix else path.name}.rejects.jsonl")


def _targets(source: RecordSource, standard_files: Iterable[str], output: Target, rejects: Target,
             awards: Target | None) -> list[Output | TextIO | None]:
    """Check the output paths (``Output`` values were checked by the caller already)."""
    given = [("output", output), ("rejects", rejects), ("awards_csv", awards)]
    paths = [(name, value) for name, value in given if isinstance(value, (str, Path))]
    inputs: list[tuple[str, str | Path]] = [(f"standard file '{path}'", path) for path in standard_files]
    if isinstance(source.source, (str, Path)):
        inputs.insert(0, (f"the input '{source.source}'", source.source))
    checked = iter(check_outputs(paths, inputs, streams=False))
    return [next(checked) if isinstance(value, (str, Path)) else value for _, value in given]


def _sink(target: Output | TextIO, encoding: str = "utf-8") -> Sink:
    return Sink(target, encoding)


def _name(target: Output | TextIO | None) -> str:
    return target.given if isinstance(target, Output) else "<stream>"


def evaluate_batch(records: str | Path | Iterable[Mapping[str, Any]] | RecordSource,
                   standard: CompiledStandard, *, output: Target, as_of: date | str | None = None,
                   rejects: Target | None = None, awards_csv: Target | None = None,
                   workers: int | None = 1, trace: TraceMode = "compact", output_format: str = "jsonl",
                   input_format: str | None = None, work_dir: str | Path | None = None,
                   progress: Progress | None = None, columns: ColumnMap | None = None) -> BatchSummary:
    """Decide every learner in ``records`` under ``standard`` and write the outputs.

    ``records``: a file path (JSONL, CSV or Parquet, by ``input_format`` or the file name),
    a :class:`RecordSource`, or any iterable of mappings, one achievement each with a
    ``learner`` key. ``output``, ``rejects`` and ``awards_csv`` are paths (written whole
    or not at all; checked by :func:`creditrules.outputs.check_outputs`: none may be an
    input, a standard file or another output) or text streams; ``rejects`` defaults to
    ``NAME.rejects.jsonl`` beside a path ``output`` (a ``.csv`` rejects path gets CSV).
    ``columns``: an office's headers, date format and sheet (:mod:`creditrules.columns`;
    CSV and Excel input); a mapped field the standard does not know is a ColumnMapError.
    ``workers``: processes (None: every core); each compiles the standard from its files
    once. Raises CreditRulesError for unusable input (no such file, no version in force,
    a CSV without a learner column, a worker that died); problems with single records are
    rejects, never exceptions. The library never prints: warnings are in
    :attr:`BatchSummary.warnings`.
    """
    started = time.perf_counter()
    if trace not in TRACE_MODES:
        raise CreditRulesError(f"trace must be one of {', '.join(TRACE_MODES)}, not '{trace}'")
    if output_format not in OUTPUT_FORMATS:
        raise CreditRulesError(f"output format must be one of {', '.join(OUTPUT_FORMATS)}, not '{output_format}'")
    try:
        from . import deciding, partitions, pool, readers, reading
        from .merging import merge
    except ImportError:
        raise CreditRulesError(PYARROW_MISSING) from None
    day = parse_day(as_of)
    ruleset = standard.ruleset_for(day)
    if ruleset.kind == "base":
        raise CreditRulesError(f"'{ruleset.id}' is a base standard; evaluate a standard that extends it")
    count = default_workers() if workers is None else workers
    if count < 1:
        raise CreditRulesError(f"workers must be at least 1, not {count}")
    if columns is not None:
        fields, days = record_fields(ruleset)
        check_fields(columns, fields, ruleset.id)
        columns = replace(columns, date_fields=frozenset(days))
    source = records if isinstance(records, RecordSource) else RecordSource(
        records, input_format, column_map=columns)  # type: ignore[arg-type]
    if rejects is None:
        base = output.given if isinstance(output, Output) else output
        if not isinstance(base, (str, Path)) or str(base) == "-":
            raise CreditRulesError("name a rejects file or stream when the output is a stream")
        rejects = rejects_path_for(base)
    files = standard_files(standard)
    out_target, rejects_target, awards_target = _targets(source, [p for p, _ in files], output, rejects, awards_csv)
    summary = BatchSummary(standard.id, ruleset.version, day, trace, count, source.name, source.format or "",
                           unit=ruleset.unit.en)
    with tempfile.TemporaryDirectory(prefix="creditrules-batch-", dir=work_dir) as folder:
        job = Job(standard.id, files, day, trace, output_format, folder, partitions.MAX_PARTITION_BYTES,
                           partitions.partition_count(source.size))
        cpu = time.process_time()
        byte_ranges = readers.parallel_spans(source, count)
        if byte_ranges:
            read = readers.read_in_parallel(source, byte_ranges, folder, job.partitions, progress)
            summary.records_read, rejected = read.read, read.rejected
            parts = {name: sorted(files) for name, files in read.parts.items()}
            read_rejects = sorted(read.rejects)
            reader_cpu = read.cpu
        else:
            writer = partitions.PartitionWriter(Path(folder), "part-", job.partitions)
            read_rejects = [str(reading.rejects_path(folder))]
            with open(read_rejects[0], "w", encoding="utf-8", newline="\n") as handle:
                summary.records_read, rejected = reading.read_rows(source, writer, handle, progress)
            parts = {path.stem: [(str(path), size)] for path, size in writer.close()}
            reader_cpu = 0.0
        summary.rejected_by["read"] += rejected
        summary.warnings = list(source.warnings)
        summary.timings["read"] = time.perf_counter() - started
        summary.timings["read_cpu"] = time.process_time() - cpu + reader_cpu
        summary.readers = max(1, len(byte_ranges))
        outputs: list[tuple[str, str, str]] = []
        # the biggest partitions first, so that no worker is left with a big one at the end
        tasks = [(tuple(path for path, _ in files), 0, name)
                 for name, files in sorted(parts.items(), key=lambda item: (-sum(s for _, s in item[1]), item[0]))]
        done = 0

        def collect(counts: PartitionCounts) -> None:
            nonlocal done
            summary.add(counts)
            outputs.extend(counts.outputs)
            done += 1
            if progress is not None:
                progress("decide", done, len(tasks))

        if progress is not None:
            progress("decide", 0, len(tasks))
        if count == 1 or len(tasks) <= 1:
            context = deciding.Context(standard, job)
            for task in tasks:
                collect(deciding.decide_partition(context, *task))
        else:
            pool.run_in_workers(tasks, job, count, collect)
        summary.timings["decide"] = time.perf_counter() - started - summary.timings["read"]
        cpu = time.process_time()
        if progress is not None:
            progress("write", 0, None)
        sinks = [_sink(out_target, "utf-8-sig" if output_format == "csv" else "utf-8"),  # type: ignore[arg-type]
                 _sink(rejects_target)]  # type: ignore[arg-type]
        if awards_target is not None:
            sinks.append(_sink(awards_target, "utf-8-sig"))
        try:
            merge(sorted(outputs), read_rejects, sinks[0], sinks[1], sinks[2] if len(sinks) > 2 else None,
                  ruleset, output_format, _name(rejects_target).lower().endswith(".csv"))
        except BaseException:
            for sink in sinks:
                sink.abandon()
            raise
        for sink in sinks:
            sink.commit()
        summary.timings["write"] = time.perf_counter() - started - summary.timings["read"] - summary.timings["decide"]
        summary.timings["write_cpu"] = time.process_time() - cpu
        summary.outputs = {"decisions": _name(out_target), "rejects": _name(rejects_target)}
        if awards_target is not None:
            summary.outputs["awards"] = _name(awards_target)
    summary.seconds = time.perf_counter() - started
    return summary
