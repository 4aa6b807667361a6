"""The documentation says what the code does: one section per diagnostic code, the hashes the docs show are
the sample standards' real hashes, and the sample decision in docs/decisions.md is the one the command prints."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

import creditrules
from cli_run import run

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("CREDITRULES_STANDARDS", raising=False)


def test_each_diagnostic_code_has_one_section():
    text = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    headings = Counter(re.findall(r"^### ([A-Z]\d{3}) — ", text, flags=re.MULTILINE))
    assert [code for code, count in headings.items() if count > 1] == []


def _real_hashes() -> set[str]:
    library = creditrules.compile_standards([ROOT / "standards"])
    found: set[str] = set()
    for standard in library.standards.values():
        for ruleset in standard.segments:
            found.add(ruleset.content_hash)
            found.update(ref.content_hash for ref in ruleset.chain)
    return found


def test_every_hash_in_the_docs_is_a_real_hash_of_the_sample_standards():
    real = _real_hashes()
    shown = {(doc.name, digest) for doc in DOCS
             for digest in re.findall(r"\b[0-9a-f]{16}\b", doc.read_text(encoding="utf-8"))}
    assert shown, "the docs show no hash; this test has nothing to check"
    assert sorted((name, digest) for name, digest in shown if digest not in real) == []


@pytest.mark.parametrize(("index", "lang"), [(0, "en"), (1, "zh")])
def test_the_sample_decision_in_the_docs_is_what_evaluate_prints(index: int, lang: str):
    text = (ROOT / "docs" / "decisions.md").read_text(encoding="utf-8")
    block = re.findall(r"```text\n(.*?)```", text, flags=re.DOTALL)[index]
    code, out, err = run("evaluate", "--standard", "yrd-computer-application", "--learner",
                         "examples/student-1x.yaml", "--as-of", "2025-06-30", "--lang", lang)
    assert (code, err) == (0, "")
    assert block == out


def test_the_test_run_in_the_docs_is_what_test_prints():
    text = (ROOT / "docs" / "decision-cases.md").read_text(encoding="utf-8")
    shown = text.split("```text\n$ creditrules test\n", 1)[1].split("```", 1)[0]
    assert run("test") == (0, shown, "")
