"""The tables of the record (SQLAlchemy 2 typed declarative models).

Status-like columns are plain text checked by the domain, not database enums, so that adding a
status is a code change, not a migration on every deployment. Times are ``UTCDateTime``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.domain.incidents import ACTIVE_ASSIGNMENT, OPEN_STATUSES
from services.store.types import UTCDateTime

# SQLite only auto-increments an INTEGER PRIMARY KEY (the rowid alias), not a BIGINT one.
BigId = BigInteger().with_variant(Integer(), "sqlite")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

_OPEN = ", ".join(f"'{s.value}'" for s in sorted(OPEN_STATUSES))
ONE_PER_SOURCE = f"source IN ('alert', 'report') OR (source = 'fault' AND status IN ({_OPEN}))"
_ACTIVE = ", ".join(f"'{s.value}'" for s in sorted(ACTIVE_ASSIGNMENT))
#: A unit is busy with an incident dispatched or on scene: it holds at most one of them.
ONE_ACTIVE_PER_UNIT = f"assigned_unit IS NOT NULL AND status IN ({_ACTIVE})"

NAME = String(64)  # operator names
DEVICE_ID = String(128)  # identifiers that travel in topics: [A-Za-z0-9:._-]{1,128}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


class OperatorRow(Base):
    __tablename__ = "operators"
    name: Mapped[str] = mapped_column(NAME, primary_key=True)
    role: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(NAME)
    disabled_at: Mapped[datetime | None]
    # Argon2id, on SQLite only: on PostgreSQL the operator is a login and the server checks.
    password_hash: Mapped[str | None] = mapped_column(Text)


class PermissionRow(Base):
    """The matrix in force: one row per act a role may do (empty: the bundled default)."""

    __tablename__ = "permission_matrix"
    act: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)


class ApprovalRow(Base):
    """A high-impact act recorded as requested, awaiting a second operator (security.md)."""

    __tablename__ = "approvals"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # command, mode, role
    act: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]]  # what is carried out once approved
    preview: Mapped[list[str]] = mapped_column(JSON)  # what the requester saw, word for word
    reason: Mapped[str] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(String(64))
    requested_by: Mapped[str] = mapped_column(NAME)
    requested_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), index=True)
    decided_by: Mapped[str | None] = mapped_column(NAME)
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")


class ApprovalRulesRow(Base):
    """The approval rules in force (one row; absent: the bundled file's)."""

    __tablename__ = "approval_rules"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    rules: Mapped[dict[str, Any]]


class PlaybookStepRow(Base):
    """The playbook in force, as the database holds it: one row per command of an entry."""

    __tablename__ = "playbook_steps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # snow or traffic
    value: Mapped[str] = mapped_column(String(32))  # the level or mode switched to
    target_type: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(160))
    command: Mapped[str] = mapped_column(String(16))
    params: Mapped[dict[str, Any]]  # typed, without ``until`` (a time from the switch)

    __table_args__ = (Index("ix_playbook_steps_entry", "kind", "value"),)


class DbAuthorityRow(Base):
    """On PostgreSQL, once the database is its own authority: its group roles' prefix (one row)."""

    __tablename__ = "db_authority"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    role_prefix: Mapped[str] = mapped_column(String(32))
    installed_at: Mapped[datetime]


