"""The equipment panel's feed: every device as the database judges it, read again regularly.

The feed's lane keeps the field (every device, as the panels use it) and every ``period_ms``
reads only the rows the recorder changed since its last reading, judges every device again at
the database's clock of what was received (silence ages, a gateway's link comes and goes) and
tells the panels what changed; every ``FULL_EVERY`` periods it reads every row, for a batch
committed later than the margin allows. The map shows state changes live; this table is the
technician's inventory, where a few seconds' delay is no harm.

It used to read all 35,000 rows whole every 15 s and hand the table all of them: half of a
console's processor time on a mild evening, and each light's dozen attributes held in memory.
"""

from __future__ import annotations

import gc
from contextlib import nullcontext
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QTimer, Signal

from console.bridge import Bridge
from console.feeds.base import Feed, sharing_the_gil
from services.collector import whole_field_pass
from services.domain.equipment import EquipmentType, EquipmentView
from services.domain.errors import VigieError
from services.domain.snow import SnowReadings, snow_readings
from services.domain.telemetry import CounterReading, TelemetrySample, sample
from services.domain.traffic import bus_request
from services.faults import list_faults
from services.situation import judged_again, read_equipment
from services.store.database import Database
from services.store.stats import message_counts
from services.store.types import utcnow

PERIOD_MS = 15_000
STREETLIGHT = EquipmentType.STREETLIGHT.value
#: Rows received this long before the newest one read are read again: the recorder stamps a
#: row when it receives the message and commits its batch a little later.
OVERLAP = timedelta(seconds=60)
#: Every this many periods, every row (about every 5 minutes): what a batch committed later
#: than ``OVERLAP`` would otherwise leave out.
FULL_EVERY = 20


class EquipmentFeed(Feed):
    sig_equipment = Signal(list)
    """The devices new or changed since the last emission, as ``EquipmentView`` values (the
    first: every device). Street lights' attributes are cut to ``LIGHT_ATTRIBUTES``."""
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
    sig_size = Signal(int)
    """How many devices the record holds: counted once on the lane, told before the first
    devices (the console chooses there whether its table pages)."""

    def __init__(
        self,
        db: Database,
        *,
        bridge: Bridge,
        period_ms: int = PERIOD_MS,
        streams: bool = False,
        parent: Any = None,
    ) -> None:
        super().__init__(bridge, "equipment-feed", parent)
        self.db = db
        self.streams = streams  # cameras' streamURL: only for a reader who may view cameras
        self._timer = QTimer(self)
        self._timer.setInterval(period_ms)
        self._timer.timeout.connect(self.refresh)
        # The lane's own (nothing else touches them): the field as last told to the panels.
        self._field: dict[str, EquipmentView] = {}
        self._newest: datetime | None = None  # the recorder's latest stamp read
        self._reads = 0
        # Paged (ten times Dijon): the table reads its own pages, so the lights (nearly all of
        # the field) are not handed to the GUI thread; the other devices still are (cameras).
        self.lights_to_panels = True
        self.pager: EquipmentPager | None = None
        self._size: int | None = None  # the record's size, counted on the lane once

    def start(self) -> None:
        self.refresh()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self.pager is not None:
            self.pager.stop()
        self._stop_turns()

    def page(self, block: int) -> EquipmentPager:
        """The table's pages read apart (ten times Dijon); the lights no longer handed over."""
        if self.pager is None:
            self.pager = EquipmentPager(
                self.db, bridge=self._bridge, block=block, streams=self.streams, parent=self
            )
            self.lights_to_panels = False
        return self.pager

    def refresh(self) -> None:
        if self.busy:  # a slow database: never queue reads behind one another
            return
        self._take_turn(self._refresh())

    async def _refresh(self) -> None:
        try:
            size, read = await self._lane.run(self._sized_read)
        except VigieError as exc:
            self.sig_failed.emit(exc.key)
            return
        devices, faults, taken, reading, snow, signals = read
        if size is not None:
            self.sig_size.emit(size)  # may ask for pages (``page``): then no lights below
        if not self.lights_to_panels:
            devices = [d for d in devices if d.type != STREETLIGHT]
        self.sig_equipment.emit(devices)
        self.sig_faults.emit(faults)
        self.sig_telemetry.emit(taken, reading)
        self.sig_snow.emit(snow)
        self.sig_signals.emit(signals)

    def _sized_read(self) -> tuple[int | None, tuple]:
        """The lane's turn: the record's size the first time, and what changed.

        The size is counted here, never on the GUI thread (a count over 340,000 rows), and kept
        once told: a read that fails after it counts again at the next turn, so that the panels
        hear it (at ten times Dijon, the table would otherwise hold the whole field).
        """
        size = field_size(self.db) if self._size is None else None
        read = self._read()
        if size is not None:
            self._size = size
        return size, read

    def _read(self) -> tuple[list, list, TelemetrySample, CounterReading, SnowReadings, dict]:
        full = self._reads % FULL_EVERY == 0
        self._reads += 1
        # Every row, held a moment: the GUI thread's collections wait for it (services.collector)
        with whole_field_pass() if full else nullcontext():
            return self._read_field(full)

    def _read_field(
        self, full: bool
    ) -> tuple[list, list, TelemetrySample, CounterReading, SnowReadings, dict]:
        now = utcnow()
        since = None if full or self._newest is None else self._newest - OVERLAP
        reading = read_equipment(self.db, now, since=since, streams=self.streams)
        with self.db.read() as session:
            received, quarantined = message_counts(session)
        if reading.newest is not None and (self._newest is None or reading.newest > self._newest):
            self._newest = reading.newest
        field = self._field
        changed = []
        read = {d.id for d in reading.devices}
        for device in reading.devices:
            if field.get(device.id) != device:
                field[device.id] = device
                changed.append(device)
        for ident, device in sharing_the_gil(field.items(), 2000):  # not read: time and links move
            if ident not in read:
                again = judged_again(device, now, reading.online)
                if again is not device:
                    field[ident] = again
                    changed.append(again)
        if full and len(field) > HELD_LIMIT:
            gc.freeze()  # as the map's feed does (console.feeds.map): not walked again
        devices = field.values()
        # The sample walks 34,000 devices (tens of ms): here, not on the GUI thread.
        taken = sample(devices, now)
        counters = CounterReading(now, received, quarantined)
        signals = {
            d.id: (str(d.attributes.get("plan", "")), *bus_request(d.attributes))
            for d in devices
            if d.type == EquipmentType.TRAFFIC_SIGNAL.value
        }
        snow = snow_readings(devices, now)
        return changed, list_faults(self.db), taken, counters, snow, signals


