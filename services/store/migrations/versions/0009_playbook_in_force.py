"""The playbook in force, held by the database: PostgreSQL compares each switch's commands with it.

- ``playbook_steps``: each entry's commands (kind, value, target, command, parameters without
  ``until``), as ``outbox.prepare`` records them. ``vigie db upgrade`` writes the city's playbook
  once; an admin replaces it with ``vigie playbook load`` (audited). On PostgreSQL
  ``vigie_record_command`` records a mode switch's command only if the entry being switched to
  has it, so that a claimed switch cannot carry any other command.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 11:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "playbook_steps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("target_type", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=160), nullable=False),
        sa.Column("command", sa.String(length=16), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_playbook_steps_entry", "playbook_steps", ["kind", "value"])


def downgrade() -> None:
    op.drop_index("ix_playbook_steps_entry", table_name="playbook_steps")
    op.drop_table("playbook_steps")
