"""``vigie permissions show`` and ``load``: security.md's matrix, or a city's an admin loaded."""

from __future__ import annotations

import json

import pytest

#: docs/security.md's default matrix, cell by cell (✓ rows), as the bundled file must say it. The
#: design's table has no column for ``video_operator`` (its row "view live cameras" names it):
#: it sees the room and writes in the logbook, as a desk of the room does.
SECURITY_MD = {
    "see_operations": {
        "dispatcher",
        "snow_coordinator",
        "technician",
        "supervisor",
        "auditor",
        "video_operator",
    },
    "act_on_incidents": {"dispatcher", "supervisor"},
    "see_patrols": {"dispatcher", "supervisor"},
    "see_vehicles": {"dispatcher", "snow_coordinator", "technician", "supervisor", "auditor"},
    "view_cameras": {"dispatcher", "supervisor", "video_operator"},
    "read_camera_journal": {"supervisor", "auditor"},
    "command_device": {"technician", "supervisor"},
    "command_group": {"technician", "supervisor"},
    "switch_snow": {"snow_coordinator", "supervisor"},
    "switch_traffic": {"snow_coordinator", "technician", "supervisor"},
    "write_logbook": {
        "dispatcher",
        "snow_coordinator",
        "technician",
        "supervisor",
        "video_operator",
    },
    "approve": {"supervisor"},
    "read_audit": {"supervisor", "auditor", "admin"},
    "manage_operators": {"admin"},
    # issue 22: every operational role hands over and accepts; supervisors and auditors report
    "hand_over": {"dispatcher", "snow_coordinator", "technician", "supervisor", "video_operator"},
    "accept_handover": {
        "dispatcher",
        "snow_coordinator",
        "technician",
        "supervisor",
        "video_operator",
    },
    "run_reports": {"supervisor", "auditor"},
    "see_statistics": {"dispatcher", "snow_coordinator", "technician", "supervisor", "auditor"},
}


def test_the_bundled_matrix_is_the_one_security_md_sets(vigie, ready):
    shown = vigie("permissions", "show", "--json")
    assert shown.status == 0, shown.err
    shown = json.loads(shown.out)
    assert {act: set(roles) for act, roles in shown["acts"].items()} == SECURITY_MD
    # security.md's two-person rule: more than 200 devices, all:Type, a commune dark at night,
    # any bollard lowered, snow level 3, any role change, a lighting policy applied; 10 minutes
    # to approve
    assert shown["approvals"] == {
        "max_devices": 200,
        "all_of_a_type": True,
        "commune_lights_off_at_night": True,
        "bollard_lowered": True,
        "snow_level": 3,
        "role_change": True,
        "lighting_apply": True,
        "limit_minutes": 10,
    }


def test_the_matrix_reads_as_a_table_in_words(vigie, ready):
    shown = vigie("permissions", "show")
    assert shown.status == 0, shown.err
    lines = shown.out.splitlines()
    assert lines[0].split()[:2] == ["act", "dispatcher"]
    assert any(line.startswith("command a group of devices") for line in lines)
    assert "command_group" not in shown.out  # words, not keys


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[acts]\n", "is missing"),
        ("acts = [", "is not valid TOML"),
        ('[acts]\nlaunch_rockets = ["admin"]\n', "not an act Vigie knows"),
    ],
)
def test_a_citys_bad_matrix_is_refused_with_where_and_why(vigie, tmp_path, text, says):
    city = tmp_path / "permissions.toml"
    city.write_text(text, encoding="utf-8")
    shown = vigie("permissions", "show", "--file", str(city))
    assert shown.status == 2
    assert "permissions.toml" in shown.err and says in shown.err


def test_an_act_the_role_may_not_do_exits_5_and_records_nothing(vigie, staffed):
    refused = vigie("--operator", "c.bernard", "operator", "add", "x.tiers", "--role", "admin")
    assert refused.status == 5
    assert "c.bernard" in refused.err and len(refused.err.strip().splitlines()) == 1
    names = [o["name"] for o in json.loads(vigie("operator", "list", "--json").out)]
    assert "x.tiers" not in names


def test_an_admin_loads_a_citys_matrix_in_force_everywhere_and_it_is_audited(
    vigie, staffed, tmp_path, me
):
    city = tmp_path / "permissions.toml"
    bundled = json.loads(vigie("permissions", "show", "--json").out)["acts"]
    # (the [approvals] table left out: the defaults apply)
    # This city lets its auditors write in the logbook (the bundled matrix does not).
    bundled["write_logbook"].append("auditor")
    city.write_text(
        "[acts]\n" + "".join(f"{act} = {json.dumps(roles)}\n" for act, roles in bundled.items()),
        encoding="utf-8",
    )
    refused = vigie("--operator", "n.faure", "journal", "add", "relevé")
    assert refused.status == 5, refused.err
    not_admin = vigie("--operator", "s.petit", "permissions", "load", str(city), "--yes")
    assert not_admin.status == 5 and "manage operators" in not_admin.err
    no_yes = vigie("permissions", "load", str(city))  # a script must say --yes
    assert no_yes.status == 2
    loaded = vigie("permissions", "load", str(city), "--yes")
    assert loaded.status == 0, loaded.err
    in_force = json.loads(vigie("permissions", "show", "--json").out)
    assert in_force["source"] == "database" and "auditor" in in_force["acts"]["write_logbook"]
    written = vigie("--operator", "n.faure", "journal", "add", "relevé")
    assert written.status == 0, written.err
    from services.store import audit
    from services.store.database import Database

    db = Database(staffed)
    with db.read() as s:
        entries = audit.entries(s)
    db.dispose()
    assert [(e.operator, e.action) for e in entries][-2:] == [
        (me, "permissions.load"),
        ("n.faure", "journal.add"),
    ]


def test_a_city_matrix_giving_the_admin_an_operational_act_is_refused_whole(
    vigie, staffed, tmp_path
):
    city = tmp_path / "permissions.toml"
    acts = json.loads(vigie("permissions", "show", "--json").out)["acts"]
    acts["approve"].append("admin")  # the admin would approve what the admin's logins ask
    city.write_text(
        "[acts]\n" + "".join(f"{act} = {json.dumps(roles)}\n" for act, roles in acts.items()),
        encoding="utf-8",
    )
    refused = vigie("permissions", "load", str(city), "--yes")
    assert refused.status == 2, refused.err
    assert "'approve': the admin runs no operational act" in refused.err
    in_force = json.loads(vigie("permissions", "show", "--json").out)
    assert "admin" not in in_force["acts"]["approve"]
