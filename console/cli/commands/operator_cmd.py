"""``vigie operator``: add, list, disable, enable, re-role operators and set passwords.

Only an admin may manage operators (the permission matrix's ``manage_operators``); an operator may
change their own password. Passwords are read by ``console/cli/secrets.py``, never taken as an
argument.
"""

from __future__ import annotations

import argparse

from console.cli.context import CliFailure, Context, ExitStatus, local_time
from console.cli.parser import add_json
from console.cli.secrets import new_password
from console.text.i18n import fill, translate
from services.domain.operators import Role


def _roles_help() -> str:
    return fill(
        translate("cli", "the operator's role: {roles}"),
        {"roles": ", ".join(r.value for r in Role)},
    )


def _add_password_stdin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help=translate(
            "cli", "read the password from the first line of standard input (for scripts)"
        ),
    )


def _action(
    actions: argparse._SubParsersAction, common: argparse.ArgumentParser, name: str, help_text: str
) -> argparse.ArgumentParser:
    parser = actions.add_parser(name, parents=[common], help=help_text, description=help_text)
    parser.add_argument(
        "name", metavar="NAME", help=translate("cli", "the operator's name, e.g. m.dupont")
    )
    return parser


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    op = sub.add_parser(
        "operator",
        parents=[common],
        help=translate("cli", "add, list, disable and re-role operators; set passwords"),
        description=translate(
            "cli", "Operators are the people who act in Vigie, each with a role."
        ),
    )
    actions = op.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = _action(actions, common, "add", translate("cli", "add an operator (admins only)"))
    add.add_argument(
        "--role",
        required=True,
        choices=[r.value for r in Role],
        metavar="ROLE",
        help=_roles_help(),
    )
    _add_password_stdin(add)
    add.set_defaults(handler=run_add)
    ls = actions.add_parser("list", parents=[common], help=translate("cli", "list the operators"))
    add_json(ls)
    ls.set_defaults(handler=run_list)
    disable = _action(
        actions,
        common,
        "disable",
        translate("cli", "stop an operator from logging in and acting (admins only)"),
    )
    disable.set_defaults(handler=run_disable)
    enable = _action(
        actions, common, "enable", translate("cli", "let a disabled operator back in (admins only)")
    )
    enable.set_defaults(handler=run_enable)
    set_role = _action(
        actions, common, "set-role", translate("cli", "change an operator's role (admins only)")
    )
    set_role.add_argument(
        "role", metavar="ROLE", choices=[r.value for r in Role], help=_roles_help()
    )
    set_role.add_argument(
        "--reason",
        default="",
        metavar="TEXT",
        help=translate("cli", "why (a role change waits for a second operator's approval)"),
    )
    add_json(set_role)
    set_role.set_defaults(handler=run_set_role)
    passwd = _action(
        actions,
        common,
        "passwd",
        translate("cli", "set an operator's password (admins; anyone for their own)"),
    )
    _add_password_stdin(passwd)
    passwd.set_defaults(handler=run_passwd)


def run_add(ctx: Context) -> ExitStatus:
    from services.store import operators

    by = ctx.acting_operator()
    with ctx.database().read() as session:
        operators.require_manager(session, by)
    password = new_password(ctx.args.name, from_stdin=ctx.args.password_stdin)
    with ctx.database().write() as session:
        created = operators.add(
            session, ctx.args.name, Role(ctx.args.role), by=by, password=password
        )
    ctx.say(
        fill(
            translate("cli", "operator {name} added as {role}"),
            {"name": created.name, "role": created.role.value},
        )
    )
    return ExitStatus.OK


def run_disable(ctx: Context) -> ExitStatus:
    return _set_enabled(ctx, enabled=False)


def run_enable(ctx: Context) -> ExitStatus:
    return _set_enabled(ctx, enabled=True)


def _set_enabled(ctx: Context, *, enabled: bool) -> ExitStatus:
    from services.store import operators

    by = ctx.acting_operator()
    with ctx.database().write() as session:
        (operators.enable if enabled else operators.disable)(session, ctx.args.name, by=by)
    said = (
        translate("cli", "operator {name} enabled")
        if enabled
        else translate("cli", "operator {name} disabled")
    )
    ctx.say(fill(said, {"name": ctx.args.name}))
    return ExitStatus.OK


def run_set_role(ctx: Context) -> ExitStatus:
    from console.cli.awaiting import awaiting_reply
    from services import approving
    from services.store import operators

    by = ctx.acting_operator()
    db = ctx.database()
    rule = approving.rule_for_role_change(db)
    if rule is not None:  # a role change waits for a second operator (two-person rule)
        with db.read() as session:
            operators.require_manager(session, by)
            before = operators.get(session, ctx.args.name)
        if not ctx.args.reason.strip():
            raise CliFailure(
                translate("cli", "a role change waits for approval and needs --reason TEXT"),
                ExitStatus.USAGE,
            )
        from console.text.approvals import role_preview

        preview = role_preview(before.name, before.role.value, ctx.args.role)
        approval = approving.request_role_change(
            db,
            name=before.name,
            role=Role(ctx.args.role),
            by=by,
            reason=ctx.args.reason,
            preview=preview,  # what an approver's panel rebuilds
            rule=rule,
        )
        return awaiting_reply(ctx, approval)
    with db.write() as session:
        changed = operators.set_role(session, ctx.args.name, Role(ctx.args.role), by=by)
    ctx.say(
        fill(
            translate("cli", "operator {name} is now {role}"),
            {"name": changed.name, "role": changed.role.value},
        )
    )
    return ExitStatus.OK


def run_passwd(ctx: Context) -> ExitStatus:
    from services.store import operators

    by = ctx.acting_operator()
    if ctx.args.name != by:  # anyone may change their own
        with ctx.database().read() as session:
            operators.require_manager(session, by)
    password = new_password(ctx.args.name, from_stdin=ctx.args.password_stdin)
    with ctx.database().write() as session:
        operators.set_password(session, ctx.args.name, password, by=by)
    ctx.say(fill(translate("cli", "password of {name} changed"), {"name": ctx.args.name}))
    return ExitStatus.OK


def run_list(ctx: Context) -> ExitStatus:
    from services.store import operators

    ctx.acting_operator()
    with ctx.database().read() as session:
        rows = operators.list_all(session)
    if ctx.json:
        ctx.emit_json(
            [
                {
                    "name": o.name,
                    "role": o.role.value,
                    "enabled": o.enabled,
                    "created_at": o.created_at,
                    "created_by": o.created_by,
                }
                for o in rows
            ]
        )
    else:
        ctx.table(
            [
                translate("cli", "name"),
                translate("cli", "role"),
                translate("cli", "state"),
                translate("cli", "since"),
                translate("cli", "added by"),
            ],
            [
                (
                    o.name,
                    o.role.value,
                    translate("cli", "enabled") if o.enabled else translate("cli", "disabled"),
                    local_time(o.created_at),
                    o.created_by,
                )
                for o in rows
            ],
        )
    return ExitStatus.OK
