from datetime import UTC, datetime, timedelta

import pytest

from services.domain.equipment import EquipmentState, EquipmentType, assess_state, is_fault_status
from services.domain.units import UnitKind, unit_kind

NOW = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
E = EquipmentType


@pytest.mark.parametrize(
    ("status", "fault"),
    [
        ("ok", False),
        (None, False),
        ("defectiveLamp", True),
        ("columnIssue", True),
        ("brokenLantern", True),
        ("fault", True),
    ],
)
def test_fault_is_any_status_but_ok(status, fault):
    assert is_fault_status(status) is fault


def test_state_of_a_fresh_device():
    assert assess_state(E.STREETLIGHT, "ok", NOW, NOW) is EquipmentState.OK
    assert assess_state(E.STREETLIGHT, "brokenLantern", NOW, NOW) is EquipmentState.FAULT
    assert assess_state(E.SALT_STOCK, None, NOW, NOW) is EquipmentState.OK


def test_stale_ages_follow_the_contract_defaults():
    two_min, fifteen = timedelta(minutes=2), timedelta(minutes=15)
    second = timedelta(seconds=1)
    assert assess_state(E.STREETLIGHT, "ok", NOW - fifteen, NOW) is EquipmentState.OK
    assert assess_state(E.STREETLIGHT, "ok", NOW - fifteen - second, NOW) is EquipmentState.STALE
    assert assess_state(E.TRAFFIC_SIGNAL, "ok", NOW - two_min - second, NOW) is EquipmentState.STALE
    assert assess_state(E.CAMERA, "ok", NOW - two_min, NOW) is EquipmentState.OK
    # groups and depots publish on change only: never stale
    assert assess_state(E.SALT_STOCK, None, NOW - timedelta(days=3), NOW) is EquipmentState.OK


def test_configured_ages_override_the_defaults():
    ages = {E.STREETLIGHT: timedelta(minutes=1)}
    old = NOW - timedelta(minutes=2)
    assert assess_state(E.STREETLIGHT, "ok", old, NOW, stale_after=ages) is EquipmentState.STALE
    assert assess_state(E.CAMERA, "ok", old, NOW, stale_after=ages) is EquipmentState.OK


def test_lost_link_comes_before_everything():
    state = assess_state(E.STREETLIGHT, "defectiveLamp", NOW, NOW, gateway_online=False)
    assert state is EquipmentState.COMM_LOST
    old = NOW - timedelta(hours=1)
    assert assess_state(E.STREETLIGHT, "ok", old, NOW, gateway_online=False) is (
        EquipmentState.COMM_LOST
    )
    assert assess_state(E.STREETLIGHT, "ok", NOW, NOW, gateway_online=True) is EquipmentState.OK


@pytest.mark.parametrize(
    ("category", "kind"),
    [
        ("police", UnitKind.PATROL),
        (["municipalServices"], UnitKind.ROAD_CREW),
        (["municipalServices", "snowPlough"], UnitKind.SNOW_PLOUGH),
        ("saltSpreader", UnitKind.SALT_SPREADER),
        (["public"], UnitKind.OTHER),  # the Smart Data Models example's kind of value
        (None, UnitKind.OTHER),
    ],
)
def test_unit_kind_from_vehicle_category(category, kind):
    assert unit_kind(category) is kind
