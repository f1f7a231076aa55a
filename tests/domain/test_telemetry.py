"""Telemetry samples, message rates and the bounded history the plots read."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from services.domain.equipment import EquipmentView
from services.domain.telemetry import (
    CounterReading,
    LightCounts,
    MessageRate,
    TelemetryHistory,
    sample,
)

NOW = datetime(2026, 11, 25, 21, 0, tzinfo=UTC)


def view(
    device_id: str, kind: str = "Streetlight", state: str = "ok", **attributes
) -> EquipmentView:
    commune = attributes.pop("commune", "21231")
    return EquipmentView(
        id=device_id,
        type=kind,
        state=state,
        status="ok",
        commune=commune,
        gateway="gw:1",
        lat=47.3,
        lon=5.0,
        received_at=NOW,
        updated_at=NOW,
        fault_since=None,
        attributes=attributes,
    )


def test_each_light_counts_in_one_bucket_and_silent_ones_count_as_not_heard():
    taken = sample(
        [
            view("l1", powerState="on", powerConsumption=40),
            view("l2", powerState="low", powerConsumption=12.5),
            view("l3", powerState="bootingUp"),
            view("l4", powerState="off", powerConsumption=0),
            view("l5"),  # no powerState: it does not claim to be lit
            view("l6", state="fault", powerState="on", powerConsumption=55),
            view("l7", state="stale", powerState="on", powerConsumption=999),
            view("l8", state="comm_lost", powerState="on", powerConsumption=999),
            view("l9", commune="21166", powerState="on", powerConsumption=30),
            view("l10", commune=None, powerState="off"),
            view("g1", kind="StreetlightGroup", powerState="on"),  # circuits are not lights
        ],
        NOW,
    )
    assert taken.at == NOW
    assert taken.lights["21231"] == LightCounts(on=3, off=2, fault=1, stale=2)
    assert taken.lights_in("21166") == LightCounts(on=1)
    assert taken.lights_in("") == LightCounts(off=1)
    assert taken.lights_in("21000") == LightCounts()
    assert taken.lights_in(None) == LightCounts(on=4, off=3, fault=1, stale=2)
    # Silent lights' last readings (999 W) are not today's energy.
    assert taken.energy_w == 40 + 12.5 + 0 + 55 + 30
    assert taken.energy_reporting == 5


def test_measured_points_and_stations_are_read_when_heard_and_numeric():
    taken = sample(
        [
            view("flow:1", "TrafficFlowObserved", intensity=420),
            view("flow:2", "TrafficFlowObserved", state="stale", intensity=300),
            view("flow:3", "TrafficFlowObserved", intensity="lots"),
            view("wx:1", "WeatherObserved", roadSurfaceTemperature=-1.5, temperature=2.0),
            view("wx:2", "WeatherObserved", temperature=3.5),
            view("wx:3", "WeatherObserved", state="comm_lost", temperature=9.0),
            view("l1", powerState="on", powerConsumption=True),  # a boolean is not watts
        ],
        NOW,
    )
    assert taken.traffic_intensity == {"flow:1": 420.0}
    assert taken.road_temperature == {"wx:1": -1.5}
    assert taken.air_temperature == {"wx:1": 2.0, "wx:2": 3.5}
    assert (taken.energy_w, taken.energy_reporting) == (0.0, 0)


def test_an_empty_field_gives_an_empty_sample():
    taken = sample([], NOW)
    assert taken.lights_total == LightCounts() and taken.lights == {}
    assert taken.traffic_intensity == {} and taken.energy_w == 0


def test_34000_devices_are_sampled_in_one_pass():
    devices = [
        view(
            f"l{n}",
            state="fault" if n % 100 == 0 else "ok",
            commune=f"21{n % 23:03d}",
            powerState="on" if n % 2 else "off",
            powerConsumption=50,
        )
        for n in range(34_000)
    ]
    started = time.perf_counter()
    taken = sample(devices, NOW)
    elapsed = time.perf_counter() - started
    print(f"sample() on 34,000 devices: {elapsed * 1000:.1f} ms")  # pytest -s shows it
    assert sum(taken.lights_total) == 34_000
    assert taken.lights_total.fault == 340
    assert len(taken.lights) == 23
    assert taken.energy_w == 50 * 34_000


def test_rates_are_per_second_and_never_negative():
    earlier = CounterReading(NOW, received=1_000, quarantined=10)
    later = CounterReading(NOW + timedelta(seconds=15), received=4_000, quarantined=13)
    rate = MessageRate.between(earlier, later)
    assert rate == MessageRate(at=later.at, received=200.0, quarantined=0.2)
    # The counters went down (a database recreated): unknown for that interval, not negative.
    reset = CounterReading(NOW + timedelta(seconds=30), received=50, quarantined=13)
    after_reset = MessageRate.between(later, reset)
    assert after_reset is not None
    assert after_reset.received is None and after_reset.quarantined == 0.0
    assert MessageRate.between(later, later) is None
    assert MessageRate.between(later, earlier) is None


def light_sample(at: datetime, on: int = 1):
    return sample([view(f"l{n}", powerState="on") for n in range(on)], at)


def test_history_answers_a_window_and_forgets_what_is_older_than_it_keeps():
    history = TelemetryHistory(keep=timedelta(hours=1))
    for minute in range(0, 121, 1):
        at = NOW + timedelta(minutes=minute)
        assert history.add_sample(light_sample(at))
        history.add_counters(CounterReading(at, received=minute * 600, quarantined=minute))
    assert len(history) == 61  # the last hour, both ends included
    assert history.latest.at == NOW + timedelta(minutes=120)
    window = history.window(NOW + timedelta(minutes=105))
    assert [s.at for s in window.samples] == [NOW + timedelta(minutes=m) for m in range(105, 121)]
    assert [r.received for r in window.rates] == [10.0] * 16
    assert window.rates[-1].quarantined == 1 / 60
    everything = history.window(NOW - timedelta(days=1))
    assert everything.samples[0].at == NOW + timedelta(minutes=60)
    assert everything.rates[0].at == NOW + timedelta(minutes=60)


def test_history_ignores_what_goes_back_in_time_and_starts_rates_from_a_baseline():
    history = TelemetryHistory()
    assert history.add_counters(CounterReading(NOW, 100, 0)) is None  # the baseline
    assert history.window(NOW).rates == ()
    assert history.add_sample(light_sample(NOW))
    assert not history.add_sample(light_sample(NOW))
    assert not history.add_sample(light_sample(NOW - timedelta(seconds=15)))
    assert len(history) == 1
    assert history.add_counters(CounterReading(NOW - timedelta(seconds=5), 0, 0)) is None
    rate = history.add_counters(CounterReading(NOW + timedelta(seconds=10), 200, 0))
    assert rate is not None and rate.received == 10.0


def test_history_is_bounded_by_count_too():
    history = TelemetryHistory(max_entries=10)
    for second in range(25):
        history.add_sample(light_sample(NOW + timedelta(seconds=second), on=0))
    assert len(history) == 10
    assert history.window(NOW).samples[0].at == NOW + timedelta(seconds=15)
