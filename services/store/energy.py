"""Street lighting's energy on the record: the cabinets' meter readings and their nightly sums.

A lighting cabinet reports ``energyConsumed``, kWh counted since ``dateMeteringStarted``
(Smart Data Models). ``record_readings`` keeps one row per cabinet and observation time in
``energy_readings`` with what it adds:

- ``delta_kwh``: the difference with the cabinet's previous reading. A meter reset (a value
  lower than the previous one, or another ``dateMeteringStarted``) gives the new value: what was
  counted since the reset. A cabinet's first reading gives 0: it only sets where counting starts.
- ``baseline_kwh``: the cabinet's ``ratedPower`` (W, its lights at full level; the previous
  reading's when this one does not say) × the seconds of night between the two readings at its
  place (``services.domain.dimming.dark_seconds``), in kWh: the same lights at full power for
  the same hours. After a reset whose ``dateMeteringStarted`` is known, from that start only
  (what the meter counted); otherwise over the whole interval.
- its night: the room's date (Europe/Paris) of the observation less 12 hours, so that a night
  runs from noon to noon and a reading at dawn closes the night before.

and adds them to ``energy_nights`` (night, commune → kWh, baseline, readings) in the same
transaction. What the panel and ``vigie energy`` read is only that table (``nights``).

Idempotent: a reading heard twice (two recorders, a redelivery, a broker's retained state at a
restart) is the same (cabinet, observation time): the unique key keeps the first, and only the
rows actually inserted are added to the nights. An older reading arriving after newer ones is
put in its place on the cabinet's timeline: its delta and baseline are counted from the reading
before it, and the reading after it is counted again from it (its row and its night corrected by
the difference). The totals stay the sums of the rows; only which night a kWh falls in moves.
A reading of a meter started after the cabinet's latest reading's meter, dated before that
reading, is not taken: one cabinet has one meter at a time, and two that ran at once come from a
run replaying hours already metered (a simulation started in the past over a backfill);
interleaved, each would count the other's readings as resets.

Batch-friendly: one query finds the latest reading of every cabinet of a batch; only a reading
older than its cabinet's latest (rare) costs a query of that cabinet's readings around it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic_core import to_json
from sqlalchemy import String, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from services.domain.dimming import dark_seconds
from services.domain.energy import EnergyNight
from services.store.models import EnergyNightRow, EnergyReadingRow
from services.store.types import utcnow
from services.store.upsert import in_key_order, insert_for

#: A night's date is the room's: Dijon's (the field design note fixes it; every recorder agrees
#: whatever the zone of the machine it runs on).
NIGHT_ZONE = ZoneInfo("Europe/Paris")
#: A night runs from noon to noon: a reading's night is the date of its time less this.
NIGHT_SHIFT = timedelta(hours=12)

_READINGS = EnergyReadingRow.__table__
_NIGHTS = EnergyNightRow.__table__


@dataclass(frozen=True, slots=True)
class MeterReading:
    """A cabinet's meter as one state said it (the recorder makes these from states)."""

    cabinet_id: str
    observed_at: datetime  # aware
    energy_kwh: float  # cumulative since ``metering_started``
    commune: str  # INSEE code
    lat: float
    lon: float
    metering_started: datetime | None = None
    rated_power_w: float | None = None  # the cabinet's lights at full level


def night_of(observed_at: datetime) -> date:
    """The night a reading counts for: the room's date of ``observed_at`` less 12 hours."""
    return (observed_at - NIGHT_SHIFT).astimezone(NIGHT_ZONE).date()


@dataclass(slots=True)
class _Link:
    """One reading on a cabinet's timeline: stored (``row_id``) or new (``reading``)."""

    observed_at: datetime
    energy_kwh: float
    metering_started: datetime | None
    rated_power_w: float | None
    lat: float
    lon: float
    night: date
    commune: str
    delta_kwh: float = 0.0
    baseline_kwh: float = 0.0
    row_id: int | None = None


def _step(before: _Link | None, this: _Link) -> tuple[float, float]:
    """(delta, baseline) of ``this`` after ``before`` (None: the cabinet's first reading)."""
    if before is None:
        return 0.0, 0.0
    reset = this.energy_kwh < before.energy_kwh or (
        this.metering_started is not None
        and before.metering_started is not None
        and this.metering_started != before.metering_started
    )
    delta = this.energy_kwh if reset else this.energy_kwh - before.energy_kwh
    power = this.rated_power_w if this.rated_power_w is not None else before.rated_power_w
    # After a reset the meter counted from its new start only: the baseline too, when it says.
    since = before.observed_at
    if reset and this.metering_started is not None and this.metering_started > since:
        since = min(this.metering_started, this.observed_at)
    dark = dark_seconds(since, this.observed_at, this.lat, this.lon)
    return delta, (power or 0.0) / 1000 * dark / 3600


