"""Dimming profiles at the cabinets, presence, energy and the field's clock, driven by hand.

The engine runs on a fake wall clock; the field's clock starts on 15 January 2026 at noon (UTC)
and runs 60 times faster, so a whole night passes in some twenty wall-clock minutes of
``advance``. Nothing here sleeps.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta

import pytest
from astral import Observer
from astral.sun import sunrise, sunset

from services.bus.topics import Topics
from services.domain.dimming import DimmingProfile, night_of
from services.domain.equipment import EquipmentType
from services.simulator import SimulatorOptions, build_world
from services.simulator.energy import METER_EVERY_S
from services.simulator.engine import FieldEngine
from services.simulator.outputs import DropLink, Message
from services.simulator.payloads import LANTERN_W, iso, parse_time
from services.simulator.presence import HOLD_S, passes_per_hour
from services.simulator.routine import is_dark
from tests.simulator.support import QUIET

ROOT = "v"
ACK = "v/ack/test"
SEED = 5
SPEED = 60.0
#: Where the field's clock starts: a winter noon, the night ahead.
FIELD_NOON = datetime(2026, 1, 15, 12, 0, tzinfo=UTC).timestamp()
#: The wall clock when the engine starts: weeks later, so the field never catches up here.
WALL = datetime(2026, 3, 2, 9, 0, tzinfo=UTC).timestamp()
#: A group of Dijon with a presence sensor, and another group behind the same cabinet.
SENSED = "streetlightgroup:21231-002-A"
NEIGHBOUR = "streetlightgroup:21231-002-B"
SENSOR = "device:presence-21231-001"
CABINET = "streetlightcontrolcabinet:21231-002"
GATEWAY = "gw-cab-21231-002"

PARAMS = {
    "name": "residential",
    "steps": [
        {"at": "dusk", "offset": 0, "level": 0.8, "boost": 1.0},
        {"at": "dusk", "offset": 150, "level": 0.5, "boost": 0.8},
        {"at": "dawn", "offset": -60, "level": 0.8, "boost": 1.0},
    ],
    "presence_minutes": 5,
    "full_light": {"snow": 2, "traffic": ["event", "incident"]},
    "events": [],
}
PROFILE = DimmingProfile.from_params(PARAMS)


def make(**options) -> FieldEngine:
    settings = {
        "scale": "small",
        "seed": SEED,
        "run_id": "T",
        "speed": SPEED,
        "start_at": FIELD_NOON,
        **QUIET,
        **options,
    }
    opts = SimulatorOptions(**settings)
    return FieldEngine(build_world(SEED, "small"), Topics(ROOT), opts, WALL)


class Run:
    """An engine, its wall clock and everything it said."""

    def __init__(self, engine: FieldEngine | None = None) -> None:
        self.engine = engine or make()
        self.now = self.engine.start
        self.out = self.engine.initial(self.now)

    @property
    def field(self) -> float:
        return self.engine.field_time(self.now)

    def wall(self, seconds: float) -> None:
        self.until(self.now + seconds)

    def until(self, wall: float, step: float = 1.0) -> None:
        while self.now < wall:
            self.now = min(wall, self.now + step)
            self.out += self.engine.advance(self.now)

    def to_field(self, field_t: float) -> None:
        """Run until the field's clock reads ``field_t``."""
        self.until(self.engine.wall_at(field_t))
        assert self.field >= field_t - 1e-3

    def command(self, topic: str, name: str, params: dict, rid: str) -> None:
        body = {
            "request_id": rid,
            "command": name,
            "params": params,
            "reply_to": ACK,
            "issued_at": iso(self.now),  # the console's clock: the wall clock
            "expires_at": iso(self.now + 30.0),
        }
        self.engine.receive(f"{ROOT}/{topic}", json.dumps(body).encode(), self.now)
        self.out += self.engine.advance(self.now)  # what it said at once

    def detect(self, sensor_id: str = SENSOR) -> None:
        """Someone passes a presence sensor, now."""
        self.engine.presence.detect(self.engine.world.entities[sensor_id], self.now)
        self.out += self.engine.advance(self.now)

    def acks(self, rid: str) -> list[dict]:
        return [
            o.payload
            for o in self.out
            if isinstance(o, Message) and o.topic == ACK and o.payload["request_id"] == rid
        ]

    def states(self, entity_id: str) -> list[dict]:
        return [
            o.payload
            for o in self.out
            if isinstance(o, Message) and o.topic.split("/")[1:2] == ["state"]
            if o.topic.endswith("/" + entity_id)
        ]

    def lights(self, group_id: str = SENSED) -> list:
        return self.engine.world.lights_of_group(group_id)

    def levels(self, group_id: str = SENSED) -> set[tuple[str, float]]:
        return {
            (light.attrs["powerState"], light.attrs["illuminanceLevel"])
            for light in self.lights(group_id)
        }

    def push(self, params: dict | None = None, rid: str = "p1", group: str = SENSED) -> dict:
        self.command(f"cmd/group/{group}", "profile", params or PROFILE.to_params(), rid)
        self.wall(1.0)
        (ack,) = self.acks(rid)
        return ack


