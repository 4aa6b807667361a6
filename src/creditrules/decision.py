"""A decision and its trace, as data. Rendering lives in :mod:`creditrules.render`.

Everything here is immutable and serialises with :meth:`Decision.to_json`
to bytes that are identical on every run for the same input: keys in a fixed
order, lists in a documented order, no timestamps, no hash-seed dependence.
:meth:`Decision.from_json` reads those bytes back into an equal decision; the
format is described by the types of :mod:`creditrules.decision_format` and
versioned by ``format_version`` (``docs/contract.md``).

Credits: one unit at the surface. Every credit value a user reads (``decision.total``,
``award.credits``, ``category.remaining`` …) is a :class:`~decimal.Decimal` in credits
(``Decimal('19.5')``), and in JSON a number in credits (``19.5``). The engine computes in
whole hundredths (``int``); the ``*_centi`` fields hold those, and are what the evaluator
constructs decisions from, so deciding never builds a ``Decimal``.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from ._fastinit import fast_init
from .compiled import CENTI, DEFAULT_UNIT, CourseInfo, UnitInfo
from .decision_format import (
    FORMAT_VERSION,
    ApplicationJSON,
    AwardJSON,
    CandidateJSON,
    CategoryStatusJSON,
    CategoryTargetJSON,
    ConditionJSON,
    ConflictJSON,
    CoursesTargetJSON,
    DecisionJSON,
    EligibilityJSON,
    ExclusionJSON,
    LimitJSON,
    OutcomeTargetJSON,
    RuleTraceJSON,
    SearchJSON,
    SlotCheckJSON,
    StandardStampJSON,
    TallyJSON,
    TargetJSON,
    UnusedCandidateJSON,
    UnusedJSON,
)
from .errors import DecisionFormatError
from .jsontext import checked_json_bytes, fragment, json_text
from .limits import LimitKind
from .rejection import Rejection
from .safe_text import surrogate_in, surrogate_reason

# JSON is written by orjson, whose bytes are json's for every value a decision holds but a float that json
# writes with an exponent (below 1e-4, from 1e16 up) and a container it does not know. Rather than read
# the output again for such a number, every float of a decision's JSON is made by _credits, _number or
# _jsonable, which note a "wide" one here while a decision is being encoded (Decision.to_json_bytes);
# a decision with one is written by json (jsontext.json_text: NaN and ±inf as null, as orjson writes them).
_WIDE: ContextVar[list[bool] | None] = ContextVar("creditrules_wide_numbers", default=None)


def _wide() -> None:
    """Note that the JSON being built holds a value orjson may write otherwise than json."""
    noted = _WIDE.get()
    if noted is not None:
        noted.append(True)


def _credits(centi: int) -> int | float:
    """Credits for output: 4 stays 4, 450 hundredths become 4.5 (``from_centi``; a wide float noted)."""
    if centi % CENTI:
        value = centi / CENTI
        if not -1e16 < value < 1e16:
            _wide()
        return value
    return centi // CENTI


def credits_of(centi: int) -> Decimal:
    """Hundredths of a credit as exact credits: 2000 → ``Decimal('20')``, 1950 → ``Decimal('19.5')``."""
    whole, rest = divmod(centi, 100)
    if not rest:
        return Decimal(whole)
    if not rest % 10:
        return Decimal(centi // 10).scaleb(-1)
    return Decimal(centi).scaleb(-2)



def _optional_credits(centi: int | None) -> Decimal | None:
    return None if centi is None else credits_of(centi)


@fast_init
@dataclass(frozen=True, slots=True, eq=False)
class ConditionResult:
    """One condition checked against one achievement, whether it passed or not.

    Two results are equal when they say the same in JSON: a required set and the list it
    is written as, a date and its ISO text, are the same value."""

    attribute: str
    op: str
    required: Any
    actual: Any
    ok: bool

    def to_dict(self) -> ConditionJSON:
        required, actual = self.required, self.actual  # text most often, which JSON holds as it is
        return {"attribute": self.attribute, "op": self.op,
                "required": required if type(required) is str else _jsonable(required),
                "actual": actual if type(actual) is str else _jsonable(actual), "ok": self.ok}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ConditionResult):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash((self.attribute, self.op, self.ok))


@fast_init
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

    def to_dict(self) -> SlotCheckJSON:
        conditions = [c.to_dict() for c in self.conditions]
        return {"achievement": self.achievement, "slot": self.slot, "ok": all(c["ok"] for c in conditions),
                "conditions": conditions}


@fast_init
@dataclass(frozen=True, slots=True)
class Tally:
    """How an aggregate rule added up records: the sum, the credits it is worth, any cap."""

    records: int
    unit: str  # "count", or the number attribute added up
    amount_text: str  # the sum, as decimal text
    credits_centi: int  # after rounding, before the aggregate's max
    maximum_centi: int | None  # the aggregate's max, when it cut the credits
    needed_centi: int | None  # for a course grant: the credits the courses need, when the sum fell short
    course: str | None = None  # for an aggregate grouped `by` course: the course these records count toward

    @property
    def amount(self) -> Decimal:
        """The sum of the records (hours, or the number of records for ``count``)."""
        return Decimal(self.amount_text)

    @property
    def credits(self) -> Decimal:
        return credits_of(self.credits_centi)

    @property
    def maximum(self) -> Decimal | None:
        return _optional_credits(self.maximum_centi)

    @property
    def needed(self) -> Decimal | None:
        return _optional_credits(self.needed_centi)

    def to_dict(self) -> TallyJSON:
        data: TallyJSON = {"records": self.records, "unit": self.unit, "amount": _number(self.amount_text),
                           "credits": _credits(self.credits_centi)}
        if self.course is not None:
            data["course"] = self.course
        if self.maximum_centi is not None:
            data["max"] = _credits(self.maximum_centi)
        if self.needed_centi is not None:
            data["needed"] = _credits(self.needed_centi)
        return data


def _number(text: str) -> int | float:
    value = float(text)
    if value.is_integer():
        return int(value)
    if math.isfinite(value) and not 1e-4 <= abs(value) < 1e16:  # NaN, ±inf: null, as orjson writes them
        _wide()
    return value


@fast_init
@dataclass(frozen=True, slots=True, eq=False)
class Limit:
    """A limit that stopped or cut an award: which, how much room was left, what was asked.

    ``maximum``, ``room`` and ``asked`` are credits (``Decimal``) for a limit on credits and
    a count (``int``) for a counted limit (``key.counted``); the ``*_value`` fields hold the
    engine's integers (hundredths, or the count).

    Two are equal when they say the same in JSON: a limit read back from a decision knows its
    kind and fields, not what the standard compiled beside them (a rule group's member rules, a
    shared budget's names)."""

    key: LimitKind
    max_value: int
    room_value: int
    asked_value: int

    def _show(self, value: int) -> Decimal | int:
        return value if self.key.counted else credits_of(value)

    @property
    def maximum(self) -> Decimal | int:
        return self._show(self.max_value)

    @property
    def room(self) -> Decimal | int:
        return self._show(self.room_value)

    @property
    def asked(self) -> Decimal | int:
        return self._show(self.asked_value)

    def to_dict(self) -> LimitJSON:
        if self.key.counted:
            return {"limit": self.key.to_dict(), "max": self.max_value,  # type: ignore[typeddict-item]
                    "room": self.room_value, "asked": self.asked_value}
        return {"limit": self.key.to_dict(), "max": _credits(self.max_value),  # type: ignore[typeddict-item]
                "room": _credits(self.room_value), "asked": _credits(self.asked_value)}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Limit):
            return NotImplemented
        return (self.key.kind, self.key.fields(), self.max_value, self.room_value, self.asked_value) == (
            other.key.kind, other.key.fields(), other.max_value, other.room_value, other.asked_value)

    def __hash__(self) -> int:
        return hash((self.key.kind, tuple(self.key.fields().items()), self.max_value, self.room_value,
                     self.asked_value))


