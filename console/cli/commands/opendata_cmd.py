"""``vigie opendata``: the Open311 GeoReport v2 service, and its API keys (docs/opendata.md).

``serve`` runs the service (a separate process, until SIGTERM); ``key add|list|revoke`` manage
the keys citizens' apps post with: an admin's act, audited, the key itself shown once and kept
only as its SHA-256.
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from pathlib import Path

from console.cli.context import CliFailure, Context, ExitStatus, confirm, local_time
from console.cli.parser import add_json
from console.text.i18n import fill, translate

DEFAULT_PORT = 8311


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    opendata = sub.add_parser(
        "opendata",
        parents=[common],
        help=translate("cli", "the Open311 service citizens' apps talk to, and its API keys"),
        description=translate(
            "cli",
            "Open311 GeoReport v2 under /open311/v2/: the city's services, citizens' requests "
            "recorded as incidents, and their status as the control room updates them.",
        ),
    )
    what = opendata.add_subparsers(dest="what", required=True, metavar="WHAT")
    serve = what.add_parser(
        "serve",
        parents=[common],
        help=translate("cli", "serve Open311 GeoReport v2 (until SIGTERM)"),
        description=translate(
            "cli",
            "Serve Open311 GeoReport v2 over HTTP, and the open data export under /opendata/, "
            "written into opendata_folder each night at 04:00. On PostgreSQL, log in as the "
            "service's own role (vigie_opendata): it reads the public views and records "
            "requests, nothing else.",
        ),
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help=translate("cli", "address to listen on (default: 127.0.0.1, this machine only)"),
    )
    serve.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=fill(translate("cli", "port to listen on (default: {port})"), {"port": DEFAULT_PORT}),
    )
    serve.set_defaults(handler=run_serve)
    export = what.add_parser(
        "export",
        parents=[common],
        help=translate("cli", "write the open data files and their DCAT-AP catalogue"),
        description=translate(
            "cli",
            "Write the open datasets (CSV and GeoJSON) and their DCAT-AP catalogue "
            "(catalogue.jsonld) into a folder: street-light energy and faults, traffic flow, "
            "bus priority, incidents per commune and on a 250 m grid (never a count under 5, "
            "nor one a total gives back), winter service, the snow plan's levels; camera "
            "locations only if opendata_datasets names them. Only hours, days and weeks that "
            "are over. Never a unit's position, a person, a description, a photo, an operator "
            "or a camera view. On PostgreSQL, run it as the service's role (vigie_opendata).",
        ),
    )
    export.add_argument(
        "--out",
        metavar="DIR",
        required=True,
        help=translate("cli", "the folder to write into (created if need be)"),
    )
    export.add_argument(
        "--since",
        metavar="DATE",
        type=_since_day,
        help=translate(
            "cli",
            "from the week of DATE (YYYY-MM-DD, the room's calendar; default: a year back)",
        ),
    )
    add_json(export)
    export.set_defaults(handler=run_export)
    key = what.add_parser("key", parents=[common], help=translate("cli", "the API keys (admins)"))
    actions = key.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser(
        "add",
        parents=[common],
        help=translate("cli", "issue a key; it is printed once, alone on the last line"),
    )
    add.add_argument("name", metavar="NAME", help=translate("cli", "who the key is for"))
    add.add_argument(
        "--rate-exempt",
        action="store_true",
        help=translate("cli", "no rate limit for this key (a benchmark's, a trusted gateway's)"),
    )
    add_json(add)
    add.set_defaults(handler=run_key_add)
    listing = actions.add_parser("list", parents=[common], help=translate("cli", "list the keys"))
    add_json(listing)
    listing.set_defaults(handler=run_key_list)
    revoke = actions.add_parser(
        "revoke", parents=[common], help=translate("cli", "revoke a key: refused from then on")
    )
    revoke.add_argument("name", metavar="NAME", help=translate("cli", "the key's name"))
    revoke.set_defaults(handler=run_key_revoke)


def run_serve(ctx: Context) -> ExitStatus:
    from console.text.messages import describe
    from services.config import redact_url
    from services.opendata.app import ServiceConfig
    from services.opendata.daily import DailyExport
    from services.opendata.server import ServiceFailed, port_free, serve

    settings = ctx.settings
    address_rate, key_rate = settings.opendata_rates
    config = ServiceConfig(
        jurisdiction=settings.opendata_jurisdiction.strip(),
        cors_origins=tuple(
            o.strip() for o in settings.opendata_cors_origins.split(",") if o.strip()
        ),
        address_rate=address_rate,
        key_rate=key_rate,
        base_url=settings.opendata_base_url.strip(),
        export_folder=settings.opendata_path,
    )
    daily = DailyExport(ctx.database(), settings.opendata_path, export_options(settings))
    host, port = ctx.args.host, ctx.args.port
    if not 0 < port < 65536:
        raise CliFailure(
            fill(translate("cli", "--port {port} is not a port (1 to 65535)"), {"port": port}),
            ExitStatus.USAGE,
        )
    if not port_free(host, port):
        raise CliFailure(
            fill(
                translate("cli", "cannot listen on {host}:{port}: in use, or not this machine's"),
                {"host": host, "port": port},
            ),
            ExitStatus.UNREACHABLE,
        )
    db = ctx.database()
    _warn_if_not_the_service(ctx, db)
    url = f"http://{host}:{port}/open311/v2/"

    def started() -> None:
        ctx.say(
            fill(
                translate("cli", "Open311 service on {url} (database {db}, broker {broker})"),
                {"url": url, "db": redact_url(settings.db), "broker": redact_url(settings.broker)},
            )
        )
        ctx.out.flush()

    daily.start()
    try:
        serve(
            db,
            settings.broker,
            settings.root,
            host=host,
            port=port,
            config=config,
            describe=describe,
            started=started,
        )
    except ServiceFailed:
        raise CliFailure(
            fill(
                translate("cli", "cannot listen on {host}:{port}: in use, or not this machine's"),
                {"host": host, "port": port},
            ),
            ExitStatus.UNREACHABLE,
        ) from None
    finally:
        daily.stop()
    ctx.say(translate("cli", "Open311 service stopped"))
    return ExitStatus.OK


def _since_day(text: str) -> date:
    """An argparse type: a calendar day."""
    return date.fromisoformat(text.strip())


_since_day.__name__ = "date"  # argparse names the type in its error


def export_options(settings):  # noqa: ANN001, ANN201 - services.config.Settings, ExportOptions
    """The export's options from the settings; a dataset that may not be published is refused."""
    from services.opendata.export.run import ExportOptions
    from services.opendata.export.selection import chosen

    base = settings.opendata_base_url.strip().rstrip("/")
    return ExportOptions(
        datasets=chosen(settings.opendata_datasets),
        zone=settings.zone,
        base_url=f"{base}/opendata/" if base else "",
        licence=settings.opendata_licence.strip(),
        publisher=settings.opendata_publisher.strip(),
        snow_network=settings.snow_network,
    )


