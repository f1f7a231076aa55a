"""The shift handover's dialog: the summary as written, remarks, Hand over for its author only
after the summary is read, Accept for another operator only, refusals said."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from console.text.handover import summary_sections
from services.domain.handover import (
    MAX_REMARKS_LENGTH,
    DeviceFault,
    Handover,
    LastAct,
    ModeInForce,
    OpenIncident,
    Summary,
)
from services.domain.journal import JournalEntry
from widgets.handover import PendingHandoverLabel, ShiftHandoverDialog

AT = datetime(2026, 12, 6, 5, 58, tzinfo=UTC)
MARKUP = "<b>Rue de la Liberté</b> <img src='file:///etc/passwd'>"


def summary(remarks: str = "") -> Summary:
    given = Handover(1, "nuit", "dispatcher", AT, AT - timedelta(hours=12), remarks, None, None)
    act = LastAct("status", "dispatched", AT - timedelta(minutes=20), "nuit")
    return Summary(
        handover=given,
        open_incidents=[
            OpenIncident(
                7, 1, "fire", "21231", "Dijon", MARKUP, "dispatched", AT, act, "VSAV Dijon 2"
            )
        ],
        units_out=None,  # not the reader's to see
        modes=[ModeInForce("snow", "1", AT - timedelta(hours=5), "j.petit")],
        faults=[DeviceFault("sl-1", "SL-0042", "Streetlight", "Chenôve", "fault", AT)],
        commands_pending=[],
        approvals_waiting=[],
        camera_views_open=None,
        logbook=[JournalEntry(3, AT - timedelta(hours=2), "nuit", "Salage RN74 demandé")],
    )


def test_the_summary_shows_every_section_as_written_never_as_markup(qtbot):
    dialog = ShiftHandoverDialog(outgoing=False)
    qtbot.addWidget(dialog)
    sections = summary_sections(summary())
    dialog.show_summary(sections)
    text = dialog.summary.toPlainText()
    for section in sections:
        assert section.title in text
    assert MARKUP in text  # the place as the caller gave it, tags and all
    assert "Salage RN74 demandé" in text
    assert "not shown to your role" in text  # units out: hidden, not "none"
    html = dialog.summary.toHtml()
    assert "<img" not in html
    assert "&lt;img" in html  # escaped: Qt shows it, it does not load it


def test_the_author_hands_over_once_the_summary_is_read_with_remarks(qtbot):
    dialog = ShiftHandoverDialog(outgoing=True)
    qtbot.addWidget(dialog)
    assert dialog.hand_over_button.isVisibleTo(dialog)
    assert not dialog.accept_button.isVisibleTo(dialog)  # its author accepts nothing
    assert not dialog.remarks.isReadOnly()
    assert not dialog.hand_over_button.isEnabled()  # nothing read yet: nothing to hand over
    dialog.show_summary(summary_sections(summary()))
    assert dialog.hand_over_button.isEnabled()
    dialog.remarks.setPlainText("  Rappeler M. Girard (chauffage) avant 9 h  \n")
    with qtbot.waitSignal(dialog.sig_hand_over_requested) as sent:
        qtbot.mouseClick(dialog.hand_over_button, Qt.MouseButton.LeftButton)
    assert sent.args == ["Rappeler M. Girard (chauffage) avant 9 h"]
    assert not dialog.hand_over_button.isEnabled()  # not twice while it is recorded
    dialog.show_problem("the database is out of reach")
    assert dialog.problem.isVisibleTo(dialog)
    assert dialog.hand_over_button.isEnabled()  # refused: it may be tried again
    dialog.show_done("Handed over at 06:58.")
    assert not dialog.hand_over_button.isVisibleTo(dialog)
    assert dialog.remarks.isReadOnly()
    assert not dialog.problem.isVisibleTo(dialog)


def test_remarks_longer_than_the_record_keeps_cannot_be_handed_over(qtbot):
    dialog = ShiftHandoverDialog(outgoing=True)
    qtbot.addWidget(dialog)
    dialog.show_summary(summary_sections(summary()))
    dialog.remarks.setPlainText("x" * (MAX_REMARKS_LENGTH + 1))
    assert not dialog.hand_over_button.isEnabled()
    assert "-1" in dialog.remarks_count.text()
    dialog.remarks.setPlainText("x" * MAX_REMARKS_LENGTH)
    assert dialog.hand_over_button.isEnabled()
    assert dialog.remarks_count.text().startswith("0 ")


def test_another_operator_reads_the_remarks_and_accepts(qtbot):
    dialog = ShiftHandoverDialog(outgoing=False)
    qtbot.addWidget(dialog)
    assert not dialog.hand_over_button.isVisibleTo(dialog)
    assert not dialog.accept_button.isVisibleTo(dialog)  # till the handover is known
    assert dialog.remarks.isReadOnly()
    dialog.show_remarks("<i>Rappeler</i> M. Girard")
    assert dialog.remarks.toPlainText() == "<i>Rappeler</i> M. Girard"
    dialog.show_summary(summary_sections(summary()))
    dialog.offer_accept(1, "")
    assert dialog.accept_button.isVisibleTo(dialog) and dialog.accept_button.isEnabled()
    with qtbot.waitSignal(dialog.sig_accept_requested) as accepted:
        qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert accepted.args == [1]
    assert not dialog.accept_button.isEnabled()


def test_accept_may_be_tried_again_after_it_failed(qtbot):
    dialog = ShiftHandoverDialog(outgoing=False)
    qtbot.addWidget(dialog)
    dialog.show_summary(summary_sections(summary()))
    dialog.offer_accept(1, "")
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert not dialog.accept_button.isEnabled()  # once, while the console acts
    dialog.show_problem("the database cannot be reached")
    assert dialog.accept_button.isEnabled()
    with qtbot.waitSignal(dialog.sig_accept_requested) as accepted:
        qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert accepted.args == [1]
    dialog.show_done("Accepted at 07:02: the shift is yours.")
    dialog.show_problem("late word")  # whatever comes after, nothing to accept any more
    assert dialog.accept_button.isHidden()


def test_a_refused_accept_stays_refused_after_a_problem(qtbot):
    dialog = ShiftHandoverDialog(outgoing=False)
    qtbot.addWidget(dialog)
    dialog.offer_accept(1, "n.faure (auditor) may not accept a handover")
    dialog.show_problem("the database cannot be reached")
    assert not dialog.accept_button.isEnabled()


def test_a_role_that_may_not_accept_is_told_why(qtbot):
    dialog = ShiftHandoverDialog(outgoing=False)
    qtbot.addWidget(dialog)
    dialog.offer_accept(1, "n.faure (auditor) may not accept a handover")
    assert dialog.accept_button.isVisibleTo(dialog)
    assert not dialog.accept_button.isEnabled()
    assert "may not accept" in dialog.accept_button.toolTip()


def test_no_remarks_are_said_as_none(qtbot):
    dialog = ShiftHandoverDialog(outgoing=False)
    qtbot.addWidget(dialog)
    dialog.show_remarks("")
    assert dialog.remarks.placeholderText() == "No remarks."


def test_the_status_bar_word_shows_names_as_written_and_opens_on_a_click(qtbot):
    word = PendingHandoverLabel()
    qtbot.addWidget(word)
    assert word.isHidden()  # nothing waits: nothing said
    word.show_pending("Handover from <b>nuit</b> at 06:58 not accepted", "details")
    assert word.isVisible() and word.textFormat() == Qt.TextFormat.PlainText
    with qtbot.waitSignal(word.sig_clicked):
        qtbot.mouseClick(word, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(word.sig_clicked):
        qtbot.keyClick(word, Qt.Key.Key_Return)
    word.show_pending("", "")
    assert not word.isVisible()


def test_each_section_is_listed_with_its_count_and_a_click_goes_to_it(qtbot):
    dialog = ShiftHandoverDialog(outgoing=False)
    qtbot.addWidget(dialog)
    given = summary()
    many = [
        OpenIncident(
            100 + n, 3, "noise", "21231", "Dijon", f"{n} rue Berbisey", "new", AT, None, None
        )
        for n in range(80)
    ]
    given = replace(given, open_incidents=given.open_incidents + many)
    sections = [s for s in summary_sections(given) if s.key != "remarks"]
    counts = {"open_incidents": 81, "units_out": None, "logbook": 1}
    dialog.show_summary(sections, counts, {"open_incidents": 1})
    listed = [dialog.sections.item(n).text() for n in range(dialog.sections.count())]
    assert listed[0] == "Open incidents (81)"
    assert "Units out (not shown to your role)" in listed
    assert "Logbook of the shift (1)" in listed
    dialog.resize(900, 600)
    dialog.show()
    bar = dialog.summary.verticalScrollBar()
    assert bar.value() == 0
    dialog.sections.itemClicked.emit(dialog.sections.item(len(listed) - 1))
    qtbot.waitUntil(lambda: bar.value() > 0)  # the logbook, under 81 incidents, brought to view


def test_the_p1_incidents_are_read_first_in_bold(qtbot):
    dialog = ShiftHandoverDialog(outgoing=False)
    qtbot.addWidget(dialog)
    given = summary()
    p2 = OpenIncident(8, 2, "traffic", "21231", "Dijon", "Place Darcy", "new", AT, None, None)
    given = replace(given, open_incidents=[*given.open_incidents, p2])
    dialog.show_summary(summary_sections(given), {}, {"open_incidents": 1})

    def weight(fragment: str) -> QFont.Weight:
        block = dialog.summary.document().find(fragment).block()
        return block.begin().fragment().charFormat().fontWeight()

    assert weight("#7") == QFont.Weight.Bold
    assert weight("Place Darcy") == QFont.Weight.Normal


def test_enter_pressed_in_the_dialog_neither_hands_over_nor_accepts(qtbot):
    dialog = ShiftHandoverDialog(outgoing=False)
    qtbot.addWidget(dialog)
    dialog.show_summary(summary_sections(summary()))
    dialog.offer_accept(1, "")
    dialog.show()
    accepted = []
    dialog.sig_accept_requested.connect(accepted.append)
    qtbot.keyClick(dialog.summary, Qt.Key.Key_Return)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert accepted == []
    assert not dialog.accept_button.autoDefault()
