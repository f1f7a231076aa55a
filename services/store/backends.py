"""Which database server a URL names, for tools that treat PostgreSQL apart (benchmarks)."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from services.store.database import normalise_url


def postgresql_url(url: str) -> str | None:
    """The URL, normalised (psycopg 3), when it names a PostgreSQL server; None otherwise."""
    normalised = normalise_url(url)
    return normalised if make_url(normalised).get_backend_name() == "postgresql" else None
