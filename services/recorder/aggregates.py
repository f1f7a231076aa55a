"""What the open data (and the reports) need, kept as states and positions arrive.

Called by the writer in the transaction that records a batch (``writer._record``), as the
energy readings are; each store function counts a reading once however often it is heard (two
recorders, a retained replay, a redelivery):

- a ``TrafficFlowObserved`` state with a numeric ``intensity`` ≥ 0: one reading of its hour
  (``services.store.traffic_counts``);
- a ``TrafficSignal`` state's ``lastPriorityRequest`` (and ``lastPriorityServed``), when a bus
  asked it (``services.domain.traffic.bus_request``): one request of its day, once per request
  time;
- a ``SaltStock`` state: its depot's stocks (``services.store.salt``);
- a snow vehicle's position that says it was treating (``work``: blade down or spreading)
  within 60 m of a segment of the winter-service network, while a snow episode is in force:
  a treatment of that segment in that episode (``services.store.snow_passes``).

A state's time is the device's own observation time, else the time it was received; but a
retained state without one is a replay of a reading of unknown age (a broker's at a restart):
not counted, rather than counted again at the wrong time.

The network comes once, at the recorder's start (``SnowWatch``), in a grid so that a position
is measured against the segments near it only. The episode in force is read from
``mode_periods`` at most every few seconds (``SnowWatch.REFRESH_S``), not per batch: a switch
is seen that much later (a few seconds of treatment at an episode's edges, at most, counted in
the episode or not).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from services.bus.messages import PositionMessage, StateMessage
from services.bus.timestamps import BadTime, parse_time
from services.domain.equipment import EquipmentType
from services.domain.segment_grid import SegmentGrid
from services.domain.snow import Segment
from services.domain.traffic import bus_request
from services.domain.units import vehicle_work
from services.store import mode_periods
from services.store.salt import SaltReading, record_salt
from services.store.snow_passes import SegmentTreatment, record_treatments
from services.store.traffic_counts import (
    FlowReading,
    PriorityRequest,
    record_flow,
    record_priority,
)

FLOW = EquipmentType.TRAFFIC_FLOW_OBSERVED
SIGNAL = EquipmentType.TRAFFIC_SIGNAL
DEPOT = EquipmentType.SALT_STOCK
SEGMENT_ID_MAX = 64
#: Vehicles per hour no counter measures (a motorway lane carries about 2,000): a reading above
#: is a sensor's fault, not traffic, and would swamp its hour's mean (or overflow its sum).
MAX_FLOW = 20_000.0


class SnowWatch:
    """The winter-service network in a grid, and the snow episodes of the last days, cached."""

    #: How long the episodes read from ``mode_periods`` are trusted before being read again.
    REFRESH_S = 5.0
    #: The periods read: those in force at some time of the last two days. A position older
    #: than that (a unit's backlog after days out of reach) asks the database on its own.
    HORIZON = timedelta(days=2)

    def __init__(
        self, segments: Sequence[Segment], clock: Callable[[], float] = time.monotonic
    ) -> None:
        # A segment's id is a key of ``snow_passes`` (64 characters): a longer one, which no
        # network Vigie knows has, is left out rather than fail every batch it is near.
        self.grid = SegmentGrid([s for s in segments if len(s.id) <= SEGMENT_ID_MAX])
        self._clock = clock
        self._read_at: float | None = None
        self._since: datetime | None = None
        self._spans: list[mode_periods.EpisodeSpan] = []

    def episode_at(self, session: Session, at: datetime, now: datetime) -> datetime | None:
        """The start of the episode in force at ``at`` (None: no episode then)."""
        if self._read_at is None or self._clock() - self._read_at >= self.REFRESH_S:
            self._since = now - self.HORIZON
            self._spans = mode_periods.snow_spans(session, self._since)
            self._read_at = self._clock()
        if self._since is not None and at < self._since:
            return mode_periods.episode_in_force(session, at)
        for span in reversed(self._spans):  # the newest first: usually the one in force
            if span.covers(at):
                return span.episode_start
        return None


def record_aggregates(
    session: Session,
    states: Sequence[tuple[StateMessage, bool]],
    positions: Sequence[PositionMessage],
    now: datetime,
    *,
    snow: SnowWatch | None = None,
    trusted_until: datetime | None = None,
) -> None:
    """Count ``states`` ((message, retained) pairs) and ``positions`` into the aggregates.

    ``snow``: the network and episodes (without it, no pass is counted); ``trusted_until``: a
    bus priority request dated later than this is a clock's error, not counted (it would hold
    back every later one of its day).
    """
    flows: list[FlowReading] = []
    requests: list[PriorityRequest] = []
    salt: list[SaltReading] = []
    for m, retained in states:
        if m.type not in (FLOW, SIGNAL, DEPOT):
            continue
        commune = m.place.commune if m.place is not None else None
        if m.type is SIGNAL:
            request = _request(m, commune, trusted_until)
            if request is not None:
                requests.append(request)
            continue
        if m.observed_at is None and retained:
            continue  # a replay of unknown age
        at = m.observed_at or now
        if m.type is FLOW:
            vehicles = _number(m.attributes.get("intensity"))
            if vehicles is not None and 0 <= vehicles <= MAX_FLOW:
                flows.append(FlowReading(m.id, at, vehicles, commune))
        else:
            tonnes = _number(m.attributes.get("saltTonnes"))
            brine = _number(m.attributes.get("brineCubicMetres"))
            if tonnes is not None or brine is not None:
                salt.append(SaltReading(m.id, at, tonnes, brine, commune))
    if flows:
        record_flow(session, flows)
    if requests:
        record_priority(session, requests)
    if salt:
        record_salt(session, salt)
    if snow is not None and positions:
        treatments = _treatments(session, snow, positions, now)
        if treatments:
            record_treatments(session, treatments)


def _request(
    m: StateMessage, commune: str | None, trusted_until: datetime | None
) -> PriorityRequest | None:
    """The signal's latest request as its state says it (its own time: never a receiver's).

    A bus's only: a unit's (an emergency vehicle's passage) is neither counted nor published.
    """
    requested, served = bus_request(m.attributes)
    if requested is None:
        return None
    try:
        at = parse_time(requested)[0]
    except BadTime:
        return None
    if trusted_until is not None and at > trusted_until:
        return None
    return PriorityRequest(m.id, at, served is True, commune)


def _treatments(
    session: Session, snow: SnowWatch, positions: Sequence[PositionMessage], now: datetime
) -> list[SegmentTreatment]:
    out = []
    for p in positions:
        if not vehicle_work(p.attributes):
            continue
        near = snow.grid.near(p.place.lat, p.place.lon)
        if not near:
            continue
        episode = snow.episode_at(session, p.observed_at, now)
        if episode is None:
            continue
        out += [
            SegmentTreatment(
                episode,
                s.id,
                s.network.value,
                int(s.target.total_seconds()),
                p.observed_at,
            )
            for s in near
        ]
    return out


def _number(value: Any) -> float | None:
    """A finite number (the codec has read numeric strings already), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None