class IncidentRow(Base):
    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(16))
    source_ref: Mapped[str | None] = mapped_column(String(256))
    category: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str | None] = mapped_column(String(16))
    priority: Mapped[int] = mapped_column(Integer)
    priority_reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    commune: Mapped[str | None] = mapped_column(String(5))  # indexed with created_at (0019)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    place: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    assigned_unit: Mapped[str | None] = mapped_column(DEVICE_ID)
    duplicate_of: Mapped[int | None] = mapped_column(BigId, ForeignKey("incidents.id"))
    created_at: Mapped[datetime] = mapped_column(index=True)  # a report's period (0018)
    updated_at: Mapped[datetime] = mapped_column(index=True)
    updated_by: Mapped[str] = mapped_column(NAME)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # What was accepted but is worth knowing (time_in_future, time_without_offset…)
    flags: Mapped[list[str] | None] = mapped_column(JSON)
    # The field alerts it stands for (``alerts``) and when the newest was received.
    alert_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_alert_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_incidents_source_ref", "source", "source_ref"),
        # A commune's incidents over a period (the Statistics panel's figures: 0019).
        Index("ix_incidents_commune_created_at", "commune", "created_at"),
        # Two consoles dispatching one unit at once: the second commit fails here.
        Index(
            "uq_incidents_one_active_per_unit",
            "assigned_unit",
            unique=True,
            sqlite_where=text(ONE_ACTIVE_PER_UNIT),
            postgresql_where=text(ONE_ACTIVE_PER_UNIT),
        ),
        # One incident per alert id and per citizen report; one OPEN incident per faulty device
        # (or failed gateway). Partial unique indexes read the same on SQLite and PostgreSQL.
        Index(
            "uq_incidents_one_per_source",
            "source",
            "source_ref",
            unique=True,
            sqlite_where=text(ONE_PER_SOURCE),
            postgresql_where=text(ONE_PER_SOURCE),
        ),
    )


class AlertRow(Base):
    """A field alert's own record, by its id, linked to the incident it opened or joined.

    Alerts of one cause (``cause``, a digest of source, category and sub-category) share one
    open incident; each keeps its payload as received (keyValues, ``id`` and ``type`` aside).
    """

    __tablename__ = "alerts"
    id: Mapped[str] = mapped_column(String(256), primary_key=True)
    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id"), index=True)
    cause: Mapped[str | None] = mapped_column(String(64), index=True)
    severity: Mapped[str | None] = mapped_column(String(16))
    priority: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime]
    received_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class IncidentMediaRow(Base):
    """A citizen's photo, stored with the report (at most 2 MiB), or the URL it can be had from."""

    __tablename__ = "incident_media"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id"), index=True)
    content_type: Mapped[str | None] = mapped_column(String(32))
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    url: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime]


class PersonalDataRow(Base):
    """Callers' and reporters' contact details, apart from the incident, purged after it closes.

    Never exported: no query or JSON output reads this table.
    """

    __tablename__ = "personal_data"
    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id"), primary_key=True)
    first_name: Mapped[str | None] = mapped_column(Text)
    last_name: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime]


class IncidentChangeRow(Base):
    """One change to an incident: which field, from what, to what, by whom, and why."""

    __tablename__ = "incident_changes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id"), index=True)
    at: Mapped[datetime]
    by: Mapped[str] = mapped_column(NAME)
    field: Mapped[str] = mapped_column(String(32))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)


class IncidentNoteRow(Base):
    __tablename__ = "incident_notes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id"), index=True)
    at: Mapped[datetime]
    by: Mapped[str] = mapped_column(NAME)
    text: Mapped[str] = mapped_column(Text)
    # A note the citizen reads (the request's status_notes); internal unless an operator says.
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Open311RequestRow(Base):
    """An incident that came in as an Open311 request: over HTTP (``api``) or the bus (``bus``).

    Only these are listed by the Open311 service; its answers read the public views over this
    table (``open311_public_requests``...), never ``personal_data``.
    """

    __tablename__ = "open311_requests"
    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id"), primary_key=True)
    service_request_id: Mapped[str] = mapped_column(String(256), unique=True)
    service_code: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(8))
    # Resolves to the request's id (GET tokens/{token}); minted for every request posted.
    token: Mapped[str | None] = mapped_column(String(64), unique=True)
    api_key: Mapped[str | None] = mapped_column(String(64))  # the key's name, not the key
    attributes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    requested_at: Mapped[datetime] = mapped_column(index=True)
    # When a note the citizen reads last changed: the request's updated_datetime moves with it.
    public_updated_at: Mapped[datetime | None] = mapped_column(index=True)


class Open311KeyRow(Base):
    """An API key of the Open311 service: kept as its SHA-256, named for the audit journal."""

    __tablename__ = "open311_keys"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    rate_exempt: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(NAME)
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[str | None] = mapped_column(NAME)


