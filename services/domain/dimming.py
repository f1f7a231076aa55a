"""Dimming profiles: what a cabinet's astronomical clock runs, night after night, by itself.

A profile is a list of steps, each at an offset from dusk or dawn, each with the level the lights
hold from then on (and a higher one while presence is detected nearby). The cabinet reckons dusk
and dawn for its own place and date, as real lighting controllers do, so a lost link never leaves a
street dark or lit all day. The same code gives the console its preview (projected energy) and the
simulator its cabinets' behaviour: what is previewed is what the field runs.

Dusk is the sunset and dawn the sunrise (the sun's upper limb on the horizon, refraction
included), computed by astral, offline. A night runs from one dusk to the next dawn; by day the
lights are off whatever the profile says.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from astral import Observer
from astral.sun import sunrise, sunset

from services.domain.errors import InvalidInput

#: Longest a profile may hold a presence boost after a detection.
MAX_PRESENCE_MINUTES = 120
#: A step may sit at most this far from its dusk or dawn (the longest night, with margin).
MAX_OFFSET_MINUTES = 16 * 60


class Anchor(StrEnum):
    DUSK = "dusk"
    DAWN = "dawn"


@dataclass(frozen=True, slots=True)
class Night:
    dusk: datetime
    dawn: datetime

    def __contains__(self, at: datetime) -> bool:
        return self.dusk <= at < self.dawn

    @property
    def hours(self) -> float:
        return (self.dawn - self.dusk).total_seconds() / 3600


@lru_cache(maxsize=65_536)
def _sun(day: date, lat: float, lon: float) -> tuple[datetime, datetime] | None:
    observer = Observer(latitude=lat, longitude=lon)
    try:
        return sunrise(observer, day, tzinfo=UTC), sunset(observer, day, tzinfo=UTC)
    except ValueError:  # the sun neither rises nor sets that day (polar latitudes)
        return None


def sun_times(day: date, lat: float, lon: float) -> tuple[datetime, datetime] | None:
    """Sunrise and sunset (UTC) on ``day`` (a UTC date) at (lat, lon); None in a polar day or night.

    Places are rounded to about a kilometre: a minute of sun time is 15 km of longitude, and the
    cache then serves every light of a commune from one computation.
    """
    return _sun(day, round(lat, 2), round(lon, 2))


def night_at(at: datetime, lat: float, lon: float) -> Night | None:
    """The night that contains ``at``, or None by day (and where the sun neither rises nor sets)."""
    day = at.astimezone(UTC).date()
    for evening in (day - timedelta(days=1), day):
        night = night_of(evening, lat, lon)
        if night is not None and at in night:
            return night
    return None


def night_of(evening: date, lat: float, lon: float) -> Night | None:
    """The night that begins at the dusk of ``evening`` (a UTC date)."""
    today = sun_times(evening, lat, lon)
    tomorrow = sun_times(evening + timedelta(days=1), lat, lon)
    if today is None or tomorrow is None:
        return None
    return Night(dusk=today[1], dawn=tomorrow[0])


def dark_seconds(start: datetime, end: datetime, lat: float, lon: float) -> float:
    """Seconds of night between ``start`` and ``end`` at (lat, lon)."""
    if end <= start:
        return 0.0
    total = 0.0
    evening = start.astimezone(UTC).date() - timedelta(days=1)
    while True:
        night = night_of(evening, lat, lon)
        if night is not None:
            if night.dusk >= end:
                break
            overlap = min(end, night.dawn) - max(start, night.dusk)
            total += max(0.0, overlap.total_seconds())
        elif datetime(evening.year, evening.month, evening.day, tzinfo=UTC) >= end:
            break
        evening += timedelta(days=1)
    return total


@dataclass(frozen=True, slots=True)
class Step:
    """From ``anchor`` + ``offset`` minutes on, the lights hold ``level`` (``boost``: presence)."""

    anchor: Anchor
    offset: int
    level: float
    boost: float

    def at(self, night: Night) -> datetime:
        base = night.dusk if self.anchor is Anchor.DUSK else night.dawn
        moment = base + timedelta(minutes=self.offset)
        return min(
            max(moment, night.dusk), night.dawn
        )  # a step outside its night stands at its edge


@dataclass(frozen=True, slots=True)
class FullLight:
    """Modes under which the profile gives way to full light (where the playbook lights up)."""

    snow: int | None = None  # the snow plan at this level or above
    traffic: frozenset[str] = frozenset()  # these traffic modes

    def applies(self, modes: Mapping[str, str]) -> bool:
        snow = modes.get("snow")
        if self.snow is not None and snow is not None and snow.isdigit():
            if int(snow) >= self.snow:
                return True
        return modes.get("traffic") in self.traffic


@dataclass(frozen=True, slots=True)
class EventWindow:
    """A public event: between ``start`` and ``end`` the lights hold at least ``level``."""

    start: datetime
    end: datetime
    level: float


@dataclass(frozen=True)
class DimmingProfile:
    name: str
    steps: tuple[Step, ...]
    presence_minutes: int = 0
    full_light: FullLight = field(default_factory=FullLight)
    events: tuple[EventWindow, ...] = ()

    # --- the wire form (the ``profile`` command's params) ---------------------------------------
    def to_params(self) -> dict[str, Any]:
        params = self._unversioned()
        params["version"] = self.version
        return params

    def _unversioned(self) -> dict[str, Any]:
        full: dict[str, Any] = {"traffic": sorted(self.full_light.traffic)}
        if self.full_light.snow is not None:
            full["snow"] = self.full_light.snow
        return {
            "name": self.name,
            "steps": [
                {"at": s.anchor.value, "offset": s.offset, "level": s.level, "boost": s.boost}
                for s in self.steps
            ],
            "presence_minutes": self.presence_minutes,
            "full_light": full,
            "events": [
                {"from": _iso(e.start), "to": _iso(e.end), "level": e.level} for e in self.events
            ],
        }

    @property
    def version(self) -> str:
        """What the cabinet reports as ``profileVersion``: 12 hex digits over the canonical form."""
        canonical = json.dumps(
            self._unversioned(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return hashlib.sha256(canonical.encode()).hexdigest()[:12]

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> DimmingProfile:
        """A profile as a cabinet receives it; ``InvalidInput("dimming.bad_profile")`` if malformed.

        The ``version`` given, if any, is not checked here: the caller compares it with
        ``version`` (a cabinet answers ``version_mismatch``).
        """
        try:
            return _parse(params)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidInput("dimming.bad_profile", detail=str(exc)) from None

    # --- what the lights do ---------------------------------------------------------------------
    def step_in_force(self, at: datetime, night: Night) -> Step:
        """The step that holds at ``at`` within ``night`` (before the first step: the first)."""
        timed = sorted(((s.at(night), s) for s in self.steps), key=lambda pair: pair[0])
        current = timed[0][1]
        for moment, step in timed:
            if moment <= at:
                current = step
        return current

    def level_at(
        self,
        at: datetime,
        lat: float,
        lon: float,
        *,
        presence: bool = False,
        modes: Mapping[str, str] | None = None,
    ) -> float:
        night = night_at(at, lat, lon)
        if night is None:
            return 0.0
        if modes and self.full_light.applies(modes):
            return 1.0
        step = self.step_in_force(at, night)
        level = step.boost if presence else step.level
        for event in self.events:
            if event.start <= at < event.end:
                level = max(level, event.level)
        return level

    def next_step(self, at: datetime, lat: float, lon: float) -> datetime:
        """The next moment after ``at`` when the scheduled level may change (a step, dusk, dawn)."""
        moments: list[datetime] = []
        day = at.astimezone(UTC).date()
        for evening in (day - timedelta(days=1), day, day + timedelta(days=1)):
            night = night_of(evening, lat, lon)
            if night is None:
                continue
            moments += [night.dusk, night.dawn, *(s.at(night) for s in self.steps)]
        for event in self.events:
            moments += [event.start, event.end]
        later = [m for m in moments if m > at]
        return min(later) if later else at + timedelta(hours=1)

    def schedule(self, night: Night) -> list[tuple[datetime, datetime, float]]:
        """The night's base levels as intervals from dusk to dawn (events and modes aside)."""
        timed = sorted(((s.at(night), s.level) for s in self.steps), key=lambda pair: pair[0])
        bounds = [night.dusk] + [m for m, _ in timed[1:]] + [night.dawn]
        levels = [level for _, level in timed]
        return [(bounds[i], bounds[i + 1], levels[i]) for i in range(len(levels))]

    def energy_fraction(self, night: Night) -> float:
        """Energy over the night as a fraction of full power for the same hours."""
        total = (night.dawn - night.dusk).total_seconds()
        if total <= 0:
            return 0.0
        used = sum(
            (end - start).total_seconds() * level for start, end, level in self.schedule(night)
        )
        return used / total


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _level(raw: Any, name: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise TypeError(f"{name} is not a number")
    value = float(raw)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} outside 0..1")
    return value  # as sent: the version is computed over what was sent


