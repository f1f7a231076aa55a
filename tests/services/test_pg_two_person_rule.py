"""The two-person rule as PostgreSQL keeps it, tried with plain SQL as each login would.

``services/store/pg_requests.py``: no login inserts a command; ``vigie_record_command`` records
each and refuses what waits for an approval; the approvals table takes requests in their
requester's name and decisions in the decider's, never an approval by the requester; the snow
plan's high levels wait for one too.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import psycopg.types.json
import pytest

from tests.pg_scram import SUPERUSER
from tests.services import test_pg_authority as authority
from tests.services.test_pg_authority import RECORD, _command_row, ask, available, decide

room = authority.room  # the same private cluster and room, set up once for this module too

pytestmark = pytest.mark.skipif(not available(), reason="no PostgreSQL server installed here")

APPROVED_RECORD = RECORD.replace("%s, NULL)", "'command_group', %s)")


def _record(connection: psycopg.Connection, target_type: str, target: str, act: str) -> str:
    request_id = str(uuid.uuid4())
    connection.execute(RECORD, (request_id, target_type, target, act))
    return request_id


def _refused(connection: psycopg.Connection, statement: str, values: tuple = ()) -> bool:
    try:
        with connection.transaction():
            connection.execute(statement, values)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


@pytest.mark.parametrize("login", ["c.bernard", "c.morel", "t.roux", "s.petit", "n.faure", "root"])
def test_a_command_inserted_by_plain_sql_is_refused_to_every_operator(room, login):
    with room.login(login) as connection:
        assert _refused(connection, _command_row("Streetlight"))
        assert _refused(connection, _command_row("unit"))


def test_the_function_records_in_the_logins_name_and_refuses_what_waits(room):
    with room.login("t.roux") as technician:
        sent = _record(technician, "group", "commune:21231", "command_group")
        row = technician.execute(
            "SELECT issued_by, status, sent_at FROM commands WHERE request_id = %s", (sent,)
        ).fetchone()
        assert row == ("t.roux", "pending", None)  # the recorder sends it
        # the rules the row alone tells: to every light of the city, lowering a bollard
        assert _refused(technician, RECORD, (str(uuid.uuid4()), "group", "all:Streetlight",
                                             "command_group"))  # fmt: skip
        lower = RECORD.replace("'switch'", "'lower'")
        assert _refused(technician, lower, (str(uuid.uuid4()), "Bollard", "b:1", "command_device"))
        # a command under an act it does not belong to
        assert _refused(technician, RECORD, (str(uuid.uuid4()), "unit", "v:1", "command_device"))
    with room.login("c.bernard") as dispatcher:
        assert _refused(dispatcher, RECORD, (str(uuid.uuid4()), "group", "commune:21231",
                                             "command_group"))  # fmt: skip
        # a mode switch's commands only while its claim is held, and a dispatcher holds none
        assert _refused(dispatcher, RECORD, (str(uuid.uuid4()), "group", "commune:21231",
                                             "switch_snow"))  # fmt: skip


def test_approval_by_the_requester_is_refused_by_the_database(room):
    everyone = {
        "target_type": "group",
        "target": "all:Streetlight",
        "command": "switch",
        "params": {"powerState": "on"},
    }
    with room.login("s.petit") as requester:
        assert _refused(
            requester,
            "INSERT INTO approvals (id, kind, act, payload, preview, reason, rule, requested_by,"
            " requested_at, expires_at, status, decision_reason, outcome) VALUES (%s, 'command',"
            " 'command_group', '{}', '[]', 'x', 'x', 'l.moreau', now(), now() + interval "
            "'10 minutes', 'awaiting', '', '')",
            (str(uuid.uuid4()),),
        ), "a request in someone else's name"
        asked = ask(requester, "command", "command_group", {"commands": [everyone]})
        requester.commit()
        assert _refused(
            requester,
            "UPDATE approvals SET status = 'approved', decided_by = session_user, "
            "decided_at = now() WHERE id = %s",
            (asked,),
        ), "approved by its requester"
    with room.login("c.bernard") as dispatcher:  # a role that may not approve
        assert _refused(dispatcher, "UPDATE approvals SET status = 'approved' WHERE id = %s",
                        (asked,))  # fmt: skip
    with room.login("l.moreau") as approver:
        assert _refused(
            approver,
            "UPDATE approvals SET payload = '{\"commands\": []}' WHERE id = %s",
            (asked,),
        ), "what was asked does not change"
        decide(approver, asked, "approved")
        approver.commit()
        sent = str(uuid.uuid4())
        approver.execute(APPROVED_RECORD, (sent, "group", "all:Streetlight", asked))
        issued_by = approver.execute(
            "SELECT issued_by, approval_id FROM commands WHERE request_id = %s", (sent,)
        ).fetchone()
        assert issued_by == ("s.petit", asked)  # the requester's act, carried out
        other = (str(uuid.uuid4()), "group", "all:TrafficSignal", asked)
        assert _refused(approver, APPROVED_RECORD, other), "a command the approval does not name"
        again = (str(uuid.uuid4()), "group", "all:Streetlight", asked)
        assert _refused(approver, APPROVED_RECORD, again), "an approval sends its command once"
        off = APPROVED_RECORD.replace('"on"', '"off"')
        assert _refused(approver, off, again), "not the parameters approved"
    with room.login("s.petit") as requester:  # the approval is l.moreau's to carry out
        assert _refused(requester, APPROVED_RECORD, (str(uuid.uuid4()), "group",
                                                     "all:Streetlight", asked))  # fmt: skip


def test_an_expired_request_cannot_be_approved_and_expires_without_a_decider(room):
    with room.login("s.petit") as requester:
        # the database dates a request and gives it the city's limit, whatever it is told
        forged = ask(requester, "command", "command_group", {"commands": []}, minutes=60 * 24)
        waiting = ask(requester, "command", "command_group", {"commands": []})
        left = requester.execute(
            "SELECT expires_at - now() FROM approvals WHERE id = %s", (forged,)
        ).fetchone()[0]
        assert left <= timedelta(minutes=10)
        requester.commit()
    with room.login(SUPERUSER, room.cluster.superuser_password) as owner:  # ten minutes on
        late = ask(owner, "command", "command_group", {"commands": []}, minutes=-1)
        owner.execute("UPDATE approvals SET requested_by = 's.petit' WHERE id = %s", (late,))
        owner.commit()
    with room.login("root") as admin:  # nobody gives a request more time
        assert _refused(admin, "UPDATE approvals SET expires_at = now() WHERE id = %s", (late,))
    with room.login("l.moreau") as approver:
        refused = (
            "UPDATE approvals SET status = 'approved', decided_by = session_user WHERE id = %s"
        )
        assert _refused(approver, refused, (late,)), "its time ran out"
        assert _refused(
            approver, "UPDATE approvals SET status = 'expired' WHERE id = %s", (waiting,)
        ), "it has time left"
        expired = approver.execute(
            "UPDATE approvals SET status = 'expired', decided_at = now() WHERE id = %s", (late,)
        )
        assert expired.rowcount == 1
        approver.commit()
        assert _refused(approver, refused, (late,)), "expired is final"


def test_the_snow_plans_high_levels_wait_for_an_approval(room):
    claim = (
        "UPDATE city_modes SET switching_by = session_user, switching_since = now(), "
        "target = %s WHERE kind = 'snow'"
    )
    with room.login("c.morel") as coordinator:
        with coordinator.transaction(force_rollback=True):
            assert coordinator.execute(claim, ("2",)).rowcount == 1  # level 2: at once
        assert _refused(coordinator, claim, ("3",))
        assert _refused(coordinator, "UPDATE city_modes SET value = '3' WHERE kind = 'snow'")
        asked = ask(coordinator, "mode", "switch_snow", {"kind": "snow", "value": "3"})
        coordinator.commit()
    with room.login("s.petit") as approver:
        decide(approver, asked, "approved")
        approver.commit()
        with approver.transaction(force_rollback=True):
            assert approver.execute(claim, ("3",)).rowcount == 1
            assert _refused(approver, claim.replace("session_user", "'c.morel'"), ("3",))


def test_a_switch_through_vigie_records_its_playbook_entry_and_nothing_else(room):
    """The modes panel's own path, as a coordinator's login: the database checks each command
    against the playbook it holds (written at install), so Vigie's records must match it."""
    from services.commands.sender import CommandSender
    from services.domain.errors import PermissionDenied
    from services.modes import ModeSwitcher
    from services.playbooks import load_playbook
    from services.store import pg_authority
    from tests.conftest import ROOM_PASSWORD

    url = room.cluster.url("c.morel", ROOM_PASSWORD, room.database)
    db = pg_authority.log_in(url, "c.morel", ROOM_PASSWORD)
    sender = CommandSender(db, "mqtt://127.0.0.1:1", "pbk")  # never connected: nothing to send
    modes = ModeSwitcher(db, sender, load_playbook())
    try:
        preview = modes.preview("snow", 2, "c.morel")
        assert preview.plans, "the bundled playbook's snow level 2 sends commands"
        switch = modes.apply(preview, "c.morel", "neige annoncée", "")
        with room.login("c.morel") as coordinator:
            recorded = coordinator.execute(
                "SELECT count(*), min(issued_by), max(issued_by) FROM commands "
                "WHERE request_id = ANY(%s)",
                ([r.request_id for r in switch.requests],),
            ).fetchone()
        assert recorded == (len(preview.plans), "c.morel", "c.morel")
        record = modes.finish(switch, modes.progress(switch))  # the claim's holder ends it
        assert record.value == "2"
        with pytest.raises(PermissionDenied):  # level 3 waits for an approval: the database says
            modes.apply(modes.preview("snow", 3, "c.morel"), "c.morel", "tempête", "")
        # The event mode lowers the centre's bollards: part of the switch, not a bollard command
        # of its own (which would wait for an approval).
        event = modes.apply(modes.preview("traffic", "event", "c.morel"), "c.morel", "concert")
        assert any(r.command == "lower" for r in event.requests)
        modes.finish(event, modes.progress(event))  # no live claim left for the tests after
    finally:
        sender.close()
        db.dispose()


