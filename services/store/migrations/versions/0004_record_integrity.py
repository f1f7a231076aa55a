"""The record's integrity: one active assignment per unit, late answers, flags, quarantine ids.

- A unit holds at most one active assignment (an incident dispatched or on scene): a partial
  unique index, so that two consoles dispatching the same unit at once cannot both commit.
  Double bookings already recorded are undone first: each unit keeps its newest assignment, the
  older incidents go back to ``acknowledged`` with a change row that says why.
- ``commands.late`` and ``command_acks.late``: a final answer that came after the command was
  already recorded timed out (or, for a dispatch, after it was put back).
- ``incidents.flags`` and ``equipment.flags``: what was accepted but is worth knowing (a time
  from the future read at the receiver's time, a time without offset…), shown in the detail.
- ``quarantine.entity_id``: the id of the entity a rejected payload spoke of, when it said one.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 21:00:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# Written out, not imported: a migration must not change when the code does.
ACTIVE_ASSIGNMENT = "assigned_unit IS NOT NULL AND status IN ('dispatched', 'on_scene')"

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _undo_double_bookings() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            f"SELECT id, assigned_unit, status FROM incidents WHERE {ACTIVE_ASSIGNMENT} "
            "ORDER BY assigned_unit, updated_at DESC, id DESC"
        )
    ).all()
    kept: set[str] = set()
    now = datetime.now(UTC)
    for incident_id, unit, status in rows:
        if unit not in kept:
            kept.add(unit)
            continue
        conn.execute(
            sa.text(
                "UPDATE incidents SET status = 'acknowledged', version = version + 1, "
                "updated_at = :now, updated_by = 'system:vigie' WHERE id = :id"
            ),
            {"now": now, "id": incident_id},
        )
        conn.execute(
            sa.text(
                "INSERT INTO incident_changes (incident_id, at, by, field, old, new, reason) "
                "VALUES (:id, :now, 'system:vigie', 'status', :old, 'acknowledged', :why)"
            ),
            {
                "id": incident_id,
                "now": now,
                "old": status,
                "why": f"{unit} was assigned to a newer incident at the same time",
            },
        )


def upgrade() -> None:
    _undo_double_bookings()
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("flags", sa.JSON(), nullable=True))
        batch_op.create_index(
            "uq_incidents_one_active_per_unit",
            ["assigned_unit"],
            unique=True,
            sqlite_where=sa.text(ACTIVE_ASSIGNMENT),
            postgresql_where=sa.text(ACTIVE_ASSIGNMENT),
        )
    with op.batch_alter_table("equipment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("flags", sa.JSON(), nullable=True))
    with op.batch_alter_table("commands", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("late", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("command_acks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("late", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entity_id", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.drop_column("entity_id")
    with op.batch_alter_table("command_acks", schema=None) as batch_op:
        batch_op.drop_column("late")
    with op.batch_alter_table("commands", schema=None) as batch_op:
        batch_op.drop_column("late")
    with op.batch_alter_table("equipment", schema=None) as batch_op:
        batch_op.drop_column("flags")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("uq_incidents_one_active_per_unit")
        batch_op.drop_column("flags")
