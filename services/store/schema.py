"""The schema's version: upgrading to head, and refusing to work on a database that is behind.

Alembic is imported only to migrate: checking the version on start-up (every command, the
recorder) reads ``alembic_version`` directly, against ``HEAD``, which a test keeps equal to
Alembic's own head.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from services.config import redact_url
from services.store.database import Database, SchemaMissing, SchemaOutdated, translate_errors

if TYPE_CHECKING:
    from alembic.config import Config

#: The newest migration in services/store/migrations/versions.
HEAD = "0022"


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "services.store:migrations")
    return config


def head_revision() -> str:
    return HEAD


def alembic_head() -> str:
    """The head as Alembic reads it from the migration files (tests compare it with HEAD)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with translate_errors(db.url), db.engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:
            return None  # no alembic_version table: an empty database


def upgrade(db: Database, revision: str = "head") -> tuple[str | None, str]:
    """Bring the schema to ``revision``; returns (before, after)."""
    from alembic import command

    before = current_revision(db)
    config = _config()
    with translate_errors(db.url), db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    return before, current_revision(db) or ""


def require_current(db: Database) -> None:
    """Refuse to run on a database without the schema, or with an older one."""
    current = current_revision(db)
    if current is None:
        raise SchemaMissing(url=redact_url(db.url))
    if current != HEAD:
        raise SchemaOutdated(current=current, head=HEAD)
