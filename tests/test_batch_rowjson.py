"""A row read by orjson is what json reads, or it takes json's path (None): never another value."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditrules.batch.rowjson import plain_json_object
from creditrules.records import parse_json_object


def _same_as_json(raw: bytes) -> None:
    fast = plain_json_object(raw)
    if fast is None:
        return
    slow = parse_json_object(raw.decode("utf-8"))
    assert not isinstance(slow, tuple), raw
    assert json.dumps(fast) == json.dumps(slow) and [type(v) for v in fast.values()] == [
        type(v) for v in slow.values()], raw


@pytest.mark.parametrize("raw", [
    b'{"a":1,"a":2}',  # json's hook refuses a repeated key; orjson keeps the last
    b'{"a":"x","a":1}',
    b'{"a" : 1 , "a" : "x"}',
    b'{"a":18446744073709551616}',  # beyond 64 bits: orjson reads a float
    b'{"a":-9223372036854775809}',
    b'{"a":NaN}', b'{"a":1e400}', b'\xef\xbb\xbf{"a":1}',  # json reads them, orjson does not
    b'{"a":"\\ud800"}', b'{"a":"q\\"","b":"c"}',  # escapes
    b'{"a":[1,2]}', b'{"a":{"b":1}}', b'[1]', b'"x"', b'1', b'{"a":1', b'{"a":"\xff"}',
])
def test_what_orjson_might_read_otherwise_takes_the_json_path(raw: bytes):
    assert plain_json_object(raw) is None


@pytest.mark.parametrize("raw, value", [
    (b'{"learner":"L1","id":"A1","hours":40,"years":4.5,"verified":true,"x":null}',
     {"learner": "L1", "id": "A1", "hours": 40, "years": 4.5, "verified": True, "x": None}),
    (b' {"a" : "\xe4\xb8\xad" , "b":-0.0, "c":18446744073709551615} ', {"a": "中", "b": -0.0, "c": 2**64 - 1}),
    (b'{}', {}),
])
def test_plain_rows_are_read_by_orjson(raw: bytes, value: dict[str, Any]):
    assert plain_json_object(raw) == value
    _same_as_json(raw)


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                     st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=8))
_KEYS = st.sampled_from(["a", "b", "learner", "id", "中", 'q"', "x\\y", ""])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_KEYS, st.one_of(_SCALARS, st.lists(_SCALARS, max_size=2))), max_size=6),
       st.sampled_from([(",", ":"), (", ", ": "), (",", " : ")]))
def test_any_object_is_read_as_json_reads_it_or_left_to_json(pairs: list[tuple[str, Any]],
                                                              separators: tuple[str, str]):
    items = [f"{json.dumps(k, ensure_ascii=False)}{separators[1]}{json.dumps(v, ensure_ascii=False)}"
             for k, v in pairs]
    _same_as_json(("{" + separators[0].join(items) + "}").encode("utf-8"))
