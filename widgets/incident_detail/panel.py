"""One incident in detail, with the actions its lifecycle allows now.

The panel shows what it is given (an incident, its history and notes) and asks for changes
through signals; the console performs them and gives the panel the result, or the reason it was
refused (``show_problem``), shown in the panel, never in a modal box that would stop the room.
Everything in it that came from outside (a citizen's description, a place, a unit's name, a note,
a photo's address) is shown as plain text, never as markup (``widgets.plain_text``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.domain.incidents import (
    Incident,
    IncidentChange,
    IncidentNote,
    IncidentStatus,
    Priority,
    allowed_transitions,
)
from widgets.labels import CATEGORY, FIELD, FLAG, SOURCE, STATUS, label
from widgets.palette import Role, style_error, style_text
from widgets.plain_text import plain_label, plain_tooltip
from widgets.refusal import set_permitted

PARIS = ZoneInfo("Europe/Paris")

#: The moves an operator makes from this panel; dispatching has its own flow (the map's).
ACTIONS = (
    (IncidentStatus.ACKNOWLEDGED, QT_TRANSLATE_NOOP("IncidentDetailPanel", "Acknowledge")),
    (IncidentStatus.RESOLVED, QT_TRANSLATE_NOOP("IncidentDetailPanel", "Resolve")),
    (IncidentStatus.CLOSED, QT_TRANSLATE_NOOP("IncidentDetailPanel", "Close")),
    (IncidentStatus.CANCELLED, QT_TRANSLATE_NOOP("IncidentDetailPanel", "Cancel")),
)


def _when(at: datetime) -> str:
    return at.astimezone(PARIS).strftime("%d/%m %H:%M:%S")


class IncidentDetailPanel(QWidget):
    sig_transition_requested = Signal(object, str)
    sig_dispatch_requested = Signal(object)
    """Send a unit to this incident (the incident as shown)."""
    """The operator asks to move the shown incident (as seen) to a status."""
    sig_note_requested = Signal(int, str)
    """The operator wrote a note on an incident."""
    sig_merge_requested = Signal(object, int)
    """The operator merges the shown incident into another (incident as seen, other's id)."""
    sig_priority_requested = Signal(object, int, str)
    """The operator overrides the priority (incident as seen, priority, reason)."""

    def __init__(self, commune_names: Mapping[str, str], parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("incident_detail_panel")
        self._communes = dict(commune_names)
        self.incident: Incident | None = None

        self.title = plain_label(self.tr("No incident selected"))
        font = self.title.font()  # a font, not a style sheet: the text keeps the theme's colour
        font.setPointSize(15)
        font.setBold(True)
        self.title.setFont(font)
        self.problem = plain_label()
        style_error(self.problem)
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.flags = plain_label()
        self.flags.setObjectName("incident_flags")
        self.flags.setWordWrap(True)
        small = self.flags.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.flags.setFont(small)
        # What the recorder noticed in the field's message: amber, smaller, and always with its
        # mark and words (ISA-101: colour never alone), below the title where it does not shout.
        style_text(self.flags, Role.FLAGS)
        self.flags.hide()
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, caption in (
            ("status", self.tr("Status")),
            ("priority", self.tr("Priority")),
            ("category", self.tr("Category")),
            ("source", self.tr("Source")),
            ("commune", self.tr("Commune")),
            ("place", self.tr("Place")),
            ("description", self.tr("Description")),
            ("unit", self.tr("Unit")),
            ("created", self.tr("Created")),
            ("updated", self.tr("Updated")),
        ):
            value = plain_label()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            form.addRow(plain_label(caption), value)

        self.buttons: dict[IncidentStatus, QPushButton] = {}
        actions = QHBoxLayout()
        self.dispatch_button = QPushButton(self.tr("Dispatch…"))
        self.dispatch_button.clicked.connect(self._request_dispatch)
        actions.addWidget(self.dispatch_button)
        for status, text in ACTIONS:
            button = QPushButton(QCoreApplication.translate("IncidentDetailPanel", text))
            button.clicked.connect(lambda _=False, s=status: self._request(s))
            self.buttons[status] = button
            actions.addWidget(button)

        self.priority_choice = QComboBox()
        for priority in Priority:
            self.priority_choice.addItem(priority.name, int(priority))
        self.priority_reason = QLineEdit()
        self.priority_reason.setPlaceholderText(self.tr("Reason for the new priority"))
        self.priority_button = QPushButton(self.tr("Set priority"))
        self.priority_button.clicked.connect(self._request_priority)
        priority_row = QHBoxLayout()
        for widget in (self.priority_choice, self.priority_reason, self.priority_button):
            priority_row.addWidget(widget)

        self.photo = plain_label()  # a note naming the photo's address when it is not shown
        self.photo.setObjectName("citizen_photo")
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.hide()
        self.duplicates = QListWidget()
        self.duplicates.setMaximumHeight(80)
        self.merge_button = QPushButton(self.tr("Merge into the selected one (duplicate)"))
        self.merge_button.clicked.connect(self._request_merge)
        self.duplicates_box = QWidget()
        box = QVBoxLayout(self.duplicates_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(plain_label(self.tr("Possible duplicates (same category, 100 m, 2 h)")))
        box.addWidget(self.duplicates)
        box.addWidget(self.merge_button)
        self.duplicates_box.hide()
        self.history = QListWidget()
        self.notes = QListWidget()
        for listing in (self.history, self.notes):
            # a note is read whole, not scrolled sideways (a citizen's text can be long)
            listing.setWordWrap(True)
            listing.setResizeMode(QListWidget.ResizeMode.Adjust)
            listing.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.note_text = QLineEdit()
        self.note_text.setPlaceholderText(self.tr("Write a note and press Enter"))
        self.note_text.returnPressed.connect(self._request_note)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.problem)
        layout.addWidget(self.flags)
        layout.addLayout(form)
        layout.addWidget(self.photo)
        layout.addLayout(actions)
        layout.addLayout(priority_row)
        layout.addWidget(self.duplicates_box)
        layout.addWidget(plain_label(self.tr("History")))
        layout.addWidget(self.history, 1)
        layout.addWidget(plain_label(self.tr("Notes")))
        layout.addWidget(self.notes, 1)
        layout.addWidget(self.note_text)
        self.refusal = ""  # why this operator may not act on incidents, if they may not
        self._enable_actions()

    # --- what the console gives -----------------------------------------------------------------
    def show_incident(
        self,
        incident: Incident,
        history: list[IncidentChange],
        notes: list[IncidentNote],
        duplicates: list[Incident] | None = None,
    ) -> None:
        self.incident = incident
        self.problem.hide()
        self.title.setText(
            f"#{incident.id}  {incident.priority.name}  {label(CATEGORY, incident.category)}"
        )
        priority = incident.priority.name
        if incident.priority_reason:
            priority += f" ({incident.priority_reason})"
        values = {
            "status": label(STATUS, incident.status.value),
            "priority": priority,
            "category": label(CATEGORY, incident.category),
            "source": f"{label(SOURCE, incident.source.value)} {incident.source_ref or ''}",
            "commune": self._communes.get(incident.commune or "", incident.commune or ""),
            "place": incident.place or "",
            "description": incident.description,
            "unit": incident.assigned_unit or "",
            "created": _when(incident.created_at),
            "updated": f"{_when(incident.updated_at)}  v{incident.version}",
        }
        for key, text in values.items():
            self.fields[key].setText(text)
        self._show_flags(incident.flags)
        self.history.clear()
        for change in history:
            old, new = change.old, change.new
            if change.field in ("status", "created"):
                old, new = label(STATUS, old), label(STATUS, new)
            reason = f" — {change.reason}" if change.reason and change.reason != new else ""
            self.history.addItem(
                f"{_when(change.at)}  {change.by}: {label(FIELD, change.field)} "
                f"{old or '∅'} → {new or '∅'}{reason}"
            )
        self.notes.clear()
        for note in notes:
            self.notes.addItem(f"{_when(note.at)}  {note.by}: {note.text}")
        self.duplicates.clear()
        for other in duplicates or []:
            item = QListWidgetItem(
                f"#{other.id}  {other.priority.name}  {label(STATUS, other.status.value)}  "
                f"{other.place or ''}  {_when(other.created_at)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, other.id)
            self.duplicates.addItem(item)
        if duplicates:
            self.duplicates.setCurrentRow(0)
        self.duplicates_box.setVisible(bool(duplicates) and incident.is_open)
        self._enable_actions()

    def _show_flags(self, flags: tuple[str, ...]) -> None:
        """What the recorder noticed in the message, in words; the codes in the tooltip."""
        self.flags.setVisible(bool(flags))
        if not flags:
            self.flags.clear()
            self.flags.setToolTip("")
            return
        words = "; ".join(label(FLAG, flag) for flag in flags)
        self.flags.setText(self.tr("⚠ As received: %1").replace("%1", words))
        self.flags.setToolTip(plain_tooltip(", ".join(flags)))

    def show_photo(self, data: bytes | None, note: str = "") -> None:
        """The citizen's photo, or a line saying where it is and why it is not shown."""
        image = QPixmap()
        if data and image.loadFromData(data):
            self.photo.setPixmap(
                image.scaled(
                    320,
                    200,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
            self.photo.show()
        elif note:
            self.photo.setText(note)
            self.photo.show()
        else:
            self.photo.clear()
            self.photo.hide()

    def show_problem(self, text: str) -> None:
        """Say why the last request was refused (a stale version, a refused move)."""
        self.problem.setText(text)
        self.problem.show()

    def refuse(self, refusal: str) -> None:
        """The operator may not act on incidents: every act here is disabled, saying why."""
        self.refusal = refusal
        self._enable_actions()

    # --- what the operator asks ---------------------------------------------------------------
    def _enable_actions(self) -> None:
        allowed = allowed_transitions(self.incident.status) if self.incident else frozenset()
        for status, button in self.buttons.items():
            set_permitted(button, status in allowed, self.refusal)
        located = bool(self.incident and self.incident.location)
        set_permitted(
            self.dispatch_button, IncidentStatus.DISPATCHED in allowed and located, self.refusal
        )
        set_permitted(self.merge_button, True, self.refusal)
        is_open = bool(self.incident and self.incident.is_open)
        for widget in (
            self.priority_choice,
            self.priority_reason,
            self.priority_button,
            self.note_text,
        ):
            enabled = is_open if widget is not self.note_text else bool(self.incident)
            set_permitted(widget, enabled, self.refusal)

    def _request(self, status: IncidentStatus) -> None:
        if self.incident is not None:
            self.sig_transition_requested.emit(self.incident, status.value)

    def _request_dispatch(self) -> None:
        if self.incident is not None:
            self.sig_dispatch_requested.emit(self.incident)

    def _request_priority(self) -> None:
        if self.incident is None:
            return
        reason = self.priority_reason.text().strip()
        if not reason:
            self.show_problem(self.tr("Say why the priority changes."))
            return
        self.sig_priority_requested.emit(self.incident, self.priority_choice.currentData(), reason)
        self.priority_reason.clear()

    def _request_merge(self) -> None:
        item = self.duplicates.currentItem()
        if self.incident is not None and item is not None:
            self.sig_merge_requested.emit(self.incident, item.data(Qt.ItemDataRole.UserRole))

    def _request_note(self) -> None:
        text = self.note_text.text().strip()
        if self.incident is not None and text:
            self.sig_note_requested.emit(self.incident.id, text)
            self.note_text.clear()
