"""The standard format: what an education official writes, field by field.

These pydantic models are the single source of truth for the YAML format; the
JSON Schema (``creditrules schema``) and docs/standard-format.md follow them.
Every model refuses unknown keys, so a misspelt key is an error, not a silent
no-op. Cross-references (a course code in a rule, a scale named by a kind) are
checked later by the compiler, which sees the whole inheritance chain.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    Tag,
    WithJsonSchema,
    model_validator,
)

from .dates import day_or_raise
from .normalise import normalise_value

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9+._-]*$", max_length=64)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=80)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
# a day is YYYY-MM-DD and nothing else (no timestamps, week dates or times): see dates.py
Day = Annotated[date, PlainValidator(day_or_raise),
                WithJsonSchema({"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"})]


def _number_not_text(value: object) -> object:
    """Decimal would take '1e3' or "10" as numbers; a standard writes numbers as numbers."""
    if isinstance(value, (str, bool)):
        raise ValueError(f"expected a number, not {'true/false' if isinstance(value, bool) else repr(value)}; "
                         "write it without quotes, e.g. 4 or 2.5")
    return value


NumberOnly = BeforeValidator(_number_not_text)

# Decimal keeps 0.1 + 0.2 exact; the JSON Schema is written out so that it does not
# change with pydantic's version (editors only need "a number").
Credits = Annotated[Decimal, NumberOnly, Field(ge=0, le=10_000, decimal_places=2, allow_inf_nan=False),
                    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 10_000})]
PositiveCredits = Annotated[Decimal, NumberOnly, Field(gt=0, le=10_000, decimal_places=2, allow_inf_nan=False),
                            WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 10_000})]


MAX_NUMBER_DIGITS = 15  # what a float holds exactly; conditions compare numbers as floats


def _scalar(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool) and len(str(abs(value))) > MAX_NUMBER_DIGITS:
        raise ValueError(f"a number of {len(str(abs(value)))} digits is too large (at most {MAX_NUMBER_DIGITS}); "
                         "if it is a code or a name, put it in quotes")
    if isinstance(value, (bool, int, float, str)):
        return value
    raise ValueError("expected text, a number or true/false")


_LARGEST = 10 ** MAX_NUMBER_DIGITS - 1
Scalar = Annotated[bool | int | float | str, PlainValidator(_scalar),
                   WithJsonSchema({"anyOf": [{"type": ["string", "boolean"]},
                                             {"type": "number", "not": {"type": "integer"}},
                                             {"type": "integer", "minimum": -_LARGEST, "maximum": _LARGEST}]})]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Named(_Model):
    name_zh: Name = Field(description="Chinese name, shown in zh explanations.")
    name_en: Name = Field(description="English name, shown in en explanations.")


# ---------------------------------------------------------------- catalogs

class Scale(Named):
    """An ordered scale, lowest first: 初级 < 中级 < 高级."""

    levels: list[Name] = Field(min_length=1, description="Levels from lowest to highest (Chinese labels).",
                               json_schema_extra={"uniqueItems": True})
    levels_en: list[Name] | None = Field(None, description="English labels, same order and length as levels.")

    @model_validator(mode="after")
    def _labels_line_up(self) -> Scale:
        if len(set(self.levels)) != len(self.levels):
            raise ValueError("levels must not repeat")
        if self.levels_en is not None and len(self.levels_en) != len(self.levels):
            raise ValueError(f"levels_en has {len(self.levels_en)} labels but levels has {len(self.levels)}")
        return self


class AttributeType(str, Enum):
    SCALE = "scale"
    NUMBER = "number"
    TEXT = "text"
    CHOICE = "choice"
    BOOL = "bool"
    DATE = "date"


class Attribute(_Model):
    """One attribute that achievements of a kind carry (level, hours, award…)."""

    model_config = ConfigDict(json_schema_extra={"allOf": [
        {"if": {"properties": {"type": {"const": "scale"}}, "required": ["type"]},
         "then": {"required": ["scale"], "properties": {"scale": {"type": "string"}}}},
        {"if": {"properties": {"type": {"const": "choice"}}, "required": ["type"]},
         "then": {"required": ["values"], "properties": {"values": {"type": "array", "minItems": 1}}}},
    ]})

    type: AttributeType
    scale: Id | None = Field(None, description="For type scale: the scale's id.")
    values: list[Name] | None = Field(None, description="For type choice: the allowed values.")
    min: StrictFloat | None = Field(None, description="For type number: smallest allowed value.")
    max: StrictFloat | None = Field(None, description="For type number: largest allowed value.")
    required: StrictBool = Field(False, description="A record without it is rejected.")
    name_zh: Name | None = None
    name_en: Name | None = None

    @model_validator(mode="after")
    def _fits_type(self) -> Attribute:
        if self.type is AttributeType.SCALE and self.scale is None:
            raise ValueError("an attribute of type scale needs 'scale: <scale id>'")
        if self.type is AttributeType.CHOICE and not self.values:
            raise ValueError("an attribute of type choice needs 'values: [...]'")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min:g} is above max {self.max:g}")
        return self


class Kind(Named):
    """A kind of achievement: certificate, competition, practice…"""

    attributes: dict[Id, Attribute] = Field(default_factory=dict)


# the four tiers of a credit bank's service network, from the top (DOMAIN.md)
ServiceTier = Literal["management-centre", "certification-centre", "sub-centre", "acceptance-point"]


class CatalogEntry(Named):
    """One achievement code, of one kind."""

    kind: Id
    region: Name | None = Field(None, description="The bank that issues this code, for mutual recognition.")
    attributes: dict[Id, Scalar] = Field(
        default_factory=dict, description="Attributes every record of this code has (a qualification's grade, "
                                          "its job field): a record may leave them out, and is rejected if it "
                                          "says otherwise.")
    certified_by: list[ServiceTier] | None = Field(
        None, description="The tiers of the bank's service network whose units may certify outcomes of this code; "
                          "the learner's account (creditrules.ledger) keeps an outcome certified by any other unit "
                          "out of a decision, with the reason. Default: no certifying unit is needed.")
    reconvertible: bool = Field(
        False, description="An outcome of this code may count in more than one recorded decision (hours that "
                           "accumulate, say); by default an outcome converted once is not converted again.")


class Equivalence(_Model):
    """Mutual recognition (互认): a code of another region's bank counts as one of ours."""

    code: Code = Field(description="The other bank's code, as it arrives in records.")
    same_as: Code = Field(description="The catalog code it counts as.")
    region: Name | None = None
    basis: str | None = Field(None, description="The agreement that declares the equivalence.")


