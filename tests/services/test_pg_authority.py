"""PostgreSQL is the authority: every cell of the matrix tried with plain SQL, as each login.

A private cluster with ``scram-sha-256`` authentication (``tests/pg_private.py``): the shared
cluster trusts every login, so there a wrong password would pass. Nothing here goes through
Vigie's services: whoever holds an operator's password can use psql, and the database must
refuse there what the matrix refuses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from sqlalchemy import text

from services.domain.operators import Role
from services.domain.permissions import Act
from services.permissions import load_matrix
from services.store import pg_authority, schema
from services.store.database import Database
from tests.conftest import ROOM, ROOM_PASSWORD
from tests.pg_scram import ScramCluster, available, scram_cluster

pytestmark = pytest.mark.skipif(not available(), reason="no PostgreSQL server installed here")

PREFIX = "vigie_"
MATRIX = load_matrix()
PATROL, PLOUGH = "vehicle:pm-01", "vehicle:sn-01"
ONE_OF_EACH = {
    role: next(n for n, r in ROOM.items() if r is role) for role in Role if role in ROOM.values()
}


class Room:
    def __init__(self, cluster: ScramCluster, database: str) -> None:
        self.cluster = cluster
        self.database = database

    @contextmanager
    def login(self, name: str, password: str = ROOM_PASSWORD) -> Iterator[psycopg.Connection]:
        with psycopg.connect(
            host="127.0.0.1",
            port=self.cluster.port,
            user=name,
            password=password,
            dbname=self.database,
        ) as connection:
            yield connection
            connection.rollback()  # nothing a probe did stays


@pytest.fixture(scope="module")
def room() -> Iterator[Room]:
    with scram_cluster() as cluster:
        name = f"vigie_{uuid.uuid4().hex[:6]}"
        db = Database(cluster.create_database(name))
        schema.upgrade(db)
        with db.engine.begin() as connection:
            pg_authority.install(connection, MATRIX, PREFIX)
        with db.write() as session:
            # The installer (a superuser) creates the room through the admins' own functions.
            for operator, role in ROOM.items():
                verifier = pg_authority.scram_verifier(session, operator, ROOM_PASSWORD)
                pg_authority.call(
                    session, "vigie_operator_create", name=operator, role=role.value,
                    verifier=verifier,
                )  # fmt: skip
            now = datetime.now(UTC)
            for unit, kind in ((PATROL, "patrol"), (PLOUGH, "snow_plough")):
                session.execute(
                    text("INSERT INTO units (id, kind, status) VALUES (:id, :kind, 'available')"),
                    {"id": unit, "kind": kind},
                )
                session.execute(
                    text(
                        "INSERT INTO unit_positions (unit_id, observed_at, lat, lon) "
                        "VALUES (:id, :at, 47.32, 5.04)"
                    ),
                    {"id": unit, "at": now},
                )
        db.dispose()
        yield Room(cluster, name)


def _command_row(target_type: str) -> str:
    """A command written straight into the table: refused to every operator."""
    expires = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    return (
        "INSERT INTO commands (request_id, target_type, target, command, params, status, "
        f"issued_by, issued_at, expires_at, late) VALUES ('{uuid.uuid4()}', '{target_type}', "
        f"'x', 'switch', '{{}}', 'pending', current_user, now(), '{expires}', false)"
    )


RECORD = (
    "SELECT vigie_record_command(%s, %s, %s, 'switch', '{\"powerState\": \"on\"}', now(), "
    "now() + interval '1 minute', 'vigie/ack/psql', %s, NULL)"
)


def _records(target_type: str, target: str, act: Act) -> Callable[[psycopg.Connection], bool]:
    """Recording a command through the function, by every way a login could try: its own act,
    or a mode switch's, claiming a switch first as the modes panel does (then only the commands
    of the playbook entry claimed may go, and the probe's is in none)."""

    def probe(connection: psycopg.Connection) -> bool:
        for route, kind, value in (
            (act, None, None),
            (Act.SWITCH_SNOW, "snow", "2"),
            (Act.SWITCH_TRAFFIC, "traffic", "peak"),
        ):
            try:
                with connection.transaction():
                    if kind is not None:
                        connection.execute(
                            "UPDATE city_modes SET switching_by = session_user, "
                            "switching_since = now(), target = %s WHERE kind = %s",
                            (value, kind),
                        )
                    values = (str(uuid.uuid4()), target_type, target, route.value)
                    connection.execute(RECORD, values)
                    return True
            except psycopg.errors.InsufficientPrivilege:
                continue
        return False

    return probe


