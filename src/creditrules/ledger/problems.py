"""The one error of the ledger, worded in English and Chinese from the message catalogue."""

from __future__ import annotations

from typing import Any

from ..errors import CreditRulesError
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
        return text(f"ledger.{self.key}", lang, **self.params)
