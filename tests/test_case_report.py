"""The trace in brief that ``creditrules test`` prints under a failed case: one exact line per kind of
outcome, taken from the sample standards' own cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from creditrules import compile_standards
from creditrules.case_report import trace_lines
from creditrules.case_runner import CaseResult, collect, run_case

ROOT = Path(__file__).resolve().parents[1]
STANDARDS = ROOT / "standards"


@pytest.fixture(scope="module")
def results() -> dict[str, CaseResult]:
    library = compile_standards(STANDARDS)
    cases, errors = collect([STANDARDS])
    assert errors == []
    return {case.name: run_case(case, library) for case in cases}


def _trace(results: dict[str, CaseResult], name: str) -> list[str]:
    decision = results[name].decision
    assert decision is not None
    return trace_lines(decision)


ELDERLY = "the sample elderly learner (王秀兰) - certify, then convert, under the half-of-programme cap"


@pytest.mark.parametrize(("case", "line"), [
    (ELDERLY, "cert-arts: awarded outcome ELD-CERT-ARTS from E1+E2+E4"),
    (ELDERLY, "cert-show-county: outcome ELD-CERT-SHOW from E7 not used: achievement E7 went to cert-show-city → "
              "outcome ELD-CERT-SHOW"),
    (ELDERLY, "digital-course: ah-elderly-cert:cert-digital:E6 does not qualify: credits ≥ 2 (has 1)"),
    (ELDERLY, "life-elective: awarded category elective from ah-elderly-cert:cert-life:E9 (cut to 1 credit)"),
    ("hours add up across provinces and round down to half credits",
     "cert-arts: H1 does not qualify: field = 文化艺术 (has 健康养生); H2 does not qualify: field = 文化艺术 "
     "(has 健康养生); H3 does not qualify: field = 文化艺术 (has 智能技术); 1 more does not qualify"),
    ("191 field hours round down to 5.5 credits, not enough", "field-practice: adds up 191 hours, not enough"),
    ("the sample worker (张建国)", "cnc-senior: awarded N201 from W01; N204 from W01 not used: stopped by the "
                                 "per-achievement limit (W01)"),
    ("the same innovation project recognised twice counts once, at its best",
     "innov-elective/lead: category elective from I1 not used: stopped by “same-innovation” (数控刀具磨损在线检测); "
     "category elective from I2 not used: achievement I2 went to innov-course → N302"),
])
def test_trace_line(results: dict[str, CaseResult], case: str, line: str):
    assert line in _trace(results, case)


def test_rules_that_looked_at_nothing_are_left_out(results: dict[str, CaseResult]):
    lines = _trace(results, "the sample 1+X student")
    assert not any(line.startswith("transfer-database:") for line in lines)
