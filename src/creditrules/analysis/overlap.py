"""Rules that compete for one achievement: A001 (decided by file order), A002 (never awarded), A003 (shadowed).

Two awards cannot both be made when they credit the same course, or when they
use the same achievement and the rules are not both ``reusable``. The allocator
then keeps the better one; between equally good ones, the higher ``priority``,
then the rule written first. So:

* **A001** — two rules can take the same achievement, only one can be awarded,
  they give different things (courses, category, outcome or grade) worth the
  same credits, both whole courses or both credits, at the same priority: the
  file order decides silently. (Whole courses are always tried before category
  credits, so a course against category credits is not a tie.)
* **A002** — a rule takes nothing that another rule does not also take, and that
  other rule makes the same award (the same courses, or at least the same credits into
  the same category) and is preferred: the rule is never awarded. (In any set of
  awards the other rule could stand in for it, for as much credit and earlier.)
* **A003** — the same, but the other rule credits more courses: the rule is only a
  fallback, awarded when the other's extra courses go elsewhere or a limit stops it.

The other rule must have no ``max_uses`` or ``max_credits`` of its own, and must not
be exclusive (not ``reusable``) where the rule is ``reusable``; A001 only compares
rules that are both ``reusable`` or both not, since otherwise the credit that other
reusable rules add decides, not the order.

Aggregates are left out: what they give depends on how much the records add up to.

A large standard must not give a finding per pair: A001 is one finding per set of rivals (rules that
share a code, a priority, the ``reusable`` flag and what their awards are worth), listing the first
pairs and counting the rest, and the pairs are counted per class of rules (``rivals.py``), never
visited one by one. A002/A003 stay one per rule (at most one each), found through an index of what
the rules award.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..compiled import CompiledRule, CompiledRuleset, from_centi
from ..conditions import format_value
from ..errors import Diagnostic
from ..regions import SlotRegion, attribute_info, full
from .context import Context, example, sample_values, show_value
from .rivals import Links, Relation, linked_pairs, more


@dataclass(frozen=True)
class Unit:
    """One award a rule makes from one binding: courses, or credits into a category or outcome."""

    courses: tuple[str, ...]
    category: str | None
    outcome: str | None
    credits: int

    def label(self) -> str:
        if self.courses:
            return "+".join(self.courses)
        if self.outcome is not None:
            return f"outcome {self.outcome}"
        amount = format_value(float(from_centi(self.credits)))
        return f"{amount} credit{'' if self.credits == 100 else 's'} into {self.category}"


def units(rule: CompiledRule, ruleset: CompiledRuleset) -> list[Unit]:
    """The awards one binding of the rule makes (several for ``mode: each``)."""
    program = ruleset.program
    if rule.target == "courses":
        if program is None or any(c not in program.courses for c in rule.courses):
            return []
        groups = [(c,) for c in rule.courses] if rule.mode == "each" else [rule.courses]
        return [Unit(g, None, None, sum(program.courses[c].credits for c in g)) for g in groups]
    return [Unit((), rule.category, rule.outcome, rule.credits)]


def grade(rule: CompiledRule, shown: str | None) -> str | None:
    """The grade recorded for an achievement whose ``grade.from`` attribute is written ``shown``."""
    if rule.grade_from is None:
        return rule.grade
    if shown is not None:
        for key, value in rule.grade_map:
            if key == shown or _same_number(key, shown):
                return value
    return rule.grade_default


def _same_number(a: str, b: str) -> bool:
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def _units(context: Context, rule: CompiledRule, ruleset: CompiledRuleset) -> list[Unit]:
    return context.remember(("units", id(ruleset), rule.index), lambda: units(rule, ruleset))


def compete(r1: CompiledRule, u1: Unit, r2: CompiledRule, u2: Unit) -> bool:
    """True when the two awards, made from one shared achievement, exclude each other."""
    return bool(set(u1.courses) & set(u2.courses)) or not (r1.reusable and r2.reusable)


def check(context: Context) -> Iterator[Diagnostic]:
    for ruleset in context.rulesets():
        rules = [r for r in ruleset.rules if r.shape != "aggregate"]
        codes = {r.index: frozenset().union(*(s.codes for s in context.regions(ruleset, r))) for r in rules}
        awarding = _by_award(context, ruleset, rules)
        dead: set[int] = set()
        for loser in rules:
            found = _dominance(context, ruleset, loser, awarding, codes)
            if found is not None:
                dead.add(loser.index)
                yield _dominated(context, ruleset, loser, *found)
        yield from _ties(context, ruleset, [r for r in rules if r.index not in dead], codes)


# ---------------------------------------------------------------- A001

@dataclass(frozen=True)
class _Contest:
    """Two rules that compete for one achievement, what each gives it, and the achievement."""

    first: CompiledRule
    b1: tuple[Unit, ...]
    g1: str | None
    second: CompiledRule
    b2: tuple[Unit, ...]
    g2: str | None
    sample: str


def _ties(context: Context, ruleset: CompiledRuleset, rules: list[CompiledRule],
          codes: dict[int, frozenset[str]]) -> Iterator[Diagnostic]:
    """One A001 per set of rivals: rules that share a code, a priority and the ``reusable`` flag (and,
    when not reusable, the credits they give and whether as whole courses).

    Whether two rivals compete depends on their regions, codes, grades and flags (their class) and on
    whether their awards differ, so it is worked out once per pair of classes (see rivals.py)."""
    for members in _rivals(context, ruleset, rules, codes):
        found = linked_pairs(*_questions(context, ruleset, members, codes))
        if found.pairs:
            shown = [c for c in (_tie(context, ruleset, members[i], members[j]) for i, j in found.shown) if c]
            if shown:
                yield _competition(context, shown, found.pairs)


def _questions(context: Context, ruleset: CompiledRuleset, members: list[CompiledRule],
               codes: dict[int, frozenset[str]]) -> tuple[list[int], list[int], Links, Relation | None]:
    """What ``linked_pairs`` asks about a set of rivals: each one's class and award, whether two classes
    compete, and (reusable rules only: they contest course by course) how two awards relate."""
    classes, first_of = _ids([(_shape(context, ruleset, rule), codes[rule.index]) for rule in members], members)
    awards, having = _ids([tuple(_units(context, rule, ruleset)) for rule in members], members)
    regions = {c: context.regions(ruleset, rule) for c, rule in first_of.items()}

    def links(c1: int, c2: int, differ: bool) -> bool:
        one, other = first_of[c1], first_of[c2]
        if codes[one.index].isdisjoint(codes[other.index]):
            return False
        if one.grade_from is None and other.grade_from is None:  # one grade each, wherever they meet
            return (differ or one.grade != other.grade) and any(
                s1.intersects(s2) for s1 in regions[c1] for s2 in regions[c2])
        return _competes(context, ruleset, one, other, differ)

    def relation(a1: int, a2: int) -> bool | None:
        return _differ(context, ruleset, having[a1], having[a2])

    return classes, awards, links, relation if members[0].reusable else None


def _ids(keys: list[Hashable], members: list[CompiledRule]) -> tuple[list[int], dict[int, CompiledRule]]:
    """A small int per distinct key (in order of first appearance), and the first rule with each."""
    numbers: dict[Hashable, int] = {}
    first: dict[int, CompiledRule] = {}
    for key, rule in zip(keys, members):
        if key not in numbers:
            numbers[key] = len(numbers)
            first[numbers[key]] = rule
    return [numbers[key] for key in keys], first


def _rivals(context: Context, ruleset: CompiledRuleset, rules: list[CompiledRule],
            codes: dict[int, frozenset[str]]) -> list[list[CompiledRule]]:
    """The rules that may compete, in sets linked by what they share, each in the file's order: a code
    (reusable rules: a code and a course, the only thing they contest)."""
    buckets: dict[Hashable, list[tuple[CompiledRule, set[Hashable]]]] = {}
    for rule in rules:
        units_ = _units(context, rule, ruleset)
        if rule.reusable:
            shared: set[Hashable] = {(code, course) for code in codes[rule.index] for unit in units_
                                     for course in unit.courses}
            award: Hashable = ()
        else:
            shared = set(codes[rule.index])
            award = (sum(u.credits for u in units_), bool(units_[0].courses)) if units_ else None
        if shared and units_:
            buckets.setdefault((rule.priority, rule.reusable, award), []).append((rule, shared))
    found: list[list[CompiledRule]] = []
    for bucket in buckets.values():
        graph = nx.Graph()  # rules and what they share: rules that may meet are connected
        graph.add_nodes_from(rule.index for rule, _ in bucket)
        graph.add_edges_from((rule.index, ("shared", key)) for rule, keys in bucket for key in keys)
        for component in nx.connected_components(graph):
            members = sorted(node for node in component if isinstance(node, int))
            if len(members) > 1:
                found.append([ruleset.rules[index] for index in members])
    return found


def _shape(context: Context, ruleset: CompiledRuleset, rule: CompiledRule) -> Hashable:
    """All that decides whether the rule competes with another, except its awards."""
    return (context.region_key(ruleset, rule), rule.priority, rule.reusable, rule.grade, rule.grade_from,
            rule.grade_map, rule.grade_default)


def _differ(context: Context, ruleset: CompiledRuleset, first: CompiledRule, second: CompiledRule) -> bool | None:
    """None when the two rules contest nothing; else whether some contested pair of awards differs."""
    contests = _contests(context, first, second, ruleset)
    if not contests:
        return None
    return any(b1 != b2 for b1, b2 in contests)


def _meetings(context: Context, ruleset: CompiledRuleset, first: CompiledRule, second: CompiledRule
              ) -> Iterator[tuple[SlotRegion, dict[str, Any], str | None, str | None]]:
    """Achievements both rules take, one per value of the attributes their grades read: the region, the
    values, and the grade each rule would record."""
    for s1 in context.regions(ruleset, first):
        for s2 in context.regions(ruleset, second):
            both = s1.meet(s2)
            if both is None:
                continue
            both, points = _points(both, first, second, ruleset)
            for point in points:
                shown = {name: _shown(both, name, value) for name, value in point.items()}
                yield both, point, grade(first, shown.get(first.grade_from or "")), \
                    grade(second, shown.get(second.grade_from or ""))


def _competes(context: Context, ruleset: CompiledRuleset, first: CompiledRule, second: CompiledRule,
              differ: bool) -> bool:
    """Whether two rules whose contested awards differ (or not) compete: what ``_tie`` finds, without the awards."""
    return any(differ or g1 != g2 for _, _, g1, g2 in _meetings(context, ruleset, first, second))


def _tie(context: Context, ruleset: CompiledRuleset, first: CompiledRule, second: CompiledRule) -> _Contest | None:
    if first.priority != second.priority or first.reusable != second.reusable:
        return None  # a reusable rule leaves the achievement to other reusable rules: credit decides, not order
    pairs = _contests(context, first, second, ruleset)
    if not pairs:
        return None
    for both, point, g1, g2 in _meetings(context, ruleset, first, second):
        for b1, b2 in pairs:
            if (b1, g1) != (b2, g2):
                return _Contest(first, b1, g1, second, b2, g2, example(both, ruleset, point))
    return None


def _contests(context: Context, first: CompiledRule, second: CompiledRule, ruleset: CompiledRuleset
              ) -> list[tuple[tuple[Unit, ...], tuple[Unit, ...]]]:
    """What the two rules put against each other for one achievement, when it is worth the same to both.

    Reusable rules share the achievement, so they only contest a course, award by award. Other rules
    each want the achievement for themselves, with every award of one binding (``mode: each`` makes
    several), so they contest with all of them at once."""
    if first.reusable:
        return [((u1,), (u2,)) for u1 in _units(context, first, ruleset)
                for u2 in _units(context, second, ruleset)
                if set(u1.courses) & set(u2.courses) and u1.credits == u2.credits]
    b1, b2 = tuple(_units(context, first, ruleset)), tuple(_units(context, second, ruleset))
    if not b1 or not b2 or sum(u.credits for u in b1) != sum(u.credits for u in b2):
        return []
    if bool(b1[0].courses) != bool(b2[0].courses):
        return []  # whole courses always go before category credits
    return [(b1, b2)]


def _points(region: SlotRegion, first: CompiledRule, second: CompiledRule,
            ruleset: CompiledRuleset) -> tuple[SlotRegion, list[dict[str, Any]]]:
    """Values of the attributes the grades depend on, each combination one point to try, and the region
    with those attributes described (so that their values can be shown as written)."""
    names = sorted({r.grade_from for r in (first, second) if r.grade_from})
    points: list[dict[str, Any]] = [{}]
    for name in names:
        keys = [key for r in (first, second) for key, _ in r.grade_map]
        if name not in region.attributes:
            kinds = {ruleset.catalog[c].kind for c in region.codes}
            info = attribute_info(name, kinds, ruleset)
            if info is None:
                continue
            region = SlotRegion(region.codes, {**region.attributes, name: full(info, ruleset.scales)},
                                {**region.info, name: info}, region.scales, region.required)
        values = sample_values(region, name, [_parsed(k) for k in keys])
        points = [{**p, name: v} for p in points for v in values]
    return region, points


def _parsed(key: str) -> Any:
    try:
        return float(key)
    except ValueError:
        return key


def _shown(region: SlotRegion, name: str, value: Any) -> str | None:
    return None if value is None else show_value(name, value, region)


def _bundle(bundle: tuple[Unit, ...], grade_: str | None) -> str:
    return ", ".join(u.label() for u in bundle) + (f" grade {grade_}" if grade_ else "")


def _gives(contest: _Contest) -> str:
    credits = format_value(float(from_centi(sum(u.credits for u in contest.b1))))
    first, second = contest.first.id, contest.second.id
    return (f"'{first}' gives {_bundle(contest.b1, contest.g1)}, '{second}' gives {_bundle(contest.b2, contest.g2)}, "
            f"both {credits} credit{'' if credits == '1' else 's'} at priority {contest.first.priority}")


def _could_share(contest: _Contest) -> bool:
    """The two compete only because they are not ``reusable``: no course in common, not one category twice."""
    courses = [{c for u in bundle for c in u.courses} for bundle in (contest.b1, contest.b2)]
    if courses[0] & courses[1] or contest.first.reusable:
        return False
    if not courses[0] and not courses[1]:
        return {(u.category, u.outcome) for u in contest.b1}.isdisjoint({(u.category, u.outcome) for u in contest.b2})
    return True


REUSABLE_HINT = "; or, if one achievement should earn both, mark both rules `reusable: true`"


def _competition(context: Context, contests: list[_Contest], pairs: int) -> Diagnostic:
    """One pair as it always was; more as the first few and a count of the rest."""
    head = contests[0]
    here = head.second.origin.path
    hint = REUSABLE_HINT if _could_share(head) else ""
    if pairs == 1:
        first, second = head.first, head.second
        message = (f"rules '{first.id}' ({context.where(first, here)}) and '{second.id}' compete for one "
                   f"achievement, e.g. {head.sample}: {_gives(head)}, so when nothing else tells them apart their "
                   f"order in the file decides; give one a higher priority or make their conditions exclusive{hint}")
    else:
        shown = "; ".join(f"'{c.first.id}' ({context.where(c.first, here)}) and '{c.second.id}' "
                          f"({context.where(c.second, here)}), e.g. {c.sample}: {_gives(c)}" for c in contests)
        rest = more(pairs - len(contests), "pair")
        message = (f"{pairs} pairs of rules compete for one achievement, each decided by the order of the two in "
                   f"the file when nothing else tells them apart: {shown}{rest}; give the rule that should win a "
                   f"higher priority or make their conditions exclusive{hint}")
    return context.at_rule(head.second, ("id",), "A001", message)


# ---------------------------------------------------------------- A002 and A003

def _award_keys(unit: Unit) -> list[Hashable]:
    """What another rule's award must share with ``unit`` to stand in for it or contain it."""
    if unit.courses:
        return [("course", code) for code in unit.courses]
    return [("award", unit.category, unit.outcome)]


