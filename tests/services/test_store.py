import threading
from datetime import timedelta

import pytest
from sqlalchemy import inspect, text

from services.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied, StaleVersion
from services.domain.incidents import (
    IncidentSource,
    IncidentStatus,
    Location,
    Priority,
    new_incident,
    override_priority,
    transition,
)
from services.domain.operators import Role
from services.store import audit, incidents, journal, operators
from services.store.database import Database, SchemaMissing, SchemaOutdated
from services.store.models import RecorderStatsRow
from services.store.schema import current_revision, head_revision, require_current, upgrade
from services.store.types import utcnow
from services.store.upsert import add_to_counters

TABLES = {
    "operators",
    "incidents",
    "incident_changes",
    "incident_notes",
    "equipment",
    "equipment_changes",
    "gateways",
    "units",
    "unit_positions",
    "commands",
    "command_acks",
    "quarantine",
    "journal",
    "audit_log",
    "audit_chain",
}


def test_migrations_take_an_empty_database_to_head(db_url):
    database = Database(db_url)
    with pytest.raises(SchemaMissing):
        require_current(database)
    assert current_revision(database) is None
    before, after = upgrade(database)
    assert (before, after) == (None, head_revision())
    require_current(database)
    assert TABLES <= set(inspect(database.engine).get_table_names())
    assert upgrade(database) == (head_revision(), head_revision())  # idempotent
    database.dispose()


def test_head_is_alembics_head():
    from services.store.schema import HEAD, alembic_head

    assert HEAD == alembic_head(), "a migration was added: update schema.HEAD"


def test_an_outdated_schema_is_refused(db):
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0000'")
    with pytest.raises(SchemaOutdated):
        require_current(db)


def test_reading_before_upgrade_says_schema_missing(db_url):
    database = Database(db_url)
    with pytest.raises(SchemaMissing), database.read() as session:
        operators.list_all(session)
    database.dispose()


def test_times_come_back_aware_utc_to_the_microsecond(db):
    at = utcnow().replace(microsecond=123456)
    with db.write() as s:
        operators.add(s, "a.new", Role.ADMIN, by="system:test", at=at)
    with db.read() as s:
        got = operators.get(s, "a.new").created_at
    assert got == at
    assert got.utcoffset() == timedelta(0)


def test_operators_are_added_by_admins_only(bare_db):
    db = bare_db
    with db.write() as s:
        assert operators.bootstrap_admin(s, "root", by="system:db") == "root"
        assert operators.bootstrap_admin(s, "other", by="system:db") is None  # not empty any more
        operators.add(s, "c.bernard", Role.DISPATCHER, by="root")
    with pytest.raises(PermissionDenied) as refused, db.write() as s:
        operators.add(s, "intruder", Role.ADMIN, by="c.bernard")
    assert refused.value.params["act"] == "manage_operators"
    with pytest.raises(Conflict), db.write() as s:
        operators.add(s, "c.bernard", Role.ADMIN, by="root")
    with pytest.raises(PermissionDenied) as refused, db.write() as s:
        operators.add(s, "x", Role.ADMIN, by="nobody")
    assert refused.value.key == "permission.unknown_operator"
    with pytest.raises(InvalidInput), db.write() as s:
        operators.add(s, "system:fake", Role.ADMIN, by="root")
    with db.read() as s:
        assert [(o.name, o.role) for o in operators.list_all(s)] == [
            ("c.bernard", Role.DISPATCHER),
            ("root", Role.ADMIN),
        ]
        with pytest.raises(NotFound):
            operators.get(s, "ghost")


def test_bootstrap_admin_replaces_a_name_that_cannot_be_an_operators(bare_db):
    with bare_db.write() as s:
        assert operators.bootstrap_admin(s, "Jean Dupont", by="system:db") == "admin"


def test_journal_entries_are_audited_acts(db):
    with db.write() as s:
        first = journal.add(s, "c.bernard", "  Prise de poste, équipe B  ")
        journal.add(s, "c.bernard", "Neige annoncée pour 4 h")
    assert first.text == "Prise de poste, équipe B"
    with pytest.raises(InvalidInput), db.write() as s:
        journal.add(s, "c.bernard", "   ")
    with pytest.raises(PermissionDenied), db.write() as s:  # the admin runs no operational act
        journal.add(s, "root", "une consigne")
    with db.read() as s:
        assert [e.text for e in journal.list_entries(s)] == [
            "Prise de poste, équipe B",
            "Neige annoncée pour 4 h",
        ]
        assert [e.text for e in journal.list_entries(s, limit=1)] == ["Neige annoncée pour 4 h"]
        assert journal.list_entries(s, operator="other") == []
        logged = [e for e in audit.entries(s) if e.action == "journal.add"]
    assert [e.target for e in logged] == [f"journal:{first.id}", f"journal:{first.id + 1}"]
    assert all(e.operator == "c.bernard" for e in logged)