def run_export(ctx: Context) -> ExitStatus:
    from services.opendata.export import export

    options = export_options(ctx.settings)
    folder = Path(ctx.args.out).expanduser()
    if folder.exists() and not folder.is_dir():
        raise CliFailure(
            fill(translate("cli", "--out {path} is not a folder"), {"path": str(folder)}),
            ExitStatus.USAGE,
        )
    try:
        report = export(ctx.database(), folder, options, since=ctx.args.since)
    except OSError as error:
        raise CliFailure(
            fill(
                translate("cli", "cannot write into {path}: {reason}"),
                {"path": str(folder), "reason": error.strerror or str(error)},
            ),
            ExitStatus.FAILED,
        ) from None
    if ctx.json:
        ctx.emit_json(
            {
                "folder": str(report.folder),
                "first_day": report.first_day.isoformat(),
                "end_day": report.end_day.isoformat(),
                "datasets": report.rows,
                "files": [
                    {"file": w.file, "bytes": w.byte_size, "sha256": w.sha256} for w in report.files
                ],
                "removed": report.removed,
                "seconds": report.seconds,
            }
        )
        return ExitStatus.OK
    ctx.table(
        [translate("cli", "dataset"), translate("cli", "rows")],
        [(name, f"{rows:n}") for name, rows in report.rows.items()],
    )
    ctx.say(
        fill(
            translate(
                "cli",
                "{files} files and catalogue.jsonld written into {path}, from {first} to the "
                "end of {last}",
            ),
            {
                "files": len(report.files) - 1,
                "path": str(report.folder),
                "first": report.first_day.isoformat(),
                "last": (report.end_day - timedelta(days=1)).isoformat(),
            },
        )
    )
    for name in report.removed:
        ctx.say(fill(translate("cli", "removed {file} (no longer published)"), {"file": name}))
    return ExitStatus.OK


