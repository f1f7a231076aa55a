"""The simulated city: deterministic for a seed, covering every commune, at Dijon's real counts."""

from __future__ import annotations

import statistics
from collections import Counter

import pytest

from services.domain.commands import valid_identifier
from services.domain.equipment import EquipmentType
from services.domain.geography import distance_m
from services.domain.units import UnitKind
from services.reference import communes
from services.simulator import build_world
from services.simulator.generation import allocate

DIJON = "21231"


def fingerprint(world):
    return (
        [
            (e.id, e.lat, e.lon, e.gateway, e.commune, e.status, dict(e.attrs))
            for e in world.entities.values()
        ],
        [(u.id, u.lat, u.lon, u.kind, u.status) for u in world.units.values()],
        [(b.id, b.lat, b.lon) for b in world.buildings],
    )


def test_the_same_seed_gives_the_same_city_and_another_seed_another():
    assert fingerprint(build_world(3, "small")) == fingerprint(build_world(3, "small"))
    assert fingerprint(build_world(3, "small")) != fingerprint(build_world(4, "small"))


def test_a_small_world_covers_every_commune_and_every_kind():
    world = build_world(1, "small")
    insee = {c.insee for c in communes()}
    assert len(insee) == 23
    lights = world.by_type[EquipmentType.STREETLIGHT]
    assert {e.commune for e in lights} == insee
    cabinet_gateways = {g.commune for g in world.gateways.values() if g.kind == "cabinet"}
    assert cabinet_gateways == insee  # at least one gateway with lights in each commune
    for t in EquipmentType:
        if t is not EquipmentType.TRAFFIC_FLOW_OBSERVED:
            assert world.by_type[t], f"no {t.value}"
    signals = {e.commune for e in world.by_type[EquipmentType.TRAFFIC_SIGNAL]}
    assert DIJON in signals and len(signals) > 1
    assert len(world.by_type[EquipmentType.WEATHER_OBSERVED]) >= 2
    kinds = {u.kind for u in world.units.values()}
    assert kinds == {k for k in UnitKind if k is not UnitKind.OTHER}
    assert len(world.entities) + len(world.units) < 400  # a few hundred at most
    # Dijon has several cabinets: a group command there is answered by several gateways.
    assert sum(1 for g in world.gateways.values() if g.kind == "cabinet" and g.commune == DIJON) > 1


def test_dijon_scale_has_the_real_counts():
    world = build_world(1, "dijon")
    count = {t: len(v) for t, v in world.by_type.items()}
    assert count[EquipmentType.STREETLIGHT] == 34_000
    assert count[EquipmentType.TRAFFIC_SIGNAL] == 113
    assert count[EquipmentType.CAMERA] == 269
    assert count[EquipmentType.BOLLARD] == 26
    assert len(world.units) == 205
    assert sum(1 for u in world.units.values() if u.kind.is_snow_vehicle) == 46
    assert len(world.buildings) == 180
    # A gateway per cabinet, about a hundred lights behind each.
    per_cabinet = Counter(e.gateway for e in world.by_type[EquipmentType.STREETLIGHT])
    cabinets = world.by_type[EquipmentType.STREETLIGHT_CONTROL_CABINET]
    assert set(per_cabinet) == {c.gateway for c in cabinets}
    assert max(per_cabinet.values()) <= 100 and 85 <= statistics.mean(per_cabinet.values()) <= 100
    # Lights spread over the communes by population: Dijon has most of them, every commune some.
    by_commune = Counter(e.commune for e in world.by_type[EquipmentType.STREETLIGHT])
    assert len(by_commune) == 23 and by_commune.most_common(1)[0][0] == DIJON
    assert by_commune[DIJON] > 0.55 * 34_000


@pytest.mark.parametrize("scale", ["small", "dijon"])
def test_everything_is_placed_near_its_commune_and_named_validly(scale):
    world = build_world(2, scale)
    for entity in world.entities.values():
        commune = world.communes[entity.commune]
        assert distance_m(entity.lat, entity.lon, commune.lat, commune.lon) <= 1_500.5, entity.id
        assert valid_identifier(entity.id), entity.id
        if entity.type in (
            EquipmentType.STREETLIGHT,
            EquipmentType.TRAFFIC_SIGNAL,
            EquipmentType.CAMERA,
            EquipmentType.BOLLARD,
        ):
            assert entity.gateway in world.gateways
    for gateway in world.gateways.values():
        assert valid_identifier(gateway.id)
    for unit in world.units.values():
        assert valid_identifier(unit.id)


def test_allocate_keeps_the_total_and_the_floor():
    counts = allocate(100, {"a": 10, "b": 1, "c": 0}, floor=5)
    assert sum(counts.values()) == 100 and min(counts.values()) >= 5
    assert counts["a"] > counts["b"] >= counts["c"]


def test_a_light_draws_its_lanterns_power_at_its_level_only_when_on_and_working():
    from services.domain.equipment import EquipmentType
    from services.simulator.payloads import light_power_w, state
    from services.simulator.world import Entity

    light = Entity(
        id="streetlight:21231-00001",
        type=EquipmentType.STREETLIGHT,
        commune="21231",
        lat=47.32,
        lon=5.04,
        status="ok",
        attrs={"powerState": "on", "illuminanceLevel": 0.5, "lanternHeight": 10},
    )
    assert light_power_w(light) == 45.0
    assert state(light, 0.0)["powerConsumption"] == 45.0
    light.attrs["powerState"] = "off"
    assert light_power_w(light) == 0.0
    light.attrs["powerState"], light.status = "on", "defectiveLamp"
    assert light_power_w(light) == 0.0


def test_counting_loops_beside_intersections_publish_what_the_recorder_reads():
    import json
    from datetime import UTC, datetime

    from services.bus.codec import Decoder
    from services.bus.topics import Topics
    from services.simulator.payloads import state

    world = build_world(seed=1, scale="small")
    loops = world.by_type[EquipmentType.TRAFFIC_FLOW_OBSERVED]
    assert loops and all(loop.commune for loop in loops)
    loops[0].attrs["intensity"] = 640
    topics = Topics("vigie")
    decoded = Decoder(topics, communes()).decode(
        topics.state("TrafficFlowObserved", loops[0].id),
        json.dumps(state(loops[0], 0.0)).encode(),
        datetime.now(UTC),
    )
    assert decoded.attributes["intensity"] == 640