@fast_init
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

    def to_dict(self) -> TargetJSON:
        if self.courses:
            courses: CoursesTargetJSON = {"courses": list(self.courses)}
            return courses
        if self.outcome is not None:
            outcome: OutcomeTargetJSON = {"outcome": self.outcome}
            return outcome
        category: CategoryTargetJSON = {"category": self.category}
        return category


@fast_init
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

    def to_dict(self) -> ConflictJSON:
        shared = {self.shared_kind: self.shared_id}
        return {"rule": self.rule, "target": self.target.to_dict(), "shared": shared}  # type: ignore[typeddict-item]


@fast_init
@dataclass(frozen=True, slots=True)
class Exclusion:
    """Why a course award was suppressed by the learner's course history: the course it would
    credit, the course in the history that stops it (the same course, or a higher one), and its status."""

    course: str
    history_course: str
    status: str  # passed | failed | enrolled | withdrawn

    def to_dict(self) -> ExclusionJSON:
        return {"course": self.course,
                "history": {"course": self.history_course, "status": self.status}}  # type: ignore[typeddict-item]


@fast_init
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

    def to_dict(self) -> EligibilityJSON:
        return {"standard": self.standard, "ok": self.ok, "conditions": [c.to_dict() for c in self.conditions]}


@fast_init
@dataclass(frozen=True, slots=True)
class CandidateTrace:
    """What became of one possible award."""

    rule: str
    achievements: tuple[str, ...]
    target: Target
    credits_centi: int
    outcome: str  # awarded | capped | conflict | limit | not-best | excluded
    placed_centi: int = 0
    conflict: Conflict | None = None
    limit: Limit | None = None
    tally: Tally | None = None
    exclusion: Exclusion | None = None  # for excluded: the course history that suppressed it
    also_limits: tuple[Limit, ...] = ()  # for limit: every other limit that had no room for it either

    @property
    def credits(self) -> Decimal:
        """The credits it would give in full."""
        return credits_of(self.credits_centi)

    @property
    def placed(self) -> Decimal:
        """For ``awarded`` and ``capped``: the credits given (0 otherwise)."""
        return credits_of(self.placed_centi)

    def to_dict(self) -> CandidateJSON:
        return cast(CandidateJSON, self._dict(True))

    def _dict(self, whole: bool) -> dict[str, Any]:
        """The JSON form; without ``whole``, without its achievements and tally (as an unused
        entry shows the award it would have been part of)."""
        outcome = self.outcome
        data: dict[str, Any] = {"rule": self.rule, "achievements": list(self.achievements),
                                "target": self.target.to_dict(), "credits": _credits(self.credits_centi),
                                "outcome": outcome} if whole else {
                                "rule": self.rule, "target": self.target.to_dict(),
                                "credits": _credits(self.credits_centi), "outcome": outcome}
        if outcome == "awarded" or outcome == "capped":
            data["placed"] = _credits(self.placed_centi)
        if self.conflict is not None:
            data["conflict_with"] = self.conflict.to_dict()
        if self.limit is not None:
            data["limit"] = self.limit.to_dict()
        if self.also_limits:
            data["also_limits"] = [limit.to_dict() for limit in self.also_limits]
        if whole and self.tally is not None:
            data["tally"] = self.tally.to_dict()
        if self.exclusion is not None:
            data["excluded_by"] = self.exclusion.to_dict()
        return data


