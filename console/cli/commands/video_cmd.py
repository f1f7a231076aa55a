"""``vigie video secrets load FILE``: the camera gateways' stream secrets, into the database.

The secrets sign the tokens that open the cameras' streams (docs/video.md, "Tokens"): the
database mints them when a view opens, so it holds each gateway's secret (``stream_secrets``,
which no operator's login may read on PostgreSQL). The file is the simulator's (``vigie
simulate --video-secrets``), or a city's in the same form: a JSON object of gateway id to base64
secret. An admin's act, or a superuser's; audited with the gateways, never the secrets.
"""

from __future__ import annotations

import argparse
import stat
from pathlib import Path

from console.cli.context import CliFailure, Context, ExitStatus
from console.text.i18n import fill, translate


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    video = sub.add_parser(
        "video",
        parents=[common],
        help=translate("cli", "the cameras' stream secrets"),
        description=translate(
            "cli",
            "A camera's stream opens only with a token the database mints when a view opens, "
            "signed with its gateway's secret (docs/video.md).",
        ),
    )
    what = video.add_subparsers(dest="what", required=True, metavar="WHAT")
    secrets = what.add_parser(
        "secrets", parents=[common], help=translate("cli", "the gateways' stream secrets")
    )
    actions = secrets.add_subparsers(dest="action", required=True, metavar="ACTION")
    load = actions.add_parser(
        "load",
        parents=[common],
        help=translate("cli", "put the gateways' stream secrets of FILE in force (admins)"),
        description=translate(
            "cli",
            "Load a JSON object of gateway id to base64 secret (the simulator's "
            "video-secrets.json) into the database: each replaces the gateway's secret before; "
            "gateways the file does not name keep theirs. Audited, without the secrets.",
        ),
    )
    load.add_argument("file", metavar="FILE", help=translate("cli", "the secrets file"))
    load.set_defaults(handler=run_secrets_load)


def run_secrets_load(ctx: Context) -> ExitStatus:
    from services.simulator.video.secrets_file import SecretsFileError, read_secrets
    from services.store import camera_views

    by = ctx.acting_operator()
    path = Path(ctx.args.file)
    try:
        secrets = read_secrets(path)
    except SecretsFileError as exc:
        raise CliFailure(str(exc), ExitStatus.USAGE) from None
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        ctx.err(
            fill(
                translate(
                    "cli",
                    "warning: others may read {file}, and whoever reads it can open every "
                    "camera: make it 600 with 'chmod 600 {file}'",
                ),
                {"file": path},
            )
        )
    with ctx.database().write() as session:
        count = camera_views.load_secrets(session, secrets, str(path), by)
    ctx.say(
        fill(
            translate("cli", "stream secrets of {count} gateway(s) in force, from {file}"),
            {"count": count, "file": path},
        )
    )
    return ExitStatus.OK
