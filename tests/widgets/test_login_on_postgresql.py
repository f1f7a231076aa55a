"""The console's login where PostgreSQL is the authority: the server's login, kept for the desk.

On the shared cluster (it trusts every login, so the password itself is checked in
tests/services/test_pg_authority.py): what matters here is that the console acts as the login,
under its grants, and that a disabled operator is turned away with the usual words.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from console.shell.login import PasswordCheck
from services.domain.operators import Role
from services.permissions import load_matrix
from services.store import pg_authority
from services.store.database import Database
from services.store.schema import upgrade
from tests.conftest import ROOM_PASSWORD, drop_roles, seed_room


@pytest.fixture
def authority_db(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("the database is the authority on PostgreSQL only")
    prefix = f"t{uuid.uuid4().hex[:8]}_"
    database = Database(db_url)
    upgrade(database)
    with database.engine.begin() as connection:
        pg_authority.install(connection, load_matrix(), prefix)
    seed_room(database)
    with database.write() as session:
        session.execute(
            text("INSERT INTO units (id, kind, status) VALUES ('p1', 'patrol', 'available')")
        )
    yield database
    database.dispose()
    drop_roles(prefix)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_console_acts_as_the_login_the_server_opened(authority_db):
    check = PasswordCheck(authority_db)
    technician = check("t.roux", ROOM_PASSWORD)
    assert not isinstance(technician, str), technician
    assert technician.role is Role.TECHNICIAN
    own = check.database_for("t.roux")
    assert own is not None and check.database_for("t.roux") is None  # handed over once
    with own.read() as session:
        assert session.execute(text("SELECT session_user")).scalar_one() == "t.roux"
        # A technician's console sees no police patrol: the database says so, not the console.
        assert session.execute(text("SELECT count(*) FROM units")).scalar_one() == 0
    own.dispose()
    with authority_db.write() as session:
        pg_authority.call(session, "vigie_operator_set_login", name="c.bernard", enabled=False)
    refused = check("c.bernard", ROOM_PASSWORD)
    assert isinstance(refused, str) and "not accepted" in refused
    assert check.database_for("c.bernard") is None


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_desk_handed_over_at_the_lock_acts_as_the_new_login(
    authority_db, broker, qtbot, tmp_path
):
    """Ctrl+L, then another operator logs in: the new console is the server's new login."""
    from console.app import Console, Workstation
    from services.store import operators
    from tests.widgets.test_lock_and_hand_over import log_in_at_the_lock

    def make(who, database, hand_over) -> Console:  # noqa: ANN001
        console = Console(
            database, broker.url, "pglock", who.name, who.role,
            config_folder=tmp_path / "config", on_hand_over=hand_over,
        )  # fmt: skip
        qtbot.addWidget(console.window)
        return console

    check = PasswordCheck(authority_db)
    assert not isinstance(check("c.bernard", ROOM_PASSWORD), str)
    workstation = Workstation(make)
    with authority_db.read() as session:
        workstation.open(operators.get(session, "c.bernard"), check.database_for("c.bernard"))
    dispatcher = workstation.console
    try:
        with dispatcher.seat.db.read() as session:  # a dispatcher sees the police patrol
            assert session.execute(text("SELECT count(*) FROM units")).scalar_one() == 1
        dispatcher.lock.lock()
        log_in_at_the_lock(qtbot, dispatcher, "t.roux", ROOM_PASSWORD)
        qtbot.waitUntil(lambda: workstation.console is not dispatcher, timeout=10_000)
        technician = workstation.console
        with technician.seat.db.read() as session:
            assert session.execute(text("SELECT session_user")).scalar_one() == "t.roux"
            assert session.execute(text("SELECT count(*) FROM units")).scalar_one() == 0
    finally:
        workstation.console.stop()
