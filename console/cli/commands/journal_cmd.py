"""``vigie journal add`` and ``vigie journal list``: the room's logbook from the shell."""

from __future__ import annotations

import argparse

from console.cli.context import Context, ExitStatus, local_time
from console.cli.parser import add_json, positive_int
from console.text.i18n import fill, translate


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:

    jr = sub.add_parser(
        "journal",
        parents=[common],
        help=translate("cli", "write and read the room's logbook"),
        description=translate(
            "cli", "The logbook (main courante): dated entries, each an audited act."
        ),
    )
    actions = jr.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser(
        "add", parents=[common], help=translate("cli", "write an entry as the operator in effect")
    )
    add.add_argument("text", nargs="+", metavar="TEXT", help=translate("cli", "the entry's text"))
    add.set_defaults(handler=run_add)
    ls = actions.add_parser(
        "list", parents=[common], help=translate("cli", "list entries, oldest first")
    )
    ls.add_argument(
        "--limit",
        type=positive_int,
        metavar="N",
        help=translate("cli", "only the newest N entries"),
    )
    ls.add_argument("--by", metavar="NAME", help=translate("cli", "only this operator's entries"))
    add_json(ls)
    ls.set_defaults(handler=run_list)


def run_add(ctx: Context) -> ExitStatus:
    from services.store import journal

    operator = ctx.acting_operator()
    entry = journal.write(ctx.database(), operator, " ".join(ctx.args.text))
    ctx.say(
        fill(
            translate("cli", "logbook entry {id} written at {at} by {operator}"),
            {"id": entry.id, "at": local_time(entry.at), "operator": entry.operator},
        )
    )
    return ExitStatus.OK


def run_list(ctx: Context) -> ExitStatus:
    from services.store import journal

    ctx.acting_operator()
    with ctx.database().read() as session:
        entries = journal.list_entries(session, operator=ctx.args.by, limit=ctx.args.limit)
    if ctx.json:
        ctx.emit_json(
            [{"id": e.id, "at": e.at, "operator": e.operator, "text": e.text} for e in entries]
        )
    else:
        for e in entries:
            ctx.say(f"{e.id:>6}  {local_time(e.at)}  {e.operator}: {e.text}")
    return ExitStatus.OK