def _sees(unit: str) -> Callable[[psycopg.Connection], bool]:
    def probe(connection: psycopg.Connection) -> bool:
        query = "SELECT count(*) FROM unit_positions WHERE unit_id = %s"
        return connection.execute(query, (unit,)).fetchone()[0] > 0

    return probe


def _changes(statement: str) -> Callable[[psycopg.Connection], bool]:
    def probe(connection: psycopg.Connection) -> bool:
        return connection.execute(statement).rowcount > 0

    return probe


def _runs(statement: str) -> Callable[[psycopg.Connection], bool]:
    def probe(connection: psycopg.Connection) -> bool:
        connection.execute(statement)
        return True

    return probe


#: One statement per act, as a login of a role would try it from psql: True when it went through.
PROBES: dict[Act, Callable[[psycopg.Connection], bool]] = {
    Act.SEE_OPERATIONS: _runs("SELECT count(*) FROM incidents"),
    Act.ACT_ON_INCIDENTS: _runs("UPDATE incidents SET updated_at = updated_at WHERE false"),
    Act.SEE_PATROLS: _sees(PATROL),
    Act.SEE_VEHICLES: _sees(PLOUGH),
    Act.COMMAND_DEVICE: _records("Streetlight", "light:1", Act.COMMAND_DEVICE),
    Act.COMMAND_GROUP: _records("group", "commune:00000", Act.COMMAND_GROUP),
    Act.SWITCH_SNOW: _changes("UPDATE city_modes SET reason = reason WHERE kind = 'snow'"),
    Act.SWITCH_TRAFFIC: _changes("UPDATE city_modes SET reason = reason WHERE kind = 'traffic'"),
    Act.WRITE_LOGBOOK: _runs("INSERT INTO journal SELECT * FROM journal WHERE false"),
    Act.APPROVE: _runs("UPDATE approvals SET status = status WHERE false"),
    Act.READ_AUDIT: _runs("SELECT count(*) FROM audit_log"),
    # The playbook in force, put back as it is: through the function, the only way it changes.
    Act.MANAGE_OPERATORS: _runs(
        "SELECT vigie_load_playbook('psql', (SELECT COALESCE(jsonb_agg(to_jsonb(s) - 'id' "
        "ORDER BY s.id), '[]') FROM playbook_steps s))"
    ),
}

#: Cells the database does not tell apart yet, each with why (strict xfail: fixed, they fail).
NOT_YET: dict[tuple[Act, Role], str] = {}


def _cells():
    for act in PROBES:
        for role in ONE_OF_EACH:
            marks = ()
            if (act, role) in NOT_YET:
                reason = NOT_YET[act, role]
                marks = pytest.mark.xfail(strict=True, reason=reason)
            yield pytest.param(act, role, id=f"{act.value}-{role.value}", marks=marks)


def tried(act: Act, connection: psycopg.Connection) -> bool:
    """Whether the act's statement went through; a refusal leaves the connection usable."""
    try:
        with connection.transaction(force_rollback=True):  # nothing a probe does stays
            return PROBES[act](connection)
    except psycopg.errors.InsufficientPrivilege:
        return False


@pytest.mark.parametrize(("act", "role"), list(_cells()))
def test_each_cell_of_the_matrix_is_what_the_database_allows(room, act, role):
    with room.login(ONE_OF_EACH[role]) as connection:
        assert tried(act, connection) == MATRIX.allows(role, act)


def test_a_wrong_password_or_a_disabled_operator_is_refused_by_the_server(room):
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        with room.login("c.bernard", "not-the-password"):
            pass
    with room.login("root") as admin:
        admin.execute("SELECT vigie_operator_set_login('m.dupont', false)")
        admin.commit()
    try:
        with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
            with room.login("m.dupont"):
                pass
    finally:
        with room.login("root") as admin:
            admin.execute("SELECT vigie_operator_set_login('m.dupont', true)")
            admin.commit()
    with room.login("m.dupont") as back:
        assert back.execute("SELECT session_user").fetchone()[0] == "m.dupont"


