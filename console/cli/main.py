"""``vigie``: one entry point for every process and every administrative act.

It parses, resolves settings, runs one subcommand, and turns every failure into one line on
standard error with the exit status the architecture defines. It never prints a traceback unless
``VIGIE_DEBUG`` is set.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from importlib import metadata

from console.cli.commands import (
    approvals_cmd,
    audit_cmd,
    bench_cmd,
    broker_cmd,
    command_cmd,
    config_cmd,
    console_cmd,
    db_cmd,
    demo_cmd,
    energy_cmd,
    handover_cmd,
    journal_cmd,
    lighting_cmd,
    mode_cmd,
    opendata_cmd,
    operator_cmd,
    permissions_cmd,
    playbook_cmd,
    query_cmd,
    recorder_cmd,
    report_cmd,
    simulate_cmd,
    video_cmd,
)
from console.cli.context import CliFailure, Context, ExitStatus
from console.cli.parser import Parser, UsageError, global_options, install_argparse_translation
from console.text.i18n import fill, translate
from console.text.messages import describe
from services.config import load_settings
from services.domain.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    VigieError,
)
from services.domain.operators import is_system_name
from services.domain.room_time import set_room_zone

SUBCOMMANDS = (
    demo_cmd,
    console_cmd,
    recorder_cmd,
    simulate_cmd,
    query_cmd,
    command_cmd,
    mode_cmd,
    lighting_cmd,
    energy_cmd,
    config_cmd,
    db_cmd,
    opendata_cmd,
    operator_cmd,
    permissions_cmd,
    playbook_cmd,
    approvals_cmd,
    journal_cmd,
    handover_cmd,
    report_cmd,
    audit_cmd,
    video_cmd,
    broker_cmd,
    bench_cmd,
)
GLOBAL_SETTINGS = ("db", "broker", "broker_password_file", "root", "operator")


def version() -> str:
    try:
        return metadata.version("vigie")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


def build_parser() -> Parser:
    install_argparse_translation()
    common = global_options()
    parser = Parser(
        prog="vigie",
        parents=[common],
        description=translate(
            "cli",
            "Vigie, the operator console of a city's unified control room. Every subcommand "
            "takes the global options before or after its name.",
        ),
        epilog=translate(
            "cli",
            "Exit status: 0 done; 1 something did not happen; 2 usage error; 3 outcome "
            "unknown or too late; 4 broker or database unreachable, nothing recorded.",
        ),
    )
    parser.add_argument("--version", action="version", version=f"vigie {version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.register(sub, common)
    return parser


#: Errors that mean nothing was recorded because the broker or database was out of reach.
UNREACHABLE_KEYS = {"db.unreachable", "db.schema_missing", "db.schema_outdated", "bus.unreachable"}


def _status_for(error: VigieError) -> ExitStatus:
    if error.key in UNREACHABLE_KEYS:
        return ExitStatus.UNREACHABLE
    if isinstance(error, InvalidInput):
        return ExitStatus.USAGE
    if isinstance(error, NotFound) and error.key == "operator.unknown":
        return ExitStatus.USAGE  # the operator in effect names nobody: fix the command line
    if isinstance(error, PermissionDenied):
        return ExitStatus.REFUSED
    if isinstance(error, Conflict | NotFound):
        return ExitStatus.FAILED
    return ExitStatus.FAILED


def run(argv: Sequence[str] | None = None) -> int:
    ctx: Context | None = None
    try:
        args = build_parser().parse_args(argv)
        settings = load_settings({k: getattr(args, k, None) for k in GLOBAL_SETTINGS})
        if is_system_name(settings.operator):
            raise CliFailure(
                describe(VigieError("operator.system_name_reserved", name=settings.operator)),
                ExitStatus.USAGE,
            )
        set_room_zone(settings.zone)  # every time a person reads, in the room's zone
        ctx = Context(settings=settings, args=args)
        return int(args.handler(ctx))
    except UsageError as exc:
        return _fail(str(exc), ExitStatus.USAGE)
    except CliFailure as exc:
        return _fail(str(exc), exc.status)
    except VigieError as exc:
        # Before a subcommand runs, only the settings can be wrong: a usage error.
        return _fail(describe(exc), _status_for(exc) if ctx else ExitStatus.USAGE)
    except KeyboardInterrupt:
        return _fail(translate("cli", "interrupted"), ExitStatus.FAILED)
    except BrokenPipeError:
        return int(ExitStatus.OK)  # `vigie ... | head`: the reader had enough
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, no traceback
        if os.environ.get("VIGIE_DEBUG"):
            traceback.print_exc()
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return _fail(
            fill(
                translate(
                    "cli", "internal error: {kind}: {detail} (set VIGIE_DEBUG=1 for details)"
                ),
                {"kind": type(exc).__name__, "detail": detail},
            ),
            ExitStatus.FAILED,
        )
    finally:
        if ctx is not None:
            ctx.close()


def _fail(message: str, status: ExitStatus) -> int:
    text = message if message.startswith("vigie") else f"vigie: {message}"
    sys.stderr.write(text.replace("\n", " ") + "\n")
    return int(status)


def main() -> None:
    sys.exit(run())
