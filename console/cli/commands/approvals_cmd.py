"""``vigie approvals``: list, approve and refuse the high-impact acts awaiting a second operator.

An approval is refused (exit 5) to the operator who requested the act and to a role the matrix
does not let approve; an approved act is carried out at once as its requester's. What the shell
shows of a request is its preview rebuilt from the act it carries out (the console's Approvals
panel does the same), never only the text its requester recorded: when the two differ, the
approver reads both, and ``--yes`` is refused, since nobody would have read what goes out.
"""

from __future__ import annotations

import argparse

from console.cli.context import CliFailure, Context, ExitStatus, confirm, local_time
from console.cli.parser import add_json
from console.text.i18n import fill, translate
from services.domain.approvals import Approval, ApprovalKind, ApprovalStatus, Rebuilt


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    ap = sub.add_parser(
        "approvals",
        parents=[common],
        help=translate("cli", "list, approve or refuse acts awaiting a second operator"),
        description=translate(
            "cli",
            "High-impact acts (the city's approval rules) wait for a different operator "
            "allowed to approve them, within a time limit, or expire.",
        ),
    )
    actions = ap.add_subparsers(dest="action", required=True, metavar="ACTION")
    ls = actions.add_parser("list", parents=[common], help=translate("cli", "list the requests"))
    add_json(ls)
    ls.set_defaults(handler=run_list)
    approve = actions.add_parser(
        "approve", parents=[common], help=translate("cli", "approve a request: it goes out now")
    )
    approve.add_argument("id", metavar="ID", help=translate("cli", "the request's id"))
    add_json(approve)
    approve.set_defaults(handler=run_approve)
    refuse = actions.add_parser(
        "refuse", parents=[common], help=translate("cli", "refuse a request: nothing is sent")
    )
    refuse.add_argument("id", metavar="ID", help=translate("cli", "the request's id"))
    refuse.add_argument(
        "--reason", required=True, metavar="TEXT", help=translate("cli", "why it is refused")
    )
    refuse.set_defaults(handler=run_refuse)


def as_json(approval: Approval, rebuilt: Rebuilt) -> dict:
    return {
        "id": approval.id,
        "act": approval.act,
        "kind": approval.kind.value,
        "requested_by": approval.requested_by,
        "requested_at": approval.requested_at,
        "reason": approval.reason,
        "preview": approval.preview,
        "rebuilt_preview": rebuilt.lines,
        "preview_differs": rebuilt.differs_from(approval),
        "status": approval.status.value,
        "expires_at": approval.expires_at,
        "decided_by": approval.decided_by,
        "outcome": approval.outcome,
    }


def run_list(ctx: Context) -> ExitStatus:
    from services import approving
    from services.store import approvals

    ctx.acting_operator()
    db = ctx.database()
    approving.expire(db)
    with db.read() as session:
        rows = approvals.list_all(session)
    rebuilt = {a.id: _rebuilt(ctx, a) for a in rows if a.status is ApprovalStatus.AWAITING}
    if ctx.json:
        ctx.emit_json([as_json(a, rebuilt.get(a.id, _as_recorded(a))) for a in rows])
        return ExitStatus.OK
    ctx.table(
        [
            translate("cli", "id"),
            translate("cli", "status"),
            translate("cli", "requested by"),
            translate("cli", "until"),
            translate("cli", "request"),
            translate("cli", "reason"),
        ],
        [
            (
                a.id,
                a.status.value,
                a.requested_by,
                local_time(a.expires_at),
                _request_text(a, rebuilt.get(a.id)),
                a.reason,
            )
            for a in rows
        ],
    )
    return ExitStatus.OK


def run_approve(ctx: Context) -> ExitStatus:
    from services import approving
    from services.store import approvals

    by = ctx.acting_operator()
    db = ctx.database()
    with db.read() as session:
        seen = approvals.get(session, ctx.args.id)
    _show(ctx, seen, _rebuilt(ctx, seen))
    confirm(
        ctx,
        fill(
            translate("cli", "approve the request of {by} ({reason})?"),
            {"by": seen.requested_by, "reason": seen.reason},
        ),
    )
    if seen.kind is ApprovalKind.COMMAND:
        return _approve_command(ctx, by)
    if seen.kind is ApprovalKind.MODE:
        return _approve_mode(ctx, by)
    if seen.kind is ApprovalKind.LIGHTING:
        return _approve_lighting(ctx, by, seen)
    approved = approving.approve(db, ctx.args.id, by=by)
    approving.carry_out_role_change(db, approved)
    ctx.say(fill(translate("cli", "approved {id}: done"), {"id": approved.id}))
    return ExitStatus.OK


def _as_recorded(approval: Approval) -> Rebuilt:
    """A decided request is not planned again: what it carried out is in its outcome."""
    return Rebuilt(lines=list(approval.preview))


