"""The field's record: photos, personal data apart, equipment faults and groups.

Also one incident per alert, per report and per open device fault (a partial unique index).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 17:47:52.972245
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# Written out, not imported: a migration must not change when the code does.
ONE_PER_SOURCE = (
    "source IN ('alert', 'report') OR "
    "(source = 'fault' AND status IN ('acknowledged', 'dispatched', 'new', 'on_scene'))"
)

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recorder_stats",
        sa.Column("recorder_id", sa.String(length=128), nullable=False),
        sa.Column("messages_received", sa.BigInteger(), nullable=False),
        sa.Column("messages_quarantined", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("recorder_id", name=op.f("pk_recorder_stats")),
    )
    op.create_table(
        "incident_media",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "incident_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("content_type", sa.String(length=32), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_incident_media_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_media")),
    )
    with op.batch_alter_table("incident_media", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_media_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "personal_data",
        sa.Column(
            "incident_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("first_name", sa.Text(), nullable=True),
        sa.Column("last_name", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_personal_data_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("incident_id", name=op.f("pk_personal_data")),
    )
    with op.batch_alter_table("equipment_changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("observed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_equipment_changes_equipment_id_field_observed_at"),
            ["equipment_id", "field", "observed_at"],
        )

    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recorder_id", sa.String(length=128), nullable=True))

    with op.batch_alter_table("equipment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("group_ref", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("fault_since", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("observed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_equipment_fault_since"), ["fault_since"], unique=False)
        batch_op.create_index(batch_op.f("ix_equipment_group_ref"), ["group_ref"], unique=False)

    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index(
            "uq_incidents_one_per_source",
            ["source", "source_ref"],
            unique=True,
            sqlite_where=sa.text(ONE_PER_SOURCE),
            postgresql_where=sa.text(ONE_PER_SOURCE),
        )


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_incidents_one_per_source",
            sqlite_where=sa.text(ONE_PER_SOURCE),
            postgresql_where=sa.text(ONE_PER_SOURCE),
        )

    with op.batch_alter_table("equipment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_equipment_group_ref"))
        batch_op.drop_index(batch_op.f("ix_equipment_fault_since"))
        batch_op.drop_column("observed_at")
        batch_op.drop_column("fault_since")
        batch_op.drop_column("group_ref")

    with op.batch_alter_table("equipment_changes", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_equipment_changes_equipment_id_field_observed_at"), type_="unique"
        )
        batch_op.drop_column("observed_at")

    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.drop_column("recorder_id")

    op.drop_table("personal_data")
    op.drop_table("recorder_stats")
    with op.batch_alter_table("incident_media", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_media_incident_id"))

    op.drop_table("incident_media")
