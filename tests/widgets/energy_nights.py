"""A plausible month of Dijon Métropole's street-lighting energy, for the panel's tests and picture.

Each commune's lights draw what its size says; nights lengthen towards December; the policy was
applied ten nights before the last one (the saving jumps from a few percent to about 40 %); one
commune's cabinet reported nothing for two nights (a gap, not a zero); the last night is in
progress (half of it counted).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from services.domain.energy import EnergyNight
from services.reference import communes
from widgets.energy.figures import PolicyNight

LAST = date(2026, 12, 4)
NIGHTS = 30
#: The cabinet that was silent, and the nights it said nothing.
SILENT = "21166"
SILENT_NIGHTS = (LAST - timedelta(days=17), LAST - timedelta(days=16))


def month(last: date = LAST, nights: int = NIGHTS, seed: int = 7) -> list[EnergyNight]:
    rng = random.Random(seed)
    out: list[EnergyNight] = []
    for commune in communes():
        # Dijon holds about half the métropole's lights; a village a few hundred
        rated_kw = 600.0 if commune.insee == "21231" else rng.uniform(15.0, 90.0)
        for n in range(nights):
            night = last - timedelta(days=nights - 1 - n)
            if commune.insee == SILENT and night in SILENT_NIGHTS:
                continue
            hours = 14.6 + 0.03 * n  # the nights lengthen towards the solstice
            if night == last:
                hours /= 2  # the night in progress: counted so far
            baseline = rated_kw * hours
            applied = night >= last - timedelta(days=9)
            share = rng.uniform(0.36, 0.44) if applied else rng.uniform(0.02, 0.06)
            out.append(EnergyNight(commune.insee, night, baseline * (1 - share), baseline))
    return out


def policy(night: date = LAST) -> PolicyNight:
    rng = random.Random(11)
    per_commune = {}
    for commune in communes():
        lights = 17_000 if commune.insee == "21231" else rng.randint(200, 1200)
        baseline = lights * 0.06 * 15.2
        per_commune[commune.insee] = (lights, baseline * 0.58, baseline)
    return PolicyNight(night, per_commune)
