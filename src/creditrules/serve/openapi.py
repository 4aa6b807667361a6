"""The OpenAPI 3.1 description of the service, served at ``/openapi.json`` and committed as
``schema/openapi.json`` (a test keeps the two the same: ``creditrules serve --openapi`` rewrites it).

Written out rather than derived: the bodies are YAML, CSV and JSON lines read by the library's own
readers, not models a framework could introspect. A test checks that every route of the application
is described here and nothing else is.
"""

from __future__ import annotations

import json
from typing import Any

from .._version import __version__
from .bodies import BATCH_TYPES, LEARNER_TYPES, STANDARD_TYPES
from .letters import RENDERERS
from .problems import PROBLEM_JSON, STATUS, TYPE_PREFIX

_STRING = {"type": "string"}


def _param(name: str, description: str, schema: dict[str, Any] | None = None, where: str = "query",
           required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "description": description,
            "schema": schema or _STRING}


LANG = _param("lang", "Language of texts and problem titles.", {"type": "string", "enum": ["en", "zh"],
                                                                   "default": "en"})
AS_OF = _param("as_of", "Application date, YYYY-MM-DD (default: today, on the server).",
               {"type": "string", "format": "date"})
STANDARD = _param("standard", "The standard's id (see /v1/status).", where="path", required=True)


def _trace(default: str) -> dict[str, Any]:
    return _param("trace", "How much of the rule trace to keep.",
                  {"type": "string", "enum": ["full", "compact", "none"], "default": default})