# ---------------------------------------------------------------- programs

class Category(Named):
    required: Credits = Field(description="Credits the program requires in this category.")


class Course(Named):
    code: Code
    credits: PositiveCredits
    category: Id


class Program(Named):
    code: Code
    total_credits: PositiveCredits
    categories: dict[Id, Category] = Field(min_length=1)
    courses: list[Course] = Field(default_factory=list)


# ---------------------------------------------------------------- conditions

class Operators(_Model):
    """A condition on one attribute. Several operators all have to hold."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1})

    equals: Scalar | None = None
    not_equals: Scalar | None = None
    in_: list[Scalar] | None = Field(None, alias="in")
    not_in: list[Scalar] | None = None
    at_least: Scalar | None = Field(None, description="Numbers, or a level of an ordered scale.")
    at_most: Scalar | None = None
    above: Scalar | None = None
    below: Scalar | None = None
    within_years: Annotated[StrictInt, Field(gt=0, le=100)] | None = Field(
        None, description="For dates: no more than N years before the as-of date.")
    within_months: Annotated[StrictInt, Field(gt=0, le=1200)] | None = None
    on_or_after: Day | None = None
    before: Day | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Operators:
        if not self.model_fields_set:
            raise ValueError("a condition needs at least one operator, e.g. {at_least: 中级}")
        return self




def _condition_shape(value: object) -> str:
    if isinstance(value, (dict, Operators)):
        return "operators"
    return "list" if isinstance(value, list) else "value"


Condition = Annotated[
    Annotated[Scalar, Tag("value")] | Annotated[list[Scalar], Tag("list")] | Annotated[Operators, Tag("operators")],
    Discriminator(_condition_shape),
]
Slot = dict[Id, Condition]


# ---------------------------------------------------------------- the learner's context

CourseStatus = Literal["passed", "failed", "enrolled", "withdrawn"]
TAKEN_STATUSES: tuple[str, ...] = ("passed", "failed", "enrolled")  # "has taken": any of these; withdrawn is not


class ContextDeclaration(_Model):
    """What a standard reads from the learner's context beside their achievements: attributes
    such as hours in residence or program, typed as achievement attributes are."""

    attributes: dict[Id, Attribute] = Field(
        default_factory=dict, description="Context attributes a gate may test, e.g. residence_hours (number).")


class Gate(_Model):
    """Eligibility: conditions on the learner (context attributes and course history), not on an
    achievement. A standard's `eligibility` gates every award; a rule's `requires` gates its own."""

    attributes: dict[Id, Condition] = Field(
        default_factory=dict, description="Conditions on context attributes, written like a slot's conditions.")
    passed: list[Code] = Field(default_factory=list, description="Courses the learner must have passed, every one.")
    not_taken: list[Code] = Field(
        default_factory=list,
        description="Courses the learner must not have taken (no record passed, failed or enrolled).")

    @model_validator(mode="after")
    def _not_empty(self) -> Gate:
        if not self.model_fields_set:
            raise ValueError("a gate needs at least one of 'attributes', 'passed' or 'not_taken'")
        return self


class NotTaken(_Model):
    """No credit for a course the learner already has in their history, or whose higher course they passed."""

    statuses: list[CourseStatus] = Field(
        default_factory=lambda: list(TAKEN_STATUSES),
        description="History statuses that suppress an award of the same course (default passed, failed, enrolled; "
                    "[] switches the check off).")
    higher: dict[Code, list[Code]] = Field(
        default_factory=dict, description="Course → higher courses: a passed higher course suppresses the course.")


# ---------------------------------------------------------------- rules

class Rounding(str, Enum):
    DOWN = "down"
    NEAREST = "nearest"
    UP = "up"


class AggregateTarget(_Model):
    """One course's own ratio, rounding and cap in an aggregate grouped `by` target course."""

    per: Annotated[Decimal, NumberOnly, Field(gt=0, allow_inf_nan=False),
                   WithJsonSchema({"type": "number", "exclusiveMinimum": 0})] | None = Field(
        None, description="Units that earn `credits` for this course (default: the aggregate's).")
    credits: PositiveCredits | None = Field(None, description="Credits per `per` units (default: the aggregate's).")
    rounding: Rounding | None = None
    step: PositiveCredits | None = None
    max: Credits | None = Field(None, description="The most credits this course's records can give.")


