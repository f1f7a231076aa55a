import random
from pathlib import Path

import pytest

from services.domain.geography import (
    OUTSIDE_RADIUS_M,
    CommuneIndex,
    Outline,
    _Crossed,
    by_insee,
    distance_m,
    locate,
    parse_communes_csv,
    parse_outlines_geojson,
    valid_coordinates,
    with_outlines,
)

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
CSV = RESOURCES / "dijon-metropole-communes.csv"
GEOJSON = RESOURCES / "dijon-metropole-communes.geojson"


@pytest.fixture(scope="module")
def reference_points():
    """The communes by their town-centre reference points alone."""
    return parse_communes_csv(CSV.read_text("utf-8"))


@pytest.fixture(scope="module")
def communes(reference_points):
    """The communes with their real outlines (IGN Admin Express)."""
    return with_outlines(reference_points, parse_outlines_geojson(GEOJSON.read_text("utf-8")))


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


def test_every_commune_has_its_real_outline(communes):
    assert all(c.outline is not None for c in communes)
    for commune in communes:
        # where the map writes its name: inside its own outline, and in no other
        lat, lon = commune.outline.inner_point()
        assert locate(lat, lon, communes).commune == commune, commune.name
    # The town-centre reference points are approximate (within about 1 km): Flavignerot's
    # lies across the border, in Corcelles-les-Monts, and there the outline decides.
    flavignerot = next(c for c in communes if c.name == "Flavignerot")
    placed = locate(flavignerot.lat, flavignerot.lon, communes)
    assert placed.commune.name == "Corcelles-les-Monts"


@pytest.mark.parametrize(
    ("lat", "lon", "commune", "nearest_centre"),
    [
        # either side of the border between Chenôve and Dijon, 100 m from it: Chenôve's town
        # centre is the nearer to both, yet the second is in Dijon
        (47.3010, 5.0150, "Chenôve", "Chenôve"),
        (47.3030, 5.0150, "Dijon", "Chenôve"),
        # Dijon's western woods, nearer Talant's centre; its north, nearer Fontaine's
        (47.3148, 4.9851, "Dijon", "Talant"),
        (47.3277, 5.0213, "Dijon", "Fontaine-lès-Dijon"),
    ],
)
def test_a_point_is_in_the_commune_whose_outline_holds_it(
    communes, reference_points, lat, lon, commune, nearest_centre
):
    assert locate(lat, lon, reference_points).commune.name == nearest_centre  # as it was
    placement = locate(lat, lon, communes)
    assert (placement.commune.name, placement.outside) == (commune, False)
    assert CommuneIndex(communes).commune_of(lat, lon) == (placement.commune, False)


def test_outside_every_outline_the_nearest_centre_answers(communes):
    gevrey = locate(47.2262, 4.9680, communes)  # Gevrey-Chambertin: not a member
    assert (gevrey.commune.name, gevrey.outside) == ("Marsannay-la-Côte", True)
    assert gevrey.distance_m > OUTSIDE_RADIUS_M
    near = locate(47.3000, 4.8800, communes)  # just west of Flavignerot: kept, not flagged
    assert (near.commune.name, near.outside) == ("Flavignerot", False)


def test_an_outline_with_a_hole_leaves_the_hole_out():
    square = [[4.0, 47.0], [5.0, 47.0], [5.0, 48.0], [4.0, 48.0], [4.0, 47.0]]
    hole = [[4.4, 47.4], [4.6, 47.4], [4.6, 47.6], [4.4, 47.6], [4.4, 47.4]]
    outline = Outline.of_rings([square, hole])
    assert outline.contains(47.2, 4.2)
    assert not outline.contains(47.5, 4.5)
    assert not outline.contains(47.5, 5.5)
    assert not outline.contains(float("nan"), 4.2)


def test_the_index_places_every_point_by_the_outlines_as_locate_does(communes):
    index = CommuneIndex(communes)
    rng = random.Random(11)
    points = [(rng.uniform(47.22, 47.42), rng.uniform(4.88, 5.20)) for _ in range(20_000)]
    # along the Chenôve-Dijon border, where cells are cut by the outlines' edges
    points += [(47.2950 + i * 0.0002, 5.0150) for i in range(100)]
    for lat, lon in points:
        placement = locate(lat, lon, communes)
        assert index.locate(lat, lon) == placement, (lat, lon)
        assert index.commune_of(lat, lon) == (placement.commune, placement.outside), (lat, lon)


def test_the_index_places_points_on_the_outlines_themselves_as_locate_does(communes):
    """Vertices, and points a hair either side of an edge: where a cell's edges decide."""
    index = CommuneIndex(communes)
    points = []
    for commune in communes:
        ring = commune.outline.rings[0]
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            points.append((y0, x0))
            for t in (0.25, 0.5):
                x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)  # on the edge, to rounding
                points += [(y, x), (y + 1e-9, x), (y - 1e-9, x), (y, x + 1e-9), (y, x - 1e-9)]
    crossed = 0
    for lat, lon in points:
        placement = locate(lat, lon, communes)
        assert index.commune_of(lat, lon) == (placement.commune, placement.outside), (lat, lon)
        crossed += isinstance(index._possible_holders(index._cell(lat, lon)), _Crossed)
    assert crossed > len(points) // 2  # most of them placed by the cells' own edges
