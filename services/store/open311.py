"""Open311 requests on the record: recorded as one incident each, read through public views.

A request posted to ``vigie opendata serve`` becomes exactly one incident, written as the
recorder writes a citizen's report (``services/recorder/incident_rules.record_report``): a
``report`` incident of its service's category, its photo in ``incident_media``, the reporter's
name, e-mail and phone in ``personal_data`` (apart, purged after it closes), plus its
``open311_requests`` row. On PostgreSQL the service's login may only call
``vigie_record_request`` (``pg_open311``), which writes the same rows and audits them.

Everything the service answers is read from the ``open311_public_*`` views (migration 0015):
they hold no personal data and no internal note, whatever a query here asks for.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import (
    Column,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Row,
    String,
    Table,
    select,
    text,
    union,
)
from sqlalchemy.orm import Session

from services.domain.errors import Conflict, NotFound
from services.domain.incidents import (
    DEFAULT_SLA,
    OPEN_STATUSES,
    IncidentSource,
    Location,
    Priority,
    new_incident,
)
from services.domain.open311 import OPENDATA, Service, check_key_name, public_status, request_id
from services.domain.permissions import Act
from services.store import audit, authority, incidents, pg_authority
from services.store.models import (
    IncidentMediaRow,
    IncidentRow,
    Open311KeyRow,
    Open311RequestRow,
    PersonalDataRow,
)
from services.store.types import UTCDateTime, utcnow

PERSONAL_FIELDS = ("first_name", "last_name", "email", "phone")


@dataclass(frozen=True, slots=True)
class NewRequest:
    """A citizen's request as the service accepted it, before it is on the record."""

    service: Service
    lat: float | None  # None: an address only (address_string or address_id)
    lon: float | None
    commune: str | None
    address: str | None
    description: str
    attributes: dict[str, object]
    api_key: str
    media_url: str | None = None
    photo_type: str | None = None
    photo: bytes | None = None
    personal: dict[str, str] = field(default_factory=dict)
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Recorded:
    incident_id: int
    service_request_id: str
    token: str
    version: int


@dataclass(frozen=True, slots=True)
class PublicRequest:
    """What anyone may read of a request: the Open311 fields, nothing personal."""

    service_request_id: str
    service_code: str
    status: str  # open or closed
    status_notes: str | None
    requested_at: datetime
    updated_at: datetime
    expected_at: datetime | None
    description: str
    address: str | None
    lat: float | None
    lon: float | None
    media_url: str | None
    photo_type: str | None  # an uploaded photo, served by the service itself


@dataclass(frozen=True, slots=True)
class ApiKey:
    name: str
    rate_exempt: bool
    created_at: datetime
    created_by: str
    revoked_at: datetime | None = None
    revoked_by: str | None = None


# --- recording ---------------------------------------------------------------------------------
def record_request(session: Session, new: NewRequest) -> Recorded:
    """One request, one incident, in the caller's transaction; the database's function on PG."""
    token = secrets.token_urlsafe(18)
    if pg_authority.database_checks(session):
        return _record_in_database(session, new, token)
    now = utcnow()
    incident = new_incident(
        source=IncidentSource.REPORT,
        category=new.service.category[:64],
        at=now,
        commune=new.commune,
        location=Location(new.lat, new.lon)
        if new.lat is not None and new.lon is not None
        else None,
        place=new.address,
        description=new.description or new.service.name,
        flags=new.flags,
    )
    made = incidents.create(session, incident, by=OPENDATA, ref_of_id=request_id)
    assert made.id is not None and made.source_ref is not None
    if new.photo is not None or new.media_url:
        session.add(
            IncidentMediaRow(
                incident_id=made.id,
                content_type=new.photo_type if new.photo is not None else None,
                data=new.photo,
                url=new.media_url,
                received_at=now,
            )
        )
    if new.personal:
        session.add(PersonalDataRow(incident_id=made.id, received_at=now, **new.personal))
    session.add(
        Open311RequestRow(
            incident_id=made.id,
            service_request_id=made.source_ref,
            service_code=new.service.code,
            channel="api",
            token=token,
            api_key=new.api_key,
            attributes=new.attributes or None,
            requested_at=now,
        )
    )
    session.flush()
    return Recorded(made.id, made.source_ref, token, made.version)


