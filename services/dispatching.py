"""Sending a unit to an incident: who is nearest, and the dispatch itself.

The assignment and the dispatch command are written in one transaction (the incident's version
guards against a second console dispatching it meanwhile); the caller then publishes the command.
The unit's answer comes back through the recorder, which frees the incident if the unit refuses
or never answers (``incident_rules.follow_dispatch``): a dispatch is never assumed accepted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from services.commands import outbox
from services.domain.errors import InvalidInput
from services.domain.geography import distance_m
from services.domain.incidents import Incident, IncidentStatus, Location, transition
from services.domain.units import UnitKind, suited_kinds
from services.store import incidents
from services.store.database import Database
from services.store.models import UnitRow
from services.store.types import utcnow

#: A typical speed through town, lights and all, for an ETA that is honest about being rough.
URBAN_SPEED_KMH = 25.0
#: A unit whose last position is older than this is not ranked: where it is, nobody knows.
POSITION_FRESH = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Candidate:
    unit_id: str
    name: str
    kind: str
    distance_m: float
    suited: bool = True  # its kind usually answers this category

    @property
    def eta_minutes(self) -> float:
        return self.distance_m / 1000 / URBAN_SPEED_KMH * 60


def candidates(
    db: Database,
    incident: Incident,
    *,
    kinds: Collection[UnitKind] = frozenset(UnitKind),
    now: datetime | None = None,
    limit: int = 15,
) -> list[Candidate]:
    """Available units of ``kinds`` with a fresh position: suited ones first, nearest first.

    ``kinds`` is what the operator may see (patrols' positions are not for every role).
    """
    where = _location_of(incident)
    since = (now or utcnow()) - POSITION_FRESH
    suited = suited_kinds(incident.category)
    with db.read() as session:
        rows = session.execute(
            select(UnitRow).where(
                UnitRow.status == "available",
                UnitRow.kind.in_([k.value for k in kinds]),
                UnitRow.lat.is_not(None),
                UnitRow.observed_at >= since,
            )
        ).scalars()
        found = [
            Candidate(
                r.id,
                r.name or r.id,
                r.kind,
                distance_m(where.lat, where.lon, r.lat, r.lon),
                r.kind in suited,
            )
            for r in rows
        ]
    return sorted(found, key=lambda c: (not c.suited, c.distance_m))[:limit]


def dispatch(
    db: Database,
    seen: Incident,
    unit_id: str,
    *,
    by: str,
    reply_to: str,
    expires_in: timedelta = outbox.DEFAULT_EXPIRY,
) -> tuple[Incident, outbox.CommandRequest]:
    """Assign ``unit_id`` and record its dispatch (publish the request afterwards)."""
    where = _location_of(seen)
    now = utcnow()
    request = outbox.prepare_dispatch(
        unit_id,
        seen.id,  # type: ignore[arg-type]
        where.lat,
        where.lon,
        seen.place or seen.category,
        issued_by=by,
        reply_to=reply_to,
        now=now,
        expires_in=expires_in,
    )
    with db.write() as session:
        moved = dataclasses.replace(
            transition(seen, IncidentStatus.DISPATCHED, at=now), assigned_unit=unit_id
        )
        saved = incidents.save(session, seen, moved, by=by)
        outbox.record(session, request)
    return saved, request


def _location_of(incident: Incident) -> Location:
    if incident.location is None:
        raise InvalidInput("dispatch.no_location", id=incident.id)
    return incident.location
