"""The room's figures over a period, read from the record (issue 22, ``services.domain.figures``).

One function reads them all, in the caller's session: each query selects its rows by the
period's indexed column (incidents by ``created_at``, or ``(commune, created_at)``, their history
by incident, commands by ``issued_at``, status changes by ``(field, at)``, switches by
``(action, ts)``, camera views by ``opened_at``, salt readings by ``observed_at``, snow passes by
episode), never the whole history (``tests/services/test_report_explain.py`` reads the plans;
``docs/performance.md`` says what each costs). What is counted, and how:

* **incidents** are those created in the period, **duplicates left out** (an incident merged into
  another is the same event told twice: ``duplicate_of`` set or status ``duplicate``); cancelled
  ones count as received, but not against the SLA. ``calls`` are those of source ``call`` (the
  hotline).
* **times**: to acknowledge, from creation to its first move to ``acknowledged`` or
  ``dispatched`` (dispatching acknowledges); to resolve, to its first ``resolved``. Both as
  recorded when read, so an incident of the evening resolved after midnight counts for its day.
* **SLA** against ``DEFAULT_SLA`` (creation to resolution per priority; a snow plan's relaxed
  targets are not applied: the report judges against the city's standing promise). ``within`` and
  ``late`` split the resolved ones; ``open_overdue`` are still open when read and past target.
* **commands** issued in the period, by their status now (their outcome).
* **lights in fault per day**: street lights in fault at any moment of each of the room's days,
  rebuilt from their status changes (a fault begins when the status leaves ``ok``, ends when it
  comes back, as the open-data export reads them) from ``FAULT_LOOKBACK`` before the period, and
  the lights whose current fault began before that. **Repair**: faults that ended in the period,
  from their start (those begun before the look-back are left out: their start is unknown).
* **modes**: the ``mode.switch`` and ``mode.rollback`` entries of the audit journal (read through
  the view ``report_mode_switches``, which is all a reporting role reads of the journal); the
  operator is the one whose switch it was (the requester of an approved switch).
* **snow**: the snow episodes (``mode_periods.episode_start``) that touched the period, reported
  whole as recorded when read: every segment of the winter network per episode, those treated
  (a ``snow_passes`` row), those first treated within their target from the episode's start (to
  5 minutes, as the open-data file ``viabilite-hivernale`` says it: ``first_pass_within``) and
  the passes; salt and brine used are the depots' stock drops between their readings in the
  period and from the last reading before it (a rise is a delivery, not use).
* **camera views** opened in the period, by purpose key: ``incident``, a listed purpose
  (``traffic``, ``public_safety``...) or ``other`` (through the view ``report_camera_views``: no
  viewer, no workstation, no operator's words).

With a commune, incidents, lights, commands and camera views are that commune's (commands to
its devices and groups, views of its cameras); modes and snow stay the city's (a switch and the
winter network are not split by commune).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cache

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from services.domain.camera_views import Purpose
from services.domain.equipment import EquipmentType, is_fault_status
from services.domain.errors import InvalidInput
from services.domain.figures import (
    DIMENSIONS,
    PRIORITIES,
    Figures,
    ModeSwitch,
    Period,
    Selection,
    SlaKept,
    SnowFigures,
    Spread,
    day_period,
    room_days,
    spread,
)
from services.domain.incidents import DEFAULT_SLA, OPEN_STATUSES, Priority, SlaPolicy
from services.domain.room_time import room_zone
from services.domain.snow import Segment, first_pass_within
from services.snow_network import load_network
from services.store.database import Database
from services.store.models import (
    REPORT_CAMERA_VIEWS,
    REPORT_MODE_SWITCHES,
    CommandRow,
    EquipmentChangeRow,
    EquipmentRow,
    IncidentChangeRow,
    IncidentRow,
    ModePeriodRow,
    SaltReadingRow,
    SnowPassRow,
)

#: A light's fault that began this long before the period is still seen (the longest of a month
#: of Dijon's backfill lasted under 13 days); one older and still on is read from ``fault_since``.
FAULT_LOOKBACK = timedelta(days=30)
#: A depot's last reading before the period is looked for this far back (depots report hourly).
SALT_LOOKBACK = timedelta(days=2)
ACKNOWLEDGING = ("acknowledged", "dispatched")
RESOLVED = "resolved"
DUPLICATE = "duplicate"
CALL = "call"
MODE_ACTIONS = ("mode.switch", "mode.rollback")
INCIDENT_PURPOSE = "incident"
OTHER_PURPOSE = "other"
_OPEN = frozenset(s.value for s in OPEN_STATUSES)
_PURPOSES = frozenset(p.value for p in Purpose)


class UnknownDimension(InvalidInput):
    key = "figures.unknown_dimension"


@dataclass(frozen=True)
class _Incident:
    """An incident of the period as the figures need it."""

    id: int
    source: str
    category: str
    commune: str | None
    priority: int
    status: str
    created_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None

    def resolve_s(self) -> float | None:
        return None if self.resolved_at is None else _seconds(self.created_at, self.resolved_at)

    def late(self, policy: SlaPolicy, now: datetime) -> bool | None:
        """Resolved late or still open past target (True), kept (False), neither (None)."""
        target = policy.target(Priority(self.priority))
        if self.resolved_at is not None:
            return self.resolved_at - self.created_at > target
        if self.status in _OPEN:
            return self.created_at + target < now
        return None  # cancelled (or closed without a resolution on record): not judged


def figures(
    session: Session,
    period: Period,
    commune: str | None = None,
    *,
    modes: bool = True,
    camera_views: bool = True,
    zone: tzinfo | None = None,
    now: datetime | None = None,
    network: Sequence[Segment] | None = None,
) -> Figures:
    """The figures of ``period`` (and ``commune``, an INSEE code, if given).

    ``modes``/``camera_views`` False: those sections are ``None`` (the reader's role may not read
    who switched, or the video room's record; on PostgreSQL its login lacks the grant).
    ``zone``: the room's, for its days (the process's room zone by default); ``now``: when the
    record is read (open incidents past target are judged then); ``network``: the winter
    network's segments (the bundled one by default).
    """
    zone = zone or room_zone()
    now = now or datetime.now(UTC)
    incidents = _incidents(session, period, commune)
    ack = defaultdict(list)
    res = defaultdict(list)
    for i in incidents:
        if i.acknowledged_at is not None:
            ack[i.priority].append(_seconds(i.created_at, i.acknowledged_at))
        if (seconds := i.resolve_s()) is not None:
            res[i.priority].append(seconds)
    commands, by_type = _commands(session, period, commune)
    in_fault, repair = _lights(session, period, commune, zone)
    return Figures(
        period=period,
        commune=commune,
        incidents=len(incidents),
        by_category=_ranked(i.category for i in incidents),
        by_commune=_ranked(i.commune or "" for i in incidents),
        by_priority={p: sum(1 for i in incidents if i.priority == p) for p in PRIORITIES},
        sla={p: _sla(p, [i for i in incidents if i.priority == p], now) for p in PRIORITIES},
        acknowledge=spread([s for p in PRIORITIES for s in ack[p]]),
        resolve=spread([s for p in PRIORITIES for s in res[p]]),
        acknowledge_by_priority={p: spread(ack[p]) for p in PRIORITIES},
        resolve_by_priority={p: spread(res[p]) for p in PRIORITIES},
        calls=sum(1 for i in incidents if i.source == CALL),
        calls_by_category=_ranked(i.category for i in incidents if i.source == CALL),
        modes=_modes(session, period) if modes else None,
        commands=commands,
        commands_by_type=by_type,
        lights_in_fault_by_day=in_fault,
        repair=repair,
        snow=_snow(session, period, network),
        camera_views=_camera_views(session, period, commune) if camera_views else None,
    )


def incident_ids(
    session: Session,
    period: Period,
    commune: str | None,
    selection: Selection,
    *,
    now: datetime | None = None,
) -> list[int]:
    """The ids behind a bar of the figures (``Selection``), oldest first."""
    if selection.dimension not in DIMENSIONS:
        raise UnknownDimension(dimension=selection.dimension, known=", ".join(sorted(DIMENSIONS)))
    now = now or datetime.now(UTC)
    key = selection.key
    chosen = []
    for i in _incidents(session, period, commune):
        match selection.dimension:
            case "category":
                wanted = i.category == key
            case "commune":
                wanted = (i.commune or "") == key
            case "priority":
                wanted = str(i.priority) == key
            case "sla_late":
                wanted = str(i.priority) == key and i.late(DEFAULT_SLA, now) is True
            case _:  # "calls": the hotline's, of one category or all
                wanted = i.source == CALL and (not key or i.category == key)
        if wanted:
            chosen.append(i.id)
    return chosen


def daily(db: Database, day: date, zone: tzinfo, *, modes: bool, camera_views: bool) -> Figures:
    """The room's day ``day`` (in ``zone``), read in one transaction that sees one moment."""
    with db.read() as session:
        if db.dialect == "postgresql":
            # One snapshot for every query: the sections agree with each other.
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        return figures(
            session, day_period(day, zone), modes=modes, camera_views=camera_views, zone=zone
        )


