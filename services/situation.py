"""The map's snapshot: units, their trails and the equipment, as the database holds them.

Read at the console's start and after every reconnection; live messages are applied on top.
What an operator may see is decided here, before anything reaches a widget: patrols only for
the roles that send them, and no position older than its retention (a unit's last known place is
kept in ``units`` after its history is purged, so it is filtered by age too).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import select

from services.domain.equipment import EquipmentType
from services.domain.units import Unit, UnitKind
from services.store.database import Database
from services.store.equipment_query import list_equipment
from services.store.models import GatewayRow, UnitPositionRow, UnitRow
from services.store.units import unit_from_row

#: How far back a unit's trail goes on the map.
TRAIL = timedelta(minutes=15)
#: The equipment the map draws.
MAP_TYPES = (
    EquipmentType.STREETLIGHT,
    EquipmentType.TRAFFIC_SIGNAL,
    EquipmentType.CAMERA,
    EquipmentType.BOLLARD,
)

Device = tuple[str, str, str, float, float]
"""(id, equipment type, state, lat, lon), the map panel's form."""
TrailPoint = tuple[float, float, datetime]


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
    since = now - positions_kept
    trail_since = now - min(TRAIL, positions_kept)
    with db.read() as session:
        rows = session.execute(
            select(UnitRow).where(
                UnitRow.kind.in_([k.value for k in kinds]),
                UnitRow.lat.is_not(None),
                UnitRow.observed_at >= since,
            )
        ).scalars()
        units = {r.id: unit_from_row(r) for r in rows}
        trails: dict[str, list[TrailPoint]] = defaultdict(list)
        points = session.execute(
            select(
                UnitPositionRow.unit_id,
                UnitPositionRow.lat,
                UnitPositionRow.lon,
                UnitPositionRow.observed_at,
                UnitPositionRow.bearing,
            )
            .where(UnitPositionRow.observed_at >= trail_since)
            .order_by(UnitPositionRow.unit_id, UnitPositionRow.observed_at)
        )
        bearings: dict[str, float | None] = {}
        for unit_id, lat, lon, at, bearing in points:
            if unit_id in units:
                trails[unit_id].append((lat, lon, at))
                bearings[unit_id] = bearing
        devices: list[Device] = []
        gateways: dict[str, str | None] = {}
        statuses: dict[str, str | None] = {}
        received: dict[str, datetime] = {}
        if with_devices:
            for view in list_equipment(session, now, types=[t.value for t in MAP_TYPES]):
                if view.lat is None or view.lon is None:
                    continue
                devices.append((view.id, view.type, view.state, view.lat, view.lon))
                gateways[view.id] = view.gateway
                statuses[view.id] = view.status
                received[view.id] = view.received_at
        online = dict(session.execute(select(GatewayRow.id, GatewayRow.online)).all())
    placed = [replace(u, bearing=bearings[u.id]) if u.id in bearings else u for u in units.values()]
    return Situation(placed, dict(trails), devices, gateways, statuses, online, received)