def test_a_failed_act_leaves_no_audit_entry(db):
    with db.write() as s:
        operators.add(s, "a.new", Role.ADMIN, by="system:test")
    with pytest.raises(RuntimeError), db.write() as s:
        journal.add(s, "c.bernard", "written then rolled back")
        raise RuntimeError("crash before commit")
    with db.read() as s:
        assert journal.list_entries(s) == []
        assert [e.action for e in audit.entries(s)] == ["operator.add"]
        assert audit.verify(s).ok


def _incident(db, by="c.bernard"):
    inc = new_incident(
        source=IncidentSource.CALL,
        category="fallen_tree",
        at=utcnow(),
        commune="21231",
        location=Location(47.3220, 5.0415),
        place="Rue de la Liberté",
        description="Arbre tombé",
    )
    with db.write() as s:
        return incidents.create(s, inc, by=by)


def test_incident_round_trip_and_history(db):
    stored = _incident(db)
    assert stored.id is not None and stored.version == 1
    with db.read() as s:
        assert incidents.get(s, stored.id) == stored
    acked = transition(stored, IncidentStatus.ACKNOWLEDGED, at=utcnow())
    with db.write() as s:
        saved = incidents.save(s, stored, acked, by="c.bernard")
    assert (saved.status, saved.version) == (IncidentStatus.ACKNOWLEDGED, 2)
    raised = override_priority(saved, Priority.P1, "school exit in 10 min", at=utcnow())
    with db.write() as s:
        saved = incidents.save(s, saved, raised, by="s.petit", reason="school exit in 10 min")
        incidents.add_note(s, saved.id, "Services techniques prévenus", by="s.petit")
    with db.read() as s:
        changes = [(c.field, c.old, c.new, c.by) for c in incidents.history(s, saved.id)]
        notes = incidents.notes(s, saved.id)
        actions = [e.action for e in audit.entries(s)]
    assert changes == [
        ("created", None, "new", "c.bernard"),
        ("status", "new", "acknowledged", "c.bernard"),
        ("priority", "P2", "P1", "s.petit"),
        ("priority_reason", None, "school exit in 10 min", "s.petit"),
    ]
    assert [n.text for n in notes] == ["Services techniques prévenus"]
    assert actions == ["incident.create", "incident.update", "incident.update", "incident.note"]
    with db.read() as s:
        assert [i.id for i in incidents.list_incidents(s, statuses=[IncidentStatus.NEW])] == []
        with pytest.raises(NotFound):
            incidents.get(s, 999_999)


def test_a_stale_version_is_refused_and_names_who_changed_it(db):
    seen = _incident(db)
    # another console acknowledges first
    with db.write() as s:
        incidents.save(
            s, seen, transition(seen, IncidentStatus.ACKNOWLEDGED, at=utcnow()), by="l.moreau"
        )
    with pytest.raises(StaleVersion) as err, db.write() as s:
        incidents.save(
            s, seen, transition(seen, IncidentStatus.CANCELLED, at=utcnow()), by="c.bernard"
        )
    params = err.value.params
    assert params["changed_by"] == "l.moreau"
    assert params["current_version"] == 2
    assert params["current"].status is IncidentStatus.ACKNOWLEDGED
    with db.read() as s:
        assert incidents.get(s, seen.id).status is IncidentStatus.ACKNOWLEDGED


def test_concurrent_updates_of_one_incident_let_exactly_one_win(db):
    seen = _incident(db)
    barrier = threading.Barrier(6)
    outcomes: list[str] = []
    with db.write() as s:
        for n in range(6):
            operators.add(s, f"op{n}", Role.DISPATCHER, by="system:test")

    def operator(n: int) -> None:
        barrier.wait()
        try:
            with db.write() as s:
                incidents.save(
                    s, seen, transition(seen, IncidentStatus.ACKNOWLEDGED, at=utcnow()), by=f"op{n}"
                )
            outcomes.append("won")
        except StaleVersion:
            outcomes.append("stale")

    threads = [threading.Thread(target=operator, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["stale"] * 5 + ["won"]
    with db.read() as s:
        assert incidents.get(s, seen.id).version == 2
        assert audit.verify(s).ok


def test_a_database_at_0001_with_data_upgrades_keeping_it(db_url):
    database = Database(db_url)
    upgrade(database, "0001")
    # Rows as 0001 wrote them, in its columns: today's models know columns 0001 did not have.
    with database.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO operators (name, role, created_at, created_by) "
                "VALUES ('c.bernard', 'dispatcher', :at, 'system:test')"
            ),
            {"at": utcnow()},
        )
        conn.execute(
            text("INSERT INTO journal (at, operator, text) VALUES (:at, 'c.bernard', 'avant')"),
            {"at": utcnow()},
        )
    upgrade(database)
    require_current(database)
    with database.read() as s:
        (kept,) = operators.list_all(s)
        assert (kept.name, kept.role, kept.enabled) == ("c.bernard", Role.DISPATCHER, True)
        assert [e.text for e in journal.list_entries(s)] == ["avant"]
    with database.write() as s:  # and the operator acts on the upgraded schema
        journal.add(s, "c.bernard", "après la migration")
    with database.read() as s:
        assert audit.verify(s).ok
    database.dispose()


