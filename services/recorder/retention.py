"""What is kept and for how long: positions thinned then purged; quarantine, personal data purged.

Positions: every point for 48 hours, then one a minute per unit, all gone after 60 days (CNIL's
rule for vehicle geolocation); a point dated in the future is purged at once, whatever its date.
Quarantine: 30 days. Personal data: a configurable time after the incident closes. Thinning is
done in Python over the rows past 48 hours, so it is the same on every database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.domain.incidents import OPEN_STATUSES
from services.store.models import IncidentRow, PersonalDataRow, QuarantineRow, UnitPositionRow


@dataclass(frozen=True)
class Retention:
    positions_full: timedelta = timedelta(hours=48)
    positions_kept: timedelta = timedelta(days=60)
    position_step: timedelta = timedelta(minutes=1)
    quarantine: timedelta = timedelta(days=30)
    personal_data_after_close: timedelta = timedelta(days=30)
    # A point dated further ahead than this was never a real observation (a clock in the
    # future, recorded before the decoder bounded times): it is purged, not kept for ever.
    future_tolerance: timedelta = timedelta(minutes=5)


def thin_positions(session: Session, now: datetime, rules: Retention, limit: int = 50_000) -> int:
    """Keep one point a minute per unit among the points older than 48 h; returns deleted."""
    cutoff = now - rules.positions_full
    rows = session.execute(
        select(UnitPositionRow.id, UnitPositionRow.unit_id, UnitPositionRow.observed_at)
        .where(UnitPositionRow.observed_at < cutoff)
        .order_by(UnitPositionRow.unit_id, UnitPositionRow.observed_at)
        .limit(limit)
    ).all()
    step = rules.position_step.total_seconds()
    doomed, kept_bucket = [], None
    for ident, unit, at in rows:
        bucket = (unit, int(at.timestamp() // step))
        if bucket == kept_bucket:
            doomed.append(ident)
        else:
            kept_bucket = bucket
    for start in range(0, len(doomed), 5000):
        session.execute(
            delete(UnitPositionRow).where(UnitPositionRow.id.in_(doomed[start : start + 5000]))
        )
    return len(doomed)


def purge(session: Session, now: datetime, rules: Retention) -> dict[str, int]:
    positions = session.execute(
        delete(UnitPositionRow).where(
            (UnitPositionRow.observed_at < now - rules.positions_kept)
            | (UnitPositionRow.observed_at > now + rules.future_tolerance)
        )
    ).rowcount
    quarantine = session.execute(
        delete(QuarantineRow).where(QuarantineRow.received_at < now - rules.quarantine)
    ).rowcount
    closed = select(IncidentRow.id).where(
        IncidentRow.status.not_in([s.value for s in OPEN_STATUSES]),
        IncidentRow.updated_at < now - rules.personal_data_after_close,
    )
    personal = session.execute(
        delete(PersonalDataRow).where(PersonalDataRow.incident_id.in_(closed))
    ).rowcount
    return {"positions": positions, "quarantine": quarantine, "personal_data": personal}
