"""Equipment states into the record, two writers at once (``services.recorder.equipment``)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from services.bus.codec import Decoder
from services.bus.topics import Topics
from services.recorder import equipment
from services.reference import communes
from services.store.models import EquipmentChangeRow, EquipmentRow
from tests.services.test_recorder import count, wait_until

DEVICES = 200


def _states(power: str) -> list:
    decoder, now = Decoder(Topics("eq"), communes()), datetime.now(UTC)
    payload = json.dumps({"status": "ok", "powerState": power}).encode()
    return [
        (decoder.decode(f"eq/state/Streetlight/sl:n{i}", payload, now), True)
        for i in range(DEVICES)
    ]


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_new_devices_recorded_by_two_writers_at_once(db):
    """Both find the devices new and copy them in; the second, refused, upserts instead."""
    failures: list[BaseException] = []

    def second_writer() -> None:
        try:
            with db.write() as session:
                equipment.record_states(session, _states("off"), datetime.now(UTC))
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            failures.append(exc)

    second = threading.Thread(target=second_writer)
    with db.write() as first:
        equipment.record_states(first, _states("on"), datetime.now(UTC))
        second.start()

        def second_waits_for_the_first() -> bool:
            with db.read() as s:
                waiting = (
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE wait_event_type = 'Lock' AND query LIKE 'COPY equipment %'"
                )
                return s.execute(text(waiting)).scalar_one() > 0

        wait_until(second_waits_for_the_first, what="the second writer to wait on the first")
    second.join(timeout=30)
    assert not second.is_alive() and failures == []
    assert count(db, EquipmentRow) == DEVICES
    with db.read() as s:
        powers = {row.attributes["powerState"] for row in s.query(EquipmentRow)}
    assert powers == {"off"}  # the second writer's states, written over the first's


def test_times_are_recorded_as_said(db):
    """The hot path writes times as text of its own (COPY on PostgreSQL): they read back equal."""
    decoder = Decoder(Topics("eq"), communes())
    now = datetime(2026, 11, 26, 5, 30, 0, 123456, tzinfo=UTC)
    said = {"status": "fault", "observationDateTime": "2026-11-26T06:29:58.5+01:00"}
    state = decoder.decode("eq/state/Streetlight/sl:t", json.dumps(said).encode(), now)
    with db.write() as session:
        equipment.record_states(session, [(state, True)], now)
    with db.read() as session:
        row = session.get(EquipmentRow, "sl:t")
        assert row.observed_at == datetime(2026, 11, 26, 5, 29, 58, 500000, tzinfo=UTC)
        assert row.received_at == row.updated_at == row.fault_since == now


def _batch(devices, power: str, status: str = "ok") -> list:
    decoder, now = Decoder(Topics("eq"), communes()), datetime.now(UTC)
    payload = json.dumps({"status": status, "powerState": power}).encode()
    return [(decoder.decode(f"eq/state/Streetlight/sl:c{i}", payload, now), True) for i in devices]


def test_a_cold_start_inserts_unread_and_a_known_device_goes_the_usual_way(db, monkeypatch):
    """After a batch of new devices only, the next is inserted without reading the record; a
    device found there after all sends its batch the usual way: its change in the history,
    its fault's start kept."""
    reads = []
    read = equipment._read

    def counted(*args, **kwargs):  # the plain reads (PostgreSQL locks the rows it changes)
        if not kwargs["lock"]:
            reads.append(args)
        return read(*args, **kwargs)

    monkeypatch.setattr(equipment, "_read", counted)
    new_devices, now = equipment.NewDevices(), datetime.now(UTC)
    with db.write() as session:
        equipment.record_states(session, _batch(range(100), "on", "fault"), now, new_devices)
    assert new_devices.expected and len(reads) == 1
    with db.write() as session:
        equipment.record_states(session, _batch(range(100, 200), "on"), now, new_devices)
    assert new_devices.expected and len(reads) == 1  # inserted unread
    with db.write() as session:  # a new device heard twice: its change reaches the history
        twice = _batch([300], "on") + _batch([300], "off")
        equipment.record_states(session, twice, now, new_devices)
    assert new_devices.expected and len(reads) == 1
    later = now + timedelta(seconds=5)
    with db.write() as session:  # a new device, and the first one switched off
        equipment.record_states(session, _batch([200, 0], "off", "fault"), later, new_devices)
    assert not new_devices.expected and len(reads) == 2
    assert count(db, EquipmentRow) == 202
    with db.read() as session:
        first = session.get(EquipmentRow, "sl:c0")
        assert first.attributes["powerState"] == "off"
        assert first.fault_since == now  # in fault since the first batch, not since later
        changes = session.query(EquipmentChangeRow).filter_by(equipment_id="sl:c0").all()
        assert [(c.field, c.old, c.new) for c in changes] == [("powerState", "on", "off")]
        changes = session.query(EquipmentChangeRow).filter_by(equipment_id="sl:c300").all()
        assert [(c.field, c.old, c.new) for c in changes] == [("powerState", "on", "off")]
        assert session.query(EquipmentChangeRow).count() == 2


