"""Pages people read (the decision letter, the standard report, the impact report, the graph picture):
the CLI's exact exit codes and messages, what each page says in both languages, that every value is
escaped, that nothing is fetched, and that the graph of one version is that version's.

What the pages look like and do in a real browser is tested in test_pages_browser.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import creditrules
from cli_run import run
from creditrules import messages
from creditrules.pages import impact_page, letter, report
from creditrules.pages.html import el, esc

ROOT = Path(__file__).resolve().parents[1]
STANDARD = "yrd-computer-application"
LEARNER = "examples/student-1x.yaml"
AS_OF = "2025-06-30"
EVALUATE = ["evaluate", "--standard", STANDARD, "--learner", LEARNER, "--as-of", AS_OF]
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("CREDITRULES_STANDARDS", raising=False)


@pytest.fixture(scope="module")
def library() -> creditrules.CompiledLibrary:
    return creditrules.compile_standards(ROOT / "standards")


def _self_contained(page: str) -> None:
    """One file: no script, nothing fetched (no link, no src, no url() but the SVG's own marker)."""
    lowered = page.lower()
    assert "<script" not in lowered and "javascript:" not in lowered
    assert "<link" not in lowered and "@import" not in lowered
    assert not re.search(r"<[a-z][^>]*\s(?:src|href|srcset|action)\s*=", page, re.I)  # no tag loads anything
    assert set(re.findall(r"url\(([^)]*)\)", page)) <= {"#arrow"}
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) <= {"http://www.w3.org/2000/svg"}
    assert "Content-Security-Policy" in page and "script-src &#x27;none&#x27;" in page


# ---------------------------------------------------------------- the catalogue

def test_every_page_word_is_in_the_catalogue_in_both_languages():
    used = set()
    for path in [*(ROOT / "src/creditrules/pages").glob("*.py"), ROOT / "src/creditrules/graph.py"]:
        used |= set(re.findall(r"""\b(?:t|text)\(\s*f?["']([a-z_]+)["']""", path.read_text(encoding="utf-8")))
    used |= {f"impact_status_{s}" for s in ("gains", "loses", "changed", "unchanged", "not_compared")}
    assert used, "no catalogue keys found"
    missing = sorted(k for k in used if k not in messages.TEXT)
    assert missing == []
    for key, texts in messages.TEXT.items():
        assert set(texts) == {"en", "zh"}, key
        # Chinese needs no plural word ({credit_word}, {record_word}) and names the standard's unit where English
        # says it through {credit_word}; otherwise both say the same things
        assert set(re.findall(r"{(\w+)}", texts["zh"])) - {"unit", "credit_unit"} <= set(re.findall(r"{(\w+)}", texts["en"])), key


def test_esc_escapes_markup_controls_and_quotes():
    assert esc(HOSTILE) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert esc('a"b\'c&d') == "a&quot;b&#x27;c&amp;d"
    assert esc("line\u2028two\u202e") == "line\\u2028two\\u202e"
    assert el("td", HOSTILE, title='"><img src=x onerror=alert(1)>') == (
        '<td title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</td>')


# ---------------------------------------------------------------- the decision letter

def test_letter_in_english(library):
    standard = library[STANDARD]
    decision = creditrules.evaluate(standard, creditrules.load_learner(ROOT / LEARNER), AS_OF)
    page = letter(decision, standard.ruleset_for(decision.as_of), "en")
    _self_contained(page)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<title>Credit decision for S-2024-0001</title>" in page
    for words in ("What was credited (19.5 credits), and why",
                  "C101 Computer fundamentals — 4 credits (Foundation courses), grade 优秀",
                  "computed: 1 record, 40 hours → 2.5 credits",
                  "Progress toward the diploma",
                  "Computer Application Technology requires 140 credits: 19.5 credited, 120.5 to go.",
                  "What was not credited, and what would qualify",
                  "a record with level «intermediate» or higher would qualify",
                  "the same competition event counts once",
                  "How to ask for a review",
                  f"content hash {decision.standard.content_hash}",
                  *(h for _, _, h in decision.standard.chain),
                  "@media print"):
        assert esc(words) in page, words


