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
from services.domain.room_time import moment
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
    said = f"Handover from nuit at {moment(started.started_at)} not accepted"
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
        assert desk.status.text().endswith("(and 22 more)")
        desk.show_waiting(newest[:2])
        assert desk.status.text().endswith("(and 1 more)")
    finally:
        seat.bridge.shutdown()


def _desk(qtbot, operator: str, role: Role) -> ShiftHandoverDesk:
    window = MainWindow(operator)
    qtbot.addWidget(window)
    seat = Seat(operator, role, None, Bridge(), None, window, {}, load_matrix())  # type: ignore[arg-type]
    return ShiftHandoverDesk(seat)


def test_the_status_bar_names_the_handover_of_the_readers_own_role_first(qtbot):
    from datetime import UTC, datetime, timedelta

    from services.domain.handover import Handover, Waiting

    at = datetime.now(UTC).replace(microsecond=0)
    technician = Handover(3, "t.roux", "technician", at, at, "", None, None)
    snow = Handover(2, "s.neige", "snow_coordinator", at - timedelta(minutes=1), at, "", None, None)
    dispatcher = Handover(1, "nuit", "dispatcher", at - timedelta(minutes=2), at, "", None, None)
    desk = _desk(qtbot, "jour", Role.DISPATCHER)
    try:
        desk.show_waiting(Waiting([technician, snow, dispatcher], total=3))  # newest first
        assert desk.status.text() == (
            f"Handover from nuit at {moment(dispatcher.started_at)} not accepted (and 2 more)"
        )
        tooltip = desk.status.toolTip()
        assert tooltip.index("nuit") < tooltip.index("t.roux") < tooltip.index("s.neige")
        assert "choose" in tooltip
        assert [h.id for h in desk.waiting] == [1, 3, 2]  # own role, then the newest first
        desk.show_waiting(Waiting([technician, snow], total=2))  # none of the reader's role
        assert desk.status.text().startswith("Handover from t.roux at ")  # the newest
    finally:
        desk.seat.bridge.shutdown()


def test_a_handover_waiting_since_yesterday_says_its_day(qtbot):
    from datetime import UTC, datetime, timedelta

    from services.domain.handover import Handover

    yesterday = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    desk = _desk(qtbot, "jour", Role.DISPATCHER)
    try:
        desk.show_waiting([Handover(1, "nuit", "dispatcher", yesterday, yesterday, "", None, None)])
        day = moment(yesterday).split(" ")[0]  # dd/mm
        assert "/" in day
        assert desk.status.text() == f"Handover from nuit at {moment(yesterday)} not accepted"
    finally:
        desk.seat.bridge.shutdown()


def test_with_several_waiting_a_click_offers_each_the_readers_role_first(two_desks, db, qtbot):
    _night, day = two_desks
    desk = day.desks.shift_handover
    # At 07:00 three desks hand over: the dispatcher's, the technician's, the snow coordinator's.
    dispatcher = handover.start(db, "nuit", Role.DISPATCHER, "")
    technician = handover.start(db, "t.roux", Role.TECHNICIAN, "Armoire AR-12 à revoir")
    snow = handover.start(db, "c.morel", Role.SNOW_COORDINATOR, "")
    desk.refresh()
    qtbot.waitUntil(lambda: desk.status.text().endswith("(and 2 more)"))
    assert desk.status.text().startswith("Handover from nuit at ")
    qtbot.mouseClick(desk.status, Qt.MouseButton.LeftButton)
    chooser = desk.chooser
    assert chooser is not None and chooser.isVisible()
    assert desk.dialog is None  # nothing opened before the reader chooses
    shown = [chooser.choices.item(n) for n in range(chooser.choices.count())]
    ids = [item.data(Qt.ItemDataRole.UserRole) for item in shown]
    assert ids == [dispatcher.id, snow.id, technician.id]  # own role, then the newest first
    said = f"nuit (dispatcher) handed over at {moment(dispatcher.started_at)}"
    assert shown[0].text() == said
    assert "t.roux (technician)" in shown[2].text()
    # Any of them opens in the handover dialog: here the technician's.
    chooser.choices.setCurrentRow(2)
    qtbot.mouseClick(chooser.open_button, Qt.MouseButton.LeftButton)
    assert not chooser.isVisible()
    reading = desk.dialog
    assert reading is not None and not reading.outgoing
    qtbot.waitUntil(lambda: reading.accept_button.isVisible())
    assert "t.roux" in reading.heading.text()
    assert reading.remarks.toPlainText() == "Armoire AR-12 à revoir"
    assert reading.handover_id == technician.id
