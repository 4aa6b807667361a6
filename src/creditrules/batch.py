"""Many learners at once: achievement rows in, one decision per learner out, nothing lost.

:func:`evaluate_batch` reads rows (JSONL, CSV, Parquet or any iterable of mappings, see
:mod:`creditrules.records`), groups them by learner with bounded memory, decides every
learner and writes three outputs, each in a deterministic order whatever the input
order and the number of workers:

- decisions: one JSON object per learner (``Decision.to_dict``), sorted by learner id,
  or one CSV row per learner;
- awards (optional): a flat CSV, one row per course credited or per category award;
- rejects: every record that could not be used, with its line and the reason.

Grouping (bounded memory). Rows are hash-partitioned by learner id into
``PARTITIONS`` spill files in a temporary folder (one line per row, the row's
original text). A worker then loads one partition at a time, groups its rows by
learner and decides them in learner-id order; a partition that grew larger than
``MAX_PARTITION_BYTES`` is split again on other bits of the hash before loading.
The sorted per-partition outputs are merged into the final files. So memory holds
one partition per worker, whatever the input's size; the disk holds about one copy
of the input.

Accounting. Every record read ends up in exactly one of: credited (used by an
award or a certified outcome), earned nothing (listed in the decision's
``unused`` with the reason), or rejected (in the rejects file). The run's
:class:`BatchSummary` checks that these add up to the records read and that every
learner decided has one decision; :attr:`BatchSummary.ok` is false if not.

For other drivers (a Spark ``mapInPandas`` function, say), :func:`decide_learner_rows`
is the pure per-learner step and :func:`award_rows` the flat award rows of a decision.
"""

from __future__ import annotations

import csv
import heapq
import json
import multiprocessing
import os
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence, TextIO

from .compiled import CompiledRuleset, CompiledStandard, from_centi
from .decision import Decision
from .errors import CreditRulesError
from .evaluator import TRACE_MODES, TraceMode, _parse_day, evaluate
from .learner import MAX_ACHIEVEMENTS, Achievement, Learner, Rejection, parse_achievement
from .records import (
    LEARNER_KEY,
    NOT_UTF8,
    RecordSource,
    Row,
    cell_types,
    fast_learner,
    jsonl_row,
    parse_json_object,
    typed_cells,
)

PARTITIONS = 64  # a power of two: the low bits of the hash pick the partition
SPLIT_BITS = 4  # a partition too big to load is split 16 ways on the next bits
MAX_PARTITION_BYTES = 32 << 20
MAX_SPLIT_DEPTH = 6
OUTPUT_FORMATS = ("jsonl", "csv")

AWARD_COLUMNS = ("learner", "rule", "standard", "version", "target", "course", "course_name_zh", "course_name_en",
                 "category", "outcome", "credits", "grade", "achievements", "capped_by")
REJECT_COLUMNS = ("line", "learner", "achievement", "code", "stage", "reason", "reason_zh", "text")
STAGES = ("read", "achievement", "standard", "learner")

Progress = Callable[[str, int, "int | None"], None]


# ---------------------------------------------------------------- one learner

class LearnerOutcome(NamedTuple):
    """What became of one learner's rows.

    ``decision`` is None when the learner could not be decided at all (every row is
    then in ``rejects``). ``credited + unused + rejected == len(rows)``, unless the
    engine lost a record, which ``lost`` then names."""

    decision: Decision | None
    rejects: list[dict[str, Any]]
    credited: int
    unused: int
    rejected: int
    lost: tuple[str, ...] = ()
    internal_error: bool = False


def _reject(line: int | None, learner: str | None, stage: str, reason: str, reason_zh: str,
            achievement: str | None = None, code: str | None = None, text: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"line": line, "learner": learner, "achievement": achievement, "code": code,
                            "stage": stage, "reason": reason, "reason_zh": reason_zh or reason}
    if text is not None:
        data["text"] = text
    return data


