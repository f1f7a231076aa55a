"""Applying the lighting policy from the Energy panel: preview, reason, approval or apply, result.

The dialog alone, from plain lines; then the desk on a SQLite room with three groups of two
lights (two in Dijon, one in Chenôve): with the city's rule ``lighting_apply`` on, confirming
records a request an approver's panel rebuilds word for word, and sends nothing; with it off,
the profiles and the act are recorded, the cabinets' answers are followed to the result and
that result is journaled; a broker that cannot be reached is said, nothing recorded; a dispatcher
sees the button disabled, saying why.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QMainWindow
from sqlalchemy import select

from console.bridge import Bridge
from console.desks import energy as energy_desk
from console.desks.energy import EnergyDesk, EnergyReading
from console.desks.seat import Seat
from console.text.approvals import lighting_preview, rebuild
from console.text.lighting import preview_lines
from services import lighting
from services.commands.sender import CommandSender
from services.domain.approvals import ApprovalKind, ApprovalRules, ApprovalStatus, rules_as_data
from services.domain.operators import Role
from services.domain.permissions import Act
from services.lighting_policy import load_policy
from services.permissions import load_matrix
from services.playbooks import load_playbook
from services.reference import communes
from services.simulator.payloads import group_ack
from services.store import approvals, audit
from services.store.database import Database
from services.store.models import ApprovalRulesRow, CommandRow
from services.store.schema import upgrade
from tests.conftest import seed_room
from tests.services.test_lighting_approval import LIGHTS, add_lights
from widgets.energy.apply_dialog import LightingApplyDialog
from widgets.plain_text import plain_tooltip

NAMES = {c.insee: c.name for c in communes()}
#: (light, group, commune): two groups in Dijon, one in Chenôve, one cabinet per commune.
GROUPS = sorted({g for _, g, _ in LIGHTS})
TECHNICIAN = "t.roux"


# --- the dialog alone -------------------------------------------------------------------------
def test_the_dialog_shows_the_preview_word_for_word_and_refuses_an_empty_reason(qtbot):
    dialog = LightingApplyDialog()
    qtbot.addWidget(dialog)
    assert not dialog.apply_button.isEnabled()  # nothing previewed yet
    lines = ["Apply the lighting policy dijon.toml (Dijon): 3 groups, 6 lights", "  • …"]
    dialog.show_preview(lines, groups=3, awaits_approval=False)
    assert dialog.preview.toPlainText() == "\n".join(lines)
    assert dialog.apply_button.text() == "Apply to 3 group(s)"
    assert not dialog.approval_note.isVisibleTo(dialog)
    assert not dialog.apply_button.isEnabled()  # no reason given
    dialog.reason.setText("   ")
    assert not dialog.apply_button.isEnabled()  # blanks are no reason
    dialog.reason.setText("  politique d'hiver  ")
    assert dialog.apply_button.isEnabled()
    with qtbot.waitSignal(dialog.sig_apply_requested) as confirmed:
        dialog.apply_button.click()
    assert confirmed.args == ["politique d'hiver"]
    assert not dialog.apply_button.isEnabled() and dialog.reason.isReadOnly()  # once


def test_a_preview_that_waits_for_approval_says_so_before_the_confirmation(qtbot):
    dialog = LightingApplyDialog()
    qtbot.addWidget(dialog)
    dialog.show_preview(["Apply the lighting policy …"], groups=1053, awaits_approval=True)
    assert dialog.apply_button.text() == "Request approval"
    assert dialog.approval_note.isVisibleTo(dialog)
    assert "second operator's approval" in dialog.approval_note.text()
    dialog.show_problem("cannot reach the database")
    dialog.reason.setText("politique d'hiver")
    assert dialog.problem.isVisibleTo(dialog)


# --- the desk, on a room with six lights --------------------------------------------------------
@pytest.fixture
def room(tmp_path) -> Iterator[Database]:
    """The room's operators and the recorder's rows for six lights (SQLite)."""
    db = Database(f"sqlite:///{tmp_path / 'vigie.db'}")
    upgrade(db)
    seed_room(db)
    add_lights(db)
    yield db
    db.dispose()


@pytest.fixture
def bridge() -> Iterator[Bridge]:
    bridge = Bridge()
    yield bridge
    bridge.shutdown()


def _seat(qtbot, db: Database, bridge: Bridge, sender: CommandSender) -> Seat:
    window = QMainWindow()
    qtbot.addWidget(window)
    return Seat(TECHNICIAN, Role.TECHNICIAN, db, bridge, sender, window, NAMES, load_matrix())


def _desk(qtbot, seat: Seat, lighting_path: str = "") -> EnergyDesk:
    now = datetime.now(UTC)
    nothing = EnergyReading([], now.date(), now.date(), None, None, None, now)
    desk = EnergyDesk(seat, lighting_path, read=lambda: nothing)
    qtbot.addWidget(desk.panel)
    return desk


def _rule_off(db: Database) -> None:
    """The city's rules with ``lighting_apply = false``, as loaded with the matrix."""
    with db.write() as session:
        rules = rules_as_data(replace(ApprovalRules(), lighting_apply=False))
        session.add(ApprovalRulesRow(id=1, rules=rules))


