"""A shift handover read or given: the summary, the outgoing operator's remarks, one act.

The outgoing operator sees what the next shift will be handed (the summary the console read),
writes remarks and hands over; another operator reads the same summary, as their own role may
read it, with the remarks, and accepts. The author is never offered the Accept button: accepting
one's own handover would hand it to nobody (the record refuses it too).

The summary comes as sections of lines already worded (``console.text.handover``, the shell's
words too). Every line is outside text (incident places, names, remarks): it goes into the view
through ``QTextCursor.insertText``, which never reads markup. Nothing here reads the database:
the console does, on signals.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextListFormat
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
)

from services.domain.handover import MAX_REMARKS_LENGTH
from widgets.palette import Role, colour, style_error, style_text
from widgets.plain_text import plain_label
from widgets.refusal import set_permitted

#: The most lines of remarks shown without scrolling, to a reader.
REMARKS_LINES = 8
MIN_WIDTH = 760


class Section(Protocol):
    """A part of the summary: its title and its lines, as the text layer words them."""

    @property
    def key(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def lines(self) -> Sequence[str]: ...


class ShiftHandoverDialog(QDialog):
    sig_hand_over_requested = Signal(str)
    """The outgoing operator hands over, with these remarks."""
    sig_accept_requested = Signal(int)
    """Another operator accepts this handover (its id)."""

    def __init__(self, *, outgoing: bool, parent: Any = None) -> None:
        """``outgoing``: the operator handing over (remarks, "Hand over"); else a reader."""
        super().__init__(parent)
        self.outgoing = outgoing
        self.handover_id: int | None = None
        self._accept_refusal = ""  # why this reader may not accept ("": they may)
        self.setObjectName("shift_handover")
        self.setWindowTitle(self.tr("Shift handover"))
        self.setMinimumSize(MIN_WIDTH, 560)
        # What this is, whose, since when: the first line read.
        self.heading = plain_label()
        self.heading.setObjectName("heading")
        self.heading.setWordWrap(True)
        style_text(self.heading, Role.TEXT, bold=True)
        self.summary = QTextEdit()
        self.summary.setObjectName("summary")
        self.summary.setReadOnly(True)
        self.summary.setAcceptRichText(False)
        self.summary.setPlaceholderText(self.tr("Reading what the shift hands over…"))
        # Every section and how many it holds, at a glance; a click goes to it (a long list of
        # open incidents must not hide the units out or the logbook below it).
        self.sections = QListWidget()
        self.sections.setObjectName("sections")
        self.sections.setMaximumWidth(240)
        self.sections.setWordWrap(True)  # a long title on two lines, never cut
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections.itemClicked.connect(self._go_to)
        self.sections.itemActivated.connect(self._go_to)
        self.remarks_caption = plain_label(
            self.tr("Your remarks for the next shift")
            if outgoing
            else self.tr("Remarks of the outgoing operator")
        )
        self.remarks = QPlainTextEdit()
        self.remarks.setObjectName("remarks")
        self.remarks.setReadOnly(not outgoing)
        self.remarks.setMaximumHeight(120)
        if outgoing:
            self.remarks.setPlaceholderText(
                self.tr(
                    "What the summary does not say: a caller to ring back, a crew to check on, "
                    "a promise made…"
                )
            )
        self.remarks_count = plain_label()  # how much is left of the remarks' length
        self.remarks_count.setVisible(outgoing)
        self.remarks.textChanged.connect(self._remarks_changed)
        # What came of the act: handed over, accepted, or why not.
        self.outcome = plain_label()
        self.outcome.setObjectName("outcome")
        self.outcome.setWordWrap(True)
        self.outcome.hide()
        self.problem = plain_label()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        style_error(self.problem)
        self.problem.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.hand_over_button = self.buttons.addButton(
            self.tr("Hand over"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.accept_button = self.buttons.addButton(
            self.tr("Accept"), QDialogButtonBox.ButtonRole.ActionRole
        )
        # Handing over and accepting are clicked, never an Enter pressed for something else.
        for button in (self.hand_over_button, self.accept_button):
            button.setAutoDefault(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)
        self.hand_over_button.setVisible(outgoing)
        self.hand_over_button.setEnabled(False)  # till the summary is read
        self.accept_button.hide()  # offered once the handover is known not to be the reader's
        self.hand_over_button.clicked.connect(self._hand_over)
        self.accept_button.clicked.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        if not outgoing:  # what a person wrote, read before the generated summary
            layout.addWidget(self.remarks_caption)
            layout.addWidget(self.remarks)
        reading = QHBoxLayout()
        reading.addWidget(self.sections)
        reading.addWidget(self.summary, 1)
        layout.addLayout(reading, 1)
        if outgoing:
            layout.addWidget(self.remarks_caption)
            layout.addWidget(self.remarks)
            layout.addWidget(self.remarks_count)
        layout.addWidget(self.outcome)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._summary_read = False
        self._remarks_changed()

    # --- what is shown -----------------------------------------------------------------------

    def show_heading(self, text: str) -> None:
        self.heading.setText(text)

    def show_summary(
        self,
        sections: Sequence[Section],
        counts: Mapping[str, int | None] | None = None,
        urgent: Mapping[str, int] | None = None,
    ) -> None:
        """Each section's title in bold, its lines as a list under it, as written.

        ``counts``: how many items a section holds, beside its title (None: not shown to the
        reader's role). ``urgent``: how many of a section's first lines must be read first
        (the P1 incidents, listed first), in bold and the alarm's colour (their words say P1).
        """
        counts, urgent = counts or {}, urgent or {}
        self.summary.clear()
        self.sections.clear()
        cursor = QTextCursor(self.summary.document())
        body = QTextCharFormat()
        first = QTextCharFormat()
        first.setFontWeight(QFont.Weight.Bold)
        first.setForeground(colour(Role.ALARM))
        spaced = QTextBlockFormat()
        spaced.setTopMargin(12)
        spaced.setBottomMargin(2)
        items = QTextListFormat()
        items.setStyle(QTextListFormat.Style.ListDisc)
        for number, section in enumerate(sections):
            if number:
                cursor.insertBlock(spaced)
            else:
                cursor.setBlockFormat(spaced)
            count = counts.get(section.key, -1)
            title = self._title(section, count)
            cursor.insertText(title, self._title_format(f"section-{number}"))
            # Hidden from this role: its line says so in the text, its entry says so here.
            hidden = self.tr("%1 (not shown to your role)").replace("%1", section.title)
            entry = QListWidgetItem(hidden if count is None else title)
            entry.setData(Qt.ItemDataRole.UserRole, f"section-{number}")
            self.sections.addItem(entry)
            for index, line in enumerate(section.lines):
                shown = first if index < urgent.get(section.key, 0) else body
                if index == 0:
                    cursor.insertBlock(QTextBlockFormat(), shown)
                    cursor.createList(items)
                else:  # the list's format kept; the bullet in the line's own
                    cursor.insertBlock(cursor.blockFormat(), shown)
                cursor.insertText(line, shown)
        self.summary.moveCursor(QTextCursor.MoveOperation.Start)
        self._summary_read = True
        self._ready()

    def _title(self, section: Section, count: int | None) -> str:
        if count is None or count < 0:
            return section.title
        return self.tr("%1 (%2)").replace("%1", section.title).replace("%2", str(count))

    def _title_format(self, anchor: str) -> QTextCharFormat:
        title = QTextCharFormat()
        title.setFontWeight(QFont.Weight.Bold)
        title.setFontPointSize(self.font().pointSizeF() * 1.15)
        title.setAnchor(True)
        title.setAnchorNames([anchor])
        return title

    def _go_to(self, item: QListWidgetItem) -> None:
        self.summary.scrollToAnchor(item.data(Qt.ItemDataRole.UserRole))

    def show_remarks(self, text: str) -> None:
        """The outgoing operator's remarks, for the reader (said when there are none)."""
        self.remarks.setPlainText(text)
        if not text:
            self.remarks.setPlaceholderText(self.tr("No remarks."))
        # As high as the remarks (up to a few lines, then it scrolls): the summary gets the rest.
        metrics = self.remarks.fontMetrics()
        width = max(self.remarks.viewport().width(), MIN_WIDTH - 60)
        wrapped = sum(
            max(1, math.ceil(metrics.horizontalAdvance(p) / width)) for p in text.splitlines()
        )
        lines = max(1, min(REMARKS_LINES, wrapped))
        margins = self.remarks.contentsMargins()
        frame = margins.top() + margins.bottom() + 2 * self.remarks.document().documentMargin()
        self.remarks.setFixedHeight(int(lines * metrics.lineSpacing() + frame) + 4)

    def offer_accept(self, handover_id: int, refusal: str) -> None:
        """Another operator's handover, not yet accepted: Accept, or why this one may not."""
        self.handover_id = handover_id
        self._accept_refusal = refusal
        self.accept_button.show()
        set_permitted(self.accept_button, True, refusal)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        if text:
            self._ready()
            if self.handover_id is not None and not self.accept_button.isHidden():
                # The accept did not go through (the database out of reach a moment, say):
                # the reader may try again; the record refuses a second accept anyway.
                set_permitted(self.accept_button, True, self._accept_refusal)

    def show_outcome(self, text: str, *, done: bool) -> None:
        """How it ended: handed over or accepted (``done``), or waiting for someone else."""
        self.outcome.setText(text)
        style_text(self.outcome, Role.OK if done else Role.TEXT, bold=True)
        self.outcome.show()

    def show_done(self, text: str) -> None:
        """The act went through: nothing more to do here but close."""
        self.show_problem("")
        self.show_outcome(text, done=True)
        self.hand_over_button.hide()
        self.accept_button.hide()
        self.remarks.setReadOnly(True)

    # --- the operator's act ------------------------------------------------------------------

    def _remarks_changed(self) -> None:
        left = MAX_REMARKS_LENGTH - len(self.remarks.toPlainText().strip())
        self.remarks_count.setText(self.tr("%1 characters left").replace("%1", str(left)))
        if left < 0:
            style_error(self.remarks_count)
        else:
            style_text(self.remarks_count, Role.DISABLED_TEXT)
        self._ready()

    def _ready(self) -> None:
        too_long = len(self.remarks.toPlainText().strip()) > MAX_REMARKS_LENGTH
        self.hand_over_button.setEnabled(self._summary_read and not too_long)

    def _hand_over(self) -> None:
        self.hand_over_button.setEnabled(False)  # once: the console says how it went
        self.show_problem("")
        self.sig_hand_over_requested.emit(self.remarks.toPlainText().strip())

    def _accept(self) -> None:
        if self.handover_id is None:
            return
        self.accept_button.setEnabled(False)
        self.show_problem("")
        self.sig_accept_requested.emit(self.handover_id)
