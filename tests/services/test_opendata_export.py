"""``vigie opendata export`` on simulated history, tried the way someone would try to break it.

Three weeks of the small city (``vigie simulate --backfill``, hundreds of incidents a day, with
callers' personal data, descriptions, units and operators), on SQLite and on PostgreSQL when
``VIGIE_TEST_PG_URL`` is set. The counts are checked against SQL run here, independently of the
export; then: no published incident count is under k, no published total gives back fewer than k
incidents by subtraction, no grid cell is finer than 250 m of Lambert-93, no personal value, no
description, no unit, no operator's name and no incident's own coordinates appear in any file,
and the catalogue expands as JSON-LD and names every file.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from services.backfill import backfill
from services.domain.disclosure import K
from services.domain.lambert93 import GRID_M, cell_of, to_lambert93
from services.opendata.export import export
from services.opendata.export.incidents import ALL, OTHER, published_categories
from services.opendata.export.run import CATALOGUE, ExportOptions
from services.opendata.export.selection import PUBLIC, chosen
from services.snow_network import load_network
from services.store.database import Database
from services.store.models import ModePeriodRow, SnowPassRow
from services.store.schema import upgrade
from tests.conftest import pg_schema

PARIS = ZoneInfo("Europe/Paris")
END = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)  # a Sunday: three whole weeks before it
NOW = END + timedelta(hours=2)
HISTORY = {"days": 22, "scale": "small", "seed": 11, "end": END, "incidents_per_day": 300}
BASE = "https://data.example.fr/vigie"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def month(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[tuple[Database, Path]]:
    """A backfilled database and its export (every public dataset and the cameras)."""
    folder = tmp_path_factory.mktemp("export")
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{folder.parent / f'{uuid.uuid4().hex}.db'}"
        else:
            url = stack.enter_context(pg_schema())
        db = Database(url)
        stack.callback(db.dispose)
        upgrade(db)
        backfill(db, **HISTORY)
        datasets = chosen(",".join(PUBLIC + ("cameras",)))
        export(db, folder, ExportOptions(datasets, PARIS, BASE + "/opendata/"), now=NOW)
        yield db, folder


def _rows(db: Database, sql: str, **params: object) -> list:
    with db.read() as session:
        return session.execute(text(sql), params).all()


def _csv(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _week(at: datetime) -> date:
    day = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(PARIS).date()
    return day - timedelta(days=day.weekday())


def _incidents(db: Database) -> list[tuple[str, str, datetime, float | None, float | None]]:
    rows = _rows(
        db,
        "SELECT category, commune, created_at, lat, lon FROM incidents "
        "WHERE duplicate_of IS NULL AND commune IS NOT NULL",
    )
    out = []
    for category, commune, created, lat, lon in rows:
        if isinstance(created, str):
            created = datetime.fromisoformat(created)
        out.append((category, commune, created, lat, lon))
    return out


def _true_counts(db: Database) -> dict[date, Counter]:
    """Per week (finished, within the export), (commune, category) → incidents, from SQL."""
    known = published_categories()
    weeks: dict[date, Counter] = defaultdict(Counter)
    last_monday = _week(NOW)
    for category, commune, created, _lat, _lon in _incidents(db):
        week = _week(created)
        if week < last_monday:
            weeks[week][(commune, category if category in known else OTHER)] += 1
    return weeks


def test_published_counts_are_true_and_none_is_under_k(month) -> None:
    db, folder = month
    truth = _true_counts(db)
    rows = _csv(folder, "signalements-commune.csv")
    assert rows, "three weeks of 300 incidents a day publish something"
    for row in rows:
        n = int(row["signalements"])
        assert n >= K, row
        week = date.fromisoformat(row["debut_semaine"])
        counts = truth[week]
        commune, category = row["code_insee"], row["categorie"]
        if commune and category != ALL:
            assert counts[(commune, category)] == n, row
        elif commune:
            assert sum(v for (c, _), v in counts.items() if c == commune) == n, row
        elif category != ALL:
            assert sum(v for (_, g), v in counts.items() if g == category) == n, row
        else:
            assert sum(counts.values()) == n, row


def test_no_total_gives_back_fewer_than_k(month) -> None:
    """Every published total minus what is published under it: none, or k and more."""
    db, folder = month
    truth = _true_counts(db)
    shown: dict[date, dict[tuple[str, str], int]] = defaultdict(dict)
    for row in _csv(folder, "signalements-commune.csv"):
        key = (row["code_insee"], row["categorie"])
        shown[date.fromisoformat(row["debut_semaine"])][key] = int(row["signalements"])
    suppressed_somewhere = False
    for week, counts in truth.items():
        published = shown.get(week, {})
        communes = {c for c, _ in counts}
        categories = {g for _, g in counts}
        lines = []
        for commune in communes:  # a commune's week: its categories under its total
            lines.append(((commune, ALL), [(commune, g) for g in categories]))
        for category in categories:  # a category over the métropole: its communes
            lines.append((("", category), [(c, category) for c in communes]))
        lines.append((("", ALL), [(c, ALL) for c in communes]))
        lines.append((("", ALL), [("", g) for g in categories]))
        for total_key, parts in lines:
            if total_key not in published:
                continue
            hidden = published[total_key] - sum(published.get(p, 0) for p in parts)
            assert hidden == 0 or hidden >= K, (week, total_key, hidden)
            suppressed_somewhere |= hidden > 0
        for (commune, category), n in counts.items():
            if 0 < n < K:
                assert (commune, category) not in published
    assert suppressed_somewhere, "the test saw a suppression (else it proves nothing)"


def test_the_grid_is_250_m_of_lambert_93_and_protected_like_the_communes(month) -> None:
    db, folder = month
    by_commune = {
        (date.fromisoformat(r["debut_semaine"]), r["code_insee"]): int(r["signalements"])
        for r in _csv(folder, "signalements-commune.csv")
        if r["categorie"] == ALL and r["code_insee"]
    }
    cells: dict[tuple[date, str], int] = defaultdict(int)
    truth: Counter = Counter()
    last_monday = _week(NOW)
    for _category, commune, created, lat, lon in _incidents(db):
        if lat is not None and lon is not None and _week(created) < last_monday:
            truth[(_week(created), commune, cell_of(lat, lon))] += 1
    for row in _csv(folder, "signalements-grille.csv"):
        x, y, n = int(row["x_l93"]), int(row["y_l93"]), int(row["signalements"])
        assert x % GRID_M == 0 and y % GRID_M == 0 and int(row["cote_m"]) == GRID_M
        assert n >= K
        week = date.fromisoformat(row["debut_semaine"])
        assert truth[(week, row["code_insee"], (x, y))] == n
        cells[(week, row["code_insee"])] += n
    for key, total in by_commune.items():
        hidden = total - cells.get(key, 0)
        assert hidden == 0 or hidden >= K, (key, hidden)
    layer = json.loads((folder / "signalements-grille.geojson").read_text("utf-8"))
    assert layer["features"]
    for feature in layer["features"]:
        for lon, lat in feature["geometry"]["coordinates"][0]:
            x, y = to_lambert93(lat, lon)
            assert abs(x - round(x / GRID_M) * GRID_M) < 0.01
            assert abs(y - round(y / GRID_M) * GRID_M) < 0.01


def _everything(folder: Path) -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted(folder.iterdir()) if p.is_file())


def _fields(folder: Path) -> set[str]:
    """Every value written: each CSV field, each string in each JSON document."""
    out: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, str):
            out.add(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in folder.iterdir():
        if path.suffix == ".csv":
            out |= {v for row in csv.reader(io.StringIO(path.read_text("utf-8"))) for v in row}
        elif path.suffix in (".geojson", ".jsonld"):
            walk(json.loads(path.read_text("utf-8")))
    return out


def test_no_personal_value_description_unit_or_operator_appears(month) -> None:
    db, folder = month
    published, fields = _everything(folder), _fields(folder)
    personal = _rows(db, "SELECT first_name, last_name, email, phone FROM personal_data")
    assert personal, "the history holds callers' personal data"
    # A surname may be a commune's name or a word (Fontaine, Lambert): names are looked for as
    # whole values and as the full name; everything else anywhere in the text.
    names = {v for first, last, _e, _p in personal for v in (first, last) if v}
    names_found = sorted(n for n in names if n in fields)
    full = {f"{first} {last}" for first, last, _e, _p in personal if first and last}
    values = {v for _f, _l, email, phone in personal for v in (email, phone) if v} | full
    values |= {r[0] for r in _rows(db, "SELECT description FROM incidents") if len(r[0] or "") > 6}
    values |= {r[0] for r in _rows(db, "SELECT id FROM units")}
    values |= {r[0] for r in _rows(db, "SELECT DISTINCT updated_by FROM incidents")}
    values |= {r[0] for r in _rows(db, "SELECT DISTINCT operator FROM audit_log")}
    values |= {r[0] for r in _rows(db, "SELECT text FROM journal") if len(r[0] or "") > 6}
    assert len(values) > 50 and len(names) >= 10
    found = sorted(v for v in values if v in published)
    assert (found, names_found) == ([], [])


def _points(folder: Path) -> set[tuple[float, float]]:
    """Every place written, (lat, lon) to 6 decimals: GeoJSON's positions, CSV's columns."""
    out: set[tuple[float, float]] = set()

    def walk(node: object) -> None:
        if isinstance(node, list) and len(node) == 2 and all(isinstance(v, float) for v in node):
            out.add((round(node[1], 6), round(node[0], 6)))
        elif isinstance(node, list | dict):
            for value in node.values() if isinstance(node, dict) else node:
                walk(value)

    for path in folder.iterdir():
        if path.suffix == ".geojson":
            walk(json.loads(path.read_text("utf-8")))
        elif path.suffix == ".csv":
            for row in _csv(folder, path.name):
                if row.get("latitude") and row.get("longitude"):
                    out.add((round(float(row["latitude"]), 6), round(float(row["longitude"]), 6)))
    return out


def test_no_incident_is_placed_finer_than_the_grid(month) -> None:
    """No incident's own place is written (a fault's place is its device's, published)."""
    db, folder = month
    published = _points(folder)
    assert len(published) > 100
    devices = {(round(a, 6), round(o, 6)) for a, o in _rows(db, "SELECT lat, lon FROM equipment")}
    placed = {
        (round(lat, 6), round(lon, 6))
        for _c, _commune, _at, lat, lon in _incidents(db)
        if lat is not None
    } - devices
    assert len(placed) > 1000
    assert sorted(placed & published) == []