class GatewayRow(Base):
    __tablename__ = "gateways"
    id: Mapped[str] = mapped_column(DEVICE_ID, primary_key=True)
    online: Mapped[bool] = mapped_column(Boolean)
    since: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class EquipmentRow(Base):
    """A device's current state; ``equipment_changes`` keeps what changed, not every message."""

    __tablename__ = "equipment"
    id: Mapped[str] = mapped_column(DEVICE_ID, primary_key=True)
    type: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(40))
    commune: Mapped[str | None] = mapped_column(String(5), index=True)
    gateway: Mapped[str | None] = mapped_column(DEVICE_ID, index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    outside_metropole: Mapped[bool] = mapped_column(Boolean, default=False)
    group_ref: Mapped[str | None] = mapped_column(DEVICE_ID)  # refStreetlightGroup
    fault_since: Mapped[datetime | None]
    observed_at: Mapped[datetime | None]  # the device's own clock, when it says
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    flags: Mapped[list[str] | None] = mapped_column(JSON)  # of the state last recorded
    received_at: Mapped[datetime]  # receiver's clock: staleness is measured on it
    updated_at: Mapped[datetime]

    # Only the devices that have one (migration 0022): every query asks for a value.
    __table_args__ = tuple(
        Index(
            f"ix_equipment_{column}",
            column,
            postgresql_where=text(f"{column} IS NOT NULL"),
            sqlite_where=text(f"{column} IS NOT NULL"),
        )
        for column in ("fault_since", "group_ref")
    )


class EquipmentChangeRow(Base):
    """A change of a tracked field, dated by ``at``: when the change happened.

    ``at`` is the device's observation time (``observed_at``) when it says one, else the
    time the recorder received the state (migration 0021 dated the older rows so). With an
    observation time a change is recorded once however many recorders heard it (the unique
    key, whose ``at`` then equals ``observed_at``); without one (``observed_at`` NULL, never
    equal to another) each recorder's is kept, and a change and its undoing in one batch both.

    On PostgreSQL the table is partitioned by month of ``at`` (``services/store/partitions.py``):
    its primary key there is ``(id, at)`` (ids still come from one sequence) and the unique key
    holds ``at`` as a partitioned table's keys must. SQLite keeps ``(equipment_id, field,
    observed_at)``, the same rows given the rule above.
    """

    __tablename__ = "equipment_changes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    equipment_id: Mapped[str] = mapped_column(DEVICE_ID, index=True)
    # When the change happened (above); a report's period (0018), the partition key (0021).
    at: Mapped[datetime] = mapped_column(index=True)
    field: Mapped[str] = mapped_column(String(40))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    observed_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("equipment_id", "field", "observed_at", "at"),
        # A report reads one field's changes over its period (the lights' faults: 0019).
        Index("ix_equipment_changes_field_at", "field", "at"),
    )


