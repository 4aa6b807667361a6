"""The kinds of limit a standard can set, one class each.

A limit is a value, not a text key: the evaluator charges candidates to it, the
allocator treats it as an opaque capacity, a decision carries it, and the
explanation words it — each of these asks the class, so a new kind of limit is a
new class here (plus its docs and tests), and nothing parses a string back apart.

``counted`` limits bound a number of things (achievements of a kind, events of a
group, uses of a rule); the others bound credits, in hundredths.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from .messages import LIMIT_LABELS


class LimitNames(Protocol):
    """What a limit needs to be put into words: names from the standard, in one language."""

    lang: str

    def category(self, category: str | None) -> str: ...

    def kind(self, kind: str) -> str: ...

    def group(self, group: str) -> str: ...


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


LIMIT_KINDS: tuple[type[LimitKind], ...] = (TotalLimit, CategoryLimit, RuleCreditLimit, RuleUsesLimit,
                                            AchievementLimit, KindCountLimit, GroupLimit)