def decide_learner_rows(standard: CompiledStandard | CompiledRuleset, learner: str,
                        rows: Sequence[tuple[int | None, Mapping[str, Any]]], as_of: date | str,
                        trace: TraceMode = "compact") -> LearnerOutcome:
    """Decide one learner from their achievement rows: ``(line, row)`` pairs, each row an
    achievement's keys (a ``learner`` key is ignored). Pure: no I/O, no shared state.

    A structurally bad row (no id, a bad date, a duplicate id …) is rejected, listed in
    the decision's ``rejected`` and in ``rejects``; so is a row whose values the standard
    refuses. A row with no ``id`` is labelled ``#line``."""
    day = _parse_day(as_of)
    if len(rows) > MAX_ACHIEVEMENTS:
        reason = (f"learner {learner} has {len(rows)} records, over the limit of {MAX_ACHIEVEMENTS} for one learner",
                  f"学习者 {learner} 有 {len(rows)} 条记录，超过每位学习者 {MAX_ACHIEVEMENTS} 条的上限")
        return LearnerOutcome(None, [_reject(line, learner, "learner", *reason) for line, _ in rows], 0, 0, len(rows))
    seen: set[str] = set()
    achievements: list[Achievement] = []
    structural: list[Rejection] = []
    rejects: list[dict[str, Any]] = []
    line_of: dict[str, int | None] = {}
    for position, (line, row) in enumerate(rows, start=1):
        raw = {k: v for k, v in row.items() if k != LEARNER_KEY}
        result = parse_achievement(raw, line if line is not None else position, seen)
        if isinstance(result, Rejection):
            structural.append(result)
            rejects.append(_reject(line, learner, "achievement", result.reason, result.reason_zh,
                                   result.achievement, result.code))
        else:
            achievements.append(result)
            line_of[result.id] = line
    person = Learner(learner, tuple(achievements), tuple(structural))
    try:
        decision = evaluate(standard, person, day, trace=trace)
    except CreditRulesError as exc:
        return _unusable(learner, rows, str(exc), f"无法认定：{exc}", False)
    except Exception as exc:  # noqa: BLE001 - one learner's engine failure must not stop a province
        text = f"internal error deciding this learner ({type(exc).__name__}: {exc}); please report it"
        return _unusable(learner, rows, text, f"认定该学习者时发生内部错误（{type(exc).__name__}: {exc}）；请报告", True)
    structural_ids = {id(r) for r in structural}
    refused: dict[str, Rejection] = {}
    for item in decision.rejected:
        if id(item) not in structural_ids:
            refused.setdefault(item.achievement, item)
    used: set[str] = set()
    for award in (*decision.awards, *decision.outcomes):
        used.update(award.achievements)
    unused_ids = {u.achievement for u in decision.unused}
    credited = unused = rejected = 0
    lost: list[str] = []
    for ach in achievements:
        if ach.id in used:
            credited += 1
        elif ach.id in refused:
            rejected += 1
            item = refused[ach.id]
            rejects.append(_reject(line_of[ach.id], learner, "standard", item.reason, item.reason_zh, ach.id,
                                   item.code))
        elif ach.id in unused_ids:
            unused += 1
        else:
            lost.append(ach.id)
    rejects.sort(key=lambda r: (r["line"] is None, r["line"] or 0))
    return LearnerOutcome(decision, rejects, credited, unused, rejected + len(structural), tuple(lost))


def _unusable(learner: str, rows: Sequence[tuple[int | None, Mapping[str, Any]]], reason: str, reason_zh: str,
              internal: bool) -> LearnerOutcome:
    rejects = [_reject(line, learner, "learner", reason, reason_zh, _text(row.get("id")), _text(row.get("code")))
               for line, row in rows]
    return LearnerOutcome(None, rejects, 0, 0, len(rows), (), internal)


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None


def award_rows(decision: Decision) -> list[list[Any]]:
    """The flat rows of a decision's awards (``AWARD_COLUMNS``): one per course credited,
    one per category award. Summing ``credits`` gives the decision's total."""
    rows: list[list[Any]] = []
    for award in decision.awards:
        achievements = ";".join(award.achievements)
        capped = award.capped_by.key.display_id if award.capped_by is not None else ""
        common = [decision.learner, award.rule, award.standard, award.version, award.target]
        if award.courses:
            for course in award.courses:
                rows.append([*common, course.code, course.name_zh, course.name_en, course.category, "",
                             from_centi(course.credits), award.grade or "", achievements, capped])
        else:
            rows.append([*common, "", "", "", award.category or "", award.outcome or "",
                         from_centi(award.credits), award.grade or "", achievements, capped])
    return rows