def test_incident_actions_read_move_and_refuse_a_stale_view(db):
    from services import incident_actions as acts

    seen = _incident(db)
    moved = acts.move(db, seen, IncidentStatus.ACKNOWLEDGED, by="c.bernard")
    assert (moved.status, moved.version) == (IncidentStatus.ACKNOWLEDGED, 2)
    acts.add_note(db, seen.id, "Équipe voirie prévenue", by="c.bernard")
    raised = acts.reprioritise(db, moved, Priority.P1, "sortie d'école", by="s.petit")
    assert raised.priority is Priority.P1
    with pytest.raises(StaleVersion) as err:
        acts.move(db, moved, IncidentStatus.RESOLVED, by="c.bernard")  # saw version 2, now 3
    assert err.value.params["changed_by"] == "s.petit"
    file = acts.read(db, seen.id)
    assert [n.text for n in file.notes] == ["Équipe voirie prévenue"]
    assert [c.field for c in file.history] == ["created", "status", "priority", "priority_reason"]


def test_a_call_becomes_an_incident_with_the_caller_apart(db):
    from services import incident_actions as acts
    from services.domain.calls import CallDraft
    from services.reference import communes
    from services.store.models import PersonalDataRow

    made = acts.record_call(
        db,
        CallDraft(
            "fallen_tree",
            "Arbre sur la chaussée",
            place="Rue Monge",
            commune="21231",
            caller_name="Mme Roy",
            caller_phone="0380000000",
        ),
        by="c.bernard",
        communes=communes(),
    )
    assert (made.source, made.commune, made.status) == (
        IncidentSource.CALL,
        "21231",
        IncidentStatus.NEW,
    )
    assert made.location is not None  # placed at the commune until someone is sent
    with db.read() as s:
        kept = s.get(PersonalDataRow, made.id)
        assert (kept.last_name, kept.phone) == ("Mme Roy", "0380000000")
    placed = acts.record_call(
        db,
        CallDraft("noise", "Musique", lat=47.2930, lon=5.0060),
        by="c.bernard",
        communes=communes(),
    )
    assert placed.commune == "21166"  # Chenôve, from the point
    with pytest.raises(InvalidInput):
        acts.record_call(db, CallDraft("noise", "Musique"), by="c.bernard", communes=communes())


def test_two_writers_adding_to_a_counter_row_not_yet_there_both_count(db):
    """The recorder's two lanes count into one stats row; their first batches must not clash.

    The second writer starts while the first has created the row but not committed it.
    """
    now = utcnow()

    def add(session, received: int) -> None:
        add_to_counters(
            session,
            RecorderStatsRow.__table__,
            {"recorder_id": "rec-lanes"},
            {"messages_received": received, "messages_quarantined": 1},
            {"updated_at": now},
        )

    failures: list[BaseException] = []

    def second_writer() -> None:
        try:
            with db.write() as session:
                add(session, 5)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)

    with db.write() as session:
        add(session, 3)
        other = threading.Thread(target=second_writer)
        other.start()
        other.join(timeout=0.5)  # it waits for our commit (PostgreSQL's row, SQLite's lock)
    other.join(timeout=30)
    assert not failures
    with db.read() as session:
        row = session.get(RecorderStatsRow, "rec-lanes")
        assert (row.messages_received, row.messages_quarantined) == (8, 2)


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ({"approve": ["admin"]}, "permissions.admin_operational"),
        ({"switch_snow": ["admin"]}, "permissions.admin_operational"),
        ({"manage_operators": ["supervisor"]}, "permissions.manager_not_admin"),
    ],
)
def test_a_matrix_mixing_the_admins_duties_is_never_put_in_force(db, extra, key):
    """On SQLite nothing but Vigie checks the matrix: the load itself refuses it, however made."""
    from services.domain.permissions import Act, MatrixError, read_matrix
    from services.permissions import load_matrix, load_rules
    from services.store import authority

    bundled = load_matrix()
    acts = {a.value: sorted(r.value for r in bundled.allowed[a]) for a in Act}
    for act, roles in extra.items():
        acts[act] += roles
    with pytest.raises(MatrixError) as refused, db.write() as s:
        operators.load_matrix(s, read_matrix({"acts": acts}, "city.toml"), load_rules(), by="root")
    assert refused.value.key == key
    with db.read() as s:
        assert authority.matrix_in_force(s).source != authority.IN_DATABASE  # none loaded
        assert audit.entries(s) == []


def test_rules_letting_a_role_change_go_alone_are_never_put_in_force(db):
    from dataclasses import replace

    from services.permissions import load_matrix, load_rules

    with pytest.raises(InvalidInput) as refused, db.write() as s:
        rules = replace(load_rules(), role_change=False)
        operators.load_matrix(s, load_matrix(), rules, by="root")
    assert refused.value.key == "approval.role_change_kept"
    with db.read() as s:
        assert audit.entries(s) == []


def test_get_many_reads_the_ids_that_exist_in_chunks_in_id_order(db):
    made = [_incident(db).id for _ in range(7)]
    with db.read() as session:
        got = incidents.get_many(session, [made[5], made[0], 999_999, made[3], made[0]], chunk=2)
    assert [i.id for i in got] == sorted([made[0], made[3], made[5]])
