"""Where PostgreSQL keeps the camera views, the recorder's own login closes a dead console's.

The recorder's login writes no row of ``camera_views``: it closes each view through
``vigie_close_view`` (``services/store/pg_views.py``), after reading which are open on the
workstation. Tried on a private cluster that checks passwords (``tests/pg_scram.py``), as
``test_pg_camera_views.py`` is, with that module's room; then end to end, a recorder logged in
as itself hearing a console die on a real broker.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from services.bus.presence import ConsolePresence
from services.recorder.writer import Recorder, RecorderOptions
from services.store import camera_views, pg_authority
from tests.pg_scram import available
from tests.services.test_console_presence import die
from tests.services.test_pg_camera_views import (  # noqa: F401 - room is the fixture
    CAMERA,
    OTHER,
    PREFIX,
    RECORDER_PASSWORD,
    _chain_verifies,
    _head,
    _view,
    _written_since,
    room,
)
from tests.services.test_recorder import wait_until

pytestmark = pytest.mark.skipif(not available(), reason="no PostgreSQL server installed here")


def _open(room, viewer: str, camera: str, workstation: str) -> int:  # noqa: F811
    with room.vigie(viewer) as db, db.write() as session:
        return camera_views.open_view(session, camera, viewer, "suivi", None, workstation).view_id


def test_the_recorders_login_closes_the_views_of_a_workstation_as_console_gone(room):  # noqa: F811
    gone = _open(room, "c.bernard", CAMERA, "pc7")
    kept = _open(room, "m.dupont", OTHER, "pc8")
    head = _head(room)
    recorder = pg_authority.recorder_role(PREFIX)
    with room.vigie(recorder, RECORDER_PASSWORD) as db:
        with db.write() as session:
            closed = camera_views.close_console_views(session, "pc7", datetime.now(UTC))
        with db.write() as session:  # closed already: nothing more
            again = camera_views.close_console_views(session, "pc7", datetime.now(UTC))
    assert (closed, again) == ([gone], [])
    assert _view(room, gone)[-1] == "console_gone"
    assert _view(room, kept)[-1] is None
    assert _written_since(room, head) == [
        (
            "system:recorder",
            "camera.view_closed",
            CAMERA,
            {"view": gone, "viewer": "c.bernard", "because": "console_gone"},
        )
    ]
    assert _chain_verifies(room)


def test_a_recorder_logged_in_as_itself_closes_the_views_of_a_console_that_died(room, broker):  # noqa: F811
    root = f"pg{uuid.uuid4().hex[:8]}"
    gone = _open(room, "v.lambert", CAMERA, "pc5")
    recorder_login = pg_authority.recorder_role(PREFIX)
    with room.vigie(recorder_login, RECORDER_PASSWORD) as db:
        recorder = Recorder(
            db, broker.url, root, f"{root}-recorder", options=RecorderOptions(sweep_every=0.2)
        )
        recorder.start()
        try:
            assert recorder.bus.wait_connected(10)
            console = ConsolePresence(broker.url, root, "v.lambert", workstation="pc5")
            console.start()
            assert console.wait_connected(10)
            wait_until(lambda: "pc5" in recorder.consoles, what="the console heard online")
            die(console)
            wait_until(lambda: _view(room, gone)[-1] == "console_gone", what="its view closed")
            assert recorder.quarantined == 0 and recorder.failure is None
        finally:
            recorder.stop()
    assert _chain_verifies(room)
