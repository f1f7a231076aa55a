"""Telemetry plots: the field's trends (messages, lights, energy, traffic, temperatures)."""
