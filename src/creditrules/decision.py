"""A decision and its trace, as data. Rendering lives in :mod:`creditrules.render`.

Everything here is immutable and serialises with :meth:`Decision.to_json`
to bytes that are identical on every run for the same input: keys in a fixed
order, lists in a documented order, no timestamps, no hash-seed dependence.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from .compiled import DEFAULT_UNIT, CourseInfo, UnitInfo, from_centi
from .jsontext import indented_json
from .limits import LimitKind


def _credits(value: int) -> int | float:
    return from_centi(value)


@dataclass(frozen=True, slots=True)
class ConditionResult:
    """One condition checked against one achievement, whether it passed or not."""

    attribute: str
    op: str
    required: Any
    actual: Any
    ok: bool

    def to_dict(self) -> dict[str, Any]:
        return {"attribute": self.attribute, "op": self.op, "required": _jsonable(self.required),
                "actual": _jsonable(self.actual), "ok": self.ok}


@dataclass(frozen=True, slots=True)
class SlotCheck:
    """An achievement tried in one place of a rule, with every condition's result."""

    achievement: str
    slot: int
    conditions: tuple[ConditionResult, ...]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.conditions)

    @property
    def failed(self) -> tuple[ConditionResult, ...]:
        return tuple(c for c in self.conditions if not c.ok)

    def to_dict(self) -> dict[str, Any]:
        return {"achievement": self.achievement, "slot": self.slot, "ok": self.ok,
                "conditions": [c.to_dict() for c in self.conditions]}


@dataclass(frozen=True, slots=True)
class Tally:
    """How an aggregate rule added up records: the sum, the credits it is worth, any cap."""

    records: int
    unit: str  # "count", or the number attribute added up
    amount: str  # the sum, as decimal text
    credits: int  # after rounding, before the aggregate's max
    maximum: int | None  # the aggregate's max, when it cut the credits
    needed: int | None  # for a course grant: the credits the courses need, when the sum fell short
    course: str | None = None  # for an aggregate grouped `by` course: the course these records count toward

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"records": self.records, "unit": self.unit, "amount": _number(self.amount),
                                "credits": _credits(self.credits)}
        if self.course is not None:
            data["course"] = self.course
        if self.maximum is not None:
            data["max"] = _credits(self.maximum)
        if self.needed is not None:
            data["needed"] = _credits(self.needed)
        return data


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


@dataclass(frozen=True, slots=True)
class Limit:
    """A limit that stopped or cut an award: which, how much room was left, what was asked."""

    key: LimitKind
    limit: int
    room: int
    asked: int

    def to_dict(self) -> dict[str, Any]:
        show = (lambda v: v) if self.key.counted else _credits
        return {"limit": self.key.to_dict(), "max": show(self.limit), "room": show(self.room),
                "asked": show(self.asked)}


@dataclass(frozen=True, slots=True)
class Target:
    """What an award credits: whole courses, a category, or a certified outcome."""

    courses: tuple[str, ...] = ()
    category: str | None = None
    outcome: str | None = None

    @property
    def text(self) -> str:
        """For display only: ``C101+C102``, ``category elective``, ``outcome X``."""
        if self.courses:
            return "+".join(self.courses)
        if self.outcome is not None:
            return f"outcome {self.outcome}"
        return f"category {self.category}"

    def to_dict(self) -> dict[str, Any]:
        if self.courses:
            return {"courses": list(self.courses)}
        if self.outcome is not None:
            return {"outcome": self.outcome}
        return {"category": self.category}


