"""A retained set sent again changes nothing; a state's flags are kept (``recorder.equipment``).

MQTT sends every retained message again at each subscription: after a broker restart the
recorder takes in the whole field once more. A state equal to its device's row must add no
history, write no row (not even a lock on PostgreSQL, which is a write), and keep its times.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from services.bus.codec import Decoder
from services.bus.topics import Topics
from services.domain.equipment import EquipmentType
from services.recorder import equipment
from services.reference import communes
from services.simulator import payloads
from services.simulator.generation import build_world
from services.store.models import EquipmentChangeRow, EquipmentRow

T0 = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


def _field() -> list[tuple[str, bytes]]:
    """The small simulated city's street lights, as the simulator publishes them."""
    world = build_world(seed=3, scale="small")
    topics = Topics("rs")
    return [
        (topics.state(e.type.value, e.id), json.dumps(payloads.state(e, T0.timestamp())).encode())
        for e in world.by_type[EquipmentType.STREETLIGHT]
    ]


def _decode(raw: list[tuple[str, bytes]], now: datetime, retained: bool = True) -> list:
    decoder = Decoder(Topics("rs"), communes())
    return [(decoder.decode(topic, payload, now), retained) for topic, payload in raw]


def _record(db, states: list, now: datetime) -> int:  # noqa: ANN001
    with db.write() as session:
        return equipment.record_states(session, states, now)


_TIMES = (EquipmentRow.updated_at, EquipmentRow.received_at)


def _rows(db) -> dict[str, tuple]:  # noqa: ANN001
    with db.read() as s:
        return {
            r.id: (r.updated_at, r.received_at, r.attributes)
            for r in s.execute(select(EquipmentRow.id, *_TIMES, EquipmentRow.attributes))
        }


def _history(db) -> int:  # noqa: ANN001
    with db.read() as s:
        return s.execute(select(func.count()).select_from(EquipmentChangeRow)).scalar_one()


def _locked_or_updated(db) -> int:  # noqa: ANN001
    """PostgreSQL: rows whose header a transaction wrote (an update or a lock) since insert."""
    with db.read() as s:
        return s.execute(text("SELECT count(*) FROM equipment WHERE xmax::text <> '0'")).scalar()


def test_the_retained_set_sent_again_writes_nothing(db):
    raw = _field()
    assert _record(db, _decode(raw, T0), T0) == len(raw) > 100
    before, history = _rows(db), _history(db)

    later = T0 + timedelta(hours=1)  # a broker restart: every retained state comes again
    assert _record(db, _decode(raw, later), later) == 0
    assert _rows(db) == before  # neither updated nor "received": they said nothing new
    assert _history(db) == history == 0
    if db.dialect == "postgresql":
        assert _locked_or_updated(db) == 0  # not even locked: a lock writes every row


def test_a_state_said_again_live_is_only_alive(db):
    """Not retained, the same state is the device speaking again: its reception time moves."""
    raw = _field()[:20]
    _record(db, _decode(raw, T0), T0)
    before = _rows(db)
    later = T0 + timedelta(minutes=5)
    assert _record(db, _decode(raw, later, retained=False), later) == 0
    after = _rows(db)
    assert {i: (u, a) for i, (u, _r, a) in after.items()} == {
        i: (u, a) for i, (u, _r, a) in before.items()
    }
    assert {r for _u, r, _a in after.values()} == {later}
    assert _history(db) == 0


def test_one_changed_state_among_the_resent_is_the_one_written(db):
    raw = _field()
    _record(db, _decode(raw, T0), T0)
    topic, payload = raw[7]
    was = json.loads(payload)
    now_said = "off" if was["powerState"] == "on" else "on"
    changed = {**was, "powerState": now_said}
    raw[7] = (topic, json.dumps(changed).encode())
    later = T0 + timedelta(hours=1)
    assert _record(db, _decode(raw, later), later) == 1
    with db.read() as s:
        (change,) = s.execute(select(EquipmentChangeRow)).scalars()
        updated = s.execute(
            select(EquipmentRow.id).where(EquipmentRow.updated_at == later)
        ).scalars()
        assert list(updated) == [change.equipment_id]
    assert (change.field, change.old, change.new) == ("powerState", was["powerState"], now_said)


@pytest.mark.parametrize("known", [False, True], ids=["inserted", "updated"])
def test_a_states_flags_are_recorded(db, known):
    """On insert (PostgreSQL's COPY into the table) and on update (its upsert), both backends."""
    decoder = Decoder(Topics("rs"), communes())
    topic = "rs/state/Streetlight/sl:flags"
    said = {"id": "sl:other", "type": "Streetlight", "status": "ok", "powerState": "on"}
    if known:
        plain = {**said, "id": "sl:flags"}
        _record(db, [(decoder.decode(topic, json.dumps(plain).encode(), T0), True)], T0)
    state = decoder.decode(topic, json.dumps(said).encode(), T0)
    assert state.flags == ("id_differs_from_topic",)
    other = dataclasses.replace(state, id="sl:plain", flags=())
    assert _record(db, [(state, True), (other, True)], T0) == 2
    with db.read() as s:
        assert s.get(EquipmentRow, "sl:flags").flags == ["id_differs_from_topic"]
        assert s.get(EquipmentRow, "sl:plain").flags is None  # none: no empty list

    # The same state without the flag is a change of the row (not of its history).
    cleared = dataclasses.replace(state, flags=())
    later = T0 + timedelta(minutes=1)
    assert _record(db, [(cleared, True)], later) == 1
    with db.read() as s:
        assert s.get(EquipmentRow, "sl:flags").flags is None
