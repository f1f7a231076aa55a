"""The Open311 service's own identity on PostgreSQL: public views and one definer, nothing else.

A private cluster that checks passwords (``tests/pg_scram.py``). The service logs in as
``vigie_opendata``: through Vigie it records and reads requests; with plain SQL, as ``psql``
would, it reads no incident, no personal data and no internal note, and writes nothing but
through ``vigie_record_request``, which no operator may call.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from starlette.testclient import TestClient

from services.opendata.app import make_app
from services.store import incidents, open311
from services.store.database import Database
from tests.pg_scram import SUPERUSER, Room, available, install_room, scram_cluster

pytestmark = pytest.mark.skipif(not available(), reason="no PostgreSQL server installed here")

PREFIX = "vigie_"
SERVICE = "vigie_opendata"
SERVICE_PASSWORD = "citoyens-21"
V2 = "/open311/v2"


@pytest.fixture(scope="module")
def room() -> Iterator[Room]:
    with scram_cluster() as cluster:
        db, name = install_room(cluster, PREFIX, "enregistreur")
        db.dispose()
        room = Room(cluster, name)
        with room.login(SUPERUSER, cluster.superuser_password) as owner:
            owner.execute(
                "SELECT vigie_operator_set_password(%s, %s)",
                (SERVICE, _verifier(owner, SERVICE_PASSWORD)),
            )
            owner.commit()
        yield room


def _verifier(connection: psycopg.Connection, password: str) -> str:
    """Hashed by the client, as Vigie hashes every password it sets."""
    hashed = connection.pgconn.encrypt_password(
        password.encode(), SERVICE.encode(), b"scram-sha-256"
    )
    return hashed.decode()


@pytest.fixture(scope="module")
def key(room: Room) -> str:
    with room.vigie("root") as admin, admin.write() as session:
        return open311.add_key(session, "citizen-app", by="root")


@pytest.fixture
def service(room: Room) -> Iterator[Database]:
    with room.vigie(SERVICE, SERVICE_PASSWORD) as db:
        yield db


def test_the_service_records_and_reads_through_vigie_as_its_own_login(room, service, key):
    app = make_app(service, describe=lambda e: e.key)
    with TestClient(app) as client:
        posted = client.post(
            f"{V2}/requests.json",
            data={
                "api_key": key,
                "service_code": "bruit",
                "lat": "47.33",
                "long": "5.05",
                "description": "Musique forte chaque nuit",
                "phone": "+33 6 00 11 22 33",
            },
        )
        assert posted.status_code == 201, posted.text
        ident = posted.json()[0]["service_request_id"]
        (read,) = client.get(f"{V2}/requests/{ident}.json").json()
    assert read["status"] == "open" and read["description"] == "Musique forte chaque nuit"
    with room.login(SUPERUSER, room.cluster.superuser_password) as owner:
        made = owner.execute(
            "SELECT i.id, i.source, i.updated_by, p.phone FROM incidents i "
            "JOIN personal_data p ON p.incident_id = i.id WHERE i.source_ref = %s",
            (ident,),
        ).fetchall()
        audited = owner.execute(
            "SELECT operator FROM audit_log WHERE action = 'incident.create' AND target = %s",
            (f"incident:{made[0][0]}",),
        ).fetchall()
    number = int(ident.removeprefix("V-"))
    assert made == [(number, "report", "system:opendata", "+33 6 00 11 22 33")]
    assert audited == [("system:opendata",)]
    # A dispatcher's public note reaches the citizen through the service's view.
    with room.vigie("c.bernard") as dispatcher, dispatcher.write() as session:
        note = "Une patrouille passera ce soir"
        incidents.add_note(session, made[0][0], note, by="c.bernard", public=True)
    with service.read() as session:
        assert open311.public_request(session, ident).status_notes == note


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM incidents",
        "SELECT * FROM personal_data",
        "SELECT * FROM incident_notes",
        "SELECT * FROM open311_requests",
        "SELECT * FROM audit_log",
        "INSERT INTO incidents (source, category, priority, status, description, created_at, "
        "updated_at, updated_by, version, alert_count) VALUES ('report', 'x', 3, 'new', '', "
        "now(), now(), 'system:opendata', 1, 0)",
        "INSERT INTO open311_keys (name, key_hash, rate_exempt, created_at, created_by) "
        "VALUES ('mine', 'x', true, now(), 'me')",
        "UPDATE incident_notes SET public = true",
    ],
)
def test_the_service_login_reads_and_writes_nothing_else(room, statement):
    with room.login(SERVICE, SERVICE_PASSWORD) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(statement)


def test_the_service_login_reads_the_public_views(room, key):
    with room.login(SERVICE, SERVICE_PASSWORD) as connection:
        for view in ("open311_public_requests", "open311_public_notes", "open311_public_photos"):
            connection.execute(f"SELECT * FROM {view}").fetchall()
        assert connection.execute("SELECT count(*) FROM open311_keys").fetchone()[0] >= 1


@pytest.mark.parametrize("operator", ["c.bernard", "s.petit", "root"])
def test_no_operator_records_a_request_through_the_services_function(room, operator):
    with room.login(operator) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(
                "SELECT * FROM vigie_record_request(%s::jsonb)",
                ('{"category": "noise", "service_code": "bruit", "priority": 3}',),
            )


def test_only_the_owner_sets_the_services_password(room):
    with room.login("root") as admin:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            admin.execute(
                "SELECT vigie_operator_set_password(%s, %s)",
                (SERVICE, _verifier(admin, "taken-over")),
            )


def test_the_function_refuses_what_no_request_is(room):
    with room.login(SERVICE, SERVICE_PASSWORD) as connection:
        for body in (
            "[]",
            '{"category": "noise", "service_code": "bruit", "priority": 9, "lat": 47, "lon": 5}',
            '{"category": "", "service_code": "bruit", "priority": 3, "lat": 47, "lon": 5}',
            '{"category": "noise", "service_code": "bruit", "priority": 3, "lat": 147, "lon": 5}',
            '{"category": "noise", "service_code": "bruit", "priority": 3, "lat": 47, "lon": 5, '
            '"photo": "PHN2Zz4=", "photo_type": "image/svg+xml"}',
        ):
            with pytest.raises(psycopg.errors.InvalidParameterValue):
                connection.execute("SELECT * FROM vigie_record_request(%s::jsonb)", (body,))
            connection.rollback()


def test_the_keys_are_the_admins_and_the_services_not_the_recorders(room, key):
    with room.login("vigie_recorder", "enregistreur") as recorder:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            recorder.execute("SELECT key_hash FROM open311_keys")
    with room.login("c.bernard") as dispatcher:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            dispatcher.execute("SELECT key_hash FROM open311_keys")
    with room.login(SERVICE, SERVICE_PASSWORD) as service:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            service.execute("SELECT created_by FROM open311_keys")  # only what it checks by
