"""``vigie mode``: the snow level and the traffic mode from the shell, on the panel's path."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from console.cli.context import CliFailure, Context, ExitStatus, confirm
from console.cli.parser import add_json
from console.text.i18n import fill, translate

if TYPE_CHECKING:
    from services.domain.modes import ModeRecord
    from services.modes import ModeSwitcher, SwitchPreview, SwitchProgress


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    mode = sub.add_parser(
        "mode",
        parents=[common],
        help=translate("cli", "switch the snow plan's level or the traffic mode"),
        description=translate(
            "cli",
            "Switch the city's snow level (0-3 or watch, alert, intervention, crisis) or traffic "
            "mode (normal, peak, event, incident, snow) as the playbook says: a preview, your "
            "yes, the commands, their acks. Exit 1 when partly applied or when someone else is "
            "switching.",
        ),
    )
    actions = mode.add_subparsers(dest="action", required=True, metavar="ACTION")
    for kind, what in (
        ("snow", translate("cli", "the level: 0-3, watch, alert, intervention or crisis")),
        ("traffic", translate("cli", "the mode: normal, peak, event, incident or snow")),
    ):
        switch = actions.add_parser(
            kind,
            parents=[common],
            help=fill(translate("cli", "switch the {kind}"), {"kind": kind}),
        )
        switch.add_argument("value", metavar="LEVEL" if kind == "snow" else "MODE", help=what)
        _switch_options(switch)
        switch.set_defaults(handler=run, kind=kind)
    rollback = actions.add_parser(
        "rollback",
        parents=[common],
        help=translate("cli", "go back to the level or mode before the last switch"),
    )
    rollback.add_argument("kind", choices=("snow", "traffic"), metavar="snow|traffic")
    _switch_options(rollback)
    rollback.set_defaults(handler=run, value=None)
    status = actions.add_parser(
        "status", parents=[common], help=translate("cli", "the level and mode in force")
    )
    add_json(status)
    status.set_defaults(handler=run_status)


def _switch_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reason", default="", metavar="TEXT", help=translate("cli", "why (required to apply)")
    )
    parser.add_argument(
        "--motive",
        default="",
        metavar="TEXT",
        help=translate("cli", "the weather or event behind it, e.g. 'Météo-France orange snow'"),
    )
    parser.add_argument(
        "--preview",
        action="store_true",
        help=translate("cli", "say what would change; send nothing"),
    )
    add_json(parser)


def _switcher(ctx: Context) -> ModeSwitcher:
    from services.commands.sender import CommandSender
    from services.modes import ModeSwitcher
    from services.playbooks import load_playbook

    playbook = load_playbook(ctx.settings.playbook)  # refused whole, naming where, before all
    sender = CommandSender(ctx.database(), ctx.settings.broker, ctx.settings.root)
    return ModeSwitcher(ctx.database(), sender, playbook)


def run_status(ctx: Context) -> ExitStatus:
    from console.text.modes import describe_record
    from services.modes import current_modes

    records = current_modes(ctx.database())
    if ctx.json:
        ctx.emit_json([_record_json(r) for r in records])
    else:
        for record in records:
            ctx.say(describe_record(record))
    return ExitStatus.OK


def run(ctx: Context) -> ExitStatus:
    from console.cli.awaiting import awaiting_reply
    from console.text.approvals import mode_preview
    from console.text.modes import preview_lines
    from services import approving
    from services.domain.permissions import Act
    from services.store import authority

    operator = ctx.acting_operator()
    a = ctx.args
    with ctx.database().read() as session:  # a refusal first (exit 5), before any preview
        authority.require(
            session, operator, Act.SWITCH_SNOW if a.kind == "snow" else Act.SWITCH_TRAFFIC
        )
    modes = _switcher(ctx)
    if a.value is None:
        preview = modes.preview_rollback(a.kind, operator)
    else:
        preview = modes.preview(a.kind, a.value, operator)
    lines = preview_lines(preview)
    if a.preview:
        if ctx.json:
            ctx.emit_json(_preview_json(preview))
        else:
            for line in lines:
                ctx.say(line)
        return ExitStatus.OK
    if not a.reason.strip():
        raise CliFailure(
            translate("cli", "a switch needs its reason: add --reason TEXT"), ExitStatus.USAGE
        )
    if not ctx.json:
        for line in lines[1:]:
            ctx.err(line)
    rule = approving.rule_for_mode(ctx.database(), a.kind, preview.value)
    if rule is not None:  # high impact: recorded as requested, nothing sent (two-person rule)
        confirm(ctx, fill(translate("cli", "request approval for: {act}"), {"act": lines[0]}))
        approval = approving.request_mode(
            ctx.database(),
            kind=a.kind,
            value=preview.value,
            motive=a.motive,
            by=operator,
            reason=a.reason,
            preview=mode_preview(preview, rule),  # what an approver's panel rebuilds
            rule=rule,
        )
        return awaiting_reply(ctx, approval)
    confirm(ctx, lines[0])
    modes.sender.connect()  # unreachable: exit 4 before anything is recorded
    try:
        switch = modes.apply(preview, operator, a.reason, a.motive)
        progress = modes.wait(switch)
        record = modes.finish(switch, progress)
    finally:
        modes.sender.close()
    return _report(ctx, record, progress)


def _report(ctx: Context, record: ModeRecord, progress: SwitchProgress) -> ExitStatus:
    from console.text.modes import result_lines
    from services.domain.commands import CommandStatus

    if ctx.json:
        ctx.emit_json(
            {
                **_record_json(record),
                "devices": progress.devices,  # each once, as the preview counts them
                "succeeded": progress.outcome.succeeded,
                "failed": [{"id": d, "reason": r} for d, r in progress.outcome.failed],
                "silent_gateways": {
                    g: list(d) for g, d in progress.outcome.silent_gateways.items()
                },
                "unanswered": list(progress.unanswered),
            }
        )
    else:
        for line in result_lines(record, progress):
            ctx.say(line)
    if progress.fell_short:
        return ExitStatus.FAILED  # a command partial or failed: partly applied; beats unknown
    if progress.outcome.status is not CommandStatus.DONE:
        return ExitStatus.UNKNOWN  # timed out, nothing known to have failed
    return ExitStatus.OK


def _record_json(record: ModeRecord) -> dict[str, Any]:
    from services.commands.outbox import iso

    return {
        "kind": record.kind,
        "value": record.value,
        "previous": record.previous,
        "state": record.state,
        "since": iso(record.since),
        "by": record.by,
        "reason": record.reason,
        "switching_by": record.switching_by,
        "bus_priority": record.bus_priority,
    }


def _preview_json(preview: SwitchPreview) -> dict[str, Any]:
    from services.commands.outbox import iso

    return {
        "kind": preview.kind,
        "from": preview.current.value,
        "to": preview.value,
        "rollback": preview.rollback,
        "commands": [
            {
                "request_id": p.request.request_id,
                "target_type": p.request.target_type,
                "target": p.request.target,
                "command": p.request.command,
                "params": p.request.params,
                "devices": p.members.count if p.members is not None else 1,
            }
            for p in preview.plans
        ],
        "devices_per_commune": dict(preview.devices_per_commune),
        "sla_minutes": {
            p.name: int(after.total_seconds() // 60) for p, _before, after in preview.sla_changes
        },
        "bus_priority": preview.entry.bus_priority,
        "unknown_devices": list(preview.unknown_devices),
        "not_undone": [
            {
                "target_type": n.target_type,
                "target": n.target,
                "command": n.command,
                "devices": n.devices,
                "until": iso(n.until) if n.until else None,
            }
            for n in preview.not_undone
        ],
    }