class Aggregate(_Model):
    """Many records together: total hours (or a count of records) → credits at a ratio."""

    where: Slot = Field(description="Which records count, e.g. {kind: practice, verified: true}.")
    total: Id = Field(description="'count' to count records, or a number attribute to add up (hours).")
    per: Annotated[Decimal, NumberOnly, Field(gt=0, allow_inf_nan=False),
                   WithJsonSchema({"type": "number", "exclusiveMinimum": 0})] = Field(
        description="Units that earn `credits`.")
    credits: PositiveCredits = Field(description="Credits earned per `per` units.")
    rounding: Rounding = Rounding.DOWN
    step: PositiveCredits = Field(Decimal("0.5"), description="Credits are rounded to a multiple of this.")
    max: Credits | None = Field(None, description="The most credits this aggregate can give.")
    by: Id | None = Field(
        None, description="A record attribute naming the course it counts toward: records add up per course of the "
                          "grant, each course its own award.")
    targets: dict[Code, AggregateTarget] = Field(
        default_factory=dict, description="With `by`: a course's own per, credits, rounding, step or max.")


class GradeMap(_Model):
    """The grade recorded for a converted course, taken from an attribute."""

    from_: Id = Field(alias="from", description="The attribute whose value picks the grade.")
    map: dict[str, Name] = Field(min_length=1)
    default: Name | None = None


class Grant(_Model):
    """What a rule gives: whole courses, or credits into a category."""

    model_config = ConfigDict(json_schema_extra={
        "oneOf": [{"required": ["courses"]}, {"required": ["category"]}],
        "if": {"required": ["courses"]}, "then": {"not": {"required": ["credits"]}}})

    courses: list[Code] | None = Field(None, min_length=1, description="Whole courses, at their catalogue credits.")
    mode: Literal["together", "each"] = Field(
        "together", description="together: all courses or none; each: every course is a separate award.")
    category: Id | None = Field(None, description="A category to credit (elective, graduation total…).")
    credits: PositiveCredits | None = Field(None, description="For a category grant: how many credits.")
    grade: Name | GradeMap | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Grant:
        if (self.courses is None) == (self.category is None):
            raise ValueError("a grant names either 'courses' or 'category', exactly one of them")
        if self.courses is not None and self.credits is not None:
            raise ValueError("a course grant takes its credits from the course catalogue; remove 'credits'")
        return self