@fast_init
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
        for condition in self.requires:
            if not condition.ok:
                return "not-eligible"
        for candidate in self.candidates:
            if candidate.outcome == "awarded" or candidate.outcome == "capped":
                return "awarded"
        if self.candidates:
            return "not-awarded"
        return "no-match"

    def to_dict(self) -> RuleTraceJSON:
        data: RuleTraceJSON = {
            "rule": self.rule, "name_zh": self.name_zh, "name_en": self.name_en, "standard": self.standard,
            "version": self.version, "origin": self.origin, "stage": self.stage,
            "result": self.result,  # type: ignore[typeddict-item]
            "checks": [c.to_dict() for c in self.checks],
            "candidates": cast(list[CandidateJSON], [c._dict(True) for c in self.candidates])}
        if self.note is not None:
            data["note"] = self.note
        if self.tally is not None:
            data["tally"] = self.tally.to_dict()
        if self.requires:
            data["requires"] = [c.to_dict() for c in self.requires]
        return data


@fast_init
@dataclass(frozen=True, slots=True)
class Award:
    """Credit given: whole courses, credits into a category, or a certified outcome.

    ``credits`` is what was given and ``asked`` what the rule asked for (more only when
    ``capped_by`` cut it), both ``Decimal`` credits. ``courses`` are the catalogue entries of the
    courses credited, as compiled (their ``credits`` in hundredths; ``course_credits`` gives
    them in credits)."""

    rule: str
    rule_name_zh: str
    rule_name_en: str
    standard: str
    version: str
    target: str  # course | category | outcome
    courses: tuple[CourseInfo, ...]  # the catalogue entries of the courses credited
    category: str | None
    outcome: str | None
    credits_centi: int
    asked_centi: int
    grade: str | None
    achievements: tuple[str, ...]
    capped_by: Limit | None = None
    tally: Tally | None = None

    @property
    def credits(self) -> Decimal:
        return credits_of(self.credits_centi)

    @property
    def asked(self) -> Decimal:
        return credits_of(self.asked_centi)

    @property
    def course_credits(self) -> dict[str, Decimal]:
        """Each course credited, by code, with its credits."""
        return {c.code: credits_of(c.credits) for c in self.courses}

    def to_dict(self) -> AwardJSON:
        data: AwardJSON = {
            "rule": self.rule, "rule_name_zh": self.rule_name_zh, "rule_name_en": self.rule_name_en,
            "standard": self.standard, "version": self.version,
            "target": self.target,  # type: ignore[typeddict-item]
            "credits": _credits(self.credits_centi), "grade": self.grade, "achievements": list(self.achievements)}
        if self.courses:
            data["courses"] = [{"code": c.code, "name_zh": c.name_zh, "name_en": c.name_en,
                                "credits": _credits(c.credits), "category": c.category} for c in self.courses]
        if self.category is not None:
            data["category"] = self.category
        if self.outcome is not None:
            data["outcome"] = self.outcome
        if self.capped_by is not None:
            data["asked"] = _credits(self.asked_centi)
            data["capped_by"] = self.capped_by.to_dict()
        if self.tally is not None:
            data["tally"] = self.tally.to_dict()
        return data


@fast_init
@dataclass(frozen=True, slots=True, eq=False)
class Unused:
    """A learner's achievement that earned nothing, and the reason.

    ``candidate`` is the award it would have been part of; the decision JSON leaves out that
    award's other achievements and its tally (the trace has them), so two unused entries are
    equal when they say the same in JSON."""

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

    def to_dict(self) -> UnusedJSON:
        data: UnusedJSON = {"achievement": self.achievement, "code": self.code,
                            "reason": self.reason}  # type: ignore[typeddict-item]
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
            data["candidate"] = cast(UnusedCandidateJSON, self.candidate._dict(False))
        if self.eligibility:
            data["eligibility_failed"] = [c.to_dict() for c in self.eligibility]
        return data

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Unused):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash((self.achievement, self.code, self.reason))


@fast_init
@dataclass(frozen=True, slots=True)
class CategoryStatus:
    id: str
    name_zh: str
    name_en: str
    required_centi: int
    credited_centi: int

    @property
    def remaining_centi(self) -> int:
        return max(0, self.required_centi - self.credited_centi)

    @property
    def required(self) -> Decimal:
        return credits_of(self.required_centi)

    @property
    def credited(self) -> Decimal:
        return credits_of(self.credited_centi)

    @property
    def remaining(self) -> Decimal:
        return credits_of(self.remaining_centi)

    def to_dict(self) -> CategoryStatusJSON:
        required, credited = self.required_centi, self.credited_centi
        return {"category": self.id, "name_zh": self.name_zh, "name_en": self.name_en,
                "required": _credits(required), "credited": _credits(credited),
                "remaining": _credits(required - credited if required > credited else 0)}


