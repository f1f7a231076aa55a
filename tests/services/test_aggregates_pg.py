"""PostgreSQL's grants on the open-data aggregates and the export's views.

A private cluster that checks passwords (``tests/pg_scram.py``), as the other ``test_pg_*``
modules: the recorder's login writes every aggregate and purges salt readings; an operator who
may switch a mode writes that mode's periods (``modes.finish``), and only that mode's; the
Open311 service's login, which runs the export, reads the views, the aggregates and the nightly
energy, and still no incident, no personal data, no position.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from services.bus.messages import Place, PositionMessage, StateMessage
from services.domain.equipment import EquipmentType
from services.domain.errors import PermissionDenied
from services.domain.retention import Retention
from services.domain.snow import Network, Segment
from services.recorder import retention
from services.recorder.aggregates import SnowWatch, record_aggregates
from services.store import mode_periods, pg_authority, pg_open311
from tests.pg_scram import SUPERUSER, Room, available, install_room, scram_cluster

pytestmark = pytest.mark.skipif(not available(), reason="no PostgreSQL server installed here")

PREFIX = "vigie_"
RECORDER_PASSWORD = "enregistreur"
SERVICE = "vigie_opendata"
SERVICE_PASSWORD = "citoyens-21"
NOW = datetime(2026, 12, 15, 10, 30, tzinfo=UTC)
PLACE = Place(47.30, 5.005, "21231")
STREET = Segment(
    "prin:rue-1", "Rue", Network.PRINCIPAL, ((47.30, 5.00), (47.30, 5.01)), timedelta(hours=2)
)


@pytest.fixture(scope="module")
def room() -> Iterator[Room]:
    with scram_cluster() as cluster:
        db, name = install_room(cluster, PREFIX, RECORDER_PASSWORD)
        db.dispose()
        room = Room(cluster, name)
        with room.login(SUPERUSER, cluster.superuser_password) as owner:
            verifier = owner.pgconn.encrypt_password(
                SERVICE_PASSWORD.encode(), SERVICE.encode(), b"scram-sha-256"
            )
            owner.execute(
                "SELECT vigie_operator_set_password(%s, %s)", (SERVICE, verifier.decode())
            )
            owner.commit()
        yield room


def _states() -> list[tuple[StateMessage, bool]]:
    def state(kind: EquipmentType, ident: str, **attributes) -> tuple[StateMessage, bool]:
        return StateMessage(kind, ident, attributes, None, None, PLACE, None, NOW), False

    return [
        state(EquipmentType.TRAFFIC_FLOW_OBSERVED, "trafficflow:1", intensity=640),
        state(
            EquipmentType.TRAFFIC_SIGNAL,
            "trafficsignal:1",
            lastPriorityRequest="2026-12-15T10:29:00Z",
            lastPriorityServed=True,
        ),  # fmt: skip
        state(EquipmentType.SALT_STOCK, "saltstock:1", saltTonnes=100.0),
    ]


def test_the_recorder_writes_every_aggregate_and_purges_salt(room):
    recorder = pg_authority.recorder_role(PREFIX)
    plough = PositionMessage(
        "vehicle:sn-01", PLACE, NOW, None, ("snowPlough",), 20.0, 90.0, {"plowDown": True}
    )
    with room.vigie("c.morel") as coordinator, coordinator.write() as session:
        mode_periods.follow(session, "snow", "1", NOW - timedelta(hours=1))
    with room.vigie(recorder, RECORDER_PASSWORD) as db:
        with db.write() as session:
            record_aggregates(session, _states(), [plough], NOW, snow=SnowWatch([STREET]))
        with db.write() as session:
            purged = retention.purge(session, NOW + timedelta(days=401), Retention())
    assert purged["salt_readings"] == 1
    with room.login(SERVICE, SERVICE_PASSWORD) as service:
        counted = {
            table: service.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("traffic_flow_hours", "bus_priority_days", "snow_passes")
        }
    assert counted == {"traffic_flow_hours": 1, "bus_priority_days": 1, "snow_passes": 1}


def test_who_switches_a_mode_writes_its_periods_and_only_its_own(room):
    at = NOW + timedelta(days=1)
    with room.vigie("t.roux") as technician:  # may switch traffic, not snow
        with technician.write() as session:
            mode_periods.follow(session, "traffic", "event", at)
        with pytest.raises(PermissionDenied), technician.write() as session:
            mode_periods.follow(session, "snow", "3", at)
    with room.vigie("c.bernard") as dispatcher:  # may switch neither
        with pytest.raises(PermissionDenied), dispatcher.write() as session:
            mode_periods.follow(session, "traffic", "normal", at)
    with room.login(SERVICE, SERVICE_PASSWORD) as service:
        rows = service.execute(
            "SELECT kind, value FROM mode_periods WHERE ended_at IS NULL ORDER BY kind"
        ).fetchall()
    assert ("traffic", "event") in rows and ("snow", "3") not in rows


def test_the_service_login_reads_the_export_and_nothing_personal(room):
    with room.login(SERVICE, SERVICE_PASSWORD) as service:
        for table in pg_open311.EXPORTED:
            service.execute(f"SELECT * FROM {table}").fetchall()
    assert set(pg_open311.EXPORTED) >= {"export_incidents", "energy_nights", "mode_periods"}


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM incidents",
        "SELECT * FROM personal_data",
        "SELECT * FROM unit_positions",
        "SELECT * FROM units",
        "SELECT * FROM equipment",
        "SELECT * FROM energy_readings",
        "INSERT INTO mode_periods (kind, value, started_at) VALUES ('snow', '3', now())",
        "DELETE FROM snow_passes",
        "UPDATE traffic_flow_hours SET readings = 0",
    ],
)
def test_the_service_login_still_reads_no_incident_nor_personal_data(room, statement):
    with room.login(SERVICE, SERVICE_PASSWORD) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(statement)


def test_the_service_login_runs_the_whole_export(room, tmp_path):
    """``opendata serve``'s nightly export, as its own login: every dataset it publishes."""
    from zoneinfo import ZoneInfo

    from services.opendata.export import export
    from services.opendata.export.run import ExportOptions
    from services.opendata.export.selection import OPT_IN, PUBLIC, chosen

    options = ExportOptions(
        datasets=chosen(",".join(PUBLIC + OPT_IN)), zone=ZoneInfo("Europe/Paris")
    )
    with room.vigie(SERVICE, SERVICE_PASSWORD) as db:
        report = export(db, tmp_path, options, now=NOW + timedelta(days=2))
    assert set(report.rows) == set(PUBLIC + OPT_IN)
    assert (tmp_path / "catalogue.jsonld").is_file()
