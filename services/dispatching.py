"""Sending a unit to an incident: who is nearest, the dispatch itself, and a re-tasking.

The assignment and the dispatch command are written in one transaction (the incident's version
guards against a second console dispatching it meanwhile); the caller then publishes the command.
A unit holds at most one active assignment (an incident dispatched or on scene): the dispatch
checks it in its transaction, and the database's partial unique index refuses the second of two
consoles that checked at the same moment. Taking a busy unit off its incident for a P1 is an act
of its own (``retask``). The unit's answer comes back through the recorder, which frees the
incident if the unit refuses or never answers (``incident_rules.follow_dispatch``): a dispatch is
never assumed accepted.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.commands import outbox
from services.domain.errors import Conflict, InvalidInput, NotFound
from services.domain.geography import distance_m
from services.domain.incidents import (
    ACTIVE_ASSIGNMENT,
    Incident,
    IncidentStatus,
    Location,
    Priority,
    transition,
)
from services.domain.units import (
    URBAN_SPEED_KMH,
    Eta,
    UnitKind,
    UnitStatus,
    offer_order,
    suited_kinds,
    travel_eta,
)
from services.store import audit, incidents
from services.store.database import Database
from services.store.models import IncidentRow, UnitRow
from services.store.types import utcnow

#: A unit whose last position is older than this is not ranked: where it is, nobody knows.
POSITION_FRESH = timedelta(minutes=10)
_ACTIVE = [s.value for s in ACTIVE_ASSIGNMENT]
#: The partial unique index that keeps one active assignment per unit (PostgreSQL names it;
#: SQLite names its column, ``incidents.assigned_unit``).
ONE_ACTIVE_INDEX = "uq_incidents_one_active_per_unit"


class UnitUnknown(NotFound):
    """No unit of that id has ever been heard of: there is nobody to send."""

    key = "dispatch.unit_unknown"


class UnitBusy(Conflict):
    """The unit holds another incident (``incident``)."""

    key = "dispatch.unit_busy"


class UnitNotAvailable(Conflict):
    """The unit's crew says it is not available (``status``): on a break, or on a mission."""

    key = "dispatch.unit_not_available"


class RetaskNotAllowed(InvalidInput):
    """Only a P1 incident may take a busy unit off another incident."""

    key = "dispatch.retask_not_p1"


@dataclass(frozen=True, slots=True)
class Candidate:
    unit_id: str
    name: str
    kind: str
    distance_m: float
    suited: bool = True  # its kind usually answers this category
    busy_with: int | None = None  # the incident it holds: offered for a re-tasking only

    @property
    def eta_minutes(self) -> float:
        return self.distance_m / 1000 / URBAN_SPEED_KMH * 60

    @property
    def eta(self) -> Eta:
        """The travel time as the operator reads it: on site, under a minute, about N min."""
        return travel_eta(self.distance_m)


def candidates(
    db: Database,
    incident: Incident,
    *,
    kinds: Collection[UnitKind] = frozenset(UnitKind),
    now: datetime | None = None,
    limit: int = 15,
) -> list[Candidate]:
    """Available units of ``kinds`` with a fresh position: the usual kinds first, nearest first.

    For ice, snow vehicles come before road crews (``units.usual_kinds``). ``kinds`` is what
    the operator may see (patrols' positions are not for every role).
    """
    # A unit just dispatched still says "available" until its crew answers: not offered.
    return _ranked(db, incident, kinds, now, limit, busy=False)


def busy_candidates(
    db: Database,
    incident: Incident,
    *,
    kinds: Collection[UnitKind] = frozenset(UnitKind),
    now: datetime | None = None,
    limit: int = 15,
) -> list[Candidate]:
    """Units holding another incident, nearest first: what a P1 may take (``retask``)."""
    return _ranked(db, incident, kinds, now, limit, busy=True)


