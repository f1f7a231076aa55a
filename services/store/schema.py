"""The schema's version: upgrading to head, and refusing to work on a database that is behind."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from services.store.database import Database, SchemaMissing, SchemaOutdated, translate_errors


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", "services.store:migrations")
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with translate_errors(db.url), db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database, revision: str = "head") -> tuple[str | None, str]:
    """Bring the schema to ``revision``; returns (before, after)."""
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
        raise SchemaMissing(url=db.url)
    if current != head_revision():
        raise SchemaOutdated(current=current, head=head_revision())