def _by_award(context: Context, ruleset: CompiledRuleset, rules: list[CompiledRule]
              ) -> dict[Hashable, list[CompiledRule]]:
    """The rules that could take another's place, by the courses or category their awards give, in file order."""
    index: dict[Hashable, list[CompiledRule]] = {}
    for rule in rules:
        if rule.shape == "one" and rule.max_uses is None and rule.max_credits is None:
            for key in dict.fromkeys(k for unit in _units(context, rule, ruleset) for k in _award_keys(unit)):
                index.setdefault(key, []).append(rule)
    return index


def _dominance(context: Context, ruleset: CompiledRuleset, loser: CompiledRule,
               awarding: dict[Hashable, list[CompiledRule]],
               codes: dict[int, frozenset[str]]) -> tuple[CompiledRule, str] | None:
    """A rule that takes every achievement ``loser`` takes and, award for award, either makes the
    same award and is preferred ("dead", A002), or makes a larger one ("shadowed", A003).

    Only rules whose awards share the first course (or category) of ``loser``'s first award can be
    either, so only those are looked at."""
    if loser.shape != "one":
        return None
    region = context.regions(ruleset, loser)[0]
    if region.empty():
        return None  # W002/W004 already say it can never fire
    lost = _units(context, loser, ruleset)
    if not lost:
        return None

    mine = codes[loser.index]
    candidates = []  # the rules that take all it takes, found while looking for one that makes it dead
    for winner in awarding.get(_award_keys(lost[0])[0], ()):
        if winner is loser or not (winner.reusable or not loser.reusable) or not mine <= codes[winner.index] \
                or not region.within(context.regions(ruleset, winner)[0]):
            continue
        won = _units(context, winner, ruleset)
        if all(any(_replaces(winner, w, loser, u) for w in won) for u in lost):
            return winner, "dead"
        candidates.append(winner)
    for winner in candidates:
        won = [w for w in _units(context, winner, ruleset) if _always_fits(w, ruleset)]
        if all(any(_contains(winner, w, loser, u) for w in won) for u in lost):
            return winner, "shadowed"
    return None


