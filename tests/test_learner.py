"""Learner records are untrusted input: a bad achievement is rejected with a reason, the rest
is still evaluated; only a record unusable as a whole raises LearnerError."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import creditrules
from creditrules import LearnerError, Rejection, learner_from_dict, load_learner

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2025-06-30"
GOOD = {"id": "OK", "code": "X-WEB", "level": "中级", "obtained": "2024-06-15", "verified": True}


@pytest.fixture(scope="module")
def standard() -> creditrules.CompiledStandard:
    return creditrules.compile_standards(ROOT / "standards")["yrd-computer-application"]


def _rejections(decision: creditrules.Decision) -> dict[str, str]:
    return {r.achievement: r.reason for r in decision.rejected}


def _awarded_from(decision: creditrules.Decision) -> set[str]:
    return {a for award in decision.awards for a in award.achievements}


def evaluate_one(standard, bad: object) -> creditrules.Decision:
    """A learner with one good achievement and one bad one."""
    return creditrules.evaluate(standard, {"id": "S1", "achievements": [GOOD, bad]}, AS_OF)


# ---------------------------------------------------------------- one bad achievement, the rest evaluated

STRUCTURE = [
    ("not-a-mapping-text", "junk", "#2", "achievement #2 must be a mapping of keys, not 'junk'"),
    ("not-a-mapping-number", 5, "#2", "achievement #2 must be a mapping of keys, not the number 5"),
    ("not-a-mapping-list", ["A2"], "#2", "achievement #2 must be a mapping of keys, not a list"),
    ("missing-id", {"code": "X-WEB", "obtained": "2024-01-01"}, "#2", "achievement #2 has no 'id'"),
    ("blank-id", {"id": "  ", "code": "X-WEB", "obtained": "2024-01-01"}, "#2", "achievement #2 has no 'id'"),
    ("bool-id", {"id": True, "code": "X-WEB", "obtained": "2024-01-01"}, "#2", "achievement #2 has no 'id'"),
    ("missing-code", {"id": "A2", "obtained": "2024-01-01"}, "A2", "'code' must be a catalog code, not nothing"),
    ("empty-code", {"id": "A2", "code": "", "obtained": "2024-01-01"}, "A2", "'code' must be a catalog code, not ''"),
    ("number-code", {"id": "A2", "code": 12, "obtained": "2024-01-01"}, "A2",
     "'code' must be a catalog code, not the number 12"),
    ("missing-obtained", {"id": "A2", "code": "X-WEB", "level": "中级"}, "A2",
     "'obtained' (the date it was obtained, YYYY-MM-DD) is missing"),
    ("slashed-date", {"id": "A2", "code": "X-WEB", "obtained": "2024/01/01"}, "A2",
     "'obtained': '2024/01/01' is not a date; write YYYY-MM-DD, e.g. 2024-09-01"),
    ("short-date", {"id": "A2", "code": "X-WEB", "obtained": "2024-1-1"}, "A2",
     "'obtained': '2024-1-1' is not a date; write YYYY-MM-DD, e.g. 2024-09-01"),
    ("impossible-date", {"id": "A2", "code": "X-WEB", "obtained": "2024-02-30"}, "A2",
     "'obtained': '2024-02-30' is not a day of the calendar; write YYYY-MM-DD, e.g. 2024-09-01"),
    ("number-date", {"id": "A2", "code": "X-WEB", "obtained": 20240101}, "A2",
     "'obtained': 20240101 is not a date; write 2024-01-01"),
    ("compact-date-text", {"id": "A2", "code": "X-WEB", "obtained": "20240101"}, "A2",
     "'obtained': '20240101' is not a date; write 2024-01-01"),
    ("timestamp", {"id": "A2", "code": "X-WEB", "obtained": 1725148800}, "A2",
     "'obtained': the number 1725148800 is not a date (a timestamp is not accepted); write the day as YYYY-MM-DD, "
     "e.g. 2024-09-01"),
    ("week-date", {"id": "A2", "code": "X-WEB", "obtained": "2024-W35-1"}, "A2",
     "'obtained': '2024-W35-1' is a week date; write the day as YYYY-MM-DD, e.g. 2024-09-01"),
    ("ordinal-date", {"id": "A2", "code": "X-WEB", "obtained": "2024-245"}, "A2",
     "'obtained': '2024-245' is a day of the year; write the day as YYYY-MM-DD, e.g. 2024-09-01"),
    ("datetime-with-zone", {"id": "A2", "code": "X-WEB", "obtained": "2024-09-01T08:00:00+08:00"}, "A2",
     "'obtained': '2024-09-01T08:00:00+08:00' has a time of day; write the day only, e.g. 2024-09-01"),
    ("date-list", {"id": "A2", "code": "X-WEB", "obtained": ["2024-09-01"]}, "A2",
     "'obtained': a list is not a date; write the day as YYYY-MM-DD, e.g. 2024-09-01"),
    ("huge-id", {"id": 10 ** 70, "code": "X-WEB", "obtained": "2024-01-01"}, "#2",
     "'id' is a number of 71 digits, too large (at most 64)"),
    ("float-id", {"id": 1.5, "code": "X-WEB", "obtained": "2024-01-01"}, "#2",
     "achievement #2 has the number 1.5 as its 'id'; write the id in quotes"),
    ("before-1900", {"id": "A2", "code": "X-WEB", "obtained": "1899-12-31"}, "A2",
     "'obtained' 1899-12-31 is before 1900-01-01"),
    ("verified-text", {"id": "A2", "code": "X-WEB", "obtained": "2024-01-01", "verified": "yes"}, "A2",
     "'verified' must be true or false, not 'yes'"),
    ("issuer-number", {"id": "A2", "code": "X-WEB", "obtained": "2024-01-01", "issuer": 5}, "A2",
     "'issuer' must be text, not the number 5"),
    ("region-list", {"id": "A2", "code": "X-WEB", "obtained": "2024-01-01", "region": ["上海"]}, "A2",
     "'region' must be text, not a list"),
]

VALUES = [
    ("negative-hours", {"id": "A2", "code": "TRAIN-EXT", "obtained": "2024-01-01", "hours": -5}, "A2",
     "'hours' is -5, below the smallest allowed value 0"),
    ("hours-above-max", {"id": "A2", "code": "TRAIN-EXT", "obtained": "2024-01-01", "hours": 2001}, "A2",
     "'hours' is 2001, above the largest allowed value 2000"),
    ("hours-nan", {"id": "A2", "code": "TRAIN-EXT", "obtained": "2024-01-01", "hours": float("nan")}, "A2",
     "'hours' must be a finite number, not nan"),
    ("hours-infinite", {"id": "A2", "code": "TRAIN-EXT", "obtained": "2024-01-01", "hours": float("inf")}, "A2",
     "'hours' must be a finite number, not inf"),
    ("hours-text", {"id": "A2", "code": "TRAIN-EXT", "obtained": "2024-01-01", "hours": "40"}, "A2",
     "'hours' must be a number, not '40'"),
    ("hours-bool", {"id": "A2", "code": "TRAIN-EXT", "obtained": "2024-01-01", "hours": True}, "A2",
     "'hours' must be a number, not true/false"),
    ("level-not-on-scale", {"id": "A2", "code": "X-WEB", "obtained": "2024-01-01", "level": "特级"}, "A2",
     "'level' is '特级', not a level of 1+X certificate level (初级, 中级, 高级)"),
    ("level-number", {"id": "A2", "code": "X-WEB", "obtained": "2024-01-01", "level": 3}, "A2",
     "'level' is the number 3, not a level of 1+X certificate level (初级, 中级, 高级)"),
    ("level-missing", {"id": "A2", "code": "X-WEB", "obtained": "2024-01-01"}, "A2",
     "'level' is required for x_certificate achievements but missing"),
    ("choice-not-allowed", {"id": "A2", "code": "COMP-VOC", "obtained": "2024-01-01", "tier": "省级", "award": "一等奖",
                            "event": "云计算赛项", "organizer": "army"}, "A2",
     "'organizer' is 'army', not one of government, industry, school"),
    ("level-400-digits", {"id": "A2", "code": "X-WEB", "obtained": "2024-01-01", "level": 10 ** 399}, "A2",
     "'level' is a number of 400 digits, not a level of 1+X certificate level (初级, 中级, 高级)"),
    ("hours-400-digits", {"id": "A2", "code": "TRAIN-EXT", "obtained": "2024-01-01", "hours": 10 ** 399}, "A2",
     "'hours' is a number of 400 digits, too large (at most 15)"),
    ("after-as-of", {"id": "A2", "code": "X-WEB", "obtained": "2025-07-01", "level": "中级"}, "A2",
     "obtained 2025-07-01 is after the as-of date 2025-06-30"),
]


@pytest.mark.parametrize("bad,achievement,reason", [c[1:] for c in STRUCTURE + VALUES],
                         ids=[c[0] for c in STRUCTURE + VALUES])
def test_bad_achievement_is_rejected_alone(standard, bad, achievement, reason):
    decision = evaluate_one(standard, bad)
    assert _rejections(decision) == {achievement: reason}
    assert _awarded_from(decision) == {"OK"}
    assert decision.total_credits == 8


@pytest.mark.parametrize("bad,achievement,reason", [c[1:] for c in STRUCTURE], ids=[c[0] for c in STRUCTURE])
def test_structural_problems_are_found_without_a_standard(bad, achievement, reason):
    learner = learner_from_dict({"id": "S1", "achievements": [GOOD, bad]})
    assert [a.id for a in learner.achievements] == ["OK"]
    assert [(r.achievement, r.reason) for r in learner.rejected] == [(achievement, reason)]


def test_obtained_on_the_as_of_date_counts(standard):
    decision = creditrules.evaluate(standard, {"id": "S1", "achievements": [dict(GOOD, obtained=AS_OF)]}, AS_OF)
    assert decision.rejected == () and _awarded_from(decision) == {"OK"}


def test_obtained_as_a_date_object(standard):
    learner = learner_from_dict({"id": "S1", "achievements": [dict(GOOD, obtained=date(2024, 6, 15))]})
    assert learner.achievements[0].obtained == date(2024, 6, 15)


def test_rejections_are_rendered(standard):
    decision = evaluate_one(standard, {"id": "A2", "code": "X-WEB", "obtained": "1899-12-31"})
    text = creditrules.render_text(decision, standard.ruleset_for(decision.as_of), lang="en")
    lines = text.splitlines()
    assert "Records that could not be used:" in lines
    assert "  ✗ A2: 'obtained' 1899-12-31 is before 1900-01-01" in lines


# ---------------------------------------------------------------- unknown codes

def test_unknown_code_is_unused_not_rejected(standard):
    decision = evaluate_one(standard, {"id": "A2", "code": "NOPE-1", "obtained": "2024-01-01"})
    assert decision.rejected == ()
    assert [u.to_dict() for u in decision.unused] == [{
        "achievement": "A2", "code": "NOPE-1", "reason": "unknown-code",
        "detail": "code 'NOPE-1' is not in the catalog of standard 'yrd-computer-application'"}]
    assert _awarded_from(decision) == {"OK"}


def test_misspelt_code_suggests_the_catalog_code(standard):
    decision = evaluate_one(standard, {"id": "A2", "code": "X-WBE", "obtained": "2024-01-01"})
    assert [u.detail for u in decision.unused] == [
        "code 'X-WBE' is not in the catalog of standard 'yrd-computer-application' (did you mean 'X-WEB'?)"]


def test_misspelt_code_suggestion_reaches_the_text(standard):
    """The decision knows the suggestion; the learner reading the text should see it too."""
    decision = evaluate_one(standard, {"id": "A2", "code": "X-WBE", "obtained": "2024-01-01"})
    lines = creditrules.render_text(decision, standard.ruleset_for(decision.as_of), lang="en").splitlines()
    assert "  ✗ A2 (X-WBE): this standard does not recognise code X-WBE (did you mean 'X-WEB'?)" in lines


def test_equivalent_code_of_another_bank(standard):
    decision = creditrules.evaluate(standard, {"id": "S1", "achievements": [
        {"id": "A1", "code": "SH-1X-WEB", "level": "中级", "obtained": "2024-06-15"}]}, AS_OF)
    assert _awarded_from(decision) == {"A1"}


# ---------------------------------------------------------------- normalisation

def test_full_width_code_id_and_date_are_normalised(standard):
    # NFKC: Ｘ－ＷＥＢ (full-width letters and U+FF0D full-width hyphen-minus) is X-WEB
    learner = learner_from_dict({"id": "Ｓ１", "achievements": [
        {"id": "Ａ１", "code": " Ｘ－ＷＥＢ ", "level": "中级", "obtained": "２０２４－０６－１５"}]})
    assert learner.id == "S1"
    assert [(a.id, a.code, a.obtained) for a in learner.achievements] == [("A1", "X-WEB", date(2024, 6, 15))]
    decision = creditrules.evaluate(standard, learner, AS_OF)
    assert _awarded_from(decision) == {"A1"}
    assert decision.total_credits == 8


def test_em_dash_is_not_a_hyphen():
    # only compatibility forms are folded: an em dash stays an em dash (and the code stays unknown)
    learner = learner_from_dict({"id": "S1", "achievements": [{"id": "A1", "code": "X—WEB", "obtained": "2024-01-01"}]})
    assert learner.achievements[0].code == "X—WEB"


def test_full_width_duplicate_id_is_a_duplicate():
    learner = learner_from_dict({"id": "S1", "achievements": [
        {"id": "A1", "code": "X-WEB", "obtained": "2024-01-01"},
        {"id": "Ａ１", "code": "X-CLOUD", "obtained": "2024-01-01"}]})
    assert learner.achievements == ()
    assert [(r.achievement, r.code) for r in learner.rejected] == [("A1", "X-WEB"), ("A1", "X-CLOUD")]


def test_number_id_becomes_text():
    learner = learner_from_dict({"id": 7, "achievements": [{"id": 28, "code": "X-WEB", "obtained": "2024-01-01"}]})
    assert (learner.id, learner.achievements[0].id) == ("7", "28")


# ---------------------------------------------------------------- duplicates

CONFLICT = ("achievement id 'OK' is used by 2 different records; none of them is used until each has its own id")


def test_differing_records_with_one_id_are_all_rejected(standard):
    """Which of two different records was meant cannot be known: neither is used, whatever the order."""
    other = {"id": "OK", "code": "X-CLOUD", "level": "高级", "obtained": "2024-06-15"}
    for achievements in ([GOOD, other], [other, GOOD]):
        decision = creditrules.evaluate(standard, {"id": "S1", "achievements": achievements}, AS_OF)
        assert sorted((r.achievement, r.code, r.reason) for r in decision.rejected) == [
            ("OK", "X-CLOUD", CONFLICT), ("OK", "X-WEB", CONFLICT)]
        assert decision.awards == ()


def test_identical_copies_count_once(standard):
    decision = creditrules.evaluate(standard, {"id": "S1", "achievements": [GOOD, dict(GOOD), dict(GOOD)]}, AS_OF)
    assert [(r.achievement, r.reason) for r in decision.rejected] == [
        ("OK", "duplicate achievement id 'OK': the same record again; one copy is used")] * 2
    assert decision.rejected[0].reason_zh == "成果编号 'OK' 重复：与另一条记录完全相同；只采用其中一条"
    assert {course.code for a in decision.awards for course in a.courses} == {"C201", "C202"}


def test_every_duplicate_record_is_reported(standard):
    """Three different records with id A1: all three are rejected, and the decision says so for each."""
    learner = {"id": "S1", "achievements": [
        {"id": "A1", "code": "X-WEB", "level": "中级", "obtained": "2024-06-15"},
        {"id": "A1", "code": "X-BIGDATA", "level": "高级", "obtained": "2024-06-15"},
        {"id": "A1", "code": "X-CLOUD", "level": "高级", "obtained": "2024-06-15"}]}
    assert len(learner_from_dict(learner).rejected) == 3
    decision = creditrules.evaluate(standard, learner, AS_OF)
    assert sorted((r.achievement, r.code) for r in decision.rejected) == [
        ("A1", "X-BIGDATA"), ("A1", "X-CLOUD"), ("A1", "X-WEB")]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([
    {"id": "A1", "code": "X-WEB", "level": "中级", "obtained": "2024-06-15"},
    {"id": "A1", "code": "X-WEB", "level": "高级", "obtained": "2024-06-15"},
    {"id": "Ａ1", "code": "X-WEB", "level": "中级", "obtained": "2024-06-15"},
    {"id": "A2", "code": "X-CLOUD", "level": "中级", "obtained": "2024-06-15"},
    {"id": "A2", "code": "X-CLOUD", "level": "中级", "obtained": "2024-06-15", "verified": True},
    {"id": "A3", "code": "X-BIGDATA", "level": "高级", "obtained": "2024-06-15"},
    {"id": "A3", "code": "X-BIGDATA", "level": "高级", "obtained": "2024/06/15"}]), max_size=8), st.randoms())
def test_duplicate_rule_does_not_depend_on_order(records, rng):
    shuffled = records[:]
    rng.shuffle(shuffled)
    first, second = (learner_from_dict({"id": "S1", "achievements": r}) for r in (records, shuffled))
    assert sorted(first.achievements, key=repr) == sorted(second.achievements, key=repr)
    assert sorted(first.rejected, key=repr) == sorted(second.rejected, key=repr)


# ---------------------------------------------------------------- the record as a whole

@pytest.mark.parametrize("data,message", [
    (["A1"], "a learner record must be a mapping with 'id' and 'achievements', not a list"),
    ("S1", "a learner record must be a mapping with 'id' and 'achievements', not text"),
    ({"id": 1.5, "achievements": []}, "the learner's 'id' is the number 1.5; write the id in quotes, e.g. id: \"L-0001\""),
    ({"id": 10 ** 100, "achievements": []},
     "the learner's 'id' is a number of 101 digits; write the id in quotes, e.g. id: \"L-0001\""),
    ({"id": "S1", **{f"k{i}": 1 for i in range(150_000)}},
     "unknown key 'k0' (and 149999 more unknown keys); a learner has id, name, achievements and context"),
    (None, "a learner record must be a mapping with 'id' and 'achievements', not nothing"),
    ({"achievements": []}, "the learner has no 'id'"),
    ({"id": "", "achievements": []}, "the learner has no 'id'"),
    ({"id": False, "achievements": []}, "the learner has no 'id'"),
    ({"id": "S1", "achievments": []},
     "unknown key 'achievments' (did you mean 'achievements'?); a learner has id, name, achievements and context"),
    ({"id": "S1", "achievements": {"A1": {}}}, "'achievements' must be a list, not a mapping"),
    ({"id": "S1", "achievements": "A1"}, "'achievements' must be a list, not 'A1'"),
], ids=["list", "text", "float-id", "huge-id", "150k-unknown-keys", "null", "no-id", "empty-id", "bool-id", "misspelt-key", "achievements-mapping",
        "achievements-text"])
def test_unusable_record(data, message):
    with pytest.raises(LearnerError) as info:
        learner_from_dict(data)
    assert info.value.message == message
    assert str(info.value) == f"<learner>: {message}"


def test_no_achievements_is_fine(standard):
    for data in ({"id": "S1"}, {"id": "S1", "achievements": None}, {"id": "S1", "achievements": []}):
        assert learner_from_dict(data).achievements == ()
    decision = creditrules.evaluate(standard, {"id": "S1"}, AS_OF)
    assert decision.total == 0 and decision.awards == ()


def test_ten_thousand_achievements_is_the_limit(standard):
    many = [{"id": f"A{i}", "code": "X-WEB", "obtained": "2024-01-01"} for i in range(10_000)]
    assert len(learner_from_dict({"id": "S1", "achievements": many}).achievements) == 10_000
    many.append({"id": "A10000", "code": "X-WEB", "obtained": "2024-01-01"})
    with pytest.raises(LearnerError) as info:
        creditrules.evaluate(standard, {"id": "S1", "achievements": many}, AS_OF)
    assert str(info.value) == "<learner>: 10001 achievements is over the limit of 10000 for one learner"


def test_learner_error_is_a_creditrules_error():
    assert issubclass(LearnerError, creditrules.CreditRulesError)
    assert isinstance(Rejection("A1", None, "x").to_dict(), dict)


# ---------------------------------------------------------------- learner files

def test_yaml_file(tmp_path: Path):
    path = tmp_path / "l.yaml"
    path.write_text("id: S1\nname: 李明\nachievements:\n  - {id: A1, code: X-WEB, level: 中级, obtained: 2024-06-15}\n",
                    encoding="utf-8")
    learner = load_learner(path)
    assert (learner.id, learner.name, learner.achievements[0].obtained) == ("S1", "李明", date(2024, 6, 15))


def test_yaml_duplicate_key(tmp_path: Path):
    path = tmp_path / "l.yaml"
    path.write_text("id: S1\nid: S2\n", encoding="utf-8")
    with pytest.raises(LearnerError) as info:
        load_learner(path)
    assert str(info.value) == f"{path}: line 2, column 1: duplicate key 'id' (first defined on line 1); remove one of them"


def test_yaml_one_bad_achievement(tmp_path: Path):
    path = tmp_path / "l.yaml"
    path.write_text("id: S1\nachievements:\n"
                    "  - {id: A1, code: X-WEB, level: 中级, obtained: 2024-06-15}\n"
                    "  - {id: A2, code: TRAIN-EXT, hours: .nan, obtained: 2024-06-15}\n", encoding="utf-8")
    learner = load_learner(path)
    assert [a.id for a in learner.achievements] == ["A1", "A2"]
    assert learner.achievements[1].attributes["hours"] == ".nan"  # strict YAML: .nan is text


def test_json_duplicate_key(tmp_path: Path):
    path = tmp_path / "l.json"
    path.write_text('{"id": "S1", "id": "S2"}', encoding="utf-8")
    with pytest.raises(LearnerError) as info:
        load_learner(path)
    assert str(info.value) == f"{path}: invalid JSON: duplicate key 'id'"


def test_json_empty_file(tmp_path: Path):
    path = tmp_path / "l.json"
    path.write_text("", encoding="utf-8")
    with pytest.raises(LearnerError) as info:
        load_learner(path)
    assert str(info.value) == f"{path}: invalid JSON: Expecting value: line 1 column 1 (char 0)"


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_rejects_only_that_achievement(tmp_path: Path, standard, constant: str):
    """One achievement with NaN hours must not make the whole learner unusable: the
    learner module rejects a bad value per achievement and keeps the others (today the
    whole file fails with 'invalid JSON: NaN is not a number JSON allows', with no position)."""
    path = tmp_path / "l.json"
    path.write_text(json.dumps({"id": "S1", "achievements": [
        GOOD, {"id": "A2", "code": "TRAIN-EXT", "obtained": "2024-06-15", "hours": float(constant.lstrip("-"))
               * (-1 if constant.startswith("-") else 1)}]}), encoding="utf-8")
    assert constant in path.read_text(encoding="utf-8")
    decision = creditrules.evaluate(standard, load_learner(path), AS_OF)
    shown = {"NaN": "nan", "Infinity": "inf", "-Infinity": "-inf"}[constant]
    assert _rejections(decision) == {"A2": f"'hours' must be a finite number, not {shown}"}
    assert _awarded_from(decision) == {"OK"}


# ---------------------------------------------------------------- hostile records (issue 12)

@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_number_past_any_limit_rejects_only_its_achievement(tmp_path: Path, standard, suffix: str):
    huge = "9" * 5000
    path = tmp_path / f"l{suffix}"
    if suffix == ".json":
        path.write_text('{"id": "S1", "achievements": [' + json.dumps(GOOD) + ', {"id": "A2", "code": "TRAIN-EXT", '
                        f'"obtained": "2024-06-15", "hours": {huge}}}]}}', encoding="utf-8")
    else:
        path.write_text("id: S1\nachievements:\n  - {id: OK, code: X-WEB, level: 中级, obtained: 2024-06-15}\n"
                        f"  - {{id: A2, code: TRAIN-EXT, obtained: 2024-06-15, hours: {huge}}}\n", encoding="utf-8")
    decision = creditrules.evaluate(standard, load_learner(path), AS_OF)
    assert [(r.achievement, r.reason, r.reason_zh) for r in decision.rejected] == [
        ("A2", "'hours' is a number of 5000 digits, too large (at most 15)", "'hours' 是 5000 位数字，过大（最多 15 位）")]
    assert _awarded_from(decision) == {"OK"}


@pytest.mark.parametrize("obtained,en,zh", [
    (20240901, "'obtained': 20240901 is not a date; write 2024-09-01", "'obtained'：20240901 不是日期；请写作 2024-09-01"),
    ("2024-W35-7", "'obtained': '2024-W35-7' is a week date; write the day as YYYY-MM-DD, e.g. 2024-09-01",
     "'obtained'：'2024-W35-7' 是周日期；请写作 YYYY-MM-DD，例如 2024-09-01"),
    ("2024-09-01T00:00:00Z", "'obtained': '2024-09-01T00:00:00Z' has a time of day; write the day only, e.g. 2024-09-01",
     "'obtained'：'2024-09-01T00:00:00Z' 含有时刻；只写日期，例如 2024-09-01"),
    (1725148800, "'obtained': the number 1725148800 is not a date (a timestamp is not accepted); write the day as "
                 "YYYY-MM-DD, e.g. 2024-09-01",
     "'obtained'：数字 1725148800 不是日期（不接受时间戳）；请写作 YYYY-MM-DD，例如 2024-09-01"),
])
def test_dates_are_days_in_both_languages(obtained, en, zh):
    learner = learner_from_dict({"id": "S1", "achievements": [{"id": "A1", "code": "X-WEB", "obtained": obtained}]})
    assert [(r.reason, r.reason_zh) for r in learner.rejected] == [(en, zh)]


@pytest.mark.parametrize("code,en,zh", [
    ("X-W\u200bEB", " (did you mean 'X-WEB'?); it contains U+200B ZERO WIDTH SPACE at position 4",
     "（是否为 'X-WEB'？）；其中含有第 4 个字符 U+200B ZERO WIDTH SPACE"),
    ("Х-WEB", " (did you mean 'X-WEB'?); it contains U+0425 CYRILLIC CAPITAL LETTER HA at position 1",
     "（是否为 'X-WEB'？）；其中含有第 1 个字符 U+0425 CYRILLIC CAPITAL LETTER HA"),
    ("X\u2212WEB", " (did you mean 'X-WEB'?); it contains U+2212 MINUS SIGN at position 2",
     "（是否为 'X-WEB'？）；其中含有第 2 个字符 U+2212 MINUS SIGN"),
    ("X-W\u00adEB", " (did you mean 'X-WEB'?); it contains U+00AD SOFT HYPHEN at position 4",
     "（是否为 'X-WEB'？）；其中含有第 4 个字符 U+00AD SOFT HYPHEN"),
    ("\ufeffX-WEB", " (did you mean 'X-WEB'?); it contains U+FEFF ZERO WIDTH NO-BREAK SPACE at position 1",
     "（是否为 'X-WEB'？）；其中含有第 1 个字符 U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("ΧΑ-WEB", " (did you mean 'X-WEB'?); it contains U+03A7 GREEK CAPITAL LETTER CHI at position 1, U+0391 GREEK "
               "CAPITAL LETTER ALPHA at position 2",
     "（是否为 'X-WEB'？）；其中含有第 1 个字符 U+03A7 GREEK CAPITAL LETTER CHI、第 2 个字符 U+0391 GREEK CAPITAL LETTER ALPHA"),
    ("x-web", " (did you mean 'X-WEB'?)", "（是否为 'X-WEB'？）"),
], ids=["zero-width-space", "cyrillic", "unicode-minus", "soft-hyphen", "bom", "greek", "lower-case"])
def test_a_look_alike_code_names_the_character(standard, code, en, zh):
    decision = evaluate_one(standard, {"id": "A2", "code": code, "obtained": "2024-01-01"})
    shown = code.replace("\ufeff", "\\ufeff")
    head = f"code '{shown}' is not in the catalog of standard 'yrd-computer-application'"
    assert [u.detail for u in decision.unused] == [head + en]
    learner = learner_from_dict({"id": "S1", "achievements": [{"id": "A2", "code": code, "obtained": "2024-01-01"}]})
    _, unknown, _ = creditrules.learner.facts_for(standard.ruleset_for(date(2025, 6, 30)), learner.achievements,
                                                 date(2025, 6, 30))
    assert unknown[0].reason_zh == f"代码 '{shown}' 不在标准 'yrd-computer-application' 的目录中{zh}"


def test_a_yaml_tag_in_a_learner_file_is_refused_located(tmp_path: Path):
    path = tmp_path / "l.yaml"
    path.write_text("id: S1\nachievements:\n  - {id: A1, code: !!binary WC1XRUI=, obtained: 2024-06-15}\n",
                    encoding="utf-8")
    with pytest.raises(LearnerError) as info:
        load_learner(path)
    assert str(info.value) == (f"{path}: line 3, column 20: the YAML tag '!!binary' is not allowed; remove it "
                               "(write text in quotes and numbers as they are)")


def test_an_endless_learner_file_is_read_up_to_the_limit():
    with pytest.raises(LearnerError) as info:
        load_learner("/dev/zero")
    assert str(info.value) == ("/dev/zero: this is not a regular file, and it gives more than 2097152 bytes, the "
                               "limit for one file; reading stopped there")


def test_forged_lines_in_a_record_stay_on_one_line(standard):
    decision = evaluate_one(standard, {"id": "A2\u2028  ✓ C999 Free", "code": "X-WEB", "obtained": "2024\u008501-01"})
    text = creditrules.render_text(decision, standard.ruleset_for(decision.as_of), lang="en")
    assert not any(line.lstrip().startswith("✓ C999") for line in text.splitlines())
    assert "\u2028" not in text and "\x85" not in text
