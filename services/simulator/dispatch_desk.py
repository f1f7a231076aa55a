"""How a simulated crew answers a dispatch: accepted or rejected, then en route and on scene.

After the configured latency the crew's terminal answers ``accepted`` (final) or ``rejected`` with
a reason (``unit_unavailable``, ``unit_busy`` with another incident, ``invalid_location``); a
dispatch received after ``expires_at`` is answered ``expired``. An accepted unit reports
``en_route``, drives to the location (``motion``), reports ``on_scene``, stays a while and
reports ``available``. A request id is handled once; a redelivery gets the same answer again.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from services.domain.units import UnitStatus
from services.simulator import payloads
from services.simulator.world import Mission, Unit

if TYPE_CHECKING:
    from services.simulator.field import Field

DEFAULT_EXPIRY_S = 30.0


def parse_location(value: Any) -> tuple[float, float] | None:
    """(lat, lon) from a GeoJSON Point, or from ``{"lat", "lon"}``; ``None`` if neither."""
    lat = lon = None
    if isinstance(value, dict) and value.get("type") == "Point":
        coords = value.get("coordinates")
        if isinstance(coords, list | tuple) and len(coords) >= 2:
            lon, lat = coords[0], coords[1]
    elif isinstance(value, dict):
        lat, lon = value.get("lat"), value.get("lon", value.get("long"))
    if not all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
        for v in (lat, lon)
    ):
        return None
    assert isinstance(lat, int | float) and isinstance(lon, int | float)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return float(lat), float(lon)


class DispatchDesk:
    def __init__(self, engine: Field) -> None:
        self.engine = engine

    def on_dispatch(self, unit_id: str, message: dict[str, Any], now: float) -> None:
        engine = self.engine
        unit = engine.world.units.get(unit_id)
        rid = message.get("request_id")
        if unit is None or not isinstance(rid, str) or not rid:
            return
        reply_to = message.get("reply_to")
        reply_to = reply_to if isinstance(reply_to, str) and reply_to else None
        if engine.ignore_first(f"unit:{unit.id}", rid):
            return
        if rid in unit.executed:
            answer = unit.executed[rid]
            if answer is not None:
                engine.reply(reply_to, {**answer, "ts": payloads.iso(now)})
            return
        expires = payloads.parse_time(message.get("expires_at"))
        if expires is None:
            issued = payloads.parse_time(message.get("issued_at"))
            expires = None if issued is None else issued + DEFAULT_EXPIRY_S
        if expires is not None and now > expires:
            self._answer(unit, rid, reply_to, "expired", now, None, lost=False)
            return
        location = parse_location(message.get("location"))
        if location is None:
            self._answer(unit, rid, reply_to, "rejected", now, "invalid_location", lost=False)
            return
        incident_id = message.get("incident_id")
        leaving = message.get("retask_from")
        unit.executed.remember(rid, None)
        lost = engine.lose_ack()
        engine.scheduler.at(
            now + engine.latency(),
            lambda t: self._decide(unit, rid, reply_to, incident_id, location, lost, t, leaving),
        )

    def _decide(
        self,
        unit: Unit,
        rid: str,
        reply_to: str | None,
        incident_id: Any,
        location: tuple[float, float],
        lost: bool,
        now: float,
        leaving: Any = None,
    ) -> None:
        engine = self.engine
        reason = self.refusal(unit, incident_id, leaving)
        if reason is not None:
            self._answer(unit, rid, reply_to, "rejected", now, reason, lost=lost)
            return
        self._answer(unit, rid, reply_to, "accepted", now, None, lost=lost)
        unit.mission = Mission(incident_id, location[0], location[1])
        unit.target = location
        unit.pause_until = 0.0
        if unit.snow is not None:
            unit.snow.plow_down = unit.snow.spreading = False
        unit.status = UnitStatus.EN_ROUTE
        engine.publish_unit_status(unit, now)
        engine.publish_position(unit, now)

    @staticmethod
    def refusal(unit: Unit, incident_id: Any, leaving: Any = None) -> str | None:
        """Why the crew refuses, or None. A re-tasking names the mission it takes them off."""
        if unit.status is UnitStatus.UNAVAILABLE:
            return "unit_unavailable"
        mission = unit.mission
        if mission is not None and mission.incident_id not in (incident_id, leaving):
            return "unit_busy"
        return None

    def _answer(
        self,
        unit: Unit,
        rid: str,
        reply_to: str | None,
        status: str,
        now: float,
        reason: str | None,
        *,
        lost: bool,
    ) -> None:
        answer = payloads.dispatch_ack(rid, unit.id, status, now, reason)
        unit.executed.remember(rid, answer)
        if not lost:
            self.engine.reply(reply_to, answer)
