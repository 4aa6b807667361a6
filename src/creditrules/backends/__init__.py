"""Other engines for rule matching, behind the evaluator's :class:`~creditrules.evaluator.Matcher`.

A backend decides only *which achievements meet which rule slots*; allocation,
limits and the trace stay the evaluator's, so every backend gives the same
decision, byte for byte. Backends::

    native    built in: the evaluator checks each condition itself (the default)
    durable   durable_rules, a Rete engine in C (optional extra ``creditrules[durable]``)

:func:`matcher_for` turns a backend name into the ``matcher`` argument of
:func:`creditrules.evaluate`. Errors (both derive from ``CreditRulesError``)::

    BackendError          a backend failed or was asked for something it cannot do
    └── BackendUnavailable  its optional dependency is not installed or does not import
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import CreditRulesError

if TYPE_CHECKING:
    from ..evaluator import Matcher

BACKENDS: tuple[str, ...] = ("native", "durable")


class BackendError(CreditRulesError):
    """A matching backend failed, or was named wrongly."""


class BackendUnavailable(BackendError):
    """The backend's optional dependency is missing or cannot be imported here."""


def matcher_for(backend: str) -> Matcher | None:
    """The matcher for ``backend`` ('native' gives None: the evaluator's own matching).

    Raises BackendUnavailable when the backend's extra is not installed, BackendError
    for an unknown name."""
    if backend == "native":
        return None
    if backend == "durable":
        from .durable import DurableMatcher

        return DurableMatcher()
    raise BackendError(f"unknown backend '{backend}'; use one of: {', '.join(BACKENDS)}")


__all__ = ["BACKENDS", "BackendError", "BackendUnavailable", "matcher_for"]
