"""Ten times Dijon: the x10 world's counts, the synthetic communes, and the decoder that finds them.

The world is generated and counted, never published here (340,000 retained states belong in
``vigie bench``, not in a unit test).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from services import reference
from services.bus.codec import Decoder
from services.bus.entity_fields import INSEE
from services.bus.messages import PositionMessage, StateMessage
from services.bus.topics import Topics
from services.domain.equipment import EquipmentType
from services.domain.geography import INSEE_CODE, SYNTHETIC_CODE, CommuneIndex, is_synthetic
from services.domain.units import UnitKind
from services.simulator import build_world, payloads
from services.simulator import synthetic as synthetic_module
from services.simulator.world import World

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def x10() -> World:
    return build_world(1, "x10")


def test_ten_times_dijon_has_ten_times_the_counts(x10):
    count = Counter(e.type for e in x10.entities.values())
    assert count[EquipmentType.STREETLIGHT] == 340_000
    assert count[EquipmentType.TRAFFIC_SIGNAL] == 1_130
    assert count[EquipmentType.CAMERA] == 2_690
    assert count[EquipmentType.BOLLARD] == 260
    assert count[EquipmentType.WEATHER_OBSERVED] == 80
    assert count[EquipmentType.SALT_STOCK] == 30
    assert len(x10.buildings) == 1_800
    kinds = Counter(u.kind for u in x10.units.values())
    assert len(x10.units) == 2_050
    assert kinds == {
        UnitKind.PATROL: 640,
        UnitKind.ROAD_CREW: 950,
        UnitKind.SNOW_PLOUGH: 200,
        UnitKind.SALT_SPREADER: 260,
    }
    assert len(x10.communes) == 230
    assert sum(1 for c in x10.communes if is_synthetic(c)) == 207


def test_every_light_is_behind_a_cabinet_and_every_commune_has_lights(x10):
    cabinets = {c.id: c.gateway for c in x10.by_type[EquipmentType.STREETLIGHT_CONTROL_CABINET]}
    groups = {g.id: g for g in x10.by_type[EquipmentType.STREETLIGHT_GROUP]}
    per_cabinet: Counter[str] = Counter()
    for light in x10.by_type[EquipmentType.STREETLIGHT]:
        group = groups[light.attrs["refStreetlightGroup"]]
        cabinet = group.attrs["refStreetlightCabinetController"]
        assert cabinets[cabinet] == light.gateway == group.gateway
        assert x10.gateways[light.gateway].kind == "cabinet"
        per_cabinet[cabinet] += 1
    assert max(per_cabinet.values()) <= 100
    by_commune = Counter(e.commune for e in x10.by_type[EquipmentType.STREETLIGHT])
    assert set(by_commune) == set(x10.communes) and min(by_commune.values()) >= 30
    # The synthetic communes carry most of the field; the real ones about what they had.
    real = sum(n for c, n in by_commune.items() if not is_synthetic(c))
    assert 30_000 <= real <= 40_000


def test_the_synthetic_communes_equipment_lies_in_their_square(x10):
    index = CommuneIndex(list(x10.communes.values()))
    checked = 0
    for n, entity in enumerate(x10.entities.values()):
        if is_synthetic(entity.commune) and n % 20 == 0:
            assert index.commune_of(entity.lat, entity.lon) == (x10.communes[entity.commune], False)
            checked += 1
    assert checked > 10_000


def test_synthetic_codes_can_never_be_insee_codes():
    real = reference.real_communes()
    made_up = reference.synthetic_communes()
    assert len(real) == 23 and len(made_up) == 207
    real_codes = {c.insee for c in real}
    codes = [c.insee for c in made_up]
    assert len(set(codes)) == 207 and not set(codes) & real_codes
    assert codes == [f"ZS{n:03d}" for n in range(1, 208)]
    contract = re.compile(INSEE.pattern or "")
    for code in codes:
        assert SYNTHETIC_CODE.match(code) and len(code) <= 5  # the record's String(5)
        assert not INSEE_CODE.match(code) and not contract.match(code)
    for code in [*real_codes, "2A004", "2B033", "97411"]:
        assert INSEE_CODE.match(code) and not is_synthetic(code)
    names = {c.name for c in made_up}
    assert len(names) == 207 and all(re.fullmatch(r"Commune fictive \d{3}", n) for n in names)
    assert not names & {c.name for c in real}


def test_synthetic_communes_lie_around_the_real_ones_and_never_overlap():
    real = reference.real_communes()
    made_up = reference.synthetic_communes()
    for commune in made_up:
        assert commune.outline is not None and commune.population >= 100
        west, south, east, north = commune.outline.bbox
        assert commune.outline.contains(commune.lat, commune.lon)
        for other in real:
            assert other.outline is not None
            assert not other.outline.crosses_box(south, west, north, east), commune.insee
            assert not other.outline.contains(commune.lat, commune.lon)
    # squares of one grid: no centre inside another's square
    for commune in made_up:
        holders = [c for c in made_up if c.outline and c.outline.contains(commune.lat, commune.lon)]
        assert holders == [commune]
    total = sum(c.population for c in real) + sum(c.population for c in made_up)
    assert total == 10 * sum(c.population for c in real)


def test_the_file_is_what_the_generator_builds():
    bundled = (ROOT / "resources" / "synthetic-communes.csv").read_text("utf-8")
    assert synthetic_module.to_csv(synthetic_module.build()) == bundled


def test_processes_know_the_synthetic_communes_only_when_told(monkeypatch):
    monkeypatch.delenv(reference.SYNTHETIC_ENVIRONMENT, raising=False)
    assert [c.insee for c in reference.communes()] == [c.insee for c in reference.real_communes()]
    monkeypatch.setenv(reference.SYNTHETIC_ENVIRONMENT, "1")
    known = {c.insee: c.name for c in reference.communes()}
    assert len(known) == 230 and known["ZS042"] == "Commune fictive 042"
    assert known["21231"] == "Dijon"
    # Dijon's own scale never draws them, whatever the environment says.
    assert len(build_world(1, "small").communes) == 23


def _state(world: World, commune: str) -> tuple[str, bytes]:
    light = next(e for e in world.by_type[EquipmentType.STREETLIGHT] if e.commune == commune)
    body = payloads.state(light, NOW.timestamp())
    assert "refCommune" not in body  # the contract's refCommune is an INSEE code
    topic = Topics("vigie").state(light.type.value, light.id)
    return topic, _dumps(body)


def _dumps(body: dict) -> bytes:
    return json.dumps(body).encode()


def test_the_decoder_files_a_synthetic_communes_device_under_its_code(x10, monkeypatch):
    monkeypatch.setenv(reference.SYNTHETIC_ENVIRONMENT, "1")
    decoder = Decoder(Topics("vigie"), reference.communes())
    topic, body = _state(x10, "ZS123")
    message = decoder.decode(topic, body, NOW)
    assert isinstance(message, StateMessage), message
    assert message.place is not None and message.place.commune == "ZS123"
    assert not message.place.outside and "outside_metropole" not in message.flags
    # a real commune's device still names its INSEE code, and keeps it
    topic, body = _real_state(x10)
    message = decoder.decode(topic, body, NOW)
    assert isinstance(message, StateMessage) and message.place is not None
    assert message.place.commune == "21166"


def _real_state(world: World) -> tuple[str, bytes]:
    light = next(e for e in world.by_type[EquipmentType.STREETLIGHT] if e.commune == "21166")
    body = payloads.state(light, NOW.timestamp())
    assert body["refCommune"] == "21166"
    return Topics("vigie").state(light.type.value, light.id), _dumps(body)


def test_a_room_not_told_files_them_outside_under_a_real_commune(x10, monkeypatch):
    monkeypatch.delenv(reference.SYNTHETIC_ENVIRONMENT, raising=False)
    decoder = Decoder(Topics("vigie"), reference.communes())
    far = reference.synthetic_communes()[-1].insee  # the outermost ring, over 20 km out
    topic, body = _state(x10, far)
    message = decoder.decode(topic, body, NOW)
    assert isinstance(message, StateMessage) and message.place is not None
    assert not is_synthetic(message.place.commune) and message.place.outside


def test_a_vehicle_in_a_synthetic_commune_is_found_by_its_position(x10, monkeypatch):
    monkeypatch.setenv(reference.SYNTHETIC_ENVIRONMENT, "1")
    commune = x10.communes["ZS007"]
    unit = next(iter(x10.units.values()))
    body = payloads.position(unit, NOW.timestamp(), commune.insee)
    assert "refCommune" not in body
    body["location"] = payloads.point(commune.lat, commune.lon)
    decoder = Decoder(Topics("vigie"), reference.communes())
    message = decoder.decode(Topics("vigie").unit_position(unit.id), _dumps(body), NOW)
    assert isinstance(message, PositionMessage), message
    assert message.place.commune == "ZS007" and not message.place.outside


def test_a_burst_beyond_the_window_arrives_whole_and_in_order(simulate, listen, root, monkeypatch):
    """paho takes at most ``HANDED`` unacknowledged messages (its ids are 16 bits: ten times
    Dijon's burst would overflow them); the rest wait, in order, and all arrive."""
    from services.simulator import runner

    monkeypatch.setattr(runner, "HANDED", 25)
    most = [0]
    feed = runner.Simulator._feed

    def watched(self, connection):
        feed(self, connection)
        most[0] = max(most[0], len(connection.handed))

    monkeypatch.setattr(runner.Simulator, "_feed", watched)
    listener = listen(f"{root}/state/#", f"{root}/gateways/+/status")
    sim = simulate()  # ready: the burst's last message acknowledged
    assert sim.burst_size > 10 * 25 and most[0] == 25
    connection = next(iter(sim._connections.values()))
    assert connection.passed >= sim.burst_size - len(sim.world.units)  # positions: QoS 0
    states = len(sim.world.entities)
    listener.wait_for(
        lambda: len({t for t, _, _ in listener.messages if "/state/" in t}) == states,
        what="every state",
    )
    # A gateway says it is online before any state of its devices (the order they were said).
    topics = [t for t, _, _ in listener.messages]
    first_state = next(i for i, t in enumerate(topics) if "/state/" in t)
    last_gateway = max(i for i, t in enumerate(topics) if "/gateways/" in t)
    assert last_gateway < first_state