def test_a_group_command_to_more_devices_than_the_rule_allows_waits(room):
    """The database counts a group's known members as Vigie does (``group_members``)."""
    from services.store.database import Database
    from services.store.models import EquipmentRow
    from tests.pg_scram import SUPERUSER

    owner = Database(room.cluster.url(SUPERUSER, room.cluster.superuser_password, room.database))
    now = datetime.now(UTC)
    with owner.write() as session:  # the recorder's work: 201 lights in Talant, 5 in Longvic
        for n, commune in [(n, "21617") for n in range(201)] + [(n, "21355") for n in range(5)]:
            light = f"light:{commune}-{n}"
            session.add(
                EquipmentRow(
                    id=light, type="Streetlight", commune=commune, received_at=now, updated_at=now
                )
            )
    owner.dispose()
    with room.login("t.roux") as technician:
        many = (str(uuid.uuid4()), "group", "commune:21617", "command_group")
        assert _refused(technician, RECORD, many), "201 lights: more than 200 waits"
        few = (str(uuid.uuid4()), "group", "commune:21355", "command_group")
        assert not _refused(technician, RECORD, few)
        # the lights are not what a signal's plan reaches: counted by the command's types
        plan = RECORD.replace("'switch'", "'set_plan'")
        assert not _refused(technician, plan, (str(uuid.uuid4()), "group", "commune:21617",
                                               "command_group"))  # fmt: skip


