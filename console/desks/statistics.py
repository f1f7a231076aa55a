"""Statistics: the room's figures over a period and a commune, and the incidents behind a bar.

Only for the roles the matrix lets see statistics (``Act.SEE_STATISTICS``): for the others the
desk declares no dock and makes no panel. The figures (``services.reports.figures``, the daily
report's) are read on a lane of their own, never on the GUI thread: when the dock is shown,
when the period or the commune changes, when asked, and every few minutes while the dock stays
shown (today's figures grow). The who-switched and camera-view sections are not read: the
panel does not show them.

A bar clicked lists its incidents in the queue: their ids are read on the same lane
(``incident_ids``), with those the queue does not hold (closed ones: the queue's feed reads the
open incidents) read by id and added to its model; the queue then shows only those, under
"Statistics: P2 in Chenôve, this month (N)" and a Clear button. Cleared, the closed incidents
brought in for it leave the model again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer

from console.desks.incidents import IncidentDesk
from console.desks.seat import Seat
from console.shell.docks import Area, Dock
from console.text import report as report_words
from console.text.i18n import translate
from console.text.messages import describe
from services.domain.errors import VigieError
from services.domain.figures import Figures, Period, Selection
from services.domain.incidents import OPEN_STATUSES, Incident
from services.domain.permissions import Act
from services.reports.figures import figures, incident_ids
from services.store import incidents as incident_store
from services.store.database import Database
from widgets.statistics.panel import StatisticsPanel

#: While the dock is shown, the figures are read again this often.
REFRESH_MS = 5 * 60_000
#: A dock shown again within this many seconds of the last reading is not read again.
FRESH_S = 60.0
#: At most this many incidents go to the queue for one bar (the newest): a month of one category
#: over the whole city would be tens of thousands of rows nobody reads one by one.
MOST_LISTED = 3000


@dataclass(frozen=True)
class Listed:
    """The incidents behind a bar: all their ids (oldest first) and those the queue lacked."""

    ids: list[int]
    total: int  # before ``MOST_LISTED`` kept the newest
    missing: list[Incident]


class StatisticsReader:
    """What the desk reads, on its lane: the figures, and the incidents behind a bar."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def figures(self, period: Period, commune: str | None) -> Figures:
        """Read in one snapshot, as ``services.reports.figures.daily`` does.

        The figures take a dozen queries; under PostgreSQL's default READ COMMITTED, an incident
        resolved between two of them would count in one section and not in the next. REPEATABLE
        READ lets every query see the same moment (SQLite's read transaction already does).
        """
        with self.db.read() as session:
            if self.db.dialect == "postgresql":
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            return figures(session, period, commune, modes=False, camera_views=False)

    def incidents(
        self, period: Period, commune: str | None, selection: Selection, known: frozenset[int]
    ) -> Listed:
        with self.db.read() as session:
            ids = incident_ids(session, period, commune, selection)
            kept = ids[-MOST_LISTED:]
            # one read for those the queue lacks; one removed since (retention) is not listed
            missing = incident_store.get_many(session, (i for i in kept if i not in known))
        return Listed(kept, len(ids), missing)