# --- incidents ------------------------------------------------------------------------------------


def _incidents(session: Session, period: Period, commune: str | None) -> list[_Incident]:
    i = IncidentRow
    query = (
        select(
            i.id,
            i.source,
            i.category,
            i.commune,
            i.priority,
            i.status,
            i.created_at,
            _first_move(ACKNOWLEDGING).label("ack"),
            _first_move((RESOLVED,)).label("res"),
        )
        .where(*_incident_filter(period, commune))
        .order_by(i.created_at, i.id)
    )
    return [_Incident(*row) for row in session.execute(query)]


def _first_move(statuses: tuple[str, ...]):  # noqa: ANN202 - a scalar subquery
    """When the incident first moved to one of ``statuses``: its own history rows only.

    Correlated, so that the history is reached through its incident index from each incident
    of the period; a join grouped by incident lets the planner read the whole history.
    """
    c = IncidentChangeRow
    return (
        select(func.min(c.at))
        .where(c.incident_id == IncidentRow.id, c.field == "status", c.new.in_(statuses))
        .correlate(IncidentRow)
        .scalar_subquery()
    )


def _incident_filter(period: Period, commune: str | None) -> list:
    i = IncidentRow
    where = [
        i.created_at >= period.start,
        i.created_at < period.end,
        i.duplicate_of.is_(None),
        i.status != DUPLICATE,
    ]
    if commune is not None:
        where.append(i.commune == commune)
    return where


