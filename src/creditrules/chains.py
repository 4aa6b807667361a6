"""How standards build on each other (``extends`` and ``uses``), walked without recursion.

The compiler resolves a standard only after every standard it builds on, so it
needs the order, the standards that stand on a broken one, and how long each
chain is. A chain is bounded (``MAX_CHAIN``): every level copies what its bases
define, so the cost of compiling a chain grows with the square of its length,
and no real system of standards (national → province → city → college →
programme) comes near the limit. Everything here is iterative, so a chain of any
length is reported, never a recursion error.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

import networkx as nx

MAX_CHAIN = 16  # standards in one chain, the standard itself included


def dependents(graph: nx.DiGraph, broken: Iterable[str]) -> set[str]:
    """``broken`` and every standard that builds on one of them, directly or not."""
    found = {node for node in broken if node in graph}
    queue = deque(found)
    while queue:
        for user in graph.predecessors(queue.popleft()):
            if user not in found:
                found.add(user)
                queue.append(user)
    return found | set(broken)


def bases_first(graph: nx.DiGraph) -> list[str]:
    """The standards of an acyclic graph, each after every standard it builds on (ties by id)."""
    return list(reversed(list(nx.lexicographical_topological_sort(graph))))


def lengths(graph: nx.DiGraph) -> dict[str, int]:
    """For each standard of an acyclic graph, the number of standards in its longest chain, itself included."""
    longest: dict[str, int] = {}
    for node in bases_first(graph):
        longest[node] = 1 + max((longest[base] for base in graph.successors(node)), default=0)
    return longest


def longest_chain(graph: nx.DiGraph, longest: dict[str, int], start: str) -> list[str]:
    """The standards of ``start``'s longest chain, from ``start`` to a standard that builds on nothing."""
    chain = [start]
    while longest[chain[-1]] > 1:
        chain.append(min(b for b in graph.successors(chain[-1]) if longest[b] == longest[chain[-1]] - 1))
    return chain
