"""Camera snapshots: each a recording, on the record (issue 18, item 6).

- ``camera_snapshots``: each snapshot taken in a camera view (``view_id``, whose purpose it
  shares), of which camera, by whom (the view's viewer), when, the PNG's file name in the
  snapshots folder, its SHA-256 and size, and when retention deleted the file (``purged_at``:
  the row stays as the journal of a recording that existed). Written only by
  ``services/store/camera_snapshots.py``; on PostgreSQL only by the database's function
  (``vigie_record_snapshot``), which audits it in the same transaction; the recorder may only
  set ``purged_at``.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

#: The ids grow with the table: an integer on SQLite (its rowid), a bigint on PostgreSQL.
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "camera_snapshots",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("view_id", _ID, nullable=False),
        sa.Column("camera", sa.String(length=128), nullable=False),
        sa.Column("taken_by", sa.String(length=64), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("size > 0", name=op.f("ck_camera_snapshots_size_positive")),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_camera_snapshots_sha256_length")),
        sa.ForeignKeyConstraint(
            ["view_id"], ["camera_views.id"], name=op.f("fk_camera_snapshots_view_id_camera_views")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_camera_snapshots")),
        sa.UniqueConstraint("file_name", name=op.f("uq_camera_snapshots_file_name")),
    )
    with op.batch_alter_table("camera_snapshots") as batch:
        batch.create_index(batch.f("ix_camera_snapshots_view_id"), ["view_id"], unique=False)
        batch.create_index(batch.f("ix_camera_snapshots_camera"), ["camera"], unique=False)
        batch.create_index(batch.f("ix_camera_snapshots_taken_at"), ["taken_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("camera_snapshots") as batch:
        batch.drop_index(batch.f("ix_camera_snapshots_taken_at"))
        batch.drop_index(batch.f("ix_camera_snapshots_camera"))
        batch.drop_index(batch.f("ix_camera_snapshots_view_id"))
    op.drop_table("camera_snapshots")
