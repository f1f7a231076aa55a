"""What the street lights did all month: each group's level, night after night.

A group's level is what its cabinet's controller runs, computed by the same code: before the
policy, full level from dusk to dawn (a one-step profile, ``AUTOMATIC``); from the policy on,
the group's compiled profile (``LightingPolicy.profile_for``), walked step by step with
``DimmingProfile.level_at`` and ``next_step`` under the modes in force (a snow level or a
traffic mode its ``full_light`` names gives full light). Dusk and dawn are the cabinet's, as its
astronomical clock reckons them (``services.domain.dimming``).

On top: presence. A group with a presence sensor is raised to its step's boost for the
profile's ``presence_minutes`` after each detection; the month keeps the expected share of each
hour the group spent raised (``1 - exp(-passes × minutes / 60)``, passes per hour by the hour and
the commune's size as the simulator's sensors see them, busier on Friday and Saturday nights),
not each detection. And overrides: a mode's or an operator's command holds its lights at a level
until its ``until``, day or night, then the profile resumes.

Levels are piecewise constant: ``Series`` (times and values, each value holding until the next
time). A light's power is its rated power times its group's level while it is not in fault.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.backfill.city import CityPlan
from services.backfill.commands import Effect
from services.backfill.period import HOUR_S, Period, at, local, stream
from services.domain.dimming import Anchor, DimmingProfile, Step
from services.domain.equipment import EquipmentType
from services.domain.lighting import LightingPolicy
from services.domain.playbooks import Playbook
from services.simulator.payloads import rated_power_w
from services.simulator.presence import passes_per_hour
from services.simulator.world import Entity, World

#: Lights with no profile burn at full level from dusk to dawn (the simulator's automation).
AUTOMATIC = DimmingProfile("automatic", (Step(Anchor.DUSK, 0, 1.0, 1.0),))


@dataclass(slots=True)
class Series:
    """A piecewise-constant function of time: ``values[i]`` from ``times[i]`` to the next."""

    times: list[float]
    values: list[float]

    def at(self, ts: float) -> float:
        n = bisect.bisect_right(self.times, ts) - 1
        return self.values[max(n, 0)]


def combine(series: Sequence[Series], how: Callable[..., float]) -> Series:
    """``how`` of the series' values, piece by piece (equal neighbours merged)."""
    times = sorted({t for s in series for t in s.times})
    index = [0] * len(series)
    out_t: list[float] = []
    out_v: list[float] = []
    for t in times:
        values = []
        for k, s in enumerate(series):
            n = index[k]
            while n + 1 < len(s.times) and s.times[n + 1] <= t:
                n += 1
            index[k] = n
            values.append(s.values[n])
        value = how(*values)
        if not out_v or out_v[-1] != value:
            out_t.append(t)
            out_v.append(value)
    return Series(out_t, out_v)


@dataclass
class Group:
    """A StreetlightGroup: its lights, its cabinet's place, what it ran and what raised it."""

    entity: Entity
    lights: list[Entity]
    cabinet: Entity | None
    rated_w: float
    profile: DimmingProfile  # from the policy's application on
    sensors: int  # presence sensors that raise it
    population: int
    base: Series = field(default_factory=lambda: Series([], []))  # level, no presence
    boost: Series = field(default_factory=lambda: Series([], []))  # level while raised
    #: (attribute, from, until, value) overrides its lights held, from the commands they did
    overrides: list[tuple[str, float, float, Any]] = field(default_factory=list)

    @property
    def place(self) -> tuple[float, float]:
        holder = self.cabinet or self.entity
        return holder.lat, holder.lon


