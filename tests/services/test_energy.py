"""Street lighting's energy on the record: meter readings, their differences, their nights.

On SQLite and on PostgreSQL (``db``). The nights the panel reads must be the sums of the raw
readings, whatever order the readings came in, however often each was heard, across a meter
reset; and each reading's difference and baseline what the rules give for its cabinet's
timeline.
"""

from __future__ import annotations

import random
import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from services.domain.dimming import dark_seconds
from services.domain.retention import Retention
from services.recorder import retention
from services.store import energy
from services.store.energy import MeterReading, night_of
from services.store.models import EnergyNightRow, EnergyReadingRow

DIJON, CHENOVE = "21231", "21166"
PLACES = {DIJON: (47.3220, 5.0415), CHENOVE: (47.2900, 5.0050)}
START = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


def reading(cabinet, at, kwh, commune=DIJON, *, started=None, rated=3000.0) -> MeterReading:
    lat, lon = PLACES[commune]
    return MeterReading(
        cabinet_id=cabinet,
        observed_at=at,
        energy_kwh=kwh,
        commune=commune,
        lat=lat,
        lon=lon,
        metering_started=started,
        rated_power_w=rated,
    )


def record(db, readings) -> int:
    with db.write() as session:
        return energy.record_readings(session, readings)


def rows(db) -> list[EnergyReadingRow]:
    with db.read() as session:
        return list(
            session.scalars(
                select(EnergyReadingRow).order_by(
                    EnergyReadingRow.cabinet_id, EnergyReadingRow.observed_at
                )
            )
        )


def nights_table(db) -> dict[tuple[date, str], tuple[float, float, int]]:
    with db.read() as session:
        return {
            (r.night, r.commune): (r.kwh, r.baseline_kwh, r.readings)
            for r in session.scalars(select(EnergyNightRow))
        }


def sums_over_readings(db) -> dict[tuple[date, str], tuple[float, float, int]]:
    """The nights as SQL sums them over the raw readings, independently of the recorder."""
    r = EnergyReadingRow
    with db.read() as session:
        query = select(
            r.night, r.commune, func.sum(r.delta_kwh), func.sum(r.baseline_kwh), func.count()
        ).group_by(r.night, r.commune)
        found = session.execute(query).all()
    return {(night, commune): (kwh, base, n) for night, commune, kwh, base, n in found}


def assert_same_sums(got, expected):
    assert set(got) == set(expected)
    for key, (kwh, baseline, count) in expected.items():
        assert got[key][0] == pytest.approx(kwh, abs=1e-6), key
        assert got[key][1] == pytest.approx(baseline, abs=1e-6), key
        assert got[key][2] == count, key


def expected_rows(readings: list[MeterReading]):
    """Each reading's (delta, baseline) by the rules, over its cabinet's timeline in order."""
    out = {}
    by_cabinet: dict[str, dict[datetime, MeterReading]] = {}
    for r in readings:
        by_cabinet.setdefault(r.cabinet_id, {}).setdefault(r.observed_at, r)
    for cabinet, heard in by_cabinet.items():
        before = None
        for at in sorted(heard):
            r = heard[at]
            if before is None:
                out[(cabinet, at)] = (0.0, 0.0)
            else:
                reset = r.energy_kwh < before.energy_kwh or (
                    r.metering_started is not None
                    and before.metering_started is not None
                    and r.metering_started != before.metering_started
                )
                delta = r.energy_kwh if reset else r.energy_kwh - before.energy_kwh
                since = before.observed_at  # after a reset, from the new meter's start if said
                if reset and r.metering_started is not None and r.metering_started > since:
                    since = r.metering_started
                dark = dark_seconds(since, at, r.lat, r.lon)
                out[(cabinet, at)] = (delta, r.rated_power_w / 1000 * dark / 3600)
            before = r
    return out


