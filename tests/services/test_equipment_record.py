"""Equipment states into the record, two writers at once (``services.recorder.equipment``)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from services.bus.codec import Decoder
from services.bus.topics import Topics
from services.recorder import equipment
from services.reference import communes
from services.store.models import EquipmentRow
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
