"""The map's live state: a snapshot, units read each second, the equipment's messages on top.

The Qt adapter between the bus, the database and the map panel. Units' positions and statuses
reach the console from the database once a second, never from the bus: a console's broker
identity may not read ``units/#`` (docs/security.md), and on PostgreSQL row-level security
decides who sees police patrols. The snow vehicles' treating positions are read with them, for
the winter-service network's passes.

paho's thread only hands each equipment or gateway message over, by topic; every 200 ms the GUI
thread takes a turn (``console.feeds.base``): the feed's lane, one worker thread that alone owns
the map's model (units, devices, gateways), reads the units when their second has come, decodes
the newest message of each topic with the field contract's one decoder (``services.bus.codec``),
applies it and works out what changed, and the GUI thread emits that as one signal. A storm of
34,000 light states thus costs the GUI thread one signal, and the panel one batch. A message the
contract refuses is not shown (the recorder quarantines it). The snapshot is read again after
every (re)connection; a sweep every 30 s turns silent devices stale and measures patrol coverage.

Street lights' levels come from their states as heard (each is retained on the broker, so a new
subscription hears them all): the lane keeps each light's power and level and tells the map how
to draw it, and whether it is dark at night when it should be lit (``light_looks``), again at
every sweep, since dusk, dawn and the policy's steps come without a message.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QTimer, Signal

from console.bridge import Bridge
from console.feeds.base import Feed, sharing_the_gil
from console.feeds.light_grid import LightGrid, View
from console.feeds.light_looks import LightJudge, LightLook, light_look
from services.bus.client import BusClient, Delivery
from services.bus.codec import Decoder
from services.bus.connection import client_id, parse_broker_url
from services.bus.messages import GatewayMessage, StateMessage
from services.bus.topics import Topics
from services.collector import whole_field_pass
from services.dispatching import POSITION_FRESH
from services.domain.coverage import CoverageGap, CoverageWatch
from services.domain.equipment import EquipmentType, assess_state
from services.domain.errors import VigieError
from services.domain.geography import CommuneIndex
from services.domain.retention import Retention
from services.domain.snow import PassState
from services.domain.snow_watch import SnowWatch
from services.domain.units import Unit, UnitKind, UnitStatus
from services.reference import communes
from services.situation import (
    MAP_TYPES,
    Device,
    Situation,
    TreatedPoint,
    UnitsReading,
    read_situation,
    read_units,
)
from services.store.database import Database

SWEEP_MS = 30_000
#: How often the units are read from the database: their positions move the map from there.
UNITS_MS = 1_000
#: How many messages the lane decodes between two offers of the GIL to the GUI thread (about
#: half a millisecond of work): a storm of states must not make the panels' frames late.
YIELD_EVERY = 50
#: Every this many sweeps the database is read again for what the live flow missed (QoS 0
#: states a busy broker dropped, devices first heard of while the console was away).
RESYNC_SWEEPS = 4
#: A field with more street lights than this (ten times Dijon) is served to the page by the
#: lane's grid (``console.feeds.light_grid``): clusters of the part in view, never every light.
SERVED_LIGHTS = 60_000
#: The grid's clusters are sent again at most this often when only lights changed (seconds).
CELLS_EVERY = 2.0


@dataclass
class MapChanges:
    units: list[Unit] = field(default_factory=list)
    devices: list[Device] = field(default_factory=list)
    coverage: list[CoverageGap] | None = None  # None: unchanged
    snow_passes: dict[str, tuple[int | None, PassState]] | None = None  # None: unchanged
    lights: dict[str, LightLook] = field(default_factory=dict)  # street lights' new looks
    # Served field (ten times Dijon): lights no longer drawn one by one, and the healthy
    # lights' clusters (or, zoomed in, the lights) of the part of the map in view.
    devices_gone: list[str] = field(default_factory=list)
    light_cells: dict | None = None

    def __bool__(self) -> bool:
        return bool(
            self.units
            or self.devices
            or self.devices_gone
            or self.light_cells is not None
            or self.lights
            or self.coverage is not None
            or self.snow_passes is not None
        )


@dataclass(slots=True)  # 35,000 of them: no __dict__ each (about 5 MB)
class _DeviceRecord:
    type: str
    status: str | None
    gateway: str | None
    lat: float
    lon: float
    received_at: datetime
    shown: str  # the state last sent to the map
    live_at: datetime | None = None  # when the live flow last spoke of it
    # A street light's: what it last said of its power and level, its group and commune, and
    # the look last sent to the map (None for other devices, and until a light speaks).
    power: str | None = None
    level: float | None = None
    group: str | None = None
    commune: str | None = None
    look: LightLook | None = None


#: The newest message paho handed over on one topic since the last turn, and when.
Heard = tuple[bytes, datetime]


@dataclass
class _Said:
    """What one turn has to tell the panel, in the order the lane worked it out."""

    situation: Situation | None = None
    changes: list[MapChanges] = field(default_factory=list)


class MapFeed(Feed):
    sig_snapshot = Signal(object)
    """A fresh ``Situation`` (the map forgets what it had)."""
    sig_changes = Signal(object)
    """``MapChanges`` since the last signal."""

    def __init__(
        self,
        db: Database,
        broker_url: str,
        root: str,
        *,
        bridge: Bridge,
        kinds: Collection[UnitKind],
        watched_communes: Collection[str] = (),
        coverage_gap: timedelta = timedelta(minutes=20),
        retention: Retention | None = None,
        sweep_ms: int = SWEEP_MS,
        units_ms: int = UNITS_MS,
        snow: SnowWatch | None = None,
        lighting: str = "",
        parent: Any = None,
    ) -> None:
        super().__init__(bridge, "map-feed", parent)
        # Whether a dark light should be lit: the sun, and the city's policy (read on the lane).
        self.judge = LightJudge(lighting)
        self.db = db
        self.snow = snow  # the winter-service network's passes, from the treating positions
        self.operation_since = self.now()  # when the snow operation began (the level raised)
        self.kinds = frozenset(kinds)
        self.topics = Topics(root)
        self.retention = retention or Retention()
        self.coverage_gap = coverage_gap
        self._index = CommuneIndex(communes())
        # Coverage is about patrols: only a role that sees them can be told where they lack.
        self._watch = (
            CoverageWatch(watched_communes, self.now())
            if UnitKind.PATROL in self.kinds and watched_communes
            else None
        )
        self._had_gaps = False
        self._sweeps = 0
        self._synced_at = self.now()
        self._inbox: dict[str, Heard] = {}
        self._snapshot_wanted = True
        self._sweep_wanted = False  # GUI thread only
        self._units_wanted = False  # GUI thread only
        self._lock = threading.Lock()
        self.decoder = Decoder(self.topics, communes())
        # The lane's own model (nothing else touches it).
        self._units: dict[str, Unit] = {}
        self._devices: dict[str, _DeviceRecord] = {}
        self._online: dict[str, bool] = {}
        self._treated_after: int | None = None  # the newest position row read
        self._treated_told: set[int] = set()  # rows of the last reading handed to the snow watch
        # A served field (more than SERVED_LIGHTS lights): the grid of healthy lights, the
        # lights the page draws one by one, the view the page last reported.
        self.served = False
        self._grid = LightGrid()
        self._single: set[str] = set()
        self._view: View | None = None  # set by the GUI thread (under the lock)
        self._view_new = False
        self._cells_wanted = False
        self._cells_at = 0.0
        # No ``units/...`` topic: units come from the database (``_read_units``).
        # States at QoS 0: retained, each superseded by the next, and 34,000 of them at QoS 1 to
        # every console would load the broker for nothing (the recorder keeps the record at
        # QoS 1). Gateway wills are few and must not be missed.
        wanted = [(self.topics.wildcard("gateways", "+", "status"), 1)]
        wanted += [(self.topics.wildcard("state", t.value, "+"), 0) for t in MAP_TYPES]
        self.bus = BusClient(
            parse_broker_url(broker_url),
            client_id("console-map"),
            self.decoder,
            subscriptions=wanted,
            on_delivery=self._on_delivery,
            on_connection=self._on_connection,
            decode_later=True,
        )
        self._drain = QTimer(self)
        self._drain.timeout.connect(self._hand_over)
        self._sweep_ms = sweep_ms
        self._sweep = QTimer(self)
        self._sweep.timeout.connect(self._want_sweep)
        self._units_ms = units_ms
        self._units_timer = QTimer(self)
        self._units_timer.timeout.connect(self._want_units)

    def unit_name(self, ident: str) -> str:
        """A unit's name as the record gives it (its id while the feed has not read it)."""
        unit = self._units.get(ident)
        return unit.name if unit is not None and unit.name else ident

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)

    def start(self) -> None:
        self.bus.start()
        self._drain.start(200)
        self._sweep.start(self._sweep_ms)
        self._units_timer.start(self._units_ms)

    def stop(self) -> None:
        self._drain.stop()
        self._sweep.stop()
        self._units_timer.stop()
        self.bus.stop()
        self._stop_turns()

    # --- paho's thread: hand over, nothing else -----------------------------------------------
    def _on_delivery(self, delivery: Delivery) -> None:
        with self._lock:
            self._inbox[delivery.topic] = (delivery.payload, self.now())

    def _on_connection(self, up: bool, _reason: str) -> None:
        if up:
            with self._lock:
                self._snapshot_wanted = True  # what moved while we were away

    # --- the GUI thread: take a turn on the lane -----------------------------------------------
    def set_view(self, zoom: float, south: float, west: float, north: float, east: float) -> None:
        """The map's view moved: a served field's lights are sent for it at the next turn."""
        with self._lock:
            self._view = View(zoom, south, west, north, east)
            self._view_new = True

    def _want_sweep(self) -> None:
        self._sweep_wanted = True

    def _want_units(self) -> None:
        self._units_wanted = True

    def _hand_over(self) -> None:
        if self.busy:  # what arrives meanwhile waits, the newest kept per topic
            return
        with self._lock:
            inbox, self._inbox = self._inbox, {}
            snapshot, self._snapshot_wanted = self._snapshot_wanted, False
        sweep, self._sweep_wanted = self._sweep_wanted, False
        units, self._units_wanted = self._units_wanted, False
        with self._lock:
            view = self._view_new and self.served
        if snapshot or inbox or sweep or units or view:
            self._take_turn(self._turn(snapshot, inbox, sweep, units))

    async def _turn(
        self, snapshot: bool, inbox: dict[str, Heard], sweep: bool, units: bool
    ) -> None:
        said = await self._lane.run(self._work, snapshot, inbox, sweep, units)
        if said.situation is not None:
            self.sig_snapshot.emit(said.situation)
        for changes in said.changes:
            if changes:
                self.sig_changes.emit(changes)

    # --- the lane: the model -------------------------------------------------------------------
    def _work(self, snapshot: bool, inbox: dict[str, Heard], sweep: bool, units: bool) -> _Said:
        said = _Said()
        if snapshot:
            try:
                said.situation = self._read_snapshot(said)
            except VigieError:  # the database is away: read it all again at the next turn
                self._read_again()
        if units:
            try:
                said.changes.append(self._read_units())
            except VigieError:
                pass  # the database is away (the console's banner says so): next second, again
        if inbox:
            said.changes.append(self._apply(inbox))
        if sweep:
            try:
                self._sweep_states(said)
            except VigieError:
                self._read_again()
        if self.served:
            for changes in said.changes:
                self._serve(changes)
            cells = self._cells()
            if cells is not None:
                said.changes.append(MapChanges(light_cells=cells))
        return said

    # --- a served field: the grid, and the lights drawn one by one ------------------------------
    def _healthy(self, record: _DeviceRecord) -> bool:
        return record.shown == "ok" and not (record.look is not None and record.look[1])

    def _serve(self, changes: MapChanges) -> None:
        """The lights of ``changes`` sorted: the healthy into the grid, the others drawn alone."""
        lights = {d[0] for d in changes.devices if d[1] == STREETLIGHT} | set(changes.lights)
        if not lights:
            return
        devices = [d for d in changes.devices if d[1] != STREETLIGHT]
        looks: dict[str, LightLook] = {}
        for ident in lights:
            record = self._devices.get(ident)
            if record is None or record.type != STREETLIGHT:
                continue
            healthy = self._healthy(record)
            level = record.look[0] if record.look is not None else None
            if self._grid.put(ident, record.lat, record.lon, level, healthy):
                self._cells_wanted = True
            if healthy:
                if ident in self._single:
                    self._single.discard(ident)
                    changes.devices_gone.append(ident)
                continue
            self._single.add(ident)
            devices.append((ident, record.type, record.shown, record.lat, record.lon))
            if record.look is not None:
                looks[ident] = record.look
        changes.devices = devices
        changes.lights = looks

    def _cells(self) -> dict | None:
        """The view's clusters, when the view moved or lights changed.

        For changes alone, not more than every ``CELLS_EVERY`` seconds.
        """
        with self._lock:
            view, moved = self._view, self._view_new
            self._view_new = False
        if view is None:
            return None
        now = time.monotonic()
        if not moved and not (self._cells_wanted and now - self._cells_at >= CELLS_EVERY):
            return None
        self._cells_wanted = False
        self._cells_at = now
        return self._grid.payload(view)

    def _read_again(self) -> None:
        with self._lock:
            self._snapshot_wanted = True

    def _read_snapshot(self, said: _Said) -> Situation:
        # The whole field, held a moment: the GUI thread's collections wait (services.collector)
        with whole_field_pass():
            return self._take_snapshot(said)

    def _take_snapshot(self, said: _Said) -> Situation:
        now = self.now()
        situation = read_situation(
            self.db, now, kinds=self.kinds, positions_kept=self.retention.positions_kept
        )
        self._units = {u.id: u for u in situation.units}
        before = self._devices
        self._devices = {d[0]: self._record(situation, d, now) for d in situation.devices}
        for ident, record in self._devices.items():
            _keep_light(before.get(ident), record)
        lights = sum(1 for d in situation.devices if d[1] == STREETLIGHT)
        self.served = lights > SERVED_LIGHTS
        if self.served:  # the page is sent the lights that need action, the rest as clusters
            self._grid.clear()
            self._single.clear()
            for ident, record in sharing_the_gil(self._devices.items(), 5000):
                if record.type != STREETLIGHT:
                    continue
                healthy = self._healthy(record)
                level = record.look[0] if record.look is not None else None
                self._grid.put(ident, record.lat, record.lon, level, healthy)
                if not healthy:
                    self._single.add(ident)
            situation = replace(
                situation,
                devices=[
                    d for d in situation.devices if d[1] != STREETLIGHT or d[0] in self._single
                ],
            )
            with self._lock:
                self._view_new = self._view is not None
            self._cells_wanted = True
            # Hundreds of thousands of records and lights the cyclic collector need not walk
            # again: a full collection of them, on the GUI thread (console.shell.gc_guard),
            # was a stall of a good part of a second. They are freed by their counts as ever.
            gc.freeze()
        self._synced_at = now
        self._online = dict(situation.online)
        if self._watch is not None:  # a fresh map shows where coverage stands, gaps or none
            said.changes.append(MapChanges(coverage=self._coverage(now) or []))
        # The map forgets its looks with its devices: what the lights said is told again.
        said.changes.append(MapChanges(lights=self._looks(list(self._devices), now, all_=True)))
        return situation

    def _resync(self, now: datetime) -> MapChanges:
        """What the database knows and the live flow did not say since the last resync."""
        with whole_field_pass():  # as a snapshot's read
            return self._resynced(now)

    def _resynced(self, now: datetime) -> MapChanges:
        situation = read_situation(
            self.db, now, kinds=self.kinds, positions_kept=self.retention.positions_kept
        )
        changes = MapChanges()
        for device in situation.devices:
            record = self._devices.get(device[0])
            if record is not None and record.live_at and record.live_at > self._synced_at:
                continue  # heard live since: newer than what was read
            if record is None or (record.shown, record.lat, record.lon) != device[2:]:
                self._devices[device[0]] = self._record(situation, device, now)
                _keep_light(record, self._devices[device[0]])
                changes.devices.append(device)
        self._online = {**situation.online, **self._online}
        self._synced_at = now
        return changes

    @staticmethod
    def _record(situation: Situation, device: Device, now: datetime) -> _DeviceRecord:
        ident, kind, state, lat, lon = device
        return _DeviceRecord(
            kind,
            situation.statuses.get(ident),
            situation.gateways.get(ident),
            lat,
            lon,
            situation.received.get(ident, now),
            state,
        )

    def _apply(self, inbox: dict[str, Heard]) -> MapChanges:
        touched: set[str] = set()
        decode = self.decoder.decode
        for topic, (payload, at) in sharing_the_gil(inbox.items(), YIELD_EVERY):
            match decode(topic, payload, at):  # a Rejection: not shown; the recorder keeps it
                case StateMessage() as state:
                    if self._state(state, at):
                        touched.add(state.id)
                case GatewayMessage() as gateway:
                    self._online[gateway.gateway] = gateway.online
                    touched |= {i for i, d in self._devices.items() if d.gateway == gateway.gateway}
        now = self.now()
        return MapChanges(devices=self._judge(touched, now), lights=self._looks(touched, now))

    def _read_units(self) -> MapChanges:
        """The units as the record holds them now: those that moved or changed are told."""
        if not self.kinds:
            return MapChanges()  # a role that sees no unit (an admin): nothing to ask for
        reading = read_units(
            self.db,
            self.now(),
            kinds=self.kinds,
            positions_kept=self.retention.positions_kept,
            treated_after=self._treated_after,
        )
        changed = [u for u in reading.units if self._units.get(u.id) != u]
        self._units.update((u.id, u) for u in changed)
        self._watch_snow(reading, self._newly_treated(reading))
        return MapChanges(units=changed)

    def _newly_treated(self, reading: UnitsReading) -> list[TreatedPoint]:
        """The treating positions not handed on yet: a reading repeats the last one's overlap."""
        told = self._treated_told
        self._treated_after = reading.newest_id
        # Rows below this reading's overlap are never read again: only its own are kept.
        self._treated_told = {point[0] for point in reading.treated}
        return [point for point in reading.treated if point[0] not in told]

    def _watch_snow(self, reading: UnitsReading, treated: list[TreatedPoint]) -> None:
        if self.snow is None:
            return
        for _row, unit, lat, lon, at in treated:
            if at >= self.snow.started_at:  # passes count from the console's start
                self.snow.observe(unit, lat, lon, at, treating=True)
        for unit in reading.units:  # heard from, and treating or not, as the newest row says
            if unit.kind.is_snow_vehicle and unit.observed_at is not None:
                self.snow.heard(unit.id, unit.observed_at, bool(unit.work))

    def _state(self, state: StateMessage, at: datetime) -> bool:
        record = self._devices.get(state.id)
        if record is None:
            if state.place is None:
                return False  # a new device without a place: nothing to draw yet
            place = state.place
            record = _DeviceRecord(state.type.value, None, None, place.lat, place.lon, at, "")
            self._devices[state.id] = record
        if "status" in state.attributes:  # a state that does not speak of it leaves it be
            record.status = state.status
        if state.gateway is not None:
            record.gateway = state.gateway
        if state.type is EquipmentType.STREETLIGHT:
            _hear_light(record, state)
        record.received_at = record.live_at = at
        return True

    def _judge(self, ids: Collection[str], now: datetime) -> list[Device]:
        """The devices among ``ids`` whose shown state changes, as the map draws them."""
        changed = []
        for ident in sharing_the_gil(ids, 2000):
            record = self._devices.get(ident)
            if record is None:
                continue
            try:
                equipment_type = EquipmentType(record.type)
            except ValueError:
                continue
            state = assess_state(
                equipment_type,
                record.status,
                record.received_at,
                now,
                gateway_online=self._online.get(record.gateway) if record.gateway else None,
            ).value
            if state != record.shown:
                record.shown = state
                changed.append((ident, record.type, state, record.lat, record.lon))
        return changed

    def _looks(
        self, ids: Collection[str], now: datetime, *, all_: bool = False
    ) -> dict[str, LightLook]:
        """The street lights among ``ids`` whose look changed (every one known with ``all_``)."""
        changed: dict[str, LightLook] = {}
        judge = self.judge
        for ident in sharing_the_gil(ids, 2000):
            record = self._devices.get(ident)
            if record is None or record.type != STREETLIGHT or record.power is None:
                continue
            # Only a dark light is asked whether it should be lit (night, and the policy)
            dark = record.power == "off" or (
                record.power == "on" and record.level is not None and record.level <= 0
            )
            should = dark and judge.should_be_lit(
                record.group, record.commune, record.lat, record.lon, now
            )
            look = light_look(record.power, record.level, should_be_lit=should)
            if all_ or look != record.look:
                record.look = look
                changed[ident] = look
        return changed

    def _sweep_states(self, said: _Said) -> None:
        now = self.now()
        self._sweeps += 1
        if self._sweeps % RESYNC_SWEEPS == 0:
            self.judge.reload()  # the city's policy may have been edited and applied
            said.changes.append(self._resync(now))
        changes = MapChanges(
            devices=self._judge(list(self._devices), now), lights=self._looks(self._devices, now)
        )
        if self.snow is not None:
            changes.snow_passes = self.snow.states(now, self.operation_since)
        changes.coverage = self._coverage(now)
        said.changes.append(changes)

    def _coverage(self, now: datetime) -> list[CoverageGap] | None:
        """The gaps to show now (their minutes grow); None when there is nothing to say."""
        if self._watch is None:
            return None
        covered = {
            self._index.commune_of(u.lat, u.lon)[0].insee
            for u in self._units.values()
            if u.kind is UnitKind.PATROL
            and u.status is UnitStatus.AVAILABLE
            and u.lat is not None
            and u.lon is not None
            and u.observed_at is not None
            and now - u.observed_at <= POSITION_FRESH
        }
        self._watch.observe(covered, now)
        gaps = self._watch.gaps(now, self.coverage_gap)
        had, self._had_gaps = self._had_gaps, bool(gaps)
        return gaps if gaps or had else None  # an end of gaps is said once, then silence


STREETLIGHT = EquipmentType.STREETLIGHT.value


def _hear_light(record: _DeviceRecord, state: StateMessage) -> None:
    """What a street light's state says of its power, level, group and commune."""
    attributes = state.attributes
    power = attributes.get("powerState")
    if isinstance(power, str):
        record.power = sys.intern(power)
    if "illuminanceLevel" in attributes:
        level = attributes["illuminanceLevel"]
        ok = isinstance(level, int | float) and not isinstance(level, bool)
        record.level = float(level) if ok else None
    group = attributes.get("refStreetlightGroup")
    if isinstance(group, str):
        record.group = sys.intern(group)
    if state.place is not None and state.place.commune:
        record.commune = sys.intern(state.place.commune)


def _keep_light(before: _DeviceRecord | None, after: _DeviceRecord) -> None:
    """A record read again from the database keeps what the live flow said of the light."""
    if before is not None:
        after.power, after.level = before.power, before.level
        after.group, after.commune, after.look = before.group, before.commune, before.look
