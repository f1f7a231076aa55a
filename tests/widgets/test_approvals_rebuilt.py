"""The approver reads what a request does, rebuilt from its payload, not what its text claims.

A request's recorded preview is whatever the requester's console (or a script) wrote; the panel
rebuilds the preview from the request's own act, target and parameters with the builder the
requester's console uses, and says plainly when the two differ.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from console.app import Console
from console.text.approvals import command_preview
from services import approving
from services.domain.approvals import ApprovalKind
from services.domain.operators import Role
from services.store import approvals
from services.store.authority import rules_in_force

LIE = "switch powerState=on on Streetlight light:1, in Dijon"


@pytest.fixture
def approver(db, broker, qtbot, tmp_path):
    console = Console(db, broker.url, "rebuilt", "s.petit", Role.SUPERVISOR, config_folder=tmp_path)
    qtbot.addWidget(console.window)
    yield console
    console.stop()


def _chosen(console: Console, qtbot):
    panel = console.desks.approvals.panel
    qtbot.waitUntil(lambda: panel.listing.count() == 1, timeout=10_000)
    panel.listing.setCurrentRow(0)
    return panel


def test_a_request_whose_text_lies_shows_what_it_does_and_says_it_differs(approver, db, qtbot):
    plan = approver.seat.sender.plan(
        "group", "commune:21231", "switch", {"powerState": "off"}, issued_by="l.moreau"
    )
    approving.request_command(
        db,
        plan,
        by="l.moreau",
        reason="essai",
        preview=[LIE],  # written round Vigie: one light on, says the text
        rule="approval.rule.commune_dark",
    )
    approver.start()
    panel = _chosen(approver, qtbot)
    text = panel.preview.toPlainText()
    truth = command_preview([plan], "approval.rule.commune_dark")
    assert truth[0] in text  # the commune's lights switched off, as Vigie says it
    assert "powerState=off" in truth[0] and "commune:21231" in truth[0]
    # What it does comes first; the lie is shown only after, as the recorded text.
    assert text.index(truth[0]) < text.index(LIE)
    assert not panel.mismatch.isHidden()
    assert "not what it does" in panel.mismatch.text()
    assert "not what it does" in text
    # The list names what it does too, and flags the request.
    listed = panel.listing.item(0).text()
    assert "powerState=off" in listed and "powerState=on" not in listed
    assert "differs" in listed


def test_an_honest_request_reads_the_same_and_raises_no_flag(approver, db, qtbot):
    plan = approver.seat.sender.plan(
        "group", "all:Streetlight", "switch", {"powerState": "off"}, issued_by="l.moreau"
    )
    rule = approving.rule_for_selection(db, [plan])
    assert rule == "approval.rule.all_of_a_type"
    # What the requester's command desk records (``CommandDesk._ask_approval``).
    approving.request_selection(
        db,
        [plan],
        by="l.moreau",
        reason="délestage",
        preview=command_preview([plan], rule),
        rule=rule,
    )
    approver.start()
    panel = _chosen(approver, qtbot)
    assert panel.mismatch.isHidden()
    text = panel.preview.toPlainText()
    assert command_preview([plan], rule)[0] in text
    assert "differs" not in panel.listing.item(0).text()
    assert panel.approve.isEnabled()


def test_a_request_vigie_cannot_plan_again_is_flagged(approver, db, qtbot):
    with db.write() as session:
        approvals.request(
            session,
            kind=ApprovalKind.COMMAND,
            act="command_group",
            payload={"commands": [{"target_type": "Toaster", "target": "t:1"}]},
            preview=[LIE],
            reason="essai",
            rule="approval.rule.many_devices",
            by="l.moreau",
            rules=rules_in_force(session),
            now=datetime.now(UTC),
        )
    approver.start()
    panel = _chosen(approver, qtbot)
    assert not panel.mismatch.isHidden()
    assert "could not rebuild" in panel.mismatch.text()
    assert LIE in panel.preview.toPlainText()  # shown, as the recorded text nothing checked
