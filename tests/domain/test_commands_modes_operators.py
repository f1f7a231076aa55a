import pytest

from services.domain.commands import (
    CommandName,
    CommandStatus,
    GroupKind,
    group_outcome,
    parse_group,
    parse_key_values,
    typed_params,
)
from services.domain.errors import InvalidInput
from services.domain.journal import MAX_ENTRY_LENGTH, check_entry_text
from services.domain.modes import SnowLevel, TrafficMode, parse_snow_level, parse_traffic_mode
from services.domain.operators import (
    Role,
    check_operator_name,
    is_system_name,
    parse_role,
)


def test_final_statuses():
    assert not CommandStatus.PENDING.is_final
    assert not CommandStatus.ACCEPTED.is_final
    finals = {s for s in CommandStatus if s.is_final}
    assert finals == {
        CommandStatus(s) for s in ("done", "partial", "rejected", "failed", "expired", "timed_out")
    }


def test_params_take_the_declared_types():
    assert typed_params("dim", {"illuminanceLevel": "0.4"}) == {"illuminanceLevel": 0.4}
    # a plan name stays text even when it looks like a number
    assert typed_params("set_plan", {"plan": "12"}) == {"plan": "12"}
    assert typed_params("set_plan", {"plan": 12}) == {"plan": "12"}
    assert typed_params("preset", {"preset": "3"}) == {"preset": 3}
    assert typed_params("priority", {"unit_id": "007"}) == {"unit_id": "007"}
    assert typed_params("switch", {"powerState": "off", "until": "+2h"}) == {
        "powerState": "off",
        "until": "+2h",
    }
    assert typed_params("reboot", {}) == {}


@pytest.mark.parametrize(
    ("command", "params", "key"),
    [
        ("dim", {"illuminanceLevel": "1.5"}, "command.param_range"),
        ("dim", {"illuminanceLevel": "bright"}, "command.param_type"),
        ("dim", {"illuminanceLevel": True}, "command.param_type"),
        ("switch", {"powerState": "maybe"}, "command.param_choice"),
        ("switch", {}, "command.missing_param"),
        ("preset", {"preset": "2.5"}, "command.param_type"),
        ("preset", {"preset": 2.5}, "command.param_type"),
        ("reboot", {"until": "+1h"}, "command.until_not_override"),
        ("reboot", {"force": "1"}, "command.unknown_param"),
        ("explode", {}, "command.unknown"),
    ],
)
def test_bad_params_say_why(command, params, key):
    with pytest.raises(InvalidInput) as err:
        typed_params(command, params)
    assert err.value.key == key


def test_groups():
    g = parse_group("commune:21231")
    assert (g.kind, g.value, g.topic_id) == (GroupKind.COMMUNE, "21231", "commune:21231")
    g = parse_group("all:Streetlight")
    assert (g.kind, g.topic_id) == (GroupKind.ALL_OF_TYPE, "all:Streetlight")
    g = parse_group("streetlightgroup:mycity:A12")
    assert (g.kind, g.topic_id) == (GroupKind.STREETLIGHT_GROUP, "streetlightgroup:mycity:A12")
    for bad in ("commune:dijon", "all:Toaster", "has space", "x" * 129):
        with pytest.raises(InvalidInput):
            parse_group(bad)


def test_key_values():
    assert parse_key_values(["powerState=off", "until=2026-11-25T18:00:00Z"]) == {
        "powerState": "off",
        "until": "2026-11-25T18:00:00Z",
    }
    with pytest.raises(InvalidInput):
        parse_key_values(["powerState"])
    with pytest.raises(InvalidInput):
        parse_key_values(["=off"])


@pytest.mark.parametrize(
    ("ok", "failed", "unconfirmed", "answered", "outcome"),
    [
        (10, 0, 0, 2, CommandStatus.DONE),
        (8, 2, 0, 2, CommandStatus.PARTIAL),
        (8, 0, 2, 1, CommandStatus.PARTIAL),
        (0, 10, 0, 2, CommandStatus.FAILED),
        (0, 0, 10, 0, CommandStatus.TIMED_OUT),
    ],
)
def test_group_outcome(ok, failed, unconfirmed, answered, outcome):
    assert group_outcome(ok, failed, unconfirmed, answered) is outcome


