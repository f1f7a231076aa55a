"""The city's modes: the snow plan's level and the traffic post's mode."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum

from services.domain.errors import InvalidInput

#: How long a mode switch's claim (``city_modes.switching_by``, dated ``switching_since``) is its
#: holder's alone. A switch lasts at most its commands' expiry and grace, well under a minute, and
#: nothing renews a claim: one older than this belongs to a process that died mid-switch. The
#: console takes such a claim over (``services/modes.py``) and PostgreSQL lets it, on the record,
#: and refuses to let anyone take over a younger one (``services/store/pg_requests.py``).
CLAIM_STALE_AFTER = timedelta(minutes=5)


class SnowLevel(IntEnum):
    WATCH = 0  # veille
    ALERT = 1  # alerte
    INTERVENTION = 2
    CRISIS = 3  # crise


class TrafficMode(StrEnum):
    NORMAL = "normal"
    PEAK = "peak"
    EVENT = "event"
    INCIDENT = "incident"
    SNOW = "snow"


class ModeState(StrEnum):
    APPLYING = "applying"
    APPLIED = "applied"
    PARTIAL = "partial"
    FAILED = "failed"
    ROLLED_BACK = "rolled_back"


@dataclass(frozen=True)
class ModeRecord:
    """A mode as the database records it: in force, or being switched by someone."""

    kind: str  # snow or traffic
    value: str  # "0".."3", or a TrafficMode value
    previous: str | None
    target: str | None  # while applying
    state: str  # a ModeState value
    since: datetime
    by: str
    reason: str
    motive: str  # the weather or event behind it
    request_ids: tuple[str, ...]
    bus_priority: bool | None
    switching_by: str | None


def parse_snow_level(text: str | int) -> SnowLevel:
    """A level by number (``0``–``3``) or name: watch, alert, intervention, crisis."""
    if isinstance(text, int) or (isinstance(text, str) and text.strip().isdigit()):
        try:
            return SnowLevel(int(text))
        except ValueError:
            raise InvalidInput("mode.bad_snow_level", value=str(text)) from None
    try:
        return SnowLevel[str(text).strip().upper()]
    except KeyError:
        raise InvalidInput("mode.bad_snow_level", value=str(text)) from None


def parse_traffic_mode(text: str) -> TrafficMode:
    try:
        return TrafficMode(text.strip().lower())
    except ValueError:
        raise InvalidInput("mode.bad_traffic_mode", value=text) from None
