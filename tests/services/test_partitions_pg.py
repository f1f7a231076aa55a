"""The history partitioned by time on PostgreSQL (issue 23, migration 0021); SQLite unchanged.

On the test PostgreSQL (a schema per test): partitions made ahead of time, rows in the right
partition, a row outside them in DEFAULT and moved when its partition is made, retention
dropping whole expired partitions and only those, a last hour's query reading one partition,
the migration keeping every row (and going back). On a private cluster that checks passwords
(``tests/pg_scram.py``): the recorder's login, which owns no table, makes and drops partitions
through the definer functions, and row-level security still hides patrols' positions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from sqlalchemy import inspect, select, text

from services.domain.retention import Retention
from services.recorder import retention
from services.store import partitions, pg_authority
from services.store.database import Database
from services.store.models import EquipmentChangeRow, UnitPositionRow, UnitRow
from services.store.schema import HEAD, current_revision, upgrade
from services.store.upsert import insert_ignore
from tests.conftest import pg_schema
from tests.migrations import downgrade
from tests.pg_scram import Room, available, install_room, scram_cluster

NOW = datetime.now(UTC).replace(microsecond=0)
TODAY = NOW.replace(hour=0, minute=0, second=0)
MONTH = TODAY.replace(day=1)


@pytest.fixture(autouse=True)
def _present() -> None:
    """Each test's present, read as it starts: read once at import, a run that crossed midnight
    (collected at 23:52) looked for yesterday's partition among those the migration had made
    from the server's today."""
    global NOW, TODAY, MONTH  # noqa: PLW0603 - the helpers and tests read them at call time
    NOW = datetime.now(UTC).replace(microsecond=0)
    TODAY = NOW.replace(hour=0, minute=0, second=0)
    MONTH = TODAY.replace(day=1)


def _day(moment: datetime) -> str:
    return f"unit_positions_p{moment:%Y%m%d}"


def _month(table: str, moment: datetime) -> str:
    return f"{table}_p{moment:%Y%m}"


def _next_month(moment: datetime, months: int = 1) -> datetime:
    year, month = divmod(moment.month - 1 + months, 12)
    return moment.replace(year=moment.year + year, month=month + 1, day=1)


@pytest.fixture
def pg() -> Iterator[Database]:
    with pg_schema() as url:
        database = Database(url)
        upgrade(database)
        yield database
        database.dispose()


def _position(unit: str, at: datetime) -> dict:
    return {"unit_id": unit, "observed_at": at, "lat": 47.32, "lon": 5.04}


def _home(session, table: str, where: str, values: dict) -> list[str]:
    """The partitions the rows matching ``where`` are kept in."""
    return list(
        session.execute(
            text(f"SELECT tableoid::regclass::text FROM {table} WHERE {where} ORDER BY 1"), values
        ).scalars()
    )


def test_partitions_are_made_ahead_by_the_migration_and_by_ensure(pg):
    with pg.read() as session:
        days = partitions.partitions(session, "unit_positions")
        months = {t: partitions.partitions(session, t) for t in partitions.PARTITIONED}
    assert {_day(TODAY + timedelta(days=n)) for n in range(15)} <= set(days)
    assert "unit_positions_default" in days
    for table in ("equipment_changes", "energy_readings", "salt_readings", "quarantine"):
        wanted = {_month(table, _next_month(MONTH, n)) for n in range(4)}
        assert wanted <= set(months[table]) and f"{table}_default" in months[table]
    later = NOW + timedelta(days=10)
    with pg.write() as session:
        made = partitions.ensure_partitions(session, later)
    assert [_day(TODAY + timedelta(days=n)) for n in range(15, 25)] == [
        name for name in made if name.startswith("unit_positions")
    ]
    with pg.write() as session:
        assert partitions.ensure_partitions(session, later) == []  # nothing twice


