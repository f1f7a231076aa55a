"""``vigie report daily``: the room's day as a PDF, for the mayor's office (issue 22).

Run from cron on a server, it needs no display: without ``DISPLAY`` or ``WAYLAND_DISPLAY`` (and
no ``QT_QPA_PLATFORM`` of the caller's) Qt draws offscreen. The report names who switched the
city's modes and why, so it is an act of its own: refused (exit 5, nothing written) to a role
without ``run_reports``, checked before anything is read, and audited (``report.daily``) once the
PDF is written. The file takes its name once the entry has committed: no report without its
entry, and a previous report at that path stays as it was if the audit fails.
"""

from __future__ import annotations

import argparse
import errno
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from console.cli.context import CliFailure, Context, ExitStatus
from console.cli.parser import add_json
from console.text.i18n import fill, translate
from services.domain.room_time import room_zone

if TYPE_CHECKING:
    from services.domain.figures import Figures


def room_day(text: str) -> date:
    """An argparse type: a day of the room's calendar, ``YYYY-MM-DD``."""
    return date.fromisoformat(text.strip())


room_day.__name__ = "date"  # argparse names the type in its error


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    rp = sub.add_parser(
        "report",
        parents=[common],
        help=translate("cli", "produce the room's reports (supervisors, auditors)"),
        description=translate(
            "cli",
            "The room's reports, as PDF files for the people the room answers to. Each one "
            "produced is an audited act.",
        ),
    )
    kinds = rp.add_subparsers(dest="kind", required=True, metavar="REPORT")
    daily = kinds.add_parser(
        "daily",
        parents=[common],
        help=translate("cli", "a day's report (main courante) as an A4 PDF"),
        description=translate(
            "cli",
            "The day at a glance on page 1, then the detail: incidents by category, commune "
            "and priority, targets kept, times to acknowledge and resolve, hotline calls, modes "
            "switched, commands, lights in fault, snow operations and camera views by purpose. "
            "In the operator's language; needs no display (cron).",
        ),
    )
    daily.add_argument(
        "--date",
        type=room_day,
        metavar="D",
        help=translate("cli", "the day, YYYY-MM-DD, in the room's time zone (default: yesterday)"),
    )
    daily.add_argument(
        "--out",
        required=True,
        metavar="FILE.pdf",
        help=translate("cli", "where to write the PDF (replaced if it exists)"),
    )
    add_json(daily)
    daily.set_defaults(handler=run_daily)


def run_daily(ctx: Context) -> ExitStatus:
    from console.reports.record import deliver, read_figures

    operator = ctx.acting_operator()
    today = datetime.now(UTC).astimezone(room_zone()).date()
    day = ctx.args.date or today - timedelta(days=1)
    if day > today:
        raise CliFailure(
            fill(
                translate("cli", "{day} has not begun yet in the room: no report of it"),
                {"day": day.isoformat()},
            ),
            ExitStatus.USAGE,
        )
    out = _writable(Path(ctx.args.out))
    figures = read_figures(ctx.database(), operator, day, room_zone())  # refused first
    printed = _print(figures, day, operator)
    try:
        seq = deliver(ctx.database(), operator, day, printed.data, out)
    except OSError as error:  # the disk filled, the folder was taken away meanwhile...
        raise _not_written(out, error) from None
    if ctx.json:
        ctx.emit_json(_as_json(figures, day, out, printed.pages, len(printed.data), seq))
    else:
        ctx.say(
            fill(
                translate(
                    "cli",
                    "daily report of {day} written to {file}: {pages} page(s), {incidents} "
                    "incident(s)",
                ),
                {
                    "day": day.isoformat(),
                    "file": out,
                    "pages": printed.pages,
                    "incidents": figures.incidents,
                },
            )
        )
    return ExitStatus.OK


def _writable(out: Path) -> Path:
    """``out`` if a report can be written there: a usage error or a failure said in words.

    Checked before anything is read, so that a wrong path costs neither the reading nor the
    drawing; ``deliver`` still says so if the disk refuses later.
    """
    if out.is_dir():
        raise CliFailure(
            fill(
                translate("cli", "--out {file} is a folder: name the report's file in it"),
                {"file": out},
            ),
            ExitStatus.USAGE,
        )
    if not out.parent.is_dir():
        raise CliFailure(
            fill(
                translate("cli", "no folder {folder} to write the report in"),
                {"folder": out.parent},
            ),
            ExitStatus.USAGE,
        )
    if not os.access(out.parent, os.W_OK | os.X_OK):
        raise _not_written(out, PermissionError(errno.EACCES, os.strerror(errno.EACCES)))
    return out


def _not_written(out: Path, error: OSError) -> CliFailure:
    return CliFailure(
        fill(
            translate("cli", "the report could not be written to {file}: {why}"),
            {"file": out, "why": error.strerror or error},
        ),
        ExitStatus.FAILED,
    )


def _print(figures: Figures, day: date, operator: str) -> Any:
    """The PDF, drawn by Qt: offscreen when there is no display (cron, a server)."""
    from console.reports.daily import Report, pdf_bytes
    from console.reports.paper import headless_application
    from console.text.i18n import translator
    from services.reference import communes

    app = headless_application()
    app.installTranslator(translator())  # the labels' words (categories, statuses) too
    names = {c.insee: c.name for c in communes()}
    return pdf_bytes(Report(figures, day, operator, datetime.now(UTC), names))


def _as_json(
    figures: Figures, day: date, out: Path, pages: int, size: int, seq: int
) -> dict[str, Any]:
    return {
        "date": day.isoformat(),
        "file": str(out.resolve()),
        "pages": pages,
        "bytes": size,
        "audit_seq": seq,
        "period": {"start": figures.period.start, "end": figures.period.end},
        "incidents": figures.incidents,
        "by_priority": {str(p): n for p, n in figures.by_priority.items()},
        "calls": figures.calls,
        "commands": figures.commands,
    }
