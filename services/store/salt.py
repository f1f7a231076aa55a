"""Salt depots' stocks as reported: ``salt_readings``, one row per depot and observation time.

Heard twice (two recorders, a retained state at a restart), a reading is the same key: written
once. Kept 400 days (``services.domain.retention``): the winter's use can be compared with the
last one's, and nothing in it is personal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from services.store.models import SaltReadingRow
from services.store.upsert import insert_ignore


@dataclass(frozen=True, slots=True)
class SaltReading:
    depot_id: str
    observed_at: datetime  # aware
    salt_tonnes: float | None
    brine_m3: float | None
    commune: str | None = None


def record_salt(session: Session, readings: Sequence[SaltReading]) -> int:
    """Record the readings not recorded yet; returns how many were new."""
    return insert_ignore(
        session,
        SaltReadingRow.__table__,
        [
            {
                "depot_id": r.depot_id,
                "observed_at": r.observed_at,
                "salt_tonnes": r.salt_tonnes,
                "brine_m3": r.brine_m3,
                "commune": r.commune,
            }
            for r in readings
        ],
        order=("depot_id", "observed_at"),
    )


def purge_readings(session: Session, before: datetime) -> int:
    """Delete the readings observed before ``before`` (retention)."""
    return session.execute(
        delete(SaltReadingRow).where(SaltReadingRow.observed_at < before)
    ).rowcount
