"""The incident detail follows the incident it shows, live, and names each move for what it does.

The queue learns of a change from the incident feed (``sig_incidents``: incidents read again
after an event); the detail follows the same signal. While it holds an older version than the
record it says so; what the operator was typing is never replaced without a word. The move to
"acknowledged" reads "Acknowledge" only where it acknowledges.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMainWindow

from console.bridge import Bridge
from console.desks.incidents import IncidentDesk
from console.desks.seat import Seat
from services import dispatching
from services import incident_actions as acts
from services.domain.incidents import (
    Incident,
    IncidentSource,
    IncidentStatus,
    Location,
    Priority,
    new_incident,
)
from services.domain.operators import Role
from services.store import incidents
from services.store.database import DatabaseUnreachable
from services.store.models import UnitRow
from services.store.types import utcnow
from tests.widgets.test_console import running  # noqa: F401 - the fixture
from widgets.incident_detail.panel import IncidentDetailPanel


class ScriptedFeed(QObject):
    """The incident feed's signal, emitted by the test as the feed does after its reads."""

    sig_incidents = Signal(list)

    def __init__(self) -> None:
        super().__init__()
        self.announced: list[tuple[int, int]] = []

    def announce(self, incident_id: int, version: int, by: str) -> None:
        self.announced.append((incident_id, version))


@pytest.fixture
def desk(db, qtbot) -> Iterator[SimpleNamespace]:
    """An incident desk on a real database, its feed scripted by the test."""
    window = QMainWindow()
    qtbot.addWidget(window)
    bridge = Bridge()
    seat = Seat("c.bernard", Role.DISPATCHER, db, bridge, None, window, {}, None)  # type: ignore[arg-type]
    feed = ScriptedFeed()
    made = IncidentDesk(seat, feed)  # type: ignore[arg-type]
    window.setCentralWidget(made.detail)
    window.show()
    qtbot.waitExposed(window)
    yield SimpleNamespace(desk=made, detail=made.detail, feed=feed, bridge=bridge, window=window)
    bridge.shutdown()


def _dispatched_fire(db) -> Incident:
    """A fire with a patrol dispatched to it (version 2), as another console left it."""
    now = utcnow()
    with db.write() as s:
        s.add(
            UnitRow(
                id="patrol:1",
                kind="patrol",
                name="PM 01",
                status="available",
                lat=47.3221,
                lon=5.0415,
                observed_at=now,
            )
        )
        fire = incidents.create(
            s,
            new_incident(
                source=IncidentSource.CALL,
                category="fire",
                at=now,
                place="Place Darcy",
                location=Location(47.3220, 5.0415),
            ),
            by="c.bernard",
        )
    saved, _request = dispatching.dispatch(db, fire, "patrol:1", by="m.dupont", reply_to="x")
    return saved


def _open(qtbot, ns: SimpleNamespace, incident: Incident) -> None:
    ns.desk.open_incident(incident.id)
    qtbot.waitUntil(
        lambda: (
            ns.detail.incident is not None
            and (ns.detail.incident.id, ns.detail.incident.version)
            == (incident.id, incident.version)
        )
    )


def test_the_detail_follows_a_dispatch_as_the_queue_does(db, qtbot, desk):
    dispatched = _dispatched_fire(db)
    _open(qtbot, desk, dispatched)
    assert desk.detail.fields["status"].text() == "dispatched"
    # the unit says it is on scene: the recorder moves the incident, and every feed reads it
    on_scene = acts.move(db, dispatched, IncidentStatus.ON_SCENE, by="system:recorder")
    desk.feed.sig_incidents.emit([on_scene])
    qtbot.waitUntil(lambda: desk.detail.incident.version == on_scene.version)
    assert desk.detail.fields["status"].text() == "on scene"  # as the queue says
    assert f"v{on_scene.version}" in desk.detail.fields["updated"].text()
    history = [desk.detail.history.item(i).text() for i in range(desk.detail.history.count())]
    assert any("dispatched → on scene" in line for line in history)
    assert desk.desk.queue_model.incident(0).status is IncidentStatus.ON_SCENE
    assert not desk.detail.outdated.isVisible() and not desk.detail.edit_kept.isVisible()
    # a priority another supervisor set is followed too, its choice included (nothing was typed)
    raised = acts.reprioritise(db, on_scene, Priority.P2, "Feu éteint", by="l.moreau")
    desk.feed.sig_incidents.emit([raised])
    qtbot.waitUntil(lambda: desk.detail.incident.priority is Priority.P2)
    assert desk.detail.priority_choice.currentData() == int(Priority.P2)