class UnitRow(Base):
    __tablename__ = "units"
    id: Mapped[str] = mapped_column(DEVICE_ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    incident_id: Mapped[int | None] = mapped_column(BigId)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    observed_at: Mapped[datetime | None]
    status_at: Mapped[datetime | None]
    # What its newest position said it was doing: "plough", "spread", "plough+spread", or NULL.
    work: Mapped[str | None] = mapped_column(String(16))


class UnitPositionRow(Base):
    """Every point for 48 h, then one a minute, purged after 60 days (CNIL; configurable).

    On PostgreSQL partitioned by day of ``observed_at`` (primary key ``(id, observed_at)``):
    retention drops whole days (``services/store/partitions.py``).
    """

    __tablename__ = "unit_positions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    unit_id: Mapped[str] = mapped_column(DEVICE_ID)
    observed_at: Mapped[datetime]
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    speed: Mapped[float | None] = mapped_column(Float)
    bearing: Mapped[float | None] = mapped_column(Float)
    # A snow vehicle treating the road there ("plough", "spread", "plough+spread"); NULL when
    # not: the winter-service network's passes are counted from these rows.
    work: Mapped[str | None] = mapped_column(String(16))

    __table_args__ = (UniqueConstraint("unit_id", "observed_at"),)


class CommandRow(Base):
    """The outbox: a command is written here before it is published."""

    __tablename__ = "commands"
    request_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    target_type: Mapped[str] = mapped_column(String(40))  # an equipment type, or "group"
    target: Mapped[str] = mapped_column(String(160))
    command: Mapped[str] = mapped_column(String(16))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), index=True)
    issued_by: Mapped[str] = mapped_column(NAME)
    issued_at: Mapped[datetime] = mapped_column(index=True)  # a report's period (0018)
    expires_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    reply_to: Mapped[str | None] = mapped_column(Text)
    # The device's final answer came after the command was recorded timed out: it was followed.
    late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # When the recorder, the only sender, first published it; NULL until then.
    sent_at: Mapped[datetime | None]
    approval_id: Mapped[str | None] = mapped_column(String(36))  # the approval it carries out
    # Published, its PUBACK still to come: no other recorder publishes it before this (renewed
    # while the message is in flight; a recorder that died lets it lapse).
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_until: Mapped[datetime | None]

    __table_args__ = (
        Index(
            "ix_commands_unsent",
            "issued_at",
            postgresql_where=text("sent_at IS NULL"),
            sqlite_where=text("sent_at IS NULL"),
        ),
        # The database finds an approval's commands already sent by it (pg_requests): a
        # lighting policy's thousand profiles each look, which a scan of commands would not bear.
        Index(
            "ix_commands_approval_id",
            "approval_id",
            postgresql_where=text("approval_id IS NOT NULL"),
            sqlite_where=text("approval_id IS NOT NULL"),
        ),
    )


class CommandAckRow(Base):
    """Every ack, once: a repeat for the same request, responder and status is ignored."""

    __tablename__ = "command_acks"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    request_id: Mapped[str] = mapped_column(String(36), ForeignKey("commands.request_id"))
    responder: Mapped[str] = mapped_column(DEVICE_ID)  # device or gateway id
    responder_kind: Mapped[str] = mapped_column(String(8))  # "device" or "gateway"
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    succeeded: Mapped[int | None] = mapped_column(Integer)
    failed: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    ts: Mapped[datetime | None]
    received_at: Mapped[datetime]
    # Came after the command was settled without it (timed out, or a dispatch put back).
    late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))

    __table_args__ = (UniqueConstraint("request_id", "responder", "status"),)


class QuarantineRow(Base):
    """A payload that broke the contract, kept whole (up to 4 MiB) with why and when.

    On PostgreSQL partitioned by month of ``received_at`` (primary key ``(id, received_at)``).
    """

    __tablename__ = "quarantine"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    topic: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(index=True)
    size: Mapped[int] = mapped_column(Integer)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    # Who rejected it: quarantine is each recorder's own observation (a device that repeats a
    # bad payload is counted each time, so there is no key to merge two recorders' rows on).
    recorder_id: Mapped[str | None] = mapped_column(String(128))
    entity_id: Mapped[str | None] = mapped_column(Text)  # the id the payload named, if any


class RecorderStatsRow(Base):
    """What each recorder has received and quarantined since its database was created."""

    __tablename__ = "recorder_stats"
    recorder_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    messages_received: Mapped[int] = mapped_column(BigInteger, default=0)
    messages_quarantined: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime]


class JournalRow(Base):
    """The room's logbook (main courante)."""

    __tablename__ = "journal"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(index=True)
    operator: Mapped[str] = mapped_column(NAME)
    text: Mapped[str] = mapped_column(Text)


class AuditRow(Base):
    """The audit journal: append-only, hash-chained. Plain text columns, no database enums."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    ts: Mapped[datetime]
    operator: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    target: Mapped[str] = mapped_column(Text)
    details: Mapped[str] = mapped_column(Text)  # canonical JSON text: survives the round trip
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    # A report reads an action's entries over its period (the modes switched: 0018).
    __table_args__ = (Index("ix_audit_log_action_ts", "action", "ts"),)


class AuditChainRow(Base):
    """One row: the newest entry's seq and hash. Appenders lock it, which serialises them."""

    __tablename__ = "audit_chain"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))


