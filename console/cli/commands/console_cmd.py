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
    from services.config import Origin
    from services.store import operators

    name = ctx.acting_operator()
    with ctx.database().read() as session:  # before the window exists: nothing to freeze yet
        me = operators.get(session, name)
        everyone = operators.list_all(session)
    # --operator or VIGIE_OPERATOR (or the config file) says who: no need to ask
    ask = ctx.settings.origins["operator"] is Origin.DEFAULT
    status = run_console(
        ctx.database(),
        ctx.settings.broker,
        ctx.settings.root,
        me,
        choose_among=everyone if ask else None,
        photo_hosts=ctx.settings.allowed_photo_hosts,
    )
    return ExitStatus.OK if status == 0 else ExitStatus.FAILED
