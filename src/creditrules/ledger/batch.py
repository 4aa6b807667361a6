"""A batch's learners recorded in the ledger: ``creditrules batch … --ledger URL``.

After a batch run, each learner's rows are stored as outcomes in the learner's account and the learner
is applied for through the ledger, so the recorded decision honours what the account already used
(an outcome converted by an earlier recorded decision is kept out, with the reason). For a learner with
nothing used before, the recorded decision awards what the batch's decision awards. One learner's
problem (an outcome stored before with other content, say) refuses that learner only; the others are
recorded. Every learner's rows are held in memory while they are grouped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..compiled import CompiledStandard
from ..errors import CreditRulesError
from ..evaluator import TraceMode, parse_day
from ..learner import learner_from_dict
from ..records import RecordSource, cell_types, typed_cells
from .account import Ledger
from .policy import Policy


@dataclass(frozen=True)
class Recorded:
    """What ``--ledger`` did: decisions recorded (learner, decision number), learners refused (learner, reason)."""

    decisions: tuple[tuple[str, int], ...]
    refused: tuple[tuple[str, str], ...]


def record_batch(ledger: Ledger, records: str | Path | Iterable[Mapping[str, Any]], standard: CompiledStandard,
                 as_of: date | str | None = None, *, input_format: str | None = None, policy: Policy | None = None,
                 trace: TraceMode = "compact", official: str | None = None) -> Recorded:
    day = parse_day(as_of)
    ruleset = standard.ruleset_for(day)
    types = cell_types(ruleset)
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in RecordSource(records, input_format):
        if row.problem is not None or row.learner is None:
            continue  # the batch's rejects already name it
        data = json.loads(row.payload)
        if not isinstance(data, dict):
            continue
        if row.kind == "text":
            data = typed_cells(data, types)
        data.pop("learner", None)
        grouped.setdefault(row.learner, []).append(data)
    decisions: list[tuple[str, int]] = []
    refused: list[tuple[str, str]] = []
    for learner_id in sorted(grouped):
        try:
            learner = learner_from_dict({"id": learner_id, "achievements": grouped[learner_id]},
                                        f"learner {learner_id}")
            ledger.store(learner)
            applied = ledger.apply(learner.id, standard, day, policy=policy, trace=trace, official=official)
        except CreditRulesError as exc:
            refused.append((learner_id, str(exc)))
            continue
        decisions.append((learner.id, applied.id))
    return Recorded(tuple(decisions), tuple(refused))
