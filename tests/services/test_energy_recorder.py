"""The recorder keeps the cabinets' meter readings with their states, and hears presence sensors.

Against a real broker and real databases (SQLite, and PostgreSQL when VIGIE_TEST_PG_URL is set).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from services.bus.codec import Decoder
from services.bus.messages import Rejection, StateMessage
from services.bus.topics import Topics
from services.domain.equipment import EquipmentType
from services.recorder.energy import readings_of
from services.reference import communes
from services.store.models import (
    EnergyNightRow,
    EnergyReadingRow,
    EquipmentRow,
    QuarantineRow,
)
from tests.services.test_recorder import count, wait_until

CABINET = "cabinet:21231-007"
SENSOR = "device:presence-21231-001"
DIJON_POINT = {"type": "Point", "coordinates": [5.0415, 47.3220]}
T = Topics("vigie")


def cabinet(kwh, at: datetime, **extra):
    return {
        "id": CABINET,
        "type": "StreetlightControlCabinet",
        "refCommune": "21231",
        "location": DIJON_POINT,
        "energyConsumed": kwh,
        "dateMeteringStarted": "2026-01-01T00:00:00Z",
        "ratedPower": 5400,
        "observationDateTime": at.isoformat().replace("+00:00", "Z"),
        **extra,
    }


def presence(value, at: datetime, **extra):
    return {
        "id": SENSOR,
        "type": "Device",
        "controlledProperty": ["occupancy"],
        "value": value,
        "controlledAsset": ["streetlightgroup:21231-01"],
        "refCommune": "21231",
        "location": DIJON_POINT,
        "dateLastValueReported": at.isoformat().replace("+00:00", "Z"),
        **extra,
    }


def test_a_cabinets_meter_readings_are_recorded_with_its_states_once_each(
    db, make_recorder, field, topics
):
    rec = make_recorder()
    evening = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    times = [evening + timedelta(hours=h) for h in range(4)]
    topic = topics.state("StreetlightControlCabinet", CABINET)
    for n, at in enumerate(times[:3]):
        field.send(topic, cabinet(1000.0 + 4 * n, at), qos=0, retain=True)
    wait_until(lambda: count(db, EnergyReadingRow) == 3, what="three readings")
    # Heard again (a redelivery, the retained state at a restart): nothing more.
    field.send(topic, cabinet(1008.0, times[2]), qos=0, retain=True)
    rec.stop()
    make_recorder("recorder-again")  # a restart: the broker sends the retained state again
    field.send(topic, cabinet(1009.5, times[3]), qos=0, retain=True)
    wait_until(lambda: count(db, EnergyReadingRow) == 4, what="the fourth reading")
    with db.read() as s:
        readings = s.scalars(select(EnergyReadingRow).order_by(EnergyReadingRow.observed_at)).all()
        nights = s.scalars(select(EnergyNightRow)).all()
        state = s.get(EquipmentRow, CABINET)
    assert [r.delta_kwh for r in readings] == pytest.approx([0.0, 4.0, 4.0, 1.5])
    assert [r.observed_at for r in readings] == times
    assert {r.commune for r in readings} == {"21231"}
    assert sum(n.kwh for n in nights) == pytest.approx(9.5)
    assert sum(n.readings for n in nights) == 4
    assert sum(n.baseline_kwh for n in nights) == pytest.approx(
        sum(r.baseline_kwh for r in readings)
    )
    assert state.attributes["energyConsumed"] == 1009.5
    assert count(db, QuarantineRow) == 0


def test_a_presence_sensors_state_is_recorded_dated_by_its_value(db, make_recorder, field, topics):
    rec = make_recorder()
    at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=3)
    field.send(topics.state("Device", SENSOR), presence(1, at), qos=0, retain=True)
    wait_until(lambda: count(db, EquipmentRow) == 1, what="the sensor")
    field.send(topics.state("Device", SENSOR), presence("0", at + timedelta(minutes=1)), qos=0)
    assert rec.wait_idle(10)
    with db.read() as s:
        row = s.get(EquipmentRow, SENSOR)
    assert row.type == "Device" and row.commune == "21231"
    assert row.observed_at == at + timedelta(minutes=1)
    assert row.attributes["value"] == "0" and row.attributes["controlledProperty"] == ["occupancy"]
    assert count(db, QuarantineRow) == 0
    assert count(db, EnergyReadingRow) == 0


NOW = datetime(2026, 12, 1, 20, tzinfo=UTC)


def _decode(type_: str, body: dict, *, plain: bool = True):
    decoder = Decoder(T, communes(), plain_states=plain)
    return decoder.decode(T.state(type_, body.get("id", "x")), json.dumps(body).encode(), NOW)


@pytest.mark.parametrize("plain", [True, False])
def test_a_device_takes_one_or_many_and_its_values_time(plain):
    at = NOW - timedelta(minutes=2)
    one = _decode(
        "Device",
        presence(1, at, controlledProperty="occupancy", controlledAsset="streetlightgroup:g"),
        plain=plain,
    )
    assert isinstance(one, StateMessage) and one.type is EquipmentType.DEVICE
    assert one.observed_at == at
    # Its value is kept as sent: a number here, text in Smart Data Models' own example.
    text = _decode("Device", presence("l%3D0.22%3Bt%3D21.2", at, dateModified="2026-12-01T00:00Z"))
    assert text.attributes["value"] == "l%3D0.22%3Bt%3D21.2" and text.observed_at == at
    # dateLastValueReported dates a Device only; it must be a time there.
    bad = _decode("Device", presence(1, at, dateLastValueReported="yesterday"), plain=plain)
    assert isinstance(bad, Rejection) and "dateLastValueReported" in bad.reason
    light = _decode(
        "Streetlight",
        {"location": DIJON_POINT, "dateLastValueReported": "never", "dateModified": at.isoformat()},
        plain=plain,
    )
    assert isinstance(light, StateMessage) and light.observed_at == at


@pytest.mark.parametrize("plain", [True, False])
def test_a_cabinets_state_is_a_reading_only_when_it_can_be_one(plain):
    at = NOW - timedelta(minutes=5)

    def readings(body):
        message = _decode("StreetlightControlCabinet", body, plain=plain)
        assert isinstance(message, StateMessage), message
        return readings_of([(message, False)], NOW)

    (good,) = readings(cabinet("1200.5", at))  # a numeric string is read as a number
    assert (good.energy_kwh, good.rated_power_w, good.observed_at) == (1200.5, 5400, at)
    assert good.metering_started == datetime(2026, 1, 1, tzinfo=UTC)
    assert good.commune == "21231"
    (undated,) = readings({k: v for k, v in cabinet(5, at).items() if k != "observationDateTime"})
    assert undated.observed_at == NOW  # the time it was received
    (odd_start,) = readings(cabinet(5, at, dateMeteringStarted="not a time"))
    assert odd_start.metering_started is None
    assert readings(cabinet(-3, at)) == []
    assert readings({k: v for k, v in cabinet(5, at).items() if k != "location"}) == []
    assert readings({k: v for k, v in cabinet(5, at).items() if k != "energyConsumed"}) == []
    # Smart Data Models' example cabinet, near Madrid: not one of the city's.
    far = {**cabinet(5, at), "location": {"type": "Point", "coordinates": [-3.16, 40.63]}}
    assert readings({k: v for k, v in far.items() if k != "refCommune"}) == []
    bad = _decode("StreetlightControlCabinet", cabinet(5, at, ratedPower=True), plain=plain)
    assert isinstance(bad, Rejection) and "ratedPower" in bad.reason
