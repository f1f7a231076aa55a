"""A mode switch counted as its preview counts: devices, each once.

The preview says how many devices a switch reaches (a device in two of its commands, a group's
``switch`` and ``dim``, counts once). Its result must count the same things: a device is done
when every command that reached it is done for it, not once per command. And a rollback
re-applies the previous entry of the playbook: what the switch being undone did, and that entry
says nothing about, stays as it is (a temporary command ends by itself at its ``until``); the
rollback's preview says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.commands.membership import group_members
from services.commands.outcome import Outcome
from services.commands.sender import Plan
from services.domain.commands import CommandStatus, parse_group
from services.store.models import CommandRow


def reached(plan: Plan) -> list[str]:
    """The devices a planned command reaches, as the preview counts them."""
    if plan.members is not None:
        return plan.members.devices
    return [plan.request.target]


def devices_done(plans: Sequence[Plan], outcomes: Sequence[Outcome]) -> int:
    """Devices every command of the switch that reached them is done for (each counted once)."""
    done: set[str] = set()
    not_done: set[str] = set()
    for plan, outcome in zip(plans, outcomes, strict=True):
        devices = reached(plan)
        if not outcome.final:
            not_done.update(devices)
            continue
        if plan.members is None:  # a device command: its own answer decides
            (done if outcome.status is CommandStatus.DONE else not_done).update(devices)
            continue
        missing = {d for d, _ in outcome.failed} | set(outcome.unconfirmed)
        for silent in outcome.silent_gateways.values():
            missing.update(silent)
        # A group's answering gateways say for their devices, even when another stays silent.
        if outcome.status in (CommandStatus.DONE, CommandStatus.PARTIAL, CommandStatus.TIMED_OUT):
            done.update(d for d in devices if d not in missing)
            not_done.update(d for d in devices if d in missing)
        else:
            not_done.update(devices)
    return len(done - not_done)


@dataclass(frozen=True)
class NotUndone:
    """A command of the switch being rolled back that the rollback leaves as it is."""

    target_type: str
    target: str
    command: str
    devices: int
    until: datetime | None  # when it ends by itself; None: it stays until someone changes it


def not_undone(
    session: Session, request_ids: Sequence[str], plans: Sequence[Plan], now: datetime
) -> tuple[NotUndone, ...]:
    """The last switch's commands whose targets the rollback does not command again."""
    if not request_ids:
        return ()
    # A group's lights and its signals are one target: the command tells them apart.
    again = {(p.request.target_type, p.request.target, p.request.command) for p in plans}
    rows = session.execute(
        select(CommandRow).where(CommandRow.request_id.in_(list(request_ids)))
    ).scalars()
    left = []
    for row in rows:
        if (row.target_type, row.target, row.command) in again:
            continue
        until = _until(row.params)
        if until is not None and until <= now:
            continue  # over already: nothing is left of it
        if row.target_type == "group":
            devices = group_members(session, parse_group(row.target), row.command).count
        else:
            devices = 1
        left.append(NotUndone(row.target_type, row.target, row.command, devices, until))
    return tuple(sorted(left, key=lambda n: (n.target_type, n.target, n.command)))


def _until(params: dict) -> datetime | None:
    text = params.get("until") if isinstance(params, dict) else None
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
