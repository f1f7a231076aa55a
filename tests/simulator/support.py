"""What the simulator's tests share: a listening MQTT client, commands, quiet options."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import paho.mqtt.client as mqtt

from services.bus.connection import parse_broker_url

#: Random events off, so that tests see only what they cause.
QUIET = {
    "reports_per_day": 0.0,
    "alerts_per_day": 0.0,
    "alarms_per_day": 0.0,
    "breaks_per_day": 0.0,
    "presence_rate": 0.0,
}


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def command(
    name: str,
    params: dict[str, Any],
    reply_to: str,
    *,
    request_id: str | None = None,
    expires_in: float = 30.0,
) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "request_id": request_id or str(uuid.uuid4()),
        "command": name,
        "params": params,
        "reply_to": reply_to,
        "issued_by": "t.garnier",
        "issued_at": iso(now),
        "expires_at": iso(now + timedelta(seconds=expires_in)),
    }


class Listener:
    """A test client: subscribes, keeps every message, waits for conditions (never sleeps)."""

    def __init__(self, url: str, *filters: str) -> None:
        self.messages: list[tuple[str, Any, bool]] = []
        self._cond = threading.Condition()
        self._subscribed = threading.Event()
        address = parse_broker_url(url)
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=f"test-{uuid.uuid4().hex[:10]}"
        )
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *_a: self._subscribed.set()
        self.client.connect(address.host, address.port)
        self.client.loop_start()
        self.client.subscribe([(f, 1) for f in filters])
        assert self._subscribed.wait(10), "no SUBACK"

    def _on_message(self, _c: mqtt.Client, _u: Any, msg: mqtt.MQTTMessage) -> None:
        try:
            payload = json.loads(msg.payload)
        except ValueError:
            payload = None
        with self._cond:
            self.messages.append((msg.topic, payload, bool(msg.retain)))
            self._cond.notify_all()

    def on(self, topic: str) -> list[Any]:
        with self._cond:
            return [p for t, p, _ in self.messages if t == topic]

    def wait_for(self, condition: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = condition()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out waiting for {what or condition}")
                self._cond.wait(left)

    def publish(self, topic: str, payload: dict[str, Any]) -> None:
        self.client.publish(topic, json.dumps(payload), qos=1).wait_for_publish(5)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def simulators(
    url: str, root: str, seed: int, **fixed: Any
) -> tuple[Callable[..., Any], Callable[[], None]]:
    """Start small, quiet simulators on ``url`` (each ready when returned), and stop them all.

    ``fixed`` goes to every ``Simulator`` (a world, credentials); a start's keywords are options.
    """
    from services.simulator import Simulator, SimulatorOptions

    started: list[Simulator] = []

    def start(at: str | None = None, **options: Any) -> Simulator:
        opts = SimulatorOptions(**{"scale": "small", "seed": seed, **QUIET, **options})
        sim = Simulator(at or url, root, opts, **fixed)
        started.append(sim)
        sim.start()
        assert sim.wait_ready(30), "initial burst not acknowledged"
        return sim

    def stop_all() -> None:
        for sim in started:
            sim.stop()

    return start, stop_all
