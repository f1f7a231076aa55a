"""The dispatch dialog: an available unit is sent at once; a busy one only once confirmed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from widgets.dispatch.dialog import DispatchDialog

QUESTION = "Re-task P2 to incident #9? It leaves incident #4."


def _dialog(qtbot, answers: list[bool]) -> tuple[DispatchDialog, list[str], list[tuple]]:
    dialog = DispatchDialog(
        "Send a unit to incident #9:",
        [("patrol:1", "P1: 0.4 km"), ("patrol:2", "P2: 0.2 km — busy with incident #4")],
        retask={"patrol:2": QUESTION},
    )
    qtbot.addWidget(dialog)
    asked: list[str] = []
    chosen: list[tuple] = []

    def confirm(question: str) -> bool:
        asked.append(question)
        return answers.pop(0)

    dialog.confirm = confirm  # type: ignore[method-assign]
    dialog.sig_unit_chosen.connect(lambda unit: chosen.append(("dispatch", unit)))
    dialog.sig_retask_chosen.connect(lambda unit: chosen.append(("retask", unit)))
    return dialog, asked, chosen


def test_an_available_unit_is_sent_without_a_question(qtbot):
    dialog, asked, chosen = _dialog(qtbot, [])
    dialog.show()
    dialog.accept()
    assert (asked, chosen) == ([], [("dispatch", "patrol:1")])


def test_a_busy_unit_is_retasked_only_once_confirmed(qtbot):
    dialog, asked, chosen = _dialog(qtbot, [False, True])
    dialog.show()
    dialog.units.setCurrentRow(1)
    assert dialog.units.item(1).font().italic() and not dialog.units.item(0).font().italic()
    dialog.accept()  # the operator says no: nothing chosen, the dialog stays open
    assert asked == [QUESTION] and chosen == [] and dialog.isVisible()
    dialog.accept()
    assert chosen == [("retask", "patrol:2")] and not dialog.isVisible()


def test_the_heading_is_plain_text(qtbot):
    dialog = DispatchDialog("<b>#9</b>", [("u", "<h1>x</h1>")])
    qtbot.addWidget(dialog)
    heading = dialog.findChild(QLabel)
    assert heading.textFormat() is Qt.TextFormat.PlainText and heading.text() == "<b>#9</b>"


def _units(dialog: DispatchDialog) -> list[tuple[str, str]]:
    """(unit id, text) of every line the dialog lists, top to bottom."""
    items = [dialog.units.item(i) for i in range(dialog.units.count())]
    return [(item.data(Qt.ItemDataRole.UserRole), item.text()) for item in items]


def test_a_unit_on_site_or_a_minute_away_never_reads_about_0_min(qtbot):
    from console.desks.dispatch import candidate_line
    from services.dispatching import Candidate

    found = [
        Candidate("patrol:there", "PM 01", "patrol", 40.0),
        Candidate("patrol:close", "PM 02", "patrol", 180.0),
        Candidate("patrol:away", "PM 03", "patrol", 2_400.0),
    ]
    dialog = DispatchDialog(
        "Send a unit to incident #9:", [(c.unit_id, candidate_line(c)) for c in found]
    )
    qtbot.addWidget(dialog)
    texts = [text for _unit, text in _units(dialog)]
    assert texts == [
        "PM 01 (patrol): 0.0 km, on site",
        "PM 02 (patrol): 0.2 km, under 1 min",
        "PM 03 (patrol): 2.4 km, about 6 min",
    ]


def test_for_ice_the_dialog_lists_snow_vehicles_before_a_nearer_road_crew(db, qtbot):
    from console.desks.dispatch import candidate_line
    from services import dispatching
    from services.domain.incidents import IncidentSource, Location, new_incident
    from services.store import incidents
    from services.store.models import UnitRow
    from services.store.types import utcnow

    now = utcnow()
    with db.write() as s:
        for unit, kind, lat in (
            ("crew:near", "road_crew", 47.3225),  # some 55 m away: on site, but not a plough
            ("plough:far", "snow_plough", 47.3400),
            ("spreader:mid", "salt_spreader", 47.3300),
            ("patrol:near", "patrol", 47.3221),
        ):
            s.add(
                UnitRow(
                    id=unit,
                    kind=kind,
                    name=unit,
                    status="available",
                    lat=lat,
                    lon=5.0415,
                    observed_at=now,
                )
            )
        ice = incidents.create(
            s,
            new_incident(
                source=IncidentSource.CALL,
                category="snow_ice",
                at=now,
                location=Location(47.3220, 5.0415),
            ),
            by="c.bernard",
        )
    found = dispatching.candidates(db, ice)
    dialog = DispatchDialog("Send a unit:", [(c.unit_id, candidate_line(c)) for c in found])
    qtbot.addWidget(dialog)
    listed = _units(dialog)
    assert [unit for unit, _text in listed] == [
        "spreader:mid",
        "plough:far",
        "crew:near",
        "patrol:near",
    ]
    assert dialog.units.currentRow() == 0  # Enter sends the nearest snow vehicle
    assert listed[2][1] == "crew:near (road crew): 0.1 km, on site"  # usual for ice, after them
    assert listed[3][1].endswith("on site — not the usual kind")
