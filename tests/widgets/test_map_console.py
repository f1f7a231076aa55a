"""The map in the running console: F5 and a new call (Ctrl+N) bring the incident into view."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from console.app import Console
from services.domain.incidents import IncidentSource, Location, new_incident
from services.recorder.writer import Recorder, RecorderOptions
from services.store import incidents
from services.store.types import utcnow
from tests.widgets.test_map import census, js
from tests.widgets.test_map_readable import DARCY, centred, view


@pytest.fixture
def running(db, broker, qtbot, request, tmp_path):
    root = f"mapconsole{abs(hash(request.node.nodeid)) % 10**6}"
    recorder = Recorder(db, broker.url, root, f"rec-{root}", options=RecorderOptions())
    recorder.start()
    console = Console(db, broker.url, root, "c.bernard", config_folder=tmp_path / "c.bernard")
    qtbot.addWidget(console.window)
    yield console
    console.stop()
    recorder.stop()


def test_f5_brings_the_map_back_to_the_next_unacknowledged(running, db, qtbot):
    console = running
    quetigny = (47.3150, 5.1080)
    with db.write() as s:
        fire = incidents.create(
            s,
            new_incident(
                source=IncidentSource.ALERT,
                category="fire",
                at=utcnow(),
                place="Quetigny",
                location=Location(*quetigny),
            ),
            by="system:recorder",
        )
    console.start()
    panel = console.desks.map.map
    qtbot.waitUntil(lambda: panel.ready, timeout=60_000)
    qtbot.waitUntil(lambda: census(qtbot, panel)["incidents"] == 1, timeout=15_000)
    qtbot.keyClick(console.window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: centred(qtbot, panel, quetigny), timeout=10_000)
    detail = console.desks.incidents.detail
    qtbot.waitUntil(lambda: detail.incident is not None and detail.incident.id == fire.id)
    qtbot.waitUntil(lambda: not panel.frame_waiting, timeout=5_000)
    qtbot.wait(1_000)  # a settling pause, not a measure: the feed reads the fire again meanwhile
    view(qtbot, panel, *DARCY, 16)  # the operator looks elsewhere; the fire is still not seen to
    qtbot.wait(500)
    assert not centred(qtbot, panel, quetigny)
    qtbot.keyClick(console.window, Qt.Key.Key_F5)  # its row is selected already
    qtbot.waitUntil(lambda: centred(qtbot, panel, quetigny), timeout=10_000)


def test_a_new_call_is_centred_on_the_map_before_its_feed_brings_it(running, db, qtbot):
    console = running
    console.start()
    panel = console.desks.map.map
    # the feed brings the call to the map late, as in a loaded room: here, never
    console.desks.incidents.feed.sig_incidents.disconnect(panel.update_incidents)
    qtbot.waitUntil(lambda: panel.ready, timeout=60_000)
    view(qtbot, panel, *DARCY, 16)
    form = console.desks.calls.new_call()  # Ctrl+N
    qtbot.waitUntil(form.isVisible)
    form.description.setPlainText("Arbre en travers de la chaussée")
    form.category.setCurrentIndex(form.category.findData("fallen_tree"))
    form.place.setText("Rue Pierre Curie")
    form.commune.setCurrentIndex(form.commune.findData("21617"))
    form.lat.setText("47,3370")
    form.lon.setText("4.9950")
    form.buttons.accepted.emit()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: centred(qtbot, panel, (47.3370, 4.9950)), timeout=10_000)
    assert js(qtbot, panel, "vigie.map.getZoom()") == 16  # the operator's street zoom, kept
