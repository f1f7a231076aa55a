"""``vigie config show``: the settings in effect and where each came from."""

from __future__ import annotations

import argparse

from console.cli.context import Context, ExitStatus
from console.cli.parser import add_json
from console.text.i18n import translate
from services.config import ENVIRONMENT, redact_url


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    config = sub.add_parser(
        "config",
        parents=[common],
        help=translate("cli", "show the configuration in effect"),
        description=translate(
            "cli",
            "Settings come from flags, then environment variables, then the config file, "
            "then defaults.",
        ),
    )
    actions = config.add_subparsers(dest="action", required=True, metavar="ACTION")
    show = actions.add_parser(
        "show", parents=[common], help=translate("cli", "print each setting and where it came from")
    )
    add_json(show)
    show.set_defaults(handler=show_settings)


def show_settings(ctx: Context) -> ExitStatus:
    s = ctx.settings
    values = {
        "db": redact_url(s.db),
        "broker": redact_url(s.broker),
        "root": s.root,
        "operator": s.operator,
    }
    if ctx.json:
        ctx.emit_json(
            {
                "settings": {
                    k: {"value": v, "origin": s.origins[k].value, "variable": ENVIRONMENT[k]}
                    for k, v in values.items()
                },
                "config_file": {"path": str(s.config_file), "exists": s.config_file.exists()},
            }
        )
        return ExitStatus.OK
    origin_names = {
        "flag": translate("cli", "flag"),
        "environment": translate("cli", "environment"),
        "file": translate("cli", "config file"),
        "default": translate("cli", "default"),
    }
    ctx.table(
        [translate("cli", "setting"), translate("cli", "value"), translate("cli", "from")],
        [(k, v, origin_names[s.origins[k].value]) for k, v in values.items()],
    )
    exists = translate("cli", "present") if s.config_file.exists() else translate("cli", "absent")
    ctx.say(f"\n{translate('cli', 'config file')}: {s.config_file} ({exists})")
    return ExitStatus.OK
