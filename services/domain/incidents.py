"""Incidents: where they come from, how urgent they are, and the lifecycle they follow.

The rules here decide; they never persist. A change returns a new ``Incident`` (the dataclass is
frozen) and the store writes it with the version it was read at, so two consoles cannot overwrite
each other silently.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum

from services.domain.errors import InvalidInput, TransitionNotAllowed
from services.domain.geography import distance_m


class IncidentSource(StrEnum):
    REPORT = "report"  # a citizen's report (Open311ServiceRequest)
    ALERT = "alert"  # a field alert (Alert), building alarms included
    FAULT = "fault"  # equipment going into fault
    CALL = "call"  # a phone call to the hotline ("Allo mairie")
    MANUAL = "manual"  # entered by an operator


class IncidentStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    DISPATCHED = "dispatched"
    ON_SCENE = "on_scene"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    DUPLICATE = "duplicate"  # merged into another incident

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset(
    {
        IncidentStatus.NEW,
        IncidentStatus.ACKNOWLEDGED,
        IncidentStatus.DISPATCHED,
        IncidentStatus.ON_SCENE,
    }
)

#: A unit assigned to an incident in one of these is busy with it: it holds at most one.
ACTIVE_ASSIGNMENT = frozenset({IncidentStatus.DISPATCHED, IncidentStatus.ON_SCENE})

S = IncidentStatus
#: Allowed moves. Besides the main path, an operator may resolve without dispatching (handled by
#: phone), dispatch straight from ``new`` (dispatching acknowledges), send a withdrawn or refused
#: dispatch back to ``acknowledged``, and reopen a resolved incident. The recorder resolves a fault
#: incident "from whatever state it was in", which these moves allow from every open status.
TRANSITIONS: dict[IncidentStatus, frozenset[IncidentStatus]] = {
    S.NEW: frozenset({S.ACKNOWLEDGED, S.DISPATCHED, S.RESOLVED, S.CANCELLED, S.DUPLICATE}),
    S.ACKNOWLEDGED: frozenset({S.DISPATCHED, S.RESOLVED, S.CANCELLED, S.DUPLICATE}),
    S.DISPATCHED: frozenset({S.ON_SCENE, S.ACKNOWLEDGED, S.RESOLVED, S.CANCELLED, S.DUPLICATE}),
    S.ON_SCENE: frozenset({S.RESOLVED, S.ACKNOWLEDGED}),
    S.RESOLVED: frozenset({S.CLOSED, S.ACKNOWLEDGED}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
    S.DUPLICATE: frozenset(),
}


def allowed_transitions(status: IncidentStatus) -> frozenset[IncidentStatus]:
    return TRANSITIONS[status]


class Priority(IntEnum):
    """P1 is the most urgent. The integer order is the urgency order."""

    P1 = 1
    P2 = 2
    P3 = 3
    P4 = 4

    @property
    def label(self) -> str:
        return self.name


class Severity(StrEnum):
    """The Smart Data Models ``Alert.severity`` scale."""

    INFORMATIONAL = "informational"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


#: Priority of a category at medium severity. Categories are open (a city adds its own service
#: codes); an unknown one is P3 until an operator says otherwise.
CATEGORY_BASE_PRIORITY: dict[str, Priority] = {
    # Field alerts (Smart Data Models Alert categories)
    "security": Priority.P1,  # intrusion and fire alarms of monitored buildings
    "naturalDisaster": Priority.P1,
    "health": Priority.P2,
    "traffic": Priority.P3,
    "weather": Priority.P2,
    "water": Priority.P2,
    "environment": Priority.P3,
    "agriculture": Priority.P4,
    # Control-room categories
    "fire": Priority.P1,
    "public_order": Priority.P2,
    "road_accident": Priority.P2,
    "freeze_risk": Priority.P2,
    "signal_fault": Priority.P2,  # a dark or flashing crossroads is a road-safety matter
    "bollard_fault": Priority.P2,
    "camera_fault": Priority.P3,
    "cabinet_fault": Priority.P3,
    "gateway_fault": Priority.P3,
    "equipment_fault": Priority.P3,
    "road_damage": Priority.P3,
    "fallen_tree": Priority.P2,
    "noise": Priority.P3,
    "abandoned_vehicle": Priority.P4,
    "lighting_fault": Priority.P4,
    "cleanliness": Priority.P4,
    "graffiti": Priority.P4,
    "signage": Priority.P3,  # a missing stop sign is a hazard; most signage reports are not
    "parking": Priority.P4,
    "green_spaces": Priority.P4,
    "street_furniture": Priority.P4,
    "snow_ice": Priority.P2,  # a frozen pavement or a blocked bus is a matter of hours
    "other": Priority.P3,
}

DEFAULT_BASE_PRIORITY = Priority.P3

#: P1 is for a fire, an intrusion or a person at risk, and rare: only these categories may be P1,
#: at their base or raised by an alert's severity. Any other stops at P2 however severe its alert
#: says it is (ice on a road is urgent, not a life at stake), so that the banner's P1 keep meaning.
MAY_BE_P1 = frozenset({"security", "fire", "health", "naturalDisaster", "road_accident"})

#: Steps of urgency a severity adds to (negative) or takes from (positive) the base.
SEVERITY_SHIFT: dict[Severity, int] = {
    Severity.CRITICAL: -2,
    Severity.HIGH: -1,
    Severity.MEDIUM: 0,
    Severity.LOW: 1,
    Severity.INFORMATIONAL: 2,
}


def derive_priority(category: str, severity: Severity | str | None = None) -> Priority:
    """The priority a category gets at a given severity (``medium`` when absent)."""
    base = CATEGORY_BASE_PRIORITY.get(category, DEFAULT_BASE_PRIORITY)
    sev = Severity(severity) if severity is not None else Severity.MEDIUM
    most_urgent = Priority.P1 if category in MAY_BE_P1 else Priority.P2
    return Priority(min(Priority.P4, max(most_urgent, base + SEVERITY_SHIFT[sev])))


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """Targets from creation to resolution, per priority. Modes may swap the policy (snow plan)."""

    targets: dict[Priority, timedelta]

    def target(self, priority: Priority) -> timedelta:
        return self.targets[priority]


DEFAULT_SLA = SlaPolicy(
    targets={
        Priority.P1: timedelta(minutes=15),
        Priority.P2: timedelta(hours=1),
        Priority.P3: timedelta(hours=8),
        Priority.P4: timedelta(hours=72),
    }
)


@dataclass(frozen=True, slots=True)
class Location:
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Incident:
    id: int | None
    source: IncidentSource
    category: str
    priority: Priority
    status: IncidentStatus
    created_at: datetime
    updated_at: datetime
    source_ref: str | None = None
    severity: Severity | None = None
    priority_reason: str | None = None  # set when an operator overrode the derived priority
    commune: str | None = None  # INSEE code
    location: Location | None = None
    place: str | None = None  # address or landmark as given
    description: str = ""
    assigned_unit: str | None = None
    duplicate_of: int | None = None
    version: int = 1
    # What was accepted from the field but is worth knowing: "time_in_future", "time_in_past",
    # "time_without_offset", "outside_metropole"… (the detail says each in words).
    flags: tuple[str, ...] = ()
    # The field alerts it stands for (one cause, grouped) and when the newest came; 0 and None
    # for an incident no alert made.
    alert_count: int = 0
    last_alert_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    def sla_due(self, policy: SlaPolicy = DEFAULT_SLA) -> datetime:
        return self.created_at + policy.target(self.priority)

    def time_left(self, now: datetime, policy: SlaPolicy = DEFAULT_SLA) -> timedelta | None:
        """Time until the SLA target; negative when overdue; ``None`` once no longer open."""
        if not self.is_open:
            return None
        return self.sla_due(policy) - now


def new_incident(
    *,
    source: IncidentSource,
    category: str,
    at: datetime,
    severity: Severity | str | None = None,
    **fields: object,
) -> Incident:
    """An incident as it enters the queue: status ``new``, priority derived from its category."""
    if not category:
        raise InvalidInput("incident.category_required")
    sev = Severity(severity) if severity is not None else None
    return Incident(
        id=None,
        source=source,
        category=category,
        priority=derive_priority(category, sev),
        status=IncidentStatus.NEW,
        created_at=at,
        updated_at=at,
        severity=sev,
        **fields,  # type: ignore[arg-type]
    )


def transition(
    incident: Incident,
    to: IncidentStatus,
    *,
    at: datetime,
    duplicate_of: int | None = None,
) -> Incident:
    """Move an incident along its lifecycle, refusing moves the lifecycle does not allow."""
    if to not in TRANSITIONS[incident.status]:
        raise TransitionNotAllowed(from_status=incident.status.value, to_status=to.value)
    if to is IncidentStatus.DUPLICATE:
        if duplicate_of is None:
            raise InvalidInput("incident.duplicate_needs_target")
        if duplicate_of == incident.id:
            raise InvalidInput("incident.duplicate_of_itself")
    elif duplicate_of is not None:
        raise InvalidInput("incident.duplicate_target_without_merge")
    changes: dict[str, object] = {"status": to, "updated_at": at}
    if to is IncidentStatus.DUPLICATE:
        changes["duplicate_of"] = duplicate_of
    if to is IncidentStatus.ACKNOWLEDGED and incident.status is not IncidentStatus.NEW:
        changes["assigned_unit"] = None  # a dispatch withdrawn or refused frees the unit
    return dataclasses.replace(incident, **changes)


def override_priority(
    incident: Incident, priority: Priority, reason: str, *, at: datetime
) -> Incident:
    """Set the priority by hand; the reason is mandatory and kept."""
    if not reason or not reason.strip():
        raise InvalidInput("incident.priority_reason_required")
    if not incident.is_open:
        raise InvalidInput("incident.priority_of_closed", status=incident.status.value)
    return dataclasses.replace(
        incident, priority=Priority(priority), priority_reason=reason.strip(), updated_at=at
    )


@dataclass(frozen=True, slots=True)
class IncidentChange:
    """One entry of an incident's history: a field, from what, to what, by whom, and why."""

    at: datetime
    by: str
    field: str
    old: str | None
    new: str | None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class IncidentNote:
    id: int
    at: datetime
    by: str
    text: str
    public: bool = False  # the citizen who reported it reads it (Open311 status_notes)


