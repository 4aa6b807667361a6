"""The one normalisation of text that is compared: what a standard, a record and a grade map all match on.

Typed in different places, one value arrives as ``中级 ``, ``一级（高级技师）`` or
``２０２４.１``. Unicode NFKC folds full-width letters, digits and brackets to their
ordinary forms, and surrounding spaces are dropped, so each of these is the same
value as ``中级``, ``一级(高级技师)`` and ``2024.1``. The compiler, the learner reader,
version labels and the evaluator's grade mapping all call this one function, so a
value that matches for eligibility can never miss its grade.
"""

from __future__ import annotations

import unicodedata


def normalise(text: str) -> str:
    """``text`` in NFKC with surrounding white space dropped: ``１+X `` → ``1+X``.

    Most codes and ids are ASCII, which NFKC leaves as it is (``isascii`` reads a flag
    CPython keeps on every string): only the rest goes through the Unicode tables."""
    if text.isascii():
        return text.strip()
    return unicodedata.normalize("NFKC", text).strip()


def normalise_value(value: object) -> object:
    """Text normalised; anything else (a number, true/false) as it is."""
    return normalise(value) if isinstance(value, str) else value
