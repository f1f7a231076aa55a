"""``vigie command``: one device, or a group, from the shell, on the panel's code path."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import TYPE_CHECKING

from console.cli.context import CliFailure, Context, ExitStatus, confirm
from console.cli.parser import add_json
from console.text.commands import describe_plan, outcome_lines
from console.text.i18n import fill, translate
from services.domain.commands import CommandStatus, parse_key_values

if TYPE_CHECKING:
    from services.commands.outcome import Outcome
    from services.commands.sender import Plan

#: How an outcome maps to an exit status: failed beats unknown (architecture).
EXIT = {
    CommandStatus.DONE: ExitStatus.OK,
    CommandStatus.PARTIAL: ExitStatus.FAILED,
    CommandStatus.FAILED: ExitStatus.FAILED,
    CommandStatus.REJECTED: ExitStatus.FAILED,
    CommandStatus.EXPIRED: ExitStatus.UNKNOWN,
    CommandStatus.TIMED_OUT: ExitStatus.UNKNOWN,
}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    cmd = sub.add_parser(
        "command",
        parents=[common],
        help=translate("cli", "command a device or a group"),
        description=translate(
            "cli",
            "Send a command to one device (TYPE ID) or a group (group commune:INSEE, "
            "group all:TYPE, group STREETLIGHTGROUP-ID). It is recorded, published, and "
            "pending until the field acknowledges it.",
        ),
    )
    cmd.add_argument("type", metavar="TYPE", help=translate("cli", "equipment type, or 'group'"))
    cmd.add_argument("target", metavar="ID", help=translate("cli", "device or group id"))
    cmd.add_argument(
        "command",
        metavar="COMMAND",
        help=translate("cli", "switch, dim, set_plan, priority, preset, reboot, raise or lower"),
    )
    cmd.add_argument(
        "params",
        nargs="*",
        metavar="KEY=VALUE",
        help=translate("cli", "parameters, e.g. powerState=off until=+2h"),
    )
    cmd.add_argument(
        "--wait", action="store_true", help=translate("cli", "wait for the outcome and exit by it")
    )
    cmd.add_argument(
        "--expires",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help=translate("cli", "the field ignores it after this (default 30)"),
    )
    cmd.add_argument(
        "--reason",
        default="",
        metavar="TEXT",
        help=translate("cli", "why (required when the act waits for a second operator's approval)"),
    )
    add_json(cmd)
    cmd.set_defaults(handler=run)


def run(ctx: Context) -> ExitStatus:
    from services import approving
    from services.commands.sender import CommandSender
    from services.domain.permissions import Act
    from services.store import authority

    operator = ctx.acting_operator()
    a = ctx.args
    params = parse_key_values(a.params)
    sender = CommandSender(ctx.database(), ctx.settings.broker, ctx.settings.root)
    plan = sender.plan(
        a.type,
        a.target,
        a.command,
        params,
        issued_by=operator,
        expires_in=timedelta(seconds=a.expires),
    )
    # A refusal first (exit 5): nothing of a command this operator may not send is discussed.
    with ctx.database().read() as session:
        authority.require(
            session, operator, Act.COMMAND_GROUP if plan.members is not None else Act.COMMAND_DEVICE
        )
    if plan.members is None and not plan.known_device:
        ctx.err(
            fill(
                translate(
                    "cli", "warning: Vigie has never heard of {type} {id}; sending all the same"
                ),
                {"type": a.type, "id": a.target},
            )
        )
    elif plan.members is not None and plan.members.count == 0:
        ctx.err(
            fill(
                translate("cli", "warning: no known device in {target}; sending all the same"),
                {"target": plan.request.target},
            )
        )
    rule = approving.rule_for_command(ctx.database(), plan)
    if rule is not None:  # high impact: recorded as requested, nothing sent (two-person rule)
        return _request_approval(ctx, plan, operator, rule)
    confirm(ctx, describe_plan(plan))
    sender.connect()  # unreachable: exit 4 before anything is recorded
    try:
        request = sender.send(plan)
        if not a.wait:
            if ctx.json:
                ctx.emit_json({"request_id": request.request_id, "status": "pending"})
            else:
                ctx.say(request.request_id)
            return ExitStatus.OK
        outcome = sender.wait(request, plan.members)
    finally:
        sender.close()
    report(ctx, request.request_id, outcome)
    return EXIT.get(outcome.status, ExitStatus.UNKNOWN)


def _request_approval(ctx: Context, plan: Plan, operator: str, rule: str) -> ExitStatus:
    from console.cli.awaiting import awaiting_reply
    from console.text.messages import describe
    from services import approving
    from services.domain.errors import VigieError

    if not ctx.args.reason.strip():
        raise CliFailure(
            fill(
                translate("cli", "{rule}: this act waits for approval and needs --reason TEXT"),
                {"rule": describe(VigieError(rule))},
            ),
            ExitStatus.USAGE,
        )
    from console.text.approvals import command_preview

    preview = command_preview([plan], rule)  # what an approver's panel rebuilds
    confirm(ctx, fill(translate("cli", "request approval for: {act}"), {"act": preview[0]}))
    approval = approving.request_command(
        ctx.database(), plan, by=operator, reason=ctx.args.reason, preview=preview, rule=rule
    )
    return awaiting_reply(ctx, approval)


def report(ctx: Context, request_id: str, outcome: Outcome) -> None:
    if ctx.json:
        ctx.emit_json(
            {
                "request_id": request_id,
                "status": outcome.status.value,
                "succeeded": outcome.succeeded,
                "failed": [{"id": d, "reason": r} for d, r in outcome.failed],
                "silent_gateways": {g: list(d) for g, d in outcome.silent_gateways.items()},
                "unconfirmed": list(outcome.unconfirmed),
            }
        )
        return
    for line in outcome_lines(request_id, outcome):
        ctx.say(line)
