"""``creditrules validate``: the four output formats, --strict, and warnings allowed by comments.

The case used throughout, tests/invalid/analysis-covers-code.yaml, has two errors (A010), one
warning (W002) and one warning allowed by a comment (W001), so every part of every format shows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_run import run
from creditrules.api import check
from creditrules.codes import CODES
from creditrules.errors import Diagnostic, Severity
from creditrules.formats import annotation

ROOT = Path(__file__).resolve().parents[1]
CASE = "tests/invalid/analysis-covers-code.yaml"
X_CLOUD = ("covers says code 'X-CLOUD' (Cloud certificate) is covered, but no rule takes it; add a rule for it or "
           "take it out of covers.codes")
COMP = ("covers says code 'COMP' (Skills competition) is covered, but no rule takes it; add a rule for it or take "
        "it out of covers.codes")
W002 = "no value of 'level' meets these conditions, so this rule can never fire"
W001 = "no rule can credit course 'C202' (Database applications); it can only be earned by study"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


# ---------------------------------------------------------------- text and json

def test_text():
    assert run("validate", CASE) == (1, (
        f"{CASE}:47:18: A010 {X_CLOUD}\n"
        f"{CASE}:47:27: A010 {COMP}\n"
        f"{CASE}:57:27: W002 {W002}\n"
        "2 error(s), 1 warning(s), 1 allowed by comments\n"), "")


def test_json():
    code, out, err = run("validate", CASE, "--format", "json")
    assert (code, err) == (1, "")
    data = json.loads(out)
    assert data == {
        "ok": False, "strict": False, "errors": 2, "warnings": 1,
        "problems": [
            {"path": CASE, "line": 47, "column": 18, "code": "A010", "severity": "error", "message": X_CLOUD},
            {"path": CASE, "line": 47, "column": 27, "code": "A010", "severity": "error", "message": COMP},
            {"path": CASE, "line": 57, "column": 27, "code": "W002", "severity": "warning", "message": W002},
        ],
        "allowed": [
            {"path": CASE, "line": 44, "column": 8, "code": "W001", "severity": "warning", "message": W001},
        ],
    }


# ---------------------------------------------------------------- GitHub annotations

def test_github():
    assert run("validate", CASE, "--format", "github") == (1, (
        f"::error file={CASE},line=47,col=18,title=A010::{X_CLOUD}\n"
        f"::error file={CASE},line=47,col=27,title=A010::{COMP}\n"
        f"::warning file={CASE},line=57,col=27,title=W002::{W002}\n"
        "2 error(s), 1 warning(s), 1 allowed by comments\n"), "")


def test_github_escapes_what_would_break_the_command():
    problem = Diagnostic("odd,dir:x/a.yaml", 3, 4, "A001", "100% sure\nsecond line\u2028third\x85", Severity.WARNING)
    # a message quotes input, so its line breaks (Unicode ones too) are shown as escapes, never as lines
    assert annotation(problem) == ("::warning file=odd%2Cdir%3Ax/a.yaml,line=3,col=4,title=A001::"
                                   "100%25 sure\\nsecond line\\u2028third\\x85")
    path = Diagnostic("a\u2029b\rc.yaml", 1, 1, "E100", "m")
    assert annotation(path) == "::error file=a\\u2029b%0Dc.yaml,line=1,col=1,title=E100::m"


def test_github_without_a_position():
    problem = Diagnostic("nowhere", 0, 0, "E001", "no such file or folder")
    assert annotation(problem) == "::error file=nowhere,title=E001::no such file or folder"


# ---------------------------------------------------------------- SARIF 2.1.0

def assert_sarif_shape(log: dict) -> None:
    """The parts of the SARIF 2.1.0 schema a log from creditrules uses: required properties, types, enums,
    and the cross-references between results and rules."""
    assert log["version"] == "2.1.0"
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert isinstance(log["runs"], list) and len(log["runs"]) == 1
    run_ = log["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "creditrules" and isinstance(driver["version"], str)
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert set(rule) <= {"id", "name", "shortDescription", "defaultConfiguration"}
        assert isinstance(rule["shortDescription"]["text"], str) and rule["shortDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("none", "note", "warning", "error")
    assert run_["columnKind"] in ("utf16CodeUnits", "unicodeCodePoints")
    for result in run_["results"]:
        assert set(result) <= {"ruleId", "ruleIndex", "level", "message", "locations", "suppressions"}
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("none", "note", "warning", "error")
        assert isinstance(result["message"]["text"], str) and result["message"]["text"]
        for location in result["locations"]:
            physical = location["physicalLocation"]
            assert isinstance(physical["artifactLocation"]["uri"], str)
            if "region" in physical:
                assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] >= 1
        for suppression in result.get("suppressions", []):
            assert suppression["kind"] in ("inSource", "external")


def test_sarif():
    code, out, err = run("validate", CASE, "--format", "sarif")
    assert (code, err) == (1, "")
    log = json.loads(out)
    assert_sarif_shape(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules == [
        {"id": "A010", "name": "A010", "shortDescription": {"text": "a covered code that no rule takes"},
         "defaultConfiguration": {"level": "error"}},
        {"id": "W001", "name": "W001", "shortDescription": {"text": "a course no rule can credit"},
         "defaultConfiguration": {"level": "warning"}},
        {"id": "W002", "name": "W002", "shortDescription": {"text": "conditions no value can meet"},
         "defaultConfiguration": {"level": "warning"}},
    ]
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["level"], "suppressions" in r) for r in results] == [
        ("A010", "error", False), ("A010", "error", False), ("W002", "warning", False), ("W001", "warning", True)]
    assert results[0]["message"] == {"text": X_CLOUD}
    assert results[0]["locations"] == [{"physicalLocation": {"artifactLocation": {"uri": CASE},
                                                             "region": {"startLine": 47, "startColumn": 18}}}]


def test_sarif_of_clean_standards_and_of_a_missing_path():
    for argv, expected_code in ((["standards"], 0), (["nowhere"], 1)):
        code, out, _ = run("validate", *argv, "--format", "sarif")
        assert code == expected_code
        assert_sarif_shape(json.loads(out))
    log = json.loads(run("validate", "nowhere", "--format", "sarif")[1])
    assert log["runs"][0]["results"][0]["locations"] == [{"physicalLocation": {"artifactLocation": {"uri": "nowhere"}}}]


def test_sarif_absolute_paths_are_file_uris(tmp_path: Path):
    path = tmp_path / "a b.yaml"
    path.write_text("id: x\n", encoding="utf-8")
    log = json.loads(run("validate", str(path), "--format", "sarif")[1])
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == path.as_uri() and "%20" in uri


def test_every_code_has_a_severity_and_title():
    for code, info in CODES.items():
        assert info.title and info.severity in (Severity.ERROR, Severity.WARNING), code


# ---------------------------------------------------------------- --strict

NEVER_BINDS = "tests/invalid/analysis-limit-never-binds.yaml"


def test_warnings_pass_without_strict():
    code, out, _ = run("validate", NEVER_BINDS)
    assert code == 0
    assert out.splitlines()[-1] == "ok: 1 standard file(s) valid, 5 warning(s)"


def test_strict_fails_on_warnings():
    code, out, _ = run("validate", "--strict", NEVER_BINDS)
    assert code == 1
    assert out.splitlines()[-1] == "0 error(s), 5 warning(s); --strict makes warnings fail"
    data = json.loads(run("validate", "--strict", "--format", "json", NEVER_BINDS)[1])
    assert (data["ok"], data["strict"], data["errors"], data["warnings"]) == (False, True, 0, 5)


def test_strict_with_errors_says_errors():
    code, out, _ = run("validate", "--strict", CASE)
    assert code == 1
    assert out.splitlines()[-1] == "2 error(s), 1 warning(s), 1 allowed by comments"


def test_bad_format_is_a_usage_error():
    code, out, err = run("validate", "--format", "xml")
    assert (code, out) == (2, "")
    assert err == ("creditrules validate: argument --format: invalid choice: 'xml' "
                   "(choose from 'github', 'json', 'sarif', 'text')\n")


# ---------------------------------------------------------------- allow comments

BASE = (ROOT / "tests" / "invalid" / "analysis-limit-never-binds.yaml").read_text(encoding="utf-8")


def _standard(tmp_path: Path, old: str, new: str) -> Path:
    text = "\n".join(line for line in BASE.split("\n") if not line.startswith("# expect"))
    assert old in text
    path = tmp_path / "standard.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_allow_at_the_end_of_the_line(tmp_path: Path):
    path = _standard(tmp_path, "  total: {max: 30}", "  total: {max: 30}  # creditrules: allow A020")
    result = check([path])
    assert [d.code for d in result.allowed].count("A020") == 1
    assert len(result.warnings) == 4


def test_allow_on_the_line_above_with_several_codes(tmp_path: Path):
    path = _standard(tmp_path, "  total: {max: 30}", "  # creditrules: allow W001, A020\n  total: {max: 30}")
    result = check([path])
    assert any(d.code == "A020" and "total limit" in d.message for d in result.allowed)


def test_allow_does_not_reach_other_codes_or_lines(tmp_path: Path):
    path = _standard(tmp_path, "  total: {max: 30}", "  total: {max: 30}  # creditrules: allow A021")
    assert len(check([path]).warnings) == 5
    path = _standard(tmp_path, "  total: {max: 30}", "  total: {max: 30}\n  # creditrules: allow A020")
    assert len(check([path]).warnings) == 5


def test_errors_cannot_be_allowed(tmp_path: Path):
    text = (ROOT / CASE).read_text(encoding="utf-8").replace("  codes: [X-WEB, X-CLOUD, COMP]",
                                                             "  codes: [X-WEB, X-CLOUD, COMP]  # creditrules: allow A010")
    path = tmp_path / "covers.yaml"
    path.write_text(text, encoding="utf-8")
    assert [d.code for d in check([path]).errors] == ["A010", "A010"]
