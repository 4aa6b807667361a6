"""The routes of ``creditrules serve``: one ASGI application (Starlette) over one folder of standards.

Each handler checks its query parameters, the body's content type and size, then does the work the
matching command does, with the same library calls, in a worker thread (the event loop never decides).
What it answers is what the command prints: the decision JSON of ``evaluate --format json`` byte for
byte, the text of ``evaluate`` and ``explain``, the report of ``validate --format F``, the decisions and
rejects of ``batch``. Errors are :class:`~creditrules.serve.problems.Problem` values, answered as
``application/problem+json``.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from .. import formats
from .._yaml import max_file_bytes
from ..api import Validation, check, unknown_subject
from ..batch import evaluate_batch
from ..compiled import CompiledStandard
from ..dates import NotADay, parse_day
from ..errors import CreditRulesError, LearnerError, did_you_mean
from ..evaluator import evaluate
from ..learner import Learner, parse_learner_bytes
from ..loader import discover, is_standard_file
from ..messages import LANGS, service_text
from ..normalise import normalise
from ..render import render_explanation
from .bodies import BATCH_TYPES, LEARNER_TYPES, STANDARD_TYPES, bounded_body, media_type
from .letters import RENDERERS, negotiate
from .openapi import openapi_text
from .problems import Problem, located
from .standards import ServedStandards

LOG = logging.getLogger("creditrules.serve")

DEFAULT_MAX_BATCH_BYTES = 16 * 1024 * 1024
TRACE_MODES = ("full", "compact", "none")
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
VALIDATE_MEDIA = {"text": "text/plain; charset=utf-8", "json": "application/json",
                  "github": "text/plain; charset=utf-8", "sarif": "application/sarif+json"}


@dataclass(frozen=True)
class Settings:
    """What a server is started with (the options of ``creditrules serve``)."""

    standards: Path
    poll_interval: float = 1.0
    max_batch_bytes: int = DEFAULT_MAX_BATCH_BYTES
    batch_concurrency: int = 1


# ---------------------------------------------------------------- parameters


class _Query:
    """A request's query parameters, each read once and checked; unknown names are refused, so that a
    misspelt ``asof`` is an error and not a decision on today's date."""

    def __init__(self, request: Request, names: tuple[str, ...]):
        self.params = request.query_params
        self.lang = "en"
        lang = self.params.get("lang")
        if lang is not None and lang not in LANGS:
            raise Problem("invalid-parameter", service_text("choice", "en", got=lang[:80], choices=", ".join(LANGS)),
                          parameter="lang")
        self.lang = lang or "en"
        allowed = (*names, "lang")
        for name in self.params:
            if name not in allowed:
                raise Problem("invalid-parameter",
                              service_text("unknown-parameter", self.lang, got=name[:80],
                                           hint=did_you_mean(name, allowed), names=", ".join(allowed)),
                              parameter=name[:80])

    def choice(self, name: str, choices: tuple[str, ...], default: str) -> str:
        value = self.params.get(name)
        if value is None:
            return default
        if value not in choices:
            raise Problem("invalid-parameter", service_text("choice", self.lang, got=value[:80],
                                                            choices=", ".join(choices)), parameter=name)
        return value

    def flag(self, name: str) -> bool:
        value = self.params.get(name)
        if value is None:
            return False
        if value.lower() not in BOOLEANS:
            raise Problem("invalid-parameter", service_text("choice", self.lang, got=value[:80],
                                                            choices="true, false"), parameter=name)
        return BOOLEANS[value.lower()]

    def day(self) -> date:
        value = self.params.get("as_of")
        if value is None:
            return date.today()
        day = parse_day(value)
        if isinstance(day, NotADay):
            raise Problem("invalid-parameter", day.zh if self.lang == "zh" else day.en, parameter="as_of")
        return day


def _standard(served: ServedStandards, request: Request) -> CompiledStandard:
    standard_id = request.path_params["standard"]
    try:
        return served.bundle.library[standard_id]
    except KeyError as exc:
        raise Problem("unknown-standard", str(exc.args[0])) from None


def _learner(body: bytes, kind: str) -> Learner:
    """The body as a learner record, read as ``creditrules evaluate --learner`` reads a file
    named learner.yaml or learner.json."""
    try:
        return parse_learner_bytes(body, f"learner.{kind}")
    except LearnerError as exc:
        raise Problem("invalid-learner", str(exc), **located(exc.diagnostic)) from None


def _decide(work: Callable[[], Any]) -> Callable[[], Any]:
    """``work`` with the library's refusals turned into problems (what the CLI reports with exit 1)."""
    def run() -> Any:
        try:
            return work()
        except LearnerError as exc:
            raise Problem("invalid-learner", str(exc), **located(exc.diagnostic)) from None
        except CreditRulesError as exc:  # no version in force, a base standard
            raise Problem("cannot-decide", str(exc)) from None
    return run


async def _learner_request(served: ServedStandards, request: Request, query: _Query
                           ) -> tuple[CompiledStandard, bytes, str]:
    standard = _standard(served, request)
    kind = media_type(request, LEARNER_TYPES, query.lang)
    body = await bounded_body(request, max_file_bytes(), "learner", query.lang, code="Y005")
    return standard, body, kind


