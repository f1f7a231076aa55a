"""The database as the authority (PostgreSQL): which group roles this database's operators join.

- ``db_authority``: one row once ``vigie db upgrade`` has installed the group roles, the
  management functions, the grants and the audit triggers (``services/store/pg_authority.py``)
  on PostgreSQL: the prefix of this database's group roles (roles are cluster-wide, so a training
  and a live database on one cluster keep theirs apart). No row on SQLite, where Vigie checks.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "db_authority",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("role_prefix", sa.String(length=32), nullable=False),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("db_authority")
