"""A citizen's report: its notes stay internal unless made public, and the detail says which.

The citizen reads the latest public note (Open311's ``status_notes``) and whether the request is
open or closed; the detail ticks nothing by default, marks the public notes in the list, and shows
what the citizen reads, word for word. Other incidents have no citizen to read a note: nothing of
this is offered on them.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from PySide6.QtCore import Qt

from services.domain.incidents import (
    Incident,
    IncidentNote,
    IncidentSource,
    IncidentStatus,
    Location,
    new_incident,
)
from services.domain.open311 import Service
from services.store import incidents, open311
from services.store.types import utcnow
from tests.widgets.test_detail_live import desk  # noqa: F401 - the fixture
from widgets.incident_detail.panel import PUBLIC_ROLE, IncidentDetailPanel

POTHOLE = Service(
    code="voirie-nid-de-poule",
    category="road_damage",
    name="Nid de poule",
    description="Un trou dans la chaussée",
    group="Voirie",
    keywords=("voirie",),
    agency="Dijon Métropole",
)


def _incident(source: IncidentSource, incident_id: int = 12, **changes) -> Incident:  # noqa: ANN003
    made = new_incident(
        source=source,
        category="road_damage",
        at=utcnow(),
        location=Location(47.32, 5.04),
        description="Nid de poule rue de la Liberté",
    )
    return dataclasses.replace(made, id=incident_id, **changes)


def _note(note_id: int, text: str, *, public: bool = False, by: str = "c.bernard") -> IncidentNote:
    return IncidentNote(note_id, utcnow() - timedelta(minutes=10 - note_id), by, text, public)


def _panel(qtbot) -> IncidentDetailPanel:
    panel = IncidentDetailPanel({})
    qtbot.addWidget(panel)
    panel.resize(520, 900)
    panel.show()
    return panel


def test_the_public_tick_is_offered_on_a_citizens_report_only(qtbot):
    panel = _panel(qtbot)
    panel.show_incident(_incident(IncidentSource.CALL), [], [_note(1, "Appelant rappelé")])
    assert not panel.note_public.isVisible()
    assert not panel.note_public_button.isVisible()
    assert not panel.citizen_box.isVisible()
    panel.show_incident(_incident(IncidentSource.REPORT, 13), [], [])
    assert panel.note_public.isVisible() and panel.note_public.isEnabled()
    assert not panel.note_public.isChecked()  # internal is the default
    assert panel.note_public_button.isVisible() and panel.citizen_box.isVisible()


def test_a_note_is_internal_unless_ticked_and_the_tick_goes_with_the_note(qtbot):
    panel = _panel(qtbot)
    report = _incident(IncidentSource.REPORT)
    panel.show_incident(report, [], [])
    panel.note_text.setText("Voirie prévenue")
    with qtbot.waitSignal(panel.sig_note_requested) as internal:
        panel.note_text.returnPressed.emit()
    assert internal.args == [report.id, "Voirie prévenue", False]

    panel.note_public.setChecked(True)
    assert "citizen" in panel.note_text.placeholderText()
    panel.note_text.setText("Intervention prévue demain matin")
    with qtbot.waitSignal(panel.sig_note_requested) as public:
        panel.note_text.returnPressed.emit()
    assert public.args == [report.id, "Intervention prévue demain matin", True]
    assert not panel.note_public.isChecked()  # the next one is internal again
    assert panel.note_text.text() == ""


def test_the_tick_does_not_follow_the_operator_to_another_incident(qtbot):
    panel = _panel(qtbot)
    panel.show_incident(_incident(IncidentSource.REPORT, 12), [], [])
    panel.note_public.setChecked(True)
    panel.note_text.setText("en cours")
    # the same report read again (a newer version): what the operator was doing is kept
    panel.follow_incident(_incident(IncidentSource.REPORT, 12, version=2), [], [])
    assert panel.note_public.isChecked()
    panel.show_incident(_incident(IncidentSource.REPORT, 14), [], [])
    assert not panel.note_public.isChecked()
    # an incident with no citizen never sends a note as public, whatever was ticked before
    panel.note_public.setChecked(True)
    panel.show_incident(_incident(IncidentSource.ALERT, 15), [], [])
    panel.note_text.setText("Capteur réarmé")
    with qtbot.waitSignal(panel.sig_note_requested) as sent:
        panel.note_text.returnPressed.emit()
    assert sent.args[2] is False


def test_public_notes_are_marked_in_the_list_and_internal_ones_not(qtbot):
    panel = _panel(qtbot)
    notes = [_note(1, "Équipe voirie prévenue"), _note(2, "Réparation prévue", public=True)]
    panel.show_incident(_incident(IncidentSource.REPORT), [], notes)
    internal, public = panel.notes.item(0), panel.notes.item(1)
    assert internal.data(Qt.ItemDataRole.UserRole) == 1
    assert public.data(Qt.ItemDataRole.UserRole) == 2
    assert "[public]" not in internal.text() and not internal.font().bold()
    assert public.text().startswith("[public]") and public.font().bold()
    assert public.data(PUBLIC_ROLE) is True and internal.data(PUBLIC_ROLE) is False


def test_the_selected_note_is_made_public_or_internal_again(qtbot):
    panel = _panel(qtbot)
    notes = [_note(5, "Équipe voirie prévenue"), _note(6, "Réparation prévue", public=True)]
    panel.show_incident(_incident(IncidentSource.REPORT), [], notes)
    assert not panel.note_public_button.isEnabled()  # no note chosen yet
    panel.notes.setCurrentRow(0)
    assert panel.note_public_button.text() == "Make public"
    with qtbot.waitSignal(panel.sig_note_public_requested) as made_public:
        qtbot.mouseClick(panel.note_public_button, Qt.MouseButton.LeftButton)
    assert made_public.args == [5, True]
    panel.notes.setCurrentRow(1)
    assert panel.note_public_button.text() == "Make internal again"
    with qtbot.waitSignal(panel.sig_note_public_requested) as made_internal:
        panel.note_public_action.trigger()  # the note's context menu holds the same act
    assert made_internal.args == [6, False]
    # read again after the act, the same note stays chosen and its act says the new state
    notes[0] = dataclasses.replace(notes[0], public=True)
    panel.follow_incident(panel.incident, [], notes)
    assert panel.notes.currentItem().data(Qt.ItemDataRole.UserRole) == 6
    panel.notes.setCurrentRow(0)
    assert panel.note_public_button.text() == "Make internal again"


def test_the_refused_operator_may_not_make_a_note_public(qtbot):
    panel = _panel(qtbot)
    panel.show_incident(_incident(IncidentSource.REPORT), [], [_note(1, "Vu")])
    panel.refuse("n.faure (auditor) may not act on incidents")
    panel.notes.setCurrentRow(0)
    assert not panel.note_public.isEnabled() and not panel.note_public_button.isEnabled()
    assert not panel.note_public_action.isEnabled()
    with qtbot.assertNotEmitted(panel.sig_note_public_requested):
        panel.note_public_action.trigger()


def test_the_citizens_view_says_the_status_and_the_latest_public_note(qtbot):
    panel = _panel(qtbot)
    report = _incident(IncidentSource.REPORT)
    panel.show_incident(report, [], [_note(1, "Équipe voirie prévenue")])
    assert panel.citizen_status.text() == "Status: Open"
    assert "No public note yet" in panel.citizen_note.text()
    assert "Équipe voirie prévenue" not in panel.citizen_note.text()  # internal stays internal

    notes = [
        _note(1, "Équipe voirie prévenue"),
        _note(2, "Réparation prévue demain", public=True),
        _note(3, "Chaussée réparée, merci de votre signalement", public=True),
        _note(4, "Facturer au concessionnaire"),
    ]
    resolved = dataclasses.replace(report, status=IncidentStatus.RESOLVED, version=2)
    panel.follow_incident(resolved, [], notes)
    assert panel.citizen_status.text() == "Status: Closed"
    assert panel.citizen_note.text() == "Note: Chaussée réparée, merci de votre signalement"


def test_a_citizens_markup_is_shown_as_written(qtbot):
    panel = _panel(qtbot)
    markup = "<h1 style=color:red>FAUSSE ALERTE</h1>"
    panel.show_incident(
        _incident(IncidentSource.REPORT, description=markup),
        [],
        [_note(1, markup, public=True, by="<b>x</b>")],
    )
    for shown in (panel.citizen_note, panel.citizen_status, panel.fields["description"]):
        assert shown.textFormat() == Qt.TextFormat.PlainText
    assert panel.citizen_note.text() == f"Note: {markup}"
    assert markup in panel.notes.item(0).text()  # a list item is never read as markup


# --- through the desk, on a real database ---------------------------------------------------------
def _a_request(db) -> Incident:
    with db.write() as s:
        recorded = open311.record_request(
            s,
            open311.NewRequest(
                service=POTHOLE,
                lat=47.3220,
                lon=5.0415,
                commune=None,
                address="Rue de la Liberté",
                description="Un nid de poule devant le 12",
                attributes={},
                api_key="citizen-app",
            ),
        )
        return incidents.get(s, recorded.incident_id)


def test_a_note_written_public_in_the_detail_is_public_on_the_record(db, qtbot, desk):  # noqa: F811
    report = _a_request(db)
    desk.desk.open_incident(report.id)
    qtbot.waitUntil(lambda: desk.detail.incident is not None)
    detail = desk.detail
    assert detail.note_public.isVisible()
    detail.note_text.setText("Dossier transmis à la voirie")
    detail.note_text.returnPressed.emit()
    qtbot.waitUntil(lambda: detail.notes.count() == 1)
    detail.note_public.setChecked(True)
    detail.note_text.setText("Réparation prévue demain")
    detail.note_text.returnPressed.emit()
    qtbot.waitUntil(lambda: detail.notes.count() == 2)
    with db.read() as s:
        written = incidents.notes(s, report.id)
        answered = open311.public_request(s, report.source_ref)
    assert [(n.text, n.public) for n in written] == [
        ("Dossier transmis à la voirie", False),
        ("Réparation prévue demain", True),
    ]
    assert answered is not None and answered.status_notes == "Réparation prévue demain"
    assert detail.citizen_note.text() == "Note: Réparation prévue demain"

    # the internal note made public from the detail: the record and the citizen's view follow
    detail.notes.setCurrentRow(0)
    qtbot.mouseClick(detail.note_public_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(detail.notes.item(0).data(PUBLIC_ROLE)))
    with db.read() as s:
        assert [n.public for n in incidents.notes(s, report.id)] == [True, True]
    # the latest public note is still what the citizen reads (the newest, not the last touched)
    assert detail.citizen_note.text() == "Note: Réparation prévue demain"


def test_a_note_made_public_on_an_incident_with_no_citizen_is_refused_in_the_detail(
    db,
    qtbot,
    desk,  # noqa: F811
):
    with db.write() as s:
        call = incidents.create(
            s,
            new_incident(source=IncidentSource.CALL, category="fallen_tree", at=utcnow()),
            by="c.bernard",
        )
    desk.desk.open_incident(call.id)
    qtbot.waitUntil(lambda: desk.detail.incident is not None)
    desk.detail.sig_note_requested.emit(call.id, "forcé", True)  # what the panel never sends
    qtbot.waitUntil(desk.detail.problem.isVisible)
    with db.read() as s:
        assert incidents.notes(s, call.id) == []
