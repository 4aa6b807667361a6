"""Errors as ``application/problem+json`` (RFC 9457).

Every error the service answers is a :class:`Problem`: a ``type`` (one URI per kind of problem,
``urn:creditrules:problem:<slug>``, listed in docs/service.md), a ``title`` from the zh/en catalogue,
the HTTP ``status``, a ``detail`` — for problems the command line also reports, the same words
``creditrules`` writes after ``creditrules:`` — and extension members: ``code``, ``line`` and
``column`` where a reader located the problem (the codes of docs/diagnostics.md), ``parameter``
for a bad query parameter, ``diagnostics`` for standards that do not compile.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

from ..errors import Diagnostic
from ..messages import SERVICE, service_text

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:creditrules:problem:"

STATUS = {
    "invalid-learner": 400,
    "invalid-parameter": 400,
    "unknown-standard": 404,
    "not-found": 404,
    "method-not-allowed": 405,
    "not-acceptable": 406,
    "body-too-large": 413,
    "unsupported-media-type": 415,
    "cannot-decide": 422,
    "invalid-batch": 422,
    "internal-error": 500,
}


class Problem(Exception):
    """An answer that is an error: its kind (a key of :data:`STATUS`), its detail and extension members."""

    def __init__(self, kind: str, detail: str, **extra: Any):
        assert kind in STATUS and kind in SERVICE, kind
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.extra = extra
        self.headers: dict[str, str] = {}

    @property
    def status(self) -> int:
        return STATUS[self.kind]

    def to_dict(self, lang: str) -> dict[str, Any]:
        data: dict[str, Any] = {"type": TYPE_PREFIX + self.kind, "title": service_text(self.kind, lang),
                                "status": self.status, "detail": self.detail}
        data.update((k, v) for k, v in self.extra.items() if v is not None)
        return data

    def response(self, lang: str) -> Response:
        body = json.dumps(self.to_dict(lang), ensure_ascii=False, indent=2) + "\n"
        return Response(body.encode("utf-8"), self.status, headers=self.headers,
                        media_type=PROBLEM_JSON)


def located(diagnostic: Diagnostic | None) -> dict[str, Any]:
    """``code``, ``line`` and ``column`` of a located problem, for a Problem's extension members."""
    if diagnostic is None:
        return {}
    where: dict[str, Any] = {}
    if diagnostic.code:
        where["code"] = diagnostic.code
    if diagnostic.line:
        where["line"], where["column"] = diagnostic.line, diagnostic.column
    return where
