"""Camera snapshots on the record (issue 18, item 6), through Vigie's services, and their month.

On SQLite Vigie is the authority; on PostgreSQL (``db``'s second backend) the URL's login is the
installer's and writes as SQLite does. How the database keeps them against operators' logins,
the recorder's and psql is ``test_pg_camera_snapshots.py``'s.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from services.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from services.domain.retention import Retention
from services.domain.snapshots import file_name
from services.recorder import retention
from services.store import audit, camera_snapshots, camera_views
from services.store.models import (
    CameraSnapshotRow,
    OperatorRow,
)
from services.store.types import utcnow
from tests.camera_rows import add_cameras

SECRET = b"vigie-demo-gateway-secret"
CAMERA, OTHER = "camera:21231-001", "camera:21231-002"
DIGEST = hashlib.sha256(b"a picture").hexdigest()


@pytest.fixture
def room(db):
    add_cameras(db, CAMERA, OTHER, secret=SECRET)
    return db


def _open(db, viewer="c.bernard", camera=CAMERA, *, minutes=15, now=None):
    with db.write() as session:
        return camera_views.open_view(
            session, camera, viewer, "suivi d'un attroupement", None, "pc3", minutes, now=now
        ).view_id


def _name(camera=CAMERA, view_id=1, at=None):
    return file_name(camera, at or utcnow(), view_id)


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
        return session.execute(select(func.count()).select_from(CameraSnapshotRow)).scalar_one()


def test_the_viewer_records_a_snapshot_of_an_open_view_journaled_with_its_file(room):
    view_id = _open(room)
    name = _name(view_id=view_id)
    head = _head(room)
    with room.write() as session:
        recorded = camera_snapshots.record_snapshot(
            session, view_id, "c.bernard", name, DIGEST, 123_456
        )
    with room.read() as session:
        row = session.get(CameraSnapshotRow, recorded.snapshot_id)
    assert (row.view_id, row.camera, row.taken_by, row.file_name, row.sha256, row.size) == (
        view_id, CAMERA, "c.bernard", name, DIGEST, 123_456,
    )  # fmt: skip
    assert row.taken_at == recorded.taken_at and row.purged_at is None
    assert _entries(room, head) == [
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
    with room.read() as session:
        assert audit.verify(session).ok


def test_a_snapshot_is_refused_without_an_open_view_of_ones_own(room):
    start = utcnow() - timedelta(minutes=30)
    ran_out = _open(room, now=start, minutes=5)  # its limit passed, not yet swept
    closed = _open(room)
    with room.write() as session:
        camera_views.close_view(session, closed, "closed", "c.bernard")
    theirs = _open(room, "m.dupont", OTHER)
    head = _head(room)
    for view_id, viewer, refusal, key in (
        (ran_out, "c.bernard", Conflict, "camera.view_over"),
        (closed, "c.bernard", Conflict, "camera.view_over"),
        (999_999, "c.bernard", NotFound, "camera.unknown_view"),
        (theirs, "c.bernard", PermissionDenied, "camera.not_your_view"),  # another dispatcher's
        (theirs, "t.roux", PermissionDenied, "permission.refused"),  # a technician
        (theirs, "n.faure", PermissionDenied, "permission.refused"),  # an auditor reads only
        (theirs, "system:recorder", PermissionDenied, "camera.not_your_view"),
    ):
        with pytest.raises(refusal) as refused, room.write() as session:
            camera_snapshots.record_snapshot(
                session, view_id, viewer, _name(view_id=view_id), DIGEST, 10
            )
        assert refused.value.key == key, (view_id, viewer)
    assert _count(room) == 0 and _entries(room, head) == []


def test_a_viewer_whose_role_lost_the_act_takes_no_more_snapshots(room):
    view_id = _open(room)
    with room.write() as session:  # re-roled while watching (the row, as an approval leaves it)
        session.get(OperatorRow, "c.bernard").role = "technician"
    with pytest.raises(PermissionDenied), room.write() as session:
        camera_snapshots.record_snapshot(
            session, view_id, "c.bernard", _name(view_id=view_id), DIGEST, 10
        )
    assert _count(room) == 0


@pytest.mark.parametrize(
    ("name", "digest", "size", "key"),
    [
        ("../../etc/passwd.png", DIGEST, 10, "snapshot.bad_file_name"),
        ("sub/dir.png", DIGEST, 10, "snapshot.bad_file_name"),
        (".hidden.png", DIGEST, 10, "snapshot.bad_file_name"),
        ("picture.jpg", DIGEST, 10, "snapshot.bad_file_name"),
        ("ok.png", DIGEST.upper(), 10, "snapshot.bad_sha256"),
        ("ok.png", "abc", 10, "snapshot.bad_sha256"),
        ("ok.png", DIGEST, 0, "snapshot.bad_size"),
        ("ok.png", DIGEST, 65 * 1024 * 1024, "snapshot.bad_size"),
    ],
)
def test_what_is_no_snapshot_is_refused(room, name, digest, size, key):
    view_id = _open(room)
    with pytest.raises(InvalidInput) as refused, room.write() as session:
        camera_snapshots.record_snapshot(session, view_id, "c.bernard", name, digest, size)
    assert refused.value.key == key
    assert _count(room) == 0


def test_a_file_is_recorded_once(room):
    view_id = _open(room)
    name = _name(view_id=view_id)
    with room.write() as session:
        camera_snapshots.record_snapshot(session, view_id, "c.bernard", name, DIGEST, 10)
    with pytest.raises(Conflict) as refused, room.write() as session:
        camera_snapshots.record_snapshot(session, view_id, "c.bernard", name, DIGEST, 10)
    assert refused.value.key == "snapshot.recorded_already"
    assert _count(room) == 1


def test_supervisors_and_auditors_read_the_snapshots_with_their_views_purpose(room):
    first = _open(room)
    second = _open(room, "v.lambert", OTHER)
    earlier = utcnow() - timedelta(hours=3)
    with room.write() as session:
        camera_snapshots.record_snapshot(
            session, first, "c.bernard", _name(view_id=first, at=earlier), DIGEST, 10, now=earlier
        )
        camera_snapshots.record_snapshot(
            session, second, "v.lambert", _name(OTHER, second), DIGEST, 20
        )
    for reader in ("n.faure", "s.petit"):
        with room.read() as session:
            listed = camera_snapshots.list_snapshots(session, reader)
        assert [(s.view_id, s.camera, s.taken_by, s.purpose, s.size) for s in listed] == [
            (first, CAMERA, "c.bernard", "suivi d'un attroupement", 10),
            (second, OTHER, "v.lambert", "suivi d'un attroupement", 20),
        ]
    with room.read() as session:
        by_camera = camera_snapshots.list_snapshots(session, "n.faure", camera=OTHER)
        recent = camera_snapshots.list_snapshots(
            session, "n.faure", since=utcnow() - timedelta(hours=1)
        )
    assert [s.view_id for s in by_camera] == [second] == [s.view_id for s in recent]
    for reader in ("c.bernard", "v.lambert", "t.roux", "root"):
        with pytest.raises(PermissionDenied), room.read() as session:
            camera_snapshots.list_snapshots(session, reader)


# --- a month, then the file goes and the row stays ----------------------------------------------
def _taken(db, folder, days_ago: float, viewer="c.bernard"):
    """A snapshot taken ``days_ago``: its file in ``folder`` (dated so) and its row."""
    at = utcnow() - timedelta(days=days_ago)
    view_id = _open(db, viewer, now=at)
    name = file_name(CAMERA, at, view_id)
    path = folder / name
    path.write_bytes(b"png")
    os.utime(path, (at.timestamp(), at.timestamp()))
    with db.write() as session:
        recorded = camera_snapshots.record_snapshot(
            session, view_id, viewer, name, DIGEST, 3, now=at
        )
    return recorded.snapshot_id, path


def test_retention_purges_a_31_day_old_snapshots_file_keeps_its_row_and_a_29_day_old_one(
    room, tmp_path
):
    old_id, old = _taken(room, tmp_path, 31)
    young_id, young = _taken(room, tmp_path, 29)
    now = utcnow()
    head = _head(room)
    with room.write() as session:
        counts = retention.purge(session, now, Retention(), snapshots_folder=tmp_path)
    assert counts["snapshots"] == 1
    assert not old.exists() and young.exists()
    with room.read() as session:
        assert session.get(CameraSnapshotRow, old_id).purged_at == now
        assert session.get(CameraSnapshotRow, young_id).purged_at is None
        listed = {s.id: s for s in camera_snapshots.list_snapshots(session, "n.faure")}
    assert listed[old_id].purged_at == now and listed[young_id].purged_at is None
    assert _entries(room, head) == []  # the purge is the recorder's pass, not an act
    with room.write() as session:  # once only
        assert (
            retention.purge(session, now, Retention(), snapshots_folder=tmp_path)["snapshots"] == 0
        )


def test_a_snapshot_whose_file_is_gone_already_is_marked_purged(room, tmp_path):
    snapshot_id, path = _taken(room, tmp_path, 40)
    path.unlink()
    with room.write() as session:
        assert retention.purge_snapshots(session, utcnow(), Retention(), tmp_path) == 1
    with room.read() as session:
        assert session.get(CameraSnapshotRow, snapshot_id).purged_at is not None


def test_the_sweep_deletes_vigies_files_past_their_month_recorded_or_not_and_nothing_else(
    room, tmp_path
):
    now = utcnow()
    month_ago = (now - timedelta(days=31)).timestamp()

    def dated(name: str, at: float):
        path = tmp_path / name
        path.write_bytes(b"x")
        os.utime(path, (at, at))
        return path

    unrecorded = dated(file_name(CAMERA, now - timedelta(days=31), 4), month_ago)
    recent = dated(file_name(CAMERA, now, 5), now.timestamp())
    abandoned = dated(".snapshot-abc123.tmp", (now - timedelta(hours=2)).timestamp())
    writing = dated(".snapshot-def456.tmp", now.timestamp())
    not_ours = dated("holiday.png", month_ago)
    with room.write() as session:
        counts = retention.purge(session, now, Retention(), snapshots_folder=tmp_path)
    assert counts["snapshot_files"] == 2
    assert not unrecorded.exists() and not abandoned.exists()
    assert recent.exists() and writing.exists() and not_ours.exists()
    assert retention.sweep_snapshot_files(tmp_path / "absent", now, Retention()) == 0


def test_the_migration_adds_the_snapshots_and_takes_them_back(bare_db):
    from sqlalchemy import inspect

    from services.store.schema import HEAD, current_revision, upgrade
    from tests.migrations import downgrade

    assert "camera_snapshots" in set(inspect(bare_db.engine).get_table_names())
    downgrade(bare_db, "0013")
    assert current_revision(bare_db) == "0013"
    tables = set(inspect(bare_db.engine).get_table_names())
    assert "camera_snapshots" not in tables and "camera_views" in tables
    upgrade(bare_db)
    assert current_revision(bare_db) == HEAD
    assert "camera_snapshots" in set(inspect(bare_db.engine).get_table_names())


def test_the_recorder_purges_in_the_folder_the_configuration_names(room, tmp_path, monkeypatch):
    """Without a folder given, retention reads the ``snapshots_folder`` setting, as consoles do."""
    monkeypatch.setenv("VIGIE_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("VIGIE_SNAPSHOTS_FOLDER", str(tmp_path / "city"))
    (tmp_path / "city").mkdir()
    snapshot_id, path = _taken(room, tmp_path / "city", 31)
    with room.write() as session:
        assert retention.purge(session, utcnow(), Retention())["snapshots"] == 1
    assert not path.exists()
