"""Dijon Métropole's reference data, read from the package's resources."""

from __future__ import annotations

import csv
import io
import os
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
from services.domain.open311 import DATATYPES, Attribute, AttributeValue, Service

#: Set to 1 (or true, yes, on) where a room plays ten times Dijon (``vigie simulate --scale x10``):
#: its recorder, consoles and tools then know the 207 synthetic communes as well as the 23 real
#: ones. Off by default, so that a real room never files a stray position in a made-up commune.
SYNTHETIC_ENVIRONMENT = "VIGIE_SYNTHETIC_COMMUNES"


def communes() -> tuple[Commune, ...]:
    """The communes a place is found among and named by.

    The 23 real communes (INSEE code, name, population, town-centre reference point, outline);
    and after them the 207 synthetic ones when ``VIGIE_SYNTHETIC_COMMUNES`` says so.
    """
    return _communes(synthetic_enabled())


def synthetic_enabled() -> bool:
    """Whether this process knows the synthetic communes (``VIGIE_SYNTHETIC_COMMUNES``)."""
    value = os.environ.get(SYNTHETIC_ENVIRONMENT, "").strip().lower()
    return value in {"1", "true", "yes", "on"}


@cache
def _communes(synthetic: bool) -> tuple[Commune, ...]:
    return real_communes() + (synthetic_communes() if synthetic else ())


@cache
def real_communes() -> tuple[Commune, ...]:
    """Dijon Métropole's 23 member communes, with their real outlines."""
    text = resources.files("resources").joinpath("dijon-metropole-communes.csv").read_text("utf-8")
    return tuple(with_outlines(parse_communes_csv(text), outlines()))


@cache
def synthetic_communes() -> tuple[Commune, ...]:
    """The 207 made-up communes around the real ones, for ten times Dijon.

    Named "Commune fictive 001"…, coded ``ZS001``… (never an INSEE code), each with a population,
    a reference point and a square outline; ``resources/synthetic-communes.csv``, built by
    ``services.simulator.synthetic`` (see ``resources/README.md``).
    """
    text = resources.files("resources").joinpath("synthetic-communes.csv").read_text("utf-8")
    return tuple(parse_communes_csv(text))


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


@cache
def open311_services() -> tuple[Service, ...]:
    """The city's Open311 service list, with each service's definition (its attributes).

    From ``resources/open311-services.csv`` (one service a row: code, incident category,
    keywords, name, description, group, agency) and ``open311-attributes.csv`` (one question a
    row; ``values`` as ``key=name`` pairs separated by ``;``). A row that breaks the format is
    refused with the file, the line and what is wrong.
    """
    attributes: dict[str, list[Attribute]] = {}
    name = "open311-attributes.csv"
    text = resources.files("resources").joinpath(name).read_text("utf-8")
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        attributes.setdefault(row["service_code"].strip(), []).append(_attribute(name, line, row))
    services = []
    name = "open311-services.csv"
    text = resources.files("resources").joinpath(name).read_text("utf-8")
    for row in csv.DictReader(io.StringIO(text)):
        code = row["service_code"].strip()
        if not code:
            continue
        services.append(
            Service(
                code=code,
                category=row["category"].strip(),
                name=(row.get("service_name") or code).strip(),
                description=(row.get("description") or "").strip(),
                group=(row.get("group") or "").strip(),
                keywords=tuple(k.strip() for k in (row.get("keywords") or "").split(";") if k),
                agency=(row.get("agency_responsible") or "").strip(),
                attributes=tuple(attributes.pop(code, ())),
            )
        )
    if attributes:
        raise ValueError(f"{name}: no service {sorted(attributes)[0]!r} for its attributes")
    return tuple(services)


def _attribute(file: str, line: int, row: dict[str, str]) -> Attribute:
    where = f"{file}, line {line}"
    datatype = row["datatype"].strip()
    if datatype not in DATATYPES:
        raise ValueError(f"{where}: datatype {datatype!r} is not one of {sorted(DATATYPES)}")
    values = []
    for pair in (row.get("values") or "").split(";"):
        if pair.strip():
            key, sep, label = pair.partition("=")
            if not sep or not key.strip():
                raise ValueError(f"{where}: a value is key=name, not {pair!r}")
            values.append(AttributeValue(key.strip(), label.strip()))
    if datatype.endswith("valuelist") and not values:
        raise ValueError(f"{where}: a {datatype} lists its values")
    try:
        order = int(row["order"])
    except ValueError:
        raise ValueError(f"{where}: order {row['order']!r} is not a number") from None
    return Attribute(
        code=row["code"].strip(),
        order=order,
        datatype=datatype,
        required=row["required"].strip().lower() == "true",
        variable=(row.get("variable") or "true").strip().lower() != "false",
        description=row["description"].strip(),
        datatype_description=(row.get("datatype_description") or "").strip(),
        values=tuple(values),
    )


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
