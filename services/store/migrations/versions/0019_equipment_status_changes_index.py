"""The indexes a report reads by when it is narrowed: a field's changes, a commune's incidents.

- ``equipment_changes (field, at)``: the daily report and the statistics rebuild the lights'
  faults from their ``status`` changes over the period (and a look-back before it).
  ``ix_equipment_changes_at`` (0018) bounds the time but not the field: a city's lights also
  change ``powerState`` and ``illuminanceLevel`` at dusk, at dawn and through the night (some six
  million rows a month at Dijon's scale), which the report would read only to leave out.
- ``incidents (commune, created_at)``: the Statistics panel's figures of one commune over a
  period ("P2 in Chenôve this month"); by ``commune`` alone a commune's whole history is read.
  It replaces ``ix_incidents_commune`` (0001), whose reads it serves as well (its first column).

Issue 22: no query scans outside its period.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

#: (table, index, columns)
INDEXES = (
    ("equipment_changes", "ix_equipment_changes_field_at", ["field", "at"]),
    ("incidents", "ix_incidents_commune_created_at", ["commune", "created_at"]),
)


#: Superseded by the commune's index with its time.
REPLACED = ("incidents", "ix_incidents_commune", ["commune"])


def upgrade() -> None:
    for table, name, columns in INDEXES:
        with op.batch_alter_table(table) as batch:
            batch.create_index(name, columns)
    table, name, _columns = REPLACED
    with op.batch_alter_table(table) as batch:
        batch.drop_index(name)


def downgrade() -> None:
    table, name, columns = REPLACED
    with op.batch_alter_table(table) as batch:
        batch.create_index(name, columns)
    for table, name, _columns in INDEXES:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(name)
