"""A real creditrules server on the loopback address, in a thread, for the service tests."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import uvicorn

from creditrules.serve import Settings, bind, create_app


class RunningServer:
    """uvicorn serving ``create_app(settings)`` on 127.0.0.1 and a free port, until the ``with`` ends."""

    def __init__(self, standards: Path, poll_interval: float = 0.0, **settings: object):
        self.app = create_app(Settings(standards, poll_interval, **settings))  # type: ignore[arg-type]
        self.served = self.app.state.served
        self.sock = bind("127.0.0.1", 0)
        host, port = self.sock.getsockname()[:2]
        assert host == "127.0.0.1"
        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> RunningServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.01)
        self.client = httpx.Client(base_url=self.url, timeout=60)
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.sock.close()
