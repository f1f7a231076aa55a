"""Dijon Métropole's reference data, read from the package's resources."""

from __future__ import annotations

import csv
import io
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path

from services.domain.geography import (
    Commune,
    Outline,
    parse_communes_csv,
    parse_outlines_geojson,
    with_outlines,
)


@cache
def communes() -> tuple[Commune, ...]:
    """The 23 communes (INSEE code, name, population, town-centre reference point, outline)."""
    text = resources.files("resources").joinpath("dijon-metropole-communes.csv").read_text("utf-8")
    return tuple(with_outlines(parse_communes_csv(text), outlines()))


@cache
def outlines_geojson() -> str:
    """The communes' outlines, as the map draws them.

    IGN Admin Express COG 2018 under the Licence Ouverte, by way of gregoiredavid/france-geojson
    (see ``resources/README.md``).
    """
    return (
        resources.files("resources").joinpath("dijon-metropole-communes.geojson").read_text("utf-8")
    )


@cache
def outlines() -> dict[str, Outline]:
    """Each commune's outline, by INSEE code."""
    return parse_outlines_geojson(outlines_geojson())


@cache
def _report_services() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(service_code, category, keywords) of ``resources/open311-services.csv``."""
    text = resources.files("resources").joinpath("open311-services.csv").read_text("utf-8")
    return tuple(
        (
            r["service_code"].strip(),
            r["category"].strip(),
            tuple(_plain(k) for k in (r.get("keywords") or "").split(";") if k.strip()),
        )
        for r in csv.DictReader(io.StringIO(text))
        if r["service_code"]
    )


def report_categories() -> dict[str, str]:
    """The city's Open311 service codes and the incident category each becomes.

    A city edits ``resources/open311-services.csv`` to match its own service list.
    """
    return {code: category for code, category, _ in _report_services()}


def report_category(service_code: str, service_name: str | None) -> str:
    """The incident category of a citizen's report.

    The city's code decides; a code the city does not list (another app's, another city's
    list) is read from its ``service_name`` by the keywords of each service, in French,
    English and Spanish ("Aceras" is a sidewalk: road damage); failing that, the code stays the
    category as it came (shown as it is, P3 by default).
    """
    known = report_categories()
    if service_code in known:
        return known[service_code]
    words = _plain(service_name or "").split()
    for _, category, keywords in _report_services():
        for keyword in keywords:
            if " " in keyword:
                if keyword in " ".join(words):
                    return category
            elif any(word.startswith(keyword) for word in words):
                return category
    return service_code


def _plain(text: str) -> str:
    """Lower case, accents and punctuation away: "Éclairage public !" -> "eclairage public"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.split())


def city_or_bundled(path: str, *bundled: str) -> tuple[str, str]:
    """(name, text) of the city's file at ``path``, or of the bundled resource when empty.

    A city's unreadable file raises ``OSError`` for the caller to say which and why.
    """
    if path:
        return Path(path).name, Path(path).expanduser().read_text(encoding="utf-8")
    return bundled[-1], resources.files("resources").joinpath(*bundled).read_text("utf-8")