def _commands(db: Database) -> list[CommandRow]:
    with db.read() as session:
        return list(session.execute(select(CommandRow).order_by(CommandRow.target)).scalars())


def _previewed(qtbot, desk: EnergyDesk) -> LightingApplyDialog:
    desk.panel.apply_button.click()
    dialog = desk.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.preview.toPlainText() != "", timeout=10_000)
    return dialog


def test_with_the_rule_on_confirming_records_a_request_and_sends_nothing(qtbot, room, bridge):
    sender = CommandSender(room, "mqtt://127.0.0.1:1", "lgt")  # never connected: nothing is sent
    seat = _seat(qtbot, room, bridge, sender)
    desk = _desk(qtbot, seat)
    dialog = _previewed(qtbot, desk)
    # word for word what ``vigie lighting preview`` says, the same policy on the same field
    expected = lighting.preview(room, sender, load_policy(), load_playbook(), TECHNICIAN)
    assert dialog.preview.toPlainText() == "\n".join(preview_lines(expected))
    shown = dialog.preview.toPlainText().splitlines()
    assert shown[0].startswith("Apply the lighting policy dijon.toml (")
    assert shown[0].endswith(": 3 groups, 6 lights")
    assert any(line.startswith("Tonight (") for line in shown)  # the energy, against full power
    assert any(line.startswith("  • Dijon: 4 lights") for line in shown)
    assert any(line.startswith("  • Chenôve: 2 lights") for line in shown)
    assert dialog.apply_button.text() == "Request approval"
    assert not dialog.apply_button.isEnabled()  # no reason yet
    dialog.reason.setText("politique d'hiver")
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: dialog.headline.isVisibleTo(dialog), timeout=10_000)
    assert dialog.headline.text().startswith("Awaiting approval: nothing is sent")
    assert seat.window.statusBar().currentMessage() == dialog.headline.text()
    assert not dialog.apply_button.isVisibleTo(dialog)
    with room.read() as session:
        (asked,) = approvals.list_all(session)
        last = audit.entries(session)[-1]
    assert (asked.kind, asked.act, asked.status) == (
        ApprovalKind.LIGHTING,
        Act.COMMAND_GROUP.value,
        ApprovalStatus.AWAITING,
    )
    assert (asked.requested_by, asked.reason) == (TECHNICIAN, "politique d'hiver")
    assert asked.payload["version"] == expected.version
    assert asked.preview == lighting_preview(expected, asked.rule)
    assert (last.operator, last.action) == (TECHNICIAN, "approval.request")
    assert _commands(room) == []  # nothing recorded to send
    # what an approver's panel builds again from the request reads the same
    rebuilt = rebuild(room, sender, "", asked, "")
    assert not rebuilt.problem and not rebuilt.differs_from(asked)
    dialog.close()


