"""Turning the field into incidents: alerts, citizen reports and equipment faults.

Every rule is idempotent: a redelivered alert or report updates the incident it already made, and
the database's keys keep one record per alert id, one incident per report, and one open incident
per faulty device, even with several recorders on one database.

One cause, one incident. Alerts of one source, category and sub-category within half an hour of
each other share one open incident, each alert keeping its own record (ISA-18.2's grouping;
citizen reports are never grouped so: their duplicates are merged by an operator). When most
devices behind one gateway fault within a minute, the gateway gets one incident and its devices
none. A device behind a gateway that serves several devices
therefore waits ``hold`` before it gets an incident of its own, long enough to see whether its
neighbours follow it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.bus.messages import AlertMessage, ReportMessage, UnitStatusMessage
from services.commands import outbox
from services.domain.equipment import GATEWAY_PREFIX, EquipmentType
from services.domain.errors import NotFound
from services.domain.incidents import (
    ALERT_GROUP_WINDOW,
    OPEN_STATUSES,
    TRANSITIONS,
    AlertCause,
    Incident,
    IncidentSource,
    IncidentStatus,
    Location,
    alert_category,
    alert_cause,
    alert_priority,
    joins_alert_group,
    new_incident,
    transition,
    with_alerts,
)
from services.domain.operators import RECORDER
from services.domain.snow import freeze_risk
from services.recorder.equipment import among
from services.reference import report_category
from services.store import incidents, open311
from services.store.models import (
    CommandAckRow,
    EquipmentRow,
    IncidentMediaRow,
    IncidentRow,
    PersonalDataRow,
)

OPEN = [s.value for s in OPEN_STATUSES]
FAULT_CATEGORY = {
    EquipmentType.STREETLIGHT.value: "lighting_fault",
    EquipmentType.TRAFFIC_SIGNAL.value: "signal_fault",
    EquipmentType.CAMERA.value: "camera_fault",
    EquipmentType.BOLLARD.value: "bollard_fault",
    EquipmentType.STREETLIGHT_CONTROL_CABINET.value: "cabinet_fault",
}


@dataclass(frozen=True)
class FaultRules:
    hold: timedelta = timedelta(seconds=60)  # "most of its devices fault within a minute"
    min_group: int = 5  # a gateway serving fewer devices has no cabinet rule


Event = tuple[int, int, str]  # (incident_id, version, "created" | "updated")


def _find(session: Session, source: IncidentSource, ref: str, open_only: bool) -> Incident | None:
    query = select(IncidentRow.id).where(
        IncidentRow.source == source.value, IncidentRow.source_ref == ref
    )
    if open_only:
        query = query.where(IncidentRow.status.in_(OPEN))
    found = session.execute(query.order_by(IncidentRow.id.desc()).limit(1)).scalar_one_or_none()
    return incidents.get(session, found) if found is not None else None


def _create_once(session: Session, incident: Incident) -> Incident | None:
    """Create, or None when another writer (or a redelivery) already made it."""
    try:
        with session.begin_nested():
            return incidents.create(session, incident, by=RECORDER)
    except IntegrityError:
        return None


def _save(session: Session, before: Incident, after: Incident, events: list[Event]) -> Incident:
    saved = incidents.save(session, before, after, by=RECORDER)
    if saved.version != before.version:
        events.append((saved.id, saved.version, "updated"))
    return saved


def _location(place) -> Location | None:  # noqa: ANN001
    return Location(place.lat, place.lon) if place else None


def record_alert(session: Session, m: AlertMessage, now: datetime) -> list[Event]:
    """Record an alert by its id, in the incident it opens or the open one of its cause it joins.

    A repeated id updates the same alert. A new alert whose cause (source, category and
    sub-category) is an open incident's, within ``ALERT_GROUP_WINDOW`` of that incident's last
    alert and at the same place, joins it (ISA-18.2); otherwise it opens an incident of its own.
    """
    known = incidents.incident_of_alert(session, m.alert_id)
    if known is not None:
        return _repeat_alert(session, m, known, now)
    cause = alert_cause(m.attributes.get("alertSource"), m.category, m.sub_category)
    if cause is not None:
        since = now - ALERT_GROUP_WINDOW
        for group in incidents.open_incidents_of_cause(session, cause.key, since):
            if joins_alert_group(group, _location(m.place), now):
                return _join_alert(session, m, group, cause, now)
    return _open_alert(session, m, cause, now)


def _alert_fields(m: AlertMessage) -> dict[str, object]:
    """What the alert that opened an incident says of it."""
    return {
        "commune": m.place.commune if m.place else None,
        "location": _location(m.place),
        "place": m.address,
        "description": m.description or m.sub_category or "",
        "flags": m.flags,
    }


def _alert_record(m: AlertMessage, now: datetime) -> dict[str, object]:
    return {
        "severity": m.severity,
        "priority": int(alert_priority(m.category, m.sub_category, m.severity)),
        "issued_at": m.issued_at,
        "received_at": now,
        "payload": m.attributes,
    }


def _open_alert(
    session: Session, m: AlertMessage, cause: AlertCause | None, now: datetime
) -> list[Event]:
    made = _create_once(
        session,
        new_incident(
            source=IncidentSource.ALERT,
            category=alert_category(m.category, m.sub_category),
            at=now,
            severity=m.severity,
            source_ref=m.alert_id,
            alert_count=1,
            last_alert_at=now,
            **_alert_fields(m),
        ),
    )
    if made is None:
        return []  # another recorder made it, with its alert's record
    key = cause.key if cause else None
    incidents.link_alert(session, m.alert_id, made.id, key, **_alert_record(m, now))
    return [(made.id, made.version, "created")]


def _join_alert(
    session: Session, m: AlertMessage, group: Incident, cause: AlertCause, now: datetime
) -> list[Event]:
    events: list[Event] = []
    if not incidents.link_alert(session, m.alert_id, group.id, cause.key, **_alert_record(m, now)):
        return events  # another recorder linked it first
    priorities = incidents.alert_priorities(session, group.id)
    _save(session, group, with_alerts(group, priorities, now, new_alert=True), events)
    return events


def _repeat_alert(
    session: Session, m: AlertMessage, incident_id: int, now: datetime
) -> list[Event]:
    events: list[Event] = []
    existing = incidents.get(session, incident_id)
    if not existing.is_open:
        return events  # a late repeat of a closed alert changes nothing
    record = _alert_record(m, now)
    incidents.update_alert(
        session,
        m.alert_id,
        severity=record["severity"],
        priority=record["priority"],
        payload=record["payload"],
        updated_at=now,
    )
    after = existing
    if existing.source_ref == m.alert_id:  # the alert that opened it describes it
        after = dataclasses.replace(existing, **_alert_fields(m))
    priorities = incidents.alert_priorities(session, incident_id)
    _save(session, existing, with_alerts(after, priorities, now, new_alert=False), events)
    return events


def _close_report(
    session: Session, incident: Incident, notes: str | None, now: datetime, events: list[Event]
) -> None:
    current = incident
    if notes:
        incidents.add_note(session, current.id, notes, by=RECORDER)
    for step in (IncidentStatus.RESOLVED, IncidentStatus.CLOSED):
        if step in TRANSITIONS[current.status]:
            current = _save(session, current, transition(current, step, at=now), events)


def record_report(session: Session, m: ReportMessage, now: datetime) -> list[Event]:
    events: list[Event] = []
    existing = _find(session, IncidentSource.REPORT, m.service_request_id, open_only=False)
    closed = (m.status or "").lower() == "closed"
    if existing is None:
        made = _create_once(
            session,
            new_incident(
                source=IncidentSource.REPORT,
                category=report_category(m.service_code, m.service_name)[:64],
                at=now,
                source_ref=m.service_request_id,
                commune=m.place.commune,
                location=Location(m.place.lat, m.place.lon),
                place=m.address,
                description=m.description or m.service_name or "",
                flags=m.flags,
            ),
        )
        if made is None:
            return events
        events.append((made.id, made.version, "created"))
        # An Open311 request too: the GeoReport service lists it, the citizen app hears back.
        open311.record_bus_request(
            session,
            made.id,
            m.service_request_id,
            m.service_code,
            requested_at=m.requested_at or now,
        )
        if m.photo is not None or m.media_url:
            session.add(
                IncidentMediaRow(
                    incident_id=made.id,
                    content_type=m.photo.content_type if m.photo else None,
                    data=m.photo.data if m.photo else None,
                    url=m.media_url,
                    received_at=now,
                )
            )
        if m.personal:
            session.add(PersonalDataRow(incident_id=made.id, received_at=now, **m.personal))
        if closed:
            _close_report(session, made, m.status_notes, now, events)
        return events
    if closed and existing.is_open:
        _close_report(session, existing, m.status_notes, now, events)
    return events


def _open_fault_refs(session: Session) -> dict[str, Incident]:
    rows = session.execute(
        select(IncidentRow.source_ref, IncidentRow.id).where(
            IncidentRow.source == IncidentSource.FAULT.value, IncidentRow.status.in_(OPEN)
        )
    ).all()
    return {ref: incidents.get(session, ident) for ref, ident in rows if ref}


def sweep_faults(session: Session, now: datetime, rules: FaultRules = FaultRules()) -> list[Event]:
    """Open, absorb and resolve fault incidents from the equipment's current state."""
    events: list[Event] = []
    open_refs = _open_fault_refs(session)
    faulty = session.execute(
        select(
            EquipmentRow.id,
            EquipmentRow.type,
            EquipmentRow.status,
            EquipmentRow.gateway,
            EquipmentRow.fault_since,
            EquipmentRow.commune,
            EquipmentRow.lat,
            EquipmentRow.lon,
        ).where(EquipmentRow.fault_since.is_not(None))
    ).all()
    sizes = _gateway_sizes(session, sorted({row.gateway for row in faulty if row.gateway}))
    recent: dict[str, list] = {}
    for row in faulty:
        if row.gateway and row.fault_since >= now - rules.hold:
            recent.setdefault(row.gateway, []).append(row)
    # 1. A gateway most of whose devices faulted within the hold: one incident for it.
    failed_gateways = {
        g
        for g, rows in recent.items()
        if sizes.get(g, 0) >= rules.min_group and len(rows) * 2 > sizes[g]
    }
    for gateway in sorted(
        failed_gateways
        - {r[len(GATEWAY_PREFIX) :] for r in open_refs if r.startswith(GATEWAY_PREFIX)}
    ):
        first = min(recent[gateway], key=lambda r: r.fault_since)
        made = _create_once(
            session,
            new_incident(
                source=IncidentSource.FAULT,
                category="gateway_fault",
                at=now,
                source_ref=GATEWAY_PREFIX + gateway,
                commune=first.commune,
                location=Location(first.lat, first.lon) if first.lat is not None else None,
                description=f"{gateway}: {len(recent[gateway])}/{sizes[gateway]} devices in fault",
            ),
        )
        if made is not None:
            events.append((made.id, made.version, "created"))
            open_refs[GATEWAY_PREFIX + gateway] = made
    covered = {r[len(GATEWAY_PREFIX) :] for r in open_refs if r.startswith(GATEWAY_PREFIX)}
    # 2. Devices in fault long enough, not covered by their gateway's incident: one each.
    for row in faulty:
        if row.id in open_refs or (row.gateway and row.gateway in covered):
            continue
        grouped = row.gateway and sizes.get(row.gateway, 0) >= rules.min_group
        if grouped and row.fault_since > now - rules.hold:
            continue  # wait: its neighbours may follow
        made = _create_once(
            session,
            new_incident(
                source=IncidentSource.FAULT,
                category=FAULT_CATEGORY.get(row.type, "equipment_fault"),
                at=now,
                source_ref=row.id,
                commune=row.commune,
                location=Location(row.lat, row.lon) if row.lat is not None else None,
                description=f"{row.type} {row.id}: {row.status}",
            ),
        )
        if made is not None:
            events.append((made.id, made.version, "created"))
    # 3. Back to ok: a device no longer in fault, a gateway none of whose devices is.
    in_fault = {row.id for row in faulty}
    gateways_in_fault = {row.gateway for row in faulty if row.gateway}
    for ref, incident in open_refs.items():
        if ref.startswith(GATEWAY_PREFIX):
            if ref[len(GATEWAY_PREFIX) :] in gateways_in_fault:
                continue
            note = "all devices back to ok"
        elif ref in in_fault:
            continue
        else:
            status = session.execute(
                select(EquipmentRow.status).where(EquipmentRow.id == ref)
            ).scalar_one_or_none()
            note = f"status: {status or 'unknown'}"
        incidents.add_note(session, incident.id, note, by=RECORDER)
        _save(session, incident, transition(incident, IncidentStatus.RESOLVED, at=now), events)
    return events


