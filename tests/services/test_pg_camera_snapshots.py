"""PostgreSQL keeps camera snapshots: recorded through its function alone, purged by the recorder.

A private cluster that checks passwords (``tests/pg_scram.py``), as ``test_pg_camera_views.py``'s.
Each login is tried through Vigie's services (logged in as itself) and with plain SQL, as
``psql`` would: a snapshot is recorded only by ``vigie_record_snapshot``, in its viewer's open
view, with its journal entry; no login inserts one; the recorder only says when it purged one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from sqlalchemy import text

from services.domain.errors import Conflict, InvalidInput, PermissionDenied
from services.domain.retention import Retention
from services.domain.snapshots import file_name
from services.recorder import retention
from services.store import audit, camera_snapshots, camera_views, pg_authority
from services.store.database import Database
from tests.conftest import ROOM, ROOM_PASSWORD
from tests.pg_scram import SUPERUSER, Room, available, install_room, scram_cluster

pytestmark = pytest.mark.skipif(not available(), reason="no PostgreSQL server installed here")

PREFIX = "vigie_"
SECRET = b"vigie-demo-gateway-secret"
CAMERA, OTHER = "camera:21231-001", "camera:21231-002"
RECORDER_PASSWORD = "enregistreur"
RECORD = "SELECT * FROM vigie_record_snapshot(%s, %s, %s, %s)"
DIGEST = hashlib.sha256(b"a picture").hexdigest()


@pytest.fixture(scope="module")
def room() -> Iterator[Room]:
    with scram_cluster() as cluster:
        db, name = install_room(cluster, PREFIX, RECORDER_PASSWORD)
        with db.write() as session:
            for ident in (CAMERA, OTHER):
                session.execute(
                    text(
                        "INSERT INTO equipment (id, type, gateway, status, attributes, "
                        "outside_metropole, received_at, updated_at) VALUES (:id, 'Camera', "
                        "'gw-21231-01', 'ok', '{}', false, now(), now())"
                    ),
                    {"id": ident},
                )
        db.dispose()
        room = Room(cluster, name)
        with room.login("root") as admin:
            secrets = json.dumps({"gw-21231-01": base64.b64encode(SECRET).decode()})
            admin.execute("SELECT vigie_load_stream_secrets('video-secrets.json', %s)", (secrets,))
            admin.commit()
        yield room


def _owner(room: Room):
    return room.login(SUPERUSER, room.cluster.superuser_password)


def _head(room: Room) -> int:
    with _owner(room) as owner:
        return owner.execute("SELECT seq FROM audit_chain").fetchone()[0]


def _written_since(room: Room, seq: int) -> list[tuple[str, str, str, dict]]:
    with _owner(room) as owner:
        rows = owner.execute(
            "SELECT operator, action, target, details FROM audit_log WHERE seq > %s ORDER BY seq",
            (seq,),
        ).fetchall()
    return [(o, a, t, json.loads(d)) for o, a, t, d in rows]


def _snapshot(room: Room, snapshot_id: int) -> tuple:
    with _owner(room) as owner:
        return owner.execute(
            "SELECT view_id, camera, taken_by, file_name, sha256, size, purged_at "
            "FROM camera_snapshots WHERE id = %s",
            (snapshot_id,),
        ).fetchone()


def _count(room: Room) -> int:
    with _owner(room) as owner:
        return owner.execute("SELECT count(*) FROM camera_snapshots").fetchone()[0]


def _chain_verifies(room: Room) -> bool:
    db = room.owner()
    try:
        with db.read() as session:
            return audit.verify(session).ok
    finally:
        db.dispose()


def _open(room: Room, viewer: str = "c.bernard", camera: str = CAMERA, minutes: int = 15) -> int:
    with room.vigie(viewer) as db, db.write() as session:
        return camera_views.open_view(
            session, camera, viewer, "suivi", None, "pc3", minutes
        ).view_id


def _name(view_id: int, camera: str = CAMERA) -> str:
    return file_name(camera, datetime.now(UTC), view_id)


def _record(room: Room, view_id: int, viewer: str = "c.bernard", name: str | None = None):
    with room.vigie(viewer) as db, db.write() as session:
        return camera_snapshots.record_snapshot(
            session, view_id, viewer, name or _name(view_id), DIGEST, 4242
        )


def test_a_viewers_login_records_a_snapshot_through_the_database_on_the_chain(room):
    view_id = _open(room)
    name = _name(view_id)
    head = _head(room)
    recorded = _record(room, view_id, name=name)
    assert abs(recorded.taken_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert _snapshot(room, recorded.snapshot_id) == (
        view_id, CAMERA, "c.bernard", name, DIGEST, 4242, None,
    )  # fmt: skip
    assert _written_since(room, head) == [
        (
            "c.bernard",
            "camera.snapshot",
            CAMERA,
            {
                "snapshot": recorded.snapshot_id,
                "view": view_id,
                "camera": CAMERA,
                "file": name,
                "sha256": DIGEST,
            },
        )
    ]
    assert _chain_verifies(room)


def test_from_psql_a_role_without_view_cameras_cannot_record_one(room):
    view_id = _open(room)
    head, count = _head(room), _count(room)
    for login in ("t.roux", "c.morel", "n.faure", "root"):
        with room.login(login) as connection:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="view_cameras"):
                connection.execute(RECORD, (view_id, _name(view_id), DIGEST, 10))
    with room.vigie("t.roux") as db:
        with pytest.raises(PermissionDenied) as refused, db.write() as session:
            camera_snapshots.record_snapshot(session, view_id, "t.roux", _name(view_id), DIGEST, 10)
    assert refused.value.key == "permission.refused"
    recorder = pg_authority.recorder_role(PREFIX)
    with room.login(recorder, RECORDER_PASSWORD) as connection:  # not even granted it
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="vigie_record_snapshot"):
            connection.execute(RECORD, (view_id, _name(view_id), DIGEST, 10))
    assert _written_since(room, head) == [] and _count(room) == count


def test_the_database_records_one_only_in_its_viewers_open_view(room):
    view_id = _open(room)
    closed = _open(room)
    with room.vigie("c.bernard") as db, db.write() as session:
        camera_views.close_view(session, closed, "closed", "c.bernard")
    head, count = _head(room), _count(room)
    with room.login("m.dupont") as other:  # another dispatcher: not their view
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="own views"):
            other.execute(RECORD, (view_id, _name(view_id), DIGEST, 10))
    with room.login("c.bernard") as viewer:
        with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState, match="is over"):
            viewer.execute(RECORD, (closed, _name(closed), DIGEST, 10))
    with room.login("c.bernard") as viewer:
        with pytest.raises(psycopg.errors.NoDataFound):
            viewer.execute(RECORD, (999_999, _name(999_999), DIGEST, 10))
    for name, digest, size in (
        ("../evil.png", DIGEST, 10),
        ("a/b.png", DIGEST, 10),
        ("x.png", DIGEST.upper(), 10),
        ("x.png", DIGEST, 0),
    ):
        with room.login("c.bernard") as viewer:
            with pytest.raises(psycopg.errors.InvalidParameterValue):
                viewer.execute(RECORD, (view_id, name, digest, size))
    with room.vigie("c.bernard") as db:
        with pytest.raises(Conflict) as over, db.write() as session:
            camera_snapshots.record_snapshot(
                session, closed, "c.bernard", _name(closed), DIGEST, 10
            )
        assert over.value.key == "camera.database" and "is over" in over.value.params["reason"]
        with pytest.raises(InvalidInput), db.write() as session:
            camera_snapshots.record_snapshot(session, view_id, "c.bernard", "a/b.png", DIGEST, 1)
    assert _written_since(room, head) == [] and _count(room) == count
    name = _name(view_id)
    _record(room, view_id, name=name)
    with room.vigie("c.bernard") as db:
        with pytest.raises(Conflict), db.write() as session:  # a file is recorded once
            camera_snapshots.record_snapshot(session, view_id, "c.bernard", name, DIGEST, 1)


def _logins() -> dict[str, str]:
    logins = {name: ROOM_PASSWORD for name in ROOM}
    logins[pg_authority.recorder_role(PREFIX)] = RECORDER_PASSWORD
    return logins


#: What a login could try round the function: write a snapshot's row itself.
ROUND_THE_FUNCTION = (
    "INSERT INTO camera_snapshots (view_id, camera, taken_by, taken_at, file_name, sha256, size) "
    "SELECT id, camera, viewer, now(), 'forged-' || id || '.png', repeat('0', 64), 1 "
    "FROM camera_views LIMIT 1",
    "INSERT INTO camera_snapshots (view_id, camera, taken_by, taken_at, file_name, sha256, size) "
    "VALUES (1, 'camera:21231-001', session_user, now(), 'forged.png', repeat('0', 64), 1)",
    "UPDATE camera_snapshots SET sha256 = repeat('0', 64)",
    "UPDATE camera_snapshots SET file_name = 'other.png', taken_at = now()",
    "DELETE FROM camera_snapshots",
)


@pytest.mark.parametrize("statement", ROUND_THE_FUNCTION)
def test_no_login_writes_a_snapshots_row_with_plain_sql(room, statement):
    _record(room, _open(room))
    for login, password in _logins().items():
        with room.login(login, password) as connection:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)


def test_only_the_recorder_sets_purged_at_and_only_once(room):
    recorded = _record(room, _open(room))
    purge = "UPDATE camera_snapshots SET purged_at = now() WHERE id = %s"
    for login in ROOM:
        with room.login(login) as connection:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(purge, (recorded.snapshot_id,))
    recorder = pg_authority.recorder_role(PREFIX)
    with room.login(recorder, RECORDER_PASSWORD) as connection:
        assert connection.execute(purge, (recorded.snapshot_id,)).rowcount == 1
        connection.commit()
    assert _snapshot(room, recorded.snapshot_id)[-1] is not None
    for again in (
        "UPDATE camera_snapshots SET purged_at = NULL WHERE id = %s",  # kept again: no
        "UPDATE camera_snapshots SET purged_at = now() + interval '1 day' WHERE id = %s",
    ):
        with room.login(recorder, RECORDER_PASSWORD) as connection:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="purged"):
                connection.execute(again, (recorded.snapshot_id,))


def test_the_recorders_retention_deletes_a_month_old_file_and_marks_its_row(room, tmp_path):
    old = _record(room, _open(room))
    young = _record(room, _open(room, "m.dupont", OTHER), "m.dupont")
    with _owner(room) as owner:  # a month ago (the installer's hand: the function dates by now)
        owner.execute(
            "UPDATE camera_snapshots SET taken_at = now() - interval '31 days' WHERE id = %s",
            (old.snapshot_id,),
        )
        owner.execute(
            "UPDATE camera_snapshots SET taken_at = now() - interval '29 days' WHERE id = %s",
            (young.snapshot_id,),
        )
        owner.commit()
        names = dict(owner.execute("SELECT id, file_name FROM camera_snapshots").fetchall())
    for snapshot_id in (old.snapshot_id, young.snapshot_id):
        (tmp_path / names[snapshot_id]).write_bytes(b"png")
    recorder = pg_authority.recorder_role(PREFIX)
    head = _head(room)
    with room.vigie(recorder, RECORDER_PASSWORD) as db, db.write() as session:
        counts = retention.purge(session, datetime.now(UTC), Retention(), tmp_path)
    assert counts["snapshots"] >= 1
    assert not (tmp_path / names[old.snapshot_id]).exists()
    assert (tmp_path / names[young.snapshot_id]).exists()
    assert _snapshot(room, old.snapshot_id)[-1] is not None
    assert _snapshot(room, young.snapshot_id)[-1] is None
    assert _written_since(room, head) == []


def test_who_took_what_is_read_by_auditors_and_supervisors_not_by_others(room):
    recorded = _record(room, _open(room))
    for login in ("n.faure", "s.petit"):
        with room.vigie(login) as db, db.read() as session:
            listed = camera_snapshots.list_snapshots(session, login)
        assert recorded.snapshot_id in [s.id for s in listed]
        assert {s.purpose for s in listed} == {"suivi"}
    for login in ("c.bernard", "v.lambert", "t.roux", "root"):
        with room.login(login) as connection:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute("SELECT count(*) FROM camera_snapshots")


def test_the_installers_login_records_as_vigie_does_on_sqlite(room):
    """The schema's owner or a superuser (outside the guarantees): the ``db`` fixture's login."""
    view_id = _open(room, "s.petit")
    db = room.owner()
    try:
        with db.write() as session:
            recorded = camera_snapshots.record_snapshot(
                session, view_id, "s.petit", _name(view_id), DIGEST, 7
            )
        with pytest.raises(PermissionDenied), db.write() as session:
            camera_snapshots.record_snapshot(
                session, view_id, "c.bernard", _name(view_id), DIGEST, 7
            )
    finally:
        db.dispose()
    assert _snapshot(room, recorded.snapshot_id)[2] == "s.petit"
    assert _chain_verifies(room)


def test_the_migration_adds_the_snapshots_and_takes_them_back_on_postgresql(room):
    from sqlalchemy import inspect

    from services.store.schema import HEAD, current_revision, upgrade
    from tests.migrations import downgrade

    name = f"vigie_{uuid.uuid4().hex[:6]}"
    bare = Database(room.cluster.create_database(name))
    try:
        upgrade(bare)
        assert "camera_snapshots" in inspect(bare.engine).get_table_names()
        downgrade(bare, "0013")
        assert current_revision(bare) == "0013"
        assert "camera_snapshots" not in inspect(bare.engine).get_table_names()
        upgrade(bare)
        assert current_revision(bare) == HEAD
    finally:
        bare.dispose()


def _vigie(room: Room, *argv: str, operator: str):
    """``vigie`` from a shell against this cluster, as ``operator``: (status, out, err)."""
    import os
    import subprocess
    import sys

    url = room.cluster.url(SUPERUSER, room.cluster.superuser_password, room.database)
    env = {
        **os.environ,
        "VIGIE_DB_URL": url,  # the installer's URL: the operator in effect logs in as itself
        "VIGIE_OPERATOR": operator,
        "VIGIE_PASSWORD": ROOM_PASSWORD,
        "VIGIE_CONFIG": "/nonexistent/vigie.toml",
        "LC_ALL": "C",
    }
    done = subprocess.run(
        [sys.executable, "-m", "console", *argv],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return done.returncode, done.stdout, done.stderr


def test_from_a_shell_the_database_answers_who_may_read_the_snapshots(room):
    recorded = _record(room, _open(room))
    status, out, err = _vigie(
        room, "audit", "snapshots", "--camera", CAMERA, "--json", operator="n.faure"
    )
    assert status == 0, err
    row = next(r for r in json.loads(out) if r["id"] == recorded.snapshot_id)
    assert (row["taken_by"], row["purpose"], row["sha256"], row["purged_at"]) == (
        "c.bernard", "suivi", DIGEST, None,
    )  # fmt: skip
    status, out, err = _vigie(room, "audit", "snapshots", operator="c.bernard")
    assert status == 5 and out == "", err