def decision_columns(ruleset: CompiledRuleset) -> list[str]:
    """Columns of the one-row-per-learner CSV output for a ruleset."""
    categories = list(ruleset.program.categories) if ruleset.program is not None else []
    return ["learner", "standard", "version", "as_of", "total", "total_cap",
            *[f"credits:{c}" for c in categories], "remaining", "awards", "records_credited", "records_unused",
            "records_rejected"]


def decision_row(decision: Decision, ruleset: CompiledRuleset, outcome: LearnerOutcome) -> list[Any]:
    by_category = dict(decision.by_category)
    categories = list(ruleset.program.categories) if ruleset.program is not None else []
    application = decision.application
    return [decision.learner, decision.standard.id, decision.standard.version, decision.as_of.isoformat(),
            from_centi(decision.total), from_centi(decision.total_cap) if decision.total_cap is not None else "",
            *[from_centi(by_category.get(c, 0)) for c in categories],
            from_centi(application.remaining) if application is not None else "", len(decision.awards),
            outcome.credited, outcome.unused, outcome.rejected]


# ---------------------------------------------------------------- the summary

@dataclass
class BatchSummary:
    """The counts of a run, which must add up: every record read is credited, earned
    nothing, or rejected; every learner decided has one decision written."""

    standard: str
    version: str
    as_of: date
    trace: str
    workers: int
    input: str
    format: str
    records_read: int = 0
    records_credited: int = 0
    records_unused: int = 0
    records_rejected: int = 0
    rejected_by: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    records_lost: int = 0
    lost_examples: list[str] = field(default_factory=list)
    learners_decided: int = 0
    learners_undecided: int = 0
    internal_errors: int = 0
    decisions_written: int = 0
    award_rows: int = 0
    outputs: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # wall seconds reading, deciding, writing; and the CPU seconds of each (deciding: all workers together)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def adds_up(self) -> bool:
        return (self.records_lost == 0
                and self.records_read == self.records_credited + self.records_unused + self.records_rejected
                and self.records_rejected == sum(self.rejected_by.values())
                and self.decisions_written == self.learners_decided)

    @property
    def ok(self) -> bool:
        """The counts add up and no learner hit an internal error."""
        return self.adds_up and self.internal_errors == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "adds_up": self.adds_up, "standard": self.standard, "version": self.version,
            "as_of": self.as_of.isoformat(), "trace": self.trace, "workers": self.workers, "input": self.input,
            "format": self.format,
            "records": {"read": self.records_read, "credited": self.records_credited, "unused": self.records_unused,
                        "rejected": self.records_rejected, "rejected_by": dict(self.rejected_by),
                        "lost": self.records_lost},
            "learners": {"decided": self.learners_decided, "undecided": self.learners_undecided,
                         "internal_errors": self.internal_errors},
            "written": {"decisions": self.decisions_written, "award_rows": self.award_rows},
            "outputs": dict(self.outputs), "warnings": list(self.warnings), "seconds": round(self.seconds, 3),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }

    def add(self, counts: Mapping[str, Any]) -> None:
        self.records_credited += counts["credited"]
        self.records_unused += counts["unused"]
        for stage, n in counts["rejected_by"].items():
            self.rejected_by[stage] += n
            self.records_rejected += n
        self.records_lost += counts["lost"]
        self.lost_examples.extend(counts["lost_examples"][: max(0, 10 - len(self.lost_examples))])
        self.learners_decided += counts["decided"]
        self.learners_undecided += counts["undecided"]
        self.internal_errors += counts["internal"]
        self.decisions_written += counts["written"]
        self.award_rows += counts["award_rows"]
        self.timings["decide_cpu"] = self.timings.get("decide_cpu", 0.0) + counts["cpu"]


# ---------------------------------------------------------------- partitions

def _key(learner: str) -> str:
    """The learner id as a JSON string: no tab or newline, so it can lead a line."""
    if learner.isascii() and learner.isprintable() and '"' not in learner and "\\" not in learner:
        return f'"{learner}"'
    return json.dumps(learner, ensure_ascii=False)


def _bucket(learner: str, depth: int) -> int:
    crc = zlib.crc32(learner.encode("utf-8"))
    if depth == 0:
        return crc & (PARTITIONS - 1)
    shift = (PARTITIONS - 1).bit_length() + SPLIT_BITS * (depth - 1)
    return (crc >> shift) & ((1 << SPLIT_BITS) - 1)


