"""Choosing the best set of awards under every limit.

The problem: candidate awards (a rule applied to particular achievements) use
exclusive things (a course is credited once; an achievement is used once
unless its rules are ``reusable``) and draw on capacities (credit caps on the
total, a category, a rule or one achievement; count caps on achievements of a
kind, on one group, on a rule's uses). Pick the subset with the most credit.

Semantics, which the brute-force test in tests/ re-implements independently:

* Candidates have a canonical order: whole-course awards first, then
  category credits; within each, higher rule priority, then rule order, then
  the achievements' ids. A set of candidates is *placed* in that order: a
  whole-course award must fit every cap it touches in full, or the set is
  infeasible; a category award takes what fits (it is *capped*), and a set in
  which a category award would get nothing is not considered.
* The best set has the most credit. Among equally good sets the one whose
  inclusion vector over the canonical order is lexicographically greatest
  wins: earlier (higher-priority) candidates are preferred.

Only candidates that actually compete are searched together: candidates are
split into independent components (no shared course or achievement, no cap
that can bind between them), and each component is solved by depth-first
branch and bound, include-first, so the first best set found is also the one
the tie-break prefers. A component is searched exhaustively up to
``NODE_BUDGET`` nodes; past that the best set found so far is kept and the
decision says its optimality is not proven.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Hashable

NODE_BUDGET = 200_000
MAX_EXACT_COMPONENT = 400  # deeper searches would exceed Python's recursion limit


@dataclass(frozen=True, slots=True)
class CreditCap:
    key: str
    limit: int


@dataclass(frozen=True, slots=True)
class CountCap:
    key: str
    limit: int


@dataclass(slots=True)
class Candidate:
    """One possible award. ``shares`` says how much of the award each credit cap
    is charged (whole-course awards charge each category its own courses)."""

    order: tuple[Hashable, ...]
    amount: int
    divisible: bool
    tokens: tuple[tuple[str, Hashable], ...]  # (exclusive thing, owner); same owner may share
    shares: tuple[tuple[int, int], ...]  # (credit cap index, centi charged at full amount)
    counts: tuple[tuple[int, frozenset[Hashable]], ...]  # (count cap index, items it adds)
    payload: object = None
    index: int = -1


@dataclass(slots=True)
class Allocation:
    chosen: dict[int, int]  # candidate index → credits placed
    optimal: bool
    components: int
    nodes: int
    searched: int  # candidates that needed a search (components of two or more)


@dataclass(slots=True)
class _State:
    credit_used: list[int]
    count_items: list[dict[Hashable, int]]
    owners: dict[str, tuple[Hashable, int]] = field(default_factory=dict)


class _Search:
    def __init__(self, cands: list[Candidate], credit_caps: list[CreditCap], count_caps: list[CountCap],
                 total_cap: int | None):
        self.cands = cands
        self.caps = credit_caps
        self.count_caps = count_caps
        self.total_cap = total_cap
        self.state = _State([0] * len(credit_caps), [dict() for _ in count_caps])
        self.suffix = self._suffix_bounds(cands)
        self.best_value = -1
        self.best: list[tuple[int, int]] = []
        self.current: list[tuple[int, int]] = []
        self.nodes = 0
        self.exhausted = False

    @staticmethod
    def _suffix_bounds(cands: list[Candidate]) -> list[int]:
        """For each i, an upper bound on the credit candidates i… can add together.

        Candidates that share their first exclusive thing (a course, an achievement) with
        different owners exclude each other, so from each such group only one owner's
        candidates count: a much tighter bound than the plain sum when awards compete."""
        bounds = [0] * (len(cands) + 1)
        by_owner: dict[str, dict[Hashable, int]] = {}
        best: dict[str, int] = {}
        total = 0
        for i in range(len(cands) - 1, -1, -1):
            cand = cands[i]
            if cand.tokens:
                token, owner = cand.tokens[0]
                sums = by_owner.setdefault(token, {})
                sums[owner] = sums.get(owner, 0) + cand.amount
                before = best.get(token, 0)
                if sums[owner] > before:
                    best[token] = sums[owner]
                    total += sums[owner] - before
            else:
                total += cand.amount
            bounds[i] = total
        return bounds

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

    def headroom(self) -> int:
        if self.total_cap is None:
            return sys.maxsize
        return self.caps[self.total_cap].limit - self.state.credit_used[self.total_cap]

    def reached_bound(self) -> bool:
        """True when the best set found already gives all that the bound allows: proven best."""
        bound = self.suffix[0]
        if self.total_cap is not None:
            bound = min(bound, self.caps[self.total_cap].limit)
        return self.best_value >= bound

    def run(self, greedy_only: bool = False) -> None:
        if greedy_only:
            value = 0
            for i, cand in enumerate(self.cands):
                amount = self.fits(cand)
                if amount:
                    self.apply(cand, amount, +1)
                    self.current.append((i, amount))
                    value += amount
            self.best_value, self.best = value, list(self.current)
            self.exhausted = True
            return
        self._dfs(0, 0)

    def _dfs(self, i: int, value: int) -> None:
        self.nodes += 1
        if value + min(self.suffix[i], self.headroom()) <= self.best_value:
            return
        if i == len(self.cands):
            self.best_value = value
            self.best = list(self.current)
            return
        if self.nodes > NODE_BUDGET:
            self.exhausted = True
            return
        cand = self.cands[i]
        amount = self.fits(cand)
        if amount:
            self.apply(cand, amount, +1)
            self.current.append((i, amount))
            self._dfs(i + 1, value + amount)
            self.current.pop()
            self.apply(cand, amount, -1)
        self._dfs(i + 1, value)


def _components(cands: list[Candidate], credit_caps: list[CreditCap], count_caps: list[CountCap]) -> list[list[int]]:
    parent = list(range(len(cands)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(members: list[int]) -> None:
        root = find(members[0])
        for other in members[1:]:
            other_root = find(other)
            if other_root != root:
                parent[other_root] = root

    by_token: dict[str, list[int]] = {}
    owners: dict[str, set[Hashable]] = {}
    for i, cand in enumerate(cands):
        for token, owner in cand.tokens:
            by_token.setdefault(token, []).append(i)
            owners.setdefault(token, set()).add(owner)
    for token, members in by_token.items():
        if len(members) > 1 and len(owners[token]) > 1:
            union(members)
    credit_members: dict[int, list[int]] = {}
    credit_sum: dict[int, int] = {}
    for i, cand in enumerate(cands):
        for cap_index, share in cand.shares:
            credit_members.setdefault(cap_index, []).append(i)
            credit_sum[cap_index] = credit_sum.get(cap_index, 0) + share
    for cap_index, members in credit_members.items():
        if credit_sum[cap_index] > credit_caps[cap_index].limit:
            union(members)
    count_members: dict[int, list[int]] = {}
    count_items: dict[int, set[Hashable]] = {}
    for i, cand in enumerate(cands):
        for cap_index, items in cand.counts:
            count_members.setdefault(cap_index, []).append(i)
            count_items.setdefault(cap_index, set()).update(items)
    for cap_index, members in count_members.items():
        if len(count_items[cap_index]) > count_caps[cap_index].limit:
            union(members)
    groups: dict[int, list[int]] = {}
    for i in range(len(cands)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def allocate(cands: list[Candidate], credit_caps: list[CreditCap], count_caps: list[CountCap],
             total_cap: int | None = None) -> Allocation:
    """Choose the best set. ``cands`` must already be in canonical order;
    ``total_cap`` is the index of the cap every candidate is charged to, if any
    (it sharpens the search bound)."""
    chosen: dict[int, int] = {}
    optimal = True
    nodes = 0
    searched = 0
    components = _components(cands, credit_caps, count_caps)
    for members in components:
        members.sort()
        sub = [cands[i] for i in members]
        search = _Search(sub, credit_caps, count_caps, total_cap)
        if len(sub) > 1:
            searched += len(sub)
        search.run(greedy_only=len(sub) > MAX_EXACT_COMPONENT)
        nodes += search.nodes
        if search.exhausted and len(sub) > 1 and not search.reached_bound():
            optimal = False
        for local, amount in search.best:
            chosen[members[local]] = amount
    return Allocation(chosen, optimal, len(components), nodes, searched)


def replay(cands: list[Candidate], chosen: dict[int, int], credit_caps: list[CreditCap],
           count_caps: list[CountCap]) -> _Search:
    """The state after placing the chosen set, to explain why others were left out."""
    search = _Search(cands, credit_caps, count_caps, None)
    for i in sorted(chosen):
        search.apply(cands[i], chosen[i], +1)
    return search
