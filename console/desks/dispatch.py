"""Dispatching a unit: rank the candidates, let the operator choose, send, follow the answer.

For a P1, the units busy elsewhere are offered too, after the available ones, as a re-tasking
the operator confirms knowing which incident the unit would leave. A dispatch refused or left
unanswered is said to the operator who sent it, never left to be noticed.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from console.desks.incidents import IncidentDesk
from console.desks.seat import Seat
from console.text.i18n import fill, translate
from services import dispatching
from services.domain.errors import VigieError
from services.domain.incidents import Incident, IncidentStatus, Priority
from services.domain.units import Arrival
from widgets.dispatch.dialog import DispatchDialog
from widgets.labels import UNIT_KIND, label


class DispatchDesk:
    def __init__(self, seat: Seat, incidents: IncidentDesk) -> None:
        self.seat = seat
        self.incidents = incidents
        self.dialog: DispatchDialog | None = None
        self._sent: dict[int, str] = {}  # incidents this console dispatched, and to whom
        incidents.feed.sig_incidents.connect(self._follow)
        detail = incidents.detail
        detail.sig_dispatch_requested.connect(self.request)
        detail.dispatch_button.setToolTip("F3")
        QShortcut(QKeySequence("F3"), seat.window, detail.dispatch_button.click)

    def request(self, seen: Incident) -> None:
        self.seat.bridge.start(self._choose(seen))

    async def _choose(self, seen: Incident) -> None:
        kinds = self.seat.unit_kinds  # a role that may not see patrols is not offered them
        db = self.seat.db
        try:
            free = await self.seat.bridge.acts.run(
                lambda: dispatching.candidates(db, seen, kinds=kinds)
            )
            busy = []
            if seen.priority is Priority.P1:
                busy = await self.seat.bridge.acts.run(
                    lambda: dispatching.busy_candidates(db, seen, kinds=kinds)
                )
        except VigieError as error:
            self.incidents.refuse(error)
            return
        if not free and not busy:
            self.incidents.detail.show_problem(
                translate("console", "No available unit with a known position.")
            )
            return
        lines = [(c.unit_id, candidate_line(c)) for c in free]
        lines += [
            (
                c.unit_id,
                candidate_line(c)
                + fill(
                    translate("console", " — busy with incident #{other}: re-task"),
                    {"other": c.busy_with},
                ),
            )
            for c in busy
        ]
        questions = {
            c.unit_id: fill(
                translate(
                    "console",
                    "Re-task {name} to incident #{id}? It leaves incident #{other}, which "
                    "goes back to waiting for a unit, with a note saying why.",
                ),
                {"name": c.name, "id": seen.id, "other": c.busy_with},
            )
            for c in busy
        }
        heading = fill(
            translate(
                "console", "Send a unit to incident #{id}: the usual kind first, then the nearest:"
            ),
            {"id": seen.id},
        )
        dialog = DispatchDialog(heading, lines, self.seat.window, retask=questions)
        dialog.sig_unit_chosen.connect(lambda unit: self.seat.bridge.start(self._send(seen, unit)))
        dialog.sig_retask_chosen.connect(
            lambda unit: self.seat.bridge.start(self._retask(seen, unit))
        )
        dialog.open()
        self.dialog = dialog

    async def _send(self, seen: Incident, unit_id: str) -> None:
        sender = self.seat.sender

        def send() -> Incident:
            saved, _request = dispatching.dispatch(
                self.seat.db, seen, unit_id, by=self.seat.operator, reply_to=sender.reply_to
            )
            return saved  # recorded: the recorder sends it to the unit

        try:
            saved = await self.seat.bridge.acts.run(send)
        except VigieError as error:
            self.incidents.refuse(error)
            return
        self._sent[saved.id] = unit_id  # type: ignore[index]
        self.incidents.changed(saved)

    async def _retask(self, seen: Incident, unit_id: str) -> None:
        """Take the unit off its incident for this P1 (confirmed), then say what was done."""
        sender = self.seat.sender

        def send() -> dispatching.Retasking:  # recorded: the recorder sends it to the unit
            return dispatching.retask(
                self.seat.db, seen, unit_id, by=self.seat.operator, reply_to=sender.reply_to
            )

        try:
            done = await self.seat.bridge.acts.run(send)
        except VigieError as error:
            self.incidents.refuse(error)
            return
        self._sent[done.incident.id] = unit_id  # type: ignore[index]
        if done.left is None:  # it had become free meanwhile: a plain dispatch
            said = translate("console", "{unit} was free by then: sent to incident #{id}.")
        else:
            said = translate(
                "console",
                "{unit} re-tasked to incident #{id}; incident #{other} waits for another "
                "unit (see its notes).",
            )
            self.incidents.changed(done.left, show=False)
        self.seat.tell(
            fill(
                said,
                {
                    "unit": unit_id,
                    "id": done.incident.id,
                    "other": done.left.id if done.left else "",
                },
            )
        )
        self.incidents.changed(done.incident)

    def _follow(self, incidents: list[Incident]) -> None:
        """A dispatch refused or unanswered is said to who sent it."""
        for incident in incidents:
            unit = self._sent.get(incident.id)  # type: ignore[arg-type]
            if unit is None or incident.status is IncidentStatus.DISPATCHED:
                continue
            del self._sent[incident.id]  # type: ignore[arg-type]
            if incident.status is IncidentStatus.ACKNOWLEDGED and incident.assigned_unit is None:
                self.seat.tell(
                    fill(
                        translate(
                            "console",
                            "Incident #{id}: {unit} refused the dispatch or did not answer; "
                            "the incident waits for another unit (see its notes).",
                        ),
                        {"id": incident.id, "unit": unit},
                    )
                )
                QApplication.alert(self.seat.window, 0)


def candidate_line(c: dispatching.Candidate) -> str:
    """One unit as the dispatch list shows it: name, kind, distance and how soon it is there."""
    line = fill(
        translate("console", _ARRIVAL_WORDS[c.eta.arrival]),
        {
            "name": c.name,
            "kind": label(UNIT_KIND, c.kind),
            "km": f"{c.distance_m / 1000:.1f}",
            "minutes": c.eta.minutes,
        },
    )
    return line + ("" if c.suited else translate("console", " — not the usual kind"))


#: How soon a unit is there, in words: never "about 0 min" for a unit already at the incident.
_ARRIVAL_WORDS = {
    Arrival.ON_SITE: QT_TRANSLATE_NOOP("console", "{name} ({kind}): {km} km, on site"),
    Arrival.UNDER_A_MINUTE: QT_TRANSLATE_NOOP("console", "{name} ({kind}): {km} km, under 1 min"),
    Arrival.MINUTES: QT_TRANSLATE_NOOP("console", "{name} ({kind}): {km} km, about {minutes} min"),
}
