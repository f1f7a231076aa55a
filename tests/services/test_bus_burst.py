"""Our paho clients read a burst several packets to a wake-up and lose nothing (bus.burst)."""

import queue
import threading

import paho.mqtt.client as mqtt
import pytest

from services.bus.connection import connect_async, new_client, parse_broker_url

BURST = 3000


def _retain(broker, topics: list[str], qos: int) -> None:
    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="burst-publisher")
    publisher.connect("127.0.0.1", broker.port)
    publisher.loop_start()
    infos = [publisher.publish(t, t.encode(), qos=qos, retain=True) for t in topics]
    for info in infos:
        info.wait_for_publish(30)
    publisher.loop_stop()
    publisher.disconnect()


@pytest.mark.parametrize("qos", [0, 1])
def test_a_retained_burst_arrives_whole_in_order_and_in_few_wake_ups(fresh_broker, qos):
    topics = [f"burst/state/Streetlight/sl:{i}" for i in range(BURST)]
    _retain(fresh_broker, topics, qos)
    client = new_client(parse_broker_url(fresh_broker.url), f"burst-{qos}", manual_ack=qos > 0)
    received: list[str] = []
    done = threading.Event()
    wake_ups = [0]
    read = client.loop_read

    def counted_read(max_packets: int = 1):  # noqa: ANN202
        wake_ups[0] += 1
        return read(max_packets)

    # Acknowledged from another thread, as the recorder does after its commit: the burst must
    # let these out, or the broker stops at its in-flight window.
    to_ack: queue.Queue[int] = queue.Queue()

    def acknowledge() -> None:
        while (mid := to_ack.get()) >= 0:
            client.ack(mid, qos)

    def on_message(c, userdata, message) -> None:  # noqa: ANN001
        received.append(message.topic)
        if qos:
            to_ack.put(message.mid)
        if len(received) == BURST:
            done.set()

    client.loop_read = counted_read  # paho's loop calls it once per wake-up
    client.on_connect = lambda c, u, f, rc, p: c.subscribe("burst/state/#", qos)
    client.on_message = on_message
    threading.Thread(target=acknowledge, daemon=True).start()
    connect_async(client, parse_broker_url(fresh_broker.url))
    try:
        assert done.wait(60), f"{len(received)} of {BURST} received"
    finally:
        to_ack.put(-1)
        client.disconnect()
        client.loop_stop()
    assert received == topics
    if qos == 0:
        # paho alone wakes once per message (services.bus.burst reads on).
        assert wake_ups[0] < BURST / 10, wake_ups[0]
