"""``vigie broker config``: the Mosquitto configuration that enforces the bus ACL."""

from __future__ import annotations

import argparse
from pathlib import Path

from console.cli.context import CliFailure, Context, ExitStatus
from console.cli.parser import add_json, positive_int
from console.text.i18n import fill, translate


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    broker = sub.add_parser(
        "broker",
        parents=[common],
        help=translate("cli", "write the broker's configuration (who may publish what)"),
    )
    actions = broker.add_subparsers(dest="action", required=True, metavar="ACTION")
    config = actions.add_parser(
        "config",
        parents=[common],
        help=translate("cli", "write mosquitto.conf, its password file, ACL and credentials"),
        description=translate(
            "cli",
            "One identity per gateway and unit of the register, per recorder and per console "
            "workstation, plus the citizen app and the alarms; each may publish and subscribe "
            "only what docs/security.md says. Passwords are written once, in credentials/.",
        ),
    )
    config.add_argument("--out", metavar="DIR", required=True, type=Path)
    config.add_argument("--port", metavar="N", type=positive_int, default=1883)
    config.add_argument(
        "--consoles",
        metavar="PC1,PC2",
        type=_names,
        default=[],
        help=translate("cli", "the console workstations' names"),
    )
    config.add_argument(
        "--recorders",
        metavar="ID1,ID2",
        type=_names,
        default=["main"],
        help=translate("cli", "the recorders' ids (default: main)"),
    )
    config.add_argument("--tls-cert", metavar="FILE", type=Path)
    config.add_argument("--tls-key", metavar="FILE", type=Path)
    add_json(config)
    config.set_defaults(handler=write_config)


def write_config(ctx: Context) -> ExitStatus:
    from services.broker_config import write_broker_config

    args = ctx.args
    if (args.tls_cert is None) != (args.tls_key is None):
        raise CliFailure(translate("cli", "--tls-cert and --tls-key go together"), ExitStatus.USAGE)
    tls = (args.tls_cert, args.tls_key) if args.tls_cert else None
    written = write_broker_config(
        ctx.database(),
        args.out,
        ctx.settings.root,
        port=args.port,
        consoles=args.consoles,
        recorders=args.recorders,
        tls=tls,
    )
    if ctx.json:
        ctx.emit_json(
            {
                "folder": str(written.folder),
                "identities": [i.name for i in written.identities],
                "loopback_only": written.loopback_only,
            }
        )
        return ExitStatus.OK
    ctx.say(
        fill(
            translate(
                "cli",
                "{count} identities written to {folder}: mosquitto.conf, passwd, acl, "
                "credentials/ (each password once, mode 600)",
            ),
            {"count": len(written.identities), "folder": written.folder},
        )
    )
    if written.loopback_only:
        ctx.say(translate("cli", "No TLS given: the broker listens on this machine only."))
    return ExitStatus.OK
