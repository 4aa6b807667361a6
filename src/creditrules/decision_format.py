"""The decision JSON as types: what every key holds, for mypy, for the JSON Schema and for reading back.

These ``TypedDict`` classes are the one description of the format. :meth:`Decision.to_dict`
is typed against them (so mypy checks that the writer keeps to the format),
:mod:`creditrules.schema` generates ``schema/decision.schema.json`` and the batch schemas from
them, and :meth:`Decision.from_dict` validates its input against them before building a
decision (so bad input gets a located message, never a ``KeyError``).

``FORMAT_VERSION`` is written as the first key of every decision and of every batch row. The
compatibility policy (what changes bump it, what a consumer may rely on) is in
``docs/contract.md``.

Credits are JSON numbers in credits (``20``, ``19.5``), always a whole number of hundredths; in
Python they are :class:`decimal.Decimal`. The JSON Schema says ``number`` and the reader
refuses anything finer than a hundredth.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Annotated, Any, Final, Literal

from pydantic import ConfigDict, Field, WithJsonSchema, with_config

if sys.version_info >= (3, 12):  # pragma: no cover - the typing module's own from 3.12
    from typing import NotRequired, TypedDict
else:  # pydantic reads typing_extensions' TypedDict on Python < 3.12
    from typing_extensions import NotRequired, TypedDict

__all__ = [
    "FORMAT_VERSION",
    "AchievementLimitJSON",
    "ApplicationJSON",
    "AwardJSON",
    "AwardRowJSON",
    "BudgetLimitJSON",
    "CandidateJSON",
    "CandidateOutcome",
    "CategoryCountLimitJSON",
    "CategoryLimitJSON",
    "CategoryStatusJSON",
    "CategoryTargetJSON",
    "ChainEntryJSON",
    "ConditionJSON",
    "ConflictJSON",
    "CourseJSON",
    "CoursesTargetJSON",
    "Credits",
    "Day",
    "DecisionJSON",
    "EligibilityJSON",
    "ExcludedByJSON",
    "ExclusionJSON",
    "GroupLimitJSON",
    "KindCountLimitJSON",
    "LimitJSON",
    "LimitKindJSON",
    "MissingConditionJSON",
    "MissingPlaceJSON",
    "NearestMissJSON",
    "Number",
    "OutcomeTargetJSON",
    "RejectRowJSON",
    "RejectedJSON",
    "RuleCreditLimitJSON",
    "RuleGroupCountLimitJSON",
    "RuleGroupCreditLimitJSON",
    "RuleTraceJSON",
    "RuleTraceResult",
    "RuleUsesLimitJSON",
    "SearchJSON",
    "SharedAchievementJSON",
    "SharedCourseJSON",
    "SlotCheckJSON",
    "StandardStampJSON",
    "TallyJSON",
    "TargetJSON",
    "TotalLimitJSON",
    "UnitJSON",
    "UnusedCandidateJSON",
    "UnusedJSON",
    "UnusedReason",
]

FORMAT_VERSION: Final = "1.0"
"""The version of the decision format: ``MAJOR.MINOR``; see ``docs/contract.md``."""

_STRICT = ConfigDict(extra="forbid")

# What the writer produces (int | float) and what the reader gets from JSON read with
# parse_float=Decimal (int | Decimal); the schema says a JSON number either way.
Credits = Annotated[int | float | Decimal,
                    WithJsonSchema({"type": "number", "description": "credits, a whole number of hundredths"})]
Number = Annotated[int | float | Decimal, WithJsonSchema({"type": "number"})]
Day = Annotated[str, WithJsonSchema({"type": "string", "format": "date",
                                     "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"})]
Version = Annotated[Literal["1.0"], WithJsonSchema({"const": FORMAT_VERSION, "type": "string"})]


@with_config(_STRICT)
class ConditionJSON(TypedDict):
    attribute: str
    op: str
    required: Any
    actual: Any
    ok: bool


@with_config(_STRICT)
class SlotCheckJSON(TypedDict):
    achievement: str
    slot: int
    ok: bool
    conditions: list[ConditionJSON]


@with_config(_STRICT)
class TallyJSON(TypedDict):
    records: int
    unit: str
    amount: Number
    credits: Credits
    course: NotRequired[str]  # an aggregate grouped ``by`` course: the course these records count toward
    max: NotRequired[Credits]
    needed: NotRequired[Credits]


@with_config(_STRICT)
class TotalLimitJSON(TypedDict):
    kind: Literal["total"]


@with_config(_STRICT)
class CategoryLimitJSON(TypedDict):
    kind: Literal["category"]
    category: str


@with_config(_STRICT)
class RuleCreditLimitJSON(TypedDict):
    kind: Literal["rule"]
    rule: str


@with_config(_STRICT)
class RuleUsesLimitJSON(TypedDict):
    kind: Literal["rule-uses"]
    rule: str


@with_config(_STRICT)
class AchievementLimitJSON(TypedDict):
    kind: Literal["achievement"]
    achievement: str


@with_config(_STRICT)
class KindCountLimitJSON(TypedDict):
    kind: Literal["kind-count"]
    achievement_kind: str


@with_config(_STRICT)
class GroupLimitJSON(TypedDict):
    kind: Literal["group"]
    group: str
    value: str


@with_config(_STRICT)
class CategoryCountLimitJSON(TypedDict):
    kind: Literal["category-count"]
    category: str


@with_config(_STRICT)
class RuleGroupCreditLimitJSON(TypedDict):
    kind: Literal["rule-group"]
    group: str


@with_config(_STRICT)
class RuleGroupCountLimitJSON(TypedDict):
    kind: Literal["rule-group-count"]
    group: str


@with_config(_STRICT)
class BudgetLimitJSON(TypedDict):
    kind: Literal["budget"]
    budget: str


LimitKindJSON = Annotated[
    TotalLimitJSON | CategoryLimitJSON | RuleCreditLimitJSON | RuleUsesLimitJSON | AchievementLimitJSON
    | KindCountLimitJSON | GroupLimitJSON | CategoryCountLimitJSON | RuleGroupCreditLimitJSON
    | RuleGroupCountLimitJSON | BudgetLimitJSON,
    Field(discriminator="kind")]


@with_config(_STRICT)
class LimitJSON(TypedDict):
    """A limit that stopped or cut an award: ``max``, ``room`` and ``asked`` are credits, or a
    count for the counted kinds (``rule-uses``, ``kind-count``, ``group``, ``category-count``,
    ``rule-group-count``)."""

    limit: LimitKindJSON
    max: Number
    room: Number
    asked: Number


@with_config(_STRICT)
class CoursesTargetJSON(TypedDict):
    courses: list[str]


@with_config(_STRICT)
class CategoryTargetJSON(TypedDict):
    category: str | None


@with_config(_STRICT)
class OutcomeTargetJSON(TypedDict):
    outcome: str


TargetJSON = CoursesTargetJSON | OutcomeTargetJSON | CategoryTargetJSON


@with_config(_STRICT)
class SharedCourseJSON(TypedDict):
    course: str


@with_config(_STRICT)
class SharedAchievementJSON(TypedDict):
    achievement: str


@with_config(_STRICT)
class ConflictJSON(TypedDict):
    rule: str
    target: TargetJSON
    shared: SharedCourseJSON | SharedAchievementJSON


@with_config(_STRICT)
class CourseHistoryJSON(TypedDict):
    course: str
    status: Literal["passed", "failed", "enrolled", "withdrawn"]


@with_config(_STRICT)
class ExclusionJSON(TypedDict):
    """Why a course award was suppressed by the learner's course history (``not_taken``): the course it
    would credit, and the course in the history that stops it, with its status."""

    course: str
    history: CourseHistoryJSON


CandidateOutcome = Literal["awarded", "capped", "conflict", "limit", "not-best", "excluded"]


@with_config(_STRICT)
class UnusedCandidateJSON(TypedDict):
    """A candidate as an unused achievement quotes it: without the other achievements and the tally."""

    rule: str
    target: TargetJSON
    credits: Credits
    outcome: CandidateOutcome
    placed: NotRequired[Credits]
    conflict_with: NotRequired[ConflictJSON]
    limit: NotRequired[LimitJSON]
    also_limits: NotRequired[list[LimitJSON]]  # for limit: every other limit that had no room for it either
    excluded_by: NotRequired[ExclusionJSON]


@with_config(_STRICT)
class CandidateJSON(TypedDict):
    rule: str
    achievements: list[str]
    target: TargetJSON
    credits: Credits
    outcome: CandidateOutcome
    placed: NotRequired[Credits]
    conflict_with: NotRequired[ConflictJSON]
    limit: NotRequired[LimitJSON]
    also_limits: NotRequired[list[LimitJSON]]  # for limit: every other limit that had no room for it either
    tally: NotRequired[TallyJSON]
    excluded_by: NotRequired[ExclusionJSON]


RuleTraceResult = Literal["awarded", "not-awarded", "no-match", "not-eligible"]


@with_config(_STRICT)
class RuleTraceJSON(TypedDict):
    rule: str
    name_zh: str
    name_en: str
    standard: str
    version: str
    origin: str
    stage: str
    result: RuleTraceResult
    checks: list[SlotCheckJSON]
    candidates: list[CandidateJSON]
    note: NotRequired[str]
    tally: NotRequired[TallyJSON]
    requires: NotRequired[list[ConditionJSON]]  # the rule's gate on the learner (``requires``), checked


@with_config(_STRICT)
class CourseJSON(TypedDict):
    code: str
    name_zh: str
    name_en: str
    credits: Credits
    category: str


@with_config(_STRICT)
class AwardJSON(TypedDict):
    rule: str
    rule_name_zh: str
    rule_name_en: str
    standard: str
    version: str
    target: Literal["course", "category", "outcome"]
    credits: Credits
    grade: str | None
    achievements: list[str]
    courses: NotRequired[list[CourseJSON]]
    category: NotRequired[str]
    outcome: NotRequired[str]
    asked: NotRequired[Credits]
    capped_by: NotRequired[LimitJSON]
    tally: NotRequired[TallyJSON]


@with_config(_STRICT)
class MissingConditionJSON(TypedDict):
    """A condition of a place no record filled: what it requires (there is no record to have an actual value)."""

    attribute: str
    op: str
    required: Any


@with_config(_STRICT)
class MissingPlaceJSON(TypedDict):
    slot: int
    conditions: list[MissingConditionJSON]


@with_config(_STRICT)
class NearestMissJSON(TypedDict):
    rule: str
    failed: list[ConditionJSON]
    # the other places of the nearest when_all rule that no record filled
    missing_places: NotRequired[list[MissingPlaceJSON]]


@with_config(_STRICT)
class ExcludedByJSON(TypedDict):
    """Another rule whose exclusions the achievement failed."""

    rule: str
    failed: list[ConditionJSON]


UnusedReason = Literal["unknown-code", "no-rule", "conditions", "too-little", "conflict", "limit", "not-best",
                       "excluded", "not-eligible"]


@with_config(_STRICT)
class UnusedJSON(TypedDict):
    achievement: str
    code: str | None
    reason: UnusedReason
    detail: NotRequired[str]
    nearest_miss: NotRequired[NearestMissJSON]
    excluded_by: NotRequired[list[ExcludedByJSON]]
    tally: NotRequired[TallyJSON]
    candidate: NotRequired[UnusedCandidateJSON]
    eligibility_failed: NotRequired[list[ConditionJSON]]  # not-eligible under the standard's eligibility


@with_config(_STRICT)
class RejectedJSON(TypedDict):
    achievement: str
    code: str | None
    reason_code: str
    reason: str
    reason_zh: str


@with_config(_STRICT)
class CategoryStatusJSON(TypedDict):
    category: str
    name_zh: str
    name_en: str
    required: Credits
    credited: Credits
    remaining: Credits


@with_config(_STRICT)
class ApplicationJSON(TypedDict):
    program: str
    name_zh: str
    name_en: str
    total_required: Credits
    credited: Credits
    remaining: Credits
    categories: list[CategoryStatusJSON]
    courses_remaining: list[str]


@with_config(_STRICT)
class ChainEntryJSON(TypedDict):
    id: str
    version: str
    content_hash: str


@with_config(_STRICT)
class StandardStampJSON(TypedDict):
    id: str
    version: str
    content_hash: str
    effective_from: Day
    effective_until: Day | None
    chain: list[ChainEntryJSON]


@with_config(_STRICT)
class SearchJSON(TypedDict):
    candidates: int
    components: int
    searched: int
    nodes: int
    optimal: bool


@with_config(_STRICT)
class UnitJSON(TypedDict):
    """What the credit numbers count: ``学分`` / ``credits`` unless the standard names its ``unit``."""

    zh: str
    en: str
    en_one: str  # the English singular, after 1


@with_config(_STRICT)
class EligibilityJSON(TypedDict):
    """A standard's eligibility gate checked against the learner: ``ok`` when every condition holds."""

    standard: str
    ok: bool
    conditions: list[ConditionJSON]


