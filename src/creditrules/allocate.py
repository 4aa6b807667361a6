"""Choosing the best set of awards under every limit, proven best every time.

The problem: candidate awards (a rule applied to particular achievements) use
exclusive things (a course is credited once; an achievement is used once
unless its rules are ``reusable``) and draw on capacities (credit caps on the
total, a category, a rule or one achievement; count caps on achievements of a
kind, on one group, on a rule's uses). Pick the subset with the most credit.

Semantics, which the brute-force tests in tests/ re-implement independently:

* Candidates have a canonical order: whole-course awards first, then
  category credits; within each, higher rule priority, then rule order, then
  the achievements' ids. A set of candidates is *placed* in that order: a
  whole-course award must fit every cap it touches in full, or the set is
  infeasible; a category award takes what fits (it is *capped*), and a set in
  which a category award would get nothing is not considered.
* The best set has the most credit. Among equally good sets the one whose
  inclusion vector over the canonical order is lexicographically greatest
  wins: earlier (higher-priority) candidates are preferred.

How it is solved. Candidates are split into independent components (no shared
course or achievement, no cap that can bind between them), and each component
takes the first of these paths that proves its answer:

1. ``single``: one candidate; it is placed if it fits.
2. ``fast``: placing every candidate that fits, in canonical order, gives the
   lexicographically greatest allowed set; when its credit reaches an upper
   bound (the total cap, or the sum of the amounts counting one owner's per
   contested exclusive thing: :func:`creditrules.solve.dfs.upper_bounds`), it is
   also the best. No search.
3. ``dfs``: a depth-first branch and bound (:mod:`creditrules.solve.dfs`), for
   components of at most ``DFS_MAX_CANDIDATES``, kept only if it finishes
   within ``DFS_BUDGET`` nodes: small competitions are cheaper in Python than a
   solver call.
4. ``milp``: an exact mixed-integer program solved by HiGHS
   (:mod:`creditrules.solve.milp`): the optimal total first, then the tie-break
   in canonical order. HiGHS (``highspy``) is imported only when a component
   gets here.

Every path is exact, so ``Allocation.optimal`` is always true; the node budget
only chooses between two exact methods and never shows in a decision. Every
answer is the unique best set under the tie-break, so the path taken never
changes a decision.
"""

from __future__ import annotations

import sys
from collections.abc import Hashable
from dataclasses import dataclass, field

from .memo import BoundedMemo
from .solve.dfs import BranchAndBound, upper_bounds
from .solve.problem import Candidate, CountCap, CreditCap, Placement
from .solve.shape import problem_shape

__all__ = ["PATHS", "Allocation", "AllocationMemo", "Candidate", "CountCap", "CreditCap", "allocate", "replay"]

DFS_BUDGET = 1_000  # nodes (~1 ms); past this the component goes to the MILP
DFS_MAX_CANDIDATES = 24  # larger components go straight to the MILP (the search grows ~×2.7 per two)
PATHS = ("single", "fast", "dfs", "milp")
FORCE: str | None = None  # tests set "milp" to check the MILP through evaluate()


@dataclass(slots=True)
class Allocation:
    chosen: dict[int, int]  # candidate index → credits placed
    optimal: bool  # always true: every path is exact (kept for the decision's `search.optimal`)
    components: int
    nodes: int  # nodes of the branch and bound that answered (0 for the fast paths and the MILP)
    searched: int  # candidates that needed a search (components of two or more)
    paths: dict[str, int] = field(default_factory=dict)  # path (see PATHS) → components that took it