def record_readings(
    session: Session, readings: Sequence[MeterReading], now: datetime | None = None
) -> int:
    """Record ``readings`` and add them to their nights; returns how many were new.

    The caller holds whatever serialises writers of one cabinet (the recorder: the cabinet's
    ``equipment`` row, locked when its state changes), so that two recorders never count the
    same interval twice.
    """
    if not readings:
        return 0
    now = now or utcnow()
    by_cabinet: dict[str, dict[datetime, MeterReading]] = {}
    for r in readings:  # the first of a (cabinet, time) heard twice in one batch stands
        by_cabinet.setdefault(r.cabinet_id, {}).setdefault(r.observed_at, r)
    dialect = session.get_bind().dialect.name
    latest = _latest(session, dialect, sorted(by_cabinet))
    new_rows: list[dict[str, Any]] = []
    corrected: list[_Link] = []
    before_correction: dict[int, tuple[float, float]] = {}
    for cabinet in sorted(by_cabinet):
        heard = by_cabinet[cabinet]
        last = latest.get(cabinet)
        if last is not None:
            heard = {at: r for at, r in heard.items() if at != last.observed_at}  # heard before
            # A meter started after the latest reading's, read before it: the two ran at once,
            # a run replaying hours already metered (a simulation started in the past over a
            # backfill). One cabinet has one meter at a time; interleaved, the two would count
            # each other as resets. (An older meter's late readings are its own past: taken.)
            heard = {
                at: r
                for at, r in heard.items()
                if at > last.observed_at
                or r.metering_started is None
                or last.metering_started is None
                or r.metering_started <= last.metering_started
            }
        if not heard:
            continue
        if last is None or min(heard) > last.observed_at:
            stored = [] if last is None else [last]
        else:  # older than what is stored: its neighbours on the timeline are needed
            stored = _around(session, cabinet, min(heard))
            known = {link.observed_at for link in stored}
            heard = {at: r for at, r in heard.items() if at not in known}
            if not heard:
                continue
        timeline = sorted([*stored, *(_link(r) for r in heard.values())], key=_at)
        previous: _Link | None = None
        for link in timeline:
            if link.row_id is None or previous is not None:
                delta, baseline = _step(previous, link)
                if link.row_id is None:
                    link.delta_kwh, link.baseline_kwh = delta, baseline
                    new_rows.append(_row(cabinet, link, now))
                elif (delta, baseline) != (link.delta_kwh, link.baseline_kwh):
                    before_correction[link.row_id] = (link.delta_kwh, link.baseline_kwh)
                    link.delta_kwh, link.baseline_kwh = delta, baseline
                    corrected.append(link)
            previous = link
    inserted = _insert(session, new_rows)
    sums: dict[tuple[date, str], list[float]] = {}
    for row in new_rows:
        if (row["cabinet_id"], row["observed_at"]) in inserted:
            _add(sums, row["night"], row["commune"], row["delta_kwh"], row["baseline_kwh"], 1)
    if corrected:
        session.execute(
            update(_READINGS)
            .where(_READINGS.c.id == bindparam("row_id"))
            .values(delta_kwh=bindparam("delta"), baseline_kwh=bindparam("baseline")),
            [
                {"row_id": link.row_id, "delta": link.delta_kwh, "baseline": link.baseline_kwh}
                for link in sorted(corrected, key=lambda link: link.row_id or 0)
            ],
        )
        for link in corrected:
            old_delta, old_baseline = before_correction[link.row_id or 0]
            _add(
                sums,
                link.night,
                link.commune,
                link.delta_kwh - old_delta,
                link.baseline_kwh - old_baseline,
                0,
            )
    _add_to_nights(session, sums, now)
    return len(inserted)


