"""The recorder is the only sender: what it has sent, and what it must announce.

- ``commands.sent_at``: when the recorder first published the command (NULL: still to send).
  Consoles and the CLI only record; the recorder claims unsent rows and publishes them.
- ``commands.approval_id``: the approval a command carries out, when the two-person rule held it.
- ``city_modes.announcement`` / ``announced_at``: the retained ``modes/{kind}`` message a switch
  asks for, and when the recorder published it (NULL: still to announce).
- On PostgreSQL a trigger wakes the recorders (``NOTIFY vigie_outbox``) when either is written.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_WAKE = (
    "CREATE OR REPLACE FUNCTION vigie_wake_outbox() RETURNS trigger LANGUAGE plpgsql AS $fn$ "
    "BEGIN PERFORM pg_notify('vigie_outbox', TG_TABLE_NAME); RETURN NULL; END $fn$"
)


def upgrade() -> None:
    with op.batch_alter_table("commands") as batch:
        batch.add_column(sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("approval_id", sa.String(length=36), nullable=True))
    # Every command recorded before this revision was published by its sender.
    op.execute("UPDATE commands SET sent_at = issued_at")
    op.create_index(
        "ix_commands_unsent",
        "commands",
        ["issued_at"],
        postgresql_where=sa.text("sent_at IS NULL"),
        sqlite_where=sa.text("sent_at IS NULL"),
    )
    with op.batch_alter_table("city_modes") as batch:
        batch.add_column(sa.Column("announcement", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_WAKE)
        op.execute(
            "CREATE TRIGGER wake_outbox AFTER INSERT ON commands "
            "FOR EACH STATEMENT EXECUTE FUNCTION vigie_wake_outbox()"
        )
        op.execute(
            "CREATE TRIGGER wake_outbox AFTER UPDATE OF announcement ON city_modes "
            "FOR EACH STATEMENT EXECUTE FUNCTION vigie_wake_outbox()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS wake_outbox ON commands")
        op.execute("DROP TRIGGER IF EXISTS wake_outbox ON city_modes")
        op.execute("DROP FUNCTION IF EXISTS vigie_wake_outbox()")
    with op.batch_alter_table("city_modes") as batch:
        batch.drop_column("announced_at")
        batch.drop_column("announcement")
    op.drop_index("ix_commands_unsent", table_name="commands")
    with op.batch_alter_table("commands") as batch:
        batch.drop_column("approval_id")
        batch.drop_column("sent_at")
