"""Camera views on the record (issue 18, "Purpose and trace"), through Vigie's services.

On SQLite Vigie is the authority; on PostgreSQL (``db``'s second backend) the URL's login is the
installer's and writes as SQLite does. How the database keeps them against operators' logins
and psql is ``test_pg_camera_views.py``'s.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from services.domain import stream_tokens
from services.domain.camera_views import STREAM_URL
from services.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from services.domain.operators import RECORDER
from services.store import audit, camera_views
from services.store.models import CameraViewRow, EquipmentRow, IncidentRow, StreamSecretRow
from services.store.types import utcnow

SECRET = b"vigie-demo-gateway-secret"
CAMERA, OTHER, NO_SECRET = "camera:21231-001", "camera:21231-002", "camera:21355-001"
STREAM = "http://127.0.0.1:8554/cameras/camera:21231-001/stream"


@pytest.fixture
def room(db):
    """Three cameras (one on a gateway without a secret), a street light and an incident."""
    now = utcnow()
    with db.write() as session:
        for ident, kind, gateway in (
            (CAMERA, "Camera", "gw-21231-01"),
            (OTHER, "Camera", "gw-21231-01"),
            (NO_SECRET, "Camera", "gw-21355-01"),
            ("light:1", "Streetlight", "gw-21231-01"),
        ):
            attributes = {STREAM_URL: STREAM, "preset": 1} if kind == "Camera" else {}
            session.add(
                EquipmentRow(
                    id=ident,
                    type=kind,
                    gateway=gateway,
                    status="ok",
                    commune="21231",
                    attributes=attributes,
                    received_at=now,
                    updated_at=now,
                )
            )
        session.add(StreamSecretRow(gateway="gw-21231-01", secret=SECRET))
        session.add(
            IncidentRow(
                id=7,
                source="call",
                category="accident",
                priority=1,
                status="new",
                created_at=now,
                updated_at=now,
                updated_by="c.bernard",
                version=1,
            )
        )
    return db


def _entries(db, since: int = 0):
    with db.read() as session:
        return [
            (e.operator, e.action, e.target, json.loads(e.details))
            for e in audit.entries(session, since_seq=since)
        ]


def _head(db) -> int:
    with db.read() as session:
        head = audit.head(session)
    return head.seq if head else 0


def _count(db) -> int:
    with db.read() as session:
        return session.execute(select(func.count()).select_from(CameraViewRow)).scalar_one()


def test_a_dispatcher_opens_a_view_for_a_purpose_on_the_record(room):
    with room.write() as session:
        opened = camera_views.open_view(
            session, CAMERA, "c.bernard", " accident au carrefour ", 7, "pc3"
        )
    now = datetime.now(UTC)
    assert timedelta(minutes=14) < opened.expires_at - now <= timedelta(minutes=15)
    assert opened.expires_at.microsecond == 0  # whole seconds, as the token's
    # The token opens this camera, for this viewer, until the view's expiry, and nothing else.
    assert stream_tokens.check(SECRET, opened.token, CAMERA, now) == "c.bernard"
    for camera, at, reason in (
        (OTHER, now, stream_tokens.OTHER_CAMERA),
        (CAMERA, opened.expires_at, stream_tokens.EXPIRED),
    ):
        with pytest.raises(stream_tokens.TokenRefused) as refused:
            stream_tokens.check(SECRET, opened.token, camera, at)
        assert refused.value.reason == reason
    with room.read() as session:
        row = session.get(CameraViewRow, opened.view_id)
    assert (row.camera, row.viewer, row.purpose, row.incident_id, row.workstation) == (
        CAMERA, "c.bernard", "accident au carrefour", 7, "pc3",
    )  # fmt: skip
    assert row.closed_at is None and row.expires_at == opened.expires_at
    assert _entries(room) == [
        (
            "c.bernard",
            "camera.view_opened",
            CAMERA,
            {
                "view": opened.view_id,
                "camera": CAMERA,
                "purpose": "accident au carrefour",
                "incident": 7,
                "workstation": "pc3",
                "expires_at": camera_views.iso_second(opened.expires_at),
            },
        )
    ]


@pytest.mark.parametrize(
    ("viewer", "purpose", "refusal", "key"),
    [
        ("t.roux", "maintenance", PermissionDenied, "permission.refused"),  # a technician
        ("n.faure", "contrôle", PermissionDenied, "permission.refused"),  # an auditor reads only
        ("c.bernard", "", InvalidInput, "camera.no_purpose"),
        ("c.bernard", "   ", InvalidInput, "camera.no_purpose"),
    ],
)
def test_a_view_is_refused_to_roles_without_the_act_and_without_a_purpose(
    room, viewer, purpose, refusal, key
):
    with pytest.raises(refusal) as refused, room.write() as session:
        camera_views.open_view(session, CAMERA, viewer, purpose, None, "pc3")
    assert refused.value.key == key
    assert _count(room) == 0 and _entries(room) == []


def test_a_video_operator_and_a_supervisor_may_open_views_too(room):
    for viewer in ("v.lambert", "s.petit"):
        with room.write() as session:
            opened = camera_views.open_view(
                session, OTHER, viewer, "patrouille vidéo", None, "csu1"
            )
        assert stream_tokens.check(SECRET, opened.token, OTHER, utcnow()) == viewer


@pytest.mark.parametrize(
    ("camera", "incident", "minutes", "refusal", "key"),
    [
        ("light:1", None, 15, NotFound, "camera.unknown"),
        ("camera:nowhere", None, 15, NotFound, "camera.unknown"),
        (NO_SECRET, None, 15, Conflict, "camera.no_secret"),
        (CAMERA, 999, 15, NotFound, "incident.unknown"),
        (CAMERA, None, 0, InvalidInput, "camera.bad_minutes"),
        (CAMERA, None, 61, InvalidInput, "camera.bad_minutes"),
    ],
)
def test_a_view_of_what_cannot_be_watched_is_refused(room, camera, incident, minutes, refusal, key):
    with pytest.raises(refusal) as refused, room.write() as session:
        camera_views.open_view(
            session, camera, "c.bernard", "vérification", incident, "pc3", minutes
        )
    assert refused.value.key == key
    assert _count(room) == 0 and _entries(room) == []


def test_a_view_is_renewed_and_closed_by_its_viewer_alone_each_on_the_record(room):
    start = utcnow()
    with room.write() as session:
        opened = camera_views.open_view(
            session, CAMERA, "c.bernard", "suivi", None, "pc3", now=start
        )
    head = _head(room)
    with pytest.raises(PermissionDenied), room.write() as session:
        camera_views.renew_view(session, opened.view_id, "m.dupont")  # another dispatcher
    with pytest.raises(PermissionDenied), room.write() as session:
        camera_views.close_view(session, opened.view_id, "closed", "m.dupont")
    later = start + timedelta(minutes=10)
    with room.write() as session:
        token, until = camera_views.renew_view(session, opened.view_id, "c.bernard", now=later)
    assert until == (later + timedelta(minutes=15)).replace(microsecond=0)
    assert stream_tokens.check(SECRET, token, CAMERA, opened.expires_at) == "c.bernard"
    with pytest.raises(PermissionDenied), room.write() as session:  # the recorder's to say
        camera_views.close_view(session, opened.view_id, "console_gone", "c.bernard")
    with pytest.raises(PermissionDenied), room.write() as session:  # it has not run out
        camera_views.close_view(session, opened.view_id, "timed_out", "c.bernard")
    with pytest.raises(InvalidInput), room.write() as session:
        camera_views.close_view(session, opened.view_id, "bored", "c.bernard")
    with room.write() as session:
        closed = camera_views.close_view(session, opened.view_id, "closed", "c.bernard")
    with pytest.raises(Conflict), room.write() as session:
        camera_views.close_view(session, opened.view_id, "closed", "c.bernard")
    with pytest.raises(Conflict), room.write() as session:
        camera_views.renew_view(session, opened.view_id, "c.bernard")
    with room.read() as session:
        row = session.get(CameraViewRow, opened.view_id)
    assert (row.closed_at, row.closed_because) == (closed, "closed")
    assert _entries(room, head) == [
        (
            "c.bernard",
            "camera.view_renewed",
            CAMERA,
            {"view": opened.view_id, "expires_at": camera_views.iso_second(until)},
        ),
        (
            "c.bernard",
            "camera.view_closed",
            CAMERA,
            {"view": opened.view_id, "viewer": "c.bernard", "because": "closed"},
        ),
    ]


def test_a_viewer_whose_role_lost_the_act_still_closes_their_view_but_renews_none(room):
    from services.store.models import OperatorRow

    with room.write() as session:
        opened = camera_views.open_view(session, CAMERA, "c.bernard", "suivi", None, "pc3")
    with room.write() as session:  # re-roled while watching (the row, as an approval leaves it)
        session.get(OperatorRow, "c.bernard").role = "technician"
    with pytest.raises(PermissionDenied), room.write() as session:
        camera_views.renew_view(session, opened.view_id, "c.bernard")
    with room.write() as session:
        camera_views.close_view(session, opened.view_id, "closed", "c.bernard")


def test_the_recorders_sweep_closes_views_past_their_limit_as_timed_out(room):
    start = utcnow()
    with room.write() as session:
        short = camera_views.open_view(session, CAMERA, "c.bernard", "a", None, "pc3", 1, now=start)
        long = camera_views.open_view(session, OTHER, "m.dupont", "b", None, "pc4", 30, now=start)
    head = _head(room)
    with room.write() as session:
        assert camera_views.close_overdue(session, start + timedelta(seconds=30)) == []
    with room.write() as session:
        assert camera_views.close_overdue(session, start + timedelta(minutes=2)) == [short.view_id]
    with room.write() as session:  # once only
        assert camera_views.close_overdue(session, start + timedelta(minutes=3)) == []
    with room.read() as session:
        rows = {r.id: r for r in session.execute(select(CameraViewRow)).scalars()}
    assert rows[short.view_id].closed_because == "timed_out"
    assert rows[long.view_id].closed_at is None
    assert _entries(room, head) == [
        (
            RECORDER,
            "camera.view_closed",
            CAMERA,
            {"view": short.view_id, "viewer": "c.bernard", "because": "timed_out"},
        )
    ]
    with pytest.raises(PermissionDenied), room.write() as session:  # only its viewer says closed
        camera_views.close_view(session, long.view_id, "closed", RECORDER)


def test_the_views_of_a_console_that_died_are_closed_as_console_gone(room):
    with room.write() as session:
        gone = camera_views.open_view(session, CAMERA, "c.bernard", "a", None, "pc3")
        kept = camera_views.open_view(session, OTHER, "m.dupont", "b", None, "pc4")
    with room.write() as session:
        assert camera_views.close_console_views(session, "pc3", utcnow()) == [gone.view_id]
    with room.read() as session:
        assert session.get(CameraViewRow, gone.view_id).closed_because == "console_gone"
        assert session.get(CameraViewRow, kept.view_id).closed_at is None


def test_who_watched_what_is_read_by_supervisors_and_auditors_only(room):
    start = utcnow() - timedelta(hours=2)
    with room.write() as session:
        first = camera_views.open_view(session, CAMERA, "c.bernard", "a", 7, "pc3", now=start)
        camera_views.close_view(
            session, first.view_id, "closed", "c.bernard", now=start + timedelta(minutes=5)
        )
        second = camera_views.open_view(session, OTHER, "v.lambert", "b", None, "csu1")
    for reader in ("n.faure", "s.petit"):
        with room.read() as session:
            views = camera_views.list_views(session, reader)
        assert [(v.id, v.camera, v.viewer, v.incident_id, v.closed_because) for v in views] == [
            (first.view_id, CAMERA, "c.bernard", 7, "closed"),
            (second.view_id, OTHER, "v.lambert", None, None),
        ]
    with room.read() as session:
        assert [v.id for v in camera_views.list_views(session, "n.faure", camera=OTHER)] == [
            second.view_id
        ]
        assert [v.id for v in camera_views.list_views(session, "n.faure", viewer="c.bernard")] == [
            first.view_id
        ]
        since = camera_views.list_views(session, "n.faure", since=utcnow() - timedelta(hours=1))
        assert [v.id for v in since] == [second.view_id]
    for reader in ("c.bernard", "v.lambert", "root"):
        with pytest.raises(PermissionDenied), room.read() as session:
            camera_views.list_views(session, reader)


def test_an_admin_loads_the_gateways_secrets_and_the_journal_names_no_secret(room):
    head = _head(room)
    fresh = b"\x01" * 32
    with room.write() as session:
        count = camera_views.load_secrets(
            session, {"gw-21355-01": fresh, "gw-21231-01": SECRET}, "secrets.json", "root"
        )
    assert count == 2
    with room.write() as session:
        opened = camera_views.open_view(session, NO_SECRET, "c.bernard", "a", None, "pc3")
    assert stream_tokens.check(fresh, opened.token, NO_SECRET, utcnow()) == "c.bernard"
    loaded = _entries(room, head)[0]
    assert loaded == ("root", "video.secrets_load", "secrets.json", {
        "gateways": ["gw-21231-01", "gw-21355-01"],
    })  # fmt: skip
    for refused_by in ("c.bernard", "s.petit"):
        with pytest.raises(PermissionDenied), room.write() as session:
            camera_views.load_secrets(session, {"gw-x": fresh}, "secrets.json", refused_by)
    for bad in ({"gw-x": b""}, {"gw-x": b"x" * 65}, {"gw x": b"x"}):
        with pytest.raises(InvalidInput), room.write() as session:
            camera_views.load_secrets(session, bad, "secrets.json", "root")


def test_stream_urls_are_left_out_unless_asked_for_a_reader_who_may_view(room):
    from services.situation import read_equipment
    from services.store.equipment_query import list_equipment

    now = utcnow()
    with room.read() as session:
        hidden = {v.id: v.attributes for v in list_equipment(session, now)}
        shown = {v.id: v.attributes for v in list_equipment(session, now, streams=True)}
    assert STREAM_URL not in hidden[CAMERA] and hidden[CAMERA]["preset"] == 1
    assert shown[CAMERA][STREAM_URL] == STREAM
    read = {d.id: d.attributes for d in read_equipment(room, now, since=None).devices}
    assert STREAM_URL not in read[CAMERA] and read[CAMERA]["preset"] == 1
    read = {d.id: d.attributes for d in read_equipment(room, now, since=None, streams=True).devices}
    assert read[CAMERA][STREAM_URL] == STREAM


def test_the_database_mints_tokens_by_the_recipe_stream_tokens_documents():
    """``pg_views`` installs the SQL of ``stream_tokens``' docstring, word for word."""
    import re

    from services.store import pg_views

    documented = re.findall(r"CREATE FUNCTION.*?\$\$;", stream_tokens.__doc__ or "", re.S)

    def words(sql: str) -> list[str]:
        return sql.split()

    assert [words(d) for d in documented] == [words(r) for r in pg_views.TOKEN_RECIPE]
    assert len(documented) == 3


