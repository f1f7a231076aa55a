"""Every process logs in to the broker as itself, on a real Mosquitto that enforces the bus ACL.

The broker runs the configuration ``vigie broker config`` writes for a small simulated field
(its register put in the database as the recorder would have). What reaches a subscriber of
``{root}/#`` logged in as a recorder went through the ACL: a state reaches it only when the
identity that published it is the device's gateway (security.md, "The field bus").
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest

from services.broker_config import write_broker_config
from services.bus.ports import free_port
from services.bus.topics import Topics
from services.domain.bus_acl import identity_name
from services.domain.equipment import EquipmentType
from services.simulator import (
    LoginRefused,
    MissingCredential,
    Simulator,
    SimulatorOptions,
    World,
    build_world,
)
from services.simulator.logins import Speakers, played_identities, voiceless
from services.simulator.outputs import Message
from services.store.database import Database
from services.store.models import EquipmentRow, UnitRow
from tests.broker import generated_mosquitto
from tests.simulator.support import QUIET, command, simulators

pytestmark = pytest.mark.skipif(shutil.which("mosquitto") is None, reason="needs mosquitto")
SEED = 7


@dataclass
class AclBroker:
    """A Mosquitto on the generated configuration of a field."""

    port: int
    folder: Path  # what ``vigie broker config --out`` wrote
    root: str
    world: World

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    @property
    def credentials(self) -> Path:
        return self.folder / "credentials"

    def password(self, identity: str) -> str:
        return (self.credentials / identity).read_text().strip()


def register_the_field(db: Database, world: World) -> None:
    """The equipment register and units as the recorder would have them from this field."""
    now = datetime.now(UTC)
    with db.write() as session:
        for entity in world.entities.values():
            if entity.gateway is not None:
                session.add(
                    EquipmentRow(
                        id=entity.id,
                        type=entity.type.value,
                        gateway=entity.gateway,
                        received_at=now,
                        updated_at=now,
                    )
                )
        for unit in world.units.values():
            session.add(UnitRow(id=unit.id, kind=unit.kind.value, status="available"))


def start_acl_broker(db: Database, world: World, root: str) -> Iterator[AclBroker]:
    """Write the field's broker configuration, run Mosquitto on it, stop it afterwards."""
    # Outside pytest's temporary folders, which only their owner may enter: mosquitto started
    # as root runs as the ``mosquitto`` user, who must read its files.
    made = Path(tempfile.mkdtemp(prefix="vigie-logins-"))
    made.chmod(0o755)
    register_the_field(db, world)
    port = free_port()
    written = write_broker_config(db, made / "broker", root, port=port, recorders=["main", "obs"])
    try:
        with generated_mosquitto(written.folder, port, made / "mosquitto.log"):
            yield AclBroker(port, written.folder, root, world)
    finally:
        shutil.rmtree(made, ignore_errors=True)


@pytest.fixture
def acl_broker(db) -> Iterator[AclBroker]:
    yield from start_acl_broker(db, build_world(SEED, "small"), f"lg{uuid.uuid4().hex[:8]}")


class Observer:
    """A client logged in as ``identity``: subscribes, keeps what it hears, publishes."""

    def __init__(
        self, broker: AclBroker, identity: str, *filters: str, client_id: str | None = None
    ) -> None:
        self.heard: list[tuple[str, Any]] = []
        self.live: list[str] = []  # topics heard as they were published, not as retained
        self._cond = threading.Condition()
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=client_id or f"t-{identity}-{uuid.uuid4().hex[:6]}",
        )
        self.client.username_pw_set(identity, broker.password(identity))
        self.client.on_message = self._on_message
        subscribed = threading.Event()
        self.client.on_subscribe = lambda *_a: subscribed.set()
        self.client.connect("127.0.0.1", broker.port)
        self.client.loop_start()
        if filters:
            self.client.subscribe([(f, 1) for f in filters])
            assert subscribed.wait(10), "no SUBACK"  # from now on nothing published is missed

    def _on_message(self, _c: mqtt.Client, _u: Any, msg: mqtt.MQTTMessage) -> None:
        with self._cond:
            self.heard.append((msg.topic, json.loads(msg.payload) if msg.payload else None))
            if not msg.retain:
                self.live.append(msg.topic)
            self._cond.notify_all()

    def topics(self) -> set[str]:
        with self._cond:
            return {t for t, _ in self.heard}

    def on(self, topic: str) -> list[Any]:
        with self._cond:
            return [p for t, p in self.heard if t == topic]

    def wait_for(self, check: Callable[[], Any], timeout: float = 20.0) -> Any:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not (result := check()):
                left = deadline - time.monotonic()
                assert left > 0, "timed out"
                self._cond.wait(min(left, 0.2))
        return result

    def publish(self, topic: str, payload: dict[str, Any]) -> None:
        self.client.publish(topic, json.dumps(payload), qos=1).wait_for_publish(5)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


