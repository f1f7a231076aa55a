"""Re-tasking from the console: a P1 is offered busy units, asks first, and says what it did."""

from __future__ import annotations

from PySide6.QtCore import Qt

from services import dispatching
from services.domain.incidents import IncidentSource, IncidentStatus, Location, new_incident
from services.store import incidents
from services.store.models import UnitRow
from services.store.types import utcnow
from tests.widgets.test_console import running  # noqa: F401 - the fixture


def _listed(console) -> list[str]:  # noqa: ANN001
    units = console.desks.dispatch.dialog.units
    return [units.item(i).data(Qt.ItemDataRole.UserRole) for i in range(units.count())]


def test_a_p1_is_offered_busy_units_as_a_retasking_confirmed_first(running, db, qtbot):  # noqa: F811
    console, _ = running
    console.start()
    now = utcnow()
    with db.write() as s:
        for unit, lat in (("patrol:busy", 47.3221), ("patrol:free", 47.36)):
            s.add(
                UnitRow(
                    id=unit,
                    kind="patrol",
                    name=unit,
                    status="available",
                    lat=lat,
                    lon=5.0415,
                    observed_at=now,
                )
            )

        def incident(category: str, place: str):  # noqa: ANN202
            return incidents.create(
                s,
                new_incident(
                    source=IncidentSource.CALL,
                    category=category,
                    at=now,
                    place=place,
                    location=Location(47.3220, 5.0415),
                ),
                by="c.bernard",
            )

        noise, accident, fire = (
            incident("noise", "Rue Monge"),
            incident("road_accident", "Rue Berbisey"),
            incident("fire", "Place Darcy"),
        )
    noise, _ = dispatching.dispatch(db, noise, "patrol:busy", by="l.moreau", reply_to="x")

    console.desks.dispatch.request(accident)  # a P2: busy units are not offered
    qtbot.waitUntil(lambda: console.desks.dispatch.dialog is not None)
    assert _listed(console) == ["patrol:free"]
    console.desks.dispatch.dialog.reject()
    console.desks.dispatch.dialog = None

    console.desks.dispatch.request(fire)
    qtbot.waitUntil(lambda: console.desks.dispatch.dialog is not None)
    dialog = console.desks.dispatch.dialog
    assert _listed(console) == ["patrol:free", "patrol:busy"]  # the free first, then re-tasks
    assert f"#{noise.id}" in dialog.units.item(1).text()
    asked: list[str] = []
    dialog.confirm = lambda question: asked.append(question) or True  # type: ignore[method-assign]
    dialog.units.setCurrentRow(1)
    dialog.accept()
    # Before: it said which incident the unit leaves.
    assert len(asked) == 1 and "patrol:busy" in asked[0] and f"#{noise.id}" in asked[0]
    qtbot.waitUntil(
        lambda: (
            console.desks.incidents.detail.incident is not None
            and console.desks.incidents.detail.incident.id == fire.id
            and console.desks.incidents.detail.incident.status is IncidentStatus.DISPATCHED
        ),
        timeout=10_000,
    )
    assert console.desks.incidents.detail.incident.assigned_unit == "patrol:busy"
    # After: it says what it did.
    said = console.window.statusBar().currentMessage()
    assert "patrol:busy" in said and f"#{fire.id}" in said and f"#{noise.id}" in said
    with db.read() as s:
        left = incidents.get(s, noise.id)
    assert left.status is IncidentStatus.ACKNOWLEDGED and left.assigned_unit is None