def test_unit_positions_and_tracks_are_nowhere(month) -> None:
    db, folder = month
    published = _points(folder)
    points = {
        (round(a, 6), round(o, 6)) for a, o in _rows(db, "SELECT lat, lon FROM unit_positions")
    }
    assert len(points) > 1000
    # a plough on a vertex of a road segment is on the public network's drawing, not a leak
    vertices = {(round(a, 6), round(o, 6)) for s in load_network()[0] for a, o in s.points}
    assert sorted((points - vertices) & published) == []


def test_the_catalogue_expands_as_json_ld_and_names_every_file(month) -> None:
    from pyld import jsonld

    _db, folder = month
    document = json.loads((folder / CATALOGUE).read_text("utf-8"))

    def offline(url: str, options: dict | None = None) -> dict:
        raise AssertionError(f"the catalogue asked the network for {url}")

    expanded = jsonld.expand(document, {"documentLoader": offline})
    flat = json.dumps(expanded)
    files = sorted(p.name for p in folder.iterdir() if p.suffix in (".csv", ".geojson"))
    assert len(files) >= 12
    for name in files:
        assert f"{BASE}/opendata/{name}" in flat, name
    assert "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" in flat
    assert "http://www.w3.org/ns/dcat#Distribution" in flat


def test_every_file_opens_in_a_spreadsheet(month) -> None:
    _db, folder = month
    for path in folder.glob("*.csv"):
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
        assert rows and all(len(r) == len(rows[0]) for r in rows), path.name
    for path in folder.glob("*.geojson"):
        layer = json.loads(path.read_text("utf-8"))
        assert layer["type"] == "FeatureCollection"


