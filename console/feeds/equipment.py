"""The equipment panel's feed: every device as the database judges it, read again regularly.

The feed's lane reads the whole table (34,000 rows take a fraction of a second) at start and
every ``period_ms``, one read at a time; the model keeps what did not change. The map shows
state changes live; this table is the technician's inventory, where a few seconds' delay is no
harm and a stale judgement must come from the database's clock of what was received.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal

from console.bridge import Bridge
from console.feeds.base import Feed
from services.domain.equipment import EquipmentType
from services.domain.errors import VigieError
from services.domain.snow import SnowReadings, snow_readings
from services.domain.telemetry import CounterReading, TelemetrySample, sample
from services.faults import list_faults
from services.store.database import Database
from services.store.equipment_query import list_equipment
from services.store.stats import message_counts
from services.store.types import utcnow

PERIOD_MS = 15_000


class EquipmentFeed(Feed):
    sig_equipment = Signal(list)
    """Every device, as ``EquipmentView`` values."""
    sig_faults = Signal(list)
    """The devices in fault, as ``Fault`` values (with the incident each opened)."""
    sig_telemetry = Signal(object, object)
    """A ``TelemetrySample`` of what was read, and the recorders' ``CounterReading``."""
    sig_snow = Signal(object)
    """``SnowReadings``: the depots and road-weather stations, read with the rest."""
    sig_signals = Signal(dict)
    """Each traffic signal: id -> (running plan, latest bus priority request, whether served)."""
    sig_failed = Signal(str)
    """The database could not be read (a message key); the next period tries again."""

    def __init__(
        self, db: Database, *, bridge: Bridge, period_ms: int = PERIOD_MS, parent: Any = None
    ) -> None:
        super().__init__(bridge, "equipment-feed", parent)
        self.db = db
        self._timer = QTimer(self)
        self._timer.setInterval(period_ms)
        self._timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self.refresh()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._stop_turns()

    def refresh(self) -> None:
        if self.busy:  # a slow database: never queue reads behind one another
            return
        self._take_turn(self._refresh())

    async def _refresh(self) -> None:
        try:
            read = await self._lane.run(self._read)
        except VigieError as exc:
            self.sig_failed.emit(exc.key)
            return
        devices, faults, taken, reading, snow, signals = read
        self.sig_equipment.emit(devices)
        self.sig_faults.emit(faults)
        self.sig_telemetry.emit(taken, reading)
        self.sig_snow.emit(snow)
        self.sig_signals.emit(signals)

    def _read(self) -> tuple[list, list, TelemetrySample, CounterReading, SnowReadings, dict]:
        now = utcnow()
        with self.db.read() as session:
            devices = list_equipment(session, now)
            received, quarantined = message_counts(session)
        # The sample walks 34,000 devices (tens of ms): here, not on the GUI thread.
        taken = sample(devices, now)
        reading = CounterReading(now, received, quarantined)
        signals = {
            d.id: (
                str(d.attributes.get("plan", "")),
                d.attributes.get("lastPriorityRequest"),
                d.attributes.get("lastPriorityServed"),
            )
            for d in devices
            if d.type == EquipmentType.TRAFFIC_SIGNAL.value
        }
        snow = snow_readings(devices, now)
        return devices, list_faults(self.db), taken, reading, snow, signals
