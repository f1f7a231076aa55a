"""``vigie handover``: start, show and accept a shift handover from the shell (issue 22).

The summary is generated when it is read, as the reader's role may read the record: a
technician's ``show`` lists no patrol and no open camera view. A handover is accepted by
another operator than its author, logged in as themselves: its own author is refused (exit 5)
and nothing is recorded.
"""

from __future__ import annotations

import argparse
import dataclasses
from typing import TYPE_CHECKING, Any

from console.cli.context import Context, ExitStatus, confirm, local_time
from console.cli.parser import add_json, positive_int
from console.text.handover import summary_text
from console.text.i18n import fill, translate

if TYPE_CHECKING:
    from services.domain.handover import Summary


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    ho = sub.add_parser(
        "handover",
        parents=[common],
        help=translate("cli", "hand a shift over, read a handover, accept it"),
        description=translate(
            "cli",
            "A shift handover: what the next shift must know (open incidents, units out, "
            "modes, faults, commands, approvals, camera views, the shift's logbook) and the "
            "outgoing operator's remarks; another operator accepts it. Both acts are audited.",
        ),
    )
    actions = ho.add_subparsers(dest="action", required=True, metavar="ACTION")
    start = actions.add_parser(
        "start",
        parents=[common],
        help=translate("cli", "hand your shift over: shows the summary, asks, records it"),
    )
    start.add_argument(
        "--remarks",
        default="",
        metavar="TEXT",
        help=translate("cli", "your remarks for the next shift"),
    )
    add_json(start)
    start.set_defaults(handler=run_start)
    show = actions.add_parser(
        "show",
        parents=[common],
        help=translate("cli", "show a handover's summary (default: the newest not accepted)"),
    )
    show.add_argument(
        "id", nargs="?", type=positive_int, metavar="ID", help=translate("cli", "the handover's id")
    )
    add_json(show)
    show.set_defaults(handler=run_show)
    accept = actions.add_parser(
        "accept",
        parents=[common],
        help=translate("cli", "accept another operator's handover"),
    )
    accept.add_argument(
        "id", type=positive_int, metavar="ID", help=translate("cli", "the handover's id")
    )
    add_json(accept)
    accept.set_defaults(handler=run_accept)


def as_json(summary: Summary) -> dict[str, Any]:
    """The summary with ids and UTC times (``json_default`` writes the datetimes)."""
    data = dataclasses.asdict(summary)
    return {"id": summary.handover.id, **data}


def run_start(ctx: Context) -> ExitStatus:
    from services import handover
    from services.domain.permissions import Act

    operator = ctx.acting_operator()
    db = ctx.database()
    matrix, role = handover.reader(db, operator)
    matrix.check(operator, role, Act.HAND_OVER)  # refused before anything is shown or asked
    draft = handover.preview(db, operator, role, matrix, ctx.args.remarks)
    if not ctx.json:
        ctx.say(summary_text(draft))
    confirm(ctx, translate("cli", "Hand the shift over with this summary?"))
    recorded = handover.start(db, operator, role, ctx.args.remarks)
    if ctx.json:
        ctx.emit_json(as_json(dataclasses.replace(draft, handover=recorded)))
    else:
        ctx.say(
            fill(
                translate("cli", "handover {id} recorded at {at} by {operator}"),
                {"id": recorded.id, "at": local_time(recorded.started_at), "operator": operator},
            )
        )
    return ExitStatus.OK


def run_show(ctx: Context) -> ExitStatus:
    from services import handover

    operator = ctx.acting_operator()
    db = ctx.database()
    matrix, role = handover.reader(db, operator)
    summary = handover.read(db, ctx.args.id, matrix, role, reader=operator)
    if ctx.json:
        ctx.emit_json(as_json(summary))
    else:
        ctx.say(summary_text(summary))
    return ExitStatus.OK


def run_accept(ctx: Context) -> ExitStatus:
    from services import handover
    from services.domain.errors import Conflict, PermissionDenied
    from services.domain.permissions import Act

    operator = ctx.acting_operator()
    db = ctx.database()
    matrix, role = handover.reader(db, operator)
    matrix.check(operator, role, Act.ACCEPT_HANDOVER)
    summary = handover.read(db, ctx.args.id, matrix, role, reader=operator)
    if summary.handover.author == operator:  # before asking: nothing to confirm, nothing recorded
        raise PermissionDenied("handover.own", id=summary.handover.id, operator=operator)
    if summary.handover.accepted_by is not None:  # likewise: nothing left to accept
        raise Conflict(
            "handover.already_accepted", id=summary.handover.id, by=summary.handover.accepted_by
        )
    if not ctx.json:
        ctx.say(summary_text(summary))
    confirm(
        ctx,
        fill(
            translate("cli", "Accept handover {id} from {author}?"),
            {"id": summary.handover.id, "author": summary.handover.author},
        ),
    )
    accepted = handover.accept(db, summary.handover.id, operator)
    if ctx.json:
        ctx.emit_json(dataclasses.asdict(accepted))
    else:
        ctx.say(
            fill(
                translate("cli", "handover {id} accepted at {at} by {operator}"),
                {"id": accepted.id, "at": local_time(accepted.accepted_at), "operator": operator},
            )
        )
    return ExitStatus.OK
