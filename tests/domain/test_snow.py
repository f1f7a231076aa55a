"""Winter service on scripted data: freeze risk, passes, coverage gaps, salt days left."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.domain.snow import (
    PASS_GAP,
    Network,
    Segment,
    SegmentPasses,
    Treatment,
    coverage_gaps,
    days_left,
    distance_to_segment_m,
    fold_pass,
    freeze_risk,
    last_passes,
)

T0 = datetime(2026, 12, 10, 5, 0, tzinfo=UTC)
AXIS = Segment(
    "prin:a",
    "Dijon – Chenôve",
    Network.PRINCIPAL,
    ((47.3220, 5.0415), (47.2925, 5.0050)),
    timedelta(hours=2),
)
LANE = Segment(
    "seco:b",
    "Chenôve – Marsannay",
    Network.SECONDARY,
    ((47.2925, 5.0050), (47.2700, 4.9900)),
    timedelta(hours=6),
)


@pytest.mark.parametrize(
    ("temperature", "state", "risk"),
    [
        (-0.5, "wet", True),
        (0.0, "moist", True),  # at 0 °C: at risk
        (-3.0, "ice", True),
        (-3.0, "dry", False),  # cold but dry: nothing to freeze
        (0.4, "wet", False),
        (-2.0, "snow", False),  # snow lying is the ploughs' business, not a freeze warning
        (None, "wet", False),
    ],
)
def test_freeze_risk_is_a_cold_and_damp_road(temperature, state, risk):
    attributes = {"roadSurfaceState": state}
    if temperature is not None:
        attributes["roadSurfaceTemperature"] = temperature
    assert freeze_risk(attributes) is risk


def test_the_distance_to_a_segment_is_to_its_nearest_point():
    middle = (47.30725, 5.02325)  # halfway along the axis
    assert distance_to_segment_m(*middle, AXIS) < 5
    assert distance_to_segment_m(47.3220, 5.0415, AXIS) < 1  # an end
    assert 700 < distance_to_segment_m(47.3300, 5.0415, AXIS) < 1000  # 890 m north of its end


def test_a_pass_needs_a_treating_vehicle_on_the_segment():
    treatments = [
        Treatment(47.30725, 5.02325, T0, treating=False),  # driving to the depot, blade up
        Treatment(47.30725, 5.02325, T0 + timedelta(minutes=5), treating=True),
        Treatment(47.2800, 4.99667, T0 + timedelta(minutes=9), treating=True),  # on the lane
        Treatment(47.3500, 5.1000, T0 + timedelta(minutes=20), treating=True),  # elsewhere
    ]
    passes = last_passes([AXIS, LANE], treatments)
    assert passes == {"prin:a": T0 + timedelta(minutes=5), "seco:b": T0 + timedelta(minutes=9)}
    later = last_passes(
        [AXIS, LANE], [Treatment(47.3, 5.01, T0 - timedelta(hours=1), True)], passes
    )
    assert later == passes  # an older pass never replaces a newer one


def test_a_principal_segment_untreated_past_its_target_is_a_gap():
    passes = {"prin:a": T0, "seco:b": T0 - timedelta(hours=5)}
    assert coverage_gaps([AXIS, LANE], passes, T0 + timedelta(hours=1), since=T0) == []
    gaps = coverage_gaps([AXIS, LANE], passes, T0 + timedelta(hours=3), since=T0)
    assert [(g.segment.id, g.untreated_for) for g in gaps] == [("prin:a", timedelta(hours=3))]
    # never treated: counted from the operation's start, not from the dawn of time
    gaps = coverage_gaps([AXIS], {}, T0 + timedelta(hours=2, minutes=30), since=T0)
    assert gaps[0].untreated_for == timedelta(hours=2, minutes=30)


def test_days_left_at_the_rate_of_use_refills_apart():
    readings = [
        (T0, 100.0),
        (T0 + timedelta(hours=6), 94.0),  # 6 t in 6 h
        (T0 + timedelta(hours=7), 140.0),  # a delivery: not use
        (T0 + timedelta(hours=12), 134.0),  # 6 t more in 5 h
    ]
    # 12 t used in 12 h: 24 t a day; 134 t last 134/24 days
    assert days_left(readings, T0 + timedelta(hours=12)) == pytest.approx(134 / 24)
    assert days_left(readings[:1], T0) is None
    assert days_left([(T0, 50.0), (T0 + timedelta(hours=3), 50.0)], T0) is None  # nothing used
    too_soon = [(T0, 50.0), (T0 + timedelta(minutes=10), 49.0)]
    assert days_left(too_soon, T0 + timedelta(minutes=10)) is None  # no rate from 10 minutes


def test_a_depots_trend_counts_the_last_six_hours_of_each_stock_apart():
    from services.domain.snow import DepotTrend

    trend = DepotTrend()
    assert trend.days_left("d1", "salt", 100.0, T0) is None  # one reading: no rate yet
    assert trend.days_left("d1", "brine", 50.0, T0) is None
    # 6 t of salt in 6 h: 24 t a day; the brine, not read again, has no rate
    assert trend.days_left("d1", "salt", 94.0, T0 + timedelta(hours=6)) == pytest.approx(94 / 24)
    assert trend.days_left("d1", "brine", None, T0 + timedelta(hours=6)) is None
    # 7 h on, the first reading is out of the window: 1 t in the last hour, 24 t a day still
    assert trend.days_left("d1", "salt", 93.0, T0 + timedelta(hours=7)) == pytest.approx(93 / 24)
    assert trend.days_left("d2", "salt", 10.0, T0 + timedelta(hours=7)) is None  # its own


def test_a_segments_pass_state_grows_with_the_time_since_it_was_treated():
    from services.domain.snow import PassState, pass_state

    hour = timedelta(hours=1)
    assert pass_state(AXIS, T0, T0 + 20 * timedelta(minutes=1), T0) == (20, PassState.FRESH)
    assert pass_state(AXIS, T0, T0 + 1.5 * hour, T0) == (90, PassState.DUE)
    assert pass_state(AXIS, T0, T0 + 3 * hour, T0) == (180, PassState.LATE)
    assert pass_state(AXIS, None, T0 + hour, T0) == (None, PassState.NEVER)
    assert pass_state(AXIS, None, T0 + 3 * hour, T0) == (None, PassState.LATE)
    # a pass from before the operation began does not count for it
    assert pass_state(AXIS, T0 - hour, T0 + hour, T0) == (None, PassState.NEVER)


def test_the_snow_situation_counts_vehicles_salt_days_and_gaps_only_in_an_operation():
    from services.domain.snow import DepotReading, DepotTrend, SnowReadings, StationReading
    from services.domain.snow_watch import SnowWatch

    watch = SnowWatch([AXIS, LANE], started_at=T0)
    watch.observe("vehicle:plough-1", 47.3220, 5.0415, T0 + timedelta(hours=1), treating=True)
    lately = T0 + timedelta(hours=5, minutes=55)  # heard from within the last ten minutes
    watch.observe("vehicle:plough-1", 47.40, 5.20, lately, treating=True)  # far from both
    watch.observe("vehicle:plough-2", 47.30, 5.02, lately, treating=False)
    trend = DepotTrend()
    cold = StationReading("station:1", "21231", -1.0, "wet", True)

    def readings(hours: int, salt: float) -> SnowReadings:
        depot = DepotReading("depot:1", "21231", salt, None, 500.0)
        return SnowReadings(T0 + timedelta(hours=hours), (depot,), (cold,))

    watch.situation(readings(0, 100.0), trend, since=None)
    outside = watch.situation(readings(6, 94.0), trend, since=None)
    assert (outside.treating, outside.heard, outside.principal) == (1, 2, 1)
    assert outside.gaps == ()  # no operation: nothing is late
    assert outside.depots[0][1] == pytest.approx(94 / 24)  # 6 t in 6 h: 24 t a day
    assert outside.depots[0][2] is None  # no brine reading
    assert outside.at_risk == (cold,)
    # in an operation since T0, the axis treated at T0+1h is late after its 2 h target
    during = watch.situation(readings(6, 94.0), trend, since=T0)
    assert [g.segment.id for g in during.gaps] == ["prin:a"]


def test_passes_fold_a_new_pass_after_the_gap_and_extend_one_within_it():
    minute = timedelta(minutes=1)
    first = fold_pass(None, T0 + 30 * minute, T0)
    assert first == SegmentPasses(T0 + 30 * minute, T0 + 30 * minute, 1, 1800)
    extended = fold_pass(first, T0 + 30 * minute + PASS_GAP, T0)  # within the gap: one pass
    assert extended == SegmentPasses(T0 + 30 * minute, T0 + 30 * minute + PASS_GAP, 1, 1800)
    later = T0 + 30 * minute + PASS_GAP + 61 * minute  # an hour untreated: a second pass
    second = fold_pass(extended, later, T0)
    assert second == SegmentPasses(T0 + 30 * minute, later, 2, 3660)
    third = fold_pass(second, later + 20 * minute, T0)  # a shorter gap keeps the longest
    assert (third.passes, third.longest_gap_s) == (3, 3660)


def test_an_older_treatment_only_moves_the_first_pass_earlier():
    minute = timedelta(minutes=1)
    state = fold_pass(None, T0 + 40 * minute, T0)
    state = fold_pass(state, T0 + 90 * minute, T0)
    again = fold_pass(state, T0 + 90 * minute, T0)  # heard twice: counted once
    assert again == state
    older = fold_pass(state, T0 + 20 * minute, T0)
    assert older == SegmentPasses(T0 + 20 * minute, state.last_pass_at, 2, state.longest_gap_s)
    assert fold_pass(state, T0 + 60 * minute, T0) == state  # between passes: nothing moves


def test_a_treatment_before_the_episode_counts_no_negative_gap():
    assert fold_pass(None, T0 - timedelta(seconds=5), T0).longest_gap_s == 0