def test_rows_land_in_their_partition_and_an_outsider_in_default_until_its_own(pg):
    far = TODAY + timedelta(days=40, hours=6)
    with pg.write() as session:
        insert_ignore(
            session,
            UnitPositionRow.__table__,
            [_position("v1", NOW), _position("v1", far), _position("v2", far)],
        )
    with pg.read() as session:
        assert _home(session, "unit_positions", "observed_at = :t", {"t": NOW}) == [_day(NOW)]
        assert (
            _home(session, "unit_positions", "observed_at = :t", {"t": far})
            == ["unit_positions_default"] * 2
        )
    with pg.write() as session:
        made = partitions.ensure_partitions(session, far - timedelta(days=14))
    assert _day(far) in made
    with pg.read() as session:
        assert _home(session, "unit_positions", "observed_at = :t", {"t": far}) == [_day(far)] * 2
        assert session.scalar(text("SELECT count(*) FROM unit_positions_default")) == 0
        assert session.scalar(select(UnitPositionRow.id).where(UnitPositionRow.unit_id == "v2"))
    with pg.write() as session:  # the key holds in the new partition: a repeat is not a row
        insert_ignore(session, UnitPositionRow.__table__, [_position("v1", far)])
        assert session.scalar(text("SELECT count(*) FROM unit_positions")) == 3


def test_retention_drops_whole_expired_partitions_and_deletes_the_straddling_rows(pg):
    rules = Retention()
    limit = NOW - rules.positions_kept
    with pg.write() as session:
        partitions.ensure_partitions(session, NOW, since=NOW - timedelta(days=75), rules=Retention(
            positions_kept=timedelta(days=75)))  # fmt: skip
        insert_ignore(
            session,
            UnitPositionRow.__table__,
            [
                _position("v1", limit - timedelta(days=5)),
                _position("v1", limit - timedelta(days=2, hours=1)),
                _position("v1", limit - timedelta(seconds=1)),  # the straddling day, expired
                _position("v1", limit + timedelta(seconds=1)),  # the straddling day, kept
                _position("v1", NOW - timedelta(hours=1)),
            ],
        )
        session.execute(
            text(
                "INSERT INTO quarantine (topic, reason, received_at, size, payload) "
                "VALUES ('t', 'r', :old, 1, 'x'), ('t', 'r', :new, 1, 'x')"
            ),
            {"old": NOW - timedelta(days=70), "new": NOW},
        )
    expired_days = {_day(limit - timedelta(days=n)) for n in (5, 2)}
    with pg.read() as session:
        before = set(partitions.partitions(session, "unit_positions"))
    assert expired_days <= before
    with pg.write() as session:
        purged = retention.purge(session, NOW, rules)
    assert purged["positions"] == 3 and purged["quarantine"] == 1
    with pg.read() as session:
        after = set(partitions.partitions(session, "unit_positions"))
        kept = session.execute(select(UnitPositionRow.observed_at)).scalars().all()
        quarantine = set(partitions.partitions(session, "quarantine"))
    oldest_kept = _day(limit)
    assert not expired_days & after and oldest_kept in after  # the straddling day stays
    assert {p for p in before if p > oldest_kept or p.endswith("default")} <= after
    assert sorted(kept) == [limit + timedelta(seconds=1), NOW - timedelta(hours=1)]
    assert _month("quarantine", MONTH) in quarantine  # the month of now, kept


def test_a_partition_whose_lock_is_not_had_is_left_and_its_rows_deleted(pg):
    rules = Retention()
    old = NOW - rules.positions_kept - timedelta(days=3)
    with pg.write() as session:
        partitions.ensure_partitions(
            session, NOW, since=old, rules=Retention(positions_kept=timedelta(days=70))
        )
        insert_ignore(session, UnitPositionRow.__table__, [_position("v1", old)])
    with pg.engine.connect() as reader:  # a long read holds the parent: no drop may have it
        reader.execute(text("SELECT count(*) FROM unit_positions"))
        with pg.write() as session:
            purged = retention.purge(session, NOW, rules)
        reader.rollback()
    assert purged["positions"] == 1  # deleted as rows, within the purge's transaction
    with pg.read() as session:
        assert _day(old) in partitions.partitions(session, "unit_positions")


