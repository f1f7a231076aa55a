"""Buses' priority requests counted once each, over the last hour, from the signals' states."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.domain.traffic import BusPriorityLog

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
