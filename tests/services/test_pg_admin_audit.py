"""What the database checks by (the matrix, the approval rules, the playbook) changes only audited.

An admin's login may use psql as well as Vigie: the database takes no direct INSERT, UPDATE or
DELETE on ``permission_matrix``, ``approval_rules`` or ``playbook_steps`` from any Vigie role,
and its definer functions (``services/store/pg_admin.py``) write each change and its audit entry,
in the admin's name and on the same hash chain as Vigie's own entries, in one transaction.
"""

from __future__ import annotations

import json

import psycopg
import pytest
from psycopg.types.json import Jsonb

from services.domain.approvals import check_rules_hold_the_admin, read_rules, rules_as_data
from services.domain.errors import InvalidInput
from services.domain.permissions import Act, MatrixError, check_separation_of_duties, read_matrix
from services.permissions import load_matrix, load_rules
from services.store import audit, operators, pg_authority
from services.store.database import Database
from services.store.models import PermissionRow
from tests.conftest import ROOM_PASSWORD
from tests.pg_scram import SUPERUSER
from tests.services import test_pg_authority as authority
from tests.services.test_pg_authority import PREFIX, available, tried

room = authority.room  # a private scram cluster and its room, set up once for this module

pytestmark = pytest.mark.skipif(not available(), reason="no PostgreSQL server installed here")

MATRIX, RULES = load_matrix(), load_rules()
EVERY_LOGIN = ("c.bernard", "c.morel", "t.roux", "s.petit", "n.faure", "root")

#: What an admin would try from psql, going round Vigie: each must be refused to every login.
DIRECT_WRITES = (
    "INSERT INTO permission_matrix (act, role) VALUES ('approve', 'admin')",
    "DELETE FROM permission_matrix WHERE act = 'approve'",
    "UPDATE permission_matrix SET role = 'admin' WHERE act = 'approve'",
    "INSERT INTO approval_rules (id, rules) VALUES (2, '{}')",
    "UPDATE approval_rules SET rules = '{\"max_devices\": 100000}'",
    "DELETE FROM approval_rules",
    "INSERT INTO playbook_steps (kind, value, target_type, target, command, params) "
    "VALUES ('snow', '2', 'Bollard', 'b:1', 'lower', '{}')",
    "UPDATE playbook_steps SET command = 'lower'",
    "DELETE FROM playbook_steps",
)


