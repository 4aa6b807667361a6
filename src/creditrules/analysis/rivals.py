"""Counting the linked pairs of a large set of items without visiting every pair.

Two thousand rules that all compete make two million pairs: reporting each one
buries the author, and even looking at each one costs seconds. But whether two
items link depends on little: the *class* of each (for rules: their conditions,
grades and flags) and how their *awards* relate (the same, different, or
nothing contested). So the pairs are counted per pair of classes and awards,
each pair of classes asked about once, and only the first few linked pairs (in
the items' order) are looked for one by one, for the finding to show.

Cost: the square of the number of classes, not of items; the number of
different awards when they relate by more than equality.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations_with_replacement

SHOWN = 3  # pairs a grouped finding lists; the rest are counted
REMEMBERED = 100_000  # answers about pairs of classes kept while looking for the pairs to show

Relation = Callable[[int, int], "bool | None"]  # two awards → None (nothing contested) or whether they differ
Links = Callable[[int, int, bool], bool]  # two classes, whether the awards differ → do two such items link


def more(rest: int, what: str) -> str:
    """'; and 5 more pairs' for what a finding counts but does not show."""
    return f"; and {rest} more {what}{'s' if rest > 1 else ''}" if rest > 0 else ""


@dataclass(frozen=True)
class Linked:
    """How many pairs of items link in all, and the first few of them as (earlier, later) positions."""

    pairs: int
    shown: tuple[tuple[int, int], ...]


def linked_pairs(classes: Sequence[int], awards: Sequence[int], links: Links, relation: Relation | None = None,
                 keep: int = SHOWN) -> Linked:
    """The linked pairs among items ``0 … n-1``: item ``i`` has class ``classes[i]`` and award ``awards[i]``.

    ``links`` must be symmetric in the two classes. Without ``relation``, two awards differ exactly when
    their ids do."""
    by_class: dict[int, list[int]] = {}
    for position, group in enumerate(classes):
        by_class.setdefault(group, []).append(position)
    counts = {group: Counter(awards[p] for p in positions) for group, positions in by_class.items()}
    total = 0
    for c1, c2 in combinations_with_replacement(sorted(by_class), 2):
        pairs = _pairs(counts[c1], counts[c2], c1 == c2, relation)
        total += sum(count for differ, count in pairs.items() if count and links(c1, c2, differ))
    if not total:
        return Linked(0, ())
    return Linked(total, _first(classes, awards, links, relation or (lambda a, b: a != b), keep))


def _pairs(first: Counter[int], second: Counter[int], same_class: bool, relation: Relation | None
           ) -> dict[bool, int]:
    """Pairs of one item of each class (two of one class), by whether their awards differ."""
    found = {True: 0, False: 0}
    if relation is None and len(first) == len(second) == 1 and not same_class:  # one award each: the usual
        (a1, k1), = first.items()
        (a2, k2), = second.items()
        found[a1 != a2] = k1 * k2
        return found
    if relation is None:  # differ exactly when the ids do: count the equal ones
        if same_class:
            everyone = sum(first.values())
            found[False] = sum(k * (k - 1) // 2 for k in first.values())
            found[True] = everyone * (everyone - 1) // 2 - found[False]
        else:
            found[False] = sum(k * second[a] for a, k in first.items() if a in second)
            found[True] = sum(first.values()) * sum(second.values()) - found[False]
        return found
    for a1, k1 in first.items():
        for a2, k2 in second.items():
            if same_class and a2 < a1:
                continue
            differ = relation(a1, a2)
            if differ is not None:
                found[differ] += k1 * (k1 - 1) // 2 if same_class and a1 == a2 else k1 * k2
    return found


def _first(classes: Sequence[int], awards: Sequence[int], links: Links, relate: Relation, keep: int
           ) -> tuple[tuple[int, int], ...]:
    """The first ``keep`` linked pairs in the order (earlier item, later item). Dense links end this at
    once; sparse ones may visit many pairs, so what is asked of ``links`` is remembered within a bound."""
    asked: dict[tuple[int, int, bool], bool] = {}
    shown: list[tuple[int, int]] = []
    for i in range(len(classes)):
        for j in range(i + 1, len(classes)):
            differ = relate(awards[i], awards[j])
            if differ is None:
                continue
            key = (classes[i], classes[j], differ)
            if key not in asked:
                if len(asked) >= REMEMBERED:
                    asked.clear()
                asked[key] = links(*key)
            if asked[key]:
                shown.append((i, j))
                if len(shown) == keep:
                    return tuple(shown)
    return tuple(shown)
