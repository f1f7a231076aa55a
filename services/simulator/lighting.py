"""The cabinets' controllers: the dimming profiles they hold, run on the field's clock.

A cabinet holds a dimming profile per StreetlightGroup (the ``profile`` command on the group's
topic; a light addressed on its own topic holds one of its own) and runs it by itself with its
astronomical clock: dusk and dawn at the cabinet's place, on the field's clock
(``Field.field_time``), as ``services.domain.dimming`` reckons them. Each simulated minute, and
at once when a profile is received, a mode announced or presence detected, every circuit that
holds a profile is evaluated (``DimmingProfile.level_at``: once per cabinet, profile and presence,
not per light) and its lights follow: ``powerState`` on while the level is above zero, and
``illuminanceLevel`` the level. A presence detection raises its group to the step's boost for the
profile's ``presence_minutes`` (extended by each new detection); a snow level or traffic mode the
profile names in ``full_light`` gives full light.

A group that holds no profile is left to ``routine.Automation`` (on from dusk to dawn, full
level), as before profiles existed. An attribute under an operator's override is left alone; an
override without ``until`` of a light that follows a profile ends at the profile's next step
(``resume_at``), after which the profile resumes. A gateway offline changes nothing here: its
lights keep following the profile last acknowledged; they only cannot say so until it is back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from services.domain.dimming import DimmingProfile
from services.domain.equipment import EquipmentType
from services.simulator.world import Entity

if TYPE_CHECKING:
    from services.simulator.field import Field

#: Field seconds between two evaluations of every circuit that holds a profile.
SWEEP_S = 60.0
#: Added to a wall time computed from a field time, so that the field's clock has surely got there.
_EPSILON_S = 1e-6


@dataclass(slots=True, eq=False)
class Circuit:
    """What a profile drives: a StreetlightGroup's lights, or one light holding its own."""

    id: str  # the StreetlightGroup's id, or the light's
    lights: list[Entity]
    group: Entity | None  # the StreetlightGroup's own state (None: one light's own circuit)
    cabinet: Entity | None
    lat: float  # the cabinet's place: where its astronomical clock reckons dusk and dawn
    lon: float
    profile: DimmingProfile | None = None
    version: str = ""  # the profile's (a hash: computed once, when received)
    presence_until: float = -math.inf  # field time
    applied: tuple[str, float] | None = None  # (powerState, level) last given to the lights


