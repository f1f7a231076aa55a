"""The cabinets' meters: the energy their lights draw, integrated on the field's clock.

Each StreetlightControlCabinet meters the power its lights draw (``payloads.light_power_w``:
rated power × level while on and not in fault). Power is constant between two changes of its
lights, so a meter integrates piecewise: at each change of one of its lights (``touch``, which
``Field.publish_state`` calls for every change, said or not) it adds what the old power drew
since the last change, then takes the new power; nothing is summed per light and tick.

A reading (``read``) brings the meter up to the moment and sets the cabinet's
``energyConsumed`` (kWh since ``dateMeteringStarted``, Smart Data Models, rounded to the Wh).
The cabinet says it with every state it publishes (its heartbeat, a profile received). When the
field's clock runs ahead of the wall clock's pace (``--start``), the heartbeat (wall clock) would
leave hours of field time between readings: each cabinet then also publishes every
``METER_EVERY_S`` of the field's clock, like a smart meter's load curve, cabinets spread over the
interval, so that a night passing in minutes still leaves readings all through it.

The index starts from zero at each run, and ``dateMeteringStarted`` says so: it is the run's
start on the field's clock (a meter put in that moment), so a run never passes for the meter of
another one: the recorder takes the new start for a meter reset (the new value, not a negative
difference), and keeps apart the readings of a run that replays hours another run (or a
backfill) already metered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.domain.equipment import EquipmentType
from services.simulator import payloads
from services.simulator.payloads import light_power_w
from services.simulator.world import Entity

if TYPE_CHECKING:
    from services.simulator.field import Field

#: Field seconds between a cabinet's readings at most (a smart meter's load curve: 15 minutes).
METER_EVERY_S = 900.0


@dataclass(slots=True, eq=False)
class Meter:
    cabinet: Entity
    since: float  # field time up to which ``kwh`` is integrated
    next_reading: float  # field time of its next reading on the load curve (with ``--start``)
    kwh: float = 0.0
    deciwatts: int = 0  # what its lights draw now, in tenths of a watt (exact sums)


def deciwatts(light: Entity) -> int:
    return round(light_power_w(light) * 10)


class Meters:
    def __init__(self, engine: Field) -> None:
        self.engine = engine
        world = engine.world
        start = engine.field_time(engine.start)
        cabinets = world.by_type[EquipmentType.STREETLIGHT_CONTROL_CABINET]
        self._by_gateway: dict[str | None, Meter] = {}
        self._by_cabinet: dict[str, Meter] = {}
        for i, cabinet in enumerate(cabinets):
            # Readings spread over the interval, so that cabinets do not all speak at once.
            phase = METER_EVERY_S * (i + 1) / max(1, len(cabinets))
            meter = Meter(cabinet, since=start, next_reading=start + phase)
            cabinet.attrs["dateMeteringStarted"] = payloads.iso(start)
            self._by_gateway[cabinet.gateway] = meter
            self._by_cabinet[cabinet.id] = meter
        self._drawn: dict[str, int] = {}  # light id -> deciwatts counted in its meter
        for light in world.by_type[EquipmentType.STREETLIGHT]:
            found = self._by_gateway.get(light.gateway)
            if found is not None:
                drawn = deciwatts(light)
                self._drawn[light.id] = drawn
                found.deciwatts += drawn

    def meter(self, cabinet_id: str) -> Meter | None:
        return self._by_cabinet.get(cabinet_id)

    def touch(self, light: Entity, now: float) -> None:
        """A light may have changed: its cabinet's meter takes its new power from now on."""
        old = self._drawn.get(light.id)
        if old is None:
            return  # behind no cabinet
        new = deciwatts(light)
        if new != old:
            meter = self._by_gateway[light.gateway]
            self._integrate(meter, self.engine.field_time(now))
            meter.deciwatts += new - old
            self._drawn[light.id] = new

    def read(self, cabinet: Entity, now: float) -> None:
        """Bring a cabinet's meter up to now and its ``energyConsumed`` with it."""
        meter = self._by_cabinet.get(cabinet.id)
        if meter is None:
            return
        self._integrate(meter, self.engine.field_time(now))
        cabinet.attrs["energyConsumed"] = round(meter.kwh, 3)

    def step(self, now: float) -> None:
        """The load curve's readings due on the field's clock (only with ``start_at``)."""
        if self.engine.options.start_at is None:
            return  # the field's clock is the wall clock: the heartbeat reads often enough
        field_t = self.engine.field_time(now)
        for meter in self._by_cabinet.values():
            if field_t >= meter.next_reading:
                missed = (field_t - meter.next_reading) // METER_EVERY_S
                meter.next_reading += (missed + 1) * METER_EVERY_S
                self.engine.publish_state(meter.cabinet, now)  # which reads it

    @staticmethod
    def _integrate(meter: Meter, field_t: float) -> None:
        if field_t > meter.since:
            meter.kwh += meter.deciwatts / 10.0 * (field_t - meter.since) / 3_600_000.0
            meter.since = field_t
