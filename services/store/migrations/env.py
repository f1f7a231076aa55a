"""Alembic environment: runs on the connection ``services.store.schema`` hands it."""

from __future__ import annotations

from alembic import context

from services.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - Vigie always passes its own connection
    raise RuntimeError("run migrations through 'vigie db upgrade'")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
