"""A004: one achievement two rules need, which only one of them may use (``reusable`` missing).

An award uses its achievements for itself unless both rules are ``reusable``. So when two rules take the
same achievement and credit different things (no course in common), a learner who holds it gets only one of
the two awards — the allocator keeps the better one and the other is silently lost. An expert who meant the
certificate to earn both forgot ``reusable: true``; one who meant "one or the other" allows A004.

Only rules that both give whole courses are compared: a course from one rule and credits into a category
from another is the usual "the course, or else elective credits", meant to exclude each other. Not reported
either: pairs that share a course (a course is credited once whatever ``reusable`` says); pairs whose awards
together exceed the per-achievement limit (which keeps them apart anyway); pairs A001 already reports (both
not reusable, one priority, the same credits: there the order decides, and A001 names ``reusable``);
aggregates (what they give depends on the sum).

One finding per set of rules linked by the codes they take, at the later rule of the first pair, listing the
first pairs and counting the rest; pairs are counted per class of rules (``rivals.py``), never one by one.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator

import networkx as nx

from ..compiled import CompiledRule, CompiledRuleset
from ..errors import Diagnostic
from .context import Context, example
from .overlap import Unit, units
from .rivals import linked_pairs, more


def _units(context: Context, rule: CompiledRule, ruleset: CompiledRuleset) -> list[Unit]:
    return context.remember(("units", id(ruleset), rule.index), lambda: units(rule, ruleset))  # type: ignore[no-any-return]


def _award(units_: list[Unit]) -> Hashable:
    """What a rule gives, as one value: its courses, or its category or outcome."""
    courses = tuple(sorted({c for u in units_ for c in u.courses}))
    return courses if courses else (units_[0].category, units_[0].outcome)


def _order_decides(one: CompiledRule, other: CompiledRule, u1: list[Unit], u2: list[Unit]) -> bool:
    """The pairs A001 looks at: both not reusable, one priority, the same credits, the same kind of award."""
    return (not one.reusable and not other.reusable and one.priority == other.priority
            and sum(u.credits for u in u1) == sum(u.credits for u in u2) and bool(u1[0].courses) == bool(u2[0].courses))


def _exclusive(one: CompiledRule, other: CompiledRule, u1: list[Unit], u2: list[Unit],
               per_achievement: int | None) -> bool:
    """Whether an achievement both rules take can earn only one of the two awards, for want of ``reusable``."""
    if one.reusable and other.reusable:
        return False
    c1 = {c for u in u1 for c in u.courses}
    c2 = {c for u in u2 for c in u.courses}
    if not c1 or not c2 or c1 & c2:
        return False
    if per_achievement is not None and sum(u.credits for u in (*u1, *u2)) > per_achievement:
        return False  # the per-achievement limit keeps the two apart anyway
    return not _order_decides(one, other, u1, u2)


def _sets(context: Context, ruleset: CompiledRuleset, rules: list[CompiledRule]) -> list[list[CompiledRule]]:
    """Rules linked by the codes they take, each set in the file's order."""
    graph = nx.Graph()
    for rule in rules:
        graph.add_node(rule.index)
        for region in context.regions(ruleset, rule):
            graph.add_edges_from((rule.index, ("code", code)) for code in region.codes)
    return [[ruleset.rules[i] for i in sorted(n for n in component if isinstance(n, int))]
            for component in nx.connected_components(graph)]


def check(context: Context) -> Iterator[Diagnostic]:
    for ruleset in context.rulesets():
        rules = [r for r in ruleset.rules if r.shape != "aggregate" and _units(context, r, ruleset)]
        for members in _sets(context, ruleset, rules):
            if len(members) > 1:
                yield from _finding(context, ruleset, members)


def _finding(context: Context, ruleset: CompiledRuleset, members: list[CompiledRule]) -> Iterator[Diagnostic]:
    keys: dict[Hashable, int] = {}
    first_of: dict[int, CompiledRule] = {}
    classes = []
    for rule in members:
        key = (context.region_key(ruleset, rule), rule.reusable, rule.priority, tuple(_units(context, rule, ruleset)))
        if key not in keys:
            keys[key] = len(keys)
            first_of[keys[key]] = rule
        classes.append(keys[key])
    awards_of: dict[Hashable, int] = {}
    awards = [awards_of.setdefault(_award(_units(context, r, ruleset)), len(awards_of)) for r in members]

    def meet(one: CompiledRule, other: CompiledRule) -> str | None:
        for s1 in context.regions(ruleset, one):
            for s2 in context.regions(ruleset, other):
                both = s1.meet(s2)
                if both is not None and not both.empty():
                    return example(both, ruleset)
        return None

    def links(c1: int, c2: int, differ: bool) -> bool:
        one, other = first_of[c1], first_of[c2]
        return differ and _exclusive(one, other, _units(context, one, ruleset), _units(context, other, ruleset),
                                     ruleset.limits.per_achievement) and meet(one, other) is not None

    found = linked_pairs(classes, awards, links)
    if not found.pairs:
        return
    shown = []
    for i, j in found.shown:
        one, other = members[i], members[j]
        sample = meet(one, other)
        if sample is not None:
            shown.append((one, other, sample))
    if not shown:
        return
    here = shown[0][1].origin.path
    advice = ("if one achievement should earn both, mark both rules `reusable: true`; if it should earn only one, "
              "allow A004 here")

    def pair(one: CompiledRule, other: CompiledRule, sample: str) -> str:
        alone = [r.id for r in (one, other) if not r.reusable]
        return (f"'{one.id}' ({context.where(one, here)}, gives {_gives(context, one, ruleset)}) and '{other.id}' "
                f"({context.where(other, here)}, gives {_gives(context, other, ruleset)}), e.g. {sample}, where "
                f"{' and '.join(repr(a) for a in alone)} {'is' if len(alone) == 1 else 'are'} not reusable")

    if found.pairs == 1:
        one, other, sample = shown[0]
        message = (f"rules {pair(one, other, sample)}: one achievement both take earns only one of the two awards, "
                   f"and the learner silently loses the other; {advice}")
    else:
        listed = "; ".join(pair(*entry) for entry in shown)
        message = (f"{found.pairs} pairs of rules take one achievement that earns only one of the two awards: "
                   f"{listed}{more(found.pairs - len(shown), 'pair')}; {advice}")
    yield context.at_rule(shown[0][1], ("id",), "A004", message)


def _gives(context: Context, rule: CompiledRule, ruleset: CompiledRuleset) -> str:
    return ", ".join(u.label() for u in _units(context, rule, ruleset))