@pytest.fixture
def observe(acl_broker) -> Iterator[Callable[..., Observer]]:
    made: list[Observer] = []

    def make(identity: str, *filters: str, client_id: str | None = None) -> Observer:
        made.append(Observer(acl_broker, identity, *filters, client_id=client_id))
        return made[-1]

    yield make
    for observer in made:
        observer.close()


@pytest.fixture
def simulate(acl_broker) -> Iterator[Callable[..., Simulator]]:
    """The field of ``acl_broker`` simulated under its identities; stopped after the test."""
    start, stop_all = simulators(
        acl_broker.url,
        acl_broker.root,
        SEED,
        world=acl_broker.world,
        credentials=acl_broker.credentials,
    )
    yield start
    stop_all()


def test_each_state_reaches_the_recorder_only_from_its_gateways_identity(
    acl_broker, simulate, observe
):
    root = acl_broker.root
    recorder = observe("recorder.obs", f"{root}/#")
    sim = simulate()
    world = acl_broker.world
    served = {f"{root}/state/{e.type.value}/{e.id}" for e in world.entities.values() if e.gateway}
    statuses = {f"{root}/gateways/{g}/status" for g in world.gateways}
    positions = {f"{root}/units/{u}/position" for u in world.units}
    recorder.wait_for(lambda: served | statuses | positions <= recorder.topics())
    # One login per gateway and unit, the citizen app and the alarms.
    assert sorted(sim.identities) == sorted(played_identities(world))
    assert len(sim.identities) == len(world.gateways) + len(world.units) + 2
    # No identity may publish for a device no gateway serves: the simulator does not try.
    silent = {f"{root}/state/{world.entities[i].type.value}/{i}" for i in voiceless(world)}
    assert silent and not silent & recorder.topics()
    assert sim.unspoken >= len(silent)


def test_commands_and_dispatches_reach_their_identities_and_the_answers_come_back(
    acl_broker, simulate, observe
):
    """Each gateway listens to its own devices and one to the groups; each unit to its
    dispatches; their answers pass the ACL (``{root}/ack/#``) under their own identities."""
    root = acl_broker.root
    world = acl_broker.world
    ack = f"{root}/ack/t-logins"
    sender = observe("recorder.main")  # the recorder is who commands the field
    answers = observe("recorder.obs", ack)
    simulate(latency_ms=(20.0, 20.0))
    light = world.by_type[EquipmentType.STREETLIGHT][-1]
    one = command("switch", {"powerState": "on"}, ack)
    sender.publish(f"{root}/cmd/Streetlight/{light.id}", one)
    group = command("switch", {"powerState": "on"}, ack)
    sender.publish(f"{root}/cmd/group/all:Streetlight", group)
    unit = min(world.units)
    dispatch = {
        **command("dispatch", {}, ack),
        "incident_id": 3,
        "location": {"type": "Point", "coordinates": [5.04, 47.32]},
        "summary": "Chute d'arbre",
    }
    sender.publish(f"{root}/units/{unit}/dispatch", dispatch)
    cabinets = {e.gateway for e in world.by_type[EquipmentType.STREETLIGHT]}

    def of(request: dict[str, Any]) -> list[dict[str, Any]]:
        return [a for a in answers.on(ack) if a["request_id"] == request["request_id"]]

    answers.wait_for(
        lambda: (
            any(a["status"] == "done" for a in of(one))
            and len(of(group)) >= len(cabinets)
            and of(dispatch)
        )
    )
    assert [a["device_id"] for a in of(one)] == [light.id, light.id]  # accepted, then done
    # Every cabinet answered the group once: one gateway listens for all of them.
    assert sorted(a["gateway"] for a in of(group)) == sorted(cabinets)
    assert of(dispatch)[0]["unit_id"] == unit


