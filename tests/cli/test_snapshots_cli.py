"""``vigie audit snapshots``: which camera snapshots were taken, by whom, why, and if purged."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.camera_rows import add_cameras

SECRET = b"vigie-demo-gateway-secret"
CAMERA, OTHER = "camera:21231-001", "camera:21231-002"
DIGEST = hashlib.sha256(b"a picture").hexdigest()


@pytest.fixture
def cameras(staffed):
    """The room's database with two cameras on one gateway, and that gateway's secret."""
    from services.store.database import Database

    db = Database(staffed)
    add_cameras(db, CAMERA, OTHER, secret=SECRET)
    db.dispose()
    return staffed


def _snapshot(url: str, camera: str, viewer: str, purpose: str, at: datetime) -> str:
    """A view opened and a snapshot recorded in it, as the video wall does."""
    from services.domain.snapshots import file_name
    from services.store import camera_snapshots, camera_views
    from services.store.database import Database

    db = Database(url)
    try:
        with db.write() as session:
            view = camera_views.open_view(
                session, camera, viewer, purpose, None, "pc3", now=at
            ).view_id
            name = file_name(camera, at, view)
            camera_snapshots.record_snapshot(session, view, viewer, name, DIGEST, 1234, now=at)
    finally:
        db.dispose()
    return name


def test_an_auditor_reads_the_snapshots_and_other_roles_exit_5(vigie, cameras):
    earlier = datetime.now(UTC) - timedelta(hours=3)
    first = _snapshot(cameras, CAMERA, "c.bernard", "accident au carrefour", earlier)
    second = _snapshot(cameras, OTHER, "v.lambert", "ronde du soir", datetime.now(UTC))
    listed = vigie("--operator", "n.faure", "audit", "snapshots", "--json")
    assert listed.status == 0, listed.err
    rows = json.loads(listed.out)
    keys = ("camera", "taken_by", "purpose", "file", "sha256", "purged_at")
    assert [{k: r[k] for k in keys} for r in rows] == [
        {
            "camera": CAMERA,
            "taken_by": "c.bernard",
            "purpose": "accident au carrefour",
            "file": first,
            "sha256": DIGEST,
            "purged_at": None,
        },
        {
            "camera": OTHER,
            "taken_by": "v.lambert",
            "purpose": "ronde du soir",
            "file": second,
            "sha256": DIGEST,
            "purged_at": None,
        },
    ]
    assert {"camera", "taken_by", "taken_at", "purpose", "view_id", "file", "sha256"} <= set(
        rows[0]
    )
    assert rows[0]["taken_at"].endswith("Z") and isinstance(rows[0]["view_id"], int)
    by_camera = vigie("--operator", "s.petit", "audit", "snapshots", "--camera", OTHER, "--json")
    assert by_camera.status == 0 and [r["file"] for r in json.loads(by_camera.out)] == [second]
    recent = vigie("--operator", "n.faure", "audit", "snapshots", "--since", "1h", "--json")
    assert [r["file"] for r in json.loads(recent.out)] == [second]
    text = vigie("--operator", "n.faure", "audit", "snapshots")
    from console.cli.context import local_time

    assert text.status == 0 and "ronde du soir" in text.out and first in text.out
    assert local_time(earlier) in text.out  # the room's time, with its zone
    for refused_to in ("c.bernard", "v.lambert", "t.roux"):
        refused = vigie("--operator", refused_to, "audit", "snapshots", "--json")
        assert refused.status == 5, (refused_to, refused.err)
        assert refused.out == "" and len(refused.err.strip().splitlines()) == 1
    bad = vigie("--operator", "n.faure", "audit", "snapshots", "--since", "yesterday")
    assert bad.status == 2


def test_a_purged_snapshot_is_listed_with_when_it_was_purged(vigie, cameras, tmp_path):
    from services.domain.retention import Retention
    from services.recorder import retention
    from services.store.database import Database

    month_ago = datetime.now(UTC) - timedelta(days=31)
    name = _snapshot(cameras, CAMERA, "c.bernard", "accident", month_ago)
    (tmp_path / name).write_bytes(b"png")
    db = Database(cameras)
    with db.write() as session:
        retention.purge(session, datetime.now(UTC), Retention(), tmp_path)
    db.dispose()
    assert not (tmp_path / name).exists()
    listed = vigie("--operator", "n.faure", "audit", "snapshots", "--json")
    (row,) = json.loads(listed.out)
    assert row["file"] == name and row["purged_at"].endswith("Z")