def _gateway_sizes(session: Session, gateways: list[str]) -> dict[str, int]:
    """How many devices each of ``gateways`` serves.

    Only the gateways of devices in fault: counting every gateway's devices walked the whole
    field at every sweep (340,000 rows each second at ten times Dijon).
    """
    if not gateways:
        return {}
    dialect = session.get_bind().dialect.name
    return dict(
        session.execute(
            select(EquipmentRow.gateway, func.count())
            .where(among(dialect, EquipmentRow.gateway, gateways))
            .group_by(EquipmentRow.gateway)
        ).all()
    )


# --- dispatches: the unit's answer and its later statuses move the incident ------------------
#: A dispatch that ends in one of these did not happen: the incident goes back to be dispatched.
DISPATCH_NOT_DONE = {"rejected", "expired", "timed_out", "failed"}


def follow_dispatch(session: Session, request_id: str, status: str, now: datetime) -> list[Event]:
    """A dispatch refused or unanswered frees its incident, with a note that says so.

    A unit's answer that came after its dispatch timed out (``late``) never moves the incident:
    the incident was put back then, and may since have been given to another unit, or to this
    one by a newer dispatch. A late acceptance is noted on the incident, never an assignment.
    """
    events: list[Event] = []
    request = outbox.get(session, request_id)
    if request is None or not request.is_dispatch:
        return events
    late = outbox.is_late(session, request_id)
    if status not in DISPATCH_NOT_DONE and not (late and status == "done"):
        return events
    incident_id = int(request.params.get("incident_id", 0))
    try:
        incident = incidents.get(session, incident_id)
    except NotFound:
        return events
    if late:
        if status == "done":
            note = f"{request.target} accepted the dispatch after it timed out: late, not assigned"
            incidents.add_note(session, incident.id, note, by=RECORDER)
        return events
    if incident.status is not IncidentStatus.DISPATCHED or incident.assigned_unit != request.target:
        return events  # the room has moved on since
    reason = session.execute(
        select(CommandAckRow.reason)
        .where(CommandAckRow.request_id == request_id, CommandAckRow.reason.is_not(None))
        .order_by(CommandAckRow.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    note = f"dispatch of {request.target} {status}" + (f": {reason}" if reason else "")
    incidents.add_note(session, incident.id, note, by=RECORDER)
    _save(session, incident, transition(incident, IncidentStatus.ACKNOWLEDGED, at=now), events)
    return events


def follow_unit(session: Session, m: UnitStatusMessage, now: datetime) -> list[Event]:
    """``on_scene`` puts the incident on scene; ``available`` after it resolves it."""
    events: list[Event] = []
    incident_id = m.incident_id
    if incident_id is None and m.status == "available":  # back from a mission it may not name
        incident_id = session.execute(
            select(IncidentRow.id).where(
                IncidentRow.assigned_unit == m.unit_id,
                IncidentRow.status == IncidentStatus.ON_SCENE.value,
            )
        ).scalar()
    if incident_id is None:
        return events
    try:
        incident = incidents.get(session, int(incident_id))
    except (NotFound, ValueError):
        return events
    if incident.assigned_unit != m.unit_id:
        return events
    if m.status == "on_scene" and incident.status is IncidentStatus.DISPATCHED:
        _save(session, incident, transition(incident, IncidentStatus.ON_SCENE, at=now), events)
    elif m.status == "available" and incident.status is IncidentStatus.ON_SCENE:
        incidents.add_note(session, incident.id, f"{m.unit_id} available again", by=RECORDER)
        _save(session, incident, transition(incident, IncidentStatus.RESOLVED, at=now), events)
    return events


# --- road weather: a station's freeze risk is an incident until the road is safe again ---------
FREEZE_PREFIX = "freeze-risk:"


def sweep_freeze_risk(session: Session, now: datetime) -> list[Event]:
    """Open an incident per station at freeze risk; resolve it, with a note, once it passes.

    An episode's incident is an alert whose reference names the station and the reading that
    began it, so that several recorders sweeping the same reading make one incident (the
    database's unique index), and a station that freezes again tomorrow gets a new one.
    """
    events: list[Event] = []
    stations = session.execute(
        select(
            EquipmentRow.id,
            EquipmentRow.name,
            EquipmentRow.attributes,
            EquipmentRow.commune,
            EquipmentRow.lat,
            EquipmentRow.lon,
            EquipmentRow.observed_at,
        ).where(EquipmentRow.type == EquipmentType.WEATHER_OBSERVED.value)
    ).all()
    open_rows = session.execute(
        select(IncidentRow.source_ref, IncidentRow.id).where(
            IncidentRow.source == IncidentSource.ALERT.value,
            IncidentRow.source_ref.like(FREEZE_PREFIX + "%"),
            IncidentRow.status.in_(OPEN),
        )
    ).all()
    open_by_station = {ref.rsplit(":", 1)[0][len(FREEZE_PREFIX) :]: i for ref, i in open_rows}
    for station in stations:
        attributes = station.attributes or {}
        at_risk = freeze_risk(attributes)
        existing = open_by_station.get(station.id)
        if at_risk and existing is None:
            began = (station.observed_at or now).strftime("%Y%m%dT%H%M%S")
            made = _create_once(
                session,
                new_incident(
                    source=IncidentSource.ALERT,
                    category="freeze_risk",
                    at=now,
                    source_ref=f"{FREEZE_PREFIX}{station.id}:{began}",
                    commune=station.commune,
                    location=Location(station.lat, station.lon) if station.lat else None,
                    place=station.name,
                    description=_road_reading(attributes),
                ),
            )
            if made is not None:
                events.append((made.id, made.version, "created"))
        elif not at_risk and existing is not None:
            incident = incidents.get(session, existing)
            incidents.add_note(
                session,
                incident.id,
                "no more freeze risk: " + _road_reading(attributes),
                by=RECORDER,
            )
            _save(session, incident, transition(incident, IncidentStatus.RESOLVED, at=now), events)
    return events


def _road_reading(attributes: dict) -> str:
    return (
        f"road surface {attributes.get('roadSurfaceTemperature', '?')} °C, "
        f"{attributes.get('roadSurfaceState', '?')}"
    )
