"""Lighting cabinets' meter readings, taken from the states the recorder writes.

A ``StreetlightControlCabinet`` state that carries ``energyConsumed`` (kWh since
``dateMeteringStarted``) is a meter reading: it is recorded with the state, in the same
transaction, by ``services.store.energy`` (differences, resets, nights). A reading needs a place
(the night's hours and the commune are the cabinet's: a cabinet placed outside the métropole
counts only if it names its commune) and a time: the cabinet's own observation time, else the
time it was received. One that cannot be read as a meter's (no place, a value
that is not a number of at least 0) is not a reading; the state itself is recorded as any other,
and the cabinet's next reading counts the energy since its last one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.bus.messages import StateMessage
from services.bus.timestamps import BadTime, parse_time
from services.domain.equipment import EquipmentType
from services.store.energy import MeterReading, record_readings

CABINET = EquipmentType.STREETLIGHT_CONTROL_CABINET


def readings_of(states: Sequence[tuple[StateMessage, bool]], now: datetime) -> list[MeterReading]:
    """The meter readings among ``states`` ((message, retained) pairs), in arrival order."""
    out = []
    for m, _ in states:
        if m.type is not CABINET:
            continue
        energy = _number(m.attributes.get("energyConsumed"))
        place = m.place
        if energy is None or energy < 0 or place is None or place.commune is None:
            continue
        if place.outside and "refCommune" not in m.attributes:
            continue  # far from every commune, and none named: not the city's lights
        out.append(
            MeterReading(
                cabinet_id=m.id,
                observed_at=m.observed_at or now,
                energy_kwh=energy,
                commune=place.commune,
                lat=place.lat,
                lon=place.lon,
                metering_started=_time(m.attributes.get("dateMeteringStarted")),
                rated_power_w=_power(m.attributes.get("ratedPower")),
            )
        )
    return out


def record_energy(
    session: Session, states: Sequence[tuple[StateMessage, bool]], now: datetime
) -> int:
    """Record the meter readings among ``states``; returns how many were new."""
    readings = readings_of(states, now)
    return record_readings(session, readings, now) if readings else 0


def _number(value: Any) -> float | None:
    """A finite number (the codec has read a numeric string already), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _power(value: Any) -> float | None:
    power = _number(value)
    return power if power is not None and power >= 0 else None


def _time(value: Any) -> datetime | None:
    """``dateMeteringStarted`` as a time; an unreadable one says nothing (no reset is seen)."""
    try:
        return parse_time(value)[0]
    except BadTime:
        return None
