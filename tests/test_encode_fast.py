"""The fast encoders write exactly what the plain ones write, whatever the values hold.

``Decision.to_json_bytes`` (a batch line: orjson, fragments for the stamp, the unit and category statuses,
floats checked where they are made instead of the output read again) must equal ``json.dumps`` of
``to_dict`` with the project's settings, and ``to_json`` its indented form; ``CsvLines`` (fields joined
here, kept per text) must equal what ``SafeWriter`` (the csv writer) writes. The values are the awkward
ones: quotes, backslashes, controls, U+2028/2029, bidi overrides, non-BMP characters, formula starts,
floats json writes with an exponent (1e-05, 1e+16), -0.0, NaN and ±inf (null, as orjson writes them: JSON
has no such number), integers beyond 64 bits, days and their subclasses. Lone surrogates are refused where
they enter (``tests/test_lone_surrogates.py``); should one reach an encoder, both ways raise the same error.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import creditrules
from creditrules.batch import tables
from creditrules.decision import (
    CategoryStatus,
    ConditionResult,
    Decision,
    StandardStamp,
    Tally,
    Unused,
)
from creditrules.jsontext import checked_json_bytes, compact_json, compact_json_bytes, indented_json, json_text
from creditrules.learner import load_learner
from creditrules.safe_text import FORMULA_START

ROOT = Path(__file__).resolve().parents[1]
AWKWARD = "\"\\'\t\n\r\x00\x1f\x7f\x85\u2028\u2029\u202e\u2066\ufeff=+-@,;:{}[] 0e1.-中文é\U0001f600𝔘"
texts = st.text(st.one_of(st.sampled_from(AWKWARD), st.characters(blacklist_categories=("Cs",))), max_size=12)
# floats json writes with an exponent, and their neighbours it does not
floats = st.one_of(st.sampled_from([1e16, 1.5e16, 9999999999999998.0, 1e-4, 9e-5, 1e-5, 2.5e-5, 1.234e-7, 5e-324,
                                    1e300, -1e-5, -0.0, 0.1, 4.5, float("nan"), float("inf")]),
                   st.floats(allow_nan=True, allow_infinity=True))
huge = st.sampled_from([2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**18, 10**18 + 1, 10**30 + 50])
scalars = st.one_of(texts, st.integers(), huge, floats, st.booleans(), st.none(),
                    st.dates(), st.datetimes().map(lambda d: d.replace(microsecond=0)))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.frozensets(texts, max_size=3), st.frozensets(st.integers(), max_size=3),
    st.dictionaries(texts, inner, max_size=2)), max_leaves=6)
centi = st.one_of(st.integers(-10**4, 10**6), huge)


@pytest.fixture(scope="module")
def decision() -> Decision:
    standard = creditrules.compile_standards(ROOT / "standards")["yrd-computer-application"]
    found = creditrules.evaluate(standard, load_learner(ROOT / "examples" / "student-1x.yaml"), date(2025, 6, 30),
                                 trace="full")
    assert found.application is not None and found.unused and found.trace
    return found


def _nulls(data: Any) -> Any:
    """NaN and ±inf as None: JSON has no such number, and orjson writes null."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: _nulls(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [_nulls(value) for value in data]
    return data


def _json(data: Any, indent: int | None = None) -> bytes | type[Exception]:
    """What json writes (the reference), a NaN or ±inf as null, or the error it raises."""
    data = _nulls(data)
    try:
        if indent is None:
            return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return (json.dumps(data, ensure_ascii=False, indent=indent) + "\n").encode("utf-8")
    except (UnicodeEncodeError, ValueError, TypeError) as exc:
        return type(exc)


def _fast(encode: Any) -> bytes | type[Exception]:
    try:
        found = encode()
        return found if isinstance(found, bytes) else found.encode("utf-8")
    except (UnicodeEncodeError, ValueError, TypeError) as exc:
        return type(exc)


def _both_ways(decision: Decision) -> None:
    for trace in (True, False):
        assert _fast(lambda trace=trace: decision.to_json_bytes(trace)) == _json(decision.to_dict(trace))
        assert _fast(lambda trace=trace: decision.to_json(trace)) == _json(decision.to_dict(trace), indent=2)


class Day(date):
    """A day that writes itself otherwise: equal to the plain day, so it must never share its kept text."""

    def isoformat(self) -> str:
        return "day " + super().isoformat()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(required=values, actual=values, learner=texts)