def test_a_decision_is_dated_by_the_database_and_a_mode_approval_sends_no_command(room):
    with room.login("c.morel") as coordinator:
        asked = ask(coordinator, "mode", "switch_snow", {"kind": "snow", "value": "3"})
        coordinator.commit()
    with room.login("l.moreau") as approver:
        approver.execute(  # a decision dated in the future would never run out
            "UPDATE approvals SET status = 'approved', decided_by = session_user, "
            "decided_at = '2999-01-01' WHERE id = %s",
            (asked,),
        )
        dated = approver.execute(
            "SELECT decided_at <= now() FROM approvals WHERE id = %s", (asked,)
        ).fetchone()[0]
        assert dated
        approver.commit()
        # a mode's approval carries out the switch, not any command its approver likes
        for act in ("command_group", "switch_snow"):
            record = RECORD.replace("%s, NULL)", "%s, %s)")
            values = (str(uuid.uuid4()), "group", "commune:21231", act, asked)
            assert _refused(approver, record, values), act


def test_requests_and_announcements_are_what_they_say(room):
    with room.login("t.roux") as technician:
        role = "INSERT INTO approvals (id, kind, act, payload, preview, reason, rule, " \
            "requested_by, requested_at, expires_at, status, decision_reason, outcome) VALUES " \
            "(%s, 'role', 'command_group', %s, '[]', 'x', 'x', session_user, now(), now(), " \
            "'awaiting', '', '')"  # fmt: skip
        payload = '{"name": "t.roux", "role": "supervisor"}'
        assert _refused(technician, role, (str(uuid.uuid4()), payload)), "a role in disguise"
        forged = (
            "UPDATE city_modes SET announcement = '{\"bus_priority\": false}', "
            "announced_at = NULL WHERE kind = 'traffic'"
        )
        assert _refused(technician, forged), "an announcement without a switch"
        with pytest.raises(psycopg.errors.InvalidParameterValue):  # no topic may name it
            with technician.transaction():
                technician.execute(
                    RECORD, (str(uuid.uuid4()), "Streetlight", "#", "command_device")
                )


