"""``vigie db upgrade`` and ``vigie db status``: the schema, brought to this version of Vigie."""

from __future__ import annotations

import argparse

from console.cli.context import Context, ExitStatus, confirm
from console.cli.parser import add_json
from console.cli.secrets import new_password
from console.text.i18n import fill, translate
from services.config import os_user, redact_url

#: What creates the first operator of a new database.
INSTALLER = "system:db"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:

    db = sub.add_parser(
        "db",
        parents=[common],
        help=translate("cli", "create or upgrade the database schema"),
        description=translate("cli", "Create or upgrade the shared database's schema."),
    )
    actions = db.add_subparsers(dest="action", required=True, metavar="ACTION")
    upgrade = actions.add_parser(
        "upgrade",
        parents=[common],
        help=translate("cli", "bring the schema to this version (creates it on an empty database)"),
        description=translate(
            "cli",
            "Bring the schema to this version of Vigie. On an empty database it also creates "
            "its first admin operator (your OS user unless --admin names another), whose "
            "password is asked twice on a terminal or read from standard input.",
        ),
    )
    upgrade.add_argument(
        "--admin",
        metavar="NAME",
        help=translate(
            "cli", "the first admin's name on an empty database (default: your OS user)"
        ),
    )
    upgrade.add_argument(
        "--password-stdin",
        action="store_true",
        help=translate("cli", "read the first admin's password from standard input (for scripts)"),
    )
    upgrade.add_argument(
        "--role-prefix",
        metavar="PREFIX",
        default=None,
        help=translate(
            "cli",
            "PostgreSQL: the prefix of this database's group roles, which are shared by the "
            "whole cluster (VIGIE_ROLE_PREFIX; default: vigie_; kept from the first upgrade on)",
        ),
    )
    upgrade.set_defaults(handler=run_upgrade)
    status = actions.add_parser(
        "status",
        parents=[common],
        help=translate("cli", "show the schema's revision and this Vigie's"),
    )
    add_json(status)
    status.set_defaults(handler=run_status)


def run_upgrade(ctx: Context) -> ExitStatus:
    from services.playbooks import load_playbook
    from services.store import operators, passwords, schema
    from services.store.pg_authority import install_authority

    db = ctx.database(require_schema=False)
    before, head = schema.current_revision(db), schema.head_revision()
    admin = ctx.args.admin or os_user()
    # Asked before anything is created: an empty database never ends up with an admin who
    # cannot log in.
    password = new_password(admin, from_stdin=ctx.args.password_stdin) if before is None else None
    if password is not None:
        passwords.check_strength(password)  # nor with one too weak (PostgreSQL checks none)
    if before is not None and before != head:
        # A migration rewrites a shared, live database: say so before doing it.
        confirm(
            ctx,
            fill(
                translate("cli", "upgrade the database {url} from revision {before} to {head}?"),
                {"url": redact_url(db.url), "before": before, "head": head},
            ),
        )
    schema.upgrade(db)
    prefix = install_authority(
        db, ctx.args.role_prefix, ctx.settings.role_prefix, load_playbook(ctx.settings.playbook)
    )
    ctx.say(
        fill(
            translate("cli", "database {url}: schema at revision {head} (was {before})"),
            {
                "url": redact_url(db.url),
                "head": head,
                "before": before or translate("cli", "empty"),
            },
        )
    )
    if prefix is not None:
        ctx.say(
            fill(
                translate(
                    "cli",
                    "PostgreSQL enforces the permission matrix: group roles {prefix}*, "
                    "operators' logins managed by {prefix}manager",
                ),
                {"prefix": prefix},
            )
        )
    if before is None:
        with db.write() as session:
            name = operators.bootstrap_admin(session, admin, by=INSTALLER, password=password)
        if name:
            ctx.say(fill(translate("cli", "created operator {name} (admin)"), {"name": name}))
    return ExitStatus.OK


def run_status(ctx: Context) -> ExitStatus:
    from services.store import schema

    db = ctx.database(require_schema=False)
    current, head = schema.current_revision(db), schema.head_revision()
    if ctx.json:
        ctx.emit_json(
            {
                "url": redact_url(db.url),
                "revision": current,
                "head": head,
                "current": current == head,
            }
        )
    else:
        ctx.say(
            fill(
                translate("cli", "database {url}: revision {current}, this Vigie needs {head}"),
                {
                    "url": redact_url(db.url),
                    "current": current or translate("cli", "empty"),
                    "head": head,
                },
            )
        )
    return ExitStatus.OK if current == head else ExitStatus.FAILED
