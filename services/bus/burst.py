"""A paho client that reads a burst of messages without a ``select()`` per message.

paho's loop reads as many packets per wake-up as it has messages in flight, which for QoS 0
(retained states, positions) is one: every message then pays a ``select()``, a keepalive check
and the loop's bookkeeping. Receiving 34,000 retained states, that was a quarter of the
process's processor time (1.1 s against 0.81 s, measured in ``docs/performance.md``).
"""

from __future__ import annotations

import paho.mqtt.client as mqtt
from paho.mqtt.enums import MQTTErrorCode

#: Packets read per wake-up at most, so that acknowledgements and publications queued by other
#: threads still go out within a few milliseconds of a burst.
READ_AHEAD = 256


class BurstClient(mqtt.Client):
    def loop_read(self, max_packets: int = 1) -> MQTTErrorCode:
        """Read packets until the socket is dry (``READ_AHEAD`` at most), as paho's own would.

        It calls paho's ``_packet_read`` and ``_loop_rc_handle``, as paho's ``loop_read`` does;
        ``tests/services/test_bus_burst.py`` notices if a paho release changes them.
        """
        for _ in range(max(max_packets, READ_AHEAD)):
            if self._sock is None:
                return MQTTErrorCode.MQTT_ERR_NO_CONN
            rc = self._packet_read()
            if rc > 0:
                return self._loop_rc_handle(rc)
            if rc == MQTTErrorCode.MQTT_ERR_AGAIN:
                break
        return MQTTErrorCode.MQTT_ERR_SUCCESS
