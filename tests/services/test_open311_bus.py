"""The citizen hears back on the bus: the recorder publishes each request's status, retained.

A real broker, a real recorder and a real database: a citizen app's report over the bus is an
Open311 request too; a public note and the resolution, written as a console writes them, reach
``{root}/events/reports/{service_request_id}`` within a sweep or two.
"""

from __future__ import annotations

import json
import threading
import time

import paho.mqtt.client as mqtt

from services.domain.incidents import IncidentStatus, transition
from services.recorder.writer import Recorder, RecorderOptions
from services.store import incidents, open311
from services.store.types import utcnow


def test_a_reports_status_is_published_retained_when_it_moves(db, broker):
    root = f"citizens{time.monotonic_ns() % 10**8}"
    seen: dict[str, dict] = {}
    changed = threading.Condition()

    def on_message(client, userdata, message):  # noqa: ANN001
        with changed:
            seen[message.topic] = json.loads(message.payload)
            changed.notify_all()

    host, port = broker.url.removeprefix("mqtt://").split(":")
    app = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"{root}-citizen-app")
    app.on_message = on_message
    app.connect(host, int(port))
    app.subscribe(f"{root}/events/reports/#", qos=1)
    app.loop_start()
    recorder = Recorder(
        db, broker.url, root, f"{root}-rec", options=RecorderOptions(sweep_every=0.2)
    )
    recorder.start()
    try:
        assert recorder.bus.wait_connected(10)
        report = {
            "id": "service-request:APP-7",
            "type": "Open311ServiceRequest",
            "service_request_id": "APP-7",
            "service_code": "proprete-depot",
            "description": "Encombrants sur le trottoir",
            "lat": 47.3215,
            "long": 5.0412,
            "email": "citoyen@example.fr",
        }
        app.publish(f"{root}/reports", json.dumps(report), qos=1).wait_for_publish(10)
        topic = f"{root}/events/reports/APP-7"

        def wait_for(condition) -> dict:  # noqa: ANN001
            deadline = time.monotonic() + 20
            with changed:
                while not (topic in seen and condition(seen[topic])):
                    assert changed.wait(max(0.0, deadline - time.monotonic())), seen
            return seen[topic]

        first = wait_for(lambda p: p["status"] == "open")
        assert first["service_code"] == "proprete-depot" and first["status_notes"] is None
        assert "citoyen@example.fr" not in json.dumps(first)
        with db.write() as session:
            (incident_id,) = open311.incident_ids(session, ["APP-7"])
            incidents.add_note(session, incident_id, "interne", by="c.bernard")
            incidents.add_note(
                session, incident_id, "Enlèvement demain", by="c.bernard", public=True
            )
        noted = wait_for(lambda p: p["status_notes"] == "Enlèvement demain")
        assert noted["status"] == "open"
        with db.write() as session:
            current = incidents.get(session, incident_id)
            resolved = transition(current, IncidentStatus.RESOLVED, at=utcnow())
            incidents.save(session, current, resolved, by="c.bernard")
        closed = wait_for(lambda p: p["status"] == "closed")
        assert closed["expected_datetime"] is None and closed["updated_datetime"].endswith("Z")
    finally:
        recorder.stop()
        app.loop_stop()
        app.disconnect()
    # Retained: the citizen app's gateway, coming back later, reads the last status at once.
    late: list[dict] = []
    reader = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"{root}-late")
    reader.on_message = lambda c, u, m: late.append(json.loads(m.payload))
    reader.connect(host, int(port))
    reader.subscribe(topic, qos=1)
    reader.loop_start()
    deadline = time.monotonic() + 10
    while not late and time.monotonic() < deadline:
        time.sleep(0.05)
    reader.loop_stop()
    reader.disconnect()
    assert late and late[-1]["status"] == "closed"
