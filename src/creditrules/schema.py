"""The JSON Schema of the standard format, for editors (yaml-language-server) and tools."""

from __future__ import annotations

import json
from typing import Any

from .model import Standard

SCHEMA_ID = "https://creditrules.invalid/schema/standard.schema.json"


def standard_schema() -> dict[str, Any]:
    """The JSON Schema of one standard file, generated from the pydantic models."""
    schema = Standard.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "creditrules standard"
    return schema


def schema_text() -> str:
    return json.dumps(standard_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
