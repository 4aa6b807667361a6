"""Which recorded decisions a new version of the standards would change — without changing any.

Each recorded decision is decided again on its own day from the learner record it was decided on,
under the standards of the new side (:class:`creditrules.sources.Side`), and its awards compared with the
recorded ones as (rule, what is credited, achievements used, credits, grade). The ledger is only read.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import CreditRulesError
from ..evaluator import evaluate, parse_day
from ..learner import learner_from_dict
from ..sources import Side
from .account import Ledger

AwardKey = tuple[str, str, tuple[str, ...], Any, Any]


def _keys(decision: Mapping[str, Any]) -> list[AwardKey]:
    keys: list[AwardKey] = []
    for award in (*decision.get("outcomes", []), *decision.get("awards", [])):
        if "courses" in award:
            target = "+".join(c["code"] for c in award["courses"])
        elif "outcome" in award:
            target = f"outcome {award['outcome']}"
        else:
            target = str(award.get("category"))
        keys.append((award["rule"], target, tuple(award["achievements"]), award["credits"], award.get("grade")))
    return sorted(keys, key=lambda k: (k[0], k[1], k[2]))


@dataclass(frozen=True)
class RecordedChange:
    decision: int
    learner: str
    standard: str
    as_of: str
    old_version: str
    new_version: str | None
    old_total: Any
    new_total: Any
    lost: tuple[AwardKey, ...] = ()
    gained: tuple[AwardKey, ...] = ()
    error: str | None = None

    @property
    def changed(self) -> bool:
        return self.error is not None or bool(self.lost or self.gained) or self.old_total != self.new_total

    def to_dict(self) -> dict[str, Any]:
        def award(key: AwardKey) -> dict[str, Any]:
            return {"rule": key[0], "target": key[1], "achievements": list(key[2]), "credits": key[3], "grade": key[4]}

        data: dict[str, Any] = {"decision": self.decision, "learner": self.learner, "standard": self.standard,
                                "as_of": self.as_of, "old_version": self.old_version, "new_version": self.new_version,
                                "old_total": self.old_total, "new_total": self.new_total,
                                "lost": [award(k) for k in self.lost], "gained": [award(k) for k in self.gained]}
        if self.error is not None:
            data["error"] = self.error
        return data


def diff_recorded(ledger: Ledger, new: Side, standard: str | None = None) -> list[RecordedChange]:
    """Every recorded decision (of ``standard``, or all) against ``new``; nothing is written."""
    changes = []
    for decision_id in ledger.decision_ids(standard):
        row = ledger.decision(decision_id)
        recorded = json.loads(row["decision"])
        base: dict[str, Any] = {"decision": decision_id, "learner": row["learner"], "standard": row["standard"],
                                "as_of": row["as_of"], "old_version": row["version"], "old_total": recorded["total"]}
        try:
            ruleset = new.ruleset(row["standard"], parse_day(row["as_of"]))
            learner = learner_from_dict(json.loads(row["input"]), f"decision #{decision_id}")
            now = evaluate(ruleset, learner, row["as_of"], trace="none").to_dict(trace=False)
        except CreditRulesError as exc:
            changes.append(RecordedChange(**base, new_version=None, new_total=None, error=str(exc)))
            continue
        before, after = Counter(_keys(recorded)), Counter(_keys(now))
        changes.append(RecordedChange(
            **base, new_version=now["standard"]["version"], new_total=now["total"],
            lost=tuple(sorted((before - after).elements(), key=lambda k: (k[0], k[1], k[2]))),
            gained=tuple(sorted((after - before).elements(), key=lambda k: (k[0], k[1], k[2])))))
    return changes
