"""The field's side of ``vigie bench ui``: reports and light states published at a running console.

The MQTT half of the benchmark, kept out of ``console/`` (which never imports paho): a client that
publishes a citizen's report, measures the broker's round trip for comparison, and floods light
states at a steady rate from its own thread.
"""

from __future__ import annotations

import json
import threading
import time

import paho.mqtt.client as mqtt


class BenchPublisher:
    def __init__(self, port: int, root: str) -> None:
        self.root = root
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        self._echoes: list[float] = []
        self.client.on_message = lambda c, u, m: self._echoes.append(time.perf_counter())
        self.client.connect("127.0.0.1", port)
        self.client.subscribe(f"{root}/echo", 1)
        self.client.loop_start()
        self._stop = threading.Event()
        self._pusher: threading.Thread | None = None
        self.sent = 0  # light states published by the flood

    def report(self, n: int) -> None:
        """A citizen's report, QoS 1, as the citizen app publishes it."""
        body = {
            "service_request_id": f"bench-{n}",
            "service_code": "noise",
            "lat": 47.32,
            "long": 5.04,
        }
        self.client.publish(f"{self.root}/reports", json.dumps(body).encode(), qos=1)

    def echo(self) -> int:
        """Publish on a topic this client hears; returns the echoes heard before it."""
        heard = len(self._echoes)
        self.client.publish(f"{self.root}/echo", b"{}", qos=1)
        return heard

    def echoes(self) -> list[float]:
        """When each echo came back (``time.perf_counter``)."""
        return list(self._echoes)

    def start_flood(self, rate: int) -> None:
        """2,000 lights changing state, paced to ``rate`` states a second, until ``stop_flood``."""

        def flood() -> None:
            start = time.perf_counter()
            while not self._stop.is_set():
                n = self.sent
                payload = {
                    "status": "ok" if n % 7 else "defectiveLamp",
                    "powerState": "on",
                    "location": {"type": "Point", "coordinates": [5.04 + n % 2000 / 1e5, 47.32]},
                }
                self.client.publish(
                    f"{self.root}/state/Streetlight/light:{n % 2000}", json.dumps(payload), qos=0
                )
                self.sent += 1
                ahead = self.sent / rate - (time.perf_counter() - start)
                if ahead > 0:
                    time.sleep(ahead)

        self._pusher = threading.Thread(target=flood, daemon=True)
        self._pusher.start()

    def stop_flood(self) -> int:
        self._stop.set()
        if self._pusher is not None:
            self._pusher.join()
        return self.sent

    def close(self) -> None:
        self.stop_flood()
        self.client.loop_stop()
        self.client.disconnect()
