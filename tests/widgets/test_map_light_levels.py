"""The map shows light levels (issue 20, part 6): brightness follows the level, and a light dark at
night when it should be lit is marked as a fault is, at every zoom without clutter.

The judgement (night at the light's place, the city's policy for its group) is the console's, on
the map feed's lane; the page only draws what it is told. Times are fixed: a test must not pass
by day and fail by night.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest

from console.bridge import Bridge
from console.feeds.light_looks import GRACE, LightJudge, light_look
from console.feeds.map import MapFeed
from services.domain.operators import Role
from services.domain.sun import is_night
from services.permissions import load_matrix
from services.recorder.equipment import record_states
from tests.widgets.test_map import js, make_panel
from tests.widgets.test_map_readable import DARCY, view
from widgets.palette import Role as Colour
from widgets.palette import hex_of

DIJON, AHUY = (
    "21231",
    "21003",
)  # Dijon's groups are lit all night; Ahuy's are off in the small hours
AHUY_PLACE = (47.3687, 5.0239)
#: A December evening and the small hours after it, in UTC (Paris is an hour ahead).
EVENING = datetime(2026, 12, 4, 19, 0, tzinfo=UTC)  # 20:00 in the room: lit everywhere
SMALL_HOURS = datetime(2026, 12, 5, 1, 30, tzinfo=UTC)  # 02:30: Ahuy's lights off by policy
NOON = datetime(2026, 12, 4, 11, 0, tzinfo=UTC)


# --- what a light looks like, and when it should be lit ------------------------------------------
def test_a_lights_look_is_its_level_when_on_and_dark_grey_when_off():
    assert light_look("on", 0.4, should_be_lit=True) == (0.4, False)
    assert light_look("on", None, should_be_lit=True) == (1.0, False)  # on, level unsaid: full
    assert light_look("off", 0.8, should_be_lit=False) == (0.0, False)  # off by day: calm
    assert light_look(None, None, should_be_lit=True) == (None, False)  # not heard: not judged


def test_a_light_at_zero_or_off_at_night_when_it_should_be_lit_is_dark():
    assert light_look("off", 1.0, should_be_lit=True) == (0.0, True)
    assert light_look("on", 0.0, should_be_lit=True) == (0.0, True)


def test_night_and_the_policy_say_when_a_group_should_be_lit():
    judge = LightJudge()  # the bundled policy: Dijon arterial all night, Ahuy a village
    assert judge.should_be_lit("streetlightgroup:21231-003-A", DIJON, *DARCY, EVENING)
    assert judge.should_be_lit("streetlightgroup:21231-003-A", DIJON, *DARCY, SMALL_HOURS)
    assert not judge.should_be_lit("streetlightgroup:21231-003-A", DIJON, *DARCY, NOON)
    # the village's lights are off in the small hours by the policy: no fault to see
    assert judge.should_be_lit("streetlightgroup:21003-001-A", AHUY, *AHUY_PLACE, EVENING)
    assert not judge.should_be_lit("streetlightgroup:21003-001-A", AHUY, *AHUY_PLACE, SMALL_HOURS)


def test_without_a_policy_night_alone_says_it(caplog):
    judge = LightJudge("/nowhere/lighting.toml")
    assert judge.should_be_lit("streetlightgroup:21003-001-A", AHUY, *AHUY_PLACE, SMALL_HOURS)
    assert not judge.should_be_lit("streetlightgroup:21003-001-A", AHUY, *AHUY_PLACE, NOON)
    assert "judged by night alone" in caplog.text


def test_a_cabinet_gets_a_margin_at_dusk_and_dawn_before_anything_is_marked():
    judge = LightJudge()
    dusk = _sunset(DARCY, EVENING)
    group = "streetlightgroup:21231-003-A"
    assert not judge.should_be_lit(group, DIJON, *DARCY, dusk + timedelta(minutes=5))
    assert judge.should_be_lit(group, DIJON, *DARCY, dusk + GRACE + timedelta(minutes=1))


def _sunset(place: tuple[float, float], day: datetime) -> datetime:
    at = day.replace(hour=14, minute=0)
    while not is_night(at, *place):
        at += timedelta(minutes=1)
    return at


# --- the feed: what the lights said, judged on its lane -------------------------------------------
def light_state(level: float, power: str, group: str, lat: float, lon: float, commune: str):
    return json.dumps(
        {
            "status": "ok",
            "powerState": power,
            "illuminanceLevel": level,
            "refStreetlightGroup": group,
            "refCommune": commune,
            "location": {"type": "Point", "coordinates": [lon, lat]},
        }
    ).encode()


@pytest.fixture
def feed(db):
    bridge = Bridge()
    made = MapFeed(
        db,
        "mqtt://127.0.0.1:1",
        "lv",
        bridge=bridge,
        kinds=load_matrix().unit_kinds(Role("technician")),
    )
    yield made
    bridge.shutdown()


def test_the_feed_tells_each_lights_level_and_flags_one_dark_at_night(feed):
    clock = {"now": EVENING}
    feed.now = lambda: clock["now"]
    city, village = "streetlightgroup:21231-003-A", "streetlightgroup:21003-001-A"
    north, south = (DARCY[0] + 0.001, DARCY[1]), (DARCY[0] + 0.002, DARCY[1])
    heard = {
        "lv/state/Streetlight/sl:dim": light_state(0.4, "on", city, *DARCY, DIJON),
        "lv/state/Streetlight/sl:out": light_state(1.0, "off", city, *north, DIJON),
        "lv/state/Streetlight/sl:zero": light_state(0.0, "on", city, *south, DIJON),
        "lv/state/Streetlight/sl:village": light_state(1.0, "off", village, *AHUY_PLACE, AHUY),
    }
    changes = feed._apply({topic: (payload, EVENING) for topic, payload in heard.items()})
    assert changes.lights == {
        "sl:dim": (0.4, False),
        "sl:out": (0.0, True),  # off at 20:00 in Dijon: a fault to see
        "sl:zero": (0.0, True),  # on at 0 %: as dark
        "sl:village": (0.0, True),  # the village too: its lights are meant lit until 22:00
    }
    # the small hours: the village's light is off as its policy says; Dijon's still should be on
    clock["now"] = SMALL_HOURS
    swept = feed._looks(list(feed._devices), SMALL_HOURS)
    assert swept == {"sl:village": (0.0, False)}  # only what changed is told
    # by day nothing is dark that should not be: every mark goes at the sweep
    assert feed._looks(list(feed._devices), NOON) == {
        "sl:out": (0.0, False),
        "sl:zero": (0.0, False),
    }


def test_a_snapshot_read_again_keeps_what_the_lights_said(feed, db):
    """The record has no level (the map reads its columns only): the live flow's stays."""
    feed.now = lambda: EVENING
    topic = "lv/state/Streetlight/sl:out"
    payload = light_state(1.0, "off", "streetlightgroup:21231-003-A", *DARCY, DIJON)
    message = feed.decoder.decode(topic, payload, EVENING)
    with db.write() as session:  # the recorder has it too
        record_states(session, [(message, False)], EVENING)
    feed._apply({topic: (payload, EVENING)})
    said = feed._work(True, {}, False, False)  # a new snapshot: the map forgets its looks
    assert said.situation is not None and [d[0] for d in said.situation.devices] == ["sl:out"]
    assert [c.lights for c in said.changes if c.lights] == [{"sl:out": (0.0, True)}]