class Certify(_Model):
    """What a certification rule produces: a certified outcome with bank credits."""

    outcome: Code = Field(description="The catalog code of the certified outcome.")
    credits: PositiveCredits | None = Field(None, description="Bank credits, unless an aggregate computes them.")
    attributes: dict[Id, Scalar] = Field(default_factory=dict)


class Rule(Named):
    """One way to earn credit. Exactly one of when / when_all / aggregate, and
    exactly one of grant / certify."""

    model_config = ConfigDict(json_schema_extra={"allOf": [
        {"oneOf": [{"required": ["when"]}, {"required": ["when_all"]}, {"required": ["aggregate"]}]},
        {"oneOf": [{"required": ["grant"]}, {"required": ["certify"]}]},
        {"if": {"not": {"required": ["aggregate"]}},
         "then": {"properties": {"certify": {"required": ["credits"]},
                                 "grant": {"if": {"required": ["category"]}, "then": {"required": ["credits"]}}}}},
    ]})

    id: Id
    description: str | None = None
    priority: StrictInt = Field(0, description="Higher wins ties between equally good outcomes.")
    when: Slot | None = Field(None, description="One achievement meeting all these conditions.")
    when_all: list[Slot] | None = Field(None, min_length=2, description="Several achievements together, one per entry.")
    aggregate: Aggregate | None = None
    grant: Grant | None = None
    certify: Certify | None = None
    max_credits: Credits | None = Field(None, description="The most credits all awards of this rule may give.")
    max_uses: Annotated[StrictInt, Field(ge=1)] | None = Field(None, description="The most awards this rule may make.")
    reusable: StrictBool = Field(False, description="Achievements this rule uses may also serve other reusable rules.")
    replaces: StrictBool = Field(
        False, description="In a standard that extends another: replace the parent's rule of this id.")
    requires: Gate | None = Field(None, description="Conditions on the learner this rule needs (context, courses).")
    not_taken: NotTaken | None = Field(
        None, description="This rule's own course-history exclusions, in place of the standard's `not_taken`.")

    @model_validator(mode="after")
    def _shape(self) -> Rule:
        shapes = [s for s in ("when", "when_all", "aggregate") if getattr(self, s) is not None]
        if len(shapes) != 1:
            raise ValueError("a rule needs exactly one of 'when', 'when_all' or 'aggregate'"
                             + (f", not {' and '.join(shapes)}" if shapes else ""))
        if (self.grant is None) == (self.certify is None):
            raise ValueError("a rule needs exactly one of 'grant' or 'certify'")
        if self.certify is not None and self.certify.credits is None and self.aggregate is None:
            raise ValueError("certify needs 'credits' unless the rule is an aggregate")
        if self.grant is not None and self.grant.category is not None and self.grant.credits is None \
                and self.aggregate is None:
            raise ValueError("a category grant needs 'credits' unless the rule is an aggregate")
        return self


# ---------------------------------------------------------------- decision tables

TABLE_ROW_KEYS = ("id", "name_zh", "name_en", "courses", "mode", "category", "credits", "grade", "outcome")


