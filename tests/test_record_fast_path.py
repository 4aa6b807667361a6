"""The common record's one-pass check agrees with the full checks, whatever the record holds.

``parse_achievement`` takes a short path for records of text, true/false and ordinary numbers; it must give
exactly the achievement the full checks give, and leave every other record (and every reason a
record is refused) to them. ``normalise`` skips the Unicode tables for ASCII text, which NFKC
leaves as it is.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from creditrules.learner import Achievement, Rejection, _checked_record, _plain_record, parse_achievement
from creditrules.normalise import normalise

TEXT = st.one_of(
    st.sampled_from(["A1", " A1 ", "Ａ１", "", " ", "\u3000", "1X-WEB", "X-WEB\t", "中级", "2024-06-01",
                     "2024-6-1", "２０２４-０６-０１", "1899-12-31", "2024-02-30", "\ufeffA1", "#3"]),
    st.text(max_size=12),
)
PLAIN = st.one_of(TEXT, st.booleans(), st.none())
HUGE = st.sampled_from([10 ** 4400, -(10 ** 4400), 2 ** 14_000, 2 ** 14_001, 10 ** 65, float("inf"), 1e300])
VALUE = st.one_of(PLAIN, st.integers(), st.floats(allow_nan=False), HUGE, st.lists(st.integers(), max_size=2))
KEYS = st.sampled_from(["id", "code", "obtained", "verified", "issuer", "region", "level", "event", "hours"])


@settings(max_examples=600, deadline=None)
@given(record=st.dictionaries(KEYS, VALUE, max_size=8), seen=st.sets(TEXT, max_size=3))
def test_the_short_path_gives_what_the_full_checks_give(record, seen):
    short_seen, full_seen = set(seen), set(seen)
    short = _plain_record(dict(record), short_seen)
    full = _checked_record(dict(record), 1, full_seen)
    if short is not None:
        assert isinstance(short, Achievement)
        assert short == full
        assert short_seen == full_seen
    assert parse_achievement(dict(record), 1, set(seen)) == full


def _mostly(good: st.SearchStrategy, bad: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(good, good, good, bad)


NEARLY_VALID = st.fixed_dictionaries(
    {"id": _mostly(st.sampled_from(["A1", " A2", "Ａ３"]), PLAIN),
     "code": _mostly(st.sampled_from(["X-WEB", "１+X-WEB "]), PLAIN),
     "obtained": _mostly(st.sampled_from(["2024-06-01", "２０２４-０６-０１"]), PLAIN)},
    optional={"verified": PLAIN, "issuer": PLAIN, "region": PLAIN, "level": PLAIN})


@settings(max_examples=400, deadline=None)
@given(record=NEARLY_VALID)
def test_records_of_text_agree_too(record):
    assert parse_achievement(dict(record), 2, set()) == _checked_record(dict(record), 2, set())


def test_a_typical_record_takes_the_short_path():
    record = {"id": "A1", "code": "X-WEB", "obtained": "2024-06-01", "verified": True, "level": "中级"}
    assert _plain_record(record, set()) == Achievement("A1", "X-WEB", date(2024, 6, 1), True, None, None,
                                                       {"level": "中级"})


def test_a_record_with_hours_and_a_score_takes_the_short_path_too():
    record = {"id": "A1", "code": "ELD-COURSE", "obtained": "2025-06-01", "verified": True, "hours": 48,
              "attendance": 79.5}
    assert _plain_record(record, set()) == Achievement("A1", "ELD-COURSE", date(2025, 6, 1), True, None, None,
                                                       {"hours": 48, "attendance": 79.5})


def test_a_number_too_long_for_text_is_left_to_the_full_checks():
    record = {"id": "A1", "code": "ELD-COURSE", "obtained": "2025-06-01", "hours": 10 ** 4400}
    assert _plain_record(record, set()) is None
    result = parse_achievement(record, 1, set())
    assert isinstance(result, Rejection) and result.reason_code == "too-many-digits"


def test_an_issuer_written_as_a_number_is_refused_as_before():
    record = {"id": "A1", "code": "X-WEB", "obtained": "2024-06-01", "issuer": 12}
    assert _plain_record(record, set()) is None
    result = parse_achievement(record, 1, set())
    assert isinstance(result, Rejection) and result.reason_code == "text"


def test_a_refused_record_keeps_its_reason():
    seen = {"A1"}
    result = parse_achievement({"id": "A1", "code": "X-WEB", "obtained": "2024-06-01"}, 1, seen)
    assert _plain_record({"id": "A1", "code": "X-WEB", "obtained": "2024-06-01"}, {"A1"}) is None
    assert isinstance(result, Rejection) and result.reason_code == "duplicate-id"


@given(st.text(max_size=20))
def test_normalise_is_nfkc_then_strip(text):
    assert normalise(text) == unicodedata.normalize("NFKC", text).strip()
