"""``vigie handover`` from a shell: the night dispatcher hands over, the day dispatcher accepts.

On both databases (on PostgreSQL ``vigie db upgrade`` installs the authority, so each operator
acts as their own login). The room's record is the one of ``tests/services/test_handovers.py``.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from services.store.database import Database
from services.store.models import AuditRow, HandoverRow
from services.store.types import utcnow
from tests.services.test_handovers import seed_shift


@pytest.fixture
def night(staffed):
    database = Database(staffed)
    with database.write() as session:
        seed_shift(session, utcnow())
    database.dispose()
    return staffed


def _count(url: str, what) -> int:
    database = Database(url)
    with database.read() as session:
        value = session.execute(select(func.count()).select_from(what)).scalar_one()
    database.dispose()
    return value


def test_the_night_dispatcher_hands_over_and_the_day_dispatcher_accepts(vigie, night):
    started = vigie(
        "--operator", "c.bernard", "handover", "start", "--remarks", "Rixe à suivre", "--yes"
    )
    assert started.status == 0, started.err
    assert "Open incidents" in started.out and "place Coluche" in started.out
    assert "Rixe place Coluche" in started.out  # the shift's logbook
    last = started.out.strip().splitlines()[-1]
    assert last.startswith("handover ") and "recorded" in last
    handover_id = int(last.split()[1])
    shown = vigie("--operator", "m.dupont", "handover", "show", "--json")
    assert shown.status == 0, shown.err
    data = json.loads(shown.out)
    assert data["id"] == handover_id
    assert data["handover"]["author"] == "c.bernard"
    assert data["handover"]["remarks"] == "Rixe à suivre"
    assert data["handover"]["started_at"].endswith("Z") and data["handover"]["accepted_by"] is None
    assert [i["id"] for i in data["open_incidents"]] == [4, 2, 1]
    assert [u["name"] for u in data["units_out"]] == ["Police 1", "Voirie 2"]
    assert data["camera_views_open"] is None  # not a dispatcher's to read
    # ids beside the names
    assert [(i["unit"], i["unit_id"]) for i in data["open_incidents"]] == [
        (None, None),
        ("Voirie 2", "vo-2"),
        ("Police 1", "pm-1"),
    ]
    assert [(c["target"], c["target_id"]) for c in data["commands_pending"]] == [
        ("Chenôve", "commune:21166"),
        ("Lampadaire 42 rue de Longvic", "sl-0042"),
    ]
    audited = _count(night, AuditRow)
    own = vigie("--operator", "c.bernard", "handover", "accept", str(handover_id), "--yes")
    assert own.status == 5, own.err
    assert "another operator" in own.err
    assert _count(night, AuditRow) == audited  # nothing recorded
    accepted = vigie("--operator", "m.dupont", "handover", "accept", str(handover_id), "--yes")
    assert accepted.status == 0, accepted.err
    assert f"handover {handover_id} accepted" in accepted.out
    again = json.loads(vigie("--operator", "m.dupont", "handover", "show", "--json").out)
    assert again["handover"]["accepted_by"] == "m.dupont"
    twice = vigie("--operator", "t.roux", "handover", "accept", str(handover_id), "--yes")
    assert twice.status == 1 and "already accepted by m.dupont" in twice.err
    # said before the summary and the question, not after them
    unasked = vigie("--operator", "t.roux", "handover", "accept", str(handover_id))
    assert unasked.status == 1 and "already accepted by m.dupont" in unasked.err
    assert "Open incidents" not in unasked.out and "--yes" not in unasked.err
    unknown = vigie("--operator", "t.roux", "handover", "accept", str(handover_id + 1))
    assert unknown.status == 1 and f"no handover {handover_id + 1}" in unknown.err
    assert "Open incidents" not in unknown.out


def test_start_json_prints_its_id_and_a_script_without_yes_is_refused(vigie, night):
    refused = vigie("--operator", "c.bernard", "handover", "start")
    assert refused.status == 2 and "--yes" in refused.err
    assert _count(night, HandoverRow) == 0
    started = vigie("--operator", "c.bernard", "handover", "start", "--yes", "--json")
    assert started.status == 0, started.err
    data = json.loads(started.out)
    assert data["id"] >= 1 and data["handover"]["id"] == data["id"]
    assert _count(night, HandoverRow) == 1


def test_each_reader_is_shown_what_their_role_may_see(vigie, night):
    assert vigie("--operator", "c.bernard", "handover", "start", "--yes").status == 0
    technician = vigie("--operator", "t.roux", "handover", "show", "--json")
    assert technician.status == 0, technician.err
    data = json.loads(technician.out)
    assert [u["kind"] for u in data["units_out"]] == ["road_crew"]
    assert "Police 1" not in technician.out
    assert data["camera_views_open"] is None
    text = vigie("--operator", "t.roux", "handover", "show").out
    assert "Police 1" not in text and "not shown to your role" in text
    supervisor = json.loads(vigie("--operator", "s.petit", "handover", "show", "--json").out)
    assert [v["operator"] for v in supervisor["camera_views_open"]] == ["v.lambert"]
    assert [v["camera_id"] for v in supervisor["camera_views_open"]] == ["cam-darcy"]
    assert "pm-1" not in technician.out  # no patrol's id either


def test_an_auditor_may_not_hand_over_and_an_unknown_id_fails(vigie, night):
    auditor = vigie("--operator", "n.faure", "handover", "start", "--yes")
    assert auditor.status == 5 and "may not" in auditor.err
    assert _count(night, HandoverRow) == 0
    assert vigie("--operator", "m.dupont", "handover", "show", "42").status == 1
    none_yet = vigie("--operator", "m.dupont", "handover", "show")
    assert none_yet.status == 1 and "no handover yet" in none_yet.err, none_yet.err


@pytest.fixture
def english():
    from console.text import i18n

    i18n.use_language("en")  # the words as written here, whatever the machine's locale
    yield
    i18n.use_language(None)


def test_the_summary_text_says_what_is_hidden_apart_from_what_is_empty(english):
    from datetime import UTC, datetime

    from console.text.handover import header_lines, summary_sections
    from services.domain.handover import DRAFT_ID, Handover, Summary

    at = datetime(2026, 12, 6, 6, 0, tzinfo=UTC)
    handover = Handover(7, "c.bernard", "dispatcher", at, at, "", None, None)
    summary = Summary(handover, [], None, [], [], [], [], None, [])
    sections = {s.key: s for s in summary_sections(summary, now=at)}
    assert list(sections) == [
        "remarks",
        "open_incidents",
        "units_out",
        "modes",
        "faults",
        "commands",
        "approvals",
        "views",
        "logbook",
    ]
    assert sections["units_out"].hidden and sections["views"].hidden
    assert sections["units_out"].lines == ["not shown to your role"]
    assert not sections["faults"].hidden and sections["faults"].lines == ["none"]
    assert (
        header_lines(handover, now=at)[0]
        == "Handover 7 by c.bernard (dispatcher) at 2026-12-06 07:00 CET"
    )
    assert header_lines(handover, now=at)[-1] == "Not accepted yet"
    draft = Handover(DRAFT_ID, "c.bernard", "dispatcher", at, at, "", None, None)
    assert "not recorded yet" in header_lines(draft)[0]


def test_a_line_says_only_what_there_is_and_many_lights_are_counted_per_commune(english):
    from datetime import UTC, datetime

    from console.text.handover import LIGHTS_LISTED, summary_sections
    from services.domain.handover import DeviceFault, Handover, LastAct, OpenIncident, Summary

    at = datetime(2026, 12, 6, 6, 0, tzinfo=UTC)
    handover = Handover(7, "c.bernard", "dispatcher", at, at, "", None, None)
    created = LastAct("created", "new", at, "system:recorder")
    sent = LastAct("assigned_unit", "Police 1", at, "m.dupont")
    moved = LastAct("commune", "21166", at, "m.dupont")
    incidents = [
        OpenIncident(1, 2, "noise", "21166", "Chenôve", "3 rue X, 21300 Chenôve", "new", at,
                     created, None),
        OpenIncident(2, 2, "noise", "21231", "Dijon", "place Darcy", "dispatched", at, sent,
                     "Police 1"),
        OpenIncident(3, 3, "noise", "21166", "Chenôve", None, "new", at, moved, None),
    ]  # fmt: skip

    def light(n: int, commune: str) -> DeviceFault:
        return DeviceFault(f"sl-{n}", f"sl-{n}", "Streetlight", commune, "defectiveLamp", at)

    camera = DeviceFault("cam-1", "Caméra Darcy", "Camera", "Dijon", "fault", at)
    few = [light(1, "Dijon"), camera]
    many = [light(n, "Dijon" if n % 3 else "Chenôve") for n in range(LIGHTS_LISTED + 1)]

    def sections(faults: list[DeviceFault]) -> dict:
        summary = Summary(handover, incidents, None, [], faults, [], [], None, [])
        return {s.key: s.lines for s in summary_sections(summary, now=at)}

    lines = sections(few)
    # the place names its commune already; a creation is no act; no unit, nothing said
    assert lines["open_incidents"][0] == "P2 #1 noise, 3 rue X, 21300 Chenôve: new"
    assert lines["open_incidents"][1] == (
        "P2 #2 noise, Dijon, place Darcy: dispatched; last: unit Police 1, 07:00 CET by m.dupont;"
        " unit: Police 1"
    )
    # a commune by its name, not its INSEE code
    assert lines["open_incidents"][2] == (
        "P3 #3 noise, Chenôve: new; last: commune Chenôve, 07:00 CET by m.dupont"
    )
    assert len(lines["faults"]) == 2  # a few lights, one by one
    grouped = sections([*many, camera])["faults"]
    assert grouped[0].startswith("Caméra Darcy (camera, Dijon)")
    assert grouped[1:] == [f"street lights: {LIGHTS_LISTED + 1} in fault (Dijon 4, Chenôve 2)"]


def test_a_last_act_says_a_category_in_words_and_leaves_out_coordinates_and_free_text(english):
    from datetime import UTC, datetime

    from console.text.handover import summary_sections
    from services.domain.handover import Handover, LastAct, OpenIncident, Summary

    at = datetime(2026, 12, 6, 6, 0, tzinfo=UTC)
    handover = Handover(7, "c.bernard", "dispatcher", at, at, "", None, None)
    description = "Chaussée effondrée sur deux mètres, " * 20

    def line(field: str, new: str) -> str:
        act = LastAct(field, new, at, "m.dupont")
        incident = OpenIncident(4, 2, "road_damage", "21231", "Dijon", None, "new", at, act, None)
        summary = Summary(handover, [incident], None, [], [], [], [], None, [])
        sections = {s.key: s.lines for s in summary_sections(summary, now=at)}
        return sections["open_incidents"][0]

    assert line("category", "road_damage").endswith(
        "last: category road damage, 07:00 CET by m.dupont"
    )
    assert line("location", "47.3220,5.0415").endswith(
        "last: location moved, 07:00 CET by m.dupont"
    )
    assert line("description", description).endswith(
        "last: description edited, 07:00 CET by m.dupont"
    )
    assert "Chaussée" not in line("description", description)