class TableRow(_Model):
    """One row of a decision table: conditions (every key that is not one of the row's own keys
    is an attribute, written as in ``when``) and what the row gives."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True,
                              json_schema_extra={"propertyNames": {"pattern": r"^[a-z0-9][a-z0-9._-]*$"}})
    __pydantic_extra__: dict[str, Condition] = Field(init=False)  # type: ignore[assignment]

    id: Id | None = Field(None, description="A stable key for the row: its rule id becomes TABLE[key]; "
                                            "without one it is TABLE/row-N.")
    name_zh: Name | None = Field(None, description="The row's own name; by default the table's, with the row.")
    name_en: Name | None = None
    courses: list[Code] | None = Field(None, min_length=1, description="Whole courses this row gives.")
    mode: Literal["together", "each"] | None = None
    category: Id | None = Field(None, description="The category this row credits (default: the table's).")
    credits: PositiveCredits | None = Field(None, description="Credits into the category, or bank credits certified.")
    grade: Name | GradeMap | None = None
    outcome: Code | None = Field(None, description="In a certification standard: the outcome this row certifies "
                                                   "(default: the table's).")

    @model_validator(mode="after")
    def _condition_names(self) -> TableRow:
        import re

        for name in self.model_extra or {}:
            if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", name) or len(name) > 80:
                raise ValueError(f"'{name}' is not an attribute name; a row's keys are attributes (lowercase ids) "
                                 f"and {', '.join(TABLE_ROW_KEYS)}")
        return self

    @property
    def conditions(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class DecisionTable(Named):
    """Many rules that differ only in a few values, written as rows (a DMN table with hit policy
    *unique*: one achievement meets at most one row). Every row compiles to one ordinary rule with
    the id ``TABLE/row-N`` (or ``TABLE/key``)."""

    id: Id
    description: str | None = None
    when: Slot = Field(default_factory=dict, description="Conditions every row shares, e.g. {kind: exam}.")
    category: Id | None = Field(None, description="The category rows credit, unless a row names its own.")
    mode: Literal["together", "each"] | None = None
    grade: Name | GradeMap | None = None
    outcome: Code | None = Field(None, description="In a certification standard: the outcome rows certify.")
    priority: StrictInt = 0
    reusable: StrictBool = False
    max_uses: Annotated[StrictInt, Field(ge=1)] | None = Field(None, description="For each row: the most awards.")
    replaces: StrictBool = Field(False, description="In a standard that extends another: replace the parent's "
                                                    "table of this id, every row of it.")
    rows: list[TableRow] = Field(min_length=1)


# ---------------------------------------------------------------- limits

class TotalLimit(_Model):
    model_config = ConfigDict(json_schema_extra={"oneOf": [{"required": ["max"]}, {"required": ["max_fraction"]}]})

    max: Credits | None = None
    max_fraction: Annotated[Decimal, NumberOnly, Field(gt=0, le=1),
                            WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 1})] | None = Field(
        None, description="A fraction of the program's total credits, e.g. 0.25.")

    @model_validator(mode="after")
    def _one(self) -> TotalLimit:
        if (self.max is None) == (self.max_fraction is None):
            raise ValueError("give exactly one of 'max' or 'max_fraction'")
        return self


class CreditLimit(_Model):
    max: Credits


class AchievementLimit(_Model):
    max_credits: Credits = Field(description="No single achievement yields more than this.")


class KindLimit(_Model):
    max_count: Annotated[StrictInt, Field(ge=0)] = Field(
        description="At most this many achievements of the kind count.")


class GroupLimit(Named):
    """One use per group: achievements of these kinds that share `key` count at most `max` times."""

    id: Id
    kinds: list[Id] = Field(min_length=1)
    key: Id = Field(description="The attribute that defines the group, e.g. event or field.")
    max: Annotated[StrictInt, Field(ge=1)] = 1


class CountLimit(_Model):
    max_count: Annotated[StrictInt, Field(ge=0)] = Field(description="At most this many awards.")


class RuleGroupLimit(Named):
    """Awards of a set of rules together: at most `max_credits` credits and/or `max_count` awards."""

    id: Id
    rules: list[Id] = Field(min_length=1, description="The rules whose awards count together.")
    max_credits: Credits | None = Field(None, description="The most credits these rules may give together.")
    max_count: Annotated[StrictInt, Field(ge=0)] | None = Field(
        None, description="The most awards these rules may make together.")

    @model_validator(mode="after")
    def _some_limit(self) -> RuleGroupLimit:
        if self.max_credits is None and self.max_count is None:
            raise ValueError("a rule group needs 'max_credits', 'max_count' or both")
        return self


class SharedBudget(Named):
    """Credits shared by every standard that declares this budget (usually in a base they all extend), when one
    learner is decided against them together (``evaluate --standard A --standard B``)."""

    id: Id
    max: Credits = Field(description="The most credits all these standards give together.")


class Limits(_Model):
    total: TotalLimit | None = None
    categories: dict[Id, CreditLimit] = Field(default_factory=dict)
    per_achievement: AchievementLimit | None = None
    kinds: dict[Id, KindLimit] = Field(default_factory=dict)
    groups: list[GroupLimit] = Field(default_factory=list)
    category_counts: dict[Id, CountLimit] = Field(
        default_factory=dict, description="At most this many awards into a category (a course award counts "
                                           "toward its courses' categories).")
    rule_groups: list[RuleGroupLimit] = Field(
        default_factory=list, description="Credits and/or awards of a set of rules together.")
    shared: SharedBudget | None = Field(
        None, description="A budget of credits shared with every other standard that declares it, when decided "
                          "together.")


# ---------------------------------------------------------------- the standard

class StandardKind(str, Enum):
    BASE = "base"
    CERTIFICATION = "certification"
    CONVERSION = "conversion"


class Effective(_Model):
    from_: Day = Field(alias="from", description="First day in force (YYYY-MM-DD).")
    until: Day | None = Field(None, description="Last day in force; empty for open-ended.")

    @model_validator(mode="after")
    def _ordered(self) -> Effective:
        if self.until is not None and self.until < self.from_:
            raise ValueError(f"until {self.until} is before from {self.from_}")
        return self


class Source(_Model):
    citation: Annotated[str, StringConstraints(min_length=1, max_length=2000)] = Field(
        description="The published document this standard follows, or why it is illustrative.")
    url: str | None = None
    illustrative: StrictBool = Field(description="true when the standard is a made-up example, not a published rule.")


class Covers(_Model):
    """What the standard says its rules cover, so that validate can name what no rule takes (A010–A012)."""

    codes: Literal["all"] | list[Code] | None = Field(
        None, description="Catalog codes every one of which some rule must take; 'all' for every code this file's "
                          "catalog defines.")
    levels: dict[Id, Literal["all"] | list[Name]] = Field(
        default_factory=dict, description="Scale id → the levels ('all', or a list) at which some rule must take "
                                          "each covered code that has an attribute on the scale.")


class Unit(_Model):
    """The unit credit is counted in: 学分/credits (the default), semester hours, ECTS credits, bank credits."""

    name_zh: Name = Field(description="As Chinese text shows it after a number, e.g. 学分, 学时, 银行学分.")
    name_en: Name = Field(description="As English text shows it after a number, plural, e.g. semester hours.")
    name_en_one: Name | None = Field(None, description="The English singular, after 1 (default: name_en).")


class Standard(Named):
    """One version of one standard, as written in one YAML file."""

    id: Id
    # compared after normalisation: '2024.1 ' and '２０２４.１' are one version
    version: Annotated[str, BeforeValidator(normalise_value), StringConstraints(min_length=1, max_length=40)]
    kind: StandardKind
    effective: Effective
    source: Source
    extends: Id | None = Field(None, description="The id of the standard this one builds on (1+N).")
    uses: list[Id] = Field(default_factory=list, description="Certification standards whose outcomes feed this one.")
    scales: dict[Id, Scale] = Field(default_factory=dict)
    kinds: dict[Id, Kind] = Field(default_factory=dict)
    catalog: dict[Code, CatalogEntry] = Field(default_factory=dict)
    equivalences: list[Equivalence] = Field(default_factory=list)
    program: Program | None = None
    categories: dict[Id, Named] = Field(
        default_factory=dict, description="For an institution-wide conversion standard (no program): the categories "
                                          "its rules credit, which every program it applies to has.")
    limits: Limits | None = None
    rules: list[Rule] = Field(default_factory=list)
    tables: list[DecisionTable] = Field(default_factory=list, description="Decision tables: rules as rows.")
    covers: Covers | None = Field(None, description="Codes and levels the rules are meant to cover; checked by "
                                                    "'creditrules validate'.")
    unit: Unit | None = Field(None, description="The unit credit is counted in, for every output; default 学分/"
                                                "credits. A standard that extends another takes its unit.")
    remove_rules: list[Id] = Field(default_factory=list, description="Parent rule (or table) ids this standard "
                                                                     "drops.")
    context: ContextDeclaration | None = Field(
        None, description="Learner context attributes this standard reads (merged with its bases').")
    eligibility: Gate | None = Field(
        None, description="Conditions on the learner for any award of this standard (replaces a base's).")
    not_taken: NotTaken | None = Field(
        None, description="No course award for a course already taken, or whose higher course was passed "
                          "(replaces a base's).")
