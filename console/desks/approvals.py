"""Approvals: a supervisor reads each high-impact request word for word and approves or refuses.

What the supervisor reads is the request's preview rebuilt from its own act, target and
parameters (``services.approving.replan``, then ``console.text.approvals``, the builder the
requester's console used), planned on the worker lane with the list; the text the requester's
console recorded is compared with it, never trusted. Approving carries the act out at once as its
requester's (the commands sent, the switch applied, the role changed); the record refuses an
approval by the requester, and the panel says so first.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer

from console.desks.incidents import IncidentDesk
from console.desks.seat import Seat
from console.shell.docks import Area, Dock
from console.text.approvals import rebuild
from console.text.i18n import fill, translate
from console.text.messages import describe
from services import approving
from services.domain.approvals import Approval, ApprovalKind, ApprovalStatus, Rebuilt
from services.domain.errors import VigieError
from services.domain.permissions import Act
from services.modes import ModeSwitcher
from services.playbooks import load_playbook
from services.store import approvals
from services.store.database import Database
from widgets.approvals.panel import ApprovalsPanel

#: How often the list is read again (requests come from other workstations and the shell).
REFRESH_MS = 5_000


class ApprovalDesk:
    DOCKS = (
        Dock(
            "approvals",
            QT_TRANSLATE_NOOP("console", "Approvals"),
            Area.BottomDockWidgetArea,
            behind="logbook",
            shown_in=frozenset({"supervisor"}),
        ),
    )

    def __init__(self, seat: Seat, incidents: IncidentDesk, playbook_path: str = "") -> None:
        self.seat = seat
        self.incidents = incidents
        self.playbook_path = playbook_path
        self.panel = ApprovalsPanel()
        self.panel.operator = seat.operator
        self.panels = {"approvals": self.panel}
        self.panel.refuse_all(seat.refusal(Act.APPROVE))
        self.panel.sig_approve_requested.connect(
            lambda approval_id: seat.bridge.start(self._approve(approval_id))
        )
        self.panel.sig_refuse_requested.connect(
            lambda approval_id, why: seat.bridge.start(self._refuse(approval_id, why))
        )
        self.timer = QTimer(seat.window)
        self.timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self.timer.start(REFRESH_MS)
        self.refresh()

    def refresh(self) -> None:
        self.seat.bridge.start(self._refresh())

    async def _refresh(self) -> None:
        db = self.seat.db

        def read() -> tuple[list[Approval], dict[str, Rebuilt]]:
            approving.expire(db)  # a request past its time is expired for everyone
            with db.read() as session:
                awaiting = approvals.list_all(session, ApprovalStatus.AWAITING)
            # Planned again at every read, as approving would plan it: the field may change.
            return awaiting, {a.id: self._rebuild(db, a) for a in awaiting}

        try:
            awaiting, rebuilt = await self.seat.bridge.outside.run(read)
        except VigieError as error:
            self.panel.show_problem(describe(error))
            return
        self.panel.show_requests(awaiting, rebuilt)

    def _rebuild(self, db: Database, approval: Approval) -> Rebuilt:  # the outside lane
        return rebuild(db, self.seat.sender, self.playbook_path, approval)

    async def _approve(self, approval_id: str) -> None:
        lanes = self.seat.bridge
        try:
            said, switching = await lanes.acts.run(self._approve_and_carry_out, approval_id)
            self.panel.show_problem("")
            self.seat.tell(said)
            self.refresh()
            if switching is not None:  # followed off the acts lane until the switch ends
                modes, switch, approved = switching
                progress = await lanes.outside.run(modes.wait, switch)
                record = await lanes.outside.run(modes.finish, switch, progress)
                await lanes.outside.run(
                    approving.note_outcome, self.seat.db, approved, record.state
                )
        except VigieError as error:
            self.panel.show_problem(describe(error))
            self.refresh()

    def _approve_and_carry_out(self, approval_id: str) -> tuple[str, tuple | None]:  # acts lane
        db, by = self.seat.db, self.seat.operator
        approved = approving.approve(db, approval_id, by=by)
        if approved.kind is ApprovalKind.COMMAND:
            sent = approving.carry_out_commands(db, self.seat.sender, approved)
            said = fill(
                translate("console", "Approved: {count} command(s) sent for {who}"),
                {"count": len(sent), "who": approved.requested_by},
            )
            return said, None
        switching = None
        if approved.kind is ApprovalKind.ROLE:
            approving.carry_out_role_change(db, approved)
        else:  # a mode: applied as the requester's; the city watch follows it like any switch
            modes = ModeSwitcher(db, self.seat.sender, load_playbook(self.playbook_path))
            switch = approving.carry_out_mode(modes, approved)
            switching = (modes, switch, approved)
        said = fill(
            translate("console", "Approved: done for {who}"), {"who": approved.requested_by}
        )
        return said, switching

    async def _refuse(self, approval_id: str, why: str) -> None:
        try:
            await self.seat.bridge.acts.run(
                lambda: approving.refuse(
                    self.seat.db, approval_id, by=self.seat.operator, reason=why
                )
            )
        except VigieError as error:
            self.panel.show_problem(describe(error))
            return
        self.seat.tell(translate("console", "Refused: nothing was sent"))
        self.refresh()
