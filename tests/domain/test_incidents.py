from datetime import UTC, datetime, timedelta

import pytest

from services.domain.errors import InvalidInput, TransitionNotAllowed
from services.domain.incidents import (
    DEFAULT_SLA,
    TRANSITIONS,
    Incident,
    IncidentSource,
    IncidentStatus,
    Location,
    Priority,
    Severity,
    changed_fields,
    derive_priority,
    new_incident,
    override_priority,
    transition,
)

T0 = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
S = IncidentStatus


def make(**fields) -> Incident:
    base = new_incident(source=IncidentSource.MANUAL, category="road_damage", at=T0)
    import dataclasses

    return dataclasses.replace(base, id=7, **fields)


@pytest.mark.parametrize(
    ("category", "severity", "expected"),
    [
        ("security", None, Priority.P1),  # building alarm
        ("security", "informational", Priority.P3),
        ("traffic", "high", Priority.P2),
        ("traffic", "critical", Priority.P2),  # P1 is a fire, an intrusion, a person at risk
        ("weather", "high", Priority.P2),  # ice on a road: urgent, not P1
        ("health", "high", Priority.P1),  # a person at risk
        ("road_accident", "high", Priority.P1),
        ("traffic", "low", Priority.P4),
        ("lighting_fault", "critical", Priority.P2),
        ("lighting_fault", "informational", Priority.P4),  # clamped at P4
        ("fire", "critical", Priority.P1),  # clamped at P1
        ("a-city-specific-code", None, Priority.P3),  # unknown category
    ],
)
def test_priority_derives_from_category_and_severity(category, severity, expected):
    assert derive_priority(category, severity) is expected


def test_unknown_severity_is_refused():
    with pytest.raises(ValueError):
        derive_priority("traffic", "apocalyptic")


def test_new_incident_starts_new_with_derived_priority():
    inc = new_incident(source=IncidentSource.ALERT, category="security", at=T0, severity="high")
    assert inc.status is S.NEW
    assert inc.priority is Priority.P1
    assert inc.severity is Severity.HIGH
    assert inc.version == 1
    with pytest.raises(InvalidInput):
        new_incident(source=IncidentSource.MANUAL, category="", at=T0)


def test_main_path_is_allowed():
    inc = make()
    for status in (S.ACKNOWLEDGED, S.DISPATCHED, S.ON_SCENE, S.RESOLVED, S.CLOSED):
        inc = transition(inc, status, at=T0)
    assert inc.status is S.CLOSED
    assert not inc.is_open


@pytest.mark.parametrize("terminal", [S.CLOSED, S.CANCELLED, S.DUPLICATE])
def test_terminal_statuses_go_nowhere(terminal):
    assert TRANSITIONS[terminal] == frozenset()
    inc = make(status=terminal)
    for target in S:
        with pytest.raises(TransitionNotAllowed) as err:
            transition(inc, target, at=T0, duplicate_of=1 if target is S.DUPLICATE else None)
        assert err.value.key == "incident.transition_not_allowed"
        assert err.value.params == {"from_status": terminal.value, "to_status": target.value}


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (S.NEW, S.ON_SCENE),
        (S.NEW, S.CLOSED),
        (S.ACKNOWLEDGED, S.CLOSED),
        (S.ON_SCENE, S.NEW),
        (S.RESOLVED, S.DISPATCHED),
    ],
)
def test_skipping_steps_is_refused(start, target):
    with pytest.raises(TransitionNotAllowed):
        transition(make(status=start), target, at=T0)


@pytest.mark.parametrize("start", [S.NEW, S.ACKNOWLEDGED, S.DISPATCHED, S.ON_SCENE])
def test_every_open_status_can_be_resolved(start):
    # the recorder resolves a fault incident "from whatever state it was in"
    assert transition(make(status=start), S.RESOLVED, at=T0).status is S.RESOLVED


