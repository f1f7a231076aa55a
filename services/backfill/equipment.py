"""The equipment's history of changes over the month, and every device's row at its end.

``equipment_changes`` keeps what the recorder keeps (status, power, level, plan, position), but
not all of it: a month of Dijon's lights switching at dusk and dawn and stepping down through the
night would be some six million rows (34,000 lights, two to five changes a night), and signals
change plan by the time of day four times a day. The backfill records the changes that carry
information for the room and its reports: faults and repairs (every device's ``status``), and what
commands did, the modes' and the operators' (a plan set by the snow plan or for an event and its
return when the ``until`` runs out, bollards lowered and raised, lights forced on and back), each
at the device's own observation time. The automatic changes in between are left out: a change's
``old`` is the value in force just before it, whether or not the change that set it is recorded.

The rows themselves (``equipment``) are what a recorder would hold at the month's end: every
device's state, built by the simulator's own payload code (``payloads.state``) as it stands then
(its status, its lights' levels, its cabinet's meter and profiles, its plan), decoded by the bus's
decoder and written by the recorder's ``record_states``; a device still in fault keeps the time
its fault began (``fault_since``).
"""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import bindparam, update

from services.backfill.city import CityPlan
from services.backfill.commands import Effect
from services.backfill.faults import FaultBook
from services.backfill.lighting import Lighting, held
from services.backfill.period import Period, at, local, stream
from services.backfill.sink import Sink
from services.bus.codec import Decoder
from services.bus.messages import StateMessage
from services.bus.topics import Topics
from services.domain.equipment import EquipmentType
from services.recorder.equipment import TRACKED, record_states
from services.reference import communes
from services.simulator import payloads
from services.simulator.happenings import MONTHLY_MEAN_C
from services.simulator.routine import HEARTBEAT_S, signal_plan
from services.simulator.world import World
from services.store.models import EquipmentRow, GatewayRow
from services.store.upsert import upsert

CHANGE_COLUMNS = ("equipment_id", "at", "field", "old", "new", "observed_at")


def _auto_position(_: float) -> str:
    return "up"


class History:
    """The tracked changes of the month, device by device, in time order."""

    def __init__(
        self,
        world: World,
        period: Period,
        faults: FaultBook,
        lighting: Lighting,
        effects: Sequence[Effect],
        seed: int,
    ) -> None:
        self.world = world
        self.period = period
        self.faults = faults
        self.lighting = lighting
        self.rng = stream(seed, "equipment")
        #: device -> [(attribute, start, until, value)], in the order they started
        self.overrides: dict[str, list[tuple[str, float, float, Any]]] = defaultdict(list)
        #: a light's own overrides (commands to it alone), over its group's
        self.own: dict[str, list[tuple[str, float, float, Any]]] = defaultdict(list)
        for effect in sorted(effects, key=lambda e: (e.ts, e.device)):
            until = effect.until if effect.until is not None else float("inf")
            for attribute, value in effect.changes.items():
                self.overrides[effect.device].append((attribute, effect.ts, until, value))
                if not effect.group:
                    self.own[effect.device].append((attribute, effect.ts, until, value))
        self.changes: list[tuple[str, float, str, str | None, str | None]] = []

    # --- values in force --------------------------------------------------------------------------
    def value_at(self, device: str, attribute: str, ts: float) -> Any:
        entity = self.world.entities[device]
        if entity.type is EquipmentType.STREETLIGHT and attribute in (
            "powerState",
            "illuminanceLevel",
        ):
            own = held(self.own.get(device, ()), attribute, ts)
            if own is not None:
                return own
            group = self.lighting.groups.get(str(entity.attrs.get("refStreetlightGroup")))
            if group is not None:
                power, level = self.lighting.light_state(group, ts)
                return power if attribute == "powerState" else level
        value = held(self.overrides.get(device, ()), attribute, ts)
        if value is not None:
            return value
        return self._automatic(attribute)(ts)

    @staticmethod
    def _automatic(attribute: str) -> Callable[[float], Any]:
        if attribute == "plan":
            return signal_plan
        if attribute == "position":
            return _auto_position
        return lambda ts: None

    # --- the changes ------------------------------------------------------------------------------
    def build(self) -> None:
        t0, t1 = self.period.t0, self.period.t1
        for fault in self.faults.faults:
            if t0 < fault.start <= t1:
                self.changes.append((fault.device, fault.start, "status", "ok", fault.status))
            if fault.end is not None and t0 < fault.end <= t1:
                self.changes.append((fault.device, fault.end, "status", fault.status, "ok"))
        for device, overrides in self.overrides.items():
            moments = sorted(
                {(o[0], o[1]) for o in overrides if o[0] in TRACKED}
                | {(o[0], o[2]) for o in overrides if o[0] in TRACKED}
            )
            for attribute, ts in moments:
                if not t0 < ts <= t1:
                    continue
                before = self.value_at(device, attribute, ts - 0.001)
                after = self.value_at(device, attribute, ts)
                if before != after:
                    self.changes.append((device, ts, attribute, _text(before), _text(after)))
        self.changes.sort(key=lambda c: (c[1], c[0], c[2]))

    def write(self, sink: Sink) -> int:
        return sink.write(
            "equipment_changes",
            CHANGE_COLUMNS,
            (
                (
                    device,
                    sink.time(ts),  # the change's time: the device's own (migration 0021)
                    field,
                    old,
                    new,
                    sink.time(ts),
                )
                for device, ts, field, old, new in self.changes
            ),
        )


