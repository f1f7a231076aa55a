"""``vigie lighting``: the city's lighting policy from the shell, on the console's path."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from console.cli.context import CliFailure, Context, ExitStatus, confirm
from console.cli.parser import add_json
from console.text.i18n import fill, translate

if TYPE_CHECKING:
    from services.lighting import ApplyProgress, GroupStatus, LightingPreview, Projection


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    lighting = sub.add_parser(
        "lighting",
        parents=[common],
        help=translate("cli", "preview, apply and follow the city's street-lighting policy"),
        description=translate(
            "cli",
            "The lighting policy (the 'lighting' setting, the bundled Dijon one by default) "
            "pushed to each StreetlightGroup's cabinet as a dimming profile, which the cabinet "
            "then runs by itself with its astronomical clock. Exit 1 when some cabinets did not "
            "take it, 3 when it awaits a second operator's approval or answers are missing.",
        ),
    )
    actions = lighting.add_subparsers(dest="action", required=True, metavar="ACTION")
    preview = actions.add_parser(
        "preview",
        parents=[common],
        help=translate("cli", "groups, lights, profile per group, projected energy; sends nothing"),
    )
    add_json(preview)
    preview.set_defaults(handler=run_preview)
    apply = actions.add_parser(
        "apply",
        parents=[common],
        help=translate("cli", "push the policy's profiles to the cabinets"),
    )
    apply.add_argument(
        "--reason", default="", metavar="TEXT", help=translate("cli", "why (required)")
    )
    add_json(apply)
    apply.set_defaults(handler=run_apply)
    status = actions.add_parser(
        "status",
        parents=[common],
        help=translate("cli", "the profile each group reports in force, against the policy"),
    )
    add_json(status)
    status.set_defaults(handler=run_status)


def _policy(ctx: Context) -> tuple[Any, Any]:
    from services.lighting_policy import load_policy
    from services.playbooks import load_playbook

    # Both refused whole, naming the file and the entry, before anything else.
    return load_policy(ctx.settings.lighting), load_playbook(ctx.settings.playbook)


def _preview(ctx: Context, operator: str) -> tuple[Any, LightingPreview]:
    from services import lighting
    from services.commands.sender import CommandSender

    policy, playbook = _policy(ctx)
    sender = CommandSender(ctx.database(), ctx.settings.broker, ctx.settings.root)
    return sender, lighting.preview(ctx.database(), sender, policy, playbook, operator)


def run_preview(ctx: Context) -> ExitStatus:
    from console.text.lighting import preview_lines
    from services.domain.permissions import Act
    from services.store import authority

    operator = ctx.acting_operator()
    with ctx.database().read() as session:
        authority.require(session, operator, Act.SEE_OPERATIONS)
    _sender, preview = _preview(ctx, operator)
    if ctx.json:
        ctx.emit_json(_preview_json(preview))
    else:
        for line in preview_lines(preview):
            ctx.say(line)
    return ExitStatus.OK


def run_apply(ctx: Context) -> ExitStatus:
    from console.cli.awaiting import awaiting_reply
    from console.text.approvals import lighting_preview
    from console.text.lighting import preview_lines, progress_line
    from services import approving, lighting
    from services.domain.permissions import Act
    from services.store import authority

    operator = ctx.acting_operator()
    with ctx.database().read() as session:  # a refusal first (exit 5), before any preview
        authority.require(session, operator, Act.COMMAND_GROUP)
    reason = ctx.args.reason
    if not reason.strip():
        raise CliFailure(
            translate("cli", "applying a policy needs its reason: add --reason TEXT"),
            ExitStatus.USAGE,
        )
    sender, preview = _preview(ctx, operator)
    lines = preview_lines(preview)
    if not ctx.json:
        for line in lines[1:]:
            ctx.err(line)
    rule = approving.rule_for_lighting(ctx.database())
    if rule is not None:  # high impact: recorded as requested, nothing sent (two-person rule)
        confirm(ctx, fill(translate("cli", "request approval for: {act}"), {"act": lines[0]}))
        approval = approving.request_lighting(
            ctx.database(),
            preview,
            by=operator,
            reason=reason,
            preview_lines=lighting_preview(preview, rule),  # what an approver's panel rebuilds
            rule=rule,
        )
        return awaiting_reply(ctx, approval)
    confirm(ctx, lines[0])
    sender.connect()  # unreachable: exit 4 before anything is recorded
    try:
        applied = lighting.apply(ctx.database(), sender, preview, operator, reason)
        on_progress = None if ctx.json else (lambda state: ctx.err(progress_line(state)))
        state = lighting.wait(sender, applied, on_progress)
        lighting.finish(ctx.database(), applied, state)
    finally:
        sender.close()
    return _report(ctx, preview, state)


def _report(ctx: Context, preview: LightingPreview, state: ApplyProgress) -> ExitStatus:
    from console.text.lighting import result_lines

    if ctx.json:
        ctx.emit_json(
            {
                "version": preview.version,
                "groups": state.total,
                "groups_answered": state.finished,
                "lights": state.lights,
                "lights_done": state.lights_done,
                "short": list(state.short),
                "silent_gateways": list(state.silent_gateways),
            }
        )
    else:
        for line in result_lines(state):
            ctx.say(line)
    if state.short:
        return ExitStatus.FAILED
    if not state.final or state.fell_short:
        return ExitStatus.UNKNOWN
    return ExitStatus.OK


def run_status(ctx: Context) -> ExitStatus:
    from console.text.lighting import status_lines
    from services import lighting
    from services.domain.permissions import Act
    from services.store import authority

    operator = ctx.acting_operator()
    with ctx.database().read() as session:
        authority.require(session, operator, Act.SEE_OPERATIONS)
    policy, playbook = _policy(ctx)
    groups = lighting.status(ctx.database(), policy, playbook)
    if ctx.json:
        ctx.emit_json([_status_json(g) for g in groups])
    else:
        for line in status_lines(groups):
            ctx.say(line)
    return ExitStatus.OK


def _projection_json(projected: Projection) -> dict[str, Any]:
    return {
        "night": projected.night.isoformat(),
        "lights": projected.lights,
        "projected_kwh": round(projected.projected_kwh, 3),
        "baseline_kwh": round(projected.baseline_kwh, 3),
        "saving_kwh": round(projected.saving_kwh, 3),
        "assumed_power": projected.assumed_power,
        "unknown_groups": list(projected.unknown_groups),
        "communes": {
            insee: {
                "lights": c.lights,
                "projected_kwh": round(c.projected_kwh, 3),
                "baseline_kwh": round(c.baseline_kwh, 3),
            }
            for insee, c in projected.per_commune.items()
        },
    }


def _preview_json(preview: LightingPreview) -> dict[str, Any]:
    return {
        "policy": preview.policy.source,
        "version": preview.version,
        "energy": _projection_json(preview.projection),
        "profiles": {
            name: {"groups": groups, "lights": lights}
            for name, (groups, lights) in preview.per_profile.items()
        },
        "groups": [
            {
                "group": g.group,
                "commune": g.commune,
                "lights": g.lights,
                "profile": g.profile.name,
                "profile_version": g.profile.version,
                "projected_kwh": round(g.projected_kwh, 3),
                "baseline_kwh": round(g.baseline_kwh, 3),
                "request_id": p.request.request_id,
                "params": p.request.params,
            }
            for g, p in zip(preview.projection.groups, preview.plans, strict=True)
        ],
    }


def _status_json(group: GroupStatus) -> dict[str, Any]:
    from services.commands.outbox import iso

    return {
        "group": group.group,
        "commune": group.commune,
        "expected": group.expected,
        "reported": group.reported,
        "in_force": group.in_force,
        "heard_at": iso(group.since) if group.since else None,
    }