@example(required=1e-05, actual=-0.0, learner="=cmd")
@example(required=date(2024, 1, 2), actual=Day(2024, 1, 2), learner="a")
@example(required=datetime(2024, 1, 2, 3, 4), actual=[Day(2024, 1, 3), date(2024, 1, 3)], learner="a")
@example(required={"x": 1e-05}, actual=[1e-07, "a"], learner="b")
@example(required=float("nan"), actual=2**64, learner="c")
def test_a_decision_line_holds_conditions_as_json_writes_them(decision: Decision, required: Any, actual: Any,
                                                                learner: str):
    """Each source of awkward values alone, so that one noted wide number does not cover for another."""
    condition = ConditionResult("hours", "ge", required, actual, False)
    unused = Unused(learner, learner, "conditions", nearest=(learner, (condition,)), missing=((1, (condition,)),))
    trace = dataclasses.replace(decision.trace[0], requires=(condition,))
    _both_ways(dataclasses.replace(decision, learner=learner, unused=(*decision.unused, unused),
                                   trace=(trace, *decision.trace[1:])))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=floats, tally_centi=centi)
@example(amount=1e-05, tally_centi=150)
@example(amount=1e16, tally_centi=10**18 + 1)
@example(amount=2.5, tally_centi=2**64 + 1)
def test_a_decision_line_holds_sums_and_credits_as_json_writes_them(decision: Decision, amount: float,
                                                                     tally_centi: int):
    tally = Tally(2, "hours", repr(amount), 250, None, None)
    unused = Unused("A9", "X", "too-little", tally=tally)
    _both_ways(dataclasses.replace(decision, unused=(*decision.unused, unused)))
    _both_ways(dataclasses.replace(decision, total_centi=tally_centi, by_category_centi=(("x", tally_centi),)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(statuses=st.lists(st.tuples(texts, centi, st.one_of(centi, st.sampled_from([200.0, 150.0, -0.0]))),
                         max_size=4), identity=texts, since=st.one_of(st.dates(), st.datetimes()))
@example(statuses=[("c", 200, 200), ("c", 200, 200.0), ("c", 200, 200)], identity="s", since=date(2024, 1, 1))
@example(statuses=[], identity="s", since=datetime(2024, 1, 1, 5))
def test_the_parts_written_once_are_written_as_each_would_be(decision: Decision, statuses: list[Any],
                                                             identity: str, since: date):
    """Category statuses and stamps are kept as JSON across decisions: a kept one must be the one this
    decision would write (200.0 hundredths equal 200 as a key but are written 2.0; a datetime equal in
    fields to a day writes its time)."""
    assert decision.application is not None
    for status in statuses:  # each twice: written, then taken from what was kept
        application = dataclasses.replace(decision.application, categories=(CategoryStatus(
            status[0], status[0], "x", status[1], status[2]),))  # type: ignore[arg-type]
        stamp = StandardStamp(identity, "1", "ab0e1", since, None, ((identity, "1", "1e5"),))
        changed = dataclasses.replace(decision, application=application, standard=stamp)
        _both_ways(changed)
        _both_ways(changed)
    _both_ways(dataclasses.replace(decision, application=None))


def test_a_day_that_writes_itself_otherwise_is_not_taken_for_a_plain_one(decision: Decision):
    """Texts of days are kept, for plain days only: an equal day of a subclass writes its own."""
    plain, other = date(2024, 1, 2), Day(2024, 1, 2)
    assert ConditionResult("d", "eq", plain, other, True).to_dict()["actual"] == "day 2024-01-02"
    assert dataclasses.replace(decision, as_of=plain).to_dict()["as_of"] == "2024-01-02"
    assert dataclasses.replace(decision, as_of=other).to_dict()["as_of"] == "day 2024-01-02"
    for since in (plain, other, plain):
        stamp = dataclasses.replace(decision.standard, effective_from=since)
        _both_ways(dataclasses.replace(decision, standard=stamp, as_of=since))


@pytest.mark.parametrize("where", ["learner", "unused", "stamp"])
def test_a_lone_surrogate_fails_as_json_fails(decision: Decision, where: str):
    """Refused where it enters; should one reach the encoder, it raises as writing json's text to UTF-8 does."""
    text = "a\ud800"
    changed = {"learner": lambda: dataclasses.replace(decision, learner=text),
               "unused": lambda: dataclasses.replace(decision, unused=(Unused(text, None, "no-rule"),)),
               "stamp": lambda: dataclasses.replace(decision, standard=dataclasses.replace(decision.standard,
                                                                                           id=text))}[where]()
    with pytest.raises(UnicodeEncodeError):
        changed.to_json_bytes()
    with pytest.raises(UnicodeEncodeError):
        compact_json_bytes(changed.to_dict())


@settings(max_examples=300, deadline=None)
@given(value=st.recursive(st.one_of(texts, st.integers(-(2**63), 2**63 - 1), st.booleans(), st.none(),
                                    st.floats(min_value=1e-4, max_value=9e15), st.floats(-9e15, -1e-4)),
                          lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(texts, inner,
                                                                                               max_size=3)),
                          max_leaves=8))
def test_orjson_writes_what_json_writes_for_checked_values(value: Any):
    """What the decision line relies on: for text (any escape) and floats json writes without an
    exponent, orjson's bytes are json's, compact and indented."""
    assert checked_json_bytes(value) == _json(value)
    indented = checked_json_bytes(value, indent=True)
    assert indented is not None and indented + b"\n" == _json(value, indent=2)


def _written(row: list[Any]) -> bytes:
    out = io.StringIO()
    tables.SafeWriter(out).row(row)
    return out.getvalue().encode("utf-8")


cells = st.one_of(texts, st.integers(), huge, floats, st.booleans(), st.none(),
                  st.sampled_from(["=cmd|' /C calc'!A0", "+1", "-2", "@x", "\tx", "\rx", '"', '""', "a,b", ""]))
KEPT = tables.CsvLines()  # one for every example: most cells are then taken from what it keeps


@settings(max_examples=500, deadline=None)
@given(row=st.lists(cells, max_size=8))
@example(row=["=1+2", '"quoted"', None, 1.5, -0.0, True, 2**70, float("nan"), "a\nb", "\u2028"])
def test_a_csv_line_is_what_the_csv_writer_writes(row: list[Any]):
    assert KEPT.line(row) == _written(row)
    assert KEPT.line(row) == _written(row)  # again, from the fields kept
    assert tables.CsvLines().line(iter(row)) == _written(row)


@settings(max_examples=300, deadline=None)
@given(row=st.lists(cells, min_size=1, max_size=6))
def test_a_csv_line_is_one_line_and_no_cell_is_a_formula(row: list[Any]):
    line = KEPT.line(row)
    assert line.endswith(b"\n") and line.count(b"\n") == 1 and b"\r" not in line
    (read,) = list(csv.reader(io.StringIO(line.decode("utf-8"))))
    assert len(read) == len(row)
    for cell, given_cell in zip(read, row):
        if isinstance(given_cell, str):
            assert not cell.startswith(FORMULA_START)


def test_a_csv_row_of_other_types_goes_through_the_writer():
    class Name(str):
        pass

    row = [Name("=x"), ("a", 1), 2, None]
    assert tables.CsvLines().line(row) == tables.CsvLines()._written(row)
    assert tables.CsvLines().line(row) == b'"\'=x","[\'a\', 1]",2,""\n'


def test_lone_surrogate_in_a_csv_cell_fails_as_the_writer_does():
    with pytest.raises(UnicodeEncodeError):
        tables.CsvLines().line(["a\udc80"])
    with pytest.raises(UnicodeEncodeError):
        _written(["a\udc80"])


@pytest.mark.parametrize(("value", "compact", "indented"), [
    ([float("nan")], "[null]", "[\n  null\n]"),  # orjson writes it
    ([float("nan"), 1e16], "[null,1e+16]", "[\n  null,\n  1e+16\n]"),  # json writes it, for the exponent
    ({"a": float("-inf"), "b": 2**70}, '{"a":null,"b":1180591620717411303424}',
     '{\n  "a": null,\n  "b": 1180591620717411303424\n}'),  # json writes it, for the big integer
])
def test_nan_and_infinity_are_null_whichever_encoder_writes(value: Any, compact: str, indented: str) -> None:
    """JSON has no NaN: the output never holds json's ``NaN``/``Infinity``, which no JSON reader takes."""
    assert compact_json(value) == compact and compact_json_bytes(value) == compact.encode()
    assert indented_json(value) == indented


def test_a_value_json_refuses_is_refused_as_json_refuses_it() -> None:
    """Only a non-finite float is written anew (as null): any other error of json's stays json's error."""
    loop: list[Any] = []
    loop.append(loop)
    for encode in (compact_json, indented_json, lambda value: json_text(value, indent=2)):
        with pytest.raises(ValueError, match=r"^Circular reference detected$"):
            encode(loop)
