"""Request bodies: their content type checked, their size bounded before they are read whole."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request

from ..messages import service_text
from .problems import Problem

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
JSON_TYPES = ("application/json",)
LEARNER_TYPES: Mapping[str, str] = {**dict.fromkeys(YAML_TYPES, "yaml"), **dict.fromkeys(JSON_TYPES, "json")}
STANDARD_TYPES: Mapping[str, str] = dict.fromkeys(YAML_TYPES, "yaml")
BATCH_TYPES: Mapping[str, str] = {"text/csv": "csv", "application/x-ndjson": "jsonl", "application/jsonl": "jsonl",
                                  "application/jsonlines": "jsonl", "application/vnd.apache.parquet": "parquet"}


def media_type(request: Request, accepted: Mapping[str, str], lang: str) -> str:
    """The body's format (a value of ``accepted``) from its Content-Type; 415 if it is none of them,
    or if it names a charset other than UTF-8."""
    expected = ", ".join(sorted(accepted))
    header = request.headers.get("content-type")
    if not header or not header.strip():
        raise Problem("unsupported-media-type", service_text("no-media-type", lang, expected=expected))
    kind, _, params = header.partition(";")
    kind = kind.strip().lower()
    if kind not in accepted:
        raise Problem("unsupported-media-type", service_text("media-type", lang, got=kind[:80], expected=expected))
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
            if charset not in ("utf-8", "utf8"):
                raise Problem("unsupported-media-type", service_text("charset", lang, got=charset[:40]))
    return accepted[kind]


async def bounded_body(request: Request, limit: int, what: str, lang: str, code: str | None = None) -> bytes:
    """The whole body, refused with 413 as soon as it is known to exceed ``limit`` bytes: from
    Content-Length before anything is read, or while reading a body sent without one."""
    def too_large() -> Problem:
        return Problem("body-too-large", service_text("too-large", lang, limit=limit,
                                                      what=service_text(f"what-{what}", lang)),
                       code=code, limit=limit)

    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise too_large()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large()
        chunks.append(chunk)
    return b"".join(chunks)