class _Spill:
    """Partition files, opened when first written."""

    def __init__(self, folder: Path, prefix: str):
        self.folder, self.prefix = folder, prefix
        self.files: dict[int, IO[bytes]] = {}

    def path(self, index: int) -> Path:
        return self.folder / f"{self.prefix}{index:03d}.rows"

    def handle(self, index: int) -> IO[bytes]:
        handle = self.files.get(index)
        if handle is None:
            handle = self.files[index] = open(self.path(index), "wb", buffering=1 << 16)
        return handle

    def write(self, index: int, data: bytes) -> None:
        self.handle(index).write(data)

    def close(self) -> list[tuple[Path, int]]:
        for handle in self.files.values():
            handle.close()
        return [(self.path(i), self.path(i).stat().st_size) for i in sorted(self.files)]


@dataclass(frozen=True)
class _Job:
    """What a worker needs: the standard as file paths and content hashes, not a pickled object."""

    standard_id: str
    files: tuple[tuple[str, str], ...]  # (path, content hash) of every file the standard is built from
    as_of: date
    trace: str
    output_format: str
    folder: str


class _Context:
    """The compiled standard and settings in one process: the main one, or a worker's."""

    def __init__(self, standard: CompiledStandard, job: _Job):
        self.standard, self.job = standard, job
        self.ruleset = standard.ruleset_for(job.as_of)
        self.types = cell_types(self.ruleset)


_WORKER: _Context | BaseException | None = None


def _standard_files(standard: CompiledStandard) -> tuple[tuple[str, str], ...]:
    files: dict[str, str] = {}

    def walk(ruleset: CompiledRuleset) -> None:
        for ref in ruleset.chain:
            files[ref.path] = ref.content_hash
        for certification in ruleset.certifications:
            walk(certification)

    for segment in standard.segments:
        walk(segment)
    return tuple(sorted(files.items()))


def _init_worker(job: _Job) -> None:
    """Compile the standard once in this worker, from its files, and check they are the ones compiled
    in the main process."""
    global _WORKER
    from .api import compile_standards  # only workers need it

    try:
        standard = compile_standards([path for path, _ in job.files])[job.standard_id]
        found = dict(_standard_files(standard))
        changed = [path for path, digest in job.files if found.get(path) != digest]
        if changed:
            raise CreditRulesError(f"standard file '{changed[0]}' changed while the batch was running; run it again")
        _WORKER = _Context(standard, job)
    except BaseException as exc:  # noqa: BLE001 - reported by the first task
        _WORKER = exc


def _worker_task(task: tuple[str, int, str]) -> dict[str, Any]:
    # errors cross back to the main process as plain CreditRulesError: their own classes may not unpickle
    if isinstance(_WORKER, CreditRulesError):
        raise CreditRulesError(f"a worker could not compile the standard: {_WORKER}")
    if isinstance(_WORKER, BaseException):
        raise _WORKER
    assert _WORKER is not None
    try:
        return _run_partition(_WORKER, *task)
    except CreditRulesError as exc:
        raise CreditRulesError(str(exc)) from None


def _empty_counts() -> dict[str, Any]:
    return {"credited": 0, "unused": 0, "rejected_by": dict.fromkeys(STAGES, 0), "lost": 0, "lost_examples": [],
            "decided": 0, "undecided": 0, "internal": 0, "written": 0, "award_rows": 0, "outputs": [],
            "cpu": 0.0}