def _acts(extra: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """The bundled matrix as the function takes it (every act, its roles), with ``extra``."""
    acts = {a.value: sorted(r.value for r in MATRIX.allowed[a]) for a in Act}
    for act, roles in (extra or {}).items():
        acts[act] = sorted(set(acts[act]) | set(roles))
    return acts


def _owner(room) -> Database:
    return Database(room.cluster.url(SUPERUSER, room.cluster.superuser_password, room.database))


def _verified(room) -> audit.Verdict:
    db = _owner(room)
    try:
        with db.read() as session:
            return audit.verify(session)
    finally:
        db.dispose()


def _last(connection: psycopg.Connection) -> tuple:
    return connection.execute(
        "SELECT seq, operator, action, target, details FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()


@pytest.mark.parametrize("login", EVERY_LOGIN)
@pytest.mark.parametrize("statement", DIRECT_WRITES)
def test_no_login_writes_the_rules_tables_directly(room, login, statement):
    with room.login(login) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(statement)


def test_an_admins_matrix_change_through_the_function_is_audited_in_their_name(room):
    with room.login("n.faure") as auditor:  # the bundled matrix: an auditor writes no logbook
        assert not tried(Act.WRITE_LOGBOOK, auditor)
    source = 'psql « été » "\\ \n\t'  # the hash covers the text as the database escapes it
    with room.login("root") as admin:
        before = (_last(admin) or (0,))[0]  # the room's journal may still be empty
        count = admin.execute(
            "SELECT vigie_load_permissions(%s, %s, %s)",
            (source, Jsonb(_acts({"write_logbook": ["auditor"]})), Jsonb(rules_as_data(RULES))),
        ).fetchone()[0]
        admin.commit()
        seq, operator, action, target, details = _last(admin)
    assert count == len(MATRIX.rows()) + 1
    assert (seq, operator, action, target) == (before + 1, "root", "permissions.load", source)
    written = json.loads(details)
    assert (
        written["acts"]["write_logbook"] == _acts({"write_logbook": ["auditor"]})["write_logbook"]
    )
    assert written["approvals"] == rules_as_data(RULES)
    assert _verified(room).ok, "the function's entry is on the chain, its hash the one Vigie makes"
    try:
        with room.login("n.faure") as auditor:  # the grants followed the matrix at once
            assert tried(Act.WRITE_LOGBOOK, auditor)
    finally:
        with room.login("root") as admin:
            admin.execute(
                "SELECT vigie_load_permissions('bundled', %s, %s)",
                (Jsonb(_acts()), Jsonb(rules_as_data(RULES))),
            )
            admin.commit()
    assert _verified(room).ok


@pytest.mark.parametrize("login", [n for n in EVERY_LOGIN if n != "root"])
def test_only_who_may_manage_operators_calls_the_functions(room, login):
    steps = "(SELECT COALESCE(jsonb_agg(to_jsonb(s) - 'id'), '[]') FROM playbook_steps s)"
    with room.login(login) as connection:
        for call in (
            f"SELECT vigie_load_playbook('psql', {steps})",
            "SELECT vigie_load_permissions('psql', '{}', '{}')",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="may not"):
                with connection.transaction():
                    connection.execute(call)


def test_a_matrix_that_is_not_whole_or_names_strangers_is_refused(room):
    wrong = (
        {k: v for k, v in _acts().items() if k != "approve"},  # an act left out
        {**_acts(), "launch_missiles": ["admin"]},  # an act Vigie does not know
        {**_acts(), "approve": ["supervisor", "postgres"]},  # a role that is not Vigie's
        {**_acts(), "approve": "supervisor"},  # not a list
    )
    with room.login("root") as admin:
        for acts in wrong:
            with pytest.raises(psycopg.errors.InvalidParameterValue):
                with admin.transaction():
                    admin.execute("SELECT vigie_load_permissions('x', %s, '{}')", (Jsonb(acts),))
        with pytest.raises(psycopg.errors.InvalidParameterValue):
            with admin.transaction():
                admin.execute("SELECT vigie_load_permissions('x', %s, '[]')", (Jsonb(_acts()),))


def _vigies_words(error: InvalidInput) -> str:
    """What Vigie says of the same file (the English sentence, as the CLI prints it)."""
    from console.text.i18n import fill
    from console.text.messages import MESSAGES

    return fill(MESSAGES[error.key], error.params)


def _refused_by_the_database(room, acts: dict, rules: dict) -> str:
    """The database's refusal of this load by an admin, from psql."""
    with room.login("root") as admin:
        with pytest.raises(psycopg.errors.InvalidParameterValue) as refused:
            admin.execute(
                "SELECT vigie_load_permissions('city.toml', %s, %s)", (Jsonb(acts), Jsonb(rules))
            )
    return refused.value.diag.message_primary


#: Whole matrices that give the admin an operational act, or another role the admin's.
NOT_SEPARATED = (
    {"approve": ["admin"]},
    {"command_group": ["admin"]},
    {"switch_snow": ["admin", "auditor"]},
    {"see_operations": ["admin"]},
    {"manage_operators": ["supervisor"]},
)


@pytest.mark.parametrize("extra", NOT_SEPARATED)
def test_a_matrix_mixing_the_admins_duties_is_refused_as_vigie_refuses_it(room, extra):
    acts = _acts(extra)
    with pytest.raises(MatrixError) as vigie_says:
        check_separation_of_duties(read_matrix({"acts": acts}, "city.toml"))
    said = _refused_by_the_database(room, acts, rules_as_data(RULES))
    assert said == "vigie: " + _vigies_words(vigie_says.value)
    with room.login("root") as admin:  # nothing of it in force
        assert admin.execute("SELECT count(*) FROM permission_matrix").fetchone()[0] == len(
            MATRIX.rows()
        )


#: Rules the database refuses as Vigie does: a role change let through without a second
#: operator, and what the database would read as that (a text it casts), or as nonsense.
RULES_REFUSED = (
    {"role_change": False},
    {"role_change": "off"},
    {"role_change": 0},
    {"limit_minutes": 0},
    {"max_devices": "many"},
    {"two_person": False},
)


@pytest.mark.parametrize("override", RULES_REFUSED, ids=lambda r: json.dumps(r))
def test_rules_letting_a_role_change_go_alone_are_refused_as_vigie_refuses_them(room, override):
    rules = {**rules_as_data(RULES), **override}
    with pytest.raises(InvalidInput) as vigie_says:
        check_rules_hold_the_admin(read_rules({"approvals": rules}, "city.toml"), "city.toml")
    said = _refused_by_the_database(room, _acts(), rules)
    assert said == "vigie: " + _vigies_words(vigie_says.value)


def test_the_rules_of_the_rooms_own_acts_may_be_loosened_on_the_record(room):
    """Not the admin's acts: the city's choice, which the journal shows with its loader."""
    loosened = {**rules_as_data(RULES), "max_devices": 5000, "bollard_lowered": False}
    try:
        with room.login("root") as admin:
            admin.execute(
                "SELECT vigie_load_permissions('loosened', %s, %s)",
                (Jsonb(_acts()), Jsonb(loosened)),
            )
            admin.commit()
            assert _last(admin)[1:4] == ("root", "permissions.load", "loosened")
            assert json.loads(_last(admin)[4])["approvals"] == loosened
    finally:
        with room.login("root") as admin:
            admin.execute(
                "SELECT vigie_load_permissions('bundled', %s, %s)",
                (Jsonb(_acts()), Jsonb(rules_as_data(RULES))),
            )
            admin.commit()
    assert _verified(room).ok


def test_a_playbook_loaded_from_psql_is_audited_and_checked(room):
    with room.login("root") as admin:
        held = admin.execute(
            "SELECT COALESCE(jsonb_agg(to_jsonb(s) - 'id' ORDER BY s.id), '[]') "
            "FROM playbook_steps s"
        ).fetchone()[0]
        before = (_last(admin) or (0,))[0]  # the room's journal may still be empty
        one = [{**held[0], "params": {"powerState": "off"}}]
        with pytest.raises(psycopg.errors.InvalidParameterValue):  # a kind no mode has
            with admin.transaction():
                admin.execute(
                    "SELECT vigie_load_playbook('x', %s)", (Jsonb([{**one[0], "kind": "x"}]),)
                )
        assert (
            admin.execute("SELECT vigie_load_playbook('psql', %s)", (Jsonb(one),)).fetchone()[0]
            == 1
        )
        admin.commit()
        seq, operator, action, target, details = _last(admin)
        assert (seq, operator, action, target) == (before + 1, "root", "playbook.load", "psql")
        assert json.loads(details)["steps"] == 1
        assert json.loads(details)["commands"] == one, "the journal says what was put in force"
        assert admin.execute("SELECT count(*) FROM playbook_steps").fetchone()[0] == 1
        admin.execute("SELECT vigie_load_playbook('restored', %s)", (Jsonb(held),))
        admin.commit()
    assert _verified(room).ok


def test_vigies_own_loads_go_through_the_functions_on_one_chain(room):
    """``vigie permissions load`` and ``vigie playbook load``, as the admin's login."""
    from services.playbooks import load_playbook
    from services.store.playbook_steps import put_in_force

    url = room.cluster.url("root", ROOM_PASSWORD, room.database)
    db = pg_authority.log_in(url, "root", ROOM_PASSWORD)
    try:
        with db.read() as session:
            before = audit.head(session)
        with db.write() as session:
            assert operators.load_matrix(session, MATRIX, RULES, by="root") == len(MATRIX.rows())
            # a later act in the same transaction appends after the function's entry
            audit.append(session, "root", "operator.passwd", "c.bernard", {})
        with db.write() as session:
            assert put_in_force(session, load_playbook(), by="root") > 0
        with db.read() as session:
            added = audit.entries(session, since_seq=before.seq if before else 0)
            rows = session.query(PermissionRow).count()
    finally:
        db.dispose()
    assert [(e.operator, e.action) for e in added] == [
        ("root", "permissions.load"),
        ("root", "operator.passwd"),
        ("root", "playbook.load"),
    ], "one entry per load, written by the database"
    assert rows == len(MATRIX.rows())
    assert _verified(room).ok


def test_install_again_keeps_the_tables_closed_and_the_functions_working(room):
    """``vigie db upgrade`` runs ``install`` again on a live database."""
    db = _owner(room)
    try:
        with db.engine.begin() as connection:
            pg_authority.install(connection, MATRIX, PREFIX)
    finally:
        db.dispose()
    with room.login("root") as admin:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            admin.execute(DIRECT_WRITES[0])
    with room.login("root") as admin:
        admin.execute(
            "SELECT vigie_load_permissions('again', %s, %s)",
            (Jsonb(_acts()), Jsonb(rules_as_data(RULES))),
        )
        admin.commit()
        assert _last(admin)[1:4] == ("root", "permissions.load", "again")
    assert _verified(room).ok


def test_from_a_shell_upgrade_and_the_loads_go_through_the_database(room, tmp_path):
    """``vigie db upgrade`` again (``install`` re-run), then an admin's loads, from a shell."""
    from pathlib import Path

    from tests.services.test_pg_authority import _vigie

    owner_password = room.cluster.superuser_password
    url = room.cluster.url(SUPERUSER, owner_password, room.database)
    status, err = _vigie(url, "db", "upgrade", operator=SUPERUSER, password=owner_password)
    assert status == 0, err
    bundled = Path(__file__).resolve().parents[2] / "resources/permissions/permissions.toml"
    city = tmp_path / "permissions.toml"
    city.write_text(bundled.read_text("utf-8"), "utf-8")
    status, err = _vigie(url, "permissions", "load", str(city), "--yes", operator="c.morel",
                         password=ROOM_PASSWORD)  # fmt: skip
    assert status == 5, err
    for argv in (("permissions", "load", str(city), "--yes"), ("playbook", "load", "--yes")):
        status, err = _vigie(url, *argv, operator="root", password=ROOM_PASSWORD)
        assert status == 0, err
    with room.login("root") as admin:
        written = admin.execute(
            "SELECT operator, action, target FROM audit_log ORDER BY seq DESC LIMIT 2"
        ).fetchall()
    assert [row[:2] for row in written] == [("root", "playbook.load"), ("root", "permissions.load")]
    assert written[1][2] == city.name  # the matrix's source, as Vigie names it
    assert _verified(room).ok
