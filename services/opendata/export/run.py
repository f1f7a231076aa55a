"""One export: read the record, build the chosen datasets, write the files and the catalogue.

Everything is read in one read transaction, then built in memory; the incidents' new weeks are
kept (``opendata_weeks``, a short write transaction) before any file is written, and read back
as kept; then the data files are written, each swapped in whole, the catalogue last, so that a
harvester reading the catalogue finds every file it names. Files a previous export published and
this one does not (a dataset the city dropped) are removed: the folder is what the catalogue says.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from services.opendata.catalogue import CATALOGUE, ETALAB_2, Dataset, Distribution, catalogue
from services.opendata.export import cameras, incidents, lighting, sources, traffic, winter
from services.opendata.export.context import Context
from services.opendata.export.described import ALL_FILES, DATASETS
from services.opendata.export.files import Built, Written, content, write_all
from services.opendata.export.period import period
from services.reference import communes
from services.snow_network import load_network
from services.store.database import Database

_BUILDERS: dict[str, Callable[[Context], Built]] = {
    "eclairage-energie": lighting.energy,
    "eclairage-pannes": lighting.faults,
    "trafic-debit": traffic.flow,
    "priorite-bus": traffic.bus_priority,
    "viabilite-hivernale": winter.treatment,
    "plan-neige": winter.levels,
    "cameras": cameras.locations,
}
#: Built together: the grid is protected against the category table's commune totals.
_INCIDENTS = ("signalements-commune", "signalements-grille")


@dataclass(frozen=True)
class ExportOptions:
    datasets: tuple[str, ...]  # from ``selection.chosen``: checked already
    zone: ZoneInfo
    base_url: str = ""  # where the files are downloaded from; empty: names relative to it
    licence: str = ETALAB_2
    publisher: str = "Dijon Métropole"
    snow_network: str = ""


@dataclass(frozen=True)
class ExportReport:
    folder: Path
    first_day: date
    end_day: date  # the first day not published
    rows: dict[str, int]  # per dataset
    files: list[Written]
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0


def export(
    db: Database,
    folder: Path,
    options: ExportOptions,
    *,
    since: date | None = None,
    now: datetime | None = None,
) -> ExportReport:
    began = time.perf_counter()
    now = (now or datetime.now(UTC)).astimezone(UTC)
    covered = period(now, options.zone, since)
    segments, _schematic = load_network(options.snow_network)
    names = {c.insee: c.name for c in communes()}
    built: list[Built] = []
    with db.read() as session:
        ctx = Context(session, covered, now, names, tuple(segments))
        for dataset in options.datasets:
            if dataset in _BUILDERS:
                built.append(_BUILDERS[dataset](ctx))
        if any(d in options.datasets for d in _INCIDENTS):
            first, end = covered.first_day, covered.week_end
            frozen = sources.frozen_weeks(session, incidents.DATASET, first, end)
            fresh = incidents.fresh_weeks(ctx, set(frozen))
    if any(d in options.datasets for d in _INCIDENTS):
        # Kept before anything is written: a week is published as kept, or not at all. What
        # another export kept first (at the same moment) is what both publish.
        with db.write() as session:
            sources.freeze_weeks(session, incidents.DATASET, fresh, now)
            kept = sources.frozen_weeks(session, incidents.DATASET, first, end)
        grid = "signalements-grille" in options.datasets
        built += [b for b in incidents.build(ctx, kept, grid=grid) if b.dataset in options.datasets]
    order = {d: n for n, d in enumerate(options.datasets)}
    built.sort(key=lambda b: order[b.dataset])
    written = write_all(folder, [(f.file, content(f)) for b in built for f in b.files])
    by_name = {w.file: w for w in written}
    document = catalogue(
        [_entry(b, by_name) for b in built],
        base_url=options.base_url,
        title={
            "fr": f"Données ouvertes du centre de supervision urbain — {options.publisher}",
            "en": f"Open data from the urban control room — {options.publisher}",
        },
        publisher=options.publisher,
        licence=options.licence,
        issued=now,
        spatial=options.publisher,
    )
    before = published_files(folder) & ALL_FILES  # never a file some other tool named
    text = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    written += write_all(folder, [(CATALOGUE, text)])
    removed = sorted(before - set(by_name))
    for name in removed:
        (folder / name).unlink(missing_ok=True)
    return ExportReport(
        folder=folder,
        first_day=covered.first_day,
        end_day=covered.end_day,
        rows={b.dataset: b.rows for b in built},
        files=written,
        removed=removed,
        seconds=round(time.perf_counter() - began, 3),
    )


def _entry(built: Built, written: dict[str, Written]) -> Dataset:
    said = DATASETS[built.dataset]
    return Dataset(
        id=built.dataset,
        title=said.title,
        description=said.description,
        keywords=said.keywords,
        theme=said.theme,
        temporal=built.temporal,
        accrual=said.accrual,
        distributions=tuple(
            Distribution(
                file=w.file,
                media_type=w.media_type,
                format=w.format,
                byte_size=w.byte_size,
                sha256=w.sha256,
            )
            for w in (written[f.file] for f in built.files)
        ),
    )


def published_files(folder: Path) -> set[str]:
    """The data files the catalogue in ``folder`` names (what is published there now)."""
    try:
        text = (folder / CATALOGUE).read_text("utf-8")
    except OSError:
        return set()
    names: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key.endswith("downloadURL") and isinstance(value, str | dict):
                    iri = value if isinstance(value, str) else str(value.get("@id", ""))
                    names.add(iri.rsplit("/", 1)[-1])
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    try:
        walk(json.loads(text))
    except ValueError:
        return set()
    return {n for n in names if n.endswith((".csv", ".geojson")) and not n.startswith(".")}