@with_config(_STRICT)
class DecisionJSON(TypedDict):
    """One decision: ``creditrules evaluate --format json``, and one line of ``creditrules batch``."""

    format_version: Version
    learner: str
    standard: StandardStampJSON
    as_of: Day
    engine_version: str
    unit: UnitJSON
    total: Credits
    total_cap: Credits | None
    by_category: dict[str, Credits]
    awards: list[AwardJSON]
    outcomes: list[AwardJSON]
    application: ApplicationJSON | None
    unused: list[UnusedJSON]
    rejected: list[RejectedJSON]
    search: SearchJSON
    eligibility: NotRequired[list[EligibilityJSON]]  # only standards with an eligibility gate
    trace_mode: NotRequired[Literal["full", "compact", "none"]]
    trace: NotRequired[list[RuleTraceJSON]]


@with_config(_STRICT)
class RejectRowJSON(TypedDict):
    """One line of ``creditrules batch``'s rejects (JSON lines): a record that could not be used."""

    format_version: Version
    line: int
    learner: str | None
    achievement: str | None
    code: str | None
    stage: str
    reason: str
    reason_zh: str
    reason_code: NotRequired[str]
    text: NotRequired[str]


@with_config(_STRICT)
class AwardRowJSON(TypedDict):
    """One row of ``creditrules batch --awards-csv``, as an object keyed by the CSV header:
    one row per course credited, one per category or outcome award. Empty cells are ``""``."""

    format_version: Version
    learner: str
    rule: str
    standard: str
    version: str
    target: Literal["course", "category", "outcome"]
    course: str
    course_name_zh: str
    course_name_en: str
    category: str
    outcome: str
    credits: Credits
    grade: str
    achievements: Annotated[str, WithJsonSchema({"type": "string", "description": "achievement ids joined by ';'"})]
    capped_by: Annotated[str, WithJsonSchema({"type": "string",
                                              "description": "the limit as kind:field:…, for reading only"})]
