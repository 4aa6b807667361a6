"""The JSON Schema (what an editor checks) and the loader (what validate checks) agree on which files are
well-formed standards.

The corpus is every standard file of standards/ and tests/invalid/. A file the loader refuses for its
format (Y and E codes) must fail the schema too, and a file it takes must pass it. The schema is fed the file
as a YAML 1.2 reader (the editor) sees it: plain values creditrules reads as text but such a reader as
numbers or true/false (Y010) are given to the schema as the reader has them.

A few rules relate two values of one file, which a JSON Schema cannot say; the files that break only
those are listed in ``BEYOND_A_SCHEMA`` with the rule, and must still be refused by the loader.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from creditrules import _yaml
from creditrules.loader import SourceFile, is_standard_file, load_file

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "schema" / "standard.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)

BEYOND_A_SCHEMA = {
    "attribute-min-above-max.yaml": "an attribute's min is above its max (two values compared)",
    "scale-levels-en-length.yaml": "levels_en has as many labels as levels (two lists compared)",
    "until-before-from.yaml": "effective.until is not before effective.from (two dates compared)",
    "course-credits-too-precise.yaml": "at most 2 decimal places: JSON Schema's multipleOf 0.01 is unreliable on "
                                       "binary floats (4.1 / 0.01 is not a whole number), so it is left out",
}


def _corpus() -> list[Path]:
    found = [p for folder in ("standards", "tests/invalid") for p in sorted((ROOT / folder).rglob("*.y*ml"))
             if is_standard_file(p)]
    return sorted(found)


def _as_other_readers_see_it(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _as_other_readers_see_it(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_as_other_readers_see_it(value) for value in node]
    if isinstance(node, str):
        other = _yaml.other_readers_value(node)
        return node if other is _yaml.NOT_OTHER else other
    return node


def _schema_data(path: Path) -> Any:
    """The document as the schema sees it, or None when it is not YAML at all (neither can read it)."""
    raw = _yaml.read(path)
    text = None if isinstance(raw, _yaml.Diagnostic) else _yaml.decode(raw, str(path))
    if text is None or isinstance(text, _yaml.Diagnostic):
        return None
    parsed = _yaml.parse(text, str(path))  # without the Y010 check: quoted and plain values are told apart below
    if isinstance(parsed, _yaml.Diagnostic):
        return None
    # plain scalars only: a value that was quoted stays text (the strict parse tells which were plain)
    strict = _yaml.parse(text, str(path), unambiguous=True)
    return _as_other_readers_see_it(parsed.data) if isinstance(strict, _yaml.Diagnostic) and \
        strict.code == "Y010" else parsed.data


CORPUS = _corpus()


def test_the_corpus_holds_valid_and_invalid_files():
    accepted = [p for p in CORPUS if isinstance(load_file(p), SourceFile)]
    assert len(accepted) >= 10 and len(CORPUS) - len(accepted) >= 60


@pytest.mark.parametrize("path", CORPUS, ids=[p.relative_to(ROOT).as_posix() for p in CORPUS])
def test_schema_and_loader_agree(path: Path):
    data = _schema_data(path)
    loaded = load_file(path)
    loader_accepts = isinstance(loaded, SourceFile)
    if data is None:  # not YAML: the loader refuses it, and no schema can be checked
        assert not loader_accepts
        return
    errors = [e.message for e in VALIDATOR.iter_errors(data)]
    if path.name in BEYOND_A_SCHEMA:
        assert not loader_accepts and errors == [], BEYOND_A_SCHEMA[path.name]
        return
    if loader_accepts:
        assert errors == [], errors[:3]
    elif isinstance(loaded, list) and all(d.code[0] in "YE" for d in loaded):
        assert errors != [], [str(d) for d in loaded]


def test_the_two_disagreements_of_issue_9_are_gone(tmp_path: Path):
    base = ("id: x\nversion: \"1\"\nkind: base\nname_zh: 示例\nname_en: Example\neffective: {from: 2024-01-01}\n"
            "source: {citation: 示例, illustrative: true}\n")
    octal = tmp_path / "octal.yaml"
    octal.write_text(base + "kinds: {exam: {name_zh: 考试, name_en: Exam}}\ncatalog:\n"
                            "  A: {kind: exam, name_zh: a, name_en: b}\ncovers: {codes: [0123]}\n", encoding="utf-8")
    both = tmp_path / "both.yaml"
    both.write_text(base + "limits: {total: {max: 10, max_fraction: 0.5}}\n", encoding="utf-8")
    for path in (octal, both):
        assert not isinstance(load_file(path), SourceFile)
        assert list(VALIDATOR.iter_errors(_schema_data(path))) != []
