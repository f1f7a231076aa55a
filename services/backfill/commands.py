"""Commands on the record, as the outbox, the field and the recorder would have left them.

A command is prepared by the outbox's own code (``outbox.prepare``: the contract's checks and
types, ``until`` resolved), sent a moment later (``sent_at``: never NULL, so a live recorder
finds nothing to publish), answered by the gateways or the device (latencies of 50 to 300 ms, a
device in fault failing with ``fault:{status}``, one in five hundred not responding, an ack now
and then lost) and settled by the recorder's own rules (``services.commands.outcome``): done,
partial, failed, timed out. What a device did (its plan, its position, its lights) is kept as
an ``Effect`` for the equipment's history and the meters.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from services.backfill.auditing import AuditBook
from services.backfill.faults import FaultBook
from services.backfill.period import at, request_id, stream, workstation
from services.backfill.sink import Sink
from services.bus.messages import AckMessage
from services.bus.topics import Topics
from services.commands import outbox
from services.commands.membership import Membership
from services.commands.outcome import (
    GRACE,
    Outcome,
    device_outcome,
    dispatch_outcome,
    group_result,
)
from services.domain.commands import CommandName, parse_group, spec_for
from services.simulator.world import World

#: A device that neither faulted nor failed for a reason of its own: it did not answer.
NOT_RESPONDING = 0.002
#: A gateway's or a device's final ack lost on the way (the command times out).
ACK_LOST = 0.002
LATENCY_S = (0.05, 0.3)
COMMAND_COLUMNS = (
    "request_id",
    "target_type",
    "target",
    "command",
    "params",
    "status",
    "issued_by",
    "issued_at",
    "expires_at",
    "finished_at",
    "reply_to",
    "late",
    "sent_at",
)
ACK_COLUMNS = (
    "request_id",
    "responder",
    "responder_kind",
    "status",
    "reason",
    "succeeded",
    "failed",
    "ts",
    "received_at",
    "late",
)


@dataclass(slots=True)
class Ack:
    responder: str
    kind: str  # device, unit or gateway
    status: str
    ts: float
    reason: str | None = None
    succeeded: int | None = None
    failed: tuple[tuple[str, str], ...] = ()

    def message(self, request_id: str) -> AckMessage:
        return AckMessage(
            request_id=request_id,
            responder=self.responder,
            responder_kind=self.kind,
            status=self.status,
            reason=self.reason,
            succeeded=self.succeeded,
            failed=self.failed,
            ts=at(self.ts),
        )


@dataclass(slots=True)
class Effect:
    """What a device did when it executed a command (its override lasts until ``until``)."""

    device: str
    ts: float
    changes: dict[str, Any]
    until: float | None
    request_id: str
    group: bool = False  # a group's command (its lights together), not one device's


@dataclass(slots=True)
class Sent:
    request: outbox.CommandRequest
    sent: float
    acks: list[Ack]
    outcome: Outcome
    finished: float | None  # None: not settled by the month's end
    devices: int = 0  # the devices it reached (a group's known members)
    done: list[str] = field(default_factory=list)  # devices that did it
    members: list[str] = field(default_factory=list)  # devices it reached

    @property
    def status(self) -> str:
        return self.outcome.status.value


def _after(rng: random.Random, ts: float, span: tuple[float, float]) -> float:
    return round(ts + rng.uniform(*span), 3)


class Commands:
    """The month's commands; ``horizon`` is its end: what would come after is not (yet) there.

    A command sent just before the end may have no answer yet: it stays pending (or accepted),
    as the record would show it then.
    """

    def __init__(
        self, world: World, faults: FaultBook, audit: AuditBook, seed: int, horizon: float
    ) -> None:
        self.world = world
        self.horizon = horizon
        self.faults = faults
        self.audit = audit
        self.rng = stream(seed, "commands")
        self.ids = stream(seed, "request-ids")
        self.topics = Topics()
        self.sent: list[Sent] = []
        self.effects: list[Effect] = []

    def reply_to(self, operator: str) -> str:
        return self.topics.ack(f"console-commands-{workstation(operator)}-{4000 + len(operator)}")

    def _prepare(
        self,
        ts: float,
        by: str,
        target_type: str,
        target: str,
        command: str,
        params: Mapping[str, Any],
        expires_in: timedelta,
    ) -> outbox.CommandRequest:
        request = outbox.prepare(
            target_type,
            target,
            command,
            dict(params),
            issued_by=by,
            reply_to=self.reply_to(by),
            now=at(ts),
            expires_in=expires_in,
        )
        return dataclasses.replace(request, request_id=request_id(self.ids))

    def send(
        self,
        ts: float,
        by: str,
        target_type: str,
        target: str,
        command: str,
        params: Mapping[str, Any],
        *,
        audited: bool = True,
        expires_in: timedelta = outbox.DEFAULT_EXPIRY,
        sent_at: float | None = None,
    ) -> Sent:
        """A command to a device or a group, its answers and its outcome, on the record.

        ``sent_at``: when the recorder published it (by default a moment after ``ts``).
        """
        request = self._prepare(ts, by, target_type, target, command, params, expires_in)
        rng = self.rng
        sent = _after(rng, ts, (0.01, 0.15)) if sent_at is None else round(sent_at, 3)
        sent = min(sent, self.horizon)
        members_ids: list[str] = []
        spec = spec_for(command)
        acks: list[Ack] = []
        done: list[str] = []
        if request.is_group:
            reached = self.world.members(parse_group(request.target), spec.applies_to)
            members = Membership({g: tuple(e.id for e in es) for g, es in reached.items()}, ())
            members_ids = members.devices
            for gateway in sorted(reached):
                ack_ts = _after(rng, sent, LATENCY_S)
                ok, failed = [], []
                for entity in reached[gateway]:
                    reason = self._fails(entity.id, ack_ts, command)
                    (failed.append((entity.id, reason)) if reason else ok.append(entity.id))
                if rng.random() < ACK_LOST:
                    continue
                done += ok
                acks.append(
                    Ack(
                        gateway,
                        "gateway",
                        "failed" if failed else "done",
                        ack_ts,
                        succeeded=len(ok),
                        failed=tuple(failed),
                    )
                )
            devices = members.count
            acks, done = self._heard(acks, done)
            outcome = group_result(
                [a.message(request.request_id) for a in acks],
                members,
                request.expires_at,
                self._settled(request),
            )
        else:
            ack_ts = _after(rng, sent, LATENCY_S)
            reason = self._fails(request.target, ack_ts, command)
            devices = 1
            members_ids = [request.target]
            if rng.random() >= ACK_LOST:
                status = "failed" if reason else "done"
                acks.append(Ack(request.target, "device", status, ack_ts, reason=reason))
                if not reason:
                    done.append(request.target)
            acks, done = self._heard(acks, done)
            outcome = device_outcome(
                [a.message(request.request_id) for a in acks],
                request.expires_at,
                self._settled(request),
                addressed=request.target,
            )
        finished = self._finished(request, acks, outcome)
        record = Sent(request, sent, acks, outcome, finished, devices, done, members_ids)
        self.sent.append(record)
        self._effects(record)
        if audited:
            self._audit(record)
        return record

    def dispatch(
        self,
        ts: float,
        by: str,
        unit_id: str,
        incident_id: int,
        lat: float,
        lon: float,
        summary: str,
        answer: tuple[str, float, str | None] | None,
    ) -> Sent:
        """A unit sent to an incident; ``answer`` is its crew's (status, when, reason), or None."""
        request = outbox.prepare_dispatch(
            unit_id,
            incident_id,
            lat,
            lon,
            summary,
            issued_by=by,
            reply_to=self.reply_to(by),
            now=at(ts),
        )
        request = dataclasses.replace(request, request_id=request_id(self.ids))
        sent = min(_after(self.rng, ts, (0.01, 0.15)), self.horizon)
        acks = []
        if answer is not None:
            status, when, reason = answer
            acks.append(Ack(unit_id, "unit", status, round(when, 3), reason=reason))
        acks, _ = self._heard(acks, [])
        outcome = dispatch_outcome(
            [a.message(request.request_id) for a in acks],
            request.expires_at,
            self._settled(request),
            addressed=unit_id,
        )
        finished = self._finished(request, acks, outcome)
        record = Sent(request, sent, acks, outcome, finished, 1, [], [unit_id])
        self.sent.append(record)
        self._audit(record)
        return record

    def _fails(self, device: str, ts: float, command: str) -> str | None:
        status = self.faults.status_at(device, ts)
        if status != "ok" and command != CommandName.REBOOT.value:
            return f"fault:{status}"
        if self.rng.random() < NOT_RESPONDING:
            return "device_not_responding"
        return None

    def _heard(self, acks: list[Ack], done: list[str]) -> tuple[list[Ack], list[str]]:
        """The acks given by the horizon, and the devices whose doing was heard by then."""
        heard = [a for a in acks if a.ts + 0.02 <= self.horizon]
        if len(heard) == len(acks):
            return acks, done
        gone = {a.responder for a in acks} - {a.responder for a in heard}
        kept = [d for d in done if d not in gone and self.world.entities[d].gateway not in gone]
        return heard, kept

    def _settled(self, request: outbox.CommandRequest) -> datetime:
        """When the record last looked at it: after its grace, or at the horizon if sooner."""
        settled = request.expires_at + GRACE + timedelta(seconds=1)
        return min(settled, at(self.horizon))

    def _finished(
        self, request: outbox.CommandRequest, acks: list[Ack], outcome: Outcome
    ) -> float | None:
        """When the recorder settled it: at the deciding ack, or its sweep after the grace."""
        if not outcome.final:
            return None
        expired = (request.expires_at + GRACE).timestamp() + 0.5
        if outcome.status.value == "timed_out" or (request.is_group and outcome.silent_gateways):
            return round(expired, 3)
        return round(max(a.ts for a in acks) + 0.02, 3) if acks else round(expired, 3)

    def _effects(self, record: Sent) -> None:
        request = record.request
        params = request.params
        until = params.get("until")
        until_ts = (
            datetime.fromisoformat(until.replace("Z", "+00:00")).timestamp() if until else None
        )
        changes: dict[str, Any]
        match request.command:
            case CommandName.SWITCH.value:
                changes = {"powerState": params["powerState"]}
            case CommandName.DIM.value:
                changes = {"illuminanceLevel": params["illuminanceLevel"]}
            case CommandName.SET_PLAN.value:
                changes = {"plan": params["plan"]}
            case CommandName.RAISE.value:
                changes = {"position": "up"}
            case CommandName.LOWER.value:
                changes = {"position": "down"}
            case CommandName.PRESET.value:
                changes = {"preset": params["preset"]}
            case _:
                return
        when = {a.responder: a.ts for a in record.acks}
        for device in record.done:
            gateway = self.world.entities[device].gateway
            ts = when.get(device) or when.get(gateway or "", record.sent)
            self.effects.append(
                Effect(device, ts, changes, until_ts, request.request_id, request.is_group)
            )

    def _audit(self, record: Sent) -> None:
        request = record.request
        self.audit.add(
            request.issued_at.timestamp(),
            request.issued_by,
            "command.send",
            f"{request.target_type}:{request.target}",
            {
                "request_id": request.request_id,
                "command": request.command,
                "params": request.params,
                "expires_at": outbox.iso(request.expires_at),
            },
        )

    # --- on the record ----------------------------------------------------------------------------
    def write(self, sink: Sink) -> None:
        flag = sink.flag(False)
        sink.write(
            "commands",
            COMMAND_COLUMNS,
            (
                (
                    s.request.request_id,
                    s.request.target_type,
                    s.request.target,
                    s.request.command,
                    sink.json(s.request.params),
                    s.status,
                    s.request.issued_by,
                    sink.moment(s.request.issued_at),
                    sink.moment(s.request.expires_at),
                    sink.time(s.finished),
                    s.request.reply_to,
                    flag,
                    sink.time(s.sent),
                )
                for s in sorted(
                    self.sent, key=lambda s: (s.request.issued_at, s.request.request_id)
                )
            ),
        )
        sink.write(
            "command_acks",
            ACK_COLUMNS,
            (
                (
                    s.request.request_id,
                    a.responder,
                    a.kind,
                    a.status,
                    a.reason,
                    a.succeeded,
                    sink.json([{"id": d, "reason": r} for d, r in a.failed]) if a.failed else None,
                    sink.time(a.ts),
                    sink.time(round(a.ts + 0.02, 3)),
                    flag,
                )
                for s in sorted(
                    self.sent, key=lambda s: (s.request.issued_at, s.request.request_id)
                )
                for a in sorted(s.acks, key=lambda a: (a.ts, a.responder))
            ),
        )
