"""Patrol coverage, who may see patrols, who is sent for what: plain rules, no Qt, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.domain.coverage import CoverageWatch
from services.domain.operators import Role
from services.domain.units import UnitKind
from services.permissions import load_matrix

T0 = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
GAP = timedelta(minutes=20)

DEFAULT = load_matrix()  # the bundled permission matrix


def test_a_commune_warns_only_after_the_allowed_time_without_a_patrol():
    watch = CoverageWatch({"21231", "21617"}, started=T0)
    watch.observe({"21231"}, T0)
    assert watch.gaps(T0 + timedelta(minutes=19), GAP) == []
    gaps = watch.gaps(T0 + timedelta(minutes=21), GAP)
    assert [g.insee for g in gaps] == ["21617"]  # Dijon is covered, Talant is not
    assert gaps[0].minutes(T0 + timedelta(minutes=21)) == 21


def test_a_patrol_arriving_ends_the_gap_and_leaving_starts_a_new_one():
    watch = CoverageWatch({"21617"}, started=T0)
    watch.observe(set(), T0 + timedelta(minutes=30))
    assert watch.gaps(T0 + timedelta(minutes=30), GAP)
    watch.observe({"21617"}, T0 + timedelta(minutes=31))
    assert watch.gaps(T0 + timedelta(minutes=31), GAP) == []
    left = T0 + timedelta(minutes=40)
    watch.observe(set(), left)
    assert watch.gaps(left + timedelta(minutes=10), GAP) == []  # counted from when it left
    assert watch.gaps(left + timedelta(minutes=21), GAP)[0].since == left


def test_only_watched_communes_warn_longest_first():
    watch = CoverageWatch({"21617", "21003"}, started=T0)
    watch.observe({"21617"}, T0 + timedelta(minutes=1))
    watch.observe(set(), T0 + timedelta(minutes=5))
    gaps = watch.gaps(T0 + timedelta(minutes=60), GAP)
    assert [g.insee for g in gaps] == ["21003", "21617"]  # 21003 since T0, 21617 since +5


def test_patrol_positions_are_for_the_roles_that_send_them():
    assert UnitKind.PATROL in DEFAULT.unit_kinds(Role("dispatcher"))
    assert UnitKind.PATROL in DEFAULT.unit_kinds(Role("supervisor"))
    for role in ("snow_coordinator", "technician", "auditor"):
        kinds = DEFAULT.unit_kinds(Role(role))
        assert UnitKind.PATROL not in kinds
        assert {UnitKind.ROAD_CREW, UnitKind.SNOW_PLOUGH, UnitKind.SALT_SPREADER} <= kinds
    assert DEFAULT.unit_kinds(Role.ADMIN) == frozenset()  # the admin runs no operational act


def test_the_usual_unit_for_a_category():
    from services.domain.units import suited_kinds

    assert suited_kinds("fire") == {UnitKind.PATROL}
    assert suited_kinds("fallen_tree") == {UnitKind.ROAD_CREW}
    assert UnitKind.SALT_SPREADER in suited_kinds("snow_ice")
    assert suited_kinds("a city's own code") == frozenset(UnitKind)  # unknown: anyone
