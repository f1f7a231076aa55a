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
from tests.pg_scram import SUPERUSER, Room, available, scram_cluster

pytestmark = pytest.mark.skipif(not available(), reason="no PostgreSQL server installed here")

PREFIX = "vigie_"
MATRIX = load_matrix()
PATROL, PLOUGH = "vehicle:pm-01", "vehicle:sn-01"
CAMERA = "camera:probe-1"
ONE_OF_EACH = {
    role: next(n for n, r in ROOM.items() if r is role) for role in Role if role in ROOM.values()
}


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
            # A camera whose gateway's secret is loaded: a view of it is one act of the matrix.
            session.execute(
                text(
                    "INSERT INTO equipment (id, type, gateway, attributes, outside_metropole, "
                    "received_at, updated_at) VALUES (:id, 'Camera', 'gw-probe', '{}', false, "
                    "now(), now())"
                ),
                {"id": CAMERA},
            )
            session.execute(
                text("INSERT INTO stream_secrets (gateway, secret) VALUES ('gw-probe', :s)"),
                {"s": b"probe-secret"},
            )
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
    # A view is opened only through the database's function (test_pg_camera_views.py).
    Act.VIEW_CAMERAS: _runs(f"SELECT * FROM vigie_open_view('{CAMERA}', 'probe', NULL, 'psql', 1)"),
    Act.READ_CAMERA_JOURNAL: _runs("SELECT count(*) FROM camera_views"),
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


APPEND = "SELECT seq, operator FROM vigie_audit_append(%s, 'note', '', '{}')"


def _recorder_password(room) -> dict[str, str]:
    """The recorder's login, its password set by the superuser (as the schema's owner would)."""
    recorder = pg_authority.recorder_role(PREFIX)
    with room.login(SUPERUSER, room.cluster.superuser_password) as owner:
        verifier = owner.pgconn.encrypt_password(
            b"enregistreur", recorder.encode(), b"scram-sha-256"
        )
        owner.execute("SELECT vigie_operator_set_password(%s, %s)", (recorder, verifier.decode()))
        owner.commit()
    return {recorder: "enregistreur"}


def test_an_audit_row_names_its_writer_and_no_one_changes_one(room):
    with room.login("c.bernard") as dispatcher:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="in the name of"):
            dispatcher.execute(APPEND, ("m.dupont",))
    with room.login("c.bernard") as dispatcher:
        assert dispatcher.execute(APPEND, ("c.bernard",)).fetchone()[1] == "c.bernard"
        dispatcher.commit()
    passwords = _recorder_password(room)
    (recorder,) = passwords
    with room.login(recorder, passwords[recorder]) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="writes as Vigie"):
            connection.execute(APPEND, ("s.petit",))
    with room.login(recorder, passwords[recorder]) as connection:
        assert connection.execute(APPEND, ("system:recorder",)).fetchone()[1] == "system:recorder"
        connection.commit()
    for name in ("c.bernard", "s.petit", "n.faure", "root", recorder):
        for statement in ("DELETE FROM audit_log", "UPDATE audit_log SET action = 'x'"):
            with room.login(name, passwords.get(name, ROOM_PASSWORD)) as connection:
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    connection.execute(statement)
    assert _chain_verifies(room)


def test_a_login_holding_a_group_through_another_role_still_writes_in_its_own_name(room):
    """The guard binds every login but the recorder and the installers, not only the direct
    members of Vigie's groups."""
    with room.login(SUPERUSER, room.cluster.superuser_password) as owner:
        owner.execute("CREATE ROLE nested_team NOLOGIN")
        owner.execute(f'GRANT "{PREFIX}dispatcher" TO nested_team')
        owner.execute(f"CREATE ROLE nested_login LOGIN PASSWORD '{ROOM_PASSWORD}'")
        owner.execute("GRANT nested_team TO nested_login")
        owner.commit()
    with room.login("nested_login") as login:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="in the name of"):
            login.execute(APPEND, ("m.dupont",))