class StatisticsDesk:
    DOCK = Dock(
        "statistics",
        QT_TRANSLATE_NOOP("console", "Statistics"),
        Area.RightDockWidgetArea,
        behind="map",
        shown_in=frozenset({"dispatcher", "snow_coordinator", "technician", "supervisor"}),
    )

    def __init__(
        self,
        seat: Seat,
        incidents: IncidentDesk,
        *,
        reader: StatisticsReader | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.seat = seat
        self.incidents = incidents
        self.reader = reader or StatisticsReader(seat.db)
        self.now = now
        self.allowed = seat.may(Act.SEE_STATISTICS)
        # Who may not see statistics gets no dock, no panel, no reads.
        self.DOCKS = (self.DOCK,) if self.allowed else ()
        self.panel: StatisticsPanel | None = None
        self.panels: dict[str, StatisticsPanel] = {}
        self.lane = seat.bridge.lane("console-statistics") if self.allowed else None
        self.reading = False
        self.again = False  # the choice changed while a reading was under way
        self.read_at: float | None = None
        self.brought: set[int] = set()  # closed incidents added to the queue for a selection
        self.timer = QTimer(seat.window)
        self.timer.timeout.connect(self._tick)
        if not self.allowed:
            return
        self.panel = StatisticsPanel(seat.names, locale=report_words.locale())
        self.panels = {"statistics": self.panel}
        self.panel.sig_figures_wanted.connect(lambda *_: self.refresh())
        self.panel.sig_selection.connect(self.list_incidents)
        incidents.queue.sig_selection_cleared.connect(self._selection_cleared)

    def docked(self) -> None:
        """Once the docks exist: read when the dock is looked at."""
        if self.allowed:
            self.seat.window.docks["statistics"].visibilityChanged.connect(self._shown)

    def start(self) -> None:
        if self.allowed:
            self.timer.start(REFRESH_MS)

    def stop(self) -> None:
        self.timer.stop()

    def _shown(self, shown: bool) -> None:
        fresh = self.read_at is not None and time.monotonic() - self.read_at < FRESH_S
        if shown and not fresh:
            self.refresh()

    def _tick(self) -> None:
        if self.panel is not None and self.panel.isVisible():  # a hidden dock costs nothing
            self.refresh()

    # --- the figures ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the figures of what the panel has chosen (once the reading under way is done)."""
        if self.panel is None:
            return
        if self.reading:
            self.again = True
            return
        self.reading = True
        self.seat.bridge.start(self._read())

    async def _read(self) -> None:
        panel, lane = self.panel, self.lane
        assert panel is not None and lane is not None
        period, commune = panel.asking()  # as of now: "today" may have become tomorrow
        try:
            read = await lane.run(self.reader.figures, period, commune)
        except VigieError as error:
            panel.show_problem(describe(error))
        else:
            if panel.show_figures(read, self.now()):
                self.read_at = time.monotonic()
        finally:
            self.reading = False
        if self.again or (period, commune) != (panel.period(), panel.commune):
            self.again = False
            self.refresh()

    # --- a bar's incidents in the queue ---------------------------------------------------------
    def list_incidents(self, selection: Selection, words: str) -> None:
        """The incidents behind a bar, in the queue (read off the GUI thread).

        The bar's period and commune are those of the figures drawn, taken now: not what the
        operator has chosen since (still being read, or whose reading failed), nor figures that
        arrive before the list is read.
        """
        drawn = self.panel.figures if self.panel is not None else None
        if drawn is None:
            return
        self.seat.bridge.start(self._list(selection, words, drawn.period, drawn.commune))

    async def _list(
        self, selection: Selection, words: str, period: Period, commune: str | None
    ) -> None:
        panel, lane = self.panel, self.lane
        assert panel is not None and lane is not None
        model = self.incidents.queue_model
        # Those brought in for the selection shown leave before the next one is shown: read again.
        known = frozenset(row.incident.id for row in model.queue_rows()) - self.brought
        try:
            listed = await lane.run(self.reader.incidents, period, commune, selection, known)
        except VigieError as error:
            panel.show_problem(describe(error))
            return
        self._put_away()  # the previous selection's closed incidents
        model.upsert(listed.missing)
        self.brought = {i.id for i in listed.missing if i.status not in OPEN_STATUSES}  # type: ignore[misc]
        if listed.total > len(listed.ids):
            count = (
                translate("console", "the newest %1 of %2")
                .replace("%1", str(len(listed.ids)))
                .replace("%2", str(listed.total))
            )
        else:
            count = str(listed.total)
        text = translate("console", "Statistics: %1 (%2)").replace("%1", words).replace("%2", count)
        self.incidents.queue.show_selection(text, listed.ids)
        dock = self.seat.window.docks.get("incident_queue")
        if dock is not None:
            dock.show()
            dock.raise_()

    def _selection_cleared(self) -> None:
        self._put_away()

    def _put_away(self) -> None:
        """Closed incidents brought in for a selection leave the queue's model again.

        The queue holds what its feed reads (open incidents, and those it saw change): a month
        of closed ones would stay in it, and in every filter's pass, for the rest of the shift.
        """
        model = self.incidents.queue_model
        leaving = [
            incident_id
            for incident_id in self.brought
            if (row := model.row_of(incident_id)) is not None
            and model.incident(row).status not in OPEN_STATUSES
        ]
        self.brought = set()
        if leaving:
            model.remove(leaving)
