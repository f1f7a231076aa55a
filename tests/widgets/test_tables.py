"""The tables' shared parts: rows by key, filled a few hundred a turn; one search box."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from widgets.tables import FilterProxy, KeyedTableModel, search_field


def test_free_text_ignores_case_and_blanks_and_builds_no_text_without_a_search():
    proxy = FilterProxy()
    built: list[str] = []

    def text_of() -> str:
        built.append("row")
        return "Rue de la Liberté, Dijon"

    assert proxy.text_matches(text_of) and built == []  # no search: every row, no text built
    proxy.set_text("  LIBERTÉ ")
    assert proxy.text_matches(text_of) and built == ["row"]
    proxy.set_text("chenôve")
    assert not proxy.text_matches(text_of)


def test_the_search_box_applies_its_text_once_typing_pauses(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    applied: list[str] = []
    field, pause = search_field(owner, "Search", lambda: applied.append(field.text()), 50)
    assert field.placeholderText() == "Search" and field.isClearButtonEnabled()
    for text in ("r", "ru", "rue"):
        field.setText(text)
    assert applied == []  # nothing while typing
    with qtbot.waitSignal(pause.timeout):
        pass
    assert applied == ["rue"]


class Pairs(KeyedTableModel[tuple[str, int]]):
    rows_a_turn = 3


def _rows(model: Pairs) -> list[tuple[str, int]]:
    return [model.item(r) for r in range(model.rowCount())]


def test_new_rows_beyond_a_turns_share_come_in_at_the_next_turns(qtbot):
    model = Pairs(lambda pair: pair[0])
    model.upsert([(f"d{n}", n) for n in range(8)])
    assert _rows(model) == [("d0", 0), ("d1", 1), ("d2", 2)]
    model.upsert([("d1", 10), ("d6", 60)])  # one shown changes, one waiting changes
    assert _rows(model) == [("d0", 0), ("d1", 10), ("d2", 2), ("d3", 3), ("d4", 4), ("d5", 5)]
    qtbot.waitUntil(lambda: model.rowCount() == 8, timeout=2_000)
    assert _rows(model)[6:] == [("d6", 60), ("d7", 7)]  # in their order, the newer value


def test_rows_gone_before_their_turn_are_never_shown(qtbot):
    model = Pairs(lambda pair: pair[0])
    model.keep_only([(f"d{n}", n) for n in range(8)])
    model.keep_only([("d0", 0), ("d7", 7)])  # the others gone meanwhile, shown or waiting
    qtbot.wait(50)
    assert _rows(model) == [("d0", 0), ("d7", 7)]


def test_a_row_asked_for_before_its_turn_is_there_at_once(qtbot):
    """The map's click on a device selects its row while the table still fills."""
    model = Pairs(lambda pair: pair[0])
    model.upsert([(f"d{n}", n) for n in range(8)])
    row = model.row_of("d6")
    assert row is not None and model.item(row) == ("d6", 6)
    qtbot.waitUntil(lambda: model.rowCount() == 8, timeout=2_000)
    assert sorted(_rows(model)) == [(f"d{n}", n) for n in range(8)]  # each once
