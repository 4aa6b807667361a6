"""``creditrules test``: decision cases from the command line, failures as a diff, rule coverage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_run import run
from creditrules.cases import iter_cases

ROOT = Path(__file__).resolve().parents[1]
STANDARD_FILE = "standards/yangtze-delta/computer-application.yaml"

WRONG = """\
standard: yrd-computer-application
cases:
  - name: a Shanghai certificate counts as X-WEB (deliberately wrong expectation)
    as_of: 2025-06-30
    learner:
      id: T2
      achievements:
        - {id: A7, code: SH-1X-WEB, level: 高级, obtained: 2023-05-01}
        - {id: A2, code: X-BIGDATA, level: 初级, obtained: 2024-12-01}
    expect:
      total: 4
      awards:
        - {rule: web-core, courses: [C201]}
        - {rule: web-core, courses: [C203]}
      unused: {A7: no-rule}
  - name: an intermediate Web certificate
    as_of: 2025-06-30
    learner:
      id: T3
      achievements:
        - {id: A1, code: X-WEB, level: 中级, obtained: 2024-06-15}
    expect:
      total: 8
"""


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("CREDITRULES_STANDARDS", raising=False)


FILE_2026 = "standards/yangtze-delta/computer-application-2026.yaml"


def _line(text: str, path: str = STANDARD_FILE) -> int:
    return (ROOT / path).read_text(encoding="utf-8").split("\n").index(text) + 1


def test_the_sample_cases_pass_and_award_by_every_rule():
    cases = len(list(iter_cases(ROOT / "standards")))
    assert run("test") == (0, f"{cases} case(s): {cases} passed, 0 failed\n"
                              "rule coverage: 81 of 81 rules awarded by some case (100.0%)\n", "")


def test_a_failing_case_is_a_readable_diff(tmp_path: Path):
    path = tmp_path / "web.cases.yaml"
    path.write_text(WRONG, encoding="utf-8")
    code, out, err = run("test", str(path))
    assert (code, err) == (1, "")
    lines = out.split("\n")
    assert lines[:13] == [
        f"FAIL {path}:3: a Shanghai certificate counts as X-WEB (deliberately wrong expectation)",
        "  total: expected 4, got 8",
        "  unused A7: expected reason 'no-rule', got 'None'",
        "  awards (- expected, not awarded; + awarded, not expected):",
        "      {rule: web-core, courses: ['C201']}",
        "    - {rule: web-core, courses: ['C203']}",
        "    + {rule: web-foundation, courses: ['C101'], credits: 4, grade: 优秀, achievements: ['A7']}",
        "  trace (as of 2025-06-30, yrd-computer-application 2024.1):",
        "    web-foundation: awarded C101 from A7",
        "    web-core: awarded C201 from A7; C202 from A7 not used: stopped by the per-achievement limit (A7)",
        "    bigdata-core: A2 does not qualify: level ≥ 中级 (has 初级)",
        "    web-and-cloud-project: A7 qualifies, but not for every place the rule needs",
        "",
    ]
    assert lines[13] == "2 case(s): 1 passed, 1 failed"
    assert lines[14] == "rule coverage: 2 of 19 rules awarded by some case (10.5%)"
    assert lines[15] == "rules no case awards by:"
    # the rules of every version of the standard count; the 2026 version has no case here
    assert lines[16] == (f"  {FILE_2026}:{_line('  - id: web-foundation', FILE_2026)}:5: web-foundation "
                         "(yrd-computer-application 2026.1)")
    assert (f"  {STANDARD_FILE}:{_line('  - id: bigdata-core')}:5: bigdata-core (yrd-computer-application 2024.1)"
            in lines)


def test_json(tmp_path: Path):
    path = tmp_path / "web.cases.yaml"
    path.write_text(WRONG, encoding="utf-8")
    code, out, err = run("test", str(path), "--format", "json", "--min-coverage", "20")
    assert (code, err) == (1, "")
    data = json.loads(out)
    assert (data["ok"], data["cases"], data["passed"], data["failed"]) == (False, 2, 1, 1)
    first, second = data["results"]
    assert first["ok"] is False and first["total"] == {"expected": 4, "actual": 8}
    assert [a["status"] for a in first["awards"]] == ["matched", "missing", "unexpected"]
    assert first["trace"][0] == "web-foundation: awarded C101 from A7"
    assert second == {"file": str(path), "line": 16, "name": "an intermediate Web certificate",
                      "standard": "yrd-computer-application", "as_of": "2025-06-30", "ok": True, "error": None,
                      "problems": [], "total": {"expected": 8, "actual": 8}, "awards": []}
    assert data["coverage"]["rules"] == 19 and data["coverage"]["covered"] == 2
    assert data["coverage"]["percent"] == 10.5 and data["coverage"]["min"] == 20
    assert data["coverage"]["uncovered"][0] == {
        "standard": "yrd-computer-application", "version": "2026.1", "rule": "web-foundation", "path": FILE_2026,
        "line": _line("  - id: web-foundation", FILE_2026), "column": 5}


def test_min_coverage(tmp_path: Path):
    path = tmp_path / "ok.cases.yaml"
    path.write_text("standard: yrd-computer-application\ncases:\n  - name: an" + WRONG.split("  - name: an")[1],
                    encoding="utf-8")
    code, out, _ = run("test", str(path), "--min-coverage", "5")
    assert code == 0
    assert out.splitlines()[:2] == ["1 case(s): 1 passed, 0 failed",
                                    "rule coverage: 1 of 19 rules awarded by some case (5.3%)"]
    code, out, _ = run("test", str(path), "--min-coverage", "50")
    assert code == 1
    assert out.splitlines()[-1] == "rule coverage 5.3% is below --min-coverage 50"


def test_a_case_that_cannot_run(tmp_path: Path):
    path = tmp_path / "x.cases.yaml"
    path.write_text("standard: yrd-computer-aplication\ncases:\n  - name: typo\n    as_of: 2025-06-30\n"
                    "    learner: {id: T1, achievements: []}\n    expect: {total: 0}\n", encoding="utf-8")
    code, out, _ = run("test", str(path))
    assert code == 1
    assert out.split("\n")[:2] == [
        f"FAIL {path}:3: typo",
        "  cannot run the case: no standard 'yrd-computer-aplication' (did you mean 'yrd-computer-application'?)"]


def test_a_case_file_that_cannot_be_read(tmp_path: Path):
    (tmp_path / "bad.cases.yaml").write_text("standard: x\n", encoding="utf-8")
    code, out, _ = run("test", str(tmp_path))
    assert code == 1
    assert out.split("\n")[:2] == [
        f"ERROR {tmp_path / 'bad.cases.yaml'}:1:1: a case file needs 'standard: <id>' and 'cases: [...]'",
        "0 case(s): 0 passed, 0 failed; 1 case file(s) could not be read"]


def test_no_cases(tmp_path: Path):
    assert run("test", str(tmp_path)) == (
        1, "", f"creditrules: no decision cases (*.cases.yaml) found in {tmp_path}\n")


def test_usage_errors():
    assert run("test", "nowhere") == (2, "", "creditrules: no such file or folder: 'nowhere'\n")
    assert run("test", "--min-coverage", "120") == (
        2, "", "creditrules test: argument --min-coverage: 120 is not between 0 and 100\n")
    assert run("test", "--min-coverage", "most") == (
        2, "", "creditrules test: argument --min-coverage: 'most' is not a number; write a percentage such as 80\n")


def test_invalid_standards_stop_the_run():
    code, out, err = run("test", "--standards", "tests/invalid/cycle", "standards")
    assert (code, out) == (1, "")
    assert err.endswith("creditrules: the standards have 1 error(s); run 'creditrules validate'\n")
