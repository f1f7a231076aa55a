"""What every subcommand shares: settings, the database, the operator in effect, output.

The database is opened on first use, so that ``--help``, ``--version`` and ``config show`` work
with no database at all.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum
from typing import TYPE_CHECKING, Any, TextIO

from console.text.i18n import fill, translate
from services.config import Settings
from services.domain.room_time import in_room

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported on first use: --help stays quick
    from services.store.database import Database


class ExitStatus(IntEnum):
    OK = 0
    FAILED = 1  # something definitely did not happen
    USAGE = 2
    UNKNOWN = 3  # nothing failed, but an outcome is unknown or came too late
    UNREACHABLE = 4  # broker or database unreachable before anything was recorded
    REFUSED = 5  # not authenticated, or not permitted: nothing was recorded


class CliFailure(Exception):
    """A refusal or failure already phrased for the operator, with its exit status."""

    def __init__(self, message: str, status: ExitStatus = ExitStatus.FAILED) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Context:
    settings: Settings
    args: argparse.Namespace
    out: TextIO = field(default_factory=lambda: sys.stdout)
    _db: Database | None = None
    _logged_in: str | None = None

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def yes(self) -> bool:
        return bool(getattr(self.args, "yes", False))

    def database(self, *, require_schema: bool = True) -> Database:
        from services.store.database import Database
        from services.store.schema import require_current

        if self._db is None:
            self._db = Database(self.settings.db)
        if require_schema:
            require_current(self._db)
        return self._db

    def acting_operator(self) -> str:
        """The operator in effect, logged in: their password checked, once per command.

        Refused (exit 5) for an unknown name, a wrong password, a disabled operator, or a script
        that gives no password (``console/cli/secrets.py`` says where one comes from).
        """
        from services.store import authority, operators, pg_authority

        if self._logged_in is None:
            name = self.settings.operator
            with self.database().read() as session:
                database_checks = pg_authority.database_checks(session)
            if database_checks:
                # The operator in effect is the database login: from here on, every statement
                # runs under its grants. libpq may find the password itself (~/.pgpass...).
                password = login_password(name, required=False)
                own = pg_authority.log_in(self.settings.db, name, password)
                self.close()
                self._db = own
                with own.read() as session:
                    # A row, and not disabled; or a superuser, who may manage operators from
                    # the shell (``authority.require``) and nothing else.
                    if not pg_authority.installer_login(session):
                        authority.role_of(session, name)
                self._logged_in = name
            else:
                password = login_password(name)
                with self.database().read() as session:
                    self._logged_in = operators.log_in(session, name, password).name
        return self._logged_in

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()

    # --- output -------------------------------------------------------------------------------
    def emit_json(self, value: Any) -> None:
        json.dump(value, self.out, ensure_ascii=False, indent=2, default=json_default)
        self.out.write("\n")

    def say(self, text: str) -> None:
        self.out.write(text + "\n")

    def err(self, text: str) -> None:
        """A warning: on standard error, so that standard output stays parseable."""
        sys.stderr.write(text + "\n")

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        cells = [[str(h) for h in headers]] + [
            ["" if c is None else str(c) for c in r] for r in rows
        ]
        widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
        for row in cells:
            self.say("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


PASSWORD_VARIABLES = ("VIGIE_PASSWORD", "PGPASSWORD")


def is_terminal(stdin: TextIO | None) -> bool:
    stream = stdin or sys.stdin
    return stream.isatty()


def password_from_environment() -> str | None:
    """``VIGIE_PASSWORD``, else libpq's ``PGPASSWORD``; None when neither is set."""
    for variable in PASSWORD_VARIABLES:
        value = os.environ.get(variable)
        if value:
            return value
    return None


def login_password(name: str, stdin: TextIO | None = None, *, required: bool = True) -> str | None:
    """The password ``name`` logs in with; refused (exit 5) when nothing can give it.

    Not ``required`` (PostgreSQL), a script without one gets None: libpq then looks for one
    itself (``~/.pgpass``, a service file) or logs in by other means (Kerberos, a certificate).
    """
    from_environment = password_from_environment()
    if from_environment:
        return from_environment
    if not is_terminal(stdin):
        if not required:
            return None
        raise CliFailure(
            fill(
                translate(
                    "cli",
                    "refused: not authenticated: no password for {name} (set VIGIE_PASSWORD, "
                    "or run on a terminal to be asked)",
                ),
                {"name": name},
            ),
            ExitStatus.REFUSED,
        )
    return getpass.getpass(fill(translate("cli", "password for {name}: "), {"name": name}))


def json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso_utc(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def iso_utc(value: datetime) -> str:
    """ISO 8601 UTC with a Z, as ``--json`` promises."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def local_time(value: datetime) -> str:
    """The room's wall-clock time with its zone (the shell may be read anywhere)."""
    local = in_room(value)
    return f"{local:%Y-%m-%d %H:%M:%S} {local.tzname()}"


def confirm(ctx: Context, question: str, stdin: TextIO | None = None) -> None:
    """Ask before an act that changes things; ``--yes`` skips, a script without it is refused."""
    if ctx.yes:
        return
    stdin = stdin or sys.stdin
    if not stdin.isatty():
        raise CliFailure(
            fill(
                translate(
                    "cli", "{question}: refused, standard input is not a terminal; add --yes"
                ),
                {"question": question},
            ),
            ExitStatus.USAGE,
        )
    sys.stderr.write(fill(translate("cli", "{question} [y/N] "), {"question": question}))
    sys.stderr.flush()
    answer = stdin.readline().strip().lower()
    if answer not in {"y", "yes", "o", "oui"}:
        raise CliFailure(translate("cli", "cancelled, nothing was done"), ExitStatus.FAILED)