def test_while_the_latest_is_read_the_detail_says_it_shows_an_older_version(db, qtbot, desk):
    dispatched = _dispatched_fire(db)
    _open(qtbot, desk, dispatched)
    on_scene = acts.move(db, dispatched, IncidentStatus.ON_SCENE, by="system:recorder")
    gate = threading.Event()  # an act under way holds the lane the detail reads on
    desk.bridge.acts.submit(gate.wait)
    try:
        desk.feed.sig_incidents.emit([on_scene])
        # at once, before the read: the older version is shown, and said to be older
        assert desk.detail.outdated.isVisible()
        said = desk.detail.outdated.text()
        assert f"v{on_scene.version}" in said and "on scene" in said and "reading" in said
        assert desk.detail.incident.version == dispatched.version
    finally:
        gate.set()
    qtbot.waitUntil(lambda: desk.detail.incident.version == on_scene.version)
    assert not desk.detail.outdated.isVisible()


def test_a_version_that_cannot_be_read_stays_said(db, qtbot, desk, monkeypatch):
    dispatched = _dispatched_fire(db)
    _open(qtbot, desk, dispatched)
    on_scene = acts.move(db, dispatched, IncidentStatus.ON_SCENE, by="system:recorder")

    def lost(_db, _incident_id):  # noqa: ANN001, ANN202
        raise DatabaseUnreachable(url="sqlite:///vigie.db", reason="disk unplugged")

    monkeypatch.setattr(acts, "read", lost)
    desk.feed.sig_incidents.emit([on_scene])
    qtbot.waitUntil(desk.detail.problem.isVisible)
    assert desk.detail.incident.version == dispatched.version  # what it had, not silently
    assert desk.detail.outdated.isVisible()
    assert f"v{on_scene.version}" in desk.detail.outdated.text()
    assert "could not be read" in desk.detail.outdated.text()


def test_what_the_operator_typed_is_kept_and_said_when_the_incident_changes(db, qtbot, desk):
    dispatched = _dispatched_fire(db)
    _open(qtbot, desk, dispatched)
    detail = desk.detail
    detail.note_text.setText("Équipage prévenu par radio")
    detail.priority_choice.setCurrentIndex(detail.priority_choice.findData(int(Priority.P2)))
    detail.priority_reason.setText("Feu maîtrisé selon l'appelant")
    on_scene = acts.move(db, dispatched, IncidentStatus.ON_SCENE, by="system:recorder")
    desk.feed.sig_incidents.emit([on_scene])
    qtbot.waitUntil(lambda: detail.incident.version == on_scene.version)
    assert detail.note_text.text() == "Équipage prévenu par radio"
    assert detail.priority_reason.text() == "Feu maîtrisé selon l'appelant"
    assert detail.priority_choice.currentData() == int(Priority.P2)  # not reset to the P1 shown
    assert detail.edit_kept.isVisible()
    assert f"v{on_scene.version}" in detail.edit_kept.text() and "kept" in detail.edit_kept.text()


def test_the_same_version_again_changes_nothing(db, qtbot, desk):
    dispatched = _dispatched_fire(db)
    _open(qtbot, desk, dispatched)
    desk.detail.note_text.setText("en cours")
    desk.feed.sig_incidents.emit([dispatched])  # a snapshot after a reconnection, say
    assert not desk.detail.outdated.isVisible() and not desk.detail.edit_kept.isVisible()


def test_a_newer_version_of_another_incident_leaves_the_detail_alone(qtbot):
    panel = IncidentDetailPanel({})
    qtbot.addWidget(panel)
    panel.show()
    shown, other = _incident(1), _incident(2)
    panel.show_incident(shown, [], [])
    newer = dataclasses.replace(other, version=5, status=IncidentStatus.RESOLVED)
    assert not panel.mark_outdated(newer)
    assert not panel.follow_incident(newer, [], [])  # read while the operator moved on
    assert panel.incident is shown and not panel.outdated.isVisible()


# --- (9) the move to "acknowledged", named for what it does -----------------------------------
def _incident(incident_id: int = 7, **changes) -> Incident:  # noqa: ANN003
    made = new_incident(
        source=IncidentSource.CALL,
        category="fire",
        at=utcnow(),
        location=Location(47.32, 5.04),
    )
    return dataclasses.replace(made, id=incident_id, **changes)


