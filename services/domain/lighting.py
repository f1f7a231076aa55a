"""Lighting policies: the city's rules for its street lights through the night, as data.

A policy (TOML under ``resources/lighting/``) gives each StreetlightGroup a profile: lighting
classes (EN 13201-2) per period of the night, stepping down as traffic falls (CEN/TR 13201-1's
adaptive lighting), the city's table from class to dim level, a presence boost, and exceptions
(the snow plan and traffic modes that call for full light where the playbook lights up, public
events). It is read into frozen dataclasses and checked whole before anything is previewed:
each fault names the file and the entry (``dijon.toml: profiles.village.periods[1].class: …``).
``profile_for`` compiles a group's profile into the ``DimmingProfile`` its cabinet runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.domain.city_files import Shapes
from services.domain.commands import CommandName, parse_group
from services.domain.dimming import (
    MAX_OFFSET_MINUTES,
    MAX_PRESENCE_MINUTES,
    Anchor,
    DimmingProfile,
    EventWindow,
    FullLight,
    Step,
)
from services.domain.errors import InvalidInput
from services.domain.modes import SnowLevel, TrafficMode
from services.domain.playbooks import SNOW, TRAFFIC, Playbook

OFF = "off"
#: EN 13201-2's classes per series: a lower number asks for more light.
SERIES = {"M": range(1, 7), "C": range(0, 6), "P": range(1, 8)}
_CLASS = re.compile(r"([MCP])(\d)")
_MOMENT = re.compile(r"(dusk|dawn)(?:([+-])(?:(\d{1,2})h)?(?:(\d{1,3})m?)?)?")
TOP_KEYS = {
    "title",
    "tariff_eur_per_kwh",
    "co2_kg_per_kwh",
    "default",
    "levels",
    "profiles",
    "assign",
    "exceptions",
    "events",
}


class LightingPolicyError(InvalidInput):
    """A policy that cannot be used: ``where`` names the file and the entry."""

    key = "lighting.invalid"


@dataclass(frozen=True)
class Period:
    anchor: Anchor
    offset: int  # minutes
    lighting_class: str  # "M3", "P5"… or "off"


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    periods: tuple[Period, ...]
    boost_classes: int  # 0, 1 or 2
    boost_minutes: int


@dataclass(frozen=True)
class PublicEvent:
    title: str
    communes: frozenset[str]
    groups: frozenset[str]
    start: datetime
    end: datetime
    lighting_class: str

    def covers(self, group: str, commune: str) -> bool:
        return group in self.groups or commune in self.communes


@dataclass(frozen=True)
class LightingPolicy:
    source: str
    title: str
    tariff_eur_per_kwh: float
    co2_kg_per_kwh: float
    levels: Mapping[str, float]  # class -> level
    profiles: Mapping[str, Profile]
    default: str
    by_commune: Mapping[str, str]  # INSEE code -> profile name
    by_group: Mapping[str, str]  # StreetlightGroup id -> profile name
    snow_level: int | None
    traffic_modes: frozenset[str]
    events: tuple[PublicEvent, ...]

    def profile_name(self, group: str, commune: str | None) -> str:
        """A group's own assignment, else its commune's, else the default."""
        if group in self.by_group:
            return self.by_group[group]
        return self.by_commune.get(commune or "", self.default)

    def level(self, lighting_class: str) -> float:
        return 0.0 if lighting_class == OFF else self.levels[lighting_class]

    def boosted(self, lighting_class: str, series: str, classes: int) -> str:
        """The class ``classes`` steps brighter up the city's table of this series."""
        ladder = [OFF] + sorted(
            (c for c in self.levels if c[0] == series), key=lambda c: -int(c[1:])
        )
        index = ladder.index(lighting_class) if lighting_class in ladder else 0
        return ladder[min(len(ladder) - 1, index + classes)]

    def profile_for(
        self,
        group: str,
        commune: str | None,
        playbook: Playbook | None = None,
        now: datetime | None = None,
    ) -> DimmingProfile:
        """The dimming profile this group's cabinet is to run.

        Full light under a mode only where the playbook's entry for it lights the group or its
        commune up; public events that are over by ``now`` are left out.
        """
        profile = self.profiles[self.profile_name(group, commune)]
        series = _series(profile)
        steps = tuple(
            Step(
                anchor=p.anchor,
                offset=p.offset,
                level=self.level(p.lighting_class),
                boost=self.level(self.boosted(p.lighting_class, series, profile.boost_classes)),
            )
            for p in profile.periods
        )
        events = tuple(
            EventWindow(e.start, e.end, self.level(e.lighting_class))
            for e in self.events
            if e.covers(group, commune or "") and (now is None or e.end > now)
        )
        return DimmingProfile(
            name=profile.name,
            steps=steps,
            presence_minutes=profile.boost_minutes if profile.boost_classes else 0,
            full_light=self._full_light(group, commune, playbook),
            events=events,
        )

    def groups_named(self, playbook: Playbook | None = None) -> frozenset[str]:
        """Groups named on their own, here or in the playbook's lighting.

        Every other group of a commune gets the same profile as its neighbours: a cache key for
        ``profile_for``.
        """
        named = set(self.by_group)
        for event in self.events:
            named |= event.groups
        for entry in playbook.entries.values() if playbook else ():
            named |= {s.target for s in entry.steps if s.target_type == "group"}
        return frozenset(named)

    def _full_light(self, group: str, commune: str | None, playbook: Playbook | None) -> FullLight:
        if playbook is None:
            return FullLight()
        snow = None
        if self.snow_level is not None:
            lit = [
                int(v)
                for v in (str(int(level)) for level in SnowLevel)
                if int(v) >= self.snow_level and _lights_up(playbook, SNOW, v, group, commune)
            ]
            snow = min(lit) if lit else None
        traffic = frozenset(
            m for m in self.traffic_modes if _lights_up(playbook, TRAFFIC, m, group, commune)
        )
        return FullLight(snow=snow, traffic=traffic)


