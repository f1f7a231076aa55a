"""Who is at the desk: operators can be disabled and hold a password; the matrix in force.

- ``operators.disabled_at``: a disabled operator keeps their row (the record names them) but can
  no longer log in or act.
- ``operators.password_hash``: an Argon2id hash, used on SQLite only (on PostgreSQL the operator
  is a database login and the server keeps the SCRAM verifier).
- ``permission_matrix``: the matrix in force, one row per (act, role) allowed, loaded by an admin
  from a ``permissions.toml`` (audited). While it is empty, the bundled default applies.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("operators") as batch:
        batch.add_column(sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("password_hash", sa.Text(), nullable=True))
    op.create_table(
        "permission_matrix",
        sa.Column("act", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("act", "role", name=op.f("pk_permission_matrix")),
    )


def downgrade() -> None:
    op.drop_table("permission_matrix")
    with op.batch_alter_table("operators") as batch:
        batch.drop_column("password_hash")
        batch.drop_column("disabled_at")
