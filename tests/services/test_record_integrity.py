"""The record holds (issue 14): poison messages, clocks in the future, a full disk, a writer
that can no longer write, personal data and credentials kept out of what is logged."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import DataError

from services.domain.retention import Retention
from services.recorder import retention, units
from services.store.models import (
    EquipmentRow,
    IncidentRow,
    PersonalDataRow,
    QuarantineRow,
    UnitPositionRow,
    UnitRow,
)
from tests.services.test_recorder import count, light, wait_until

OVERFLOWING = ("9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00")
DIJON = {"type": "Point", "coordinates": [5.0415, 47.3220]}


def report(i: int, **extra) -> dict:
    return {
        "service_request_id": f"r-{i}",
        "service_code": "eclairage",
        "description": f"lampadaire {i} éteint",
        "location": DIJON,
        **extra,
    }


def test_one_date_never_stops_the_record(db, make_recorder, field, topics):
    """Item 1: each overflowing time is one quarantined message, and the record goes on."""
    rec = make_recorder()
    poison = []
    for when in OVERFLOWING:
        poison += [
            (
                topics.alerts,
                {"id": f"a-{when}", "category": "security", "dateIssued": when, "address": "rue"},
            ),
            (topics.unit_position("v1"), {"location": DIJON, "observationDateTime": when}),
            (topics.unit_status("v1"), {"status": "available", "ts": when}),
            (topics.state("Streetlight", "sl:poison"), light(observationDateTime=when)),
        ]
        poison.append((topics.reports, report(9000 + len(poison), requested_datetime=when)))
    for topic, payload in poison:
        field.send(topic, payload)
    field.send(
        topics.state("Streetlight", "sl:retained"), light(dateObserved=OVERFLOWING[0]), retain=True
    )
    for i in range(200):
        field.client.publish(topics.reports, json.dumps(report(i)), qos=1)
    wait_until(
        lambda: count(db, IncidentRow, IncidentRow.source == "report") >= 200,
        timeout=60,
        what="200 reports after the poison",
    )
    assert rec.wait_idle(10)
    assert not rec.failed.is_set()
    # Nothing was lost: reports, alerts and states took the receiver's time and a flag; a
    # unit's position and status, whose times order things, were quarantined.
    assert count(db, IncidentRow, IncidentRow.source == "report") == 202
    assert count(db, IncidentRow, IncidentRow.source == "alert") == 2
    assert count(db, EquipmentRow) == 2
    assert count(db, QuarantineRow) == 4
    with db.read() as s:
        flagged = s.execute(
            select(IncidentRow.flags).where(IncidentRow.source_ref == "r-9004")
        ).scalar_one()
        reasons = list(s.execute(select(QuarantineRow.reason, QuarantineRow.entity_id)))
    assert flagged and "time_in_future" in flagged
    assert {entity for _, entity in reasons} == {"v1"}
    assert all(reason for reason, _ in reasons)
    field.client.publish(topics.state("Streetlight", "sl:retained"), b"", retain=True)


def test_a_clock_in_the_future_does_not_pin_a_unit(db, make_recorder, field, topics):
    """Item 2: a position or status dated far ahead is quarantined; the next true one counts."""
    rec = make_recorder()
    ahead = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    now = datetime.now(UTC).isoformat()
    field.send(topics.unit_status("v2"), {"status": "unavailable", "ts": ahead})
    field.send(topics.unit_status("v2"), {"status": "available", "ts": now})
    field.send(topics.unit_position("v2"), {"location": DIJON, "observationDateTime": ahead}, qos=1)
    field.send(topics.unit_position("v2"), {"location": DIJON, "observationDateTime": now}, qos=1)
    wait_until(lambda: count(db, QuarantineRow) == 2, what="two quarantined")
    assert rec.wait_idle(10)
    with db.read() as s:
        unit = s.get(UnitRow, "v2")
        assert unit.status == "available" and unit.lat == pytest.approx(47.3220)
        assert all("future" in r for r in s.execute(select(QuarantineRow.reason)).scalars())


def test_a_unit_pinned_before_the_fix_moves_again(db):
    """A row dated 9999 by an earlier version is replaced by the next true position."""
    now = datetime.now(UTC)
    with db.write() as s:
        s.add(
            UnitRow(
                id="v3",
                kind="police",
                status="available",
                lat=46.0,
                lon=3.0,
                observed_at=datetime(9999, 12, 31, tzinfo=UTC),
            )
        )
    from services.bus.messages import Place, PositionMessage

    fresh = PositionMessage("v3", Place(47.32, 5.04, "21231"), now, None, ("police",), None, None)
    with db.write() as s:
        units.record_positions(s, [fresh], now - timedelta(days=60), now + timedelta(minutes=5))
    with db.read() as s:
        assert s.get(UnitRow, "v3").lat == pytest.approx(47.32)


def test_retention_purges_points_dated_in_the_future(db):
    now = datetime.now(UTC)
    with db.write() as s:
        for at in (now - timedelta(hours=1), datetime(9999, 12, 31, tzinfo=UTC)):
            s.add(UnitPositionRow(unit_id="v4", observed_at=at, lat=47.3, lon=5.0))
    with db.write() as s:
        purged = retention.purge(s, now, Retention())
    assert purged["positions"] == 1
    with db.read() as s:
        left = s.execute(select(UnitPositionRow.observed_at)).scalars().all()
    assert [at.year for at in left] == [now.year]


def test_a_report_that_cannot_be_stored_keeps_no_personal_data_in_the_quarantine(
    db, make_recorder, field, topics, monkeypatch
):
    """Item 6: what explains a failure names the field, never the reporter's details."""
    rec = make_recorder()
    # A database refusal of one report (as PostgreSQL refused a NUL before the decoder
    # cleaned it): the incident rules fail for this report alone.
    from services.recorder import incident_rules

    real = incident_rules.record_report

    def refuse_one(session, message, now):
        if message.service_request_id == "r-secret":
            # SQLAlchemy's error text lists the statement's parameters, personal data included
            raise DataError(
                "INSERT INTO personal_data ...",
                message.personal,
                ValueError("PostgreSQL text fields cannot contain NUL (0x00) bytes"),
            )
        return real(session, message, now)

    monkeypatch.setattr(incident_rules, "record_report", refuse_one)
    personal = {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille@example.org",
        "phone": "+33612345678",
    }
    field.send(topics.reports, report(0, service_request_id="r-secret", **personal))
    field.send(topics.reports, report(1))
    wait_until(lambda: count(db, QuarantineRow) == 1, what="one quarantined")
    assert rec.wait_idle(10)
    assert count(db, IncidentRow) == 1
    with db.read() as s:
        row = s.execute(select(QuarantineRow)).scalar_one()
    kept = row.reason + row.payload.decode()
    assert row.entity_id == "r-secret"
    for value in personal.values():
        assert value not in kept
    assert "r-secret" in row.payload.decode()  # the rest of the report is kept whole


