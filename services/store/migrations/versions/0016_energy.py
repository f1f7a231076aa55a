"""Street lighting's energy: the cabinets' meter readings and their sums per commune and night.

- ``energy_readings``: one row per lighting cabinet and observation time (unique: several
  recorders, a redelivery, write it once): the cumulative ``energyConsumed`` (kWh), the
  ``dateMeteringStarted`` and ``ratedPower`` it came with, the difference with the cabinet's
  previous reading (``delta_kwh``; after a meter reset, the new value), the full-power baseline
  for the night's hours between the two (``baseline_kwh``), the commune and place, and the night
  it counts for (the room's date of the observation less 12 hours). Indexed by observation time
  for retention (400 days).
- ``energy_nights``: per night and commune, the sums of those readings (kWh, baseline, count),
  kept in step by the recorder in the transaction that writes the readings: the Energy panel and
  ``vigie energy`` read these, never the readings. Its key, night first, serves their query.
- ``ix_commands_approval_id``: an approval's commands, which the database counts for each one
  it records (a lighting policy approved sends a thousand).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-10 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

#: The ids grow with the table: an integer on SQLite (its rowid), a bigint on PostgreSQL.
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "energy_readings",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("cabinet_id", sa.String(length=128), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("night", sa.Date(), nullable=False),
        sa.Column("commune", sa.String(length=5), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("energy_kwh", sa.Float(), nullable=False),
        sa.Column("metering_started", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rated_power_w", sa.Float(), nullable=True),
        sa.Column("delta_kwh", sa.Float(), nullable=False),
        sa.Column("baseline_kwh", sa.Float(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_energy_readings")),
        sa.UniqueConstraint(
            "cabinet_id", "observed_at", name=op.f("uq_energy_readings_cabinet_id_observed_at")
        ),
    )
    with op.batch_alter_table("energy_readings") as batch:
        batch.create_index(batch.f("ix_energy_readings_observed_at"), ["observed_at"])
    op.create_table(
        "energy_nights",
        sa.Column("night", sa.Date(), nullable=False),
        sa.Column("commune", sa.String(length=5), nullable=False),
        sa.Column("kwh", sa.Float(), nullable=False),
        sa.Column("baseline_kwh", sa.Float(), nullable=False),
        sa.Column("readings", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("night", "commune", name=op.f("pk_energy_nights")),
    )
    # An approval's commands already sent, found by the database for each command it records
    # (pg_requests): a lighting policy approved sends a thousand.
    op.create_index(
        "ix_commands_approval_id",
        "commands",
        ["approval_id"],
        postgresql_where=sa.text("approval_id IS NOT NULL"),
        sqlite_where=sa.text("approval_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_commands_approval_id", table_name="commands")
    op.drop_table("energy_nights")
    with op.batch_alter_table("energy_readings") as batch:
        batch.drop_index(batch.f("ix_energy_readings_observed_at"))
    op.drop_table("energy_readings")
