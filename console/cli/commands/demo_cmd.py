"""``vigie demo``: the whole system on embedded defaults.

Today it prepares the database (schema, demo operators) and says what is still to come; the
broker, recorder, simulator and console join it as they are built.
"""

from __future__ import annotations

import argparse

from console.cli.context import Context, ExitStatus
from console.i18n import fill, translate
from services.config import redact_url
from services.domain.operators import Role
from services.store import operators, schema

DEMO = "system:demo"
#: A few people of the room, one per role, so every perspective can be tried.
DEMO_OPERATORS = (
    ("c.bernard", Role.DISPATCHER),
    ("l.moreau", Role.SNOW_COORDINATOR),
    ("t.garnier", Role.TECHNICIAN),
    ("s.petit", Role.SUPERVISOR),
)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    demo = sub.add_parser(
        "demo",
        parents=[common],
        help=translate("cli", "run the whole system on embedded defaults"),
        description=translate(
            "cli",
            "Start everything on embedded defaults: the database in your data folder, "
            "demo operators, and the parts of Vigie built so far.",
        ),
    )
    demo.set_defaults(handler=run_demo)


def seed(ctx: Context) -> list[str]:
    """Bring the schema up and add the demo operators that are missing; returns those added."""
    db = ctx.database(require_schema=False)
    empty = schema.current_revision(db) is None
    schema.upgrade(db)
    added = []
    with db.write() as session:
        if empty:
            first = operators.bootstrap_admin(session, ctx.settings.operator, by=DEMO)
            added += [first] if first else []
        known = {o.name for o in operators.list_all(session)}
        for name, role in DEMO_OPERATORS:
            if name not in known:
                operators.add(session, name, role, by=DEMO)
                added.append(name)
    return added


def run_demo(ctx: Context) -> ExitStatus:
    added = seed(ctx)
    ctx.say(
        fill(translate("cli", "database ready: {url}"), {"url": redact_url(ctx.database().url)})
    )
    if added:
        ctx.say(fill(translate("cli", "operators added: {names}"), {"names": ", ".join(added)}))
    ctx.say(
        translate(
            "cli",
            "Still to come: the embedded broker, the recorder and the Dijon simulator "
            "(the field issue), then the console. Meanwhile try 'vigie journal add', "
            "'vigie operator list' and 'vigie audit verify'.",
        )
    )
    return ExitStatus.OK
