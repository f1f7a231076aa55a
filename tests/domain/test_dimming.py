"""Dimming profiles: the wire form, the sun's times, the level a cabinet holds at each moment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.domain.dimming import (
    Anchor,
    DimmingProfile,
    EventWindow,
    FullLight,
    Step,
    dark_seconds,
    night_at,
    night_of,
    sun_times,
)
from services.domain.errors import InvalidInput

DIJON = (47.322, 5.0415)
PROFILE = DimmingProfile(
    name="residential",
    steps=(
        Step(Anchor.DUSK, 0, 0.8, 1.0),
        Step(Anchor.DUSK, 180, 0.5, 0.8),
        Step(Anchor.DAWN, -60, 0.8, 1.0),
    ),
    presence_minutes=10,
    full_light=FullLight(snow=2, traffic=frozenset({"event"})),
)


def test_dijon_sunset_and_sunrise_in_december_are_where_the_almanac_puts_them():
    rise, set_ = sun_times(date(2026, 12, 6), *DIJON)
    # Dijon, 6 December: sunrise about 08:12 and sunset about 16:50, Paris time (UTC+1).
    assert abs(rise - datetime(2026, 12, 6, 7, 12, tzinfo=UTC)) < timedelta(minutes=3)
    assert abs(set_ - datetime(2026, 12, 6, 15, 50, tzinfo=UTC)) < timedelta(minutes=3)


def test_a_night_runs_from_one_dusk_to_the_next_dawn():
    night = night_of(date(2026, 12, 6), *DIJON)
    assert night is not None
    assert night.dusk.date() == date(2026, 12, 6) and night.dawn.date() == date(2026, 12, 7)
    assert night_at(datetime(2026, 12, 7, 2, tzinfo=UTC), *DIJON) == night
    assert night_at(datetime(2026, 12, 6, 12, tzinfo=UTC), *DIJON) is None


def test_dark_seconds_add_up_the_nights_between_two_times():
    start = datetime(2026, 12, 6, 12, tzinfo=UTC)
    end = datetime(2026, 12, 8, 12, tzinfo=UTC)
    expected = sum(
        (n.dawn - n.dusk).total_seconds()
        for n in (night_of(date(2026, 12, d), *DIJON) for d in (6, 7))
    )
    assert dark_seconds(start, end, *DIJON) == pytest.approx(expected)
    night = night_of(date(2026, 12, 6), *DIJON)
    half = night.dusk + (night.dawn - night.dusk) / 2
    assert dark_seconds(night.dusk, half, *DIJON) == pytest.approx(
        (half - night.dusk).total_seconds()
    )
    assert dark_seconds(end, start, *DIJON) == 0.0


def test_levels_follow_the_steps_through_the_night_and_are_off_by_day():
    night = night_of(date(2026, 12, 6), *DIJON)
    at = PROFILE.level_at
    assert at(night.dusk - timedelta(minutes=1), *DIJON) == 0.0
    assert at(night.dusk + timedelta(minutes=1), *DIJON) == 0.8
    assert at(night.dusk + timedelta(minutes=181), *DIJON) == 0.5
    assert at(night.dawn - timedelta(minutes=59), *DIJON) == 0.8
    assert at(night.dawn + timedelta(minutes=1), *DIJON) == 0.0
    assert PROFILE.next_step(night.dusk + timedelta(minutes=1), *DIJON) == night.dusk + timedelta(
        minutes=180
    )


def test_presence_modes_and_events_raise_the_level():
    night = night_of(date(2026, 12, 6), *DIJON)
    late = night.dusk + timedelta(hours=5)
    assert PROFILE.level_at(late, *DIJON, presence=True) == 0.8
    assert PROFILE.level_at(late, *DIJON, modes={"snow": "2"}) == 1.0
    assert PROFILE.level_at(late, *DIJON, modes={"snow": "1"}) == 0.5
    assert PROFILE.level_at(late, *DIJON, modes={"traffic": "event"}) == 1.0
    assert PROFILE.level_at(late, *DIJON, modes={"traffic": "peak"}) == 0.5
    with_event = DimmingProfile(
        "x",
        PROFILE.steps,
        events=(EventWindow(late - timedelta(hours=1), late + timedelta(hours=1), 0.9),),
    )
    assert with_event.level_at(late, *DIJON) == 0.9
    assert with_event.level_at(late + timedelta(hours=2), *DIJON) == 0.5


def test_energy_fraction_weights_each_level_by_its_hours():
    night = night_of(date(2026, 12, 6), *DIJON)
    hours = night.hours
    expected = (3 * 0.8 + (hours - 4) * 0.5 + 1 * 0.8) / hours
    assert PROFILE.energy_fraction(night) == pytest.approx(expected)


def test_the_wire_form_round_trips_and_its_version_follows_its_content():
    params = PROFILE.to_params()
    again = DimmingProfile.from_params(params)
    assert again == PROFILE and again.version == params["version"]
    changed = dict(params, presence_minutes=11)
    assert DimmingProfile.from_params(changed).version != PROFILE.version


@pytest.mark.parametrize(
    "change",
    [
        {"steps": []},
        {"steps": [{"at": "noon", "offset": 0, "level": 0.5}]},
        {"steps": [{"at": "dusk", "offset": 0, "level": 1.5}]},
        {"steps": [{"at": "dusk", "offset": True, "level": 0.5}]},
        {"presence_minutes": -1},
        {"full_light": {"snow": 7}},
        {"events": [{"from": "2026-12-31T18:00:00Z", "to": "2026-12-31T17:00:00Z"}]},
        {"name": ""},
    ],
)
def test_a_malformed_profile_is_refused(change):
    with pytest.raises(InvalidInput) as refused:
        DimmingProfile.from_params({**PROFILE.to_params(), **change})
    assert refused.value.key == "dimming.bad_profile"