def _text(value: Any) -> str | None:
    """A tracked value as the recorder's history writes it (``str`` of the state's value)."""
    return None if value is None else str(value)


# --- the rows at the month's end ------------------------------------------------------------------
def final_states(
    world: World,
    period: Period,
    city: CityPlan,
    history: History,
    lighting: Lighting,
    energy: dict[str, float],
    profiles_held: bool,
    presets: dict[str, int],
    seed: int,
) -> list[tuple[dict[str, Any], float]]:
    """Every entity's state payload at the month's end, with the time it was observed."""
    rng = stream(seed, "states")
    end = period.t1
    faults = history.faults
    for entity in world.entities.values():
        if entity.status is not None:
            entity.status = faults.status_at(entity.id, end)
    for group in lighting.groups.values():
        level = group.base.at(end)
        entity = group.entity
        entity.attrs["powerState"] = "on" if level > 0 else "off"
        entity.attrs["illuminanceLevel"] = level if level > 0 else lighting_last(lighting, group)
        if profiles_held:
            entity.attrs["profile"] = group.profile.name
            entity.attrs["profileVersion"] = group.profile.version
        for light in group.lights:
            light.attrs["powerState"] = history.value_at(light.id, "powerState", end)
            light.attrs["illuminanceLevel"] = history.value_at(light.id, "illuminanceLevel", end)
    for cabinet in world.by_type[EquipmentType.STREETLIGHT_CONTROL_CABINET]:
        if cabinet.id in energy:
            cabinet.attrs["energyConsumed"] = energy[cabinet.id]
        if profiles_held:
            cabinet.attrs["profiles"] = {
                g: {
                    "name": lighting.groups[g].profile.name,
                    "version": lighting.groups[g].profile.version,
                }
                for g in sorted(cabinet.attrs.get("refStreetlightGroup") or ())
                if g in lighting.groups
            }
    for signal in world.by_type[EquipmentType.TRAFFIC_SIGNAL]:
        signal.attrs["plan"] = history.value_at(signal.id, "plan", end)
    for bollard in world.by_type[EquipmentType.BOLLARD]:
        bollard.attrs["position"] = history.value_at(bollard.id, "position", end)
    for camera in world.by_type[EquipmentType.CAMERA]:
        if camera.id in presets:
            camera.attrs["preset"] = presets[camera.id]
    _weather(world, city, end, rng)
    out = []
    for entity in sorted(world.entities.values(), key=lambda e: e.id):
        heartbeat = min(HEARTBEAT_S.get(entity.type, 600.0), 600.0)
        observed = round(end - rng.uniform(0.0, heartbeat), 3)
        out.append((payloads.state(entity, observed), observed))
    return out


