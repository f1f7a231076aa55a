"""The dispatch dialog: an available unit is sent at once; a busy one only once confirmed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from widgets.dispatch.dialog import DispatchDialog

QUESTION = "Re-task P2 to incident #9? It leaves incident #4."


def _dialog(qtbot, answers: list[bool]) -> tuple[DispatchDialog, list[str], list[tuple]]:
    dialog = DispatchDialog(
        "Send a unit to incident #9:",
        [("patrol:1", "P1: 0.4 km"), ("patrol:2", "P2: 0.2 km — busy with incident #4")],
        retask={"patrol:2": QUESTION},
    )
    qtbot.addWidget(dialog)
    asked: list[str] = []
    chosen: list[tuple] = []

    def confirm(question: str) -> bool:
        asked.append(question)
        return answers.pop(0)

    dialog.confirm = confirm  # type: ignore[method-assign]
    dialog.sig_unit_chosen.connect(lambda unit: chosen.append(("dispatch", unit)))
    dialog.sig_retask_chosen.connect(lambda unit: chosen.append(("retask", unit)))
    return dialog, asked, chosen


def test_an_available_unit_is_sent_without_a_question(qtbot):
    dialog, asked, chosen = _dialog(qtbot, [])
    dialog.show()
    dialog.accept()
    assert (asked, chosen) == ([], [("dispatch", "patrol:1")])


def test_a_busy_unit_is_retasked_only_once_confirmed(qtbot):
    dialog, asked, chosen = _dialog(qtbot, [False, True])
    dialog.show()
    dialog.units.setCurrentRow(1)
    assert dialog.units.item(1).font().italic() and not dialog.units.item(0).font().italic()
    dialog.accept()  # the operator says no: nothing chosen, the dialog stays open
    assert asked == [QUESTION] and chosen == [] and dialog.isVisible()
    dialog.accept()
    assert chosen == [("retask", "patrol:2")] and not dialog.isVisible()


def test_the_heading_is_plain_text(qtbot):
    dialog = DispatchDialog("<b>#9</b>", [("u", "<h1>x</h1>")])
    qtbot.addWidget(dialog)
    heading = dialog.findChild(QLabel)
    assert heading.textFormat() is Qt.TextFormat.PlainText and heading.text() == "<b>#9</b>"
