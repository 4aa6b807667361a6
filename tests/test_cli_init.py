"""``creditrules init``: a new standard, every key explained, that validates with --strict as it is."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from cli_run import run
from creditrules.schema import schema_text

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _in_a_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder like the repository: schema/ and a copy of standards/."""
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    shutil.copytree(ROOT / "standards", tmp_path / "standards")
    (tmp_path / "standards" / "new").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("kind", ["conversion", "certification", "base"])
def test_a_new_standard_validates_strictly_on_its_own(kind: str):
    path = f"standards/new/{kind}.yaml"
    code, out, err = run("init", f"ah-demo-{kind}", "--kind", kind, "--from", "2026-09-01", "--output", path)
    assert (code, err) == (0, "")
    assert out == (f"wrote {path}: a {kind} standard 'ah-demo-{kind}'; edit it, then run "
                   f"'creditrules validate --strict {path}'\n")
    assert run("validate", "--strict", path) == (0, "ok: 1 standard file(s) valid, 0 warning(s)\n", "")


@pytest.mark.parametrize(("kind", "base"), [("conversion", "yrd-base"), ("conversion", "ah-base"),
                                            ("base", "yrd-base"), ("base", "ah-base"),
                                            ("certification", "yrd-base")])
def test_a_new_standard_validates_strictly_beside_the_base_it_extends(kind: str, base: str):
    path = f"standards/new/{kind}.yaml"
    assert run("init", "ah-demo", "--kind", kind, "--extends", base, "--from", "2026-09-01", "--output", path)[0] == 0
    assert f"\nextends: {base}\n" in Path(path).read_text(encoding="utf-8")
    code, out, err = run("validate", "--strict", "standards")
    assert (code, err) == (0, "")
    assert out.startswith("ok: ")


def test_the_first_line_points_at_the_schema():
    run("init", "ah-demo", "--kind", "conversion", "--output", "standards/new/demo.yaml")
    first = Path("standards/new/demo.yaml").read_text(encoding="utf-8").split("\n")[0]
    assert first == "# yaml-language-server: $schema=../../schema/standard.schema.json"


@pytest.mark.parametrize("kind", ["conversion", "certification", "base"])
def test_every_key_is_explained(kind: str):
    code, out, _ = run("init", "ah-demo", "--kind", kind, "--extends", "yrd-base", "--from", "2026-09-01")
    assert code == 0
    lines = out.split("\n")
    for i, line in enumerate(lines):
        if re.match(r"^[a-z_]+:", line):
            explained = lines[i - 1].startswith("#") or (line.startswith("name_en:")
                                                          and lines[i - 1].startswith("name_zh:"))  # one comment
            assert explained, f"{line!r} has no comment above it"
    assert "version: \"2026.1\"" in lines and "  from: 2026-09-01" in lines


def test_the_scaffold_fits_the_json_schema():
    import jsonschema
    import yaml

    schema = json.loads(schema_text())
    for kind in ("conversion", "certification", "base"):
        out = run("init", "ah-demo", "--kind", kind, "--from", "2026-09-01")[1]
        data = yaml.safe_load(out)
        data["effective"] = {k: v.isoformat() for k, v in data["effective"].items()}
        jsonschema.validate(data, schema)


def test_usage_errors(tmp_path: Path):
    assert run("init", "AH-Demo", "--kind", "base") == (
        2, "", "creditrules: 'AH-Demo' is not a valid id; use lowercase letters, digits, '.', '_' and '-', starting "
               "with a letter or digit\n")
    assert run("init", "ah-demo", "--kind", "base", "--extends", "Yrd Base") == (
        2, "", "creditrules: --extends: 'Yrd Base' is not a valid id; use lowercase letters, digits, '.', '_' and "
               "'-', starting with a letter or digit\n")
    assert run("init", "ah-demo", "--kind", "base", "--from", "2026/09/01") == (
        2, "", "creditrules: --from: '2026/09/01' is not a date; write YYYY-MM-DD, e.g. 2024-09-01\n")
    assert run("init", "ah-demo", "--kind", "base", "--output", "standards/anhui/base.yaml") == (
        2, "", "creditrules: --output 'standards/anhui/base.yaml' already exists; choose another file or delete it\n")
    assert run("init", "ah-demo", "--kind", "base", "--output", "nowhere/x.yaml") == (
        2, "", "creditrules: --output: folder 'nowhere' does not exist\n")
    code, out, err = run("init", "ah-demo", "--kind", "exam")
    assert (code, out) == (2, "")
    assert err == ("creditrules init: argument --kind: invalid choice: 'exam' "
                   "(choose from 'conversion', 'certification', 'base')\n")


def test_a_file_that_cannot_be_written(monkeypatch: pytest.MonkeyPatch):
    def refuse(self: Path, *args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("creditrules.outputs.open", refuse, raising=False)
    assert run("init", "ah-demo", "--kind", "base", "--output", "standards/new/x.yaml") == (
        1, "", "creditrules: cannot write standards/new/x.yaml: Permission denied\n")
