"""``vigie permissions show``: the permission matrix, act by act and role by role."""

from __future__ import annotations

import argparse

from console.cli.context import Context, ExitStatus
from console.cli.parser import add_json
from console.text.i18n import translate
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
        help=translate("cli", "a city's permissions.toml (default: the bundled one)"),
    )
    add_json(show)
    show.set_defaults(handler=show_matrix)


def show_matrix(ctx: Context) -> ExitStatus:
    from services.domain.operators import Role
    from services.permissions import load_matrix

    matrix = load_matrix(ctx.args.file)
    if ctx.json:
        ctx.emit_json(
            {
                "source": matrix.source,
                "acts": {
                    act.value: sorted(role.value for role in roles)
                    for act, roles in matrix.allowed.items()
                },
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
