"""Whether a snow vehicle was treating the road: kept in the record with its position.

- ``unit_positions.work`` and ``units.work``: "plough" (blade down), "spread",
  "plough+spread", or NULL when the position does not say it was treating (the field
  contract's ``plowDown`` and ``spreading``). Consoles read positions from the database, not the
  bus, and count the winter-service network's passes from these rows.
  Rows recorded before this revision did not keep it: NULL, as if not treating.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLES = ("units", "unit_positions")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("work", sa.String(length=16), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("work")
