"""The simulator on a real mosquitto: retained states, commands and acks, dispatches, Last Wills."""

from __future__ import annotations

import time

import pytest

from services.domain.equipment import EquipmentType
from services.domain.units import UnitKind, UnitStatus
from services.simulator import BrokerUnreachable, Simulator, SimulatorOptions
from tests.broker import free_port
from tests.simulator.support import command

DIJON = "21231"


def test_a_late_subscriber_sees_every_retained_state(simulate, listen, root):
    sim = simulate()
    world = sim.world
    listener = listen(f"{root}/state/#", f"{root}/gateways/+/status", f"{root}/units/+/position")

    def all_in():
        states = {t for t, _, retained in listener.messages if "/state/" in t and retained}
        return len(states) == len(world.entities)

    listener.wait_for(all_in, what="every retained state")
    by_topic = {t: p for t, p, _ in listener.messages}
    for entity in world.entities.values():
        payload = by_topic[f"{root}/state/{entity.type.value}/{entity.id}"]
        assert payload["id"] == entity.id and payload["refCommune"] == entity.commune
        assert payload["location"]["type"] == "Point"
        if entity.type is EquipmentType.STREETLIGHT:
            assert payload["refGateway"] == entity.gateway
    listener.wait_for(
        lambda: (
            len({t for t, _, _ in listener.messages if "/gateways/" in t}) == len(world.gateways)
        )
    )
    gateways = [p for t, p, _ in listener.messages if "/gateways/" in t]
    assert all(p["online"] is True for p in gateways)
    listener.wait_for(
        lambda: (
            len({t for t, _, _ in listener.messages if t.endswith("/position")}) == len(world.units)
        )
    )


def test_a_device_command_is_accepted_then_done_and_the_state_follows(simulate, listen, root):
    sim = simulate()
    light = next(e for e in sim.world.by_type[EquipmentType.STREETLIGHT] if e.commune == DIJON)
    wanted = "off" if light.attrs["powerState"] == "on" else "on"
    ack_topic = f"{root}/ack/test"
    state_topic = f"{root}/state/Streetlight/{light.id}"
    listener = listen(ack_topic, state_topic)
    message = command("switch", {"powerState": wanted}, ack_topic)
    started = time.monotonic()
    listener.publish(f"{root}/cmd/Streetlight/{light.id}", message)
    listener.wait_for(lambda: [a["status"] for a in listener.on(ack_topic)] == ["accepted", "done"])
    assert time.monotonic() - started < 2.0  # 50 to 300 ms by default
    done = listener.on(ack_topic)[-1]
    assert set(done) == {"request_id", "device_id", "status", "ts"}
    assert (done["request_id"], done["device_id"]) == (message["request_id"], light.id)
    listener.wait_for(lambda: listener.on(state_topic)[-1]["powerState"] == wanted)


def test_a_redelivered_request_is_acked_again_but_not_executed_again(simulate, listen, root):
    sim = simulate()
    light = next(e for e in sim.world.by_type[EquipmentType.STREETLIGHT] if e.commune == DIJON)
    ack_topic = f"{root}/ack/test"
    listener = listen(ack_topic)
    topic = f"{root}/cmd/Streetlight/{light.id}"
    first = command("switch", {"powerState": "on"}, ack_topic)
    second = command("switch", {"powerState": "off"}, ack_topic)

    def finals(rid):
        return [
            a for a in listener.on(ack_topic) if a["request_id"] == rid and a["status"] == "done"
        ]

    listener.publish(topic, first)
    listener.wait_for(lambda: finals(first["request_id"]))
    listener.publish(topic, second)
    listener.wait_for(lambda: finals(second["request_id"]))
    listener.publish(topic, first)  # redelivered: acknowledged again...
    listener.wait_for(lambda: len(finals(first["request_id"])) == 2)
    assert light.attrs["powerState"] == "off"  # ...but the light stays as the later command left it


def test_a_command_received_after_it_expired_is_answered_expired(simulate, listen, root):
    sim = simulate()
    bollard = sim.world.by_type[EquipmentType.BOLLARD][0]
    ack_topic = f"{root}/ack/test"
    listener = listen(ack_topic)
    late = command("lower", {}, ack_topic, expires_in=-5)
    listener.publish(f"{root}/cmd/Bollard/{bollard.id}", late)
    (ack,) = listener.wait_for(lambda: listener.on(ack_topic))
    assert ack["status"] == "expired" and ack["device_id"] == bollard.id
    assert bollard.attrs["position"] == "up"


def test_a_commune_group_gets_one_final_ack_per_gateway_serving_it(simulate, listen, root):
    sim = simulate(latency_ms=(20.0, 20.0))
    world = sim.world
    ack_topic = f"{root}/ack/test"
    listener = listen(ack_topic)
    expected = {}
    for light in world.by_type[EquipmentType.STREETLIGHT]:
        if light.commune == DIJON:
            expected[light.gateway] = expected.get(light.gateway, 0) + 1
    assert len(expected) > 1
    group = command("switch", {"powerState": "on"}, ack_topic)
    listener.publish(f"{root}/cmd/group/commune:{DIJON}", group)

    def answers():
        return [a for a in listener.on(ack_topic) if a["request_id"] == group["request_id"]]

    listener.wait_for(lambda: len(answers()) >= len(expected))
    # A later command with the same fixed latency is a barrier: every group ack came before it.
    other = next(e for e in world.by_type[EquipmentType.STREETLIGHT] if e.commune != DIJON)
    barrier = command("switch", {"powerState": "on"}, ack_topic)
    listener.publish(f"{root}/cmd/Streetlight/{other.id}", barrier)
    listener.wait_for(
        lambda: any(
            a["request_id"] == barrier["request_id"] and a["status"] == "done"
            for a in listener.on(ack_topic)
        )
    )
    got = {a["gateway"]: a for a in answers()}
    assert len(answers()) == len(got) == len(expected)
    for gateway, count in expected.items():
        assert got[gateway]["status"] == "done"
        assert (got[gateway]["succeeded"], got[gateway]["failed"]) == (count, [])
        assert set(got[gateway]) == {"request_id", "gateway", "status", "succeeded", "failed", "ts"}


