"""The two-person rule from a shell, as issue 16's "done when" tries it (on a real broker)."""

from __future__ import annotations

import json

from sqlalchemy import select, update

from services.store import audit
from services.store.database import Database
from services.store.models import ApprovalRow, CommandRow


def _commands(url: str) -> list[CommandRow]:
    db = Database(url)
    with db.read() as s:
        rows = list(s.execute(select(CommandRow)).scalars())
    db.dispose()
    return rows


def test_a_dispatcher_commands_nothing_and_a_supervisors_all_lights_waits_for_another(
    vigie, staffed, broker, cli_env
):
    cli_env.setenv("VIGIE_BROKER_URL", broker.url)
    cli_env.setenv("VIGIE_MQTT_ROOT", "approvals-cli")
    dispatcher = vigie(
        "--operator",
        "c.bernard",
        "command",
        "group",
        "commune:21231",
        "switch",
        "powerState=off",
        "--yes",
    )
    assert dispatcher.status == 5, dispatcher.err
    assert "c.bernard (dispatcher) may not" in dispatcher.err
    assert _commands(staffed) == []
    everything = ("command", "group", "all:Streetlight", "switch", "powerState=off", "--yes")
    no_reason = vigie("--operator", "s.petit", *everything)
    assert no_reason.status == 2 and "--reason" in no_reason.err
    asked = vigie(
        "--operator", "s.petit", *everything, "--expires", "2", "--reason", "test", "--json"
    )
    assert asked.status == 3, asked.err
    reply = json.loads(asked.out)
    assert reply["status"] == "awaiting_approval" and reply["expires_at"].endswith("Z")
    approval_id = reply["approval_id"]
    assert _commands(staffed) == []  # nothing recorded as a command, nothing sent
    listed = json.loads(vigie("--operator", "l.moreau", "approvals", "list", "--json").out)
    assert [(a["id"], a["status"], a["requested_by"], a["act"]) for a in listed] == [
        (approval_id, "awaiting", "s.petit", "command_group")
    ]
    assert set(listed[0]) >= {
        "id",
        "act",
        "requested_by",
        "requested_at",
        "reason",
        "status",
        "expires_at",
        "decided_by",
    }
    own = vigie("--operator", "s.petit", "approvals", "approve", approval_id, "--yes")
    assert own.status == 5 and "another operator must approve" in own.err
    assert _commands(staffed) == []
    second = vigie("--operator", "l.moreau", "approvals", "approve", approval_id, "--yes")
    assert second.status in (0, 3), second.err  # sent; with no light known, nothing answers
    (sent,) = _commands(staffed)
    assert (sent.target, sent.issued_by) == ("all:Streetlight", "s.petit")
    again = json.loads(vigie("--operator", "l.moreau", "approvals", "list", "--json").out)
    assert (again[0]["status"], again[0]["decided_by"]) == ("approved", "l.moreau")


def test_a_role_change_waits_and_a_refusal_sends_nothing(vigie, staffed, me):
    asked = vigie("operator", "set-role", "c.bernard", "supervisor", "--reason", "renfort")
    assert asked.status == 3, asked.err
    approval_id = asked.out.split()[2].rstrip(":")
    refused = vigie(
        "--operator", "s.petit", "approvals", "refuse", approval_id, "--reason", "pas prévu"
    )
    assert refused.status == 0, refused.err
    roles = {o["name"]: o["role"] for o in json.loads(vigie("operator", "list", "--json").out)}
    assert roles["c.bernard"] == "dispatcher"


def test_snow_level_3_waits_for_approval_and_the_mode_stays(vigie, staffed, cli_env):
    cli_env.setenv("VIGIE_OPERATOR", "c.morel")
    asked = vigie("mode", "snow", "3", "--reason", "tempête", "--yes", "--json")
    assert asked.status == 3, asked.err
    assert json.loads(asked.out)["status"] == "awaiting_approval"
    status = json.loads(vigie("mode", "status", "--json").out)
    assert [(m["kind"], m["value"]) for m in status][0] == ("snow", "0")  # nothing switched
    (request,) = json.loads(vigie("approvals", "list", "--json").out)
    assert request["act"] == "switch_snow" and "snow level" in request["preview"][-1]


def test_an_approved_role_change_is_carried_out_by_its_approver(vigie, staffed, me):
    asked = vigie("operator", "set-role", "t.garnier", "snow_coordinator", "--reason", "hiver")
    assert asked.status == 3, asked.err
    approval_id = asked.out.split()[2].rstrip(":")
    approved = vigie("--operator", "l.moreau", "approvals", "approve", approval_id, "--yes")
    assert approved.status == 0, approved.err
    roles = {o["name"]: o["role"] for o in json.loads(vigie("operator", "list", "--json").out)}
    assert roles["t.garnier"] == "snow_coordinator"
    again = vigie("--operator", "s.petit", "approvals", "approve", approval_id, "--yes")
    assert again.status != 0  # carried out once
    db = Database(staffed)
    with db.read() as s:
        (change,) = [e for e in audit.entries(s) if e.action == "operator.set_role_approved"]
    db.dispose()
    assert change.operator == "l.moreau" and json.loads(change.details)["requested_by"] == me


def test_a_request_whose_recorded_text_lies_is_shown_as_it_is_and_not_approved_blind(
    vigie, staffed, me
):
    asked = vigie("operator", "set-role", "c.bernard", "admin", "--reason", "renfort")
    assert asked.status == 3, asked.err
    approval_id = asked.out.split()[2].rstrip(":")
    # Written round Vigie: the text an approver would read says something harmless.
    db = Database(staffed)
    with db.write() as s:
        s.execute(
            update(ApprovalRow)
            .where(ApprovalRow.id == approval_id)
            .values(preview=["operator c.bernard: role dispatcher becomes dispatcher"])
        )
    db.dispose()
    (listed,) = json.loads(vigie("--operator", "l.moreau", "approvals", "list", "--json").out)
    assert listed["preview_differs"] is True
    assert listed["rebuilt_preview"] == ["operator c.bernard: role dispatcher becomes admin"]
    table = vigie("--operator", "l.moreau", "approvals", "list")
    assert "(!) differs from what was recorded" in table.out and "becomes admin" in table.out
    blind = vigie("--operator", "l.moreau", "approvals", "approve", approval_id, "--yes")
    assert blind.status == 1, blind.err
    assert "recorded text differs" in blind.err
    assert "becomes admin" in blind.err  # what it would carry out, read first
    roles = {o["name"]: o["role"] for o in json.loads(vigie("operator", "list", "--json").out)}
    assert roles["c.bernard"] == "dispatcher"
    (still,) = json.loads(vigie("--operator", "l.moreau", "approvals", "list", "--json").out)
    assert still["status"] == "awaiting"
