"""Which sets of achievements fill every slot of a ``when_all`` rule: an assignment problem.

A ``when_all`` rule with slots s1…sk needs k different achievements, one per slot.
Enumerating the product of each slot's candidates costs n^k even when no set
works (10 equal slots, 9 records: 9^10 tuples), so sets are built instead: records
are chosen in id order, and a branch is kept only while (a) the records chosen so
far can be given distinct slots and (b) every slot can still be filled from the
chosen records and those not yet passed over. By the Mendelsohn–Dulmage theorem
(a) and (b) together mean some assignment uses every chosen record and fills
every slot, so no branch is a dead end: each set found costs a few small
matchings, and the sets come out in the order the tie-break prefers them
(smallest ids first).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

MAX_COMBINATIONS = 256  # sets per rule; more would only repeat the same courses
SMALL_PRODUCT = 64  # up to this many tuples, trying them all is cheaper than matchings


def slot_bindings(items: int, per_slot: Sequence[frozenset[int]]) -> tuple[list[tuple[int, ...]], bool]:
    """Every set of distinct items that fills all slots (up to :data:`MAX_COMBINATIONS`), each
    as a tuple of items in slot order, and whether the list is complete.

    Items are ``0 … items-1`` in the order the tie-break prefers (ids sorted);
    ``per_slot[s]`` holds the items that meet slot ``s``."""
    slots = len(per_slot)
    if slots == 0 or any(not fit for fit in per_slot):
        return [], True
    size = 1
    for fit in per_slot:
        size *= len(fit)
    if size <= SMALL_PRODUCT:
        return _by_product(per_slot), True
    can_fill = [[s for s in range(slots) if item in per_slot[s]] for item in range(items)]
    useful = [item for item in range(items) if can_fill[item]]
    found: list[tuple[int, ...]] = []

    def fills_all(pool: list[int]) -> bool:
        return _matching_size([{p for p in pool if p in per_slot[s]} for s in range(slots)]) == slots

    def chosen_fit(chosen: list[int]) -> bool:
        return _matching_size([set(can_fill[c]) for c in chosen]) == len(chosen)

    def search(chosen: list[int], start: int) -> bool:
        if len(chosen) == slots:
            found.append(_assign(chosen, per_slot))
            return len(found) <= MAX_COMBINATIONS  # one more than kept: is anything left out?
        for at in range(start, len(useful) - (slots - len(chosen)) + 1):
            trial = chosen + [useful[at]]
            if chosen_fit(trial) and fills_all(trial + useful[at + 1:]) and not search(trial, at + 1):
                return False
        return True

    if not fills_all(useful):
        return [], True
    search([], 0)
    return found[:MAX_COMBINATIONS], len(found) <= MAX_COMBINATIONS


def _by_product(per_slot: Sequence[frozenset[int]]) -> list[tuple[int, ...]]:
    """The same sets, each in its first slot order, by trying every tuple: for small rules."""
    seen: set[frozenset[int]] = set()
    found = []
    for combo in itertools.product(*(sorted(fit) for fit in per_slot)):
        ids = frozenset(combo)
        if len(ids) == len(combo) and ids not in seen:
            seen.add(ids)
            found.append(combo)
    return sorted(found, key=sorted)


def _matching_size(edges: list[set[int]]) -> int:
    """Size of a maximum matching from each left vertex ``i`` (neighbours ``edges[i]``) to the
    right: augmenting paths (Kuhn), ample for a rule's handful of slots."""
    match_of_right: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for right in sorted(edges[i]):
            if right in seen:
                continue
            seen.add(right)
            holder = match_of_right.get(right)
            if holder is None or augment(holder, seen):
                match_of_right[right] = i
                return True
        return False

    return sum(1 for i in range(len(edges)) if augment(i, set()))


def _assign(chosen: list[int], per_slot: Sequence[frozenset[int]]) -> tuple[int, ...]:
    """The chosen items in slot order: each slot takes the earliest chosen item that still
    lets the others fill the remaining slots (the first such assignment in product order)."""
    remaining = sorted(chosen)
    result: list[int] = []
    for s in range(len(per_slot)):
        later = range(s + 1, len(per_slot))
        for item in remaining:
            if item not in per_slot[s]:
                continue
            rest = [r for r in remaining if r != item]
            if _matching_size([{r for r in rest if r in per_slot[t]} for t in later]) == len(later):
                result.append(item)
                remaining = rest
                break
    return tuple(result)
