"""Switching the city's snow level or traffic mode: preview, claim, send, follow, record, announce.

One code path for the modes panel and ``vigie mode``. A preview plans every command of the
playbook's entry (the commands previewed are the commands sent: the same request ids). Applying
first claims the mode's row with a conditional update, in the same transaction that records the
commands in the outbox and the switch's one audit entry: a second coordinator's claim fails and
names who is switching. The retained ``modes/{kind}`` message (written with the act, published by
the recorder) announces the switch (``applying``, the target), then its end (``applied``,
``partial``, ``failed`` or ``rolled_back``).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from services.commands.outbox import DEFAULT_EXPIRY, CommandRequest, iso
from services.commands.outcome import GRACE, Outcome
from services.commands.selection import selection_outcome
from services.commands.sender import CommandSender, Plan
from services.domain.approvals import Approval
from services.domain.commands import CommandStatus
from services.domain.errors import Conflict, InvalidInput
from services.domain.incidents import DEFAULT_SLA, Priority
from services.domain.modes import CLAIM_STALE_AFTER, ModeRecord, ModeState
from services.domain.permissions import Act
from services.domain.playbooks import ModeEntry, Playbook, mode_value
from services.store import audit, mode_periods
from services.store.database import Database
from services.store.models import CityModeRow, CommandRow, EquipmentRow
from services.switch_accounting import NotUndone, devices_done, not_undone, reached

#: A claim older than this belongs to a process that died mid-switch: it no longer blocks anyone
#: (the one duration the database keeps too: ``services/domain/modes.CLAIM_STALE_AFTER``).
STALE_CLAIM = CLAIM_STALE_AFTER
#: A command that ended so did not (all) happen: its switch is partly applied at best.
SHORT = frozenset(
    {CommandStatus.PARTIAL, CommandStatus.FAILED, CommandStatus.REJECTED, CommandStatus.EXPIRED}
)


class SwitchInProgress(Conflict):
    key = "mode.switch_in_progress"


class NothingToRollBack(InvalidInput):
    key = "mode.nothing_to_roll_back"


class NoPlaybookEntry(InvalidInput):
    key = "mode.no_playbook_entry"


@dataclass(frozen=True)
class SwitchPreview:
    """Exactly what a switch will do, before the operator says yes."""

    kind: str
    value: str  # the target
    current: ModeRecord
    entry: ModeEntry
    plans: tuple[Plan, ...]
    devices_per_commune: Mapping[str, int]  # INSEE code -> devices reached
    commands: Mapping[str, int]  # command name -> devices reached
    sla_changes: tuple[tuple[Priority, timedelta, timedelta], ...]  # (priority, from, to)
    unknown_devices: tuple[str, ...]  # ids the database has never heard of: sent all the same
    empty_groups: tuple[str, ...]  # groups with no known member
    rollback: bool
    # A rollback: what the switch it undoes did that the previous entry does not command again.
    not_undone: tuple[NotUndone, ...] = ()

    @property
    def device_count(self) -> int:
        return sum(self.devices_per_commune.values())


@dataclass(frozen=True)
class Switch:
    """A switch under way: its commands, to follow until their outcomes are final."""

    preview: SwitchPreview
    requests: tuple[CommandRequest, ...]
    by: str  # whose switch it is (the requester, when it waited for an approval)
    reason: str
    motive: str
    approved_by: str | None = None  # the approver, who carries it out: its entries are theirs

    @property
    def actor(self) -> str:
        return self.approved_by or self.by


@dataclass(frozen=True)
class SwitchProgress:
    finished: int  # commands with a final outcome
    total: int
    outcome: Outcome  # what they add up to (pending while one is), silent gateways named
    unanswered: tuple[str, ...] = ()  # devices commanded one by one that never answered
    short: tuple[str, ...] = ()  # request ids of commands that ended partial, failed…
    devices: int = 0  # the devices the switch reaches, each once (the preview's count)

    @property
    def final(self) -> bool:
        return self.finished == self.total

    @property
    def fell_short(self) -> bool:
        """Something definitely did not happen (not merely unknown): exit status 1."""
        return bool(self.short or self.outcome.failed) or (
            self.outcome.status is CommandStatus.FAILED
        )


class ModeSwitcher:
    def __init__(
        self,
        db: Database,
        sender: CommandSender,
        playbook: Playbook,
        *,
        expires_in: timedelta = DEFAULT_EXPIRY,
    ) -> None:
        self.db = db
        self.sender = sender
        self.playbook = playbook
        self.expires_in = expires_in  # each command's; the switch ends at most 5 s after

    # --- reading ---------------------------------------------------------------------------

    def current(self, kind: str) -> ModeRecord:
        with self.db.read() as session:
            return _record(_row(session, kind))

    # --- preview ---------------------------------------------------------------------------

    def preview(self, kind: str, value: str | int, operator: str) -> SwitchPreview:
        """What switching ``kind`` to ``value`` would send and change (nothing is sent)."""
        return self._preview(kind, mode_value(kind, value), operator, rollback=False)

    def preview_rollback(self, kind: str, operator: str) -> SwitchPreview:
        """Back to the level or mode before the last switch, by its own playbook entry."""
        current = self.current(kind)
        if current.previous is None:
            raise NothingToRollBack(kind=kind)
        return self._preview(kind, current.previous, operator, rollback=True)

    def _preview(self, kind: str, value: str, operator: str, *, rollback: bool) -> SwitchPreview:
        entry = self.playbook.entry(kind, value)
        if entry is None:
            raise NoPlaybookEntry(kind=kind, value=value, source=self.playbook.source)
        current = self.current(kind)
        plans = tuple(
            self.sender.plan(
                step.target_type,
                step.target,
                step.command,
                dict(step.params),
                issued_by=operator,
                expires_in=self.expires_in,
            )
            for step in entry.steps
        )
        reached: list[str] = []
        commands: Counter[str] = Counter()
        unknown: list[str] = []
        empty: list[str] = []
        for plan in plans:
            if plan.members is not None:
                devices = plan.members.devices
                if not devices:
                    empty.append(plan.request.target)
            else:
                devices = [plan.request.target]
                if not plan.known_device:
                    unknown.append(plan.request.target)
            reached += devices
            commands[plan.request.command] += len(devices)
        old = self.playbook.entry(kind, current.value)
        before = old.sla_policy() if old else DEFAULT_SLA
        after = entry.sla_policy()
        sla = tuple(
            (p, before.target(p), after.target(p))
            for p in Priority
            if before.target(p) != after.target(p)
        )
        left: tuple[NotUndone, ...] = ()
        if rollback:
            with self.db.read() as session:
                left = not_undone(session, current.request_ids, plans, datetime.now(UTC))
        return SwitchPreview(
            kind=kind,
            value=value,
            current=current,
            entry=entry,
            plans=plans,
            devices_per_commune=self._per_commune(sorted(set(reached))),  # a device counts once
            commands=dict(commands),
            sla_changes=sla,
            unknown_devices=tuple(unknown),
            empty_groups=tuple(empty),
            rollback=rollback,
            not_undone=left,
        )

    def _per_commune(self, devices: list[str]) -> dict[str, int]:
        counts: Counter[str] = Counter()
        with self.db.read() as session:
            for start in range(0, len(devices), 2000):
                rows = session.execute(
                    select(EquipmentRow.commune).where(
                        EquipmentRow.id.in_(devices[start : start + 2000])
                    )
                ).scalars()
                counts.update(c or "?" for c in rows)
        counts["?"] += len(devices) - sum(counts.values())  # devices the database does not know
        return {k: v for k, v in sorted(counts.items()) if v}

    # --- applying --------------------------------------------------------------------------

    def apply(
        self,
        preview: SwitchPreview,
        operator: str,
        reason: str,
        motive: str = "",
        *,
        approval: Approval | None = None,
    ) -> Switch:
        """Claim the mode, record the commands and the act, announce ``applying``, send.

        ``approval``: the approved request this switch carries out; its approver then claims,
        records and is audited, naming ``operator`` (the requester) as whose switch it is.
        Raises ``SwitchInProgress`` (naming who) when another switch of this kind holds the claim.
        """
        if not reason.strip():
            raise InvalidInput("mode.reason_required")
        now = datetime.now(UTC)
        kind = preview.kind
        actor = approval.decided_by if approval and approval.decided_by else operator
        details: dict[str, Any] = {
            "from": preview.current.value,
            "reason": reason,
            "motive": motive,
            "commands": [p.request.request_id for p in preview.plans],
            "devices": preview.device_count,
        }
        if actor != operator:
            details["requested_by"] = operator

        def record_act(session: Session) -> None:
            claimed = session.execute(
                update(CityModeRow)
                .where(
                    CityModeRow.kind == kind,
                    or_(
                        CityModeRow.switching_by.is_(None),
                        CityModeRow.switching_since < now - STALE_CLAIM,
                    ),
                )
                .values(
                    switching_by=actor,
                    switching_since=now,
                    target=preview.value,
                    state=ModeState.APPLYING.value,
                    announcement=announcement(preview, ModeState.APPLYING, now, operator, reason),
                    announced_at=None,
                )
            )
            if claimed.rowcount != 1:
                holder = _row(session, kind)
                raise SwitchInProgress(
                    kind=kind, by=holder.switching_by or "?", target=holder.target or "?"
                )
            action = "mode.rollback" if preview.rollback else "mode.switch"
            audit.append(session, actor, action, f"{kind}:{preview.value}", details, at=now)

        requests = self.sender.send_together(
            preview.plans,
            record_act,
            act=Act.SWITCH_SNOW if kind == "snow" else Act.SWITCH_TRAFFIC,
            approval_id=approval.id if approval else None,
        )
        approved_by = actor if approval else None
        return Switch(preview, tuple(requests), operator, reason, motive, approved_by)

    def progress(self, switch: Switch) -> SwitchProgress:
        """Where the switch's commands stand (from the sender's memory of acks: no waiting)."""
        outcomes = [
            self.sender.outcome(r, p.members)
            for r, p in zip(switch.requests, switch.preview.plans, strict=True)
        ]
        if not outcomes:
            return SwitchProgress(0, 0, Outcome(CommandStatus.DONE))
        silent: dict[str, tuple[str, ...]] = {}
        for outcome in outcomes:
            silent.update(outcome.silent_gateways)
        # A group with no known member (a commune without signals, at this city's scale) was
        # sent all the same and said so in the preview; the switch neither waits for it nor
        # counts its silence (or a gateway's "none of mine") as a failure, only what it names.
        empty = [p.members is not None and not p.members.count for p in switch.preview.plans]
        heard = [not blank or _says_something(o) for o, blank in zip(outcomes, empty, strict=True)]
        counted = [o for o, h in zip(outcomes, heard, strict=True) if h] or [
            Outcome(CommandStatus.DONE)
        ]
        finished = sum(o.final or blank for o, blank in zip(outcomes, empty, strict=True))
        total = dataclasses.replace(
            switch_outcome(counted),
            # devices, each once, as the preview counts them (not device-commands)
            succeeded=devices_done(switch.preview.plans, outcomes),
            silent_gateways=silent,
            unconfirmed=tuple(u for o in outcomes for u in o.unconfirmed),
        )
        unanswered = tuple(
            r.target
            for r, o in zip(switch.requests, outcomes, strict=True)
            if not r.is_group and o.status is CommandStatus.TIMED_OUT
        )
        short = tuple(
            r.request_id
            for r, o, h in zip(switch.requests, outcomes, heard, strict=True)
            if h and o.status in SHORT
        )
        devices = len({d for p in switch.preview.plans for d in reached(p)})
        return SwitchProgress(finished, len(outcomes), total, unanswered, short, devices)

    def wait(self, switch: Switch, on_progress: Any = None) -> SwitchProgress:
        """Block until every command's outcome is final (the shell's way; the panel polls)."""
        latest = max((r.expires_at for r in switch.requests), default=datetime.now(UTC))
        deadline = latest + GRACE + timedelta(milliseconds=500)
        while True:
            progress = self.progress(switch)
            if on_progress:
                on_progress(progress)
            if progress.final or datetime.now(UTC) > deadline:
                return self._as_recorded(switch, progress)
            self.sender.wait_for_acks(0.5)

    def _as_recorded(self, switch: Switch, progress: SwitchProgress) -> SwitchProgress:
        """``progress``, short of every command the recorder recorded as having fallen short.

        The record is the truth: the recorder settles each command from the acks it stored,
        and a switch must not say ``applied`` where the record says one of its commands was not.
        """
        # A group with no known member is judged by what it names (``progress``), not here.
        ids = [
            r.request_id
            for r, p in zip(switch.requests, switch.preview.plans, strict=True)
            if p.members is None or p.members.count
        ]
        if not ids:
            return progress
        with self.db.read() as session:
            recorded = dict(
                session.execute(
                    select(CommandRow.request_id, CommandRow.status).where(
                        CommandRow.request_id.in_(ids)
                    )
                ).all()
            )
        short = tuple(
            r.request_id
            for r in switch.requests
            if r.request_id in progress.short or recorded.get(r.request_id) in SHORT
        )
        if short == progress.short:
            return progress
        outcome = progress.outcome
        if outcome.status is CommandStatus.DONE:
            status = CommandStatus.PARTIAL if outcome.succeeded else CommandStatus.FAILED
            outcome = dataclasses.replace(outcome, status=status)
        return dataclasses.replace(progress, outcome=outcome, short=short)

    def finish(self, switch: Switch, progress: SwitchProgress) -> ModeRecord:
        """Record how the switch ended, release the claim, announce it."""
        state = end_state(progress.outcome, rollback=switch.preview.rollback)
        now = datetime.now(UTC)
        preview = switch.preview
        with self.db.write() as session:
            row = _row(session, preview.kind)
            row.previous = preview.current.value  # a rollback too can be rolled back
            row.value = preview.value
            row.target = None
            row.state = state.value
            row.since = now
            row.by = switch.by
            row.reason = switch.reason
            row.motive = switch.motive
            row.request_ids = [r.request_id for r in switch.requests]
            if preview.entry.bus_priority is not None:
                row.bus_priority = preview.entry.bus_priority
            row.switching_by = None
            row.switching_since = None
            row.announcement = announcement(preview, state, now, switch.by, switch.reason)
            row.announced_at = None
            # The public record of the modes over time, in the same transaction. Every end
            # state counts, failed too: the row above puts the target in force whatever the
            # commands did (SLAs, lighting exceptions, the next switch's "from" and the retained
            # announcement, whose level the field contract calls the one in force, all follow
            # it), so the periods say what the city ran by. A value already in force (a retry
            # after a partial switch) is no new period.
            mode_periods.follow(session, preview.kind, preview.value, now)
            audit.append(
                session,
                switch.actor,
                "mode.result",
                f"{preview.kind}:{preview.value}",
                {
                    "state": state.value,
                    "succeeded": progress.outcome.succeeded,
                    "failed": [d for d, _ in progress.outcome.failed],
                },
                at=now,
            )
            return _record(row)


def announcement(
    preview: SwitchPreview, state: ModeState, now: datetime, by: str, reason: str
) -> dict[str, Any]:
    """The retained ``modes/{kind}``: the target while applying, then the level in force.

    Written on the mode's row with the act; the recorder publishes it (the only sender).
    """
    payload: dict[str, Any] = {
        "previous": preview.current.value,
        "state": state.value,
        "since": iso(now),
        "by": by,
        "reason": reason,
        "request_id": preview.plans[0].request.request_id if preview.plans else None,
    }
    if preview.kind == "snow":
        payload["level"] = int(preview.value)
    else:
        payload["mode"] = preview.value
    if preview.entry.bus_priority is not None:
        payload["bus_priority"] = preview.entry.bus_priority
    return payload


def _says_something(outcome: Outcome) -> bool:
    """A final answer naming a device (done or failed), for a group with no known member."""
    final = outcome.final and outcome.status is not CommandStatus.TIMED_OUT
    return final and bool(outcome.succeeded or outcome.failed)


def switch_outcome(outcomes: Sequence[Outcome]) -> Outcome:
    """What a switch's commands add up to: done only when each of them is done.

    Each command (a group's, or one device's) is one outcome; ``selection_outcome`` counts
    outcomes as devices and failures by the devices they name, so a group ``partial`` through a
    silent gateway, or ``failed`` naming no device, added up to ``done``.
    """
    if any(not o.final for o in outcomes):
        return selection_outcome(outcomes)  # pending, with what is known so far
    succeeded = sum(o.succeeded for o in outcomes)
    statuses = {o.status for o in outcomes}
    if statuses <= {CommandStatus.DONE}:
        status = CommandStatus.DONE
    elif statuses == {CommandStatus.TIMED_OUT}:
        status = CommandStatus.TIMED_OUT
    else:
        status = CommandStatus.PARTIAL if succeeded else CommandStatus.FAILED
    return Outcome(status, succeeded, tuple(f for o in outcomes for f in o.failed))


def end_state(outcome: Outcome, *, rollback: bool) -> ModeState:
    """How a switch ended: all done, some, none (a silent field counts as not done)."""
    if outcome.status is CommandStatus.DONE:
        return ModeState.ROLLED_BACK if rollback else ModeState.APPLIED
    if outcome.succeeded == 0:
        return ModeState.FAILED
    return ModeState.PARTIAL


def _row(session: Session, kind: str) -> CityModeRow:
    row = session.get(CityModeRow, kind, populate_existing=True)
    if row is None:
        raise InvalidInput("mode.bad_kind", value=kind)
    return row


def _record(row: CityModeRow) -> ModeRecord:
    return ModeRecord(
        kind=row.kind,
        value=row.value,
        previous=row.previous,
        target=row.target,
        state=row.state,
        since=row.since,
        by=row.by,
        reason=row.reason,
        motive=row.motive,
        request_ids=tuple(row.request_ids or ()),
        bus_priority=row.bus_priority,
        switching_by=row.switching_by,
    )


def current_modes(db: Database) -> list[ModeRecord]:
    """The snow level and the traffic mode as the database records them (snow first)."""
    with db.read() as session:
        rows = session.execute(select(CityModeRow).order_by(CityModeRow.kind)).scalars()
        return [_record(row) for row in rows]
