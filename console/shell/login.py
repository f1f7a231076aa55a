"""Logging in at the desk: the password checked against the record, in the operator's words.

Used by the console's first login and by the desk's lock (``console.shell.lock``); the check runs
on the login dialog's own thread, never on the GUI thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from console.text.i18n import translate
from console.text.messages import describe
from services.domain.errors import VigieError
from services.domain.operators import Operator
from services.store import authority, operators, pg_authority
from services.store.database import Database
from widgets.login_dialog import LoginDialog


def enabled_operators(db: Database) -> list[Operator]:
    with db.read() as session:
        return [o for o in operators.list_all(session) if o.enabled]


@dataclass
class Desk:
    """This workstation's logins in a row: every login dialog of the console counts on it."""

    refused_in_a_row: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


THIS_DESK = Desk()


class PasswordCheck:
    """The login dialog's check (a ``Check``): the password against the record, refusals in words.

    On PostgreSQL, once the database is the authority, the server checks: the database opened
    as the login is kept for the console that login opens (``database_for``), so that every
    statement of theirs runs under their grants.
    """

    def __init__(
        self,
        db: Database,
        pause: Callable[[float], None] = time.sleep,
        desk: Desk | None = None,
    ) -> None:
        self.db = db
        self.pause = pause
        self.desk = desk or THIS_DESK
        self._opened: dict[str, Database] = {}

    def __call__(self, name: str, password: str) -> Operator | str:
        # One check at a time at this desk, whichever dialog asks: guesses can't run side by side.
        with self.desk.lock:
            try:
                operator = self._check(name, password)
            except VigieError as error:
                if error.key == "auth.refused":
                    # Someone guessing at an unattended desk waits longer at each try; the
                    # operator who mistyped once barely notices. A database or broker away is
                    # no guess. (PostgreSQL's own logins: its auth_delay module, docs/security.md.)
                    self.desk.refused_in_a_row += 1
                    self.pause(refusal_pause(self.desk.refused_in_a_row))
                return describe(error)
            self.desk.refused_in_a_row = 0
            return operator

    def _check(self, name: str, password: str) -> Operator:
        with self.db.read() as session:
            database_checks = pg_authority.database_checks(session)
            if not database_checks:
                return operators.log_in(session, name, password)
        own = pg_authority.log_in(self.db.url, name, password)
        try:
            with own.read() as session:
                authority.role_of(session, name)  # a row, and not disabled
                operator = operators.get(session, name)
        except VigieError:
            own.dispose()
            raise
        self.forget(name)
        self._opened[name] = own
        return operator

    def database_for(self, name: str) -> Database | None:
        """The database opened as ``name`` by its login, if the server checked it."""
        return self._opened.pop(name, None)

    def forget(self, name: str) -> None:
        unused = self._opened.pop(name, None)
        if unused is not None:
            unused.dispose()


def refusal_pause(refused_in_a_row: int) -> float:
    """Seconds before a refusal is said: 1 s, doubling after the third in a row, 30 s at most."""
    return float(min(30, 2 ** max(0, refused_in_a_row - 3)))


def password_check(db: Database) -> PasswordCheck:
    return PasswordCheck(db)


def log_in(db: Database, listed: list[Operator], default: str) -> tuple[Operator, Database] | None:
    """Ask who is at the desk and check their password; None if they quit.

    Returns who logged in, and the database they act on (their own login's, on PostgreSQL).
    """
    check = password_check(db)
    dialog = LoginDialog(listed, default, check, note=authority_note(db))
    if dialog.exec() != LoginDialog.DialogCode.Accepted:
        return None
    operator = dialog.operator
    return operator, check.database_for(operator.name) or db


def authority_note(db: Database) -> str:
    """What checks the permissions here, said plainly (security.md)."""
    if db.url.startswith("sqlite"):
        return translate(
            "console",
            "Single workstation: permissions are checked by Vigie, not by a database",
        )
    return ""
