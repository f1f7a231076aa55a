"""The Approvals panel: a request read word for word, approved by someone else, carried out."""

from __future__ import annotations

import pytest

from console.app import Console
from services import approving
from services.domain.operators import Role
from services.store import audit, operators


@pytest.fixture
def supervisor_console(db, broker, qtbot, tmp_path):
    made = []

    def make(name: str) -> Console:
        console = Console(
            db, broker.url, "approvals", name, Role.SUPERVISOR, config_folder=tmp_path
        )
        qtbot.addWidget(console.window)
        console.start()
        made.append(console)
        return console

    yield make
    for console in made:
        console.stop()


def _role_change_by(db, who: str):
    return approving.request_role_change(
        db,
        name="c.bernard",
        role=Role.SUPERVISOR,
        by=who,
        reason="renfort pour la nuit de la Saint-Sylvestre",
        preview=["c.bernard: dispatcher → supervisor"],
        rule="approval.rule.role_change",
    )


def test_a_supervisor_reads_the_request_word_for_word_and_approves_it(
    supervisor_console, db, qtbot
):
    asked = _role_change_by(db, "root")
    panel = supervisor_console("s.petit").desks.approvals.panel
    qtbot.waitUntil(lambda: panel.listing.count() == 1, timeout=10_000)
    panel.listing.setCurrentRow(0)
    text = panel.preview.toPlainText()
    assert "c.bernard: dispatcher → supervisor" in text
    assert "Saint-Sylvestre" in text and "root" in text
    assert panel.approve.isEnabled()
    panel.approve.click()
    qtbot.waitUntil(lambda: panel.listing.count() == 0, timeout=10_000)
    with db.read() as s:
        assert operators.get(s, "c.bernard").role is Role.SUPERVISOR
        done = [(e.operator, e.action, e.target) for e in audit.entries(s)][-2:]
    # approved by s.petit, then carried out by s.petit as the admin's act
    assert done == [
        ("s.petit", "approval.approve", f"approval:{asked.id}"),
        ("s.petit", "operator.set_role_approved", "c.bernard"),
    ]


def test_the_requester_reads_their_own_request_but_may_not_approve_it(
    supervisor_console, db, qtbot
):
    console = supervisor_console("l.moreau")
    plan = console.seat.sender.plan(
        "group", "all:Streetlight", "switch", {"powerState": "off"}, issued_by="l.moreau"
    )
    approving.request_command(
        db,
        plan,
        by="l.moreau",
        reason="délestage",
        preview=["switch powerState=off on all:Streetlight"],
        rule="approval.rule.all_of_a_type",
    )
    panel = console.desks.approvals.panel
    console.desks.approvals.refresh()
    qtbot.waitUntil(lambda: panel.listing.count() == 1, timeout=10_000)
    panel.listing.setCurrentRow(0)
    assert "all:Streetlight" in panel.preview.toPlainText()
    assert not panel.approve.isEnabled()
    assert "another operator" in panel.approve.toolTip()
    panel.why.setText("pas cette nuit")
    assert panel.refuse_button.isEnabled()  # withdrawing one's own request is allowed