def test_letter_in_chinese(library):
    standard = library[STANDARD]
    decision = creditrules.evaluate(standard, creditrules.load_learner(ROOT / LEARNER), AS_OF)
    page = letter(decision, standard.ruleset_for(decision.as_of), "zh")
    _self_contained(page)
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    for words in ("S-2024-0001 的学分认定结果", "已认定的学分（共 19.5 学分）及依据", "C101 计算机应用基础 — 4 学分（公共基础课），成绩 优秀",
                  "毕业要求进度", "——若等级达到「中级」或以上即可认定", "如何申请复核", "所依据的标准"):
        assert words in page, words
    assert "What was credited" not in page and "How to ask" not in page


def test_letter_escapes_hostile_learner_data(library, tmp_path):
    learner = {"id": HOSTILE, "achievements": [
        {"id": "A1\"><img src=x onerror=alert(2)>", "code": "X-WEB", "level": "中级", "obtained": "2024-06-15",
         "verified": True},
        {"id": "A2", "code": "<b>X-EVIL</b>", "obtained": "2024-06-15", "verified": True}]}
    standard = library[STANDARD]
    decision = creditrules.evaluate(standard, creditrules.learner_from_dict(learner), AS_OF)
    page = letter(decision, standard.ruleset_for(decision.as_of), "en")
    _self_contained(page)
    assert "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;X-EVIL&lt;/b&gt;" in page


def test_letter_is_the_same_bytes_every_time(library):
    standard = library[STANDARD]
    decision = creditrules.evaluate(standard, creditrules.load_learner(ROOT / LEARNER), AS_OF)
    ruleset = standard.ruleset_for(decision.as_of)
    assert letter(decision, ruleset, "zh") == letter(decision, ruleset, "zh")


# ---------------------------------------------------------------- the CLI: letter

def test_evaluate_html_to_standard_output():
    code, out, err = run(*EVALUATE, "--format", "html", "--lang", "zh")
    assert (code, err) == (0, "")
    assert out.startswith("<!DOCTYPE html>") and "S-2024-0001 的学分认定结果" in out


def test_evaluate_html_to_a_file(tmp_path):
    target = tmp_path / "letter.html"
    code, out, err = run(*EVALUATE, "--format", "html", "--output", str(target))
    assert (code, out, err) == (0, "", "")
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not (tmp_path / "letter.html.partial").exists()


def test_evaluate_output_may_not_overwrite_the_learner():
    code, out, err = run(*EVALUATE, "--format", "html", "--output", LEARNER)
    assert (code, out, err) == (2, "", "creditrules: --output 'examples/student-1x.yaml' is the same file as the "
                                       "--learner file; it would be overwritten, so choose another name\n")


def test_evaluate_output_in_a_missing_folder(tmp_path):
    code, out, err = run(*EVALUATE, "--format", "html", "--output", str(tmp_path / "nowhere" / "x.html"))
    assert (code, out, err) == (2, "", f"creditrules: --output: folder '{tmp_path / 'nowhere'}' does not exist\n")


def test_evaluate_bad_format():
    code, out, err = run(*EVALUATE, "--format", "pdf")
    assert (code, out) == (2, "")
    assert err == "creditrules evaluate: argument --format: invalid choice: 'pdf' (choose from 'text', 'json', 'html')\n"


# ---------------------------------------------------------------- the CLI: graph of one version

def _graph_json(*args: str) -> dict:
    code, out, err = run("graph", "--standard", STANDARD, *args)
    assert (code, err) == (0, "")
    return json.loads(out)


def test_graph_of_all_versions_keeps_each_versions_wording():
    data = _graph_json()
    nodes = {n["id"]: n for n in data["nodes"]}
    edges = {(e["source"], e["target"]) for e in data["edges"]}
    old, new = nodes["rule:web-core@2024.1"], nodes["rule:web-core@2026.1"]
    assert old["label"] == "Web certificate (intermediate or higher) replaces core courses"
    assert new["label"] == "Web certificate (intermediate or higher, at most 2 years old) replaces core courses"
    assert ("standard:yrd-computer-application@2024.1", "rule:web-core@2024.1") in edges
    assert ("standard:yrd-computer-application@2024.1", "rule:web-core@2026.1") not in edges
    assert "rule:web-core" not in nodes


