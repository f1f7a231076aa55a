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


def without_stream(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """A device's attributes as a role that may not view cameras reads them."""
    return {k: v for k, v in attributes.items() if k != STREAM_URL}


def expiry(now: datetime, minutes: int) -> datetime:
    """Until when a view opened or renewed at ``now`` plays: whole seconds, as its token says."""
    return now.replace(microsecond=0) + timedelta(minutes=minutes)
