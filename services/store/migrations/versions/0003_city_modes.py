"""The city's modes: the snow plan's level and the traffic mode, and the claim on a switch.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 03:00:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "city_modes",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("previous", sa.String(length=32), nullable=True),
        sa.Column("target", sa.String(length=32), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("motive", sa.Text(), nullable=False),
        sa.Column("request_ids", sa.JSON(), nullable=False),
        sa.Column("bus_priority", sa.Boolean(), nullable=True),
        sa.Column("switching_by", sa.String(length=64), nullable=True),
        sa.Column("switching_since", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_city_modes")),
    )
    # The city starts at watch and in normal traffic: a switch only ever updates a row, so two
    # coordinators race on one conditional update, never on an insert.
    modes = sa.table(
        "city_modes",
        *(sa.column(c) for c in ("kind", "value", "state", "since", "by", "reason", "motive")),
        sa.column("request_ids", sa.JSON()),
        sa.column("since", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        modes,
        [
            {
                "kind": kind,
                "value": value,
                "state": "applied",
                "since": now,
                "by": "system:vigie",
                "reason": "",
                "motive": "",
                "request_ids": [],
            }
            for kind, value in (("snow", "0"), ("traffic", "normal"))
        ],
    )


def downgrade() -> None:
    op.drop_table("city_modes")
