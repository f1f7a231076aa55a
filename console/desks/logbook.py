"""The room's logbook: entries written by this console, and every console's as they come."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from console.desks.incidents import IncidentDesk
from console.desks.seat import Seat
from console.shell.docks import Area, Dock
from services.domain.errors import VigieError
from services.store import journal
from widgets.logbook.panel import LogbookModel, LogbookPanel


class LogbookDesk:
    DOCKS = (
        Dock(
            "logbook",
            QT_TRANSLATE_NOOP("console", "Logbook"),
            Area.BottomDockWidgetArea,
            shown_in=frozenset({"dispatcher", "snow_coordinator", "supervisor", "video"}),
        ),
    )

    def __init__(self, seat: Seat, incidents: IncidentDesk) -> None:
        self.seat = seat
        self.incidents = incidents  # where a refusal is said
        self.model = LogbookModel(seat.window)
        self.panel = LogbookPanel(self.model)
        self.panels = {"logbook": self.panel}
        incidents.feed.sig_journal.connect(self.model.add_entries)
        self.panel.sig_entry_requested.connect(lambda text: seat.bridge.start(self._write(text)))

    async def _write(self, text: str) -> None:
        try:
            entry = await self.seat.bridge.acts.run(
                journal.write, self.seat.db, self.seat.operator, text
            )
        except VigieError as error:
            self.incidents.refuse(error)
            return
        self.model.add_entries([entry])
        self.incidents.feed.announce_journal(entry.id, self.seat.operator)
