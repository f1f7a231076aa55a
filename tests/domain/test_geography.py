import random
from pathlib import Path

import pytest

from services.domain.geography import (
    OUTSIDE_RADIUS_M,
    CommuneIndex,
    by_insee,
    distance_m,
    locate,
    parse_communes_csv,
    valid_coordinates,
)

CSV = Path(__file__).resolve().parents[2] / "resources" / "dijon-metropole-communes.csv"


@pytest.fixture(scope="module")
def communes():
    return parse_communes_csv(CSV.read_text("utf-8"))


def test_the_metropole_has_23_communes(communes):
    assert len(communes) == 23
    assert len({c.insee for c in communes}) == 23
    dijon = by_insee(communes)["21231"]
    assert dijon.name == "Dijon"
    assert dijon.population > 150_000
    assert sum(c.population for c in communes) > 250_000


def test_distance_is_metric():
    # one degree of latitude is about 111.2 km anywhere
    assert distance_m(47.0, 5.0, 48.0, 5.0) == pytest.approx(111_195, rel=1e-3)
    assert distance_m(47.3, 5.04, 47.3, 5.04) == 0.0
    # Dijon to Chenôve town centres, about 4 km apart
    assert 3_500 < distance_m(47.3220, 5.0415, 47.2925, 5.0050) < 4_500


def test_a_point_belongs_to_its_nearest_commune(communes):
    place = locate(47.3225, 5.0420, communes)  # by Dijon's reference point
    assert place.commune.insee == "21231"
    assert not place.outside
    place = locate(47.2930, 5.0060, communes)  # in Chenôve
    assert place.commune.name == "Chenôve"


def test_far_places_are_kept_and_flagged_outside(communes):
    madrid = locate(40.4238, -3.7122, communes)  # the Smart Data Models Alert example
    assert madrid.outside
    assert madrid.distance_m > OUTSIDE_RADIUS_M
    assert madrid.commune is not None


def test_coordinate_bounds():
    assert valid_coordinates(47.3, 5.0)
    assert not valid_coordinates(91.0, 5.0)
    assert not valid_coordinates(47.0, -180.5)
    assert not valid_coordinates(float("nan"), 5.0)
    with pytest.raises(ValueError):
        locate(47.0, 5.0, [])


def test_the_index_places_every_point_as_locate_does(communes):
    index = CommuneIndex(communes)
    rng = random.Random(7)
    # the métropole and well beyond it, cell edges included
    points = [(rng.uniform(47.1, 47.5), rng.uniform(4.8, 5.3)) for _ in range(20_000)]
    points += [(47.3 + i * 0.01, 5.0 + j * 0.01) for i in range(-10, 10) for j in range(-10, 10)]
    points += [(40.4238, -3.7122), (-33.9, 151.2)]
    for lat, lon in points:
        placement = locate(lat, lon, communes)
        assert index.locate(lat, lon) == placement, (lat, lon)
        assert index.commune_of(lat, lon) == (placement.commune, placement.outside), (lat, lon)
    with pytest.raises(ValueError):
        CommuneIndex([])