class HandoverRow(Base):
    """A shift handed over (by whom, as what, when, the remarks), then accepted by the next.

    Written by ``services/store/handovers.py``. The summary is not kept: each reader is shown
    it as their own login may read the record.
    """

    __tablename__ = "handovers"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    author: Mapped[str] = mapped_column(NAME)
    author_role: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(index=True)
    shift_from: Mapped[datetime]  # the logbook entries from here to started_at are the shift's
    remarks: Mapped[str] = mapped_column(Text)
    accepted_by: Mapped[str | None] = mapped_column(NAME)
    accepted_at: Mapped[datetime | None]


class CityModeRow(Base):
    """The snow plan's level and the traffic mode in force: one row each, the record of the switch.

    ``switching_by`` is the claim a switch takes before sending anything: a second coordinator's
    claim fails on it (a conditional update), so the city is never switched twice at once.
    """

    __tablename__ = "city_modes"
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # snow or traffic
    value: Mapped[str] = mapped_column(String(32))  # the level or mode in force
    previous: Mapped[str | None] = mapped_column(String(32))
    target: Mapped[str | None] = mapped_column(String(32))  # while applying
    state: Mapped[str] = mapped_column(String(16))
    since: Mapped[datetime]
    by: Mapped[str] = mapped_column(NAME)
    reason: Mapped[str] = mapped_column(Text, default="")
    motive: Mapped[str] = mapped_column(Text, default="")  # the weather or event behind it
    request_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    bus_priority: Mapped[bool | None] = mapped_column(Boolean)
    switching_by: Mapped[str | None] = mapped_column(NAME)
    switching_since: Mapped[datetime | None]
    # The retained modes/{kind} message the switch asks for, and when the recorder published it.
    announcement: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    announced_at: Mapped[datetime | None]


class CameraViewRow(Base):
    """A live view of a camera: who, why, from where, until when, and how it ended (issue 18).

    Written by ``services/store/camera_views.py`` only; on PostgreSQL by the database's
    functions alone, each auditing what it does (``pg_views``).
    """

    __tablename__ = "camera_views"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    camera: Mapped[str] = mapped_column(DEVICE_ID, index=True)
    viewer: Mapped[str] = mapped_column(NAME, index=True)
    purpose: Mapped[str] = mapped_column(Text)
    incident_id: Mapped[int | None] = mapped_column(BigInteger)
    workstation: Mapped[str] = mapped_column(String(128))
    opened_at: Mapped[datetime] = mapped_column(index=True)
    expires_at: Mapped[datetime]  # the token's expiry, whole seconds: renewed, it moves on
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    closed_because: Mapped[str | None] = mapped_column(String(16))  # closed, timed_out...


class StreamSecretRow(Base):
    """A camera gateway's stream secret (1 to 64 bytes): it signs the tokens of its streams.

    On PostgreSQL no Vigie login reads it; the functions that mint tokens do.
    """

    __tablename__ = "stream_secrets"
    gateway: Mapped[str] = mapped_column(DEVICE_ID, primary_key=True)
    secret: Mapped[bytes] = mapped_column(LargeBinary)


class CameraSnapshotRow(Base):
    """A snapshot taken in a camera view: a recording, its file kept a month (issue 18, item 6).

    Written by ``services/store/camera_snapshots.py`` only; on PostgreSQL by the database's
    function alone (``pg_snapshots``), auditing it. The recorder's retention deletes the file
    and sets ``purged_at`` (the only column it may write); the row stays.
    """

    __tablename__ = "camera_snapshots"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    view_id: Mapped[int] = mapped_column(BigId, ForeignKey("camera_views.id"), index=True)
    camera: Mapped[str] = mapped_column(DEVICE_ID, index=True)
    taken_by: Mapped[str] = mapped_column(NAME)
    taken_at: Mapped[datetime] = mapped_column(index=True)
    file_name: Mapped[str] = mapped_column(String(255), unique=True)  # in the snapshots folder
    sha256: Mapped[str] = mapped_column(String(64))  # of the PNG, hex
    size: Mapped[int] = mapped_column(BigInteger)  # of the PNG, bytes
    purged_at: Mapped[datetime | None]  # when retention deleted the file


