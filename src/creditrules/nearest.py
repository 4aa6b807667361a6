"""The nearest miss of an achievement that earned nothing: which rule came closest, and what it lacked.

Facts only; :mod:`creditrules.render` words them. Given every place of every rule the achievement was
tried in (with each condition's result):

- **How far a rule is** is the number of its conditions the achievement failed in that place, plus, for a
  ``when_all`` rule whose place the achievement fills, one for each *other* place: the achievement reached
  the nearest-miss stage without a candidate award, so no other record filled those places.
- **The closest rule** is the one with the fewest; on a tie, the earlier rule (then the earlier place).
- **Exclusions**: a rule other than the closest that the achievement failed *only* on exclusions
  (``not_equals``, ``not_in``: "industry-run contests excluded") is named too, with those conditions, so a
  learner sees that the record was excluded, not merely that another rule wanted something else.
- An aggregate rule whose conditions the achievement meets, but whose records added up too little, is a
  ``too-little`` miss with its tally.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .compiled import CompiledRule
from .decision import ConditionResult, SlotCheck, Tally, Unused

EXCLUSIONS = frozenset({"ne", "not_in"})


def _distance(rule: CompiledRule, check: SlotCheck) -> int:
    failed = len(check.failed)
    if failed == 0 and len(rule.slots) > 1:
        return len(rule.slots) - 1
    return failed


def _missing_places(rule: CompiledRule, check: SlotCheck) -> tuple[tuple[int, tuple[ConditionResult, ...]], ...]:
    """The other places of a ``when_all`` rule no record filled, each with the conditions it asks."""
    if check.failed or len(rule.slots) < 2:
        return ()
    return tuple((index, tuple(ConditionResult(c.attribute, c.op, c.required, None, False) for c in slot.conditions))
                 for index, slot in enumerate(rule.slots) if index != check.slot)


def nearest_miss(achievement: str, code: str | None, tried: Sequence[tuple[CompiledRule, SlotCheck]],
                 tallies: Mapping[str, Tally]) -> Unused:
    """Why ``achievement`` (tried in at least one place of a rule) earned nothing, as an :class:`Unused`."""
    rule, check = min(tried, key=lambda pair: (_distance(*pair), pair[0].index, pair[1].slot))
    if check.ok and rule.id in tallies:
        return Unused(achievement, code, "too-little", nearest=(rule.id, ()), tally=tallies[rule.id])
    excluded: dict[str, tuple[ConditionResult, ...]] = {}
    for other, other_check in tried:
        failed = other_check.failed
        if other.id != rule.id and failed and all(c.op in EXCLUSIONS for c in failed):
            excluded.setdefault(other.id, failed)
    return Unused(achievement, code, "conditions", nearest=(rule.id, check.failed),
                  missing=_missing_places(rule, check), excluded=tuple(excluded.items()))
