"""Two writers on overlapping rows never deadlock: rows are locked in one order, the key's.

The recorder's two lanes, or two recorders on one database, may write the same devices in one
transaction each, in the order their messages came. PostgreSQL locks a row as each statement
reaches it; two transactions reaching two rows in opposite orders wait for each other until the
deadlock detector kills one (a cold start's batch of 5,000 then retried). SQLite serialises
writers, so these run on PostgreSQL only.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.bus.codec import Decoder
from services.bus.messages import GatewayMessage
from services.bus.topics import Topics
from services.recorder import equipment
from services.reference import communes
from services.store.database import Database
from services.store.models import EquipmentRow, GatewayRow

DEVICES = 3000
ROUNDS = 4  # opposite orders met in the middle in each round before the fix; one is enough


def count(db: Database, model: type) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def _states(ids: list[int], power: str) -> list:
    decoder, now = Decoder(Topics("lk"), communes()), datetime.now(UTC)
    payload = json.dumps({"status": "ok", "powerState": power}).encode()
    return [(decoder.decode(f"lk/state/Streetlight/sl:{i}", payload, now), False) for i in ids]


def _at_once(db: Database, first: Callable[[Session], None], second: Callable[[Session], None]):
    """Run both writes in two transactions started together; the errors they raised."""
    failures: list[BaseException] = []
    ready = threading.Barrier(2)

    def writer(work: Callable[[Session], None]) -> None:
        try:
            with db.write() as session:
                session.connection()  # the transaction is open: both start writing together
                ready.wait(timeout=30)
                work(session)
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return failures


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_new_devices_in_opposite_orders(db):
    """A cold start: both find the devices new; neither waits for the other in a circle."""
    forward, backward = list(range(DEVICES)), list(reversed(range(DEVICES)))
    for _ in range(ROUNDS):
        with db.write() as session:
            session.query(EquipmentRow).delete()
        failures = _at_once(
            db,
            lambda s: equipment.record_states(s, _states(forward, "on"), datetime.now(UTC)),
            lambda s: equipment.record_states(s, _states(backward, "off"), datetime.now(UTC)),
        )
        assert failures == []
        assert count(db, EquipmentRow) == DEVICES


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_known_devices_changed_in_opposite_orders(db):
    """Both change devices the database knows, reaching them in opposite orders."""
    half = list(range(0, DEVICES, 2))  # a small batch may be read by index, a large one not
    with db.write() as session:
        equipment.record_states(session, _states(list(range(DEVICES)), "on"), datetime.now(UTC))
    for n in range(ROUNDS):
        power = ("off", "on")[n % 2]
        failures = _at_once(
            db,
            lambda s, p=power: equipment.record_states(
                s, _states(list(range(DEVICES)), p), datetime.now(UTC)
            ),
            lambda s, p=power: equipment.record_states(
                s, _states(list(reversed(half)), p), datetime.now(UTC)
            ),
        )
        assert failures == []


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_gateways_in_opposite_orders(db):
    """``upsert`` takes its rows in key order, whatever order they were given in."""
    names = [f"cab:{i}" for i in range(DEVICES)]
    for _ in range(ROUNDS):
        with db.write() as session:
            session.query(GatewayRow).delete()
        failures = _at_once(
            db,
            lambda s: equipment.record_gateways(
                s, [GatewayMessage(g, True, None) for g in names], datetime.now(UTC)
            ),
            lambda s: equipment.record_gateways(
                s, [GatewayMessage(g, False, None) for g in reversed(names)], datetime.now(UTC)
            ),
        )
        assert failures == []
        assert count(db, GatewayRow) == DEVICES