def test_each_dataset_has_rows(month) -> None:
    _db, folder = month
    for name in ("eclairage-energie.csv", "eclairage-pannes.csv", "trafic-debit.csv",
                 "priorite-bus.csv", "plan-neige.csv", "viabilite-hivernale.csv",
                 "cameras.csv"):  # fmt: skip
        assert _csv(folder, name), name


def test_a_week_once_published_never_changes(db_url, tmp_path) -> None:
    """Reports marked duplicates after a week was published: the week is published as it was.

    Were it counted again, the difference between two exports (a total down by one here, a cell
    that appears or vanishes there) would give a suppressed count back.
    """
    db = Database(db_url)
    try:
        upgrade(db)
        backfill(db, **{**HISTORY, "days": 9})
        options = ExportOptions(chosen("signalements-commune,signalements-grille"), PARIS)
        export(db, tmp_path / "a", options, now=NOW)
        week = "2026-11-23"
        before = _published_week(tmp_path / "a", week)
        assert before[0], "the week was published"
        counted = _rows(db, "SELECT count(*) FROM incidents WHERE duplicate_of IS NULL")[0][0]
        with db.write() as session:
            session.execute(
                text(
                    "UPDATE incidents SET duplicate_of = (SELECT min(id) FROM incidents) "
                    "WHERE id % 5 = 0 AND id > (SELECT min(id) FROM incidents)"
                )
            )
        left = _rows(db, "SELECT count(*) FROM incidents WHERE duplicate_of IS NULL")[0][0]
        assert left < counted * 0.85  # the record did change under the published week
        later = NOW + timedelta(days=1)  # and another week is over
        export(db, tmp_path / "b", options, now=later, since=date(2026, 11, 20))
        assert _published_week(tmp_path / "b", week) == before
        assert _csv(tmp_path / "b", "signalements-commune.csv")[-1]["debut_semaine"] == "2026-11-30"
    finally:
        db.dispose()