def _ranked(
    db: Database,
    incident: Incident,
    kinds: Collection[UnitKind],
    now: datetime | None,
    limit: int,
    *,
    busy: bool,
) -> list[Candidate]:
    """Units of ``kinds`` with a fresh position, free or (``busy``) holding another incident."""
    where = _location_of(incident)
    since = (now or utcnow()) - POSITION_FRESH
    suited = suited_kinds(incident.category)
    with db.read() as session:
        held = _assignments(session)
        if busy:
            which = [UnitRow.id.in_(sorted(held)), UnitRow.status != UnitStatus.UNAVAILABLE.value]
        else:
            which = [UnitRow.status == UnitStatus.AVAILABLE.value]
        rows = session.execute(
            select(UnitRow).where(
                *which,
                UnitRow.kind.in_([k.value for k in kinds]),
                UnitRow.lat.is_not(None),
                UnitRow.observed_at >= since,
            )
        ).scalars()
        found = [
            dataclasses.replace(_candidate(r, where, suited), busy_with=held.get(r.id))
            for r in rows
            if _offered(held.get(r.id), incident.id, busy=busy)
        ]
    found.sort(key=lambda c: offer_order(incident.category, c.kind, c.distance_m))
    return found[:limit]


def _offered(holding: int | None, incident_id: int | None, *, busy: bool) -> bool:
    """A free unit, or (``busy``) one holding another incident than this one."""
    return holding not in (None, incident_id) if busy else holding is None


def _candidate(row: UnitRow, where: Location, suited: Collection[str]) -> Candidate:
    return Candidate(
        row.id,
        row.name or row.id,
        row.kind,
        distance_m(where.lat, where.lon, row.lat, row.lon),
        row.kind in suited,
    )


def _assignments(session: Session) -> dict[str, int]:
    """Every unit holding an incident, and which."""
    rows = session.execute(
        select(IncidentRow.assigned_unit, IncidentRow.id).where(
            IncidentRow.assigned_unit.is_not(None), IncidentRow.status.in_(_ACTIVE)
        )
    ).all()
    return {unit: incident_id for unit, incident_id in rows}


def _held_by(session: Session, unit_id: str) -> int | None:
    """The incident ``unit_id`` holds (dispatched or on scene), if any."""
    return session.execute(
        select(IncidentRow.id).where(
            IncidentRow.assigned_unit == unit_id, IncidentRow.status.in_(_ACTIVE)
        )
    ).scalar_one_or_none()


def _unit(session: Session, unit_id: str) -> UnitRow:
    row = session.get(UnitRow, unit_id)
    if row is None:
        raise UnitUnknown(unit=unit_id)
    return row


def _check_free(session: Session, unit_id: str) -> None:
    """Refuse a unit that holds an incident, or whose crew says it is not available."""
    unit = _unit(session, unit_id)
    held = _held_by(session, unit_id)
    if held is not None:
        raise UnitBusy(unit=unit_id, incident=held)
    if unit.status != UnitStatus.AVAILABLE.value:  # en route or on scene by its crew's word too
        raise UnitNotAvailable(unit=unit_id, status=unit.status)


def dispatch(
    db: Database,
    seen: Incident,
    unit_id: str,
    *,
    by: str,
    reply_to: str,
    expires_in: timedelta = outbox.DEFAULT_EXPIRY,
) -> tuple[Incident, outbox.CommandRequest]:
    """Assign ``unit_id`` and record its dispatch (publish the request afterwards).

    Raises ``UnitUnknown``, ``UnitNotAvailable`` or ``UnitBusy`` (naming the incident the unit
    holds), checked in the transaction that assigns it.
    """
    now = utcnow()
    request = _request(seen, unit_id, by, reply_to, now, expires_in)
    with _one_assignment(db, unit_id), db.write() as session:
        _check_free(session, unit_id)
        saved = _assign(session, seen, unit_id, now, by)
        outbox.record(session, request)
    return saved, request


@dataclass(frozen=True, slots=True)
class Retasking:
    """What a re-tasking did: the incident the unit now holds, the one it left, the command."""

    incident: Incident
    left: Incident | None  # None when the unit had meanwhile become free: a plain dispatch
    request: outbox.CommandRequest


