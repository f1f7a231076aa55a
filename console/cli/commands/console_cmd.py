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
    from console.cli.context import password_from_environment
    from services.store import authority, operators

    # A password in the environment logs in as the operator in effect, as every command does;
    # otherwise the console opens on its login dialog, the operator in effect pre-filled.
    me = None
    if password_from_environment():
        name = ctx.acting_operator()
        with ctx.database().read() as session:  # before the window exists: nothing to freeze
            me = operators.get(session, name)
    with ctx.database().read() as session:
        everyone = [o for o in operators.list_all(session) if o.enabled]
        matrix = authority.matrix_in_force(session)  # the one every workstation applies
    status = run_console(
        ctx.database(),
        ctx.settings.broker,
        ctx.settings.root,
        me,
        default_operator=ctx.settings.operator,
        listed=everyone,
        photo_hosts=ctx.settings.allowed_photo_hosts,
        snapshots_folder=ctx.settings.snapshots_path,
        camera_hosts=ctx.settings.allowed_camera_hosts,
        map_options=map_options(ctx.settings),
        playbook=ctx.settings.playbook,
        lighting=ctx.settings.lighting,
        matrix=matrix,
        lock_after=ctx.settings.lock_after,
    )
    return ExitStatus.OK if status == 0 else ExitStatus.FAILED