@pytest.mark.parametrize("args, version", [(["--version", "2024.1"], "2024.1"), (["--as-of", "2025-06-30"], "2024.1"),
                                           (["--version", "2026.1"], "2026.1"), (["--as-of", "2026-09-01"], "2026.1")])
def test_graph_of_one_version(args, version):
    data = _graph_json(*args)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert [n for n in nodes if n.startswith("standard:")] == [f"standard:yrd-computer-application@{version}"]
    assert nodes["rule:web-core"]["version"] == version
    assert ("2 years old" in nodes["rule:web-core"]["label"]) == (version == "2026.1")
    assert ("rule:programming-foundation" in nodes) == (version == "2026.1")


def test_graph_labels_limits_and_edges():
    data = _graph_json("--version", "2024.1")
    nodes = {n["id"]: n for n in data["nodes"]}
    edges = {(e["source"], e["target"]): e for e in data["edges"]}
    assert nodes["program:510201"]["limit"] == 50 and nodes["program:510201"]["note"] == "140 required, max 50"
    assert nodes["course:C201"]["note"] == "4 credits"
    assert edges[("code:X-WEB", "rule:web-core")]["label"] == "level ≥ intermediate, obtained within 3 years"
    assert edges[("rule:competition-provincial", "category:elective")]["label"] == "2 credits"
    assert edges[("rule:external-training", "category:elective")]["label"] == "1 per 16 hours"


def test_graph_in_chinese():
    data = _graph_json("--version", "2024.1", "--lang", "zh")
    nodes = {n["id"]: n for n in data["nodes"]}
    edges = {(e["source"], e["target"]): e for e in data["edges"]}
    assert nodes["course:C201"]["label"] == "C201 Web前端开发" and nodes["course:C201"]["note"] == "4 学分"
    assert nodes["rule:web-core"]["label"] == "Web前端证书（中级及以上）替代专业核心课"
    assert nodes["program:510201"]["note"] == "要求 140 学分，上限 50"
    assert edges[("code:X-WEB", "rule:web-core")]["label"] == "等级不低于中级，取得日期在3 年内"


def test_graph_dot_and_mermaid_label_edges():
    code, out, err = run("graph", "--standard", STANDARD, "--version", "2024.1", "--format", "dot")
    assert (code, err) == (0, "")
    assert '  "rule:competition-provincial" -> "category:elective" [label="2 credits"];' in out.splitlines()
    code, out, err = run("graph", "--standard", STANDARD, "--version", "2024.1", "--format", "mermaid", "--lang", "zh")
    assert (code, err) == (0, "")
    assert re.search(r'^  n\d+ -->\|"2 学分"\| n\d+$', out, re.M)


def test_graph_svg(tmp_path):
    target = tmp_path / "graph.svg"
    code, out, err = run("graph", "--standard", STANDARD, "--version", "2024.1", "--format", "svg", "--output",
                         str(target))
    assert (code, out, err) == (0, "", "")
    svg = target.read_text(encoding="utf-8")
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')
    assert svg.count('<g class="node ') == 31 - 2 - 1  # every node but the standards (two versions: one drawn)
    assert "<script" not in svg


@pytest.mark.parametrize("args, code, message", [
    (["--as-of", "2025-13-01"], 2,
     "creditrules: --as-of: '2025-13-01' is not a day of the calendar; write YYYY-MM-DD, e.g. 2024-09-01\n"),
    (["--version", "2025.1"], 2,
     "creditrules: --version: standard 'yrd-computer-application' has no version '2025.1' (versions: 2024.1, 2026.1) "
     "(did you mean '2026.1'?)\n"),
    (["--as-of", "2020-01-01"], 1,
     "creditrules: no version of standard 'yrd-computer-application' is in force on 2020-01-01 (versions: 2024.1 "
     "2024-09-01..2026-08-31, 2026.1 2026-09-01..)\n"),
    (["--as-of", "2025-01-01", "--version", "2024.1"], 2,
     "creditrules graph: argument --version: not allowed with argument --as-of\n"),
    (["--format", "svg"], 2,
     "creditrules: --format svg draws one version; name it with --as-of DATE or --version VERSION (versions: 2024.1, "
     "2026.1)\n"),
])
def test_graph_version_errors(args, code, message):
    assert run("graph", "--standard", STANDARD, *args) == (code, "", message)


