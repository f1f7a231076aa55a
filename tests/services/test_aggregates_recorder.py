"""The recorder keeps the open-data aggregates with the states and positions it records.

Against a real broker and real databases (SQLite, and PostgreSQL when VIGIE_TEST_PG_URL is set):
the field's messages, two recorders hearing them all, a restart replaying the retained states.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from services.store import mode_periods
from services.store.models import (
    BusPriorityDayRow,
    SaltReadingRow,
    SnowPassRow,
    TrafficFlowHourRow,
    UnitPositionRow,
)
from tests.services.test_recorder import count, wait_until

DIJON_POINT = {"type": "Point", "coordinates": [5.0415, 47.3220]}
STREET = [[5.00, 47.30], [5.01, 47.30]]  # (lon, lat): GeoJSON's order


def iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def network(tmp_path) -> str:
    path = tmp_path / "network.geojson"
    feature = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": STREET},
        "properties": {"id": "prin:rue-1", "network": "principal", "target_minutes": 90},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return str(path)


def test_the_recorder_keeps_the_aggregates_once_each_with_two_recorders_and_a_restart(
    db, make_recorder, field, topics, tmp_path
):
    now = datetime.now(UTC).replace(microsecond=0)
    episode = now - timedelta(hours=1)
    with db.write() as session:
        mode_periods.follow(session, "snow", "2", episode)
    path = network(tmp_path)
    first = make_recorder("one", snow_network=path)
    second = make_recorder("two", snow_network=path)  # a second recorder hears everything too
    hour = now.replace(minute=0, second=0) - timedelta(hours=1)
    flow_topic = topics.state("TrafficFlowObserved", "trafficflow:21231-001")
    signal_topic = topics.state("TrafficSignal", "trafficsignal:21231-001")
    depot_topic = topics.state("SaltStock", "saltstock:21231-01")
    common = {"location": DIJON_POINT, "refCommune": "21231"}
    for minutes, vehicles in ((10, 600), (20, 900)):
        field.send(
            flow_topic,
            {
                "id": "trafficflow:21231-001",
                "type": "TrafficFlowObserved",
                "intensity": vehicles,
                "dateObserved": iso(hour + timedelta(minutes=minutes)),
                **common,
            },
            qos=0,
            retain=True,
        )
    request = now - timedelta(minutes=3)
    for minutes in (-2, -1):  # its state every minute repeats the one request
        field.send(
            signal_topic,
            {
                "id": "trafficsignal:21231-001",
                "type": "TrafficSignal",
                "lastPriorityRequest": iso(request),
                "lastPriorityServed": True,
                "observationDateTime": iso(now + timedelta(minutes=minutes)),
                **common,
            },
            qos=0,
            retain=True,
        )
    field.send(
        depot_topic,
        {
            "id": "saltstock:21231-01",
            "type": "SaltStock",
            "saltTonnes": 120.0,
            "brineCubicMetres": 80.0,
            "observationDateTime": iso(now),
            **common,
        },
        qos=0,
        retain=True,
    )
    for minutes, down in ((-30, True), (-25, True), (-5, False)):
        field.send(
            topics.unit_position("vehicle:sn-01"),
            {
                "id": "vehicle:sn-01",
                "type": "Vehicle",
                "category": ["snowPlough"],
                "location": {"type": "Point", "coordinates": [5.005, 47.30]},
                "observationDateTime": iso(now + timedelta(minutes=minutes)),
                "plowDown": down,
            },
            qos=0,
        )
    wait_until(lambda: count(db, UnitPositionRow) == 3, what="the positions")
    wait_until(lambda: count(db, SaltReadingRow) == 1, what="the salt reading")
    wait_until(lambda: count(db, BusPriorityDayRow) == 1, what="the bus priority day")
    first.stop()
    again = make_recorder("one-again", snow_network=path)  # a restart: the retained states again
    wait_until(lambda: again.received >= 3, what="the retained states replayed")
    assert again.wait_idle(10) and second.wait_idle(10)
    with db.read() as session:
        (flow,) = session.execute(select(TrafficFlowHourRow)).scalars().all()
        (day,) = session.execute(select(BusPriorityDayRow)).scalars().all()
        (salt,) = session.execute(select(SaltReadingRow)).scalars().all()
        (passes,) = session.execute(select(SnowPassRow)).scalars().all()
    assert (flow.hour, flow.readings, flow.vehicles_sum) == (hour, 2, 1500.0)
    assert (day.requests, day.served, day.last_request_at) == (1, 1, request)
    assert (salt.salt_tonnes, salt.brine_m3, salt.commune) == (120.0, 80.0, "21231")
    assert (passes.episode_start, passes.segment_id, passes.target_s) == (
        episode, "prin:rue-1", 5400,
    )  # fmt: skip
    assert (passes.passes, passes.first_pass_at, passes.last_pass_at) == (
        1, now - timedelta(minutes=30), now - timedelta(minutes=25),
    )  # fmt: skip
    assert passes.longest_gap_s == 30 * 60
