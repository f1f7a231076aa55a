"""What an operator does to an incident: move it along, override its priority, add a note.

A note stays internal unless the operator makes it public: then the citizen who reported the
incident (an Open311 request) reads it, the latest public one as the request's ``status_notes``.

Each act is one transaction, checked against the version the operator saw (the store refuses a
stale one, naming who changed it), audited, and announced on ``events/incidents`` after the
commit by the caller, so that every console re-reads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from services.domain.calls import CallDraft, check_call
from services.domain.geography import Commune, locate
from services.domain.incidents import (
    DUPLICATE_WINDOW,
    OPEN_STATUSES,
    Incident,
    IncidentChange,
    IncidentNote,
    IncidentSource,
    IncidentStatus,
    Location,
    Priority,
    may_duplicate,
    new_incident,
    override_priority,
    transition,
)
from services.store import incidents
from services.store.database import Database
from services.store.models import IncidentMediaRow, PersonalDataRow
from services.store.types import utcnow


@dataclass(frozen=True)
class IncidentFile:
    """An incident with its history and notes, as the detail panel shows it."""

    incident: Incident
    history: list[IncidentChange]
    notes: list[IncidentNote]
    duplicates: list[Incident] = field(default_factory=list)  # possible ones, to merge
    photo: bytes | None = None  # the citizen's photo, stored with the report
    photo_url: str | None = None  # or where it can be fetched (allowed hosts only)


def read(db: Database, incident_id: int) -> IncidentFile:
    with db.read() as session:
        incident = incidents.get(session, incident_id)
        candidates = incidents.list_incidents(
            session,
            statuses=OPEN_STATUSES,
            category=incident.category,
            created_between=(
                incident.created_at - DUPLICATE_WINDOW,
                incident.created_at + DUPLICATE_WINDOW,
            ),
        )
        media = session.execute(
            select(IncidentMediaRow).where(IncidentMediaRow.incident_id == incident_id).limit(1)
        ).scalar_one_or_none()
        return IncidentFile(
            incident,
            incidents.history(session, incident_id),
            incidents.notes(session, incident_id),
            [c for c in candidates if may_duplicate(incident, c)],
            photo=media.data if media else None,
            photo_url=media.url if media else None,
        )


def merge(db: Database, seen: Incident, into: int, *, by: str) -> Incident:
    """Mark the incident as a duplicate of another (which stays the one to work on)."""
    with db.write() as session:
        incidents.get(session, into)  # it must exist
        after = transition(seen, IncidentStatus.DUPLICATE, at=utcnow(), duplicate_of=into)
        return incidents.save(session, seen, after, by=by)


def move(db: Database, seen: Incident, to: IncidentStatus, *, by: str) -> Incident:
    """Change the status of the incident as the operator saw it (StaleVersion if it moved)."""
    with db.write() as session:
        return incidents.save(session, seen, transition(seen, to, at=utcnow()), by=by)


def reprioritise(
    db: Database, seen: Incident, priority: Priority, reason: str, *, by: str
) -> Incident:
    with db.write() as session:
        after = override_priority(seen, priority, reason, at=utcnow())
        return incidents.save(session, seen, after, by=by, reason=reason)


def record_call(
    db: Database, draft: CallDraft, *, by: str, communes: Sequence[Commune]
) -> Incident:
    """A phone call becomes a ``call`` incident; the caller's contact goes apart."""
    draft = check_call(draft, {c.insee for c in communes})
    location = Location(draft.lat, draft.lon) if draft.lat is not None else None  # type: ignore[arg-type]
    commune = draft.commune
    if commune is None and location is not None:
        commune = locate(location.lat, location.lon, communes).commune.insee
    if location is None and commune is not None:  # placed at the commune until dispatched
        centre = next(c for c in communes if c.insee == commune)
        location = Location(centre.lat, centre.lon)
    now = utcnow()
    with db.write() as session:
        made = incidents.create(
            session,
            new_incident(
                source=IncidentSource.CALL,
                category=draft.category,
                at=now,
                commune=commune,
                location=location,
                place=draft.place or None,
                description=draft.description,
            ),
            by=by,
        )
        personal = {
            "first_name": None,
            "last_name": draft.caller_name or None,
            "phone": draft.caller_phone or None,
            "email": draft.caller_email or None,
        }
        if any(personal.values()):
            session.add(PersonalDataRow(incident_id=made.id, received_at=now, **personal))
    return made


def add_note(
    db: Database, incident_id: int, text: str, *, by: str, public: bool = False
) -> IncidentNote:
    """A note on the incident; ``public`` only on a citizen's request (InvalidInput elsewhere)."""
    with db.write() as session:
        return incidents.add_note(session, incident_id, text, by=by, public=public)


def set_note_public(db: Database, note_id: int, public: bool, *, by: str) -> IncidentNote:
    """Make a note the citizen's to read, or internal again (audited; a request's notes only)."""
    with db.write() as session:
        return incidents.set_note_public(session, note_id, public, by=by)
