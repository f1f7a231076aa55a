"""Street lighting: energy per commune and night, and light faults per commune and week.

Energy comes from ``energy_nights`` (the recorder's sums of the cabinets' meters); a night is
named by its evening and published once it is over (noon the next day). Faults come from the
lights' status changes: a fault begins when a light's status leaves ``ok``, is repaired when it
comes back; the week is the one the fault began in, the time to repair that of the faults
repaired before the export. Equipment, not people: no k-anonymity is needed here.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from datetime import date, datetime, timedelta

from services.domain.equipment import EquipmentType, is_fault_status
from services.opendata.export import sources
from services.opendata.export.context import Context
from services.opendata.export.files import Built, Csv
from services.opendata.export.period import monday, week_label

#: A fault that began this long before the first week is looked for (its repair may fall in it).
FAULT_LOOKBACK = timedelta(days=90)


def energy(ctx: Context) -> Built:
    p = ctx.period
    rows = []
    for night, insee, kwh, baseline in sources.nights(ctx.session, p.first_day, p.end_day):
        if p.start(night + timedelta(days=1)) + timedelta(hours=12) > ctx.now:
            continue  # the night is not over: its figures would still change
        saved = max(0.0, baseline - kwh)
        share = round(100 * saved / baseline, 1) if baseline > 0 else None
        rows.append(
            (
                night,
                insee,
                ctx.commune(insee),
                round(kwh, 1),
                round(baseline, 1),
                round(saved, 1),
                share,
            )
        )
    header = ("nuit", "code_insee", "commune", "kwh", "kwh_pleine_puissance", "economie_kwh",
              "economie_pourcent")  # fmt: skip
    days = [r[0] for r in rows]
    span = (min(days), max(days)) if days else None
    return Built(
        "eclairage-energie", (Csv("eclairage-energie.csv", header, rows),), span, len(rows)
    )


def faults(ctx: Context) -> Built:
    p = ctx.period
    lights = sources.equipment(ctx.session, [EquipmentType.STREETLIGHT.value])
    changes = sources.status_changes(ctx.session, lights, p.since - FAULT_LOOKBACK, p.until)
    began: dict[str, datetime] = {}
    weeks: dict[tuple[date, str], list[float | None]] = defaultdict(list)
    for device, at, old, new in changes:
        if is_fault_status(new) and not is_fault_status(old):
            began[device] = at
        elif not is_fault_status(new) and device in began:
            start = began.pop(device)
            _count(ctx, weeks, lights[device], start, (at - start).total_seconds() / 3600)
    for device, start in began.items():  # not repaired yet
        _count(ctx, weeks, lights[device], start, None)
    rows = []
    for (week, insee), hours in sorted(weeks.items()):
        repaired = sorted(h for h in hours if h is not None)
        rows.append(
            (
                week_label(week),
                week,
                insee,
                ctx.commune(insee),
                len(hours),
                len(repaired),
                round(statistics.median(repaired), 1) if repaired else None,
                round(_quantile(repaired, 0.9), 1) if repaired else None,
            )
        )
    header = ("semaine", "debut_semaine", "code_insee", "commune", "pannes", "reparees",
              "delai_reparation_median_h", "delai_reparation_p90_h")  # fmt: skip
    span = (p.first_day, p.week_end - timedelta(days=1)) if rows else None
    return Built("eclairage-pannes", (Csv("eclairage-pannes.csv", header, rows),), span, len(rows))


def _count(
    ctx: Context,
    weeks: dict[tuple[date, str], list[float | None]],
    light: sources.Device,
    start: datetime,
    hours: float | None,
) -> None:
    day = ctx.local(start).date()
    week = monday(day)
    if light.commune and ctx.period.first_day <= week < ctx.period.week_end:
        weeks[(week, light.commune)].append(hours)


def _quantile(values: list[float], q: float) -> float:
    """The ``q`` quantile of sorted ``values`` (nearest rank: a repair time that happened)."""
    rank = max(0, math.ceil(q * len(values)) - 1)
    return values[rank]
