"""Every decision case written beside the sample standards, run as one pytest test each."""

from __future__ import annotations

from pathlib import Path

import pytest

from creditrules import compile_standards
from creditrules.cases import Case, check_case, iter_cases

ROOT = Path(__file__).resolve().parents[1]
STANDARDS = ROOT / "standards"
CASES = list(iter_cases(STANDARDS))


@pytest.fixture(scope="module")
def library():
    return compile_standards(STANDARDS)


def test_every_standard_has_cases(library):
    covered = {case.standard for case in CASES}
    evaluable = {sid for sid, std in library.standards.items() if std.segments and std.segments[0].kind != "base"}
    assert evaluable - covered == set()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_decision_case(case: Case, library):
    _decision, problems = check_case(case, library)
    assert not problems, "\n".join([f"{case.file}:{case.line}: {case.name}"] + problems)