#: What a login could do to the journal round ``vigie_audit_append``: an entry off the chain
#: (which ``vigie audit verify`` would then report for ever), the chain's head moved, its row
#: locked and held (every act of the room waits for it).
AROUND_THE_CHAIN = (
    _audit_row("{login}"),
    "UPDATE audit_chain SET seq = seq + 1",
    "SELECT seq FROM audit_chain FOR UPDATE",
    "SELECT seq FROM audit_chain FOR NO KEY UPDATE",
    "SELECT seq FROM audit_chain FOR SHARE",
    "SELECT seq FROM audit_chain FOR KEY SHARE",
    "LOCK TABLE audit_chain IN EXCLUSIVE MODE",
)


@pytest.mark.parametrize("statement", AROUND_THE_CHAIN)
def test_no_login_writes_or_locks_the_journals_tables(room, statement):
    passwords = _recorder_password(room)
    logins = {**{name: ROOM_PASSWORD for name in ONE_OF_EACH.values()}, **passwords}
    for login, password in logins.items():
        with room.login(login, password) as connection:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement.replace("{login}", login))


def test_every_append_goes_through_the_function_on_one_chain(room):
    passwords = _recorder_password(room)
    (recorder,) = passwords
    appended = []
    for login, name in [(n, n) for n in ONE_OF_EACH.values()] + [(recorder, "system:recorder")]:
        with room.login(login, passwords.get(login, ROOM_PASSWORD)) as connection:
            appended.append(connection.execute(APPEND, (name,)).fetchone())
            connection.commit()
    seqs = [seq for seq, _ in appended]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), "one after the other, numbered"
    assert _chain_verifies(room), "each entry hashed as Vigie hashes it"


def test_vigies_logins_do_not_sit_in_a_transaction_for_ever(room):
    passwords = _recorder_password(room)
    for login, password in {"c.bernard": ROOM_PASSWORD, "root": ROOM_PASSWORD, **passwords}.items():
        with room.login(login, password) as connection:
            shown = connection.execute("SHOW idle_in_transaction_session_timeout").fetchone()[0]
            assert shown == pg_authority.IDLE_IN_TRANSACTION, login


def _head(room) -> int:
    with room.login(SUPERUSER, room.cluster.superuser_password) as owner:
        return owner.execute("SELECT seq FROM audit_chain").fetchone()[0]


def _written_since(room, seq: int) -> list[tuple[str, str, str, dict]]:
    with room.login(SUPERUSER, room.cluster.superuser_password) as owner:
        rows = owner.execute(
            "SELECT operator, action, target, details FROM audit_log WHERE seq > %s ORDER BY seq",
            (seq,),
        ).fetchall()
    return [
        (operator, action, target, json.loads(details))
        for operator, action, target, details in rows
    ]


def _verifier(connection: psycopg.Connection, name: str, password: str) -> str:
    return connection.pgconn.encrypt_password(
        password.encode(), name.encode(), b"scram-sha-256"
    ).decode()


def test_each_management_function_audits_its_act_in_its_callers_name(room):
    """From psql as from Vigie: the act and the operator it touched, never the verifier."""
    before = _head(room)
    with room.login("root") as admin:
        created = _verifier(admin, "g.blanc", "première-phrase")
        admin.execute("SELECT vigie_operator_create('g.blanc', 'dispatcher', %s)", (created,))
        reset = _verifier(admin, "g.blanc", "deuxième-phrase")
        admin.execute("SELECT vigie_operator_set_password('g.blanc', %s)", (reset,))
        admin.execute("SELECT vigie_operator_set_login('g.blanc', false)")
        admin.execute("SELECT vigie_operator_set_login('g.blanc', true)")
        asked = ask(admin, "role", "manage_operators", {"name": "g.blanc", "role": "technician"})
        admin.commit()
    with room.login("g.blanc", "deuxième-phrase") as own:
        changed = _verifier(own, "g.blanc", "troisième-phrase")
        own.execute("SELECT vigie_operator_set_password('g.blanc', %s)", (changed,))
        own.commit()
    with room.login("s.petit") as supervisor:
        decide(supervisor, asked, "approved")
        supervisor.execute("SELECT vigie_operator_carry_out_role(%s)", (asked,))
        supervisor.commit()
    _owner_sets_rules(room, {"role_change": False})  # a city without the rule (the owner's act)
    try:
        with room.login("root") as admin:
            admin.execute("SELECT vigie_operator_set_role('g.blanc', 'auditor')")
            admin.commit()
    finally:
        _owner_sets_rules(room, None)
    assert _written_since(room, before) == [
        ("root", "operator.add", "g.blanc", {"role": "dispatcher"}),
        ("root", "operator.passwd", "g.blanc", {}),
        ("root", "operator.disable", "g.blanc", {}),
        ("root", "operator.enable", "g.blanc", {}),
        ("g.blanc", "operator.own_password", "g.blanc", {}),
        (
            "s.petit",
            "operator.set_role_approved",
            "g.blanc",
            {"from": "dispatcher", "to": "technician", "requested_by": "root"},
        ),
        ("root", "operator.set_role", "g.blanc", {"from": "technician", "to": "auditor"}),
    ]
    assert _chain_verifies(room)