# ---------------------------------------------------------------- the CLI: report and diff

@pytest.mark.parametrize("args, code, message", [
    (["--version", "2024"], 2,
     "creditrules: --version: standard 'yrd-computer-application' has no version '2024' (versions: 2024.1, 2026.1) "
     "(did you mean '2024.1'?)\n"),
    (["--as-of", "2020-01-01"], 1,
     "creditrules: no version of standard 'yrd-computer-application' is in force on 2020-01-01 (versions: 2024.1 "
     "2024-09-01..2026-08-31, 2026.1 2026-09-01..)\n"),
    (["--as-of", "30/06/2025"], 2,
     "creditrules: --as-of: '30/06/2025' is not a date; write YYYY-MM-DD, e.g. 2024-09-01\n"),
    (["--output", "standards"], 2, "creditrules: --output 'standards' is a folder; name a file in it\n"),
])
def test_report_errors(args, code, message):
    assert run("report", "--standard", STANDARD, *args) == (code, "", message)


def test_report_unknown_standard():
    assert run("report", "--standard", "yrd-computer-aplication") == (
        2, "", "creditrules: --standard: no standard 'yrd-computer-aplication' (did you mean "
               "'yrd-computer-application'?)\n")


def test_report_of_one_version(tmp_path):
    target = tmp_path / "report.html"
    code, out, err = run("report", "--standard", STANDARD, "--as-of", AS_OF, "--output", str(target))
    assert (code, out, err) == (0, "", "")
    page = target.read_text(encoding="utf-8")
    _self_contained(page)
    assert "<title>Computer Application Technology conversion standard (yrd-computer-application 2024.1)</title>" in page
    for words in ("Versions", "Limits", "Rules (9)", "The rule graph", "Analysis findings", "Decision cases",
                  "total converted credits", "“the same competition event counts once”",
                  "Rule coverage: 19 of 19 rules (100%) are awarded by some case",
                  "the sample 1+X student", "level ≥ intermediate"):
        assert esc(words) in page, words
    assert page.count('<g class="node ') == 28  # the graph of 2024.1, drawn inline
    assert page.count("<svg ") == 2  # the timeline and the graph


def test_report_in_chinese_names_the_2026_version():
    code, out, err = run("report", "--standard", STANDARD, "--version", "2026.1", "--lang", "zh")
    assert (code, err) == (0, "")
    _self_contained(out)
    for words in ("计算机应用技术专业学习成果转换标准（2026修订）（yrd-computer-application 2026.1）", "规则（10 条）", "规则关系图",
                  "静态分析结果", "认定案例", "转换学分总额"):
        assert words in out, words


def test_report_escapes_hostile_standard_text(tmp_path):
    from test_cli import EVIL_STANDARD

    (tmp_path / "evil.yaml").write_text(EVIL_STANDARD.replace("name_en: Escaping test",
                                                              f"name_en: '{HOSTILE}'"), encoding="utf-8")
    code, out, err = run("report", "--standards", str(tmp_path), "--standard", "evil", "--version", "1")
    assert (code, err) == (0, "")
    _self_contained(out)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "&quot;]; evil &lt;script&gt;" in out


def test_diff_html(tmp_path):
    target = tmp_path / "impact.html"
    code, out, err = run("diff", "2024.1", "2026.1", "--standard", STANDARD, "--format", "html", "--output",
                         str(target))
    assert (code, out, err) == (0, "", "")
    page = target.read_text(encoding="utf-8")
    _self_contained(page)
    assert "<title>Credit changes from yrd-computer-application 2024.1 to yrd-computer-application 2026.1</title>" in page
    for words in ("Learners", "Through which rules", "What changed for each learner", "learners compared"):
        assert esc(words) in page, words
    code, out, err = run("diff", "2024.1", "2026.1", "--standard", STANDARD, "--format", "html", "--lang", "zh")
    assert (code, err) == (0, "") and "涉及的规则" in out and "每名学习者的变化" in out


