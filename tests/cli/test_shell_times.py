"""What the shell prints is in the room's time zone, with the zone; ``--json`` stays UTC."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from console.cli.context import local_time
from console.text.commands import said_params


def test_a_commands_until_reads_on_the_rooms_clock_not_in_utc():
    said = said_params({"powerState": "off", "until": "2026-12-04T19:41:43Z"})
    assert said == "powerState=off until=04/12 20:41 CET"  # was until=2026-12-04T19:41:43Z
    assert local_time(datetime(2026, 12, 4, 19, 41, tzinfo=UTC)) == "2026-12-04 20:41:00 CET"


def test_mode_status_prints_the_rooms_time_and_json_stays_utc(vigie, ready, cli_env):
    cli_env.setenv("VIGIE_TIMEZONE", "Asia/Tokyo")
    text = vigie("mode", "status")
    assert text.status == 0, text.err
    assert " JST by " in text.out and "UTC" not in text.out
    (snow, _traffic) = json.loads(vigie("mode", "status", "--json").out)
    assert snow["since"].endswith("Z")
