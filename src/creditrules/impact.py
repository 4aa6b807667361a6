"""What a change of standards does to learners: the same learners decided on both sides, compared.

Each learner is decided on the same as-of date on both sides; what differs is only
the standards. A learner *gains* or *loses* when the total credit changes; awards are
compared as (rule, what is credited, achievements used, credits, grade), so a change
in grade or in the achievement used also shows, under "changed" (same total).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .case_runner import collect
from .cases import learner_of
from .compiled import from_centi
from .decision import Award, Decision
from .errors import CreditRulesError
from .evaluator import evaluate
from .learner import Learner, load_learner
from .loader import is_standard_file
from .sources import Side
from .walk import files_under


@dataclass(frozen=True)
class Subject:
    """A learner to decide: on which standard, on which date, and where the record came from."""

    standard: str
    as_of: date
    learner: Learner
    source: str


@dataclass(frozen=True)
class AwardKey:
    rule: str
    target: str  # "C201", "C201+C202", "elective", "outcome ELD-CERT"
    achievements: tuple[str, ...]
    credits: int
    grade: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "target": self.target, "achievements": list(self.achievements),
                "credits": from_centi(self.credits), "grade": self.grade}


def award_key(award: Award) -> AwardKey:
    if award.courses:
        target = "+".join(c.code for c in award.courses)
    elif award.outcome is not None:
        target = f"outcome {award.outcome}"
    else:
        target = award.category or ""
    return AwardKey(award.rule, target, award.achievements, award.credits_centi, award.grade)


@dataclass(frozen=True)
class Outcome:
    """One side's decision for one subject, or why there is none."""

    total: int | None
    version: str | None
    awards: tuple[AwardKey, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class Change:
    subject: Subject
    old: Outcome
    new: Outcome
    lost: tuple[AwardKey, ...] = ()
    gained: tuple[AwardKey, ...] = ()

    @property
    def compared(self) -> bool:
        return self.old.total is not None and self.new.total is not None

    @property
    def delta(self) -> int:
        return (self.new.total or 0) - (self.old.total or 0) if self.compared else 0

    @property
    def status(self) -> str:
        if not self.compared:
            return "not compared"
        if self.delta > 0:
            return "gains"
        if self.delta < 0:
            return "loses"
        return "changed" if self.lost or self.gained else "unchanged"


@dataclass(frozen=True)
class RuleEffect:
    rule: str
    learners_gaining: int = 0
    learners_losing: int = 0
    credits: int = 0  # credits awarded by the rule on the new side minus the old side, all learners


@dataclass(frozen=True)
class Impact:
    old: Side
    new: Side
    learners_from: str
    changes: tuple[Change, ...]
    rules: tuple[RuleEffect, ...] = field(default=())

    def count(self, status: str) -> int:
        return sum(1 for c in self.changes if c.status == status)


# ---------------------------------------------------------------- learners

def case_subjects(folders: Iterable[Path], standard: str | None, as_of: date | None) -> tuple[list[Subject], list[str]]:
    """The learners of the decision cases under ``folders`` (the same learner on the same date once)."""
    subjects: list[Subject] = []
    seen: set[tuple[str, date, str]] = set()
    cases, errors = collect(folders)
    for case in cases:
        if standard is not None and case.standard != standard:
            continue
        try:
            learner = learner_of(case)
        except CreditRulesError as exc:
            errors.append(str(exc))
            continue
        day = as_of or case.as_of
        key = (case.standard, day, repr(learner))
        if key in seen:
            continue
        seen.add(key)
        subjects.append(Subject(case.standard, day, learner, f"{Path(case.file).name}: {case.name}"))
    return subjects, errors


def file_subjects(path: Path, standard: str, as_of: date) -> tuple[list[Subject], list[str]]:
    """Learner files (YAML or JSON) in a file or folder, and the folder entries not read (a broken
    link, a FIFO…: named, never skipped in silence); decision-case files are left out."""
    if not path.is_dir():
        return [Subject(standard, as_of, load_learner(path), str(path))], []
    files, skipped = files_under(path, lambda name: is_standard_file(Path(name)) or name.endswith(".json"))
    return ([Subject(standard, as_of, load_learner(f), str(f)) for f in files],
            [f"{s.path}: {s.reason}" for s in skipped])


# ---------------------------------------------------------------- deciding and comparing

def decide(side: Side, subject: Subject) -> Outcome:
    try:
        ruleset = side.ruleset(subject.standard, subject.as_of)
        decision: Decision = evaluate(ruleset, subject.learner, subject.as_of)
    except CreditRulesError as exc:
        return Outcome(None, None, error=str(exc))
    return Outcome(decision.total_centi, decision.standard.version,
                   tuple(sorted((award_key(a) for a in (*decision.outcomes, *decision.awards)),
                                key=lambda k: (k.rule, k.target, k.achievements))))


def compare(old: Side, new: Side, subjects: Iterable[Subject], learners_from: str) -> Impact:
    changes = []
    for subject in subjects:
        before, after = decide(old, subject), decide(new, subject)
        lost = Counter(before.awards) - Counter(after.awards)
        gained = Counter(after.awards) - Counter(before.awards)
        changes.append(Change(subject, before, after, tuple(sorted(lost.elements(), key=_order)),
                              tuple(sorted(gained.elements(), key=_order))))
    return Impact(old, new, learners_from, tuple(changes), _rule_effects(changes))


def _order(key: AwardKey) -> tuple[Any, ...]:
    return (key.rule, key.target, key.achievements)


def _rule_effects(changes: list[Change]) -> tuple[RuleEffect, ...]:
    gaining: Counter[str] = Counter()
    losing: Counter[str] = Counter()
    credits: Counter[str] = Counter()
    for change in changes:
        if not change.compared:
            continue
        per_rule: Counter[str] = Counter()
        for key in change.gained:
            per_rule[key.rule] += key.credits
        for key in change.lost:
            per_rule[key.rule] -= key.credits
        for rule in {k.rule for k in (*change.gained, *change.lost)}:
            credits[rule] += per_rule[rule]
            if per_rule[rule] > 0:
                gaining[rule] += 1
            elif per_rule[rule] < 0:
                losing[rule] += 1
    rules = set(gaining) | set(losing) | set(credits)
    return tuple(sorted((RuleEffect(r, gaining[r], losing[r], credits[r]) for r in rules),
                        key=lambda e: (e.credits, e.rule)))
