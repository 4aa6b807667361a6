"""One learner's rows to one decision: the pure per-learner step every driver shares.

The batch's workers and any other driver (a Spark function, a queue consumer) call
:func:`decide_learner_rows` with a learner's ``(line, row)`` pairs. It is pure: no I/O,
no shared state; and it does not depend on the order of the rows: they are put in a
canonical order (achievement id, then content) before they are checked, and the
duplicate-id rule of :func:`creditrules.learner.parse_achievements` is order-free.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

from ..compiled import CompiledRuleset, CompiledStandard
from ..decision import Decision
from ..decision_format import FORMAT_VERSION
from ..errors import CreditRulesError
from ..evaluator import TraceMode, evaluate, parse_day
from ..learner import MAX_ACHIEVEMENTS, Achievement, Learner, Rejection, parse_achievements
from ..records import LEARNER_KEY

Line = int | None
STAGES = ("read", "achievement", "standard", "learner")


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


def reject(line: Line, learner: str | None, stage: str, reason: str, reason_zh: str,
           achievement: str | None = None, code: str | None = None, text: str | None = None,
           reason_code: str | None = None) -> dict[str, Any]:
    """One line of the rejects output (``REJECT_COLUMNS``); a record's own problem carries its stable
    ``reason_code`` (the learner reader's catalogue key)."""
    data: dict[str, Any] = {"format_version": FORMAT_VERSION, "line": line, "learner": learner,
                            "achievement": achievement, "code": code, "stage": stage, "reason": reason,
                            "reason_zh": reason_zh or reason}
    if reason_code:
        data["reason_code"] = reason_code
    if text is not None:
        data["text"] = text
    return data


def _by_id(item: tuple[Line, Mapping[str, Any]]) -> str:
    raw_id = item[1].get("id")
    return str(raw_id) if raw_id is not None else ""


def _canonical(item: tuple[Line, Mapping[str, Any]]) -> tuple[str, str, int]:
    line, row = item
    return _by_id(item), json.dumps(row, sort_keys=True, ensure_ascii=False, default=repr), line or 0


def canonical_order(rows: Sequence[tuple[Line, Mapping[str, Any]]]) -> list[tuple[Line, Mapping[str, Any]]]:
    """Rows by achievement id, rows sharing an id by content: an order that does not depend on the input's.
    (Content is compared only when ids tie, which is rare: it costs a JSON encoding a row.)"""
    ordered = sorted(rows, key=_by_id)
    if any(_by_id(a) == _by_id(b) for a, b in itertools.pairwise(ordered)):
        ordered.sort(key=_canonical)
    return ordered


def decide_learner_rows(standard: CompiledStandard | CompiledRuleset, learner: str,
                        rows: Sequence[tuple[Line, Mapping[str, Any]]], as_of: date | str,
                        trace: TraceMode = "compact") -> LearnerOutcome:
    """Decide one learner from their achievement rows: ``(line, row)`` pairs, each row an
    achievement's keys (a ``learner`` key is ignored). Pure, and the same for any order of ``rows``.

    A structurally bad row (no id, a bad date, an id shared by different records …) is
    rejected, listed in the decision's ``rejected`` and in ``rejects``; so is a row whose
    values the standard refuses. A row with no ``id`` is labelled ``#line``."""
    day = parse_day(as_of)
    if len(rows) > MAX_ACHIEVEMENTS:
        reason = (f"learner {learner} has {len(rows)} records, over the limit of {MAX_ACHIEVEMENTS} for one learner",
                  f"学习者 {learner} 有 {len(rows)} 条记录，超过每位学习者 {MAX_ACHIEVEMENTS} 条的上限")
        return LearnerOutcome(None, [reject(line, learner, "learner", *reason) for line, _ in rows], 0, 0, len(rows))
    ordered = canonical_order([(line, _without_learner(row)) for line, row in rows])
    positions = [(line if line is not None else index, raw) for index, (line, raw) in enumerate(ordered, start=1)]
    achievements: list[Achievement] = []
    structural: list[Rejection] = []
    rejects: list[dict[str, Any]] = []
    line_of: dict[str, Line] = {}
    for (line, _), result in zip(ordered, parse_achievements(positions)):
        if isinstance(result, Rejection):
            structural.append(result)
            rejects.append(reject(line, learner, "achievement", result.reason, result.reason_zh,
                                  result.achievement, result.code, reason_code=result.reason_code))
        else:
            achievements.append(result)
            line_of[result.id] = line
    person = Learner(learner, tuple(achievements), tuple(structural))
    try:
        decision = evaluate(standard, person, day, trace=trace)
    except CreditRulesError as exc:
        return _unusable(learner, rows, str(exc), f"无法认定：{exc}", False)
    except Exception as exc:  # any failure of one learner is that learner's reject, never the run's end
        text = f"internal error deciding this learner ({type(exc).__name__}: {exc}); please report it"
        text_zh = f"认定该学习者时发生内部错误（{type(exc).__name__}: {exc}）；请报告"
        return _unusable(learner, rows, text, text_zh, True)
    return _account(decision, learner, achievements, structural, rejects, line_of)


def _without_learner(row: Mapping[str, Any]) -> Mapping[str, Any]:
    """The row's achievement keys: the learner key is the batch's, not the record's."""
    if type(row) is dict and LEARNER_KEY not in row:
        return row
    kept = dict(row)
    kept.pop(LEARNER_KEY, None)
    return kept


def _account(decision: Decision, learner: str, achievements: list[Achievement], structural: list[Rejection],
             rejects: list[dict[str, Any]], line_of: dict[str, Line]) -> LearnerOutcome:
    """Put every achievement passed to the engine in one place: credited, earned nothing or refused."""
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
            rejects.append(reject(line_of[ach.id], learner, "standard", item.reason, item.reason_zh, ach.id,
                                  item.code, reason_code=item.reason_code))
        elif ach.id in unused_ids:
            unused += 1
        else:
            lost.append(ach.id)
    rejects.sort(key=lambda r: (r["line"] is None, r["line"] or 0))
    return LearnerOutcome(decision, rejects, credited, unused, rejected + len(structural), tuple(lost))


def _unusable(learner: str, rows: Sequence[tuple[Line, Mapping[str, Any]]], reason: str, reason_zh: str,
              internal: bool) -> LearnerOutcome:
    rejects = [reject(line, learner, "learner", reason, reason_zh, _text(row.get("id")), _text(row.get("code")))
               for line, row in rows]
    return LearnerOutcome(None, rejects, 0, 0, len(rows), (), internal)


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
