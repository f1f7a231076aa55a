"""Applying the city's lighting policy: project, preview, push profiles, follow, read back.

One code path for the console and ``vigie lighting``. A preview compiles each StreetlightGroup's
dimming profile and plans its ``profile`` command (what is previewed is what is sent: the same
request ids), with the energy the policy would use tonight against full power for the same
hours. Applying records every command and the act's one audit entry in one transaction; the
recorder sends them, each group's cabinet acknowledges and runs its profile by itself from then
on. ``status`` reads back the profile each group reports in force against the one it should hold.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.commands import outbox
from services.commands.membership import Membership
from services.commands.outcome import GRACE, Outcome
from services.commands.sender import CommandSender, Plan
from services.domain.approvals import Approval
from services.domain.commands import CommandName, CommandStatus
from services.domain.dimming import DimmingProfile, Night, night_of
from services.domain.equipment import EquipmentType
from services.domain.errors import InvalidInput
from services.domain.lighting import LightingPolicy
from services.domain.permissions import Act
from services.domain.playbooks import Playbook
from services.reference import communes
from services.store import audit
from services.store import energy as energy_store
from services.store.database import Database
from services.store.models import EquipmentRow
from services.switch_accounting import devices_done

#: A light that does not report its rated power is counted at this (W): a common LED lantern.
ASSUMED_RATED_W = 60.0
#: A profile carries more than a switch: the cabinets get a minute to answer.
PROFILE_EXPIRY = timedelta(seconds=60)


@dataclass(frozen=True)
class GroupProfile:
    """One StreetlightGroup under the policy: its lights, its profile, tonight's energy."""

    group: str
    commune: str | None
    members: Membership
    rated_w: float  # its lights at full level
    profile: DimmingProfile
    projected_kwh: float
    baseline_kwh: float

    @property
    def lights(self) -> int:
        return self.members.count


@dataclass(frozen=True)
class CommuneProjection:
    lights: int
    projected_kwh: float
    baseline_kwh: float

    @property
    def saving_kwh(self) -> float:
        return self.baseline_kwh - self.projected_kwh


@dataclass(frozen=True)
class Projection:
    """What the policy would use over one night, against full power for the same hours."""

    night: date  # the evening's date (the room's, from noon to noon), as ``night_of`` takes it
    groups: tuple[GroupProfile, ...]
    per_commune: Mapping[str, CommuneProjection]
    assumed_power: int  # lights that report no rated power, counted at ASSUMED_RATED_W
    unknown_groups: tuple[str, ...]  # groups the policy names that Vigie has never heard of

    @property
    def lights(self) -> int:
        return sum(g.lights for g in self.groups)

    @property
    def projected_kwh(self) -> float:
        return sum(c.projected_kwh for c in self.per_commune.values())

    @property
    def baseline_kwh(self) -> float:
        return sum(c.baseline_kwh for c in self.per_commune.values())

    @property
    def saving_kwh(self) -> float:
        return self.baseline_kwh - self.projected_kwh


@dataclass(frozen=True)
class _Light:
    id: str
    gateway: str | None
    commune: str | None
    group: str
    rated_w: float | None


def _lights(session: Session) -> list[_Light]:
    """Every street light Vigie knows that belongs to a group (one query)."""
    rows = session.execute(
        select(
            EquipmentRow.id,
            EquipmentRow.gateway,
            EquipmentRow.commune,
            EquipmentRow.group_ref,
            # The one attribute needed, extracted by the database: decoding 34,000 JSON
            # documents in Python took most of a preview's second.
            EquipmentRow.attributes["ratedPower"].as_string(),
        )
        .where(
            EquipmentRow.type == EquipmentType.STREETLIGHT.value,
            EquipmentRow.group_ref.is_not(None),
        )
        .order_by(EquipmentRow.id)
    )
    lights = []
    for light_id, gateway, commune, group, rated in rows:
        lights.append(_Light(light_id, gateway, commune, group, _watts(rated)))
    return lights


def _watts(raw: object) -> float | None:
    """A rated power as the database gives it back (a number, or its text), if it is one."""
    if isinstance(raw, bool) or raw is None:
        return None
    try:
        watts = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return watts if 0 <= watts < 1e6 else None


def _places() -> dict[str, tuple[float, float]]:
    return {c.insee: (c.lat, c.lon) for c in communes()}


#: Where the sun is reckoned for a group in no known commune: Dijon.
DIJON = (47.3220, 5.0415)


