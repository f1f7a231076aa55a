"""What an operator does to an incident: move it along, override its priority, add a note.

Each act is one transaction, checked against the version the operator saw (the store refuses a
stale one, naming who changed it), audited, and announced on ``events/incidents`` after the
commit by the caller, so that every console re-reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.domain.incidents import (
    Incident,
    IncidentChange,
    IncidentNote,
    IncidentStatus,
    Priority,
    override_priority,
    transition,
)
from services.store import incidents
from services.store.database import Database
from services.store.types import utcnow


@dataclass(frozen=True)
class IncidentFile:
    """An incident with its history and notes, as the detail panel shows it."""

    incident: Incident
    history: list[IncidentChange]
    notes: list[IncidentNote]


def read(db: Database, incident_id: int) -> IncidentFile:
    with db.read() as session:
        return IncidentFile(
            incidents.get(session, incident_id),
            incidents.history(session, incident_id),
            incidents.notes(session, incident_id),
        )


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


def add_note(db: Database, incident_id: int, text: str, *, by: str) -> IncidentNote:
    with db.write() as session:
        return incidents.add_note(session, incident_id, text, by=by)