def _lights_up(playbook: Playbook, kind: str, value: str, group: str, commune: str | None) -> bool:
    """Whether the playbook's entry switches this group on, or raises it, with its lights."""
    entry = playbook.entry(kind, value)
    if entry is None:
        return False
    for step in entry.steps:
        if step.target_type != "group" or step.command not in (CommandName.SWITCH, CommandName.DIM):
            continue
        if (
            step.params.get("powerState", "on") != "on"
            or step.params.get("illuminanceLevel", 1) < 1
        ):
            continue
        target = parse_group(step.target)
        if target.value in (group, commune):
            return True
    return False


def _series(profile: Profile) -> str:
    lit = [p.lighting_class for p in profile.periods if p.lighting_class != OFF]
    return lit[0][0] if lit else "P"


# --- reading a policy -----------------------------------------------------------------------------
def read_policy(raw: Mapping[str, Any], source: str, communes: Sequence[str]) -> LightingPolicy:
    """Check a parsed TOML document and build the policy; ``LightingPolicyError`` says where."""
    known = frozenset(communes)
    _only(raw, TOP_KEYS, source, "")
    tariff = _positive(raw.get("tariff_eur_per_kwh"), source, "tariff_eur_per_kwh")
    co2 = _positive(raw.get("co2_kg_per_kwh"), source, "co2_kg_per_kwh")
    levels = _levels(raw.get("levels"), source)
    profiles = {
        name: _profile(name, spec, source, levels)
        for name, spec in _table(raw.get("profiles"), source, "profiles").items()
    }
    if not profiles:
        _fail(source, "profiles", "no_profiles")
    default = raw.get("default")
    if not isinstance(default, str) or default not in profiles:
        _fail(source, "default", "unknown_profile", value=default)
    by_commune: dict[str, str] = {}
    by_group: dict[str, str] = {}
    for i, item in enumerate(_list(raw.get("assign", []), source, "assign")):
        _assign(item, source, f"assign[{i}]", profiles, known, by_commune, by_group)
    snow_level, traffic_modes = _exceptions(raw.get("exceptions", {}), source)
    events = tuple(
        _event(item, source, f"events[{i}]", levels, known)
        for i, item in enumerate(_list(raw.get("events", []), source, "events"))
    )
    return LightingPolicy(
        source=source,
        title=str(raw.get("title", "")),
        tariff_eur_per_kwh=tariff,
        co2_kg_per_kwh=co2,
        levels=levels,
        profiles=profiles,
        default=default,
        by_commune=by_commune,
        by_group=by_group,
        snow_level=snow_level,
        traffic_modes=traffic_modes,
        events=events,
    )