@dataclass(frozen=True, slots=True)
class Conflict:
    """The award that won what a candidate needed: its rule and target, and the thing both needed."""

    rule: str
    target: Target
    shared_kind: str  # course | achievement
    shared_id: str

    @property
    def shared(self) -> str:
        return f"{self.shared_kind} {self.shared_id}"

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "target": self.target.to_dict(), "shared": {self.shared_kind: self.shared_id}}


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Why a course award was suppressed by the learner's course history: the course it would
    credit, the course in the history that stops it (the same course, or a higher one), and its status."""

    course: str
    history_course: str
    status: str  # passed | failed | enrolled | withdrawn

    def to_dict(self) -> dict[str, Any]:
        return {"course": self.course, "history": {"course": self.history_course, "status": self.status}}


@dataclass(frozen=True, slots=True)
class Eligibility:
    """A standard's eligibility gate checked against the learner: each condition's result."""

    standard: str
    conditions: tuple[ConditionResult, ...]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.conditions)

    @property
    def failed(self) -> tuple[ConditionResult, ...]:
        return tuple(c for c in self.conditions if not c.ok)

    def to_dict(self) -> dict[str, Any]:
        return {"standard": self.standard, "ok": self.ok, "conditions": [c.to_dict() for c in self.conditions]}


@dataclass(frozen=True, slots=True)
class CandidateTrace:
    """What became of one possible award."""

    rule: str
    achievements: tuple[str, ...]
    target: Target
    credits: int
    outcome: str  # awarded | capped | conflict | limit | not-best
    placed: int = 0
    conflict: Conflict | None = None
    limit: Limit | None = None
    tally: Tally | None = None
    exclusion: Exclusion | None = None  # for excluded: the course history that suppressed it
    also_limits: tuple[Limit, ...] = ()  # for limit: every other limit that had no room for it either

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"rule": self.rule, "achievements": list(self.achievements),
                                "target": self.target.to_dict(), "credits": _credits(self.credits),
                                "outcome": self.outcome}
        if self.outcome in ("awarded", "capped"):
            data["placed"] = _credits(self.placed)
        if self.conflict is not None:
            data["conflict_with"] = self.conflict.to_dict()
        if self.limit is not None:
            data["limit"] = self.limit.to_dict()
        if self.also_limits:
            data["also_limits"] = [limit.to_dict() for limit in self.also_limits]
        if self.tally is not None:
            data["tally"] = self.tally.to_dict()
        if self.exclusion is not None:
            data["excluded_by"] = self.exclusion.to_dict()
        return data


@dataclass(frozen=True, slots=True)
class RuleTrace:
    rule: str
    name_zh: str
    name_en: str
    standard: str
    version: str
    origin: str
    stage: str  # certification standard id, or "conversion"
    checks: tuple[SlotCheck, ...]
    candidates: tuple[CandidateTrace, ...]
    note: str | None = None
    tally: Tally | None = None
    requires: tuple[ConditionResult, ...] = ()  # the rule's gate on the learner, checked

    @property
    def result(self) -> str:
        if any(not c.ok for c in self.requires):
            return "not-eligible"
        if any(c.outcome in ("awarded", "capped") for c in self.candidates):
            return "awarded"
        if self.candidates:
            return "not-awarded"
        return "no-match"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule, "name_zh": self.name_zh, "name_en": self.name_en, "standard": self.standard,
            "version": self.version, "origin": self.origin, "stage": self.stage, "result": self.result,
            "checks": [c.to_dict() for c in self.checks], "candidates": [c.to_dict() for c in self.candidates]}
        if self.note is not None:
            data["note"] = self.note
        if self.tally is not None:
            data["tally"] = self.tally.to_dict()
        if self.requires:
            data["requires"] = [c.to_dict() for c in self.requires]
        return data


@dataclass(frozen=True, slots=True)
class Award:
    """Credit given: whole courses, credits into a category, or a certified outcome."""

    rule: str
    rule_name_zh: str
    rule_name_en: str
    standard: str
    version: str
    target: str  # course | category | outcome
    courses: tuple[CourseInfo, ...]  # the catalogue entries of the courses credited
    category: str | None
    outcome: str | None
    credits: int
    asked: int
    grade: str | None
    achievements: tuple[str, ...]
    capped_by: Limit | None = None
    tally: Tally | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule, "standard": self.standard, "version": self.version, "target": self.target,
            "credits": _credits(self.credits), "grade": self.grade, "achievements": list(self.achievements)}
        if self.courses:
            data["courses"] = [{"code": c.code, "name_zh": c.name_zh, "name_en": c.name_en,
                                "credits": _credits(c.credits), "category": c.category} for c in self.courses]
        if self.category is not None:
            data["category"] = self.category
        if self.outcome is not None:
            data["outcome"] = self.outcome
        if self.capped_by is not None:
            data["asked"] = _credits(self.asked)
            data["capped_by"] = self.capped_by.to_dict()
        if self.tally is not None:
            data["tally"] = self.tally.to_dict()
        return data


@dataclass(frozen=True, slots=True)
class Unused:
    """A learner's achievement that earned nothing, and the reason."""

    achievement: str
    code: str | None
    # unknown-code | no-rule | conditions | too-little | conflict | limit | not-best | excluded | not-eligible
    reason: str
    detail: str = ""  # for unknown-code: the record's reason, from the record catalogue
    # (rule id, failed conditions); for not-eligible under a rule's `requires`: the failed gate conditions
    nearest: tuple[str, tuple[ConditionResult, ...]] | None = None
    tally: Tally | None = None  # for too-little: what the records added up to
    candidate: CandidateTrace | None = None  # for conflict, limit, not-best, excluded: the award it would have made
    # for conditions: the other places of the nearest when_all rule that no record filled (place, its conditions)
    missing: tuple[tuple[int, tuple[ConditionResult, ...]], ...] = ()
    # for conditions: other rules that exclude the achievement, each with the exclusions it failed
    excluded: tuple[tuple[str, tuple[ConditionResult, ...]], ...] = ()
    eligibility: tuple[ConditionResult, ...] = ()  # for not-eligible under the standard's eligibility: what failed

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"achievement": self.achievement, "code": self.code, "reason": self.reason}
        if self.detail:
            data["detail"] = self.detail
        if self.nearest is not None:
            data["nearest_miss"] = {"rule": self.nearest[0], "failed": [c.to_dict() for c in self.nearest[1]]}
            if self.missing:
                data["nearest_miss"]["missing_places"] = [
                    {"slot": slot, "conditions": [{"attribute": c.attribute, "op": c.op,
                                                   "required": _jsonable(c.required)} for c in conditions]}
                    for slot, conditions in self.missing]
        if self.excluded:
            data["excluded_by"] = [{"rule": rule, "failed": [c.to_dict() for c in failed]}
                                   for rule, failed in self.excluded]
        if self.tally is not None:
            data["tally"] = self.tally.to_dict()
        if self.candidate is not None:
            # the award it would have been part of, without the other achievements: an aggregate
            # of N records lost to a limit would otherwise list N ids under each of its N records
            data["candidate"] = {k: v for k, v in self.candidate.to_dict().items()
                                 if k not in ("achievements", "tally")}
        if self.eligibility:
            data["eligibility_failed"] = [c.to_dict() for c in self.eligibility]
        return data


