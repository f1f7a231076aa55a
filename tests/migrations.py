"""Taking the schema back down a revision, as a migration's own test does (Vigie never does)."""

from __future__ import annotations

from services.store.database import Database


def downgrade(database: Database, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "services.store:migrations")
    with database.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)
