"""Unit positions and crew statuses into the record.

Positions are kept point by point (idempotently: one row per unit and observation time); the
unit's row holds its newest position and status, never moved back by a late message.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.bus.messages import PositionMessage, UnitStatusMessage
from services.domain.units import UnitKind, UnitStatus, unit_kind
from services.store.models import UnitPositionRow, UnitRow
from services.store.upsert import insert_ignore


def record_positions(
    session: Session, messages: Sequence[PositionMessage], keep_after: datetime
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
            }
            for m in kept
        ],
    )
    newest: dict[str, PositionMessage] = {}
    for m in messages:
        if m.unit_id not in newest or m.observed_at > newest[m.unit_id].observed_at:
            newest[m.unit_id] = m
    rows = {
        r.id: r
        for r in session.execute(select(UnitRow).where(UnitRow.id.in_(list(newest)))).scalars()
    }
    for unit_id, m in newest.items():
        row = rows.get(unit_id)
        if row is None:
            row = UnitRow(id=unit_id, status=UnitStatus.AVAILABLE.value)
            session.add(row)
        elif row.observed_at is not None and row.observed_at >= m.observed_at:
            continue
        kind = unit_kind(list(m.categories)) if m.categories else None
        row.kind = kind.value if kind else (row.kind or UnitKind.OTHER.value)
        row.name = m.name or row.name
        if m.observed_at >= keep_after:
            row.lat, row.lon, row.observed_at = m.place.lat, m.place.lon, m.observed_at


def record_statuses(session: Session, messages: Sequence[UnitStatusMessage]) -> None:
    for m in sorted(messages, key=lambda m: m.ts):
        row = session.get(UnitRow, m.unit_id)
        if row is None:
            row = UnitRow(id=m.unit_id, kind=UnitKind.OTHER.value, status=m.status)
            session.add(row)
        elif row.status_at is not None and row.status_at >= m.ts:
            continue
        row.status, row.incident_id, row.status_at = m.status, m.incident_id, m.ts
    session.flush()
