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
    from console.shell.login import PasswordCheck
    from tests.conftest import ROOM_PASSWORD

    waited: list[float] = []
    check = PasswordCheck(db, pause=waited.append)
    for _ in range(6):
        assert isinstance(check("c.bernard", "devine"), str)
    assert waited == [1, 1, 1, 2, 4, 8]
    assert isinstance(check("c.bernard", ROOM_PASSWORD), Operator)
    check("c.bernard", "devine")
    assert waited[-1] == 1  # counted again from the last login
    for _ in range(10):
        check("inconnu", "devine")
    assert max(waited) == 30