def night() -> tuple[datetime, datetime]:
    cabinet = build_world(SEED, "small").entities[CABINET]
    found = night_of(date(2026, 1, 15), cabinet.lat, cabinet.lon)
    assert found is not None
    return found.dusk, found.dawn


def ts(moment: datetime) -> float:
    return moment.timestamp()


# --- the profile command ---------------------------------------------------------------------
def test_a_group_holds_the_profile_reports_it_and_the_gateway_answers_for_its_lights():
    run = Run()
    ack = run.push()
    n = len(run.lights())
    assert ack["gateway"] == GATEWAY and ack["status"] == "done"
    assert ack["succeeded"] == n and ack["failed"] == []
    group = run.states(SENSED)[-1]
    assert (group["profile"], group["profileVersion"]) == ("residential", PROFILE.version)
    cabinet = run.states(CABINET)[-1]
    assert cabinet["profiles"] == {SENSED: {"name": "residential", "version": PROFILE.version}}
    assert "profile" not in run.states(NEIGHBOUR)[-1]  # its neighbour holds none
    # A redelivery is answered again, never executed again.
    said = len(run.states(SENSED))
    run.command(f"cmd/group/{SENSED}", "profile", PROFILE.to_params(), "p1")
    run.wall(1.0)
    assert len(run.acks("p1")) == 2 and len(run.states(SENSED)) == said


def test_a_version_that_is_not_the_profiles_is_refused():
    run = Run()
    wrong = {**PROFILE.to_params(), "version": "000000000000"}
    ack = run.push(wrong)
    assert ack["status"] == "failed" and ack["succeeded"] == 0
    assert {f["reason"] for f in ack["failed"]} == {"version_mismatch"}
    assert len(ack["failed"]) == len(run.lights())
    assert "profile" not in run.engine.world.entities[SENSED].attrs
    # Params changed after hashing are refused the same way: the version is what is trusted.
    tampered = {**PROFILE.to_params(), "presence_minutes": 30}
    assert {f["reason"] for f in run.push(tampered, rid="p2")["failed"]} == {"version_mismatch"}
    # On one light's own topic: rejected at once.
    light = run.lights()[0]
    run.command(f"cmd/Streetlight/{light.id}", "profile", wrong, "p3")
    (ack,) = run.acks("p3")
    assert (ack["status"], ack["reason"]) == ("rejected", "version_mismatch")


@pytest.mark.parametrize(
    "change",
    [
        {"steps": []},
        {"steps": [{"at": "noon", "offset": 0, "level": 0.5}]},
        {"steps": [{"at": "dusk", "offset": 0, "level": 1.5}]},
        {"presence_minutes": "five"},
        {"until": "2026-01-15T20:00:00Z"},  # a profile is no override
        {"version": None},
    ],
)
def test_bad_params_are_refused(change):
    run = Run()
    params = {**PARAMS, **change}
    params = {k: v for k, v in params.items() if v is not None}
    if "version" not in change:
        params["version"] = PROFILE.version
    ack = run.push(params)
    assert ack["status"] == "failed" and ack["succeeded"] == 0
    assert {f["reason"] for f in ack["failed"]} == {"invalid_params"}
    assert "profile" not in run.engine.world.entities[SENSED].attrs


