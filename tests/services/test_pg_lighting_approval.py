"""A lighting policy's profiles wait for a second operator, as PostgreSQL keeps it (issue 20).

On the private ``scram-sha-256`` cluster, as each login would with plain SQL, then through
Vigie's own services: a technician's ``profile`` command without an approval is refused by the
database while the city's rule ``lighting_apply`` holds; an approved lighting request lets its
approver record the profile commands it names, each once, with the parameters approved, in its
requester's name, and nothing else.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import psycopg
import psycopg.types.json
import pytest

from tests.pg_scram import SUPERUSER
from tests.services import test_pg_authority as authority
from tests.services.test_pg_authority import ask, available, decide

room = authority.room  # a private cluster and room of this module's own

pytestmark = pytest.mark.skipif(not available(), reason="no PostgreSQL server installed here")

GROUP = "streetlightgroup:21231-901-A"
PARAMS = {"name": "residential", "version": "0123456789ab", "steps": []}

#: ``vigie_record_command`` as a login calls it: a ``profile`` to a group, with or without an
#: approval (its id).
PROFILE = (
    "SELECT vigie_record_command(%s, 'group', %s, 'profile', %s, now(), "
    "now() + interval '1 minute', 'vigie/ack/psql', 'command_group', %s)"
)


def _profile(connection: psycopg.Connection, group: str, approval: str | None, **params) -> str:
    request_id = str(uuid.uuid4())
    values = json.dumps({**PARAMS, **params})
    connection.execute(PROFILE, (request_id, group, values, approval))
    return request_id


def _refused(connection: psycopg.Connection, work) -> bool:
    try:
        with connection.transaction():
            work()
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


def _lighting_request(group: str = GROUP, command: str = "profile") -> dict:
    one = {"target_type": "group", "target": group, "command": command, "params": PARAMS}
    return {"policy": "dijon.toml", "version": "fedcba987654", "commands": [one]}


def _set_rules(room, rules: dict | None) -> dict | None:
    """The approval rules in force, as the installer writes them; what they were."""
    with room.login(SUPERUSER, room.cluster.superuser_password) as owner:
        kept = owner.execute("SELECT rules FROM approval_rules WHERE id = 1").fetchone()
        if rules is None:
            owner.execute("DELETE FROM approval_rules WHERE id = 1")
        else:
            owner.execute(
                "INSERT INTO approval_rules (id, rules) VALUES (1, %s) "
                "ON CONFLICT (id) DO UPDATE SET rules = EXCLUDED.rules",
                (psycopg.types.json.Json(rules),),
            )
        owner.commit()
    return kept[0] if kept else None


def test_a_profile_without_an_approval_is_refused_by_the_database(room):
    with room.login("t.roux") as technician:
        assert _refused(technician, lambda: _profile(technician, GROUP, None))
        # one light on its own topic is the same act, by another door
        one = (
            "SELECT vigie_record_command(%s, 'Streetlight', 'streetlight:21231-90001', "
            "'profile', %s, now(), now() + interval '1 minute', 'vigie/ack/psql', "
            "'command_device', NULL)"
        )
        values = (str(uuid.uuid4()), json.dumps(PARAMS))
        assert _refused(technician, lambda: technician.execute(one, values))


def test_with_the_rule_off_a_technician_records_a_profile_at_once(room):
    kept = _set_rules(room, {"lighting_apply": False})
    try:
        with room.login("t.roux") as technician:
            sent = _profile(technician, GROUP, None)
            row = technician.execute(
                "SELECT issued_by, command FROM commands WHERE request_id = %s", (sent,)
            ).fetchone()
            assert row == ("t.roux", "profile")
    finally:
        _set_rules(room, kept)


def test_an_approved_lighting_request_lets_its_approver_record_each_profile_once(room):
    with room.login("t.roux") as requester:
        asked = ask(requester, "lighting", "command_group", _lighting_request())
        requester.commit()
        # the requester cannot carry it out, approved or not
        assert _refused(requester, lambda: _profile(requester, GROUP, asked))
    with room.login("c.bernard") as dispatcher:  # a dispatcher may not ask for it
        assert _refused(
            dispatcher, lambda: ask(dispatcher, "lighting", "command_group", _lighting_request())
        )
    with room.login("t.roux") as requester:  # nor the requester approve it
        approve = (
            "UPDATE approvals SET status = 'approved', decided_by = session_user WHERE id = %s"
        )
        assert _refused(requester, lambda: requester.execute(approve, (asked,)))
    with room.login("l.moreau") as approver:
        assert _refused(approver, lambda: _profile(approver, GROUP, asked)), "not yet approved"
        decide(approver, asked, "approved")
        approver.commit()
        other = "streetlightgroup:21231-902-A"
        assert _refused(approver, lambda: _profile(approver, other, asked)), "a group not named"
        assert _refused(approver, lambda: _profile(approver, GROUP, asked, name="arterial")), (
            "not the parameters approved"
        )
        sent = _profile(approver, GROUP, asked)
        row = approver.execute(
            "SELECT issued_by, approval_id, command FROM commands WHERE request_id = %s", (sent,)
        ).fetchone()
        assert row == ("t.roux", asked, "profile")  # the requester's act, carried out
        approver.commit()
        assert _refused(approver, lambda: _profile(approver, GROUP, asked)), "each once"
        switch = (
            "SELECT vigie_record_command(%s, 'group', %s, 'switch', '{\"powerState\": \"off\"}', "
            "now(), now() + interval '1 minute', 'vigie/ack/psql', 'command_group', %s)"
        )
        assert _refused(
            approver, lambda: approver.execute(switch, (str(uuid.uuid4()), GROUP, asked))
        ), "a lighting approval sends profiles only"


def test_a_lighting_approval_that_names_a_switch_sends_no_switch(room):
    """A payload written round Vigie: the approval's kind says what it may send."""
    with room.login("t.roux") as requester:
        asked = ask(requester, "lighting", "command_group", _lighting_request(command="switch"))
        requester.commit()
    with room.login("s.petit") as approver:
        decide(approver, asked, "approved")
        approver.commit()
        switch = (
            "SELECT vigie_record_command(%s, 'group', %s, 'switch', %s, now(), "
            "now() + interval '1 minute', 'vigie/ack/psql', 'command_group', %s)"
        )
        values = (str(uuid.uuid4()), GROUP, json.dumps(PARAMS), asked)
        assert _refused(approver, lambda: approver.execute(switch, values))


