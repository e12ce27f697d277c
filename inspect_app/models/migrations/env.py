"""Alembic environment: run migrations on the connection the app hands over, in one transaction."""

from __future__ import annotations

from alembic import context

from inspect_app.models import Base, load_all

load_all()  # the target is every table

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run only through inspect_app.models.migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    # The engine emits BEGIN itself (see store.py), so DDL really is transactional on SQLite too.
    transactional_ddl=True,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