def _rebuilt(ctx: Context, approval: Approval) -> Rebuilt:
    from console.text.approvals import rebuild
    from services.commands.sender import CommandSender

    sender = CommandSender(ctx.database(), ctx.settings.broker, ctx.settings.root)
    return rebuild(ctx.database(), sender, ctx.settings.playbook, approval, ctx.settings.lighting)


def _request_text(approval: Approval, rebuilt: Rebuilt | None) -> str:
    """The table's cell: what approving does now, marked when the recorded text says otherwise."""
    if rebuilt is None:
        return " / ".join(approval.preview)
    said = " / ".join(rebuilt.lines) if not rebuilt.problem else rebuilt.problem
    if rebuilt.differs_from(approval):
        return fill(translate("cli", "(!) differs from what was recorded: {said}"), {"said": said})
    return said


def _show(ctx: Context, approval: Approval, rebuilt: Rebuilt) -> None:
    """What approving carries out, on standard error; both texts when they differ."""
    differs = rebuilt.differs_from(approval)
    if not ctx.json:
        if rebuilt.problem:
            ctx.err(
                fill(
                    translate("cli", "this request cannot be read again: {why}"),
                    {"why": rebuilt.problem},
                )
            )
        for line in rebuilt.lines:
            ctx.err(line)
        if differs:
            ctx.err(translate("cli", "its requester's console recorded another text:"))
            for line in approval.preview:
                ctx.err(f"  {line}")
    if differs and ctx.yes:
        raise CliFailure(
            translate(
                "cli",
                "refused with --yes: the request's recorded text differs from what approving "
                "it does now; read both and approve at a terminal",
            ),
            ExitStatus.FAILED,
        )


def _approve_command(ctx: Context, by: str) -> ExitStatus:
    from console.cli.commands.command_cmd import EXIT, report
    from services import approving
    from services.commands.selection import selection_outcome
    from services.commands.sender import CommandSender

    db = ctx.database()
    sender = CommandSender(db, ctx.settings.broker, ctx.settings.root)
    sender.connect()  # unreachable: exit 4 before the approval is recorded
    try:
        approved = approving.approve(db, ctx.args.id, by=by)
        sent = approving.carry_out_commands(db, sender, approved)
        outcomes = [sender.wait(request, plan.members) for request, plan in sent]
    finally:
        sender.close()
    outcome = outcomes[0] if len(outcomes) == 1 else selection_outcome(outcomes)
    report(ctx, " ".join(r.request_id for r, _ in sent), outcome)
    return EXIT.get(outcome.status, ExitStatus.UNKNOWN)


def _approve_mode(ctx: Context, by: str) -> ExitStatus:
    from console.cli.commands.mode_cmd import _report, _switcher
    from services import approving

    db = ctx.database()
    modes = _switcher(ctx)
    modes.sender.connect()  # unreachable: exit 4 before the approval is recorded
    try:
        approved = approving.approve(db, ctx.args.id, by=by)
        switch = approving.carry_out_mode(modes, approved)
        progress = modes.wait(switch)
        record = modes.finish(switch, progress)
        approving.note_outcome(db, approved, record.state)
    finally:
        modes.sender.close()
    return _report(ctx, record, progress)


def _approve_lighting(ctx: Context, by: str, seen: Approval) -> ExitStatus:
    """Checked, approved, pushed as its requester's and followed, as ``vigie lighting apply``.

    Checked first: a policy that is no longer the one requested (the file or the field changed
    since) is refused before anything is approved. Its exit statuses are ``lighting apply``'s.
    """
    from console.cli.commands.lighting_cmd import _report
    from console.text.lighting import progress_line
    from services import approving, lighting
    from services.commands.sender import CommandSender
    from services.lighting_policy import load_policy
    from services.playbooks import load_playbook

    db = ctx.database()
    policy, playbook = load_policy(ctx.settings.lighting), load_playbook(ctx.settings.playbook)
    sender = CommandSender(db, ctx.settings.broker, ctx.settings.root)
    approving.check_lighting(db, sender, policy, playbook, seen)  # refused before approving
    sender.connect()  # unreachable: exit 4 before the approval is recorded
    try:
        approved = approving.approve(db, seen.id, by=by)
        applied = approving.carry_out_lighting(db, sender, policy, playbook, approved)
        said: list[str] = []

        def on_progress(state: lighting.ApplyProgress) -> None:  # each new line once
            line = progress_line(state)
            if not ctx.json and line not in said[-1:]:
                said.append(line)
                ctx.err(line)

        state = lighting.wait(sender, applied, on_progress)
        lighting.finish(db, applied, state)
    finally:
        sender.close()
    return _report(ctx, applied.preview, state)


def run_refuse(ctx: Context) -> ExitStatus:
    from services import approving

    by = ctx.acting_operator()
    refused = approving.refuse(ctx.database(), ctx.args.id, by=by, reason=ctx.args.reason)
    ctx.say(fill(translate("cli", "refused {id}: nothing was sent"), {"id": refused.id}))
    return ExitStatus.OK