def test_a_command_approval_carries_no_profile(room):
    """A profile asked as a plain command (written round Vigie) skips the policy's check: no."""
    with room.login("t.roux") as requester:
        asked = ask(requester, "command", "command_group", _lighting_request())
        requester.commit()
    with room.login("l.moreau") as approver:
        decide(approver, asked, "approved")
        approver.commit()
        assert _refused(approver, lambda: _profile(approver, GROUP, asked))


def test_through_vigie_a_technician_asks_and_a_supervisor_carries_it_out(room):
    """The shell's and the console's own path, each operator on their own login."""
    from services import approving, lighting
    from services.commands.sender import CommandSender
    from services.domain.equipment import EquipmentType
    from services.domain.errors import PermissionDenied
    from services.lighting_policy import load_policy
    from services.playbooks import load_playbook
    from services.store import audit
    from services.store.models import EquipmentRow
    from tests.services.test_lighting_approval import LIGHTS

    owner = room.owner()
    now = datetime.now(UTC)
    with owner.write() as session:  # the recorder's work: a tiny field
        for light, group, commune in LIGHTS:
            session.add(
                EquipmentRow(
                    id=light,
                    type=EquipmentType.STREETLIGHT.value,
                    commune=commune,
                    gateway=f"gw-cab-{commune}",
                    group_ref=group,
                    attributes={"ratedPower": 70.0},
                    received_at=now,
                    updated_at=now,
                )
            )
    policy, playbook = load_policy(), load_playbook()
    try:
        with room.vigie("t.garnier") as db:
            sender = CommandSender(db, "mqtt://127.0.0.1:1", "lgt")  # never connected
            preview = lighting.preview(db, sender, policy, playbook, "t.garnier")
            with pytest.raises(PermissionDenied) as waits:  # the database's refusal, not Vigie's
                lighting.apply(db, sender, preview, "t.garnier", "hiver")
            assert waits.value.key == "permission.database_refused"
            assert "waits for a second operator" in waits.value.params["reason"]
            rule = approving.rule_for_lighting(db)
            asked = approving.request_lighting(
                db, preview, by="t.garnier", reason="hiver", preview_lines=["x"], rule=rule
            )
            sender.close()
        with room.vigie("l.moreau") as db:
            sender = CommandSender(db, "mqtt://127.0.0.1:1", "lgt")
            approved = approving.approve(db, asked.id, by="l.moreau")
            applied = approving.carry_out_lighting(db, sender, policy, playbook, approved)
            lighting.finish(db, applied, lighting.progress(sender, applied))
            again = lighting.preview(db, sender, policy, playbook, "t.garnier")
            with pytest.raises(PermissionDenied) as once:  # carried out once
                lighting.apply(db, sender, again, "t.garnier", "hiver", approval=approved)
            assert "sent it already" in once.value.params["reason"]
            sender.close()
        with owner.read() as session:
            assert audit.verify(session).ok
        with room.login("n.faure") as auditor:
            recorded = auditor.execute(
                "SELECT count(*), min(issued_by), max(issued_by) FROM commands "
                "WHERE approval_id = %s",
                (asked.id,),
            ).fetchone()
            entries = auditor.execute(
                "SELECT operator, action FROM audit_log WHERE action LIKE 'lighting.%' ORDER BY seq"
            ).fetchall()
        assert recorded == (len(applied.requests), "t.garnier", "t.garnier")
        assert entries == [("l.moreau", "lighting.apply"), ("l.moreau", "lighting.result")]
    finally:
        owner.dispose()
