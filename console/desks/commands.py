"""Commanding equipment from the console: the dialog's plan, the sending, the following.

The workflow behind the equipment panel's Command… and the command log's Re-run…: plans are
made and sent on the acts lane (the database and the broker), the acks are read from the
sender's memory every half second (nothing waits on the GUI thread), and every command sent
asks the shared log to be read again so that it shows pending at once.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QMessageBox

from console.desks.incidents import IncidentDesk
from console.desks.seat import Seat
from console.shell.docks import Area, Dock
from console.text.approvals import command_preview
from console.text.commands import awaiting_line, describe_plan, describe_selection, outcome_lines
from console.text.i18n import fill, translate
from console.text.messages import describe
from services import approving
from services.commands.outbox import CommandRequest
from services.commands.selection import selection_outcome
from services.commands.sender import Plan
from services.domain.commands import CommandRecord
from services.domain.equipment import EquipmentView
from services.domain.errors import VigieError
from widgets.command_log.panel import CommandLogModel, CommandLogPanel
from widgets.equipment.command_dialog import CommandDialog
from widgets.equipment.panel import EquipmentPanel

#: How often a command's answers are looked at while its dialog follows it.
FOLLOW_EVERY = 0.5


class CommandDesk:
    DOCKS = (
        Dock(
            "command_log",
            QT_TRANSLATE_NOOP("console", "Commands"),
            Area.BottomDockWidgetArea,
            behind="logbook",
            shown_in=frozenset({"snow_coordinator", "technician", "supervisor"}),
        ),
    )

    def __init__(self, seat: Seat, incidents: IncidentDesk, equipment: EquipmentPanel) -> None:
        self.seat = seat
        self.incidents = incidents  # where a refused re-run is said
        self.feed = incidents.feed
        self.log_model = CommandLogModel(seat.window)
        self.log = CommandLogPanel(self.log_model)
        self.panels = {"command_log": self.log}
        self.dialog: CommandDialog | None = None
        self.rerun_box: QMessageBox | None = None
        self.feed.sig_commands.connect(self.log_model.upsert)
        self.log.sig_rerun_requested.connect(self.rerun)
        equipment.sig_command_requested.connect(self.open)

    def open(self, devices: list[EquipmentView]) -> CommandDialog:
        """The command dialog: preview (the plan, made on the acts lane), send, follow.

        A selection of several devices is one command per device, followed as one.
        """
        dialog = CommandDialog(devices, self.seat.names, self.seat.window)
        plans: list[Plan] = []  # the plan last previewed: what Send sends
        dialog.sig_preview_requested.connect(
            lambda *asked: self.seat.bridge.start(self._preview(dialog, plans, *asked))
        )
        dialog.sig_send_requested.connect(
            lambda: self.seat.bridge.start(self._send(dialog, list(plans)))
        )
        dialog.open()
        self.dialog = dialog
        return dialog

    async def _preview(
        self,
        dialog: CommandDialog,
        plans: list[Plan],
        target_type: str,
        target: str,
        command: str,
        params: dict,
        seconds: int,
    ) -> None:
        def plan_all() -> list[Plan]:
            return [
                self.seat.sender.plan(
                    target_type,
                    one,
                    command,
                    params,  # typed and checked by the outbox, as from the shell
                    issued_by=self.seat.operator,
                    expires_in=timedelta(seconds=seconds),
                )
                for one in target.split(",")  # a selection: its ids, comma-separated
            ]

        try:
            made = await self.seat.bridge.acts.run(plan_all)
        except VigieError as error:
            dialog.show_problem(describe(error))
            return
        plans[:] = made
        dialog.show_plan(describe_plan(made[0]) if len(made) == 1 else describe_selection(made))

    async def _send(self, dialog: CommandDialog, plans: list[Plan]) -> None:
        reason = dialog.reason.text().strip()
        try:
            asked = await self.seat.bridge.acts.run(self._ask_approval, plans, reason)
            if asked is not None:  # high impact: recorded as requested, nothing sent
                dialog.show_outcome([asked], final=True)
                return
            requests = await self.seat.bridge.acts.run(self._send_and_log, plans)
        except VigieError as error:
            dialog.show_problem(describe(error))
            return
        except Exception as error:  # noqa: BLE001 - the broker's own words, in the dialog
            dialog.show_problem(str(error))
            return
        # Headed in words: the request id is the command log's, a click away.
        name = (
            translate("console", "Result")
            if len(requests) == 1
            else fill(translate("console", "{count} commands"), {"count": len(requests)})
        )
        while True:  # the sender keeps the acks in memory: looking costs no waiting
            outcomes = [
                self.seat.sender.outcome(r, p.members) for r, p in zip(requests, plans, strict=True)
            ]
            outcome = outcomes[0] if len(outcomes) == 1 else selection_outcome(outcomes)
            # every silent device named: the dialog scrolls, a terminal would not
            dialog.show_outcome(outcome_lines(name, outcome, listed=None), outcome.final)
            if outcome.final:
                return
            await asyncio.sleep(FOLLOW_EVERY)

    def _ask_approval(self, plans: list[Plan], reason: str) -> str | None:  # the acts lane
        """A command the approval rules name is requested, not sent: what to say, or None."""
        rule = approving.rule_for_selection(self.seat.db, plans)
        if rule is None:
            return None
        if not reason:
            raise VigieError("approval.reason_required")
        approval = approving.request_selection(
            self.seat.db,
            plans,
            by=self.seat.operator,
            reason=reason,
            preview=command_preview(plans, rule),  # what an approver's panel rebuilds
            rule=rule,
        )
        return awaiting_line(approval)

    def _send_and_log(self, plans: list[Plan]) -> list[CommandRequest]:  # the acts lane
        requests = [self.seat.sender.send(plan) for plan in plans]
        self.feed.want_commands()  # the log shows them pending at once
        return requests

    def rerun(self, record: CommandRecord) -> None:
        """The same command again: its plan as it stands now, then the operator's yes."""
        self.seat.bridge.start(self._rerun(record))

    async def _rerun(self, record: CommandRecord) -> None:
        params = {k: v for k, v in record.params.items() if k != "until"}  # its time has passed
        try:
            plan = await self.seat.bridge.acts.run(
                lambda: self.seat.sender.plan(
                    record.target_type,
                    record.target,
                    record.command,
                    params,
                    issued_by=self.seat.operator,
                )
            )
        except VigieError as error:
            self.incidents.refuse(error)
            return
        box = QMessageBox(self.seat.window)
        box.setWindowTitle(translate("console", "Send again"))
        box.setTextFormat(Qt.TextFormat.PlainText)  # device and group names came from outside
        box.setText(
            fill(translate("console", "Send again: {plan}?"), {"plan": describe_plan(plan)})
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(
            lambda button: (
                box.standardButton(button) == QMessageBox.StandardButton.Yes
                and self.seat.bridge.start(self._send_again(plan))
            )
        )
        box.open()
        self.rerun_box = box

    async def _send_again(self, plan: Plan) -> None:
        try:
            await self.seat.bridge.acts.run(self._send_and_log, [plan])
        except VigieError as error:
            self.incidents.refuse(error)