def test_a_light_heard_on_the_bus_reaches_the_map_with_its_look(db, broker, qtbot):
    """The live path: a retained state on the broker, the feed's lane, one signal with the look."""
    from tests.services.test_recorder import Field

    bridge = Bridge()
    root = "lightlooks"
    kinds = load_matrix().unit_kinds(Role("technician"))
    feed = MapFeed(db, broker.url, root, bridge=bridge, kinds=kinds)
    feed.now = lambda: EVENING + (datetime.now(UTC) - started)
    started = datetime.now(UTC)
    told: dict = {}
    feed.sig_changes.connect(lambda changes: told.update(changes.lights))
    field = Field(broker.url, client_id="field-lightlooks")
    try:
        payload = light_state(0.0, "on", "streetlightgroup:21231-003-A", *DARCY, DIJON)
        field.send(f"{root}/state/Streetlight/sl:bus", payload, retain=True)
        feed.start()
        qtbot.waitUntil(lambda: told.get("sl:bus") == (0.0, True), timeout=15_000)
        field.send(f"{root}/state/Streetlight/sl:bus", b"", retain=True)  # the broker forgets it
    finally:
        field.close()
        feed.stop()
        bridge.shutdown()


# --- the page: brightness by level, clusters by their mean, dark ones marked ----------------------
def until_look(qtbot, panel, ident: str, look: list) -> None:
    """Wait until the page holds this look ([level, dark]) for the light."""
    qtbot.waitUntil(lambda: js(qtbot, panel, f"vigie.lightLook('{ident}')") == look, timeout=5_000)


def _rgb(text: str) -> tuple[int, int, int]:
    if text.startswith("#"):
        return tuple(int(text[i : i + 2], 16) for i in (1, 3, 5))
    return tuple(int(v) for v in text[text.index("(") + 1 : -1].split(","))


