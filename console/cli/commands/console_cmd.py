"""``vigie console``: the operator's desktop application."""

from __future__ import annotations

import argparse

from console.cli.context import Context, ExitStatus
from console.i18n import translate


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    console = sub.add_parser(
        "console",
        parents=[common],
        help=translate("cli", "open the operator's console"),
        description=translate(
            "cli", "The control room's desktop application, as the operator in effect."
        ),
    )
    console.set_defaults(handler=run)


def run(ctx: Context) -> ExitStatus:
    from console.app import run as run_console
    from services.store import operators

    operator = ctx.acting_operator()
    with ctx.database().read() as session:
        role = operators.get(session, operator).role
    status = run_console(ctx.database(), ctx.settings.broker, ctx.settings.root, operator, role)
    return ExitStatus.OK if status == 0 else ExitStatus.FAILED