def _published_week(folder: Path, week: str) -> tuple[list[dict], list[dict]]:
    return tuple(
        [r for r in _csv(folder, name) if r["debut_semaine"] == week]
        for name in ("signalements-commune.csv", "signalements-grille.csv")
    )


def test_each_finished_snow_episode_has_its_rows(db: Database, tmp_path) -> None:
    """Two episodes in the year: each segment's treatment in each (and the plan's levels)."""
    segments = load_network()[0]
    first = datetime(2026, 11, 10, 4, 0, tzinfo=UTC)
    second = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
    spans = [(first, first + timedelta(hours=20)), (second, second + timedelta(hours=30))]
    with db.write() as session:
        for start, end in spans:
            session.add(ModePeriodRow(kind="snow", value="2", started_at=start, ended_at=end,
                                      episode_start=start))  # fmt: skip
            session.add(ModePeriodRow(kind="snow", value="0", started_at=end, ended_at=None
                                      if start == second else second))  # fmt: skip
        seg = segments[0]
        session.add(
            SnowPassRow(episode_start=second, segment_id=seg.id, network=seg.network.value,
                        target_s=int(seg.target.total_seconds()),
                        first_pass_at=second + timedelta(minutes=122),
                        last_pass_at=second + timedelta(hours=3), passes=2, longest_gap_s=7320)
        )  # fmt: skip
    options = ExportOptions(chosen("viabilite-hivernale,plan-neige"), PARIS)
    export(db, tmp_path, options, now=NOW)
    rows = _csv(tmp_path, "viabilite-hivernale.csv")
    assert len(rows) == 2 * len(segments)
    (treated,) = [r for r in rows if r["passages"] != "0"]
    assert (treated["premier_passage_min"], treated["retard_min"]) == ("120", "0")
    assert treated["dans_objectif"] == "true"  # as its rounded minutes read
    assert treated["plus_long_sans_traitement_min"] == str(27 * 60)  # the last pass to the end
    levels = _csv(tmp_path, "plan-neige.csv")
    assert [r["niveau"] for r in levels] == ["2", "0", "2", "0"] and levels[-1]["fin"] == ""
