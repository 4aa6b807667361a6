"""Two backends behind one small interface: SQLite (standard library, the default) and PostgreSQL (psycopg 3,
the ``creditrules[postgres]`` extra).

Every statement is written once, with ``?`` placeholders, and given its values apart (parameterised SQL
only: ids and text come from users); PostgreSQL's driver gets ``%s``. A write transaction takes the
learner's lock before it reads anything it will decide on: SQLite's ``BEGIN IMMEDIATE`` (one writer at a
time for the whole file), PostgreSQL's ``SELECT … FOR UPDATE`` on the learner's row (one application at a
time per learner; other learners go on in parallel).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from . import migrate
from .problems import LedgerError

BUSY_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Address:
    """Where a ledger is: ``kind`` is sqlite or postgresql; ``shown`` is safe to print (no password)."""

    kind: str
    target: str
    shown: str


def parse_url(url: str) -> Address:
    """``sqlite:///PATH``, ``postgresql://…`` (or ``postgres://``), or a plain file path (SQLite)."""
    text = str(url)
    if not text.strip() or "\x00" in text:
        raise LedgerError("bad-url", url=text)
    if text.startswith("sqlite:///"):
        path = text[len("sqlite:///"):]
        if not path:
            raise LedgerError("bad-url", url=text)
        return Address("sqlite", path, path)
    if text.startswith(("postgresql://", "postgres://")):
        target = "postgresql://" + text.split("://", 1)[1]
        try:
            parts = urlsplit(target)
            parts.port  # noqa: B018 - raises for a port that is not a number
        except ValueError:
            raise LedgerError("bad-url", url=_hide_password(text)) from None
        if not parts.path.strip("/") and not parts.hostname and not parts.query:
            raise LedgerError("bad-url", url=_hide_password(text))
        return Address("postgresql", target, _hide_password(target))
    if "://" in text:
        raise LedgerError("bad-url", url=_hide_password(text))
    return Address("sqlite", text, text)


def _hide_password(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.split("://", 1)[0] + "://…"
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


class Connection:
    """One connection to a ledger, in autocommit mode: transactions are begun and ended here."""

    def __init__(self, address: Address, raw: Any):
        self.address = address
        self.raw = raw
        self.postgres = address.kind == "postgresql"

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.postgres else statement

    def rows(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self.raw.cursor()
        try:
            cursor.execute(self._sql(statement), tuple(params))
            return list(cursor.fetchall()) if cursor.description is not None else []
        finally:
            cursor.close()

    def one(self, statement: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        found = self.rows(statement, params)
        return found[0] if found else None

    def run(self, statement: str, params: Sequence[Any] = ()) -> None:
        cursor = self.raw.cursor()
        try:
            cursor.execute(self._sql(statement), tuple(params))
        finally:
            cursor.close()

    @contextmanager
    def write(self, learner: str | None = None) -> Iterator[Connection]:
        """A write transaction; with ``learner``, holding that learner's lock from the start."""
        try:
            self.raw.execute("BEGIN" if self.postgres else "BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            raise LedgerError("busy", where=self.address.shown, seconds=BUSY_TIMEOUT_SECONDS) from None
        try:
            if learner is not None and self.postgres:
                self.run("SELECT id FROM learners WHERE id = ? FOR UPDATE", (learner,))
            yield self
        except BaseException:
            self.raw.execute("ROLLBACK")
            raise
        self.raw.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction: one consistent view of the ledger."""
        self.raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ" if self.postgres else "BEGIN")
        try:
            yield self
        finally:
            self.raw.execute("ROLLBACK")

    def close(self) -> None:
        self.raw.close()


def connect(url: str, create: bool = False) -> Connection:
    """Open the ledger at ``url``, bringing its schema up to the newest revision this code knows.
    Without ``create``, a ledger must already be there."""
    address = parse_url(url)
    if address.kind == "sqlite":
        return _sqlite(address, create)
    return _postgres(address, create)


def _sqlite(address: Address, create: bool) -> Connection:
    path = Path(address.target)
    if not create and not path.is_file():
        raise LedgerError("no-ledger", where=address.shown)
    try:
        raw = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False)
        raw.execute("PRAGMA foreign_keys = ON")
        raw.execute("PRAGMA journal_mode = WAL")
        raw.execute("PRAGMA synchronous = FULL")
        if not create and migrate.sqlite_current(raw) is None:
            raw.close()
            raise LedgerError("no-ledger", where=address.shown)
        migrate.upgrade_sqlite(raw, address.shown)
    except sqlite3.Error as exc:
        if "locked" in str(exc):
            raise LedgerError("busy", where=address.shown, seconds=BUSY_TIMEOUT_SECONDS) from None
        raise LedgerError("cannot-open", where=address.shown, reason=str(exc)) from None
    return Connection(address, raw)


def _postgres(address: Address, create: bool) -> Connection:
    try:
        import psycopg
    except ImportError:
        raise LedgerError("postgres-missing") from None
    try:
        raw = psycopg.connect(address.target, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LedgerError("cannot-open", where=address.shown, reason=reason) from None
    try:
        current = migrate.postgres_current(raw)
        if current is None and not create:
            raise LedgerError("no-ledger", where=address.shown)
        migrate.check_current(current, address.shown)
        if current != migrate.head():
            migrate.upgrade_postgres(address.target, address.shown)
    except BaseException:
        raw.close()
        raise
    return Connection(address, raw)
