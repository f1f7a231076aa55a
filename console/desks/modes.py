"""Switching the city's modes from the console: the modes panel's preview, apply, follow, rollback.

The same ``services.modes`` path as ``vigie mode``. The playbook is read again at every preview
(a city edits it while Vigie runs); planning, applying and recording run on the acts lane; the
progress is read from the sender's memory of acks every half second, so the GUI thread never
waits. Every console also hears the retained ``modes/*`` announcements and re-reads the record:
its queue's SLA targets and its map's layers follow the level and mode in force.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from console.desks.seat import Seat
from console.text.approvals import mode_preview
from console.text.commands import awaiting_line
from console.text.i18n import fill, translate
from console.text.messages import describe
from console.text.modes import kind_name, preview_lines, progress_line, result_lines, value_name
from services import approving
from services.domain.errors import VigieError
from services.domain.incidents import DEFAULT_SLA, SlaPolicy
from services.domain.modes import ModeRecord
from services.domain.playbooks import ModeEntry
from services.modes import ModeSwitcher, SwitchPreview, current_modes
from services.playbooks import load_playbook
from widgets.modes.dialog import ModeSwitchDialog
from widgets.modes.panel import ModesPanel

#: How often a switch's answers are looked at while its dialog follows it.
FOLLOW_EVERY = 0.5


@dataclass
class _Switching:
    """One dialog's switch: what it previewed, which the operator may then apply."""

    dialog: ModeSwitchDialog
    kind: str
    value: str | None  # None: the rollback
    switcher: ModeSwitcher | None = None
    preview: SwitchPreview | None = None


class ModeDesk:
    def __init__(
        self,
        seat: Seat,
        panel: ModesPanel,
        *,
        playbook_path: str = "",
        on_switched: Callable[[ModeEntry], None],
        on_modes: Callable[[list[ModeRecord], SlaPolicy, frozenset[str]], None],
    ) -> None:
        self.seat = seat
        self.panel = panel
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
        self.seat.bridge.start(self._refresh())

    async def _refresh(self) -> None:
        db = self.seat.db
        try:
            records, playbook = await self.seat.bridge.acts.run(
                lambda: (current_modes(db), load_playbook(self.playbook_path))
            )
        except VigieError as error:
            self.panel.show_problem(describe(error))
            return
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

    # --- one switch ----------------------------------------------------------------------------

    def open(self, kind: str, value: str | None) -> ModeSwitchDialog:
        """The dialog switching to ``value`` (None: the rollback), previewed on the acts lane."""
        title = fill(
            translate("modes", "Roll back the {kind}")
            if value is None
            else translate("modes", "Switch the {kind}"),
            {"kind": kind_name(kind)},
        )
        dialog = ModeSwitchDialog(
            title, value_name(kind, value) if value else "…", self.seat.window, kind=kind
        )
        dialog.setObjectName(f"mode_switch_{kind}")
        switching = _Switching(dialog, kind, value)
        dialog.sig_apply_requested.connect(
            lambda reason, motive: self.seat.bridge.start(self._apply(switching, reason, motive))
        )
        dialog.sig_rollback_requested.connect(lambda: (dialog.accept(), self.open(kind, None)))
        self.seat.bridge.start(self._preview(switching))
        dialog.open()
        self.dialog = dialog
        return dialog

    async def _preview(self, switching: _Switching) -> None:
        kind, value, operator = switching.kind, switching.value, self.seat.operator

        def plan() -> tuple[ModeSwitcher, SwitchPreview]:
            modes = ModeSwitcher(self.seat.db, self.seat.sender, load_playbook(self.playbook_path))
            if value is None:
                return modes, modes.preview_rollback(kind, operator)
            return modes, modes.preview(kind, value, operator)

        try:
            switching.switcher, switching.preview = await self.seat.bridge.acts.run(plan)
        except VigieError as error:
            switching.dialog.show_problem(describe(error))
            return
        switching.dialog.apply_button.setText(
            fill(
                translate("modes", "Switch to {target}"),
                {"target": value_name(kind, switching.preview.value)},
            )
        )
        switching.dialog.show_preview(preview_lines(switching.preview))

    def _ask_approval(self, switching: _Switching, reason: str, motive: str) -> str | None:
        """A switch the approval rules name is requested, not applied: what to say, or None."""
        preview = switching.preview
        assert preview is not None
        rule = approving.rule_for_mode(self.seat.db, switching.kind, preview.value)
        if rule is None:
            return None
        approval = approving.request_mode(
            self.seat.db,
            kind=switching.kind,
            value=preview.value,
            motive=motive,
            by=self.seat.operator,
            reason=reason,
            preview=mode_preview(preview, rule),  # what an approver's panel rebuilds
            rule=rule,
        )
        return awaiting_line(approval)

    async def _apply(self, switching: _Switching, reason: str, motive: str) -> None:
        switcher, preview, dialog = switching.switcher, switching.preview, switching.dialog
        assert switcher is not None and preview is not None  # Apply is offered after the preview
        acts = self.seat.bridge.acts
        try:
            asked = await acts.run(self._ask_approval, switching, reason, motive)
            if asked is not None:  # high impact: recorded as requested, nothing switched
                dialog.show_result([asked], False, complete=False)
                return
            switch = await acts.run(switcher.apply, preview, self.seat.operator, reason, motive)
            while True:  # the sender keeps the acks in memory: looking costs no waiting
                progress = switcher.progress(switch)
                dialog.show_progress(progress.finished, progress.total)
                dialog.progress.setToolTip(progress_line(progress))
                if progress.final:
                    break
                await asyncio.sleep(FOLLOW_EVERY)
            record = await acts.run(switcher.finish, switch, progress)
        except VigieError as error:
            dialog.show_problem(describe(error))
            return
        complete = record.state in ("applied", "rolled_back")
        dialog.show_result(result_lines(record, progress), True, complete=complete)
        self.refresh()
        self.on_switched(preview.entry)
