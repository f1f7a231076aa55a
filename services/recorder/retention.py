"""What is kept and for how long: positions thinned then purged; quarantine, personal data purged.

Positions: every point for 48 hours, then one a minute per unit, all gone after 60 days (CNIL's
rule for vehicle geolocation); a point dated in the future is purged at once, whatever its date.
Quarantine: 30 days. Personal data: a configurable time after the incident closes. Thinning is
done in Python over the rows past 48 hours, so it is the same on every database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.domain.incidents import OPEN_STATUSES
from services.domain.retention import Retention
from services.store.models import IncidentRow, PersonalDataRow, QuarantineRow, UnitPositionRow


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
