"""Energy: what the street lights used over the last nights against full power, and the policy's.

The panel is read on a lane of its own, never on the GUI thread: the recorded nights
(``services.store.energy.nights``, the recorder's per-night aggregates, not its raw readings), the
city's tariff and carbon factor (its lighting policy file), and the policy's projection for one
night as it is written (``services.lighting.projection``). It is read when its dock is shown, every
few minutes while it stays shown (the night in progress grows), and when the operator asks; a
hidden dock costs nothing. A policy file that cannot be read leaves the kWh shown and says why.

The panel's Apply the policy… is ``vigie lighting apply`` from the console, on the same
``services.lighting`` path: the policy and the playbook are read again and previewed on the
panel's lane (every light is read), the request or the apply recorded on the acts lane, and the
cabinets' answers read from the sender's memory every half second on the panel's lane, so the GUI
thread never waits. At Dijon's scale the city's rules make it wait for a second operator's
approval: then confirming records the request, with the preview an approver's panel rebuilds,
and sends nothing.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer

from console.desks.seat import Seat
from console.shell.docks import Area, Dock
from console.text.approvals import lighting_preview
from console.text.commands import awaiting_line
from console.text.i18n import fill, translate
from console.text.lighting import preview_lines, progress_line, result_lines
from console.text.messages import describe
from services import approving, lighting
from services.commands.sender import BrokerUnreachable, CommandSender
from services.domain.energy import EnergyNight, Tariff
from services.domain.errors import VigieError
from services.domain.lighting import LightingPolicy
from services.lighting import ApplyProgress, LightingApply, LightingPreview
from services.lighting_policy import load_policy
from services.playbooks import load_playbook
from services.store import energy as energy_store
from services.store.database import Database
from widgets.energy.apply_dialog import LightingApplyDialog
from widgets.energy.figures import PolicyNight
from widgets.energy.panel import NIGHTS, EnergyPanel

#: While the dock is shown, the nights are read again this often (the night in progress grows).
REFRESH_MS = 5 * 60_000
#: A dock shown again within this many seconds of the last reading is not read again.
FRESH_S = 60.0
#: The policy's projection (over every light) is kept this long for the same policy and night.
PROJECTION_S = 15 * 60.0
#: How often an apply's answers are looked at while its dialog follows it.
FOLLOW_EVERY = 0.5
#: How long an apply waits for the console's link to the broker before saying it is down.
BROKER_WAIT_S = 5.0


@dataclass(frozen=True)
class EnergyReading:
    nights: list[EnergyNight]
    first: date
    last: date  # the night in progress
    tariff: Tariff | None
    policy: PolicyNight | None
    problem: VigieError | None  # why the policy could not be read or projected
    read_at: datetime


class EnergyReader:
    """Reads what the panel shows, on its lane: the recorded nights, the tariff, the projection.

    The projection goes over every street light (34,000 rows): it is kept for ``PROJECTION_S``
    for the same policy and night, while the nights, a few hundred rows, are read every time.
    """

    def __init__(self, db: Database, lighting_path: str = "", nights: int = NIGHTS) -> None:
        self.db = db
        self.lighting_path = lighting_path
        self.nights = nights
        self._projected: tuple[LightingPolicy, float, PolicyNight] | None = None

    def __call__(self, now: datetime | None = None) -> EnergyReading:
        now = now or datetime.now(UTC)
        last = energy_store.night_of(now)  # the recorder's rule: the small hours are the evening's
        first = last - timedelta(days=self.nights - 1)
        with self.db.read() as session:
            recorded = energy_store.nights(session, since=first)
        tariff: Tariff | None = None
        policy: PolicyNight | None = None
        problem: VigieError | None = None
        try:
            city = load_policy(self.lighting_path)
            tariff = Tariff(city.tariff_eur_per_kwh, city.co2_kg_per_kwh)
            policy = self._projection(city, now)
        except VigieError as error:  # the kWh are shown all the same
            problem = error
        return EnergyReading(recorded, first, last, tariff, policy, problem, now)

    def _projection(self, city: LightingPolicy, now: datetime) -> PolicyNight:
        kept = self._projected
        if kept is not None and kept[0] == city and time.monotonic() - kept[1] < PROJECTION_S:
            if kept[2].night == now.date():
                return kept[2]
        projected = lighting.projection(self.db, city, now=now)
        night = PolicyNight(
            projected.night,
            {
                commune: (row.lights, row.projected_kwh, row.baseline_kwh)
                for commune, row in projected.per_commune.items()
            },
        )
        self._projected = (city, time.monotonic(), night)
        return night


@dataclass
class _Applying:
    """One dialog's apply: the preview shown, which the operator may then confirm."""

    dialog: LightingApplyDialog
    preview: LightingPreview | None = None
    rule: str | None = None  # the approval rule the preview said it would wait for


