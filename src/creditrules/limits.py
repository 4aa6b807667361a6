"""The kinds of limit a standard can set, one class each.

A limit is a value, not a text key: the evaluator charges candidates to it, the
allocator treats it as an opaque capacity, a decision carries it, and the
explanation words it — each of these asks the class, so a new kind of limit is a
new class here (plus its docs and tests), and nothing parses a string back apart.

``counted`` limits bound a number of things (achievements of a kind, events of a
group, uses of a rule); the others bound credits, in hundredths.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from .messages import LIMIT_LABELS


class LimitNames(Protocol):
    """What a limit needs to be put into words: names from the standard, in one language."""

    lang: str

    def category(self, category: str | None) -> str: ...

    def kind(self, kind: str) -> str: ...

    def group(self, group: str) -> str: ...

    def rule_group(self, group: str) -> str: ...


class LimitKind:
    """What every kind of limit answers. Subclasses are frozen dataclasses, so equal limits
    are one capacity wherever they are built."""

    kind: ClassVar[str]
    counted: ClassVar[bool] = False

    def fields(self) -> dict[str, str]:
        """The values that tell this limit from others of its kind, for JSON."""
        return {}

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **self.fields()}

    def label(self, names: LimitNames) -> str:
        """The limit in words, in ``names.lang``."""
        return LIMIT_LABELS[self.kind][names.lang].format(**self._label_values(names))

    def _label_values(self, names: LimitNames) -> dict[str, str]:
        return {}

    @property
    def display_id(self) -> str:
        """A one-line identifier for flat outputs (a CSV column); shown, never parsed."""
        return ":".join([self.kind, *self.fields().values()])


@dataclass(frozen=True, slots=True)
class TotalLimit(LimitKind):
    """Converted credits in total (``limits.total`` or ``max_fraction`` of the program)."""

    kind: ClassVar[str] = "total"


@dataclass(frozen=True, slots=True)
class CategoryLimit(LimitKind):
    """Credits into one category of the program (``limits.categories``)."""

    category: str
    kind: ClassVar[str] = "category"

    def fields(self) -> dict[str, str]:
        return {"category": self.category}

    def _label_values(self, names: LimitNames) -> dict[str, str]:
        return {"name": names.category(self.category)}


@dataclass(frozen=True, slots=True)
class RuleCreditLimit(LimitKind):
    """Credits one rule may give in all (a rule's ``max_credits``)."""

    rule: str
    kind: ClassVar[str] = "rule"

    def fields(self) -> dict[str, str]:
        return {"rule": self.rule}

    def _label_values(self, names: LimitNames) -> dict[str, str]:
        return {"name": self.rule}


@dataclass(frozen=True, slots=True)
class RuleUsesLimit(LimitKind):
    """How many awards one rule may make (a rule's ``max_uses``)."""

    rule: str
    kind: ClassVar[str] = "rule-uses"
    counted: ClassVar[bool] = True

    def fields(self) -> dict[str, str]:
        return {"rule": self.rule}

    def _label_values(self, names: LimitNames) -> dict[str, str]:
        return {"name": self.rule}


@dataclass(frozen=True, slots=True)
class AchievementLimit(LimitKind):
    """Credits one achievement may bring in all (``limits.per_achievement``)."""

    achievement: str
    kind: ClassVar[str] = "achievement"

    def fields(self) -> dict[str, str]:
        return {"achievement": self.achievement}

    def _label_values(self, names: LimitNames) -> dict[str, str]:
        return {"name": self.achievement}


@dataclass(frozen=True, slots=True)
class KindCountLimit(LimitKind):
    """How many achievements of one kind may count (``limits.count``)."""

    achievement_kind: str
    kind: ClassVar[str] = "kind-count"
    counted: ClassVar[bool] = True

    def fields(self) -> dict[str, str]:
        return {"achievement_kind": self.achievement_kind}

    def _label_values(self, names: LimitNames) -> dict[str, str]:
        return {"name": names.kind(self.achievement_kind)}


@dataclass(frozen=True, slots=True)
class GroupLimit(LimitKind):
    """How many achievements with one value of a key may count (``limits.groups``: the same
    competition event counts once)."""

    group: str
    value: str
    kind: ClassVar[str] = "group"
    counted: ClassVar[bool] = True

    def fields(self) -> dict[str, str]:
        return {"group": self.group, "value": self.value}

    def _label_values(self, names: LimitNames) -> dict[str, str]:
        return {"name": names.group(self.group), "value": self.value}


# ---------------------------------------------------------------- award limits: one class each, end to end

class RuleLike(Protocol):
    """What an award limit reads of a compiled rule."""

    @property
    def id(self) -> str: ...

    @property
    def target(self) -> str: ...

    @property
    def category(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Problem:
    """A reference an award limit could not resolve: where (keys under ``limits``), the code, the message."""

    keys: tuple[str | int, ...]
    code: str
    message: str


class AwardLimit(LimitKind):
    """A limit each award is charged to, decided by the award's rule and courses alone: the same for every
    learner, so the plan works it out once per ruleset and a learner pays only for awards it can make.

    A new kind of award limit is one subclass here, answering everything the engine asks of it:

    - ``compile``: the standard's ``limits`` entry → (limit, capacity) pairs, and problems with its references;
    - ``charged``: whether an award of this rule, crediting these categories, is charged (the solver sees a
      credit cap, or a count cap of one per award when ``counted``);
    - ``label`` (from :class:`LimitKind`): the limit in words, from the one zh/en catalogue;
    - ``most``: the most an award of a rule can charge it in one decision (None: no bound), for the static
      analysis (A020, a limit that never binds);

    plus its YAML shape in ``model.Limits``, its label in ``messages.LIMIT_LABELS``, docs and tests.
    """

    yaml_key: ClassVar[str]
    shared: ClassVar[bool] = False  # True: one capacity across the standards evaluate_many decides together

    @classmethod
    def compile(cls, raw: Any, categories: Iterable[str], rules: Iterable[str]
                ) -> tuple[list[tuple[AwardLimit, int]], list[Problem]]:
        raise NotImplementedError

    def charged(self, rule: RuleLike, categories: frozenset[str]) -> bool:
        raise NotImplementedError


def _centi(value: Any) -> int:
    from decimal import ROUND_FLOOR, Decimal

    return int((Decimal(str(value)) * 100).to_integral_value(rounding=ROUND_FLOOR))


def _unknown(what: str, name: str, known: Iterable[str]) -> str:
    from .errors import did_you_mean

    return f"unknown {what} '{name}'{did_you_mean(name, list(known))}"


@dataclass(frozen=True, slots=True)
class CategoryCountLimit(AwardLimit):
    """How many awards may go into one category (``limits.category_counts``): a course award counts once
    toward each category its courses are in, a category award toward its category."""

    category: str
    kind: ClassVar[str] = "category-count"
    counted: ClassVar[bool] = True
    yaml_key: ClassVar[str] = "category_counts"

    def fields(self) -> dict[str, str]:
        return {"category": self.category}

    def _label_values(self, names: LimitNames) -> dict[str, str]:
        return {"name": names.category(self.category)}

    @classmethod
    def compile(cls, raw: Mapping[str, Any], categories: Iterable[str], rules: Iterable[str]
                ) -> tuple[list[tuple[AwardLimit, int]], list[Problem]]:
        known = sorted(categories)
        problems = [Problem((cls.yaml_key, key), "C050", _unknown("category", key, known))
                    for key in raw if known and key not in known]
        return [(cls(key), value.max_count) for key, value in sorted(raw.items())], problems

    def charged(self, rule: RuleLike, categories: frozenset[str]) -> bool:
        return self.category in categories


@dataclass(frozen=True, slots=True)
class _RuleGroupLimit(AwardLimit):
    """A limit on a set of rules together (``limits.rule_groups``): what its two kinds share."""

    group: str
    rules: frozenset[str] = frozenset()  # empty on a limit read back from a decision (its JSON names the group)
    yaml_key: ClassVar[str] = "rule_groups"

    def fields(self) -> dict[str, str]:
        return {"group": self.group}

    def _label_values(self, names: LimitNames) -> dict[str, str]:
        return {"name": names.rule_group(self.group)}

    def charged(self, rule: RuleLike, categories: frozenset[str]) -> bool:
        return rule.id in self.rules


@dataclass(frozen=True, slots=True)
class RuleGroupCreditLimit(_RuleGroupLimit):
    """Credits a set of rules may give together (``limits.rule_groups[].max_credits``)."""

    kind: ClassVar[str] = "rule-group"

    @classmethod
    def compile(cls, raw: Iterable[Any], categories: Iterable[str], rules: Iterable[str]
                ) -> tuple[list[tuple[AwardLimit, int]], list[Problem]]:
        return _rule_groups(raw, rules, "max_credits", lambda g, members: cls(g.id, members), _centi)


@dataclass(frozen=True, slots=True)
class RuleGroupCountLimit(_RuleGroupLimit):
    """Awards a set of rules may make together (``limits.rule_groups[].max_count``)."""

    kind: ClassVar[str] = "rule-group-count"
    counted: ClassVar[bool] = True

    @classmethod
    def compile(cls, raw: Iterable[Any], categories: Iterable[str], rules: Iterable[str]
                ) -> tuple[list[tuple[AwardLimit, int]], list[Problem]]:
        # the rule references are reported once, by RuleGroupCreditLimit
        found, _ = _rule_groups(raw, rules, "max_count", lambda g, members: cls(g.id, members), int)
        return found, []


def _rule_groups(raw: Iterable[Any], rules: Iterable[str], field: str, make: Any, capacity: Any
                 ) -> tuple[list[tuple[AwardLimit, int]], list[Problem]]:
    known = list(rules)
    found: list[tuple[AwardLimit, int]] = []
    problems: list[Problem] = []
    for index, group in enumerate(raw):
        for rule_index, rule_id in enumerate(group.rules):
            if rule_id not in known:
                problems.append(Problem(("rule_groups", index, "rules", rule_index), "C055",
                                        _unknown("rule", rule_id, known)))
        value = getattr(group, field)
        if value is not None:
            found.append((make(group, frozenset(group.rules)), capacity(value)))
    return found, problems


@dataclass(frozen=True, slots=True)
class BudgetLimit(AwardLimit):
    """Credits from every standard that declares the budget (``limits.shared``), together: "at most 20 credits
    from all non-traditional sources" across an examination, a competition and a training standard. Decided
    alone, a standard's awards are charged to it as to a total; decided together (``evaluate_many``), the
    awards of every standard that declares it share one capacity, in one allocation."""

    budget: str
    name_zh: str = ""  # empty on a limit read back from a decision (its JSON names the budget): labelled by id
    name_en: str = ""
    kind: ClassVar[str] = "budget"
    yaml_key: ClassVar[str] = "shared"
    shared: ClassVar[bool] = True  # one capacity across standards decided together

    def fields(self) -> dict[str, str]:
        return {"budget": self.budget}

    def _label_values(self, names: LimitNames) -> dict[str, str]:
        return {"name": (self.name_zh if names.lang == "zh" else self.name_en) or self.budget}

    @classmethod
    def compile(cls, raw: Any, categories: Iterable[str], rules: Iterable[str]
                ) -> tuple[list[tuple[AwardLimit, int]], list[Problem]]:
        if raw is None:
            return [], []
        return [(cls(raw.id, raw.name_zh, raw.name_en), _centi(raw.max))], []

    def charged(self, rule: RuleLike, categories: frozenset[str]) -> bool:
        return True


# the award limits, in the order they are compiled (and charged)
AWARD_LIMITS: tuple[type[AwardLimit], ...] = (CategoryCountLimit, RuleGroupCreditLimit, RuleGroupCountLimit,
                                              BudgetLimit)

LIMIT_KINDS: tuple[type[LimitKind], ...] = (TotalLimit, CategoryLimit, RuleCreditLimit, RuleUsesLimit,
                                            AchievementLimit, KindCountLimit, GroupLimit, *AWARD_LIMITS)
