"""A throwaway PostgreSQL cluster for the ledger's tests: initdb in a temporary folder, started on a free
port of 127.0.0.1 (and a socket in that folder) as the postgres user when run as root, stopped after.

In CI (CI=true) the server must be there: a missing binary fails the tests instead of skipping them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

BIN_DIRS = [Path("/usr/lib/postgresql") / v / "bin" for v in ("17", "16", "15", "14", "13")]


def _binary(name: str) -> str | None:
    for folder in BIN_DIRS:
        if (folder / name).is_file():
            return str(folder / name)
    return shutil.which(name)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of the maintenance database of a fresh cluster."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    missing = [n for n, b in (("initdb", initdb), ("pg_ctl", pg_ctl)) if b is None]
    try:
        import psycopg  # noqa: F401
    except ImportError:
        missing.append("the psycopg driver (pip install 'creditrules[postgres]')")
    if missing:
        reason = f"PostgreSQL tests need {', '.join(missing)} (apt-get install postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the PostgreSQL tests: {reason}")
        pytest.skip(reason)
    assert initdb is not None and pg_ctl is not None
    folder = Path(tempfile.mkdtemp(prefix="ledger-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    os.chmod(folder, 0o700)
    port = _free_port()
    subprocess.run(_as_server_user([initdb, "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                                    "--no-locale"]), check=True, capture_output=True)
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c max_connections=40"
    subprocess.run(_as_server_user([pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-o", options, "-w",
                                    "start"]), check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]),
                       check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


_counter = iter(range(1, 1_000_000))


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A new, empty database on the throwaway cluster, for one test."""
    import psycopg

    name = f"ledger_{os.getpid()}_{next(_counter)}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_server.rsplit("/", 1)[0] + f"/{name}"
