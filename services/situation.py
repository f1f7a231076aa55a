"""The map's snapshot: units, their trails and the equipment, as the database holds them.

Read at the console's start and after every reconnection; the equipment's live messages are
applied on top. Units are read again every second (``read_units``): their positions reach a
console from the database, never from the bus, so that PostgreSQL's row-level security decides
who sees police patrols (docs/security.md). What an operator may see is decided here too, before
anything reaches a widget: patrols only for the roles that send them, and no position older than
its retention (a unit's last known place is kept in ``units`` after its history is purged, so it
is filtered by age too).

Also the equipment as the console's technician panels read it (``read_equipment``): only the
rows changed since the last reading, and of a street light's attributes only what the console
uses. A console holds the whole field for hours: what it keeps of each of 35,000 devices is
paid 35,000 times. A camera's ``streamURL`` only for a reader who may view cameras.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from services.domain.equipment import EquipmentType, EquipmentView, assess_state
from services.domain.units import Unit, UnitKind
from services.store.database import Database
from services.store.equipment_page import common as _common
from services.store.equipment_page import kept as _kept
from services.store.models import EquipmentRow, GatewayRow, UnitPositionRow, UnitRow
from services.store.units import UNIT_COLUMNS, unit_from_row

#: How far back a unit's trail goes on the map.
TRAIL = timedelta(minutes=15)
#: The equipment the map draws.
MAP_TYPES = (
    EquipmentType.STREETLIGHT,
    EquipmentType.TRAFFIC_SIGNAL,
    EquipmentType.CAMERA,
    EquipmentType.BOLLARD,
)

#: How many row ids of ``unit_positions`` each reading of treatment points goes back below the
#: newest it read before. Ids are given at insert, not at commit: a batch of one recorder may
#: commit after a later batch of another, with lower ids than rows already read. A recorder's
#: batch of positions is a few hundred rows at most (205 vehicles), so a thousand covers it.
TREATED_OVERLAP = 1_000

Device = tuple[str, str, str, float, float]
"""(id, equipment type, state, lat, lon), the map panel's form."""
TrailPoint = tuple[float, float, datetime]
TreatedPoint = tuple[int, str, float, float, datetime]
"""(row id, unit, lat, lon, observed at): a snow vehicle's position recorded with its work."""


@dataclass(frozen=True)
class Situation:
    units: list[Unit]
    trails: dict[str, list[TrailPoint]]
    devices: list[Device]
    gateways: dict[str, str | None] = field(default_factory=dict)
    """Each device's gateway (for a Last Will that arrives later)."""
    statuses: dict[str, str | None] = field(default_factory=dict)
    """Each device's last ``status`` (what it shows again when its gateway returns)."""
    online: dict[str, bool] = field(default_factory=dict)
    """Each gateway's last word: online or not."""
    received: dict[str, datetime] = field(default_factory=dict)
    """When each device was last heard (receiver's clock): what staleness is measured on."""


