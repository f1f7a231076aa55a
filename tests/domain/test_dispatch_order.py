"""Who the dispatch list offers first, and how soon it says a unit is there: plain rules."""

from __future__ import annotations

import pytest

from services.domain.units import (
    ON_SITE_M,
    Arrival,
    Eta,
    UnitKind,
    offer_order,
    suited_kinds,
    travel_eta,
    usual_kinds,
)


def _offered(category: str, units: list[tuple[str, UnitKind, float]]) -> list[str]:
    """The units' names in the order the dispatch list offers them for ``category``."""
    ranked = sorted(units, key=lambda u: offer_order(category, u[1], u[2]))
    return [name for name, _kind, _distance in ranked]


@pytest.mark.parametrize("category", ["snow_ice", "freeze_risk"])
def test_for_ice_snow_vehicles_come_before_a_nearer_road_crew(category):
    units = [
        ("crew", UnitKind.ROAD_CREW, 200.0),
        ("patrol", UnitKind.PATROL, 100.0),
        ("spreader", UnitKind.SALT_SPREADER, 3_000.0),
        ("plough", UnitKind.SNOW_PLOUGH, 1_500.0),
    ]
    # the README: "snow vehicles for ice"; road crews next; a patrol is not the usual kind
    assert _offered(category, units) == ["plough", "spreader", "crew", "patrol"]


def test_road_crews_still_suit_ice_after_the_snow_vehicles():
    assert usual_kinds("snow_ice") == (
        {UnitKind.SNOW_PLOUGH, UnitKind.SALT_SPREADER},
        {UnitKind.ROAD_CREW},
    )
    assert suited_kinds("snow_ice") == {
        UnitKind.SNOW_PLOUGH,
        UnitKind.SALT_SPREADER,
        UnitKind.ROAD_CREW,
    }


def test_other_categories_keep_the_usual_kind_then_the_nearest():
    units = [
        ("far patrol", UnitKind.PATROL, 4_000.0),
        ("near crew", UnitKind.ROAD_CREW, 50.0),
        ("near patrol", UnitKind.PATROL, 900.0),
    ]
    assert _offered("fire", units) == ["near patrol", "far patrol", "near crew"]
    assert _offered("fallen_tree", units) == ["near crew", "near patrol", "far patrol"]
    assert _offered("a city's own code", units) == ["near crew", "near patrol", "far patrol"]


def test_the_kind_may_come_as_the_stored_text():
    assert offer_order("snow_ice", "snow_plough", 10.0) < offer_order("snow_ice", "road_crew", 1.0)


@pytest.mark.parametrize(
    ("distance_m", "expected"),
    [
        (0.0, Eta(Arrival.ON_SITE)),
        (ON_SITE_M, Eta(Arrival.ON_SITE)),
        (ON_SITE_M + 1, Eta(Arrival.UNDER_A_MINUTE)),
        (400.0, Eta(Arrival.UNDER_A_MINUTE)),  # 58 s at 25 km/h: formerly "about 1 min"
        (200.0, Eta(Arrival.UNDER_A_MINUTE)),  # 29 s: formerly "about 0 min"
        (417.0, Eta(Arrival.MINUTES, 1)),  # a minute at 25 km/h
        (1_000.0, Eta(Arrival.MINUTES, 2)),  # 2.4 min
        (1_042.0, Eta(Arrival.MINUTES, 3)),  # 2.5 min: half up
        (10_000.0, Eta(Arrival.MINUTES, 24)),
    ],
)
def test_a_unit_on_site_or_nearly_is_never_about_0_min(distance_m, expected):
    assert travel_eta(distance_m) == expected


def test_about_n_minutes_is_never_less_than_one():
    minutes = [
        travel_eta(d).minutes
        for d in range(0, 3_000, 7)
        if travel_eta(d).arrival is Arrival.MINUTES
    ]
    assert minutes and min(minutes) == 1
