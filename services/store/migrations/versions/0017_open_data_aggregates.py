"""Open data: aggregates the recorder keeps as rows arrive, and the views the export reads.

- ``traffic_flow_hours``: per traffic counter (``TrafficFlowObserved``) and UTC hour, the sum of
  its ``intensity`` readings (vehicles/hour) and how many: their mean is the hour's flow. With
  the newest observation time counted, so that a reading heard twice (two recorders, a retained
  replay) counts once.
- ``bus_priority_days``: per traffic signal and day (Europe/Paris), the bus priority requests it
  reported (``lastPriorityRequest``) and how many were served; the newest request counted.
- ``mode_periods``: the snow plan's levels and the traffic modes over time, one row per period
  (open while in force, one open row per kind at most); for the snow plan, when the episode
  began (the level last left 0). No names, no reasons: what the public may read. Seeded with
  each mode in force at the upgrade that is not the one a city starts in (0, normal).
- ``snow_passes``: per snow episode and network segment, the first and last pass of a plough
  or spreader treating within 60 m of it, how many passes, and the longest time untreated.
- ``salt_readings``: each salt depot's stocks as reported (kept 400 days, indexed by time for
  retention).
- ``opendata_weeks``: each ISO week's k-anonymous incident counts as first published (per
  commune and category, and on the 250 m grid), written once and published verbatim ever after:
  a count that changed between two exports (a report later marked a duplicate, an alert's
  place moved) would give a suppressed count back by difference.
- Views, all the export reads besides those tables and ``energy_nights``: ``export_incidents``
  (no description, address, name or contact), ``export_equipment``, ``export_status_changes``.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-14 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

#: The ids grow with the table: an integer on SQLite (its rowid), a bigint on PostgreSQL.
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_AT = sa.DateTime(timezone=True)

#: What the open-data export reads of the operational record (docs/opendata.md): never a
#: description, an address, a name, a contact, a unit, an operator, nor an incident's number.
VIEWS = {
    "export_incidents": (
        "SELECT category, commune, created_at, lat, lon FROM incidents WHERE duplicate_of IS NULL"
    ),
    "export_equipment": "SELECT id, type, name, commune, lat, lon FROM equipment",
    "export_status_changes": (
        "SELECT equipment_id, at, old, new FROM equipment_changes WHERE field = 'status'"
    ),
}
#: One open period per kind: the writer closes it before opening the next (a unique index, so
#: that two writers never leave two open).
ONE_OPEN = "ended_at IS NULL"


def upgrade() -> None:
    op.create_table(
        "traffic_flow_hours",
        sa.Column("device_id", sa.String(length=128), nullable=False),
        sa.Column("hour", _AT, nullable=False),
        sa.Column("commune", sa.String(length=5), nullable=True),
        sa.Column("vehicles_sum", sa.Float(), nullable=False),
        sa.Column("readings", sa.Integer(), nullable=False),
        sa.Column("last_observed_at", _AT, nullable=False),
        sa.PrimaryKeyConstraint("device_id", "hour", name=op.f("pk_traffic_flow_hours")),
    )
    op.create_table(
        "bus_priority_days",
        sa.Column("device_id", sa.String(length=128), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("commune", sa.String(length=5), nullable=True),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("served", sa.Integer(), nullable=False),
        sa.Column("last_request_at", _AT, nullable=False),
        sa.PrimaryKeyConstraint("device_id", "day", name=op.f("pk_bus_priority_days")),
    )
    op.create_table(
        "mode_periods",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("started_at", _AT, nullable=False),
        sa.Column("ended_at", _AT, nullable=True),
        sa.Column("episode_start", _AT, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mode_periods")),
    )
    with op.batch_alter_table("mode_periods") as batch:
        batch.create_index(batch.f("ix_mode_periods_kind_started_at"), ["kind", "started_at"])
    op.create_index(
        "uq_mode_periods_one_open",
        "mode_periods",
        ["kind"],
        unique=True,
        postgresql_where=sa.text(ONE_OPEN),
        sqlite_where=sa.text(ONE_OPEN),
    )
    op.create_table(
        "snow_passes",
        sa.Column("episode_start", _AT, nullable=False),
        sa.Column("segment_id", sa.String(length=64), nullable=False),
        sa.Column("network", sa.String(length=16), nullable=False),
        sa.Column("target_s", sa.Integer(), nullable=False),
        sa.Column("first_pass_at", _AT, nullable=False),
        sa.Column("last_pass_at", _AT, nullable=False),
        sa.Column("passes", sa.Integer(), nullable=False),
        sa.Column("longest_gap_s", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("episode_start", "segment_id", name=op.f("pk_snow_passes")),
    )
    op.create_table(
        "salt_readings",
        sa.Column("depot_id", sa.String(length=128), nullable=False),
        sa.Column("observed_at", _AT, nullable=False),
        sa.Column("salt_tonnes", sa.Float(), nullable=True),
        sa.Column("brine_m3", sa.Float(), nullable=True),
        sa.Column("commune", sa.String(length=5), nullable=True),
        sa.PrimaryKeyConstraint("depot_id", "observed_at", name=op.f("pk_salt_readings")),
    )
    with op.batch_alter_table("salt_readings") as batch:
        batch.create_index(batch.f("ix_salt_readings_observed_at"), ["observed_at"])
    op.create_table(
        "opendata_weeks",
        sa.Column("dataset", sa.String(length=40), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("published_at", _AT, nullable=False),
        sa.PrimaryKeyConstraint("dataset", "week", name=op.f("pk_opendata_weeks")),
    )
    # A city upgrading in a snow episode (or a traffic mode other than normal) keeps it: the
    # recorder counts passes in the episode in force, and the next switch closes this period.
    op.execute(
        "INSERT INTO mode_periods (kind, value, started_at, episode_start) "
        "SELECT kind, value, since, CASE WHEN kind = 'snow' THEN since END FROM city_modes "
        "WHERE (kind = 'snow' AND value <> '0') OR (kind = 'traffic' AND value <> 'normal')"
    )
    for name, query in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {query}")


def downgrade() -> None:
    for name in VIEWS:
        op.execute(f"DROP VIEW {name}")
    with op.batch_alter_table("salt_readings") as batch:
        batch.drop_index(batch.f("ix_salt_readings_observed_at"))
    op.drop_table("opendata_weeks")
    op.drop_table("salt_readings")
    op.drop_table("snow_passes")
    op.drop_index("uq_mode_periods_one_open", table_name="mode_periods")
    with op.batch_alter_table("mode_periods") as batch:
        batch.drop_index(batch.f("ix_mode_periods_kind_started_at"))
    op.drop_table("mode_periods")
    op.drop_table("bus_priority_days")
    op.drop_table("traffic_flow_hours")
