"""The allocation problem as data, and placement: the one reading of its semantics.

Every solver (fast paths, DFS, MILP) is checked against :class:`Placement`: a set of
candidates is placed in canonical order; a whole-course award must fit every credit cap
it touches in full, a category award takes what fits, and a set in which one would get
nothing is not allowed. Keys, tokens and owners are opaque hashables: nothing here
parses them.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class CreditCap:
    key: Hashable
    limit: int  # hundredths of a credit


@dataclass(frozen=True, slots=True)
class CountCap:
    key: Hashable
    limit: int  # distinct items


@dataclass(slots=True)
class Candidate:
    """One possible award. ``shares`` says how much of the award each credit cap
    is charged (whole-course awards charge each category its own courses)."""

    order: tuple[Hashable, ...]
    amount: int
    divisible: bool
    tokens: tuple[tuple[Hashable, Hashable], ...]  # (exclusive thing, owner); same owner may share
    shares: tuple[tuple[int, int], ...]  # (credit cap index, centi charged at full amount)
    counts: tuple[tuple[int, frozenset[Hashable]], ...]  # (count cap index, items it adds)
    payload: object = None
    index: int = -1


@dataclass(slots=True)
class PlacementState:
    credit_used: list[int]
    count_items: list[dict[Hashable, int]]
    owners: dict[Hashable, tuple[Hashable, int]] = field(default_factory=dict)


class Placement:
    """Candidates placed one by one in canonical order (and taken back, for a search)."""

    __slots__ = ("caps", "count_caps", "state")

    def __init__(self, credit_caps: list[CreditCap], count_caps: list[CountCap]):
        self.caps = credit_caps
        self.count_caps = count_caps
        self.state = PlacementState([0] * len(credit_caps), [{} for _ in count_caps])

    def fits(self, cand: Candidate) -> int:
        """Credits the candidate would get placed now; 0 when it cannot be placed."""
        state = self.state
        for token, owner in cand.tokens:
            held = state.owners.get(token)
            if held is not None and held[0] != owner:
                return 0
        for cap_index, items in cand.counts:
            present = state.count_items[cap_index]
            new = sum(1 for item in items if item not in present)
            if len(present) + new > self.count_caps[cap_index].limit:
                return 0
        amount = cand.amount
        for cap_index, share in cand.shares:
            room = self.caps[cap_index].limit - state.credit_used[cap_index]
            if cand.divisible:
                amount = min(amount, room)
            elif share > room:
                return 0
        return amount if amount > 0 else 0

    def apply(self, cand: Candidate, amount: int, sign: int) -> None:
        """Place ``cand`` at ``amount`` (sign +1) or take it back (sign -1)."""
        state = self.state
        for token, owner in cand.tokens:
            held = state.owners.get(token)
            if sign > 0:
                state.owners[token] = (owner, held[1] + 1 if held else 1)
            else:
                assert held is not None
                if held[1] == 1:
                    del state.owners[token]
                else:
                    state.owners[token] = (owner, held[1] - 1)
        for cap_index, items in cand.counts:
            present = state.count_items[cap_index]
            for item in items:
                if sign > 0:
                    present[item] = present.get(item, 0) + 1
                elif present[item] == 1:
                    del present[item]
                else:
                    present[item] -= 1
        for cap_index, share in cand.shares:
            charged = amount if cand.divisible else share
            state.credit_used[cap_index] += sign * charged


def place_all(cands: list[Candidate], chosen: list[int], credit_caps: list[CreditCap],
              count_caps: list[CountCap]) -> list[tuple[int, int]] | None:
    """Place the chosen candidates (indices into ``cands``, ascending): (index, credits) for
    each, or None when the set is not allowed. How every solver's answer is checked."""
    placement = Placement(credit_caps, count_caps)
    placed: list[tuple[int, int]] = []
    for i in chosen:
        amount = placement.fits(cands[i])
        if not amount:
            return None
        placement.apply(cands[i], amount, +1)
        placed.append((i, amount))
    return placed
