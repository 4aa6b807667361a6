"""Depth-first branch and bound for a small component, within a node budget.

Include-first, and a branch is cut only when it cannot do *better* than the best
found, so the first best set found is the one the tie-break prefers (the
lexicographically greatest inclusion vector). When the budget runs out the search
gives up (returns None) and the caller hands the component to the MILP: a result
is only ever returned when it is proven best.
"""

from __future__ import annotations

from collections.abc import Hashable

from .problem import Candidate, CountCap, CreditCap


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
    """Include-first search over the component, with the problem compiled to flat data first.

    Exclusive things become one bitmask per candidate (the candidates it excludes: a shared
    thing with another owner), so a node tests a conflict with one ``&`` instead of walking
    tokens; credit and count caps are renumbered to the ones this component touches. The
    semantics are :class:`Placement`'s, which the brute-force tests check."""

    def __init__(self, cands: list[Candidate], credit_caps: list[CreditCap], count_caps: list[CountCap],
                 total_cap: int | None, budget: int, suffix: list[int] | None = None):
        self.cands = cands
        self.credit_caps = credit_caps
        self.count_caps = count_caps
        self.total_cap = total_cap
        self.suffix = suffix if suffix is not None else upper_bounds(cands)
        self.budget = budget
        self.nodes = 0
        self.best: list[tuple[int, int]] = []  # the best set found, proven only when run() returns it

    def run(self) -> list[tuple[int, int]] | None:
        """The best set as (local index, credits), or None when the budget ran out first."""
        cands = self.cands
        n = len(cands)
        holders: dict[Hashable, list[tuple[Hashable, int]]] = {}
        for i, cand in enumerate(cands):
            for token, owner in cand.tokens:
                holders.setdefault(token, []).append((owner, i))
        excludes = [0] * n
        for held in holders.values():
            if len(held) > 1:
                for owner, i in held:
                    for other, j in held:
                        if other != owner:
                            excludes[i] |= 1 << j
        credit_local: dict[int, int] = {}
        count_local: dict[int, int] = {}
        shares = [tuple((credit_local.setdefault(c, len(credit_local)), share) for c, share in cand.shares)
                  for cand in cands]
        counts = [tuple((count_local.setdefault(c, len(count_local)), items) for c, items in cand.counts)
                  for cand in cands]
        room = [0] * len(credit_local)
        for global_index, local in credit_local.items():
            room[local] = self.credit_caps[global_index].limit
        count_room = [0] * len(count_local)
        for global_index, local in count_local.items():
            count_room[local] = self.count_caps[global_index].limit
        present: list[dict[Hashable, int]] = [{} for _ in count_local]
        total = credit_local.get(self.total_cap) if self.total_cap is not None else None
        amounts = [cand.amount for cand in cands]
        divisible = [cand.divisible for cand in cands]
        suffix = self.suffix
        budget = self.budget
        nodes = 0
        best_value = -1
        best: list[tuple[int, int]] = []
        current: list[tuple[int, int]] = []

        def fits(i: int, chosen: int) -> int:
            if excludes[i] & chosen:
                return 0
            for c, items in counts[i]:
                have = present[c]
                if len(have) + sum(1 for item in items if item not in have) > count_room[c]:
                    return 0
            amount = amounts[i]
            if divisible[i]:
                for c, _ in shares[i]:
                    if room[c] < amount:
                        amount = room[c]
                return amount if amount > 0 else 0
            for c, share in shares[i]:
                if share > room[c]:
                    return 0
            return amount

        def place(i: int, amount: int, sign: int) -> None:
            for c, items in counts[i]:
                have = present[c]
                for item in items:
                    if sign > 0:
                        have[item] = have.get(item, 0) + 1
                    elif have[item] == 1:
                        del have[item]
                    else:
                        have[item] -= 1
            whole = not divisible[i]
            for c, share in shares[i]:
                room[c] -= sign * (share if whole else amount)

        def search(i: int, value: int, chosen: int) -> None:
            nonlocal nodes, best_value, best
            nodes += 1
            bound = suffix[i]
            if total is not None and room[total] < bound:
                bound = room[total]
            if value + bound <= best_value:
                return
            if i == n:
                best_value = value
                best = list(current)
                return
            if nodes > budget:
                raise _OutOfBudget
            amount = fits(i, chosen)
            if amount:
                place(i, amount, +1)
                current.append((i, amount))
                search(i + 1, value + amount, chosen | (1 << i))
                current.pop()
                place(i, amount, -1)
            search(i + 1, value, chosen)

        try:
            search(0, 0, 0)
        except _OutOfBudget:
            return None
        finally:
            self.nodes, self.best = nodes, best
        return best


class _OutOfBudget(Exception):
    pass
