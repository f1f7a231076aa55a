"""Traffic counters' flow per hour and traffic signals' bus priority requests per day.

Both are counters kept as states arrive (``services/recorder/aggregates.py``), never a scan of
history, and both must count a reading once however often it is heard: two recorders, a
broker's retained state at a restart, a redelivery. Each row keeps the newest observation it
counted (``last_observed_at``, ``last_request_at``); a reading adds to it only if it is newer,
in one ``INSERT … ON CONFLICT DO UPDATE … WHERE`` so that two writers reaching a row at once
serialise on it and the second sees what the first counted.

So a reading older than one already counted in its row (out of order) is not counted: the hour's
mean flow loses one of its readings, never counts one twice. A batch holding several readings of
one row writes them oldest first, one statement per rank: a statement touches a row once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, func
from sqlalchemy.orm import Session

from services.store.models import BusPriorityDayRow, TrafficFlowHourRow
from services.store.upsert import in_key_order, insert_for

#: Bus priority requests count per day of the room (Dijon's), whatever the machine's zone.
DAY_ZONE = ZoneInfo("Europe/Paris")

_FLOW = TrafficFlowHourRow.__table__
_PRIORITY = BusPriorityDayRow.__table__


@dataclass(frozen=True, slots=True)
class FlowReading:
    """A counter's ``intensity`` (vehicles/hour) observed at ``observed_at``."""

    device_id: str
    observed_at: datetime  # aware
    vehicles: float  # ≥ 0
    commune: str | None = None


@dataclass(frozen=True, slots=True)
class PriorityRequest:
    """A signal's latest bus priority request (``lastPriorityRequest``) and whether served."""

    device_id: str
    requested_at: datetime  # aware
    served: bool
    commune: str | None = None


def hour_of(at: datetime) -> datetime:
    """The start of ``at``'s hour, in UTC (an hour of the room's is one of UTC's too)."""
    return at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def day_of(at: datetime) -> date:
    return at.astimezone(DAY_ZONE).date()


def record_flow(session: Session, readings: Sequence[FlowReading]) -> None:
    """Add each reading to its counter's hour, unless that hour counted a newer or the same."""
    rows = [
        {
            "device_id": r.device_id,
            "hour": hour_of(r.observed_at),
            "commune": r.commune,
            "vehicles_sum": float(r.vehicles),
            "readings": 1,
            "last_observed_at": r.observed_at,
        }
        for r in readings
    ]
    _add_newer(
        session,
        _FLOW,
        rows,
        ("device_id", "hour"),
        "last_observed_at",
        lambda t, new: {
            "vehicles_sum": t.c.vehicles_sum + new.vehicles_sum,
            "readings": t.c.readings + new.readings,
            "commune": func.coalesce(new.commune, t.c.commune),
        },
    )


def record_priority(session: Session, requests: Sequence[PriorityRequest]) -> None:
    """Count each request in its signal's day, unless that day counted a newer or the same."""
    rows = [
        {
            "device_id": r.device_id,
            "day": day_of(r.requested_at),
            "commune": r.commune,
            "requests": 1,
            "served": int(r.served),
            "last_request_at": r.requested_at,
        }
        for r in requests
    ]
    _add_newer(
        session,
        _PRIORITY,
        rows,
        ("device_id", "day"),
        "last_request_at",
        lambda t, new: {
            "requests": t.c.requests + new.requests,
            "served": t.c.served + new.served,
            "commune": func.coalesce(new.commune, t.c.commune),
        },
    )


def _add_newer(
    session: Session,
    table: Table,
    rows: list[dict[str, Any]],
    keys: tuple[str, ...],
    newest: str,
    added: Callable[[Table, Any], dict[str, Any]],
) -> None:
    """Insert each row, or add it to the stored one when its ``newest`` time is later.

    Rows of one key go oldest first, one statement per rank (a statement may touch a row once);
    a key's duplicates within the batch (same time) count once, as across batches.
    """
    ranks: list[list[dict[str, Any]]] = []
    seen: dict[tuple[Any, ...], set[datetime]] = {}
    for row in sorted(rows, key=lambda r: r[newest]):
        key = tuple(row[k] for k in keys)
        times = seen.setdefault(key, set())
        if row[newest] in times:
            continue
        rank = len(times)
        times.add(row[newest])
        if rank == len(ranks):
            ranks.append([])
        ranks[rank].append(row)
    for rank_rows in ranks:
        statement = insert_for(session, table)
        statement = statement.on_conflict_do_update(
            index_elements=list(keys),
            set_={**added(table, statement.excluded), newest: statement.excluded[newest]},
            where=table.c[newest] < statement.excluded[newest],
        )
        session.execute(statement, in_key_order(rank_rows, keys))
