"""The month's weather and the city's decisions: the snow plan, the traffic post, the policy.

The weather is drawn per day from Dijon's monthly means (``happenings.MONTHLY_MEAN_C``) with a
persistent anomaly and wet spells; snow falls on a wet day at or under 1 °C, roads freeze on a
night at or under -0.5 °C. From it the snow plan's coordinator switches levels as a real one
would: alert (1) the afternoon before snow or a frost spell, intervention (2) at 04:30 on a snowy
morning, back down at 10:00 once it has passed; the traffic post follows the intervention with
its ``snow`` mode. The traffic post also switches ``event`` for the evening matches and concerts
(Friday and Saturday nights), ``peak`` on December's shopping Saturdays, and ``incident`` a
couple of times a month when a serious accident closes the centre. Every switch is a playbook
entry's commands, sent and followed as ``services/modes.py`` does (``commands.mode_switches``).

The lighting policy (``resources/lighting/dijon.toml``) is applied a third of the way into the
month, at 14:00, by a technician: before it, the lights burn at full power from dusk to dawn, so
that the Energy panel shows the saving begin.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from services.backfill.period import (
    DAY_S,
    Period,
    local,
    local_ts,
    snow_coordinator,
    stream,
    supervisor,
    technician,
)
from services.simulator.happenings import MONTHLY_MEAN_C


@dataclass(frozen=True)
class Day:
    """A day's weather in the room's time zone."""

    day: date
    mean_c: float
    wet: bool

    @property
    def night_min_c(self) -> float:
        return self.mean_c - 4.0

    @property
    def snow(self) -> bool:
        return self.wet and self.mean_c <= 1.0

    @property
    def frost(self) -> bool:
        """Roads freeze the night that follows this day."""
        return self.night_min_c <= -0.5


def weather(period: Period, seed: int) -> dict[date, Day]:
    rng = stream(seed, "weather")
    days = period.days()
    anomaly, wet = rng.gauss(0.0, 2.0), rng.random() < 0.4
    out = {}
    for day in days:
        month = MONTHLY_MEAN_C[day.month - 1]
        after = MONTHLY_MEAN_C[day.month % 12]
        mean = month + (after - month) * (day.day - 1) / 31
        anomaly = 0.75 * anomaly + rng.gauss(0.0, 1.8)
        wet = rng.random() < (0.6 if wet else 0.25)
        out[day] = Day(day, round(mean + anomaly, 1), wet)
    return out


@dataclass(frozen=True)
class ModeSwitch:
    """One switch of the snow level or the traffic mode, as its operator made it."""

    ts: float
    kind: str  # snow or traffic
    value: str
    by: str
    reason: str
    motive: str


@dataclass
class CityPlan:
    days: dict[date, Day]
    switches: list[ModeSwitch]
    policy_at: float  # when the lighting policy was applied
    policy_by: str
    approved_by: str
    #: (since, {"snow": level, "traffic": mode}) in time order, from the period's start.
    modes: list[tuple[float, dict[str, str]]] = field(default_factory=list)

    def modes_at(self, ts: float) -> dict[str, str]:
        current = self.modes[0][1]
        for since, modes in self.modes:
            if since > ts:
                break
            current = modes
        return current

    def mode_changes(self) -> Iterator[float]:
        for since, _ in self.modes[1:]:
            yield since


SNOW_REASONS = {
    "1": (
        "Prévision de neige cette nuit : saleuses prêtes",
        "Vigilance jaune neige-verglas (Météo-France)",
    ),
    "2": ("Neige sur la chaussée : lames sorties", "Chutes de neige en cours"),
    "0": ("Fin de l'épisode : retour en veille", "Redoux, chaussées sèches"),
}
#: Down from intervention: the snow has stopped, the roads are still being treated.
SNOW_EASING = ("Fin des chutes : chaussées encore traitées", "Neige tassée par endroits")
FROST_REASON = ("Gel des chaussées annoncé plusieurs nuits", "Températures négatives")
EVENTS = (
    ("Match au stade Gaston-Gérard", "DFCO à domicile"),
    ("Concert au Zénith", "Sortie du public vers le centre"),
    ("Spectacle à l'Auditorium", "Sortie du public"),
)


def plan(period: Period, seed: int) -> CityPlan:
    """The month's weather and every switch of the snow plan and the traffic post.

    Switches the weather calls for before the period (an episode under way when it starts) set
    the modes it starts with; only those within it are on the record.
    """
    days = weather(period, seed)
    rng = stream(seed, "modes")
    every = _snow_switches(days, period)
    every += _traffic_switches(days, period, rng, every)
    every.sort(key=lambda s: (s.ts, s.kind))
    modes = {"snow": "0", "traffic": "normal"}
    for switch in every:
        if switch.ts <= period.t0:
            modes[switch.kind] = switch.value
    switches = [s for s in every if period.t0 < s.ts < period.t1]
    span = period.t1 - period.t0
    policy_at = local_ts(local(period.t0 + span / 3).date(), 14.0)
    if not period.t0 < policy_at < period.t1:
        policy_at = period.t0 + span / 3
    tech_rng = random.Random(f"vigie-backfill:{seed}:policy")
    city = CityPlan(
        days=days,
        switches=switches,
        policy_at=policy_at,
        policy_by=technician(policy_at, tech_rng),
        approved_by=supervisor(policy_at),
    )
    city.modes = [(period.t0, dict(modes))]
    for switch in switches:
        modes[switch.kind] = switch.value
        city.modes.append((switch.ts, dict(modes)))
    return city


def _snow_level(days: dict[date, Day], day: date) -> str:
    """The level the coordinator wants from this day's early morning to the next one's."""
    today = days.get(day)
    tomorrow = days.get(day + timedelta(days=1))
    yesterday = days.get(day - timedelta(days=1))
    if today is not None and today.snow:
        return "2"
    frost_spell = (
        today is not None
        and today.frost
        and (
            (yesterday is not None and yesterday.frost) or (tomorrow is not None and tomorrow.frost)
        )
    )
    if (tomorrow is not None and tomorrow.snow) or frost_spell:
        return "1"
    if yesterday is not None and yesterday.snow:
        return "1"  # the day after: roads still treated, plan kept on alert
    return "0"


def _snow_switches(days: dict[date, Day], period: Period) -> list[ModeSwitch]:
    out = []
    level = "0"
    for day in sorted(days):
        wanted = _snow_level(days, day)
        if wanted == level:
            continue
        if wanted == "2":
            ts = local_ts(day, 4.5)
        elif int(wanted) > int(level):
            ts = local_ts(day, 15.0)
        else:
            ts = local_ts(day, 10.0)
        ts = round(ts)
        if wanted == "1" and level == "2":
            reason, motive = SNOW_EASING
        elif wanted == "1" and not _next_snow(days, day):
            reason, motive = FROST_REASON
        else:
            reason, motive = SNOW_REASONS[wanted]
        out.append(ModeSwitch(ts, "snow", wanted, snow_coordinator(ts), reason, motive))
        level = wanted
    return out


def _next_snow(days: dict[date, Day], day: date) -> bool:
    following = days.get(day + timedelta(days=1))
    return following is not None and following.snow


def _traffic_switches(
    days: dict[date, Day], period: Period, rng: random.Random, snow: list[ModeSwitch]
) -> list[ModeSwitch]:
    """The traffic post's switches, never over its own ``snow`` mode."""
    out: list[ModeSwitch] = []
    busy: list[tuple[float, float]] = []  # when the post is in snow mode
    level2 = [s for s in snow if s.kind == "snow"]
    for n, switch in enumerate(level2):
        if switch.value != "2":
            continue
        start = switch.ts + 120.0 + round(rng.uniform(0, 240))
        later = [s.ts for s in level2[n + 1 :] if s.value != "2"]
        end = (later[0] + 180.0) if later else period.t1 + DAY_S
        by = technician(start, rng)
        out.append(ModeSwitch(start, "traffic", "snow", by, "Plan neige au niveau 2", "Neige"))
        if end < period.t1:
            out.append(
                ModeSwitch(end, "traffic", "normal", technician(end, rng), "Fin du plan neige", "")
            )
        busy.append((start - 8 * 3_600.0, end + 3_600.0))

    def free(a: float, b: float) -> bool:
        return not any(s < b and a < e for s, e in busy)

    def episode(a: float, b: float, value: str, reason: str, motive: str) -> None:
        a, b = round(a), round(b)
        if not free(a, b):
            return
        out.append(ModeSwitch(a, "traffic", value, technician(a, rng), reason, motive))
        out.append(
            ModeSwitch(b, "traffic", "normal", technician(b, rng), "Retour à la normale", "")
        )
        busy.append((a, b + 600.0))

    for day in sorted(days):
        weekday = day.weekday()
        if weekday in (4, 5) and rng.random() < (0.55 if weekday == 5 else 0.3):
            title, motive = rng.choice(EVENTS)
            start = local_ts(day, rng.choice((18.5, 18.75, 19.0)))
            episode(start, start + rng.uniform(4.0, 5.0) * 3_600.0, "event", title, motive)
        if day.month == 12 and weekday == 5 and day.day >= 5:
            start = local_ts(day, 14.0)
            episode(start, local_ts(day, 19.5), "peak", "Samedi des fêtes", "Marché de Noël")
    for _ in range(_poisson(rng, 1.0 * len(days) / 30)):
        day = rng.choice(sorted(days))
        start = local_ts(day, rng.uniform(7.0, 20.0))
        episode(
            start,
            start + rng.uniform(1.0, 3.0) * 3_600.0,
            "incident",
            "Accident grave, centre fermé",
            "Intervention des secours",
        )
    return out


def _poisson(rng: random.Random, mean: float) -> int:
    from services.simulator.happenings import poisson

    return poisson(rng, mean)