def _warn_if_not_the_service(ctx: Context, db) -> None:  # noqa: ANN001
    """On PostgreSQL the service logs in as its own role; say so when it does not."""
    from services.store import authority, pg_authority, pg_open311

    with db.read() as session:
        prefix = pg_authority.installed_prefix(session)
        login = authority.session_login(session) if prefix else None
    if prefix and login != pg_open311.opendata_role(prefix):
        ctx.err(
            fill(
                translate(
                    "cli",
                    "warning: serving as {login}, not {role}: the service holds more rights "
                    "than it needs (docs/opendata.md, 'Its own identity')",
                ),
                {"login": login, "role": pg_open311.opendata_role(prefix)},
            )
        )


def run_key_add(ctx: Context) -> ExitStatus:
    from services.store import open311

    by = ctx.acting_operator()
    with ctx.database().write() as session:
        key = open311.add_key(session, ctx.args.name, by=by, rate_exempt=ctx.args.rate_exempt)
    if ctx.json:
        ctx.emit_json({"name": ctx.args.name, "key": key, "rate_exempt": ctx.args.rate_exempt})
        return ExitStatus.OK
    ctx.say(
        fill(
            translate(
                "cli", "API key {name} issued; it is shown once, here, and kept only hashed:"
            ),
            {"name": ctx.args.name},
        )
    )
    ctx.say(key)
    return ExitStatus.OK


def run_key_list(ctx: Context) -> ExitStatus:
    from services.store import open311

    by = ctx.acting_operator()
    with ctx.database().read() as session:
        keys = open311.list_keys(session, by=by)
    if ctx.json:
        ctx.emit_json(
            [
                {
                    "name": k.name,
                    "rate_exempt": k.rate_exempt,
                    "created_at": k.created_at,
                    "created_by": k.created_by,
                    "revoked_at": k.revoked_at,
                    "revoked_by": k.revoked_by,
                }
                for k in keys
            ]
        )
        return ExitStatus.OK
    yes, no = translate("cli", "yes"), translate("cli", "no")
    ctx.table(
        [
            translate("cli", "name"),
            translate("cli", "issued"),
            translate("cli", "by"),
            translate("cli", "rate exempt"),
            translate("cli", "revoked"),
        ],
        [
            (
                k.name,
                local_time(k.created_at),
                k.created_by,
                yes if k.rate_exempt else no,
                f"{local_time(k.revoked_at)} ({k.revoked_by})" if k.revoked_at else "",
            )
            for k in keys
        ],
    )
    return ExitStatus.OK


def run_key_revoke(ctx: Context) -> ExitStatus:
    from services.store import open311

    by = ctx.acting_operator()
    confirm(ctx, fill(translate("cli", "revoke API key {name}"), {"name": ctx.args.name}))
    with ctx.database().write() as session:
        open311.revoke_key(session, ctx.args.name, by=by)
    ctx.say(fill(translate("cli", "API key {name} revoked"), {"name": ctx.args.name}))
    return ExitStatus.OK
