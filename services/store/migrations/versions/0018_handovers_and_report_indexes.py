"""Shift handovers, and the indexes the daily report and the statistics read by.

- ``handovers``: an outgoing operator's handover (who, in which role, when, the shift it
  covers, their remarks) and the incoming operator's acceptance. The summary is not stored:
  each reader is shown it as their login may read the record (``services/handover.py``).
- Indexes on the time each report query selects its period by: an incident's creation, a
  command's issue, an equipment state change, an audited act (by action, then time). Without
  them a day's report read the whole history (issue 22: no query scans outside its period).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)

#: (table, index, columns): what each report query's period is a range of.
PERIOD_INDEXES = (
    ("incidents", "ix_incidents_created_at", ["created_at"]),
    ("commands", "ix_commands_issued_at", ["issued_at"]),
    ("equipment_changes", "ix_equipment_changes_at", ["at"]),
    ("audit_log", "ix_audit_log_action_ts", ["action", "ts"]),
)


def upgrade() -> None:
    op.create_table(
        "handovers",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("author_role", sa.String(length=32), nullable=False),
        sa.Column("started_at", _AT, nullable=False),
        sa.Column("shift_from", _AT, nullable=False),
        sa.Column("remarks", sa.Text(), nullable=False),
        sa.Column("accepted_by", sa.String(length=64), nullable=True),
        sa.Column("accepted_at", _AT, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handovers")),
    )
    with op.batch_alter_table("handovers") as batch:
        batch.create_index(batch.f("ix_handovers_started_at"), ["started_at"])
    for table, name, columns in PERIOD_INDEXES:
        with op.batch_alter_table(table) as batch:
            batch.create_index(name, columns)


def downgrade() -> None:
    for table, name, _columns in PERIOD_INDEXES:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(name)
    with op.batch_alter_table("handovers") as batch:
        batch.drop_index(batch.f("ix_handovers_started_at"))
    op.drop_table("handovers")
