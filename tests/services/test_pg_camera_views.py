"""PostgreSQL keeps camera views: opened, renewed and closed through its functions alone.

A private cluster that checks passwords (``tests/pg_scram.py``), as ``test_pg_authority.py``'s.
Each login is tried both through Vigie's services (logged in as itself, as the CLI and the
console are) and with plain SQL, as ``psql`` would: the database must refuse there what Vigie
refuses, mint the same tokens Vigie checks, and keep every view on the journal's chain.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from sqlalchemy import text

from services.domain import stream_tokens
from services.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from services.store import audit, camera_views, pg_authority
from tests.conftest import ROOM, ROOM_PASSWORD
from tests.pg_scram import SUPERUSER, Room, available, install_room, scram_cluster

pytestmark = pytest.mark.skipif(not available(), reason="no PostgreSQL server installed here")

PREFIX = "vigie_"
SECRET = b"vigie-demo-gateway-secret"
CAMERA, OTHER, NO_SECRET = "camera:21231-001", "camera:21231-002", "camera:21355-001"
RECORDER_PASSWORD = "enregistreur"
OPEN = "SELECT * FROM vigie_open_view(%s, %s, %s, 'psql', 15)"


@pytest.fixture(scope="module")
def room() -> Iterator[Room]:
    with scram_cluster() as cluster:
        db, name = install_room(cluster, PREFIX, RECORDER_PASSWORD)
        with db.write() as session:
            for ident, gateway in (
                (CAMERA, "gw-21231-01"),
                (OTHER, "gw-21231-01"),
                (NO_SECRET, "gw-21355-01"),
            ):
                session.execute(
                    text(
                        "INSERT INTO equipment (id, type, gateway, status, attributes, "
                        "outside_metropole, received_at, updated_at) VALUES (:id, 'Camera', "
                        ":gw, 'ok', '{}', false, now(), now())"
                    ),
                    {"id": ident, "gw": gateway},
                )
            session.execute(
                text(
                    "INSERT INTO incidents (id, source, category, priority, status, description, "
                    "created_at, updated_at, updated_by, version, alert_count) VALUES (7, "
                    "'call', 'accident', 1, 'new', '', now(), now(), 'c.bernard', 1, 0)"
                )
            )
        db.dispose()
        room = Room(cluster, name)
        with room.login("root") as admin:  # the admin loads the gateway's secret, from psql
            secrets = json.dumps({"gw-21231-01": base64.b64encode(SECRET).decode()})
            assert admin.execute(
                "SELECT vigie_load_stream_secrets('video-secrets.json', %s)", (secrets,)
            ).fetchone() == (1,)
            admin.commit()
        yield room


def _head(room: Room) -> int:
    with room.login(SUPERUSER, room.cluster.superuser_password) as owner:
        return owner.execute("SELECT seq FROM audit_chain").fetchone()[0]


def _written_since(room: Room, seq: int) -> list[tuple[str, str, str, dict]]:
    with room.login(SUPERUSER, room.cluster.superuser_password) as owner:
        rows = owner.execute(
            "SELECT operator, action, target, details FROM audit_log WHERE seq > %s ORDER BY seq",
            (seq,),
        ).fetchall()
    return [(o, a, t, json.loads(d)) for o, a, t, d in rows]


def _view(room: Room, view_id: int) -> tuple:
    with room.login(SUPERUSER, room.cluster.superuser_password) as owner:
        return owner.execute(
            "SELECT camera, viewer, purpose, incident_id, workstation, closed_because "
            "FROM camera_views WHERE id = %s",
            (view_id,),
        ).fetchone()


def _chain_verifies(room: Room) -> bool:
    db = room.owner()
    try:
        with db.read() as session:
            return audit.verify(session).ok
    finally:
        db.dispose()


def test_the_database_mints_the_documented_token_with_core_functions_only(room):
    """docs/video.md's test vector, minted by ``vigie_stream_token`` (as its owner)."""
    with room.login(SUPERUSER, room.cluster.superuser_password) as owner:
        token = owner.execute(
            "SELECT vigie_stream_token(%s, 'camera:21231-001', 'c.bernard', "
            "'2026-12-04T19:00:00Z')",
            (b"vigie-demo-gateway-secret",),
        ).fetchone()[0]
    expires = datetime(2026, 12, 4, 19, tzinfo=UTC)
    assert token == stream_tokens.mint(SECRET, CAMERA, "c.bernard", expires)
    assert token.startswith("eyJjYW1lcmEiOiJjYW1lcmE6MjEyMzEtMDAxIiwiZXhwIjoxNzk2NDEwODAw")