def test_an_admin_cannot_grant_itself_a_role_nor_act(room):
    with room.login("root") as admin:
        for attempt in (
            f"GRANT {PREFIX}supervisor TO root",
            "SELECT vigie_operator_set_role('root', 'supervisor')",
            _command_row("group"),
            "UPDATE city_modes SET reason = reason WHERE kind = 'snow'",
        ):
            with pytest.raises(psycopg.Error):
                with admin.transaction():
                    cursor = admin.execute(attempt)
                    assert cursor.rowcount > 0, "no row changed: refused by row-level security"


def test_operators_are_managed_only_through_the_functions_with_client_hashed_passwords(room):
    with room.login("root") as admin:
        verifier = admin.pgconn.encrypt_password(
            b"une-autre-phrase", b"a.martin", b"scram-sha-256"
        ).decode()
        admin.execute("SELECT vigie_operator_create('a.martin', 'technician', %s)", (verifier,))
        with pytest.raises(psycopg.errors.InvalidParameterValue):
            with admin.transaction():
                admin.execute("SELECT vigie_operator_set_password('a.martin', 'in-clear')")
        admin.commit()
    with room.login("a.martin", "une-autre-phrase") as technician:
        assert tried(Act.SWITCH_TRAFFIC, technician)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            technician.execute("SELECT vigie_operator_create('intrus', 'admin', 'SCRAM-SHA-256$x')")
    with room.login("root") as admin:  # a role change waits for a second operator
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            with admin.transaction():
                admin.execute("SELECT vigie_operator_set_role('a.martin', 'auditor')")
        asked = ask(admin, "role", "manage_operators", {"name": "a.martin", "role": "auditor"})
        admin.commit()
    with room.login("s.petit") as supervisor:
        decide(supervisor, asked, "approved")
        supervisor.execute("SELECT vigie_operator_carry_out_role(%s)", (asked,))
        supervisor.commit()
    with room.login("a.martin", "une-autre-phrase") as auditor:
        assert not tried(Act.SWITCH_TRAFFIC, auditor)
        assert tried(Act.READ_AUDIT, auditor)


def ask(
    connection: psycopg.Connection, kind: str, act: str, payload: dict, minutes: int = 10
) -> str:
    """A request recorded with plain SQL, as the login writing it; its id."""
    approval_id = str(uuid.uuid4())
    connection.execute(
        "INSERT INTO approvals (id, kind, act, payload, preview, reason, rule, requested_by, "
        "requested_at, expires_at, status, decision_reason, outcome) VALUES (%s, %s, %s, %s, "
        "'[]', 'test', 'approval.rule.test', session_user, now(), "
        "now() + %s * interval '1 minute', 'awaiting', '', '')",
        (approval_id, kind, act, json.dumps(payload), minutes),
    )
    return approval_id


def decide(connection: psycopg.Connection, approval_id: str, status: str) -> None:
    changed = connection.execute(
        "UPDATE approvals SET status = %s, decided_by = session_user, decided_at = now() "
        "WHERE id = %s",
        (status, approval_id),
    )
    assert changed.rowcount == 1, "no row changed: the approvals table hid it"


def _audit_row(operator: str) -> str:
    seq = uuid.uuid4().int % 10**12
    digest = uuid.uuid4().hex * 2
    return (
        "INSERT INTO audit_log (seq, ts, operator, action, target, details, prev_hash, hash) "
        f"VALUES ({seq}, now(), '{operator}', 'note', '', '{{}}', '{'0' * 64}', '{digest}')"
    )


