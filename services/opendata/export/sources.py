"""What an export reads: the views and the aggregate tables, nothing else (migration 0017).

On PostgreSQL ``vigie opendata serve`` logs in as the service's role, which may read exactly
these; none holds a name, a description, a unit or an operator. Each reader takes a period and
returns plain rows, times as aware UTC datetimes on both engines (``UTCDateTime``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.store.models import (
    EXPORT_EQUIPMENT,
    EXPORT_INCIDENTS,
    EXPORT_STATUS_CHANGES,
    BusPriorityDayRow,
    EnergyNightRow,
    ModePeriodRow,
    OpendataWeekRow,
    SnowPassRow,
    TrafficFlowHourRow,
)
from services.store.upsert import insert_ignore

_incidents = EXPORT_INCIDENTS
_equipment = EXPORT_EQUIPMENT
_status = EXPORT_STATUS_CHANGES
_nights = EnergyNightRow.__table__
_flow = TrafficFlowHourRow.__table__
_bus = BusPriorityDayRow.__table__
_modes = ModePeriodRow.__table__
_passes = SnowPassRow.__table__
_weeks = OpendataWeekRow.__table__


@dataclass(frozen=True)
class Located:
    """An incident as the export sees it: what, where (commune, point) and when."""

    category: str
    commune: str
    created_at: datetime
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class Device:
    id: str
    type: str
    name: str
    commune: str | None
    lat: float | None
    lon: float | None


def incidents(session: Session, since: datetime, until: datetime) -> list[Located]:
    """Incidents created in [since, until) in a commune (duplicates left out by the view)."""
    t = _incidents.c
    query = sa.select(t.category, t.commune, t.created_at, t.lat, t.lon).where(
        t.created_at >= since, t.created_at < until, t.commune.is_not(None)
    )
    return [Located(*row) for row in session.execute(query)]


def equipment(session: Session, types: Iterable[str]) -> dict[str, Device]:
    t = _equipment.c
    query = sa.select(t.id, t.type, t.name, t.commune, t.lat, t.lon).where(t.type.in_(list(types)))
    return {
        row.id: Device(row.id, row.type, row.name or row.id, row.commune, row.lat, row.lon)
        for row in session.execute(query)
    }


def status_changes(
    session: Session, devices: Iterable[str], since: datetime, until: datetime
) -> list[tuple[str, datetime, str | None, str | None]]:
    """Status changes of ``devices`` in [since, until), oldest first."""
    t = _status.c
    wanted = set(devices)
    query = (
        sa.select(t.equipment_id, t.at, t.old, t.new)
        .where(t.at >= since, t.at < until)
        .order_by(t.at)
    )
    return [tuple(row) for row in session.execute(query) if row.equipment_id in wanted]


def nights(session: Session, first: date, end: date) -> list[tuple[date, str, float, float]]:
    t = _nights.c
    query = (
        sa.select(t.night, t.commune, t.kwh, t.baseline_kwh)
        .where(t.night >= first, t.night < end)
        .order_by(t.night, t.commune)
    )
    return [tuple(row) for row in session.execute(query)]


def flow_hours(
    session: Session, since: datetime, until: datetime
) -> list[tuple[str, datetime, float, int]]:
    t = _flow.c
    query = (
        sa.select(t.device_id, t.hour, t.vehicles_sum, t.readings)
        .where(t.hour >= since, t.hour < until, t.readings > 0)
        .order_by(t.hour, t.device_id)
    )
    return [tuple(row) for row in session.execute(query)]


def bus_days(session: Session, first: date, end: date) -> list[tuple[str, date, int, int]]:
    t = _bus.c
    query = (
        sa.select(t.device_id, t.day, t.requests, t.served)
        .where(t.day >= first, t.day < end)
        .order_by(t.day, t.device_id)
    )
    return [tuple(row) for row in session.execute(query)]


def mode_periods(
    session: Session, kind: str, since: datetime, until: datetime
) -> list[tuple[str, datetime, datetime | None, datetime | None]]:
    """(value, started, ended, episode start) of the periods overlapping [since, until)."""
    t = _modes.c
    query = (
        sa.select(t.value, t.started_at, t.ended_at, t.episode_start)
        .where(
            t.kind == kind,
            t.started_at < until,
            sa.or_(t.ended_at.is_(None), t.ended_at > since),
        )
        .order_by(t.started_at)
    )
    return [tuple(row) for row in session.execute(query)]


def passes(session: Session, episodes: Iterable[datetime]) -> dict[datetime, dict[str, Passes]]:
    """Per episode start, per segment: its passes (first, last, how many, longest untreated)."""
    starts = list(episodes)
    if not starts:
        return {}
    t = _passes.c
    query = sa.select(
        t.episode_start, t.segment_id, t.first_pass_at, t.last_pass_at, t.passes, t.longest_gap_s
    ).where(t.episode_start.in_(starts))
    out: dict[datetime, dict[str, Passes]] = {}
    for row in session.execute(query):
        out.setdefault(row.episode_start, {})[row.segment_id] = Passes(
            row.first_pass_at, row.last_pass_at, row.passes, row.longest_gap_s
        )
    return out


@dataclass(frozen=True)
class Passes:
    first: datetime
    last: datetime
    count: int
    longest_gap_s: int


def frozen_weeks(session: Session, dataset: str, first: date, end: date) -> dict[date, dict]:
    """The weeks of ``dataset`` in [first, end) as first published (``opendata_weeks``)."""
    t = _weeks.c
    query = sa.select(t.week, t.body).where(t.dataset == dataset, t.week >= first, t.week < end)
    return {row.week: row.body for row in session.execute(query)}


def freeze_weeks(session: Session, dataset: str, bodies: dict[date, dict], now: datetime) -> None:
    """Keep these weeks as published; a week another export kept first stays as it kept it."""
    insert_ignore(
        session,
        _weeks,
        [
            {"dataset": dataset, "week": week, "body": body, "published_at": now}
            for week, body in sorted(bodies.items())
        ],
    )
