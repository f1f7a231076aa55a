"""Lambert-93 against an independent implementation (PROJ), round trips, and the 250 m grid."""

import math

import pytest

from services.domain.lambert93 import (
    GRID_M,
    cell_of,
    cell_polygon_wgs84,
    from_lambert93,
    to_lambert93,
)

# Reference values from PROJ 9.5.1 (pyproj 3.7.2, installed in a throwaway venv, not a project
# dependency): Transformer.from_crs("EPSG:4171", "EPSG:2154", always_xy=True), i.e. RGF93 v1
# geographic to Lambert-93, the pure projection. EPSG:4326 → EPSG:2154 gave the same numbers to
# the 0.1 mm (PROJ's RGF93 v1 → WGS 84 is a null transformation).
FORWARD = [
    # (lat, lon, x, y)
    (47.3220, 5.0415, 854184.5476, 6693290.4615),  # Dijon, town centre
    (47.3215, 5.0410, 854148.2289, 6693233.9626),  # Dijon, place de la Libération
    (47.2917, 5.0075, 851702.8118, 6689859.9330),  # Chenôve
    (47.3367, 5.0050, 851387.0200, 6694852.2194),  # Talant
    (47.3140, 5.1080, 859229.5152, 6692534.0837),  # Quetigny
    (51.03, 2.37, 655705.5567, 7103986.1411),  # Dunkerque: far north of the secants
    (42.69, 2.89, 690974.4581, 6176715.7153),  # Perpignan: far south
    (48.39, -4.49, 146341.3473, 6836245.4039),  # Brest: far west of the meridian
    (48.58, 7.75, 1050163.9436, 6841622.7155),  # Strasbourg
]
# Same source, Transformer.from_crs("EPSG:2154", "EPSG:4171", always_xy=True).
INVERSE = [
    # (x, y, lat, lon)
    (854000, 6693250, 47.3216787965, 5.0390437297),
    (855000, 6693000, 47.3191957814, 5.0521923217),
    (1000000, 7000000, 50.0268908195, 7.1846151226),
]
#: 1e-9° of latitude is 0.1 mm: the references' printed precision.
DEG_TOL = 1e-9


def test_the_origin_is_the_false_easting_and_northing():
    x, y = to_lambert93(46.5, 3.0)
    assert x == pytest.approx(700000.0, abs=1e-6)
    assert y == pytest.approx(6600000.0, abs=1e-6)
    lat, lon = from_lambert93(700000.0, 6600000.0)
    assert (lat, lon) == pytest.approx((46.5, 3.0), abs=1e-12)


@pytest.mark.parametrize(("lat", "lon", "x", "y"), FORWARD)
def test_forward_matches_proj_to_the_centimetre(lat, lon, x, y):
    got_x, got_y = to_lambert93(lat, lon)
    assert got_x == pytest.approx(x, abs=0.01)
    assert got_y == pytest.approx(y, abs=0.01)


@pytest.mark.parametrize(("x", "y", "lat", "lon"), INVERSE)
def test_inverse_matches_proj(x, y, lat, lon):
    got_lat, got_lon = from_lambert93(x, y)
    assert got_lat == pytest.approx(lat, abs=DEG_TOL)
    assert got_lon == pytest.approx(lon, abs=DEG_TOL)


def test_round_trips_within_a_millimetre_across_france():
    for lat10 in range(420, 512, 7):
        for lon10 in range(-50, 96, 9):
            lat, lon = lat10 / 10, lon10 / 10
            x, y = to_lambert93(lat, lon)
            back_x, back_y = to_lambert93(*from_lambert93(x, y))
            assert math.hypot(back_x - x, back_y - y) < 0.001, (lat, lon)


def test_a_point_falls_in_the_cell_whose_corner_is_below_and_left_of_it():
    x, y = to_lambert93(47.3220, 5.0415)
    x0, y0 = cell_of(47.3220, 5.0415)
    assert (x0, y0) == (854000, 6693250)
    assert x0 % GRID_M == 0 and y0 % GRID_M == 0
    assert x0 <= x < x0 + GRID_M and y0 <= y < y0 + GRID_M
    assert cell_of(47.3220, 5.0415, size=1000) == (854000, 6693000)


def test_the_cell_ring_is_closed_counter_clockwise_and_maps_back_to_the_corners():
    x0, y0 = 854000, 6693250
    ring = cell_polygon_wgs84(x0, y0, GRID_M)
    assert len(ring) == 5 and ring[0] == ring[-1]
    # GeoJSON order (lon, lat): the first corner is the south-west one, from the inverse above
    assert ring[0] == pytest.approx((5.0390437297, 47.3216787965), abs=DEG_TOL)
    corners = [to_lambert93(lat, lon) for lon, lat in ring[:4]]
    expected = [(x0, y0), (x0 + 250, y0), (x0 + 250, y0 + 250), (x0, y0 + 250)]
    for (x, y), (ex, ey) in zip(corners, expected, strict=True):
        assert math.hypot(x - ex, y - ey) < 0.001
    # shoelace: positive area is counter-clockwise, as RFC 7946 wants an outer ring
    area = sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False))
    assert area > 0