def test_the_recorders_periodic_sweep_closes_the_views_that_ran_out(room):
    """``camera_views.close_overdue`` is part of the recorder's sweep (every second)."""
    from services.recorder.writer import Recorder

    class Bus:  # the writer process's pipe, as ``worker.PipeBus`` is, without a receiver
        connections = 1

        def publish(self, *args, **kwargs):
            return None

    with room.write() as session:
        opened = camera_views.open_view(
            session, CAMERA, "c.bernard", "a", None, "pc3", 1, now=utcnow() - timedelta(minutes=2)
        )
    Recorder(room, "mqtt://127.0.0.1:1", "vigie", "rec-views", bus=Bus())._sweep()
    with room.read() as session:
        assert session.get(CameraViewRow, opened.view_id).closed_because == "timed_out"


def test_the_migration_adds_the_views_and_secrets_and_takes_them_back(bare_db):
    from sqlalchemy import inspect

    from services.store.schema import HEAD, current_revision, upgrade
    from tests.migrations import downgrade

    assert {"camera_views", "stream_secrets"} <= set(inspect(bare_db.engine).get_table_names())
    downgrade(bare_db, "0012")
    assert current_revision(bare_db) == "0012"
    tables = set(inspect(bare_db.engine).get_table_names())
    assert not {"camera_views", "stream_secrets"} & tables
    upgrade(bare_db)
    assert current_revision(bare_db) == HEAD
