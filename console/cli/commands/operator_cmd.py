"""``vigie operator add`` and ``vigie operator list``: who may act, with which role."""

from __future__ import annotations

import argparse

from console.cli.context import Context, ExitStatus, local_time
from console.cli.parser import add_json
from console.text.i18n import fill, translate
from services.domain.operators import Role


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:

    op = sub.add_parser(
        "operator",
        parents=[common],
        help=translate("cli", "add and list operators"),
        description=translate(
            "cli", "Operators are the people who act in Vigie, each with a role."
        ),
    )
    actions = op.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser(
        "add",
        parents=[common],
        help=translate("cli", "add an operator (admins only)"),
        description=translate("cli", "Add an operator. The operator in effect must be an admin."),
    )
    add.add_argument(
        "name", metavar="NAME", help=translate("cli", "the operator's name, e.g. m.dupont")
    )
    add.add_argument(
        "--role",
        required=True,
        choices=[r.value for r in Role],
        metavar="ROLE",
        help=fill(
            translate("cli", "the operator's role: {roles}"),
            {"roles": ", ".join(r.value for r in Role)},
        ),
    )
    add.set_defaults(handler=run_add)
    ls = actions.add_parser("list", parents=[common], help=translate("cli", "list the operators"))
    add_json(ls)
    ls.set_defaults(handler=run_list)


def run_add(ctx: Context) -> ExitStatus:
    from services.store import operators

    by = ctx.acting_operator()
    with ctx.database().write() as session:
        created = operators.add(session, ctx.args.name, Role(ctx.args.role), by=by)
    ctx.say(
        fill(
            translate("cli", "operator {name} added as {role}"),
            {"name": created.name, "role": created.role.value},
        )
    )
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
                translate("cli", "since"),
                translate("cli", "added by"),
            ],
            [(o.name, o.role.value, local_time(o.created_at), o.created_by) for o in rows],
        )
    return ExitStatus.OK
