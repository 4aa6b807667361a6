"""Many learners at once: achievement rows in, one decision per learner out, nothing lost.

:func:`evaluate_batch` reads rows (JSONL, CSV, Parquet or any iterable of mappings, see
:mod:`creditrules.records`), groups them by learner with bounded memory, decides every
learner and writes three outputs, each in a deterministic order whatever the input
order and the number of workers:

- decisions: one JSON object per learner (``Decision.to_dict``), sorted by learner id,
  or one CSV row per learner;
- awards (optional): a flat CSV, one row per course credited or per category award;
- rejects: every record that could not be used, with its line and the reason.

One module per job: :mod:`.reading` routes rows into learner partitions (Arrow files,
:mod:`.partitions`), :mod:`.deciding` decides one partition with the per-learner step of
:mod:`.learner_rows`, :mod:`.pool` runs partitions in worker processes, :mod:`.merging`
writes the outputs (CSV cells by :mod:`.tables`), :mod:`.summary` counts, :mod:`.run`
drives it all.

Accounting. Every record read ends up in exactly one of: credited (used by an award or
a certified outcome), earned nothing (listed in the decision's ``unused`` with the
reason), or rejected (in the rejects file). :class:`BatchSummary` checks that these add
up to the records read and that every learner decided has one decision;
:attr:`BatchSummary.ok` is false if not.

For other drivers (a Spark ``mapInPandas`` function, say), :func:`decide_learner_rows`
is the pure per-learner step and :func:`award_rows` the flat award rows of a decision.
"""

from __future__ import annotations

from .learner_rows import STAGES, LearnerOutcome, decide_learner_rows
from .run import OUTPUT_FORMATS, default_workers, evaluate_batch, rejects_path_for
from .summary import BatchSummary, summary_text
from .tables import AWARD_COLUMNS, REJECT_COLUMNS, award_rows, decision_columns, decision_row

__all__ = ["AWARD_COLUMNS", "OUTPUT_FORMATS", "REJECT_COLUMNS", "STAGES", "BatchSummary", "LearnerOutcome",
           "award_rows", "decide_learner_rows", "decision_columns", "decision_row", "default_workers",
           "evaluate_batch", "rejects_path_for", "summary_text"]
