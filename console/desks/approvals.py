"""Approvals: a supervisor reads each high-impact request word for word and approves or refuses.

What the supervisor reads is the request's preview rebuilt from its own act, target and
parameters (``services.approving.replan``, then ``console.text.approvals``, the builder the
requester's console used), planned on the worker lane with the list; the text the requester's
console recorded is compared with it, never trusted. Approving carries the act out at once as its
requester's (the commands sent, the switch applied, the lighting policy pushed, the role
changed); the record refuses an approval by the requester, and the panel says so first. A switch
and a lighting policy are followed until their cabinets have answered, off the acts lane.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer

from console.desks.incidents import IncidentDesk
from console.desks.seat import Seat
from console.shell.docks import Area, Dock
from console.text.approvals import rebuild
from console.text.i18n import fill, translate
from console.text.lighting import progress_line, result_lines
from console.text.messages import describe
from services import approving, lighting
from services.commands.outcome import GRACE
from services.domain.approvals import Approval, ApprovalKind, ApprovalStatus, Rebuilt
from services.domain.errors import VigieError
from services.domain.permissions import Act
from services.lighting import LightingApply
from services.lighting_policy import load_policy
from services.modes import ModeSwitcher
from services.playbooks import load_playbook
from services.store import approvals
from services.store.database import Database
from widgets.approvals.panel import ApprovalsPanel

#: How often the list is read again (requests come from other workstations and the shell).
REFRESH_MS = 5_000
#: How often a lighting policy's acks are looked at (in the sender's memory: no waiting).
FOLLOW_EVERY = 0.5
#: How long a lighting request's rebuilt preview is shown before it is rebuilt (seconds).
LIGHTING_REBUILT_S = 60.0


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

    def __init__(
        self,
        seat: Seat,
        incidents: IncidentDesk,
        playbook_path: str = "",
        lighting_path: str = "",
    ) -> None:
        self.seat = seat
        self.incidents = incidents
        self.playbook_path = playbook_path
        self.lighting_path = lighting_path  # the city's lighting policy (the bundled one if empty)
        self._lighting_rebuilt: dict[str, tuple[float, Rebuilt]] = {}  # approval id -> kept
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
        if approval.kind is not ApprovalKind.LIGHTING:
            return rebuild(db, self.seat.sender, self.playbook_path, approval, self.lighting_path)
        # A lighting policy's preview reads every light (half a second at Dijon's scale): kept
        # a minute per request, not redone at every refresh of every console. Approving it
        # previews again anyway (approving.check_lighting), so nothing stale is ever sent.
        kept = self._lighting_rebuilt.get(approval.id)
        if kept is not None and time.monotonic() - kept[0] < LIGHTING_REBUILT_S:
            return kept[1]
        rebuilt = rebuild(db, self.seat.sender, self.playbook_path, approval, self.lighting_path)
        self._lighting_rebuilt[approval.id] = (time.monotonic(), rebuilt)
        return rebuilt

    async def _approve(self, approval_id: str) -> None:
        lanes = self.seat.bridge
        try:
            said, switching = await lanes.acts.run(self._approve_and_carry_out, approval_id)
            self.panel.show_problem("")
            self.seat.tell(said)
            self.refresh()
            if isinstance(switching, LightingApply):
                await self._follow_lighting(switching)
            elif switching is not None:  # followed off the acts lane until the switch ends
                modes, switch, approved = switching
                progress = await lanes.outside.run(modes.wait, switch)
                record = await lanes.outside.run(modes.finish, switch, progress)
                await lanes.outside.run(
                    approving.note_outcome, self.seat.db, approved, record.state
                )
        except VigieError as error:
            self.panel.show_problem(describe(error))
            self.refresh()

    async def _follow_lighting(self, applied: LightingApply) -> None:
        """The profiles' acks, read every half second, said in the status bar; then the result.

        As ``lighting.wait`` follows them in the shell; each look (sets over 34,000 lights) on
        the outside lane, the GUI thread's loop only waiting for it.
        """
        latest = max((r.expires_at for r in applied.requests), default=datetime.now(UTC))
        deadline = latest + GRACE + timedelta(milliseconds=500)
        while True:
            state = await self.seat.bridge.outside.run(lighting.progress, self.seat.sender, applied)
            self.seat.tell(progress_line(state))
            if state.final or datetime.now(UTC) > deadline:
                break
            await asyncio.sleep(FOLLOW_EVERY)
        await self.seat.bridge.acts.run(lighting.finish, self.seat.db, applied, state)
        self.seat.tell(" ".join(result_lines(state)))

    def _approve_and_carry_out(self, approval_id: str) -> tuple[str, object]:  # acts lane
        db, by = self.seat.db, self.seat.operator
        with db.read() as session:
            seen = approvals.get(session, approval_id)
        if seen.kind is ApprovalKind.LIGHTING:
            return self._approve_lighting(seen)
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

    def _approve_lighting(self, seen: Approval) -> tuple[str, LightingApply]:  # acts lane
        """Checked, approved, then its profiles recorded as the requester's act, by this operator.

        Checked first, so that a policy that is no longer the one requested (the file or the
        field changed since) is refused before anything is approved.
        """
        db = self.seat.db
        policy, playbook = load_policy(self.lighting_path), load_playbook(self.playbook_path)
        approving.check_lighting(db, self.seat.sender, policy, playbook, seen)
        approved = approving.approve(db, seen.id, by=self.seat.operator)
        applied = approving.carry_out_lighting(db, self.seat.sender, policy, playbook, approved)
        said = fill(
            translate("console", "Approved: the lighting policy goes to {groups} groups for {who}"),
            {"groups": len(applied.requests), "who": approved.requested_by},
        )
        return said, applied

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
