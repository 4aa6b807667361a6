"""``creditrules serve``: the library over HTTP, for systems not written in Python.

An optional extra (``pip install "creditrules[serve]"``: Starlette and uvicorn); nothing in the core
imports this package (an import-linter contract says so). The pieces:

- :mod:`.standards` — the folder compiled once, polled, recompiled and swapped whole;
- :mod:`.app` — the routes (Starlette), each doing what the matching command does;
- :mod:`.problems` — errors as RFC 9457 ``application/problem+json``;
- :mod:`.bodies` — content types and bounded request bodies;
- :mod:`.letters` — decision letters by media type (where the HTML letter plugs in);
- :mod:`.openapi` — the OpenAPI description, committed as ``schema/openapi.json``.

From Python::

    from pathlib import Path
    from creditrules.serve import Settings, bind, create_app, run
    app = create_app(Settings(Path("standards")))    # an ASGI application; compiles the standards
    run(app, bind("127.0.0.1", 8000))                 # blocks until SIGINT/SIGTERM

See docs/service.md.
"""

from __future__ import annotations

import socket

from ..errors import CreditRulesError
from .app import DEFAULT_MAX_BATCH_BYTES, Settings, create_app
from .openapi import document, openapi_text
from .standards import ServedStandards

__all__ = ["DEFAULT_MAX_BATCH_BYTES", "ServedStandards", "Settings", "bind", "create_app", "document",
           "openapi_text", "run"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def bind(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> socket.socket:
    """A listening socket on ``host``:``port`` (port 0: a free one; read it with ``getsockname()``).
    Raises CreditRulesError when the address cannot be had, rather than exiting as a server would."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as exc:
        raise CreditRulesError(f"cannot listen on {host}:{port}: {exc}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise CreditRulesError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def run(app: object, sock: socket.socket, log_level: str = "info", access_log: bool = True) -> None:
    """Serve ``app`` with uvicorn on ``sock`` until SIGINT or SIGTERM (a graceful stop: requests in
    flight finish)."""
    import uvicorn

    config = uvicorn.Config(app, log_level=log_level, access_log=access_log, lifespan="on",  # type: ignore[arg-type]
                            timeout_graceful_shutdown=30)
    uvicorn.Server(config).run(sockets=[sock])
