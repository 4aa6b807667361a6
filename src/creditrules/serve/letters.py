"""Decision letters by media type: the one place a new rendering of a decision is plugged in.

``POST /v1/standards/{id}/letter`` negotiates with the request's ``Accept`` header over
:data:`RENDERERS`: the text ``creditrules evaluate`` prints, or the self-contained HTML letter of
``evaluate --format html`` (:mod:`creditrules.pages.letter`). A new rendering is one line here; the
route, its negotiation, the OpenAPI description (built from this table) and the tests of 406 follow.
"""

from __future__ import annotations

from collections.abc import Callable

from ..compiled import CompiledRuleset
from ..decision import Decision
from ..pages.letter import letter
from ..render import render_text

Renderer = Callable[[Decision, CompiledRuleset, str], str]

RENDERERS: dict[str, Renderer] = {
    "text/plain": render_text,
    "text/html": letter,
}


def negotiate(accept: str | None, available: list[str]) -> str | None:
    """The media type of ``available`` the ``Accept`` header prefers, or None when it accepts none of
    them. Each type takes the quality of the most specific range that matches it (``text/html``, then
    ``text/*``, then ``*/*``, RFC 9110 §12.5.1); ties go to the order of ``available``, and a missing
    header accepts the first."""
    if not accept or not accept.strip():
        return available[0]
    ranges: dict[str, float] = {}
    for part in accept.split(","):
        kind, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(1.0, max(0.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges[kind.lower()] = max(quality, ranges.get(kind.lower(), 0.0))
    best: tuple[float, str] | None = None
    for offered in available:
        for candidate in (offered, offered.split("/")[0] + "/*", "*/*"):
            if candidate in ranges:
                quality = ranges[candidate]
                if quality > 0 and (best is None or quality > best[0]):
                    best = (quality, offered)
                break
    return best[1] if best else None