def test_every_command_applies_to_something():
    from services.domain.commands import COMMANDS

    assert set(COMMANDS) == set(CommandName)
    assert all(spec.applies_to for spec in COMMANDS.values())


def test_modes():
    assert parse_snow_level("2") is SnowLevel.INTERVENTION
    assert parse_snow_level("crisis") is SnowLevel.CRISIS
    assert parse_snow_level(0) is SnowLevel.WATCH
    assert parse_traffic_mode("Peak") is TrafficMode.PEAK
    for bad in ("4", "-1", "blizzard"):
        with pytest.raises(InvalidInput):
            parse_snow_level(bad)
    with pytest.raises(InvalidInput):
        parse_traffic_mode("rush")


def test_operator_names_and_roles():
    assert check_operator_name("m.dupont") == "m.dupont"
    assert check_operator_name("é.lefèvre") == "é.lefèvre"
    for bad in ("", "two words", ".hidden", "x" * 65, "a/b"):
        with pytest.raises(InvalidInput):
            check_operator_name(bad)
    with pytest.raises(InvalidInput) as err:
        check_operator_name("system:recorder")
    assert err.value.key == "operator.system_name_reserved"
    assert is_system_name("system:recorder")
    assert parse_role("technician") is Role.TECHNICIAN
    with pytest.raises(InvalidInput):
        parse_role("mayor")


def test_journal_text():
    assert check_entry_text("  Prise de poste  ") == "Prise de poste"
    with pytest.raises(InvalidInput):
        check_entry_text("   ")
    with pytest.raises(InvalidInput):
        check_entry_text("x" * (MAX_ENTRY_LENGTH + 1))


def test_a_call_says_what_and_where():
    from services.domain.calls import CallDraft, check_call

    known = {"21231"}
    ok = check_call(
        CallDraft(
            "fallen_tree", " Arbre sur la voie ", place="Rue Monge", caller_phone="03 80 00 00 00"
        ),
        known,
    )
    assert ok.description == "Arbre sur la voie"
    assert check_call(CallDraft("noise", "Bruit", commune="21231"), known).commune == "21231"
    assert check_call(CallDraft("noise", "Bruit", lat=47.32, lon=5.04), known).lat == 47.32
    for draft, key in (
        (CallDraft("", "x", place="p"), "call.category_required"),
        (CallDraft("noise", "  ", place="p"), "call.description_required"),
        (CallDraft("noise", "x"), "call.place_required"),
        (CallDraft("noise", "x", commune="75056"), "call.unknown_commune"),
        (CallDraft("noise", "x", lat=47.0), "call.half_coordinates"),
        (CallDraft("noise", "x", lat=95.0, lon=5.0), "call.bad_coordinates"),
        (CallDraft("noise", "x", place="p", caller_phone="call me"), "call.bad_phone"),
        (CallDraft("noise", "x", place="p", caller_email="nobody"), "call.bad_email"),
    ):
        with pytest.raises(InvalidInput) as err:
            check_call(draft, known)
        assert err.value.key == key


def test_a_masks_command_carries_its_polygons_as_a_list():
    from services.domain.commands import typed_params
    from services.domain.privacy_masks import MaskFileError, parse_polygons

    square = [[[0, 0], [10, 0], [10, 10], [0, 10]]]
    params = typed_params("masks", {"preset": "2", "version": "abc", "polygons": square})
    assert params == {"preset": 2, "version": "abc", "polygons": square}
    with pytest.raises(InvalidInput):
        typed_params("masks", {"preset": 2, "version": "abc", "polygons": "[[0, 0]]"})
    assert parse_polygons(square) == (((0, 0), (10, 0), (10, 10), (0, 10)),)
    with pytest.raises(MaskFileError, match=r"polygons\[0\]: too_few_points"):
        parse_polygons([[[0, 0], [1, 1]]])
