"""The operators' acts on the field: mode switches, the lighting policy, everyday commands.

A mode switch is written as ``services/modes.py`` writes one: its playbook entry's commands,
prepared at the preview a few seconds before and recorded with the switch's one ``mode.switch``
entry (the commands themselves are not audited one by one), sent by the recorder, answered,
settled; then ``mode.result`` with the state ``end_state`` gives it (``applied``, ``partial``...),
the devices done counted once each (a light reached by a switch and a dim is done when both are).
The last switch of each kind is what ``city_modes`` holds at the end, already announced.

The lighting policy is applied once (``lighting.apply``): one ``profile`` command per group,
acknowledged by each group's cabinet; then ``lighting.result``. It is recorded as carried out by a
supervisor (who may command groups) without the two-person approval a Dijon-sized apply waits for
by default: the approval's request is not part of the backfill.

Everyday commands, a few dozen a day: the video room's cameras turned to a preset (by the
technicians, whose act it is), cameras in fault rebooted, bollards lowered for the market's
deliveries and raised again, a crossroads set to a roadworks plan for a few hours, a street light
switched on for a maintenance check; each audited ``command.send``.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import update

from services.backfill.auditing import AuditBook
from services.backfill.city import CityPlan, ModeSwitch
from services.backfill.commands import Commands, Sent
from services.backfill.faults import FaultBook
from services.backfill.lighting import Lighting
from services.backfill.period import (
    Period,
    at,
    local,
    local_ts,
    stream,
    technician,
)
from services.backfill.sink import Sink
from services.commands.outbox import iso
from services.commands.outcome import Outcome
from services.domain.commands import CommandName, CommandStatus
from services.domain.dimming import night_of
from services.domain.equipment import EquipmentType
from services.domain.lighting import LightingPolicy
from services.domain.playbooks import Playbook
from services.lighting import PROFILE_EXPIRY
from services.modes import end_state, switch_outcome
from services.simulator.happenings import poisson
from services.simulator.world import World
from services.store.models import CityModeRow


@dataclass
class SwitchDone:
    switch: ModeSwitch
    previous: str
    sent: list[Sent]
    state: str
    finished: float
    bus_priority: bool | None


def switch_modes(
    city: CityPlan,
    playbook: Playbook,
    commands: Commands,
    audit: AuditBook,
    period: Period,
    seed: int,
) -> list[SwitchDone]:
    rng = stream(seed, "switches")
    current = dict(city.modes[0][1])
    done = []
    for switch in city.switches:
        entry = playbook.entry(switch.kind, switch.value)
        previous = current[switch.kind]
        current[switch.kind] = switch.value
        if entry is None:
            continue
        previewed = round(switch.ts - rng.uniform(5.0, 15.0), 3)
        sent = [
            commands.send(
                previewed,
                switch.by,
                step.target_type,
                step.target,
                step.command,
                step.params,
                audited=False,
                sent_at=switch.ts + 0.05 + 0.01 * n,
            )
            for n, step in enumerate(entry.steps)
        ]
        reached = _reached(sent)
        audit.add(
            switch.ts,
            switch.by,
            "mode.switch",
            f"{switch.kind}:{switch.value}",
            {
                "from": previous,
                "reason": switch.reason,
                "motive": switch.motive,
                "commands": [s.request.request_id for s in sent],
                "devices": len(reached),
            },
        )
        heard = [s.devices > 0 or _says_something(s.outcome) for s in sent]
        counted = [s.outcome for s, h in zip(sent, heard, strict=True) if h] or [
            Outcome(CommandStatus.DONE)
        ]
        outcome = switch_outcome(counted)
        state = end_state(outcome, rollback=False).value
        finished = max([s.finished or switch.ts for s in sent] + [switch.ts]) + rng.uniform(
            0.3, 1.0
        )
        if finished > period.t1:
            finished = period.t1
        succeeded = sum(1 for d, ok in reached.items() if ok)
        audit.add(
            finished,
            switch.by,
            "mode.result",
            f"{switch.kind}:{switch.value}",
            {"state": state, "succeeded": succeeded, "failed": [d for d, _ in outcome.failed]},
        )
        done.append(SwitchDone(switch, previous, sent, state, finished, entry.bus_priority))
    return done


def _says_something(outcome: Outcome) -> bool:
    final = outcome.final and outcome.status is not CommandStatus.TIMED_OUT
    return final and bool(outcome.succeeded or outcome.failed)


def _reached(sent: list[Sent]) -> dict[str, bool]:
    """Each device the switch reached, and whether every command that reached it was done."""
    reached: dict[str, bool] = {}
    for record in sent:
        done = set(record.done)
        for device in record.members:
            reached[device] = reached.get(device, True) and device in done
    return reached


def write_modes(sink: Sink, done: list[SwitchDone]) -> None:
    """``city_modes`` as the last switch of each kind left it (announced: nothing to publish)."""
    last: dict[str, SwitchDone] = {}
    for item in done:
        last[item.switch.kind] = item
    for kind, item in sorted(last.items()):
        switch = item.switch
        payload: dict[str, Any] = {
            "previous": item.previous,
            "state": item.state,
            "since": iso(at(item.finished)),
            "by": switch.by,
            "reason": switch.reason,
            "request_id": item.sent[0].request.request_id if item.sent else None,
        }
        if kind == "snow":
            payload["level"] = int(switch.value)
        else:
            payload["mode"] = switch.value
        if item.bus_priority is not None:
            payload["bus_priority"] = item.bus_priority
        values: dict[str, Any] = {
            "value": switch.value,
            "previous": item.previous,
            "target": None,
            "state": item.state,
            "since": at(item.finished),
            "by": switch.by,
            "reason": switch.reason,
            "motive": switch.motive,
            "request_ids": [s.request.request_id for s in item.sent],
            "switching_by": None,
            "switching_since": None,
            "announcement": payload,
            "announced_at": at(item.finished + 0.2),
        }
        if item.bus_priority is not None:
            values["bus_priority"] = item.bus_priority
        sink.session.execute(update(CityModeRow).where(CityModeRow.kind == kind).values(**values))
    sink.counts["city_modes"] = len(last)


def apply_policy(
    world: World,
    city: CityPlan,
    policy: LightingPolicy,
    lighting: Lighting,
    commands: Commands,
    audit: AuditBook,
) -> list[Sent]:
    """The policy's application: a profile per group, acknowledged by its cabinet."""
    ts = city.policy_at
    by = city.approved_by
    groups = sorted(lighting.groups)
    previewed = round(ts - 40.0, 3)
    sent = [
        commands.send(
            previewed,
            by,
            "group",
            group_id,
            CommandName.PROFILE.value,
            lighting.groups[group_id].profile.to_params(),
            audited=False,
            expires_in=PROFILE_EXPIRY,
            sent_at=ts + 0.05 + 0.001 * n,
        )
        for n, group_id in enumerate(groups)
    ]
    per_profile = Counter(lighting.groups[g].profile.name for g in groups)
    projected = baseline = 0.0
    evening = local(ts).date()
    for group_id in groups:  # tonight's energy, as ``services.lighting.projection`` reckons it
        group = lighting.groups[group_id]
        commune = world.communes[group.entity.commune]
        night = night_of(evening, commune.lat, commune.lon)
        if night is not None:
            full = group.rated_w / 1000 * night.hours
            baseline += full
            projected += full * group.profile.energy_fraction(night)
    lights = sum(len(lighting.groups[g].lights) for g in groups)
    audit.add(
        ts,
        by,
        "lighting.apply",
        policy.source,
        {
            "policy": policy.source,
            "version": _version(lighting, groups),
            "reason": "Éclairage adapté à la fréquentation : application de la politique",
            "groups": len(groups),
            "lights": lights,
            "projected_kwh": round(projected, 1),
            "baseline_kwh": round(baseline, 1),
            "profiles": dict(sorted(per_profile.items())),
            "commands": [s.request.request_id for s in sent],
        },
    )
    finished = max([s.finished or ts for s in sent] + [ts]) + 1.0
    short = [s.request.target for s in sent if s.status != CommandStatus.DONE.value]
    audit.add(
        finished,
        by,
        "lighting.result",
        policy.source,
        {
            "version": _version(lighting, groups),
            "lights_done": sum(len(s.done) for s in sent),
            "lights": lights,
            "short": short,
        },
    )
    return sent