@dataclass(frozen=True, slots=True)
class CategoryStatus:
    id: str
    name_zh: str
    name_en: str
    required: int
    credited: int

    @property
    def remaining(self) -> int:
        return max(0, self.required - self.credited)

    def to_dict(self) -> dict[str, Any]:
        return {"category": self.id, "name_zh": self.name_zh, "name_en": self.name_en,
                "required": _credits(self.required), "credited": _credits(self.credited),
                "remaining": _credits(self.remaining)}


@dataclass(frozen=True, slots=True)
class Application:
    """What the converted credit means for the diploma: what is done, what remains."""

    program: str
    name_zh: str
    name_en: str
    total_required: int
    credited: int
    categories: tuple[CategoryStatus, ...]
    courses_remaining: tuple[str, ...]

    @property
    def remaining(self) -> int:
        return max(0, self.total_required - self.credited)

    def to_dict(self) -> dict[str, Any]:
        return {"program": self.program, "name_zh": self.name_zh, "name_en": self.name_en,
                "total_required": _credits(self.total_required), "credited": _credits(self.credited),
                "remaining": _credits(self.remaining), "categories": [c.to_dict() for c in self.categories],
                "courses_remaining": list(self.courses_remaining)}


@dataclass(frozen=True, slots=True)
class StandardStamp:
    id: str
    version: str
    content_hash: str
    effective_from: date
    effective_until: date | None
    chain: tuple[tuple[str, str, str], ...]  # (id, version, content hash) of every file used

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "content_hash": self.content_hash,
                "effective_from": self.effective_from.isoformat(),
                "effective_until": self.effective_until.isoformat() if self.effective_until else None,
                "chain": [{"id": i, "version": v, "content_hash": h} for i, v, h in self.chain]}


@dataclass(frozen=True, slots=True)
class SearchStats:
    candidates: int
    components: int
    searched: int
    nodes: int
    optimal: bool

    def to_dict(self) -> dict[str, Any]:
        return {"candidates": self.candidates, "components": self.components, "searched": self.searched,
                "nodes": self.nodes, "optimal": self.optimal}


@dataclass(frozen=True, slots=True)
class Decision:
    """One learner, one standard, one as-of date: what is awarded and why."""

    learner: str
    standard: StandardStamp
    as_of: date
    engine_version: str
    awards: tuple[Award, ...]
    outcomes: tuple[Award, ...]
    total: int
    by_category: tuple[tuple[str, int], ...]
    application: Application | None
    unused: tuple[Unused, ...]
    rejected: tuple[Any, ...]
    trace: tuple[RuleTrace, ...]
    search: SearchStats
    total_cap: int | None = None
    trace_mode: str = "full"
    unit: UnitInfo = DEFAULT_UNIT  # what the credit numbers count
    eligibility: tuple[Eligibility, ...] = ()  # every eligibility gate checked (standard, certifications)

    @property
    def total_credits(self) -> float:
        """Converted credits in total, as a number."""
        return float(from_centi(self.total))

    def to_dict(self, trace: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "learner": self.learner,
            "standard": self.standard.to_dict(),
            "as_of": self.as_of.isoformat(),
            "engine_version": self.engine_version,
            "unit": self.unit.to_dict(),
            "total": _credits(self.total),
            "total_cap": _credits(self.total_cap) if self.total_cap is not None else None,
            "by_category": {k: _credits(v) for k, v in self.by_category},
            "awards": [a.to_dict() for a in self.awards],
            "outcomes": [a.to_dict() for a in self.outcomes],
            "application": self.application.to_dict() if self.application else None,
            "unused": [u.to_dict() for u in self.unused],
            "rejected": [r.to_dict() for r in self.rejected],
            "search": self.search.to_dict(),
        }
        if self.eligibility:  # only standards with an eligibility gate: others keep their shape
            data["eligibility"] = [e.to_dict() for e in self.eligibility]
        if trace:
            data["trace_mode"] = self.trace_mode
            data["trace"] = [t.to_dict() for t in self.trace]
        return data

    def to_json(self, trace: bool = True, indent: int | None = 2) -> str:
        """The decision as JSON text (UTF-8, keys in a fixed order); the same bytes on every run."""
        data = self.to_dict(trace)
        if indent == 2:  # the form every command writes: orjson, byte for byte json's
            return indented_json(data) + "\n"
        return json.dumps(data, ensure_ascii=False, indent=indent) + "\n"


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (frozenset, set)):
        return sorted(_jsonable(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
