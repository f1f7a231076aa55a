"""``vigie console``: the operator's desktop application."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from console.cli.context import Context, ExitStatus
from console.text.i18n import translate

if TYPE_CHECKING:
    from console.desks.map import MapOptions
    from services.config import Settings


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


def map_options(settings: Settings) -> MapOptions:
    """The map's part of the settings (checked: a wrong value says so before any window)."""
    from console.desks.map import MapOptions
    from services.reference import communes
    from widgets.map.page import TileSource

    tiles = TileSource(settings.tile_url, settings.tile_attribution) if settings.tile_url else None
    return MapOptions(
        tiles=tiles,
        coverage_gap=settings.coverage_gap,
        watched_communes=settings.watched_communes([c.insee for c in communes()]),
        snow_network=settings.snow_network,
    )


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
        map_options=map_options(ctx.settings),
        playbook=ctx.settings.playbook,
    )
    return ExitStatus.OK if status == 0 else ExitStatus.FAILED