def test_a_dispatchers_login_opens_a_view_on_the_record_with_a_token_for_that_camera(room):
    head = _head(room)
    with room.vigie("c.bernard") as db, db.write() as session:
        opened = camera_views.open_view(session, CAMERA, "c.bernard", "accident", 7, "pc3")
    now = datetime.now(UTC)
    # The SQL token is the one Python checks: this camera, this viewer, until the expiry.
    assert stream_tokens.check(SECRET, opened.token, CAMERA, now) == "c.bernard"
    assert opened.token == stream_tokens.mint(SECRET, CAMERA, "c.bernard", opened.expires_at)
    with pytest.raises(stream_tokens.TokenRefused, match="other_camera"):
        stream_tokens.check(SECRET, opened.token, OTHER, now)
    with pytest.raises(stream_tokens.TokenRefused, match="expired"):
        stream_tokens.check(SECRET, opened.token, CAMERA, opened.expires_at)
    assert timedelta(minutes=14) < opened.expires_at - now <= timedelta(minutes=15)
    assert _view(room, opened.view_id) == (CAMERA, "c.bernard", "accident", 7, "pc3", None)
    assert _written_since(room, head) == [
        (
            "c.bernard",
            "camera.view_opened",
            CAMERA,
            {
                "view": opened.view_id,
                "camera": CAMERA,
                "purpose": "accident",
                "incident": 7,
                "workstation": "pc3",
                "expires_at": camera_views.iso_second(opened.expires_at),
            },
        )
    ]
    assert _chain_verifies(room)


def test_from_psql_a_video_operator_opens_a_view_and_a_technician_is_refused(room):
    with room.login("v.lambert") as video:
        view_id, token, expires = video.execute(OPEN, (OTHER, "ronde", None)).fetchone()
        video.commit()
    assert stream_tokens.check(SECRET, token, OTHER, datetime.now(UTC)) == "v.lambert"
    assert _view(room, view_id)[:3] == (OTHER, "v.lambert", "ronde")
    head = _head(room)
    for login in ("t.roux", "c.morel", "n.faure", "root"):  # no view_cameras in their roles
        with room.login(login) as connection:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="view_cameras"):
                connection.execute(OPEN, (CAMERA, "curiosité", None))
    with room.vigie("t.roux") as db:
        with pytest.raises(PermissionDenied) as refused, db.write() as session:
            camera_views.open_view(session, CAMERA, "t.roux", "maintenance", None, "pc5")
    assert refused.value.key == "permission.refused"
    assert _written_since(room, head) == []


@pytest.mark.parametrize("purpose", ["", "   ", None])
def test_a_view_without_a_purpose_is_refused_by_the_database(room, purpose):
    head = _head(room)
    with room.login("c.bernard") as dispatcher:
        with pytest.raises(psycopg.errors.InvalidParameterValue, match="purpose"):
            dispatcher.execute(OPEN, (CAMERA, purpose, None))
    with room.vigie("c.bernard") as db:
        with pytest.raises(InvalidInput) as refused, db.write() as session:
            camera_views.open_view(session, CAMERA, "c.bernard", purpose or "", None, "pc3")
    assert refused.value.key == "camera.no_purpose"
    assert _written_since(room, head) == []


def test_what_cannot_be_watched_is_refused_by_the_database_in_vigies_errors(room):
    with room.vigie("c.bernard") as db:
        for camera, incident, refusal in (
            ("camera:nowhere", None, NotFound),
            (NO_SECRET, None, Conflict),  # its gateway's secret was never loaded
            (CAMERA, 999, NotFound),
        ):
            with pytest.raises(refusal) as refused, db.write() as session:
                camera_views.open_view(session, camera, "c.bernard", "a", incident, "pc3")
            assert refused.value.key == "camera.database", refused.value


#: What an operator's login could try round the functions: read the secrets, write the views.
ROUND_THE_FUNCTIONS = (
    "SELECT * FROM stream_secrets",
    "UPDATE stream_secrets SET secret = 'x'",
    "INSERT INTO stream_secrets (gateway, secret) VALUES ('gw-x', 'x')",
    "INSERT INTO camera_views (camera, viewer, purpose, workstation, opened_at, expires_at) "
    "VALUES ('camera:21231-001', session_user, 'x', 'psql', now(), now() + interval '1 day')",
    "UPDATE camera_views SET expires_at = now() + interval '1 day'",
    "UPDATE camera_views SET closed_at = NULL, closed_because = NULL",
    "DELETE FROM camera_views",
    "SELECT vigie_stream_token('x', 'camera:21231-001', session_user, now())",
)


