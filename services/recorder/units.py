"""Unit positions and crew statuses into the record.

Positions are kept point by point (idempotently: one row per unit and observation time), with
what a snow vehicle was doing there (``work``: consoles count the winter-service network's passes
from it); the unit's row holds its newest position, work and status, never moved back by a late
message.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.bus.messages import PositionMessage, UnitStatusMessage
from services.domain.units import UnitKind, UnitStatus, unit_kind, vehicle_work
from services.store.models import UnitPositionRow, UnitRow
from services.store.upsert import insert_ignore


def _newer(stored: datetime | None, incoming: datetime, trusted_until: datetime | None) -> bool:
    """Whether ``incoming`` may replace what is stored.

    A stored time beyond ``trusted_until`` came from a clock in the future before the decoder
    bounded times: it would pin the unit for ever, so anything replaces it.
    """
    if stored is None or (trusted_until is not None and stored > trusted_until):
        return True
    return incoming > stored


def _locked(session: Session, unit_ids: Iterable[str]) -> dict[str, UnitRow]:
    """The units' rows, locked in id order (PostgreSQL; SQLite's writer holds the database).

    The writer's two lanes both write units (positions in one, crews' statuses in the other):
    taking the rows in one order keeps two batches from each waiting on the other.
    """
    query = select(UnitRow).where(UnitRow.id.in_(sorted(unit_ids))).order_by(UnitRow.id)
    return {r.id: r for r in session.execute(query.with_for_update()).scalars()}


def record_positions(
    session: Session,
    messages: Sequence[PositionMessage],
    keep_after: datetime,
    trusted_until: datetime | None = None,
) -> None:
    """Record positions and move each unit to its newest one.

    A position observed before ``keep_after`` (past its retention) is not kept at all; the unit
    it names is known from then on, but not where it was.
    """
    kept = [m for m in messages if m.observed_at >= keep_after]
    insert_ignore(
        session,
        UnitPositionRow.__table__,
        [
            {
                "unit_id": m.unit_id,
                "observed_at": m.observed_at,
                "lat": m.place.lat,
                "lon": m.place.lon,
                "speed": m.speed,
                "bearing": m.bearing,
                "work": vehicle_work(m.attributes) or None,
            }
            for m in kept
        ],
    )
    newest: dict[str, PositionMessage] = {}
    for m in messages:
        if m.unit_id not in newest or m.observed_at > newest[m.unit_id].observed_at:
            newest[m.unit_id] = m
    rows = _locked(session, newest)
    for unit_id, m in sorted(newest.items()):
        row = rows.get(unit_id)
        if row is None:
            row = UnitRow(id=unit_id, status=UnitStatus.AVAILABLE.value)
            session.add(row)
        elif not _newer(row.observed_at, m.observed_at, trusted_until):
            continue
        kind = unit_kind(list(m.categories)) if m.categories else None
        row.kind = kind.value if kind else (row.kind or UnitKind.OTHER.value)
        row.name = m.name or row.name
        if m.observed_at >= keep_after:
            row.lat, row.lon, row.observed_at = m.place.lat, m.place.lon, m.observed_at
            row.work = vehicle_work(m.attributes) or None


def record_statuses(
    session: Session, messages: Sequence[UnitStatusMessage], trusted_until: datetime | None = None
) -> None:
    _locked(session, {m.unit_id for m in messages})
    for m in sorted(messages, key=lambda m: m.ts):
        row = session.get(UnitRow, m.unit_id)
        if row is None:
            row = UnitRow(id=m.unit_id, kind=UnitKind.OTHER.value, status=m.status)
            session.add(row)
        elif not _newer(row.status_at, m.ts, trusted_until):
            continue
        row.status, row.incident_id, row.status_at = m.status, m.incident_id, m.ts
    session.flush()
