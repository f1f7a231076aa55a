"""Times the receiver cannot believe: quarantined where they order things, replaced elsewhere.

A unit's row is never moved back by an older message, so one status or position dated 9999 pinned
a patrol for ever; a date whose UTC conversion overflows stopped the whole record. Positions,
unit statuses and acks dated more than the tolerance ahead of the receiver's clock, or before
2000, are quarantined with that reason; reports, alerts and device states keep the receiver's
time and a flag.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.bus.codec import Decoder
from services.bus.messages import Rejection
from services.reference import communes
from tests.services.test_decoder_fuzz import EXAMPLES, NOW, T, encode, mutated

#: Every time field of every message type: (example, field).
TIME_FIELDS = [
    ("light", ("observationDateTime",)),
    ("weather", ("dateObserved",)),
    ("salt", ("dateModified",)),
    ("gateway", ("since",)),
    ("position", ("observationDateTime",)),
    ("unit status", ("ts",)),
    ("alert", ("dateIssued",)),
    ("report", ("requested_datetime",)),
    ("device ack", ("ts",)),
    ("dispatch ack", ("ts",)),
    ("gateway ack", ("ts",)),
]
ORDERING = {"position", "unit status", "device ack", "dispatch ack", "gateway ack"}
FLAGGED = {"light", "weather", "salt", "alert", "report"}
OVERFLOWING = ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"]


@pytest.fixture(scope="module")
def decoder():
    return Decoder(T, communes())


def _decode(decoder, name, field, value):
    topic, body = EXAMPLES[name]
    return decoder.decode(topic, encode(mutated(body, field, value)), NOW)


def _time_of(message):
    for name in ("observed_at", "issued_at", "requested_at", "ts", "since"):
        if hasattr(message, name):
            return getattr(message, name)
    raise AssertionError(message)


@pytest.mark.parametrize("value", OVERFLOWING)
@pytest.mark.parametrize(
    ("name", "field"),
    [f for f in TIME_FIELDS if f[0] in ORDERING],
    ids=sorted(ORDERING, key=[n for n, _ in TIME_FIELDS].index),
)
def test_a_time_without_utc_equivalent_quarantines_its_message(decoder, name, field, value):
    result = _decode(decoder, name, field, value)
    assert isinstance(result, Rejection), result
    assert result.reason.startswith(f"{field[0]}: out of range once converted to UTC")


@pytest.mark.parametrize(
    ("value", "flag"), list(zip(OVERFLOWING, ["time_in_future", "time_in_past"], strict=True))
)
@pytest.mark.parametrize("name", sorted(FLAGGED))
def test_a_report_alert_or_state_without_utc_equivalent_time_is_kept_flagged(
    decoder, name, value, flag
):
    """Never lost for a bad clock, however far off: the receiver's time and a flag."""
    message = _decode(decoder, name, dict(TIME_FIELDS)[name], value)
    assert not isinstance(message, Rejection), message
    assert _time_of(message) == NOW and flag in message.flags


@pytest.mark.parametrize(("name", "field"), TIME_FIELDS, ids=[n for n, _ in TIME_FIELDS])
def test_times_within_the_tolerance_are_taken_as_they_are(decoder, name, field):
    soon = NOW + timedelta(minutes=4, seconds=59)
    message = _decode(decoder, name, field, soon.isoformat())
    assert not isinstance(message, Rejection), message
    assert _time_of(message) == soon
    assert "time_in_future" not in getattr(message, "flags", ())


@pytest.mark.parametrize(
    "value", ["2026-11-25T17:05:01Z", "2026-11-25T19:05:01+02:00 ", "9999-12-31T23:59:59Z"]
)
@pytest.mark.parametrize("name", sorted(ORDERING))
def test_a_time_that_orders_things_is_quarantined_when_ahead(decoder, name, value):
    field = dict(TIME_FIELDS)[name]
    result = _decode(decoder, name, field, value)
    assert isinstance(result, Rejection), result
    assert result.reason.startswith(f"time_in_future: {field[0]} ")
    assert "ahead of the receiver's clock (2026-11-25T17:00:00Z)" in result.reason
    assert result.entity_id


@pytest.mark.parametrize("value", ["1999-12-31T23:59:59Z", "1970-01-01T00:00:00Z"])
@pytest.mark.parametrize("name", sorted(ORDERING))
def test_a_time_that_orders_things_is_quarantined_before_2000(decoder, name, value):
    field = dict(TIME_FIELDS)[name]
    result = _decode(decoder, name, field, value)
    assert isinstance(result, Rejection), result
    assert result.reason.startswith(f"time_in_past: {field[0]} ")


@pytest.mark.parametrize(
    ("value", "flag"),
    [
        ("2026-11-25T17:05:01Z", "time_in_future"),
        ("9999-12-31T23:59:59Z", "time_in_future"),
        ("1999-12-31T23:59:59+00:00", "time_in_past"),
        ("0001-01-01T00:00:00Z", "time_in_past"),
    ],
)
@pytest.mark.parametrize("name", sorted(FLAGGED))
def test_reports_alerts_and_states_keep_the_receivers_time_and_a_flag(decoder, name, value, flag):
    field = dict(TIME_FIELDS)[name]
    message = _decode(decoder, name, field, value)
    assert not isinstance(message, Rejection), message
    assert _time_of(message) == NOW
    assert flag in message.flags


@pytest.mark.parametrize("value", [*OVERFLOWING, "9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z"])
def test_a_gateways_since_off_its_bounds_is_the_receivers_time(decoder, value):
    message = _decode(decoder, "gateway", ("since",), value)
    assert not isinstance(message, Rejection) and message.since == NOW


def test_a_time_without_offset_is_still_flagged_as_such(decoder):
    message = _decode(decoder, "light", ("observationDateTime",), "2030-01-01T00:00:00")
    assert set(message.flags) >= {"time_without_offset", "time_in_future"}
    position = _decode(decoder, "position", ("observationDateTime",), "2026-11-25T16:00:00")
    assert "time_without_offset" in position.flags


def test_the_tolerance_is_the_decoders_to_set():
    strict = Decoder(T, communes(), future_tolerance=timedelta(seconds=30))
    ahead = (NOW + timedelta(minutes=1)).isoformat()
    result = _decode(strict, "unit status", ("ts",), ahead)
    assert isinstance(result, Rejection) and "more than 30 s ahead" in result.reason
    light = _decode(strict, "light", ("observationDateTime",), ahead)
    assert light.observed_at == NOW and "time_in_future" in light.flags
    lenient = Decoder(T, communes(), future_tolerance=timedelta(hours=1))
    status = _decode(lenient, "unit status", ("ts",), ahead)
    assert not isinstance(status, Rejection) and status.ts == NOW + timedelta(minutes=1)