def _sla(priority: int, incidents: list[_Incident], now: datetime) -> SlaKept:
    resolved = within = late = overdue = 0
    for i in incidents:
        verdict = i.late(DEFAULT_SLA, now)
        if i.resolved_at is not None:
            resolved += 1
            if verdict:
                late += 1
            else:
                within += 1
        elif verdict:
            overdue += 1
    return SlaKept(priority, resolved, within, late, overdue)


# --- commands ------------------------------------------------------------------------------------


def _commands(
    session: Session, period: Period, commune: str | None
) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    c = CommandRow
    query = (
        select(c.target_type, c.status, c.target, func.count())
        .where(c.issued_at >= period.start, c.issued_at < period.end)
        .group_by(c.target_type, c.status, c.target)
    )
    # A device's or the commune's own group command; a unit's command has none, and a command
    # to all of a type is the city's.
    devices = _devices_of(session, commune)
    if devices is not None:
        devices.add(f"commune:{commune}")
    totals: Counter[str] = Counter()
    by_type: dict[str, Counter[str]] = defaultdict(Counter)
    for target_type, status, target, n in session.execute(query):
        if devices is None or target in devices:
            totals[status] += n
            by_type[target_type][status] += n
    return _sorted_counts(totals), {t: _sorted_counts(by_type[t]) for t in sorted(by_type)}


# --- lights --------------------------------------------------------------------------------------


def _lights(
    session: Session, period: Period, commune: str | None, zone: tzinfo
) -> tuple[dict[date, int], Spread]:
    """Lights in fault per room day, and the time to repair of the faults ended in the period."""
    since = period.start - FAULT_LOOKBACK
    faults = _fault_spans(session, since, period.end, commune)
    days = {}
    for day, span in room_days(period, zone):
        days[day] = len(
            {
                light
                for light, start, end in faults
                if (start is None or start < span.end) and (end is None or end > span.start)
            }
        )
    repairs = [
        _seconds(start, end)
        for _light, start, end in faults
        if start is not None and end is not None and period.start <= end < period.end
    ]
    return days, spread(repairs)


