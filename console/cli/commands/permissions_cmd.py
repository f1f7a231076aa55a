"""``vigie permissions show`` and ``load``: the permission matrix, act by act and role by role.

The matrix in force lives in the database, so that every workstation applies the same one; an
admin loads a city's file into it (audited). While none was loaded, the bundled one is in force.
"""

from __future__ import annotations

import argparse

from console.cli.context import Context, ExitStatus, confirm
from console.cli.parser import add_json
from console.text.i18n import fill, translate
from console.text.messages import act_name


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    permissions = sub.add_parser(
        "permissions",
        parents=[common],
        help=translate("cli", "show who may do what (the permission matrix)"),
        description=translate(
            "cli",
            "The matrix is a data file a city edits; the bundled one is the default "
            "(docs/security.md).",
        ),
    )
    actions = permissions.add_subparsers(dest="action", required=True, metavar="ACTION")
    show = actions.add_parser(
        "show", parents=[common], help=translate("cli", "print each act and the roles allowed it")
    )
    show.add_argument(
        "--file",
        metavar="PATH",
        default="",
        help=translate("cli", "a permissions.toml to show instead of the matrix in force"),
    )
    add_json(show)
    show.set_defaults(handler=show_matrix)
    load = actions.add_parser(
        "load",
        parents=[common],
        help=translate("cli", "put a permissions.toml in force for every workstation (admins)"),
    )
    load.add_argument("file", metavar="FILE", help=translate("cli", "the city's permissions.toml"))
    load.set_defaults(handler=load_matrix_file)


def load_matrix_file(ctx: Context) -> ExitStatus:
    from services.permissions import load_matrix, load_rules
    from services.store import authority, operators

    by = ctx.acting_operator()
    matrix = load_matrix(ctx.args.file)  # checked whole before anything is asked
    rules = load_rules(ctx.args.file)
    with ctx.database().read() as session:
        operators.require_manager(session, by)
        changes = len(set(authority.matrix_in_force(session).rows()) ^ set(matrix.rows()))
    confirm(
        ctx,
        fill(
            translate("cli", "put {file} in force for every workstation ({changes} change(s))?"),
            {"file": ctx.args.file, "changes": changes},
        ),
    )
    with ctx.database().write() as session:
        count = operators.load_matrix(session, matrix, rules, by=by)
    ctx.say(
        fill(
            translate("cli", "permission matrix {file} in force: {count} permission(s)"),
            {"file": ctx.args.file, "count": count},
        )
    )
    return ExitStatus.OK


def show_matrix(ctx: Context) -> ExitStatus:
    from services.domain.approvals import rules_as_data
    from services.domain.operators import Role
    from services.permissions import load_matrix, load_rules
    from services.store import authority

    if ctx.args.file:
        matrix, rules = load_matrix(ctx.args.file), load_rules(ctx.args.file)
    else:
        with ctx.database().read() as session:
            matrix = authority.matrix_in_force(session)
            rules = authority.rules_in_force(session)
    if ctx.json:
        ctx.emit_json(
            {
                "source": matrix.source,
                "acts": {
                    act.value: sorted(role.value for role in roles)
                    for act, roles in matrix.allowed.items()
                },
                "approvals": rules_as_data(rules),
            }
        )
        return ExitStatus.OK
    roles = list(Role)
    ctx.table(
        [translate("cli", "act"), *(role.value for role in roles)],
        [
            (act_name(act.value), *("✓" if matrix.allows(r, act) else "–" for r in roles))
            for act in matrix.allowed
        ],
    )
    return ExitStatus.OK