class EnergyReadingRow(Base):
    """A lighting cabinet's meter reading (``energyConsumed``), with what it adds to its night.

    One row per cabinet and observation time, however many recorders heard it (unique key).
    ``delta_kwh`` is the energy since the cabinet's previous reading (after a meter reset, the
    new value); ``baseline_kwh`` what its lights would have drawn at full power over the night's
    hours between the two readings. Written by ``services/store/energy.py`` only, which keeps
    ``energy_nights`` in step in the same transaction. Kept 400 days (retention). On PostgreSQL
    partitioned by month of ``observed_at`` (primary key ``(id, observed_at)``).
    """

    __tablename__ = "energy_readings"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    cabinet_id: Mapped[str] = mapped_column(DEVICE_ID)
    observed_at: Mapped[datetime] = mapped_column(index=True)  # retention purges by it
    night: Mapped[date] = mapped_column(Date)  # the room's date of (observed_at - 12 h)
    commune: Mapped[str] = mapped_column(String(5))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    energy_kwh: Mapped[float] = mapped_column(Float)  # cumulative since metering_started
    metering_started: Mapped[datetime | None]  # dateMeteringStarted, when the cabinet says
    rated_power_w: Mapped[float | None] = mapped_column(Float)  # ratedPower, when it says
    delta_kwh: Mapped[float] = mapped_column(Float)
    baseline_kwh: Mapped[float] = mapped_column(Float)
    recorded_at: Mapped[datetime]

    # Also the index a cabinet's previous reading is found by.
    __table_args__ = (UniqueConstraint("cabinet_id", "observed_at"),)


class EnergyNightRow(Base):
    """Per commune and night, the sums of its cabinets' readings: what the Energy panel reads.

    Maintained as readings arrive (``services/store/energy.py``), never by a scan of them; its
    key, night first, is the index of the panel's query (nights from a date, every commune or one).
    """

    __tablename__ = "energy_nights"
    night: Mapped[date] = mapped_column(Date, primary_key=True)
    commune: Mapped[str] = mapped_column(String(5), primary_key=True)
    kwh: Mapped[float] = mapped_column(Float)
    baseline_kwh: Mapped[float] = mapped_column(Float)
    readings: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime]


# --- open data: aggregates kept as rows arrive (migration 0017) ---------------------------------
# Nothing personal in them: devices, segments, communes, times and counts. Written by the
# recorder (``services/recorder/aggregates.py``), the modes' switches (``mode_periods``) and the
# backfill; read by the open-data export. Kept (retention) but for the salt readings.


class TrafficFlowHourRow(Base):
    """A traffic counter's hour (UTC): the sum of its ``intensity`` readings and how many.

    A reading counts only if observed after ``last_observed_at``: heard twice, it counts once
    (``services/store/traffic_counts.py``). The hour's flow is ``vehicles_sum / readings``.
    """

    __tablename__ = "traffic_flow_hours"
    device_id: Mapped[str] = mapped_column(DEVICE_ID, primary_key=True)
    hour: Mapped[datetime] = mapped_column(primary_key=True)  # the UTC hour's start
    commune: Mapped[str | None] = mapped_column(String(5))
    vehicles_sum: Mapped[float] = mapped_column(Float)  # vehicles/hour, summed
    readings: Mapped[int] = mapped_column(Integer)
    last_observed_at: Mapped[datetime]


