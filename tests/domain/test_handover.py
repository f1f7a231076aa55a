"""A handover's plain rules: the remarks, where the shift began, the order of open incidents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.domain.errors import InvalidInput
from services.domain.handover import (
    DEFAULT_SHIFT,
    MAX_REMARKS_LENGTH,
    OpenIncident,
    check_remarks,
    incident_order,
    shift_start,
)

NOW = datetime(2026, 12, 6, 6, 0, tzinfo=UTC)


def test_remarks_are_trimmed_may_be_empty_and_are_limited():
    assert check_remarks("  salt stock low at Chenôve \n") == "salt stock low at Chenôve"
    assert check_remarks("   ") == ""
    assert check_remarks("x" * MAX_REMARKS_LENGTH) == "x" * MAX_REMARKS_LENGTH
    with pytest.raises(InvalidInput) as refused:
        check_remarks("x" * (MAX_REMARKS_LENGTH + 1))
    assert refused.value.key == "handover.remarks_too_long"


def test_the_shift_began_at_the_previous_handover_within_a_day_else_twelve_hours_ago():
    previous = NOW - timedelta(hours=8)
    assert shift_start(NOW, previous) == previous
    assert shift_start(NOW, NOW - timedelta(hours=23, minutes=59)) == NOW - timedelta(
        hours=23, minutes=59
    )
    assert shift_start(NOW, NOW - timedelta(hours=30)) == NOW - DEFAULT_SHIFT
    assert shift_start(NOW, None) == NOW - timedelta(hours=12)
    # A previous handover dated after now (another clock) is not a shift's start.
    assert shift_start(NOW, NOW + timedelta(minutes=5)) == NOW - DEFAULT_SHIFT


def _incident(id_: int, priority: int, age_h: int) -> OpenIncident:
    return OpenIncident(
        id=id_,
        priority=priority,
        category="fire",
        commune=None,
        commune_name=None,
        place=None,
        status="new",
        created_at=NOW - timedelta(hours=age_h),
        last_act=None,
        unit=None,
    )


def test_open_incidents_read_most_urgent_first_then_oldest_first():
    incidents = [_incident(1, 3, 5), _incident(2, 1, 1), _incident(3, 1, 4), _incident(4, 2, 9)]
    assert [i.id for i in sorted(incidents, key=incident_order)] == [3, 2, 4, 1]
