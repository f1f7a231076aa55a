"""File > Daily report…: the day's PDF from the console, for the roles that run reports.

Shown only to a role with ``run_reports`` (supervisors, auditors). The operator picks a day of
the room's calendar (yesterday by default) and where to save; the figures are read on the acts
lane (refused there too, in the services' words, if the role lost the act), the PDF is laid out on
the GUI thread into memory (Qt draws the chart there), and the file is written and the act
audited on the acts lane again (``console.reports.record``): the GUI thread never waits on the
database nor on the disk.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
)

from console.desks.seat import Seat
from console.reports.daily import Report, pdf_bytes
from console.reports.record import deliver, read_figures
from console.text import report as words
from console.text.i18n import fill, translate
from console.text.messages import describe
from services.domain.errors import VigieError
from services.domain.permissions import Act
from services.domain.room_time import room_zone
from widgets.statistics.panel import date_format


class ReportDesk:
    def __init__(self, seat: Seat) -> None:
        self.seat = seat
        self.action: QAction | None = None
        self.dialog: QDialog | None = None
        self.saving: QFileDialog | None = None
        if not seat.may(Act.RUN_REPORTS):
            return  # not greyed out: a report is no part of these roles' work
        window = seat.window
        self.action = QAction(translate("console", "Daily report…"), window)
        self.action.setObjectName("daily_report_action")
        self.action.triggered.connect(lambda: self.ask_day())
        window.file_menu.insertAction(window.quit_action, self.action)
        window.file_menu.insertSeparator(window.quit_action)

    def ask_day(self) -> QDialog:
        """Which day: a date of the room's calendar, yesterday unless changed, today at most."""
        today = datetime.now(UTC).astimezone(room_zone()).date()
        dialog = QDialog(self.seat.window)
        dialog.setObjectName("daily_report_dialog")
        dialog.setWindowTitle(translate("console", "Daily report"))
        chooser = QDateEdit(_qdate(today - timedelta(days=1)))
        chooser.setObjectName("daily_report_date")
        chooser.setCalendarPopup(True)
        # Written as the report's language writes a day (the Statistics panel's way), not as
        # the system's short format would (``12/4/26`` on an American system, in French).
        chooser.setLocale(words.locale())
        chooser.setDisplayFormat(date_format(words.locale()))
        chooser.setMaximumDate(_qdate(today))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form = QFormLayout(dialog)
        form.addRow(translate("console", "Day (room time):"), chooser)
        form.addRow(buttons)
        dialog.accepted.connect(lambda: self.ask_file(chooser.date().toPython()))
        self.dialog = dialog
        dialog.open()
        return dialog

    def ask_file(self, day: date) -> QFileDialog:
        saving = QFileDialog(self.seat.window, translate("console", "Save the daily report"))
        saving.setObjectName("daily_report_file")
        saving.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        saving.setNameFilter(translate("console", "PDF documents (*.pdf)"))
        saving.setDefaultSuffix("pdf")
        saving.selectFile(fill(translate("console", "daily-report-{day}.pdf"), {"day": day}))
        saving.fileSelected.connect(lambda name: self.produce(day, Path(name)))
        self.saving = saving
        saving.open()
        return saving

    def produce(self, day: date, out: Path) -> None:
        self.seat.bridge.start(self._produce(day, out))

    async def _produce(self, day: date, out: Path) -> None:
        seat = self.seat
        seat.tell(
            fill(
                translate("console", "Daily report of {day}: reading the record…"),
                {"day": words.long_date(day)},
            )
        )
        try:
            figures = await seat.bridge.acts.run(
                read_figures, seat.db, seat.operator, day, room_zone()
            )
        except VigieError as error:
            seat.tell(describe(error))
            return
        names = seat.names
        printed = pdf_bytes(Report(figures, day, seat.operator, datetime.now(UTC), names))
        try:
            await seat.bridge.acts.run(deliver, seat.db, seat.operator, day, printed.data, out)
        except VigieError as error:
            seat.tell(describe(error))
            return
        except OSError as error:
            seat.tell(
                fill(
                    translate("console", "The daily report could not be written to {file}: {why}"),
                    {"file": out, "why": error.strerror or error},
                )
            )
            return
        seat.tell(
            fill(
                translate("console", "Daily report of {day} written to {file} ({pages} pages)"),
                {"day": words.long_date(day), "file": out, "pages": printed.pages},
            )
        )


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
