"""Depth-first branch and bound for a small component, within a node budget.

Include-first, and a branch is cut only when it cannot do *better* than the best
found, so the first best set found is the one the tie-break prefers (the
lexicographically greatest inclusion vector). When the budget runs out the search
gives up (returns None) and the caller hands the component to the MILP: a result
is only ever returned when it is proven best.
"""

from __future__ import annotations

import sys
from collections.abc import Hashable

from .problem import Candidate, CountCap, CreditCap, Placement


def upper_bounds(cands: list[Candidate], first_token: bool = False) -> list[int]:
    """For each i, an upper bound on the credit candidates i… can add together.

    Candidates that share an exclusive thing (a course, an achievement) with different owners
    exclude each other, so of the candidates grouped by one such thing only one owner's count:
    a much tighter bound than the plain sum when awards compete. Each candidate is grouped by
    its most contested thing (the one with the most owners), the one that excludes the most.
    (``first_token`` groups by the first thing instead: the bound before the exact solver, which
    bench/solver.py runs for comparison.)"""
    owners: dict[Hashable, set[Hashable]] = {}
    for cand in cands:
        for token, owner in cand.tokens:
            owners.setdefault(token, set()).add(owner)
    bounds = [0] * (len(cands) + 1)
    by_owner: dict[Hashable, dict[Hashable, int]] = {}
    best: dict[Hashable, int] = {}
    total = 0
    for i in range(len(cands) - 1, -1, -1):
        cand = cands[i]
        if cand.tokens:
            token, owner = cand.tokens[0] if first_token else max(cand.tokens, key=lambda held: len(owners[held[0]]))
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


class BranchAndBound:
    def __init__(self, cands: list[Candidate], credit_caps: list[CreditCap], count_caps: list[CountCap],
                 total_cap: int | None, budget: int, suffix: list[int] | None = None):
        self.cands = cands
        self.placement = Placement(credit_caps, count_caps)
        self.total_cap = total_cap
        self.suffix = suffix if suffix is not None else upper_bounds(cands)
        self.budget = budget
        self.best_value = -1
        self.best: list[tuple[int, int]] = []
        self.current: list[tuple[int, int]] = []
        self.nodes = 0

    def headroom(self) -> int:
        if self.total_cap is None:
            return sys.maxsize
        return self.placement.caps[self.total_cap].limit - self.placement.state.credit_used[self.total_cap]

    def run(self) -> list[tuple[int, int]] | None:
        """The best set as (local index, credits), or None when the budget ran out first."""
        try:
            self._dfs(0, 0)
        except _OutOfBudget:
            return None
        return self.best

    def _dfs(self, i: int, value: int) -> None:
        self.nodes += 1
        if value + min(self.suffix[i], self.headroom()) <= self.best_value:
            return
        if i == len(self.cands):
            self.best_value = value
            self.best = list(self.current)
            return
        if self.nodes > self.budget:
            raise _OutOfBudget
        cand = self.cands[i]
        amount = self.placement.fits(cand)
        if amount:
            self.placement.apply(cand, amount, +1)
            self.current.append((i, amount))
            self._dfs(i + 1, value + amount)
            self.current.pop()
            self.placement.apply(cand, amount, -1)
        self._dfs(i + 1, value)


class _OutOfBudget(Exception):
    pass