def _record_in_database(session: Session, new: NewRequest, token: str) -> Recorded:
    incident = new_incident(
        source=IncidentSource.REPORT, category=new.service.category[:64], at=utcnow()
    )
    request = {
        "category": incident.category,
        "priority": int(incident.priority),
        "service_code": new.service.code,
        "commune": new.commune,
        "lat": new.lat,
        "lon": new.lon,
        "address": new.address,
        "description": new.description or new.service.name,
        "flags": list(new.flags) or None,
        "attributes": new.attributes or None,
        "api_key": new.api_key,
        "token": token,
        "media_url": new.media_url,
        "photo_type": new.photo_type if new.photo is not None else None,
        "photo": base64.b64encode(new.photo).decode() if new.photo is not None else None,
        "personal": new.personal or None,
    }
    row = session.execute(
        text("SELECT * FROM vigie_record_request(CAST(:request AS jsonb))"),
        {"request": json.dumps(request)},
    ).one()
    return Recorded(row.incident_id, row.service_request_id, token, 1)


def record_bus_request(
    session: Session, incident_id: int, service_request_id: str, service_code: str, **fields
) -> None:
    """A report the citizen app's gateway published: an Open311 request too (the recorder's)."""
    session.add(
        Open311RequestRow(
            incident_id=incident_id,
            service_request_id=service_request_id,
            service_code=service_code[:64],
            channel="bus",
            attributes=fields.get("attributes") or None,
            requested_at=fields["requested_at"],
        )
    )


# --- reading (the public views) ----------------------------------------------------------------
#: The views of migration 0015, typed (times read back as UTC on SQLite too); never created
#: from here: the migration owns them.
_VIEWS = MetaData()
PUBLIC_REQUESTS = Table(
    "open311_public_requests",
    _VIEWS,
    Column("service_request_id", String),
    Column("service_code", String),
    Column("token", String),
    Column("requested_at", UTCDateTime),
    Column("status", String),
    Column("priority", Integer),
    Column("created_at", UTCDateTime),
    Column("updated_at", UTCDateTime),
    Column("description", String),
    Column("address", String),
    Column("lat", Float),
    Column("lon", Float),
    Column("media_url", String),
    Column("photo_type", String),
)
PUBLIC_NOTES = Table(
    "open311_public_notes",
    _VIEWS,
    Column("service_request_id", String),
    Column("note_id", Integer),
    Column("at", UTCDateTime),
    Column("text", String),
)
PUBLIC_PHOTOS = Table(
    "open311_public_photos",
    _VIEWS,
    Column("service_request_id", String),
    Column("content_type", String),
    Column("data", LargeBinary),
)
_OPEN = [s.value for s in OPEN_STATUSES]


def public_requests(
    session: Session,
    *,
    ids: Sequence[str] = (),
    codes: Sequence[str] = (),
    statuses: Sequence[str] = (),
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = 1000,
    offset: int = 0,
) -> list[PublicRequest]:
    """Requests as GeoReport v2 lists them: ``ids`` override every other filter.

    Without ids, those requested between ``start`` and ``end``, newest first.
    """
    v = PUBLIC_REQUESTS.c
    query = select(PUBLIC_REQUESTS)
    if ids:
        query = query.where(v.service_request_id.in_(list(ids)))
    else:
        if codes:
            query = query.where(v.service_code.in_(list(codes)))
        if set(statuses) == {"open"}:
            query = query.where(v.status.in_(_OPEN))
        elif set(statuses) == {"closed"}:
            query = query.where(v.status.not_in(_OPEN))
        if start is not None:
            query = query.where(v.requested_at >= start)
        if end is not None:
            query = query.where(v.requested_at <= end)
    query = query.order_by(v.requested_at.desc(), v.service_request_id).limit(limit).offset(offset)
    return _with_notes(session, session.execute(query).all())


def public_request(session: Session, service_request_id: str) -> PublicRequest | None:
    found = public_requests(session, ids=[service_request_id], limit=1)
    return found[0] if found else None


def request_of_token(session: Session, token: str) -> str | None:
    v = PUBLIC_REQUESTS.c
    return session.execute(
        select(v.service_request_id).where(v.token == token)
    ).scalar_one_or_none()


def public_photo(session: Session, service_request_id: str) -> tuple[str, bytes] | None:
    v = PUBLIC_PHOTOS.c
    row = session.execute(
        select(v.content_type, v.data).where(v.service_request_id == service_request_id).limit(1)
    ).first()
    return (row.content_type or "application/octet-stream", bytes(row.data)) if row else None


