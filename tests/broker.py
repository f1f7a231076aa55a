"""The tests' private mosquitto: the same one ``vigie bench`` starts."""

from services.bench.mosquitto import PrivateMosquitto, free_port

TestBroker = PrivateMosquitto
__all__ = ["TestBroker", "free_port"]
