"""The two-person rule at work (docs/security.md).

An act the city's approval rules name is recorded as requested instead of being done; once a
different operator allowed to approve approves it, the approver carries it out, as its
requester's act: the journal shows the request, the approval, then the act in the approver's name
naming the requester (on PostgreSQL a login writes in its own name only). Requests that run out
of time expire (the recorder's sweep sees to it), and nothing of them was ever sent.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from services import lighting
from services.commands.outbox import CommandRequest
from services.commands.sender import CommandSender, Plan
from services.domain.approvals import (
    Approval,
    ApprovalKind,
    ApprovalRules,
    command_rule,
    lighting_rule,
    mode_rule,
    role_rule,
)
from services.domain.commands import GroupKind, parse_group
from services.domain.errors import InvalidInput, PermissionDenied, VigieError
from services.domain.lighting import LightingPolicy
from services.domain.operators import Role
from services.domain.permissions import Act
from services.domain.playbooks import Playbook
from services.lighting import LightingApply, LightingPreview
from services.modes import ModeSwitcher, Switch, SwitchPreview
from services.reference import communes
from services.store import approvals, authority, operators
from services.store.database import Database

#: Where the sun is reckoned when a command names no commune: Dijon, the métropole's centre.
DIJON = (47.3220, 5.0415)


def rules(db: Database) -> ApprovalRules:
    with db.read() as session:
        return authority.rules_in_force(session)


def rule_for_command(db: Database, plan: Plan, now: datetime | None = None) -> str | None:
    """The approval rule this command falls under, or None when it may go out at once."""
    request = plan.request
    where, whole_commune = DIJON, False
    if request.is_group:
        group = parse_group(request.target)
        if group.kind is GroupKind.COMMUNE:
            whole_commune = True
            where = next(((c.lat, c.lon) for c in communes() if c.insee == group.value), DIJON)
    return command_rule(
        rules(db),
        target_type=request.target_type,
        target=request.target,
        command=request.command,
        params=request.params,
        devices=plan.members.count if plan.members is not None else 1,
        whole_commune_lights=whole_commune,
        at=now or datetime.now(UTC),
        where=where,
    )


def rule_for_selection(db: Database, plans: list[Plan]) -> str | None:
    """A selection of devices (one command each) is judged as one act: its size, then each."""
    if len(plans) > rules(db).max_devices:
        return "approval.rule.many_devices"
    return next((r for r in (rule_for_command(db, p) for p in plans) if r is not None), None)


def _command(plan: Plan) -> dict:
    r = plan.request
    return {
        "target_type": r.target_type,
        "target": r.target,
        "command": r.command,
        "params": r.params,
        "expires_in": (r.expires_at - r.issued_at).total_seconds(),
    }


def request_command(
    db: Database, plan: Plan, *, by: str, reason: str, preview: list[str], rule: str
) -> Approval:
    return request_selection(db, [plan], by=by, reason=reason, preview=preview, rule=rule)


def request_selection(
    db: Database, plans: list[Plan], *, by: str, reason: str, preview: list[str], rule: str
) -> Approval:
    payload = {"commands": [_command(p) for p in plans]}
    act = Act.COMMAND_GROUP if any(p.request.is_group for p in plans) else Act.COMMAND_DEVICE
    return _request(db, ApprovalKind.COMMAND, act, payload, preview, reason, rule, by)


def rule_for_mode(db: Database, kind: str, value: str) -> str | None:
    return mode_rule(rules(db), kind, value)


def request_mode(
    db: Database,
    *,
    kind: str,
    value: str,
    motive: str,
    by: str,
    reason: str,
    preview: list[str],
    rule: str,
) -> Approval:
    act = Act.SWITCH_SNOW if kind == "snow" else Act.SWITCH_TRAFFIC
    payload = {"kind": kind, "value": value, "motive": motive}
    return _request(db, ApprovalKind.MODE, act, payload, preview, reason, rule, by)


def rule_for_role_change(db: Database) -> str | None:
    return role_rule(rules(db))


def request_role_change(
    db: Database, *, name: str, role: Role, by: str, reason: str, preview: list[str], rule: str
) -> Approval:
    payload = {"name": name, "role": role.value}
    return _request(db, ApprovalKind.ROLE, Act.MANAGE_OPERATORS, payload, preview, reason, rule, by)


def rule_for_lighting(db: Database) -> str | None:
    """The rule that makes applying a lighting policy wait (``lighting_apply``), or None."""
    return lighting_rule(rules(db))


def request_lighting(
    db: Database,
    preview: LightingPreview,
    *,
    by: str,
    reason: str,
    preview_lines: list[str],
    rule: str,
) -> Approval:
    """Record applying the policy as requested: its version and every profile command it sends.

    The commands are what the database lets the approver record (``pg_requests``: each once,
    with the parameters approved); the version is what carrying it out checks again.
    """
    payload = {
        "policy": preview.policy.source,
        "version": preview.version,
        "commands": [_command(p) for p in preview.plans],
    }
    return _request(
        db, ApprovalKind.LIGHTING, Act.COMMAND_GROUP, payload, preview_lines, reason, rule, by
    )


def _request(
    db: Database,
    kind: ApprovalKind,
    act: Act,
    payload: dict,
    preview: list[str],
    reason: str,
    rule: str,
    by: str,
) -> Approval:
    now = datetime.now(UTC)
    with db.write() as session:
        return approvals.request(
            session,
            kind=kind,
            act=act.value,
            payload=payload,
            preview=preview,
            reason=reason,
            rule=rule,
            by=by,
            rules=authority.rules_in_force(session),
            now=now,
        )


def expire(db: Database) -> list[str]:
    """Expire what ran out of time, as Vigie (the recorder does it too, every sweep).

    On PostgreSQL an operator's login may not write Vigie's own audit entries: there the
    recorder's sweep expires requests, and an operator's view waits for it.
    """
    try:
        with db.write() as session:
            return approvals.expire_overdue(session, datetime.now(UTC))
    except PermissionDenied:
        return []


def approve(db: Database, approval_id: str, *, by: str) -> Approval:
    """Approve (refused to the requester, to a role that may not approve, after the limit)."""
    expire(db)
    with db.write() as session:
        return approvals.approve(session, approval_id, by=by, now=datetime.now(UTC))


def refuse(db: Database, approval_id: str, *, by: str, reason: str) -> Approval:
    expire(db)
    with db.write() as session:
        return approvals.refuse(session, approval_id, by=by, reason=reason, now=datetime.now(UTC))


@dataclass(frozen=True)
class Replanned:
    """What approving a request would carry out now, planned from its stored payload.

    Made by the same code that carries it out (``plan_commands``, ``ModeSwitcher.preview``,
    ``preview_lighting``), so that an approver reads what will be done, not what the requester's
    console wrote into the request (``approval.preview``), which nothing checks.
    """

    plans: list[Plan] = field(default_factory=list)  # a command's, one per device or group
    switch: SwitchPreview | None = None  # a mode's
    role_change: tuple[str, str, str] | None = None  # a role change's: operator, now, asked
    lighting: LightingPreview | None = None  # a lighting policy's, as its requester's now
    changed: bool = False  # a lighting policy's: no longer the one requested (not carried out)


def replan(
    db: Database,
    sender: CommandSender,
    modes: ModeSwitcher | None,
    approval: Approval,
    *,
    policy: LightingPolicy | None = None,
    playbook: Playbook | None = None,
) -> Replanned:
    """Plan the request again from its act, target and parameters (reads only, sends nothing).

    ``modes`` (with the playbook in force) is needed for a mode's request only; ``policy`` (the
    city's lighting policy) and ``playbook`` for a lighting policy's.
    """
    if approval.kind is ApprovalKind.COMMAND:
        return Replanned(plans=plan_commands(sender, approval))
    p = approval.payload
    if approval.kind is ApprovalKind.LIGHTING:
        if policy is None:
            raise ValueError("a lighting request is planned with the city's policy")
        preview = preview_lighting(db, sender, policy, playbook, approval)
        return Replanned(lighting=preview, changed=not _as_requested(preview, approval))
    if approval.kind is ApprovalKind.MODE:
        if modes is None:
            raise ValueError("a mode's request is planned with the playbook in force")
        return Replanned(switch=modes.preview(p["kind"], p["value"], approval.requested_by))
    with db.read() as session:
        now = operators.get(session, p["name"]).role.value
    return Replanned(role_change=(str(p["name"]), now, str(p["role"])))


def plan_commands(sender: CommandSender, approval: Approval) -> list[Plan]:
    """The approved commands planned now, as their requester's: what approving them sends."""
    return [
        sender.plan(
            p["target_type"],
            p["target"],
            p["command"],
            dict(p["params"]),
            issued_by=approval.requested_by,
            expires_in=timedelta(seconds=float(p["expires_in"])),
        )
        for p in approval.payload["commands"]
    ]


