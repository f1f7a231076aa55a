"""The simulator's messages as the field contract spells them: states, positions, statuses, acks.

Plain dicts ready for JSON: Smart Data Models keyValues with ``id``, ``type``, a GeoJSON Point
``location`` (``[lon, lat]``) and the contract's ``refGateway``/``refCommune`` extensions.
Attributes of an entity whose name starts with ``_`` are the simulator's own and never published.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from services.domain.equipment import EquipmentType
from services.domain.geography import is_synthetic
from services.domain.units import UnitStatus
from services.simulator import camera_masks
from services.simulator.world import Entity, Gateway, Unit

#: The attribute that carries an entity's observation time, per type.
TIME_FIELD: dict[EquipmentType, str] = {
    EquipmentType.WEATHER_OBSERVED: "dateObserved",
    EquipmentType.SALT_STOCK: "dateModified",
    EquipmentType.STREETLIGHT_GROUP: "dateModified",
    EquipmentType.DEVICE: "dateLastValueReported",
}


def iso(ts: float) -> str:
    """Seconds since the epoch as ISO 8601 UTC with milliseconds and a ``Z``."""
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(value: Any) -> float | None:
    """An ISO 8601 time as wall-clock seconds; one without an offset is UTC; else ``None``."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def point(lat: float, lon: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}


def state(entity: Entity, now: float) -> dict[str, Any]:
    """An entity's full current state, for ``{root}/state/{Type}/{id}``."""
    payload: dict[str, Any] = {
        "id": entity.id,
        "type": entity.type.value,
        "location": point(entity.lat, entity.lon),
    }
    if entity.name is not None:
        payload["name"] = entity.name
    if entity.status is not None:
        payload["status"] = entity.status
    for key, value in entity.attrs.items():
        if not key.startswith("_"):
            payload[key] = value
    if entity.type is EquipmentType.STREETLIGHT:
        payload["powerConsumption"] = light_power_w(entity)
    if entity.type is EquipmentType.CAMERA:
        masks = camera_masks.in_force(entity)
        if masks is not None:  # absent: no masks for this preset, the console blacks it out
            payload["maskVersion"] = masks.version
    if entity.gateway is not None:
        payload["refGateway"] = entity.gateway
    if not is_synthetic(entity.commune):  # refCommune is an INSEE code; a made-up one has none
        payload["refCommune"] = entity.commune
    payload[TIME_FIELD.get(entity.type, "observationDateTime")] = iso(now)
    return payload


#: An LED lantern's rated power by the height of its column (metres): what a street light draws
#: at full level (its ``ratedPower``). A light that is off, or whose lamp failed, draws nothing.
LANTERN_W = {6: 40.0, 8: 60.0, 10: 90.0, 12: 120.0}


def rated_power_w(entity: Entity) -> float:
    """A street light's rated power (W at full level)."""
    rated = entity.attrs.get("ratedPower")
    if isinstance(rated, int | float) and not isinstance(rated, bool):
        return float(rated)
    return LANTERN_W.get(entity.attrs.get("lanternHeight"), 60.0)


def light_power_w(entity: Entity) -> float:
    """What a street light draws now (W), for ``powerConsumption``."""
    if entity.attrs.get("powerState") != "on" or entity.status not in (None, "ok"):
        return 0.0
    rated = rated_power_w(entity)
    level = entity.attrs.get("illuminanceLevel", 1.0)
    return round(rated * (level if isinstance(level, int | float) else 1.0), 1)


#: A gateway's Last Will, exactly as the contract spells it.
WILL: dict[str, Any] = {"online": False}


def gateway_status(gateway: Gateway) -> dict[str, Any]:
    if gateway.online:
        return {"online": True, "since": iso(gateway.since)}
    return dict(WILL)


def position(unit: Unit, now: float, commune: str) -> dict[str, Any]:
    """A ``Vehicle`` for ``{root}/units/{id}/position``."""
    payload: dict[str, Any] = {
        "id": unit.id,
        "type": "Vehicle",
        "name": unit.name,
        "vehicleType": unit.vehicle_type,
        "category": unit.category,
        "vehiclePlateIdentifier": unit.plate,
        "location": point(unit.lat, unit.lon),
        "speed": round(unit.speed_kmh, 1),
        "bearing": round(unit.bearing, 1),
        "observationDateTime": iso(now),
    }
    if not is_synthetic(commune):  # an INSEE code; a synthetic commune is found by the point
        payload["refCommune"] = commune
    if unit.snow is not None:
        payload.update(
            {
                "plowDown": unit.snow.plow_down,
                "spreading": unit.snow.spreading,
                "spreadRate": unit.snow.spread_rate if unit.snow.spreading else 0.0,
                "material": unit.snow.material,
            }
        )
    return payload


def unit_status(unit: Unit, now: float) -> dict[str, Any]:
    """The crew terminal's ``{"status", "incident_id"?, "ts"}``."""
    payload: dict[str, Any] = {"status": unit.status.value}
    if unit.mission is not None and unit.status in (UnitStatus.EN_ROUTE, UnitStatus.ON_SCENE):
        payload["incident_id"] = unit.mission.incident_id
    payload["ts"] = iso(now)
    return payload


def device_ack(
    request_id: str, device_id: str, status: str, now: float, reason: str | None = None
) -> dict[str, Any]:
    payload: dict[str, Any] = {"request_id": request_id, "device_id": device_id, "status": status}
    if reason is not None:
        payload["reason"] = reason
    payload["ts"] = iso(now)
    return payload


def group_ack(
    request_id: str,
    gateway: str,
    status: str,
    succeeded: int,
    failed: list[dict[str, str]],
    now: float,
) -> dict[str, Any]:
    return {
        "request_id": request_id,
        "gateway": gateway,
        "status": status,
        "succeeded": succeeded,
        "failed": failed,
        "ts": iso(now),
    }


def dispatch_ack(
    request_id: str, unit_id: str, status: str, now: float, reason: str | None = None
) -> dict[str, Any]:
    payload: dict[str, Any] = {"request_id": request_id, "unit_id": unit_id, "status": status}
    if reason is not None:
        payload["reason"] = reason
    payload["ts"] = iso(now)
    return payload
