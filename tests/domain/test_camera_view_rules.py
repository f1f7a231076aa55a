"""A camera view's rules: a purpose, a limit, a workstation, and who says why it ended."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.domain.camera_views import (
    BY_RECORDER,
    BY_VIEWER,
    STREAM_URL,
    ClosedBecause,
    check_minutes,
    check_purpose,
    check_workstation,
    expiry,
    parse_because,
    without_stream,
)
from services.domain.errors import InvalidInput
from services.domain.permissions import Act, act_of


def test_a_purpose_is_required_and_kept_trimmed():
    assert check_purpose("  incident 42 : accident  ") == "incident 42 : accident"
    for empty in ("", "   ", None):
        with pytest.raises(InvalidInput) as refused:
            check_purpose(empty)
        assert refused.value.key == "camera.no_purpose"
    with pytest.raises(InvalidInput, match="purpose_too_long"):
        check_purpose("x" * 501)


@pytest.mark.parametrize("minutes", [0, -1, 61, True, 1.5])
def test_a_view_lasts_one_to_sixty_minutes(minutes):
    with pytest.raises(InvalidInput):
        check_minutes(minutes)


def test_a_views_expiry_is_in_whole_seconds_as_its_tokens():
    opened = datetime(2026, 12, 4, 18, 0, 0, 999_999, tzinfo=UTC)
    assert expiry(opened, 15) == datetime(2026, 12, 4, 18, 15, tzinfo=UTC)


def test_a_workstation_is_named_and_why_a_view_ended_is_a_known_word():
    assert check_workstation(" pc3 ") == "pc3"
    for bad in ("", "pc\n3", "x" * 129):
        with pytest.raises(InvalidInput):
            check_workstation(bad)
    assert parse_because("timed_out") is ClosedBecause.TIMED_OUT
    with pytest.raises(InvalidInput, match="bad_because"):
        parse_because("bored")
    assert ClosedBecause.CONSOLE_GONE in BY_RECORDER - BY_VIEWER
    assert ClosedBecause.CLOSED in BY_VIEWER - BY_RECORDER


def test_the_acts_of_a_view_and_a_stream_address_kept_from_others():
    assert act_of("camera.view_opened", "camera:1") is Act.VIEW_CAMERAS
    assert act_of("camera.view_renewed", "camera:1") is Act.VIEW_CAMERAS
    assert act_of("video.secrets_load", "f.json") is Act.MANAGE_OPERATORS
    assert without_stream({STREAM_URL: "http://x", "preset": 2}) == {"preset": 2}
