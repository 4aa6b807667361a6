"""Alembic's environment for the ledger: the connection is handed in by creditrules.ledger.migrate.

Run only by :func:`creditrules.ledger.migrate.upgrade` (PostgreSQL); SQLite ledgers apply the same
scripts in ``versions/`` with the built-in runner there.
"""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