def _replaces(winner: CompiledRule, w: Unit, loser: CompiledRule, u: Unit) -> bool:
    """``w`` can stand in for ``u`` in any set of awards (same courses, or at least the same credits into
    the same category or outcome), and the evaluator prefers it."""
    if not compete(winner, w, loser, u):
        return False
    if u.courses:
        same = set(w.courses) == set(u.courses)
    else:
        same = not w.courses and (w.category, w.outcome) == (u.category, u.outcome) and w.credits >= u.credits
    preferred = winner.priority > loser.priority or (winner.priority == loser.priority and winner.index < loser.index)
    return same and preferred


def _contains(winner: CompiledRule, w: Unit, loser: CompiledRule, u: Unit) -> bool:
    """``w`` credits every course of ``u`` and more."""
    return compete(winner, w, loser, u) and bool(u.courses) and set(u.courses) < set(w.courses)


def _always_fits(unit: Unit, ruleset: CompiledRuleset) -> bool:
    """False when a limit every award of the unit counts against is smaller than the unit (W003)."""
    limits = ruleset.limits
    if ruleset.program is not None:
        shares: dict[str, int] = {}
        for code in unit.courses:
            course = ruleset.program.courses[code]
            shares[course.category] = shares.get(course.category, 0) + course.credits
        if any(share > limits.categories.get(category, share) for category, share in shares.items()):
            return False
    return all(cap is None or unit.credits <= cap for cap in (limits.total, limits.per_achievement))


