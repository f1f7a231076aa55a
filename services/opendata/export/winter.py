"""Winter service: treatment per network segment per snow episode, and the snow plan's levels.

An episode runs from the snow plan leaving level 0 (watch) until it comes back to it
(``mode_periods.episode_start``). For each segment of the city's network and each finished
episode: when it was first treated after the episode began, against its target, how many passes
and the longest time it stayed untreated (``snow_passes``, kept by the recorder from the
ploughs' and spreaders' positions). Times are given in minutes from the episode's start, to 5
minutes (``services.domain.snow.delay_minutes``, the daily report's rule too): enough to judge a
delay against a target of hours, not enough to follow the first plough from segment to segment.
The segments are the public's, the vehicles' movements are not published.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from services.domain.modes import SnowLevel
from services.domain.snow import delay_minutes, target_minutes
from services.opendata.export import sources
from services.opendata.export.context import Context
from services.opendata.export.files import Built, Csv, GeoJson

#: The levels as the French plan names them (what a citizen reads in the file).
LEVEL_NAMES = {
    SnowLevel.WATCH: "veille",
    SnowLevel.ALERT: "alerte",
    SnowLevel.INTERVENTION: "intervention",
    SnowLevel.CRISIS: "crise",
}


def episodes(ctx: Context) -> list[tuple[datetime, datetime, int]]:
    """(start, end, highest level) of the episodes over within the period."""
    p = ctx.period
    periods = sources.mode_periods(ctx.session, "snow", p.since, p.until)
    found: dict[datetime, list[datetime | int | None]] = {}
    for value, _started, ended, episode in periods:
        if episode is None:
            continue
        entry = found.setdefault(episode, [None, 0])
        entry[0] = ended  # the episode's last period so far: its end is the episode's
        entry[1] = max(int(entry[1] or 0), _level(value))
    return [
        (start, end, int(level or 0))
        for start, (end, level) in sorted(found.items())
        if isinstance(end, datetime) and end <= p.until and start >= p.since
    ]


def treatment(ctx: Context) -> Built:
    done = episodes(ctx)
    by_episode = sources.passes(ctx.session, [start for start, _end, _level in done])
    rows = []
    for start, end, level in done:
        treated = by_episode.get(start, {})
        length_min = (end - start).total_seconds() / 60
        for segment in ctx.segments:
            target_min = target_minutes(segment.target)
            seen = treated.get(segment.id)
            after = delay_minutes(seen.first - start) if seen is not None else None
            # the longest between passes, or before the first, or after the last to the end
            untreated = (
                max(seen.longest_gap_s / 60, (end - seen.last).total_seconds() / 60)
                if seen is not None
                else length_min
            )
            rows.append(
                (
                    ctx.local(start),
                    ctx.local(end),
                    LEVEL_NAMES.get(SnowLevel(level), str(level)),
                    segment.id,
                    segment.name,
                    segment.network.value,
                    target_min,
                    after,
                    max(0, after - target_min) if after is not None else None,
                    after is not None and after <= target_min,  # as the minutes read
                    seen.count if seen is not None else 0,
                    delay_minutes(timedelta(minutes=untreated)),
                )
            )
    header = ("debut_episode", "fin_episode", "niveau_max", "id_troncon", "troncon", "reseau",
              "objectif_min", "premier_passage_min", "retard_min", "dans_objectif", "passages",
              "plus_long_sans_traitement_min")  # fmt: skip
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "LineString",
                "coordinates": [[lon, lat] for lat, lon in segment.points],
            },
            "properties": {
                "id_troncon": segment.id,
                "troncon": segment.name,
                "reseau": segment.network.value,
                "objectif_min": round(segment.target.total_seconds() / 60),
            },
        }
        for segment in ctx.segments
    ]
    days = [ctx.local(s).date() for s, _e, _l in done] + [ctx.local(e).date() for _s, e, _l in done]
    return Built(
        "viabilite-hivernale",
        (
            Csv("viabilite-hivernale.csv", header, rows),
            GeoJson("viabilite-troncons.geojson", features),
        ),
        (min(days), max(days)) if days else None,
        len(rows),
    )


def levels(ctx: Context) -> Built:
    p = ctx.period
    rows = []
    for value, started, ended, _episode in sources.mode_periods(
        ctx.session, "snow", p.since, p.until
    ):
        level = _level(value)
        rows.append(
            (
                ctx.local(started),
                ctx.local(ended) if ended is not None and ended <= ctx.now else None,
                level,
                LEVEL_NAMES.get(SnowLevel(level), str(level)) if 0 <= level <= 3 else str(level),
            )
        )
    header = ("debut", "fin", "niveau", "nom_niveau")
    days = [ctx.local(r[0]).date() for r in rows]
    return Built(
        "plan-neige",
        (Csv("plan-neige.csv", header, rows),),
        (min(days), p.end_day - timedelta(days=1)) if days else None,
        len(rows),
    )


def _level(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0
