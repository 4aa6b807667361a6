"""The ``creditrules`` command: exit codes and the exact words a user reads.

Exit codes: 0 success, 1 the input has problems, 2 the command was used wrongly.
Every test drives ``creditrules.cli.main(argv, stdout, stderr)`` in-process, except
``python -m creditrules --version``, which runs as a real subprocess.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import creditrules
from cli_run import run
from creditrules.api import check

ROOT = Path(__file__).resolve().parents[1]
STANDARD = "yrd-computer-application"
STANDARD_FILE = "standards/yangtze-delta/computer-application.yaml"
LEARNER = "examples/student-1x.yaml"
AS_OF = "2025-06-30"
COMMON = ["--standard", STANDARD, "--learner", LEARNER, "--as-of", AS_OF]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("CREDITRULES_STANDARDS", raising=False)


def _line_of(path: str, text: str) -> int:
    """1-based line of ``text`` in a standard file (so the test survives edits above it)."""
    lines = (ROOT / path).read_text(encoding="utf-8").split("\n")
    return lines.index(text) + 1


# ---------------------------------------------------------------- validate

def allow_comments() -> int:
    """The sample standards' `# creditrules: allow` comments: each allows one warning where it stands."""
    return sum(p.read_text(encoding="utf-8").count("# creditrules: allow")
               for p in (ROOT / "standards").rglob("*.yaml") if not p.name.endswith(".cases.yaml"))


def test_validate_clean_standards():
    code, out, err = run("validate")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    result = check(["standards"])
    allowed = allow_comments()
    assert result.problems == () and len(result.allowed) == allowed
    files = sum(1 for p in (ROOT / "standards").rglob("*.yaml") if not p.name.endswith(".cases.yaml"))
    assert lines == [f"ok: {files} standard file(s) valid, 0 warning(s), {allowed} allowed by comments"]


def test_validate_strict_passes_on_the_sample_standards():
    code, out, err = run("validate", "--strict", "standards")
    assert (code, err) == (0, "")
    assert out.endswith(f" standard file(s) valid, 0 warning(s), {allow_comments()} allowed by comments\n")


def test_validate_explicit_folder_is_the_default():
    assert run("validate", "standards") == run("validate")