def _version(lighting: Lighting, groups: list[str]) -> str:
    """The policy as compiled (``LightingPreview.version``): over every group's profile."""
    digest = hashlib.sha256()
    for group in groups:
        digest.update(f"{group}={lighting.groups[group].profile.version};".encode())
    return digest.hexdigest()[:12]


# --- everyday commands ----------------------------------------------------------------------------
def everyday(
    world: World,
    period: Period,
    faults: FaultBook,
    commands: Commands,
    seed: int,
) -> dict[str, int]:
    """The technicians' commands of the month; returns each camera's last preset."""
    rng = stream(seed, "everyday")
    presets: dict[str, int] = {}
    cameras = world.by_type[EquipmentType.CAMERA]
    bollards = world.by_type[EquipmentType.BOLLARD]
    signals = world.by_type[EquipmentType.TRAFFIC_SIGNAL]
    lights = world.by_type[EquipmentType.STREETLIGHT]
    limit = period.t1 - 120.0
    for fault in faults.faults:  # cameras rebooted from the room
        if fault.reboot_at is not None and period.t0 < fault.reboot_at < limit:
            by = technician(fault.reboot_at, rng)
            commands.send(fault.reboot_at, by, "Camera", fault.device, "reboot", {})
    day = local(period.t0).date()
    while local_ts(day, 0.0) < period.t1:
        scale = len(cameras) / 269
        for _ in range(_count(rng, 18 * scale)):
            ts = local_ts(day, rng.uniform(7.0, 22.0))
            if period.t0 < ts < limit and cameras:
                camera = rng.choice(cameras)
                preset = rng.randint(1, 6)
                sent = commands.send(
                    ts, technician(ts, rng), "Camera", camera.id, "preset", {"preset": preset}
                )
                if camera.id in sent.done:
                    presets[camera.id] = preset
        if bollards and day.weekday() in (1, 4, 5):  # market days at the Halles
            bollard = bollards[0]
            down = local_ts(day, 5.5 + rng.uniform(0.0, 0.3))
            up = local_ts(day, 12.5 + rng.uniform(0.0, 0.7))
            for ts, name in ((down, "lower"), (up, "raise")):
                if period.t0 < ts < limit:
                    commands.send(ts, technician(ts, rng), "Bollard", bollard.id, name, {})
        if signals and day.weekday() < 5 and rng.random() < 0.5:
            ts = local_ts(day, rng.uniform(8.0, 10.0))
            if period.t0 < ts < limit:
                signal = rng.choice(signals)
                commands.send(
                    ts, technician(ts, rng), "TrafficSignal", signal.id, "set_plan",
                    {"plan": "P3", "until": f"+{rng.choice((2, 3, 4))}h"},
                )  # fmt: skip
        for _ in range(_count(rng, 3 * len(lights) / 34_000)):
            ts = local_ts(day, rng.uniform(9.0, 16.0))
            if period.t0 < ts < limit and lights and day.weekday() < 5:
                light = rng.choice(lights)
                commands.send(
                    ts, technician(ts, rng), "Streetlight", light.id, "switch",
                    {"powerState": "on", "until": "+15m"},
                )  # fmt: skip
        day = day + timedelta(days=1)
    return presets


def _count(rng: random.Random, mean: float) -> int:
    return poisson(rng, mean)
