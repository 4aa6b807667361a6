"""The one error of the ledger, worded in English and Chinese from the message catalogue."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import CreditRulesError, did_you_mean
from ..messages import text


class LedgerError(CreditRulesError):
    """A ledger that cannot be reached or used, or an operation it refuses. ``key`` names the
    message (``ledger.KEY`` in :mod:`creditrules.messages`); ``str()`` is the English text and
    :meth:`text` gives either language."""

    def __init__(self, key: str, **params: Any):
        self.key = key
        self.params = params
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        params = dict(self.params)
        if "suggest" in params:  # a name that was probably meant, or None
            meant = params.pop("suggest")
            params["hint"] = "" if not meant else text("ledger.did-you-mean", lang, name=meant)
        return text(f"ledger.{self.key}", lang, **params)


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The choice ``word`` was probably meant to be (see :func:`creditrules.errors.did_you_mean`)."""
    hint = did_you_mean(word, choices)
    return hint[len(" (did you mean '"):-len("'?)")] if hint else None
