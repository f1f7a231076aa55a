"""A snow vehicle's work in the record: migrated, written by the recorder, read by the map.

The record keeps, with each position, whether the vehicle was treating (``plowDown``,
``spreading``): consoles read positions from the database, not the bus, and count the
winter-service network's passes from these rows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, select, text

from services.bus.messages import Place, PositionMessage
from services.domain.units import UnitKind, vehicle_work
from services.recorder.units import record_positions
from services.situation import TREATED_OVERLAP, read_units
from services.store.database import Database
from services.store.models import UnitPositionRow, UnitRow
from services.store.schema import HEAD, current_revision, upgrade

KEPT = timedelta(days=60)
NOW = datetime(2026, 12, 8, 6, 30, tzinfo=UTC)
EVERY_KIND = frozenset(UnitKind)


def position(
    unit: str, category: str, at: datetime, lat: float = 47.32, **attributes: object
) -> PositionMessage:
    return PositionMessage(
        unit, Place(lat, 5.04, "21231"), at, unit, (category,), 30.0, 90.0, dict(attributes)
    )


def test_the_work_is_said_once_the_same_way():
    assert vehicle_work({"plowDown": True, "spreading": True}) == "plough+spread"
    assert vehicle_work({"plowDown": False, "spreading": True}) == "spread"
    assert vehicle_work({"plowDown": True}) == "plough"
    assert vehicle_work({"plowDown": "true", "spreading": None}) == ""  # only a true bool
    assert vehicle_work({}) == ""


def test_the_recorder_keeps_the_work_with_each_position_and_on_the_unit(db):
    with db.write() as s:
        record_positions(
            s,
            [
                position("vehicle:sn-01", "snowPlough", NOW, plowDown=True, spreading=True),
                position("vehicle:sn-01", "snowPlough", NOW + timedelta(seconds=5)),
                position("vehicle:ve-01", "roadMaintenance", NOW, plowDown=False),
            ],
            NOW - KEPT,
        )
    with db.read() as s:
        kept = s.execute(
            select(UnitPositionRow.unit_id, UnitPositionRow.work).order_by(UnitPositionRow.id)
        ).all()
        assert kept == [
            ("vehicle:sn-01", "plough+spread"),
            ("vehicle:sn-01", None),
            ("vehicle:ve-01", None),
        ]
        assert s.get(UnitRow, "vehicle:sn-01").work is None  # its newest position: blade up
    with db.write() as s:  # a late position does not move the unit back, nor its work
        late = position("vehicle:sn-01", "snowPlough", NOW - timedelta(minutes=1), plowDown=True)
        record_positions(s, [late], NOW - KEPT)
    with db.read() as s:
        assert s.get(UnitRow, "vehicle:sn-01").work is None


def test_units_are_read_with_their_bearing_work_and_new_treatment_points(db):
    with db.write() as s:
        record_positions(
            s,
            [
                position("vehicle:sn-01", "snowPlough", NOW, plowDown=True),
                position("vehicle:sn-02", "saltSpreader", NOW, spreading=True),
                position("vehicle:pm-01", "police", NOW, plowDown=True),  # not a snow vehicle
            ],
            NOW - KEPT,
        )
    first = read_units(db, NOW, kinds=EVERY_KIND, positions_kept=KEPT, treated_after=None)
    assert [(u.id, u.bearing, u.work) for u in first.units] == [
        ("vehicle:pm-01", 90.0, "plough"),
        ("vehicle:sn-01", 90.0, "plough"),
        ("vehicle:sn-02", 90.0, "spread"),
    ]
    assert [p[1] for p in first.treated] == ["vehicle:sn-01", "vehicle:sn-02"]
    assert first.newest_id == 3
    with db.write() as s:
        later = NOW + timedelta(seconds=5)
        record_positions(s, [position("vehicle:sn-01", "snowPlough", later)], NOW - KEPT)
    again = read_units(db, NOW, kinds=EVERY_KIND, positions_kept=KEPT, treated_after=3)
    assert again.newest_id == 4
    assert [p[1] for p in again.treated] == ["vehicle:sn-01", "vehicle:sn-02"]  # the overlap
    assert next(u for u in again.units if u.id == "vehicle:sn-01").work == ""
    crews = read_units(db, NOW, kinds={UnitKind.ROAD_CREW}, positions_kept=KEPT, treated_after=None)
    assert (crews.units, crews.treated, crews.newest_id) == ([], [], 4)


def test_a_reading_goes_back_no_further_than_its_overlap(db):
    with db.write() as s:
        s.add(
            UnitRow(
                id="vehicle:sn-01", kind="snow_plough", status="available", lat=47.33, lon=5.04,
                observed_at=NOW + timedelta(minutes=2),
            )
        )  # fmt: skip
        for ident, minutes in ((1, 1), (TREATED_OVERLAP + 10, 2)):  # the first far below
            s.add(
                UnitPositionRow(
                    id=ident, unit_id="vehicle:sn-01", observed_at=NOW + timedelta(minutes=minutes),
                    lat=47.33, lon=5.04, work="plough",
                )
            )  # fmt: skip
    reading = read_units(
        db, NOW, kinds=EVERY_KIND, positions_kept=KEPT, treated_after=TREATED_OVERLAP + 10
    )
    assert [p[0] for p in reading.treated] == [TREATED_OVERLAP + 10]


def test_0011_adds_the_work_and_takes_it_away_keeping_the_positions(db_url):
    from tests.migrations import downgrade

    database = Database(db_url)
    upgrade(database, "0010")
    with database.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO units (id, kind, status, lat, lon, observed_at) "
                "VALUES ('vehicle:sn-01', 'snow_plough', 'available', 47.32, 5.04, :at)"
            ),
            {"at": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO unit_positions (unit_id, observed_at, lat, lon) "
                "VALUES ('vehicle:sn-01', :at, 47.32, 5.04)"
            ),
            {"at": NOW},
        )
    upgrade(database)
    with database.read() as s:  # recorded before 0011: not known to have been treating
        assert s.execute(select(UnitPositionRow.work)).scalars().all() == [None]
        assert s.get(UnitRow, "vehicle:sn-01").work is None
    with database.write() as s:
        s.execute(text("UPDATE unit_positions SET work = 'plough'"))

    downgrade(database, "0010")
    assert current_revision(database) == "0010"
    columns = inspect(database.engine)
    for table in ("units", "unit_positions"):
        assert "work" not in {c["name"] for c in columns.get_columns(table)}
    with database.engine.connect() as conn:
        kept = conn.execute(text("SELECT unit_id, lat FROM unit_positions")).all()
        assert [(unit, pytest.approx(lat)) for unit, lat in kept] == [("vehicle:sn-01", 47.32)]
        constraints = inspect(conn).get_unique_constraints("unit_positions")
        assert [c["column_names"] for c in constraints] == [["unit_id", "observed_at"]]
    upgrade(database)
    assert current_revision(database) == HEAD
    database.dispose()
