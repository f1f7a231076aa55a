"""Playbooks: the bundled one reads whole; every kind of mistake is refused, naming where."""

from __future__ import annotations

import tomllib
from datetime import timedelta
from importlib import resources

import pytest

from services.domain.incidents import Priority
from services.domain.playbooks import PlaybookError, read_playbook

COMMUNES = ["21231", "21166", "21617"]

GOOD = """
[groups.centre]
communes = ["21231"]
intersections = ["trafficsignal:21617-001"]
plans = ["P1", "SNOW", "flashing"]

[snow.2]
title = "Intervention"
bus_priority = false
layers = ["snow_network"]
perspective = "snow_coordinator"

[[snow.2.signals]]
group = "centre"
plan = "SNOW"
until = "+6h"

[[snow.2.lighting]]
commune = "21166"
level = 0.8

[[snow.2.lighting]]
group = "streetlightgroup:21231-01-A"
power = "on"
until = "+12h"

[[snow.2.commands]]
type = "Bollard"
id = "bollard:21231-01"
command = "raise"

[snow.2.sla]
P2 = 30

[traffic.incident]
[[traffic.incident.commands]]
group = "commune:21231"
command = "lower"
"""


def read(text: str):
    return read_playbook(tomllib.loads(text), "city.toml", COMMUNES)


def test_a_good_playbook_gives_every_step_as_a_command():
    book = read(GOOD)
    entry = book.entry("snow", "2")
    assert entry is not None and entry.title == "Intervention"
    steps = [(s.target_type, s.target, s.command, dict(s.params)) for s in entry.steps]
    assert steps == [
        ("group", "commune:21231", "set_plan", {"plan": "SNOW", "until": "+6h"}),
        ("TrafficSignal", "trafficsignal:21617-001", "set_plan", {"plan": "SNOW", "until": "+6h"}),
        ("group", "commune:21166", "dim", {"illuminanceLevel": 0.8}),
        ("group", "streetlightgroup:21231-01-A", "switch", {"powerState": "on", "until": "+12h"}),
        ("Bollard", "bollard:21231-01", "raise", {}),
    ]
    assert entry.bus_priority is False and entry.perspective == "snow_coordinator"
    assert entry.sla_policy().target(Priority.P2) == timedelta(minutes=30)
    assert entry.sla_policy().target(Priority.P1) == timedelta(minutes=15)  # unchanged
    assert book.entry("traffic", "incident").steps[0].command == "lower"
    assert book.entry("snow", "3") is None


def test_the_bundled_playbook_reads():
    text = resources.files("resources").joinpath("playbooks", "dijon.toml").read_text("utf-8")
    from services.reference import communes

    book = read_playbook(tomllib.loads(text), "dijon.toml", [c.insee for c in communes()])
    assert {k for k, _ in book.entries} == {"snow", "traffic"}
    assert all(book.entry("snow", str(n)) for n in range(4))  # every level has its entry


@pytest.mark.parametrize(
    ("change", "key", "where"),
    [
        (
            ('group = "centre"\nplan = "SNOW"', 'group = "ring"\nplan = "SNOW"'),
            "playbook.undeclared_group",
            "snow.2.signals[0]",
        ),
        (('plan = "SNOW"', 'plan = "P9"'), "playbook.undeclared_plan", "snow.2.signals[0]"),
        (
            ('command = "raise"', 'command = "explode"'),
            "playbook.unknown_command",
            "snow.2.commands[0]",
        ),
        (("[snow.2]", "[snow.7]"), "playbook.bad_snow", "snow.7"),
        (("[traffic.incident]", "[traffic.parade]"), "playbook.bad_traffic", "traffic.parade"),
        (
            ('layers = ["snow_network"]', 'layers = ["ski_slopes"]'),
            "playbook.unknown_layer",
            "snow.2.layers",
        ),
        (
            ('commune = "21166"', 'commune = "75056"'),
            "playbook.unknown_commune",
            "snow.2.lighting[0]",
        ),
        (("level = 0.8", "level = 8"), "playbook.bad_level", "snow.2.lighting[0].level"),
        (('power = "on"', 'power = "dim"'), "playbook.bad_power", "snow.2.lighting[1].power"),
        (("level = 0.8\n", "\n"), "playbook.lighting_what", "snow.2.lighting[0]"),
        (("P2 = 30", "P7 = 30"), "playbook.unknown_priority", "snow.2.sla"),
        (('until = "+6h"', 'until = "tomorrow"'), "playbook.bad_until", "snow.2.signals[0].until"),
        (
            ('perspective = "snow_coordinator"', 'perspectve = "x"'),
            "playbook.unknown_key",
            "snow.2.perspectve",
        ),
        (
            (
                'id = "bollard:21231-01"\ncommand = "raise"',
                'id = "bollard:21231-01"\ncommand = "set_plan"',
            ),
            "playbook.not_for_type",
            "snow.2.commands[0]",
        ),
    ],
)
def test_a_mistake_is_refused_naming_which_and_where(change, key, where):
    old, new = change
    assert old in GOOD
    with pytest.raises(PlaybookError) as refused:
        read(GOOD.replace(old, new, 1))
    assert refused.value.key == key
    assert refused.value.params["where"] == where
    assert refused.value.params["source"] == "city.toml"