def _minutes(raw: Any, name: str, low: int, high: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise TypeError(f"{name} is not an integer")
    if not low <= raw <= high:
        raise ValueError(f"{name} outside {low}..{high}")
    return raw


def _time(raw: Any, name: str) -> datetime:
    if not isinstance(raw, str):
        raise TypeError(f"{name} is not a time")
    moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{name} has no offset")
    return moment.astimezone(UTC)


def _parse(params: Mapping[str, Any]) -> DimmingProfile:
    name = params["name"]
    if not isinstance(name, str) or not name:
        raise ValueError("name is empty")
    raw_steps = params["steps"]
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ValueError("steps is not a list of at least one step")
    steps = []
    for i, raw in enumerate(raw_steps):
        level = _level(raw["level"], f"steps[{i}].level")
        boost = _level(raw.get("boost", level), f"steps[{i}].boost")
        steps.append(
            Step(
                anchor=Anchor(raw["at"]),
                offset=_minutes(
                    raw.get("offset", 0),
                    f"steps[{i}].offset",
                    -MAX_OFFSET_MINUTES,
                    MAX_OFFSET_MINUTES,
                ),
                level=level,
                boost=max(level, boost),
            )
        )
    presence = _minutes(
        params.get("presence_minutes", 0), "presence_minutes", 0, MAX_PRESENCE_MINUTES
    )
    raw_full = params.get("full_light", {})
    if not isinstance(raw_full, Mapping):
        raise TypeError("full_light is not an object")
    snow = raw_full.get("snow")
    if snow is not None:
        snow = _minutes(snow, "full_light.snow", 0, 3)
    traffic = raw_full.get("traffic", [])
    if not isinstance(traffic, list) or not all(isinstance(t, str) for t in traffic):
        raise TypeError("full_light.traffic is not a list of modes")
    events = []
    for i, raw in enumerate(params.get("events", [])):
        start, end = _time(raw["from"], f"events[{i}].from"), _time(raw["to"], f"events[{i}].to")
        if end <= start:
            raise ValueError(f"events[{i}] ends before it starts")
        events.append(EventWindow(start, end, _level(raw.get("level", 1.0), f"events[{i}].level")))
    return DimmingProfile(
        name=name,
        steps=tuple(steps),
        presence_minutes=presence,
        full_light=FullLight(snow=snow, traffic=frozenset(traffic)),
        events=tuple(events),
    )