def test_validate_json():
    code, out, err = run("validate", "standards", "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) == {"ok", "strict", "errors", "warnings", "problems", "allowed"}
    assert data["ok"] is True and data["strict"] is False and data["errors"] == 0
    assert isinstance(data["problems"], list) and len(data["problems"]) == data["warnings"]
    assert [a["code"] for a in data["allowed"]] == ["W001"] * allow_comments()
    for problem in data["problems"] + data["allowed"]:
        assert set(problem) == {"path", "line", "column", "code", "severity", "message"}
        assert problem["severity"] == "warning"


def test_validate_json_with_errors():
    code, out, err = run("validate", "tests/invalid/unknown-course.yaml", "--format", "json")
    assert (code, err) == (1, "")
    assert json.loads(out) == {
        "ok": False, "strict": False, "errors": 1, "warnings": 0, "allowed": [],
        "problems": [{"path": "tests/invalid/unknown-course.yaml", "line": 49, "column": 23, "code": "C040",
                      "severity": "error", "message": "unknown course 'C210' (did you mean 'C201'?)"}],
    }


def test_validate_text_with_errors():
    code, out, err = run("validate", "tests/invalid/unknown-course.yaml")
    assert (code, err) == (1, "")
    assert out == ("tests/invalid/unknown-course.yaml:49:23: C040 unknown course 'C210' (did you mean 'C201'?)\n"
                   "1 error(s), 0 warning(s)\n")


def test_validate_missing_path():
    code, out, _err = run("validate", "nowhere")
    assert code == 1
    assert out == "nowhere:0:0: E001 no such file or folder\n1 error(s), 0 warning(s)\n"


# ---------------------------------------------------------------- usage errors (exit 2)

def test_no_command():
    assert run() == (2, "", "creditrules: the following arguments are required: command\n")


def test_unknown_command():
    assert run("frob") == (2, "", "creditrules: argument command: invalid choice: 'frob' "
                                  "(choose from 'validate', 'evaluate', 'explain', 'graph', 'report', 'test', 'diff', 'init', 'schema', "
                                  "'batch', 'import-credentials', 'export', 'serve', 'account')\n")


def test_missing_standard_option():
    assert run("evaluate", "--learner", LEARNER) == (
        2, "", "creditrules evaluate: the following arguments are required: --standard\n")


def test_bad_as_of():
    code, out, err = run("evaluate", "--standard", STANDARD, "--learner", LEARNER, "--as-of", "2025-13-01")
    assert (code, out, err) == (2, "", "creditrules: --as-of: '2025-13-01' is not a day of the calendar; write "
                                       "YYYY-MM-DD, e.g. 2024-09-01\n")


def test_as_of_not_a_date_at_all():
    code, out, err = run("evaluate", "--standard", STANDARD, "--learner", LEARNER, "--as-of", "yesterday")
    assert (code, out, err) == (2, "", "creditrules: --as-of: 'yesterday' is not a date; write YYYY-MM-DD, "
                                       "e.g. 2024-09-01\n")


def test_unknown_standard_with_did_you_mean():
    code, out, err = run("evaluate", "--standard", "yrd-computer-aplication", "--learner", LEARNER, "--as-of", AS_OF)
    assert (code, out, err) == (
        2, "", "creditrules: --standard: no standard 'yrd-computer-aplication' "
               "(did you mean 'yrd-computer-application'?)\n")


def test_unknown_standard_without_suggestion():
    code, out, err = run("graph", "--standard", "zzz")
    assert (code, out, err) == (2, "", "creditrules: --standard: no standard 'zzz'\n")


def test_standards_folder_missing():
    code, out, err = run("graph", "--standards", "nowhere", "--standard", STANDARD)
    assert (code, out, err) == (2, "", "creditrules: --standards 'nowhere' does not exist\n")


def test_bad_format_choice():
    code, out, err = run("graph", "--standard", STANDARD, "--format", "png")
    assert code == 2 and out == ""
    assert err == ("creditrules graph: argument --format: invalid choice: 'png' "
                   "(choose from 'dot', 'graphml', 'json', 'mermaid', 'svg')\n")


def test_explain_needs_a_subject():
    code, out, err = run("explain", *COMMON)
    assert (code, out) == (2, "")
    assert err == "creditrules explain: one of the arguments --course --achievement is required\n"


def test_version_goes_to_the_given_stdout():
    """main(argv, stdout, stderr) must write to the streams it is given, --version included."""
    code, out, err = run("--version")
    assert (code, out, err) == (0, f"creditrules {creditrules.__version__}\n", "")


def test_help_goes_to_the_given_stdout():
    code, out, err = run("--help")
    assert code == 0 and err == ""
    assert out.startswith("usage: creditrules ")


# ---------------------------------------------------------------- evaluate

EN_AWARDS = [
    "  ✓ C101 Computer fundamentals — 4 credits (Foundation courses), grade 优秀",
    "  ✓ C201 Web front-end development — 4 credits (Core courses), grade 良好",
    "  ✓ C202 Database applications — 4 credits (Core courses), grade 良好",
    "  ✓ C205 Cloud computing applications — 3 credits (Core courses), grade 合格",
    "  ✓ 2 credits into Electives",
    "  ✓ 2.5 credits into Electives",
]
ZH_AWARDS = [
    "  ✓ C101 计算机应用基础 — 4 学分（公共基础课），成绩 优秀",
    "  ✓ C201 Web前端开发 — 4 学分（专业核心课），成绩 良好",
    "  ✓ C202 数据库应用技术 — 4 学分（专业核心课），成绩 良好",
    "  ✓ C205 云计算技术应用 — 3 学分（专业核心课），成绩 合格",
    "  ✓ 2 学分计入选修课",
    "  ✓ 2.5 学分计入选修课",
]


def test_evaluate_text_en():
    code, out, err = run("evaluate", *COMMON)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == ("Decision for learner S-2024-0001: Computer Application Technology conversion standard "
                        "(yrd-computer-application 2024.1), as of 2025-06-30")
    assert "Credit awarded: 19.5 credits (limit 50)" in lines
    assert [line for line in lines if line.startswith("  ✓ ")] == EN_AWARDS
    assert ("      by rule web-core “Web certificate (intermediate or higher) replaces core courses” "
            "(yrd-computer-application 2024.1) from A1") in lines
    assert ("Toward the diploma (Computer Application Technology, 140 credits): 19.5 credited, 120.5 to go"
            in lines)
    assert ("  ✗ A2 (X-BIGDATA): closest rule is bigdata-core “Big data certificate (intermediate or higher) "
            "replaces Java and big data courses”, which needs level ≥ intermediate (has elementary) — a record with "
            "level «intermediate» or higher would qualify") in lines


def test_evaluate_text_zh():
    code, out, err = run("evaluate", *COMMON, "--lang", "zh")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == ("学习者 S-2024-0001 的认定结果：计算机应用技术专业学习成果转换标准"
                        "（yrd-computer-application 2024.1），认定日期 2025-06-30")
    assert "认定学分：共 19.5 学分（上限 50）" in lines
    assert [line for line in lines if line.startswith("  ✓ ")] == ZH_AWARDS
    assert "毕业要求（计算机应用技术，共 140 学分）：已认定 19.5 学分，尚需 120.5 学分" in lines


def test_evaluate_json_is_deterministic_and_valid():
    first = run("evaluate", *COMMON, "--format", "json")
    second = run("evaluate", *COMMON, "--format", "json")
    assert first[0] == 0 and first[2] == ""
    assert first[1].encode("utf-8") == second[1].encode("utf-8")
    data = json.loads(first[1])
    assert data["learner"] == "S-2024-0001"
    assert data["as_of"] == AS_OF
    assert data["total"] == 19.5
    assert data["standard"]["id"] == STANDARD
    assert "trace" in data
    courses = sorted(c["code"] for a in data["awards"] for c in a.get("courses", []))
    assert courses == ["C101", "C201", "C202", "C205"]


def test_evaluate_json_no_trace():
    code, out, err = run("evaluate", *COMMON, "--format", "json", "--no-trace")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert "trace" not in data
    with_trace = json.loads(run("evaluate", *COMMON, "--format", "json")[1])
    del with_trace["trace"], with_trace["trace_mode"]
    assert data == with_trace


def test_evaluate_standards_from_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CREDITRULES_STANDARDS", "nowhere")
    code, out, err = run("evaluate", *COMMON)
    assert (code, out, err) == (2, "", "creditrules: --standards 'nowhere' does not exist\n")


def test_evaluate_base_standard():
    code, out, err = run("evaluate", "--standard", "yrd-base", "--learner", LEARNER, "--as-of", AS_OF)
    assert (code, out, err) == (1, "", "creditrules: 'yrd-base' is a base standard; evaluate a standard that extends it\n")


def test_evaluate_with_invalid_standards():
    code, out, err = run("evaluate", "--standards", "tests/invalid/cycle", "--standard", "cycle-a",
                         "--learner", LEARNER, "--as-of", AS_OF)
    assert (code, out) == (1, "")
    assert err == ("tests/invalid/cycle/cycle-a.yaml:5:1: C002 standards depend on each other in a cycle: "
                   "cycle-a → cycle-b → cycle-a\n"
                   "creditrules: the standards have 1 error(s); run 'creditrules validate'\n")


def test_no_version_in_force():
    code, out, err = run("evaluate", "--standard", STANDARD, "--learner", LEARNER, "--as-of", "2024-08-31")
    assert (code, out) == (1, "")
    assert err == ("creditrules: no version of standard 'yrd-computer-application' is in force on 2024-08-31 "
                   "(versions: 2024.1 2024-09-01..2026-08-31, 2026.1 2026-09-01..)\n")


# ---------------------------------------------------------------- learner files

def test_learner_missing():
    code, out, err = run("evaluate", "--standard", STANDARD, "--learner", "nope.yaml", "--as-of", AS_OF)
    assert (code, out, err) == (1, "", "creditrules: nope.yaml: cannot read the file: No such file or directory\n")


def test_learner_not_a_mapping(tmp_path: Path):
    path = tmp_path / "list.yaml"
    path.write_text("- id: S1\n- achievements: []\n", encoding="utf-8")
    code, out, err = run("evaluate", "--standard", STANDARD, "--learner", str(path), "--as-of", AS_OF)
    assert (code, out) == (1, "")
    assert err == f"creditrules: {path}: a learner record must be a mapping with 'id' and 'achievements', not a list\n"


def test_learner_invalid_json(tmp_path: Path):
    path = tmp_path / "learner.json"
    path.write_text('{"id": "S1", "achievements": [\n', encoding="utf-8")
    code, out, err = run("evaluate", "--standard", STANDARD, "--learner", str(path), "--as-of", AS_OF)
    assert (code, out) == (1, "")
    assert err == f"creditrules: {path}: invalid JSON: Expecting value: line 2 column 1 (char 31)\n"


def test_learner_invalid_yaml(tmp_path: Path):
    path = tmp_path / "learner.yaml"
    path.write_text("id: S1\nachievements:\n\t- {id: A1}\n", encoding="utf-8")
    code, out, err = run("evaluate", "--standard", STANDARD, "--learner", str(path), "--as-of", AS_OF)
    assert (code, out) == (1, "")
    assert err == f"creditrules: {path}: line 3, column 1: a tab is used for indentation; indent with spaces\n"


def test_learner_not_utf8(tmp_path: Path):
    path = tmp_path / "learner.yaml"
    path.write_bytes("id: S1\nname: 李明\n".encode("gbk"))
    code, out, err = run("evaluate", "--standard", STANDARD, "--learner", str(path), "--as-of", AS_OF)
    assert (code, out) == (1, "")
    assert err == f"creditrules: {path}: line 2, column 7: the file is not valid UTF-8; save it as UTF-8\n"


def test_learner_with_a_bad_achievement_is_still_evaluated(tmp_path: Path):
    path = tmp_path / "learner.yaml"
    path.write_text("id: S1\nachievements:\n"
                    "  - {id: A1, code: X-WEB, level: 中级, obtained: 2024-06-15, verified: true}\n"
                    "  - {id: A2, code: X-WEB, level: 中级}\n", encoding="utf-8")
    code, out, err = run("evaluate", "--standard", STANDARD, "--learner", str(path), "--as-of", AS_OF)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert "  ✓ C201 Web front-end development — 4 credits (Core courses), grade 良好" in lines
    assert "Records that could not be used:" in lines
    assert "  ✗ A2: 'obtained' (the date it was obtained, YYYY-MM-DD) is missing" in lines


# ---------------------------------------------------------------- explain

def test_explain_course():
    code, out, err = run("explain", *COMMON, "--course", "C201")
    assert (code, err) == (0, "")
    line = _line_of(STANDARD_FILE, "  - id: web-core")
    assert out.splitlines()[0] == (
        "Rule web-core “Web certificate (intermediate or higher) replaces core courses” "
        f"(yrd-computer-application 2024.1, {STANDARD_FILE}:{line}:5): awarded")
    assert "  → C201 from A1: awarded" in out.splitlines()
    assert "    ✓ level ≥ intermediate: has intermediate" in out.splitlines()


def test_explain_achievement_near_miss():
    code, out, err = run("explain", *COMMON, "--achievement", "A2")
    assert (code, err) == (0, "")
    line = _line_of(STANDARD_FILE, "  - id: bigdata-core")
    assert out == (
        "Rule bigdata-core “Big data certificate (intermediate or higher) replaces Java and big data courses” "
        f"(yrd-computer-application 2024.1, {STANDARD_FILE}:{line}:5): no achievement qualifies\n"
        "  A2: does not meet every condition\n"
        "    ✓ code = X-BIGDATA: has X-BIGDATA\n"
        "    ✗ level ≥ intermediate: has elementary\n"
        "    ✓ obtained within 3 years: has 2024-12-01\n")


def test_explain_achievement_near_miss_zh():
    code, out, err = run("explain", *COMMON, "--achievement", "A2", "--lang", "zh")
    assert (code, err) == (0, "")
    assert "  A2：未满足全部条件" in out.splitlines()
    assert "    ✗ 等级不低于中级：实际为 初级" in out.splitlines()


def test_explain_unknown_course_is_a_usage_error():
    """A misspelt course code should not look like 'nothing happened to this course'."""
    code, out, err = run("explain", *COMMON, "--course", "C999")
    assert (code, out) == (2, "")
    assert err == "creditrules: --course: 'C999' is not a course of program 510201 (Computer Application Technology)\n"


def test_explain_unknown_achievement_is_a_usage_error():
    code, out, err = run("explain", *COMMON, "--achievement", "A99")
    assert (code, out) == (2, "")
    assert err == "creditrules: --achievement: learner S-2024-0001 has no achievement 'A99'\n"


# ---------------------------------------------------------------- graph

def test_graph_json():
    code, out, err = run("graph", "--standard", STANDARD)
    assert (code, err) == (0, "")
    data = json.loads(out)
    ids = {n["id"] for n in data["nodes"]}
    # every version's rules are their own nodes, each defined by its own version
    assert {"course:C201", "rule:web-core@2024.1", "rule:web-core@2026.1", "code:X-WEB", "category:core",
            "program:510201"} <= ids
    assert {"source": "rule:web-core@2024.1", "target": "course:C201"}.items() <= next(
        e for e in data["edges"] if e["source"] == "rule:web-core@2024.1" and e["target"] == "course:C201").items()


def test_graph_dot():
    code, out, err = run("graph", "--standard", STANDARD, "--format", "dot")
    assert (code, err) == (0, "")
    assert out.startswith("digraph creditrules {\n") and out.endswith("}\n")
    assert '  "rule:web-core@2024.1" -> "course:C201";' in out.splitlines()


def test_graph_mermaid():
    code, out, err = run("graph", "--standard", STANDARD, "--format", "mermaid")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "flowchart LR"


def test_graph_graphml():
    code, out, err = run("graph", "--standard", STANDARD, "--format", "graphml")
    assert (code, err) == (0, "")
    root = ET.fromstring(out.encode("utf-8"))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    nodes = {n.get("id") for n in root.iterfind(".//g:node", ns)}
    assert "course:C201" in nodes


EVIL_COURSE = '"]; evil <script>'
EVIL_RULE = "line one\nline two \\ back } { | ` # ; & end"

EVIL_STANDARD = """\
id: evil
version: "1"
kind: conversion
name_zh: 转义测试
name_en: Escaping test
effective:
  from: 2024-09-01
source:
  citation: Illustrative.
  illustrative: true
scales:
  x_level: {name_zh: 等级, name_en: Level, levels: [初级, 中级]}
kinds:
  x_certificate:
    name_zh: 证书
    name_en: Certificate
    attributes:
      level: {type: scale, scale: x_level, required: true}
catalog:
  X-WEB: {kind: x_certificate, name_zh: Web证书, name_en: 'Web "certificate"'}
program:
  code: "510201"
  name_zh: 计算机
  name_en: Computing
  total_credits: 140
  categories:
    core: {name_zh: 核心课, name_en: Core, required: 60}
  courses:
    - {code: C201, name_zh: Web, name_en: '"]; evil <script>', credits: 4, category: core}
rules:
  - id: web-core
    name_zh: Web证书替代核心课
    name_en: "line one\\nline two \\\\ back } { | ` # ; & end"
    when: {code: X-WEB, level: {at_least: 中级}}
    grant: {courses: [C201]}
"""


@pytest.fixture
def evil(tmp_path: Path) -> Path:
    (tmp_path / "evil.yaml").write_text(EVIL_STANDARD, encoding="utf-8")
    assert creditrules.validate([tmp_path]) == []
    library = creditrules.compile_standards(tmp_path)
    ruleset = library["evil"].segments[0]
    assert ruleset.program.courses["C201"].name_en == EVIL_COURSE
    assert ruleset.rules[0].name_en == EVIL_RULE
    return tmp_path


def _graph(folder: Path, fmt: str) -> str:
    code, out, err = run("graph", "--standards", str(folder), "--standard", "evil", "--format", fmt)
    assert (code, err) == (0, "")
    return out


_DOT_STRING = r'"(?:[^"\\\n]|\\.)*"'


def _dot_unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else m[1], text[1:-1])