def test_a_missing_password_is_named_before_anything_is_connected(acl_broker):
    world = acl_broker.world
    gateway = identity_name("gw", min(world.gateways))
    folder = acl_broker.credentials
    (folder / gateway).unlink()
    with pytest.raises(MissingCredential) as missing:
        Simulator(acl_broker.url, acl_broker.root, world=world, credentials=folder)
    assert missing.value.identity == gateway
    assert missing.value.missing == 1


def test_a_wrong_password_is_refused_naming_the_identity(acl_broker, observe):
    root = acl_broker.root
    recorder = observe("recorder.obs", f"{root}/#")
    unit = identity_name("unit", min(acl_broker.world.units))
    secret = acl_broker.credentials / unit
    secret.write_text("not-the-password\n")  # rewritten in place: still mode 600
    sim = Simulator(
        acl_broker.url,
        acl_broker.root,
        SimulatorOptions(scale="small", seed=SEED, **QUIET),
        world=acl_broker.world,
        credentials=acl_broker.credentials,
    )
    with pytest.raises(LoginRefused) as refused:
        sim.start()
    assert refused.value.identity == unit
    assert "Not authorized" in refused.value.reason
    time.sleep(0.3)
    assert recorder.heard == []  # nothing was published before the refusal
    sim.stop()


def test_a_password_readable_by_others_is_refused(acl_broker):
    from services.domain.errors import InvalidInput

    secret = acl_broker.credentials / "alarms"
    secret.chmod(0o644)
    with pytest.raises(InvalidInput) as refused:
        Simulator(
            acl_broker.url,
            acl_broker.root,
            world=acl_broker.world,
            credentials=acl_broker.credentials,
        )
    assert refused.value.key == "config.password_file_open"
    assert refused.value.params == {"path": str(secret), "mode": "0644"}


def test_a_reconnected_identity_says_its_own_state_again(acl_broker, simulate, observe):
    """A gateway thrown off the broker comes back and publishes its devices' states again,
    and only those: not the whole field's."""
    root = acl_broker.root
    sim = simulate()
    world = acl_broker.world
    gateway = max(world.gateways, key=lambda g: len(world.gateways[g].members))
    identity = identity_name("gw", gateway)
    recorder = observe("recorder.obs", f"{root}/state/#")
    # A second login under the simulator's client id throws the first off (MQTT's takeover);
    # the simulator dials again a second later and takes it back.
    intruder = observe(identity, client_id=f"{sim.client_id}-{identity}")
    time.sleep(0.3)
    intruder.close()
    own = {f"{root}/state/{e.type.value}/{e.id}" for e in world.gateways[gateway].members}
    recorder.wait_for(lambda: own <= set(recorder.live), timeout=15)
    others = set(recorder.live) - own
    # Heartbeats of other devices may fall in the window; a whole second burst would not.
    assert len(others) < len(world.entities) / 4, len(others)


def test_who_says_what():
    world = build_world(SEED, "small")
    speakers = Speakers(world, Topics("r"))
    light = world.by_type[EquipmentType.STREETLIGHT][0]
    unit = min(world.units)
    station = world.by_type[EquipmentType.WEATHER_OBSERVED][0]
    gw = identity_name("gw", str(light.gateway))
    cases = [
        (Message(f"r/state/Streetlight/{light.id}", {}, 1, True), gw),
        (Message(f"r/gateways/{light.gateway}/status", {}, 1, True), gw),
        (Message(f"r/units/{unit}/position", {}, 0, True), identity_name("unit", unit)),
        (Message("r/reports", {}, 1, False), "citizen-app"),
        (Message("r/alerts", {}, 1, False), "alarms"),
        (Message("r/ack/console-1", {"device_id": light.id}, 1, False), gw),
        (Message("r/ack/console-1", {"gateway": light.gateway}, 1, False), gw),
        (Message("r/ack/x", {"unit_id": unit}, 1, False), identity_name("unit", unit)),
        (Message(f"r/state/WeatherObserved/{station.id}", {}, 1, True), None),
    ]
    for message, identity in cases:
        assert speakers.of(message.topic, message.payload) == identity, message.topic
