"""Incidents in the store: created, read, and changed with their version checked.

A change is written ``WHERE version = <the version the operator saw>``; when another console got
there first, nothing is overwritten and ``StaleVersion`` carries who changed it and the incident as
it now stands. The check is one statement, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.domain.errors import InvalidInput, NotFound, StaleVersion
from services.domain.incidents import (
    OPEN_STATUSES,
    Incident,
    IncidentChange,
    IncidentNote,
    IncidentSource,
    IncidentStatus,
    Location,
    Priority,
    Severity,
    changed_fields,
)
from services.store import audit
from services.store.models import (
    AlertRow,
    IncidentChangeRow,
    IncidentNoteRow,
    IncidentRow,
    Open311RequestRow,
)
from services.store.types import utcnow


def incident_from_row(row: IncidentRow) -> Incident:
    return Incident(
        id=row.id,
        source=IncidentSource(row.source),
        source_ref=row.source_ref,
        category=row.category,
        severity=Severity(row.severity) if row.severity else None,
        priority=Priority(row.priority),
        priority_reason=row.priority_reason,
        status=IncidentStatus(row.status),
        commune=row.commune,
        location=Location(row.lat, row.lon)
        if row.lat is not None and row.lon is not None
        else None,
        place=row.place,
        description=row.description,
        assigned_unit=row.assigned_unit,
        duplicate_of=row.duplicate_of,
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
        flags=tuple(row.flags or ()),
        alert_count=row.alert_count or 0,
        last_alert_at=row.last_alert_at,
    )


def _columns(incident: Incident) -> dict[str, object]:
    loc = incident.location
    return {
        "source": incident.source.value,
        "source_ref": incident.source_ref,
        "category": incident.category,
        "severity": incident.severity.value if incident.severity else None,
        "priority": int(incident.priority),
        "priority_reason": incident.priority_reason,
        "status": incident.status.value,
        "commune": incident.commune,
        "lat": loc.lat if loc else None,
        "lon": loc.lon if loc else None,
        "place": incident.place,
        "description": incident.description,
        "assigned_unit": incident.assigned_unit,
        "duplicate_of": incident.duplicate_of,
        "created_at": incident.created_at,
        "updated_at": incident.updated_at,
        "flags": list(incident.flags) or None,
        "alert_count": incident.alert_count,
        "last_alert_at": incident.last_alert_at,
    }


def create(
    session: Session,
    incident: Incident,
    *,
    by: str,
    ref_of_id: Callable[[int], str] | None = None,
) -> Incident:
    """Record a new incident; ``ref_of_id`` names its ``source_ref`` after its own number."""
    row = IncidentRow(**_columns(incident), updated_by=by, version=1)
    session.add(row)
    session.flush()
    if ref_of_id is not None:
        row.source_ref = ref_of_id(row.id)
        session.flush()
    session.add(
        IncidentChangeRow(
            incident_id=row.id,
            at=row.created_at,
            by=by,
            field="created",
            old=None,
            new=row.status,
        )
    )
    audit.append(
        session,
        by,
        "incident.create",
        f"incident:{row.id}",
        {
            "source": row.source,
            "source_ref": row.source_ref,
            "category": row.category,
            "priority": Priority(row.priority).name,
        },
        at=row.created_at,
    )
    return incident_from_row(row)


def get(session: Session, incident_id: int) -> Incident:
    row = session.get(IncidentRow, incident_id, populate_existing=True)
    if row is None:
        raise NotFound("incident.unknown", id=incident_id)
    return incident_from_row(row)


def get_many(session: Session, incident_ids: Iterable[int], *, chunk: int = 500) -> list[Incident]:
    """The incidents of these ids that exist, in id order, read ``chunk`` ids at a time.

    A bar of the Statistics panel lists thousands; SQLite binds at most 32,766 parameters.
    """
    wanted = sorted(set(incident_ids))
    found: list[Incident] = []
    for start in range(0, len(wanted), chunk):
        rows = session.execute(
            select(IncidentRow)
            .where(IncidentRow.id.in_(wanted[start : start + chunk]))
            .order_by(IncidentRow.id)
        ).scalars()
        found.extend(incident_from_row(row) for row in rows)
    return found


def list_incidents(
    session: Session,
    *,
    statuses: Iterable[IncidentStatus] | None = None,
    limit: int | None = None,
    category: str | None = None,
    created_between: tuple[datetime, datetime] | None = None,
) -> list[Incident]:
    query = select(IncidentRow).order_by(IncidentRow.id)
    if category is not None:
        query = query.where(IncidentRow.category == category)
    if created_between is not None:
        query = query.where(IncidentRow.created_at.between(*created_between))
    if statuses is not None:
        query = query.where(IncidentRow.status.in_([s.value for s in statuses]))
    if limit is not None:
        query = query.limit(limit)
    return [incident_from_row(r) for r in session.execute(query).scalars()]


def save(
    session: Session, before: Incident, after: Incident, *, by: str, reason: str | None = None
) -> Incident:
    """Write ``after`` if the stored incident is still at ``before.version``.

    Raises ``StaleVersion`` (with ``changed_by`` and ``current``) when it is not.
    """
    if before.id is None or before.id != after.id:
        raise ValueError("save() compares two states of one stored incident")
    changes = changed_fields(before, after)
    if not changes:
        return before
    at = after.updated_at if after.updated_at > before.updated_at else utcnow()
    values = _columns(dataclasses.replace(after, updated_at=at))
    del values["created_at"]
    result = session.execute(
        update(IncidentRow)
        .where(IncidentRow.id == before.id, IncidentRow.version == before.version)
        .values(**values, updated_by=by, version=IncidentRow.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        current = get(session, before.id)  # raises NotFound if it was deleted
        raise StaleVersion(
            incident_id=before.id,
            seen_version=before.version,
            current_version=current.version,
            changed_by=_last_updated_by(session, before.id),
            current=current,
        )
    for field, old, new in changes:
        session.add(
            IncidentChangeRow(
                incident_id=before.id, at=at, by=by, field=field, old=old, new=new, reason=reason
            )
        )
    audit.append(
        session,
        by,
        "incident.update",
        f"incident:{before.id}",
        {
            "version": before.version + 1,
            "changes": {f: [o, n] for f, o, n in changes},
            "reason": reason,
        },
        at=at,
    )
    return get(session, before.id)


def _last_updated_by(session: Session, incident_id: int) -> str:
    return session.execute(
        select(IncidentRow.updated_by).where(IncidentRow.id == incident_id)
    ).scalar_one()


def history(session: Session, incident_id: int) -> list[IncidentChange]:
    rows = session.execute(
        select(IncidentChangeRow)
        .where(IncidentChangeRow.incident_id == incident_id)
        .order_by(IncidentChangeRow.id)
    ).scalars()
    return [IncidentChange(r.at, r.by, r.field, r.old, r.new, r.reason) for r in rows]


def add_note(
    session: Session, incident_id: int, text: str, *, by: str, public: bool = False
) -> IncidentNote:
    """A note on the incident; a ``public`` one is what the citizen who reported it reads."""
    if not text.strip():
        raise InvalidInput("incident.note_empty")
    get(session, incident_id)
    if public:
        _citizen_request(session, incident_id)
    row = IncidentNoteRow(
        incident_id=incident_id, at=utcnow(), by=by, text=text.strip(), public=public
    )
    session.add(row)
    session.flush()
    details: dict[str, object] = {"text": row.text}
    if public:
        details["public"] = True
        _public_changed(session, incident_id, row.at)
    audit.append(session, by, "incident.note", f"incident:{incident_id}", details, at=row.at)
    return _note(row)


def set_note_public(session: Session, note_id: int, public: bool, *, by: str) -> IncidentNote:
    """Make a note the citizen's to read, or internal again; audited, the request's time moves."""
    row = session.get(IncidentNoteRow, note_id, populate_existing=True)
    if row is None:
        raise NotFound("incident.note_unknown", id=note_id)
    if row.public == public:
        return _note(row)
    _citizen_request(session, row.incident_id)
    now = utcnow()
    row.public = public
    _public_changed(session, row.incident_id, now)
    session.flush()
    audit.append(
        session,
        by,
        "incident.note_public" if public else "incident.note_internal",
        f"incident:{row.incident_id}",
        {"note": row.id},
        at=now,
    )
    return _note(row)


def _citizen_request(session: Session, incident_id: int) -> None:
    """Only an Open311 request has a citizen to read a note: elsewhere a note stays internal."""
    if session.get(Open311RequestRow, incident_id) is None:
        raise InvalidInput("incident.note_not_a_request", id=incident_id)


def _public_changed(session: Session, incident_id: int, at: datetime) -> None:
    session.execute(
        update(Open311RequestRow)
        .where(Open311RequestRow.incident_id == incident_id)
        .values(public_updated_at=at)
    )


def _note(row: IncidentNoteRow) -> IncidentNote:
    return IncidentNote(row.id, row.at, row.by, row.text, bool(row.public))


def notes(session: Session, incident_id: int) -> list[IncidentNote]:
    rows = session.execute(
        select(IncidentNoteRow)
        .where(IncidentNoteRow.incident_id == incident_id)
        .order_by(IncidentNoteRow.id)
    ).scalars()
    return [_note(r) for r in rows]


# --- the field alerts an incident stands for (one cause, one incident) -----------------------
def incident_of_alert(session: Session, alert_id: str) -> int | None:
    """The incident an alert already recorded opened or joined."""
    return session.execute(
        select(AlertRow.incident_id).where(AlertRow.id == alert_id)
    ).scalar_one_or_none()


def link_alert(
    session: Session, alert_id: str, incident_id: int, cause: str | None, **record: Any
) -> bool:
    """Record a new alert, linked to its incident; False when it already was recorded.

    A redelivery, or another recorder's writing of it. ``record``: severity, priority,
    issued_at, received_at, payload.
    """
    row = AlertRow(
        id=alert_id,
        incident_id=incident_id,
        cause=cause,
        updated_at=record["received_at"],
        **record,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def update_alert(session: Session, alert_id: str, **record: Any) -> None:
    """A repeated alert (same id): its record takes what it says now.

    ``record``: severity, priority, payload, updated_at.
    """
    session.execute(
        update(AlertRow)
        .where(AlertRow.id == alert_id)
        .values(**record)
        .execution_options(synchronize_session=False)
    )


def alert_priorities(session: Session, incident_id: int) -> list[Priority]:
    rows = session.execute(select(AlertRow.priority).where(AlertRow.incident_id == incident_id))
    return [Priority(p) for p in rows.scalars()]


def open_incidents_of_cause(session: Session, cause: str, since: datetime) -> list[Incident]:
    """Open incidents of alerts of ``cause`` whose newest alert came ``since``, newest first."""
    found = session.execute(
        select(IncidentRow.id)
        .join(AlertRow, AlertRow.incident_id == IncidentRow.id)
        .where(
            AlertRow.cause == cause,
            IncidentRow.status.in_([s.value for s in OPEN_STATUSES]),
            IncidentRow.last_alert_at >= since,
        )
        .group_by(IncidentRow.id, IncidentRow.last_alert_at)
        .order_by(IncidentRow.last_alert_at.desc(), IncidentRow.id.desc())
    ).scalars()
    return [get(session, ident) for ident in found]