def test_an_audit_row_names_its_writer_and_no_one_changes_one(room):
    with room.login("c.bernard") as dispatcher:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="in the name of"):
            dispatcher.execute(_audit_row("m.dupont"))
    with room.login("c.bernard") as dispatcher:
        dispatcher.execute(_audit_row("c.bernard"))  # in its own name: accepted
        dispatcher.commit()
    recorder = pg_authority.recorder_role(PREFIX)
    with room.login("root") as admin:  # an admin gives the recorder its password
        verifier = admin.pgconn.encrypt_password(
            b"enregistreur", recorder.encode(), b"scram-sha-256"
        )
        admin.execute("SELECT vigie_operator_set_password(%s, %s)", (recorder, verifier.decode()))
        admin.commit()
    passwords = {recorder: "enregistreur"}
    with room.login(recorder, passwords[recorder]) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="writes as Vigie"):
            connection.execute(_audit_row("s.petit"))
    for name in ("c.bernard", "s.petit", "n.faure", "root", recorder):
        for statement in ("DELETE FROM audit_log", "UPDATE audit_log SET action = 'x'"):
            with room.login(name, passwords.get(name, ROOM_PASSWORD)) as connection:
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    connection.execute(statement)


def test_the_database_keeps_the_prefix_it_was_installed_with(room):
    with room.login("n.faure") as auditor:
        kept = auditor.execute("SELECT role_prefix FROM db_authority").fetchone()[0]
        groups = auditor.execute(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = session_user"
        ).fetchall()
    assert kept == PREFIX
    assert groups == [(f"{PREFIX}auditor",)]


def _vigie(url: str, *argv: str, operator: str, password: str, stdin: str = "") -> tuple[int, str]:
    """``vigie`` from a shell, against this cluster: its exit status and standard error."""
    env = {
        **os.environ,
        "VIGIE_DB_URL": url,
        "VIGIE_OPERATOR": operator,
        "VIGIE_PASSWORD": password,
        "VIGIE_CONFIG": "/nonexistent/vigie.toml",
        "LC_ALL": "C",
    }
    done = subprocess.run(
        [sys.executable, "-m", "console", *argv],
        env=env, input=stdin, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return done.returncode, done.stderr


def test_from_a_shell_a_wrong_password_exits_5_and_the_right_one_acts_as_the_login(room):
    url = room.cluster.url("postgres", room.cluster.superuser_password, room.database)
    # The URL's own user is the installer's: the operator in effect logs in as themselves.
    status, err = _vigie(url, "journal", "add", "x", operator="c.bernard", password="faux")
    assert status == 5 and "not accepted" in err, err
    status, err = _vigie(
        url, "journal", "add", "relève", operator="c.bernard", password=ROOM_PASSWORD
    )
    assert status == 0, err
    status, err = _vigie(
        url, "command", "group", "commune:21231", "switch", "powerState=off", "--yes",
        operator="c.bernard", password=ROOM_PASSWORD,
    )  # fmt: skip
    assert status == 5 and "c.bernard" in err, err
    with room.login("n.faure") as auditor:
        written = auditor.execute("SELECT operator, action FROM audit_log ORDER BY seq").fetchall()
    assert ("c.bernard", "journal.add") in written
    assert all(action != "command.send" for _, action in written)


def test_only_a_login_that_may_create_roles_installs_the_authority(room):
    with psycopg.connect(
        host="127.0.0.1", port=room.cluster.port, user="postgres",
        password=room.cluster.superuser_password, dbname="postgres", autocommit=True,
    ) as superuser:  # fmt: skip
        superuser.execute("CREATE ROLE proprietaire LOGIN PASSWORD 'schema-owner'")
        superuser.execute("CREATE DATABASE sans_droits OWNER proprietaire")
    url = room.cluster.url("proprietaire", "schema-owner", "sans_droits")
    status, err = _vigie(
        url, "db", "upgrade", "--password-stdin", operator="proprietaire",
        password="schema-owner", stdin=ROOM_PASSWORD + "\n",
    )  # fmt: skip
    assert status == 5, err
    assert "only a superuser" in err and "authority is not" in err


def test_no_operator_may_create_in_the_schema_the_definer_functions_read(room):
    """An operator's own `=` or function, found first, would run as the functions' owner."""
    for login in ("c.bernard", "root"):
        with room.login(login) as connection:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute("CREATE FUNCTION public.lure() RETURNS int AS 'SELECT 1' "
                                   "LANGUAGE sql")  # fmt: skip
