"""At 07:00 the night dispatcher hands over to the day dispatcher on another workstation.

Two consoles on one database: "nuit" hands over from File > Hand over…; "jour"'s status bar
says so, a click opens it and "jour" accepts it; its author is never offered Accept and is
refused if it tries; once accepted, the word leaves every status bar.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from console.app import Console
from console.bridge import Bridge
from console.desks.handover import ShiftHandoverDesk
from console.desks.seat import Seat
from console.shell.main_window import MainWindow
from services import handover
from services.domain.operators import Role
from services.domain.room_time import clock
from services.permissions import load_matrix
from services.store import journal, operators

REMARKS = "Rappeler M. Girard (chauffage coupé, 12 rue Berbisey) avant 9 h"


@pytest.fixture
def two_desks(db, broker, qtbot, request, tmp_path):
    with db.write() as s:
        operators.add(s, "nuit", Role.DISPATCHER, by="root")
        operators.add(s, "jour", Role.DISPATCHER, by="root")
    journal.write(db, "nuit", "Salage RN74 demandé à la DIR Centre-Est")
    root = f"handover{abs(hash(request.node.nodeid)) % 10**6}"
    consoles = []
    for name in ("nuit", "jour"):
        console = Console(
            db, broker.url, root, name, Role.DISPATCHER, config_folder=tmp_path / name
        )
        qtbot.addWidget(console.window)
        console.start()
        consoles.append(console)
    yield consoles
    for console in consoles:
        console.stop()


def test_the_night_dispatcher_hands_over_and_the_day_dispatcher_accepts(two_desks, db, qtbot):
    night, day = two_desks
    outgoing = night.desks.shift_handover
    incoming = day.desks.shift_handover
    qtbot.waitUntil(lambda: incoming.status.text() == "" and not incoming.status.isVisible())

    # File > Hand over…, just before Quit
    actions = night.window.file_menu.actions()
    assert actions.index(outgoing.action) < actions.index(night.window.quit_action)
    outgoing.action.trigger()
    dialog = outgoing.dialog
    assert dialog is not None and dialog.outgoing
    qtbot.waitUntil(dialog.hand_over_button.isEnabled)  # the summary was read off the GUI thread
    assert "Salage RN74 demandé" in dialog.summary.toPlainText()  # the shift's logbook
    assert not dialog.accept_button.isVisible()
    dialog.remarks.setPlainText(REMARKS)
    qtbot.mouseClick(dialog.hand_over_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.outcome.isVisible)
    assert not dialog.problem.isVisible(), dialog.problem.text()
    (started,) = handover.pending(db)
    assert (started.author, started.remarks) == ("nuit", REMARKS)
    said = f"Handover from nuit at {clock(started.started_at)} not accepted"
    qtbot.waitUntil(lambda: outgoing.status.text() == said)  # refreshed right after the act

    # The other workstation: read again (every 30 s; here at once), shown in its status bar.
    incoming.refresh()
    qtbot.waitUntil(lambda: incoming.status.isVisible() and incoming.status.text() == said)
    assert incoming.timer.interval() == 30_000 and incoming.timer.isActive()
    qtbot.mouseClick(incoming.status, Qt.MouseButton.LeftButton)
    reading = incoming.dialog
    assert reading is not None and not reading.outgoing
    qtbot.waitUntil(lambda: reading.accept_button.isVisible())
    assert reading.remarks.toPlainText() == REMARKS
    assert "nuit" in reading.heading.text()
    assert "Salage RN74 demandé" in reading.summary.toPlainText()
    assert reading.accept_button.isEnabled()
    qtbot.mouseClick(reading.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(reading.outcome.isVisible)
    assert not reading.problem.isVisible(), reading.problem.text()
    assert handover.pending(db) == []
    qtbot.waitUntil(lambda: not incoming.status.isVisible())
    outgoing.refresh()
    qtbot.waitUntil(lambda: not outgoing.status.isVisible())  # gone from every status bar


def test_its_author_is_not_offered_accept_and_is_refused(two_desks, db, qtbot):
    night, _day = two_desks
    desk = night.desks.shift_handover
    started = handover.start(db, "nuit", Role.DISPATCHER, "")
    desk.refresh()
    qtbot.waitUntil(desk.status.isVisible)
    desk.open_waiting()
    own = desk.dialog
    assert own is not None
    qtbot.waitUntil(own.outcome.isVisible)
    assert "waiting for the next operator" in own.outcome.text()
    assert not own.accept_button.isVisible()  # never offered to its author
    # Were the request made anyway, the record refuses it and the dialog says so.
    own.sig_accept_requested.emit(started.id)
    qtbot.waitUntil(own.problem.isVisible)
    assert "nuit" in own.problem.text() and "another operator" in own.problem.text()
    assert [h.id for h in handover.pending(db)] == [started.id]


def test_a_role_that_may_not_hand_over_sees_the_entry_refused(qtbot):
    window = MainWindow("n.faure")
    qtbot.addWidget(window)
    seat = Seat("n.faure", Role.AUDITOR, None, Bridge(), None, window, {}, load_matrix())  # type: ignore[arg-type]
    desk = ShiftHandoverDesk(seat)
    try:
        assert not desk.action.isEnabled()
        assert "may not" in desk.action.toolTip()
        assert desk.action in window.file_menu.actions()
        # The word, shown or not, never makes the status bar (and so every panel) change height.
        desk.show_waiting([])
        tallest = window.operator_label.sizeHint().height()
        assert desk.status.sizeHint().height() <= tallest
    finally:
        seat.bridge.shutdown()


def test_the_status_bar_counts_every_handover_waiting_not_only_those_read(qtbot):
    from datetime import UTC, datetime

    from services.domain.handover import Handover, Waiting

    window = MainWindow("jour")
    qtbot.addWidget(window)
    seat = Seat("jour", Role.DISPATCHER, None, Bridge(), None, window, {}, load_matrix())  # type: ignore[arg-type]
    desk = ShiftHandoverDesk(seat)
    at = datetime(2026, 12, 6, 6, 0, tzinfo=UTC)
    newest = [Handover(30 - n, "nuit", "dispatcher", at, at, "", None, None) for n in range(3)]
    try:
        desk.show_waiting(Waiting(newest, total=23))  # the newest 3 read, 23 waiting
        assert desk.status.text().endswith("(and 22 older)")
        desk.show_waiting(newest[:2])
        assert desk.status.text().endswith("(and 1 older)")
    finally:
        seat.bridge.shutdown()