#: A record holding more devices than this is paged in the equipment table (ten times Dijon):
#: below it, the table holds the field and a proxy filters it, as it always has.
HELD_LIMIT = 100_000
#: The counts per state are read again at most this often (a group over the whole field).
COUNTS_EVERY = timedelta(seconds=10)


class EquipmentPager(Feed):
    """The equipment table's pages, read on a lane of their own (``services.store.equipment_page``).

    The table asks for a query's count and some blocks of rows; the lane reads them and the GUI
    thread only hands them over. Requests that arrive while a read is under way are merged: the
    newest query's, with every block asked for since.
    """

    sig_count = Signal(int, int, dict)
    """(generation, rows the query shows, the whole field's counts per state)."""
    sig_block = Signal(int, int, list)
    """(generation, block, its ``EquipmentView`` rows)."""
    sig_located = Signal(str, object)
    """(device id, its row in the query's order or None)."""
    sig_failed = Signal(str)

    def __init__(
        self, db: Database, *, bridge: Bridge, block: int, streams: bool = False, parent: Any = None
    ) -> None:
        super().__init__(bridge, "equipment-pages", parent)
        self.db = db
        self.block = block
        self.streams = streams
        self._wanted: tuple[Any, int, set[int]] | None = None
        self._locate: tuple[Any, str] | None = None
        self._counts: dict[str, int] = {}
        self._counted_at: datetime | None = None

    def ask(self, query: Any, generation: int, blocks: list[int]) -> None:
        if self._wanted is not None and self._wanted[0] == query:
            blocks = sorted(self._wanted[2] | set(blocks))
        self._wanted = (query, generation, set(blocks))
        self._next()

    def locate(self, query: Any, device_id: str) -> None:
        self._locate = (query, device_id)
        self._next()

    def stop(self) -> None:
        self._stop_turns()

    def _next(self) -> None:
        if self.busy or (self._wanted is None and self._locate is None):
            return
        wanted, self._wanted = self._wanted, None
        locate, self._locate = self._locate, None
        self._take_turn(self._turn(wanted, locate))

    async def _turn(self, wanted: Any, locate: Any) -> None:
        try:
            read = await self._lane.run(self._read, wanted, locate)
        except VigieError as exc:
            self.sig_failed.emit(exc.key)
            return
        finally:
            QTimer.singleShot(0, self._next)  # what was asked meanwhile
        counted, blocks, located = read
        if counted is not None:
            self.sig_count.emit(*counted)
        for generation, block, rows in blocks:
            self.sig_block.emit(generation, block, rows)
        if located is not None:
            self.sig_located.emit(*located)

    def _read(self, wanted: Any, locate: Any) -> tuple[Any, list, Any]:
        from services.store import equipment_page

        now = utcnow()
        counted, blocks, located = None, [], None
        with self.db.read() as session:
            if wanted is not None:
                query, generation, numbers = wanted
                if self._counted_at is None or now - self._counted_at >= COUNTS_EVERY:
                    self._counts = equipment_page.state_counts(session, now)
                    self._counted_at = now
                total = equipment_page.count(session, query, now)
                counted = (generation, total, dict(self._counts))
                for number in sorted(numbers):
                    if number * self.block < total:
                        rows = equipment_page.page(
                            session,
                            query,
                            now,
                            number * self.block,
                            self.block,
                            streams=self.streams,
                        )
                        blocks.append((generation, number, rows))
            if locate is not None:
                query, device_id = locate
                located = (device_id, equipment_page.position(session, query, now, device_id))
        return counted, blocks, located


def field_size(db: Database) -> int:
    """How many devices the record holds (read once, on the feed's lane, as it starts)."""
    from services.store import equipment_page

    with db.read() as session:
        return equipment_page.field_size(session)
