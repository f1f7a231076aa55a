"""The login dialog: the password checked off the GUI thread, a refusal shown, a login kept."""

import threading
from datetime import UTC, datetime

from services.domain.operators import Operator, Role
from widgets.login_dialog import LoginDialog

T0 = datetime(2026, 12, 5, 7, 0, tzinfo=UTC)
PEOPLE = [
    Operator("c.bernard", Role.DISPATCHER, T0, "root"),
    Operator("root", Role.ADMIN, T0, "system:db"),
]


def checker(calls):
    def check(name, password):
        calls.append((name, threading.current_thread() is threading.main_thread()))
        if password == "bon-mot-de-passe":
            return next(p for p in PEOPLE if p.name == name)
        return "refusé : nom ou mot de passe non accepté"

    return check


def test_the_default_is_preselected_and_a_listed_name_reads_as_the_name(qtbot):
    dialog = LoginDialog(PEOPLE, "root", checker([]))
    qtbot.addWidget(dialog)
    assert dialog.chosen == "root"
    dialog.name.setCurrentIndex(0)
    assert dialog.chosen == "c.bernard"
    dialog.name.setEditText("m.inconnu")  # a name the list does not show can be typed
    assert dialog.chosen == "m.inconnu"


def test_a_wrong_password_is_refused_in_words_then_the_right_one_logs_in(qtbot):
    calls = []
    dialog = LoginDialog(PEOPLE, "c.bernard", checker(calls))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.try_login()  # nothing typed: asked for, nothing checked
    assert calls == [] and dialog.status.text()
    dialog.password.setText("mauvais")
    dialog.try_login()
    qtbot.waitUntil(lambda: "refusé" in dialog.status.text())
    assert dialog.operator is None and dialog.password.text() == ""  # typed again, not kept
    dialog.password.setText("bon-mot-de-passe")
    with qtbot.waitSignal(dialog.accepted):
        dialog.try_login()
    assert dialog.operator == PEOPLE[0]
    assert [on_gui_thread for _, on_gui_thread in calls] == [False, False]


def test_refusals_in_a_row_wait_longer_each_time_and_a_login_starts_again(db):
    from console.shell.login import Desk, PasswordCheck
    from tests.conftest import ROOM_PASSWORD

    waited: list[float] = []
    desk = Desk()
    check = PasswordCheck(db, pause=waited.append, desk=desk)
    for _ in range(6):
        assert isinstance(check("c.bernard", "devine"), str)
    assert waited == [1, 1, 1, 2, 4, 8]
    assert isinstance(check("c.bernard", ROOM_PASSWORD), Operator)
    check("c.bernard", "devine")
    assert waited[-1] == 1  # counted again from the last login
    for _ in range(10):
        check("inconnu", "devine")
    assert max(waited) == 30
    # Another dialog at the same desk (Quit, then Log in again) goes on counting.
    again = PasswordCheck(db, pause=waited.append, desk=desk)
    again("c.bernard", "devine")
    assert waited[-1] == 30


def test_a_desk_that_cannot_reach_its_database_is_no_guess(tmp_path):
    from console.shell.login import Desk, PasswordCheck
    from services.store.database import Database

    waited: list[float] = []
    away = Database(f"sqlite:///{tmp_path / 'absent' / 'vigie.db'}")
    said = PasswordCheck(away, pause=waited.append, desk=Desk())("c.bernard", "devine")
    assert isinstance(said, str) and waited == []


def test_the_dialog_cannot_be_closed_while_a_password_is_checked(qtbot):
    answer = threading.Event()

    def slow(name, password):
        answer.wait(5)
        return "refusé : nom ou mot de passe non accepté"

    dialog = LoginDialog(PEOPLE, "c.bernard", slow)
    qtbot.addWidget(dialog)
    dialog.show()
    closed: list[bool] = []
    dialog.rejected.connect(lambda: closed.append(True))
    dialog.password.setText("devine")
    dialog.try_login()
    dialog.reject()  # Quit or Escape while it is checked
    assert dialog.isVisible() and closed == []
    answer.set()
    qtbot.waitUntil(lambda: "refusé" in dialog.status.text())
    dialog.reject()
    assert not dialog.isVisible() and closed == [True]
