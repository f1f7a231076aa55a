"""``vigie simulate --backfill``: a month of history written straight into the database.

At the small scale and over two days (fast), on SQLite and on PostgreSQL when
``VIGIE_TEST_PG_URL`` is set: the energy nights equal sums over the raw readings (computed here in
SQL), the readings are what the recorder's ``record_readings`` makes of them, the same seed writes
the same history (on either database), nothing is dated after the end, the audit journal verifies,
and the rows are as many as the report says.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Date, select, text

from services.backfill import NotEmpty, backfill
from services.domain.dimming import dark_seconds
from services.domain.errors import InvalidInput
from services.store import audit
from services.store.database import Database
from services.store.energy import MeterReading, night_of, record_readings
from services.store.models import AuditRow, Base, EnergyReadingRow
from services.store.schema import upgrade
from services.store.types import UTCDateTime

END = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
SMALL = {"days": 2, "scale": "small", "seed": 7, "end": END, "incidents_per_day": 80}
#: Deadlines, not events: an open camera view or a command still expires after the end.
DEADLINES = {"expires_at", "claimed_until"}
#: Columns of rows the backfill does not write (the migration's, the room's operators).
NOT_WRITTEN = {"operators", "city_modes", "permission_matrix", "db_authority", "approvals"}


def _rows(db: Database, sql: str, **params: object) -> list:
    with db.read() as session:
        return session.execute(text(sql), params).all()


def test_nights_are_sums_of_the_raw_readings(db: Database) -> None:
    report = backfill(db, **SMALL)
    assert report.rows["energy_readings"] > 0
    mismatched = _rows(
        db,
        "SELECT n.night, n.commune, n.kwh, s.kwh, n.baseline_kwh, s.baseline, n.readings, s.n "
        "FROM energy_nights n FULL OUTER JOIN (SELECT night, commune, SUM(delta_kwh) AS kwh, "
        "SUM(baseline_kwh) AS baseline, COUNT(*) AS n FROM energy_readings "
        "GROUP BY night, commune) s ON s.night = n.night AND s.commune = n.commune "
        "WHERE s.n IS NULL OR n.readings IS NULL OR n.readings <> s.n "
        "OR ABS(n.kwh - s.kwh) > 1e-6 OR ABS(n.baseline_kwh - s.baseline) > 1e-6",
    )
    assert mismatched == []
    # Each delta is the difference with its cabinet's previous reading (0 for the first).
    wrong_deltas = _rows(
        db,
        "SELECT cabinet_id, observed_at FROM (SELECT cabinet_id, observed_at, delta_kwh, "
        "energy_kwh - LAG(energy_kwh) OVER (PARTITION BY cabinet_id ORDER BY observed_at) AS d "
        "FROM energy_readings) r WHERE ABS(COALESCE(d, 0) - delta_kwh) > 1e-9",
    )
    assert wrong_deltas == []
    # Each baseline is full power over the night's seconds since the previous reading.
    with db.read() as session:
        readings = (
            session.execute(
                select(EnergyReadingRow).order_by(
                    EnergyReadingRow.cabinet_id, EnergyReadingRow.observed_at
                )
            )
            .scalars()
            .all()
        )
    previous = None
    for row in readings:
        assert row.night == night_of(row.observed_at)
        assert row.observed_at <= END
        if previous is None or previous.cabinet_id != row.cabinet_id:
            assert (row.delta_kwh, row.baseline_kwh) == (0.0, 0.0)
        else:
            dark = dark_seconds(previous.observed_at, row.observed_at, row.lat, row.lon)
            assert row.baseline_kwh == (row.rated_power_w or 0.0) / 1000 * dark / 3600
        previous = row
    # Lights burn at night: some energy, and the policy saves some of it after its start.
    totals = _rows(db, "SELECT SUM(kwh), SUM(baseline_kwh) FROM energy_nights")[0]
    assert 0 < totals[0] < totals[1]


def test_readings_are_what_the_recorder_makes_of_them(db: Database, tmp_path) -> None:
    backfill(db, **SMALL)
    with db.read() as session:
        written = (
            session.execute(
                select(EnergyReadingRow).order_by(
                    EnergyReadingRow.observed_at, EnergyReadingRow.cabinet_id
                )
            )
            .scalars()
            .all()
        )
    oracle = Database(f"sqlite:///{tmp_path / 'oracle.db'}")
    upgrade(oracle)
    with oracle.write() as session:
        record_readings(
            session,
            [
                MeterReading(
                    cabinet_id=r.cabinet_id,
                    observed_at=r.observed_at,
                    energy_kwh=r.energy_kwh,
                    commune=r.commune,
                    lat=r.lat,
                    lon=r.lon,
                    metering_started=r.metering_started,
                    rated_power_w=r.rated_power_w,
                )
                for r in written
            ],
        )
    with oracle.read() as session:
        recorded = {
            (r.cabinet_id, r.observed_at): (r.delta_kwh, r.baseline_kwh, r.night)
            for r in session.execute(select(EnergyReadingRow)).scalars()
        }
    oracle.dispose()
    assert len(recorded) == len(written)
    for r in written:
        assert recorded[(r.cabinet_id, r.observed_at)] == (r.delta_kwh, r.baseline_kwh, r.night)


def _dump(db: Database) -> dict[str, list[tuple]]:
    """Every table's rows, ids aside, in an order of their own (the same on both databases)."""
    out = {}
    with db.read() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in NOT_WRITTEN or table.name == "audit_chain":  # its head: the closing
                continue
            columns = [c for c in table.columns if not (c.primary_key and c.autoincrement is True)]
            if table.name == "audit_log":  # the last entry is dated when the backfill ran
                rows = session.execute(
                    select(*columns).where(table.c.action != "history.backfill")
                ).all()
            else:
                rows = session.execute(select(*columns)).all()
            out[table.name] = sorted((tuple(map(_plain, r)) for r in rows), key=repr)
    return out