def test_a_recorder_starting_on_an_empty_record_inserts_its_first_batch_unread(db):
    from services.recorder.writer import Recorder, RecorderOptions
    from services.store.database import Database

    class Bus:  # the writer process's pipe, without a receiver (``worker.PipeBus``)
        connections, connected = 0, False

        def start(self) -> None:
            pass

        def stop(self) -> None:
            pass

        def publish(self, *args, **kwargs) -> None:
            pass

    def started() -> Recorder:
        options = RecorderOptions(second_lane=True)  # no outbox, no sweep: the record alone
        recorder = Recorder(db, "mqtt://127.0.0.1:1", "eq", "rec-empty", options=options, bus=Bus())
        recorder.start(check_schema=False)
        recorder.stop()
        return recorder

    assert started()._new_devices.expected  # a first start: nothing to read
    away = Recorder(
        Database("postgresql+psycopg://127.0.0.1:1/nowhere"),
        "mqtt://127.0.0.1:1",
        "eq",
        "rec-away",
        options=RecorderOptions(second_lane=True),
        bus=Bus(),
    )
    assert not away._record_empty()  # the database away: the usual way, no failure
    with db.write() as session:
        equipment.record_states(session, _batch([1], "on"), datetime.now(UTC))
    assert not started()._new_devices.expected


def no_room(table: str) -> tuple[str, str]:
    """A disk that fills up, as PostgreSQL says it, at every row written to ``table``."""
    return (
        "CREATE FUNCTION no_room() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " RAISE EXCEPTION 'could not extend file: No space left on device'"
        " USING ERRCODE = 'disk_full'; END $$",
        f"CREATE TRIGGER no_room BEFORE INSERT OR UPDATE ON {table}"
        " FOR EACH ROW EXECUTE FUNCTION no_room()",
    )


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("path", ["new_devices", "all_new", "known"])
def test_a_full_disk_during_a_copy_is_said_as_a_full_database(db, path):
    """psycopg's own errors from the COPY paths reach the recorder as DatabaseFull, which holds
    the batch (``Recorder._write_what_fits``), not as a bad message to split the batch for."""
    from services.store.database import DatabaseFull

    now = datetime.now(UTC)
    if path == "known":  # rows read, changed: the scratch table and INSERT … SELECT
        with db.write() as session:
            equipment.record_states(session, _batch(range(10), "on"), now)
    with db.write() as session:
        for statement in no_room("equipment"):
            session.execute(text(statement))
    new_devices = equipment.NewDevices(expected=path == "new_devices")
    with pytest.raises(DatabaseFull):
        with db.write() as session:
            equipment.record_states(session, _batch(range(10), "off"), now, new_devices)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_server_lost_during_a_copy_is_said_as_an_unreachable_database(db):
    from services.store.database import DatabaseUnreachable

    now = datetime.now(UTC)
    with pytest.raises(DatabaseUnreachable):
        with db.write() as session:
            backend = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with db.engine.connect() as other:  # the server ends this session's backend
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
            new_devices = equipment.NewDevices(expected=True)
            equipment.record_states(session, _batch(range(10), "on"), now, new_devices)
    with db.write() as session:  # a fresh connection: the lost one was not given out again
        equipment.record_states(session, _batch(range(10), "on"), now)
    assert count(db, EquipmentRow) == 10
