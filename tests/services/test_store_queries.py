"""The store's read functions for the shell and the feeds, on SQLite and PostgreSQL.

They answer with domain values or plain values (never ORM rows), with the same filters and
orders the shell's ``vigie query`` has always had.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.domain.commands import CommandRecord
from services.domain.incidents import Incident, IncidentStatus, Location, Priority
from services.domain.units import Unit, UnitKind, UnitStatus
from services.store import commands, incident_query, quarantine, stats, units
from services.store.backends import postgresql_url
from services.store.models import (
    CommandRow,
    IncidentRow,
    QuarantineRow,
    RecorderStatsRow,
    UnitRow,
)

T0 = datetime(2025, 1, 10, 8, 0, tzinfo=UTC)


def _incident_row(n: int, **values: object) -> IncidentRow:
    columns = {
        "source": "report",
        "category": "pothole",
        "priority": 3,
        "status": "new",
        "commune": "21231",
        "lat": 47.3,
        "lon": 5.0,
        "description": "",
        "created_at": T0 + timedelta(minutes=n),
        "updated_at": T0 + timedelta(minutes=n),
        "updated_by": "t.roux",
        "version": 1,
    }
    return IncidentRow(**{**columns, **values})


@pytest.fixture
def incidents(db):
    with db.write() as s:
        s.add_all(
            [
                _incident_row(0, source_ref="r-1"),
                _incident_row(1, source="alert", category="fire", priority=1, status="on_scene"),
                _incident_row(2, status="closed", commune="21166", lat=None, lon=None),
                _incident_row(3, status="acknowledged", category="graffiti", priority=4),
            ]
        )
    return db


def _ids(found: list[Incident]) -> list[int | None]:
    return [i.id for i in found]


def test_find_incidents_filters_on_each_column_given(incidents):
    with incidents.read() as s:
        everything = incident_query.find_incidents(s)
        assert _ids(everything) == [1, 2, 3, 4]  # by id
        assert everything[0].location == Location(47.3, 5.0)
        assert everything[2].location is None
        assert everything[1].priority is Priority.P1
        assert _ids(incident_query.find_incidents(s, statuses=["closed", "new"])) == [1, 3]
        assert _ids(incident_query.find_incidents(s, source="alert")) == [2]
        assert _ids(incident_query.find_incidents(s, commune="21166")) == [3]
        assert _ids(incident_query.find_incidents(s, category="pothole")) == [1, 3]
        assert _ids(incident_query.find_incidents(s, priority=Priority.P4)) == [4]
        open_potholes = incident_query.find_incidents(
            s, statuses=["new", "acknowledged"], category="pothole"
        )
        assert [(i.id, i.status) for i in open_potholes] == [(1, IncidentStatus.NEW)]


def test_find_incidents_limit_keeps_the_first_and_zero_means_no_limit(incidents):
    with incidents.read() as s:
        assert _ids(incident_query.find_incidents(s, limit=2)) == [1, 2]
        assert _ids(incident_query.find_incidents(s, limit=0)) == [1, 2, 3, 4]


def test_list_units_by_id_filtered_by_kind_and_status(db):
    with db.write() as s:
        s.add_all(
            [
                UnitRow(id="van-2", kind="road_crew", status="on_scene", lat=47.1, lon=5.0),
                UnitRow(id="car-1", kind="patrol", status="en_route", observed_at=T0),
                UnitRow(id="a-car", kind="patrol", status="available", incident_id=None),
            ]
        )
    with db.read() as s:
        found = units.list_units(s)
        assert [u.id for u in found] == ["a-car", "car-1", "van-2"]
        assert found[1] == Unit(
            id="car-1", kind=UnitKind.PATROL, status=UnitStatus.EN_ROUTE, observed_at=T0
        )
        assert [u.id for u in units.list_units(s, kind="patrol")] == ["a-car", "car-1"]
        assert [u.id for u in units.list_units(s, status="on_scene")] == ["van-2"]
        assert [u.id for u in units.list_units(s, kind="patrol", limit=1)] == ["a-car"]


def test_list_commands_oldest_first_filtered_by_status(db):
    def command(rid: str, seconds: int, status: str) -> CommandRow:
        at = T0 + timedelta(seconds=seconds)
        return CommandRow(
            request_id=rid,
            target_type="Streetlight",
            target=f"light:{rid}",
            command="switch",
            params={"powerState": "off"},
            status=status,
            issued_by="t.roux",
            issued_at=at,
            expires_at=at + timedelta(minutes=1),
            late=status == "done",
        )

    with db.write() as s:
        s.add_all([command("c", 3, "done"), command("a", 1, "failed"), command("b", 2, "pending")])
    with db.read() as s:
        found = commands.list_commands(s)
        assert [c.request_id for c in found] == ["a", "b", "c"]  # by issue time, not id
        assert found[2] == CommandRecord(
            request_id="c",
            target_type="Streetlight",
            target="light:c",
            command="switch",
            status="done",
            issued_by="t.roux",
            issued_at=T0 + timedelta(seconds=3),
            params={"powerState": "off"},
            late=True,
        )
        done_or_failed = commands.list_commands(s, statuses=["done", "failed"])
        assert [c.request_id for c in done_or_failed] == ["a", "c"]
        assert [c.request_id for c in commands.list_commands(s, limit=1)] == ["a"]


def test_quarantined_messages_oldest_first_without_their_payload(db):
    with db.write() as s:
        for n in range(3):
            s.add(
                QuarantineRow(
                    topic=f"vigie/reports/{n}",
                    reason=f"bad {n}",
                    received_at=T0 + timedelta(seconds=n),
                    size=10 + n,
                    payload=b"secret",
                    entity_id=None if n == 1 else f"e-{n}",
                )
            )
    with db.read() as s:
        found = quarantine.list_messages(s)
        limited = quarantine.list_messages(s, limit=2)
    assert [list(m) for m in found] == [["topic", "reason", "received_at", "size", "entity_id"]] * 3
    assert found[1] == {
        "topic": "vigie/reports/1",
        "reason": "bad 1",
        "received_at": T0 + timedelta(seconds=1),
        "size": 11,
        "entity_id": None,
    }
    assert [m["topic"] for m in limited] == ["vigie/reports/0", "vigie/reports/1"]


def test_counters_are_zero_on_an_empty_record(db):
    with db.read() as s:
        assert stats.message_counts(s) == (0, 0)
        assert stats.quarantined(s) == 0
        assert stats.open_incidents(s) == 0


def test_counters_sum_every_recorder_as_plain_ints(incidents):
    with incidents.write() as s:
        s.add(
            RecorderStatsRow(
                recorder_id="r1", messages_received=1000, messages_quarantined=7, updated_at=T0
            )
        )
        s.add(
            RecorderStatsRow(
                recorder_id="r2", messages_received=234, messages_quarantined=5, updated_at=T0
            )
        )
    with incidents.read() as s:
        counts = stats.message_counts(s)
        quarantined = stats.quarantined(s)
        still_open = stats.open_incidents(s)
    assert counts == (1234, 12)
    # PostgreSQL sums a BIGINT into a Decimal: the caller divides these by seconds.
    assert [type(c) for c in (*counts, quarantined)] == [int, int, int]
    assert quarantined == 12
    assert still_open == 3  # new, on_scene, acknowledged; not the closed one


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///tmp/v.db", None),
        ("sqlite://", None),
    ],
)
def test_postgresql_url_names_only_a_server(url, expected):
    assert postgresql_url(url) == expected