def test_with_the_rule_off_the_profiles_go_out_and_the_answers_are_followed(
    qtbot, room, bridge, broker
):
    _rule_off(room)
    sender = CommandSender(room, broker.url, "lgt-apply", client_id="console-lgt")
    sender.connect()
    cabinets = CommandSender(room, broker.url, "lgt-apply", client_id="cabinets-lgt")
    cabinets.connect()  # the field's side: it only answers
    try:
        seat = _seat(qtbot, room, bridge, sender)
        desk = _desk(qtbot, seat)
        dialog = _previewed(qtbot, desk)
        assert dialog.apply_button.text() == "Apply to 3 group(s)"
        assert not dialog.approval_note.isVisibleTo(dialog)
        dialog.reason.setText("politique d'hiver")
        dialog.apply_button.click()
        qtbot.waitUntil(lambda: dialog.progress.isVisibleTo(dialog), timeout=10_000)
        sent = _commands(room)
        assert [c.target for c in sent] == GROUPS
        assert {(c.command, c.issued_by, c.approval_id) for c in sent} == {
            ("profile", TECHNICIAN, None)
        }
        assert dialog.progress_text.text() == "0/3 groups answered, 0/6 lights hold the profile"
        with room.read() as session:
            assert approvals.list_all(session) == []
            applied = audit.entries(session)[-1]
        assert (applied.operator, applied.action) == (TECHNICIAN, "lighting.apply")
        details = json.loads(applied.details)
        assert details["reason"] == "politique d'hiver"
        assert sorted(details["commands"]) == sorted(c.request_id for c in sent)
        for command in sent:  # each group's cabinet runs the profile on its two lights
            commune = command.target.split(":")[1][:5]
            answer = group_ack(command.request_id, f"gw-cab-{commune}", "done", 2, [], time.time())
            cabinets.bus.publish(command.reply_to, answer)
        qtbot.waitUntil(lambda: dialog.headline.isVisibleTo(dialog), timeout=15_000)
        assert dialog.headline.text() == "3/3 groups answered, 6/6 lights hold the profile"
        assert dialog.progress.value() == 3
        assert seat.window.statusBar().currentMessage() == dialog.headline.text()
        qtbot.waitUntil(lambda: _last_action(room) == "lighting.result", timeout=5_000)
        dialog.close()
    finally:
        cabinets.close()
        sender.close()


def _last_action(db: Database) -> str:
    with db.read() as session:
        return audit.entries(session)[-1].action


def test_a_broker_out_of_reach_is_said_and_nothing_is_recorded(qtbot, room, bridge, monkeypatch):
    _rule_off(room)
    monkeypatch.setattr(energy_desk, "BROKER_WAIT_S", 0.2)
    sender = CommandSender(room, "mqtt://127.0.0.1:1", "lgt")
    seat = _seat(qtbot, room, bridge, sender)
    dialog = _previewed(qtbot, _desk(qtbot, seat))
    dialog.reason.setText("politique d'hiver")
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: dialog.problem.isVisibleTo(dialog), timeout=10_000)
    assert dialog.problem.text() == "cannot reach the broker mqtt://127.0.0.1:1; nothing was sent"
    assert _commands(room) == []
    with room.read() as session:
        assert [e.action for e in audit.entries(session)] == []
    dialog.close()


def test_a_policy_file_that_cannot_be_read_is_said_before_anything(qtbot, room, bridge, tmp_path):
    sender = CommandSender(room, "mqtt://127.0.0.1:1", "lgt")
    seat = _seat(qtbot, room, bridge, sender)
    desk = _desk(qtbot, seat, lighting_path=str(tmp_path / "ville.toml"))
    desk.panel.apply_button.click()
    dialog = desk.dialog
    qtbot.waitUntil(lambda: dialog.problem.isVisibleTo(dialog), timeout=10_000)
    assert "ville.toml" in dialog.problem.text()
    dialog.reason.setText("politique d'hiver")
    assert not dialog.apply_button.isEnabled()
    dialog.close()


def test_asked_again_while_its_dialog_is_open_the_same_dialog_comes_forward(qtbot, room, bridge):
    sender = CommandSender(room, "mqtt://127.0.0.1:1", "lgt")
    desk = _desk(qtbot, _seat(qtbot, room, bridge, sender))
    first = _previewed(qtbot, desk)
    assert desk.open_apply() is first
    first.close()


def test_a_dispatcher_sees_the_button_disabled_saying_why(qtbot, room, broker, tmp_path):
    from console.app import Console

    console = Console(
        room, broker.url, "lgt-refused", "c.bernard", Role.DISPATCHER, config_folder=tmp_path
    )
    qtbot.addWidget(console.window)
    try:
        button = console.desks.energy.panel.apply_button
        assert not button.isEnabled()
        refusal = console.seat.refusal(Act.COMMAND_GROUP)
        assert "c.bernard (dispatcher) may not" in refusal
        assert button.toolTip() == plain_tooltip(refusal)
        assert load_matrix().allows(Role.TECHNICIAN, Act.COMMAND_GROUP)  # theirs to apply
    finally:
        console.stop()
