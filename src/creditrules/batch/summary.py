"""The counts of a run (:class:`BatchSummary`) and their text for people (:func:`summary_text`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .learner_rows import STAGES


@dataclass
class PartitionCounts:
    """What deciding one partition produced (it travels back from a worker), or a whole run's, added up."""

    credited: int = 0
    unused: int = 0
    rejected_by: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    lost: int = 0
    lost_examples: list[str] = field(default_factory=list)
    decided: int = 0
    undecided: int = 0
    internal: int = 0
    written: int = 0
    award_rows: int = 0
    outputs: list[tuple[str, str, str]] = field(default_factory=list)  # sorted decisions, awards, rejects files
    cpu: float = 0.0  # all of it: loading the partition, parsing rows, deciding, encoding
    engine_cpu: float = 0.0  # checking the achievements and evaluating (decide_learner_rows)
    encode_cpu: float = 0.0  # decision JSON and award rows

    def add(self, other: PartitionCounts) -> None:
        for name in ("credited", "unused", "lost", "decided", "undecided", "internal", "written", "award_rows",
                     "cpu", "engine_cpu", "encode_cpu"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for stage, n in other.rejected_by.items():
            self.rejected_by[stage] += n
        self.lost_examples.extend(other.lost_examples[: max(0, 10 - len(self.lost_examples))])
        self.outputs.extend(other.outputs)


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
    counts: PartitionCounts = field(default_factory=PartitionCounts)  # every partition's, added up
    outputs: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # wall seconds reading, deciding, writing; and the CPU seconds of each (deciding: all workers together;
    # of it, engine_cpu in decide_learner_rows and encode_cpu writing decision JSON and award rows)
    timings: dict[str, float] = field(default_factory=dict)
    unit: str = "credits"  # the standard's credit unit (English), as its decisions count credit
    readers: int = 1  # processes that read the input: one per worker for a JSONL file cut into ranges

    records_credited = property(lambda self: self.counts.credited)
    records_unused = property(lambda self: self.counts.unused)
    rejected_by = property(lambda self: self.counts.rejected_by)
    records_lost = property(lambda self: self.counts.lost)
    lost_examples = property(lambda self: self.counts.lost_examples)
    learners_decided = property(lambda self: self.counts.decided)
    learners_undecided = property(lambda self: self.counts.undecided)
    internal_errors = property(lambda self: self.counts.internal)
    decisions_written = property(lambda self: self.counts.written)
    award_rows = property(lambda self: self.counts.award_rows)

    @property
    def records_rejected(self) -> int:
        return sum(self.rejected_by.values())

    @property
    def adds_up(self) -> bool:
        return (self.records_lost == 0
                and self.records_read == self.records_credited + self.records_unused + self.records_rejected
                and self.decisions_written == self.learners_decided)

    @property
    def ok(self) -> bool:
        """The counts add up and no learner hit an internal error."""
        return self.adds_up and self.internal_errors == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "adds_up": self.adds_up, "standard": self.standard, "version": self.version,
            "unit": self.unit,
            "as_of": self.as_of.isoformat(), "trace": self.trace, "workers": self.workers, "readers": self.readers,
            "input": self.input,
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

    def add(self, counts: PartitionCounts) -> None:
        self.counts.add(counts)
        self.timings["decide_cpu"] = self.counts.cpu
        self.timings["engine_cpu"] = self.counts.engine_cpu
        self.timings["encode_cpu"] = self.counts.encode_cpu


def summary_text(summary: BatchSummary) -> str:
    """The counts of a run in a few lines, for people (the CLI prints this)."""
    width = len(f"{max(summary.records_read, summary.learners_decided, 1):,}")
    by = summary.rejected_by
    lines = [
        f"standard {summary.standard} {summary.version}, as of {summary.as_of.isoformat()}, "
        f"{summary.workers} worker(s), trace {summary.trace}"
        + (f", credit counted in {summary.unit}" if summary.unit != "credits" else ""),
        f"records read       {summary.records_read:>{width},}",
        f"  credited         {summary.records_credited:>{width},}",
        f"  earned nothing   {summary.records_unused:>{width},}",
        f"  rejected         {summary.records_rejected:>{width},}  (unreadable or refused on reading {by['read']:,}, "
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