def rows_for(readings: Sequence[MeterReading], now: datetime) -> list[dict[str, Any]]:
    """The ``energy_readings`` rows of cabinets with no reading stored yet, in key order.

    For a backfill that writes them in bulk (``COPY``) rather than through ``record_readings``,
    then sums their nights with ``rebuild_nights``: the same deltas and baselines, computed in
    memory. A (cabinet, time) given twice counts once (the first).
    """
    by_cabinet: dict[str, dict[datetime, MeterReading]] = {}
    for r in readings:
        by_cabinet.setdefault(r.cabinet_id, {}).setdefault(r.observed_at, r)
    out = []
    for cabinet in sorted(by_cabinet):
        previous: _Link | None = None
        for at in sorted(by_cabinet[cabinet]):
            link = _link(by_cabinet[cabinet][at])
            link.delta_kwh, link.baseline_kwh = _step(previous, link)
            out.append(_row(cabinet, link, now))
            previous = link
    return out


def _at(link: _Link) -> datetime:
    return link.observed_at


def _link(r: MeterReading) -> _Link:
    return _Link(
        observed_at=r.observed_at,
        energy_kwh=float(r.energy_kwh),
        metering_started=r.metering_started,
        rated_power_w=None if r.rated_power_w is None else float(r.rated_power_w),
        lat=r.lat,
        lon=r.lon,
        night=night_of(r.observed_at),
        commune=r.commune,
    )


def _row(cabinet: str, link: _Link, now: datetime) -> dict[str, Any]:
    return {
        "cabinet_id": cabinet,
        "observed_at": link.observed_at,
        "night": link.night,
        "commune": link.commune,
        "lat": link.lat,
        "lon": link.lon,
        "energy_kwh": link.energy_kwh,
        "metering_started": link.metering_started,
        "rated_power_w": link.rated_power_w,
        "delta_kwh": link.delta_kwh,
        "baseline_kwh": link.baseline_kwh,
        "recorded_at": now,
    }


_LINK_COLUMNS = (
    _READINGS.c.id,
    _READINGS.c.cabinet_id,
    _READINGS.c.observed_at,
    _READINGS.c.energy_kwh,
    _READINGS.c.metering_started,
    _READINGS.c.rated_power_w,
    _READINGS.c.lat,
    _READINGS.c.lon,
    _READINGS.c.night,
    _READINGS.c.commune,
    _READINGS.c.delta_kwh,
    _READINGS.c.baseline_kwh,
)


def _stored(row: Any) -> _Link:
    return _Link(
        observed_at=row.observed_at,
        energy_kwh=row.energy_kwh,
        metering_started=row.metering_started,
        rated_power_w=row.rated_power_w,
        lat=row.lat,
        lon=row.lon,
        night=row.night,
        commune=row.commune,
        delta_kwh=row.delta_kwh,
        baseline_kwh=row.baseline_kwh,
        row_id=row.id,
    )


def _latest(session: Session, dialect: str, cabinets: list[str]) -> dict[str, _Link]:
    """Each cabinet's newest stored reading, in one query.

    Driven from the list of cabinets: each one's newest time is an index lookup (the unique
    key), then its row another; never a scan of a cabinet's history.
    """
    if dialect == "postgresql":
        listed = (
            func.unnest(bindparam("cabinets", cabinets, type_=ARRAY(String)))
            .table_valued("cabinet")
            .render_derived()
        )
    else:
        listed = func.json_each(bindparam("cabinets", to_json(cabinets).decode())).table_valued(
            "value"
        )
    cabinet = listed.c[0]
    newest = (
        select(func.max(_READINGS.c.observed_at))
        .where(_READINGS.c.cabinet_id == cabinet)
        .scalar_subquery()
    )
    wanted = select(cabinet.label("cabinet"), newest.label("newest")).subquery()
    query = select(*_LINK_COLUMNS).join(
        wanted,
        (_READINGS.c.cabinet_id == wanted.c.cabinet) & (_READINGS.c.observed_at == wanted.c.newest),
    )
    return {row.cabinet_id: _stored(row) for row in session.execute(query)}


def _around(session: Session, cabinet: str, oldest: datetime) -> list[_Link]:
    """The cabinet's readings from the last one before ``oldest`` on, in time order."""
    before = session.execute(
        select(func.max(_READINGS.c.observed_at)).where(
            _READINGS.c.cabinet_id == cabinet, _READINGS.c.observed_at < oldest
        )
    ).scalar()
    start = oldest if before is None else before
    rows = session.execute(
        select(*_LINK_COLUMNS)
        .where(_READINGS.c.cabinet_id == cabinet, _READINGS.c.observed_at >= start)
        .order_by(_READINGS.c.observed_at)
    )
    return [_stored(row) for row in rows]