def simulated_meters(seed: int = 20) -> list[MeterReading]:
    """Four cabinets over three nights, a reading every 20 minutes, lights dimmed at random.

    ``c3`` is replaced by a new meter (another ``dateMeteringStarted``, counting again from
    zero) in the second night, ``c4``'s meter falls back to zero with no word of it.
    """
    rng = random.Random(seed)
    cabinets = {
        "cabinet:c1": (DIJON, 4200.0),
        "cabinet:c2": (DIJON, 1800.0),
        "cabinet:c3": (CHENOVE, 2500.0),
        "cabinet:c4": (CHENOVE, 900.0),
    }
    step = timedelta(minutes=20)
    out = []
    for cabinet, (commune, rated) in cabinets.items():
        lat, lon = PLACES[commune]
        value, started = rng.uniform(1000, 5000), datetime(2025, 3, 1, tzinfo=UTC)
        at = START
        for n in range(3 * 72):
            if n:
                dark = dark_seconds(at - step, at, lat, lon)
                value += rated / 1000 * rng.choice((1.0, 0.8, 0.5, 0.3)) * dark / 3600
            if cabinet == "cabinet:c3" and n == 100:
                value, started = 0.4, at - timedelta(minutes=5)
            if cabinet == "cabinet:c4" and n == 150:
                value = 0.2
            out.append(reading(cabinet, at, value, commune, started=started, rated=rated))
            at += step
    return out