def test_graph_dot_escapes_labels(evil: Path):
    out = _graph(evil, "dot")
    lines = out.splitlines()
    assert lines[:2] == ["digraph creditrules {", "  rankdir=LR;"] and lines[-1] == "}"
    labels = {}
    for line in lines[2:-1]:
        node = re.fullmatch(rf"  ({_DOT_STRING}) \[label=({_DOT_STRING}), shape=[a-z]+\];", line)
        edge = re.fullmatch(rf"  {_DOT_STRING} -> {_DOT_STRING}(?: \[label={_DOT_STRING}\])?;", line)
        assert node or edge, f"malformed DOT line: {line!r}"
        if node:
            labels[_dot_unquote(node[1])] = _dot_unquote(node[2])
    assert labels["course:C201"] == f"C201 {EVIL_COURSE} · 4 credits"  # the name, then its credits
    assert labels["rule:web-core@1"] == EVIL_RULE.replace("\n", "\\n")  # a line break is shown, never drawn
    assert labels["code:X-WEB"] == 'X-WEB Web "certificate"'


def test_graph_mermaid_escapes_labels(evil: Path):
    out = _graph(evil, "mermaid")
    lines = out.splitlines()
    assert lines[0] == "flowchart LR"
    labels = []
    for line in lines[1:]:
        node = re.fullmatch(r'  n\d+\["([^"\[\]<>{}|`]*)"\]', line)
        edge = re.fullmatch(r'  n\d+ -->(?:\|"[^"\[\]<>{}|`]*"\|)? n\d+', line)
        assert node or edge, f"malformed Mermaid line: {line!r}"
        if node:
            labels.append(re.sub(r"#(\d+);", lambda m: chr(int(m[1])), node[1]))
    assert f"C201 {EVIL_COURSE} · 4 credits" in labels
    assert EVIL_RULE.replace("\n", "\\n") in labels


