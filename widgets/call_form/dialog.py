"""The "Allo mairie" form: what the caller reports, where, and how to call them back.

It builds a ``CallDraft`` and hands it over (``sig_call_submitted``); the console records it and
either closes the form or tells it what is wrong (``show_problem``), keeping what was typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from services.domain.calls import CallDraft
from widgets.labels import CATEGORY, label
from widgets.palette import style_error
from widgets.plain_text import plain_label


def _number(text: str) -> float | None:
    text = text.strip().replace(",", ".")
    return float(text) if text else None


class CallFormDialog(QDialog):
    sig_call_submitted = Signal(object)
    """The operator submitted the form (a CallDraft)."""

    def __init__(self, commune_names: Mapping[str, str], parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("call_form")
        self.setWindowTitle(self.tr("Phone call (Allo mairie)"))
        self.category = QComboBox()
        self.category.addItem(self.tr("— what is it about? —"), "")
        for code in sorted(CATEGORY, key=lambda c: label(CATEGORY, c)):
            self.category.addItem(label(CATEGORY, code), code)
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText(self.tr("What the caller says"))
        self.description.setMaximumHeight(120)
        self.place = QLineEdit()
        self.place.setPlaceholderText(self.tr("Address or landmark"))
        self.commune = QComboBox()
        self.commune.addItem(self.tr("— commune —"), None)
        for insee, name in sorted(commune_names.items(), key=lambda kv: kv[1]):
            self.commune.addItem(name, insee)
        self.lat = QLineEdit()
        self.lat.setPlaceholderText("47.3220")
        self.lon = QLineEdit()
        self.lon.setPlaceholderText("5.0415")
        self.caller_name = QLineEdit()
        self.caller_phone = QLineEdit()
        self.caller_email = QLineEdit()
        self.problem = plain_label()
        style_error(self.problem)
        self.problem.setWordWrap(True)
        self.problem.hide()
        form = QFormLayout()
        form.addRow(self.tr("Category"), self.category)
        form.addRow(self.tr("Description"), self.description)
        form.addRow(self.tr("Place"), self.place)
        form.addRow(self.tr("Commune"), self.commune)
        form.addRow(self.tr("Latitude"), self.lat)
        form.addRow(self.tr("Longitude"), self.lon)
        form.addRow(plain_label(self.tr("Caller (kept apart, deleted after the incident closes)")))
        form.addRow(self.tr("Name"), self.caller_name)
        form.addRow(self.tr("Phone"), self.caller_phone)
        form.addRow(self.tr("E-mail"), self.caller_email)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("Create the incident")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def draft(self) -> CallDraft:
        """What the form says; ``ValueError`` when a coordinate is not a number."""
        return CallDraft(
            category=self.category.currentData() or "",
            description=self.description.toPlainText(),
            place=self.place.text(),
            commune=self.commune.currentData(),
            lat=_number(self.lat.text()),
            lon=_number(self.lon.text()),
            caller_name=self.caller_name.text(),
            caller_phone=self.caller_phone.text(),
            caller_email=self.caller_email.text(),
        )

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def _submit(self) -> None:
        try:
            draft = self.draft()
        except ValueError:
            self.show_problem(self.tr("Latitude and longitude are numbers, such as 47.3220."))
            return
        self.sig_call_submitted.emit(draft)