def _fault_spans(
    session: Session, since: datetime, until: datetime, commune: str | None
) -> list[tuple[str, datetime | None, datetime | None]]:
    """(light, fault began or None if before ``since``, ended or None if not by ``until``)."""
    c, e = EquipmentChangeRow, EquipmentRow
    lights = [e.type == EquipmentType.STREETLIGHT.value]
    if commune is not None:
        lights.append(e.commune == commune)
    wanted = set(session.execute(select(e.id).where(*lights)).scalars())
    # Every device's status changes of the span (a few hundred a day), kept to the lights here:
    # joined to ``equipment``, the planner may walk each light's whole history instead.
    changes = session.execute(
        select(c.equipment_id, c.at, c.old, c.new)
        .where(c.field == "status", c.at >= since, c.at < until)
        .order_by(c.at, c.id)
    )
    spans: list[tuple[str, datetime | None, datetime | None]] = []
    began: dict[str, datetime | None] = {}
    seen: set[str] = set()
    for light, at, old, new in changes:
        if light not in wanted:
            continue
        if light not in seen and is_fault_status(old):
            began[light] = None  # in fault before the look-back
        seen.add(light)
        if is_fault_status(new) and light not in began:
            began[light] = at
        elif not is_fault_status(new) and light in began:
            spans.append((light, began.pop(light), at))
    spans.extend((light, start, None) for light, start in began.items())
    # A light whose fault began before the look-back and ended after the span changed nothing in
    # it: its first change after the span says it was in fault all along (an old period's report).
    after: set[str] = set()
    for light, old in session.execute(
        select(c.equipment_id, c.old).where(c.field == "status", c.at >= until).order_by(c.at, c.id)
    ):
        if light in wanted and light not in seen and light not in after:
            after.add(light)
            if is_fault_status(old):
                spans.append((light, None, None))
    # A light in fault since before the look-back and still now changed nothing in it.
    still = session.execute(
        select(e.id).where(
            *lights,
            e.fault_since < since,
            e.status.is_not(None),
            e.status != "ok",
        )
    ).scalars()
    spans.extend((light, None, None) for light in still if light not in seen and light not in after)
    return spans


# --- modes, snow, camera views -------------------------------------------------------------------


def _modes(session: Session, period: Period) -> list[ModeSwitch]:
    # The view of the journal's switches (migration 0020): run_reports reads that, not the journal.
    a = REPORT_MODE_SWITCHES.c
    rows = session.execute(
        select(a.ts, a.operator, a.target, a.details)
        .where(a.action.in_(MODE_ACTIONS), a.ts >= period.start, a.ts < period.end)
        .order_by(a.ts, a.seq)
    )
    switches = []
    for ts, operator, target, text in rows:
        details = json.loads(text) if text else {}
        kind, _, value = target.partition(":")
        switches.append(
            ModeSwitch(
                at=ts,
                kind=kind,
                value=value,
                previous=details.get("from"),
                operator=details.get("requested_by") or operator,
                reason=details.get("reason") or "",
                motive=details.get("motive") or "",
            )
        )
    return switches


def _snow(
    session: Session, period: Period, network: Sequence[Segment] | None
) -> SnowFigures | None:
    m = ModePeriodRow
    episodes = sorted(
        set(
            session.execute(
                select(m.episode_start).where(
                    m.kind == "snow",
                    m.started_at < period.end,
                    or_(m.ended_at.is_(None), m.ended_at > period.start),
                    m.episode_start.is_not(None),
                )
            ).scalars()
        )
    )
    if not episodes:
        return None
    segments = list(network) if network is not None else _bundled_network()
    targets = {s.id: s.target.total_seconds() for s in segments}
    p = SnowPassRow
    rows = session.execute(
        select(p.episode_start, p.segment_id, p.target_s, p.first_pass_at, p.passes).where(
            p.episode_start.in_(episodes)
        )
    ).all()
    treated = [r for r in rows if r.passes > 0]
    salt, brine = _salt_used(session, period)
    return SnowFigures(
        episodes=len(episodes),
        segments=len(targets) * len(episodes),
        treated=len(treated),
        within_target=sum(  # as the open-data file reads it: to 5 minutes
            1
            for r in treated
            if first_pass_within(
                r.first_pass_at - r.episode_start,
                timedelta(seconds=targets.get(r.segment_id, r.target_s)),
            )
        ),
        passes=sum(r.passes for r in rows),
        salt_used_t=salt,
        brine_used_m3=brine,
    )