#: Fields an operator or the recorder may change, and how they appear in the history.
TRACKED_FIELDS = (
    "status",
    "priority",
    "priority_reason",
    "category",
    "commune",
    "location",
    "place",
    "description",
    "assigned_unit",
    "duplicate_of",
    "alert_count",
)


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, Location):
        return f"{value.lat:.6f},{value.lon:.6f}"
    if isinstance(value, Priority):
        return value.name
    return str(value)


def changed_fields(before: Incident, after: Incident) -> list[tuple[str, str | None, str | None]]:
    """(field, old, new) for every tracked field that differs, as the history shows them."""
    out = []
    for name in TRACKED_FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            out.append((name, _as_text(old), _as_text(new)))
    return out


class SlaState(StrEnum):
    """How an open incident stands against its target: shown by colour *and* a mark."""

    OK = "ok"
    WARNING = "warning"  # less than a quarter of the target left
    BREACHED = "breached"  # overdue


WARNING_FRACTION = 0.25


def sla_state(
    incident: Incident, now: datetime, policy: SlaPolicy = DEFAULT_SLA
) -> SlaState | None:
    """``None`` once the incident is no longer open (the clock has stopped)."""
    left = incident.time_left(now, policy)
    if left is None:
        return None
    if left < timedelta(0):
        return SlaState.BREACHED
    if left < policy.target(incident.priority) * WARNING_FRACTION:
        return SlaState.WARNING
    return SlaState.OK