def test_the_drop_never_reaches_a_partition_past_the_servers_present(pg):
    with pg.write() as session:
        insert_ignore(session, UnitPositionRow.__table__, [_position("v1", NOW)])
        dropped = partitions.drop_expired_partitions(
            session, NOW + timedelta(days=365), Retention()
        )
    assert dropped["unit_positions"] == 0  # a clock a year ahead empties nothing
    with pg.read() as session:
        assert _day(NOW) in partitions.partitions(session, "unit_positions")


def _scanned(session, query: str, values: dict) -> set[str]:
    plan = session.execute(text(f"EXPLAIN (FORMAT JSON) {query}"), values).scalar_one()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    found: set[str] = set()

    def walk(node: dict) -> None:
        if "Relation Name" in node:
            found.add(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return found


def test_the_last_hours_positions_are_read_from_one_partition(pg):
    noon = TODAY + timedelta(days=1, hours=12)  # an hour within one day, partitions made
    with pg.write() as session:
        insert_ignore(session, UnitPositionRow.__table__, [_position("v1", noon)])
    with pg.read() as session:
        scanned = _scanned(
            session,
            "SELECT unit_id, lat, lon, observed_at FROM unit_positions "
            "WHERE observed_at >= :since AND observed_at <= :until ORDER BY unit_id, observed_at",
            {"since": noon - timedelta(hours=1), "until": noon},
        )
        month = _scanned(
            session,
            "SELECT equipment_id, at, old, new FROM equipment_changes "
            "WHERE field = 'status' AND at >= :since AND at < :until",
            {"since": MONTH, "until": MONTH + timedelta(days=1)},
        )
    assert scanned == {_day(noon)}  # neither the other days nor DEFAULT
    assert month == {_month("equipment_changes", MONTH)}


def test_a_change_observed_once_is_one_row_one_without_observation_time_is_not_merged(pg):
    change = {"equipment_id": "streetlight:1", "field": "status", "old": "ok", "new": "lampFailure"}
    observed = NOW - timedelta(minutes=3)
    with pg.write() as session:
        rows = [
            {**change, "at": observed, "observed_at": observed},
            {**change, "at": observed, "observed_at": observed},  # a second recorder's
            {**change, "at": NOW, "observed_at": None},
            {**change, "at": NOW, "observed_at": None},
        ]
        insert_ignore(session, EquipmentChangeRow.__table__, rows)
    with pg.read() as session:
        kept = session.execute(select(EquipmentChangeRow.observed_at)).scalars().all()
    assert sorted(kept, key=lambda at: at is None) == [observed, None, None]


def _fill_at_0020(database: Database) -> None:
    old = NOW - timedelta(days=90)
    with database.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO unit_positions (unit_id, observed_at, lat, lon) VALUES "
                "('v1', :now, 47.3, 5.0), ('v1', :old, 47.3, 5.0), ('v2', :now, 47.3, 5.0)"
            ),
            {"now": NOW, "old": NOW - timedelta(days=10)},
        )
        conn.execute(
            text(
                "INSERT INTO equipment_changes (equipment_id, at, field, old, new, observed_at) "
                "VALUES ('l1', :heard, 'status', 'ok', 'lampFailure', :seen), "
                "('l1', :heard, 'status', 'lampFailure', 'ok', NULL), "
                "('l2', :old, 'status', 'ok', 'lampFailure', :old)"
            ),
            {"heard": NOW, "seen": NOW - timedelta(seconds=30), "old": old},
        )
        conn.execute(
            text(
                "INSERT INTO energy_readings (cabinet_id, observed_at, night, commune, lat, lon, "
                "energy_kwh, delta_kwh, baseline_kwh, recorded_at) VALUES "
                "('c1', :now, '2026-12-01', '21231', 47.3, 5.0, 1, 1, 1, :now)"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO quarantine (topic, reason, received_at, size, payload) "
                "VALUES ('t', 'r', :now, 1, 'x')"
            ),
            {"now": NOW},
        )
        conn.execute(
            text("INSERT INTO salt_readings (depot_id, observed_at) VALUES ('d1', :now)"),
            {"now": NOW},
        )