@cache
def _bundled_network() -> list[Segment]:
    return load_network()[0]


def _salt_used(session: Session, period: Period) -> tuple[float | None, float | None]:
    """Each depot's stock drops between consecutive readings of the period (rises: deliveries).

    From each depot's last reading before the period (within ``SALT_LOOKBACK``): the salt
    spread between it and the period's first reading is the period's, so that days add up to
    their month.
    """
    s = SaltReadingRow
    rows = session.execute(
        select(s.depot_id, s.salt_tonnes, s.brine_m3, s.observed_at)
        .where(s.observed_at >= period.start - SALT_LOOKBACK, s.observed_at < period.end)
        .order_by(s.depot_id, s.observed_at)
    ).all()
    before = [r for r in rows if r.observed_at < period.start]
    during = [r for r in rows if r.observed_at >= period.start]
    salt = {r.depot_id: r.salt_tonnes for r in before if r.salt_tonnes is not None}
    brine = {r.depot_id: r.brine_m3 for r in before if r.brine_m3 is not None}
    return (
        _drops(((r.depot_id, r.salt_tonnes) for r in during), salt),
        _drops(((r.depot_id, r.brine_m3) for r in during), brine),
    )


def _drops(readings: Iterable[tuple[str, float | None]], last: dict[str, float]) -> float | None:
    """The drops from ``last`` (each depot's stock before) through ``readings``, in order."""
    used, counted = 0.0, False
    for depot, stock in readings:
        if stock is None:
            continue
        counted = True
        before = last.get(depot)
        if before is not None and stock < before:
            used += before - stock
        last[depot] = stock
    return round(used, 3) if counted else None


def _camera_views(session: Session, period: Period, commune: str | None) -> dict[str, int]:
    # The views' view (migration 0020): no viewer, no workstation, no operator's words.
    v = REPORT_CAMERA_VIEWS.c
    # Each view (a few thousand a month), not grouped: grouping by camera would let the planner
    # walk the camera index, every view of the record, rather than the period's.
    query = select(v.camera, v.purpose_key, v.for_incident).where(
        v.opened_at >= period.start, v.opened_at < period.end
    )
    cameras = _devices_of(session, commune)
    counts: Counter[str] = Counter()
    for camera, key, for_incident in session.execute(query):
        if cameras is None or camera in cameras:
            counts[purpose_key(key, for_incident=bool(for_incident))] += 1
    return _sorted_counts(counts)


def purpose_key(purpose: str, *, for_incident: bool = False) -> str:
    """``incident``, a listed purpose's key (``traffic: …`` -> ``traffic``), or ``other``."""
    if for_incident or purpose.startswith(f"{INCIDENT_PURPOSE} "):
        return INCIDENT_PURPOSE
    key = purpose.partition(":")[0].strip()
    return key if key in _PURPOSES else OTHER_PURPOSE


# --- small helpers -------------------------------------------------------------------------------


def _devices_of(session: Session, commune: str | None) -> set[str] | None:
    """The commune's devices and groups (None: the whole city).

    The period's rows are kept by this set here rather than joined to ``equipment``: a join
    lets the planner read a table of history in the order of its device index, whole.
    """
    if commune is None:
        return None
    return set(
        session.execute(select(EquipmentRow.id).where(EquipmentRow.commune == commune)).scalars()
    )


def _seconds(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds()


def _ranked(keys: Iterable[str]) -> dict[str, int]:
    """Counts, the largest first (then by key): the order a chart and a table show them."""
    return _sorted_counts(Counter(keys))


def _sorted_counts(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