#: Two incidents of one category this close in space and time are probably one.
DUPLICATE_RADIUS_M = 100.0
DUPLICATE_WINDOW = timedelta(hours=2)


def may_duplicate(a: Incident, b: Incident) -> bool:
    """Same category, within 100 m and 2 hours: worth asking the operator to merge."""
    if a.id == b.id or a.category != b.category or not (a.location and b.location):
        return False
    if abs(a.created_at - b.created_at) > DUPLICATE_WINDOW:
        return False
    return (
        distance_m(a.location.lat, a.location.lon, b.location.lat, b.location.lon)
        <= DUPLICATE_RADIUS_M
    )


# --- field alerts: the room's category, their priority, and one incident per cause ----------
#: An alert's sub-category that names one of the room's own categories: a building's fire alarm
#: is a fire, and a crowd in the street is public order, not a building alarm (``security``).
ALERT_SUBCATEGORY_CATEGORY: dict[str, str] = {
    "buildingFire": "fire",
    "forestFire": "fire",
    "civilDisorder": "public_order",
}


def alert_category(category: str, sub_category: str | None) -> str:
    """The incident's category for an alert of this Smart Data Models category and sub-category."""
    return ALERT_SUBCATEGORY_CATEGORY.get(sub_category or "", category)


def alert_priority(
    category: str, sub_category: str | None, severity: Severity | str | None
) -> Priority:
    return derive_priority(alert_category(category, sub_category), severity)


