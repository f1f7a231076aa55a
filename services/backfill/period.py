"""The backfill's month: its bounds, its random streams, its clock, and who is on duty when.

Times inside the backfill are seconds since the epoch (floats, to the millisecond, as the field
stamps them); ``at`` turns one into the aware UTC time the store keeps. Each kind of history
draws from a random stream of its own, seeded from the seed and the kind, so that adding camera
views never moves an incident. The room's people are a fictitious roster: three shifts a day
(06 h, 14 h, 22 h, Europe/Paris), two crews taking turns every two days, and the day staff on
weekdays; their names are text on the record (no operator row or login is made for them).
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
DAY_S = 86_400.0
HOUR_S = 3_600.0
MINUTE_S = 60.0


def stream(seed: int, name: str) -> random.Random:
    """The backfill's own random stream for ``name`` (never the simulator's)."""
    return random.Random(f"vigie-backfill:{seed}:{name}")


def request_id(rng: random.Random) -> str:
    """A command's request id: a version-4 UUID drawn from ``rng`` (the same for a seed)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def at(ts: float) -> datetime:
    """An aware UTC time from seconds since the epoch."""
    return datetime.fromtimestamp(ts, UTC)


def local(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, PARIS)


def local_ts(day: date, hour: float) -> float:
    """Seconds since the epoch at ``hour`` (decimal hours, past 24 too) of ``day``, room's time.

    The wall time to the minute (right across a change of clocks), then its seconds.
    """
    seconds = hour * 3600.0
    minutes = math.floor(seconds / 60.0)
    when = day + timedelta(days=minutes // 1440)
    wall = minutes % 1440
    moment = datetime(when.year, when.month, when.day, wall // 60, wall % 60, tzinfo=PARIS)
    return moment.timestamp() + (seconds - minutes * 60.0)


def lognormal(rng: random.Random, median: float, spread: float = 0.6) -> float:
    """A duration around ``median`` (seconds), skewed to the long side as waiting times are."""
    return median * math.exp(rng.gauss(0.0, spread))


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end`` (aware UTC), both as times and as seconds since the epoch."""

    start: datetime
    end: datetime

    @property
    def t0(self) -> float:
        return self.start.timestamp()

    @property
    def t1(self) -> float:
        return self.end.timestamp()

    def days(self) -> list[date]:
        """The room's dates the period touches, the day before its start included."""
        first = local(self.t0).date() - timedelta(days=1)
        last = local(self.t1).date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]

    def within(self, ts: float) -> bool:
        return self.t0 <= ts <= self.t1


# --- the room's people ----------------------------------------------------------------------------
#: Two crews per shift, taking turns every two days (a 2-2 rota), each with its dispatchers.
DISPATCHERS = {
    "morning": (("a.lefevre", "s.roussel", "k.benali"), ("c.fabre", "g.morin", "i.lemaire")),
    "afternoon": (("m.fournier", "l.girard", "y.mercier"), ("b.arnaud", "e.lacroix", "r.hamel")),
    "night": (("p.chevalier", "n.blanc"), ("j.garcia", "f.perret")),
}
VIDEO_OPERATORS = {
    "morning": (("v.caron",), ("v.dumas",)),
    "afternoon": (("v.noel",), ("v.leroy",)),
    "night": (("v.bertin",), ("v.picard",)),
}
#: The snow plan's coordinators take the week in turn (on call at night).
SNOW_COORDINATORS = ("r.perrin", "c.henry")
#: Technicians (lighting, signals, the traffic post) by day; one of them on call otherwise.
TECHNICIANS = ("t.marchand", "j.colin", "e.vidal")
SUPERVISORS = ("h.renaud", "d.aubert")


def shift_of(ts: float) -> tuple[str, date]:
    """The shift working at ``ts`` and the date it began (a night shift begins the day before)."""
    moment = local(ts)
    if 6 <= moment.hour < 14:
        return "morning", moment.date()
    if 14 <= moment.hour < 22:
        return "afternoon", moment.date()
    began = moment.date() if moment.hour >= 22 else moment.date() - timedelta(days=1)
    return "night", began


def _crew(began: date) -> int:
    return (began.toordinal() // 2) % 2


def dispatcher(ts: float, rng: random.Random) -> str:
    shift, began = shift_of(ts)
    return rng.choice(DISPATCHERS[shift][_crew(began)])


def video_operator(ts: float) -> str:
    shift, began = shift_of(ts)
    return VIDEO_OPERATORS[shift][_crew(began)][0]


def snow_coordinator(ts: float) -> str:
    return SNOW_COORDINATORS[local(ts).isocalendar().week % 2]


def working_day(ts: float) -> bool:
    moment = local(ts)
    return moment.weekday() < 5 and 7 <= moment.hour < 17


def technician(ts: float, rng: random.Random) -> str:
    """A technician at work, or the one on call (the week's first) outside working hours."""
    if working_day(ts):
        return rng.choice(TECHNICIANS)
    return TECHNICIANS[local(ts).isocalendar().week % len(TECHNICIANS)]


def supervisor(ts: float) -> str:
    return SUPERVISORS[0] if working_day(ts) else SUPERVISORS[1]


def workstation(operator: str) -> str:
    """A console's name on the bus, as the room's workstations name themselves."""
    return f"poste-{sum(map(ord, operator)) % 12 + 1:02d}"
