"""The citizen's answer: Open311 requests, API keys, public notes and the public views.

- ``open311_requests``: each incident that came in as an Open311 request, over HTTP (``api``,
  ``vigie opendata serve``) or over the bus (``bus``, the citizen app's gateway), with its
  ``service_request_id``, service code, token, the API key's name, the service definition's
  answers, and when a public note last changed. Reports recorded before are carried over.
- ``open311_keys``: the service's API keys, as SHA-256 digests, named, revocable.
- ``incident_notes.public``: a note the citizen reads (the request's ``status_notes``).
- ``incidents.updated_at`` indexed: the recorder looks for requests whose status moved.
- Views that are all the service reads (``open311_public_requests``, ``open311_public_notes``,
  ``open311_public_photos``): never a name, an e-mail or a phone number, nor an internal note.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

import csv
import io
from importlib import resources

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

#: What the Open311 service reads, and nothing more (docs/opendata.md). The request's
#: ``updated_at`` is the later of the incident's and its public notes' last change.
VIEWS = {
    "open311_public_requests": (
        "SELECT r.service_request_id, r.service_code, r.token, r.requested_at, i.status, "
        "i.priority, i.created_at, CASE WHEN r.public_updated_at IS NOT NULL "
        "AND r.public_updated_at > i.updated_at THEN r.public_updated_at ELSE i.updated_at END "
        "AS updated_at, i.description, i.place AS address, i.lat, i.lon, "
        "(SELECT m.url FROM incident_media m WHERE m.incident_id = i.id AND m.url IS NOT NULL "
        "ORDER BY m.id LIMIT 1) AS media_url, "
        "(SELECT m.content_type FROM incident_media m WHERE m.incident_id = i.id "
        "ORDER BY m.id LIMIT 1) AS photo_type "
        "FROM open311_requests r JOIN incidents i ON i.id = r.incident_id"
    ),
    "open311_public_notes": (
        "SELECT r.service_request_id, n.id AS note_id, n.at, n.text "
        "FROM incident_notes n JOIN open311_requests r ON r.incident_id = n.incident_id "
        "WHERE n.public"
    ),
    "open311_public_photos": (
        "SELECT r.service_request_id, m.content_type, m.data "
        "FROM incident_media m JOIN open311_requests r ON r.incident_id = m.incident_id "
        # The citizen's own (recorded with the request), never one added later by the room.
        "WHERE m.data IS NOT NULL AND m.id = (SELECT min(m2.id) FROM incident_media m2 "
        "WHERE m2.incident_id = m.incident_id)"
    ),
}


def _service_codes() -> dict[str, str]:
    """Category to the first service code of it, to carry over the reports recorded before."""
    text = resources.files("resources").joinpath("open311-services.csv").read_text("utf-8")
    codes: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        codes.setdefault(row["category"].strip(), row["service_code"].strip())
    return codes


def upgrade() -> None:
    op.create_table(
        "open311_requests",
        sa.Column("incident_id", _ID, nullable=False),
        sa.Column("service_request_id", sa.String(length=256), nullable=False),
        sa.Column("service_code", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=True),
        sa.Column("api_key", sa.String(length=64), nullable=True),
        sa.Column("attributes", sa.JSON(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("public_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("channel IN ('api', 'bus')", name=op.f("ck_open311_requests_channel")),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_open311_requests_incident_id_incidents"),
        ),
        sa.PrimaryKeyConstraint("incident_id", name=op.f("pk_open311_requests")),
        sa.UniqueConstraint(
            "service_request_id", name=op.f("uq_open311_requests_service_request_id")
        ),
        sa.UniqueConstraint("token", name=op.f("uq_open311_requests_token")),
    )
    with op.batch_alter_table("open311_requests") as batch:
        batch.create_index(batch.f("ix_open311_requests_requested_at"), ["requested_at"])
        batch.create_index(batch.f("ix_open311_requests_public_updated_at"), ["public_updated_at"])
    op.create_table(
        "open311_keys",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("rate_exempt", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_open311_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_open311_keys_key_hash")),
    )
    with op.batch_alter_table("incident_notes") as batch:
        batch.add_column(
            sa.Column("public", sa.Boolean(), nullable=False, server_default=sa.text("false"))
        )
    with op.batch_alter_table("incidents") as batch:
        batch.create_index(batch.f("ix_incidents_updated_at"), ["updated_at"])
    codes = _service_codes()
    code = sa.case(codes, value=sa.column("category"), else_=sa.column("category"))
    incidents = sa.table(
        "incidents",
        sa.column("id"),
        sa.column("source"),
        sa.column("source_ref"),
        sa.column("category"),
        sa.column("created_at"),
    )
    requests = sa.table(
        "open311_requests",
        sa.column("incident_id"),
        sa.column("service_request_id"),
        sa.column("service_code"),
        sa.column("channel"),
        sa.column("requested_at"),
    )
    earlier = sa.select(
        incidents.c.id,
        incidents.c.source_ref,
        sa.func.substr(code, 1, 64),
        sa.literal("bus"),
        incidents.c.created_at,
    ).where(incidents.c.source == "report", incidents.c.source_ref.is_not(None))
    op.execute(
        requests.insert().from_select(
            ["incident_id", "service_request_id", "service_code", "channel", "requested_at"],
            earlier,
        )
    )
    for name, query in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {query}")


def downgrade() -> None:
    for name in VIEWS:
        op.execute(f"DROP VIEW {name}")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_index(batch.f("ix_incidents_updated_at"))
    with op.batch_alter_table("incident_notes") as batch:
        batch.drop_column("public")
    op.drop_table("open311_keys")
    with op.batch_alter_table("open311_requests") as batch:
        batch.drop_index(batch.f("ix_open311_requests_public_updated_at"))
        batch.drop_index(batch.f("ix_open311_requests_requested_at"))
    op.drop_table("open311_requests")