def test_one_light_may_hold_a_profile_of_its_own():
    run = Run()
    light = run.lights()[0]
    run.command(f"cmd/Streetlight/{light.id}", "profile", PROFILE.to_params(), "own")
    run.wall(1.0)
    assert [a["status"] for a in run.acks("own")] == ["accepted", "done"]
    assert run.states(light.id)[-1]["profileVersion"] == PROFILE.version
    assert light.id in run.states(CABINET)[-1]["profiles"]
    dusk, _ = night()
    run.to_field(ts(dusk) + 120)
    assert (light.attrs["powerState"], light.attrs["illuminanceLevel"]) == ("on", 0.8)
    others = run.lights()[1:]
    assert {o.attrs["illuminanceLevel"] for o in others} == {1.0}  # their group holds none


# --- a night ---------------------------------------------------------------------------------
def test_dusk_and_dawn_are_astrals_sunset_and_sunrise_at_the_cabinet():
    cabinet = build_world(SEED, "small").entities[CABINET]
    observer = Observer(latitude=cabinet.lat, longitude=cabinet.lon)
    dusk, dawn = night()
    assert abs(ts(dusk) - ts(sunset(observer, date(2026, 1, 15), tzinfo=UTC))) < 60
    assert abs(ts(dawn) - ts(sunrise(observer, date(2026, 1, 16), tzinfo=UTC))) < 60


def first_time(run: Run, light_id: str, after: float = 0.0, **wanted) -> float:
    """The field time of the first state a light published from ``after`` with these values."""
    for state in run.states(light_id):
        said = parse_time(state["observationDateTime"])
        if said >= after and all(state.get(k) == v for k, v in wanted.items()):
            return said
    raise AssertionError(f"{light_id} never said {wanted}")


def test_the_lights_follow_the_profile_through_a_night():
    run = Run()
    run.push()
    assert run.levels() == {("off", 1.0)}  # by day, off whatever the profile says
    dusk, dawn = night()
    steps = [
        (dusk, ("on", 0.8)),
        (dusk + timedelta(minutes=150), ("on", 0.5)),
        (dawn - timedelta(minutes=60), ("on", 0.8)),
    ]
    before = ("off", 1.0)
    for moment, expected in steps:
        run.to_field(ts(moment) - 90)
        assert run.levels() == {before}, moment
        run.to_field(ts(moment) + 90)
        assert run.levels() == {expected}, moment
        group = run.engine.world.entities[SENSED].attrs
        assert (group["powerState"], group["illuminanceLevel"]) == expected
        before = expected
    run.to_field(ts(dawn) + 90)
    assert {p for p, _ in run.levels()} == {"off"}
    # Each change went out when it was due on the field's clock, stamped with that time.
    light = run.lights()[0].id
    for moment, (power, level) in steps:
        after = ts(moment) - 3600
        said = first_time(run, light, after, powerState=power, illuminanceLevel=level)
        assert ts(moment) - 0.001 <= said <= ts(moment) + 61, moment  # stamps are to the ms
    # The states' power follows: rated power × level.
    last = run.states(light)[-1]
    assert last["powerConsumption"] == 0.0 and last["ratedPower"] in LANTERN_W.values()
    # The neighbour without a profile kept to dusk and dawn at full level.
    assert {(p, lv) for p, lv in run.levels(NEIGHBOUR)} == {("off", 1.0)}
    neighbour = run.lights(NEIGHBOUR)[0].id
    on = first_time(run, neighbour, powerState="on")
    assert is_dark(on) and not is_dark(on - 120)
    assert {s["illuminanceLevel"] for s in run.states(neighbour)} == {1.0}