@pytest.mark.parametrize(
    ("status", "text", "enabled", "tooltip"),
    [
        (IncidentStatus.NEW, "Acknowledge", True, "F2"),
        (IncidentStatus.ACKNOWLEDGED, "Acknowledge", False, "F2"),
        (IncidentStatus.DISPATCHED, "Withdraw the unit", True, "Takes PM 01 off this incident"),
        (IncidentStatus.ON_SCENE, "Withdraw the unit", True, "Takes PM 01 off this incident"),
        (IncidentStatus.RESOLVED, "Reopen", True, "Opens the incident again"),
        (IncidentStatus.CLOSED, "Acknowledge", False, "F2"),
        (IncidentStatus.CANCELLED, "Acknowledge", False, "F2"),
    ],
)
def test_the_move_back_to_acknowledged_is_named_for_what_it_does(
    qtbot, status, text, enabled, tooltip
):
    panel = IncidentDetailPanel({})
    qtbot.addWidget(panel)
    panel.set_shortcut(IncidentStatus.ACKNOWLEDGED, "F2")
    unit = "PM 01" if status in (IncidentStatus.DISPATCHED, IncidentStatus.ON_SCENE) else None
    panel.show_incident(_incident(status=status, assigned_unit=unit), [], [])
    button = panel.buttons[IncidentStatus.ACKNOWLEDGED]
    assert (button.text(), button.isEnabled()) == (text, enabled)
    assert tooltip in button.toolTip()
    if status is IncidentStatus.DISPATCHED:
        assert "does not tell the crew" in button.toolTip()  # the field is not told: say so


def test_the_withdrawal_still_moves_the_incident_back_and_frees_the_unit(qtbot):
    panel = IncidentDetailPanel({})
    qtbot.addWidget(panel)
    shown = _incident(status=IncidentStatus.DISPATCHED, assigned_unit="PM 01")
    panel.show_incident(shown, [], [])
    with qtbot.waitSignal(panel.sig_transition_requested) as asked:
        panel.buttons[IncidentStatus.ACKNOWLEDGED].click()
    assert asked.args == [shown, "acknowledged"]


def test_f2_acknowledges_a_new_incident_but_never_withdraws_a_unit(db, qtbot, desk):
    dispatched = _dispatched_fire(db)
    with db.write() as s:
        fresh = incidents.create(
            s,
            new_incident(source=IncidentSource.CALL, category="noise", at=utcnow()),
            by="c.bernard",
        )
    _open(qtbot, desk, fresh)
    qtbot.keyClick(desk.window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: desk.detail.incident.status is IncidentStatus.ACKNOWLEDGED)
    _open(qtbot, desk, dispatched)
    qtbot.keyClick(desk.window, Qt.Key.Key_F2)  # out of habit, on a dispatched incident
    # A mark on the acts lane: had F2 started an act, it would have run before it.
    mark = desk.bridge.start(desk.bridge.acts.run(lambda: None))
    qtbot.waitUntil(mark.done)
    assert desk.feed.announced == [(fresh.id, fresh.version + 1)]  # the acknowledgement only
    with db.read() as s:
        kept = incidents.get(s, dispatched.id)
    assert (kept.status, kept.assigned_unit) == (IncidentStatus.DISPATCHED, "patrol:1")


# --- end to end: the console's own feed, over the broker ---------------------------------------
def test_the_console_detail_follows_an_incident_another_console_moved(running, db, qtbot):  # noqa: F811
    console, _root = running
    dispatched = _dispatched_fire(db)
    console.start()
    detail = console.desks.incidents.detail
    console.desks.incidents.open_incident(dispatched.id)
    qtbot.waitUntil(lambda: detail.incident is not None and detail.incident.id == dispatched.id)
    qtbot.waitUntil(lambda: "connected" in console.window._links["broker"].text(), timeout=15_000)
    on_scene = acts.move(db, dispatched, IncidentStatus.ON_SCENE, by="system:recorder")
    console.feeds.incidents.announce(on_scene.id, on_scene.version, "system:recorder")
    qtbot.waitUntil(lambda: detail.incident.status is IncidentStatus.ON_SCENE, timeout=15_000)
    assert detail.fields["status"].text() == "on scene"
