"""One incident in detail, with the actions its lifecycle allows now.

The panel shows what it is given (an incident, its history and notes) and asks for changes
through signals; the console performs them and gives the panel the result, or the reason it was
refused (``show_problem``), shown in the panel, never in a modal box that would stop the room.
The shown incident is followed live (``follow_incident``): while the record holds a newer version
than the one shown, a line says so; the operator's unsaved text is never replaced, and is said to
be kept when the incident changes under it.
Everything in it that came from outside (a citizen's description, a place, a unit's name, a note,
a photo's address) is shown as plain text, never as markup (``widgets.plain_text``).
On a citizen's report a note may be public: the citizen reads the latest public one (Open311's
``status_notes``). A note is internal unless the operator ticks "Public" for it, the tick never
outlives the note it was given for, public notes are marked in the list, and a box says what the
citizen reads now, word for word.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.domain.incidents import (
    ACTIVE_ASSIGNMENT,
    Incident,
    IncidentChange,
    IncidentNote,
    IncidentSource,
    IncidentStatus,
    Priority,
    allowed_transitions,
)
from services.domain.room_time import in_room
from widgets.incident_detail.cameras import NearbyCameras
from widgets.labels import CATEGORY, FIELD, FLAG, SOURCE, STATUS, label
from widgets.palette import Role, style_error, style_text
from widgets.plain_text import plain_label, plain_tooltip
from widgets.refusal import set_permitted

#: The moves an operator makes from this panel; dispatching has its own flow (the map's).
ACTIONS = (
    (IncidentStatus.ACKNOWLEDGED, QT_TRANSLATE_NOOP("IncidentDetailPanel", "Acknowledge")),
    (IncidentStatus.RESOLVED, QT_TRANSLATE_NOOP("IncidentDetailPanel", "Resolve")),
    (IncidentStatus.CLOSED, QT_TRANSLATE_NOOP("IncidentDetailPanel", "Close")),
    (IncidentStatus.CANCELLED, QT_TRANSLATE_NOOP("IncidentDetailPanel", "Cancel")),
)


#: On a note's item in the list: whether the citizen reads it (its id is the UserRole).
PUBLIC_ROLE = Qt.ItemDataRole.UserRole + 1


def _when(at: datetime) -> str:
    return in_room(at).strftime("%d/%m %H:%M:%S")


def _latest_public(notes: list[IncidentNote]) -> IncidentNote | None:
    """The note the citizen reads: the public one written last (as the Open311 service picks)."""
    public = [note for note in notes if note.public]
    return max(public, key=lambda note: note.id) if public else None


class IncidentDetailPanel(QWidget):
    sig_transition_requested = Signal(object, str)
    sig_dispatch_requested = Signal(object)
    """Send a unit to this incident (the incident as shown)."""
    """The operator asks to move the shown incident (as seen) to a status."""
    sig_note_requested = Signal(int, str, bool)
    """The operator wrote a note on an incident (its id, the text, whether the citizen reads it)."""
    sig_note_public_requested = Signal(int, bool)
    """A note of a citizen's report made public, or internal again (note id, public)."""
    sig_merge_requested = Signal(object, int)
    """The operator merges the shown incident into another (incident as seen, other's id)."""
    sig_priority_requested = Signal(object, int, str)
    """The operator overrides the priority (incident as seen, priority, reason)."""
    sig_shown = Signal(object)
    """An incident is shown (opened, or its newer version): what depends on it follows."""

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
        # Said in amber with its mark (colour never alone): what is shown is not the record's
        # newest, or it changed under what the operator was typing.
        self.outdated = self._notice("incident_outdated")
        self.edit_kept = self._notice("incident_edit_kept")
        self._newest_version = 0  # the newest version of the shown incident this console knows
        #: A unit's name from its id (the console knows the field's units); the id if unknown.
        self.unit_name: Callable[[str], str] = lambda ident: ident
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
        self._shortcuts: dict[IncidentStatus, str] = {}  # a button's key, said in its tooltip
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
        self.cameras = NearbyCameras()  # filled by the video desk, for those who may view
        self.cameras.hide()
        self.history = QListWidget()
        self.notes = QListWidget()
        for listing in (self.history, self.notes):
            # a note is read whole, not scrolled sideways (a citizen's text can be long)
            listing.setWordWrap(True)
            listing.setResizeMode(QListWidget.ResizeMode.Adjust)
            listing.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.notes.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.notes.customContextMenuRequested.connect(self._on_notes_menu)
        self.notes.currentItemChanged.connect(lambda *_: self._enable_note_public())
        self._notes: list[IncidentNote] = []
        self.note_text = QLineEdit()
        self.note_text.returnPressed.connect(self._request_note)
        # Internal is the default, always: unticked for each new note and each incident opened.
        self.note_public = QCheckBox(self.tr("Public: the citizen reads it"))
        self.note_public.setObjectName("note_public")
        self.note_public.setToolTip(
            self.tr(
                "The note is sent to the citizen who reported this incident, as written. "
                "Unticked, it stays internal to the room."
            )
        )
        self.note_public.toggled.connect(self._name_note_field)
        self.note_public.hide()
        self._name_note_field()
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_text, 1)
        note_row.addWidget(self.note_public)
        # One act, from the note's context menu or the button over the list.
        self.note_public_action = QAction(self)
        self.note_public_action.triggered.connect(self._request_note_public)
        self.note_public_button = QPushButton()
        self.note_public_button.setObjectName("note_public_button")
        self.note_public_button.clicked.connect(self._request_note_public)
        self.note_public_button.hide()
        notes_header = QHBoxLayout()
        notes_header.addWidget(plain_label(self.tr("Notes")))
        notes_header.addStretch(1)
        notes_header.addWidget(self.note_public_button)
        self.citizen_box = QGroupBox(self.tr("What the citizen reads"))
        self.citizen_box.setObjectName("citizen_view")
        self.citizen_status = plain_label()
        self.citizen_note = plain_label()
        for line in (self.citizen_status, self.citizen_note):
            line.setWordWrap(True)
            line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        citizen = QVBoxLayout(self.citizen_box)
        citizen.addWidget(self.citizen_status)
        citizen.addWidget(self.citizen_note)
        self.citizen_box.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.problem)
        layout.addWidget(self.outdated)
        layout.addWidget(self.edit_kept)
        layout.addWidget(self.flags)
        layout.addLayout(form)
        layout.addWidget(self.photo)
        layout.addLayout(actions)
        layout.addLayout(priority_row)
        layout.addWidget(self.duplicates_box)
        layout.addWidget(self.cameras)
        layout.addWidget(plain_label(self.tr("History")))
        layout.addWidget(self.history, 1)
        layout.addLayout(notes_header)
        layout.addWidget(self.notes, 1)
        layout.addLayout(note_row)
        layout.addWidget(self.citizen_box)
        self.refusal = ""  # why this operator may not act on incidents, if they may not
        self._enable_actions()

    def _notice(self, name: str) -> QLabel:
        notice = plain_label()
        notice.setObjectName(name)
        notice.setWordWrap(True)
        style_text(notice, Role.WARNING, bold=True)
        notice.hide()
        return notice

    # --- what the console gives -----------------------------------------------------------------
    def show_incident(
        self,
        incident: Incident,
        history: list[IncidentChange],
        notes: list[IncidentNote],
        duplicates: list[Incident] | None = None,
    ) -> None:
        """An incident the operator opened (or just acted on): shown afresh."""
        self.problem.hide()
        self.edit_kept.hide()
        self._fill(incident, history, notes, duplicates)

    def follow_incident(
        self,
        incident: Incident,
        history: list[IncidentChange],
        notes: list[IncidentNote],
        duplicates: list[Incident] | None = None,
    ) -> bool:
        """A newer version of the shown incident, read because it changed: shown in its place.

        The problem of the operator's last request stays (it says why their act did not
        happen); what they were typing is kept, and the panel says the incident changed under
        it. ``False`` (nothing shown) when the panel shows another incident or a newer version.
        """
        shown = self.incident
        if shown is None or shown.id != incident.id or incident.version < shown.version:
            return False
        edited = incident.version > shown.version and self._unsaved_edit()
        self._fill(incident, history, notes, duplicates)
        if edited:
            self.edit_kept.setText(
                self.tr(
                    "✎ Updated to v%1 while you were editing: what you typed is kept; check it "
                    "against this version before sending it."
                ).replace("%1", str(incident.version))
            )
            self.edit_kept.show()
        return True

    def mark_outdated(self, newer: Incident) -> bool:
        """The record holds a newer version of the shown incident than the one shown: say so.

        Said until that version (or a newer one) is shown; ``False`` when it is not news.
        """
        shown = self.incident
        if shown is None or shown.id != newer.id or newer.version <= shown.version:
            return False
        self._newest_version = max(self._newest_version, newer.version)
        self.outdated.setText(
            self.tr("⟳ Changed since it was read (now v%1, %2): reading the latest…")
            .replace("%1", str(newer.version))
            .replace("%2", label(STATUS, newer.status.value))
        )
        self.outdated.show()
        return True

    def outdated_unread(self) -> None:
        """The newer version could not be read: what is shown stays, said to be older."""
        if self.outdated.isVisible():
            self.outdated.setText(
                self.tr("⟳ Not the latest: v%1 is in the record but could not be read.").replace(
                    "%1", str(self._newest_version)
                )
            )

    def _fill(
        self,
        incident: Incident,
        history: list[IncidentChange],
        notes: list[IncidentNote],
        duplicates: list[Incident] | None,
    ) -> None:
        keep_priority = self._priority_edited()  # against the version shown until now
        same = self.incident is not None and self.incident.id == incident.id
        self._newest_version = max(self._newest_version, incident.version) if same else 0
        self.outdated.setVisible(incident.version < self._newest_version)
        self.incident = incident
        self.title.setText(
            f"#{incident.id}  {incident.priority.name}  {label(CATEGORY, incident.category)}"
        )
        if not keep_priority:
            self.priority_choice.setCurrentIndex(
                self.priority_choice.findData(int(incident.priority))
            )
        self._show_fields(incident)
        self._show_flags(incident.flags)
        self._show_history(history)
        if not same or not self.is_report():  # a tick is for the note it was given for
            self.note_public.setChecked(False)
        self.note_public.setVisible(self.is_report())
        self._show_notes(notes, keep_choice=same)
        self._show_citizen_view(incident, notes)
        self._show_duplicates(incident, duplicates or [], keep_choice=same)
        self._enable_actions()
        self.sig_shown.emit(incident)

    def _show_fields(self, incident: Incident) -> None:
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
            "unit": self.unit_name(incident.assigned_unit) if incident.assigned_unit else "",
            "created": _when(incident.created_at),
            "updated": f"{_when(incident.updated_at)}  v{incident.version}",
        }
        for key, text in values.items():
            self.fields[key].setText(text)
        # the unit's id a tooltip away: its name is what the room says on the radio
        self.fields["unit"].setToolTip(plain_tooltip(incident.assigned_unit or ""))

    def _show_history(self, history: list[IncidentChange]) -> None:
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

    def is_report(self) -> bool:
        """The shown incident is a citizen's report: its notes may be made public."""
        return self.incident is not None and self.incident.source is IncidentSource.REPORT

    def _show_notes(self, notes: list[IncidentNote], *, keep_choice: bool) -> None:
        """The notes, public ones marked in words and bold (a report's only: others have none)."""
        chosen = self.notes.currentItem() if keep_choice else None
        chosen_id = chosen.data(Qt.ItemDataRole.UserRole) if chosen is not None else None
        self._notes = list(notes)
        self.notes.clear()
        report = self.is_report()
        for note in notes:
            text = f"{_when(note.at)}  {note.by}: {note.text}"
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, note.id)
            item.setData(PUBLIC_ROLE, note.public)
            if note.public:
                item.setText(self.tr("[public]") + " " + text)
                font = item.font()
                font.setBold(True)
                item.setFont(font)
                item.setToolTip(self.tr("Public: the citizen who reported it can read this note."))
            else:
                item.setText(text)
                if report:
                    item.setToolTip(self.tr("Internal: only the room reads this note."))
            self.notes.addItem(item)
            if note.id == chosen_id:
                self.notes.setCurrentItem(item)

    def _show_citizen_view(self, incident: Incident, notes: list[IncidentNote]) -> None:
        """What the Open311 service answers the citizen now: open or closed, the public note."""
        self.citizen_box.setVisible(self.is_report())
        status = self.tr("Open") if incident.is_open else self.tr("Closed")
        self.citizen_status.setText(self.tr("Status: %1").replace("%1", status))
        latest = _latest_public(notes)
        if latest is None:
            self.citizen_note.setText(
                self.tr("No public note yet: the citizen sees the status only.")
            )
        else:
            self.citizen_note.setText(self.tr("Note: %1").replace("%1", latest.text))

    def _show_duplicates(
        self, incident: Incident, duplicates: list[Incident], *, keep_choice: bool
    ) -> None:
        chosen = self.duplicates.currentItem() if keep_choice else None
        # the one the operator chose to merge into stays chosen while it is still offered
        chosen_id = chosen.data(Qt.ItemDataRole.UserRole) if chosen is not None else None
        self.duplicates.clear()
        for other in duplicates:
            item = QListWidgetItem(
                f"#{other.id}  {other.priority.name}  {label(STATUS, other.status.value)}  "
                f"{other.place or ''}  {_when(other.created_at)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, other.id)
            self.duplicates.addItem(item)
        ids = [other.id for other in duplicates]
        if duplicates:
            self.duplicates.setCurrentRow(ids.index(chosen_id) if chosen_id in ids else 0)
        self.duplicates_box.setVisible(bool(duplicates) and incident.is_open)

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
    def set_shortcut(self, status: IncidentStatus, key: str) -> None:
        """The key that moves the shown incident to ``status``, said in its button's tooltip."""
        self._shortcuts[status] = key
        self._enable_actions()

    def _enable_actions(self) -> None:
        allowed = allowed_transitions(self.incident.status) if self.incident else frozenset()
        for status, button in self.buttons.items():
            set_permitted(button, status in allowed, self.refusal)
            if not self.refusal:  # a refusal is the tooltip while it holds
                button.setToolTip(self._shortcuts.get(status, ""))
        self._name_acknowledge(allowed)
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
        set_permitted(self.note_public, self.is_report(), self.refusal)
        self._enable_note_public()

    def _chosen_note(self) -> tuple[int, bool] | None:
        """The selected note of a report: its id and whether it is public."""
        item = self.notes.currentItem()
        if item is None or not self.is_report():
            return None
        return item.data(Qt.ItemDataRole.UserRole), bool(item.data(PUBLIC_ROLE))

    def _enable_note_public(self) -> None:
        """The make-public act names what it will do to the selected note; a report's only."""
        self.note_public_button.setVisible(self.is_report())
        chosen = self._chosen_note()
        if chosen is not None and chosen[1]:
            text = self.tr("Make internal again")
            why = self.tr("The citizen will no longer read this note.")
        else:
            text = self.tr("Make public")
            why = self.tr("The citizen who reported it will read this note, as written.")
        if chosen is None:
            why = self.tr("Select a note to make it public or internal.")
        self.note_public_action.setText(text)
        self.note_public_action.setEnabled(chosen is not None and not self.refusal)
        self.note_public_button.setText(text)
        set_permitted(self.note_public_button, chosen is not None, self.refusal, why)

    def _name_note_field(self) -> None:
        """The note field says who will read what is typed in it."""
        if self.note_public.isChecked():
            self.note_text.setPlaceholderText(
                self.tr("Write a note the citizen will read and press Enter")
            )
        else:
            self.note_text.setPlaceholderText(self.tr("Write a note and press Enter"))

    def _name_acknowledge(self, allowed: frozenset[IncidentStatus]) -> None:
        """The move to "acknowledged" named for what it does from where the incident stands.

        From "new" it acknowledges. From "dispatched" or "on scene" it takes the unit off the
        incident, which waits for another (the lifecycle's way to withdraw a dispatch the crew
        cannot do); from "resolved" it reopens the incident. Called "Acknowledge" there, it
        read as a mistake, and hid that it frees the unit.
        """
        button = self.buttons[IncidentStatus.ACKNOWLEDGED]
        incident = self.incident
        moves_back = IncidentStatus.ACKNOWLEDGED in allowed  # not from "closed" and the like
        if incident is None or incident.status is IncidentStatus.NEW or not moves_back:
            button.setText(self.tr("Acknowledge"))
            return
        if incident.status in ACTIVE_ASSIGNMENT:
            button.setText(self.tr("Withdraw the unit"))
            why = self.tr(
                "Takes %1 off this incident, which goes back to waiting for a unit. Vigie does "
                "not tell the crew: tell them by radio."
            ).replace(
                "%1",
                self.unit_name(incident.assigned_unit)
                if incident.assigned_unit
                else self.tr("the unit"),
            )
        else:
            button.setText(self.tr("Reopen"))
            why = self.tr("Opens the incident again: it goes back to waiting for a unit.")
        if not self.refusal:
            button.setToolTip(plain_tooltip(why))  # the unit's name came from the field

    def _priority_edited(self) -> bool:
        """A priority chosen or a reason typed, not yet set."""
        if self.incident is None:
            return False
        chosen = self.priority_choice.currentData()
        return bool(self.priority_reason.text().strip()) or chosen != int(self.incident.priority)

    def _unsaved_edit(self) -> bool:
        return self._priority_edited() or bool(self.note_text.text().strip())

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
            public = self.is_report() and self.note_public.isChecked()
            self.sig_note_requested.emit(self.incident.id, text, public)
            self.note_text.clear()
            self.note_public.setChecked(False)  # the next note is internal unless ticked again

    def _request_note_public(self) -> None:
        chosen = self._chosen_note()
        if chosen is not None and not self.refusal:
            note_id, public = chosen
            self.sig_note_public_requested.emit(note_id, not public)

    def _on_notes_menu(self, at: QPoint) -> None:
        """A report's note, right-clicked: the act that makes it public or internal again."""
        item = self.notes.itemAt(at)
        if item is None or not self.is_report():
            return
        self.notes.setCurrentItem(item)
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(self.note_public_action)
        menu.popup(self.notes.viewport().mapToGlobal(at))