@fast_init
@dataclass(frozen=True, slots=True)
class Application:
    """What the converted credit means for the diploma: what is done, what remains."""

    program: str
    name_zh: str
    name_en: str
    total_required_centi: int
    credited_centi: int
    categories: tuple[CategoryStatus, ...]
    courses_remaining: tuple[str, ...]

    @property
    def remaining_centi(self) -> int:
        return max(0, self.total_required_centi - self.credited_centi)

    @property
    def total_required(self) -> Decimal:
        return credits_of(self.total_required_centi)

    @property
    def credited(self) -> Decimal:
        return credits_of(self.credited_centi)

    @property
    def remaining(self) -> Decimal:
        return credits_of(self.remaining_centi)

    def to_dict(self) -> ApplicationJSON:
        return self._dict(False)

    def _dict(self, fragments: bool) -> ApplicationJSON:
        """The JSON form; with ``fragments``, each category's status as JSON already written (they repeat)."""
        required, credited = self.total_required_centi, self.credited_centi
        return {"program": self.program, "name_zh": self.name_zh, "name_en": self.name_en,
                "total_required": _credits(required), "credited": _credits(credited),
                "remaining": _credits(required - credited if required > credited else 0),
                "categories": [_category_fragment(c) for c in self.categories] if fragments
                else [c.to_dict() for c in self.categories],
                "courses_remaining": list(self.courses_remaining)}


@fast_init
@dataclass(frozen=True, slots=True)
class StandardStamp:
    id: str
    version: str
    content_hash: str
    effective_from: date
    effective_until: date | None
    chain: tuple[tuple[str, str, str], ...]  # (id, version, content hash) of every file used

    def to_dict(self) -> StandardStampJSON:
        return {"id": self.id, "version": self.version, "content_hash": self.content_hash,
                "effective_from": self.effective_from.isoformat(),
                "effective_until": self.effective_until.isoformat() if self.effective_until else None,
                "chain": [{"id": i, "version": v, "content_hash": h} for i, v, h in self.chain]}


@fast_init
@dataclass(frozen=True, slots=True)
class SearchStats:
    candidates: int
    components: int
    searched: int
    nodes: int
    optimal: bool

    def to_dict(self) -> SearchJSON:
        return {"candidates": self.candidates, "components": self.components, "searched": self.searched,
                "nodes": self.nodes, "optimal": self.optimal}