def test_graph_graphml_and_json_keep_labels(evil: Path):
    root = ET.fromstring(_graph(evil, "graphml").encode("utf-8"))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    label_key = next(k.get("id") for k in root.iterfind("g:key", ns)
                     if k.get("attr.name") == "label" and k.get("for") == "node")
    labels = {n.get("id"): n.find(f"g:data[@key='{label_key}']", ns).text for n in root.iterfind(".//g:node", ns)}
    assert labels["course:C201"] == f"C201 {EVIL_COURSE}"
    assert labels["rule:web-core@1"] == EVIL_RULE
    data = json.loads(_graph(evil, "json"))
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["course:C201"]["label"] == f"C201 {EVIL_COURSE}"


# ---------------------------------------------------------------- schema and version

def test_schema_prints_json():
    code, out, err = run("schema")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert data["title"] == "creditrules standard"
    assert {"id", "version", "kind", "effective", "source"} <= set(data["required"])
    assert data == creditrules.standard_schema()


def test_schema_output_file(tmp_path: Path):
    target = tmp_path / "schema.json"
    code, out, err = run("schema", "--output", str(target))
    assert (code, out, err) == (0, "", "")
    assert json.loads(target.read_text(encoding="utf-8")) == creditrules.standard_schema()


def test_python_m_version():
    result = subprocess.run([sys.executable, "-m", "creditrules", "--version"], capture_output=True, text=True,
                            cwd=ROOT, timeout=60, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"creditrules {creditrules.__version__}\n", "")


def test_python_m_usage_error_exit_code():
    result = subprocess.run([sys.executable, "-m", "creditrules", "frob"], capture_output=True, text=True,
                            cwd=ROOT, timeout=60, check=False)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_schema_to_a_file_that_cannot_be_written(tmp_path: Path):
    target = tmp_path / "missing-folder" / "schema.json"
    assert run("schema", "--output", str(target)) == (
        2, "", f"creditrules: --output: folder '{target.parent}' does not exist\n")
