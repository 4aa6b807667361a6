"""The pages in a real browser (headless Chromium from the system's packages, driven by Playwright; see
tests/browser.py): the words are on screen, nothing runs, nothing is fetched, no error is logged, the
picture is drawn, the screenshot has a sane size, and the page prints to PDF.

Skipped when the browser is missing, except under CI (``CI`` set), where that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import browser
from cli_run import run

ROOT = Path(__file__).resolve().parents[1]
STANDARD = ["--standard", "yrd-computer-application"]
EVALUATE = ["evaluate", *STANDARD, "--learner", "examples/student-1x.yaml", "--as-of", "2025-06-30", "--format", "html"]
HOSTILE = "<script>alert(1)</script>"

WHY_MISSING = browser.missing()
if WHY_MISSING and not os.environ.get("CI"):
    pytestmark = pytest.mark.skip(reason=f"no browser here: {WHY_MISSING} (under CI this fails)")


@pytest.fixture(scope="module")
def context() -> Iterator[Any]:
    if WHY_MISSING:
        pytest.fail(f"CI needs the browser to test the pages: {WHY_MISSING}")
    with browser.browser() as opened:
        yield opened


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("CREDITRULES_STANDARDS", raising=False)


def _page(tmp_path: Path, name: str, *argv: str) -> Path:
    target = tmp_path / name
    code, out, err = run(*argv, "--output", str(target))
    assert (code, out, err) == (0, "", "")
    return target


def _clean(opened: browser.Opened, path: Path) -> None:
    """Nothing ran, nothing was logged, nothing but the page itself was asked for."""
    assert opened.errors == [] and opened.console == [] and opened.dialogs == []
    assert opened.scripts == 0
    assert opened.requests == [path.resolve().as_uri()]


def _sane(png: bytes, min_height: int = 600) -> None:
    width, height = browser.png_size(png)
    assert width == 1000 and min_height <= height <= 30000, (width, height)
    assert len(png) > 20_000  # a drawn page, not a blank one


def test_letter_in_english(context, tmp_path):
    path = _page(tmp_path, "letter.html", *EVALUATE)
    opened = browser.open_file(context, path)
    _clean(opened, path)
    _sane(opened.screenshot, 1200)
    for words in ("Credit decision for S-2024-0001", "What was credited (19.5 credits), and why",
                  "Progress toward the diploma", "a record with level «intermediate» or higher would qualify", "How to ask for a review", "yrd-base"):
        assert words in opened.text, words
    assert opened.page.title() == "Credit decision for S-2024-0001"
    bars = opened.page.eval_on_selector_all(".bar .fill", "els => els.map(e => e.getBoundingClientRect().width)")
    assert len(bars) == 5 and bars[-1] > 0 and bars[3] == 0  # practice: nothing credited yet


def test_letter_in_chinese_prints_to_pdf(context, tmp_path):
    path = _page(tmp_path, "letter-zh.html", *EVALUATE, "--lang", "zh")
    opened = browser.open_file(context, path)
    _clean(opened, path)
    assert "S-2024-0001 的学分认定结果" in opened.text and "如何申请复核" in opened.text
    opened.page.emulate_media(media="print")
    pdf = opened.page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-") and 10_000 < len(pdf) < 5_000_000
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 1 <= pages <= 4, pages


def test_hostile_learner_is_shown_as_text_and_runs_nothing(context, tmp_path):
    learner = tmp_path / "hostile.yaml"
    learner.write_text(f"id: '{HOSTILE}'\nname: '<img src=x onerror=alert(2)>'\nachievements:\n"
                       "  - {id: '\"><svg onload=alert(3)>', code: X-WEB, level: 中级, obtained: 2024-06-15, "
                       "verified: true}\n"
                       "  - {id: A2, code: '<b>X-EVIL</b>', obtained: 2024-06-15, verified: true}\n",
                       encoding="utf-8")
    path = _page(tmp_path, "hostile.html", "evaluate", *STANDARD, "--learner", str(learner), "--as-of", "2025-06-30",
                 "--format", "html")
    opened = browser.open_file(context, path)
    _clean(opened, path)
    assert f"Credit decision for {HOSTILE}" in opened.text
    assert '"><svg onload=alert(3)>' in opened.text and "<b>X-EVIL</b>" in opened.text
    assert opened.page.eval_on_selector_all("b, img, main svg", "els => els.length") == 0


def test_report_draws_the_graph(context, tmp_path):
    path = _page(tmp_path, "report.html", "report", *STANDARD, "--as-of", "2025-06-30")
    opened = browser.open_file(context, path)
    _clean(opened, path)
    _sane(opened.screenshot, 2000)
    for words in ("Computer Application Technology conversion standard (yrd-computer-application 2024.1)",
                  "Rules (9)", "The rule graph", "Analysis findings", "Decision cases", "Rule coverage: 19 of 19"):
        assert words in opened.text, words
    boxes = opened.page.eval_on_selector_all(
        "figure.graph svg g.node rect", "els => els.map(e => {const b = e.getBoundingClientRect(); "
                                        "return [b.width, b.height]})")
    assert len(boxes) == 28 and all(w > 50 and h > 20 for w, h in boxes)
    labels = opened.page.eval_on_selector_all("figure.graph svg g.node text.label", "els => els.map(e => e.textContent)")
    assert "Electives" in labels and any(label.startswith("C201 Web front-end") for label in labels)
    titles = opened.page.eval_on_selector_all("figure.graph svg g.node > title", "els => els.map(e => e.textContent)")
    assert "C201 Web front-end development — 4 credits" in titles  # the whole label, when cut


def test_hostile_standard_text_is_shown_as_text(context, tmp_path):
    from test_cli import EVIL_STANDARD

    folder = tmp_path / "standards"
    folder.mkdir()
    (folder / "evil.yaml").write_text(EVIL_STANDARD.replace("name_en: Escaping test", f"name_en: '{HOSTILE}'"),
                                      encoding="utf-8")
    path = _page(tmp_path, "evil.html", "report", "--standards", str(folder), "--standard", "evil", "--version", "1")
    opened = browser.open_file(context, path)
    _clean(opened, path)
    assert f"{HOSTILE} (evil 1)" in opened.text
    labels = opened.page.eval_on_selector_all("figure.graph svg text", "els => els.map(e => e.textContent)")
    assert any(label.startswith('C201 "]; evil <script>') for label in labels)


def test_impact_report(context, tmp_path):
    path = _page(tmp_path, "impact.html", "diff", "2024.1", "2026.1", *STANDARD, "--format", "html")
    opened = browser.open_file(context, path)
    _clean(opened, path)
    _sane(opened.screenshot)
    for words in ("Credit changes from yrd-computer-application 2024.1 to yrd-computer-application 2026.1",
                  "learners compared", "Through which rules", "What changed for each learner"):
        assert words in opened.text, words


def test_graph_svg_file(context, tmp_path):
    path = _page(tmp_path, "graph.svg", "graph", *STANDARD, "--version", "2026.1", "--format", "svg", "--lang", "zh")
    opened = browser.open_file(context, path, full_page=False)
    _clean(opened, path)
    assert "C201 Web前端开发" in opened.text
    count = opened.page.eval_on_selector_all("g.node", "els => els.length")
    assert count == 29
