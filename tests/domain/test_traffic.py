"""Buses' priority requests counted once each, over the last hour, from the signals' states."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.domain.modes import ModeRecord
from services.domain.traffic import BusPriorityLog, bus_priority_in_force

T0 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def test_each_request_counts_once_and_only_for_an_hour():
    log = BusPriorityLog(started_at=T0)
    log.observe("sig:1", iso(T0 - timedelta(minutes=5)), True)  # before we looked: not ours
    log.observe("sig:1", iso(T0 + timedelta(minutes=1)), True)
    log.observe("sig:1", iso(T0 + timedelta(minutes=1)), True)  # the same state read again
    log.observe("sig:2", iso(T0 + timedelta(minutes=2)), False)  # refused: snow mode
    log.observe("sig:3", None, None)  # never asked
    log.observe("sig:4", "not a time", True)
    assert log.last_hour(T0 + timedelta(minutes=10)) == (2, 1)
    log.observe("sig:1", iso(T0 + timedelta(minutes=50)), True)
    assert log.last_hour(T0 + timedelta(minutes=61, seconds=30)) == (2, 1)  # the first aged out
    assert log.last_hour(T0 + timedelta(hours=3)) == (0, 0)


def _record(kind: str, minutes_ago: int, bus_priority: bool | None) -> ModeRecord:
    return ModeRecord(
        kind=kind,
        value="3" if kind == "snow" else "normal",
        previous=None,
        target=None,
        state="applied",
        since=T0 - timedelta(minutes=minutes_ago),
        by="c.morel",
        reason="",
        motive="",
        request_ids=(),
        bus_priority=bus_priority,
        switching_by=None,
    )


def test_bus_priority_in_force_is_what_the_latest_switch_that_said_set():
    assert bus_priority_in_force([]) is None
    crisis_after_normal = [_record("traffic", 30, True), _record("snow", 10, False)]
    assert bus_priority_in_force(crisis_after_normal) is False
    normal_after_crisis = [_record("traffic", 5, True), _record("snow", 10, False)]
    assert bus_priority_in_force(normal_after_crisis) is True
    assert bus_priority_in_force([_record("snow", 1, None), _record("traffic", 9, True)]) is True