def _text(text: str, media: str = "text/plain; charset=utf-8") -> Response:
    return Response(text.encode("utf-8"), media_type=media)


# ---------------------------------------------------------------- the application


def create_app(settings: Settings, served: ServedStandards | None = None) -> Starlette:
    """The service over ``settings.standards``. The standards are compiled here, before the first
    request (StandardError if they do not compile); the watcher runs while the application does."""
    served = served or ServedStandards(settings.standards, settings.poll_interval)
    if not served.loaded:
        served.load()
    batches = threading.BoundedSemaphore(max(1, settings.batch_concurrency))

    async def openapi(request: Request) -> Response:
        return _text(openapi_text(), "application/json")

    async def status(request: Request) -> Response:
        _Query(request, ())
        return _text(json.dumps(served.status(), ensure_ascii=False, indent=2) + "\n", "application/json")

    async def evaluate_route(request: Request) -> Response:
        query = _Query(request, ("as_of", "trace", "no_trace"))
        day, trace, no_trace = query.day(), query.choice("trace", TRACE_MODES, "full"), query.flag("no_trace")
        standard, body, kind = await _learner_request(served, request, query)

        def work() -> str:
            learner = _learner(body, kind)
            decision = evaluate(standard, learner, day, trace="none" if no_trace else trace)  # type: ignore[arg-type]
            return decision.to_json(trace=not no_trace)

        return _text(await run_in_threadpool(_decide(work)), "application/json")

    async def explain_route(request: Request) -> Response:
        query = _Query(request, ("as_of", "course", "achievement"))
        day = query.day()
        given = {name: query.params.get(name) for name in ("course", "achievement")}
        named = [(name, value) for name, value in given.items() if value is not None]
        if len(named) != 1:
            key = "missing" if not named else "both"
            raise Problem("invalid-parameter", service_text(key, query.lang, names="course, achievement"),
                          parameter="course")
        option, value = named[0]
        subject = normalise(value)  # typed as records and standards are: 'Ｃ２０１ ' is C201
        if not subject:
            raise Problem("invalid-parameter", service_text(
                "empty", query.lang, name=option, what=service_text(f"what-{option}", query.lang),
                example="C201" if option == "course" else "A1"), parameter=option)
        standard, body, kind = await _learner_request(served, request, query)

        def work() -> str:
            learner = _learner(body, kind)
            decision = evaluate(standard, learner, day)
            ruleset = standard.ruleset_for(day)
            unknown = unknown_subject(ruleset, learner, subject if option == "course" else None,
                                      subject if option == "achievement" else None)
            if unknown is not None:
                raise Problem("invalid-parameter", unknown[1], parameter=unknown[0])
            return render_explanation(decision, ruleset, subject, query.lang)

        return _text(await run_in_threadpool(_decide(work)))

    async def letter_route(request: Request) -> Response:
        query = _Query(request, ("as_of", "trace"))
        day, trace = query.day(), query.choice("trace", TRACE_MODES, "full")
        available = list(RENDERERS)
        chosen = negotiate(request.headers.get("accept"), available)
        if chosen is None:
            raise Problem("not-acceptable", service_text("accept", query.lang,
                                                         got=(request.headers.get("accept") or "")[:120],
                                                         available=", ".join(available)), available=available)
        standard, body, kind = await _learner_request(served, request, query)

        def work() -> str:
            decision = evaluate(standard, _learner(body, kind), day, trace=trace)  # type: ignore[arg-type]
            return RENDERERS[chosen](decision, standard.ruleset_for(day), query.lang)

        return _text(await run_in_threadpool(_decide(work)), f"{chosen}; charset=utf-8")

    async def validate_route(request: Request) -> Response:
        query = _Query(request, ("path", "alone", "strict", "format"))
        place = _place(query.params.get("path", "standard.yaml"), query.lang)
        alone, strict = query.flag("alone"), query.flag("strict")
        shape = query.choice("format", tuple(sorted(formats.FORMATS)), "json")
        media_type(request, STANDARD_TYPES, query.lang)
        body = await bounded_body(request, max_file_bytes(), "standard", query.lang, code="Y005")
        result = await run_in_threadpool(_validate, served, body, place, alone)
        return _text(formats.FORMATS[shape](result, strict), VALIDATE_MEDIA[shape])

    async def batch_route(request: Request) -> Response:
        query = _Query(request, ("as_of", "trace"))
        day, trace = query.day(), query.choice("trace", TRACE_MODES, "compact")
        standard = _standard(served, request)
        kind = media_type(request, BATCH_TYPES, query.lang)
        body = await bounded_body(request, settings.max_batch_bytes, "batch", query.lang)

        def work() -> Iterator[bytes]:
            with batches:
                return _batch(standard, body, kind, day, trace, query.lang)

        chunks = await run_in_threadpool(_decide(work))
        return StreamingResponse(chunks, media_type="application/json")

    routes = [
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/v1/status", status, methods=["GET"]),
        Route("/v1/validate", validate_route, methods=["POST"]),
        Route("/v1/standards/{standard}/evaluate", evaluate_route, methods=["POST"]),
        Route("/v1/standards/{standard}/explain", explain_route, methods=["POST"]),
        Route("/v1/standards/{standard}/letter", letter_route, methods=["POST"]),
        Route("/v1/standards/{standard}/batch", batch_route, methods=["POST"]),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        served.start()
        try:
            yield
        finally:
            served.stop()

    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={
        Problem: _problem_handler, HTTPException: _http_handler, Exception: _error_handler})
    app.state.served = served
    return app