class Lighting:
    def __init__(self, engine: Field) -> None:
        self.engine = engine
        world = engine.world
        self.modes: dict[str, str] = {}
        self._cabinets = {
            e.gateway: e for e in world.by_type[EquipmentType.STREETLIGHT_CONTROL_CABINET]
        }
        self._circuits: dict[str, Circuit] = {}
        for group in world.by_type[EquipmentType.STREETLIGHT_GROUP]:
            cabinet = world.entities.get(str(group.attrs.get("refStreetlightCabinetController")))
            place = cabinet or group
            self._circuits[group.id] = Circuit(
                group.id,
                world.lights_of_group(group.id),
                group,
                cabinet,
                place.lat,
                place.lon,
            )
        self._own: dict[str, Circuit] = {}  # lights that hold a profile of their own
        self._held: list[Circuit] = []  # circuits that hold a profile, in the order received
        self._next_sweep = -math.inf
        self._due = False
        # (place, profile version, presence) -> (level, valid from, valid until), field times
        self._levels: dict[tuple[float, float, str, bool], tuple[float, float, float]] = {}
        self.computed = 0  # levels computed (DimmingProfile.level_at), for measures

    # --- who follows what ----------------------------------------------------------------------
    def circuit_of(self, entity: Entity) -> Circuit | None:
        """The circuit an entity's light comes from: a light's own, its group's, a group's."""
        if entity.type is EquipmentType.STREETLIGHT:
            own = self._own.get(entity.id)
            if own is not None:
                return own
            return self._circuits.get(str(entity.attrs.get("refStreetlightGroup")))
        if entity.type is EquipmentType.STREETLIGHT_GROUP:
            return self._circuits.get(entity.id)
        return None

    def follows_profile(self, entity: Entity) -> bool:
        circuit = self.circuit_of(entity)
        return circuit is not None and circuit.profile is not None

    def _following(self, circuit: Circuit) -> list[Entity]:
        if circuit.group is None or not self._own:
            return circuit.lights
        return [light for light in circuit.lights if light.id not in self._own]

    # --- what the engine and the desks ask -----------------------------------------------------
    def level(self, circuit: Circuit, field_t: float) -> float:
        """The level a circuit's profile gives at ``field_t`` (0.0 by day or without one).

        A profile's level changes only at its next step (a step, a dusk, a dawn, an event's
        bounds: ``DimmingProfile.next_step``), with presence, or with the modes: each level is
        kept, for its place, profile and presence, until then, and shared by every circuit of
        the cabinet that holds the same profile. A sweep of 34,000 lights computes next to
        nothing between two steps.
        """
        profile = circuit.profile
        if profile is None:
            return 0.0
        presence = circuit.presence_until > field_t
        key = (circuit.lat, circuit.lon, circuit.version, presence)
        known = self._levels.get(key)
        if known is not None and known[1] <= field_t < known[2]:
            return known[0]
        at = datetime.fromtimestamp(field_t, UTC)
        level = profile.level_at(at, circuit.lat, circuit.lon, presence=presence, modes=self.modes)
        until = profile.next_step(at, circuit.lat, circuit.lon).timestamp()
        self._levels[key] = (level, field_t, until)
        self.computed += 1
        return level

    def auto_value(self, entity: Entity, key: str, now: float) -> Any:
        """What ``key`` of a light (or group) that follows a profile is when nobody overrides it."""
        circuit = self.circuit_of(entity)
        assert circuit is not None and circuit.profile is not None
        level = self.level(circuit, self.engine.field_time(now))
        if key == "powerState":
            return "on" if level > 0 else "off"
        if key == "illuminanceLevel" and level > 0:
            return level
        return entity.attrs.get(key)

    def resume_at(self, entity: Entity, now: float) -> float | None:
        """When an override without ``until`` ends (wall clock): the profile's next step.

        None when the entity follows no profile: such an override stands until another command.
        """
        circuit = self.circuit_of(entity)
        if circuit is None or circuit.profile is None:
            return None
        at = datetime.fromtimestamp(self.engine.field_time(now), UTC)
        step = circuit.profile.next_step(at, circuit.lat, circuit.lon)
        return self.engine.wall_at(step.timestamp()) + _EPSILON_S

    def hold(
        self, circuit_id: str, profile: DimmingProfile, now: float, *, say_cabinet: bool = True
    ) -> None:
        """Hold ``profile`` for a group (by its id) or one light (by its own id), and run it.

        The group's (or light's) state says it, then the cabinet's, unless ``say_cabinet`` is
        false (a gateway taking one profile for several groups says its cabinet once, after).
        """
        engine = self.engine
        circuit = self._circuits.get(circuit_id)
        entity = engine.world.entities.get(circuit_id)
        if circuit is None:
            if entity is None or entity.type is not EquipmentType.STREETLIGHT:
                return
            circuit = self._own.get(entity.id)
            if circuit is None:
                cabinet = self._cabinets.get(entity.gateway)
                place = cabinet or entity
                circuit = Circuit(entity.id, [entity], None, cabinet, place.lat, place.lon)
                self._own[entity.id] = circuit
        if circuit.profile is None:
            self._held.append(circuit)
        circuit.profile = profile
        circuit.version = profile.version
        circuit.applied = None
        holder = circuit.group if circuit.group is not None else entity
        if holder is not None:
            holder.attrs["profile"] = profile.name
            holder.attrs["profileVersion"] = circuit.version
        self._apply(circuit, self.level(circuit, engine.field_time(now)), now, force=True)
        if holder is not None:
            engine.publish_state(holder, now)
        if circuit.cabinet is not None:
            profiles = dict(circuit.cabinet.attrs.get("profiles") or {})
            profiles[circuit.id] = {"name": profile.name, "version": circuit.version}
            circuit.cabinet.attrs["profiles"] = dict(sorted(profiles.items()))
            if say_cabinet:
                engine.publish_state(circuit.cabinet, now)

    def cabinet_of(self, circuit_id: str) -> Entity | None:
        circuit = self._own.get(circuit_id) or self._circuits.get(circuit_id)
        return None if circuit is None else circuit.cabinet

    def detect(self, group_id: str, now: float) -> None:
        """Someone passed a presence sensor of the group: its profile's boost, for a while."""
        circuit = self._circuits.get(group_id)
        if circuit is None or circuit.profile is None or circuit.profile.presence_minutes <= 0:
            return
        field_t = self.engine.field_time(now)
        until = max(circuit.presence_until, field_t + circuit.profile.presence_minutes * 60.0)
        circuit.presence_until = until
        self._apply(circuit, self.level(circuit, field_t), now)
        self.engine.scheduler.at(
            self.engine.wall_at(until) + _EPSILON_S, lambda t: self._presence_over(circuit, t)
        )

    def _presence_over(self, circuit: Circuit, now: float) -> None:
        field_t = self.engine.field_time(now)
        if field_t >= circuit.presence_until:  # not extended meanwhile
            self._apply(circuit, self.level(circuit, field_t), now)

    def hear_mode(self, which: str, value: str | None, now: float) -> None:
        """A mode announced (None: none in force); profiles are evaluated again at once."""
        if value is None:
            self.modes.pop(which, None)
        else:
            self.modes[which] = value
        self._levels.clear()  # computed under other modes
        self._due = True

    # --- running the profiles ------------------------------------------------------------------
    def step(self, now: float) -> None:
        field_t = self.engine.field_time(now)
        if field_t >= self._next_sweep or self._due:
            self._due = False
            self._next_sweep = (math.floor(field_t / SWEEP_S) + 1) * SWEEP_S
            self.sweep(now)

    def sweep(self, now: float) -> None:
        """Evaluate every circuit that holds a profile; its lights follow when it changed."""
        field_t = self.engine.field_time(now)
        if len(self._levels) > 4 * len(self._held) + 64:
            self._levels = {k: v for k, v in self._levels.items() if v[2] > field_t}
        for circuit in self._held:
            self._apply(circuit, self.level(circuit, field_t), now)

    def _apply(self, circuit: Circuit, level: float, now: float, *, force: bool = False) -> None:
        target = ("on" if level > 0 else "off", level)
        if circuit.applied == target and not force:
            return
        circuit.applied = target
        values: dict[str, Any] = {"powerState": target[0]}
        if level > 0:
            values["illuminanceLevel"] = level
        for light in self._following(circuit):
            self._set(light, values, now)
        if circuit.group is not None:
            self._set(circuit.group, values, now)

    def _set(self, entity: Entity, values: dict[str, Any], now: float) -> None:
        changed = False
        for key, value in values.items():
            if entity.overrides and key in entity.overrides:
                continue
            if entity.attrs.get(key) != value:
                entity.attrs[key] = value
                changed = True
        if changed:
            self.engine.publish_state(entity, now)
