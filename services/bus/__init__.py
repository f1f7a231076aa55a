"""The MQTT bus: the field contract's topics, payload validation, quarantine and the client.

Nothing here touches the database or Qt: the recorder and the console each take decoded messages
from it and decide what to do.
"""
