"""The committed JSON Schema must match the models, and every standard must point at it."""

from __future__ import annotations

import json
from pathlib import Path

from creditrules.schema import schema_text

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "schema" / "standard.schema.json"


def test_committed_schema_is_in_sync_with_the_models():
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        "schema/standard.schema.json is stale; regenerate it with "
        "'creditrules schema --output schema/standard.schema.json'")


def test_schema_describes_the_top_level_keys():
    schema = json.loads(schema_text())
    assert {"id", "version", "kind", "effective", "source", "rules", "limits", "program"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False


def test_every_standard_file_starts_with_the_schema_line():
    for path in sorted((ROOT / "standards").rglob("*.yaml")):
        if path.name.endswith(".cases.yaml"):
            continue
        first = path.read_text(encoding="utf-8").splitlines()[0]
        relative = Path("../" * (len(path.relative_to(ROOT).parts) - 1)) / "schema" / "standard.schema.json"
        assert first == f"# yaml-language-server: $schema={relative.as_posix()}", path


def test_every_sample_standard_fits_the_committed_schema():
    """What editors check with yaml-language-server agrees with the loader on real files."""
    import jsonschema

    from creditrules import _yaml

    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((ROOT / "standards").rglob("*.yaml")):
        if path.name.endswith(".cases.yaml"):
            continue
        parsed = _yaml.parse(path.read_text(encoding="utf-8"), str(path))
        assert not isinstance(parsed, _yaml.Diagnostic), parsed
        errors = [e.message for e in validator.iter_errors(parsed.data)]
        assert errors == [], (path, errors[:3])
