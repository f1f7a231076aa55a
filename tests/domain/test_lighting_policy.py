"""Lighting policies: the bundled one reads, each fault names its entry, groups get profiles."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from importlib import resources

import pytest

from services.domain.lighting import LightingPolicyError, read_policy
from services.domain.playbooks import read_playbook
from services.reference import communes

INSEE = [c.insee for c in communes()]


def bundled() -> dict:
    return tomllib.loads(
        resources.files("resources").joinpath("lighting", "dijon.toml").read_text()
    )


def playbook():
    text = resources.files("resources").joinpath("playbooks", "dijon.toml").read_text()
    return read_playbook(tomllib.loads(text), "dijon.toml", INSEE)


def test_the_bundled_policy_reads_and_assigns_every_commune_a_profile():
    policy = read_policy(bundled(), "dijon.toml", INSEE)
    assert policy.profile_name("streetlightgroup:21231-001-A", "21231") == "centre"
    assert policy.profile_name("streetlightgroup:21231-009-B", "21231") == "arterial"
    assert policy.profile_name("streetlightgroup:21270-001-A", "21270") == "village"
    assert policy.profile_name("streetlightgroup:21166-001-A", "21166") == "residential"


def test_a_profile_steps_down_classes_and_presence_raises_them_up_the_citys_table():
    policy = read_policy(bundled(), "dijon.toml", INSEE)
    village = policy.profile_for("g", "21270")
    levels = [s.level for s in village.steps]
    assert levels == [policy.levels["P4"], 0.0, policy.levels["P4"]]
    # Off, raised two classes up the city's P table: P6, then P5.
    assert village.steps[1].boost == policy.levels["P5"]
    assert village.presence_minutes == 10


def test_full_light_only_where_the_playbook_lights_up():
    policy = read_policy(bundled(), "dijon.toml", INSEE)
    book = playbook()
    dijon = policy.profile_for("streetlightgroup:21231-050-B", "21231", book)
    chenove = policy.profile_for("streetlightgroup:21166-001-A", "21166", book)
    talant = policy.profile_for("streetlightgroup:21617-001-A", "21617", book)
    centre = policy.profile_for("streetlightgroup:21231-001-A", "21231", book)
    assert dijon.full_light.snow == 2  # snow.2 lights Dijon up
    assert chenove.full_light.snow == 3  # only snow.3 lights Chenôve up
    assert talant.full_light.snow is None
    assert centre.full_light.traffic == frozenset({"event"}) and not dijon.full_light.traffic


def test_events_over_are_left_out_of_the_profile():
    policy = read_policy(bundled(), "dijon.toml", INSEE)
    before = policy.profile_for("g", "21231", now=datetime(2026, 12, 6, tzinfo=UTC))
    after = policy.profile_for("g", "21231", now=datetime(2027, 1, 2, tzinfo=UTC))
    assert len(before.events) == 1 and after.events == ()
    assert before.version != after.version


@pytest.mark.parametrize(
    ("path", "value", "where", "key"),
    [
        (
            ("profiles", "village", "periods", 1, "class"),
            "P9",
            "profiles.village.periods[1].class",
            "lighting.class_without_level",
        ),
        (
            ("profiles", "village", "periods", 0, "from"),
            "sunset+2h",
            "profiles.village.periods[0].from",
            "lighting.bad_moment",
        ),
        (
            ("profiles", "arterial", "periods", 1, "class"),
            "P4",
            "profiles.arterial.periods",
            "lighting.mixed_series",
        ),
        (
            ("profiles", "arterial", "presence", "classes"),
            3,
            "profiles.arterial.presence.classes",
            "lighting.bad_boost",
        ),
        (("levels", "M9"), 0.5, "levels.M9", "lighting.unknown_class"),
        (("levels", "M4"), 0.9, "levels.M4", "lighting.levels_order"),
        (("default",), "nowhere", "default", "lighting.unknown_profile"),
        (
            ("exceptions", "traffic_modes"),
            ["parade"],
            "exceptions.traffic_modes",
            "lighting.unknown_traffic_mode",
        ),
        (("events", 0, "class"), "M1", "events[0].class", "lighting.class_without_level"),
        (("tariff_eur_per_kwh",), -1, "tariff_eur_per_kwh", "lighting.not_positive"),
        (("colour",), "blue", "colour", "lighting.unknown_key"),
    ],
)
def test_a_fault_names_the_file_and_the_entry(path, value, where, key):
    raw = bundled()
    node = raw
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    with pytest.raises(LightingPolicyError) as refused:
        read_policy(raw, "city.toml", INSEE)
    assert refused.value.key == key
    assert refused.value.params["source"] == "city.toml"
    assert refused.value.params["where"] == where


def test_a_commune_assigned_twice_is_refused():
    raw = bundled()
    raw["assign"].append({"communes": ["21231"], "profile": "village"})
    with pytest.raises(LightingPolicyError) as refused:
        read_policy(raw, "city.toml", INSEE)
    assert refused.value.key == "lighting.assigned_twice"
    assert refused.value.params["where"] == f"assign[{len(raw['assign']) - 1}].communes"


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        (
            ("profiles", "village", "periods", 1, "class"),
            ["P4"],
            "profiles.village.periods[1].class",
        ),
        (("default",), ["village"], "default"),
        (("assign", 0, "profile"), {"name": "arterial"}, "assign[0].profile"),
        (("events", 0, "class"), ["M2"], "events[0].class"),
        (("exceptions", "snow_level"), [2], "exceptions.snow_level"),
        (("profiles", "village", "presence", "classes"), [1], "profiles.village.presence.classes"),
    ],
)
def test_a_value_of_the_wrong_type_is_named_not_a_crash(path, value, where):
    raw = bundled()
    node = raw
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    with pytest.raises(LightingPolicyError) as refused:
        read_policy(raw, "city.toml", INSEE)
    assert refused.value.params["where"] == where


def test_a_level_finer_than_a_thousandth_keeps_the_version_the_cabinet_computes():
    from services.domain.dimming import DimmingProfile

    raw = bundled()
    raw["levels"]["P6"] = 0.3333
    policy = read_policy(raw, "city.toml", INSEE)
    sent = policy.profile_for("g", "21166").to_params()
    assert DimmingProfile.from_params(sent).version == sent["version"]
    assert policy.levels["P6"] == 0.333
