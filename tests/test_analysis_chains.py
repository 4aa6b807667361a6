"""Chains of standards (``extends`` and ``uses``) of any length: reported located (C005), never a recursion error."""

from __future__ import annotations

from pathlib import Path

import creditrules
from cli_run import run
from creditrules.chains import MAX_CHAIN

HEAD = """id: s{i:04d}
version: "1"
kind: {kind}
name_zh: 第{i}层
name_en: Level {i}
"""
TAIL = """effective: {from: 2024-01-01}
source: {citation: Illustrative test standard., illustrative: true}
"""


def _chain(folder: Path, length: int, how: str = "extends") -> Path:
    """``length`` standards, s0000 building on s0001 and so on: the first one sorts first, so nothing is
    compiled before the end of the chain is reached (the order that once recursed a thousand deep)."""
    folder.mkdir()
    kind = "base" if how == "extends" else "certification"
    for i in range(length):
        link = "" if i == length - 1 else (f"extends: s{i + 1:04d}\n" if how == "extends" else f"uses: [s{i + 1:04d}]\n")
        (folder / f"s{i:04d}.yaml").write_text(HEAD.format(i=i, kind=kind) + link + TAIL, encoding="utf-8")
    return folder


def test_a_chain_of_a_thousand_standards_is_one_located_error(tmp_path: Path):
    folder = _chain(tmp_path / "chain", 1000)
    found = [str(d) for d in creditrules.validate([folder])]
    at = 1000 - MAX_CHAIN - 1  # the standard whose chain is one longer than allowed
    assert found == [
        (f"{folder}/s{at:04d}.yaml:6:1: C005 extends 's{at + 1:04d}' makes a chain of 17 standards "
        f"(s{at:04d} → s{at + 1:04d} → … → s0999), more than the 16 a chain may have; build on a standard nearer "
        f"'s0999' instead; the {at} standards that build on 's{at:04d}' are not compiled either")]


def test_a_chain_of_uses_is_bounded_the_same_way(tmp_path: Path):
    folder = _chain(tmp_path / "chain", 1200, how="uses")
    found = [str(d) for d in creditrules.validate([folder])]
    at = 1200 - MAX_CHAIN - 1
    assert found == [
        (f"{folder}/s{at:04d}.yaml:6:8: C005 uses 's{at + 1:04d}' makes a chain of 17 standards "
        f"(s{at:04d} → s{at + 1:04d} → … → s1199), more than the 16 a chain may have; build on a standard nearer "
        f"'s1199' instead; the {at} standards that build on 's{at:04d}' are not compiled either")]


def test_the_command_exits_1_with_the_message(tmp_path: Path):
    folder = _chain(tmp_path / "chain", 1000)
    code, out, err = run("validate", str(folder))
    assert code == 1 and err == ""
    assert out.splitlines()[-1] == "1 error(s), 0 warning(s)"
    assert " C005 extends 's0984' makes a chain of 17 standards" in out


def test_a_chain_as_long_as_allowed_compiles(tmp_path: Path):
    folder = _chain(tmp_path / "chain", MAX_CHAIN)
    assert creditrules.validate([folder]) == []
    library = creditrules.compile_standards([folder])
    assert len(library.standards) == MAX_CHAIN
    assert len(library["s0000"].segments[0].chain) == MAX_CHAIN


def test_a_chain_one_too_long_is_reported_at_its_top(tmp_path: Path):
    folder = _chain(tmp_path / "chain", MAX_CHAIN + 1)
    assert [str(d) for d in creditrules.validate([folder])] == [
        (f"{folder}/s0000.yaml:6:1: C005 extends 's0001' makes a chain of 17 standards (s0000 → s0001 → … → s0016), "
        "more than the 16 a chain may have; build on a standard nearer 's0016' instead")]