def _all(rule: CompiledRule, ruleset: CompiledRuleset) -> str:
    return ", ".join(u.label() for u in units(rule, ruleset))


def _dominated(context: Context, ruleset: CompiledRuleset, loser: CompiledRule, winner: CompiledRule,
               how: str) -> Diagnostic:
    where = context.where(winner, loser.origin.path)
    gives, mine = _all(winner, ruleset), _all(loser, ruleset)
    if how == "dead":
        message = (f"rule '{loser.id}' can never be awarded: rule '{winner.id}' ({where}) takes every achievement "
                   f"it takes, gives at least as much ({gives}; this rule: {mine}) and is preferred (a higher "
                   f"priority, or written first); remove '{loser.id}' or narrow '{winner.id}'")
        return context.at_rule(loser, ("id",), "A002", message)
    message = (f"rule '{loser.id}' is shadowed by rule '{winner.id}' ({where}), which takes every achievement it "
               f"takes and gives more ({gives}; this rule: {mine}): '{loser.id}' is awarded only when "
               f"'{winner.id}' is not, because its other courses go to another award or a limit stops it; if that "
               f"fallback is meant, allow A003 here, otherwise remove '{loser.id}' or narrow '{winner.id}'")
    return context.at_rule(loser, ("id",), "A003", message)
