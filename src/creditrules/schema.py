"""The JSON Schema of the standard format, for editors (yaml-language-server) and tools."""

from __future__ import annotations

import json
from typing import Any

from .model import Standard

SCHEMA_ID = "https://creditrules.invalid/schema/standard.schema.json"


def _closed_keys(node: Any) -> None:
    """A mapping whose keys are ids or codes (``patternProperties``) takes no other keys, as the loader
    does: pydantic leaves ``additionalProperties`` open there."""
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _closed_keys(value)
    elif isinstance(node, list):
        for value in node:
            _closed_keys(value)


def standard_schema() -> dict[str, Any]:
    """The JSON Schema of one standard file, generated from the pydantic models."""
    schema = Standard.model_json_schema(by_alias=True, mode="validation")
    _closed_keys(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "creditrules standard"
    return schema


def schema_text() -> str:
    return json.dumps(standard_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
