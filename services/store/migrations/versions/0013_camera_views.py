"""Camera views and their trace; the gateways' stream secrets (issue 18, "Purpose and trace").

- ``camera_views``: each live view of a camera, with who watched it (``viewer``), why
  (``purpose``, and the incident it was opened from, if any), from which workstation, when it
  opened, until when its token lets it play (``expires_at``), and when and why it closed
  (``closed_because``: ``closed`` by its viewer, ``timed_out`` at its limit, ``console_gone``).
  Written only by ``services/store/camera_views.py``; on PostgreSQL only by the database's
  functions (``vigie_open_view``, ``vigie_close_view``, ``vigie_renew_view``), each auditing
  what it does in the same transaction.
- ``stream_secrets``: each camera gateway's secret (1 to 64 bytes), which signs the tokens that
  open its streams (``services/domain/stream_tokens.py``). On PostgreSQL no Vigie login reads it:
  only ``vigie_open_view`` and ``vigie_renew_view``, which mint the tokens, do.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

#: The ids grow with the table: an integer on SQLite (its rowid), a bigint on PostgreSQL.
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "camera_views",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("camera", sa.String(length=128), nullable=False),
        sa.Column("viewer", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("incident_id", sa.BigInteger(), nullable=True),
        sa.Column("workstation", sa.String(length=128), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_because", sa.String(length=16), nullable=True),
        sa.CheckConstraint(
            "closed_because IN ('closed', 'timed_out', 'console_gone')",
            name=op.f("ck_camera_views_closed_because"),
        ),
        sa.CheckConstraint(
            "(closed_at IS NULL) = (closed_because IS NULL)",
            name=op.f("ck_camera_views_closed_with_why"),
        ),
        sa.CheckConstraint("purpose <> ''", name=op.f("ck_camera_views_purpose_given")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_camera_views")),
    )
    with op.batch_alter_table("camera_views") as batch:
        batch.create_index(batch.f("ix_camera_views_camera"), ["camera"], unique=False)
        batch.create_index(batch.f("ix_camera_views_viewer"), ["viewer"], unique=False)
        batch.create_index(batch.f("ix_camera_views_opened_at"), ["opened_at"], unique=False)
        batch.create_index(batch.f("ix_camera_views_closed_at"), ["closed_at"], unique=False)
    op.create_table(
        "stream_secrets",
        sa.Column("gateway", sa.String(length=128), nullable=False),
        sa.Column("secret", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint(
            "length(secret) BETWEEN 1 AND 64", name=op.f("ck_stream_secrets_secret_size")
        ),
        sa.PrimaryKeyConstraint("gateway", name=op.f("pk_stream_secrets")),
    )


def downgrade() -> None:
    op.drop_table("stream_secrets")
    with op.batch_alter_table("camera_views") as batch:
        batch.drop_index(batch.f("ix_camera_views_closed_at"))
        batch.drop_index(batch.f("ix_camera_views_opened_at"))
        batch.drop_index(batch.f("ix_camera_views_viewer"))
        batch.drop_index(batch.f("ix_camera_views_camera"))
    op.drop_table("camera_views")