def test_a_loop_of_single_device_commands_is_a_selection_too(room):
    """More single-device commands than max_devices within the limit wait, as a selection."""
    with room.login(SUPERUSER, room.cluster.superuser_password) as owner:
        kept = owner.execute("SELECT rules FROM approval_rules WHERE id = 1").fetchone()
        owner.execute(
            "INSERT INTO approval_rules (id, rules) VALUES (1, '{\"max_devices\": 3}') "
            "ON CONFLICT (id) DO UPDATE SET rules = EXCLUDED.rules"
        )
        owner.commit()
    try:
        with room.login("t.garnier") as technician:
            for n in range(3):
                light = (str(uuid.uuid4()), "Streetlight", f"light:loop-{n}", "command_device")
                assert not _refused(technician, RECORD, light)
            fourth = (str(uuid.uuid4()), "Streetlight", "light:loop-3", "command_device")
            assert _refused(technician, RECORD, fourth)
    finally:
        with room.login(SUPERUSER, room.cluster.superuser_password) as owner:
            if kept is None:
                owner.execute("DELETE FROM approval_rules WHERE id = 1")
            else:
                rules = psycopg.types.json.Json(kept[0])
                owner.execute("UPDATE approval_rules SET rules = %s WHERE id = 1", (rules,))
            owner.commit()


CLAIM_TRAFFIC = (
    "UPDATE city_modes SET switching_by = session_user, switching_since = now(), target = %s, "
    "state = 'applying' WHERE kind = 'traffic'"
)
#: The columns a switch writes (``services/modes.py``: ``apply`` claims, ``finish`` records).
SWITCH_COLUMNS = (
    "value", "previous", "target", "state", "since", "by", "reason", "motive", "request_ids",
    "bus_priority", "switching_by", "switching_since", "announcement", "announced_at",
)  # fmt: skip


def _owner_sets(room, statement: str, values: tuple = ()) -> None:
    """What the schema's owner does (outside the guarantees): here, the clock moving on."""
    with room.login(SUPERUSER, room.cluster.superuser_password) as owner:
        owner.execute(statement, values)
        owner.commit()


def test_a_live_claim_is_the_holders_and_a_stale_one_is_taken_over_on_the_record(room):
    from services.commands.sender import CommandSender
    from services.domain.modes import CLAIM_STALE_AFTER
    from services.modes import ModeSwitcher
    from services.playbooks import load_playbook
    from services.store import audit, pg_authority
    from services.store.database import Database
    from tests.conftest import ROOM_PASSWORD

    with room.login("c.morel") as holder:
        assert holder.execute(CLAIM_TRAFFIC, ("peak",)).rowcount == 1
        # the database dates a claim: one dated ahead would never go stale
        holder.execute(
            "UPDATE city_modes SET switching_since = now() + interval '1 day' "
            "WHERE kind = 'traffic'"
        )
        assert holder.execute(
            "SELECT switching_since <= now() FROM city_modes WHERE kind = 'traffic'"
        ).fetchone()[0]
        holder.commit()
    try:
        with room.login("t.roux") as other:  # a technician may switch the traffic mode too
            assert _refused(other, CLAIM_TRAFFIC, ("event",)), "taken over while live"
            for statement in (
                "UPDATE city_modes SET switching_by = NULL WHERE kind = 'traffic'",
                "UPDATE city_modes SET target = 'event' WHERE kind = 'traffic'",
                "UPDATE city_modes SET switching_since = now() - interval '1 day' "
                "WHERE kind = 'traffic'",
                "UPDATE city_modes SET reason = 'mine now' WHERE kind = 'traffic'",
            ):
                assert _refused(other, statement), statement
        # the holder's process died; the claim's age passes the limit the console keeps
        _owner_sets(
            room,
            "UPDATE city_modes SET switching_since = now() - %s WHERE kind = 'traffic'",
            (CLAIM_STALE_AFTER + timedelta(seconds=30),),
        )
        url = room.cluster.url("t.roux", ROOM_PASSWORD, room.database)
        db = pg_authority.log_in(url, "t.roux", ROOM_PASSWORD)
        sender = CommandSender(db, "mqtt://127.0.0.1:1", "stale")  # never connected
        modes = ModeSwitcher(db, sender, load_playbook())
        try:
            switch = modes.apply(modes.preview("traffic", "event", "t.roux"), "t.roux", "match")
            modes.finish(switch, modes.progress(switch))
        finally:
            sender.close()
            db.dispose()
        with room.login("n.faure") as auditor:
            written = auditor.execute(
                "SELECT operator, action, target, details FROM audit_log "
                "WHERE action IN ('mode.take_over', 'mode.switch') ORDER BY seq DESC LIMIT 2"
            ).fetchall()
        (switched, taken) = written
        assert taken[:3] == ("t.roux", "mode.take_over", "traffic:event")
        assert '"from":"c.morel"' in taken[3] and '"target":"peak"' in taken[3]
        assert switched[:2] == ("t.roux", "mode.switch")
        owner = Database(room.cluster.url(SUPERUSER, room.cluster.superuser_password,
                                          room.database))  # fmt: skip
        with owner.read() as session:
            assert audit.verify(session).ok, "the database's entry sits on Vigie's chain"
        owner.dispose()
    finally:
        _owner_sets(
            room,
            "UPDATE city_modes SET switching_by = NULL, switching_since = NULL, target = NULL "
            "WHERE kind = 'traffic'",
        )


