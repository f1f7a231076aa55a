"""Commanding equipment: choose what and where, read exactly what will be sent, then follow it.

Three steps in one dialog. The operator chooses the target (the device, its commune, or every
device of its type) and a command with its parameters; "Preview" asks the console for the plan,
shown word for word (how many devices, which communes, the exact command); only then can it be
sent. Afterwards the dialog shows the command's outcome as its acks arrive: pending until then,
never done on the sender's say-so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
)

from services.domain.commands import COMMANDS, CommandSpec
from services.domain.equipment import EquipmentType, EquipmentView
from widgets.palette import style_error
from widgets.plain_text import plain_label


class CommandDialog(QDialog):
    sig_preview_requested = Signal(str, str, str, dict, int)
    """(target type or "group", target, command, parameters as written, seconds it stays valid)."""
    sig_send_requested = Signal()
    """The operator confirmed the plan shown."""

    def __init__(
        self,
        devices: Sequence[EquipmentView],
        commune_names: Mapping[str, str],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Command equipment"))
        self.setMinimumWidth(620)
        self.devices = list(devices)  # one type: the panel sees to it
        self.device = device = self.devices[0]
        self.target = QComboBox()
        if len(self.devices) > 1:
            self.target.addItem(
                self.tr("The %1 selected devices").replace("%1", str(len(self.devices))),
                "selection",
            )
        else:
            self.target.addItem(self.tr("This device: %1").replace("%1", device.id), "device")
        group = device.attributes.get("refStreetlightGroup")
        if isinstance(group, str) and group:  # the lights switched together (a street, a square)
            self.target.addItem(self.tr("Its group: %1").replace("%1", group), "group")
        if device.commune:
            name = commune_names.get(device.commune, device.commune)
            self.target.addItem(
                self.tr("Every %1 of %2").replace("%1", device.type).replace("%2", name),
                "commune",
            )
        self.target.addItem(self.tr("Every %1 of the métropole").replace("%1", device.type), "all")
        self.command = QComboBox()
        for spec in self._specs():
            self.command.addItem(spec.name.value, spec.name.value)
        self.params = QLineEdit()
        self.until = QLineEdit()
        self.until.setPlaceholderText(self.tr("+2h, +30m or 2026-11-25T22:00 (optional)"))
        # How long the field may act on it: past this a device ignores it (answers "expired").
        self.expires = QSpinBox()
        self.expires.setRange(1, 600)
        self.expires.setValue(30)
        self.expires.setSuffix(" s")
        # Asked of high-impact acts only (the two-person rule): the request carries it.
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Required when the command waits for approval"))
        self.plan = QPlainTextEdit()
        self.plan.setReadOnly(True)
        self.plan.setPlaceholderText(self.tr("Preview the command to read what will be sent."))
        self.problem = plain_label()
        style_error(self.problem)
        self.problem.setWordWrap(True)
        self.problem.hide()
        form = QFormLayout()
        form.addRow(self.tr("Target"), self.target)
        form.addRow(self.tr("Command"), self.command)
        form.addRow(self.tr("Parameters"), self.params)
        form.addRow(self.tr("Until"), self.until)
        form.addRow(self.tr("Valid for"), self.expires)
        form.addRow(self.tr("Reason"), self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.preview_button = self.buttons.addButton(
            self.tr("Preview"), QDialogButtonBox.ButtonRole.ActionRole
        )
        # An action, not "accept": the dialog stays open to follow the acks.
        self.send_button = self.buttons.addButton(
            self.tr("Send"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.send_button.setEnabled(False)
        self.preview_button.clicked.connect(self._preview)
        self.send_button.clicked.connect(self._send)
        self.buttons.rejected.connect(self.reject)
        for field in (self.target, self.command):
            field.currentIndexChanged.connect(self._changed)
        for field in (self.params, self.until):
            field.textEdited.connect(self._changed)
        self.expires.valueChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.plan, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._changed()

    def _specs(self) -> list[CommandSpec]:
        try:
            kind = EquipmentType(self.device.type)
        except ValueError:
            return []
        return [s for s in COMMANDS.values() if kind in s.applies_to and s.typed_at_a_desk]

    def _changed(self, *_: Any) -> None:
        """Anything changed: the plan shown no longer holds."""
        spec = next((s for s in self._specs() if s.name.value == self.command.currentData()), None)
        self.params.setPlaceholderText(" ".join(f"{p.name}=…" for p in spec.params) if spec else "")
        self.until.setEnabled(bool(spec and spec.override))
        self.send_button.setEnabled(False)
        self.plan.clear()
        self.problem.hide()

    def chosen(self) -> tuple[str, str, str, dict[str, str]]:
        """(target type or "group", target, command, parameters as written).

        A selection is the devices' type and their ids separated by commas (an id never holds
        one): the console sends it as one command per device.
        """
        scope = self.target.currentData()
        if scope == "selection":
            target_type, target = self.device.type, ",".join(d.id for d in self.devices)
        elif scope == "device":
            target_type, target = self.device.type, self.device.id
        elif scope == "group":
            target_type, target = "group", str(self.device.attributes["refStreetlightGroup"])
        elif scope == "commune":
            target_type, target = "group", f"commune:{self.device.commune}"
        else:
            target_type, target = "group", f"all:{self.device.type}"
        params: dict[str, str] = {}
        for pair in self.params.text().split():
            key, _sep, value = pair.partition("=")
            params[key] = value
        if self.until.isEnabled() and self.until.text().strip():
            params["until"] = self.until.text().strip()
        return target_type, target, self.command.currentData() or "", params

    def _preview(self) -> None:
        self.problem.hide()
        self.sig_preview_requested.emit(*self.chosen(), self.expires.value())

    def _send(self) -> None:
        self.send_button.setEnabled(False)
        self.preview_button.setEnabled(False)
        self.sig_send_requested.emit()

    # --- what the console says back ---------------------------------------------------------------
    def show_plan(self, text: str) -> None:
        self.plan.setPlainText(self.tr("Will send: %1").replace("%1", text))
        self.send_button.setEnabled(True)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()
        self.preview_button.setEnabled(True)

    def show_outcome(self, lines: list[str], final: bool) -> None:
        self.plan.setPlainText("\n".join(lines))
        if final:
            self.preview_button.setEnabled(True)  # another command may follow