class EnergyDesk:
    DOCKS = (
        Dock(
            "energy",
            QT_TRANSLATE_NOOP("console", "Energy"),
            Area.RightDockWidgetArea,
            behind="telemetry",
            shown_in=frozenset({"technician", "supervisor"}),
        ),
    )

    def __init__(
        self,
        seat: Seat,
        lighting_path: str = "",
        *,
        playbook_path: str = "",
        read: Callable[[], EnergyReading] | None = None,
    ) -> None:
        self.seat = seat
        self.lighting_path = lighting_path
        self.playbook_path = playbook_path  # the policy's exceptions follow the playbook's modes
        self.dialog: LightingApplyDialog | None = None
        self.panel = EnergyPanel(seat.names)
        self.panels = {"energy": self.panel}
        # Its own lane: a month of nights and a projection over 34,000 lights hold no other read.
        self.lane = seat.bridge.lane("console-energy")
        self.read = read or EnergyReader(seat.db, lighting_path)
        self.reading = False
        self.read_at: float | None = None  # monotonic time of the last reading shown
        self.panel.sig_refresh_requested.connect(self.refresh)
        self.panel.sig_apply_requested.connect(self.open_apply)
        self.timer = QTimer(seat.window)
        self.timer.timeout.connect(self._tick)

    def docked(self) -> None:
        """Once the docks exist: read when the dock is looked at."""
        self.seat.window.docks["energy"].visibilityChanged.connect(self._shown)

    def start(self) -> None:
        self.timer.start(REFRESH_MS)

    def stop(self) -> None:
        self.timer.stop()

    def _shown(self, shown: bool) -> None:
        fresh = self.read_at is not None and time.monotonic() - self.read_at < FRESH_S
        if shown and not fresh:
            self.refresh()

    def _tick(self) -> None:
        if self.panel.isVisible():  # a hidden dock costs nothing
            self.refresh()

    def refresh(self) -> None:
        if not self.reading:
            self.reading = True
            self.panel.show_reading()
            self.seat.bridge.start(self._read())

    async def _read(self) -> None:
        try:
            reading = await self.lane.run(self.read)
        except VigieError as error:
            self.panel.show_problem(describe(error))
            return
        finally:
            self.reading = False
        self.read_at = time.monotonic()
        self.panel.show_energy(
            reading.nights,
            first=reading.first,
            last=reading.last,
            tariff=reading.tariff,
            policy=reading.policy,
            in_progress=reading.last,
            read_at=reading.read_at,
        )
        problem = ""
        if reading.problem is not None:
            problem = fill(
                translate("console", "The lighting policy could not be read: {why}"),
                {"why": describe(reading.problem)},
            )
        self.panel.show_problem(problem)

    # --- applying the policy -------------------------------------------------------------------

    def open_apply(self) -> LightingApplyDialog:
        """The policy's preview (computed on the panel's lane), its reason, its apply.

        One at a time: asked again while its dialog is open, that dialog comes to the front.
        """
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        dialog = LightingApplyDialog(self.seat.window)
        applying = _Applying(dialog)
        dialog.sig_apply_requested.connect(
            lambda reason: self.seat.bridge.start(self._apply(applying, reason))
        )
        self.seat.bridge.start(self._preview(applying))
        dialog.open()
        self.dialog = dialog
        return dialog

    async def _preview(self, applying: _Applying) -> None:
        db, sender, operator = self.seat.db, self.seat.sender, self.seat.operator

        def plan() -> tuple[LightingPreview, str | None]:
            # Both files read again, and refused whole, before anything is shown.
            policy, playbook = load_policy(self.lighting_path), load_playbook(self.playbook_path)
            preview = lighting.preview(db, sender, policy, playbook, operator)
            return preview, approving.rule_for_lighting(db)

        try:
            preview, rule = await self.lane.run(plan)
        except VigieError as error:
            applying.dialog.show_problem(describe(error))
            return
        applying.preview, applying.rule = preview, rule
        applying.dialog.show_preview(
            preview_lines(preview), groups=len(preview.plans), awaits_approval=rule is not None
        )

    def _ask_approval(self, applying: _Applying, reason: str) -> str | None:
        """Applying the policy waits for a second operator when the city's rules say so.

        The rule is read again at the confirmation (the city's rules may have changed since the
        preview); an operator who confirmed a request is never taken to have applied it.
        Recorded as requested, with the lines an approver's panel rebuilds: what to say, or None.
        """
        preview = applying.preview
        assert preview is not None
        rule = approving.rule_for_lighting(self.seat.db) or applying.rule
        if rule is None:
            return None
        approval = approving.request_lighting(
            self.seat.db,
            preview,
            by=self.seat.operator,
            reason=reason,
            preview_lines=lighting_preview(preview, rule),  # what an approver's panel rebuilds
            rule=rule,
        )
        return awaiting_line(approval)

    def _send(self, preview: LightingPreview, reason: str) -> LightingApply:
        """Record the profiles and the act, once the console hears the cabinets' answers."""
        sender = self.seat.sender
        _hear_answers(sender)  # unreachable: said before anything is recorded
        return lighting.apply(self.seat.db, sender, preview, self.seat.operator, reason)

    async def _apply(self, applying: _Applying, reason: str) -> None:
        preview, dialog = applying.preview, applying.dialog
        assert preview is not None  # confirming is offered after the preview
        acts = self.seat.bridge.acts
        try:
            asked = await acts.run(self._ask_approval, applying, reason)
            if asked is not None:  # high impact: recorded as requested, nothing sent
                dialog.show_awaiting(asked)
                self.seat.tell(asked)
                return
            applied = await acts.run(self._send, preview, reason)
            state = await self._follow(applied, dialog)
            await acts.run(lighting.finish, self.seat.db, applied, state)
        except VigieError as error:
            dialog.show_problem(describe(error))
            return
        lines = result_lines(state)
        dialog.show_result(lines, complete=not state.fell_short)
        self.seat.tell(lines[0])

    async def _follow(self, applied: LightingApply, dialog: LightingApplyDialog) -> ApplyProgress:
        """The groups answering, until every outcome is final (expired ones included)."""
        while True:  # the sender keeps the acks in memory: looking costs no waiting
            state = await self.lane.run(lighting.progress, self.seat.sender, applied)
            dialog.show_progress(state.finished, state.total, progress_line(state))
            if state.final:
                return state
            await asyncio.sleep(FOLLOW_EVERY)


def _hear_answers(sender: CommandSender) -> None:
    """The console's sender listens from its start: an apply waits a little for a lost link.

    Without it the cabinets' answers would go unheard and every group seem silent: as from the
    shell, nothing is recorded then.
    """
    if not sender.bus.wait_connected(BROKER_WAIT_S):
        raise BrokerUnreachable(url=sender.bus.address.url)
