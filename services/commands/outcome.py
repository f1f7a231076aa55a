"""What a command's acks add up to, for one device or for a group.

The same function serves the recorder (which keeps the record) and the sender (who tells its
operator), so both say the same thing. A device command (or a dispatch) is decided by the device
(or unit) it addressed alone: an ack from anyone else is recorded but decides nothing, since the
field contract lets only the addressed device answer a device command (a gateway answers for
its devices only to a group command).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from services.bus.messages import AckMessage
from services.commands.membership import Membership
from services.domain.commands import CommandStatus, group_outcome

#: With no final ack this long after ``expires_at``, a command is timed out.
GRACE = timedelta(seconds=5)
DEVICE_FINAL = {"done", "rejected", "failed", "expired"}


@dataclass(frozen=True)
class Outcome:
    status: CommandStatus
    succeeded: int = 0
    failed: tuple[tuple[str, str], ...] = ()  # (device, reason)
    silent_gateways: dict[str, tuple[str, ...]] = field(default_factory=dict)  # never answered
    unconfirmed: tuple[str, ...] = ()  # members with no known gateway
    reason: str | None = None

    @property
    def final(self) -> bool:
        return self.status.is_final


def from_addressed(acks: Iterable[AckMessage], addressed: str | None) -> list[AckMessage]:
    """The acks of the device or unit ``addressed`` (all of them when it is not given)."""
    if addressed is None:
        return list(acks)
    return [a for a in acks if a.responder == addressed and a.responder_kind != "gateway"]


def device_outcome(
    acks: Iterable[AckMessage],
    expires_at: datetime,
    now: datetime,
    *,
    addressed: str | None = None,
) -> Outcome:
    """The first final answer of the device ``addressed``; timed out with none past the grace."""
    latest: AckMessage | None = None
    for ack in from_addressed(acks, addressed):
        if ack.status in DEVICE_FINAL:
            return Outcome(
                CommandStatus(ack.status),
                reason=ack.reason,
                succeeded=int(ack.status == "done"),
                failed=((ack.responder, ack.reason or ack.status),) if ack.status != "done" else (),
            )
        latest = ack
    if now > expires_at + GRACE:
        return Outcome(CommandStatus.TIMED_OUT)
    return Outcome(CommandStatus.ACCEPTED if latest else CommandStatus.PENDING)


def dispatch_outcome(
    acks: Iterable[AckMessage],
    expires_at: datetime,
    now: datetime,
    *,
    addressed: str | None = None,
) -> Outcome:
    """A dispatch ends with the unit's answer: ``accepted`` (recorded as done) or ``rejected``."""
    for ack in from_addressed(acks, addressed):
        if ack.status == "accepted":
            return Outcome(CommandStatus.DONE, succeeded=1)
        if ack.status in DEVICE_FINAL:
            return Outcome(
                CommandStatus(ack.status),
                reason=ack.reason,
                failed=((ack.responder, ack.reason or ack.status),),
            )
    if now > expires_at + GRACE:
        return Outcome(CommandStatus.TIMED_OUT)
    return Outcome(CommandStatus.PENDING)


def group_result(
    acks: Iterable[AckMessage], members: Membership, expires_at: datetime, now: datetime
) -> Outcome:
    """Gather the gateways' final acks; past the grace period, name who never answered."""
    answered: dict[str, AckMessage] = {}
    for ack in acks:
        if ack.responder_kind == "gateway":
            answered.setdefault(ack.responder, ack)
    succeeded = sum(a.succeeded or 0 for a in answered.values())
    failed: list[tuple[str, str]] = []
    for gateway, ack in sorted(answered.items()):
        failed += list(ack.failed)
        if ack.status == "expired" and not ack.failed:
            failed += [(d, "expired") for d in members.by_gateway.get(gateway, ())]
    expected = members.gateways
    waiting = expected - set(answered)
    # With no member known, any gateway may still answer for devices we have never heard of.
    still_open = bool(waiting) or not (expected or answered)
    if still_open and now <= expires_at + GRACE:
        status = CommandStatus.ACCEPTED if answered else CommandStatus.PENDING
        return Outcome(status, succeeded, tuple(failed))
    silent = {g: members.by_gateway[g] for g in sorted(waiting)}
    unconfirmed = members.without_gateway
    status = group_outcome(
        succeeded=succeeded,
        failed=len(failed),
        unconfirmed=sum(len(d) for d in silent.values()) + len(unconfirmed),
        answered_gateways=len(answered),
    )
    return Outcome(status, succeeded, tuple(failed), silent, unconfirmed)