def _run_partition(context: _Context, path: str, depth: int, name: str) -> dict[str, Any]:
    """Decide every learner of one partition file (split first if too big); the outputs are
    sorted files in the job's folder, listed under ``outputs``."""
    counts = _empty_counts()
    cpu = time.process_time()
    size = os.path.getsize(path)
    if size > MAX_PARTITION_BYTES and depth < MAX_SPLIT_DEPTH:
        spill = _Spill(Path(path).parent, f"{name}-")
        with open(path, "rb") as handle:
            for data in handle:
                learner = json.loads(data.split(b"\t", 2)[1])
                spill.write(_bucket(learner, depth + 1), data)
        parts = spill.close()
        os.unlink(path)
        for part, _ in parts:
            sub = _run_partition(context, str(part), depth + 1, part.stem)
            for key in ("credited", "unused", "lost", "decided", "undecided", "internal", "written", "award_rows"):
                counts[key] += sub[key]
            for stage, n in sub["rejected_by"].items():
                counts["rejected_by"][stage] += n
            counts["lost_examples"].extend(sub["lost_examples"])
            counts["outputs"].extend(sub["outputs"])
        counts["cpu"] = time.process_time() - cpu  # the sub-partitions' time included
        return counts
    groups: dict[bytes, list[tuple[int, bytes, bytes]]] = {}
    with open(path, "rb") as handle:
        for data in handle:
            line, key, kind, payload = data[:-1].split(b"\t", 3)
            rows = groups.get(key)
            if rows is None:
                rows = groups[key] = []
            if len(rows) > MAX_ACHIEVEMENTS:
                payload = b""  # over the limit: only the line numbers are needed now
            rows.append((int(line), kind, payload))
    os.unlink(path)
    folder = Path(context.job.folder)
    out_path, awards_path, rejects_path = (folder / f"{name}.{suffix}" for suffix in ("out", "awards", "rejects"))
    rejects: list[tuple[int, str]] = []
    with open(out_path, "w", encoding="utf-8", newline="\n") as out, \
            open(awards_path, "w", encoding="utf-8", newline="\n") as awards:
        learners = {key: json.loads(key) for key in groups}
        for key in sorted(groups, key=learners.__getitem__):
            learner = learners[key]
            rows = []
            for line, kind, payload in groups[key]:
                data = _row_data(context, kind, payload) if payload else {}
                if isinstance(data, tuple):  # unreadable (seen only here when routed without parsing)
                    text = payload.decode("utf-8", "replace")
                    reject = _reject(line, None, "read", *data, text=_snippet(text))
                    rejects.append((line, json.dumps(reject, ensure_ascii=False)))
                    counts["rejected_by"]["read"] += 1
                    continue
                rows.append((line, data))
            if not rows:
                continue
            outcome = decide_learner_rows(context.ruleset, learner, rows, context.job.as_of,
                                          context.job.trace)  # type: ignore[arg-type]
            for reject in outcome.rejects:
                rejects.append((reject["line"], json.dumps(reject, ensure_ascii=False)))
                counts["rejected_by"][reject["stage"]] += 1
            counts["credited"] += outcome.credited
            counts["unused"] += outcome.unused
            if outcome.lost:
                counts["lost"] += len(outcome.lost)
                counts["lost_examples"].extend(f"{learner}/{a}" for a in outcome.lost[:3])
            if outcome.internal_error:
                counts["internal"] += 1
            decision = outcome.decision
            if decision is None:
                counts["undecided"] += 1
                continue
            counts["decided"] += 1
            prefix = key.decode("utf-8")
            if context.job.output_format == "csv":
                out.write(f"{prefix}\t{json.dumps(decision_row(decision, context.ruleset, outcome), ensure_ascii=False)}\n")
            else:
                out.write(f"{prefix}\t{_decision_json(decision, context.job.trace)}\n")
            counts["written"] += 1
            for row in award_rows(decision):
                awards.write(f"{prefix}\t{json.dumps(row, ensure_ascii=False)}\n")
                counts["award_rows"] += 1
    rejects.sort(key=lambda item: item[0])
    with open(rejects_path, "w", encoding="utf-8", newline="\n") as handle:
        for line, text in rejects:
            handle.write(f"{line}\t{text}\n")
    counts["outputs"].append((str(out_path), str(awards_path), str(rejects_path)))
    counts["cpu"] = time.process_time() - cpu
    return counts


def _decision_json(decision: Decision, trace: str) -> str:
    return json.dumps(decision.to_dict(trace=trace != "none"), ensure_ascii=False, separators=(",", ":"))


def _snippet(text: str) -> str:
    return text if len(text) <= 200 else text[:200] + "…"


def _row_data(context: _Context, kind: bytes, payload: bytes) -> dict[str, Any] | tuple[str, str]:
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        return NOT_UTF8
    if kind == b"j":
        return parse_json_object(text)
    data = json.loads(text)
    return typed_cells(data, context.types) if kind == b"t" else data


_KINDS = {"json": b"j", "text": b"t", "value": b"v"}


# ---------------------------------------------------------------- the driver

