"""``vigie recorder``: the headless record of the field, until SIGTERM."""

from __future__ import annotations

import argparse
import signal
import socket
import sys
import threading

from console.cli.context import Context, ExitStatus
from console.i18n import fill, translate
from services.domain.errors import VigieError


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
        default=f"recorder-{socket.gethostname()}",
        help=translate("cli", "stable MQTT client id (default: recorder-HOSTNAME)"),
    )
    rec.set_defaults(handler=run)


def _say(key: str, **params: object) -> None:
    from console.messages import describe

    sys.stderr.write(describe(VigieError(key, **params)) + "\n")
    sys.stderr.flush()


def run(ctx: Context) -> ExitStatus:
    from services.recorder.process import Recorder

    db = ctx.database()
    recorder = Recorder(
        db, ctx.settings.broker, ctx.settings.root, ctx.args.recorder_id, notify=_say
    )
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    recorder.start()
    ctx.say(
        fill(
            translate("cli", "recorder {id} running on {broker}, database {db}"),
            {
                "id": ctx.args.recorder_id,
                "broker": ctx.settings.broker,
                "db": db.url.split("@")[-1],
            },
        )
    )
    stop.wait()
    ctx.say(translate("cli", "stopping: flushing what is held"))
    recorder.stop()
    ctx.say(
        fill(
            translate("cli", "recorder stopped after {count} messages"),
            {"count": recorder.received},
        )
    )
    return ExitStatus.OK
