"""Alerts of one cause, one incident (ISA-18.2): each alert its own record, linked, counted."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from services.bus.messages import AlertMessage, Place, ReportMessage
from services.domain.incidents import (
    ALERT_GROUP_WINDOW,
    IncidentStatus,
    Priority,
    override_priority,
    transition,
)
from services.recorder.incident_rules import record_alert, record_report
from services.store import incidents
from services.store.database import Database
from services.store.models import AlertRow, IncidentRow
from services.store.schema import upgrade
from tests.cli.conftest import cli_env, me, ready, staffed, vigie  # noqa: F401

T0 = datetime(2026, 12, 5, 19, 0, tzinfo=UTC)
STATION = "weatherobserved:rws-04"
CHENOVE = Place(47.2925, 5.005, "21166")
PLOMBIERES = Place(47.3380, 4.9600, "21485")  # some 6 km away


def alert(
    number: int,
    *,
    source: str | None = STATION,
    category: str = "weather",
    sub: str | None = "ice",
    severity: str = "high",
    place: Place | None = CHENOVE,
    description: str = "Verglas sur la chaussée",
) -> AlertMessage:
    attributes = {"category": category, "severity": severity, "description": description}
    if sub:
        attributes["subCategory"] = sub
    if source:
        attributes["alertSource"] = source
    return AlertMessage(
        alert_id=f"Alert:{number}",
        category=category,
        sub_category=sub,
        severity=severity,
        issued_at=T0,
        place=place,
        address=None,
        description=description,
        attributes=attributes,
    )


def record(db, message: AlertMessage, at: datetime) -> list:  # noqa: ANN001
    with db.write() as s:
        return record_alert(s, message, at)


def alert_incidents(db) -> list:  # noqa: ANN001
    with db.read() as s:
        ids = s.execute(select(IncidentRow.id).order_by(IncidentRow.id)).scalars().all()
        return [incidents.get(s, i) for i in ids]


def alerts_of(db, incident_id: int) -> list[AlertRow]:  # noqa: ANN001
    with db.read() as s:
        rows = s.execute(
            select(AlertRow).where(AlertRow.incident_id == incident_id).order_by(AlertRow.id)
        ).scalars()
        return list(rows)


def test_alerts_of_one_station_within_the_window_are_one_incident_each_alert_kept(db):
    events = record(db, alert(1), T0)
    events += record(db, alert(2), T0 + timedelta(minutes=10))
    # 35 minutes after the first, 25 after the last: the window runs from the last alert
    events += record(db, alert(3), T0 + timedelta(minutes=35))
    [incident] = alert_incidents(db)
    assert incident.alert_count == 3 and incident.source_ref == "Alert:1"
    assert incident.last_alert_at == T0 + timedelta(minutes=35)
    assert incident.version == 3  # bumped by each alert that joined: consoles read it again
    assert [kind for _, _, kind in events] == ["created", "updated", "updated"]
    kept = alerts_of(db, incident.id)
    assert [a.id for a in kept] == ["Alert:1", "Alert:2", "Alert:3"]
    assert all(a.payload["alertSource"] == STATION for a in kept)
    with db.read() as s:
        counts = [c.new for c in incidents.history(s, incident.id) if c.field == "alert_count"]
    assert counts == ["2", "3"]


def test_after_the_window_the_same_cause_opens_a_new_incident(db):
    record(db, alert(1), T0)
    record(db, alert(2), T0 + ALERT_GROUP_WINDOW + timedelta(seconds=1))
    assert [i.alert_count for i in alert_incidents(db)] == [1, 1]


def test_another_source_sub_category_or_place_is_another_cause(db):
    record(db, alert(1), T0)
    record(db, alert(2, source="weatherobserved:rws-05"), T0)
    record(db, alert(3, sub="snow"), T0)
    record(db, alert(4, place=PLOMBIERES), T0)  # a crew that moved: another cause elsewhere
    record(db, alert(5, source=None), T0)  # no source named: never grouped
    record(db, alert(6, source=None), T0)
    assert [i.alert_count for i in alert_incidents(db)] == [1, 1, 1, 1, 1, 1]


def test_a_resolved_incident_is_not_joined(db):
    record(db, alert(1), T0)
    [first] = alert_incidents(db)
    with db.write() as s:
        incidents.save(s, first, transition(first, IncidentStatus.RESOLVED, at=T0), by="c.bernard")
    record(db, alert(2), T0 + timedelta(minutes=5))
    assert [(i.status.value, i.alert_count) for i in alert_incidents(db)] == [
        ("resolved", 1),
        ("new", 1),
    ]


def test_its_priority_is_the_highest_of_its_alerts_unless_an_operator_set_it(db):
    crew = {"source": "vehicle:voirie-35", "category": "traffic", "sub": "hazardOnRoad"}
    record(db, alert(1, severity="low", **crew), T0)
    [incident] = alert_incidents(db)
    assert incident.priority is Priority.P4
    record(db, alert(2, severity="high", **crew), T0 + timedelta(minutes=1))
    record(db, alert(3, severity="low", **crew), T0 + timedelta(minutes=2))
    [incident] = alert_incidents(db)
    assert (incident.priority, incident.alert_count) == (Priority.P2, 3)
    # the serious one repeated, less serious now: the incident follows its alerts
    record(db, alert(2, severity="low", **crew), T0 + timedelta(minutes=3))
    [incident] = alert_incidents(db)
    assert (incident.priority, incident.alert_count) == (Priority.P4, 3)
    with db.write() as s:
        overridden = override_priority(incident, Priority.P3, "école à côté", at=T0)
        incidents.save(s, incident, overridden, by="c.bernard")
    record(db, alert(4, severity="high", **crew), T0 + timedelta(minutes=4))
    [incident] = alert_incidents(db)
    assert (incident.priority, incident.alert_count) == (Priority.P3, 4)


def test_a_repeated_id_updates_its_own_record_and_counts_once(db):
    record(db, alert(1), T0)
    record(db, alert(2, description="deuxième"), T0 + timedelta(minutes=1))
    record(db, alert(2, description="deuxième, précisée"), T0 + timedelta(minutes=2))
    record(db, alert(2, description="deuxième, précisée"), T0 + timedelta(minutes=2))
    [incident] = alert_incidents(db)
    assert incident.alert_count == 2
    assert incident.last_alert_at == T0 + timedelta(minutes=1)  # a repeat is no new alert
    assert incident.description == "Verglas sur la chaussée"  # the first alert describes it
    second = alerts_of(db, incident.id)[1]
    assert second.payload["description"] == "deuxième, précisée"


def test_a_building_alarm_is_a_building_alarm_and_a_crowd_is_public_order(db):
    record(
        db, alert(1, source="building:21231-042", category="security", sub="suspiciousAction"), T0
    )
    record(db, alert(2, source="building:21231-066", category="security", sub="buildingFire"), T0)
    record(db, alert(3, source="vehicle:pm-3", category="security", sub="civilDisorder"), T0)
    found = [(i.category, i.priority) for i in alert_incidents(db)]
    assert found == [
        ("security", Priority.P1),
        ("fire", Priority.P1),
        ("public_order", Priority.P2),
    ]


def test_citizen_reports_are_never_grouped(db):
    def report(number: int) -> ReportMessage:
        return ReportMessage(
            service_request_id=f"r-{number}",
            service_code="voirie-chaussee",
            service_name="Chaussée dégradée",
            status="open",
            status_notes=None,
            description="Nid-de-poule",
            place=CHENOVE,
            address="12 rue de Longvic",
            requested_at=T0,
            photo=None,
            media_url=None,
            personal={},
            attributes={"alertSource": "citizen-app"},
        )

    with db.write() as s:
        record_report(s, report(1), T0)
        record_report(s, report(2), T0 + timedelta(minutes=1))
    assert [(i.source.value, i.alert_count) for i in alert_incidents(db)] == [
        ("report", 0),
        ("report", 0),
    ]


def test_an_alert_incident_recorded_before_grouping_keeps_its_alert(db_url):
    database = Database(db_url)
    upgrade(database, "0009")
    with database.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO incidents (source, source_ref, category, priority, status, "
                "description, created_at, updated_at, updated_by, version) VALUES "
                "(:s, :ref, 'weather', 2, 'new', '', :t, :t, 'system:recorder', 1)"
            ),
            [
                {"s": "alert", "ref": "Alert:old", "t": T0},
                {"s": "alert", "ref": f"freeze-risk:{STATION}:20261205T190000", "t": T0},
                {"s": "report", "ref": "r-old", "t": T0},
            ],
        )
    upgrade(database)
    with database.read() as s:
        rows = s.execute(select(IncidentRow).order_by(IncidentRow.id)).scalars().all()
        assert [(r.source_ref, r.alert_count) for r in rows] == [
            ("Alert:old", 1),
            (f"freeze-risk:{STATION}:20261205T190000", 0),
            ("r-old", 0),
        ]
        assert rows[0].last_alert_at == T0
        [kept] = s.execute(select(AlertRow)).scalars().all()
        assert (kept.id, kept.incident_id, kept.priority) == ("Alert:old", rows[0].id, 2)
    database.dispose()


def test_query_incidents_json_gives_the_alert_count(vigie, staffed, cli_env):  # noqa: F811
    database = Database(staffed)
    with database.write() as s:
        record_alert(s, alert(1), T0)
        record_alert(s, alert(2), T0 + timedelta(minutes=1))
    database.dispose()
    cli_env.setenv("VIGIE_OPERATOR", "c.bernard")
    result = vigie("query", "incidents", "--json")
    assert result.status == 0, result.err
    [row] = json.loads(result.out)
    assert (row["source_ref"], row["alert_count"]) == ("Alert:1", 2)
