"""JSON Schemas: of the standard format (for editors and tools), and of what creditrules writes
for systems (a decision; a batch run's reject and award rows), each generated from the types.

The committed copies under ``schema/`` are kept in sync by ``tests/test_schema.py``;
``creditrules schema`` prints them (``--decision``, ``--reject``, ``--award``).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from .decision_format import FORMAT_VERSION, AwardRowJSON, DecisionJSON, RejectRowJSON
from .model import Standard

SCHEMA_ID = "https://creditrules.invalid/schema/standard.schema.json"
_DRAFT = "https://json-schema.org/draft/2020-12/schema"

OUTPUT_SCHEMAS: dict[str, tuple[str, type[Any], str]] = {
    # name: (committed file, the type, title)
    "decision": ("decision.schema.json", DecisionJSON, "creditrules decision"),
    "reject": ("reject.schema.json", RejectRowJSON, "creditrules batch reject row"),
    "award": ("award.schema.json", AwardRowJSON, "creditrules batch award row"),
}


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
    schema["$schema"] = _DRAFT
    schema["$id"] = SCHEMA_ID
    schema["title"] = "creditrules standard"
    return schema


def output_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one thing creditrules writes for systems: ``decision`` (a decision, and a
    line of ``creditrules batch`` output), ``reject`` (a line of the batch rejects) or ``award`` (a
    row of ``--awards-csv``, keyed by its header), generated from :mod:`creditrules.decision_format`."""
    file, kind, title = OUTPUT_SCHEMAS[name]
    schema = TypeAdapter(kind).json_schema(mode="validation")
    return {"$schema": _DRAFT, "$id": f"https://creditrules.invalid/schema/{file}", "title": title,
            "description": f"format_version {FORMAT_VERSION}; see docs/contract.md",
            **{k: v for k, v in schema.items() if k != "title"}}


def decision_schema() -> dict[str, Any]:
    """The JSON Schema of a decision (``Decision.to_json``), format ``FORMAT_VERSION``."""
    return output_schema("decision")


def schema_text(name: str = "standard") -> str:
    schema = standard_schema() if name == "standard" else output_schema(name)
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