def lighting_last(lighting: Lighting, group: Any) -> float:
    return lighting.light_state(group, lighting.period.t1)[1]


def _weather(world: World, city: CityPlan, end: float, rng: random.Random) -> None:
    moment = local(end)
    day = city.days.get(moment.date())
    mean = day.mean_c if day else MONTHLY_MEAN_C[moment.month - 1]
    hour = moment.hour + moment.minute / 60
    diurnal = 4.0 * math.sin(2 * math.pi * (hour - 9.0) / 24.0)
    wet = bool(day and day.wet)
    for station in world.by_type[EquipmentType.WEATHER_OBSERVED]:
        air = mean + diurnal + float(station.attrs.get("_bias", 0.0))
        road = air + (-1.5 if diurnal < 0 else 1.5) + rng.gauss(0.0, 0.2)
        if wet and road <= 0.5 and air <= 1.5:
            state = "snow"
        elif wet:
            state = "wet"
        elif road <= 0.0:
            state = "ice"
        else:
            state = "dry"
        station.attrs.update(
            {
                "temperature": round(air, 1),
                "relativeHumidity": 0.9 if wet else 0.75,
                "precipitation": round(rng.uniform(0.2, 2.0), 1) if wet else 0.0,
                "roadSurfaceTemperature": round(road, 1),
                "roadSurfaceState": state,
            }
        )
    for loop in world.by_type[EquipmentType.TRAFFIC_FLOW_OBSERVED]:
        base = float(loop.attrs.get("_base", 300.0))
        loop.attrs["intensity"] = round(base * (0.08 if hour < 5 or hour >= 23 else 0.6))


def write_rows(
    sink: Sink,
    states: list[tuple[dict[str, Any], float]],
    world: World,
    period: Period,
    faults: FaultBook,
) -> int:
    """The devices' rows, as the recorder writes what it hears: decoded, then recorded."""
    topics = Topics()
    decoder = Decoder(topics, communes())
    heard = at(period.t1)
    messages: list[tuple[StateMessage, bool]] = []
    for payload, _ in states:
        topic = topics.state(payload["type"], payload["id"])
        message = decoder.decode(topic, json.dumps(payload).encode(), heard)
        if not isinstance(message, StateMessage):
            raise ValueError(f"the simulator's own state of {payload['id']} did not decode")
        messages.append((message, True))
    written = record_states(sink.session, messages, heard)
    # What a recorder that heard the month would know: since when each fault has lasted.
    since = [
        {"device": f.device, "since": at(f.start)}
        for f in faults.in_force_at_end()
        if f.start <= period.t1
    ]
    if since:
        rows = EquipmentRow.__table__
        sink.session.execute(
            update(rows)
            .where(rows.c.id == bindparam("device"))
            .values(fault_since=bindparam("since"))
            .execution_options(synchronize_session=False),
            sorted(since, key=lambda r: r["device"]),
        )
    gateway_rows = [
        {
            "id": g.id,
            "online": True,
            "since": at(period.t0 - 86_400.0 * (1 + sum(map(ord, g.id)) % 60)),
            "updated_at": heard,
        }
        for g in sorted(world.gateways.values(), key=lambda g: g.id)
    ]
    if gateway_rows:
        upsert(
            sink.session,
            GatewayRow.__table__,
            gateway_rows,
            ["id"],
            ["online", "since", "updated_at"],
        )
    sink.counts["equipment"] = written
    sink.counts["gateways"] = len(gateway_rows)
    return written
