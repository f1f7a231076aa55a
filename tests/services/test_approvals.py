"""The two-person rule: requested, never sent; approved by someone else, then sent as asked.

On a real broker and both databases: a subscriber of the command topics sees nothing until a
second supervisor approves, and the command then goes out as the requester's.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import select, update

from services import approving
from services.commands.sender import CommandSender
from services.domain.approvals import ApprovalRules, ApprovalStatus, command_rule
from services.domain.errors import Conflict, PermissionDenied
from services.domain.operators import Role
from services.recorder.writer import Recorder
from services.store import approvals, audit, operators
from services.store.models import ApprovalRow, CommandRow
from tests.services.test_recorder import wait_until


class Listener:
    """A subscriber of every command topic: what the field would hear."""

    def __init__(self, url: str, root: str) -> None:
        host, port = url.removeprefix("mqtt://").split(":")
        self.heard: list[str] = []
        self.ready = threading.Event()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"l-{root}")
        self.client.on_connect = lambda c, *_: c.subscribe(f"{root}/cmd/#", qos=1)
        self.client.on_subscribe = lambda *_: self.ready.set()
        self.client.on_message = lambda _c, _u, m: self.heard.append(
            json.loads(m.payload)["request_id"]
        )
        self.client.connect(host, int(port))
        self.client.loop_start()
        assert self.ready.wait(10)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def sender(db, broker, request):
    root = f"appr{abs(hash(request.node.nodeid)) % 10**6}"
    made = CommandSender(db, broker.url, root)
    made.connect()
    listener = Listener(broker.url, root)
    recorder = Recorder(db, broker.url, root, f"rec-{root}")  # the only sender
    recorder.start()
    yield made, listener
    recorder.stop()
    listener.close()
    made.close()


def _group_plan(sender: CommandSender, by: str):
    return sender.plan("group", "all:Streetlight", "switch", {"powerState": "off"}, issued_by=by)


def test_the_default_rules_name_the_acts_security_md_names():
    rules, night = ApprovalRules(), datetime(2026, 12, 5, 21, 0, tzinfo=UTC)
    day = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    common = {"params": {"powerState": "off"}, "where": (47.32, 5.04)}

    def rule(target_type, target, command="switch", devices=1, commune=False, at=night):
        return command_rule(
            rules,
            target_type=target_type,
            target=target,
            command=command,
            devices=devices,
            whole_commune_lights=commune,
            at=at,
            **common,
        )

    assert rule("group", "all:Streetlight") == "approval.rule.all_of_a_type"
    assert rule("group", "commune:21231", devices=150, commune=True) == "approval.rule.commune_dark"
    assert rule("group", "commune:21231", devices=150, commune=True, at=day) is None
    assert rule("group", "grp-7", devices=201) == "approval.rule.many_devices"
    assert rule("group", "grp-7", devices=200) is None
    assert rule("Bollard", "bollard:21231-01", command="lower") == "approval.rule.bollard"
    assert rule("Bollard", "bollard:21231-01", command="raise") is None
    assert rule("Streetlight", "light:1") is None


def test_a_group_command_waits_sends_nothing_and_goes_out_on_a_second_approval(db, sender):
    sender, listener = sender
    plan = _group_plan(sender, "s.petit")
    rule = approving.rule_for_command(db, plan)
    assert rule == "approval.rule.all_of_a_type"
    asked = approving.request_command(
        db, plan, by="s.petit", reason="panne secteur", preview=["all lights off"], rule=rule
    )
    assert asked.status is ApprovalStatus.AWAITING
    with db.read() as s:
        assert s.execute(select(CommandRow)).first() is None  # recorded as requested only
    with pytest.raises(PermissionDenied) as own:  # the requester, a supervisor, may not
        approving.approve(db, asked.id, by="s.petit")
    assert own.value.key == "approval.own_request"
    with pytest.raises(PermissionDenied):  # a dispatcher may not approve
        approving.approve(db, asked.id, by="c.bernard")
    approved = approving.approve(db, asked.id, by="l.moreau")
    assert (approved.status, approved.decided_by) == (ApprovalStatus.APPROVED, "l.moreau")
    ((request, _plan),) = approving.carry_out_commands(db, sender, approved)
    assert request.issued_by == "s.petit"  # the act is the requester's
    wait_until(lambda: request.request_id in listener.heard, what="the approved command")
    assert listener.heard == [request.request_id]
    with db.read() as s:
        assert approvals.get(s, asked.id).outcome == request.request_id
        actions = [e.action for e in audit.entries(s)]
        assert actions[-3:] == ["approval.request", "approval.approve", "command.send"]
    with pytest.raises(Conflict):  # approved once, never twice
        approving.approve(db, asked.id, by="l.moreau")


def test_an_unapproved_request_expires_and_nothing_is_ever_sent(db, sender):
    sender, listener = sender
    plan = _group_plan(sender, "t.roux")
    asked = approving.request_command(
        db, plan, by="t.roux", reason="essai", preview=["x"], rule="approval.rule.all_of_a_type"
    )
    with db.write() as s:  # its ten minutes have passed
        s.execute(
            update(ApprovalRow)
            .where(ApprovalRow.id == asked.id)
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    with pytest.raises(Conflict) as late:
        approving.approve(db, asked.id, by="s.petit")
    assert late.value.key == "approval.not_awaiting"
    with db.read() as s:
        assert approvals.get(s, asked.id).status is ApprovalStatus.EXPIRED
        assert s.execute(select(CommandRow)).first() is None
    # Nothing heard: a command sent now on the same connection arrives, and arrives alone.
    marker = sender.send(
        sender.plan(
            "Streetlight", "light:marker", "switch", {"powerState": "on"}, issued_by="t.roux"
        )
    )
    wait_until(lambda: marker.request_id in listener.heard, what="the marker command")
    assert listener.heard == [marker.request_id]


def test_a_request_needs_the_right_to_the_act_and_a_reason(db, sender):
    sender, _listener = sender
    plan = _group_plan(sender, "c.bernard")
    with pytest.raises(PermissionDenied):  # a dispatcher may not command: nor ask to
        approving.request_command(
            db, plan, by="c.bernard", reason="x", preview=["x"], rule="approval.rule.bollard"
        )
    refused = approving.request_command(
        db, _group_plan(sender, "t.roux"), by="t.roux", reason="y", preview=["y"], rule="r"
    )
    with pytest.raises(PermissionDenied):  # refusing is an approver's act too
        approving.refuse(db, refused.id, by="t.garnier", reason="non")
    done = approving.refuse(db, refused.id, by="s.petit", reason="pas ce soir")
    assert (done.status, done.decision_reason) == (ApprovalStatus.REFUSED, "pas ce soir")
    with db.read() as s:
        assert s.execute(select(CommandRow)).first() is None


def test_a_role_change_is_carried_out_by_the_supervisor_who_approves_it(db):
    asked = approving.request_role_change(
        db,
        name="c.bernard",
        role=Role.SUPERVISOR,
        by="root",
        reason="promotion",
        preview=["c.bernard: dispatcher → supervisor"],
        rule="approval.rule.role_change",
    )
    with db.read() as s:
        assert operators.get(s, "c.bernard").role is Role.DISPATCHER  # not yet
    approved = approving.approve(db, asked.id, by="s.petit")
    approving.carry_out_role_change(db, approved)
    with db.read() as s:
        assert operators.get(s, "c.bernard").role is Role.SUPERVISOR
        last = audit.entries(s)[-1]
    # The approver carries it out, in their own name, naming whose act it was.
    assert (last.operator, last.action) == ("s.petit", "operator.set_role_approved")
    assert json.loads(last.details)["requested_by"] == "root"
