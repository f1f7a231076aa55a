"""Shift handovers, and the indexes the daily report and the statistics read by.

- ``handovers``: an outgoing operator's handover (who, in which role, when, the shift it
  covers, their remarks) and the incoming operator's acceptance. The summary is not stored:
  each reader is shown it as their login may read the record (``services/handover.py``).
- Indexes on the time each report query selects its period by: an incident's creation, a
  command's issue, an equipment state change, an audited act (by action, then time). Without
  them a day's report read the whole history (issue 22: no query scans outside its period).
- A matrix a city loaded (rows in ``permission_matrix``) gets this version's four new acts as the
  bundled matrix gives them, so that an upgrade does not leave nobody able to hand over; an
  admin's next load decides otherwise. A database with no loaded matrix uses the bundled file.

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

_OPERATIONAL = ("dispatcher", "snow_coordinator", "technician", "supervisor", "video_operator")
#: The new acts as resources/permissions/permissions.toml gives them at this revision.
NEW_ACTS = {
    "hand_over": _OPERATIONAL,
    "accept_handover": _OPERATIONAL,
    "run_reports": ("supervisor", "auditor"),
    "see_statistics": ("dispatcher", "snow_coordinator", "technician", "supervisor", "auditor"),
}


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
    _grant_new_acts()


def _grant_new_acts() -> None:
    matrix = sa.table("permission_matrix", sa.column("act"), sa.column("role"))
    bind = op.get_bind()
    if bind.execute(sa.select(sa.func.count()).select_from(matrix)).scalar_one() == 0:
        return
    op.bulk_insert(matrix, [{"act": a, "role": r} for a, roles in NEW_ACTS.items() for r in roles])


def downgrade() -> None:
    op.execute(
        sa.text("DELETE FROM permission_matrix WHERE act IN :acts").bindparams(
            sa.bindparam("acts", list(NEW_ACTS), expanding=True)
        )
    )
    for table, name, _columns in PERIOD_INDEXES:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(name)
    with op.batch_alter_table("handovers") as batch:
        batch.drop_index(batch.f("ix_handovers_started_at"))
    op.drop_table("handovers")
