"""The tables' shared text filter: one search box, applied after a pause, matched lazily."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from widgets.tables import FilterProxy, search_field


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
