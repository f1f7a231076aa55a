"""The desk changes hands: Ctrl+L or idle locks it, the same operator unlocks, another takes over.

The new operator's console is their own: their name on the status bar and on their acts, their
role's permissions at once (what was refused to the previous one may be allowed, and back).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from console.app import Console, Workstation
from services.domain.operators import Operator, Role
from services.domain.permissions import Act
from services.store import operators
from tests.conftest import ROOM_PASSWORD


@pytest.fixture
def desk(db, broker, qtbot, tmp_path):
    def make(who: Operator, database, hand_over) -> Console:
        console = Console(
            database,
            broker.url,
            "lock",
            who.name,
            who.role,
            config_folder=tmp_path / "config",
            lock_after=timedelta(minutes=15),
            on_hand_over=hand_over,
        )
        qtbot.addWidget(console.window)
        return console

    workstation = Workstation(make)
    with db.read() as s:
        workstation.open(operators.get(s, "c.bernard"), db)
    yield workstation
    workstation.console.stop()


def log_in_at_the_lock(qtbot, console: Console, name: str, password: str) -> None:
    qtbot.waitUntil(lambda: console.login is not None and console.login.isVisible())
    dialog = console.login
    index = dialog.name.findData(name)
    assert index >= 0, "the lock's dialog lists the operators of the database"
    dialog.name.setCurrentIndex(index)
    dialog.password.setText(password)
    dialog.try_login()


def test_ctrl_l_hides_the_desk_and_the_same_operator_unlocks_it(desk, qtbot):
    console = desk.console
    qtbot.keyClick(console.window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert console.lock.locked and console.lock.cover.isVisible()
    assert console.lock.cover.geometry() == console.window.rect()  # the whole window, covered
    log_in_at_the_lock(qtbot, console, "c.bernard", "pas le bon")
    qtbot.waitUntil(lambda: "not accepted" in console.login.status.text())
    assert console.lock.locked  # a wrong password leaves it locked
    log_in_at_the_lock(qtbot, console, "c.bernard", ROOM_PASSWORD)
    qtbot.waitUntil(lambda: not console.lock.locked)
    assert desk.console is console and not console.lock.cover.isVisible()


def test_another_operator_takes_the_desk_with_their_own_permissions(desk, qtbot):
    dispatcher = desk.console
    assert dispatcher.seat.may(Act.ACT_ON_INCIDENTS)
    assert not dispatcher.desks.city.panel.traffic.switch_button.isEnabled()
    dispatcher.lock.lock()
    log_in_at_the_lock(qtbot, dispatcher, "t.roux", ROOM_PASSWORD)
    qtbot.waitUntil(lambda: desk.console is not dispatcher)
    technician = desk.console
    assert (technician.seat.operator, technician.seat.role) == ("t.roux", Role.TECHNICIAN)
    assert "t.roux" in technician.window.operator_label.text()
    assert technician.desks.city.panel.traffic.switch_button.isEnabled()
    assert not technician.desks.logbook.panel.entry.toolTip()  # a technician writes in it
    assert "may not" in technician.desks.incidents.detail.dispatch_button.toolTip()
    assert technician.seat.db is not dispatcher.seat.db  # opened afresh for the new login
    assert not dispatcher.window.isVisible()  # the previous operator's console is gone


def test_the_desk_locks_itself_after_the_idle_time(db, broker, qtbot, tmp_path):
    console = Console(
        db,
        broker.url,
        "idle",
        "c.bernard",
        Role.DISPATCHER,
        config_folder=tmp_path / "c",
        lock_after=timedelta(milliseconds=300),
    )
    qtbot.addWidget(console.window)
    console.start()
    try:
        qtbot.waitUntil(lambda: console.lock.locked, timeout=5000)
        assert console.lock.cover.isVisible()
    finally:
        console.stop()
