"""The shift handover at the console: File > Hand over…, and a word in every status bar.

The outgoing operator opens *Hand over…*: the summary a handover started now would hand over is
read (as this operator's role may read it), remarks are written, and *Hand over* records it on
the acts lane. Until another operator accepts it, every console's status bar says "Handover from
NAME at HH:MM not accepted" (with the day when not today); a click opens it, summarised as the
reader's own role may read it, with *Accept* for anyone but its author. Several may wait (at
07:00 the dispatcher, the technician and the snow coordinator hand over): the status bar names
the one of the reader's own role, else the newest, and a click offers them all to choose from,
the reader's role first. The list of handovers waiting is read every 30 s and right after this
console acts, always off the GUI thread.

"Shift handover" here, not the desk's lock (``console.app.Workstation.hand_over``: another
operator logging in at this workstation).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction

from console.desks.seat import Seat
from console.text.handover import summary_sections
from console.text.i18n import fill, translate
from console.text.messages import describe
from services import handover
from services.domain.errors import VigieError
from services.domain.handover import Handover, Summary, Waiting
from services.domain.permissions import Act
from services.domain.room_time import clock, moment
from widgets.handover import PendingHandoverLabel, ShiftHandoverDialog, WaitingHandoverChooser
from widgets.labels import ROLE, label
from widgets.plain_text import plain_tooltip

#: How often the handovers waiting are read again (other workstations and the shell start them).
REFRESH_MS = 30_000


class ShiftHandoverDesk:
    def __init__(self, seat: Seat) -> None:
        self.seat = seat
        self.dialog: ShiftHandoverDialog | None = None
        self.chooser: WaitingHandoverChooser | None = None
        self.waiting: list[Handover] = []  # not accepted, the reader's role first, as last read
        self.total = 0  # how many wait, listed in ``waiting`` or not
        window = seat.window
        self.action = QAction(translate("handover", "Hand over…"), window)
        self.action.setObjectName("shift_handover_action")
        self.action.triggered.connect(lambda: self.open_outgoing())
        refusal = seat.refusal(Act.HAND_OVER)
        self.action.setEnabled(not refusal)
        self.action.setToolTip(plain_tooltip(refusal))
        window.file_menu.setToolTipsVisible(True)  # a refused entry says why
        window.file_menu.insertAction(window.quit_action, self.action)
        window.file_menu.insertSeparator(window.quit_action)
        self.status = PendingHandoverLabel()
        # First of the permanent words: read before the links, the operator and the clock.
        window.statusBar().insertPermanentWidget(0, self.status)
        self.status.sig_clicked.connect(self.open_waiting)
        self.timer = QTimer(window)
        self.timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self.timer.start(REFRESH_MS)
        self.refresh()

    def stop(self) -> None:
        self.timer.stop()

    # --- the status bar ------------------------------------------------------------------------

    def refresh(self) -> None:
        self.seat.bridge.start(self._refresh())

    async def _refresh(self) -> None:
        try:
            waiting = await self.seat.bridge.outside.run(handover.pending, self.seat.db)
        except VigieError:
            return  # the database's own state is said by the status bar's link
        self.show_waiting(waiting)

    def show_waiting(self, waiting: list[Handover]) -> None:
        # The newest few are read; ``Waiting`` counts them all (a room that never accepts).
        self.total = waiting.total if isinstance(waiting, Waiting) else len(waiting)
        self.waiting = _own_role_first(waiting, self.seat.role.value)
        if not self.waiting:
            self.status.show_pending("", "")
            return
        named = self.waiting[0]
        # With the day when not today: one waiting since yesterday must not read as this morning's.
        text = fill(
            translate("handover", "Handover from {name} at {time} not accepted"),
            {"name": named.author, "time": moment(named.started_at)},
        )
        others = max(self.total, len(self.waiting)) - 1
        if others > 0:
            text = fill(
                translate("handover", "{named} (and {count} more)"),
                {"named": text, "count": others},
            )
        details = [_line(h) for h in self.waiting]
        details.append(
            translate("handover", "Click to read it and accept it.")
            if len(self.waiting) == 1
            else translate("handover", "Click to choose which one to read and accept.")
        )
        self.status.show_pending(text, "\n".join(details))

    # --- handing over ----------------------------------------------------------------------------

    def open_outgoing(self) -> ShiftHandoverDialog:
        """The summary this operator would hand over now, remarks, and *Hand over*."""
        dialog = self._dialog(outgoing=True)
        dialog.show_heading(translate("handover", "What you hand over to the next shift"))
        dialog.sig_hand_over_requested.connect(
            lambda remarks: self.seat.bridge.start(self._hand_over(dialog, remarks))
        )
        self.seat.bridge.start(self._preview(dialog))
        dialog.open()
        return dialog

    async def _preview(self, dialog: ShiftHandoverDialog) -> None:
        seat = self.seat
        try:
            summary = await seat.bridge.outside.run(
                handover.preview, seat.db, seat.operator, seat.role, seat.matrix
            )
        except VigieError as error:
            dialog.show_problem(describe(error))
            return
        dialog.show_heading(
            fill(
                translate("handover", "What you hand over: your shift since {since}"),
                {"since": moment(summary.handover.shift_from)},
            )
        )
        _show_summary(dialog, summary)

    async def _hand_over(self, dialog: ShiftHandoverDialog, remarks: str) -> None:
        seat = self.seat
        try:
            started = await seat.bridge.acts.run(
                handover.start, seat.db, seat.operator, seat.role, remarks
            )
        except VigieError as error:
            dialog.show_problem(describe(error))
            return
        said = fill(
            translate(
                "handover",
                "Handed over at {time}. Every console shows it until another operator, "
                "logged in as themselves, accepts it.",
            ),
            {"time": clock(started.started_at)},
        )
        dialog.show_done(said)
        at = clock(started.started_at)
        seat.tell(fill(translate("handover", "Handed over at {time}"), {"time": at}))
        self.refresh()

    # --- reading and accepting -----------------------------------------------------------------

    def open_waiting(self) -> ShiftHandoverDialog | WaitingHandoverChooser | None:
        """The handover waiting, to read and accept; when several wait, which one to read."""
        if not self.waiting:
            return None
        if len(self.waiting) == 1:
            return self.open_handover(self.waiting[0].id)
        if self.chooser is not None:
            self.chooser.close()  # one at a time, with the list as last read
        listed = len(self.waiting)
        note = ""
        if self.total > listed:
            note = fill(
                translate("handover", "The newest {listed} of the {total} waiting are listed."),
                {"listed": listed, "total": self.total},
            )
        self.chooser = WaitingHandoverChooser(
            [(h.id, _line(h)) for h in self.waiting], note, parent=self.seat.window
        )
        self.chooser.sig_chosen.connect(self.open_handover)
        self.chooser.open()
        return self.chooser

    def open_handover(self, handover_id: int) -> ShiftHandoverDialog:
        dialog = self._dialog(outgoing=False)
        dialog.sig_accept_requested.connect(
            lambda chosen: self.seat.bridge.start(self._accept(dialog, chosen))
        )
        self.seat.bridge.start(self._read(dialog, handover_id))
        dialog.open()
        return dialog

    async def _read(self, dialog: ShiftHandoverDialog, handover_id: int) -> None:
        seat = self.seat
        try:
            summary = await seat.bridge.outside.run(
                lambda: handover.read(
                    seat.db, handover_id, seat.matrix, seat.role, reader=seat.operator
                )
            )
        except VigieError as error:
            dialog.show_problem(describe(error))
            return
        self._show_read(dialog, summary)

    def _show_read(self, dialog: ShiftHandoverDialog, summary: Summary) -> None:
        given = summary.handover
        dialog.show_heading(
            fill(
                translate(
                    "handover", "Handover from {name} ({role}) at {time}: the shift since {since}"
                ),
                {
                    "name": given.author,
                    "role": label(ROLE, given.author_role),
                    "time": moment(given.started_at),
                    "since": moment(given.shift_from),
                },
            )
        )
        dialog.show_remarks(given.remarks)
        _show_summary(dialog, summary)
        if given.accepted_by is not None and given.accepted_at is not None:
            dialog.show_outcome(
                fill(
                    translate("handover", "Accepted by {name} at {time}."),
                    {"name": given.accepted_by, "time": moment(given.accepted_at)},
                ),
                done=True,
            )
        elif given.author == self.seat.operator:
            # Its own author is never offered Accept: someone else takes the shift.
            dialog.show_outcome(
                translate(
                    "handover",
                    "Your handover: waiting for the next operator, logged in as themselves, "
                    "to accept it.",
                ),
                done=False,
            )
        else:
            dialog.offer_accept(given.id, self.seat.refusal(Act.ACCEPT_HANDOVER))

    async def _accept(self, dialog: ShiftHandoverDialog, handover_id: int) -> None:
        seat = self.seat
        try:
            accepted = await seat.bridge.acts.run(
                handover.accept, seat.db, handover_id, seat.operator
            )
        except VigieError as error:
            dialog.show_problem(describe(error))
            self.refresh()  # accepted elsewhere meanwhile: the status bar follows
            return
        said = fill(
            translate("handover", "Accepted at {time}: the shift is yours."),
            {"time": clock(accepted.accepted_at or accepted.started_at)},
        )
        dialog.show_done(said)
        seat.tell(
            fill(translate("handover", "Handover from {name} accepted"), {"name": accepted.author})
        )
        self.refresh()

    def _dialog(self, *, outgoing: bool) -> ShiftHandoverDialog:
        if self.dialog is not None:
            self.dialog.close()  # one at a time: a second click does not stack them
        self.dialog = ShiftHandoverDialog(outgoing=outgoing, parent=self.seat.window)
        return self.dialog


def _own_role_first(waiting: list[Handover], role: str) -> list[Handover]:
    """The handovers of the reader's own role first (the one they take over).

    Each part stays newest first, as read: the day dispatcher reads the night dispatcher's, not
    the technician's, whichever came last.
    """
    own = [h for h in waiting if h.author_role == role]
    return own + [h for h in waiting if h.author_role != role]


def _line(given: Handover) -> str:
    """A handover waiting, in one line: who, as what, when (with the day when not today)."""
    return fill(
        translate("handover", "{name} ({role}) handed over at {time}"),
        {
            "name": given.author,
            "role": label(ROLE, given.author_role),
            "time": moment(given.started_at),
        },
    )


def _show_summary(dialog: ShiftHandoverDialog, summary: Summary) -> None:
    """The summary's sections, each with its count, the P1 incidents (listed first) to the fore.

    The remarks are not among them: the dialog has a box of their own (written by the outgoing
    operator, read before the rest; typed there by the author).
    """
    sections = [s for s in summary_sections(summary) if s.key != "remarks"]
    counts: dict[str, int | None] = {
        "open_incidents": len(summary.open_incidents),
        "units_out": _count(summary.units_out),
        "modes": len(summary.modes),
        "faults": len(summary.faults),
        "commands": len(summary.commands_pending),
        "approvals": len(summary.approvals_waiting),
        "views": _count(summary.camera_views_open),
        "logbook": len(summary.logbook),
    }
    p1 = sum(1 for i in summary.open_incidents if i.priority == 1)
    dialog.show_summary(sections, counts, {"open_incidents": p1})


def _count(items: list | None) -> int | None:
    return None if items is None else len(items)