@pytest.mark.parametrize("statement", ROUND_THE_FUNCTIONS)
def test_no_login_reads_the_secrets_nor_writes_the_views_with_plain_sql(room, statement):
    logins = {name: ROOM_PASSWORD for name in ROOM}
    logins[pg_authority.recorder_role(PREFIX)] = RECORDER_PASSWORD
    for login, password in logins.items():
        with room.login(login, password) as connection:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)


def test_who_watched_what_is_read_by_auditors_and_supervisors_not_by_dispatchers(room):
    with room.vigie("c.bernard") as db, db.write() as session:
        opened = camera_views.open_view(session, CAMERA, "c.bernard", "lecture", None, "pc3")
    for login in ("n.faure", "s.petit"):
        with room.login(login) as reader:
            rows = reader.execute("SELECT id, viewer, purpose FROM camera_views").fetchall()
        assert (opened.view_id, "c.bernard", "lecture") in rows
        with room.vigie(login) as db, db.read() as session:
            assert opened.view_id in [v.id for v in camera_views.list_views(session, login)]
    for login in ("c.bernard", "v.lambert", "t.roux", "root"):
        with room.login(login) as connection:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute("SELECT count(*) FROM camera_views")


def test_a_view_is_renewed_and_closed_by_its_viewer_alone(room):
    with room.vigie("c.bernard") as db, db.write() as session:
        opened = camera_views.open_view(session, CAMERA, "c.bernard", "suivi", None, "pc3")
    close, renew = "SELECT vigie_close_view(%s, %s)", "SELECT * FROM vigie_renew_view(%s, 15)"
    for statement, args in ((close, (opened.view_id, "closed")), (renew, (opened.view_id,))):
        with room.login("m.dupont") as other:  # another dispatcher: not theirs
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="own views"):
                other.execute(statement, args)
    with room.login("c.bernard") as viewer:  # a console's death is the recorder's to say
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="recorder"):
            viewer.execute(close, (opened.view_id, "console_gone"))
    head = _head(room)
    with room.vigie("c.bernard") as db:
        with db.write() as session:
            token, until = camera_views.renew_view(session, opened.view_id, "c.bernard")
        assert stream_tokens.check(SECRET, token, CAMERA, datetime.now(UTC)) == "c.bernard"
        with db.write() as session:
            camera_views.close_view(session, opened.view_id, "closed", "c.bernard")
        with pytest.raises(Conflict), db.write() as session:
            camera_views.close_view(session, opened.view_id, "closed", "c.bernard")
        with pytest.raises(Conflict), db.write() as session:
            camera_views.renew_view(session, opened.view_id, "c.bernard")
    assert _view(room, opened.view_id)[-1] == "closed"
    assert [(o, a) for o, a, _, _ in _written_since(room, head)] == [
        ("c.bernard", "camera.view_renewed"),
        ("c.bernard", "camera.view_closed"),
    ]
    assert _chain_verifies(room)


def test_the_recorders_login_closes_views_past_their_limit_as_timed_out(room):
    with room.vigie("m.dupont") as db, db.write() as session:
        opened = camera_views.open_view(session, OTHER, "m.dupont", "suivi", None, "pc4", 1)
    recorder = pg_authority.recorder_role(PREFIX)
    with room.login(recorder, RECORDER_PASSWORD) as connection:  # never as its viewer would
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="recorder"):
            connection.execute("SELECT vigie_close_view(%s, 'closed')", (opened.view_id,))
    head = _head(room)
    later = datetime.now(UTC) + timedelta(minutes=2)  # the recorder's clock judges the limit
    with room.vigie(recorder, RECORDER_PASSWORD) as db:
        with db.write() as session:
            assert opened.view_id in camera_views.close_overdue(session, later)
        with db.write() as session:
            assert opened.view_id not in camera_views.close_overdue(session, later)
    assert _view(room, opened.view_id)[-1] == "timed_out"
    assert _written_since(room, head) == [
        (
            "system:recorder",
            "camera.view_closed",
            OTHER,
            {"view": opened.view_id, "viewer": "m.dupont", "because": "timed_out"},
        )
    ]
    assert _chain_verifies(room)


