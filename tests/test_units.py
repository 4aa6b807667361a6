"""A standard names its credit unit, and every output uses it: text in both languages, the decision's JSON,
a batch run's summary. The default stays 学分 / credits."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

import creditrules
from creditrules.batch.summary import summary_text
from creditrules.learner import learner_from_dict

STANDARD = """\
id: us-exam-credit
version: "1"
kind: conversion
name_zh: 考试学分表
name_en: Exam credit table
effective: {{from: 2024-09-01}}
source: {{citation: Illustrative test standard., illustrative: true}}
{unit}kinds:
  exam:
    name_zh: 考试
    name_en: Exam
    attributes:
      score: {{type: number, min: 1, max: 5, required: true}}
catalog:
  AP-CALC: {{kind: exam, name_zh: 微积分, name_en: AP Calculus}}
program:
  code: "MATH"
  name_zh: 数学
  name_en: Mathematics
  total_credits: 120
  categories:
    general: {{name_zh: 通识, name_en: General education, required: 30}}
tables:
  - id: ap
    name_zh: AP 成绩换学分
    name_en: AP scores to credit
    when: {{code: AP-CALC}}
    category: general
    rows:
      - {{score: 3, credits: 1}}
      - {{score: {{at_least: 4}}, credits: 4}}
"""
HOURS = "unit: {name_zh: 学时, name_en: semester hours, name_en_one: semester hour}\n"


def _standard(tmp_path: Path, unit: str) -> creditrules.CompiledStandard:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "s.yaml").write_text(STANDARD.format(unit=unit), encoding="utf-8")
    assert creditrules.validate([tmp_path]) == []
    return creditrules.compile_standards(tmp_path)["us-exam-credit"]


def _decide(standard: creditrules.CompiledStandard, score: int) -> creditrules.Decision:
    learner = learner_from_dict({"id": "S1", "achievements": [
        {"id": "A1", "code": "AP-CALC", "score": score, "obtained": "2024-06-01"}]})
    return creditrules.evaluate(standard, learner, as_of=date(2025, 1, 1))


def test_text_in_both_languages_names_the_unit(tmp_path: Path):
    standard = _standard(tmp_path, HOURS)
    ruleset = standard.ruleset_for(date(2025, 1, 1))
    one = creditrules.render_text(_decide(standard, 3), ruleset, lang="en").split("\n")
    assert one[3:5] == ["Credit awarded: 1 semester hour", "  ✓ 1 semester hour into General education"]
    four = creditrules.render_text(_decide(standard, 5), ruleset, lang="en").split("\n")
    assert "Toward the diploma (Mathematics, 120 semester hours): 4 credited, 116 to go" in four
    zh = creditrules.render_text(_decide(standard, 5), ruleset, lang="zh").split("\n")
    assert zh[3:5] == ["认定学分：共 4 学时", "  ✓ 4 学时计入通识"]
    assert "毕业要求（数学，共 120 学时）：已认定 4 学时，尚需 116 学时" in zh


def test_the_decision_json_says_the_unit_and_the_default_is_credits(tmp_path: Path):
    hours = json.loads(_decide(_standard(tmp_path / "a", HOURS), 4).to_json())
    assert hours["unit"] == {"zh": "学时", "en": "semester hours", "en_one": "semester hour"}
    plain = json.loads(_decide(_standard(tmp_path / "b", ""), 4).to_json())
    assert plain["unit"] == {"zh": "学分", "en": "credits", "en_one": "credit"}
    assert list(plain)[:7] == ["format_version", "learner", "standard", "as_of", "engine_version", "unit", "total"]


@pytest.mark.parametrize(("unit", "first_line_ends"), [
    (HOURS, "trace compact, credit counted in semester hours"), ("", "trace compact")])
def test_a_batch_summary_says_the_unit(tmp_path: Path, unit: str, first_line_ends: str):
    standard = _standard(tmp_path, unit)
    rows = [{"learner": "S1", "id": "A1", "code": "AP-CALC", "score": 4, "obtained": "2024-06-01"}]
    summary = creditrules.evaluate_batch(rows, standard, output=io.StringIO(), rejects=io.StringIO(),
                                         as_of="2025-01-01", workers=1)
    assert summary.to_dict()["unit"] == ("semester hours" if unit else "credits")
    assert summary_text(summary).split("\n")[0].endswith(first_line_ends)
