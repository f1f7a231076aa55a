"""A shift handover: what the outgoing operator hands to the next one (issue 22).

Plain records, no SQL and no Qt. The handover itself (who, as what, when, the shift it covers,
the remarks, who accepted it) is stored; the summary is not: it is generated each time it is
read, as the reader's own role and login may read the record (``services/handover.py``), so a
technician is never shown a patrol's destination because a dispatcher handed over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from services.domain.errors import InvalidInput
from services.domain.journal import JournalEntry

MAX_REMARKS_LENGTH = 4000

#: With no handover in the last day, the shift handed over is taken to be the last 12 hours.
DEFAULT_SHIFT = timedelta(hours=12)
RECENT_HANDOVER = timedelta(hours=24)

#: The id of a handover not recorded yet: the summary its author reads before confirming.
DRAFT_ID = 0

#: Every console reads the handovers waiting every 30 s: the newest this many, and a count.
PENDING_LISTED = 20


@dataclass(frozen=True, slots=True)
class Handover:
    id: int
    author: str
    author_role: str
    started_at: datetime
    shift_from: datetime  # the logbook entries in [shift_from, started_at) are the shift's
    remarks: str
    accepted_by: str | None
    accepted_at: datetime | None

    @property
    def accepted(self) -> bool:
        return self.accepted_by is not None

    @property
    def draft(self) -> bool:
        return self.id == DRAFT_ID


@dataclass(frozen=True, slots=True)
class LastAct:
    """An incident's newest change: which field became what, when, by whom."""

    field: str
    new: str | None
    at: datetime
    by: str


@dataclass(frozen=True, slots=True)
class OpenIncident:
    id: int
    priority: int
    category: str
    commune: str | None  # INSEE code; the text layer shows the commune's name
    commune_name: str | None
    place: str | None
    status: str
    created_at: datetime
    last_act: LastAct | None
    unit: str | None  # the unit holding it, by name; None when none or not visible to the reader
    unit_id: str | None = None  # the same unit's id (``--json``), None as ``unit`` is


@dataclass(frozen=True, slots=True)
class UnitOut:
    id: str
    name: str
    kind: str
    status: str
    incident_id: int | None
    commune_name: str | None  # where it was sent: its incident's commune and place
    place: str | None


@dataclass(frozen=True, slots=True)
class ModeInForce:
    kind: str  # "snow" or "traffic"
    value: str
    since: datetime
    by: str


@dataclass(frozen=True, slots=True)
class DeviceFault:
    id: str
    name: str
    type: str
    commune_name: str | None
    status: str
    since: datetime | None


@dataclass(frozen=True, slots=True)
class PendingCommand:
    id: str  # the command's request id
    target: str  # the device's, commune's or unit's name, or its id when it has none
    target_id: str  # what the command was sent to: a device, a group, a unit (its id)
    command: str
    issued_by: str
    issued_at: datetime
    status: str  # pending, accepted or partial


@dataclass(frozen=True, slots=True)
class WaitingApproval:
    id: str
    kind: str  # command, mode, role...
    act: str  # the matrix's act it waits to carry out, e.g. command_group
    reason: str  # the requester's reason
    requested_by: str
    requested_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class OpenView:
    id: int
    camera: str  # the camera's name
    camera_id: str
    operator: str
    purpose: str
    opened_at: datetime


@dataclass(frozen=True, slots=True)
class Summary:
    """What the next shift must know, as this reader may read it.

    ``units_out`` and ``camera_views_open`` are None (not empty) when the reader's role may not
    read them, so the text says "not shown to your role" rather than "none".
    """

    handover: Handover
    open_incidents: list[OpenIncident]
    units_out: list[UnitOut] | None
    modes: list[ModeInForce]
    faults: list[DeviceFault]
    commands_pending: list[PendingCommand]
    approvals_waiting: list[WaitingApproval]
    camera_views_open: list[OpenView] | None
    logbook: list[JournalEntry]


class Waiting(list[Handover]):
    """The newest handovers nobody accepted yet (at most ``PENDING_LISTED``), newest first.

    A list, so that its readers take it as one; ``total`` counts them all, listed or not (a
    desk whose handovers nobody accepts piles them up, and every console reads them).
    """

    def __init__(self, newest: list[Handover], total: int) -> None:
        super().__init__(newest)
        self.total = total

    @property
    def older(self) -> int:
        """How many wait besides the newest one ("and N older")."""
        return max(self.total - 1, 0)


def check_remarks(text: str) -> str:
    """The outgoing operator's remarks, trimmed; empty remarks are allowed (nothing to add)."""
    cleaned = text.strip()
    if len(cleaned) > MAX_REMARKS_LENGTH:
        raise InvalidInput("handover.remarks_too_long", maximum=MAX_REMARKS_LENGTH)
    return cleaned


def shift_start(now: datetime, previous: datetime | None) -> datetime:
    """Where the shift handed over began: the previous handover, if it was within a day."""
    if previous is not None and now - RECENT_HANDOVER <= previous <= now:
        return previous
    return now - DEFAULT_SHIFT


def incident_order(incident: OpenIncident) -> tuple[int, datetime, int]:
    """Most urgent first (priority 1 before 4), then the oldest first."""
    return (incident.priority, incident.created_at, incident.id)
