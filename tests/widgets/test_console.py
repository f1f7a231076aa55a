"""End to end: a report published on the broker appears in a running console's queue."""

from __future__ import annotations

import json

import paho.mqtt.client as mqtt
import pytest

from console.app import Console
from services.domain.incidents import IncidentSource, new_incident
from services.recorder.process import Recorder, RecorderOptions
from services.store import incidents
from services.store.types import utcnow


@pytest.fixture
def running(db, broker, qtbot, request):
    root = f"console{abs(hash(request.node.nodeid)) % 10**6}"
    recorder = Recorder(db, broker.url, root, f"rec-{root}", options=RecorderOptions())
    recorder.start()
    console = Console(db, broker.url, root, "c.bernard")
    qtbot.addWidget(console.window)
    yield console, root
    console.stop()
    recorder.stop()


def test_a_published_report_appears_in_the_queue(running, db, broker, qtbot):
    console, root = running
    with db.write() as s:  # recorded before the console starts: in its first snapshot
        incidents.create(
            s,
            new_incident(
                source=IncidentSource.CALL, category="noise", at=utcnow(), place="Rue Monge"
            ),
            by="c.bernard",
        )
    console.start()
    model = console.queue_model
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=15_000)
    qtbot.waitUntil(lambda: "connected" in console.window._links["broker"].text(), timeout=15_000)
    host, port = broker.url.removeprefix("mqtt://").split(":")
    field = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    field.connect(host, int(port))
    field.loop_start()
    field.publish(
        f"{root}/reports",
        json.dumps(
            {
                "service_request_id": "r-console",
                "service_code": "fallen_tree",
                "lat": 47.3220,
                "long": 5.0415,
                "address_string": "Rue de la Liberté",
            }
        ).encode(),
        qos=1,
    ).wait_for_publish()
    field.loop_stop()
    field.disconnect()
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=15_000)
    places = {model.incident(r).place for r in range(model.rowCount())}
    assert places == {"Rue Monge", "Rue de la Liberté"}
    assert "connected" in console.window._links["database"].text()


def test_acting_on_an_incident_and_losing_a_race(running, db, qtbot):
    from services import incident_actions as acts
    from services.domain.incidents import IncidentStatus

    console, _root = running
    with db.write() as s:
        made = incidents.create(
            s,
            new_incident(
                source=IncidentSource.CALL, category="noise", at=utcnow(), place="Rue Monge"
            ),
            by="c.bernard",
        )
    console.start()
    qtbot.waitUntil(lambda: console.queue_model.rowCount() == 1, timeout=15_000)
    console.queue.table.selectRow(0)
    detail = console.detail
    qtbot.waitUntil(lambda: detail.incident is not None and detail.incident.id == made.id)
    assert detail.buttons[IncidentStatus.ACKNOWLEDGED].isEnabled()
    assert not detail.buttons[IncidentStatus.CLOSED].isEnabled()  # not from "new"
    detail.buttons[IncidentStatus.ACKNOWLEDGED].click()
    qtbot.waitUntil(lambda: detail.incident.status is IncidentStatus.ACKNOWLEDGED)
    assert console.queue_model.incident(0).status is IncidentStatus.ACKNOWLEDGED
    assert any(
        "acknowledged" in detail.history.item(i).text() for i in range(detail.history.count())
    )
    # another console resolves it meanwhile; ours still shows "acknowledged" and tries to cancel
    acts.move(db, detail.incident, IncidentStatus.RESOLVED, by="l.moreau")
    detail.buttons[IncidentStatus.CANCELLED].click()
    qtbot.waitUntil(lambda: detail.problem.isVisible() and "l.moreau" in detail.problem.text())
    qtbot.waitUntil(lambda: detail.incident.status is IncidentStatus.RESOLVED)
    with db.read() as s:
        assert incidents.get(s, made.id).status is IncidentStatus.RESOLVED  # nothing overwritten


def test_the_logbook_reaches_every_console(running, db, broker, qtbot):
    console, root = running
    other = Console(db, broker.url, root, "l.moreau")
    qtbot.addWidget(other.window)
    with db.write() as s:
        from services.store import journal

        journal.add(s, "s.petit", "Prise de poste équipe de nuit")
    console.start()
    other.start()
    try:
        qtbot.waitUntil(lambda: other.logbook_model.rowCount() == 1, timeout=15_000)
        qtbot.waitUntil(lambda: "connected" in other.window._links["broker"].text(), timeout=15_000)
        console.logbook.entry.setText("Neige annoncée pour 4 h")
        console.logbook.entry.returnPressed.emit()
        qtbot.waitUntil(lambda: other.logbook_model.rowCount() == 2, timeout=15_000)
        texts = [other.logbook_model.index(r).data() for r in range(2)]
        assert "c.bernard" in texts[1] and texts[1].endswith("Neige annoncée pour 4 h")
        other.logbook.operators.setCurrentIndex(other.logbook.operators.findData("s.petit"))
        assert other.logbook.proxy.rowCount() == 1
    finally:
        other.stop()
