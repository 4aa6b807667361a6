"""``creditrules diff`` output: a summary table for the review, the changes per learner and per rule;
or JSON for tools."""

from __future__ import annotations

import json
from typing import Any

from .compiled import from_centi
from .conditions import format_value
from .impact import AwardKey, Change, Impact, Outcome
from .safe_text import escape_controls


def _credits(centi: int) -> str:
    return format_value(float(from_centi(centi)))


def _amount(centi: int) -> str:
    """'1 credit', '2.5 credits'."""
    return f"{_credits(centi)} credit{'' if centi == 100 else 's'}"


def _signed(centi: int) -> str:
    return ("+" if centi > 0 else "") + _credits(centi) if centi else "0"


def _award(key: AwardKey) -> str:
    grade = f", grade {key.grade}" if key.grade else ""
    return f"{key.rule} → {key.target}: {_amount(key.credits)} from {', '.join(key.achievements)}{grade}"


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def _total(outcome: Outcome) -> str:
    return _credits(outcome.total) if outcome.total is not None else "—"


def text(impact: Impact) -> str:
    changes = sorted(impact.changes, key=lambda c: (c.subject.standard, c.subject.as_of, c.subject.learner.id,
                                                    c.subject.source))
    lines = [f"Credit changes from {impact.old.label} to {impact.new.label}: {len(changes)} learner(s) "
             f"from {impact.learners_from}", ""]
    if changes:
        rows = [["learner", "standard", "as of", "before", "after", "change"]]
        for c in changes:
            rows.append([c.subject.learner.id, c.subject.standard, c.subject.as_of.isoformat(), _total(c.old),
                         _total(c.new), _signed(c.delta) if c.compared else "—"])
        lines += _table(rows, {3, 4, 5}) + [""]
    gained = sum(c.delta for c in changes if c.delta > 0)
    lost = -sum(c.delta for c in changes if c.delta < 0)
    lines.append(f"gain credit: {impact.count('gains')} learner(s), +{_amount(gained)}; "
                 f"lose credit: {impact.count('loses')} learner(s), -{_amount(lost)}; "
                 f"same total: {impact.count('changed') + impact.count('unchanged')} learner(s)"
                 + (f" ({impact.count('changed')} with other awards)" if impact.count("changed") else "")
                 + (f"; not compared: {impact.count('not compared')}" if impact.count("not compared") else ""))
    details = [c for c in changes if c.status != "unchanged"]
    for change in details:
        lines += [""] + _details(change)
    if impact.rules:
        lines += ["", "by rule (credits awarded after minus before, all learners):"]
        rows = [["rule", "learners gaining", "learners losing", "credits"]]
        rows += [[e.rule, str(e.learners_gaining), str(e.learners_losing), _signed(e.credits)] for e in impact.rules]
        lines += _table(rows, {1, 2, 3})
    return "".join(escape_controls(line) + "\n" for line in lines)  # learner ids and names: no forged lines


def _details(change: Change) -> list[str]:
    subject = change.subject
    head = f"{subject.learner.id}, {subject.standard}, as of {subject.as_of} ({subject.source})"
    if not change.compared:
        lines = [f"{head}: not compared"]
        for side, outcome in (("before", change.old), ("after", change.new)):
            if outcome.error:
                lines.append(f"  {side}: {outcome.error}")
        return lines
    lines = [f"{head}: {_total(change.old)} → {_total(change.new)} ({_signed(change.delta)}), "
             f"version {change.old.version} → {change.new.version}"]
    signed = sorted([(k.rule, k.target, 0, f"  - {_award(k)}") for k in change.lost]
                    + [(k.rule, k.target, 1, f"  + {_award(k)}") for k in change.gained])
    return lines + [line for *_, line in signed]


def as_json(impact: Impact) -> str:
    def outcome(o: Outcome) -> dict[str, Any]:
        return {"version": o.version, "total": from_centi(o.total) if o.total is not None else None,
                "error": o.error}

    changes = impact.changes
    data = {
        "old": impact.old.to_dict(),
        "new": impact.new.to_dict(),
        "learners_from": impact.learners_from,
        "summary": {"learners": len(changes), "gain": impact.count("gains"), "lose": impact.count("loses"),
                    "changed": impact.count("changed"), "unchanged": impact.count("unchanged"),
                    "not_compared": impact.count("not compared"),
                    "credits_gained": from_centi(sum(c.delta for c in changes if c.delta > 0)),
                    "credits_lost": from_centi(-sum(c.delta for c in changes if c.delta < 0))},
        "learners": [{"learner": c.subject.learner.id, "standard": c.subject.standard,
                      "as_of": c.subject.as_of.isoformat(), "source": c.subject.source, "status": c.status,
                      "change": from_centi(c.delta), "old": outcome(c.old), "new": outcome(c.new),
                      "lost": [k.to_dict() for k in c.lost], "gained": [k.to_dict() for k in c.gained]}
                     for c in changes],
        "rules": [{"rule": e.rule, "learners_gaining": e.learners_gaining, "learners_losing": e.learners_losing,
                   "credits": from_centi(e.credits)} for e in impact.rules],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
