"""The permission matrix: read whole, checked, and asked act by act."""

from __future__ import annotations

import pytest

from services.domain.approvals import check_rules_hold_the_admin, read_rules
from services.domain.errors import InvalidInput, PermissionDenied
from services.domain.operators import Role
from services.domain.permissions import Act, MatrixError, check_separation_of_duties, read_matrix

EVERY_ACT = {act.value: ["supervisor"] for act in Act}


def test_a_role_may_do_only_the_acts_the_matrix_lists_for_it():
    matrix = read_matrix({"acts": {**EVERY_ACT, "command_group": ["technician"]}}, "city.toml")
    assert matrix.allows(Role.TECHNICIAN, Act.COMMAND_GROUP)
    assert not matrix.allows(Role.DISPATCHER, Act.COMMAND_GROUP)
    assert not matrix.allows(Role.SUPERVISOR, Act.COMMAND_GROUP)  # listed elsewhere, not here
    matrix.check("t.garnier", Role.TECHNICIAN, Act.COMMAND_GROUP)
    with pytest.raises(PermissionDenied) as refused:
        matrix.check("c.bernard", Role.DISPATCHER, Act.COMMAND_GROUP)
    assert refused.value.key == "permission.refused"
    assert refused.value.params == {
        "operator": "c.bernard",
        "role": "dispatcher",
        "act": "command_group",
    }
    assert matrix.acts_of(Role.TECHNICIAN) == [Act.COMMAND_GROUP]


@pytest.mark.parametrize(
    ("acts", "key", "named"),
    [
        (
            {k: v for k, v in EVERY_ACT.items() if k != "approve"},
            "permissions.missing_act",
            "approve",
        ),
        ({**EVERY_ACT, "launch_rockets": []}, "permissions.unknown_act", "launch_rockets"),
        ({**EVERY_ACT, "approve": ["mayor"]}, "permissions.unknown_role", "mayor"),
        ({**EVERY_ACT, "approve": "supervisor"}, "permissions.not_a_list", "approve"),
    ],
)
def test_a_matrix_with_a_hole_or_a_stranger_is_refused_whole(acts, key, named):
    with pytest.raises(MatrixError) as refused:
        read_matrix({"acts": acts}, "city.toml")
    assert refused.value.key == key
    assert named in refused.value.params.values()
    assert refused.value.params["source"] == "city.toml"


def test_a_document_without_acts_is_refused():
    with pytest.raises(MatrixError) as refused:
        read_matrix({"roles": {}}, "city.toml")
    assert refused.value.key == "permissions.no_acts"


def test_an_act_may_be_allowed_to_nobody():
    matrix = read_matrix({"acts": {**EVERY_ACT, "view_cameras": []}}, "city.toml")
    assert not any(matrix.allows(role, Act.VIEW_CAMERAS) for role in Role)


def _bundled_with(**extra: list[str]) -> dict[str, list[str]]:
    """security.md's default matrix (the admin: read_audit and manage_operators), with more."""
    from services.permissions import load_matrix

    bundled = load_matrix()
    acts = {a.value: sorted(r.value for r in bundled.allowed[a]) for a in Act}
    for act, roles in extra.items():
        acts[act] = sorted(set(acts[act]) | set(roles))
    return acts


def test_the_bundled_matrix_keeps_the_admin_to_its_own_acts():
    check_separation_of_duties(read_matrix({"acts": _bundled_with()}, "bundled"))


@pytest.mark.parametrize(
    ("extra", "key", "named"),
    [
        ({"approve": ["admin"]}, "permissions.admin_operational", "approve"),
        ({"command_group": ["admin"]}, "permissions.admin_operational", "command_group"),
        ({"see_operations": ["admin"]}, "permissions.admin_operational", "see_operations"),
        ({"manage_operators": ["supervisor"]}, "permissions.manager_not_admin", "supervisor"),
    ],
)
def test_a_matrix_mixing_the_admins_duties_with_the_rooms_is_refused(extra, key, named):
    matrix = read_matrix({"acts": _bundled_with(**extra)}, "city.toml")
    with pytest.raises(MatrixError) as refused:
        check_separation_of_duties(matrix)
    assert refused.value.key == key
    assert refused.value.params["source"] == "city.toml"
    assert named in refused.value.params.values()


def test_rules_that_let_a_role_change_go_alone_are_refused_and_others_may_loosen():
    loosened = read_rules({"approvals": {"max_devices": 5000, "bollard_lowered": False}}, "c")
    check_rules_hold_the_admin(loosened, "c")
    off = read_rules({"approvals": {"role_change": False}}, "city.toml")
    with pytest.raises(InvalidInput) as refused:
        check_rules_hold_the_admin(off, "city.toml")
    assert (refused.value.key, refused.value.params) == (
        "approval.role_change_kept",
        {"source": "city.toml"},
    )