def _problems(*statuses: int) -> dict[str, Any]:
    kinds = {status: [k for k, s in STATUS.items() if s == status] for status in statuses}
    return {str(status): {"description": ", ".join(kinds[status]),
                          "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            for status in statuses}


def _body(types: list[str], description: str) -> dict[str, Any]:
    return {"required": True, "description": description,
            "content": {t: {"schema": {"type": "string"}} for t in types}}


def _learner_operation(summary: str, description: str, params: list[dict[str, Any]],
                       ok: dict[str, Any], extra: tuple[int, ...] = ()) -> dict[str, Any]:
    return {"post": {
        "summary": summary, "description": description,
        "parameters": [STANDARD, *params, LANG],
        "requestBody": _body(sorted(LEARNER_TYPES), "A learner record as in a learner file "
                             "(docs/learner-format.md): YAML, or JSON. At most 2 MiB "
                             "($CREDITRULES_MAX_FILE_BYTES)."),
        "responses": {"200": ok, **_problems(400, 404, *extra, 413, 415, 422)},
    }}


def document() -> dict[str, Any]:
    """The OpenAPI document, as data."""
    decision = {"description": "The decision: the bytes `creditrules evaluate --format json` prints.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Decision"}}}}
    text = {"description": "Text, as the command prints it.", "content": {"text/plain": {"schema": _STRING}}}
    letter = {"description": "The decision letter, in the representation the Accept header prefers.",
              "content": {t: {"schema": _STRING} for t in RENDERERS}}
    paths: dict[str, Any] = {
        "/openapi.json": {"get": {"summary": "This description", "responses": {
            "200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        "/v1/status": {"get": {
            "summary": "The standards served, and the last reload that failed",
            "description": "Which generation of the standards folder is served, since when, every standard "
                           "and version in it, and — when the last change of the folder did not compile — "
                           "its diagnostics (the last good standards stay in service).",
            "parameters": [LANG],
            "responses": {"200": {"description": "Status", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Status"}}}}, **_problems(400)}}},
        "/v1/validate": {"post": {
            "summary": "Validate a standard file",
            "description": "What `creditrules validate --format F` says of the served folder with the posted file "
                           "put at `path` (or of the file alone): the same codes and `file:line:col` positions, "
                           "paths relative to the folder. The served folder is not changed. A standard with "
                           "problems is a 200 answer whose report says so (`ok: false`).",
            "parameters": [
                _param("path", "Where the file goes in the folder (a relative path ending in .yaml); an existing "
                               "file there is replaced for this check.",
                       {"type": "string", "default": "standard.yaml"}),
                _param("alone", "Validate the file on its own, without the served folder.",
                       {"type": "boolean", "default": False}),
                _param("strict", "Warnings fail too (as --strict).", {"type": "boolean", "default": False}),
                _param("format", "Report format, as validate --format.",
                       {"type": "string", "enum": ["github", "json", "sarif", "text"], "default": "json"}),
                LANG],
            "requestBody": _body(sorted(STANDARD_TYPES), "A standard file (YAML), at most 2 MiB."),
            "responses": {"200": {"description": "The report", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Validation"}},
                "application/sarif+json": {"schema": {"type": "object"}},
                "text/plain": {"schema": _STRING}}}, **_problems(400, 413, 415)}}},
        "/v1/standards/{standard}/evaluate": _learner_operation(
            "Decide a learner's credit",
            "As `creditrules evaluate --format json`; `no_trace=true` is `--no-trace`.",
            [AS_OF, _trace("full"), _param("no_trace", "Leave the trace out of the JSON.",
                                           {"type": "boolean", "default": False})], decision),
        "/v1/standards/{standard}/explain": _learner_operation(
            "Explain one course or achievement in words",
            "As `creditrules explain`: give exactly one of `course` and `achievement`.",
            [AS_OF, _param("course", "A course code of the program."),
             _param("achievement", "An achievement id of the learner.")], text),
        "/v1/standards/{standard}/letter": _learner_operation(
            "The decision letter",
            "The decision as a learner reads it (the text of `creditrules evaluate`), in the representation the "
            "Accept header prefers among: " + ", ".join(RENDERERS) + ".",
            [AS_OF, _trace("full")], letter, (406,)),
        "/v1/standards/{standard}/batch": {"post": {
            "summary": "Decide a batch of achievement rows",
            "description": "As `creditrules batch`: one achievement per row, each with its learner's id. The "
                           "answer holds the run's counts, one decision per learner sorted by id (the lines "
                           "batch writes, byte for byte) and every row that could not be used, with its line "
                           "and reason: read = credited + earned nothing + rejected.",
            "parameters": [STANDARD, AS_OF, _trace("compact"), LANG],
            "requestBody": _body(sorted(BATCH_TYPES), "Rows as CSV with a header, JSON lines or Parquet; at "
                                                      "most --max-batch-bytes (16 MiB by default)."),
            "responses": {"200": {"description": "The outputs of the run", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Batch"}}}}, **_problems(400, 404, 413, 415, 422)}}},
    }
    problem = {
        "type": "object", "required": ["type", "title", "status", "detail"],
        "description": "RFC 9457 problem details. `detail` is in the command line's words where the command "
                       "reports the same problem.",
        "properties": {
            "type": {"type": "string", "enum": [TYPE_PREFIX + k for k in STATUS]},
            "title": _STRING, "status": {"type": "integer"}, "detail": _STRING,
            "code": {"type": "string", "description": "The diagnostic code (docs/diagnostics.md), when one applies"},
            "line": {"type": "integer"}, "column": {"type": "integer"},
            "parameter": {"type": "string", "description": "The query parameter at fault"},
            "limit": {"type": "integer", "description": "The body size limit in bytes (413)"},
            "available": {"type": "array", "items": _STRING, "description": "What can be had instead (406)"}}}
    diagnostic = {"type": "object", "properties": {
        "path": _STRING, "line": {"type": "integer"}, "column": {"type": "integer"}, "code": _STRING,
        "severity": {"type": "string", "enum": ["error", "warning"]}, "message": _STRING}}
    schemas = {
        "Problem": problem,
        "Diagnostic": diagnostic,
        "Decision": {"type": "object", "description": "Decision.to_dict(), format 1.0: its JSON Schema is "
                     "schema/decision.schema.json (docs/contract.md, docs/decisions.md)",
                     "required": ["format_version", "learner", "standard", "as_of", "unit", "total", "awards"]},
        "Validation": {"type": "object", "properties": {
            "ok": {"type": "boolean"}, "strict": {"type": "boolean"}, "errors": {"type": "integer"},
            "warnings": {"type": "integer"},
            "problems": {"type": "array", "items": {"$ref": "#/components/schemas/Diagnostic"}},
            "allowed": {"type": "array", "items": {"$ref": "#/components/schemas/Diagnostic"}}}},
        "Status": {"type": "object", "properties": {
            "ok": {"type": "boolean", "description": "false while the folder holds a change that does not compile"},
            "generation": {"type": "integer"}, "loaded_at": {"type": "string", "format": "date-time"},
            "files": {"type": "integer"}, "reloads": {"type": "integer"}, "failed_reloads": {"type": "integer"},
            "standards": {"type": "array", "items": {"type": "object"}},
            "warnings": {"type": "array", "items": {"$ref": "#/components/schemas/Diagnostic"}},
            "last_failed_reload": {"type": ["object", "null"], "properties": {
                "at": {"type": "string", "format": "date-time"},
                "problems": {"type": "array", "items": {"$ref": "#/components/schemas/Diagnostic"}}}}}},
        "Batch": {"type": "object", "required": ["summary", "decisions", "rejects"], "properties": {
            "summary": {"type": "object", "description": "BatchSummary.to_dict(), without output paths"},
            "decisions": {"type": "array", "items": {"$ref": "#/components/schemas/Decision"}},
            "rejects": {"type": "array", "items": {"type": "object", "properties": {
                "format_version": _STRING, "line": {"type": "integer"}, "learner": _STRING,
                "achievement": _STRING, "code": _STRING, "stage": _STRING, "reason": _STRING, "reason_zh": _STRING},
                "description": "One reject row: schema/reject.schema.json"}}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "creditrules", "version": __version__,
                 "description": "Lifelong-learning achievements to academic credit, over HTTP: the commands "
                                "validate, evaluate, explain and batch, against the standards folder the "
                                "server was started with. See docs/service.md."},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def openapi_text() -> str:
    """The document as the committed file holds it."""
    return json.dumps(document(), ensure_ascii=False, indent=2) + "\n"