class _Sink:
    """An output: a path written through a temporary file and renamed when complete, or a stream."""

    def __init__(self, target: str | Path | TextIO, encoding: str = "utf-8"):
        self.target = target
        self.partial: Path | None = None
        if isinstance(target, (str, Path)):
            self.partial = Path(f"{target}.partial")
            self.stream: TextIO = open(self.partial, "w", encoding=encoding, newline="")
        else:
            self.stream = target

    @property
    def name(self) -> str:
        return str(self.target) if isinstance(self.target, (str, Path)) else "<stream>"

    def commit(self) -> None:
        if self.partial is not None:
            self.stream.close()
            os.replace(self.partial, self.target)  # type: ignore[arg-type]

    def abandon(self) -> None:
        if self.partial is not None:
            self.stream.close()
            self.partial.unlink(missing_ok=True)


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


def evaluate_batch(records: str | Path | Iterable[Mapping[str, Any]] | RecordSource,
                   standard: CompiledStandard, *, output: str | Path | TextIO, as_of: date | str | None = None,
                   rejects: str | Path | TextIO | None = None, awards_csv: str | Path | TextIO | None = None,
                   workers: int | None = 1, trace: TraceMode = "compact", output_format: str = "jsonl",
                   input_format: str | None = None, work_dir: str | Path | None = None,
                   progress: Progress | None = None) -> BatchSummary:
    """Decide every learner in ``records`` under ``standard`` and write the outputs.

    ``records``: a file path (JSONL, CSV or Parquet, by ``input_format`` or the file name),
    a :class:`RecordSource`, or any iterable of mappings, one achievement each with a
    ``learner`` key. ``output``, ``rejects`` and ``awards_csv`` are paths (written whole
    or not at all) or text streams; ``rejects`` defaults to ``NAME.rejects.jsonl`` beside a
    path ``output`` (a ``.csv`` rejects path gets CSV). ``workers``: processes (None: every
    core); each compiles the standard from its files once. Raises CreditRulesError for
    unusable input (no such file, no version in force, a CSV without a learner column);
    problems with single records are rejects, never exceptions. The library never prints:
    read warnings are in :attr:`BatchSummary.warnings`.
    """
    started = time.perf_counter()
    if trace not in TRACE_MODES:
        raise CreditRulesError(f"trace must be one of {', '.join(TRACE_MODES)}, not '{trace}'")
    if output_format not in OUTPUT_FORMATS:
        raise CreditRulesError(f"output format must be one of {', '.join(OUTPUT_FORMATS)}, not '{output_format}'")
    day = _parse_day(as_of)
    ruleset = standard.ruleset_for(day)
    if ruleset.kind == "base":
        raise CreditRulesError(f"'{ruleset.id}' is a base standard; evaluate a standard that extends it")
    count = default_workers() if workers is None else workers
    if count < 1:
        raise CreditRulesError(f"workers must be at least 1, not {count}")
    source = records if isinstance(records, RecordSource) else RecordSource(records, input_format)  # type: ignore[arg-type]
    if rejects is None:
        if not isinstance(output, (str, Path)):
            raise CreditRulesError("name a rejects file or stream when the output is a stream")
        rejects = rejects_path_for(output)
    _check_paths(source, output, rejects, awards_csv)
    summary = BatchSummary(standard.id, ruleset.version, day, trace, count, source.name, source.format or "")
    with tempfile.TemporaryDirectory(prefix="creditrules-batch-", dir=work_dir) as folder:
        job = _Job(standard.id, _standard_files(standard), day, trace, output_format, folder)
        spill = _Spill(Path(folder), "part-")
        read_rejects = Path(folder) / "read.rejects"
        cpu = time.process_time()
        _read(source, spill, read_rejects, summary, progress)
        parts = spill.close()
        summary.warnings = list(source.warnings)
        summary.timings["read"] = time.perf_counter() - started
        summary.timings["read_cpu"] = time.process_time() - cpu
        outputs = _decide(parts, standard, job, count, summary, progress)
        summary.timings["decide"] = time.perf_counter() - started - summary.timings["read"]
        cpu = time.process_time()
        sinks = [_Sink(output, "utf-8-sig" if output_format == "csv" else "utf-8"),
                 _Sink(rejects), *([_Sink(awards_csv, "utf-8-sig")] if awards_csv is not None else [])]
        try:
            _merge(outputs, read_rejects, sinks, ruleset, output_format, progress)
        except BaseException:
            for sink in sinks:
                sink.abandon()
            raise
        for sink in sinks:
            sink.commit()
        summary.timings["write"] = time.perf_counter() - started - summary.timings["read"] - summary.timings["decide"]
        summary.timings["write_cpu"] = time.process_time() - cpu
        summary.outputs = {"decisions": sinks[0].name, "rejects": sinks[1].name}
        if awards_csv is not None:
            summary.outputs["awards"] = sinks[2].name
    summary.seconds = time.perf_counter() - started
    return summary


