"""``vigie recorder``: the headless record of the field, until SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from console.cli import recorder_early
from console.cli.context import Context, ExitStatus
from console.text.i18n import fill, translate
from services.config import redact_url
from services.domain.errors import PermissionDenied, VigieError


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    rec = sub.add_parser(
        "recorder",
        parents=[common],
        help=translate("cli", "record the field into the database (headless, until SIGTERM)"),
        description=translate(
            "cli",
            "Subscribe with a persistent session, validate every message, write the database "
            "in batches, turn alerts, reports and faults into incidents, keep the command "
            "outbox. Stops cleanly on SIGTERM.",
        ),
    )
    rec.add_argument(
        "--id",
        dest="recorder_id",
        metavar="ID",
        default=recorder_early.default_id(),
        help=translate("cli", "stable MQTT client id (default: recorder-HOSTNAME)"),
    )
    rec.add_argument(
        "--share",
        metavar="GROUP",
        default=None,
        help=translate(
            "cli",
            "share the live flow with the other recorders of GROUP (MQTT shared "
            "subscriptions, $share/GROUP/...): each message reaches one member. PostgreSQL "
            "only, and a broker that serves $share; without it every recorder receives "
            "everything",
        ),
    )
    rec.set_defaults(handler=run)


def _say(key: str, **params: object) -> None:
    from console.text.messages import describe

    sys.stderr.write(describe(VigieError(key, **params)) + "\n")
    sys.stderr.flush()


def run(ctx: Context) -> ExitStatus:
    # Two processes: this one receives (and imports little), a child writes the database.
    from services.recorder.receiver import Receiver

    settings = (ctx.settings.broker, ctx.settings.db, ctx.settings.root, ctx.args.recorder_id)
    share = ctx.args.share
    if share is not None:  # refused before anything starts: a usage error (exit 2)
        recorder_early.check_share(*settings, share)
    early = recorder_early.adopt(*settings, share, say=_say)
    if early is not None:  # started before the command line loaded (the usual case)
        receiver, stop = early
    else:
        receiver = Receiver(
            *settings,
            notify=_say,
            clock_tolerance=ctx.settings.clock_tolerance,
            share=share,
        )
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        receiver.start()
    ctx.say(
        fill(
            translate("cli", "recorder {id} running on {broker}, database {db}"),
            {
                "id": ctx.args.recorder_id,
                "broker": redact_url(ctx.settings.broker),
                "db": redact_url(ctx.settings.db),
            },
        )
    )
    if share is not None:
        ctx.say(fill(translate("cli", "sharing the live flow in group {group}"), {"group": share}))
    while not stop.wait(0.2) and not receiver.finished.is_set() and not receiver.refused.is_set():
        pass
    if not receiver.finished.is_set() and not receiver.refused.is_set():
        ctx.say(translate("cli", "stopping: flushing what is held"))
    receiver.stop()
    if receiver.failure is not None:
        refused = receiver.refused.is_set()
        error = PermissionDenied if refused else VigieError
        raise error(receiver.failure.key, **receiver.failure.params)
    ctx.say(
        fill(
            translate("cli", "recorder stopped after {count} messages"),
            {"count": receiver.recorded},
        )
    )
    return ExitStatus.OK
