"""The record's counters: messages the recorders received and quarantined, incidents open.

The recorders each keep their own row of counters; these sums are over all of them. PostgreSQL
sums a BIGINT into a Decimal: the functions hand out ``int`` on both backends.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.domain.incidents import OPEN_STATUSES
from services.store.models import IncidentRow, RecorderStatsRow


def message_counts(session: Session) -> tuple[int, int]:
    """How many messages the recorders received and quarantined, in all: (received, quarantined)."""
    received, quarantined = session.execute(
        select(
            func.coalesce(func.sum(RecorderStatsRow.messages_received), 0),
            func.coalesce(func.sum(RecorderStatsRow.messages_quarantined), 0),
        )
    ).one()
    return int(received), int(quarantined)


def quarantined(session: Session) -> int:
    """How many messages the recorders have quarantined, in all."""
    return int(
        session.execute(
            select(func.coalesce(func.sum(RecorderStatsRow.messages_quarantined), 0))
        ).scalar_one()
    )


def open_incidents(session: Session) -> int:
    """How many incidents are open (any of ``OPEN_STATUSES``)."""
    return session.execute(
        select(func.count())
        .select_from(IncidentRow)
        .where(IncidentRow.status.in_([st.value for st in OPEN_STATUSES]))
    ).scalar_one()
