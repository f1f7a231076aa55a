"""The console shows what the matrix refuses as disabled, saying why, and the services agree.

A refused control is disabled whatever else would enable it (choosing an incident or a device),
its tooltip is the refusal in the operator's words, and the act, if forced through the services,
is refused in the same words and records nothing.
"""

from __future__ import annotations

import json

import pytest

from console.app import Console
from console.text.messages import describe
from services import incident_actions as acts
from services.domain.errors import PermissionDenied
from services.domain.incidents import IncidentSource, IncidentStatus, new_incident
from services.domain.operators import Role
from services.store import audit, incidents
from services.store.types import utcnow


@pytest.fixture
def console_of(db, broker, qtbot, tmp_path):
    made = []

    def make(name: str, role: Role) -> Console:
        console = Console(db, broker.url, f"perm-{name}", name, role, config_folder=tmp_path / name)
        qtbot.addWidget(console.window)
        made.append(console)
        return console

    yield make
    for console in made:
        console.stop()


def _an_incident(db):
    with db.write() as s:
        return incidents.create(
            s,
            new_incident(source=IncidentSource.CALL, category="fallen_tree", at=utcnow()),
            by="c.bernard",
        )


def test_an_auditor_reads_the_incident_but_every_act_is_disabled_saying_why(console_of, db):
    seen = _an_incident(db)
    console = console_of("n.faure", Role.AUDITOR)
    detail = console.desks.incidents.detail
    detail.show_incident(seen, [], [])
    ack = detail.buttons[IncidentStatus.ACKNOWLEDGED]
    assert not ack.isEnabled() and not detail.note_text.isEnabled()
    assert "n.faure (auditor) may not" in ack.toolTip()
    assert not console.desks.logbook.panel.entry.isEnabled()
    assert console.desks.calls.new_call() is None  # the hotline's form is not even opened
    assert "may not" in console.window.statusBar().currentMessage()
    # Forced through the services, the same act is refused in the same words, nothing recorded.
    with db.read() as s:
        before = audit.head(s)
    with pytest.raises(PermissionDenied) as refused:
        acts.move(db, seen, IncidentStatus.ACKNOWLEDGED, by="n.faure")
    assert describe(refused.value) in ack.toolTip()
    with db.read() as s:
        assert audit.head(s) == before
        assert incidents.get(s, seen.id).status is IncidentStatus.NEW


def test_a_technician_switches_traffic_not_the_snow_plan_and_keeps_the_f_keys_of_others(
    console_of, db
):
    technician = console_of("t.roux", Role.TECHNICIAN)
    modes = technician.desks.city.panel
    assert not modes.snow.switch_button.isEnabled()
    assert "switch the snow plan" in modes.snow.switch_button.toolTip()
    assert modes.traffic.switch_button.isEnabled()
    assert technician.desks.logbook.panel.entry.isEnabled()
    assert technician.desks.equipment.equipment.command_button.toolTip() == ""
    dispatcher = console_of("c.bernard", Role.DISPATCHER)
    detail = dispatcher.desks.incidents.detail
    detail.show_incident(_an_incident(db), [], [])
    ack = detail.buttons[IncidentStatus.ACKNOWLEDGED]
    assert ack.isEnabled() and ack.toolTip() == "F2"  # allowed: its own tooltip, untouched
    assert "may not command" in dispatcher.desks.equipment.equipment.command_button.toolTip()


def test_each_console_session_that_shows_patrols_is_journaled(console_of, db, qtbot):
    def opened() -> list[tuple[str, str]]:
        with db.read() as s:
            return [
                (e.operator, e.details)
                for e in audit.entries(s)
                if e.action == "positions.open_patrols"
            ]

    console_of("t.roux", Role.TECHNICIAN).start()  # sees road crews and ploughs, no patrol
    console_of("c.bernard", Role.DISPATCHER).start()
    qtbot.waitUntil(lambda: len(opened()) == 1, timeout=10_000)
    ((who, details),) = opened()
    assert who == "c.bernard" and json.loads(details)["workstation"]
