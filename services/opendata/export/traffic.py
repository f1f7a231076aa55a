"""Traffic: vehicles per hour at the counting loops, bus priority asked and served per signal.

Both from the recorder's aggregates (``traffic_flow_hours``, ``bus_priority_days``). A loop is
named with the signalised intersection it counts for (the nearest signal within
``INTERSECTION_M``); its place is the equipment's, public infrastructure. Hours and days are
published once over.
"""

from __future__ import annotations

import math

from services.domain.equipment import EquipmentType
from services.domain.geography import distance_m
from services.opendata.export import sources
from services.opendata.export.context import Context
from services.opendata.export.files import Built, Csv, GeoJson

#: A counting loop further than this from every signal counts for no intersection.
INTERSECTION_M = 100.0


def flow(ctx: Context) -> Built:
    p = ctx.period
    loops = sources.equipment(ctx.session, [EquipmentType.TRAFFIC_FLOW_OBSERVED.value])
    signals = sources.equipment(ctx.session, [EquipmentType.TRAFFIC_SIGNAL.value])
    crossing = {loop.id: _nearest(loop, signals) for loop in loops.values()}
    rows = []
    for device, hour, total, readings in sources.flow_hours(ctx.session, p.since, p.until):
        loop = loops.get(device)
        if loop is None or not math.isfinite(total):
            continue  # (a sum no counter makes: recorded before the recorder bounded readings)
        signal = crossing[device]
        rows.append(
            (
                ctx.local(hour),
                loop.id,
                loop.name,
                signal.id if signal else None,
                signal.name if signal else None,
                loop.commune,
                ctx.commune(loop.commune),
                round(total / readings),
                readings,
            )
        )
    header = ("heure_debut", "id_capteur", "capteur", "id_carrefour", "carrefour", "code_insee",
              "commune", "vehicules_par_heure", "mesures")  # fmt: skip
    features = [
        _point(
            loop,
            ctx,
            {
                "id_carrefour": crossing[loop.id].id if crossing[loop.id] else None,
                "carrefour": crossing[loop.id].name if crossing[loop.id] else None,
            },
        )
        for loop in sorted(loops.values(), key=lambda d: d.id)
        if loop.lat is not None and loop.lon is not None
    ]
    days = [ctx.local(r[0]).date() for r in rows]
    return Built(
        "trafic-debit",
        (Csv("trafic-debit.csv", header, rows), GeoJson("trafic-capteurs.geojson", features)),
        (min(days), max(days)) if days else None,
        len(rows),
    )


def bus_priority(ctx: Context) -> Built:
    p = ctx.period
    signals = sources.equipment(ctx.session, [EquipmentType.TRAFFIC_SIGNAL.value])
    rows = []
    totals: dict[str, list[int]] = {}
    for device, day, requests, served in sources.bus_days(ctx.session, p.first_day, p.end_day):
        signal = signals.get(device)
        if signal is None or requests <= 0:
            continue
        rows.append(
            (
                day,
                signal.id,
                signal.name,
                signal.commune,
                ctx.commune(signal.commune),
                requests,
                served,
                round(100 * served / requests, 1),
            )
        )
        total = totals.setdefault(device, [0, 0])
        total[0] += requests
        total[1] += served
    header = ("jour", "id_carrefour", "carrefour", "code_insee", "commune", "demandes",
              "servies", "part_servie_pourcent")  # fmt: skip
    features = [
        _point(signals[d], ctx, {"demandes": asked, "servies": served})
        for d, (asked, served) in sorted(totals.items())
        if signals[d].lat is not None and signals[d].lon is not None
    ]
    days = [r[0] for r in rows]
    return Built(
        "priorite-bus",
        (Csv("priorite-bus.csv", header, rows), GeoJson("priorite-bus.geojson", features)),
        (min(days), max(days)) if days else None,
        len(rows),
    )


def _nearest(loop: sources.Device, signals: dict[str, sources.Device]) -> sources.Device | None:
    if loop.lat is None or loop.lon is None:
        return None
    best, best_m = None, INTERSECTION_M
    for signal in signals.values():
        if signal.lat is None or signal.lon is None:
            continue
        metres = distance_m(loop.lat, loop.lon, signal.lat, signal.lon)
        if metres <= best_m:
            best, best_m = signal, metres
    return best


def _point(device: sources.Device, ctx: Context, extra: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [device.lon, device.lat]},
        "properties": {
            "id": device.id,
            "nom": device.name,
            "code_insee": device.commune,
            "commune": ctx.commune(device.commune),
            **extra,
        },
    }