def read_situation(
    db: Database,
    now: datetime,
    *,
    kinds: Collection[UnitKind],
    positions_kept: timedelta,
    with_devices: bool = True,
) -> Situation:
    """Units of ``kinds`` with a position younger than ``positions_kept``; their trails."""
    trail_since = now - min(TRAIL, positions_kept)
    with db.read() as session:
        units = {u.id: u for u in _units(session, now - positions_kept, kinds)}
        trails: dict[str, list[TrailPoint]] = defaultdict(list)
        points = session.execute(
            select(
                UnitPositionRow.unit_id,
                UnitPositionRow.lat,
                UnitPositionRow.lon,
                UnitPositionRow.observed_at,
            )
            .where(UnitPositionRow.observed_at >= trail_since)
            .order_by(UnitPositionRow.unit_id, UnitPositionRow.observed_at)
        )
        for unit_id, lat, lon, at in points:
            if unit_id in units:
                trails[unit_id].append((lat, lon, at))
        devices: list[Device] = []
        gateways: dict[str, str | None] = {}
        statuses: dict[str, str | None] = {}
        received: dict[str, datetime] = {}
        online = dict(session.execute(select(GatewayRow.id, GatewayRow.online)).all())
        if with_devices:
            # The columns the map draws, not whole rows: no ORM object and no JSON attributes
            # decoded for 35,000 devices at every snapshot and resync (they were most of the
            # read's time and of its passing memory).
            query = (
                select(
                    EquipmentRow.id,
                    EquipmentRow.type,
                    EquipmentRow.status,
                    EquipmentRow.gateway,
                    EquipmentRow.lat,
                    EquipmentRow.lon,
                    EquipmentRow.received_at,
                )
                .where(
                    EquipmentRow.type.in_([t.value for t in MAP_TYPES]),
                    EquipmentRow.lat.is_not(None),
                    EquipmentRow.lon.is_not(None),
                )
                .order_by(EquipmentRow.id)
            )
            for ident, kind, status, gateway, lat, lon, at in session.execute(query):
                state = assess_state(
                    EquipmentType(kind),
                    status,
                    at,
                    now,
                    gateway_online=online.get(gateway) if gateway else None,
                ).value
                ident = sys.intern(ident)  # one string per device for every copy the console keeps
                devices.append((ident, _common(kind), state, lat, lon))
                gateways[ident] = _common(gateway)
                statuses[ident] = _common(status)
                received[ident] = at
    placed = list(units.values())
    return Situation(placed, dict(trails), devices, gateways, statuses, online, received)


@dataclass(frozen=True)
class UnitsReading:
    units: list[Unit]
    """The units of the kinds asked, as ``read_situation`` reads them."""
    treated: list[TreatedPoint]
    """The snow vehicles' treating positions whose row id is above the reading's floor, by id:
    those read before within the overlap come again (the reader tells each row once)."""
    newest_id: int | None
    """The newest ``unit_positions`` row this login sees: the next reading's ``treated_after``."""


def read_units(
    db: Database,
    now: datetime,
    *,
    kinds: Collection[UnitKind],
    positions_kept: timedelta,
    treated_after: int | None,
) -> UnitsReading:
    """The units of ``kinds`` as the record holds them, and their new treatment points.

    Treatment points are read from the row after ``treated_after`` less ``TREATED_OVERLAP``
    (rows committed late); without ``treated_after`` (a first reading), from the newest rows
    less the overlap: this console counts passes from its start.
    """
    with db.read() as session:
        units = _units(session, now - positions_kept, kinds)
        newest = session.scalar(select(func.max(UnitPositionRow.id)))
        floor = (treated_after if treated_after is not None else newest or 0) - TREATED_OVERLAP
        snow = {u.id for u in units if u.kind.is_snow_vehicle}
        treated = _treated(session, floor, newest, snow) if snow and newest is not None else []
    return UnitsReading(units, treated, newest if newest is not None else treated_after)


def _units(session: Session, since: datetime, kinds: Collection[UnitKind]) -> list[Unit]:
    """Units of ``kinds`` placed since ``since``, each with the bearing of its newest position."""
    query = (
        select(*UNIT_COLUMNS, UnitPositionRow.bearing)
        .outerjoin(
            UnitPositionRow,
            and_(
                UnitPositionRow.unit_id == UnitRow.id,
                UnitPositionRow.observed_at == UnitRow.observed_at,
            ),
        )
        .where(
            UnitRow.kind.in_([k.value for k in kinds]),
            UnitRow.lat.is_not(None),
            UnitRow.observed_at >= since,
        )
        .order_by(UnitRow.id)
    )
    return [unit_from_row(row, row.bearing) for row in session.execute(query)]