def _check_paths(source: RecordSource, *targets: Any) -> None:
    paths = [Path(t).resolve() for t in targets if isinstance(t, (str, Path))]
    if isinstance(source.source, (str, Path)) and str(source.source) != "-":
        given = Path(source.source).resolve()
        if given in paths:
            raise CreditRulesError(f"the output '{source.source}' would overwrite the input")
    if len(set(paths)) != len(paths):
        raise CreditRulesError("the decisions, rejects and awards files must be different files")
    for path in paths:
        if not path.parent.is_dir():
            raise CreditRulesError(f"cannot write '{path}': folder '{path.parent}' does not exist")


def _read(source: RecordSource, spill: _Spill, rejects_path: Path, summary: BatchSummary,
          progress: Progress | None) -> None:
    """Phase 1: stream the rows into partition files; unreadable rows go to the rejects.

    A JSONL line whose learner id can be seen without parsing (:func:`fast_learner`) is
    copied as it is; the worker parses it. Everything else is parsed here."""
    read = rejected = 0
    mask = PARTITIONS - 1
    crc32 = zlib.crc32
    files: list[IO[bytes] | None] = [None] * PARTITIONS
    with open(rejects_path, "w", encoding="utf-8", newline="\n") as rejects:

        def route(row: Row) -> None:
            nonlocal rejected
            learner = row.learner
            if learner is None:
                problem = row.problem or ("unreadable record", "无法读取的记录")
                reject = _reject(row.line, None, "read", *problem, text=row.payload or None)
                rejects.write(f"{row.line}\t{json.dumps(reject, ensure_ascii=False)}\n")
                rejected += 1
                return
            key = learner.encode("utf-8")
            index = crc32(key) & mask
            handle = files[index] or spill.handle(index)
            files[index] = handle
            handle.write(b"%d\t%b\t%b\t%b\n" % (row.line, _key(learner).encode("utf-8"), _KINDS[row.kind],
                                                row.payload.encode("utf-8")))

        if source.format == "jsonl":
            for number, raw in source.jsonl_lines():
                read += 1
                key = fast_learner(raw)
                if key is None:
                    route(jsonl_row(number, raw))
                else:
                    index = crc32(key) & mask
                    handle = files[index] or spill.handle(index)
                    files[index] = handle
                    handle.write(b'%d\t"%b"\tj\t%b\n' % (number, key, raw))
                if progress is not None and read % 65_536 == 0:
                    progress("read", source.position, source.size)
        else:
            for row in source:
                read += 1
                route(row)
                if progress is not None and read % 65_536 == 0:
                    progress("read", source.position or read, source.size)
    summary.records_read = read
    summary.rejected_by["read"] += rejected
    summary.records_rejected += rejected
    if progress is not None:
        progress("read", source.position or read, source.size)


def _decide(parts: list[tuple[Path, int]], standard: CompiledStandard, job: _Job, workers: int,
            summary: BatchSummary, progress: Progress | None) -> list[tuple[str, str, str]]:
    """Phase 2: decide every partition, the largest first, in this process or in workers."""
    tasks = [(str(path), 0, path.stem) for path, _ in sorted(parts, key=lambda p: (-p[1], str(p[0])))]
    outputs: list[tuple[str, str, str]] = []
    done = 0
    if progress is not None:
        progress("decide", 0, len(tasks))

    def collect(counts: dict[str, Any]) -> None:
        nonlocal done
        summary.add(counts)
        outputs.extend(counts["outputs"])
        done += 1
        if progress is not None:
            progress("decide", done, len(tasks))

    if workers == 1 or len(tasks) <= 1:
        context = _Context(standard, job)
        for task in tasks:
            collect(_run_partition(context, *task))
    else:
        pool = multiprocessing.get_context().Pool(min(workers, len(tasks)), initializer=_init_worker,
                                                  initargs=(job,))
        try:
            for counts in pool.imap_unordered(_worker_task, tasks):
                collect(counts)
            pool.close()
        except BaseException:
            pool.terminate()
            raise
        finally:
            pool.join()
    return sorted(outputs)


