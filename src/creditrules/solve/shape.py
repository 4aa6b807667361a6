"""The shape of an allocation problem: what lets learners share one search.

Learners who hold the same kinds of record meet the same competition: the same
amounts, the same caps, the same exclusive things shared the same way, differing
only in achievement ids. The allocation of such a problem is a function of its
shape alone (every path in :mod:`creditrules.allocate` reads amounts, caps and
*which* candidates share a thing, never what the thing is called), so a province's
learners can share one search. The shape renames every exclusive thing, owner and
counted item by first appearance: two problems with equal shapes are the same
problem under a renaming, and get the same answer — the same chosen positions, the
same search statistics — so a hit never changes a decision's bytes.
"""

from __future__ import annotations

from collections.abc import Hashable

from .problem import Candidate, CountCap, CreditCap

__all__ = ["problem_shape"]


def problem_shape(cands: list[Candidate], credit_caps: list[CreditCap], count_caps: list[CountCap],
                  total_cap: int | None) -> Hashable:
    """Everything the allocators read of the problem, with names replaced by first-appearance numbers.

    Caps are renumbered too, each with its limit, so a component's shape does not depend on which
    other caps the learner's other candidates created first."""
    things: dict[Hashable, int] = {}
    owners: dict[Hashable, int] = {}
    items: dict[Hashable, int] = {}
    credit: dict[int, int] = {}
    count: dict[int, int] = {}
    shape: list[Hashable] = []
    for cand in cands:
        tokens = tuple([(things.setdefault(token, len(things)), owners.setdefault(owner, len(owners)))
                        for token, owner in cand.tokens])
        shares = tuple([(credit.setdefault(cap, len(credit)), share) for cap, share in cand.shares])
        counts = tuple([(count.setdefault(cap, len(count)),
                         frozenset([items.setdefault(item, len(items)) for item in counted]))
                        for cap, counted in cand.counts]) if cand.counts else ()
        shape.append((cand.amount, cand.divisible, tokens, shares, counts))
    total = None if total_cap is None else (credit.get(total_cap), credit_caps[total_cap].limit)
    shape.append((total, tuple([credit_caps[cap].limit for cap in credit]),
                  tuple([count_caps[cap].limit for cap in count])))
    return tuple(shape)
