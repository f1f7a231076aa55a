"""Dijon Métropole's reference data, read from the package's resources."""

from __future__ import annotations

from functools import cache
from importlib import resources

from services.domain.geography import Commune, parse_communes_csv


@cache
def communes() -> tuple[Commune, ...]:
    """The 23 communes (INSEE code, name, population, town-centre reference point)."""
    text = resources.files("resources").joinpath("dijon-metropole-communes.csv").read_text("utf-8")
    return tuple(parse_communes_csv(text))