def test_the_nights_are_the_sums_of_the_readings_whatever_their_order_and_repeats(db):
    readings = simulated_meters()
    rng = random.Random(7)
    # Heard in a shuffled order (some older than others already recorded), in batches of
    # every size, a third of them twice: in the same batch, and later again.
    heard = readings + rng.sample(readings, len(readings) // 3)
    rng.shuffle(heard)
    position = 0
    while position < len(heard):
        size = rng.choice((1, 2, 7, 40, 150))
        record(db, heard[position : position + size])
        position += size

    stored = rows(db)
    assert len(stored) == len(readings)  # each (cabinet, time) once
    assert_same_sums(nights_table(db), sums_over_readings(db))
    expected = expected_rows(readings)
    for row in stored:
        delta, baseline = expected[(row.cabinet_id, row.observed_at)]
        assert row.delta_kwh == pytest.approx(delta, abs=1e-9), row.observed_at
        assert row.baseline_kwh == pytest.approx(baseline, abs=1e-9), row.observed_at
        assert row.night == (row.observed_at - timedelta(hours=12)).astimezone(PARIS).date()


def test_recorded_in_order_and_in_disorder_the_record_is_the_same(db):
    readings = simulated_meters(seed=3)
    for start in range(0, len(readings), 50):
        record(db, readings[start : start + 50])
    in_order = nights_table(db)
    assert_same_sums(in_order, sums_over_readings(db))
    with db.write() as session:
        session.execute(EnergyReadingRow.__table__.delete())
        session.execute(EnergyNightRow.__table__.delete())
    for r in reversed(readings):  # newest first: every reading arrives before its predecessor
        record(db, [r])
    assert_same_sums(nights_table(db), {k: v for k, v in in_order.items()})


def test_a_meter_reset_counts_what_the_new_meter_counted(db):
    first_meter = datetime(2025, 1, 1, tzinfo=UTC)
    second_meter = datetime(2026, 12, 1, 20, tzinfo=UTC)
    at = [START + timedelta(hours=h) for h in (6, 8, 10, 12)]
    record(db, [reading("cabinet:r", at[0], 500.0, started=first_meter)])
    record(db, [reading("cabinet:r", at[1], 506.0, started=first_meter)])
    # A new meter whose count is already above the old one's: the start date says it.
    record(db, [reading("cabinet:r", at[2], 700.0, started=second_meter)])
    # The same meter falls back (no start date said): a reset too.
    record(db, [reading("cabinet:r", at[3], 3.5, started=None)])
    assert [round(r.delta_kwh, 6) for r in rows(db)] == [0.0, 6.0, 700.0, 3.5]
    (night,) = nights_table(db).values()
    assert night[0] == pytest.approx(709.5) and night[2] == 4


def test_after_a_reset_the_baseline_counts_from_the_new_meters_start(db):
    lat, lon = PLACES[DIJON]
    old = datetime(2025, 1, 1, tzinfo=UTC)
    evening = START + timedelta(hours=5)  # 17:00 UTC: night in December
    restarted = evening + timedelta(hours=4)
    record(db, [reading("cabinet:s", evening, 900.0, started=old, rated=6000.0)])
    later = restarted + timedelta(hours=2)
    record(db, [reading("cabinet:s", later, 12.0, started=restarted, rated=6000.0)])
    second = rows(db)[1]
    assert second.delta_kwh == pytest.approx(12.0)
    # Full power over what the new meter counted (two hours), not the six since the last one.
    assert second.baseline_kwh == pytest.approx(
        6.0 * dark_seconds(restarted, later, lat, lon) / 3600
    )
    assert second.baseline_kwh == pytest.approx(12.0)


def test_a_run_replaying_hours_already_metered_is_not_counted_against_them(db):
    """A backfill's meter up to now, then a simulation started a day back with a meter of its
    own: its readings from before the backfill's last one are not taken (interleaved, each
    would pass for the other's reset, multiplying the nights)."""
    backfill_meter = datetime(2024, 3, 1, tzinfo=UTC)
    simulated_meter = START - timedelta(hours=24)
    first = [
        reading("cabinet:r", START + timedelta(minutes=15 * i), 6500.0 + i, started=backfill_meter)
        for i in range(8)
    ]
    record(db, first)
    before = nights_table(db)
    replay = [
        reading(
            "cabinet:r",
            simulated_meter + timedelta(minutes=7 + 15 * i),
            0.5 * i,
            started=simulated_meter,
        )
        for i in range(100)  # up to START + 49 minutes: interleaved with the first meter's
    ]
    taken = record(db, replay)
    after = nights_table(db)
    assert taken == 0 and after == before
    # Once past the cabinet's latest reading, the new meter counts from its own start.
    newer = START + timedelta(hours=3)
    assert record(db, [reading("cabinet:r", newer, 60.0, started=simulated_meter)]) == 1
    assert rows(db)[-1].delta_kwh == pytest.approx(60.0)


def test_a_cabinets_first_reading_only_says_where_counting_starts(db):
    record(db, [reading("cabinet:new", START + timedelta(hours=8), 123456.0)])
    (row,) = rows(db)
    assert (row.delta_kwh, row.baseline_kwh) == (0.0, 0.0)
    assert nights_table(db) == {(date(2026, 12, 1), DIJON): (0.0, 0.0, 1)}


def test_the_baseline_is_full_power_over_the_nights_hours_between_two_readings(db):
    lat, lon = PLACES[DIJON]
    evening, morning = START + timedelta(hours=3), START + timedelta(hours=20)  # 15:00, 08:00 UTC
    record(db, [reading("cabinet:b", evening, 10.0, rated=6000.0)])
    record(db, [reading("cabinet:b", morning, 70.0, rated=6000.0)])
    night_hours = dark_seconds(evening, morning, lat, lon) / 3600
    assert 14 < night_hours < 17  # December in Dijon
    second = rows(db)[1]
    assert second.baseline_kwh == pytest.approx(6.0 * night_hours)
    assert second.delta_kwh == pytest.approx(60.0)
    # Without ratedPower, the previous reading's; never none at all after a first reading.
    record(db, [reading("cabinet:b", morning + timedelta(hours=12), 90.0, rated=None)])
    third = rows(db)[2]
    later = dark_seconds(morning, morning + timedelta(hours=12), lat, lon) / 3600
    assert third.baseline_kwh == pytest.approx(6.0 * later)


def test_a_reading_heard_twice_counts_once(db):
    a = [reading("cabinet:d", START + timedelta(hours=h), 10.0 + h) for h in range(4)]
    assert record(db, a[:2]) == 2
    assert record(db, [a[1], a[1], a[2]]) == 1  # the latest again, and a new one twice
    assert record(db, a[:3]) == 0  # older ones again (a recorder's restart, another recorder)
    assert record(db, [a[3], a[3]]) == 1
    assert len(rows(db)) == 4
    assert_same_sums(nights_table(db), sums_over_readings(db))
    (night,) = nights_table(db).values()
    assert night[0] == pytest.approx(3.0) and night[2] == 4


def test_two_writers_recording_the_same_readings_at_once_count_them_once(db):
    readings = [reading("cabinet:t", START + timedelta(minutes=10 * n), 5.0 + n) for n in range(60)]
    record(db, readings[:1])
    barrier, errors = threading.Barrier(2), []

    def write() -> None:
        try:
            with db.write() as session:
                barrier.wait(5)
                energy.record_readings(session, readings[1:])
        except Exception as exc:  # noqa: BLE001 - told to the test below
            errors.append(exc)

    writers = [threading.Thread(target=write) for _ in range(2)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(30)
    assert errors == []
    assert len(rows(db)) == 60
    assert_same_sums(nights_table(db), sums_over_readings(db))
    assert sum(v[0] for v in nights_table(db).values()) == pytest.approx(59.0)


def test_a_night_runs_from_noon_to_noon_on_the_rooms_clock():
    paris = ZoneInfo("Europe/Paris")
    assert night_of(datetime(2026, 12, 2, 11, 59, tzinfo=paris)) == date(2026, 12, 1)
    assert night_of(datetime(2026, 12, 2, 12, 0, tzinfo=paris)) == date(2026, 12, 2)
    assert night_of(datetime(2026, 12, 2, 7, 30, tzinfo=UTC)) == date(2026, 12, 1)  # dawn
    assert night_of(datetime(2026, 12, 1, 23, 30, tzinfo=UTC)) == date(2026, 12, 1)
    # Across the change to summer time (29 March 2026): still noon to noon in Paris.
    assert night_of(datetime(2026, 3, 29, 11, 30, tzinfo=paris)) == date(2026, 3, 28)
    assert night_of(datetime(2026, 3, 29, 12, 0, tzinfo=paris)) == date(2026, 3, 29)


def test_nights_are_read_from_a_date_until_another_for_every_commune_or_one(db):
    for night in range(5):
        at = START + timedelta(days=night, hours=8)
        for cabinet, commune in (("cabinet:n1", DIJON), ("cabinet:n2", CHENOVE)):
            record(db, [reading(cabinet, at, 10.0 * night, commune)])
    with db.read() as session:
        every = energy.nights(session, since=date(2026, 12, 2))
        some = energy.nights(session, since=date(2026, 12, 2), until=date(2026, 12, 3))
        one = energy.nights(session, since=date(2026, 11, 1), commune=CHENOVE)
    assert [(n.night.day, n.commune) for n in every] == [
        (day, commune) for day in (2, 3, 4, 5) for commune in (CHENOVE, DIJON)
    ]
    assert [n.night.day for n in some] == [2, 2, 3, 3]
    assert [n.night.day for n in one] == [1, 2, 3, 4, 5]
    assert all(n.commune == CHENOVE for n in one)
    assert one[1].kwh == pytest.approx(10.0) and one[1].saving_kwh == one[1].baseline_kwh - 10.0


def test_retention_purges_old_readings_and_keeps_their_nights(db):
    now = START + timedelta(days=500)
    old = [reading("cabinet:p", START + timedelta(hours=h), 1.0 + h) for h in (6, 8)]
    young = reading("cabinet:p", now - timedelta(days=3), 900.0)
    record(db, [*old, young])
    before = nights_table(db)
    with db.write() as session:
        purged = retention.purge(session, now, Retention())
    assert purged["energy_readings"] == 2
    assert [r.observed_at for r in rows(db)] == [young.observed_at]
    assert nights_table(db) == before
    # The next reading counts from the one kept.
    record(db, [reading("cabinet:p", now - timedelta(days=2), 905.0)])
    assert rows(db)[-1].delta_kwh == pytest.approx(5.0)


def test_nights_rebuilt_from_readings_are_the_ones_kept_as_they_came(db):
    record(db, simulated_meters(seed=11))
    kept = nights_table(db)
    with db.write() as session:
        written = energy.rebuild_nights(session, since=date(2026, 12, 2))
    assert written == len([k for k in kept if k[0] >= date(2026, 12, 2)])
    assert_same_sums(nights_table(db), {k: v for k, v in kept.items()})


def test_rows_written_in_bulk_then_summed_are_the_record_of_readings_heard(db):
    readings = simulated_meters(seed=5)
    record(db, readings)
    heard, heard_nights = rows(db), nights_table(db)
    with db.write() as session:
        session.execute(EnergyReadingRow.__table__.delete())
        session.execute(EnergyNightRow.__table__.delete())
        session.execute(EnergyReadingRow.__table__.insert(), energy.rows_for(readings, START))
        energy.rebuild_nights(session, since=date(2000, 1, 1))
    bulk = rows(db)
    assert [(r.cabinet_id, r.observed_at) for r in bulk] == [
        (r.cabinet_id, r.observed_at) for r in heard
    ]
    for a, b in zip(heard, bulk, strict=True):
        assert (a.delta_kwh, a.baseline_kwh, a.night) == pytest.approx(
            (b.delta_kwh, b.baseline_kwh, b.night)
        )
    assert_same_sums(nights_table(db), heard_nights)


def test_the_migration_adds_the_tables_and_goes_back(bare_db):
    from sqlalchemy import inspect

    from services.store.schema import HEAD, current_revision, upgrade
    from tests.migrations import downgrade

    assert {"energy_readings", "energy_nights"} <= set(inspect(bare_db.engine).get_table_names())
    downgrade(bare_db, "0015")
    assert not {"energy_readings", "energy_nights"} & set(inspect(bare_db.engine).get_table_names())
    upgrade(bare_db)
    assert current_revision(bare_db) == HEAD
    record(bare_db, [reading("cabinet:m", START, 1.0)])
    assert len(rows(bare_db)) == 1
