"""A bounded memo for answers that depend only on a key: emptied when full, so never wrong, only missing.

A ruleset's :class:`creditrules.plan.Plan` keeps them for answers that are the same for every
learner: allocations already decided (:mod:`creditrules.solve.shape` says what the key is) and the
reason a record's unknown code is unknown. Bounded, because a province's input decides how many
keys there are. It sits at the bottom of the layers so that the plan, which is below the solvers,
can hold one.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

__all__ = ["BoundedMemo"]

Answer = TypeVar("Answer")


class BoundedMemo(Generic[Answer]):
    """A bounded map from problem shape to answer, emptied when full (no answer is ever wrong, only missing)."""

    __slots__ = ("_answers", "capacity", "hits", "misses")

    def __init__(self, capacity: int = 8192):
        self._answers: dict[Hashable, Answer] = {}
        self.capacity = capacity
        self.hits = 0
        self.misses = 0

    def get(self, shape: Hashable) -> Answer | None:
        found = self._answers.get(shape)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def put(self, shape: Hashable, answer: Answer) -> None:
        if len(self._answers) >= self.capacity:
            self._answers.clear()
        self._answers[shape] = answer

    def clear(self) -> None:
        """Forget every answer (the counts stay): the next lookups work each answer out again."""
        self._answers.clear()

    def __len__(self) -> int:
        return len(self._answers)
