"""Logging in at the desk: the password checked against the record, in the operator's words.

Used by the console's first login and by the desk's lock (``console.shell.lock``); the check runs
on the login dialog's own thread, never on the GUI thread.
"""

from __future__ import annotations

from console.text.i18n import translate
from console.text.messages import describe
from services.domain.errors import VigieError
from services.domain.operators import Operator
from services.store import operators
from services.store.database import Database
from widgets.login_dialog import Check, LoginDialog


def enabled_operators(db: Database) -> list[Operator]:
    with db.read() as session:
        return [o for o in operators.list_all(session) if o.enabled]


def password_check(db: Database) -> Check:
    """The login dialog's check: the password against the record, refusals in words."""

    def check(name: str, password: str) -> Operator | str:
        try:
            with db.read() as session:
                return operators.log_in(session, name, password)
        except VigieError as error:
            return describe(error)

    return check


def log_in(db: Database, listed: list[Operator], default: str) -> Operator | None:
    """Ask who is at the desk and check their password; None if they quit."""
    dialog = LoginDialog(listed, default, password_check(db), note=authority_note(db))
    if dialog.exec() != LoginDialog.DialogCode.Accepted:
        return None
    return dialog.operator


def authority_note(db: Database) -> str:
    """What checks the permissions here, said plainly (security.md)."""
    if db.url.startswith("sqlite"):
        return translate(
            "console",
            "Single workstation: permissions are checked by Vigie, not by a database",
        )
    return ""
