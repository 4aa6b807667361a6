"""Schema migrations: one set of versioned scripts (``migrations/versions/``) for both backends.

The scripts are Alembic revisions. A PostgreSQL ledger is upgraded by Alembic itself (the
``creditrules[postgres]`` extra installs it with SQLAlchemy); an SQLite ledger, which needs nothing beyond
the standard library, is upgraded by the small runner below, which reads the same scripts, runs each
revision's ``upgrade(op)`` with an ``op`` whose ``execute`` runs the statement, and keeps the same
bookkeeping table Alembic keeps (``alembic_version``, one row: the revision applied last). So both
backends go through the same revisions in the same order, and either can tell a schema newer than the
code: a revision in ``alembic_version`` that this code does not know.
"""

from __future__ import annotations

import importlib.util
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from .problems import LedgerError

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"


@dataclass(frozen=True)
class Revision:
    id: str
    down: str | None
    module: ModuleType


def revisions() -> list[Revision]:
    """Every revision the code knows, oldest first (a single line of revisions)."""
    found: dict[str | None, Revision] = {}
    for path in sorted(VERSIONS.glob("[0-9]*.py")):
        spec = importlib.util.spec_from_file_location(f"creditrules_ledger_migration_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found[module.down_revision] = Revision(module.revision, module.down_revision, module)
    chain: list[Revision] = []
    down: str | None = None
    while down in found:
        chain.append(found[down])
        down = found[down].id
    return chain


def head() -> str:
    return revisions()[-1].id


def check_current(current: str | None, where: str) -> None:
    """Refuse a ledger whose schema is at a revision this code does not know (a newer creditrules made it)."""
    known = [r.id for r in revisions()]
    if current is not None and current not in known:
        raise LedgerError("schema-ahead", where=where, revision=current, head=known[-1])


class _SqliteOp:
    """The part of Alembic's ``op`` the revisions use, on an sqlite3 connection."""

    class _Bind:
        class dialect:  # the shape of SQLAlchemy's bind.dialect.name
            name = "sqlite"

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def get_bind(self) -> Any:
        return self._Bind

    def execute(self, statement: str) -> None:
        self.connection.execute(statement)


def sqlite_current(connection: sqlite3.Connection) -> str | None:
    exists = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
    if not exists:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def upgrade_sqlite(connection: sqlite3.Connection, where: str) -> None:
    """Apply the revisions an SQLite ledger lacks, each in its own transaction (DDL is transactional
    in SQLite), under the write lock so two processes opening a new ledger do not both apply them."""
    current = sqlite_current(connection)
    check_current(current, where)
    if current is not None and not _after(current):
        return  # up to date: no lock needed
    connection.execute("BEGIN IMMEDIATE")
    try:
        current = sqlite_current(connection)
        check_current(current, where)
        if current is None:
            connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                               "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")
        pending = _after(current)
        for revision in pending:
            revision.module.upgrade(_SqliteOp(connection))
            connection.execute("DELETE FROM alembic_version")
            connection.execute("INSERT INTO alembic_version (version_num) VALUES (?)", (revision.id,))
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _after(current: str | None) -> list[Revision]:
    chain = revisions()
    if current is None:
        return chain
    ids = [r.id for r in chain]
    return chain[ids.index(current) + 1:]


def postgres_current(connection: Any) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('alembic_version') IS NOT NULL")
        row = cursor.fetchone()
        if not row or not row[0]:
            return None
        cursor.execute("SELECT version_num FROM alembic_version")
        found = cursor.fetchone()
    return None if found is None else str(found[0])


def upgrade_postgres(url: str, where: str) -> None:
    """Alembic upgrades a PostgreSQL ledger to the newest revision (serialised by an advisory lock)."""
    try:
        import sqlalchemy
        from alembic import command
        from alembic.config import Config
    except ImportError:
        raise LedgerError("postgres-missing") from None
    engine = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1),
                                      poolclass=sqlalchemy.pool.NullPool)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7231981)")
            current = connection.exec_driver_sql(
                "SELECT version_num FROM alembic_version").scalar() if connection.exec_driver_sql(
                "SELECT to_regclass('alembic_version') IS NOT NULL").scalar() else None
            check_current(current, where)
            if current == head():
                return
            config = Config()
            config.set_main_option("script_location", str(VERSIONS.parent))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()
