"""docs/diagnostics.md says what validate does: every code has a section, and every example runs.

An example block starts with ``# ✗ CODE`` (validate must report CODE) or ``# ✓ CODE`` (it must not).
A block whose first line is ``# folder/file.yaml`` is a whole file, validated with the other files of
its folder; a block that declares an ``id`` (or shows a problem of the file itself, Y and E002) is a whole
file, validated beside the sample base ``yrd-base``; any other block is a *part* of the sample standard
``standards/yangtze-delta/computer-application.yaml``: its top-level keys replace the same keys of the
sample (or are added), and the result is validated with the sample base.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import creditrules
from creditrules.codes import CODES

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "diagnostics.md"
SAMPLE = ROOT / "standards" / "yangtze-delta" / "computer-application.yaml"
SAMPLE_BASE = ROOT / "standards" / "yangtze-delta" / "base.yaml"
HEADING = re.compile(r"^### ([A-Z]\d{3}) — (.+) \((error|warning)\)$")
MARK = re.compile(r"^# ([✗✓]) ([A-Z]\d{3})$", re.MULTILINE)
WHOLE = re.compile(r"^# ([\w.-]+)/([\w.-]+\.yaml)$")


def _blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_every_code_has_a_section_with_its_title_and_severity():
    found = {}
    for line in DOC.read_text(encoding="utf-8").split("\n"):
        match = HEADING.match(line)
        if match:
            found[match[1]] = (match[2], match[3])
    assert found == {code: (info.title, info.severity.value) for code, info in CODES.items()}


def test_every_analysis_and_warning_code_has_a_failing_and_a_passing_example():
    marks = {(mark, code) for block in _blocks() for mark, code in MARK.findall(block)}
    for code in CODES:
        if code[0] in "AW":
            assert ("✗", code) in marks and ("✓", code) in marks, code


def _replace_keys(sample: str, part: str) -> str:
    """The sample with each top-level key of ``part`` replaced by (or added as) the part's block."""
    def blocks(text: str) -> dict[str, str]:
        found: dict[str, str] = {}
        key = None
        for line in text.split("\n"):
            head = re.match(r"^([A-Za-z_]+):", line)
            if head:
                key = head[1]
                found[key] = ""
            if key is not None:
                found[key] += line + "\n"
        return found
    mine = blocks(sample)
    prefix = sample.split("\nid:", 1)[0] + "\n"
    mine.update(blocks(part))
    return prefix + "".join(mine.values())


def _examples() -> list[tuple[str, str, str, str]]:
    """(mark, code, block, how) for every marked example. ``how`` is a folder name (the block is one
    file of it), 'alone' (a whole file: it declares an id, or its problem is the file itself) or 'part'."""
    found = []
    for block in _blocks():
        whole = WHOLE.match(block.split("\n", 1)[0])
        for mark, code in MARK.findall(block):
            if whole:
                how = whole[1]
            elif code[0] == "Y" or code == "E002" or re.search(r"^id:", block, re.MULTILINE):
                how = "alone"
            else:
                how = "part"
            found.append((mark, code, block, how))
    return found


EXAMPLES = _examples()


def _folder(name: str) -> dict[str, str]:
    files = {}
    for block in _blocks():
        whole = WHOLE.match(block.split("\n", 1)[0])
        if whole and whole[1] == name:
            files[whole[2]] = block
    return files


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{m}{c}-{i}" for i, (m, c, _, _) in enumerate(EXAMPLES)])
def test_example(example: tuple[str, str, str, str], tmp_path: Path):
    mark, code, block, how = example
    if how == "part":
        (tmp_path / "base.yaml").write_text(SAMPLE_BASE.read_text(encoding="utf-8"), encoding="utf-8")
        sample = SAMPLE.read_text(encoding="utf-8")
        (tmp_path / "standard.yaml").write_text(_replace_keys(sample, block), encoding="utf-8")
    elif how == "alone":
        (tmp_path / "base.yaml").write_text(SAMPLE_BASE.read_text(encoding="utf-8"), encoding="utf-8")
        (tmp_path / "standard.yaml").write_text(block, encoding="utf-8")
    else:
        for name, content in _folder(how).items():
            (tmp_path / name).write_text(content, encoding="utf-8")
    codes = {d.code for d in creditrules.validate([tmp_path])}
    if mark == "✗":
        assert code in codes, sorted(codes)
    else:
        assert code not in codes, sorted(codes)