def _plain(value: object) -> object:
    if isinstance(value, float):
        return round(value, 9)
    return value


def test_the_same_seed_writes_the_same_history(db: Database, tmp_path) -> None:
    backfill(db, **SMALL)
    other = Database(f"sqlite:///{tmp_path / 'again.db'}")
    upgrade(other)
    try:
        backfill(other, **SMALL)
        first, second = _dump(db), _dump(other)
        assert first.keys() == second.keys()
        for table in first:
            assert first[table] == second[table], table
        assert first["incidents"] and first["unit_positions"] and first["commands"]
    finally:
        other.dispose()


def test_nothing_is_dated_after_the_end(db: Database) -> None:
    backfill(db, **SMALL)
    late = []
    with db.read() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in NOT_WRITTEN:
                continue
            for column in table.columns:
                if isinstance(column.type, UTCDateTime) and column.name not in DEADLINES:
                    query = select(column).where(column > END)
                    if table.name == "audit_log":
                        query = query.where(table.c.action != "history.backfill")
                    late += [(table.name, column.name, v) for v in session.execute(query).scalars()]
                if isinstance(column.type, Date) and table.name == "energy_nights":
                    assert session.execute(select(column).where(column > END.date())).all() == []
        closing = session.execute(
            select(AuditRow.ts).where(AuditRow.action == "history.backfill")
        ).scalar_one()
    assert late == []
    assert closing <= datetime.now(UTC)


def test_rows_are_as_many_as_reported(db: Database) -> None:
    report = backfill(db, **SMALL)
    assert report.start == END - timedelta(days=2) and report.end == END
    counted = {}
    with db.read() as session:
        for table in report.rows:
            counted[table] = session.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()
    assert counted == report.rows
    # About the rate asked (faults, freeze risks and citizens together), over two days.
    assert 0.6 * 160 < report.rows["incidents"] < 1.5 * 160
    assert report.seconds > 0 and report.total_rows == sum(report.rows.values())


def test_the_history_holds_together(db: Database) -> None:
    backfill(db, **SMALL)
    with db.read() as session:
        verdict = audit.verify(session)
        closing = session.execute(
            select(AuditRow).where(AuditRow.action == "history.backfill")
        ).scalar_one()
    assert verdict.ok, verdict
    assert verdict.head is not None and verdict.head.seq == closing.seq
    assert '"first_seq":1' in closing.details
    # Every command was sent already (a live recorder finds nothing to publish), and every
    # incident's history begins with its creation.
    assert _rows(db, "SELECT request_id FROM commands WHERE sent_at IS NULL") == []
    assert (
        _rows(
            db,
            "SELECT id FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM incident_changes c "
            "WHERE c.incident_id = i.id AND c.field = 'created')",
        )
        == []
    )
    # An incident's version counts its saves; its last change is its updated_at.
    wrong = _rows(
        db,
        "SELECT i.id FROM incidents i JOIN (SELECT incident_id, COUNT(DISTINCT at) AS saves, "
        "MAX(at) AS last FROM incident_changes GROUP BY incident_id) c ON c.incident_id = i.id "
        "WHERE i.version <> c.saves OR i.updated_at <> c.last",
    )
    assert wrong == []
    # Positions are a minute apart at least, per unit.
    close = _rows(
        db,
        "SELECT unit_id FROM (SELECT unit_id, observed_at, LAG(observed_at) OVER "
        "(PARTITION BY unit_id ORDER BY observed_at) AS before FROM unit_positions) p "
        "WHERE before IS NOT NULL AND observed_at = before",
    )
    assert close == []


def test_a_database_with_history_is_refused(db: Database) -> None:
    backfill(db, **SMALL)
    with pytest.raises(NotEmpty):
        backfill(db, **SMALL)


@pytest.mark.parametrize(
    "asked",
    [
        {"end": datetime.now(UTC) + timedelta(hours=1)},
        {"days": 0},
        {"scale": "lyon"},
    ],
)
def test_impossible_requests_are_refused(db: Database, asked: dict) -> None:
    with pytest.raises(InvalidInput):
        backfill(db, **{**SMALL, **asked})
    assert _rows(db, "SELECT id FROM incidents") == []


def test_readings_cover_the_period_every_quarter_hour(db: Database) -> None:
    report = backfill(db, **SMALL)
    cabinets = _rows(db, "SELECT COUNT(DISTINCT cabinet_id) FROM energy_readings")[0][0]
    quarter_hours = math.floor((2 * 86_400 - 1) / 900) + 1
    assert report.rows["energy_readings"] == cabinets * quarter_hours