def carry_out_commands(
    db: Database, sender: CommandSender, approval: Approval
) -> list[tuple[CommandRequest, Plan]]:
    """Send the approved commands as their requester's, planned again now.

    The field may have changed since the request: each plan is made afresh, and returned with
    the request sent, for following the outcome. Each is audited as sent by its approver, who
    carries it out, naming its requester.
    """
    sent: list[tuple[CommandRequest, Plan]] = []
    for plan in plan_commands(sender, approval):
        request = sender.send(plan, approved_by=approval.decided_by, approval_id=approval.id)
        sent.append((request, plan))
    with db.write() as session:
        approvals.note_outcome(session, approval.id, " ".join(r.request_id for r, _ in sent))
    return sent


def carry_out_mode(modes: ModeSwitcher, approval: Approval) -> Switch:
    """Switch the mode as asked, planned again now, carried out by the approver."""
    p = approval.payload
    preview = modes.preview(p["kind"], p["value"], approval.requested_by)
    return modes.apply(
        preview, approval.requested_by, approval.reason, p["motive"], approval=approval
    )


def preview_lighting(
    db: Database,
    sender: CommandSender,
    policy: LightingPolicy,
    playbook: Playbook | None,
    approval: Approval,
) -> LightingPreview:
    """The policy previewed now as its requester's: what carrying the request out would send."""
    return lighting.preview(db, sender, policy, playbook, approval.requested_by)


