"""Dijon Métropole's reference data, read from the package's resources."""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources
from pathlib import Path

from services.domain.geography import Commune, parse_communes_csv


@cache
def communes() -> tuple[Commune, ...]:
    """The 23 communes (INSEE code, name, population, town-centre reference point)."""
    text = resources.files("resources").joinpath("dijon-metropole-communes.csv").read_text("utf-8")
    return tuple(parse_communes_csv(text))


@cache
def report_categories() -> dict[str, str]:
    """The city's Open311 service codes and the incident category each becomes.

    A city edits ``resources/open311-services.csv`` to match its own service list; a code it
    does not name stays the incident's category as it came (shown as it is, P3 by default).
    """
    text = resources.files("resources").joinpath("open311-services.csv").read_text("utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return {r["service_code"].strip(): r["category"].strip() for r in rows if r["service_code"]}


def city_or_bundled(path: str, *bundled: str) -> tuple[str, str]:
    """(name, text) of the city's file at ``path``, or of the bundled resource when empty.

    A city's unreadable file raises ``OSError`` for the caller to say which and why.
    """
    if path:
        return Path(path).name, Path(path).expanduser().read_text(encoding="utf-8")
    return bundled[-1], resources.files("resources").joinpath(*bundled).read_text("utf-8")
