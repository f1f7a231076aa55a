"""``vigie playbook load``: the playbook the database holds, for PostgreSQL to check switches by.

Consoles and ``vigie mode`` read the city's playbook file at every preview. On PostgreSQL the
database also holds its commands, and records a mode switch's command only if the entry switched
to has it: an admin loads the file again after editing it (audited).
"""

from __future__ import annotations

import argparse

from console.cli.context import Context, ExitStatus, confirm
from console.text.i18n import fill, translate


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    playbook = sub.add_parser(
        "playbook",
        parents=[common],
        help=translate("cli", "the snow plan's and traffic modes' playbook the database holds"),
    )
    actions = playbook.add_subparsers(dest="action", required=True, metavar="ACTION")
    load = actions.add_parser(
        "load",
        parents=[common],
        help=translate("cli", "put the city's playbook in force in the database (admins)"),
        description=translate(
            "cli",
            "Reads the playbook whole (refused, naming the entry, if anything in it is wrong) "
            "and replaces the commands the database holds. On PostgreSQL a mode switch may "
            "send only the commands of the entry it switches to.",
        ),
    )
    load.add_argument(
        "file",
        nargs="?",
        default=None,
        metavar="FILE",
        help=translate("cli", "the playbook (default: the playbook setting, else the bundled one)"),
    )
    load.set_defaults(handler=run_load)


def run_load(ctx: Context) -> ExitStatus:
    from services.playbooks import load_playbook
    from services.store import operators
    from services.store.playbook_steps import put_in_force

    by = ctx.acting_operator()
    path = ctx.args.file if ctx.args.file is not None else ctx.settings.playbook
    playbook = load_playbook(path)  # checked whole before anything is asked
    with ctx.database().read() as session:
        operators.require_manager(session, by)
    confirm(
        ctx,
        fill(
            translate("cli", "put the playbook {file} in force for every workstation?"),
            {"file": playbook.source},
        ),
    )
    with ctx.database().write() as session:
        count = put_in_force(session, playbook, by=by)
    ctx.say(
        fill(
            translate("cli", "playbook {file} in force: {count} command(s) in its entries"),
            {"file": playbook.source, "count": count},
        )
    )
    return ExitStatus.OK