def _as_requested(preview: LightingPreview, approval: Approval) -> bool:
    """Whether ``preview`` sends what was requested: the same compiled policy, command by command.

    The version covers every group and its profile; the commands, compared too, are what the
    database checks the approver's by (a payload written round Vigie would be found here).
    """
    asked, recorded = approval.payload, approval.payload.get("commands")
    if not isinstance(recorded, list) or not all(isinstance(c, dict) for c in recorded):
        return False

    def said(commands: list[dict]) -> str:  # as JSON holds it: a tuple reads back as a list
        keys = ("target_type", "target", "command", "params")
        return json.dumps([[c.get(k) for k in keys] for c in commands], sort_keys=True)

    return (
        asked.get("policy") == preview.policy.source
        and asked.get("version") == preview.version
        and said(recorded) == said([_command(p) for p in preview.plans])
    )


def check_lighting(
    db: Database,
    sender: CommandSender,
    policy: LightingPolicy,
    playbook: Playbook | None,
    approval: Approval,
) -> LightingPreview:
    """The policy previewed now as its requester's, refused when it is not the one requested.

    The policy file or the field changed since the request (a group more or less, a profile
    that is not the same, an event over): the approver did not read what would go out, so it
    is asked again (``lighting.changed_since_request``). Called before approving, so that such
    a request is not approved for nothing, and again when carrying it out.
    """
    preview = preview_lighting(db, sender, policy, playbook, approval)
    if not _as_requested(preview, approval):
        raise InvalidInput("lighting.changed_since_request")
    return preview


def carry_out_lighting(
    db: Database,
    sender: CommandSender,
    policy: LightingPolicy,
    playbook: Playbook | None,
    approval: Approval,
) -> LightingApply:
    """Push the policy's profiles as asked, planned again now, carried out by the approver.

    Refused, nothing sent, when the policy compiled now is not the one requested (the outcome
    says why). The approver records the commands and the act's entry in their own name,
    naming the requester (``lighting.apply``); ``lighting.finish`` records its result.
    """
    try:
        preview = check_lighting(db, sender, policy, playbook, approval)
        applied = lighting.apply(
            db, sender, preview, approval.requested_by, approval.reason, approval=approval
        )
    except VigieError as error:  # nothing recorded: the outcome says why, when it can
        with contextlib.suppress(VigieError):
            note_outcome(db, approval, error.key)
        raise
    note_outcome(db, approval, " ".join(r.request_id for r in applied.requests))
    return applied


def carry_out_role_change(db: Database, approval: Approval) -> None:
    """The admin's act, carried out by the supervisor who approved it, in their name."""
    with db.write() as session:
        changed = operators.carry_out_role_change(session, approval)
        approvals.note_outcome(session, approval.id, changed.role.value)


def note_outcome(db: Database, approval: Approval, outcome: str) -> None:
    with db.write() as session:
        approvals.note_outcome(session, approval.id, outcome)
