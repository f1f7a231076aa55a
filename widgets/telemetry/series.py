"""Arrays for the telemetry plots, taken from a history's window.

Pure functions (numpy, no Qt) so that what a curve is given can be checked without drawing it.
Times are POSIX seconds, what ``pg.DateAxisItem`` reads; a value that is unknown at a time
(a rate after a counter reset, a station not heard) is NaN, which the curves draw as a gap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from services.domain.telemetry import LIGHT_BUCKETS, MessageRate, TelemetrySample

NAN = float("nan")


def times(entries: Sequence[TelemetrySample] | Sequence[MessageRate]) -> np.ndarray:
    return np.fromiter((e.at.timestamp() for e in entries), dtype=float, count=len(entries))


def _or_nan(value: float | None) -> float:
    return NAN if value is None else value


def message_rates(rates: Sequence[MessageRate]) -> dict[str, np.ndarray]:
    """Messages per second, received and quarantined."""
    return {
        "received": np.fromiter((_or_nan(r.received) for r in rates), float, len(rates)),
        "quarantined": np.fromiter((_or_nan(r.quarantined) for r in rates), float, len(rates)),
    }


def light_counts(samples: Sequence[TelemetrySample], commune: str | None) -> dict[str, np.ndarray]:
    """Lights per bucket (on, off, fault, stale) of one commune, or of all when None."""
    table = np.array([s.lights_in(commune) for s in samples], dtype=float).reshape(-1, 4)
    return {bucket: table[:, column] for column, bucket in enumerate(LIGHT_BUCKETS)}


def energy_kw(samples: Sequence[TelemetrySample]) -> np.ndarray:
    """Power drawn by the lights that report it, in kW (a city's lights draw hundreds)."""
    return np.fromiter((s.energy_w / 1000 for s in samples), float, len(samples))


def one_or_mean(readings: Sequence[Mapping[str, float]], device_id: str | None) -> np.ndarray:
    """One device's value at each time, or the mean of every device heard when None."""
    if device_id is not None:
        return np.fromiter((r.get(device_id, NAN) for r in readings), float, len(readings))
    return np.fromiter(
        (sum(r.values()) / len(r) if r else NAN for r in readings), float, len(readings)
    )


def lowest(readings: Sequence[Mapping[str, float]]) -> np.ndarray:
    """The lowest value heard at each time (the coldest road: where ice forms first)."""
    return np.fromiter((min(r.values()) if r else NAN for r in readings), float, len(readings))


def device_ids(readings: Sequence[Mapping[str, float]]) -> list[str]:
    """Every device heard at least once in these readings, sorted."""
    seen: set[str] = set()
    for reading in readings:
        seen.update(reading)
    return sorted(seen)
