"""The same value typed in full-width or half-width form is one value, on both sides."""

from __future__ import annotations

from pathlib import Path

import pytest

import creditrules

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def standard():
    return creditrules.compile_standards(ROOT / "standards")["yrd-computer-application"]


def test_one_event_in_two_widths_counts_once(standard):
    learner = {"id": "S1", "achievements": [
        {"id": "A1", "code": "COMP-VOC", "tier": "省级", "award": "二等奖", "event": "Ｃ语言程序设计赛项",
         "organizer": "government", "obtained": "2025-01-01"},
        {"id": "A2", "code": "COMP-VOC", "tier": "省级", "award": "一等奖", "event": "C语言程序设计赛项",
         "organizer": "government", "obtained": "2025-02-01"},
    ]}
    decision = creditrules.evaluate(standard, learner, "2025-06-30")
    assert [(a.rule, a.achievements) for a in decision.awards] == [("competition-provincial", ("A1",))]
    assert [(u.achievement, u.reason) for u in decision.unused] == [("A2", "limit")]


def test_full_width_punctuation_in_a_standard_matches_the_same_record(tmp_path):
    source = (ROOT / "tests" / "invalid" / "condition-unsatisfiable.yaml").read_text(encoding="utf-8")
    source = source.split("\n", 1)[1]  # drop the expect header
    source = source.replace("levels: [初级, 中级, 高级]", "levels: [初级, 中级, 一级（高级技师）]")
    source = source.replace("level: {at_least: 高级, below: 中级}", "level: 一级（高级技师）")
    (tmp_path / "std.yaml").write_text(source, encoding="utf-8")
    standard = creditrules.compile_standards(tmp_path)["test-conversion"]
    for typed in ("一级（高级技师）", "一级(高级技师)"):
        learner = {"id": "S1", "achievements": [
            {"id": "A1", "code": "X-WEB", "level": typed, "obtained": "2025-01-01"}]}
        decision = creditrules.evaluate(standard, learner, "2025-06-30")
        assert [a.rule for a in decision.awards] == ["web-core"], typed


@pytest.mark.parametrize("typed", ["中级", " 中级 ", "中级\u3000", "一级（高级技师）", "一级(高级技师) "])
def test_a_value_that_matches_a_level_also_keeps_its_grade(tmp_path, typed):
    """Eligibility and the grade map use the same normalisation: a level typed with spaces or
    full-width brackets that earns the award also gets the grade its level maps to."""
    source = (ROOT / "tests" / "invalid" / "condition-unsatisfiable.yaml").read_text(encoding="utf-8")
    source = source.split("\n", 1)[1]
    source = source.replace("levels: [初级, 中级, 高级]", "levels: [初级, 中级, 一级（高级技师）]")
    source = source.replace("level: {at_least: 高级, below: 中级}", "level: {at_least: 中级}")
    source = source.replace("      courses: [C201]", "      courses: [C201]\n      grade: {from: level, map: {中级: 良好, "
                                                    "一级（高级技师）: 优秀}}")
    (tmp_path / "std.yaml").write_text(source, encoding="utf-8")
    standard = creditrules.compile_standards(tmp_path)["test-conversion"]
    learner = {"id": "S1", "achievements": [{"id": "A1", "code": "X-WEB", "level": typed, "obtained": "2025-01-01"}]}
    decision = creditrules.evaluate(standard, learner, "2025-06-30")
    expected = "良好" if "中级" in typed else "优秀"
    assert [(a.rule, a.grade) for a in decision.awards] == [("web-core", expected)]


def test_one_version_label_however_it_is_typed(tmp_path):
    first = (ROOT / "tests" / "invalid" / "duplicate-version" / "first.yaml").read_text(encoding="utf-8")
    for name, label in (("a.yaml", "2024.1"), ("b.yaml", "２０２４.１"), ("c.yaml", " 2024.1 ")):
        (tmp_path / name).write_text(first.replace('version: "1"', f'version: "{label}"'), encoding="utf-8")
    assert [(d.path.rsplit("/", 1)[1], d.code, d.message) for d in creditrules.validate(tmp_path)] == [
        (name, "E003", f"standard 'test-conversion' version '2024.1' is also defined in {tmp_path}/a.yaml; give this "
                       "one a new version") for name in ("b.yaml", "c.yaml")]