# ---------------------------------------------------------------- errors


def _lang_of(request: Request) -> str:
    lang = request.query_params.get("lang", "en")
    return lang if lang in LANGS else "en"


async def _problem_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Problem)
    return exc.response(_lang_of(request))


async def _http_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    lang = _lang_of(request)
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        problem = Problem("method-not-allowed", service_text("no-method", lang, method=request.method,
                                                             allowed=allowed))
        problem.headers["Allow"] = allowed
    else:
        problem = Problem("not-found", service_text("no-route", lang, path=request.url.path[:200]))
    return problem.response(lang)


async def _error_handler(request: Request, exc: Exception) -> Response:
    LOG.error("%s", service_text("log-request-failed", "en", method=request.method, path=request.url.path[:200]),
              exc_info=exc)
    return Problem("internal-error", service_text("internal", _lang_of(request))).response(_lang_of(request))


# ---------------------------------------------------------------- validate


def _place(value: str, lang: str) -> PurePosixPath:
    """Where a posted standard goes in the folder: a relative path of plain names ending in .yaml."""
    place = PurePosixPath(value)
    parts = place.parts
    bad = (not value or len(value) > 200 or "\\" in value or "\x00" in value or place.is_absolute()
           or any(part in ("", ".", "..") or part.startswith(".") for part in parts)
           or not is_standard_file(Path(place.name)))
    if bad:
        raise Problem("invalid-parameter", service_text("bad-path", lang, got=value[:200]), parameter="path")
    return place


def _validate(served: ServedStandards, body: bytes, place: PurePosixPath, alone: bool) -> Validation:
    """What ``creditrules validate`` says of the served folder with ``body`` put at ``place`` (or of
    ``body`` alone), with every path shown relative to the folder. The folder is copied into a
    temporary one: the served files are never written, and nothing is read outside the folder."""
    with tempfile.TemporaryDirectory(prefix="creditrules-validate-") as temporary:
        root = Path(temporary)
        if not alone:
            files, _ = discover([served.folder])
            for path in files:
                try:
                    relative = path.relative_to(served.folder)
                except ValueError:
                    continue
                target = root / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
        target = root.joinpath(*place.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        result = check([root])

    def shown(path: str) -> str:
        try:
            return Path(path).relative_to(root).as_posix()
        except ValueError:
            return path

    return Validation(tuple(replace(d, path=shown(d.path)) for d in result.problems),
                      tuple(replace(d, path=shown(d.path)) for d in result.allowed), result.files)


# ---------------------------------------------------------------- batch


def _batch(standard: CompiledStandard, body: bytes, kind: str, day: date, trace: str, lang: str
           ) -> Iterator[bytes]:
    """Run ``creditrules batch`` on the body in a temporary folder; the answer streams from its files:
    ``{"summary": …, "decisions": [one per learner], "rejects": [every row not used]}``. The decisions
    are the lines ``batch`` writes, byte for byte."""
    temporary = tempfile.TemporaryDirectory(prefix="creditrules-serve-batch-")
    try:
        folder = Path(temporary.name)
        name = f"body.{kind}"
        source = folder / name
        source.write_bytes(body)
        decisions, rejects = folder / "decisions.jsonl", folder / "rejects.jsonl"
        try:
            summary = evaluate_batch(source, standard, output=decisions, rejects=rejects, as_of=day, workers=1,
                                     trace=trace, input_format=kind, work_dir=folder)  # type: ignore[arg-type]
        except CreditRulesError as exc:
            raise Problem("invalid-batch", str(exc).replace(str(source), name)) from None
        if not summary.adds_up:
            raise Problem("internal-error", service_text("not-flat", lang))
        data = summary.to_dict()
        data.pop("outputs", None)
        data["input"] = name
        data["warnings"] = [w.replace(str(source), name) for w in summary.warnings]
        head = ('{"summary": ' + json.dumps(data, ensure_ascii=False, indent=2) + ',\n"decisions": [').encode()
    except BaseException:
        temporary.cleanup()
        raise
    return _stream(temporary, head, decisions, rejects)


def _stream(temporary: tempfile.TemporaryDirectory[str], head: bytes, decisions: Path, rejects: Path
            ) -> Iterator[bytes]:
    try:
        yield head
        for index, path in enumerate((decisions, rejects)):
            if index:
                yield b'\n],\n"rejects": ['
            with open(path, "rb") as handle:
                separator = b"\n"
                for raw in handle:
                    line = raw.rstrip(b"\n")
                    if line:
                        yield separator + line
                        separator = b",\n"
        yield b"\n]}\n"
    finally:
        temporary.cleanup()