def _owner_sets_rules(room, rules: dict | None) -> None:
    """The approval rules written by the schema's owner (outside the guarantees); None: none."""
    with room.login(SUPERUSER, room.cluster.superuser_password) as owner:
        owner.execute("DELETE FROM approval_rules")
        if rules is not None:
            owner.execute(
                "INSERT INTO approval_rules (id, rules) VALUES (1, %s)", (json.dumps(rules),)
            )
        owner.commit()


def test_only_the_schemas_owner_sets_the_recorders_password(room):
    """An admin who could would log in as the recorder, which writes the record as Vigie."""
    recorder = pg_authority.recorder_role(PREFIX)
    with room.login("root") as admin:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="recorder's password"):
            admin.execute(
                "SELECT vigie_operator_set_password(%s, %s)",
                (recorder, _verifier(admin, recorder, "je-suis-vigie")),
            )
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        with room.login(recorder, "je-suis-vigie"):
            pass
    before = _head(room)
    passwords = _recorder_password(room)  # the superuser, as the schema's owner would
    with room.login(recorder, passwords[recorder]):
        pass
    assert _written_since(room, before) == [(SUPERUSER, "operator.passwd", recorder, {})]


#: What the recorder's login may not do to commands and requests: it records none, changes
#: nothing an operator asked, and decides nothing.
NOT_THE_RECORDERS = (
    _command_row("Streetlight"),
    "UPDATE commands SET params = '{}' WHERE false",
    "UPDATE commands SET issued_by = 'root', approval_id = NULL WHERE false",
    "UPDATE commands SET target = 'all:Streetlight', target_type = 'group' WHERE false",
    "DELETE FROM commands WHERE false",
    "INSERT INTO approvals SELECT * FROM approvals WHERE false",
    "UPDATE approvals SET decided_by = 'l.moreau' WHERE false",
    "UPDATE approvals SET payload = '{}' WHERE false",
    "UPDATE audit_chain SET seq = seq WHERE false",
    # A mode is switched by an operator (and by two, for snow level 3): the recorder only says
    # when it announced it.
    "UPDATE city_modes SET value = '3' WHERE false",
    "UPDATE city_modes SET announcement = NULL, announced_at = NULL WHERE false",
)


@pytest.mark.parametrize("statement", NOT_THE_RECORDERS)
def test_the_recorder_records_no_command_and_decides_no_request(room, statement):
    passwords = _recorder_password(room)
    ((recorder, password),) = passwords.items()
    with room.login(recorder, password) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(statement)