class Lighting:
    """Every group's levels over the period, computed once per place and profile."""

    def __init__(
        self,
        world: World,
        period: Period,
        city: CityPlan,
        policy: LightingPolicy,
        playbook: Playbook,
        seed: int,
    ) -> None:
        self.world = world
        self.period = period
        self.city = city
        self.seed = seed
        policy_moment = at(city.policy_at)
        sensors: dict[str, int] = {}
        for device in world.by_type[EquipmentType.DEVICE]:
            for group_id in device.attrs.get("controlledAsset") or ():
                sensors[str(group_id)] = sensors.get(str(group_id), 0) + 1
        named = policy.groups_named(playbook)
        compiled: dict[tuple[str, str], DimmingProfile] = {}
        self.groups: dict[str, Group] = {}
        for entity in world.by_type[EquipmentType.STREETLIGHT_GROUP]:
            lights = world.lights_of_group(entity.id)
            cabinet = world.entities.get(str(entity.attrs.get("refStreetlightCabinetController")))
            key = (entity.id if entity.id in named else "", entity.commune)
            if key not in compiled:
                compiled[key] = policy.profile_for(
                    entity.id, entity.commune, playbook, policy_moment
                )
            self.groups[entity.id] = Group(
                entity=entity,
                lights=lights,
                cabinet=cabinet,
                rated_w=sum(rated_power_w(light) for light in lights),
                profile=compiled[key],
                sensors=sensors.get(entity.id, 0),
                population=world.communes[entity.commune].population,
            )
        self._walks: dict[tuple[float, float, str, float, float], list[tuple[float, float, float]]]
        self._walks = {}
        self._presence = stream(seed, "presence")
        self._busy: dict[tuple[str, date], float] = {}
        for group in self.groups.values():
            self._levels(group)

    # --- the profile's levels, step by step -----------------------------------------------------
    def _walk(
        self, profile: DimmingProfile, lat: float, lon: float, t0: float, t1: float
    ) -> list[tuple[float, float, float]]:
        """(from, level, boost) over [t0, t1) by ``level_at`` and ``next_step``, modes included.

        The sun's times depend on the place to the hundredth of a degree only
        (``dimming.sun_times``): a walk serves every group of that cell with that profile.
        """
        key = (round(lat, 2), round(lon, 2), profile.version, t0, t1)
        known = self._walks.get(key)
        if known is not None:
            return known
        out: list[tuple[float, float, float]] = []
        changes = sorted(ts for ts in self.city.mode_changes() if t0 < ts < t1)
        moment, end = at(t0), at(t1)
        while moment < end:
            ts = moment.timestamp()
            modes = self.city.modes_at(ts)
            level = profile.level_at(moment, lat, lon, modes=modes)
            boost = (
                profile.level_at(moment, lat, lon, presence=True, modes=modes)
                if profile.presence_minutes
                else level
            )
            if not out or (out[-1][1], out[-1][2]) != (level, boost):
                out.append((ts, level, boost))
            following = profile.next_step(moment, lat, lon)
            n = bisect.bisect_right(changes, ts)
            if n < len(changes):
                following = min(following, at(changes[n]))
            moment = min(following, end)
        self._walks[key] = out
        return out

    def _levels(self, group: Group) -> None:
        lat, lon = group.place
        t0, t1, policy = self.period.t0, self.period.t1, self.city.policy_at
        steps = self._walk(AUTOMATIC, lat, lon, t0, policy) + self._walk(
            group.profile, lat, lon, policy, t1
        )
        group.base = Series([s[0] for s in steps], [s[1] for s in steps])
        group.boost = Series([s[0] for s in steps], [s[2] for s in steps])

    # --- presence: the expected share of each hour raised ---------------------------------------
    def presence_share(self, group: Group, ts: float) -> float:
        if not group.sensors or not group.profile.presence_minutes or ts < self.city.policy_at:
            return 0.0
        moment = local(ts)
        night = date.fromordinal(moment.date().toordinal() - (moment.hour < 12))
        key = (group.entity.commune, night)
        factor = self._busy.get(key)
        if factor is None:
            weekend = night.weekday() in (4, 5)
            factor = self._presence.uniform(0.7, 1.3) * (1.4 if weekend else 1.0)
            self._busy[key] = factor
        passes = passes_per_hour(moment.hour, group.population) * group.sensors * factor
        return 1.0 - math.exp(-passes * group.profile.presence_minutes / 60.0)

    def with_presence(self, group: Group) -> Series:
        """The group's level with the expected presence boost, hour by hour, where it raises."""
        if not group.sensors or not group.profile.presence_minutes:
            return group.base
        times: list[float] = []
        values: list[float] = []
        base, boost = group.base, group.boost
        bounds = base.times + [self.period.t1]
        for n, start in enumerate(base.times):
            level, high = base.values[n], boost.values[n]
            end = bounds[n + 1]
            if high <= level or start < self.city.policy_at:
                times.append(start)
                values.append(level)
                continue
            t = start
            while t < end:
                hour_end = (math.floor(t / HOUR_S) + 1) * HOUR_S
                times.append(t)
                values.append(level + (high - level) * self.presence_share(group, t))
                t = min(hour_end, end)
        return Series(times, values)

    # --- overrides: what commands held the lights at ---------------------------------------------
    def apply_effects(self, effects: Sequence[Effect]) -> None:
        """Give each group the overrides its lights took from group commands.

        A group command reaches a group's lights together: the group's override is theirs (its
        lights in fault, which fail it, draw nothing anyway). A command to one light (switched on
        by day for a quarter of an hour, a check) is that light's alone (``equipment.History``)
        and left out of the meters.
        """
        seen: set[tuple[str, str, str]] = set()
        for effect in effects:
            entity = self.world.entities[effect.device]
            if entity.type is not EquipmentType.STREETLIGHT or not effect.group:
                continue  # one light switched on for a check: a quarter hour, not the group's
            group_id = str(entity.attrs.get("refStreetlightGroup"))
            group = self.groups.get(group_id)
            if group is None:
                continue
            for attribute, value in effect.changes.items():
                key = (group_id, effect.request_id, attribute)
                if key in seen:
                    continue
                seen.add(key)
                until = effect.until if effect.until is not None else self.period.t1
                group.overrides.append((attribute, effect.ts, until, value))
        for group in self.groups.values():
            group.overrides.sort(key=lambda o: o[1])

    def light_state(self, group: Group, ts: float) -> tuple[str, float]:
        """(powerState, illuminanceLevel) its lights hold at ``ts`` (presence aside)."""
        level = group.base.at(ts)
        power = held(group.overrides, "powerState", ts)
        shown = held(group.overrides, "illuminanceLevel", ts)
        if power is None:
            power = "on" if level > 0 else "off"
        if shown is None:
            shown = level if level > 0 else self._last_lit(group, ts)
        return str(power), float(shown)

    def _last_lit(self, group: Group, ts: float) -> float:
        times, values = group.base.times, group.base.values
        n = bisect.bisect_right(times, ts) - 1
        while n >= 0:
            if values[n] > 0:
                return values[n]
            n -= 1
        return 1.0

    def drawn(self, group: Group) -> Series:
        """The level the group's lights draw at: presence and overrides included."""
        level = self.with_presence(group)
        if not group.overrides:
            return level
        edges = {o[1] for o in group.overrides} | {o[2] for o in group.overrides}
        cut = sorted({group.base.times[0], *(e for e in edges if e < self.period.t1)})
        marks = Series(cut, [float(n) for n in range(len(cut))])

        def drawn_at(base_level: float, mark: float) -> float:
            ts = cut[int(mark)]
            power = held(group.overrides, "powerState", ts)
            shown = held(group.overrides, "illuminanceLevel", ts)
            if power is None and shown is None:
                return base_level
            on = power == "on" if power is not None else base_level > 0
            if not on:
                return 0.0
            if shown is not None:
                return float(shown)
            return base_level if base_level > 0 else 1.0

        return combine([level, marks], drawn_at)


def held(overrides: Sequence[tuple[str, float, float, Any]], attribute: str, ts: float) -> Any:
    """The value an override holds ``attribute`` at, or None (automatic).

    As a device keeps them: the latest override of an attribute replaces any earlier one, whose
    ``until`` then no longer ends anything; when the latest ends, the attribute is automatic.
    """
    latest = None
    for name, start, until, value in overrides:  # in the order they started
        if start > ts:
            break
        if name == attribute:
            latest = (until, value)
    if latest is None or ts >= latest[0]:
        return None
    return latest[1]
