"""The modes' periods (``mode_periods``): the snow level and the traffic mode over the month.

What ``services.store.mode_periods.follow`` keeps as the modes switch, here from the month's
switches (``acts.switch_modes``): each switch closes its kind's open period and opens the next,
at the moment the switch finished (``city_modes.since``); a switch to the mode already in force
opens none. The month begins with a period of each
kind in force at its start (the modes the history starts with). A snow period at level 1 or
above carries its episode's start: when the plan last left level 0 (the period's own start for
the first one; the month's start for an episode already under way then). No names, no reasons.

The same periods say when the signals serve buses' priority (the latest announcement of each
kind, as the simulated field hears them) and when snow passes count (an episode in force).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from services.backfill.acts import SwitchDone
from services.backfill.city import CityPlan
from services.backfill.period import Period
from services.backfill.sink import Sink
from services.domain.playbooks import Playbook

COLUMNS = ("kind", "value", "started_at", "ended_at", "episode_start")
KINDS = ("snow", "traffic")


@dataclass
class ModePeriod:
    kind: str
    value: str
    started: float
    ended: float | None  # None: in force at the month's end
    episode_start: float | None  # snow at level 1 or above only
    bus_priority: bool  # whether this mode lets signals serve buses


def _serves(playbook: Playbook, kind: str, value: str, said: bool | None) -> bool:
    """An announcement without ``bus_priority`` lets buses through (the field's reading)."""
    if said is None:
        entry = playbook.entry(kind, value)
        said = entry.bus_priority if entry is not None else None
    return True if said is None else said


def mode_periods(
    city: CityPlan, switches: list[SwitchDone], playbook: Playbook, period: Period
) -> list[ModePeriod]:
    """Every period of each kind, in the order they began."""
    initial = city.modes[0][1]
    current: dict[str, ModePeriod] = {}
    out: list[ModePeriod] = []
    for kind in KINDS:
        value = initial[kind]
        episode = period.t0 if kind == "snow" and int(value) >= 1 else None
        current[kind] = ModePeriod(
            kind, value, period.t0, None, episode, _serves(playbook, kind, value, None)
        )
        out.append(current[kind])
    for done in sorted(switches, key=lambda d: (d.finished, d.switch.kind)):
        kind, value, ts = done.switch.kind, done.switch.value, done.finished
        before = current[kind]
        if value == before.value:
            continue  # the same mode again: no new period (as ``follow`` keeps them)
        before.ended = ts
        episode = None
        if kind == "snow" and int(value) >= 1:
            episode = before.episode_start if before.episode_start is not None else ts
        current[kind] = ModePeriod(
            kind, value, ts, None, episode, _serves(playbook, kind, value, done.bus_priority)
        )
        out.append(current[kind])
    out.sort(key=lambda p: (p.started, KINDS.index(p.kind)))
    return out


def write(sink: Sink, periods: list[ModePeriod]) -> None:
    """The periods, in the order they began (their ids follow time)."""
    rows = (
        (
            p.kind,
            p.value,
            sink.time(p.started),
            sink.time(p.ended),
            sink.time(p.episode_start),
        )
        for p in periods
    )
    sink.write("mode_periods", COLUMNS, rows)


class Timeline:
    """Which period of a kind is in force at a time (from its start, up to its end excluded)."""

    def __init__(self, periods: list[ModePeriod], kind: str) -> None:
        self.periods = [p for p in periods if p.kind == kind]
        self.starts = [p.started for p in self.periods]

    def at(self, ts: float) -> ModePeriod | None:
        n = bisect.bisect_right(self.starts, ts) - 1
        if n < 0:
            return None
        found = self.periods[n]
        return None if found.ended is not None and found.ended <= ts else found


def bus_priority(periods: list[ModePeriod]) -> Callable[[float], bool]:
    """Whether signals serve buses at a time: every kind's mode in force allows it."""
    timelines = [Timeline(periods, kind) for kind in KINDS]

    def served(ts: float) -> bool:
        for timeline in timelines:
            mode = timeline.at(ts)
            if mode is not None and not mode.bus_priority:
                return False
        return True

    return served


def episode_at(snow: Timeline, ts: float) -> float | None:
    """The snow episode in force at ``ts`` (its start), or None."""
    mode = snow.at(ts)
    return None if mode is None else mode.episode_start