def projection(
    db: Database,
    policy: LightingPolicy,
    playbook: Playbook | None = None,
    night: date | None = None,
    now: datetime | None = None,
) -> Projection:
    """Each group's profile and the energy it would use over ``night`` (by default tonight's).

    Energy is each group's rated power times the profile's levels over the hours of that night at
    its commune (a dimmed LED draws in proportion to its level); the baseline is the same lights at
    full power for the same hours.
    """
    now = now or datetime.now(UTC)
    # Tonight as the room says it: until noon, the night in progress (from noon to noon).
    evening = night or energy_store.night_of(now)
    with db.read() as session:
        lights = _lights(session)
    by_group: dict[str, list[_Light]] = defaultdict(list)
    for light in lights:
        by_group[light.group].append(light)
    places = _places()
    nights: dict[str, Night | None] = {}
    groups: list[GroupProfile] = []
    per_commune: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    assumed = 0
    named = policy.groups_named(playbook)
    compiled: dict[tuple[str, str | None], DimmingProfile] = {}
    for group_id in sorted(by_group):
        members = by_group[group_id]
        commune = Counter(m.commune for m in members).most_common(1)[0][0]
        key = (group_id if group_id in named else "", commune)
        if key not in compiled:
            compiled[key] = policy.profile_for(group_id, commune, playbook, now)
        profile = compiled[key]
        rated = 0.0
        for m in members:
            rated += ASSUMED_RATED_W if m.rated_w is None else m.rated_w
            assumed += m.rated_w is None
        key = commune or ""
        if key not in nights:
            nights[key] = night_of(evening, *places.get(key, DIJON))
        the_night = nights[key]
        hours = the_night.hours if the_night else 0.0
        fraction = profile.energy_fraction(the_night) if the_night else 0.0
        baseline = rated / 1000 * hours
        projected = baseline * fraction
        by_gateway: dict[str, list[str]] = defaultdict(list)
        loose: list[str] = []
        for m in members:
            (by_gateway[m.gateway] if m.gateway else loose).append(m.id)
        groups.append(
            GroupProfile(
                group=group_id,
                commune=commune,
                members=Membership({g: tuple(d) for g, d in by_gateway.items()}, tuple(loose)),
                rated_w=rated,
                profile=profile,
                projected_kwh=projected,
                baseline_kwh=baseline,
            )
        )
        totals = per_commune[key]
        totals[0] += len(members)
        totals[1] += projected
        totals[2] += baseline
    return Projection(
        night=evening,
        groups=tuple(groups),
        per_commune={
            c: CommuneProjection(int(n), p, b) for c, (n, p, b) in sorted(per_commune.items())
        },
        assumed_power=assumed,
        unknown_groups=tuple(sorted(set(policy.by_group) - set(by_group))),
    )


# --- preview and apply ---------------------------------------------------------------------------
@dataclass(frozen=True)
class LightingPreview:
    """Exactly what applying the policy will send, before the operator says yes."""

    policy: LightingPolicy
    projection: Projection
    plans: tuple[Plan, ...]  # one ``profile`` per group, in the projection's order

    @property
    def version(self) -> str:
        """The policy as compiled: 12 hex digits over every group's profile version."""
        digest = hashlib.sha256()
        for group in self.projection.groups:
            digest.update(f"{group.group}={group.profile.version};".encode())
        return digest.hexdigest()[:12]

    @property
    def per_profile(self) -> dict[str, tuple[int, int]]:
        """Profile name -> (groups, lights)."""
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for group in self.projection.groups:
            counts[group.profile.name][0] += 1
            counts[group.profile.name][1] += group.lights
        return {name: (g, n) for name, (g, n) in sorted(counts.items())}


def preview(
    db: Database,
    sender: CommandSender,
    policy: LightingPolicy,
    playbook: Playbook | None,
    operator: str,
    *,
    now: datetime | None = None,
    expires_in: timedelta = PROFILE_EXPIRY,
) -> LightingPreview:
    """Compile the policy for every group Vigie knows and plan their commands (sends nothing)."""
    now = now or datetime.now(UTC)
    projected = projection(db, policy, playbook, now=now)
    plans = tuple(
        Plan(
            outbox.prepare(
                "group",
                group.group,
                CommandName.PROFILE.value,
                group.profile.to_params(),
                issued_by=operator,
                reply_to=sender.reply_to,
                now=now,
                expires_in=expires_in,
            ),
            group.members,
            True,
            frozenset({group.commune}) if group.commune else frozenset(),
        )
        for group in projected.groups
    )
    return LightingPreview(policy=policy, projection=projected, plans=plans)


class NothingToApply(InvalidInput):
    key = "lighting.nothing_to_apply"


@dataclass(frozen=True)
class LightingApply:
    preview: LightingPreview
    requests: tuple[outbox.CommandRequest, ...]
    by: str  # whose act it is (the requester, when it waited for an approval)
    reason: str
    approved_by: str | None = None

    @property
    def actor(self) -> str:
        return self.approved_by or self.by


@dataclass(frozen=True)
class ApplyProgress:
    finished: int  # commands with a final outcome
    total: int
    lights_done: int  # lights whose cabinet confirmed the profile
    lights: int
    short: tuple[str, ...] = ()  # groups whose command ended failed, partial, expired…
    silent_gateways: tuple[str, ...] = field(default=())

    @property
    def final(self) -> bool:
        return self.finished == self.total

    @property
    def fell_short(self) -> bool:
        return bool(self.short) or self.lights_done < self.lights


