"""The hotline: a caller's account typed into the call form becomes an incident (Ctrl+N)."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut

from console.desks.incidents import IncidentDesk
from console.desks.seat import Seat
from console.text.messages import describe
from services import incident_actions as acts
from services.domain.calls import CallDraft
from services.domain.errors import VigieError
from services.domain.permissions import Act
from services.reference import communes
from widgets.call_form.dialog import CallFormDialog


class CallDesk:
    def __init__(self, seat: Seat, incidents: IncidentDesk) -> None:
        self.seat = seat
        self.incidents = incidents
        self.form: CallFormDialog | None = None
        QShortcut(QKeySequence("Ctrl+N"), seat.window, self.new_call)

    def new_call(self) -> CallFormDialog | None:
        """Open the hotline's form; the incident is created when the form is right."""
        refusal = self.seat.refusal(Act.ACT_ON_INCIDENTS)
        if refusal:  # said before a caller's account is typed into a form that cannot be kept
            self.seat.tell(refusal)
            return None
        form = CallFormDialog(self.seat.names, self.seat.window)
        form.sig_call_submitted.connect(
            lambda draft: self.seat.bridge.start(self._record(form, draft))
        )
        form.open()
        self.form = form
        return form

    async def _record(self, form: CallFormDialog, draft: CallDraft) -> None:
        try:
            incident = await self.seat.bridge.acts.run(
                lambda: acts.record_call(
                    self.seat.db, draft, by=self.seat.operator, communes=communes()
                )
            )
        except VigieError as error:
            form.show_problem(describe(error))  # the form stays open, nothing typed is lost
            return
        form.accept()
        self.incidents.changed(incident, show=False)
        self.incidents.queue.select_incident(incident.id)  # type: ignore[arg-type]