def test_duplicate_needs_another_incident():
    inc = make()
    with pytest.raises(InvalidInput):
        transition(inc, S.DUPLICATE, at=T0)
    with pytest.raises(InvalidInput):
        transition(inc, S.DUPLICATE, at=T0, duplicate_of=inc.id)
    with pytest.raises(InvalidInput):
        transition(inc, S.ACKNOWLEDGED, at=T0, duplicate_of=3)
    merged = transition(inc, S.DUPLICATE, at=T0, duplicate_of=3)
    assert (merged.status, merged.duplicate_of) == (S.DUPLICATE, 3)


def test_withdrawn_dispatch_frees_the_unit():
    inc = make(status=S.DISPATCHED, assigned_unit="patrol:12")
    back = transition(inc, S.ACKNOWLEDGED, at=T0)
    assert back.assigned_unit is None
    kept = transition(inc, S.ON_SCENE, at=T0)
    assert kept.assigned_unit == "patrol:12"


def test_override_priority_keeps_its_reason():
    inc = make()
    with pytest.raises(InvalidInput):
        override_priority(inc, Priority.P1, "   ", at=T0)
    up = override_priority(inc, Priority.P1, " school nearby ", at=T0 + timedelta(minutes=1))
    assert (up.priority, up.priority_reason) == (Priority.P1, "school nearby")
    with pytest.raises(InvalidInput):
        override_priority(make(status=S.CLOSED), Priority.P1, "late", at=T0)


def test_sla_time_left_counts_down_and_stops_when_closed():
    inc = make(priority=Priority.P1)
    assert inc.time_left(T0 + timedelta(minutes=5)) == timedelta(minutes=10)
    assert inc.time_left(T0 + timedelta(minutes=20)) == timedelta(minutes=-5)
    assert make(status=S.RESOLVED).time_left(T0) is None
    assert inc.sla_due(DEFAULT_SLA) == T0 + timedelta(minutes=15)
    slower = make(priority=Priority.P4)
    assert slower.time_left(T0) == timedelta(hours=72)


def test_changed_fields_lists_what_differs_as_text():
    before = make()
    after = transition(before, S.ACKNOWLEDGED, at=T0)
    after = override_priority(after, Priority.P2, "busy road", at=T0)
    import dataclasses

    after = dataclasses.replace(after, location=Location(47.3220, 5.0415))
    changes = {f: (o, n) for f, o, n in changed_fields(before, after)}
    assert changes == {
        "status": ("new", "acknowledged"),
        "priority": ("P3", "P2"),
        "priority_reason": (None, "busy road"),
        "location": (None, "47.322000,5.041500"),
    }
    assert changed_fields(before, before) == []


def test_sla_state_turns_amber_then_red_and_stops_when_closed():
    from services.domain.incidents import SlaState, sla_state

    p1 = make(priority=Priority.P1)  # 15 minutes
    assert sla_state(p1, T0 + timedelta(minutes=5)) is SlaState.OK
    assert sla_state(p1, T0 + timedelta(minutes=12)) is SlaState.WARNING  # under 3m45s left
    assert sla_state(p1, T0 + timedelta(minutes=16)) is SlaState.BREACHED
    assert sla_state(make(status=S.CLOSED), T0) is None


def test_possible_duplicates_are_close_in_space_time_and_kind():
    import dataclasses

    from services.domain.incidents import may_duplicate

    a = dataclasses.replace(make(), id=1, location=Location(47.3220, 5.0415))
    near = dataclasses.replace(a, id=2, location=Location(47.3225, 5.0418))  # ~60 m
    assert may_duplicate(a, near)
    assert not may_duplicate(a, a)
    assert not may_duplicate(a, dataclasses.replace(near, category="noise"))
    assert not may_duplicate(a, dataclasses.replace(near, location=Location(47.3240, 5.0415)))
    assert not may_duplicate(a, dataclasses.replace(near, created_at=T0 + timedelta(hours=3)))
    assert not may_duplicate(a, dataclasses.replace(near, location=None))
