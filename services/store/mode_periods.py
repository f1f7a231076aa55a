"""The city's modes over time: one ``mode_periods`` row per snow level or traffic mode in force.

Written where a switch is recorded (``services/modes.py`` ``finish``, in its transaction; the
backfill for each switch it writes): ``follow`` closes the kind's open period and opens the
new one. Only the kind, the value and times: no operator, no reason (the public may read it).

A snow period of level 1 or more carries its **episode**'s start: when the plan last left
level 0. Raising 1 → 2 → 3 stays in one episode; back to 0 ends it. The recorder counts snow
passes per episode (``episode_in_force``, ``snow_spans``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from services.store.models import ModePeriodRow

#: The snow plan's level that is no episode (watch).
NO_EPISODE = "0"


@dataclass(frozen=True, slots=True)
class EpisodeSpan:
    """A snow period of an episode: from ``started_at`` to ``ended_at`` (None: in force)."""

    started_at: datetime
    ended_at: datetime | None
    episode_start: datetime

    def covers(self, at: datetime) -> bool:
        return self.started_at <= at and (self.ended_at is None or at < self.ended_at)


def follow(session: Session, kind: str, value: str, at: datetime) -> int | None:
    """``kind`` is ``value`` from ``at``: close its open period, open this one; the new id.

    The same value as the open period's is no new period (a switch applied again, a retry
    after a partial one): None, and the period goes on.
    """
    open_row = session.execute(
        select(ModePeriodRow)
        .where(ModePeriodRow.kind == kind, ModePeriodRow.ended_at.is_(None))
        .with_for_update()
    ).scalar_one_or_none()
    if open_row is not None and open_row.value == value:
        return None
    episode_start = None
    if kind == "snow" and value != NO_EPISODE:
        going_on = open_row is not None and open_row.episode_start is not None
        episode_start = open_row.episode_start if going_on else at
    if open_row is not None:
        # Closed before the new one opens: the unique index allows one open period per kind.
        session.execute(
            update(ModePeriodRow).where(ModePeriodRow.id == open_row.id).values(ended_at=at)
        )
    row = ModePeriodRow(
        kind=kind, value=value, started_at=at, ended_at=None, episode_start=episode_start
    )
    session.add(row)
    session.flush()
    return row.id


def episode_in_force(session: Session, at: datetime) -> datetime | None:
    """The start of the snow episode in force at ``at``; None at level 0 or before any record."""
    return session.execute(
        select(ModePeriodRow.episode_start)
        .where(
            ModePeriodRow.kind == "snow",
            ModePeriodRow.started_at <= at,
            or_(ModePeriodRow.ended_at.is_(None), ModePeriodRow.ended_at > at),
        )
        .order_by(ModePeriodRow.started_at.desc())
        .limit(1)
    ).scalar()


def snow_spans(session: Session, since: datetime) -> list[EpisodeSpan]:
    """The snow periods of an episode in force at some time from ``since`` on, oldest first."""
    rows = session.execute(
        select(ModePeriodRow.started_at, ModePeriodRow.ended_at, ModePeriodRow.episode_start)
        .where(
            ModePeriodRow.kind == "snow",
            ModePeriodRow.episode_start.is_not(None),
            or_(ModePeriodRow.ended_at.is_(None), ModePeriodRow.ended_at > since),
        )
        .order_by(ModePeriodRow.started_at)
    )
    return [EpisodeSpan(r.started_at, r.ended_at, r.episode_start) for r in rows]


def periods(session: Session, kind: str | None = None) -> list[ModePeriodRow]:
    """Every period (of ``kind``, or both), oldest first: for the export and tests."""
    query = select(ModePeriodRow).order_by(ModePeriodRow.kind, ModePeriodRow.started_at)
    if kind is not None:
        query = query.where(ModePeriodRow.kind == kind)
    return list(session.execute(query).scalars())