def test_a_profile_received_at_night_applies_at_once():
    run = Run()
    dusk, _ = night()
    run.to_field(ts(dusk) + 3 * 3600)  # after the second step
    assert run.levels() == {("on", 1.0)}  # dusk to dawn at full level, no profile yet
    run.push()
    assert run.levels() == {("on", 0.5)}


def test_a_presence_boost_holds_for_its_minutes_extended_by_each_detection_then_ends():
    run = Run()
    run.push()
    dusk, _ = night()
    run.to_field(ts(dusk) + 200 * 60)  # on the second step: 0.5, boost 0.8
    assert run.levels() == {("on", 0.5)}
    sensor = run.engine.world.entities[SENSOR]
    assert sensor.attrs["controlledAsset"] == [SENSED]
    start = run.field
    run.detect()
    assert run.levels() == {("on", 0.8)}
    assert run.states(SENSOR)[-1]["value"] == 1
    assert parse_time(run.states(SENSOR)[-1]["dateLastValueReported"]) == pytest.approx(start)
    run.to_field(start + HOLD_S[1] + 60)
    assert run.states(SENSOR)[-1]["value"] == 0  # nobody any more, said too
    assert run.levels() == {("on", 0.8)}  # the boost lasts presence_minutes
    run.to_field(start + 3 * 60)
    run.detect()  # someone else: five minutes from now
    run.to_field(start + 7 * 60)
    assert run.levels() == {("on", 0.8)}
    run.to_field(start + 8 * 60 + 90)
    assert run.levels() == {("on", 0.5)}
    back = first_time(run, run.lights()[0].id, start, illuminanceLevel=0.5)
    assert start + 8 * 60 - 0.001 <= back <= start + 8 * 60 + 61  # stamps are to the ms
    # The neighbour, which holds no profile, is not raised by anyone.
    assert run.levels(NEIGHBOUR) == {("on", 1.0)}


def test_by_day_a_detection_lights_nothing():
    run = Run()
    run.push()
    run.detect()
    assert run.levels() == {("off", 1.0)}


def test_a_lost_link_changes_nothing_the_cabinet_keeps_running_its_profile():
    run = Run()
    run.push()
    dusk, _ = night()
    run.to_field(ts(dusk) + 100 * 60)
    assert run.levels() == {("on", 0.8)}
    assert run.engine.drop_gateway(GATEWAY, 3 * 3600.0, run.now)
    assert any(isinstance(o, DropLink) for o in run.engine.advance(run.now))
    dropped = len(run.out)
    run.to_field(ts(dusk) + 160 * 60)  # the second step, unheard
    assert run.levels() == {("on", 0.5)}
    assert run.engine.world.entities[SENSED].attrs["profileVersion"] == PROFILE.version
    light = run.lights()[0].id
    assert not any(o.topic.endswith(light) for o in run.out[dropped:] if isinstance(o, Message))
    # Presence still raises its lights locally; nobody hears it.
    run.detect()
    assert run.levels() == {("on", 0.8)}
    assert not any(o.topic.endswith(SENSOR) for o in run.out[dropped:] if isinstance(o, Message))
    # Back online: the gateway says so, then the current states of its devices.
    run.wall(3 * 3600.0 + 5)
    back = [o for o in run.out[dropped:] if isinstance(o, Message)]
    status = [o.payload for o in back if o.topic == f"{ROOT}/gateways/{GATEWAY}/status"]
    assert status and status[-1]["online"] is True
    assert run.states(light)[-1]["illuminanceLevel"] == run.lights()[0].attrs["illuminanceLevel"]
    assert run.states(SENSED)[-1]["profileVersion"] == PROFILE.version