COUNTED = ("unit_positions", "equipment_changes", "energy_readings", "quarantine", "salt_readings")


def _counts(database: Database) -> dict[str, int]:
    with database.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in COUNTED}


def _ids(database: Database) -> list[int]:
    with database.engine.connect() as conn:
        return list(conn.execute(text("SELECT id FROM unit_positions ORDER BY id")).scalars())


def test_the_migration_keeps_every_row_and_goes_back(pg):
    downgrade(pg, "0020")
    assert "unit_positions_default" not in inspect(pg.engine).get_table_names()
    _fill_at_0020(pg)
    ids = _ids(pg)
    upgrade(pg)
    assert current_revision(pg) == HEAD
    assert _counts(pg) == dict.fromkeys(COUNTED, 1) | {"unit_positions": 3, "equipment_changes": 3}
    assert _ids(pg) == ids
    with pg.write() as session:  # the sequence goes on past the copied ids
        insert_ignore(session, UnitPositionRow.__table__, [_position("v3", NOW)])
        changes = session.execute(
            select(EquipmentChangeRow.equipment_id, EquipmentChangeRow.at)
            .where(EquipmentChangeRow.observed_at.is_not(None))
            .order_by(EquipmentChangeRow.equipment_id)
        ).all()
        status = session.execute(text("SELECT count(*) FROM export_status_changes")).scalar()
        homes = _home(session, "equipment_changes", "true", {})
    assert max(_ids(pg)) > max(ids)
    # Dated by the observation: the change seen 30 s before it was heard; the one seen 90
    # days ago is in its own month's partition (equipment_changes is kept whole).
    assert changes == [("l1", NOW - timedelta(seconds=30)), ("l2", NOW - timedelta(days=90))]
    assert status == 3
    assert _month("equipment_changes", NOW - timedelta(days=90)) in homes
    with pg.read() as session:  # the position of 10 days ago has its day
        assert _home(session, "unit_positions", "unit_id = 'v1'", {}) == sorted(
            [_day(NOW), _day(NOW - timedelta(days=10))]
        )
    downgrade(pg, "0020")
    assert "unit_positions_default" not in inspect(pg.engine).get_table_names()
    assert _counts(pg) == dict.fromkeys(COUNTED, 1) | {"unit_positions": 4, "equipment_changes": 3}
    upgrade(pg)
    assert _counts(pg)["unit_positions"] == 4


# --- SQLite: nothing changes -----------------------------------------------------------------


@pytest.fixture
def lite(tmp_path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'vigie.db'}")
    upgrade(database)
    yield database
    database.dispose()


def test_sqlite_keeps_plain_tables_and_the_purge_deletes_rows(lite):
    names = set(inspect(lite.engine).get_table_names())
    assert not {n for n in names if n.endswith("_default") or "_p20" in n}
    with lite.write() as session:
        assert partitions.ensure_partitions(session, NOW) == []
        assert partitions.drop_expired_partitions(session, NOW, Retention()) == {}
        insert_ignore(
            session,
            UnitPositionRow.__table__,
            [_position("v1", NOW - timedelta(days=61)), _position("v1", NOW)],
        )
    with lite.write() as session:
        assert retention.purge(session, NOW, Retention())["positions"] == 1
    uniques = inspect(lite.engine).get_unique_constraints("equipment_changes")
    assert [u["column_names"] for u in uniques] == [["equipment_id", "field", "observed_at"]]


