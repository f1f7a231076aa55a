"""The docks and perspectives follow from what the desks declare, as the console laid them out."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QT_TRANSLATE_NOOP

from console.desks.city import CityWatchDesk
from console.desks.commands import CommandDesk
from console.desks.equipment import EquipmentDesk
from console.desks.incidents import IncidentDesk
from console.desks.logbook import LogbookDesk
from console.desks.map import MapDesk
from console.desks.video import VideoDesk
from console.shell.docks import Dock, perspectives, tab_pairs

DECLARED = [
    dock
    for desk in (
        IncidentDesk,
        LogbookDesk,
        MapDesk,
        EquipmentDesk,
        CityWatchDesk,
        CommandDesk,
        VideoDesk,
    )
    for dock in desk.DOCKS
]


def test_each_perspective_shows_the_docks_its_role_works_with_its_main_panel_first():
    shown = perspectives(DECLARED)
    assert shown["dispatcher"][0] == "incident_queue"
    assert shown["snow_coordinator"][0] == "modes"
    assert shown["technician"][0] == "equipment"
    assert shown["supervisor"][0] == "incident_queue"
    assert shown["video"][0] == "video_wall"
    assert {name: set(docks) for name, docks in shown.items()} == {
        "dispatcher": {"incident_queue", "incident_detail", "map", "logbook", "video_wall"},
        "snow_coordinator": {
            "modes",
            "incident_queue",
            "map",
            "logbook",
            "command_log",
            "telemetry",
        },
        "technician": {
            "equipment",
            "faults",
            "incident_queue",
            "incident_detail",
            "map",
            "command_log",
            "telemetry",
        },
        "supervisor": {d.name for d in DECLARED},
        "video": {
            "video_wall",
            "incident_queue",
            "incident_detail",
            "map",
            "logbook",
            "equipment",
        },
    }


def test_the_tabs_pair_each_dock_with_the_one_it_sits_behind():
    assert set(tab_pairs(DECLARED)) == {
        ("incident_queue", "equipment"),
        ("equipment", "faults"),
        ("incident_queue", "modes"),
        ("map", "telemetry"),
        ("logbook", "command_log"),
        ("map", "video_wall"),
    }


def test_every_dock_is_declared_once():
    names = [d.name for d in DECLARED]
    assert len(names) == len(set(names))


def test_a_perspective_led_by_no_dock_or_by_two_is_refused():
    twice = [
        *DECLARED,
        Dock("extra", QT_TRANSLATE_NOOP("console", "Map"), leads=frozenset({"technician"})),
    ]
    with pytest.raises(ValueError, match="technician"):
        perspectives(twice)
    with pytest.raises(ValueError, match="snow_coordinator"):
        perspectives([d for d in DECLARED if d.name != "modes"])
