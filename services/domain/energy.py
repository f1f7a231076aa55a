"""Street lighting's energy as the recorder keeps it: per commune and night, against full power.

The baseline is what the same lights would have drawn at full power for the same hours of night:
the saving is what the city's policies (dimming, presence, switching off) spared.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class EnergyNight:
    commune: str  # INSEE code
    night: date  # the evening's date, in the room's time zone
    kwh: float
    baseline_kwh: float

    @property
    def saving_kwh(self) -> float:
        return self.baseline_kwh - self.kwh


@dataclass(frozen=True, slots=True)
class Saving:
    """A saving in the three units a city reads it in."""

    kwh: float
    euros: float
    co2_kg: float

    @property
    def co2_tonnes(self) -> float:
        return self.co2_kg / 1000


@dataclass(frozen=True, slots=True)
class Tariff:
    """The city's price of a kWh and the carbon factor of its supply."""

    eur_per_kwh: float
    co2_kg_per_kwh: float

    def saving(self, kwh: float) -> Saving:
        return Saving(kwh=kwh, euros=kwh * self.eur_per_kwh, co2_kg=kwh * self.co2_kg_per_kwh)


@dataclass(frozen=True, slots=True)
class EnergyTotals:
    kwh: float
    baseline_kwh: float

    @property
    def saving_kwh(self) -> float:
        return self.baseline_kwh - self.kwh

    @property
    def saving_share(self) -> float:
        """The saving as a share of the baseline (0 when there is none)."""
        return self.saving_kwh / self.baseline_kwh if self.baseline_kwh > 0 else 0.0


def totals(nights: Iterable[EnergyNight]) -> EnergyTotals:
    kwh = baseline = 0.0
    for night in nights:
        kwh += night.kwh
        baseline += night.baseline_kwh
    return EnergyTotals(kwh=kwh, baseline_kwh=baseline)


def by_commune(nights: Iterable[EnergyNight]) -> dict[str, EnergyTotals]:
    grouped: dict[str, list[EnergyNight]] = {}
    for night in nights:
        grouped.setdefault(night.commune, []).append(night)
    return {commune: totals(rows) for commune, rows in grouped.items()}


def by_night(nights: Iterable[EnergyNight]) -> dict[date, EnergyTotals]:
    grouped: dict[date, list[EnergyNight]] = {}
    for night in nights:
        grouped.setdefault(night.night, []).append(night)
    return {day: totals(rows) for day, rows in sorted(grouped.items())}
