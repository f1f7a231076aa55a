"""A live view of a camera: opened for a purpose, on the record, closed at its limit (issue 18).

French law frames a city's video supervision (Code de la sécurité intérieure, L.251-1 and
following): only authorised operators watch, and every access is traced with its purpose. A
view is opened by one viewer, for a purpose (the incident it was opened from, or one of the
city's listed purposes with a text), from a workstation, for a limited time (``DEFAULT_MINUTES``
unless renewed); its stream's token expires with it (``stream_tokens``). It ends closed by its
viewer, timed out, or because its console is gone; each end is journaled.

Plain rules, shared by SQLite's path and PostgreSQL's functions (``services/store/pg_views.py``
writes the same limits into its SQL).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from services.domain.errors import InvalidInput
from services.domain.permissions import OWN_VIEW_CLOSED

#: How long a view plays unless renewed (issue 18: "a limit, default 15 minutes").
DEFAULT_MINUTES = 15
#: The longest a view or a renewal may ask: a view left open is no longer "a purpose".
MAX_MINUTES = 60
#: A purpose is a sentence, not a report.
MAX_PURPOSE = 500
#: A workstation's name, as consoles name themselves on the bus.
MAX_WORKSTATION = 128


class ClosedBecause(StrEnum):
    CLOSED = "closed"  # by its viewer
    TIMED_OUT = "timed_out"  # at its limit, not renewed
    CONSOLE_GONE = "console_gone"  # its console died: the recorder closes it


#: Who may say a view ended, and why: its viewer closes it (or times it out, at the limit, from
#: its own console); the recorder times it out and says when its console is gone.
BY_VIEWER = frozenset({ClosedBecause.CLOSED, ClosedBecause.TIMED_OUT})
BY_RECORDER = frozenset({ClosedBecause.TIMED_OUT, ClosedBecause.CONSOLE_GONE})

#: Where a Camera's state says its stream is served (Smart Data Models' ``streamURL``): shown only
#: to roles that may view cameras. The address opens nothing without a token (``stream_tokens``),
#: which only ``open_view`` mints; hiding it keeps the cameras' addresses off other desks.
STREAM_URL = "streamURL"

#: The audit actions of a view (``permissions.act_of`` knows them).
OPENED = "camera.view_opened"
RENEWED = "camera.view_renewed"
CLOSED = OWN_VIEW_CLOSED  # a viewer's own, never refused to them
SECRETS_LOADED = "video.secrets_load"


class Purpose(StrEnum):
    """The purposes a view may be opened for besides an incident.

    Those the law lists for video protection of public places (Code de la sécurité intérieure,
    L.251-2) that a city's authorisation names. The operator adds a text saying what exactly
    they look for.
    """

    PUBLIC_SAFETY = "public_safety"  # preventing attacks on people and property
    TRAFFIC = "traffic"  # regulating traffic, finding breaches of the highway code
    PUBLIC_BUILDINGS = "public_buildings"  # protecting public buildings and their surroundings
    RISKS = "risks"  # preventing natural or technological risks
    RESCUE = "rescue"  # rescuing people, defending against fire
    EVENTS = "events"  # the safety of gatherings and events


def listed_purpose(purpose: Purpose, text: str) -> str:
    """A listed purpose as recorded: its key, then the operator's words (``traffic: …``).

    The key, not a translated title: an auditor reads the same word whatever the viewer's
    language. The text is required: a listed purpose alone says too little.
    """
    words = (text or "").strip()
    if not words:
        raise InvalidInput("camera.no_purpose")
    return check_purpose(f"{purpose.value}: {words}")


def incident_purpose(incident_id: int) -> str:
    """The purpose of a view opened from an incident (its id is recorded beside it)."""
    return f"incident {incident_id}"


def check_purpose(purpose: str | None) -> str:
    """The purpose as recorded (trimmed), or ``InvalidInput`` saying that one is needed."""
    text = (purpose or "").strip()
    if not text:
        raise InvalidInput("camera.no_purpose")
    if len(text) > MAX_PURPOSE:
        raise InvalidInput("camera.purpose_too_long", maximum=MAX_PURPOSE)
    return text


def check_minutes(minutes: int) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        raise InvalidInput("camera.bad_minutes", value=minutes, maximum=MAX_MINUTES)
    return minutes


def check_workstation(workstation: str | None) -> str:
    text = (workstation or "").strip()
    if not text or len(text) > MAX_WORKSTATION or any(ord(c) < 0x20 for c in text):
        raise InvalidInput("camera.bad_workstation", value=workstation or "")
    return text


def parse_because(text: str) -> ClosedBecause:
    try:
        return ClosedBecause(text)
    except ValueError:
        known = ", ".join(b.value for b in ClosedBecause)
        raise InvalidInput("camera.bad_because", value=text, known=known) from None


#: The sizes a camera serves (``docs/video.md``): a wall's tile, and one tile enlarged.
TILE_SIZE = "640x360"
ENLARGED_SIZE = "1280x720"


def stream_address(stream_url: str, token: str, size: str = TILE_SIZE) -> str:
    """Where a view's stream plays: the camera's ``streamURL`` with the view's token and size."""
    parts = urlsplit(stream_url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("token", "size")]
    query += [("token", token), ("size", size)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def calls_for_cameras(category: str, source: str, priority: int, status: str) -> bool:
    """Whether a new incident is a monitored building's alarm that may open its cameras.

    An intrusion or fire alarm (``security`` alerts at P1, still new): the desk opens the
    cameras around it only when its operator chose so (off by default).
    """
    return source == "alert" and category == "security" and priority == 1 and status == "new"


def without_stream(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """A device's attributes as a role that may not view cameras reads them."""
    return {k: v for k, v in attributes.items() if k != STREAM_URL}


def expiry(now: datetime, minutes: int) -> datetime:
    """Until when a view opened or renewed at ``now`` plays: whole seconds, as its token says."""
    return now.replace(microsecond=0) + timedelta(minutes=minutes)