def _insert(session: Session, rows: list[dict[str, Any]]) -> set[tuple[str, datetime]]:
    """Insert what is new; the (cabinet, time) of the rows inserted (another's are skipped)."""
    if not rows:
        return set()
    statement = (
        insert_for(session, _READINGS)
        .on_conflict_do_nothing()
        .returning(_READINGS.c.cabinet_id, _READINGS.c.observed_at)
    )
    result = session.execute(statement, in_key_order(rows, ("cabinet_id", "observed_at")))
    return {(row.cabinet_id, row.observed_at) for row in result}


def _add(
    sums: dict[tuple[date, str], list[float]],
    night: date,
    commune: str,
    kwh: float,
    baseline: float,
    readings: int,
) -> None:
    total = sums.setdefault((night, commune), [0.0, 0.0, 0])
    total[0] += kwh
    total[1] += baseline
    total[2] += readings


def _add_to_nights(
    session: Session, sums: dict[tuple[date, str], list[float]], now: datetime
) -> None:
    """Add ``sums`` to their nights' rows (created if absent), in key order, in one statement.

    One ``INSERT … ON CONFLICT DO UPDATE`` adding to the row: two writers adding to a night
    that does not exist yet both count. Called late in the recorder's transaction, as the
    statistics row is: every lane adds to the same nights' rows.
    """
    if not sums:
        return
    statement = insert_for(session, _NIGHTS)
    statement = statement.on_conflict_do_update(
        index_elements=["night", "commune"],
        set_={
            "kwh": _NIGHTS.c.kwh + statement.excluded.kwh,
            "baseline_kwh": _NIGHTS.c.baseline_kwh + statement.excluded.baseline_kwh,
            "readings": _NIGHTS.c.readings + statement.excluded.readings,
            "updated_at": statement.excluded.updated_at,
        },
    )
    session.execute(
        statement,
        [
            {
                "night": night,
                "commune": commune,
                "kwh": kwh,
                "baseline_kwh": baseline,
                "readings": int(count),
                "updated_at": now,
            }
            for (night, commune), (kwh, baseline, count) in sorted(sums.items())
        ],
    )


# --- reading ------------------------------------------------------------------------------------
def nights(
    session: Session, *, since: date, until: date | None = None, commune: str | None = None
) -> list[EnergyNight]:
    """The nights from ``since`` to ``until`` (both included), every commune or one, in order.

    Reads ``energy_nights`` alone (its key is the query's index), never the readings.
    """
    query = select(_NIGHTS.c.commune, _NIGHTS.c.night, _NIGHTS.c.kwh, _NIGHTS.c.baseline_kwh).where(
        _NIGHTS.c.night >= since
    )
    if until is not None:
        query = query.where(_NIGHTS.c.night <= until)
    if commune is not None:
        query = query.where(_NIGHTS.c.commune == commune)
    query = query.order_by(_NIGHTS.c.night, _NIGHTS.c.commune)
    return [
        EnergyNight(commune=r.commune, night=r.night, kwh=r.kwh, baseline_kwh=r.baseline_kwh)
        for r in session.execute(query)
    ]


# --- upkeep -------------------------------------------------------------------------------------
def purge_readings(session: Session, before: datetime) -> int:
    """Delete the readings observed before ``before``; their nights stay (retention)."""
    statement = delete(EnergyReadingRow).where(EnergyReadingRow.observed_at < before)
    return session.execute(statement).rowcount


def rebuild_nights(session: Session, since: date, now: datetime | None = None) -> int:
    """Sum the nights from ``since`` again from the readings; returns the nights written.

    For readings written in bulk without ``record_readings`` (a backfill's ``COPY``): their
    delta and baseline computed as it does. Only from a night whose readings are all still kept
    (retention purges readings, never nights).
    """
    now = now or utcnow()
    session.execute(delete(EnergyNightRow).where(EnergyNightRow.night >= since))
    sums = (
        select(
            _READINGS.c.night,
            _READINGS.c.commune,
            func.sum(_READINGS.c.delta_kwh),
            func.sum(_READINGS.c.baseline_kwh),
            func.count(),
            bindparam("now", now, type_=_NIGHTS.c.updated_at.type),
        )
        .where(_READINGS.c.night >= since)
        .group_by(_READINGS.c.night, _READINGS.c.commune)
    )
    written = session.execute(
        insert(_NIGHTS)
        .from_select(["night", "commune", "kwh", "baseline_kwh", "readings", "updated_at"], sums)
        .returning(_NIGHTS.c.night)  # psycopg's row count of an INSERT … SELECT is not kept
    )
    return len(written.all())