class BusPriorityDayRow(Base):
    """A traffic signal's day (Europe/Paris): bus priority requests, and how many were served."""

    __tablename__ = "bus_priority_days"
    device_id: Mapped[str] = mapped_column(DEVICE_ID, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    commune: Mapped[str | None] = mapped_column(String(5))
    requests: Mapped[int] = mapped_column(Integer)
    served: Mapped[int] = mapped_column(Integer)
    last_request_at: Mapped[datetime]  # the newest ``lastPriorityRequest`` counted


class ModePeriodRow(Base):
    """A snow level or traffic mode in force from ``started_at`` to ``ended_at`` (NULL: still).

    No names and no reasons: the public record of the city's modes (``mode_periods.follow``).
    ``episode_start``: for a snow level of 1 or more, when the plan last left level 0.
    """

    __tablename__ = "mode_periods"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # snow or traffic
    value: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    episode_start: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_mode_periods_kind_started_at", "kind", "started_at"),
        Index(
            "uq_mode_periods_one_open",
            "kind",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )


class SnowPassRow(Base):
    """A network segment's treatment in one snow episode (``services/store/snow_passes.py``)."""

    __tablename__ = "snow_passes"
    episode_start: Mapped[datetime] = mapped_column(primary_key=True)
    segment_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    network: Mapped[str] = mapped_column(String(16))  # principal or secondary
    target_s: Mapped[int] = mapped_column(Integer)  # the longest it may stay untreated
    first_pass_at: Mapped[datetime]
    last_pass_at: Mapped[datetime]
    passes: Mapped[int] = mapped_column(Integer)
    longest_gap_s: Mapped[int] = mapped_column(Integer)  # from the episode's start on


class SaltReadingRow(Base):
    """A salt depot's stocks as it reported them. Kept 400 days (retention).

    On PostgreSQL partitioned by month of ``observed_at``.
    """

    __tablename__ = "salt_readings"
    depot_id: Mapped[str] = mapped_column(DEVICE_ID, primary_key=True)
    observed_at: Mapped[datetime] = mapped_column(primary_key=True, index=True)
    salt_tonnes: Mapped[float | None] = mapped_column(Float)
    brine_m3: Mapped[float | None] = mapped_column(Float)
    commune: Mapped[str | None] = mapped_column(String(5))


class OpendataWeekRow(Base):
    """A week's incident counts as first published, k-anonymous; published verbatim ever after.

    A count that changed between two exports would give a suppressed count back by difference
    (``services/opendata/export/incidents.py``). Written by the export, never updated.
    """

    __tablename__ = "opendata_weeks"
    dataset: Mapped[str] = mapped_column(String(40), primary_key=True)
    week: Mapped[date] = mapped_column(Date, primary_key=True)  # its Monday, in the room
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[datetime]


#: The export's views of migration 0017, typed (times read back as UTC on SQLite too); never
#: created from here: the migration owns them. Their columns are all the export may read of
#: incidents, equipment and its changes.
EXPORT_VIEWS = MetaData()
EXPORT_INCIDENTS = Table(
    "export_incidents",
    EXPORT_VIEWS,
    Column("category", String),
    Column("commune", String),
    Column("created_at", UTCDateTime),
    Column("lat", Float),
    Column("lon", Float),
)
EXPORT_EQUIPMENT = Table(
    "export_equipment",
    EXPORT_VIEWS,
    Column("id", String),
    Column("type", String),
    Column("name", String),
    Column("commune", String),
    Column("lat", Float),
    Column("lon", Float),
)
EXPORT_STATUS_CHANGES = Table(
    "export_status_changes",
    EXPORT_VIEWS,
    Column("equipment_id", String),
    Column("at", UTCDateTime),
    Column("old", String),
    Column("new", String),
)

#: What the daily report reads of the audit journal and of the camera views (migration 0020):
#: the roles that run reports read these on PostgreSQL, not the tables behind them.
REPORT_VIEWS = MetaData()
REPORT_MODE_SWITCHES = Table(
    "report_mode_switches",
    REPORT_VIEWS,
    Column("seq", BigInteger),
    Column("ts", UTCDateTime),
    Column("operator", String),
    Column("action", String),
    Column("target", String),
    Column("details", Text),
)
REPORT_CAMERA_VIEWS = Table(
    "report_camera_views",
    REPORT_VIEWS,
    Column("id", BigInteger),
    Column("camera", String),
    Column("opened_at", UTCDateTime),
    Column("for_incident", Boolean),
    Column("purpose_key", String),
)
