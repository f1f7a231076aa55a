"""Times as the room reads them: its zone, with the zone's name where it could be misread."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from services.domain import room_time


def test_a_utc_record_reads_on_the_rooms_clock_winter_and_summer():
    room_time.set_room_zone(ZoneInfo("Europe/Paris"))
    winter = datetime(2026, 12, 4, 19, 41, tzinfo=UTC)
    assert room_time.clock(winter) == "20:41"
    assert room_time.stamp(winter) == "2026-12-04 20:41 CET"
    summer = datetime(2026, 7, 14, 20, 0, tzinfo=UTC)
    assert room_time.stamp(summer) == "2026-07-14 22:00 CEST"
    naive = datetime(2026, 12, 4, 19, 41)  # as SQLite may give it back: UTC
    assert room_time.clock(naive) == "20:41"


def test_another_room_another_zone():
    try:
        room_time.set_room_zone(ZoneInfo("America/Cayenne"))
        assert room_time.clock(datetime(2026, 12, 4, 19, 41, tzinfo=UTC)) == "16:41"
    finally:
        room_time.set_room_zone(ZoneInfo("Europe/Paris"))
