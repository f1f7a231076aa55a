"""Energy: what the street lights used over the last nights against full power, and the policy's.

The panel is read on a lane of its own, never on the GUI thread: the recorded nights
(``services.store.energy.nights``, the recorder's per-night aggregates, not its raw readings), the
city's tariff and carbon factor (its lighting policy file), and the policy's projection for one
night as it is written (``services.lighting.projection``). It is read when its dock is shown, every
few minutes while it stays shown (the night in progress grows), and when the operator asks; a
hidden dock costs nothing. A policy file that cannot be read leaves the kWh shown and says why.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer

from console.desks.seat import Seat
from console.shell.docks import Area, Dock
from console.text.i18n import fill, translate
from console.text.messages import describe
from services import lighting
from services.domain.energy import EnergyNight, Tariff
from services.domain.errors import VigieError
from services.domain.lighting import LightingPolicy
from services.lighting_policy import load_policy
from services.store import energy as energy_store
from services.store.database import Database
from widgets.energy.figures import PolicyNight
from widgets.energy.panel import NIGHTS, EnergyPanel

#: While the dock is shown, the nights are read again this often (the night in progress grows).
REFRESH_MS = 5 * 60_000
#: A dock shown again within this many seconds of the last reading is not read again.
FRESH_S = 60.0
#: The policy's projection (over every light) is kept this long for the same policy and night.
PROJECTION_S = 15 * 60.0


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
        read: Callable[[], EnergyReading] | None = None,
    ) -> None:
        self.seat = seat
        self.panel = EnergyPanel(seat.names)
        self.panels = {"energy": self.panel}
        # Its own lane: a month of nights and a projection over 34,000 lights hold no other read.
        self.lane = seat.bridge.lane("console-energy")
        self.read = read or EnergyReader(seat.db, lighting_path)
        self.reading = False
        self.read_at: float | None = None  # monotonic time of the last reading shown
        self.panel.sig_refresh_requested.connect(self.refresh)
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
