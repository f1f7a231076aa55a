"""Switching the city's modes from the console: the modes panel's preview, apply, follow, rollback.

The same ``services.modes`` path as ``vigie mode``. The playbook is read again at every preview
(a city edits it while Vigie runs); planning, applying and recording run in the background; the
progress is read from the sender's memory of acks on a timer, so the GUI thread never waits.
Every console also hears the retained ``modes/*`` announcements and re-reads the record: its
queue's SLA targets and its map's layers follow the level and mode in force.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from console.bridge import Background
from console.text.i18n import fill, translate
from console.text.messages import describe
from console.text.modes import kind_name, preview_lines, progress_line, result_lines, value_name
from services.commands.sender import CommandSender
from services.domain.errors import VigieError
from services.domain.incidents import DEFAULT_SLA, SlaPolicy
from services.domain.modes import ModeRecord
from services.domain.playbooks import ModeEntry, Playbook
from services.modes import ModeSwitcher, Switch, SwitchPreview, current_modes
from services.playbooks import load_playbook
from services.store.database import Database
from widgets.modes.dialog import ModeSwitchDialog
from widgets.modes.panel import ModesPanel


class ModeDesk(QObject):
    def __init__(
        self,
        db: Database,
        sender: CommandSender,
        background: Background,
        operator: str,
        panel: ModesPanel,
        window: QWidget,
        *,
        playbook_path: str = "",
        on_switched: Callable[[ModeEntry], None],
        on_modes: Callable[[list[ModeRecord], SlaPolicy, frozenset[str]], None],
    ) -> None:
        super().__init__(window)
        self.db = db
        self.sender = sender
        self.background = background
        self.operator = operator
        self.panel = panel
        self.window = window
        self.playbook_path = playbook_path
        self.on_switched = on_switched  # this console switched: its perspective may change
        self.on_modes = on_modes  # any console: the records, SLA targets and map layers in force
        self.dialog: ModeSwitchDialog | None = None
        self._seen: dict[str, str] = {}
        panel.sig_preview_requested.connect(lambda kind, value: self.open(kind, value))
        panel.sig_rollback_requested.connect(lambda kind: self.open(kind, None))

    # --- what is in force --------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the record again (at start, and on every ``modes/*`` announcement)."""
        self.background.run(
            lambda: (current_modes(self.db), load_playbook(self.playbook_path)),
            self._show,
            self._problem,
        )

    def _show(self, found: tuple[list[ModeRecord], Playbook]) -> None:
        records, playbook = found
        self.panel.show_problem("")
        for record in records:
            self.panel.show_record(record)
        entries = [playbook.entry(r.kind, r.value) for r in records]
        policy = DEFAULT_SLA
        for entry in entries:
            if entry is not None:
                policy = entry.sla_policy(policy)
        changed = {r.kind: r.value for r in records} != self._seen
        self._seen = {r.kind: r.value for r in records}
        layers = frozenset().union(*(e.layers for e in entries if e is not None))
        self.on_modes(records, policy, layers if changed else frozenset())

    def _problem(self, error: BaseException) -> None:
        if not isinstance(error, VigieError):
            raise error
        self.panel.show_problem(describe(error))

    # --- one switch ----------------------------------------------------------------------------

    def open(self, kind: str, value: str | None) -> ModeSwitchDialog:
        """The dialog switching to ``value`` (None: the rollback), previewed in the background."""
        title = fill(
            translate("modes", "Roll back the {kind}")
            if value is None
            else translate("modes", "Switch the {kind}"),
            {"kind": kind_name(kind)},
        )
        dialog = ModeSwitchDialog(title, value_name(kind, value) if value else "…", self.window)
        dialog.setObjectName(f"mode_switch_{kind}")
        previews: list[SwitchPreview] = []
        switcher: list[ModeSwitcher] = []

        def plan() -> tuple[ModeSwitcher, SwitchPreview]:
            modes = ModeSwitcher(self.db, self.sender, load_playbook(self.playbook_path))
            if value is None:
                return modes, modes.preview_rollback(kind, self.operator)
            return modes, modes.preview(kind, value, self.operator)

        def planned(made: tuple[ModeSwitcher, SwitchPreview]) -> None:
            switcher[:] = [made[0]]
            previews[:] = [made[1]]
            dialog.apply_button.setText(
                fill(
                    translate("modes", "Switch to {target}"),
                    {"target": value_name(kind, made[1].value)},
                )
            )
            dialog.show_preview(preview_lines(made[1]))

        def refused(error: BaseException) -> None:
            if not isinstance(error, VigieError):
                raise error
            dialog.show_problem(describe(error))

        def apply(reason: str, motive: str) -> None:
            self.background.run(
                lambda: switcher[0].apply(previews[0], self.operator, reason, motive),
                follow,
                refused,
            )

        def follow(switch: Switch) -> None:
            timer = QTimer(dialog)

            def look() -> None:  # the sender keeps the acks in memory: no waiting here
                progress = switcher[0].progress(switch)
                dialog.show_progress(progress.finished, progress.total)
                dialog.progress.setToolTip(progress_line(progress))
                if progress.final:
                    timer.stop()
                    self.background.run(
                        lambda: switcher[0].finish(switch, progress),
                        lambda record: finished(record, progress),
                        refused,
                    )

            timer.timeout.connect(look)
            timer.start(500)
            look()

        def finished(record: ModeRecord, progress) -> None:  # noqa: ANN001
            complete = record.state in ("applied", "rolled_back")
            dialog.show_result(result_lines(record, progress), True, complete=complete)
            self.refresh()
            self.on_switched(previews[0].entry)

        dialog.sig_apply_requested.connect(apply)
        dialog.sig_rollback_requested.connect(lambda: (dialog.accept(), self.open(kind, None)))
        self.background.run(plan, planned, refused)
        dialog.open()
        self.dialog = dialog
        return dialog
