"""People read names and words in their language; ids and codes stay a click away."""

from __future__ import annotations

from datetime import UTC, datetime

from console.text.messages import describe
from services.domain.errors import PermissionDenied
from services.domain.operators import Operator, Role
from widgets.labels import ROLE, label, status_label
from widgets.login_dialog import LoginDialog


def test_device_faults_read_as_words_even_a_code_the_table_does_not_know():
    assert status_label("defectiveLamp") == "defective lamp"
    assert status_label("columnIssue") == "column problem"
    assert status_label("lampFlickering") == "lamp flickering"  # a city's own code
    assert status_label(None) == ""


def test_roles_read_as_words_in_the_login_list_and_in_refusals(qtbot):
    assert label(ROLE, "snow_coordinator") == "snow coordinator"
    when = datetime(2026, 12, 5, tzinfo=UTC)
    dialog = LoginDialog(
        [Operator("c.morel", Role.SNOW_COORDINATOR, when, "root")], "c.morel", lambda n, p: n
    )
    qtbot.addWidget(dialog)
    assert dialog.name.itemText(0) == "c.morel  (snow coordinator)"
    refused = PermissionDenied(
        "permission.refused", operator="c.morel", role="snow_coordinator", act="command_group"
    )
    assert "c.morel (snow coordinator) may not" in describe(refused)


def test_the_detail_names_the_unit_and_keeps_its_id_a_tooltip_away(qtbot):
    import dataclasses

    from services.domain.incidents import IncidentSource, IncidentStatus, new_incident
    from widgets.incident_detail.panel import IncidentDetailPanel

    panel = IncidentDetailPanel({})
    qtbot.addWidget(panel)
    panel.unit_name = {"vehicle:voirie-55": "Voirie 55"}.get  # as the map feed knows them
    made = new_incident(source=IncidentSource.CALL, category="roads", at=datetime.now(UTC))
    dispatched = dataclasses.replace(
        made, id=3, status=IncidentStatus.DISPATCHED, assigned_unit="vehicle:voirie-55"
    )
    panel.show_incident(dispatched, [], [])
    assert panel.fields["unit"].text() == "Voirie 55"
    assert "vehicle:voirie-55" in panel.fields["unit"].toolTip()


def test_the_queue_names_the_unit_once_the_field_has_and_keeps_its_id_a_tooltip_away(qtbot):
    import dataclasses

    from PySide6.QtCore import Qt

    from services.domain.incidents import IncidentSource, IncidentStatus, new_incident
    from widgets.incident_queue.model import Column, IncidentTableModel

    model = IncidentTableModel({})
    made = new_incident(source=IncidentSource.CALL, category="roads", at=datetime.now(UTC))
    model.upsert(
        [dataclasses.replace(made, id=4, status=IncidentStatus.DISPATCHED, assigned_unit="v12")]
    )
    cell = model.index(0, Column.UNIT)
    assert model.data(cell) == "v12"  # the feed has not heard of it yet
    names = {"v12": "Voirie 12"}
    model.unit_name = lambda ident: names.get(ident, ident)
    with qtbot.waitSignal(model.dataChanged):
        model.names_changed()
    assert model.data(cell) == "Voirie 12"
    assert "v12" in model.data(cell, Qt.ItemDataRole.ToolTipRole)
    assert "voirie 12" in model.search_text(0)  # what the operator reads is what they search