def test_with_a_failure_rate_the_failed_list_names_the_devices(simulate, listen, root):
    sim = simulate(failure_rate=0.5)
    world = sim.world
    ack_topic = f"{root}/ack/test"
    listener = listen(ack_topic)
    group = command("dim", {"illuminanceLevel": 0.4}, ack_topic)
    listener.publish(f"{root}/cmd/group/all:Streetlight", group)
    cabinets = {g.id for g in world.gateways.values() if g.kind == "cabinet"}
    listener.wait_for(lambda: len(listener.on(ack_topic)) == len(cabinets))
    failed = []
    for answer in listener.on(ack_topic):
        members = {e.id for e in world.gateways[answer["gateway"]].members}
        names = [f["id"] for f in answer["failed"]]
        assert set(names) <= members
        assert answer["status"] == ("failed" if names else "done")
        failed += names
    assert failed
    assert all(world.entities[name].attrs["illuminanceLevel"] == 1.0 for name in failed)


def test_a_dispatch_is_accepted_then_the_unit_goes_en_route_and_on_scene(simulate, listen, root):
    sim = simulate(speed=100.0)
    unit = next(
        u
        for u in sim.world.units.values()
        if u.kind is UnitKind.PATROL and u.status is UnitStatus.AVAILABLE
    )
    ack_topic = f"{root}/ack/test"
    status_topic = f"{root}/units/{unit.id}/status"
    listener = listen(ack_topic, status_topic)
    listener.publish(
        f"{root}/units/{unit.id}/dispatch",
        {
            **command("dispatch", {}, ack_topic),
            "incident_id": 17,
            "location": {"type": "Point", "coordinates": [unit.lon + 0.004, unit.lat]},
            "summary": "Malaise sur la voie publique",
        },
    )
    (ack,) = listener.wait_for(lambda: listener.on(ack_topic))
    assert (ack["status"], ack["unit_id"]) == ("accepted", unit.id)
    listener.wait_for(
        lambda: (
            [(s["status"], s.get("incident_id")) for s in listener.on(status_topic)][:2]
            == [("en_route", 17), ("on_scene", 17)]
        )
    )


def test_gateway_offline_mode_makes_the_broker_deliver_the_real_last_will(
    simulate, listen, root, broker
):
    sim = simulate(
        gateway_offline=True, gateway_offline_first_s=0.5, gateway_offline_for_s=(1.0, 1.0)
    )
    listener = listen(f"{root}/gateways/+/status")

    def will():
        return [t for t, p, _ in listener.messages if p == {"online": False}]

    (topic,) = listener.wait_for(will, what="a Last Will")
    gateway = topic.split("/")[2]
    assert not sim.world.gateways[gateway].online
    link = f"{sim.client_id}-{gateway}"
    # The broker published it because the link broke, not because anyone said goodbye.
    assert f"Client {link} closed its connection" in broker.log()
    assert f"Client {link} disconnected" not in broker.log()
    listener.wait_for(lambda: listener.on(topic)[-1].get("online") is True, what="back online")


def test_stop_is_quick_and_announces_the_gateways_offline(broker, listen, root):
    options = SimulatorOptions(scale="small", seed=3)
    sim = Simulator(broker.url, root, options)
    sim.start()
    assert sim.wait_ready(30)
    listener = listen(f"{root}/gateways/+/status")
    started = time.monotonic()
    sim.stop()
    assert time.monotonic() - started < 3.0
    assert not sim._thread.is_alive()
    listener.wait_for(
        lambda: (
            len({t for t, p, _ in listener.messages if p.get("online") is False})
            == len(sim.world.gateways)
        )
    )


def test_an_unreachable_broker_is_said_at_once():
    sim = Simulator(f"mqtt://127.0.0.1:{free_port()}", "x", SimulatorOptions(scale="small"))
    started = time.monotonic()
    with pytest.raises(BrokerUnreachable):
        sim.start(timeout=3)
    assert time.monotonic() - started < 3.0
    sim.stop()


def test_after_a_broker_restart_the_whole_state_is_published_again(fresh_broker, listen, root):
    sim = Simulator(fresh_broker.url, root, SimulatorOptions(scale="small", seed=9))
    try:
        sim.start()
        assert sim.wait_ready(30)
        fresh_broker.restart(kill=True)  # killed: its retained messages are lost with it
        listener = listen(f"{root}/state/#", url=fresh_broker.url)
        listener.wait_for(
            lambda: len({t for t, _, _ in listener.messages}) == len(sim.world.entities),
            timeout=20,
            what="the states published again",
        )
    finally:
        sim.stop()