def test_sqlite_migration_dates_a_change_by_its_observation(lite):
    downgrade(lite, "0020")
    _fill_at_0020(lite)
    upgrade(lite)
    with lite.read() as session:
        at = session.execute(
            select(EquipmentChangeRow.at).where(
                EquipmentChangeRow.equipment_id == "l1",
                EquipmentChangeRow.observed_at.is_not(None),
            )
        ).scalar_one()
    assert at == NOW - timedelta(seconds=30)


# --- the authority: a login that owns nothing, row-level security ---------------------------

PREFIX = "vigie_"
RECORDER_PASSWORD = "enregistreur"


@pytest.fixture(scope="module")
def room() -> Iterator[Room]:
    if not available():
        pytest.skip("no PostgreSQL server installed here")
    with scram_cluster() as cluster:
        db, name = install_room(cluster, PREFIX, RECORDER_PASSWORD)
        with db.write() as session:
            for unit, kind in (("patrol:1", "patrol"), ("vehicle:1", "vehicle")):
                session.add(UnitRow(id=unit, kind=kind, status="available"))
            insert_ignore(
                session,
                UnitPositionRow.__table__,
                [_position("patrol:1", NOW), _position("vehicle:1", NOW)],
            )
        db.dispose()
        yield Room(cluster, name)


def test_the_recorder_makes_and_drops_partitions_through_the_definer_functions(room):
    recorder = pg_authority.recorder_role(PREFIX)
    far = TODAY + timedelta(days=30, hours=1)
    with room.vigie(recorder, RECORDER_PASSWORD) as db:
        with db.write() as session:
            insert_ignore(
                session,
                UnitPositionRow.__table__,
                [_position(u, far) for u in ("patrol:1", "vehicle:1")],
            )
        with db.write() as session:
            made = partitions.ensure_partitions(session, far)
            moved = _home(session, "unit_positions", "observed_at = :t", {"t": far})
            # A point dated further ahead than the tolerance is purged, wherever it is kept.
            purged = retention.purge(session, NOW, Retention())
        assert _day(far) in made and moved == [_day(far)] * 2 and purged["positions"] == 2
        with db.read() as session:
            owner = session.scalar(
                text("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = :n"),
                {"n": _day(far)},
            )
        assert owner != recorder  # made by the function, as the tables' owner
    with room.login(recorder, RECORDER_PASSWORD) as connection:
        with pytest.raises(psycopg.errors.InvalidParameterValue):
            connection.execute("SELECT vigie_partitions_drop('audit_log', now())")


@pytest.mark.parametrize(
    ("operator", "seen"),
    [("t.roux", ["vehicle:1"]), ("c.bernard", ["patrol:1", "vehicle:1"])],
)
def test_row_level_security_still_hides_patrols_and_partitions_are_not_read_directly(
    room, operator, seen
):
    with room.login(operator) as connection:
        units = connection.execute(
            "SELECT DISTINCT unit_id FROM unit_positions ORDER BY unit_id"
        ).fetchall()
        assert [u for (u,) in units] == seen
        for statement in (
            f"SELECT count(*) FROM {_day(NOW)}",
            "SELECT count(*) FROM unit_positions_default",
            "SELECT vigie_partitions_ensure('unit_positions', now(), now())",
            "SELECT * FROM vigie_partitions_drop('unit_positions', now())",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), connection.transaction():
                connection.execute(statement)


def test_a_backfill_writes_its_period_into_partitions_not_default(pg):
    from services.backfill.history import backfill

    end = (NOW - timedelta(days=20)).replace(minute=0, second=0)
    report = backfill(pg, days=2, scale="small", seed=7, end=end, incidents_per_day=20)
    assert report.rows["unit_positions"] and report.rows["energy_readings"]
    with pg.read() as session:
        waiting = {
            table: session.scalar(text(f"SELECT count(*) FROM {table}_default"))
            for table in partitions.PARTITIONED
        }
        days = set(partitions.partitions(session, "unit_positions"))
    assert waiting == dict.fromkeys(partitions.PARTITIONED, 0)
    assert {_day(end - timedelta(days=n)) for n in range(3)} <= days