def test_a_nul_in_a_name_loses_no_report(db, make_recorder, field, topics):
    """Item 6: the NUL is removed (PostgreSQL refuses one in text); both backends agree."""
    rec = make_recorder()
    field.send(topics.reports, report(0, first_name="Cam\u0000ille", description="a\u0000b"))
    wait_until(lambda: count(db, IncidentRow) == 1, what="the report recorded")
    assert rec.wait_idle(10)
    with db.read() as s:
        incident = s.execute(select(IncidentRow)).scalar_one()
        assert s.execute(select(PersonalDataRow.first_name)).scalar_one() == "Camille"
    assert incident.description == "ab" and "nul_removed" in incident.flags
    assert count(db, QuarantineRow) == 0


def test_a_writer_that_cannot_go_on_says_so_and_stops(db, make_recorder, field, topics):
    """Item 1: never a process that looks alive and records nothing."""
    rec = make_recorder()
    told = []
    rec.notify = lambda key, **params: told.append((key, params))
    stopped = threading.Event()
    rec.on_failed = stopped.set

    def broken(pairs):
        raise RuntimeError("the pipe to the receiver is broken")

    rec.bus.ack_all = broken
    field.send(topics.reports, report(0))
    assert stopped.wait(20)
    assert rec.failed.is_set() and "RuntimeError" in rec.failure
    assert [key for key, _ in told if key == "recorder.writer_failed"] == ["recorder.writer_failed"]