def test_only_an_admin_or_a_superuser_loads_the_secrets_and_the_journal_keeps_none(room):
    secrets = {"gw-21355-01": base64.b64encode(b"\x07" * 32).decode()}
    for login in ("s.petit", "c.bernard", "n.faure"):
        with room.login(login) as connection:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="stream secrets"):
                connection.execute(
                    "SELECT vigie_load_stream_secrets('f', %s)", (json.dumps(secrets),)
                )
    with room.login("root") as admin:
        with pytest.raises(psycopg.errors.InvalidParameterValue, match="1 to 64 bytes"):
            admin.execute(
                "SELECT vigie_load_stream_secrets('f', %s)", (json.dumps({"gw-x": "%%%"}),)
            )
    head = _head(room)
    with room.vigie("root") as db, db.write() as session:
        assert camera_views.load_secrets(session, {"gw-21355-01": b"\x07" * 32}, "f", "root") == 1
    with room.vigie("c.bernard") as db, db.write() as session:
        opened = camera_views.open_view(session, NO_SECRET, "c.bernard", "a", None, "pc3")
    assert stream_tokens.check(b"\x07" * 32, opened.token, NO_SECRET, datetime.now(UTC))
    written = _written_since(room, head)
    assert written[0] == ("root", "video.secrets_load", "f", {"gateways": ["gw-21355-01"]})
    assert secrets["gw-21355-01"] not in json.dumps(written)


def test_the_installers_login_writes_views_as_vigie_does_on_sqlite(room):
    """The schema's owner or a superuser (outside the guarantees): the ``db`` fixture's login."""
    db = room.owner()
    try:
        with db.write() as session:
            opened = camera_views.open_view(session, CAMERA, "s.petit", "contrôle", None, "pc1")
            camera_views.load_secrets(session, {"gw-21231-01": SECRET}, "again", "root")
        with db.write() as session:
            camera_views.close_view(session, opened.view_id, "closed", "s.petit")
    finally:
        db.dispose()
    assert stream_tokens.check(SECRET, opened.token, CAMERA, datetime.now(UTC)) == "s.petit"
    assert _view(room, opened.view_id)[-1] == "closed"
    assert _chain_verifies(room)


def _vigie(room: Room, *argv: str, operator: str, password: str = ROOM_PASSWORD):
    """``vigie`` from a shell against this cluster, as ``operator``: (status, out, err)."""
    import os
    import subprocess
    import sys

    url = room.cluster.url(SUPERUSER, room.cluster.superuser_password, room.database)
    env = {
        **os.environ,
        "VIGIE_DB_URL": url,  # the installer's URL: the operator in effect logs in as itself
        "VIGIE_OPERATOR": operator,
        "VIGIE_PASSWORD": password,
        "VIGIE_CONFIG": "/nonexistent/vigie.toml",
        "LC_ALL": "C",
    }
    done = subprocess.run(
        [sys.executable, "-m", "console", *argv],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return done.returncode, done.stdout, done.stderr


def test_from_a_shell_the_database_answers_who_may_read_views_and_load_secrets(room, tmp_path):
    with room.vigie("c.bernard") as db, db.write() as session:
        opened = camera_views.open_view(session, CAMERA, "c.bernard", "depuis le shell", 7, "pc3")
    status, out, err = _vigie(
        room, "audit", "views", "--camera", CAMERA, "--json", operator="n.faure"
    )
    assert status == 0, err
    row = next(r for r in json.loads(out) if r["id"] == opened.view_id)
    assert (row["viewer"], row["purpose"], row["incident_id"]) == (
        "c.bernard",
        "depuis le shell",
        7,
    )
    status, out, err = _vigie(room, "audit", "views", operator="c.bernard")
    assert status == 5 and out == "", err
    secrets = tmp_path / "video-secrets.json"
    secrets.write_text(json.dumps({"gw-21231-01": base64.b64encode(SECRET).decode()}))
    secrets.chmod(0o600)
    status, _, err = _vigie(room, "video", "secrets", "load", str(secrets), operator="s.petit")
    assert status == 5, err
    status, out, err = _vigie(room, "video", "secrets", "load", str(secrets), operator="root")
    assert status == 0 and "1 gateway" in out, err
    status, out, err = _vigie(room, "query", "equipment", "--streams", operator="t.roux")
    assert status == 5, err
