"""PostgreSQL's grants on street lighting's energy: the recorder writes, who sees operations reads.

A private cluster that checks passwords (``tests/pg_scram.py``), as the other ``test_pg_*``
modules: the recorder's login records readings and their nights and purges old readings; every
role that may see operations reads the nights through Vigie's services and with plain SQL; no
operator reads the raw readings or writes either table; the admin, who runs no operational act,
reads neither.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from services.domain.errors import PermissionDenied
from services.domain.operators import Role
from services.domain.permissions import Act
from services.domain.retention import Retention
from services.permissions import load_matrix
from services.recorder import retention
from services.store import energy, pg_authority
from services.store.energy import MeterReading
from tests.conftest import ROOM
from tests.pg_scram import Room, available, install_room, scram_cluster

pytestmark = pytest.mark.skipif(not available(), reason="no PostgreSQL server installed here")

PREFIX = "vigie_"
RECORDER_PASSWORD = "enregistreur"
START = datetime(2026, 12, 1, 15, tzinfo=UTC)
MATRIX = load_matrix()


@pytest.fixture(scope="module")
def room() -> Iterator[Room]:
    with scram_cluster() as cluster:
        db, name = install_room(cluster, PREFIX, RECORDER_PASSWORD)
        db.dispose()
        yield Room(cluster, name)


def _reading(hours: float, kwh: float) -> MeterReading:
    return MeterReading(
        "cabinet:21231-001", START + timedelta(hours=hours), kwh, "21231", 47.32, 5.04,
        rated_power_w=4000.0,
    )  # fmt: skip


def test_the_recorder_writes_readings_and_nights_and_purges_readings(room):
    recorder = pg_authority.recorder_role(PREFIX)
    with room.vigie(recorder, RECORDER_PASSWORD) as db:
        with db.write() as session:
            assert energy.record_readings(session, [_reading(h, 10.0 + h) for h in range(4)]) == 4
        with db.write() as session:  # an older reading: the next one's row is corrected
            assert energy.record_readings(session, [_reading(0.5, 10.2)]) == 1
        with db.write() as session:
            purged = retention.purge(session, START + timedelta(days=401), Retention())
        assert purged["energy_readings"] == 5
        with db.read() as session:
            (night,) = energy.nights(session, since=date(2026, 11, 1))
    assert night.kwh == pytest.approx(3.0)


SEES = sorted(MATRIX.allowed[Act.SEE_OPERATIONS], key=lambda role: role.value)
OTHERS = sorted(set(Role) - set(SEES), key=lambda role: role.value)


def _someone(role: Role) -> str:
    return next(name for name, r in ROOM.items() if r is role)


@pytest.mark.parametrize("role", SEES, ids=lambda role: role.value)
def test_who_sees_operations_reads_the_nights_never_the_readings_nor_writes(room, role):
    name = _someone(role)
    with room.vigie(name) as db, db.read() as session:
        energy.nights(session, since=date(2026, 11, 1))  # allowed, whatever it holds
    with room.login(name) as connection:
        connection.execute("SELECT count(*) FROM energy_nights")
        for statement in (
            "SELECT count(*) FROM energy_readings",
            "INSERT INTO energy_nights VALUES ('2026-12-01', '21231', 1, 1, 1, now())",
            "UPDATE energy_nights SET kwh = 0",
            "DELETE FROM energy_readings",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), connection.transaction():
                connection.execute(statement)


@pytest.mark.parametrize("role", [r for r in OTHERS if r in ROOM.values()], ids=str)
def test_who_may_not_see_operations_reads_no_energy(room, role):
    name = _someone(role)
    with pytest.raises(PermissionDenied), room.vigie(name) as db, db.read() as session:
        energy.nights(session, since=date(2026, 11, 1))
