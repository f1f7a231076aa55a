"""Commanding equipment from the console: the dialog's plan, the sending, the following.

The workflow behind the equipment panel's Command… and the command log's Re-run…: plans are
made and sent in the background (the database and the broker), the acks are read from the
sender's memory on a timer (nothing waits on the GUI thread), and every command sent asks the
shared log to be read again so that it shows pending at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from console.bridge import Background
from console.text.commands import describe_plan, describe_selection, outcome_lines
from console.text.i18n import fill, translate
from console.text.messages import describe
from services.commands.outbox import CommandRequest
from services.commands.selection import selection_outcome
from services.commands.sender import CommandSender, Plan
from services.domain.commands import CommandRecord
from services.domain.equipment import EquipmentView
from services.domain.errors import VigieError
from services.reference import communes
from widgets.equipment.command_dialog import CommandDialog


class CommandDesk:
    def __init__(
        self,
        sender: CommandSender,
        background: Background,
        operator: str,
        parent: QWidget,
        *,
        want_commands: Callable[[], None],
        refused: Callable[[BaseException], None],
    ) -> None:
        self.sender = sender
        self.background = background
        self.operator = operator
        self.parent = parent
        self.want_commands = want_commands  # the shared log is read again (any thread)
        self.refused = refused  # how the console shows a refusal
        self.dialog: CommandDialog | None = None
        self.rerun_box: QMessageBox | None = None

    def open(self, devices: list[EquipmentView]) -> CommandDialog:
        """The command dialog: preview (the plan, computed in the background), send, follow.

        A selection of several devices is one command per device, followed as one.
        """
        dialog = CommandDialog(devices, {c.insee: c.name for c in communes()}, self.parent)
        plans: list[Plan] = []

        def preview(
            target_type: str, target: str, command: str, params: dict, seconds: int
        ) -> None:
            def plan_all() -> list[Plan]:
                return [
                    self.sender.plan(
                        target_type,
                        one,
                        command,
                        params,  # typed and checked by the outbox, as from the shell
                        issued_by=self.operator,
                        expires_in=timedelta(seconds=seconds),
                    )
                    for one in target.split(",")  # a selection: its ids, comma-separated
                ]

            def planned(made: list[Plan]) -> None:
                plans[:] = made
                dialog.show_plan(
                    describe_plan(made[0]) if len(made) == 1 else describe_selection(made)
                )

            def refused(error: BaseException) -> None:
                if not isinstance(error, VigieError):
                    raise error
                dialog.show_problem(describe(error))

            self.background.run(plan_all, planned, refused)

        def sent(requests: list[CommandRequest]) -> None:
            follow = QTimer(dialog)
            name = requests[0].request_id if len(requests) == 1 else f"{len(requests)} × …"

            def look() -> None:  # the sender keeps the acks in memory: no waiting here
                outcomes = [
                    self.sender.outcome(r, p.members) for r, p in zip(requests, plans, strict=True)
                ]
                outcome = outcomes[0] if len(outcomes) == 1 else selection_outcome(outcomes)
                # every silent device named: the dialog scrolls, a terminal would not
                dialog.show_outcome(outcome_lines(name, outcome, listed=None), outcome.final)
                if outcome.final:
                    follow.stop()

            follow.timeout.connect(look)
            follow.start(500)
            look()

        def send() -> None:
            self.background.run(
                lambda: self._send_and_log(list(plans)),
                sent,
                lambda e: dialog.show_problem(describe(e) if isinstance(e, VigieError) else str(e)),
            )

        dialog.sig_preview_requested.connect(preview)
        dialog.sig_send_requested.connect(send)
        dialog.open()
        self.dialog = dialog
        return dialog

    def _send_and_log(self, plans: list[Plan]) -> list[CommandRequest]:  # a worker thread
        requests = [self.sender.send(plan) for plan in plans]
        self.want_commands()  # the log shows them pending at once
        return requests

    def rerun(self, record: CommandRecord) -> None:
        """The same command again: its plan as it stands now, then the operator's yes."""
        params = {k: v for k, v in record.params.items() if k != "until"}  # its time has passed

        def planned(plan: Plan) -> None:
            box = QMessageBox(self.parent)
            box.setWindowTitle(translate("console", "Send again"))
            box.setTextFormat(Qt.TextFormat.PlainText)  # device and group names came from outside
            box.setText(
                fill(translate("console", "Send again: {plan}?"), {"plan": describe_plan(plan)})
            )
            box.setStandardButtons(
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
            )
            yes = QMessageBox.StandardButton.Yes

            def answered(button: Any) -> None:
                if box.standardButton(button) == yes:
                    self.background.run(
                        lambda: self._send_and_log([plan]), lambda _r: None, self.refused
                    )

            box.buttonClicked.connect(answered)
            box.open()
            self.rerun_box = box

        self.background.run(
            lambda: self.sender.plan(
                record.target_type,
                record.target,
                record.command,
                params,
                issued_by=self.operator,
            ),
            planned,
            self.refused,
        )