def test_an_override_without_until_ends_at_the_profiles_next_step():
    run = Run()
    run.push()
    dusk, _ = night()
    run.to_field(ts(dusk) + 30 * 60)
    light = run.lights()[0]
    run.command(f"cmd/Streetlight/{light.id}", "dim", {"illuminanceLevel": 0.2}, "d1")
    run.command(f"cmd/group/{SENSED}", "switch", {"powerState": "off"}, "s1")
    run.wall(1.0)
    assert run.acks("d1")[-1]["status"] == "done" and run.acks("s1")[-1]["status"] == "done"
    assert (light.attrs["powerState"], light.attrs["illuminanceLevel"]) == ("off", 0.2)
    assert run.levels() - {("off", 0.2)} == {("off", 0.8)}
    run.to_field(ts(dusk) + 148 * 60)  # not yet the next step: the override stands
    assert (light.attrs["powerState"], light.attrs["illuminanceLevel"]) == ("off", 0.2)
    run.to_field(ts(dusk) + 151 * 60)
    assert run.levels() == {("on", 0.5)}  # the profile resumed, for every light of the group
    assert not light.overrides
    # With an ``until`` (on the wall clock, as the console stamps it): until then.
    until = iso(run.now + 120.0)
    run.command(f"cmd/group/{SENSED}", "dim", {"illuminanceLevel": 1.0, "until": until}, "d2")
    run.wall(60.0)
    assert run.levels() == {("on", 1.0)}
    run.wall(70.0)
    assert run.levels() == {("on", 0.5)}


def test_modes_in_the_profiles_full_light_give_full_light_then_the_profile_resumes():
    run = Run()
    run.push()
    dusk, _ = night()
    run.to_field(ts(dusk) + 200 * 60)
    assert run.levels() == {("on", 0.5)}

    def announce(kind: str, payload: dict) -> None:
        body = json.dumps(payload).encode() if payload else b""
        run.engine.receive(f"{ROOT}/modes/{kind}", body, run.now, retained=True)
        run.wall(1.0)

    announce("traffic", {"mode": "event", "state": "applied"})
    assert run.levels() == {("on", 1.0)}
    announce("traffic", {"mode": "normal", "state": "applied"})
    assert run.levels() == {("on", 0.5)}
    announce("snow", {"level": 1, "state": "applied"})
    assert run.levels() == {("on", 0.5)}  # below the profile's snow level
    announce("snow", {"level": 2, "state": "applied"})
    assert run.levels() == {("on", 1.0)}
    announce("snow", {})  # the retained announcement cleared
    assert run.levels() == {("on", 0.5)}


def test_a_sweep_computes_levels_per_cabinet_and_profile_not_per_light():
    run = Run()
    # Every group of the small field holds the profile.
    run.command("cmd/group/all:Streetlight", "profile", PROFILE.to_params(), "all")
    run.wall(1.0)
    lighting = run.engine.lighting
    groups = run.engine.world.by_type[EquipmentType.STREETLIGHT_GROUP]
    cabinets = run.engine.world.by_type[EquipmentType.STREETLIGHT_CONTROL_CABINET]
    assert all(g.attrs.get("profileVersion") == PROFILE.version for g in groups)
    dusk, _ = night()
    run.to_field(ts(dusk) + 60 * 60)
    before = lighting.computed
    lighting.sweep(run.now)
    assert lighting.computed == before  # between two steps: nothing to compute again
    lighting._levels.clear()
    lighting.sweep(run.now)
    assert 0 < lighting.computed - before <= len(cabinets) < len(groups)


# --- energy ----------------------------------------------------------------------------------
def integral_kwh(run: Run, cabinet_id: str, start: float, end: float) -> float:
    """What the cabinet's lights drew between two field times, from their published states."""
    world = run.engine.world
    lights = [
        light
        for light in world.by_type[EquipmentType.STREETLIGHT]
        if light.gateway == world.entities[cabinet_id].gateway
    ]
    total_wh = 0.0
    for light in lights:
        changes = []
        for state in run.states(light.id):
            on = state["powerState"] == "on" and state["status"] == "ok"
            watts = state["ratedPower"] * state["illuminanceLevel"] if on else 0.0
            changes.append((parse_time(state["observationDateTime"]), watts))
        for (t0, watts), (t1, _) in zip(changes, [*changes[1:], (end, 0.0)], strict=True):
            lo, hi = max(t0, start), min(t1, end)
            if hi > lo:
                total_wh += watts * (hi - lo) / 3600
    return total_wh / 1000


