"""Applying a lighting policy waits for a second operator (the two-person rule, issue 20).

On both databases, in a tiny world (three groups, two lights each): with the city's rule
``lighting_apply`` on, an apply is recorded as requested and sends nothing; a second operator's
approval pushes the profiles as the requester's act, carried out (and journaled) by the approver;
the requester may not approve; a policy that changed since the request is refused when carried
out; with the rule off, the apply goes out at once.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from services import approving, lighting
from services.commands.sender import CommandSender
from services.domain.approvals import ApprovalKind, ApprovalRules, ApprovalStatus, rules_as_data
from services.domain.equipment import EquipmentType
from services.domain.errors import InvalidInput, PermissionDenied
from services.lighting_policy import load_policy
from services.playbooks import load_playbook
from services.store import approvals, audit
from services.store.models import ApprovalRulesRow, CommandRow, EquipmentRow

#: (light, group, commune): two groups in Dijon, one in Chenôve.
LIGHTS = [
    ("streetlight:21231-90001", "streetlightgroup:21231-901-A", "21231"),
    ("streetlight:21231-90002", "streetlightgroup:21231-901-A", "21231"),
    ("streetlight:21231-90003", "streetlightgroup:21231-902-A", "21231"),
    ("streetlight:21231-90004", "streetlightgroup:21231-902-A", "21231"),
    ("streetlight:21166-90001", "streetlightgroup:21166-901-A", "21166"),
    ("streetlight:21166-90002", "streetlightgroup:21166-901-A", "21166"),
]
GROUPS = sorted({g for _, g, _ in LIGHTS})
REQUESTER, APPROVER = "t.roux", "s.petit"


def add_lights(db) -> None:
    """The recorder's work: each light as its gateway reported it, in its group."""
    now = datetime.now(UTC)
    with db.write() as session:
        for light, group, commune in LIGHTS:
            session.add(
                EquipmentRow(
                    id=light,
                    type=EquipmentType.STREETLIGHT.value,
                    commune=commune,
                    gateway=f"gw-cab-{commune}",
                    group_ref=group,
                    attributes={"powerState": "on", "ratedPower": 70.0},
                    received_at=now,
                    updated_at=now,
                )
            )


@pytest.fixture
def world(db):
    add_lights(db)
    sender = CommandSender(db, "mqtt://127.0.0.1:1", "lgt")  # never connected: the recorder sends
    yield db, sender, load_policy(), load_playbook()
    sender.close()


def _commands(db) -> list[CommandRow]:
    with db.read() as session:
        return list(session.execute(select(CommandRow).order_by(CommandRow.target)).scalars())


def _ask(db, sender, policy, playbook):
    preview = lighting.preview(db, sender, policy, playbook, REQUESTER)
    rule = approving.rule_for_lighting(db)
    assert rule == "approval.rule.lighting"  # the default rules: Dijon's scale is high-impact
    asked = approving.request_lighting(
        db, preview, by=REQUESTER, reason="politique hiver", preview_lines=["apply"], rule=rule
    )
    return preview, asked


def test_an_apply_is_recorded_as_requested_and_sends_nothing(world):
    db, sender, policy, playbook = world
    preview, asked = _ask(db, sender, policy, playbook)
    assert (asked.kind, asked.act, asked.status) == (
        ApprovalKind.LIGHTING,
        "command_group",
        ApprovalStatus.AWAITING,
    )
    assert asked.payload["policy"] == policy.source
    assert asked.payload["version"] == preview.version
    named = asked.payload["commands"]
    assert [c["target"] for c in named] == GROUPS
    assert {c["command"] for c in named} == {"profile"}
    assert [c["params"] for c in named] == [p.request.params for p in preview.plans]
    assert _commands(db) == []  # nothing recorded to send
    # What an approver reads is planned again from the request, by the code that carries it out.
    replanned = approving.replan(db, sender, None, asked, policy=policy, playbook=playbook)
    assert replanned.lighting is not None and not replanned.changed
    assert replanned.lighting.version == preview.version
    assert replanned.lighting.projection.lights == len(LIGHTS)