def _keyed(path: str, as_int: bool = False) -> Iterator[tuple[Any, str]]:
    with open(path, encoding="utf-8", newline="\n") as handle:
        for text in handle:
            key, _, rest = text.rstrip("\n").partition("\t")
            yield (int(key) if as_int else json.loads(key)), rest


def _merge(outputs: list[tuple[str, str, str]], read_rejects: Path, sinks: list[_Sink], ruleset: CompiledRuleset,
           output_format: str, progress: Progress | None) -> None:
    """Phase 3: merge the sorted partition outputs into the final files."""
    out, rejects = sinks[0].stream, sinks[1].stream
    if progress is not None:
        progress("write", 0, None)
    if output_format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(decision_columns(ruleset))
        for _, text in heapq.merge(*(_keyed(o[0]) for o in outputs), key=lambda item: item[0]):
            writer.writerow(json.loads(text))
    else:
        previous = None
        for learner, text in heapq.merge(*(_keyed(o[0]) for o in outputs), key=lambda item: item[0]):
            if learner == previous:
                raise CreditRulesError(f"internal error: learner '{learner}' was decided twice; please report it")
            previous = learner
            out.write(text)
            out.write("\n")
    rejects_csv = sinks[1].name.lower().endswith(".csv")
    reject_writer = csv.writer(rejects, lineterminator="\n") if rejects_csv else None
    if reject_writer is not None:
        reject_writer.writerow(REJECT_COLUMNS)
    for _, text in heapq.merge(_keyed(str(read_rejects), True), *(_keyed(o[2], True) for o in outputs),
                               key=lambda item: item[0]):
        if reject_writer is not None:
            data = json.loads(text)
            reject_writer.writerow(["" if data.get(c) is None else data[c] for c in REJECT_COLUMNS])
        else:
            rejects.write(text)
            rejects.write("\n")
    if len(sinks) > 2:
        writer = csv.writer(sinks[2].stream, lineterminator="\n")
        writer.writerow(AWARD_COLUMNS)
        for _, text in heapq.merge(*(_keyed(o[1]) for o in outputs), key=lambda item: item[0]):
            writer.writerow(json.loads(text))


def summary_text(summary: BatchSummary) -> str:
    """The counts of a run in a few lines, for people (the CLI prints this)."""
    width = len(f"{max(summary.records_read, summary.learners_decided, 1):,}")
    by = summary.rejected_by
    lines = [
        f"standard {summary.standard} {summary.version}, as of {summary.as_of.isoformat()}, "
        f"{summary.workers} worker(s), trace {summary.trace}",
        f"records read       {summary.records_read:>{width},}",
        f"  credited         {summary.records_credited:>{width},}",
        f"  earned nothing   {summary.records_unused:>{width},}",
        f"  rejected         {summary.records_rejected:>{width},}  (unreadable or no learner {by['read']:,}, "
        f"invalid achievement {by['achievement']:,}, refused by the standard {by['standard']:,}, "
        f"learner unusable {by['learner']:,})",
        f"learners decided   {summary.learners_decided:>{width},}",
    ]
    if summary.learners_undecided:
        lines.append(f"learners undecided {summary.learners_undecided:>{width},}  (every record in the rejects)")
    for name, path in summary.outputs.items():
        lines.append(f"{name + ':':<11}{path}")
    if summary.adds_up:
        lines.append(f"ok: {summary.records_read:,} read = {summary.records_credited:,} credited + "
                     f"{summary.records_unused:,} earned nothing + {summary.records_rejected:,} rejected")
    else:
        lines.append(f"counts do not add up: {summary.records_read:,} read, {summary.records_credited:,} credited, "
                     f"{summary.records_unused:,} earned nothing, {summary.records_rejected:,} rejected, "
                     f"{summary.records_lost:,} lost; {summary.decisions_written:,} decisions written for "
                     f"{summary.learners_decided:,} learners")
    return "\n".join(lines) + "\n"


__all__ = ["BatchSummary", "LearnerOutcome", "award_rows", "decide_learner_rows", "evaluate_batch", "summary_text"]