def test_the_cabinets_meter_integrates_what_its_lights_draw_on_the_fields_clock():
    run = Run()
    run.push()
    dusk, _ = night()
    run.to_field(ts(dusk) + 30 * 60)
    run.command(f"cmd/group/{NEIGHBOUR}", "dim", {"illuminanceLevel": 0.3}, "n1")
    run.to_field(ts(dusk) + 160 * 60)
    run.detect()
    run.to_field(ts(dusk) + 6 * 3600)
    readings = [
        (parse_time(s["observationDateTime"]), s["energyConsumed"]) for s in run.states(CABINET)
    ]
    first, last = readings[0], readings[-1]
    assert first == (FIELD_NOON, 0.0)
    # The load curve: a reading at least every METER_EVERY_S of the field's clock.
    gaps = [b[0] - a[0] for a, b in zip(readings, readings[1:], strict=False)]
    assert max(gaps) <= METER_EVERY_S + 61
    expected = integral_kwh(run, CABINET, first[0], last[0])
    assert expected > 0.5  # hours of light: something to measure
    assert last[1] == pytest.approx(expected, abs=0.0015)
    assert all(b[1] >= a[1] for a, b in zip(readings, readings[1:], strict=False))
    cabinet = run.states(CABINET)[-1]
    # A meter put in when the run began (on the field's clock): its index counts from there.
    assert parse_time(cabinet["dateMeteringStarted"]) == FIELD_NOON


def test_rated_power_lights_groups_and_cabinets():
    world = build_world(SEED, "small")
    for light in world.by_type[EquipmentType.STREETLIGHT]:
        assert light.attrs["ratedPower"] == LANTERN_W[light.attrs["lanternHeight"]]
    for group in world.by_type[EquipmentType.STREETLIGHT_GROUP]:
        lights = world.lights_of_group(group.id)
        assert group.attrs["ratedPower"] == pytest.approx(
            sum(x.attrs["ratedPower"] for x in lights)
        )
    for cabinet in world.by_type[EquipmentType.STREETLIGHT_CONTROL_CABINET]:
        lights = [
            x for x in world.by_type[EquipmentType.STREETLIGHT] if x.gateway == cabinet.gateway
        ]
        assert cabinet.attrs["ratedPower"] == pytest.approx(
            sum(x.attrs["ratedPower"] for x in lights)
        )
        assert cabinet.attrs["energyConsumed"] == 0.0


# --- presence sensors ------------------------------------------------------------------------
def test_presence_sensors_stand_by_their_groups_a_few_hundred_in_dijon():
    world = build_world(1, "dijon")
    sensors = world.by_type[EquipmentType.DEVICE]
    groups = world.by_type[EquipmentType.STREETLIGHT_GROUP]
    assert 300 <= len(sensors) <= 600
    assert len(sensors) < len(groups) / 2
    assert {s.commune for s in sensors} == set(world.communes)  # some in every commune
    for sensor in sensors:
        (group_id,) = sensor.attrs["controlledAsset"]
        group = world.entities[group_id]
        assert group.type is EquipmentType.STREETLIGHT_GROUP and group.commune == sensor.commune
        assert sensor.gateway == group.gateway  # behind the group's cabinet
        assert sensor.attrs["controlledProperty"] == ["occupancy"]
        assert sensor.attrs["value"] == 0
        assert sensor.id.startswith(f"device:presence-{sensor.commune}-")
    # The same seed, the same sensors; and lights did not move for them.
    again = build_world(1, "dijon")
    assert [s.id for s in again.by_type[EquipmentType.DEVICE]] == [s.id for s in sensors]


def test_people_pass_more_in_the_evening_and_in_denser_communes_rarely_deep_at_night():
    assert passes_per_hour(19, 10_000) > 5 * passes_per_hour(3, 10_000)
    assert passes_per_hour(19, 150_000) > passes_per_hour(19, 2_000)