#: ISA-18.2's grouping: an alert of the cause of an open incident, arriving within this of that
#: incident's last alert, joins it; one arriving later opens an incident of its own.
ALERT_GROUP_WINDOW = timedelta(minutes=30)
#: A source that moves (a crew) speaks of another cause elsewhere: it joins within this only.
ALERT_GROUP_RADIUS_M = 100.0


@dataclass(frozen=True, slots=True)
class AlertCause:
    """What raised an alert: its source (a station, a building, a crew), category, sub-category."""

    source: str
    category: str
    sub_category: str | None

    @property
    def key(self) -> str:
        """A digest of fixed length for the store to index (a source may be a long URI)."""
        text = "\x1f".join((self.source, self.category, self.sub_category or ""))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def alert_cause(source: object, category: str, sub_category: str | None) -> AlertCause | None:
    """The cause an alert names; ``None`` when it names no source, and is then never grouped."""
    if not isinstance(source, str) or not source.strip():
        return None
    return AlertCause(source.strip(), category, sub_category or None)


def joins_alert_group(incident: Incident, place: Location | None, at: datetime) -> bool:
    """Whether a new alert of ``incident``'s cause, at ``place`` and ``at``, belongs to it."""
    if not incident.is_open or incident.last_alert_at is None:
        return False
    if at - incident.last_alert_at > ALERT_GROUP_WINDOW:
        return False
    here, there = place, incident.location
    if here is None or there is None:
        return True  # a fixed source (a building by its address) is where it was
    return distance_m(here.lat, here.lon, there.lat, there.lon) <= ALERT_GROUP_RADIUS_M


def with_alerts(
    incident: Incident, priorities: Iterable[Priority], at: datetime, *, new_alert: bool
) -> Incident:
    """The incident standing for alerts of these priorities, as of ``at``.

    Counted; as urgent as the most urgent of its alerts, unless an operator set its priority (an
    override stands). A ``new_alert`` received ``at`` moves its last alert, from which the
    grouping window runs; a repeated one (an id already known) does not.
    """
    ranked = [Priority(p) for p in priorities]
    if not ranked:
        raise ValueError("an incident made of alerts has at least one")
    changes: dict[str, object] = {"alert_count": len(ranked), "updated_at": at}
    if new_alert:
        last = incident.last_alert_at
        changes["last_alert_at"] = max(at, last) if last else at
    if incident.priority_reason is None:
        changes["priority"] = min(ranked)
    return dataclasses.replace(incident, **changes)
