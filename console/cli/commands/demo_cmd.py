"""``vigie demo``: the whole system on embedded defaults.

It prepares the database (schema, demo operators), then runs a broker (the embedded one unless a
broker is configured), the recorder and the Dijon simulator until Ctrl+C; the console joins next.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import threading

from console.cli.context import CliFailure, Context, ExitStatus
from console.text.i18n import fill, translate
from services.config import redact_url
from services.domain.errors import VigieError
from services.domain.operators import Role

DEMO = "system:demo"
#: A few people of the room, one per role, so every perspective can be tried.
DEMO_OPERATORS = (
    ("c.bernard", Role.DISPATCHER),
    ("l.moreau", Role.SNOW_COORDINATOR),
    ("t.garnier", Role.TECHNICIAN),
    ("s.petit", Role.SUPERVISOR),
    ("n.faure", Role.AUDITOR),
    ("v.girard", Role.VIDEO_OPERATOR),
)
#: The demo's operators all log in with this password, printed at every start. A demo database
#: lives on one workstation and holds simulated data only; a room's operators get their own.
DEMO_PASSWORD = "vigie-demo"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:

    demo = sub.add_parser(
        "demo",
        parents=[common],
        help=translate("cli", "run the whole system on embedded defaults"),
        description=translate(
            "cli",
            "Start everything on embedded defaults: a local broker (unless one is configured), "
            "the database in your data folder with demo operators, the recorder and the Dijon "
            "simulator. Stop with Ctrl+C.",
        ),
    )
    demo.add_argument(
        "--scale",
        choices=["small", "dijon", "x10"],
        default="dijon",
        help=translate(
            "cli",
            "the simulated city's size (default dijon; x10: ten times Dijon, 230 communes, "
            "better on a configured Mosquitto than on the embedded broker)",
        ),
    )
    demo.add_argument(
        "--speed",
        type=float,
        default=10.0,
        metavar="X",
        help=translate("cli", "time acceleration of the simulation (default 10)"),
    )
    demo.add_argument(
        "--seconds",
        type=float,
        metavar="S",
        help=translate("cli", "stop by itself after S seconds (unattended runs)"),
    )
    demo.add_argument(
        "--no-console",
        action="store_true",
        help=translate("cli", "run the field and the recorder only, without the console window"),
    )
    demo.set_defaults(handler=run_demo)


def seed(ctx: Context) -> list[str]:
    """Bring the schema up and add the demo operators that are missing; returns those added."""
    from services.store import operators, schema

    db = ctx.database(require_schema=False)
    empty = schema.current_revision(db) is None
    schema.upgrade(db)
    added = []
    with db.write() as session:
        if empty:
            first = operators.bootstrap_admin(
                session, ctx.settings.operator, by=DEMO, password=DEMO_PASSWORD
            )
            added += [first] if first else []
        known = {o.name for o in operators.list_all(session)}
        for name, role in DEMO_OPERATORS:
            if name not in known:
                operators.add(session, name, role, by=DEMO, password=DEMO_PASSWORD)
                added.append(name)
    return added


def load_video_secrets(ctx: Context, scale: str, seed: int = 1) -> int:
    """The simulated cameras' gateway secrets, made if missing and put in force in the database.

    ``vigie simulate`` serves its cameras with the same file (its default place); the database
    mints the tokens that open them. In a room, an admin loads the gateways' secrets once
    (``vigie video secrets load``); the demo does it at each start, as its first admin.
    """
    from services.simulator import build_world
    from services.simulator.video.secrets_file import default_secrets_path, load_or_create
    from services.store import camera_views, operators

    path = default_secrets_path()
    secrets = load_or_create(path, build_world(seed, scale))
    with ctx.database().write() as session:
        admin = next(
            (o.name for o in operators.list_all(session) if o.role is Role.ADMIN and o.enabled),
            None,
        )
        if admin is None:
            return 0
        return camera_views.load_secrets(session, secrets, str(path), admin)


def demo_operators(ctx: Context) -> str:
    """The demo's operators and their roles, for the terminal that started it."""
    from services.store import operators

    with ctx.database().read() as session:
        return ", ".join(f"{o.name} ({o.role.value})" for o in operators.list_all(session))


def _say(key: str, **params: object) -> None:
    from console.text.messages import describe

    sys.stdout.write(describe(VigieError(key, **params)) + "\n")
    sys.stdout.flush()


def say_how_to_reach(ctx: Context, exports: dict[str, str]) -> None:
    """Lines to paste in another terminal: its ``vigie`` then reaches this demo, not the defaults.

    The embedded broker listens on a port of its own choosing; without them a ``vigie command``
    goes to the default broker and waits there for answers that never come.
    """
    ctx.say(
        translate(
            "cli",
            "To try 'vigie query stats' or 'vigie command' in another terminal, paste these "
            "lines there first:",
        )
    )
    for variable, value in exports.items():
        ctx.say(f"  export {variable}={shlex.quote(value)}")


def run_demo(ctx: Context) -> ExitStatus:
    from services.demo import Demo, DemoOptions, shell_exports

    added = seed(ctx)
    try:
        load_video_secrets(ctx, ctx.args.scale)
    except (VigieError, OSError, ValueError) as exc:  # the rest of the room still runs
        from console.text.messages import describe

        reason = describe(exc) if isinstance(exc, VigieError) else str(exc)
        ctx.err(fill(translate("cli", "cameras will not open: {reason}"), {"reason": reason}))
    db = ctx.database()
    ctx.say(fill(translate("cli", "database ready: {url}"), {"url": redact_url(db.url)}))
    if added:
        ctx.say(fill(translate("cli", "operators added: {names}"), {"names": ", ".join(added)}))
    ctx.say(
        fill(
            translate("cli", "log in as one of {names} with the password {password}"),
            {"names": demo_operators(ctx), "password": DEMO_PASSWORD},
        )
    )
    demo = Demo(
        db_url=db.url,
        root=ctx.settings.root,
        broker_url=ctx.settings.broker if ctx.settings.broker_configured else None,
        options=DemoOptions(
            scale=ctx.args.scale, speed=ctx.args.speed, console=not ctx.args.no_console
        ),
        notify=_say,
    )
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    ctx.out.flush()
    try:
        demo.start()
        ctx.say(
            translate(
                "cli",
                "Running: broker, recorder, simulator and console. Closing the console or Ctrl+C "
                "stops everything.",
            )
        )
        say_how_to_reach(ctx, shell_exports(ctx.settings, db.url, demo.broker_url or ""))
        ctx.out.flush()
        failed = demo.run_until(stop.is_set, ctx.args.seconds)
    finally:
        demo.stop()
    if failed:
        raise CliFailure(
            fill(translate("cli", "the {part} stopped by itself; demo stopped"), {"part": failed}),
            ExitStatus.FAILED,
        )
    ctx.say(translate("cli", "demo stopped"))
    return ExitStatus.OK