@fast_init
@dataclass(frozen=True, slots=True)
class Decision:
    """One learner, one standard, one as-of date: what is awarded and why.

    Credits are ``Decimal``: ``total``, ``total_cap``, ``by_category``. The ``*_centi`` fields
    are the engine's whole hundredths, from which the evaluator builds a decision cheaply.
    ``to_json`` writes it (``format_version`` first); ``from_json`` reads it back, equal."""

    learner: str
    standard: StandardStamp
    as_of: date
    engine_version: str
    awards: tuple[Award, ...]
    outcomes: tuple[Award, ...]
    total_centi: int
    by_category_centi: tuple[tuple[str, int], ...]
    application: Application | None
    unused: tuple[Unused, ...]
    rejected: tuple[Rejection, ...]
    trace: tuple[RuleTrace, ...]
    search: SearchStats
    total_cap_centi: int | None = None
    trace_mode: str = "full"
    unit: UnitInfo = DEFAULT_UNIT  # what the credit numbers count
    eligibility: tuple[Eligibility, ...] = ()  # every eligibility gate checked (standard, certifications)

    @property
    def total(self) -> Decimal:
        """Converted credits in total: ``Decimal('19.5')``."""
        return credits_of(self.total_centi)

    @property
    def total_cap(self) -> Decimal | None:
        """The total limit in force (``limits.total``), or None."""
        return _optional_credits(self.total_cap_centi)

    @property
    def by_category(self) -> dict[str, Decimal]:
        """Converted credits per program category, by category id."""
        return {k: credits_of(v) for k, v in self.by_category_centi}

    @property
    def total_credits(self) -> Decimal:
        """The same as :attr:`total` (kept for code written before credits were ``Decimal``)."""
        return credits_of(self.total_centi)

    def to_dict(self, trace: bool = True) -> DecisionJSON:
        return self._dict(trace, False)

    def _dict(self, trace: bool, fragments: bool) -> DecisionJSON:
        """The JSON form; with ``fragments``, the parts that repeat across decisions (the stamp, the unit, a
        category's status) as JSON already written, for orjson (never for json, nor for indented output)."""
        unit = self.unit
        standard = _stamp_fragment(self.standard) if fragments else self.standard.to_dict()
        total_cap = self.total_cap_centi
        application = self.application
        data: DecisionJSON = {
            "format_version": FORMAT_VERSION,
            "learner": self.learner,
            "standard": standard,
            "as_of": _iso_day(self.as_of) if type(self.as_of) is date else self.as_of.isoformat(),
            "engine_version": self.engine_version,
            "unit": _unit_fragment(unit) if fragments else {"zh": unit.zh, "en": unit.en, "en_one": unit.en_one},
            "total": _credits(self.total_centi),
            "total_cap": _credits(total_cap) if total_cap is not None else None,
            "by_category": {k: _credits(v) for k, v in self.by_category_centi},
            "awards": [a.to_dict() for a in self.awards],
            "outcomes": [a.to_dict() for a in self.outcomes] if self.outcomes else [],
            "application": application._dict(fragments) if application else None,
            "unused": [u.to_dict() for u in self.unused],
            "rejected": [r.to_dict() for r in self.rejected] if self.rejected else [],
            "search": self.search.to_dict(),
        }
        if self.eligibility:  # only standards with an eligibility gate: others keep their shape
            data["eligibility"] = [e.to_dict() for e in self.eligibility]
        if trace:
            data["trace_mode"] = self.trace_mode  # type: ignore[typeddict-item]
            data["trace"] = [t.to_dict() for t in self.trace] if self.trace else []
        return data

    def to_json_bytes(self, trace: bool = True) -> bytes:
        """``compact_json_bytes(self.to_dict(trace))`` (a batch line, without its newline), faster: the
        stamp and unit are written once for all decisions of a standard, and no number is looked for
        in the output (each float was checked as it was made)."""
        noted: list[bool] = []
        token = _WIDE.set(noted)
        try:
            data = self._dict(trace, True)
        finally:
            _WIDE.reset(token)
        encoded = None if noted else checked_json_bytes(data)
        if encoded is not None:
            return encoded
        return json_text(self.to_dict(trace), separators=(",", ":")).encode("utf-8")

    def to_json(self, trace: bool = True, indent: int | None = 2) -> str:
        """The decision as JSON text (UTF-8, keys in a fixed order); the same bytes on every run."""
        if indent != 2:
            return json_text(self.to_dict(trace), indent=indent) + "\n"
        noted: list[bool] = []
        token = _WIDE.set(noted)
        try:
            data = self.to_dict(trace)
        finally:
            _WIDE.reset(token)
        encoded = None if noted else checked_json_bytes(data, indent=True)  # the form every command writes
        if encoded is not None:
            return encoded.decode("utf-8") + "\n"
        return json_text(data, indent=2) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Decision:
        """A decision from its ``to_dict`` form (or JSON parsed with ``parse_float=Decimal``).

        Raises :class:`~creditrules.errors.DecisionFormatError` listing every problem, each
        located (``awards[0].credits: …``)."""
        return _Reader().decision(data)

    @classmethod
    def from_json(cls, text: str | bytes | bytearray) -> Decision:
        """A decision from the JSON that :meth:`to_json` (or ``creditrules evaluate --format json``,
        or one line of ``creditrules batch``) wrote. ``Decision.from_json(d.to_json()) == d``.

        Raises :class:`~creditrules.errors.DecisionFormatError` for anything else."""
        if not isinstance(text, (str, bytes, bytearray)):
            raise DecisionFormatError([f"decision JSON is text or bytes, not {type(text).__name__}"])
        try:
            data = json.loads(text, parse_float=Decimal)
        except UnicodeDecodeError as exc:
            raise DecisionFormatError([f"not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
        except ValueError as exc:  # json.JSONDecodeError
            raise DecisionFormatError([f"not JSON: {exc}"]) from None
        except RecursionError:
            raise DecisionFormatError(["nested too deeply to be a decision"]) from None
        escaped = ("\\u" in text) if isinstance(text, str) else (b"\\u" in text)  # only an escape writes one
        found = surrogate_in(data) if escaped else None
        if found is not None:
            raise DecisionFormatError([surrogate_reason(*found)[0]])
        return _Reader().decision(data)


def _jsonable(value: Any) -> Any:
    """A condition's value as JSON holds it: a day as its ISO text, a set sorted, a whole float an int."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:  # most values: nothing to do
        return value
    if kind is date:
        return _iso_day(value)
    if isinstance(value, date):  # a subclass (datetime) writes itself its own way
        return value.isoformat()
    if isinstance(value, (frozenset, set)):
        return sorted(_jsonable(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        if kind is float and math.isfinite(value) and not 1e-4 <= abs(value) < 1e16:  # a subclass orjson
            _wide()  # refuses anyway; NaN and ±inf it writes null, as it always did here
        return value
    if isinstance(value, (dict, str, int)):  # a dict may hold floats unchecked; a subclass orjson refuses anyway
        _wide()
    return value


_ISO_DAYS: dict[date, str] = {}  # a learner's dates repeat across conditions and learners
_CACHED_DAYS = 4096


def _iso_day(day: date) -> str:
    """``day.isoformat()``, kept for days seen before (plain dates only: a subclass may write itself otherwise)."""
    text = _ISO_DAYS.get(day)
    if text is None:
        text = day.isoformat()
        if len(_ISO_DAYS) < _CACHED_DAYS:
            _ISO_DAYS[day] = text
    return text


_FRAGMENTS = 256  # stamps and units kept as JSON: one or a few per standard in a run


def _stamp_fragment(stamp: StandardStamp) -> Any:
    """The stamp's JSON: the same for every decision under one version of a standard. Kept only for plain
    dates: a date subclass equal to a plain one may write itself otherwise."""
    since, until = stamp.effective_from, stamp.effective_until
    if type(since) is not date or (until is not None and type(until) is not date):
        return fragment(stamp.to_dict())
    key = (stamp.id, stamp.version, stamp.content_hash, since, until, stamp.chain)
    found = _STAMPS.get(key)
    if found is None:
        if len(_STAMPS) >= _FRAGMENTS:
            _STAMPS.clear()
        found = _STAMPS[key] = fragment(stamp.to_dict())
    return found


_STAMPS: dict[tuple[Any, ...], Any] = {}


@functools.lru_cache(maxsize=_FRAGMENTS)
def _unit_fragment(unit: UnitInfo) -> Any:
    """The unit's JSON: the same for every decision under one standard."""
    return fragment({"zh": unit.zh, "en": unit.en, "en_one": unit.en_one})


_CATEGORIES: dict[tuple[str, str, str, int, int], Any] = {}  # (id, names, required, credited): its JSON
_CACHED_CATEGORIES = 4096


def _category_fragment(status: CategoryStatus) -> Any:
    """A category's status as JSON: most learners share a few (nothing credited yet, one award). Kept only
    for whole-number hundredths: 200.0 equals 200 as a key but is written 2.0."""
    required, credited = status.required_centi, status.credited_centi
    if type(required) is not int or type(credited) is not int:
        return status.to_dict()
    key = (status.id, status.name_zh, status.name_en, required, credited)
    found = _CATEGORIES.get(key)
    if found is None:
        if len(_CATEGORIES) >= _CACHED_CATEGORIES:
            _CATEGORIES.clear()
        found = _CATEGORIES[key] = fragment(status.to_dict())
    return found


# ------------------------------------------------------------------ reading a decision back

_MISSING = object()


@functools.cache
def _adapter() -> TypeAdapter[DecisionJSON]:
    return TypeAdapter(DecisionJSON)


# the forms a union key allows, named in messages by their keys
_FORMS: dict[int | str, tuple[Any, ...]] = {"target": (CoursesTargetJSON, OutcomeTargetJSON, CategoryTargetJSON)}


def _path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(the decision)"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _problem(error: ErrorDetails) -> str:
    loc = error["loc"]
    for index, part in enumerate(loc):  # a number (int | float | Decimal): one message, not one per form
        if part in ("int", "float", "decimal") or (isinstance(part, str) and part.startswith("is-instance")):
            return f"{_path(loc[:index])}: must be a number, not {_shown(error['input'])}"
    # a union of forms (a target, a limit, a shared thing): say which key holds no allowed form
    for index, part in enumerate(loc):
        if isinstance(part, str) and part.endswith("JSON"):
            forms = ", ".join(f"{{{', '.join(t.__required_keys__)}}}" for t in _FORMS.get(loc[index - 1], ()))
            return f"{_path(loc[:index])}: not one of the forms allowed here" + (f" ({forms})" if forms else "")
    kind = error["type"]
    if kind == "missing":
        return f"{_path(loc)}: required, but missing"
    if kind == "union_tag_invalid":
        ctx = error.get("ctx", {})
        return f"{_path(loc)}.kind: {ctx.get('tag')!r} is not one of {ctx.get('expected_tags')}"
    if kind == "extra_forbidden":
        return f"{_path(loc)}: not a key of format {FORMAT_VERSION}"
    message = error["msg"].removeprefix("Value error, ")
    return f"{_path(loc)}: {message}, not {_shown(error['input'])}"


class _Reader:
    """Builds a decision from its JSON form, collecting every problem with where it is."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def decision(self, data: Any) -> Decision:
        if not isinstance(data, Mapping):
            raise DecisionFormatError([f"a decision is a JSON object, not {_shown(data)}"])
        version = data.get("format_version", _MISSING)
        if version is _MISSING:
            raise DecisionFormatError([
                f"format_version: missing; this is not a decision of format {FORMAT_VERSION} (decisions "
                "written before format versions existed cannot be read back; decide them again)"])
        if version != FORMAT_VERSION:
            major = str(version).split(".")[0]
            newer = major == FORMAT_VERSION.split(".")[0]
            raise DecisionFormatError([
                f"format_version: {_shown(version)} is " + (
                    f"newer than this creditrules reads ({FORMAT_VERSION}); upgrade creditrules" if newer
                    else f"not a format this creditrules reads (it reads {FORMAT_VERSION})")])
        try:
            _adapter().validate_python(dict(data), strict=True)
        except ValidationError as exc:
            raise DecisionFormatError(list(dict.fromkeys(_problem(e) for e in exc.errors()))) from None
        except RecursionError:
            raise DecisionFormatError(["nested too deeply to be a decision"]) from None
        decision = self._decision(data)
        if self.problems:
            raise DecisionFormatError(self.problems)
        return decision

    # values

    def _centi(self, value: Any, where: str) -> int:
        amount = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
        centi = amount * 100
        if not amount.is_finite() or centi != centi.to_integral_value():
            self.problems.append(f"{where}: {_shown(value)} is not a whole number of hundredths of a credit")
            return 0
        return int(centi)

    def _count(self, value: Any, where: str) -> int:
        if isinstance(value, int):
            return value
        self.problems.append(f"{where}: a counted limit takes whole numbers, not {_shown(value)}")
        return 0

    def _day(self, text: str, where: str) -> date:
        try:
            return date.fromisoformat(text) if len(text) == 10 else date.fromisoformat("")
        except ValueError:
            self.problems.append(f"{where}: {_shown(text)} is not a day (YYYY-MM-DD)")
            return date.min

    def _derived(self, where: str, given: Any, computed: Any, shown: Any = None) -> None:
        """A value the decision computes from others (``shown`` as JSON writes it, if not ``computed``)."""
        if given != computed:
            should = computed if shown is None else shown
            self.problems.append(f"{where}: does not follow from the rest (it should be {_shown(should)})")

    def _listed(self, data: Mapping[str, Any], key: str, where: str) -> list[Any]:
        """A list the writer leaves out when it is empty: absent is empty, and present is not."""
        items: list[Any] = data.get(key, [])
        if key in data and not items:
            self.problems.append(f"{where}{key}: left out when empty, never written as []")
        return items

    # parts

    def _decision(self, data: Mapping[str, Any]) -> Decision:
        stamp = data["standard"]
        standard = StandardStamp(
            stamp["id"], stamp["version"], stamp["content_hash"],
            self._day(stamp["effective_from"], "standard.effective_from"),
            None if stamp["effective_until"] is None else self._day(stamp["effective_until"],
                                                                    "standard.effective_until"),
            tuple((c["id"], c["version"], c["content_hash"]) for c in stamp["chain"]))
        application = None
        if data["application"] is not None:
            application = self._application(data["application"])
        search = data["search"]
        traced = "trace" in data
        if traced != ("trace_mode" in data):
            self.problems.append("trace: 'trace' and 'trace_mode' come together, or neither")
        return Decision(
            learner=data["learner"], standard=standard, as_of=self._day(data["as_of"], "as_of"),
            engine_version=data["engine_version"],
            awards=tuple(self._award(a, f"awards[{i}]") for i, a in enumerate(data["awards"])),
            outcomes=tuple(self._award(a, f"outcomes[{i}]") for i, a in enumerate(data["outcomes"])),
            total_centi=self._centi(data["total"], "total"),
            by_category_centi=tuple((k, self._centi(v, f"by_category.{k}")) for k, v in data["by_category"].items()),
            application=application,
            unused=tuple(self._unused(u, f"unused[{i}]") for i, u in enumerate(data["unused"])),
            rejected=tuple(Rejection(r["achievement"], r["code"], r["reason"], r["reason_zh"], r["reason_code"])
                           for r in data["rejected"]),
            trace=tuple(self._rule_trace(t, f"trace[{i}]") for i, t in enumerate(data.get("trace", ()))),
            search=SearchStats(search["candidates"], search["components"], search["searched"], search["nodes"],
                               search["optimal"]),
            total_cap_centi=None if data["total_cap"] is None else self._centi(data["total_cap"], "total_cap"),
            trace_mode=data.get("trace_mode", "none"),
            unit=UnitInfo(data["unit"]["zh"], data["unit"]["en"], data["unit"]["en_one"]),
            eligibility=tuple(self._eligibility(e, f"eligibility[{i}]")
                              for i, e in enumerate(self._listed(data, "eligibility", ""))))

    def _eligibility(self, data: Mapping[str, Any], where: str) -> Eligibility:
        gate = Eligibility(data["standard"], tuple(self._condition(c) for c in data["conditions"]))
        self._derived(f"{where}.ok", data["ok"], gate.ok)
        return gate

    def _application(self, data: Mapping[str, Any]) -> Application:
        categories = []
        for i, c in enumerate(data["categories"]):
            status = CategoryStatus(c["category"], c["name_zh"], c["name_en"],
                                    self._centi(c["required"], f"application.categories[{i}].required"),
                                    self._centi(c["credited"], f"application.categories[{i}].credited"))
            self._derived(f"application.categories[{i}].remaining",
                          self._centi(c["remaining"], f"application.categories[{i}].remaining"),
                          status.remaining_centi, _credits(status.remaining_centi))
            categories.append(status)
        application = Application(data["program"], data["name_zh"], data["name_en"],
                                  self._centi(data["total_required"], "application.total_required"),
                                  self._centi(data["credited"], "application.credited"), tuple(categories),
                                  tuple(data["courses_remaining"]))
        self._derived("application.remaining", self._centi(data["remaining"], "application.remaining"),
                      application.remaining_centi, _credits(application.remaining_centi))
        return application

    def _tally(self, data: Mapping[str, Any], where: str) -> Tally:
        amount = data["amount"]
        text = format((amount if isinstance(amount, Decimal)
                       else Decimal(repr(amount) if isinstance(amount, float) else amount)).normalize(), "f")
        return Tally(data["records"], data["unit"], text, self._centi(data["credits"], f"{where}.credits"),
                     self._centi(data["max"], f"{where}.max") if "max" in data else None,
                     self._centi(data["needed"], f"{where}.needed") if "needed" in data else None,
                     data.get("course"))

    def _limit(self, data: Mapping[str, Any], where: str) -> Limit:
        from .limits import LIMIT_KINDS

        fields = dict(data["limit"])
        kind = {k.kind: k for k in LIMIT_KINDS}[fields.pop("kind")]
        key = kind(**fields)
        read = self._count if kind.counted else self._centi
        return Limit(key, read(data["max"], f"{where}.max"), read(data["room"], f"{where}.room"),
                     read(data["asked"], f"{where}.asked"))

    @staticmethod
    def _target(data: Mapping[str, Any]) -> Target:
        if "courses" in data:
            return Target(courses=tuple(data["courses"]))
        if "outcome" in data:
            return Target(outcome=data["outcome"])
        return Target(category=data["category"])

    def _conflict(self, data: Mapping[str, Any]) -> Conflict:
        ((kind, shared),) = data["shared"].items()
        return Conflict(data["rule"], self._target(data["target"]), kind, shared)

    def _candidate(self, data: Mapping[str, Any], where: str) -> CandidateTrace:
        placed = data.get("placed")
        if (placed is not None) != (data["outcome"] in ("awarded", "capped")):
            self.problems.append(f"{where}.placed: present exactly when the outcome is awarded or capped")
        return CandidateTrace(
            data["rule"], tuple(data.get("achievements", ())), self._target(data["target"]),
            self._centi(data["credits"], f"{where}.credits"), data["outcome"],
            self._centi(placed, f"{where}.placed") if placed is not None else 0,
            self._conflict(data["conflict_with"]) if "conflict_with" in data else None,
            self._limit(data["limit"], f"{where}.limit") if "limit" in data else None,
            self._tally(data["tally"], f"{where}.tally") if "tally" in data else None,
            self._exclusion(data["excluded_by"]) if "excluded_by" in data else None,
            tuple(self._limit(limit, f"{where}.also_limits[{i}]")
                  for i, limit in enumerate(self._listed(data, "also_limits", f"{where}."))))

    @staticmethod
    def _exclusion(data: Mapping[str, Any]) -> Exclusion:
        return Exclusion(data["course"], data["history"]["course"], data["history"]["status"])

    def _condition(self, data: Mapping[str, Any]) -> ConditionResult:
        for key in ("required", "actual"):
            if _not_finite(data[key]):  # NaN never equals itself: what reads back would not be equal
                self.problems.append(f"condition {data['attribute']!r}.{key}: NaN and Infinity are not JSON numbers")
        return ConditionResult(data["attribute"], data["op"], _plain(data["required"]), _plain(data["actual"]),
                               data["ok"])

    def _rule_trace(self, data: Mapping[str, Any], where: str) -> RuleTrace:
        checks = []
        for i, c in enumerate(data["checks"]):
            check = SlotCheck(c["achievement"], c["slot"], tuple(self._condition(r) for r in c["conditions"]))
            self._derived(f"{where}.checks[{i}].ok", c["ok"], check.ok)
            checks.append(check)
        trace = RuleTrace(
            data["rule"], data["name_zh"], data["name_en"], data["standard"], data["version"], data["origin"],
            data["stage"], tuple(checks),
            tuple(self._candidate(c, f"{where}.candidates[{i}]") for i, c in enumerate(data["candidates"])),
            data.get("note"), self._tally(data["tally"], f"{where}.tally") if "tally" in data else None,
            tuple(self._condition(c) for c in self._listed(data, "requires", f"{where}.")))
        self._derived(f"{where}.result", data["result"], trace.result)
        return trace

    def _award(self, data: Mapping[str, Any], where: str) -> Award:
        credits = self._centi(data["credits"], f"{where}.credits")
        if ("asked" in data) != ("capped_by" in data):
            self.problems.append(f"{where}.asked: present exactly when capped_by is")
        courses = tuple(CourseInfo(c["code"], c["name_zh"], c["name_en"],
                                   self._centi(c["credits"], f"{where}.courses[{i}].credits"), c["category"])
                        for i, c in enumerate(data.get("courses", ())))
        return Award(
            data["rule"], data["rule_name_zh"], data["rule_name_en"], data["standard"], data["version"],
            data["target"], courses, data.get("category"), data.get("outcome"), credits,
            self._centi(data["asked"], f"{where}.asked") if "asked" in data else credits,
            data["grade"], tuple(data["achievements"]),
            self._limit(data["capped_by"], f"{where}.capped_by") if "capped_by" in data else None,
            self._tally(data["tally"], f"{where}.tally") if "tally" in data else None)

    def _unused(self, data: Mapping[str, Any], where: str) -> Unused:
        nearest = None
        missing: tuple[tuple[int, tuple[ConditionResult, ...]], ...] = ()
        if "nearest_miss" in data:
            miss = data["nearest_miss"]
            nearest = (miss["rule"], tuple(self._condition(c) for c in miss["failed"]))
            # a place no record filled has no actual value, and failed
            missing = tuple((place["slot"], tuple(self._condition({**c, "actual": None, "ok": False})
                                                  for c in place["conditions"]))
                            for place in self._listed(miss, "missing_places", f"{where}.nearest_miss."))
        if "detail" in data and not data["detail"]:
            self.problems.append(f"{where}.detail: left out when empty, never written as ''")
        return Unused(
            data["achievement"], data["code"], data["reason"], data.get("detail", ""), nearest,
            self._tally(data["tally"], f"{where}.tally") if "tally" in data else None,
            self._candidate(data["candidate"], f"{where}.candidate") if "candidate" in data else None,
            missing,
            tuple((e["rule"], tuple(self._condition(c) for c in e["failed"]))
                  for e in self._listed(data, "excluded_by", f"{where}.")),
            tuple(self._condition(c) for c in self._listed(data, "eligibility_failed", f"{where}.")))


def _not_finite(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, Decimal):
        return not value.is_finite()
    if isinstance(value, list):
        return any(_not_finite(v) for v in value)
    if isinstance(value, dict):
        return any(_not_finite(v) for v in value.values())
    return False


def _plain(value: Any) -> Any:
    """A value as ``json.loads`` gives it: numbers read as Decimal become floats again."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
