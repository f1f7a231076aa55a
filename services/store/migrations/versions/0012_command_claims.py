"""A command published but not yet confirmed is its recorder's for a while.

- ``commands.claimed_by`` and ``commands.claimed_until``: the recorder that published a command
  whose confirmation (PUBACK) has not come when its batch committed, and until when no other
  recorder publishes it. The recorder renews the claim while paho holds the message; a recorder
  that died lets it lapse, and another sends the command (docs/architecture.md, "The outbox").

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("commands", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("commands", schema=None) as batch_op:
        batch_op.drop_column("claimed_until")
        batch_op.drop_column("claimed_by")