# One component's answer: (local index, credits) chosen, the path that proved it, the nodes it took.
AllocationMemo = BoundedMemo[tuple[list[tuple[int, int]], str, int]]
_NONE = object()  # no owner yet (an owner may be any hashable, None included)


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

    first_owner: dict[Hashable, Hashable] = {}
    by_token: dict[Hashable, list[int]] = {}
    contested: set[Hashable] = set()  # things two different owners want
    credit_members: dict[int, list[int]] = {}
    credit_sum: dict[int, int] = {}
    count_members: dict[int, list[int]] = {}
    count_items: dict[int, set[Hashable]] = {}
    for i, cand in enumerate(cands):
        for token, owner in cand.tokens:
            held = first_owner.get(token, _NONE)
            if held is _NONE:
                first_owner[token] = owner
                by_token[token] = [i]
            else:
                by_token[token].append(i)
                if held != owner:
                    contested.add(token)
        for cap_index, share in cand.shares:
            found = credit_members.get(cap_index)
            if found is None:
                credit_members[cap_index] = [i]
                credit_sum[cap_index] = share
            else:
                found.append(i)
                credit_sum[cap_index] += share
        for cap_index, items in cand.counts:
            found = count_members.get(cap_index)
            if found is None:
                count_members[cap_index] = [i]
                count_items[cap_index] = set(items)
            else:
                found.append(i)
                count_items[cap_index].update(items)
    for token in contested:
        union(by_token[token])
    for cap_index, members in credit_members.items():
        if credit_sum[cap_index] > credit_caps[cap_index].limit:
            union(members)
    for cap_index, members in count_members.items():
        if len(count_items[cap_index]) > count_caps[cap_index].limit:
            union(members)
    groups: dict[int, list[int]] = {}
    for i in range(len(cands)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _greedy(sub: list[Candidate], credit_caps: list[CreditCap], count_caps: list[CountCap]
            ) -> tuple[list[tuple[int, int]], int]:
    """Every candidate that fits, in canonical order: the lexicographically greatest allowed set."""
    placement = Placement(credit_caps, count_caps)
    chosen: list[tuple[int, int]] = []
    value = 0
    for i, cand in enumerate(sub):
        amount = placement.fits(cand)
        if amount:
            placement.apply(cand, amount, +1)
            chosen.append((i, amount))
            value += amount
    return chosen, value


def _alone(cand: Candidate, credit_caps: list[CreditCap], count_caps: list[CountCap]) -> int:
    """The credits a candidate gets placed first (what :class:`Placement` gives a component of one):
    nothing holds its exclusive things yet, so only its own counts and shares can stop or cut it."""
    for cap_index, items in cand.counts:
        if len(items) > count_caps[cap_index].limit:
            return 0
    amount = cand.amount
    for cap_index, share in cand.shares:
        room = credit_caps[cap_index].limit
        if cand.divisible:
            amount = min(amount, room)
        elif share > room:
            return 0
    return amount if amount > 0 else 0


def _solve(sub: list[Candidate], credit_caps: list[CreditCap], count_caps: list[CountCap], total_cap: int | None,
           force: str | None, memo: AllocationMemo | None = None) -> tuple[list[tuple[int, int]], str, int]:
    """One component's best set as (local index, credits), the path that proved it, and the nodes spent.
    A component that needs a search is looked up in ``memo`` first (the fast paths cost less than its key)."""
    suffix = None
    if force != "milp":
        if len(sub) == 1:
            alone = _alone(sub[0], credit_caps, count_caps)
            return ([(0, alone)] if alone else []), "single", 0
        chosen, value = _greedy(sub, credit_caps, count_caps)
        suffix = upper_bounds(sub)
        bound = suffix[0]
        if total_cap is not None:
            bound = min(bound, credit_caps[total_cap].limit)
        if value >= bound:
            return chosen, "fast", 0
    if memo is None or force is not None:
        return _search(sub, credit_caps, count_caps, total_cap, force, suffix)
    shape = (DFS_BUDGET, DFS_MAX_CANDIDATES, problem_shape(sub, credit_caps, count_caps, total_cap))
    found = memo.get(shape)
    if found is None:
        found = _search(sub, credit_caps, count_caps, total_cap, force, suffix)
        memo.put(shape, found)
    return found


def _search(sub: list[Candidate], credit_caps: list[CreditCap], count_caps: list[CountCap], total_cap: int | None,
            force: str | None, suffix: list[int] | None) -> tuple[list[tuple[int, int]], str, int]:
    """A component the fast paths could not prove: branch and bound within its budget, else the MILP."""
    if force != "milp" and len(sub) <= DFS_MAX_CANDIDATES:
        search = BranchAndBound(sub, credit_caps, count_caps, total_cap, DFS_BUDGET, suffix)
        found = search.run()
        if found is not None:
            return found, "dfs", search.nodes
    from .solve import milp

    try:
        return milp.solve(sub, credit_caps, count_caps, total_cap), "milp", 0
    except milp.SolverDisagrees:  # a guard never seen to fire: search exhaustively instead
        search = BranchAndBound(sub, credit_caps, count_caps, total_cap, sys.maxsize)
        exhaustive = search.run()
        assert exhaustive is not None
        return exhaustive, "dfs", search.nodes


def allocate(cands: list[Candidate], credit_caps: list[CreditCap], count_caps: list[CountCap],
             total_cap: int | None = None, *, force: str | None = None,
             memo: AllocationMemo | None = None) -> Allocation:
    """Choose the best set. ``cands`` must already be in canonical order;
    ``total_cap`` is the index of the cap every candidate is charged to, if any
    (it sharpens the bounds). ``force="milp"`` sends every component to the MILP
    (for tests that check it against brute force); by default the module-level
    ``FORCE`` applies, which is None. ``memo`` (a ruleset's plan keeps one) answers a
    component whose shape was decided before (:mod:`creditrules.solve.shape`)."""
    force = force if force is not None else FORCE
    if force not in (None, "milp"):
        raise ValueError(f"force must be None or 'milp', not {force!r}")
    chosen: dict[int, int] = {}
    nodes = 0
    searched = 0
    paths: dict[str, int] = {}
    components = _components(cands, credit_caps, count_caps)
    for members in components:
        members.sort()
        sub = [cands[i] for i in members]
        if len(sub) > 1:
            searched += len(sub)
        best, path, spent = _solve(sub, credit_caps, count_caps, total_cap, force, memo)
        nodes += spent
        paths[path] = paths.get(path, 0) + 1
        for local, amount in best:
            chosen[members[local]] = amount
    return Allocation(chosen, True, len(components), nodes, searched, paths)


def replay(cands: list[Candidate], chosen: dict[int, int], credit_caps: list[CreditCap],
           count_caps: list[CountCap]) -> Placement:
    """The state after placing the chosen set, to explain why others were left out."""
    placement = Placement(credit_caps, count_caps)
    for i in sorted(chosen):
        placement.apply(cands[i], chosen[i], +1)
    return placement