def retask(
    db: Database,
    seen: Incident,
    unit_id: str,
    *,
    by: str,
    reply_to: str,
    expires_in: timedelta = outbox.DEFAULT_EXPIRY,
) -> Retasking:
    """Take ``unit_id`` off the incident it holds and send it to ``seen``, a P1, in one act.

    In one transaction: the incident it leaves goes back to ``acknowledged`` with a note naming
    the unit, the P1 and who re-tasked it; the unit is assigned to ``seen``; the dispatch is
    recorded in the outbox (publish it afterwards). Both incidents' changes are audited.
    """
    if seen.priority is not Priority.P1:
        raise RetaskNotAllowed(id=seen.id, priority=seen.priority.label)
    _location_of(seen)  # refused before anything is written
    now = utcnow()
    with _one_assignment(db, unit_id), db.write() as session:
        unit = _unit(session, unit_id)
        if unit.status == UnitStatus.UNAVAILABLE.value:
            raise UnitNotAvailable(unit=unit_id, status=unit.status)
        held = _held_by(session, unit_id)
        if held == seen.id:
            raise UnitBusy(unit=unit_id, incident=held)
        left = None
        if held is not None:
            left = _release(session, incidents.get(session, held), unit_id, seen, now, by)
        request = _request(seen, unit_id, by, reply_to, now, expires_in, retask_from=held)
        saved = _assign(session, seen, unit_id, now, by)
        outbox.record(session, request)
    return Retasking(saved, left, request)


def _request(
    seen: Incident,
    unit_id: str,
    by: str,
    reply_to: str,
    now: datetime,
    expires_in: timedelta,
    retask_from: int | None = None,
) -> outbox.CommandRequest:
    """The dispatch command: where the incident is, what it is, and who sends the unit."""
    where = _location_of(seen)
    return outbox.prepare_dispatch(
        unit_id,
        seen.id,  # type: ignore[arg-type]
        where.lat,
        where.lon,
        seen.place or seen.category,
        issued_by=by,
        reply_to=reply_to,
        now=now,
        expires_in=expires_in,
        retask_from=retask_from,
    )


def _assign(session: Session, seen: Incident, unit_id: str, now: datetime, by: str) -> Incident:
    moved = dataclasses.replace(
        transition(seen, IncidentStatus.DISPATCHED, at=now), assigned_unit=unit_id
    )
    return incidents.save(session, seen, moved, by=by)


def _release(
    session: Session, held: Incident, unit_id: str, to: Incident, now: datetime, by: str
) -> Incident:
    """Put the incident a re-tasked unit leaves back to be dispatched, saying why."""
    note = f"{unit_id} re-tasked to P1 incident #{to.id} by {by}: this incident needs a unit"
    incidents.add_note(session, held.id, note, by=by)  # type: ignore[arg-type]
    back = transition(held, IncidentStatus.ACKNOWLEDGED, at=now)
    # Saved (one UPDATE, executed now) before the unit is assigned again: the unique index
    # checks each statement, so the order is what lets one transaction move the unit.
    return incidents.save(session, held, back, by=by)


@contextlib.contextmanager
def _one_assignment(db: Database, unit_id: str) -> Iterator[None]:
    """Two consoles that both found the unit free: the index refuses the second, said as busy."""
    try:
        yield
    except IntegrityError as exc:
        if ONE_ACTIVE_INDEX not in str(exc.orig) and "incidents.assigned_unit" not in str(exc.orig):
            raise
        with db.read() as session:  # the other one committed: it is what the unit holds now
            held = _held_by(session, unit_id)
        raise UnitBusy(unit=unit_id, incident=held if held is not None else "?") from exc


def _location_of(incident: Incident) -> Location:
    if incident.location is None:
        raise InvalidInput("dispatch.no_location", id=incident.id)
    return incident.location


#: The audited action of a console session that shows police patrols' positions.
PATROLS_OPENED = "positions.open_patrols"


def journal_patrols_opened(db: Database, operator: str, workstation: str) -> None:
    """Record that ``operator`` opened patrols' positions at ``workstation`` (security.md).

    Refused, like any act, to a role that may not see patrols: a console only calls it for
    those that may.
    """
    with db.write() as session:
        audit.append(session, operator, PATROLS_OPENED, "patrols", {"workstation": workstation})