def _levels(spec: Any, source: str) -> dict[str, float]:
    levels: dict[str, float] = {}
    for name, value in _table(spec, source, "levels").items():
        where = f"levels.{name}"
        if not _known_class(name):
            _fail(source, where, "unknown_class", value=name)
        levels[name] = _level(value, source, where)
    if not levels:
        _fail(source, "levels", "no_levels")
    for series in SERIES:
        # More light asked, more light given: a lower class number never dims further.
        ordered = sorted((c for c in levels if c[0] == series), key=lambda c: int(c[1:]))
        for brighter, dimmer in zip(ordered, ordered[1:], strict=False):
            if levels[brighter] < levels[dimmer]:
                _fail(source, f"levels.{dimmer}", "levels_order", value=dimmer, brighter=brighter)
    return levels


def _profile(name: str, spec: Any, source: str, levels: Mapping[str, float]) -> Profile:
    where = f"profiles.{name}"
    spec = _table(spec, source, where)
    _only(spec, {"title", "periods", "presence"}, source, where)
    periods = []
    for i, item in enumerate(_list(spec.get("periods"), source, f"{where}.periods")):
        at = f"{where}.periods[{i}]"
        item = _table(item, source, at)
        _only(item, {"from", "class"}, source, at)
        anchor, offset = _moment(item.get("from"), source, f"{at}.from")
        lighting_class = item.get("class")
        if not isinstance(lighting_class, str) or (
            lighting_class != OFF and lighting_class not in levels
        ):
            _fail(source, f"{at}.class", "class_without_level", value=lighting_class)
        periods.append(Period(anchor, offset, str(lighting_class)))
    if not periods:
        _fail(source, f"{where}.periods", "no_periods")
    series = {p.lighting_class[0] for p in periods if p.lighting_class != OFF}
    if len(series) > 1:
        _fail(source, f"{where}.periods", "mixed_series", value=", ".join(sorted(series)))
    presence = _table(spec.get("presence", {}), source, f"{where}.presence")
    _only(presence, {"classes", "minutes"}, source, f"{where}.presence")
    classes = presence.get("classes", 0)
    if not isinstance(classes, int) or isinstance(classes, bool) or classes not in (0, 1, 2):
        _fail(source, f"{where}.presence.classes", "bad_boost")
    minutes = presence.get("minutes", 0)
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        _fail(source, f"{where}.presence.minutes", "bad_boost_minutes", limit=MAX_PRESENCE_MINUTES)
    if not 0 <= minutes <= MAX_PRESENCE_MINUTES or (classes and not minutes):
        _fail(source, f"{where}.presence.minutes", "bad_boost_minutes", limit=MAX_PRESENCE_MINUTES)
    return Profile(name, str(spec.get("title", name)), tuple(periods), classes, minutes)


def _moment(text: Any, source: str, where: str) -> tuple[Anchor, int]:
    """``dusk``, ``dusk+3h``, ``dawn-1h30``, ``dusk+45m`` as (anchor, signed minutes)."""
    match = _MOMENT.fullmatch(text) if isinstance(text, str) else None
    if match is None or (match.group(2) and not (match.group(3) or match.group(4))):
        _fail(source, where, "bad_moment", value=text)
    anchor, sign, hours, minutes = match.groups()
    offset = int(hours or 0) * 60 + int(minutes or 0)
    if sign == "-":
        offset = -offset
    if abs(offset) > MAX_OFFSET_MINUTES:
        _fail(source, where, "bad_moment", value=text)
    return Anchor(anchor), offset


