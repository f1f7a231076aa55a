"""The Energy panel's figures, from the recorded nights: pure functions, no Qt.

What the panel shows is worked out here, from the ``EnergyNight`` values it is given, so that
each figure can be checked against sums made independently of the drawing: a commune's kWh,
its baseline and its saving over the window, the nights of one commune or of all, the totals in
kWh, euros and CO₂. A night with no record in the window is a gap (NaN), never a zero: a zero
would read as "nothing used", which a missing meter reading is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from services.domain.energy import EnergyNight, EnergyTotals, Saving, Tariff, by_commune, totals

NAN = float("nan")


@dataclass(frozen=True, slots=True)
class CommuneEnergy:
    """One row of the per-commune table: the window's sums for one commune."""

    commune: str  # INSEE code
    kwh: float
    baseline_kwh: float
    nights: int  # nights with a record in the window
    policy_share: float | None = None  # the policy as written: its saving's share of full power

    @property
    def saving_kwh(self) -> float:
        return self.baseline_kwh - self.kwh

    @property
    def saving_share(self) -> float:
        return self.saving_kwh / self.baseline_kwh if self.baseline_kwh > 0 else 0.0


@dataclass(frozen=True, slots=True)
class PolicyNight:
    """The policy as written, projected over one night before it is applied.

    ``per_commune``: INSEE code -> (lights, projected kWh, kWh at full power for the same hours).
    """

    night: date
    per_commune: Mapping[str, tuple[int, float, float]]

    def of(self, commune: str | None) -> tuple[int, float, float]:
        """(lights, projected kWh, baseline kWh) of one commune, or of all when None."""
        if commune is not None:
            return self.per_commune.get(commune, (0, 0.0, 0.0))
        rows = self.per_commune.values()
        return (
            sum(r[0] for r in rows),
            sum(r[1] for r in rows),
            sum(r[2] for r in rows),
        )


@dataclass(frozen=True, slots=True)
class NightSeries:
    """One bar per night of the window: kWh used and at full power (NaN where none recorded)."""

    days: tuple[date, ...]
    kwh: tuple[float, ...]
    baseline_kwh: tuple[float, ...]
    communes: tuple[int, ...]  # communes with a record, each night


def window(last: date, nights: int) -> tuple[date, date]:
    """The first and last nights of a window of ``nights`` ending with ``last``."""
    return last - timedelta(days=nights - 1), last


def in_window(nights: Iterable[EnergyNight], first: date, last: date) -> list[EnergyNight]:
    return [n for n in nights if first <= n.night <= last]


def communes(
    nights: Iterable[EnergyNight], policy: PolicyNight | None = None
) -> list[CommuneEnergy]:
    """The window's sums per commune (every commune with a record, or that the policy names)."""
    nights = list(nights)
    sums = by_commune(nights)
    counts: dict[str, set[date]] = {}
    for night in nights:
        counts.setdefault(night.commune, set()).add(night.night)
    # a group in no known commune counts in the policy's totals, not as a row without a name
    names = (set(sums) | (set(policy.per_commune) if policy else set())) - {""}
    rows = []
    for commune in sorted(names):
        total = sums.get(commune, EnergyTotals(0.0, 0.0))
        rows.append(
            CommuneEnergy(
                commune=commune,
                kwh=total.kwh,
                baseline_kwh=total.baseline_kwh,
                nights=len(counts.get(commune, ())),
                policy_share=_policy_share(policy, commune) if policy else None,
            )
        )
    return rows


def _policy_share(policy: PolicyNight, commune: str | None) -> float | None:
    _lights, projected, baseline = policy.of(commune)
    return (baseline - projected) / baseline if baseline > 0 else None


def series(
    nights: Iterable[EnergyNight], commune: str | None, first: date, last: date
) -> NightSeries:
    """Each night of [first, last], of one commune or of all (None): used and full power."""
    days = tuple(first + timedelta(days=n) for n in range((last - first).days + 1))
    kwh = dict.fromkeys(days, NAN)
    baseline = dict.fromkeys(days, NAN)
    heard: dict[date, set[str]] = {d: set() for d in days}
    for night in nights:
        if night.night not in kwh or (commune is not None and night.commune != commune):
            continue
        if not heard[night.night]:  # the night's first record: no longer a gap
            kwh[night.night] = baseline[night.night] = 0.0
        heard[night.night].add(night.commune)
        kwh[night.night] += night.kwh
        baseline[night.night] += night.baseline_kwh
    return NightSeries(
        days,
        tuple(kwh[d] for d in days),
        tuple(baseline[d] for d in days),
        tuple(len(heard[d]) for d in days),
    )


@dataclass(frozen=True, slots=True)
class Summary:
    """The headline figures of a selection (one commune, or all)."""

    totals: EnergyTotals
    saving: Saving | None  # None without a tariff (the policy file could not be read)
    nights: int  # nights with a record


def summary(nights: Sequence[EnergyNight], commune: str | None, tariff: Tariff | None) -> Summary:
    chosen = [n for n in nights if commune is None or n.commune == commune]
    sums = totals(chosen)
    saving = tariff.saving(sums.saving_kwh) if tariff is not None else None
    return Summary(sums, saving, len({n.night for n in chosen}))
