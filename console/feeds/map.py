"""The map's live state: a snapshot from the database, the field's messages applied on top.

The Qt adapter between the bus, the database and the map panel. paho's thread only parses a
message's JSON and keeps the newest per topic; every 200 ms the GUI thread hands what arrived to
a worker thread, which owns the map's model (units, devices, gateways), works out what changed
and sends that back as one queued signal. A storm of 34,000 light states thus costs the GUI
thread one signal, and the panel one batch. The snapshot is read again after every
(re)connection; a sweep every 30 s turns silent devices stale and measures patrol coverage.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable, Collection
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from services.bus.client import BusClient, Delivery
from services.bus.codec import Decoder
from services.bus.connection import client_id, parse_broker_url
from services.bus.topics import BadTopic, Kind, Topics
from services.dispatching import POSITION_FRESH
from services.domain.coverage import CoverageGap, CoverageWatch
from services.domain.equipment import EquipmentType, assess_state
from services.domain.errors import VigieError
from services.domain.geography import CommuneIndex
from services.domain.retention import Retention
from services.domain.snow import PassState
from services.domain.snow_watch import SnowWatch
from services.domain.units import Unit, UnitKind, UnitStatus, unit_kind
from services.reference import communes
from services.situation import MAP_TYPES, Device, Situation, read_situation
from services.store.database import Database

SWEEP_MS = 30_000
#: Every this many sweeps the database is read again for what the live flow missed (QoS 0
#: states a busy broker dropped, devices first heard of while the console was away).
RESYNC_SWEEPS = 4
SNOW_KINDS = frozenset({UnitKind.SNOW_PLOUGH, UnitKind.SALT_SPREADER})


@dataclass
class MapChanges:
    units: list[Unit] = field(default_factory=list)
    devices: list[Device] = field(default_factory=list)
    coverage: list[CoverageGap] | None = None  # None: unchanged
    snow_passes: dict[str, tuple[int | None, PassState]] | None = None  # None: unchanged

    def __bool__(self) -> bool:
        return bool(
            self.units or self.devices or self.coverage is not None or self.snow_passes is not None
        )


@dataclass
class _DeviceRecord:
    type: str
    status: str | None
    gateway: str | None
    lat: float
    lon: float
    received_at: datetime
    shown: str  # the state last sent to the map
    live_at: datetime | None = None  # when the live flow last spoke of it


class MapFeed(QObject):
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
        kinds: Collection[UnitKind],
        watched_communes: Collection[str] = (),
        coverage_gap: timedelta = timedelta(minutes=20),
        retention: Retention | None = None,
        sweep_ms: int = SWEEP_MS,
        snow: SnowWatch | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.snow = snow  # the winter-service network's passes, seen from positions
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
        self._inbox: dict[str, tuple[Kind, str, str | None, Any, datetime]] = {}
        self._snapshot_wanted = True
        self._lock = threading.Lock()
        self._workers = ThreadPoolExecutor(max_workers=1, thread_name_prefix="console-map")
        # The worker thread's own model (nothing else touches it).
        self._units: dict[str, Unit] = {}
        self._devices: dict[str, _DeviceRecord] = {}
        self._online: dict[str, bool] = {}
        # Positions and states at QoS 0: retained, each superseded by the next, and 34,000 of
        # them at QoS 1 to every console would load the broker for nothing (the recorder keeps
        # the record at QoS 1). Unit statuses and gateway wills are few and must not be missed.
        wanted = [(self.topics.wildcard("units", "+", "position"), 0)]
        wanted.append((self.topics.wildcard("units", "+", "status"), 1))
        wanted.append((self.topics.wildcard("gateways", "+", "status"), 1))
        wanted += [(self.topics.wildcard("state", t.value, "+"), 0) for t in MAP_TYPES]
        self.bus = BusClient(
            parse_broker_url(broker_url),
            client_id("console-map"),
            Decoder(self.topics, communes()),
            subscriptions=wanted,
            on_delivery=self._on_delivery,
            on_connection=self._on_connection,
            decode_later=True,
        )
        self._drain = QTimer(self)
        self._drain.timeout.connect(self._hand_over)
        self._sweep_ms = sweep_ms
        self._sweep = QTimer(self)
        self._sweep.timeout.connect(lambda: self._submit(self._sweep_states))

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)

    def start(self) -> None:
        self.bus.start()
        self._drain.start(200)
        self._sweep.start(self._sweep_ms)

    def stop(self) -> None:
        self._drain.stop()
        self._sweep.stop()
        self.bus.stop()
        self._workers.shutdown(wait=True, cancel_futures=True)

    # --- paho's thread: parse, keep the newest per topic ----------------------------------------
    def _on_delivery(self, delivery: Delivery) -> None:
        try:
            topic = self.topics.parse(delivery.topic)
            payload = json.loads(delivery.payload)
        except (BadTopic, ValueError):
            return  # the recorder quarantines it; the map shows what it can read
        if not isinstance(payload, dict) or topic.id is None:
            return
        with self._lock:
            self._inbox[delivery.topic] = (topic.kind, topic.id, topic.type, payload, self.now())

    def _on_connection(self, up: bool, _reason: str) -> None:
        if up:
            with self._lock:
                self._snapshot_wanted = True  # what moved while we were away

    # --- the GUI thread: hand over to the worker -----------------------------------------------
    def _hand_over(self) -> None:
        with self._lock:
            inbox, self._inbox = self._inbox, {}
            snapshot, self._snapshot_wanted = self._snapshot_wanted, False
        if snapshot:
            self._submit(self._read_snapshot)
        if inbox:
            self._submit(lambda: self._apply(list(inbox.values())))

    def _submit(self, work: Callable[[], None]) -> None:
        self._workers.submit(work).add_done_callback(self._failed)

    def _failed(self, future: Future) -> None:
        if future.cancelled():
            return
        error = future.exception()
        if isinstance(error, VigieError):  # the database is away: read it all again later
            with self._lock:
                self._snapshot_wanted = True
        elif error is not None:
            raise error

    # --- the worker thread: the model --------------------------------------------------------
    def _read_snapshot(self) -> None:
        now = self.now()
        situation = read_situation(
            self.db, now, kinds=self.kinds, positions_kept=self.retention.positions_kept
        )
        self._units = {u.id: u for u in situation.units}
        self._devices = {d[0]: self._record(situation, d, now) for d in situation.devices}
        self._synced_at = now
        self._online = dict(situation.online)
        self.sig_snapshot.emit(situation)
        if self._watch is not None:  # a fresh map shows where coverage stands, gaps or none
            self.sig_changes.emit(MapChanges(coverage=self._coverage(now) or []))

    def _resync(self, now: datetime) -> None:
        """What the database knows and the live flow did not say since the last resync."""
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
                changes.devices.append(device)
        for unit in situation.units:
            if unit.id not in self._units:
                self._units[unit.id] = unit
                changes.units.append(unit)
        self._online = {**situation.online, **self._online}
        self._synced_at = now
        if changes:
            self.sig_changes.emit(changes)

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

    def _apply(self, messages: list[tuple[Kind, str, str | None, Any, datetime]]) -> None:
        changes = MapChanges()
        moved: dict[str, Unit] = {}
        touched: set[str] = set()
        for kind, ident, entity_type, payload, at in messages:
            if kind is Kind.POSITION:
                unit = self._position(ident, payload)
                if unit is not None:
                    moved[ident] = unit
            elif kind is Kind.UNIT_STATUS:
                unit = self._unit_status(ident, payload)
                if unit is not None:
                    moved[ident] = unit
            elif kind is Kind.STATE and entity_type is not None:
                if self._state(ident, entity_type, payload, at):
                    touched.add(ident)
            elif kind is Kind.GATEWAY and isinstance(payload.get("online"), bool):
                self._online[ident] = payload["online"]
                touched |= {i for i, d in self._devices.items() if d.gateway == ident}
        changes.units = list(moved.values())
        changes.devices = self._judge(touched, self.now())
        if changes:
            self.sig_changes.emit(changes)

    def _position(self, ident: str, payload: dict) -> Unit | None:
        place = _coordinates(payload)
        if place is None:
            return None
        known = self._units.get(ident)
        kind = unit_kind(payload.get("category")) if known is None else known.kind
        if kind not in self.kinds:
            return None  # privacy: never kept, never shown to this role
        lat, lon = place
        try:
            observed = datetime.fromisoformat(str(payload.get("observationDateTime")))
        except ValueError:
            return None
        work = "+".join(
            name
            for name, key in (("plough", "plowDown"), ("spread", "spreading"))
            if payload.get(key) is True
        )
        if self.snow is not None and kind in SNOW_KINDS:
            treating = bool(work)
            observed_utc = observed if observed.tzinfo else observed.replace(tzinfo=UTC)
            self.snow.observe(ident, lat, lon, observed_utc, treating)
        bearing = payload.get("bearing")
        unit = replace(
            known or Unit(ident, kind, name=_text_or_none(payload.get("name"))),
            lat=lat,
            lon=lon,
            observed_at=observed if observed.tzinfo else observed.replace(tzinfo=UTC),
            bearing=float(bearing) if _finite(bearing) else None,
            work=work,
        )
        self._units[ident] = unit
        return unit

    def _unit_status(self, ident: str, payload: dict) -> Unit | None:
        known = self._units.get(ident)
        try:
            status = UnitStatus(payload.get("status"))
        except ValueError:
            return None
        if known is None:
            return None  # a unit this role does not see, or whose position is still to come
        incident = payload.get("incident_id")
        unit = replace(
            known, status=status, incident_id=incident if isinstance(incident, int) else None
        )
        self._units[ident] = unit
        return unit

    def _state(self, ident: str, entity_type: str, payload: dict, at: datetime) -> bool:
        record = self._devices.get(ident)
        if record is None:
            place = _coordinates(payload)
            if place is None:
                return False  # a new device without a place: nothing to draw yet
            record = _DeviceRecord(entity_type, None, None, *place, at, "")
            self._devices[ident] = record
        if "status" in payload:
            record.status = payload["status"] if isinstance(payload["status"], str) else None
        if isinstance(payload.get("refGateway"), str):
            record.gateway = payload["refGateway"]
        record.received_at = record.live_at = at
        return True

    def _judge(self, ids: Collection[str], now: datetime) -> list[Device]:
        """The devices among ``ids`` whose shown state changes, as the map draws them."""
        changed = []
        for ident in ids:
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

    def _sweep_states(self) -> None:
        now = self.now()
        self._sweeps += 1
        if self._sweeps % RESYNC_SWEEPS == 0:
            self._resync(now)
        changes = MapChanges(devices=self._judge(list(self._devices), now))
        if self.snow is not None:
            changes.snow_passes = self.snow.states(now, self.operation_since)
        changes.coverage = self._coverage(now)
        if changes:
            self.sig_changes.emit(changes)

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


def _coordinates(payload: dict) -> tuple[float, float] | None:
    """(lat, lon) of a GeoJSON Point ``location``; None for anything else (the recorder judges)."""
    location = payload.get("location")
    coordinates = location.get("coordinates") if isinstance(location, dict) else None
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        return None
    lon, lat = coordinates[0], coordinates[1]
    if not (_finite(lat) and _finite(lon)) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return float(lat), float(lon)


def _finite(value: Any) -> bool:
    """A real number (JSON's ``NaN``, which Python's parser accepts, would break the page's)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _text_or_none(value: object) -> str | None:
    """A name as the field sent it: any JSON value, shown as text."""
    return None if value is None else str(value)
