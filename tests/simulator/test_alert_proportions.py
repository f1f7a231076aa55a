"""A real room's proportions: on a mild evening, P1 is rare, and only a fire, an intrusion or a
person at risk. Driven on a fake clock: a simulated evening takes a fraction of a second."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.bus.topics import Topics
from services.domain.incidents import Priority, alert_category, alert_priority
from services.simulator import SimulatorOptions, build_world
from services.simulator.citizens import BUILDING_ALARMS, FIELD_ALERTS
from services.simulator.engine import FieldEngine
from services.simulator.options import MIXES
from services.simulator.outputs import Message

#: Thursday 15 January 2026, 17:00 to 23:00 in Paris: a winter evening, roads freezing.
EVENING_START = datetime(2026, 1, 15, 16, 0, tzinfo=UTC).timestamp()
EVENING_HOURS = 6
#: One simulated hour every six wall seconds, in steps of 150 simulated seconds (the weather
#: is drawn every 300): the stream is the one real time would give, only sooner.
SPEED = 600.0
STEP_S = 0.25
#: What may be P1: (incident category, alert sub-category or None for any).
P1_CAUSES = {("fire", None), ("security", "suspiciousAction"), ("health", None)}


def evening_alerts(seed: int, scale: str = "dijon", **options) -> list[dict]:
    opts = SimulatorOptions(scale=scale, seed=seed, speed=SPEED, run_id="T").with_mix(
        "mild", **options
    )
    engine = FieldEngine(build_world(opts.seed, scale), Topics("v"), opts, EVENING_START)
    end = EVENING_START + EVENING_HOURS * 3600 / SPEED
    alerts, now = [], EVENING_START
    while now < end:
        now = min(end, now + STEP_S)
        alerts += [
            o.payload
            for o in engine.advance(now)
            if isinstance(o, Message) and o.topic == "v/alerts"
        ]
    return alerts


def priority(alert: dict) -> Priority:
    return alert_priority(alert["category"], alert.get("subCategory"), alert["severity"])


def room_category(alert: dict) -> str:
    return alert_category(alert["category"], alert.get("subCategory"))


def is_a_p1_cause(alert: dict) -> bool:
    category = room_category(alert)
    return (category, None) in P1_CAUSES or (category, alert.get("subCategory")) in P1_CAUSES


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_mild_evening_has_at_most_two_p1_each_a_fire_an_intrusion_or_a_person(seed):
    alerts = evening_alerts(seed)
    assert len(alerts) >= 20  # an evening's traffic, street and road-weather alerts
    assert any(a.get("subCategory") in ("ice", "snow") for a in alerts)  # roads froze
    p1 = [a for a in alerts if priority(a) is Priority.P1]
    assert len(p1) <= 2, [a["description"] for a in p1]
    assert all(is_a_p1_cause(a) for a in p1)


def test_the_catalogues_expect_well_under_one_p1_an_evening():
    defaults, mild = SimulatorOptions(), MIXES["mild"]
    alarms_per_day = mild.get("alarms_per_day", defaults.alarms_per_day)
    alerts_per_day = mild.get("alerts_per_day", defaults.alerts_per_day)

    def p1_share(entries: list[tuple[str, str | None, str, int]]) -> float:
        total = sum(weight for *_, weight in entries)
        urgent = sum(
            weight
            for category, sub, severity, weight in entries
            if alert_priority(category, sub, severity) is Priority.P1
        )
        return urgent / total

    field = [(c, sub, sev, w) for c, sub, sev, _, w in FIELD_ALERTS]
    alarms = [("security", sub, sev, w) for sub, sev, _, w in BUILDING_ALARMS]
    per_day = alerts_per_day * p1_share(field) + alarms_per_day * p1_share(alarms)
    assert per_day * EVENING_HOURS / 24 <= 0.5


def test_a_building_alarm_describes_a_building_alarm():
    alerts = evening_alerts(4, scale="small", alerts_per_day=2_000.0, alarms_per_day=2_000.0)
    world = build_world(4, "small")
    buildings = {b.id for b in world.buildings}
    alarms = [
        a for a in alerts if alert_category(a["category"], a.get("subCategory")) == "security"
    ]
    crowds = [a for a in alerts if a.get("subCategory") == "civilDisorder"]
    assert len(alarms) > 50 and crowds
    for alarm in alarms:  # the console calls these "building alarm"
        assert alarm["alertSource"] in buildings and alarm["description"].startswith("Alarme")
    assert {room_category(a) for a in crowds} == {"public_order"}
