"""End to end: a report published on the broker appears in a running console's queue."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from console.app import Console
from console.shell.gil import SWITCH_INTERVAL_S
from services.domain.incidents import IncidentSource, new_incident
from services.recorder.writer import Recorder, RecorderOptions
from services.store import incidents
from services.store.models import IncidentMediaRow
from services.store.types import utcnow
from tests.services.test_recorder import Field


@pytest.fixture
def running(db, broker, qtbot, request, tmp_path):
    root = f"console{abs(hash(request.node.nodeid)) % 10**6}"
    recorder = Recorder(db, broker.url, root, f"rec-{root}", options=RecorderOptions())
    recorder.start()
    console = Console(db, broker.url, root, "c.bernard", config_folder=tmp_path / "c.bernard")
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
    model = console.desks.incidents.queue_model
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=15_000)
    qtbot.waitUntil(lambda: "connected" in console.window._links["broker"].text(), timeout=15_000)
    field = Field(broker.url, client_id=f"field-{root}")
    field.send(
        f"{root}/reports",
        {
            "service_request_id": "r-console",
            "service_code": "fallen_tree",
            "lat": 47.3220,
            "long": 5.0415,
            "address_string": "Rue de la Liberté",
        },
    )
    field.close()
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
    qtbot.waitUntil(lambda: console.desks.incidents.queue_model.rowCount() == 1, timeout=15_000)
    console.desks.incidents.queue.table.selectRow(0)
    detail = console.desks.incidents.detail
    qtbot.waitUntil(lambda: detail.incident is not None and detail.incident.id == made.id)
    assert detail.buttons[IncidentStatus.ACKNOWLEDGED].isEnabled()
    assert not detail.buttons[IncidentStatus.CLOSED].isEnabled()  # not from "new"
    detail.buttons[IncidentStatus.ACKNOWLEDGED].click()
    qtbot.waitUntil(lambda: detail.incident.status is IncidentStatus.ACKNOWLEDGED)
    assert console.desks.incidents.queue_model.incident(0).status is IncidentStatus.ACKNOWLEDGED
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


def test_the_logbook_reaches_every_console(running, db, broker, qtbot, tmp_path):
    console, root = running
    other = Console(db, broker.url, root, "l.moreau", config_folder=tmp_path / "l.moreau")
    qtbot.addWidget(other.window)
    with db.write() as s:
        from services.store import journal

        journal.add(s, "s.petit", "Prise de poste équipe de nuit")
    console.start()
    other.start()
    try:
        qtbot.waitUntil(lambda: other.desks.logbook.model.rowCount() == 1, timeout=15_000)
        qtbot.waitUntil(lambda: "connected" in other.window._links["broker"].text(), timeout=15_000)
        console.desks.logbook.panel.entry.setText("Neige annoncée pour 4 h")
        console.desks.logbook.panel.entry.returnPressed.emit()
        qtbot.waitUntil(lambda: other.desks.logbook.model.rowCount() == 2, timeout=15_000)
        texts = [other.desks.logbook.model.index(r).data() for r in range(2)]
        assert "c.bernard" in texts[1] and texts[1].endswith("Neige annoncée pour 4 h")
        other.desks.logbook.panel.operators.setCurrentIndex(
            other.desks.logbook.panel.operators.findData("s.petit")
        )
        assert other.desks.logbook.panel.proxy.rowCount() == 1
    finally:
        other.stop()


def test_perspectives_and_theme_are_kept_per_operator(db, broker, qtbot, tmp_path):
    from PySide6.QtWidgets import QApplication

    from console.shell.preferences import Preferences
    from services.domain.operators import Role

    folder = tmp_path / "prefs"
    first = Console(
        db, broker.url, "persp", "l.moreau", Role.SNOW_COORDINATOR, config_folder=folder
    )
    qtbot.addWidget(first.window)
    first.start()
    assert not (folder / "preferences.json").exists()  # nothing chosen yet: nothing written
    assert sys.getswitchinterval() == SWITCH_INTERVAL_S  # the GUI thread's turns (shell.gil)
    docks = first.window.docks
    assert first.view.perspective == "snow_coordinator"  # the role's default
    assert not docks["incident_detail"].isVisible() and docks["logbook"].isVisible()
    first.view.show_perspective("dispatcher")
    assert docks["incident_detail"].isVisible()
    first.view.set_theme("light")
    light = QApplication.instance().palette().window().color().lightness()
    first.view.set_theme("dark")
    assert QApplication.instance().palette().window().color().lightness() < light
    first.view.set_theme("light")
    first.stop()
    second = Console(
        db, broker.url, "persp", "l.moreau", Role.SNOW_COORDINATOR, config_folder=folder
    )
    qtbot.addWidget(second.window)
    second.start()
    try:
        assert second.view.perspective == "dispatcher"  # where the operator left it
        assert second.window.docks["incident_detail"].isVisible()
        assert Preferences.load(folder / "preferences.json").theme == "light"
    finally:
        second.stop()


def test_a_layout_that_no_longer_fits_falls_back_to_the_default(db, broker, qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    folder = tmp_path / "prefs"
    folder.mkdir()
    broken = QSettings(str(folder / "layouts.ini"), QSettings.Format.IniFormat)
    broken.setValue("layouts/c.bernard/dispatcher", b"not a Qt state at all")
    broken.setValue("layouts/c.bernard/current", "dispatcher")
    broken.sync()
    console = Console(db, broker.url, "broken", "c.bernard", config_folder=folder)
    qtbot.addWidget(console.window)
    console.start()
    try:
        assert all(
            console.window.docks[n].isVisible()
            for n in ("incident_queue", "incident_detail", "logbook")
        )
    finally:
        console.stop()


def test_a_new_p1_draws_attention_and_the_keyboard_acts(running, db, qtbot, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from services.domain.incidents import IncidentStatus

    alerts = []
    monkeypatch.setattr(QApplication, "alert", lambda widget, ms=0: alerts.append(widget))
    monkeypatch.setattr(QApplication, "beep", lambda: alerts.append("beep"))
    console, _root = running
    with db.write() as s:
        incidents.create(
            s,
            new_incident(
                source=IncidentSource.CALL, category="noise", at=utcnow(), place="Rue Monge"
            ),
            by="c.bernard",
        )
        fire = incidents.create(
            s,
            new_incident(
                source=IncidentSource.ALERT, category="fire", at=utcnow(), place="École Voltaire"
            ),
            by="system:recorder",
        )
    console.start()
    qtbot.waitUntil(lambda: console.desks.incidents.queue_model.rowCount() == 2, timeout=15_000)
    # each queued slot is its own event: wait for the alert, not only for the rows
    qtbot.waitUntil(lambda: len(alerts) == 2)
    assert alerts == [console.window, "beep"]  # once, for the one new P1
    qtbot.keyClick(console.window, Qt.Key.Key_F5)
    qtbot.waitUntil(
        lambda: (
            console.desks.incidents.detail.incident is not None
            and console.desks.incidents.detail.incident.id == fire.id
        )
    )
    qtbot.keyClick(console.window, Qt.Key.Key_F2)
    qtbot.waitUntil(
        lambda: console.desks.incidents.detail.incident.status is IncidentStatus.ACKNOWLEDGED
    )
    assert not console.desks.incidents.queue.attention.isVisible()


def test_a_phone_call_becomes_an_incident_and_a_bad_form_explains_itself(running, db, qtbot):
    from services.store.models import PersonalDataRow

    console, _root = running
    console.start()
    form = console.desks.calls.new_call()
    qtbot.waitUntil(form.isVisible)
    form.description.setPlainText("Arbre en travers de la chaussée")
    form.buttons.accepted.emit()  # no category, no place
    qtbot.waitUntil(form.problem.isVisible)
    assert form.isVisible()  # kept open, what was typed kept
    form.category.setCurrentIndex(form.category.findData("fallen_tree"))
    form.place.setText("Rue de la Liberté")
    form.commune.setCurrentIndex(form.commune.findData("21231"))
    form.lat.setText("47,3220")  # a French decimal comma is fine
    form.lon.setText("5.0415")
    form.caller_phone.setText("03 80 12 34 56")
    form.buttons.accepted.emit()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: console.desks.incidents.detail.incident is not None, timeout=10_000)
    made = console.desks.incidents.detail.incident
    assert (made.source.value, made.category, made.commune) == ("call", "fallen_tree", "21231")
    with db.read() as s:
        assert s.get(PersonalDataRow, made.id).phone == "03 80 12 34 56"


def test_a_lost_broker_is_said_with_what_still_works_and_recovered(
    db, fresh_broker, qtbot, tmp_path
):
    console = Console(db, fresh_broker.url, "lost", "c.bernard", config_folder=tmp_path)
    qtbot.addWidget(console.window)
    console.start()
    try:
        window = console.window
        qtbot.waitUntil(lambda: "connected" in window._links["broker"].text(), timeout=15_000)
        assert not window.banner_bar.isVisible()
        # read from the database in the background: it may come after the broker's link
        qtbot.waitUntil(lambda: window.quarantine_label.text().endswith("0"), timeout=15_000)
        fresh_broker.stop(kill=True)
        qtbot.waitUntil(window.banner_bar.isVisible, timeout=15_000)
        assert "Broker lost" in window.banner.text() and "recorded" in window.banner.text()
        assert "LOST" in window._links["broker"].text()
        fresh_broker.start()
        qtbot.waitUntil(lambda: not window.banner_bar.isVisible(), timeout=30_000)
    finally:
        console.stop()


def test_possible_duplicates_are_offered_and_merged(running, db, qtbot):
    from services.domain.incidents import IncidentStatus, Location

    console, _root = running
    with db.write() as s:
        first = incidents.create(
            s,
            new_incident(
                source=IncidentSource.REPORT,
                category="fallen_tree",
                at=utcnow(),
                location=Location(47.3220, 5.0415),
                place="Rue de la Liberté",
            ),
            by="system:recorder",
        )
        second = incidents.create(
            s,
            new_incident(
                source=IncidentSource.CALL,
                category="fallen_tree",
                at=utcnow(),
                location=Location(47.3222, 5.0416),
                place="devant le 12",
            ),
            by="c.bernard",
        )
    console.start()
    qtbot.waitUntil(lambda: console.desks.incidents.queue_model.rowCount() == 2, timeout=15_000)
    console.desks.incidents.open_incident(second.id)
    detail = console.desks.incidents.detail
    qtbot.waitUntil(lambda: detail.incident is not None and detail.duplicates.count() == 1)
    assert detail.duplicates_box.isVisible()
    detail.merge_button.click()
    qtbot.waitUntil(lambda: detail.incident.status is IncidentStatus.DUPLICATE)
    assert detail.incident.duplicate_of == first.id
    assert not detail.duplicates_box.isVisible()


def test_a_citizens_photo_is_shown_with_the_report(running, db, broker, qtbot):
    import base64

    from services.simulator.png import tiny_png

    console, root = running
    console.start()
    field = Field(broker.url, client_id=f"field-{root}")
    photo = tiny_png(64, 48, (120, 90, 40))
    field.send(
        f"{root}/reports",
        {
            "service_request_id": "r-photo",
            "service_code": "road_damage",
            "lat": 47.32,
            "long": 5.04,
            "media": {"contentType": "image/png", "data": base64.b64encode(photo).decode()},
        },
    )
    field.close()
    qtbot.waitUntil(lambda: console.desks.incidents.queue_model.rowCount() == 1, timeout=15_000)
    console.desks.incidents.open_incident(console.desks.incidents.queue_model.incident(0).id)
    qtbot.waitUntil(lambda: console.desks.incidents.detail.photo.isVisible(), timeout=10_000)
    assert console.desks.incidents.detail.photo.pixmap().width() > 0


def test_the_language_is_chosen_in_the_settings_for_the_next_start(db, broker, qtbot, tmp_path):
    from console.shell.preferences import Preferences
    from console.text.i18n import translate, use_language

    folder = tmp_path / "prefs"
    console = Console(db, broker.url, "lang", "c.bernard", config_folder=folder)
    qtbot.addWidget(console.window)
    try:
        checked = [a.data() for a in console.view.language_actions.actions() if a.isChecked()]
        assert checked == ["system"]
        french = next(a for a in console.view.language_actions.actions() if a.data() == "fr")
        french.trigger()
        assert Preferences.load(folder / "preferences.json").language == "fr"
        assert "next start" in console.window.statusBar().currentMessage()
    finally:
        console.stop()
    try:
        use_language("fr")  # what the next start does with that preference
        assert translate("console", "Mute the P1 sound") != "Mute the P1 sound"
        use_language("xx")  # a language we do not ship: the system's (English here)
        assert translate("console", "Mute the P1 sound") == "Mute the P1 sound"
    finally:
        use_language(None)


@pytest.mark.parametrize("allowed", [True, False])
def test_a_photo_sent_as_a_link_is_fetched_only_from_an_allowed_host(
    db, broker, qtbot, tmp_path, allowed
):
    from tests.services.test_photos import PhotoHost

    host = PhotoHost()
    hosts = frozenset({"127.0.0.1"}) if allowed else frozenset()
    console = Console(
        db, broker.url, "link", "c.bernard", config_folder=tmp_path, photo_hosts=hosts
    )
    qtbot.addWidget(console.window)
    try:
        with db.write() as s:
            made = incidents.create(
                s,
                new_incident(source=IncidentSource.REPORT, category="graffiti", at=utcnow()),
                by="c.bernard",
            )
            s.add(
                IncidentMediaRow(incident_id=made.id, url=f"{host.url}/p.png", received_at=utcnow())
            )
        console.desks.incidents.open_incident(made.id)
        photo = console.desks.incidents.detail.photo
        if allowed:
            qtbot.waitUntil(lambda: photo.pixmap() is not None and photo.pixmap().width() > 0)
            assert host.requests == ["/p.png"]
        else:
            qtbot.waitUntil(lambda: "allowed" in photo.text())
            assert host.requests == []
    finally:
        console.stop()
        host.stop()


def test_dispatching_the_nearest_unit_from_the_detail(running, db, qtbot):
    from services.domain.incidents import IncidentStatus, Location
    from services.store.models import CommandRow, UnitRow

    console, _ = running
    console.start()
    now = utcnow()
    with db.write() as s:
        for unit, lat in (
            ("patrol:far", 47.36),
            ("patrol:near", 47.323),
            ("patrol:off", 47.3221),
            ("crew:nearest", 47.3220),  # nearer still, but a road crew is not sent to a fire
        ):
            s.add(
                UnitRow(
                    id=unit,
                    kind="road_crew" if unit.startswith("crew") else "patrol",
                    name=unit,
                    status="available" if unit != "patrol:off" else "unavailable",
                    lat=lat,
                    lon=5.0415,
                    observed_at=now,
                )
            )
        fire = incidents.create(
            s,
            new_incident(
                source=IncidentSource.CALL,
                category="fire",
                at=now,
                place="Place Darcy",
                location=Location(47.3220, 5.0415),
            ),
            by="c.bernard",
        )
    console.desks.incidents.open_incident(fire.id)
    qtbot.waitUntil(lambda: console.desks.incidents.detail.dispatch_button.isEnabled())
    console.desks.incidents.detail.dispatch_button.click()
    qtbot.waitUntil(lambda: console.desks.dispatch.dialog is not None)
    units = console.desks.dispatch.dialog.units
    listed = [units.item(i).data(Qt.ItemDataRole.UserRole) for i in range(units.count())]
    # patrols for a fire, nearest first, then the other kinds; the unavailable left out
    assert listed == ["patrol:near", "patrol:far", "crew:nearest"]
    assert "not the usual kind" in units.item(2).text()
    console.desks.dispatch.dialog.accept()  # the nearest is pre-selected
    qtbot.waitUntil(
        lambda: console.desks.incidents.detail.incident.status is IncidentStatus.DISPATCHED
    )
    assert console.desks.incidents.detail.incident.assigned_unit == "patrol:near"
    with db.read() as s:
        sent = s.execute(select(CommandRow.target, CommandRow.issued_by)).all()
    assert [tuple(r) for r in sent] == [("patrol:near", "c.bernard")]

    # the unit refuses (the recorder frees the incident): the operator who sent it is told
    from services import incident_actions as acts

    freed = acts.move(
        db,
        console.desks.incidents.detail.incident,
        IncidentStatus.ACKNOWLEDGED,
        by="system:recorder",
    )
    console.feeds.incidents.announce(freed.id, freed.version, "system:recorder")
    qtbot.waitUntil(  # through the broker and a read of the record: slow on a loaded CI
        lambda: "patrol:near" in console.window.statusBar().currentMessage(), timeout=30_000
    )


def test_the_status_bar_shows_the_snow_level_and_traffic_mode(running, broker, db, qtbot):
    from services.store.models import CityModeRow

    def record(kind: str, **values) -> None:  # the database holds the record
        with db.write() as s:
            row = s.get(CityModeRow, kind)
            for key, value in values.items():
                setattr(row, key, value)

    console, root = running
    field = Field(broker.url, client_id=f"modes-{root}")
    record("snow", value="2", state="applied")
    record("traffic", target="peak", state="applying", switching_by="l.moreau")
    field.send(f"{root}/modes/snow", {"level": 2, "state": "applied"}, retain=True)
    field.send(f"{root}/modes/traffic", {"mode": "peak", "state": "applying"}, retain=True)
    console.start()  # a console that starts later learns them at once
    label = console.window.modes_label
    qtbot.waitUntil(lambda: "intervention" in label.text() and "switching" in label.text())
    record("traffic", value="peak", target=None, state="applied", switching_by=None)
    field.send(f"{root}/modes/traffic", {"mode": "peak", "state": "applied"}, retain=True)
    qtbot.waitUntil(lambda: "switching" not in label.text() and "peak" in label.text())
    for which in ("snow", "traffic"):  # leave the broker as we found it
        field.client.publish(f"{root}/modes/{which}", b"", retain=True).wait_for_publish(5)
    field.close()


def test_the_map_and_the_queue_select_each_other(running, db, qtbot):
    from services.domain.incidents import Location
    from tests.widgets.test_map import census, js

    console, _root = running
    made = []
    with db.write() as s:
        for place, lat in (("Place Darcy", 47.3223), ("Talant, Belvédère", 47.3370)):
            made.append(
                incidents.create(
                    s,
                    new_incident(
                        source=IncidentSource.CALL,
                        category="fire",
                        at=utcnow(),
                        place=place,
                        location=Location(lat, 5.0100),
                    ),
                    by="c.bernard",
                )
            )
    console.start()
    qtbot.waitUntil(lambda: console.desks.map.map.ready, timeout=60_000)
    qtbot.waitUntil(lambda: census(qtbot, console.desks.map.map)["incidents"] == 2, timeout=15_000)
    # a click on the map opens the incident in the queue and the detail
    js(qtbot, console.desks.map.map, f"vigie.incidents.get({made[1].id}).marker.fire('click') && 1")
    qtbot.waitUntil(
        lambda: (
            console.desks.incidents.detail.incident is not None
            and console.desks.incidents.detail.incident.id == made[1].id
        ),
        timeout=10_000,
    )
    # choosing another in the queue centres the map on it
    console.desks.incidents.queue.select_incident(made[0].id)
    qtbot.waitUntil(
        lambda: abs(js(qtbot, console.desks.map.map, "vigie.map.getCenter().lat") - 47.3223) < 1e-4,
        timeout=10_000,
    )
    qtbot.waitUntil(
        lambda: console.desks.incidents.detail.incident.id == made[0].id, timeout=10_000
    )
    # a unit on its way to an incident: a click on it opens that incident
    from services.domain.units import Unit, UnitKind, UnitStatus

    console.desks.map.map.update_units(
        [
            Unit(
                "vehicle:pm-01",
                UnitKind.PATROL,
                UnitStatus.EN_ROUTE,
                "PM 01",
                incident_id=made[1].id,
                lat=47.33,
                lon=5.02,
                observed_at=utcnow(),
            )
        ]
    )
    qtbot.waitUntil(lambda: census(qtbot, console.desks.map.map)["units"] == 1, timeout=10_000)
    js(qtbot, console.desks.map.map, "vigie.units.get('vehicle:pm-01').marker.fire('click') && 1")
    qtbot.waitUntil(
        lambda: (
            console.desks.incidents.detail.incident is not None
            and console.desks.incidents.detail.incident.id == made[1].id
        ),
        timeout=10_000,
    )


def test_each_connection_of_a_console_has_its_own_client_id(running):
    # Two connections under one id throw each other off the broker, over and over: the queue
    # then never heard of new incidents.
    console, _root = running
    ids = {
        console.feeds.incidents.bus.client_id,
        console.feeds.map.bus.client_id,
        console.seat.sender.client_id,
    }
    assert len(ids) == 3


def test_a_role_that_may_not_see_patrols_is_not_offered_them(db, broker, qtbot, tmp_path):
    from services.domain.incidents import Location
    from services.domain.operators import Role
    from services.store.models import UnitRow

    console = Console(
        db, broker.url, "tech", "t.roux", Role.TECHNICIAN, config_folder=tmp_path / "t.roux"
    )
    qtbot.addWidget(console.window)
    now = utcnow()
    with db.write() as s:
        for unit, kind in (("patrol:1", "patrol"), ("crew:1", "road_crew")):
            s.add(
                UnitRow(
                    id=unit,
                    kind=kind,
                    name=unit,
                    status="available",
                    lat=47.32,
                    lon=5.04,
                    observed_at=now,
                )
            )
        tree = incidents.create(
            s,
            new_incident(
                source=IncidentSource.CALL,
                category="fallen_tree",
                at=now,
                location=Location(47.3220, 5.0415),
            ),
            by="c.bernard",  # a dispatcher took the call
        )
    console.start()
    try:
        console.desks.dispatch.request(tree)
        qtbot.waitUntil(lambda: console.desks.dispatch.dialog is not None)
        units = console.desks.dispatch.dialog.units
        assert [units.item(i).data(Qt.ItemDataRole.UserRole) for i in range(units.count())] == [
            "crew:1"
        ]
        assert "patrol" not in console.desks.map.map.switches  # nor shown them on the map
    finally:
        console.stop()


def test_a_device_clicked_on_the_map_is_found_in_the_equipment(running, db, qtbot):
    from services.store.models import EquipmentRow
    from tests.widgets.test_map import census, js

    console, _root = running
    now = utcnow()
    with db.write() as s:
        for n in range(3):
            s.add(
                EquipmentRow(
                    id=f"light:{n}",
                    type="Streetlight",
                    status="defectiveLamp" if n == 2 else "ok",
                    commune="21231",
                    lat=47.32 + n / 100,
                    lon=5.04,
                    attributes={},
                    received_at=now,
                    updated_at=now,
                )
            )
    console.start()
    qtbot.waitUntil(lambda: console.desks.equipment.model.rowCount() == 3, timeout=15_000)
    assert console.desks.equipment.model.counts() == {"ok": 2, "fault": 1}
    qtbot.waitUntil(lambda: console.desks.map.map.ready, timeout=60_000)
    qtbot.waitUntil(lambda: census(qtbot, console.desks.map.map)["lights"] == 3, timeout=15_000)
    with qtbot.waitSignal(
        console.desks.equipment.equipment.sig_device_selected, timeout=10_000
    ) as chosen:
        js(
            qtbot,
            console.desks.map.map,
            "vigie.map.setView([47.34, 5.04], 16) && vigie.map.fire('click', {containerPoint:"
            " vigie.map.latLngToContainerPoint([47.34, 5.04]), latlng: L.latLng(47.34, 5.04)})"
            " && 1",
        )
    assert chosen.args == ["light:2"]


def test_the_telemetry_samples_what_the_equipment_feed_reads(running, db, qtbot):
    from services.store.models import EquipmentRow
    from tests.widgets.test_telemetry import plotted

    console, _root = running
    now = utcnow()
    with db.write() as s:
        for n, power in enumerate(("on", "on", "off")):
            s.add(
                EquipmentRow(
                    id=f"light:{n}",
                    type="Streetlight",
                    status="ok",
                    commune="21231",
                    attributes={"powerState": power, "powerConsumption": 100.0},
                    received_at=now,
                    updated_at=now,
                )
            )
    console.start()
    qtbot.waitUntil(
        lambda: console.desks.equipment.telemetry_history.latest is not None, timeout=15_000
    )
    assert console.desks.equipment.telemetry_history.latest.lights_total.on == 2
    console.view.show_perspective("technician")  # the map's tab holds the telemetry
    console.window.docks["telemetry"].raise_()  # looked at: drawn
    qtbot.waitUntil(
        lambda: list(plotted(console.desks.equipment.telemetry.lights, "on")[1] or []) == [2],
        timeout=5_000,
    )