def test_operators_update_only_the_columns_a_switch_writes(room):
    with room.login("c.morel") as coordinator:
        assert _refused(coordinator, "UPDATE city_modes SET kind = 'snow2' WHERE kind = 'snow'")
        assert _refused(
            coordinator,
            "INSERT INTO city_modes SELECT 'x', value, previous, target, state, since, by, "
            "reason, motive, request_ids, bus_priority FROM city_modes WHERE kind = 'snow'",
        )
        allowed = {
            column: coordinator.execute(
                "SELECT has_column_privilege('city_modes', %s, 'UPDATE')", (column,)
            ).fetchone()[0]
            for column in ("kind", *SWITCH_COLUMNS)
        }
        assert allowed == {"kind": False, **dict.fromkeys(SWITCH_COLUMNS, True)}
        assert not coordinator.execute(
            "SELECT has_table_privilege('city_modes', 'UPDATE')"
        ).fetchone()[0], "no UPDATE of the whole row: a column added later is not an operator's"
        with coordinator.transaction(force_rollback=True):
            claimed = coordinator.execute(
                "UPDATE city_modes SET switching_by = session_user, switching_since = now(), "
                "target = '2' WHERE kind = 'snow'"
            )
            assert claimed.rowcount == 1
            # the recorder, not the switch, says when the announcement went out
            assert _refused(
                coordinator, "UPDATE city_modes SET announced_at = now() WHERE kind = 'snow'"
            )


def test_the_recorder_only_expires_requests_and_no_approval_goes_without_its_decider(room):
    """The recorder's login may write a request's status (to expire it): not to approve one. An
    approval with no decider (the schema's owner's doing) carries nothing out, for anyone."""
    from tests.services.test_pg_authority import _recorder_password

    everyone = {"target_type": "group", "target": "all:Streetlight", "command": "switch",
                "params": {"powerState": "on"}}  # fmt: skip
    with room.login("s.petit") as requester:
        command = ask(requester, "command", "command_group", {"commands": [everyone]})
        requester.commit()
    with room.login("root") as admin:
        role = ask(admin, "role", "manage_operators", {"name": "c.bernard", "role": "supervisor"})
        admin.commit()
    ((recorder, password),) = _recorder_password(room).items()
    approve = "UPDATE approvals SET status = 'approved', decided_at = now() WHERE id = %s"
    with room.login(recorder, password) as connection:
        for asked in (command, role):
            assert _refused(connection, approve, (asked,)), "the recorder approves nothing"
    for asked in (command, role):
        _owner_sets(room, approve, (asked,))
    with room.login("l.moreau") as supervisor:
        assert _refused(supervisor, APPROVED_RECORD, (str(uuid.uuid4()), "group",
                                                      "all:Streetlight", command))  # fmt: skip
        assert _refused(supervisor, "SELECT vigie_operator_carry_out_role(%s)", (role,))
    with room.login("c.bernard") as dispatcher:
        assert _refused(dispatcher, "SELECT vigie_operator_carry_out_role(%s)", (role,))
        assert dispatcher.execute(
            "SELECT role FROM operators WHERE name = session_user"
        ).fetchone() == ("dispatcher",)
    with room.login(recorder, password) as connection:  # what the recorder's sweep does
        late = ask_as_owner_expired(room)
        expired = connection.execute(
            "UPDATE approvals SET status = 'expired', decided_at = now() WHERE id = %s", (late,)
        )
        assert expired.rowcount == 1
        connection.commit()


def ask_as_owner_expired(room) -> str:
    """A request whose time ran out (dated by the owner: the database dates operators')."""
    with room.login(SUPERUSER, room.cluster.superuser_password) as owner:
        late = ask(owner, "command", "command_group", {"commands": []}, minutes=-1)
        owner.execute("UPDATE approvals SET requested_by = 's.petit' WHERE id = %s", (late,))
        owner.commit()
    return late