def test_pages_are_exported():
    assert creditrules.pages.__all__ == ["impact_page", "letter", "report"]
    assert callable(impact_page) and callable(report)


def test_the_example_writes_the_pages(tmp_path):
    import subprocess
    import sys

    env = {**__import__("os").environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "pages.py"), str(tmp_path)], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.svg", "letter-en.html", "letter-zh.html",
                                                          "report.html"]
    _self_contained((tmp_path / "report.html").read_text(encoding="utf-8"))


def test_the_errors_in_docs_pages_md_are_exact():
    """docs/pages.md shows four graph errors with their exit codes: each is what the command says."""
    text = (ROOT / "docs" / "pages.md").read_text(encoding="utf-8")
    shown = re.findall(r"^\$ creditrules (.+?)\s+# exit (\d)\n(creditrules: .+)$", text, re.M)
    assert len(shown) == 4
    for command, code, message in shown:
        assert run(*command.split()) == (int(code), "", message + "\n"), command


def test_diff_output_may_not_overwrite_the_learners():
    assert run("diff", "2024.1", "2026.1", "--standard", STANDARD, "--learners", LEARNER, "--format", "html",
               "--output", LEARNER) == (
        2, "", "creditrules: --output 'examples/student-1x.yaml' is the same file as the --learners file; it would "
               "be overwritten, so choose another name\n")


# ---------------------------------------------------------------- the drawing

def test_svg_layers_follow_the_credit_flow(library):
    from creditrules.graph import localise, ruleset_graph
    from creditrules.pages.svg import draw, layers

    ruleset = library[STANDARD].segments[0]
    graph = localise(ruleset_graph(ruleset), "en")
    drawn = graph.subgraph(n for n, d in graph.nodes(data=True) if d["type"] != "standard")
    column = layers(drawn)
    by_kind = {kind: {column[n] for n, d in drawn.nodes(data=True) if d["type"] == kind}
               for kind in ("code", "rule", "course", "category", "program")}
    assert by_kind == {"code": {0}, "rule": {1}, "course": {2}, "category": {3}, "program": {4}}
    assert draw(graph, "x") == draw(localise(ruleset_graph(ruleset), "en"), "x")  # the same picture every time


def test_svg_clips_wide_text_and_draws_a_cycle_by_kind():
    import networkx as nx

    from creditrules.pages.svg import clip, draw, layers, text_width

    assert text_width("中文") == 24 and text_width("ab") == pytest.approx(14.4)
    assert clip("计算机应用技术专业学习成果转换标准", 60) == "计算机应…"  # 4 × 12 + "…" 7.2 ≤ 60
    assert clip("short", 100) == "short"
    graph = nx.DiGraph()
    graph.add_node("a", type="code", label=HOSTILE)
    graph.add_node("b", type="rule", label="b")
    graph.add_edges_from([("a", "b"), ("b", "a")])
    assert layers(graph) == {"a": 0, "b": 1}
    assert "<script" not in draw(graph, HOSTILE) and "&lt;script&gt;" in draw(graph, HOSTILE)


def test_graph_names_the_group_limit_on_the_rules_it_counts():
    data = _graph_json("--version", "2024.1", "--lang", "zh")
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["rule:competition-provincial"]["note"] == "“同一赛项只认定一次”"
    assert "note" not in nodes["rule:web-core"]


def test_report_of_a_conversion_that_uses_a_certification():
    code, out, err = run("report", "--standard", "ah-senior-arts-certificate", "--version", "2024.1")
    assert (code, err) == (0, "")
    _self_contained(out)
    assert "Certification first: Anhui elderly-education learning outcome certification standard (ah-elderly-cert " \
           "2024.1)" in out
    assert "certified outcome ELD-CERT-ARTS: 1 per 18 hours (bank credits)" in out
    assert "Rule coverage: 6 of 6 rules (100%) are awarded by some case" in out