def apply(
    db: Database,
    sender: CommandSender,
    preview: LightingPreview,
    operator: str,
    reason: str,
    *,
    approval: Approval | None = None,
) -> LightingApply:
    """Record the profiles and the act in one transaction (the recorder sends them).

    ``approval``: the approved request this carries out; its approver records and is audited,
    naming ``operator`` (the requester) as whose act it is.
    """
    if not reason.strip():
        raise InvalidInput("lighting.reason_required")
    if not preview.plans:
        raise NothingToApply()
    actor = approval.decided_by if approval and approval.decided_by else operator
    projected = preview.projection
    details: dict[str, Any] = {
        "policy": preview.policy.source,
        "version": preview.version,
        "reason": reason,
        "groups": len(preview.plans),
        "lights": projected.lights,
        "projected_kwh": round(projected.projected_kwh, 1),
        "baseline_kwh": round(projected.baseline_kwh, 1),
        "profiles": {name: groups for name, (groups, _) in preview.per_profile.items()},
        "commands": [p.request.request_id for p in preview.plans],
    }
    if actor != operator:
        details["requested_by"] = operator

    def record_act(session: Session) -> None:
        audit.append(session, actor, "lighting.apply", preview.policy.source, details)

    requests = sender.send_together(
        preview.plans,
        record_act,
        act=Act.COMMAND_GROUP,
        approval_id=approval.id if approval else None,
    )
    return LightingApply(preview, tuple(requests), operator, reason, actor if approval else None)


def progress(sender: CommandSender, applied: LightingApply) -> ApplyProgress:
    """Where the profiles' commands stand (from the sender's memory of acks: no waiting)."""
    plans = applied.preview.plans
    outcomes: list[Outcome] = [
        sender.outcome(r, p.members) for r, p in zip(applied.requests, plans, strict=True)
    ]
    short = tuple(
        p.request.target
        for p, o in zip(plans, outcomes, strict=True)
        if o.final and o.status is not CommandStatus.DONE
    )
    silent = sorted({g for o in outcomes for g in o.silent_gateways})
    return ApplyProgress(
        finished=sum(o.final for o in outcomes),
        total=len(outcomes),
        lights_done=devices_done(plans, outcomes),
        lights=applied.preview.projection.lights,
        short=short,
        silent_gateways=tuple(silent),
    )


def wait(sender: CommandSender, applied: LightingApply, on_progress: Any = None) -> ApplyProgress:
    """Block until every profile's outcome is final (the shell's way; the console polls)."""
    latest = max((r.expires_at for r in applied.requests), default=datetime.now(UTC))
    deadline = latest + GRACE + timedelta(milliseconds=500)
    while True:
        state = progress(sender, applied)
        if on_progress:
            on_progress(state)
        if state.final or datetime.now(UTC) > deadline:
            return state
        sender.wait_for_acks(0.5)


def finish(db: Database, applied: LightingApply, state: ApplyProgress) -> None:
    """The act's outcome, on the record."""
    with db.write() as session:
        audit.append(
            session,
            applied.actor,
            "lighting.result",
            applied.preview.policy.source,
            {
                "version": applied.preview.version,
                "lights_done": state.lights_done,
                "lights": state.lights,
                "short": list(state.short),
            },
        )


# --- what the field reports ----------------------------------------------------------------------
@dataclass(frozen=True)
class GroupStatus:
    group: str
    commune: str | None
    expected: str  # profile name@version the policy gives it now
    reported: str | None  # what the group reports in force (None: nothing yet)
    since: datetime | None  # when that was last heard

    @property
    def in_force(self) -> bool:
        return self.reported == self.expected


def status(
    db: Database,
    policy: LightingPolicy,
    playbook: Playbook | None = None,
    now: datetime | None = None,
) -> list[GroupStatus]:
    """Each group's profile in force, as its group's state reports it, against the policy."""
    projected = projection(db, policy, playbook, now=now)
    ids = [g.group for g in projected.groups]
    reported: dict[str, tuple[str | None, datetime | None]] = {}
    with db.read() as session:
        for start in range(0, len(ids), 2000):
            rows = session.execute(
                select(EquipmentRow.id, EquipmentRow.attributes, EquipmentRow.received_at).where(
                    EquipmentRow.id.in_(ids[start : start + 2000])
                )
            )
            for group_id, attributes, received in rows:
                attributes = attributes or {}
                name, version = attributes.get("profile"), attributes.get("profileVersion")
                said = f"{name}@{version}" if name and version else None
                reported[group_id] = (said, received)
    return [
        GroupStatus(
            group=g.group,
            commune=g.commune,
            expected=f"{g.profile.name}@{g.profile.version}",
            reported=reported.get(g.group, (None, None))[0],
            since=reported.get(g.group, (None, None))[1],
        )
        for g in projected.groups
    ]


def summary_by_commune(groups: Sequence[GroupStatus]) -> dict[str, tuple[int, int]]:
    """Commune -> (groups in force, groups)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for g in groups:
        counts[g.commune or "?"][0] += g.in_force
        counts[g.commune or "?"][1] += 1
    return {c: (a, b) for c, (a, b) in sorted(counts.items())}