def count_detections(hour_utc: int, hours: float) -> int:
    start = datetime(2026, 1, 15, hour_utc, tzinfo=UTC).timestamp()
    run = Run(make(start_at=start, presence_rate=1.0))
    run.wall(hours * 3600 / SPEED)
    return sum(
        1
        for o in run.out
        if isinstance(o, Message) and "/Device/" in o.topic and o.payload["value"] == 1
    )


def test_detections_follow_the_hour():
    evening = count_detections(17, 2.0)  # 18 h - 20 h in Paris
    night_ = count_detections(1, 2.0)  # 2 h - 4 h
    assert evening > 4 * max(1, night_)


# --- the field's clock -----------------------------------------------------------------------
def test_the_fields_clock_runs_from_its_start_at_speed_and_stamps_what_it_says():
    run = Run()
    assert run.field == FIELD_NOON
    first = [o.payload for o in run.out if isinstance(o, Message)]
    light = run.lights()[0].id
    assert run.states(light)[0]["observationDateTime"] == iso(FIELD_NOON)
    positions = [p for p in first if "observationDateTime" in p and p.get("type") == "Vehicle"]
    assert positions and {p["observationDateTime"] for p in positions} == {iso(FIELD_NOON)}
    assert {p["since"] for p in first if "online" in p} == {iso(FIELD_NOON)}
    run.wall(10.0)
    assert run.field == pytest.approx(FIELD_NOON + 10 * SPEED)
    assert run.engine.wall_at(run.field) == pytest.approx(run.now)
    stamped = [parse_time(o.payload.get("observationDateTime")) for o in run.out[len(first) :]]
    stamped = [t for t in stamped if t is not None]
    assert stamped and max(stamped) <= FIELD_NOON + 10 * SPEED
    assert min(stamped) > FIELD_NOON  # nothing said later is stamped on the wall clock
    # Acks stay on the wall clock, as the console's commands do.
    run.command(f"cmd/Streetlight/{light}", "dim", {"illuminanceLevel": 0.4}, "w1")
    run.wall(1.0)
    assert parse_time(run.acks("w1")[-1]["ts"]) == pytest.approx(run.now, abs=1.0)
    assert parse_time(run.states(light)[-1]["observationDateTime"]) < WALL


def test_the_fields_clock_never_overtakes_the_wall_clock():
    engine = make(start_at=WALL - 300.0)
    assert engine.field_time(WALL) == WALL - 300.0
    assert engine.field_time(WALL + 2.0) == pytest.approx(WALL - 300.0 + 2 * SPEED)
    catch_up = WALL + 300.0 / (SPEED - 1)
    assert engine.field_time(catch_up + 0.5) == catch_up + 0.5  # caught up: real speed
    assert engine.field_time(WALL + 3600.0) == WALL + 3600.0
    assert engine.wall_at(WALL + 3600.0) == WALL + 3600.0
    run = Run(engine)
    run.wall(60.0)
    stamps = [
        parse_time(o.payload.get("observationDateTime"))
        for o in run.out
        if isinstance(o, Message) and "observationDateTime" in o.payload
    ]
    assert stamps and max(stamps) <= run.now
    # A start in the future is the wall clock itself.
    assert make(start_at=WALL + 3600.0).field_time(WALL + 5.0) == WALL + 5.0


def test_without_a_start_the_field_lives_on_the_wall_clock():
    engine = make(start_at=None)
    assert engine.field_time(WALL + 123.0) == WALL + 123.0
    assert engine.wall_at(WALL + 123.0) == WALL + 123.0
    out = engine.initial(WALL)
    light = next(o.payload for o in out if "/Streetlight/" in o.topic)
    assert light["observationDateTime"] == iso(WALL)


def test_the_options_check_the_start():
    with pytest.raises(ValueError, match="start_at"):
        SimulatorOptions(start_at=math.nan)
    with pytest.raises(ValueError, match="start_at"):
        SimulatorOptions(start_at=0.0)  # 1970: before any time the recorder keeps
    with pytest.raises(ValueError, match="presence_rate"):
        SimulatorOptions(presence_rate=-1.0)
