"""``vigie video secrets load``, ``vigie audit views`` and cameras' ``streamURL``, from a shell."""

from __future__ import annotations

import base64
import json
import os
from datetime import UTC, datetime, timedelta

import pytest

from services.domain import stream_tokens

SECRET = b"vigie-demo-gateway-secret"
CAMERA = "camera:21231-001"
STREAM = "http://127.0.0.1:8554/cameras/camera:21231-001/stream"


@pytest.fixture
def cameras(staffed):
    """The room's database with a camera and a street light on one gateway."""
    from services.store.database import Database
    from services.store.models import EquipmentRow
    from services.store.types import utcnow

    db = Database(staffed)
    now = utcnow()
    with db.write() as session:
        session.add(
            EquipmentRow(
                id=CAMERA,
                type="Camera",
                gateway="gw-21231-01",
                status="ok",
                commune="21231",
                attributes={"streamURL": STREAM, "preset": 1, "maskVersion": "3f2a9c0d1e7b"},
                received_at=now,
                updated_at=now,
            )
        )
    db.dispose()
    return staffed


@pytest.fixture
def secrets_file(tmp_path):
    path = tmp_path / "video-secrets.json"
    path.write_text(json.dumps({"gw-21231-01": base64.b64encode(SECRET).decode()}))
    os.chmod(path, 0o600)
    return path


def _open(url: str, viewer: str, purpose: str, *, now=None):
    """A view opened as the console will open it (Vigie's services, no console yet)."""
    from services.store import camera_views
    from services.store.database import Database

    db = Database(url)
    try:
        with db.write() as session:
            return camera_views.open_view(session, CAMERA, viewer, purpose, None, "pc3", now=now)
    finally:
        db.dispose()


def test_an_admin_loads_the_simulators_secrets_file_and_others_exit_5(
    vigie, cameras, secrets_file, me
):
    refused = vigie("--operator", "s.petit", "video", "secrets", "load", str(secrets_file))
    assert refused.status == 5, refused.err
    loaded = vigie("video", "secrets", "load", str(secrets_file))
    assert loaded.status == 0, loaded.err
    assert "1 gateway" in loaded.out and loaded.err == ""
    opened = _open(cameras, "c.bernard", "accident")
    assert stream_tokens.check(SECRET, opened.token, CAMERA, datetime.now(UTC)) == "c.bernard"
    from services.store import audit
    from services.store.database import Database

    db = Database(cameras)
    with db.read() as session:
        entries = [(e.operator, e.action, e.details) for e in audit.entries(session)]
    db.dispose()
    assert (me, "video.secrets_load", '{"gateways":["gw-21231-01"]}') in entries
    assert base64.b64encode(SECRET).decode() not in json.dumps(entries)


def test_a_secrets_file_others_can_read_is_loaded_with_a_warning_a_malformed_one_not(
    vigie, cameras, secrets_file
):
    os.chmod(secrets_file, 0o644)
    loaded = vigie("video", "secrets", "load", str(secrets_file))
    assert loaded.status == 0 and "chmod 600" in loaded.err
    secrets_file.write_text('{"gw-21231-01": "not base64!"}')
    broken = vigie("video", "secrets", "load", str(secrets_file))
    assert broken.status == 2 and "gw-21231-01" in broken.err
    missing = vigie("video", "secrets", "load", str(secrets_file) + ".absent")
    assert missing.status == 2


def test_an_auditor_reads_who_watched_what_and_why_and_a_dispatcher_exits_5(
    vigie, cameras, secrets_file
):
    assert vigie("video", "secrets", "load", str(secrets_file)).status == 0
    earlier = datetime.now(UTC) - timedelta(hours=3)
    first = _open(cameras, "c.bernard", "accident au carrefour", now=earlier)
    _open(cameras, "v.lambert", "ronde du soir")
    from services.store import camera_views
    from services.store.database import Database

    db = Database(cameras)
    with db.write() as session:
        camera_views.close_view(
            session, first.view_id, "closed", "c.bernard", now=earlier + timedelta(minutes=4)
        )
    db.dispose()
    listed = vigie("--operator", "n.faure", "audit", "views", "--json")
    assert listed.status == 0, listed.err
    rows = json.loads(listed.out)
    assert [
        {k: r[k] for k in ("camera", "viewer", "purpose", "incident_id", "closed_because")}
        for r in rows
    ] == [
        {
            "camera": CAMERA,
            "viewer": "c.bernard",
            "purpose": "accident au carrefour",
            "incident_id": None,
            "closed_because": "closed",
        },
        {
            "camera": CAMERA,
            "viewer": "v.lambert",
            "purpose": "ronde du soir",
            "incident_id": None,
            "closed_because": None,
        },
    ]
    assert rows[0]["opened_at"].endswith("Z") and rows[0]["closed_at"].endswith("Z")
    assert rows[1]["closed_at"] is None
    assert {"opened_at", "closed_at", "closed_because", "incident_id"} <= set(rows[0])
    by_viewer = vigie(
        "--operator", "s.petit", "audit", "views", "--viewer", "v.lambert", "--json"
    )  # fmt: skip
    assert [r["viewer"] for r in json.loads(by_viewer.out)] == ["v.lambert"]
    recent = vigie("--operator", "n.faure", "audit", "views", "--since", "1h", "--json")
    assert [r["viewer"] for r in json.loads(recent.out)] == ["v.lambert"]
    other = vigie("--operator", "n.faure", "audit", "views", "--camera", "camera:x", "--json")
    assert json.loads(other.out) == []
    text = vigie("--operator", "n.faure", "audit", "views")
    from console.cli.context import local_time

    assert text.status == 0 and "ronde du soir" in text.out
    opened_at = datetime.fromisoformat(rows[0]["opened_at"].replace("Z", "+00:00"))
    assert local_time(opened_at) in text.out  # the room's time, with its zone
    for refused_to in ("c.bernard", "v.lambert", "t.roux"):
        refused = vigie("--operator", refused_to, "audit", "views", "--json")
        assert refused.status == 5, (refused_to, refused.err)
        assert refused.out == "" and len(refused.err.strip().splitlines()) == 1
    bad = vigie("--operator", "n.faure", "audit", "views", "--since", "yesterday")
    assert bad.status == 2


def test_stream_urls_are_listed_only_with_streams_and_only_for_roles_that_view(vigie, cameras):
    plain = vigie("query", "equipment", "--json")
    assert plain.status == 0, plain.err
    (camera,) = json.loads(plain.out)
    assert "streamURL" not in camera["attributes"] and camera["attributes"]["preset"] == 1
    for viewer in ("c.bernard", "v.lambert", "s.petit"):
        shown = vigie("--operator", viewer, "query", "equipment", "--streams", "--json")
        assert shown.status == 0, shown.err
        assert json.loads(shown.out)[0]["attributes"]["streamURL"] == STREAM
    for refused_to in ("t.roux", "n.faure"):
        refused = vigie("--operator", refused_to, "query", "equipment", "--streams", "--json")
        assert refused.status == 5 and refused.out == "", refused.err
