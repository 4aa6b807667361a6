"""Decision JSON, written by orjson where its bytes are json's own.

orjson encodes about seven times faster than ``json.dumps``. For a decision its compact
output is byte for byte ``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``
(same key order, same escapes, same text for Chinese) except in three cases, which fall
back to ``json``: a float that json writes with an exponent or orjson writes as
``0.0000…`` (below 1e-4 or from 1e16 up; found by a pattern over orjson's output), an
integer beyond 64 bits (orjson refuses it), and a lone surrogate (orjson refuses it).
The pattern looks for an exponent only where a number can stand (after ``:``, ``,``, ``[``
or a space), so the hex of a content hash (``…3e4f…``, in most decisions) is not taken for one.
Non-finite floats (NaN, ±inf) have no JSON: the readers of records and contexts refuse them, and should one
come through the API, every path writes it ``null`` as orjson does (:func:`json_text`), never json's ``NaN``.
The indented form (``Decision.to_json``) is the same with two-space indentation.

Reading the output again for an exponent costs more than orjson's encoding. A decision knows
where its numbers are made (:mod:`creditrules.decision` checks each float as it is made), so its
JSON takes :func:`checked_json_bytes`, which skips the reading, and :func:`fragment` for parts that
are the same in many decisions (the standard's stamp): json's own bytes, which orjson inserts as
they are.
``tests/test_batch.py`` and ``tests/test_core.py`` check the equality.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import orjson

# Every digit read as 0, a float written with an exponent shows as "0e": one substring search, far faster than a
# regular expression over the output. Text in a string matches too (the hex of a content hash, "A10e"), so each
# "0e" found is checked against what stands before it: a number follows ":", ",", "[" or a space (the indented
# form), and its digits, sign and point run at most 25 characters ("-1.2345678901234567e-300"). A float below
# 1e-4 that orjson writes out starts "0.0000" as it is. Text that still matches ("x:1e5") makes json write it,
# which is only slower.
_ZEROS = bytes.maketrans(b"123456789", b"000000000")
_EXPONENT = re.compile(rb"(?:^|[:,\[ ])-?[0.]*0e\Z")
_MANTISSA = 32  # bytes before an "0e" that the check reads: more than any number's digits, sign and point
# dates, dataclasses and str/int subclasses: json either refuses them or writes them its own way
_COMPACT = (",", ":")
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS


def json_text(value: Any, **options: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, **options)``, but a NaN or ±inf written ``null`` as orjson
    writes it: the output never depends on which of the two encoded it, and it is always JSON."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, **options)
    except ValueError as exc:
        if not str(exc).startswith("Out of range float"):  # a circular reference, an int of too many digits
            raise
        # a non-finite float (rare: refused on entry); as a key, json's own text stays
        return json.dumps(_finite(value), ensure_ascii=False, **options)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def compact_json(value: Any) -> str:
    """``json_text(value, separators=(",", ":"))``, faster."""
    data = _encoded(value, _OPTIONS)
    return json_text(value, separators=_COMPACT) if data is None else data.decode("utf-8")


def compact_json_bytes(value: Any) -> bytes:
    """``compact_json(value)`` as UTF-8 bytes: what a file written in binary takes, without orjson's bytes
    being decoded to text and encoded back (a lone surrogate, which UTF-8 cannot hold, raises
    UnicodeEncodeError, as writing the text to a UTF-8 file does)."""
    data = _encoded(value, _OPTIONS)
    return json_text(value, separators=_COMPACT).encode("utf-8") if data is None else data


def indented_json(value: Any) -> str:
    """``json_text(value, indent=2)``, faster."""
    data = _encoded(value, _OPTIONS | orjson.OPT_INDENT_2)
    return json_text(value, indent=2) if data is None else data.decode("utf-8")


def checked_json_bytes(value: Any, indent: bool = False) -> bytes | None:
    """orjson's bytes for a value whose every float was checked where it was made (written alike by
    json and orjson), without reading them again; None where orjson refuses the value (a ``str`` or
    ``int`` subclass, an integer beyond 64 bits, a lone surrogate, a date) and json must write it."""
    try:
        return orjson.dumps(value, option=_OPTIONS | orjson.OPT_INDENT_2 if indent else _OPTIONS)
    except TypeError:
        return None


def fragment(value: Any) -> orjson.Fragment:
    """``value``'s compact JSON as json writes it, for orjson to insert as it is: a part that many
    outputs share is encoded once. (orjson inserts a fragment without indenting it: compact output only.)"""
    return orjson.Fragment(json_text(value, separators=_COMPACT).encode("utf-8"))


def _encoded(value: Any, option: int) -> bytes | None:
    """orjson's bytes for ``value``, or None where they would not be json's."""
    try:
        data = orjson.dumps(value, option=option)
    except TypeError:
        return None
    if b"0.0000" in data or _has_exponent(data.translate(_ZEROS)):
        return None
    return data


def _has_exponent(digits: bytes) -> bool:
    """Whether a number in the output (digits read as 0) is written with an exponent."""
    at = digits.find(b"0e")
    while at != -1:
        if _EXPONENT.search(digits, max(0, at - _MANTISSA), at + 2):
            return True
        at = digits.find(b"0e", at + 2)
    return False