def test_the_recorder_puts_no_command_back_in_the_outbox(room):
    """Its grants let it write a command's status and sent time: forward only."""
    request_id = str(uuid.uuid4())
    with room.login("t.roux") as technician:
        technician.execute(RECORD, (request_id, "Streetlight", "light:back-1", "command_device"))
        technician.commit()
    ((recorder, password),) = _recorder_password(room).items()
    with room.login(recorder, password) as connection:
        connection.execute(
            "UPDATE commands SET sent_at = now(), status = 'done', finished_at = now() "
            "WHERE request_id = %s",
            (request_id,),
        )
        connection.commit()
        for again in ("status = 'pending'", "sent_at = NULL", "sent_at = now() + interval '1s'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="forward only"):
                connection.execute(
                    f"UPDATE commands SET {again} WHERE request_id = %s", (request_id,)
                )
            connection.rollback()


def test_the_recorder_still_does_its_work_as_its_own_login(room):
    """What ``services/recorder`` writes, as the recorder's login: sent, acks, outcomes, late
    answers, expired requests, Vigie's audit entries and the journal's head."""
    from sqlalchemy import select

    from services.bus.messages import AckMessage
    from services.commands import outbox
    from services.domain.commands import CommandStatus
    from services.domain.operators import RECORDER
    from services.recorder import commands as command_record
    from services.store import approvals, audit
    from services.store.models import CommandRow

    with room.login("t.roux") as technician:
        done, late = (str(uuid.uuid4()), str(uuid.uuid4()))
        for request_id, light in ((done, "light:rec-1"), (late, "light:rec-2")):
            technician.execute(RECORD, (request_id, "Streetlight", light, "command_device"))
        technician.commit()
    with room.login("s.petit") as supervisor:
        overdue = ask(supervisor, "command", "command_group", {"commands": []})
        supervisor.commit()
    passwords = _recorder_password(room)
    ((recorder, password),) = passwords.items()
    db = pg_authority.log_in(
        room.cluster.url(recorder, password, room.database), recorder, password
    )
    now = datetime.now(UTC)
    try:
        with db.write() as session:  # the sender: claims unsent rows and marks them sent
            rows = session.execute(
                select(CommandRow)
                .where(CommandRow.request_id.in_([done, late]))
                .with_for_update(skip_locked=True)
            ).scalars()
            for row in rows:
                row.sent_at = now
        with db.write() as session:  # the writer: an answer, a time-out, a late answer
            acks = [AckMessage(done, "light:rec-1", "device", "done", ts=now)]
            assert command_record.record_acks(session, acks, now) == [done]
            assert command_record.settle(session, [done], now) == [(done, "done")]
            assert outbox.set_status(session, late, CommandStatus.TIMED_OUT, now)
            acks = [AckMessage(late, "light:rec-2", "device", "done", ts=now)]
            command_record.record_acks(session, acks, now)
            assert command_record.settle(session, [late], now) == [(late, "done")]
            later = now + timedelta(minutes=11)  # the database gave it the city's 10 minutes
            assert overdue in approvals.expire_overdue(session, later)
            audit.append(session, RECORDER, "recorder.probe", "test", {})
            assert audit.head(session) is not None
    finally:
        db.dispose()
    with room.login("n.faure") as auditor:
        assert auditor.execute(
            "SELECT status, late, sent_at IS NOT NULL FROM commands WHERE request_id = ANY(%s) "
            "ORDER BY request_id = %s",
            ([done, late], late),
        ).fetchall() == [("done", False, True), ("done", True, True)]
    assert _chain_verifies(room)


def test_a_password_too_short_is_refused_on_postgresql_too(room):
    from services.domain.errors import InvalidInput
    from services.store import operators

    db = pg_authority.log_in(
        room.cluster.url("root", ROOM_PASSWORD, room.database), "root", ROOM_PASSWORD
    )
    try:
        for attempt in (
            lambda s: operators.add(s, "p.court", Role.DISPATCHER, by="root", password="court"),
            lambda s: operators.set_password(s, "c.bernard", "court", by="root"),
        ):
            with pytest.raises(InvalidInput) as refused, db.write() as session:
                attempt(session)
            assert refused.value.key == "auth.password_too_short"
    finally:
        db.dispose()
    with room.login("c.bernard") as still:  # nothing changed
        assert still.execute("SELECT session_user").fetchone()[0] == "c.bernard"


def _chain_verifies(room) -> bool:
    from services.store import audit

    db = Database(room.cluster.url(SUPERUSER, room.cluster.superuser_password, room.database))
    try:
        with db.read() as session:
            return audit.verify(session).ok
    finally:
        db.dispose()


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