def _assign(
    item: Any,
    source: str,
    where: str,
    profiles: Mapping[str, Profile],
    communes: frozenset[str],
    by_commune: dict[str, str],
    by_group: dict[str, str],
) -> None:
    item = _table(item, source, where)
    _only(item, {"communes", "groups", "profile"}, source, where)
    profile = item.get("profile")
    if not isinstance(profile, str) or profile not in profiles:
        _fail(source, f"{where}.profile", "unknown_profile", value=profile)
    in_communes = _strings(item.get("communes", []), source, f"{where}.communes")
    groups = _strings(item.get("groups", []), source, f"{where}.groups")
    if not in_communes and not groups:
        _fail(source, where, "assign_nothing")
    for insee in in_communes:
        if insee not in communes:
            _fail(source, f"{where}.communes", "unknown_commune", value=insee)
        if insee in by_commune:
            _fail(source, f"{where}.communes", "assigned_twice", value=insee)
        by_commune[insee] = profile
    for group in groups:
        if group in by_group:
            _fail(source, f"{where}.groups", "assigned_twice", value=group)
        by_group[group] = profile


def _exceptions(spec: Any, source: str) -> tuple[int | None, frozenset[str]]:
    spec = _table(spec, source, "exceptions")
    _only(spec, {"snow_level", "traffic_modes"}, source, "exceptions")
    snow = spec.get("snow_level")
    if snow is not None and (
        not isinstance(snow, int)
        or isinstance(snow, bool)
        or snow not in {int(s) for s in SnowLevel}
    ):
        _fail(source, "exceptions.snow_level", "bad_snow_level", value=snow)
    modes = _strings(spec.get("traffic_modes", []), source, "exceptions.traffic_modes")
    for mode in modes:
        if mode not in {m.value for m in TrafficMode}:
            _fail(source, "exceptions.traffic_modes", "unknown_traffic_mode", value=mode)
    return snow, frozenset(modes)


def _event(
    item: Any, source: str, where: str, levels: Mapping[str, float], communes: frozenset[str]
) -> PublicEvent:
    item = _table(item, source, where)
    _only(item, {"title", "communes", "groups", "from", "to", "class"}, source, where)
    in_communes = frozenset(_strings(item.get("communes", []), source, f"{where}.communes"))
    groups = frozenset(_strings(item.get("groups", []), source, f"{where}.groups"))
    if not in_communes and not groups:
        _fail(source, where, "event_nowhere")
    for insee in sorted(in_communes - communes):
        _fail(source, f"{where}.communes", "unknown_commune", value=insee)
    start, end = item.get("from"), item.get("to")
    for key, value in (("from", start), ("to", end)):
        if not isinstance(value, datetime) or value.tzinfo is None:
            _fail(source, f"{where}.{key}", "bad_time")
    if end <= start:
        _fail(source, where, "event_backwards")
    lighting_class = item.get("class")
    if not isinstance(lighting_class, str) or lighting_class not in levels:
        _fail(source, f"{where}.class", "class_without_level", value=lighting_class)
    return PublicEvent(
        str(item.get("title", "")), in_communes, groups, start, end, str(lighting_class)
    )


def _known_class(name: str) -> bool:
    match = _CLASS.fullmatch(name)
    return match is not None and int(match.group(2)) in SERIES[match.group(1)]


def _level(value: Any, source: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        _fail(source, where, "bad_level")
    # To the thousandth, as the profile carries it: the version the cabinet computes is then
    # the one sent (a finer level means nothing to a driver anyway).
    return round(float(value), 3)


def _positive(value: Any, source: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        _fail(source, where, "not_positive")
    return float(value)


_shapes = Shapes(LightingPolicyError, "lighting")
_table, _list, _strings = _shapes.table, _shapes.list, _shapes.strings
_only, _fail = _shapes.only, _shapes.fail
