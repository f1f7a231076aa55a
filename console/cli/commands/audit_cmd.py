"""``vigie audit verify`` and ``head``: is the audit journal intact? ``views``: who watched what.

``vigie audit views`` answers "who watched which camera, when, and why" from the record of
camera views (issue 18), and ``vigie audit snapshots`` which pictures were taken in them, by
whom, for what, and whether retention purged them yet, for the roles that may read it
(``read_camera_journal``): others exit 5, and on PostgreSQL the database refuses them the
tables too.
"""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime, timedelta

from console.cli.context import CliFailure, Context, ExitStatus, local_time
from console.cli.parser import add_json
from console.text.i18n import fill, translate
from services.domain.errors import VigieError
from services.domain.room_time import room_zone

_AGO = re.compile(r"(\d{1,6})([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def since_time(text: str) -> datetime:
    """An argparse type: a time, a date or a span back from now, as UTC.

    ``2026-12-04T18:00`` is the room's time unless a zone is given, a date its midnight in the
    room; ``90m``, ``12h``, ``7d`` count back from now.
    """
    text = text.strip()
    ago = _AGO.fullmatch(text)
    if ago:
        span = timedelta(**{_UNITS[ago.group(2)]: int(ago.group(1))})
        return datetime.now(UTC) - span
    at = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    return (at if at.tzinfo else at.replace(tzinfo=room_zone())).astimezone(UTC)


since_time.__name__ = "time"  # argparse names the type in its error


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    au = sub.add_parser(
        "audit",
        parents=[common],
        help=translate("cli", "verify the audit journal"),
        description=translate(
            "cli",
            "The audit journal is hash-chained: verification names the first changed, "
            "deleted, inserted or reordered entry.",
        ),
    )
    actions = au.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = actions.add_parser(
        "verify", parents=[common], help=translate("cli", "check every entry (exit 1 if broken)")
    )
    verify.add_argument(
        "--anchor",
        metavar="SEQ:HASH",
        help=translate("cli", "a head written down earlier: also detects a cut or rewritten tail"),
    )
    add_json(verify)
    verify.set_defaults(handler=run_verify)
    head = actions.add_parser(
        "head", parents=[common], help=translate("cli", "print SEQ:HASH of the newest entry")
    )
    add_json(head)
    head.set_defaults(handler=run_head)
    views = actions.add_parser(
        "views",
        parents=[common],
        help=translate("cli", "who watched which camera, when and why (supervisors, auditors)"),
        description=translate(
            "cli",
            "Every camera view, oldest first: its camera, viewer, purpose and incident, when it "
            "opened and when and why it closed (closed, timed_out, console_gone).",
        ),
    )
    views.add_argument("--camera", metavar="ID", help=translate("cli", "only this camera's views"))
    views.add_argument(
        "--viewer", metavar="NAME", help=translate("cli", "only this operator's views")
    )
    views.add_argument(
        "--since",
        metavar="TIME",
        type=since_time,
        help=translate(
            "cli",
            "only views open at or after TIME: 2026-12-04T18:00 (the room's time unless a zone "
            "is given), a date, or a span back from now such as 90m, 12h or 7d",
        ),
    )
    add_json(views)
    views.set_defaults(handler=run_views)
    snapshots = actions.add_parser(
        "snapshots",
        parents=[common],
        help=translate(
            "cli", "which camera snapshots were taken, by whom and why (supervisors, auditors)"
        ),
        description=translate(
            "cli",
            "Every camera snapshot, oldest first: its camera, who took it, when, the purpose of "
            "the view it was taken in, its file and SHA-256, and when retention purged it.",
        ),
    )
    snapshots.add_argument(
        "--camera", metavar="ID", help=translate("cli", "only this camera's snapshots")
    )
    snapshots.add_argument(
        "--since",
        metavar="TIME",
        type=since_time,
        help=translate(
            "cli",
            "only snapshots taken at or after TIME: 2026-12-04T18:00 (the room's time unless a "
            "zone is given), a date, or a span back from now such as 90m, 12h or 7d",
        ),
    )
    add_json(snapshots)
    snapshots.set_defaults(handler=run_snapshots)


def run_verify(ctx: Context) -> ExitStatus:
    from console.text.messages import describe
    from services.store import audit

    anchor = None
    if ctx.args.anchor:
        try:
            anchor = audit.Anchor.parse(ctx.args.anchor)
        except VigieError as exc:
            raise CliFailure(describe(exc), ExitStatus.USAGE) from None
    with ctx.database().read() as session:
        verdict = audit.verify(session, anchor)
    if ctx.json:
        ctx.emit_json(
            {
                "ok": verdict.ok,
                "entries": verdict.entries,
                "head": {"seq": verdict.head.seq, "hash": verdict.head.hash}
                if verdict.head
                else None,
                "problem": verdict.problem,
                "bad_seq": verdict.bad_seq,
            }
        )
    if verdict.ok:
        if not ctx.json:
            ctx.say(
                fill(
                    translate("cli", "audit journal intact: {count} entries, head {head}"),
                    {"count": verdict.entries, "head": verdict.head or "-"},
                )
            )
        return ExitStatus.OK
    raise CliFailure(describe(VigieError(verdict.problem, seq=verdict.bad_seq)), ExitStatus.FAILED)


def run_head(ctx: Context) -> ExitStatus:
    from services.store import audit

    with ctx.database().read() as session:
        head = audit.head(session)
    if head is None:
        raise CliFailure(translate("cli", "the audit journal is empty"), ExitStatus.FAILED)
    if ctx.json:
        ctx.emit_json({"seq": head.seq, "hash": head.hash})
    else:
        ctx.say(str(head))
    return ExitStatus.OK


def run_views(ctx: Context) -> ExitStatus:
    from services.store import camera_views

    reader = ctx.acting_operator()
    a = ctx.args
    with ctx.database().read() as session:
        views = camera_views.list_views(
            session, reader, camera=a.camera, viewer=a.viewer, since=a.since
        )
    if ctx.json:
        ctx.emit_json(
            [
                {
                    "id": v.id,
                    "camera": v.camera,
                    "viewer": v.viewer,
                    "purpose": v.purpose,
                    "incident_id": v.incident_id,
                    "workstation": v.workstation,
                    "opened_at": v.opened_at,
                    "expires_at": v.expires_at,
                    "closed_at": v.closed_at,
                    "closed_because": v.closed_because,
                }
                for v in views
            ]
        )
        return ExitStatus.OK
    still_open = translate("cli", "open")
    ctx.table(
        [
            translate("cli", "opened"),
            translate("cli", "camera"),
            translate("cli", "viewer"),
            translate("cli", "purpose"),
            translate("cli", "incident"),
            translate("cli", "closed"),
            translate("cli", "why"),
        ],
        [
            (
                local_time(v.opened_at),
                v.camera,
                v.viewer,
                v.purpose,
                v.incident_id or "",
                local_time(v.closed_at) if v.closed_at else still_open,
                v.closed_because or "",
            )
            for v in views
        ],
    )
    return ExitStatus.OK


def run_snapshots(ctx: Context) -> ExitStatus:
    from services.store import camera_snapshots

    reader = ctx.acting_operator()
    a = ctx.args
    with ctx.database().read() as session:
        snapshots = camera_snapshots.list_snapshots(session, reader, camera=a.camera, since=a.since)
    if ctx.json:
        ctx.emit_json(
            [
                {
                    "id": s.id,
                    "camera": s.camera,
                    "taken_by": s.taken_by,
                    "taken_at": s.taken_at,
                    "purpose": s.purpose,
                    "incident_id": s.incident_id,
                    "view_id": s.view_id,
                    "file": s.file_name,
                    "sha256": s.sha256,
                    "size": s.size,
                    "purged_at": s.purged_at,
                }
                for s in snapshots
            ]
        )
        return ExitStatus.OK
    kept = translate("cli", "kept")
    ctx.table(
        [
            translate("cli", "taken"),
            translate("cli", "camera"),
            translate("cli", "taken by"),
            translate("cli", "purpose"),
            translate("cli", "file"),
            translate("cli", "purged"),
        ],
        [
            (
                local_time(s.taken_at),
                s.camera,
                s.taken_by,
                s.purpose,
                s.file_name,
                local_time(s.purged_at) if s.purged_at else kept,
            )
            for s in snapshots
        ],
    )
    return ExitStatus.OK