def _with_notes(session: Session, rows: Sequence[Row]) -> list[PublicRequest]:
    """Each request with its latest public note, the specification's ``status_notes``."""
    latest: dict[str, str] = {}
    if rows:
        n = PUBLIC_NOTES.c
        notes = session.execute(
            select(n.service_request_id, n.text)
            .where(n.service_request_id.in_([r.service_request_id for r in rows]))
            .order_by(n.note_id)
        ).all()
        latest = {note.service_request_id: note.text for note in notes}
    return [_public(r, latest.get(r.service_request_id)) for r in rows]


def _public(row: Row, notes: str | None) -> PublicRequest:
    status = public_status(row.status)
    expected = None
    if status == "open":  # the incident's resolution target (its priority's SLA)
        expected = row.created_at + DEFAULT_SLA.target(Priority(row.priority))
    return PublicRequest(
        service_request_id=row.service_request_id,
        service_code=row.service_code,
        status=status,
        status_notes=notes,
        requested_at=row.requested_at,
        updated_at=row.updated_at,
        expected_at=expected,
        description=row.description,
        address=row.address,
        lat=row.lat,
        lon=row.lon,
        media_url=row.media_url,
        photo_type=row.photo_type,
    )


def changed_since(session: Session, since: datetime) -> list[PublicRequest]:
    """Requests whose public side may have moved after ``since`` (the recorder tells the bus)."""
    moved = union(
        select(IncidentRow.id).where(
            IncidentRow.updated_at > since, IncidentRow.source == IncidentSource.REPORT.value
        ),
        select(Open311RequestRow.incident_id).where(Open311RequestRow.public_updated_at > since),
    ).subquery()
    ids = (
        session.execute(
            select(Open311RequestRow.service_request_id).where(
                Open311RequestRow.incident_id.in_(select(moved.c[0]))
            )
        )
        .scalars()
        .all()
    )
    return public_requests(session, ids=ids, limit=max(len(ids), 1)) if ids else []


# --- API keys ----------------------------------------------------------------------------------
def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def add_key(session: Session, name: str, *, by: str, rate_exempt: bool = False) -> str:
    """A new key named ``name``; returns the key, which only its digest is kept of."""
    authority.require(session, by, Act.MANAGE_OPERATORS)
    check_key_name(name)
    if session.get(Open311KeyRow, name) is not None:
        raise Conflict("open311.key_exists", name=name)
    key = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        Open311KeyRow(
            name=name, key_hash=digest(key), rate_exempt=rate_exempt, created_at=now, created_by=by
        )
    )
    session.flush()
    audit.append(
        session, by, "opendata.key_add", f"key:{name}", {"rate_exempt": rate_exempt}, at=now
    )
    return key


def revoke_key(session: Session, name: str, *, by: str) -> None:
    authority.require(session, by, Act.MANAGE_OPERATORS)
    row = session.get(Open311KeyRow, name)
    if row is None:
        raise NotFound("open311.key_unknown", name=name)
    if row.revoked_at is None:
        row.revoked_at, row.revoked_by = utcnow(), by
        session.flush()
        audit.append(session, by, "opendata.key_revoke", f"key:{name}", {}, at=row.revoked_at)


def list_keys(session: Session, *, by: str) -> list[ApiKey]:
    authority.require(session, by, Act.MANAGE_OPERATORS)
    rows = session.execute(select(Open311KeyRow).order_by(Open311KeyRow.name)).scalars()
    return [
        ApiKey(r.name, r.rate_exempt, r.created_at, r.created_by, r.revoked_at, r.revoked_by)
        for r in rows
    ]


def active_keys(session: Session) -> dict[str, tuple[str, bool]]:
    """Digest to (name, rate exempt) of every key not revoked: what the service checks by."""
    rows = session.execute(
        select(Open311KeyRow.key_hash, Open311KeyRow.name, Open311KeyRow.rate_exempt).where(
            Open311KeyRow.revoked_at.is_(None)
        )
    ).all()
    return {r.key_hash: (r.name, bool(r.rate_exempt)) for r in rows}


def incident_ids(session: Session, service_request_ids: Iterable[str]) -> list[int]:
    """For tests and the bench: the incidents these requests are (never in an answer)."""
    return list(
        session.execute(
            select(Open311RequestRow.incident_id).where(
                Open311RequestRow.service_request_id.in_(list(service_request_ids))
            )
        ).scalars()
    )