def _treated(session: Session, floor: int, newest: int, units: set[str]) -> list[TreatedPoint]:
    """The treating positions of ``units`` among the rows after ``floor`` up to ``newest``.

    Read by the primary key alone, the units picked here: joined with ``units``, PostgreSQL
    walked each snow vehicle's whole history (40 ms a reading at a million rows, 2 ms so). The
    range is closed so that a prepared statement's generic plan still takes the key's range.
    """
    query = select(
        UnitPositionRow.id,
        UnitPositionRow.unit_id,
        UnitPositionRow.lat,
        UnitPositionRow.lon,
        UnitPositionRow.observed_at,
    ).where(
        UnitPositionRow.id > floor,
        UnitPositionRow.id <= newest,
        UnitPositionRow.work.is_not(None),
    )
    rows = session.execute(query.order_by(UnitPositionRow.id))
    return [(ident, unit, lat, lon, at) for ident, unit, lat, lon, at in rows if unit in units]


@dataclass(frozen=True)
class EquipmentReading:
    devices: list[EquipmentView]
    """The devices whose row changed at or after ``since`` (every device without one)."""
    online: dict[str, bool]
    """Each gateway's last word, to judge again the devices not read."""
    newest: datetime | None
    """The latest ``received_at`` or ``updated_at`` read (the recorder's clock): the next
    reading's ``since``, less a margin for batches committed late."""


def read_equipment(
    db: Database, now: datetime, *, since: datetime | None, streams: bool = False
) -> EquipmentReading:
    """The equipment for the console's panels, judged at ``now``.

    Street lights' attributes are cut to ``LIGHT_ATTRIBUTES`` (every other type's are kept
    whole: 1,900 devices, but a camera's ``streamURL`` only with ``streams``: for a reader the
    caller checked may view cameras); ids and repeated values are one string each.

    With ``since``, only the rows received or updated at or after it: a mild evening changes a
    thousand rows in 15 s, not 35,000.
    """
    query = select(
        EquipmentRow.id,
        EquipmentRow.type,
        EquipmentRow.status,
        EquipmentRow.commune,
        EquipmentRow.gateway,
        EquipmentRow.lat,
        EquipmentRow.lon,
        EquipmentRow.received_at,
        EquipmentRow.updated_at,
        EquipmentRow.fault_since,
        EquipmentRow.attributes,
    ).order_by(EquipmentRow.id)
    if since is not None:
        query = query.where(
            or_(EquipmentRow.received_at >= since, EquipmentRow.updated_at >= since)
        )
    devices: list[EquipmentView] = []
    newest: datetime | None = None
    with db.read() as session:
        online = dict(session.execute(select(GatewayRow.id, GatewayRow.online)).all())
        rows = session.execute(query.execution_options(yield_per=2000))
        for ident, kind, status, commune, gateway, lat, lon, at, updated, fault, attrs in rows:
            try:
                equipment_type = EquipmentType(kind)
            except ValueError:
                continue
            latest = max(at, updated)
            if newest is None or latest > newest:
                newest = latest
            devices.append(
                EquipmentView(
                    id=sys.intern(ident),
                    type=equipment_type.value,  # the enum's own string, shared
                    state=assess_state(
                        equipment_type,
                        status,
                        at,
                        now,
                        gateway_online=online.get(gateway) if gateway else None,
                    ).value,
                    status=_common(status),
                    commune=_common(commune),
                    gateway=_common(gateway),
                    lat=lat,
                    lon=lon,
                    received_at=at,
                    updated_at=updated,
                    fault_since=fault,
                    attributes=_kept(equipment_type, attrs, streams),
                )
            )
    return EquipmentReading(devices, online, newest)


def judged_again(view: EquipmentView, now: datetime, online: dict[str, bool]) -> EquipmentView:
    """``view`` judged at ``now``: the same object when its state holds.

    Silence ages and a gateway's link comes and goes without a row changing.
    """
    state = assess_state(
        EquipmentType(view.type),
        view.status,
        view.received_at,
        now,
        gateway_online=online.get(view.gateway) if view.gateway else None,
    ).value
    return view if state == view.state else replace(view, state=state)