def test_a_second_operator_approves_and_the_profiles_go_as_the_requesters_act(world):
    db, sender, policy, playbook = world
    preview, asked = _ask(db, sender, policy, playbook)
    with pytest.raises(PermissionDenied) as own:  # the two-person rule itself
        approving.approve(db, asked.id, by=REQUESTER)
    assert own.value.key == "approval.own_request"
    approving.check_lighting(db, sender, policy, playbook, asked)  # what the desk checks first
    approved = approving.approve(db, asked.id, by=APPROVER)
    applied = approving.carry_out_lighting(db, sender, policy, playbook, approved)
    assert (applied.by, applied.approved_by) == (REQUESTER, APPROVER)
    sent = _commands(db)
    assert [c.target for c in sent] == GROUPS
    assert {(c.command, c.issued_by, c.approval_id) for c in sent} == {
        ("profile", REQUESTER, asked.id)
    }
    assert {c.params["version"] for c in sent} == {
        p.request.params["version"] for p in preview.plans
    }
    lighting.finish(db, applied, lighting.progress(sender, applied))
    with db.read() as session:
        assert approvals.get(session, asked.id).outcome == " ".join(
            r.request_id for r in applied.requests
        )
        entries = audit.entries(session)[-4:]
    assert [(e.operator, e.action) for e in entries] == [
        (REQUESTER, "approval.request"),
        (APPROVER, "approval.approve"),
        (APPROVER, "lighting.apply"),
        (APPROVER, "lighting.result"),
    ]
    details = json.loads(entries[2].details)
    assert details["requested_by"] == REQUESTER
    assert details["version"] == preview.version
    assert sorted(details["commands"]) == sorted(c.request_id for c in sent)


def test_a_policy_changed_since_the_request_is_refused_and_sends_nothing(world):
    db, sender, policy, playbook = world
    _preview, asked = _ask(db, sender, policy, playbook)
    # The city's file changed meanwhile: one group gets another profile.
    other = next(name for name in policy.profiles if name != policy.profile_name(GROUPS[0], None))
    changed = replace(policy, by_group={**policy.by_group, GROUPS[0]: other})
    replanned = approving.replan(db, sender, None, asked, policy=changed, playbook=playbook)
    assert replanned.changed  # the approver is told before approving
    with pytest.raises(InvalidInput) as before:
        approving.check_lighting(db, sender, changed, playbook, asked)
    assert before.value.key == "lighting.changed_since_request"
    approved = approving.approve(db, asked.id, by=APPROVER)  # approved round the check
    with pytest.raises(InvalidInput) as refused:
        approving.carry_out_lighting(db, sender, changed, playbook, approved)
    assert refused.value.key == "lighting.changed_since_request"
    assert _commands(db) == []
    with db.read() as session:
        assert approvals.get(session, asked.id).outcome == "lighting.changed_since_request"
        assert audit.entries(session)[-1].action == "approval.approve"


def test_a_new_group_in_the_field_changes_the_policy_too(world):
    db, sender, policy, playbook = world
    _preview, asked = _ask(db, sender, policy, playbook)
    now = datetime.now(UTC)
    with db.write() as session:
        session.add(
            EquipmentRow(
                id="streetlight:21166-90003",
                type=EquipmentType.STREETLIGHT.value,
                commune="21166",
                gateway="gw-cab-21166",
                group_ref="streetlightgroup:21166-902-A",
                attributes={"ratedPower": 70.0},
                received_at=now,
                updated_at=now,
            )
        )
    with pytest.raises(InvalidInput):
        approving.check_lighting(db, sender, policy, playbook, asked)


def test_with_the_rule_off_the_apply_goes_out_at_once(world):
    db, sender, policy, playbook = world
    with db.write() as session:
        rules = rules_as_data(replace(ApprovalRules(), lighting_apply=False))
        session.add(ApprovalRulesRow(id=1, rules=rules))
    assert approving.rule_for_lighting(db) is None
    preview = lighting.preview(db, sender, policy, playbook, REQUESTER)
    applied = lighting.apply(db, sender, preview, REQUESTER, "politique hiver")
    assert applied.approved_by is None
    sent = _commands(db)
    assert [c.target for c in sent] == GROUPS
    assert {(c.issued_by, c.approval_id) for c in sent} == {(REQUESTER, None)}
    with db.read() as session:
        last = audit.entries(session)[-1]
        assert approvals.list_all(session) == []
    assert (last.operator, last.action) == (REQUESTER, "lighting.apply")
