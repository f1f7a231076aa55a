"""The incident queue and the incident's file: reading, moving, noting, merging, the P1 alert.

Every act is a coroutine: it awaits the service on the acts lane (the database, one act at a
time in the operator's order), then shows the incident as it now stands and tells every other
console it changed. A refusal (a stale version, a move not allowed) is said in the detail panel.
The detail follows the incident it shows through the feed the queue follows: a newer version is
said at once and read again, so the detail never silently shows less than the queue.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from console.desks.seat import Seat
from console.feeds.incidents import IncidentFeed
from console.shell.docks import Area, Dock
from console.text.i18n import fill, translate
from console.text.messages import describe
from services import incident_actions as acts
from services.domain.errors import StaleVersion, VigieError
from services.domain.incidents import Incident, IncidentStatus, Priority
from services.photos import fetch_photo, host_allowed
from widgets.incident_detail.panel import IncidentDetailPanel
from widgets.incident_queue.model import IncidentTableModel
from widgets.incident_queue.panel import IncidentQueuePanel


class IncidentDesk:
    DOCKS = (
        Dock(
            "incident_queue",
            QT_TRANSLATE_NOOP("console", "Incidents"),
            leads=frozenset({"dispatcher", "supervisor"}),
        ),
        Dock(
            "incident_detail",
            QT_TRANSLATE_NOOP("console", "Incident"),
            Area.RightDockWidgetArea,
            shown_in=frozenset({"dispatcher", "technician", "supervisor", "video"}),
        ),
    )

    def __init__(
        self,
        seat: Seat,
        feed: IncidentFeed,
        *,
        photo_hosts: frozenset[str] = frozenset(),
        muted: bool = False,
    ) -> None:
        self.seat = seat
        self.feed = feed
        self.photo_hosts = photo_hosts  # where a photo sent as a link may be fetched from
        self.muted = muted  # the P1 sound (the View menu's toggle)
        self.queue_model = IncidentTableModel(seat.names, parent=seat.window)
        self.queue = IncidentQueuePanel(self.queue_model, seat.names)
        self.detail = IncidentDetailPanel(seat.names)
        self.panels = {"incident_queue": self.queue, "incident_detail": self.detail}
        self._alerted: set[int] = set()
        self._problem_after_reload = ""
        feed.sig_incidents.connect(self.queue_model.upsert)
        feed.sig_incidents.connect(self._draw_attention)
        feed.sig_incidents.connect(self._follow_shown)
        self.queue.sig_incident_selected.connect(self.open_incident)
        self.detail.sig_transition_requested.connect(
            lambda seen, status: self._act(acts.move, seen, IncidentStatus(status))
        )
        self.detail.sig_priority_requested.connect(
            lambda seen, priority, reason: self._act(
                acts.reprioritise, seen, Priority(priority), reason
            )
        )
        self.detail.sig_merge_requested.connect(
            lambda seen, into: self._act(acts.merge, seen, into)
        )
        self.detail.sig_note_requested.connect(
            lambda incident_id, text, public: seat.bridge.start(
                self._note(incident_id, text, public)
            )
        )
        self.detail.sig_note_public_requested.connect(self._note_public)
        for key, action in (
            ("F2", self._acknowledge_shown),
            ("F4", lambda: self._act_on_shown(IncidentStatus.RESOLVED)),
            ("F5", self.next_unacknowledged),
        ):
            QShortcut(QKeySequence(key), seat.window, action)
        self.detail.set_shortcut(IncidentStatus.ACKNOWLEDGED, "F2")
        self.detail.set_shortcut(IncidentStatus.RESOLVED, "F4")

    # --- reading ----------------------------------------------------------------------------------
    def open_incident(self, incident_id: int) -> None:
        self.seat.bridge.start(self._open(incident_id))

    async def _open(self, incident_id: int) -> None:
        try:
            file = await self.seat.bridge.acts.run(acts.read, self.seat.db, incident_id)
        except VigieError as error:
            self.refuse(error)
            return
        self.detail.show_incident(file.incident, file.history, file.notes, file.duplicates)
        if self._problem_after_reload:
            self.detail.show_problem(self._problem_after_reload)
            self._problem_after_reload = ""
        await self._show_photo(file)

    async def _show_photo(self, file: acts.IncidentFile) -> None:
        """A photo stored with the report at once; one sent as a link fetched from its host."""
        url = file.photo_url
        if file.photo or not url:
            self.detail.show_photo(file.photo)
            return
        if not host_allowed(url, self.photo_hosts):
            self.detail.show_photo(None, describe(VigieError("photo.host_not_allowed", url=url)))
            return
        shown = file.incident.id
        self.detail.show_photo(
            None, fill(translate("console", "Fetching the photo at {url}…"), {"url": url})
        )
        try:
            data = await self.seat.bridge.outside.run(fetch_photo, url, self.photo_hosts)
        except VigieError as error:
            data, problem = None, describe(error)
        else:
            problem = translate("console", "The photo is not an image.")
        # the operator may have moved to another incident while the host answered
        if self.detail.incident is not None and self.detail.incident.id == shown:
            self.detail.show_photo(data, problem)

    def _follow_shown(self, incidents: list[Incident]) -> None:
        """The feed read incidents that changed: a newer version of the shown one is read again.

        Said at once (the panel's line) and read on the acts lane, after any act under way.
        """
        shown = self.detail.incident
        if shown is None:
            return
        newer = [i for i in incidents if i.id == shown.id]
        if newer and self.detail.mark_outdated(max(newer, key=lambda i: i.version)):
            self.seat.bridge.start(self._read_again(shown.id))  # type: ignore[arg-type]

    async def _read_again(self, incident_id: int) -> None:
        try:
            file = await self.seat.bridge.acts.run(acts.read, self.seat.db, incident_id)
        except VigieError as error:
            self.detail.outdated_unread()  # what is shown stays, said to be older
            self.detail.show_problem(describe(error))
            return
        # shown only if the operator is still on it (the panel checks, and keeps their text)
        self.detail.follow_incident(file.incident, file.history, file.notes, file.duplicates)

    def select(self, incident_id: int) -> None:
        """Another panel asks for an incident: the queue selects it (or it opens regardless)."""
        if not self.queue.select_incident(incident_id):
            self.open_incident(incident_id)
        self.seat.window.docks["incident_detail"].show()
        self.seat.window.docks["incident_detail"].raise_()

    def next_unacknowledged(self) -> None:
        incident = self.queue_model.first_unacknowledged()
        if incident is None:
            return
        # Already selected (the call just taken, a second F5), its row changes nothing and Qt
        # says nothing: said again, so that the map comes back to it.
        shown = self.detail.incident is not None and self.detail.incident.id == incident.id
        self.queue.select_incident(incident.id)  # type: ignore[arg-type]
        if shown:
            self.queue.sig_incident_selected.emit(incident.id)

    # --- acting ----------------------------------------------------------------------------------
    def _acknowledge_shown(self) -> None:
        """F2 acknowledges a new incident, and only that.

        From "dispatched" or "on scene" the same move withdraws the unit (its button says so):
        never the doing of a key pressed out of habit.
        """
        shown = self.detail.incident
        if shown is not None and shown.status is IncidentStatus.NEW:
            self._act_on_shown(IncidentStatus.ACKNOWLEDGED)

    def _act_on_shown(self, status: IncidentStatus) -> None:
        shown = self.detail.incident
        # The F-key does what its button would: nothing when the button is disabled (the move
        # is not allowed now, or this operator may not act on incidents).
        if shown is not None and self.detail.buttons[status].isEnabled():
            self._act(acts.move, shown, status)

    def _act(self, act, seen: Incident, *args) -> None:  # noqa: ANN001 - one of incident_actions
        async def acting() -> None:
            try:
                changed = await self.seat.bridge.acts.run(
                    lambda: act(self.seat.db, seen, *args, by=self.seat.operator)
                )
            except VigieError as error:
                self.refuse(error)
                return
            self.changed(changed)

        self.seat.bridge.start(acting())

    async def _note(self, incident_id: int, text: str, public: bool = False) -> None:
        try:
            await self.seat.bridge.acts.run(
                lambda: acts.add_note(
                    self.seat.db, incident_id, text, by=self.seat.operator, public=public
                )
            )
        except VigieError as error:
            self.refuse(error)
            return
        await self._open(incident_id)

    def _note_public(self, note_id: int, public: bool) -> None:
        """A note of the shown report made public (the citizen reads it) or internal again."""
        shown = self.detail.incident
        if shown is None:
            return

        async def marking() -> None:
            try:
                await self.seat.bridge.acts.run(
                    lambda: acts.set_note_public(
                        self.seat.db, note_id, public, by=self.seat.operator
                    )
                )
            except VigieError as error:
                self.refuse(error)
                return
            # read again, unless the operator has moved to another incident meanwhile
            if self.detail.incident is not None and self.detail.incident.id == shown.id:
                await self._open(shown.id)  # type: ignore[arg-type]

        self.seat.bridge.start(marking())

    def changed(self, incident: Incident, *, show: bool = True) -> None:
        """An incident this console changed: in the queue, announced, and (if asked) shown."""
        self.queue_model.upsert([incident])
        self.feed.announce(incident.id, incident.version, self.seat.operator)  # type: ignore[arg-type]
        if show:
            self.open_incident(incident.id)  # type: ignore[arg-type]

    def refuse(self, error: VigieError) -> None:
        """Why an act was refused, in the detail panel; a stale one shows the incident as it is."""
        if isinstance(error, StaleVersion):
            current = error.params["current"]
            self.queue_model.upsert([current])
            self._problem_after_reload = describe(error)
            self.open_incident(current.id)
            return
        self.detail.show_problem(describe(error))

    # --- attention -------------------------------------------------------------------------------
    def _draw_attention(self, incidents: list[Incident]) -> None:
        """A new P1 asks for attention at once: taskbar, sound (unless muted), banner."""
        fresh = [
            i
            for i in incidents
            if i.priority == Priority.P1
            and i.status is IncidentStatus.NEW
            and i.id not in self._alerted
        ]
        if not fresh:
            return
        self._alerted |= {i.id for i in fresh}  # type: ignore[misc]
        QApplication.alert(self.seat.window, 0)  # until the window is activated
        if not self.muted:
            QApplication.beep()
