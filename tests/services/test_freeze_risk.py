"""Freeze risk on scripted road-weather readings: an incident per episode, resolved once over."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from services.recorder.incident_rules import sweep_freeze_risk
from services.store import incidents
from services.store.models import EquipmentRow, IncidentNoteRow, IncidentRow
from services.store.types import utcnow


def _reading(db, station: str, temperature: float, state: str, at) -> None:  # noqa: ANN001
    with db.write() as s:
        row = s.get(EquipmentRow, station)
        attributes = {"roadSurfaceTemperature": temperature, "roadSurfaceState": state}
        if row is None:
            s.add(
                EquipmentRow(
                    id=station,
                    type="WeatherObserved",
                    name="Station RD 974, Chenôve",
                    commune="21166",
                    lat=47.2925,
                    lon=5.005,
                    attributes=attributes,
                    observed_at=at,
                    received_at=at,
                    updated_at=at,
                )
            )
        else:
            row.attributes, row.observed_at = attributes, at


def _freeze_incidents(db) -> list[IncidentRow]:  # noqa: ANN001
    with db.read() as s:
        rows = s.execute(select(IncidentRow).where(IncidentRow.category == "freeze_risk")).scalars()
        return [incidents.get(s, r.id) for r in rows]


def test_a_freezing_road_opens_one_incident_until_it_passes(db):
    now = utcnow()
    _reading(db, "weather:chenove", 1.5, "wet", now)
    _reading(db, "weather:dry", -4.0, "dry", now)  # cold and dry: no risk
    with db.write() as s:
        assert sweep_freeze_risk(s, now) == []
    _reading(db, "weather:chenove", -0.5, "wet", now + timedelta(minutes=5))
    for minutes in (5, 6, 7):  # every sweep, and a second recorder's: still one incident
        with db.write() as s:
            sweep_freeze_risk(s, now + timedelta(minutes=minutes))
    [opened] = _freeze_incidents(db)
    assert opened.status.value == "new" and opened.priority.name == "P2"
    assert opened.commune == "21166" and "-0.5 °C, wet" in opened.description
    assert opened.source.value == "alert"

    _reading(db, "weather:chenove", 2.0, "wet", now + timedelta(minutes=40))
    with db.write() as s:
        events = sweep_freeze_risk(s, now + timedelta(minutes=40))
    assert [kind for _i, _v, kind in events] == ["updated"]
    [resolved] = _freeze_incidents(db)
    assert resolved.status.value == "resolved"
    with db.read() as s:
        notes = s.execute(
            select(IncidentNoteRow.text, IncidentNoteRow.by).where(
                IncidentNoteRow.incident_id == resolved.id
            )
        ).all()
    assert [(t.startswith("no more freeze risk"), a) for t, a in notes] == [
        (True, "system:recorder")
    ]

    _reading(db, "weather:chenove", -1.0, "ice", now + timedelta(hours=20))  # the next night
    with db.write() as s:
        sweep_freeze_risk(s, now + timedelta(hours=20))
    assert sorted(i.status.value for i in _freeze_incidents(db)) == ["new", "resolved"]
