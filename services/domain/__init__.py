"""Vigie's domain model: plain dataclasses, enums and rules of the control room.

Everything here is pure Python, with no Qt, no MQTT, no SQL and no I/O, so that the recorder, the
command line and the console share one set of rules and the rules are tested with nothing installed.
It never returns sentences: it returns enums and message keys that the console translates.
"""
