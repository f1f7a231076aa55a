"""The outbox: a command is written to the database before it is published, and re-sent from it.

The broker is not the system of record; a command exists once its row is committed. The recorder
re-publishes every command neither finished nor expired after a broker loss or its own restart,
with the same ``request_id`` (devices execute a request at most once).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.bus.topics import Topics
from services.domain.commands import (
    CommandStatus,
    parse_group,
    spec_for,
    typed_params,
    valid_identifier,
)
from services.domain.equipment import EquipmentType
from services.domain.errors import InvalidInput
from services.domain.permissions import Act
from services.store import audit, pg_authority, pg_requests
from services.store.models import CommandRow, EquipmentRow

DEFAULT_EXPIRY = timedelta(seconds=30)
GROUP = "group"
UNIT = "unit"  # dispatches: target_type "unit", command "dispatch"
DISPATCH = "dispatch"
_DURATION = re.compile(r"^\+(\d+(?:\.\d+)?)([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


@dataclass(frozen=True)
class CommandRequest:
    request_id: str
    target_type: str  # an EquipmentType value, or "group"
    target: str  # device id, or group id (commune:21231, all:Streetlight, a StreetlightGroup)
    command: str
    params: dict[str, Any]
    issued_by: str
    issued_at: datetime
    expires_at: datetime
    reply_to: str

    @property
    def is_group(self) -> bool:
        return self.target_type == GROUP

    @property
    def is_dispatch(self) -> bool:
        return self.command == DISPATCH

    def topic(self, topics: Topics) -> str:
        if self.is_group:
            return topics.group_command(self.target)
        if self.is_dispatch:
            return topics.unit_dispatch(self.target)
        return topics.command(self.target_type, self.target)

    def payload(self) -> dict[str, Any]:
        if self.is_dispatch:  # the contract puts a dispatch's fields at the top level
            return {
                "request_id": self.request_id,
                **self.params,
                "reply_to": self.reply_to,
                "issued_by": self.issued_by,
                "issued_at": iso(self.issued_at),
                "expires_at": iso(self.expires_at),
            }
        return {
            "request_id": self.request_id,
            "command": self.command,
            "params": self.params,
            "reply_to": self.reply_to,
            "issued_by": self.issued_by,
            "issued_at": iso(self.issued_at),
            "expires_at": iso(self.expires_at),
        }


def iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_until(text: str, now: datetime) -> datetime:
    """An ISO 8601 time, or a duration from now such as ``+2h``, ``+30m``, ``+1d``."""
    match = _DURATION.match(text.strip())
    if match:  # to the second: an operator reads it, a device needs no finer
        later = now + timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})
        return later.replace(microsecond=0)
    try:
        at = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput("command.bad_until", value=text) from None
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    if at <= now:
        raise InvalidInput("command.until_past", value=text)
    return at.astimezone(UTC)


def prepare(
    target_type: str,
    target: str,
    command: str,
    params: Mapping[str, Any],
    *,
    issued_by: str,
    reply_to: str,
    now: datetime,
    expires_in: timedelta = DEFAULT_EXPIRY,
) -> CommandRequest:
    """Check a command against the contract and give it its request id and times."""
    spec = spec_for(command)
    typed = typed_params(command, params)
    if "until" in typed:
        typed["until"] = iso(parse_until(str(typed["until"]), now))
    if target_type == GROUP:
        target = parse_group(target).topic_id
    else:
        try:
            kind = EquipmentType(target_type)
        except ValueError:
            raise InvalidInput("command.unknown_type", value=target_type) from None
        if kind not in spec.applies_to:
            raise InvalidInput(
                "command.not_for_type",
                command=command,
                type=target_type,
                types=", ".join(sorted(t.value for t in spec.applies_to)),
            )
        if not valid_identifier(target):
            raise InvalidInput("command.bad_identifier", value=target)
    return CommandRequest(
        request_id=str(uuid.uuid4()),
        target_type=target_type,
        target=target,
        command=spec.name.value,
        params=typed,
        issued_by=issued_by,
        issued_at=now,
        expires_at=now + expires_in,
        reply_to=reply_to,
    )


def prepare_dispatch(
    unit_id: str,
    incident_id: int,
    lat: float,
    lon: float,
    summary: str,
    *,
    issued_by: str,
    reply_to: str,
    now: datetime,
    expires_in: timedelta = DEFAULT_EXPIRY,
    retask_from: int | None = None,
) -> CommandRequest:
    """A dispatch of a unit to an incident: answered ``accepted`` (final) or ``rejected``.

    ``retask_from`` names the incident a re-tasked unit leaves, so that its crew knows which
    mission this one replaces.
    """
    if not valid_identifier(unit_id):
        raise InvalidInput("command.bad_identifier", value=unit_id)
    params: dict[str, Any] = {
        "incident_id": incident_id,
        "location": {"type": "Point", "coordinates": [lon, lat]},
        "summary": summary,
    }
    if retask_from is not None:
        params["retask_from"] = retask_from
    return CommandRequest(
        request_id=str(uuid.uuid4()),
        target_type=UNIT,
        target=unit_id,
        command=DISPATCH,
        params=params,
        issued_by=issued_by,
        issued_at=now,
        expires_at=now + expires_in,
        reply_to=reply_to,
    )


def is_known_device(session: Session, request: CommandRequest) -> bool:
    return session.get(EquipmentRow, request.target) is not None


def record(
    session: Session,
    request: CommandRequest,
    *,
    act: Act | None = None,
    audited: bool = True,
    approved_by: str | None = None,
    approval_id: str | None = None,
) -> None:
    """Write the command (pending, unsent) and its audit entry, in the caller's transaction.

    ``act``: the matrix's act it belongs to (a mode switch's commands are the switch's), by
    default the one its target says. ``audited=False`` when the command is part of an act
    audited as a whole (a mode switch). ``approved_by``: the second operator whose approval
    sends it; the entry is theirs (on PostgreSQL a login writes audit rows in its own name only)
    and names the requester. ``approval_id``: the approval it carries out. On PostgreSQL no
    login may insert a command: ``vigie_record_command`` records it and checks the act, the
    approval and the rules the database can judge (``services/store/pg_requests.py``).
    """
    if pg_authority.database_checks(session) and pg_requests.operator_login(session):
        pg_authority.call(
            session,
            "vigie_record_command",
            p_request_id=request.request_id,
            p_target_type=request.target_type,
            p_target=request.target,
            p_command=request.command,
            p_params=json.dumps(request.params),
            p_issued_at=request.issued_at,
            p_expires_at=request.expires_at,
            p_reply_to=request.reply_to,
            p_act=(act or act_of(request)).value,
            p_approval_id=approval_id,
        )
    else:
        session.add(
            CommandRow(
                request_id=request.request_id,
                target_type=request.target_type,
                target=request.target,
                command=request.command,
                params=request.params,
                status=CommandStatus.PENDING.value,
                issued_by=request.issued_by,
                issued_at=request.issued_at,
                expires_at=request.expires_at,
                reply_to=request.reply_to,
                approval_id=approval_id,
            )
        )
    if not audited:
        return
    details = {
        "request_id": request.request_id,
        "command": request.command,
        "params": request.params,
        "expires_at": iso(request.expires_at),
    }
    if approved_by is not None:
        details["requested_by"] = request.issued_by
    audit.append(
        session,
        approved_by or request.issued_by,
        "command.send",
        f"{request.target_type}:{request.target}",
        details,
        at=request.issued_at,
    )


def act_of(request: CommandRequest) -> Act:
    """The act a command is on its own: a dispatch, a group's command or a device's."""
    if request.is_dispatch:
        return Act.ACT_ON_INCIDENTS
    return Act.COMMAND_GROUP if request.is_group else Act.COMMAND_DEVICE


def as_request(row: CommandRow) -> CommandRequest:
    return CommandRequest(
        request_id=row.request_id,
        target_type=row.target_type,
        target=row.target,
        command=row.command,
        params=dict(row.params),
        issued_by=row.issued_by,
        issued_at=row.issued_at,
        expires_at=row.expires_at,
        reply_to=row.reply_to or "",
    )


def unfinished(session: Session, now: datetime, sent_before: datetime) -> list[CommandRequest]:
    """Commands to re-send: sent before the connection's loss, neither final nor expired.

    Unsent ones are the recorder's to send anyway, once connected.
    """
    rows = session.execute(
        select(CommandRow)
        .where(
            CommandRow.sent_at < sent_before,
            CommandRow.status.in_([CommandStatus.PENDING.value, CommandStatus.ACCEPTED.value]),
            CommandRow.expires_at > now,
        )
        .order_by(CommandRow.issued_at)
    ).scalars()
    return [as_request(r) for r in rows]


def overdue(session: Session, before: datetime) -> list[CommandRequest]:
    """Commands still open whose ``expires_at`` is before ``before``: time to time them out."""
    rows = session.execute(
        select(CommandRow).where(
            CommandRow.status.in_([CommandStatus.PENDING.value, CommandStatus.ACCEPTED.value]),
            CommandRow.expires_at < before,
        )
    ).scalars()
    return [as_request(r) for r in rows]


def get(session: Session, request_id: str) -> CommandRequest | None:
    row = session.get(CommandRow, request_id)
    return as_request(row) if row else None


def set_status(session: Session, request_id: str, status: CommandStatus, now: datetime) -> bool:
    """Move a command to ``status`` unless it is already final there; True when it changed."""
    result = session.execute(
        update(CommandRow)
        .where(
            CommandRow.request_id == request_id,
            CommandRow.status != status.value,
            CommandRow.status.in_([CommandStatus.PENDING.value, CommandStatus.ACCEPTED.value]),
        )
        .values(status=status.value, finished_at=now if status.is_final else None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def set_late_status(
    session: Session, request_id: str, status: CommandStatus, now: datetime
) -> bool:
    """Move a command recorded ``timed_out`` to the final ``status`` its device gave late.

    The command is marked ``late`` (the record said timed out for a while); True when it moved.
    """
    if not status.is_final or status is CommandStatus.TIMED_OUT:
        return False
    result = session.execute(
        update(CommandRow)
        .where(
            CommandRow.request_id == request_id,
            CommandRow.status == CommandStatus.TIMED_OUT.value,
        )
        .values(status=status.value, finished_at=now, late=True)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def is_late(session: Session, request_id: str) -> bool:
    """Whether the command's final status came from an answer given after it timed out."""
    late = session.execute(
        select(CommandRow.late).where(CommandRow.request_id == request_id)
    ).scalar_one_or_none()
    return bool(late)