def test_a_markers_brightness_follows_its_level(qtbot):
    panel = make_panel(qtbot)
    full, off = hex_of(Colour.MAP_LIGHT), hex_of(Colour.MAP_LIGHT_OFF)  # the theme in effect
    assert _rgb(js(qtbot, panel, "vigie.levelColour(1)")) == _rgb(full)
    assert _rgb(js(qtbot, panel, "vigie.levelColour(0)")) == _rgb(off)
    # each step of level farther from off, towards full (in either theme's direction)
    steps = [_rgb(js(qtbot, panel, f"vigie.levelColour({v})")) for v in (0, 0.3, 0.6, 1)]
    away = [sum(abs(a - b) for a, b in zip(step, _rgb(off), strict=True)) for step in steps]
    assert away == sorted(away) and len(set(away)) == 4
    assert away[1] > away[3] / 3  # a light on at 30 % is plainly not off
    panel.update_devices([("sl:1", "Streetlight", "ok", *DARCY)])
    panel.show_light_looks({"sl:1": (0.4, False)})
    until_look(qtbot, panel, "sl:1", [0.4, False])
    panel.show_light_looks({"sl:1": (0.0, False)})
    until_look(qtbot, panel, "sl:1", [0, False])
    # and in words, when the operator clicks it
    panel.show_light_looks({"sl:1": (0.4, False)})
    panel._describe_device("sl:1")
    assert panel.info.text().endswith("on at 40%")


def test_a_look_that_comes_before_its_light_is_kept_for_it(qtbot):
    panel = make_panel(qtbot)
    panel.show_light_looks({"sl:late": (0.6, False)})
    qtbot.waitUntil(lambda: not panel.frame_waiting, timeout=5_000)
    panel.update_devices([("sl:late", "Streetlight", "ok", *DARCY)])
    until_look(qtbot, panel, "sl:late", [0.6, False])


def test_a_clusters_colour_is_its_lights_mean_level(qtbot):
    panel = make_panel(qtbot)
    rng = random.Random(5)
    lights = [
        (
            f"sl:{n}",
            "Streetlight",
            "ok",
            DARCY[0] + rng.uniform(-0.0004, 0.0004),
            DARCY[1] + rng.uniform(-0.0004, 0.0004),
        )
        for n in range(40)
    ]  # fmt: skip  (some 60 m across: one cell at zoom 14)
    panel.update_devices(lights)
    panel.show_light_looks({f"sl:{n}": (0.2 if n % 2 else 0.6, False) for n in range(40)})
    qtbot.waitUntil(lambda: js(qtbot, panel, "vigie.census()")["lights"] == 40, timeout=5_000)
    view(qtbot, panel, *DARCY, 14)
    clusters = js(qtbot, panel, "vigie.clusterLevels()")
    counted = sum(count for count, _mean in clusters)
    assert counted == 40 and len(clusters) <= 4
    assert all(0.2 <= mean <= 0.6 for _count, mean in clusters)
    assert sum(c * m for c, m in clusters) / 40 == pytest.approx(0.4)


def test_a_light_dark_at_night_is_marked_and_a_darkened_street_is_one_mark_zoomed_out(qtbot):
    panel = make_panel(qtbot)
    street = [
        (f"sl:{n}", "Streetlight", "ok", DARCY[0] + n * 0.00003, DARCY[1] + n * 0.00003)
        for n in range(60)
    ]
    panel.update_devices([*street, ("sl:alone", "Streetlight", "ok", DARCY[0] - 0.01, DARCY[1])])
    looks = {ident: (0.0, True) for ident, *_ in street}
    looks["sl:alone"] = (1.0, False)
    panel.show_light_looks(looks)
    until_look(qtbot, panel, "sl:59", [0, True])
    view(qtbot, panel, *DARCY, 13)
    zoomed_out = js(qtbot, panel, "vigie.drawn('lights')")
    assert 1 <= zoomed_out["dark"] <= 2  # sixty dark lights in a street: a mark per cell
    assert zoomed_out["alarms"] == 0  # not counted as faults: they are not
    view(qtbot, panel, DARCY[0] + 0.0009, DARCY[1] + 0.0009, 18)
    street_zoom = js(qtbot, panel, "vigie.drawn('lights')")
    assert street_zoom["dark"] >= 30  # at the street's zoom, each on its own
    # a light that is not dark is never marked
    panel.show_light_looks({ident: (1.0, False) for ident, *_ in street})
    until_look(qtbot, panel, "sl:0", [1, False])
    assert js(qtbot, panel, "vigie.redrawAll() && vigie.drawn('lights')")["dark"] == 0


def test_the_legend_says_what_the_levels_and_the_dark_mark_mean(qtbot):
    panel = make_panel(qtbot)
    legend = js(qtbot, panel, "document.querySelector('.vm-legend').textContent")
    assert "Street light: off, dimmed, at full level" in legend
    assert "Dark at night when it should be lit" in legend


def test_a_new_snapshot_forgets_the_looks_until_they_are_told_again(qtbot):
    panel = make_panel(qtbot)
    panel.update_devices([("sl:1", "Streetlight", "ok", *DARCY)])
    panel.show_light_looks({"sl:1": (0.5, False)})
    until_look(qtbot, panel, "sl:1", [0.5, False])
    panel.reset()
    panel.update_devices([("sl:1", "Streetlight", "ok", *DARCY)])
    until_look(qtbot, panel, "sl:1", [None, False])
    panel.show_light_looks({"sl:1": (0.5, False)})  # told again: the panel forgot it too
    until_look(qtbot, panel, "sl:1", [0.5, False])