def test_a_full_database_still_records_what_fits(tmp_path, broker, root, field, topics):
    """Item 7: a batch too large for the room left no longer blocks a small alert."""
    from services.recorder.writer import Recorder, RecorderOptions
    from services.store.database import Database
    from services.store.schema import upgrade

    db = Database(f"sqlite:///{tmp_path / 'full.db'}")
    upgrade(db)
    room = {"pages": None}

    @event.listens_for(db.engine, "connect")
    def _limit(dbapi_connection, _record):
        if room["pages"]:
            dbapi_connection.execute(f"PRAGMA max_page_count = {room['pages']}")

    with db.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    room["pages"] = pages + 40
    db.engine.dispose()
    rec = Recorder(db, broker.url, root, f"{root}-full", options=RecorderOptions(max_batch=5000))
    told = []
    rec.notify = lambda key, **params: told.append(key)
    rec.start()
    try:
        assert rec.bus.wait_connected(10)
        padding = "x" * 2000
        for i in range(1500):
            field.client.publish(
                topics.state("Streetlight", f"sl:{i}"),
                json.dumps(light(note=padding)),
                qos=0,
            )
        field.send(
            topics.alerts,
            {
                "id": "fire-1",
                "category": "security",
                "dateIssued": datetime.now(UTC).isoformat(),
                "address": "rue",
            },
        )
        wait_until(lambda: count(db, IncidentRow) == 1, timeout=60, what="the alert recorded")
        assert "recorder.database_full" in told
        assert count(db, EquipmentRow) < 1500  # the states wait for room
        room["pages"] = None  # space is freed
        db.engine.dispose()
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA max_page_count = 1073741823")
        db.engine.dispose()
        wait_until(lambda: count(db, EquipmentRow) == 1500, timeout=60, what="every state")
        assert not rec.failed.is_set()
    finally:
        rec.stop()
        db.dispose()


@pytest.mark.parametrize(
    ("code", "name", "category"),
    [
        ("eclairage", "anything", "lighting_fault"),  # the city's own code decides
        ("234", "Aceras", "road_damage"),  # the published Open311 example: sidewalks
        ("SL-1", "Streetlight out", "lighting_fault"),
        ("x", "Dépôt sauvage d'ordures", "cleanliness"),
        ("x", "Nuisance sonore la nuit", "noise"),
        ("x", "Plaque de verglas", "snow_ice"),
        ("unknown-code", "Something else", "unknown-code"),
        ("unknown-code", None, "unknown-code"),
    ],
)
def test_a_report_category_comes_from_its_service_name_when_the_code_is_unknown(
    code, name, category
):
    from services.reference import report_category

    assert report_category(code, name) == category


def test_the_published_open311_example_becomes_road_damage(db, make_recorder, field, topics):
    make_recorder()
    field.send(topics.reports, report(0, service_code=234, service_name="Aceras"))
    wait_until(lambda: count(db, IncidentRow) == 1, what="the report recorded")
    with db.read() as s:
        assert s.execute(select(IncidentRow.category)).scalar_one() == "road_damage"


def test_errors_never_show_a_password():
    """Item 6: a wrong broker URL, an unreachable database: said without the password."""
    from services.bus.connection import parse_broker_url
    from services.domain.errors import VigieError
    from services.store.database import Database

    with pytest.raises(VigieError) as bad_broker:
        parse_broker_url("http://vigie:s3cr3t-pw@broker.example")
    with pytest.raises(VigieError) as no_database:
        with Database("postgresql+psycopg://vigie:s3cr3t-pw@127.0.0.1:1/vigie").read() as s:
            s.execute(select(UnitRow)).all()
    for error in (bad_broker.value, no_database.value):
        assert "s3cr3t-pw" not in repr(error.params) and "***" in error.params["url"]
