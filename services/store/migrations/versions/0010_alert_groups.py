"""Alerts of one cause, one incident: each alert's own record, and the incident's count.

- ``alerts``: one row per field alert, by its id (a repeated id updates it), with its payload,
  severity, derived priority and cause (a digest of its source, category and sub-category),
  linked to the incident it opened or joined (ISA-18.2's grouping, docs/field-contract.md).
- ``incidents.alert_count`` and ``incidents.last_alert_at``: how many alerts an incident stands
  for and when the newest was received (the grouping window runs from it).
  Incidents already made of an alert get that alert's row (its payload was not kept: none),
  a count of one and their creation as last alert; a station's freeze risk is an alert incident
  made by the recorder's sweep, not by an alert, and gets none.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# Written out, not imported: a migration must not change when the code does.
MADE_OF_AN_ALERT = (
    "source = 'alert' AND source_ref IS NOT NULL AND source_ref NOT LIKE 'freeze-risk:%'"
)
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _create_alerts() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.String(length=256), nullable=False),
        sa.Column("incident_id", BigId, nullable=False),
        sa.Column("cause", sa.String(length=64), nullable=True),
        sa.Column("severity", sa.String(length=16), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_alerts_incident_id_incidents"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_alerts"),
    )
    op.create_index("ix_alerts_incident_id", "alerts", ["incident_id"])
    op.create_index("ix_alerts_cause", "alerts", ["cause"])


def _record_existing_alerts() -> None:
    op.execute(
        "INSERT INTO alerts (id, incident_id, severity, priority, issued_at, received_at, "
        "updated_at) SELECT source_ref, id, severity, priority, created_at, created_at, "
        f"updated_at FROM incidents WHERE {MADE_OF_AN_ALERT}"
    )
    op.execute(
        f"UPDATE incidents SET alert_count = 1, last_alert_at = created_at WHERE {MADE_OF_AN_ALERT}"
    )


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("alert_count", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch_op.add_column(sa.Column("last_alert_at", sa.DateTime(timezone=True), nullable=True))
    _create_alerts()
    _record_existing_alerts()


def downgrade() -> None:
    op.drop_index("ix_alerts_cause", table_name="alerts")
    op.drop_index("ix_alerts_incident_id", table_name="alerts")
    op.drop_table("alerts")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("last_alert_at")
        batch_op.drop_column("alert_count")
