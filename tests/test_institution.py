"""Institution-wide standards: a conversion standard with no program, whose rules credit categories every
program has (a college's exam-credit table), evaluated on its own or extended by a program's standard."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import creditrules
from creditrules.learner import learner_from_dict

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "standards" / "yangtze-delta"
PROGRAM = """\
id: demo-program
version: "1"
kind: conversion
name_zh: 示例专业
name_en: Demo program
extends: yrd-college-exams
effective: {{from: 2024-09-01}}
source: {{citation: Illustrative test standard., illustrative: true}}
program:
  code: "1"
  name_zh: 示例专业
  name_en: Demo program
  total_credits: 120
  categories:
    {category}: {{name_zh: 选修课, name_en: Electives, required: 20}}
"""


def _folder(tmp_path: Path, category: str = "elective", extra: str = "") -> Path:
    for name in ("base.yaml", "college-exams.yaml"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    (tmp_path / "program.yaml").write_text(PROGRAM.format(category=category) + extra, encoding="utf-8")
    return tmp_path


def test_a_program_standard_that_extends_an_institution_wide_one_takes_its_rules(tmp_path: Path):
    standard = creditrules.compile_standards(_folder(tmp_path))["demo-program"]
    learner = learner_from_dict({"id": "S", "achievements": [
        {"id": "E1", "code": "CET4", "score": 600, "obtained": "2024-06-01"}]})
    decision = creditrules.evaluate(standard, learner, as_of=date(2025, 1, 1))
    assert [(a.rule, a.category, a.credits) for a in decision.awards] == [("english/row-2", "elective", 3)]
    assert decision.application is not None and decision.application.credited == 3


def test_the_program_must_have_the_categories_the_institution_credits(tmp_path: Path):
    found = [(d.code, d.message) for d in creditrules.validate([_folder(tmp_path, category="electives")])]
    assert ("C041", "the institution-wide rules this standard extends credit category 'elective', which this "
                    "program does not have; add it to the program's categories") in found


def test_an_institution_wide_standard_grants_categories_not_courses(tmp_path: Path):
    folder = _folder(tmp_path)
    text = (folder / "college-exams.yaml").read_text(encoding="utf-8")
    text = text.replace("      - {id: level-4, level: 四级, credits: 4}", "      - {id: level-4, level: 四级, courses: [C101]}")
    text = text.replace("    rows:\n      - {code: CET4, score: {at_least: 425, below: 550}, credits: 2}",
                        "    rows:\n      - {code: CET4, score: {at_least: 425, below: 550}, credits: 2, category: electiv}")
    (folder / "college-exams.yaml").write_text(text, encoding="utf-8")
    (folder / "program.yaml").unlink()
    found = sorted((d.code, d.message) for d in creditrules.validate([folder]))
    assert found == [
        ("C040", "course 'C101' belongs to a program, and this institution-wide standard has none; grant credits "
                 "into one of its categories"),
        ("C041", "unknown category 'electiv' (did you mean 'elective'?); add it to the standard's 'categories'"),
    ]
