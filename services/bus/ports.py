"""A TCP port free right now, for a broker started here (the embedded one, a private mosquitto).

Kept apart from both brokers so that the benchmarks' and tests' mosquitto does not import amqtt.
"""

from __future__ import annotations

import socket

DEFAULT_HOST = "127.0.0.1"


def free_port(host: str = DEFAULT_HOST) -> int:
    """Return a TCP port that is free on ``host`` right now (the OS picks it).

    Args:
        host: The address the port must be free on.

    Returns:
        The port number; another process may still take it before it is bound again.
    """
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]
