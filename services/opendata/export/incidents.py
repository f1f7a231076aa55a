"""Incidents per category and commune per week, and on a 250 m grid: k-anonymous counts only.

Each ISO week stands alone (its incidents are nobody else's). In a week:

- the category table is commune × category with its margins (each commune's week over all
  categories, each category over the métropole, the week's total), protected as a whole by
  ``services.domain.disclosure.protect``: no published count is under k, and no published total
  gives back, by subtraction, fewer than k incidents;
- the grid breaks each commune's week down by 250 m cell (Lambert-93), as the categories do: a
  second breakdown of the same published commune total, protected line by line against it
  (``protect_breakdown``), the commune's incidents without a place counting as hidden. A cell
  shared by two communes is published once per commune, each part protected with its own.

Each week is kept as first published (``opendata_weeks``) and written verbatim by every later
export: a count that changed afterwards (a report marked a duplicate, an alert's place moved)
would otherwise give a suppressed count back by difference between two exports.

A count that is not published is not written at all: an absent row is "none or fewer than k",
so that not even the existence of a lone report shows. Categories the city did not define (an
alert's free category) are counted as ``other``: a category's name is never a way in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from services.domain.disclosure import K, protect, protect_breakdown
from services.domain.incidents import CATEGORY_BASE_PRIORITY
from services.domain.lambert93 import GRID_M, cell_of, cell_polygon_wgs84
from services.opendata.export import sources
from services.opendata.export.context import Context
from services.opendata.export.files import Built, Csv, GeoJson
from services.opendata.export.period import monday, week_label
from services.reference import report_categories

#: The word for "every commune" and "every category" in the totals' rows.
ALL = "toutes"
OTHER = "other"


def published_categories() -> frozenset[str]:
    return frozenset(CATEGORY_BASE_PRIORITY) | frozenset(report_categories().values())


def by_week(ctx: Context) -> dict[date, list[sources.Located]]:
    p = ctx.period
    weeks: dict[date, list[sources.Located]] = defaultdict(list)
    known = set(ctx.communes)
    for incident in sources.incidents(ctx.session, p.since, p.start(p.week_end)):
        if incident.commune in known:
            weeks[monday(ctx.local(incident.created_at).date())].append(incident)
    return weeks


#: The key of the incidents' weeks in ``opendata_weeks``.
DATASET = "signalements"


def protect_week(incidents: list[sources.Located], categories: frozenset[str]) -> dict:
    """A week's published counts: the category table and the grid, protected together.

    ``{"commune": [[insee, category, n], ...], "grid": [[insee, x, y, n], ...]}``, with
    ``ALL`` for a total's commune or category (``""`` for the métropole's insee); only what is
    published: a suppressed count is absent.
    """
    counts = Counter(
        (i.commune, i.category if i.category in categories else OTHER) for i in incidents
    )
    protected = protect(counts, K)
    table: list[list] = [
        [insee, category, n] for (insee, category), n in sorted(protected.cells.items()) if n
    ]
    table += [[insee, ALL, n] for insee, n in sorted(protected.row_totals.items()) if n]
    table += [["", category, n] for category, n in sorted(protected.col_totals.items()) if n]
    if protected.total:
        table.append(["", ALL, protected.total])
    grid: list[list] = []
    for insee in sorted(protected.row_totals):
        mine = [i for i in incidents if i.commune == insee]
        cells = Counter(
            cell_of(i.lat, i.lon) for i in mine if i.lat is not None and i.lon is not None
        )
        hidden = len(mine) - sum(cells.values())
        shown = protect_breakdown(
            cells, hidden, total_published=protected.row_totals[insee] is not None, k=K
        )
        grid += [[insee, x, y, n] for (x, y), n in sorted(shown.items()) if n]
    return {"commune": table, "grid": grid}


def fresh_weeks(ctx: Context, frozen: set[date]) -> dict[date, dict]:
    """The finished weeks not published yet, protected: what the export will keep."""
    categories = published_categories()
    weeks = by_week(ctx)
    return {
        week: protect_week(weeks.get(week, []), categories)
        for week in ctx.period.weeks()
        if week not in frozen
    }


def build(ctx: Context, bodies: dict[date, dict], *, grid: bool) -> list[Built]:
    """The category table, and the grid when ``grid``, from the weeks as kept."""
    table_rows: list[tuple] = []
    grid_rows: list[tuple] = []
    features: list[dict] = []
    for week, body in sorted(bodies.items()):
        label = week_label(week)
        for insee, category, n in body["commune"]:
            commune = ctx.commune(insee) if insee else ALL
            table_rows.append((label, week, insee, commune, category, n))
        for insee, x, y, n in body["grid"] if grid else ():
            grid_rows.append((label, week, insee, ctx.commune(insee), x, y, GRID_M, n))
            features.append(_feature(label, week, insee, ctx.commune(insee), x, y, n))
    header = ("semaine", "debut_semaine", "code_insee", "commune", "categorie", "signalements")
    out = [
        Built(
            "signalements-commune",
            (Csv("signalements-commune.csv", header, table_rows),),
            _span(table_rows),
            len(table_rows),
        )
    ]
    if grid:
        grid_header = ("semaine", "debut_semaine", "code_insee", "commune", "x_l93", "y_l93",
                       "cote_m", "signalements")  # fmt: skip
        out.append(
            Built(
                "signalements-grille",
                (
                    Csv("signalements-grille.csv", grid_header, grid_rows),
                    GeoJson("signalements-grille.geojson", features),
                ),
                _span(grid_rows),
                len(grid_rows),
            )
        )
    return out


def _feature(label: str, week: date, insee: str, name: str, x: int, y: int, n: int) -> dict:
    ring = [[lon, lat] for lon, lat in cell_polygon_wgs84(x, y, GRID_M)]
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {
            "semaine": label,
            "debut_semaine": week.isoformat(),
            "code_insee": insee,
            "commune": name,
            "x_l93": x,
            "y_l93": y,
            "cote_m": GRID_M,
            "signalements": n,
        },
    }


def _span(rows: list[tuple]) -> tuple[date, date] | None:
    if not rows:
        return None
    weeks = [r[1] for r in rows]
    return (min(weeks), max(weeks) + timedelta(days=6))
