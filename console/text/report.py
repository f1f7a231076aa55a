"""The daily report's words: its headings, its labels, and how its figures read on paper.

The report (``console/reports/daily.py``) is read by a mayor's office in the operator's language:
every word here goes through Qt's translation (context ``report``), and numbers, dates and
durations follow that language's conventions (``1,5 t`` and ``samedi 5 décembre 2026`` in French).
Codes from the record (categories, statuses, purposes) become the words the console uses for them.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, QLocale

from console.text.i18n import fill, translate, translator
from widgets.labels import CATEGORY, COMMAND_STATUS, EQUIPMENT_TYPE, MODE_KIND, SNOW_LEVEL
from widgets.labels import TRAFFIC_MODE as TRAFFIC_MODES
from widgets.video_wall.purpose_dialog import PURPOSE_TITLES

CONTEXT = "report"

WORDS = {
    "title": QT_TRANSLATE_NOOP("report", "Daily report of the control room"),
    "room": QT_TRANSLATE_NOOP("report", "Vigie — unified control room"),
    "day_span": QT_TRANSLATE_NOOP(
        "report", "The day from midnight to midnight, room time ({zone})."
    ),
    "made_by": QT_TRANSLATE_NOOP("report", "Produced on {at} by {operator}."),
    "zone_change": QT_TRANSLATE_NOOP("report", "{first}, then {last}"),
    "at_a_glance": QT_TRANSLATE_NOOP("report", "The day at a glance"),
    "incidents": QT_TRANSLATE_NOOP("report", "Incidents"),
    "incidents_note": QT_TRANSLATE_NOOP(
        "report", "of which {urgent} P1 (urgent) and {high} P2 (high priority)"
    ),
    "calls": QT_TRANSLATE_NOOP("report", "Hotline calls"),
    "calls_note": QT_TRANSLATE_NOOP("report", "incidents reported by phone"),
    # The target kept is ``SlaKept.kept_share`` on page 1 and in the detail: one figure.
    "kept": QT_TRANSLATE_NOOP("report", "Targets kept"),
    "kept_note": QT_TRANSLATE_NOOP(
        "report", "{within} in time; {missed} late (resolved late or still open past target)"
    ),
    "kept_none": QT_TRANSLATE_NOOP("report", "no incident resolved or past its target yet"),
    "overdue": QT_TRANSLATE_NOOP("report", "Still open and past target"),
    "overdue_note": QT_TRANSLATE_NOOP("report", "when this report was made"),
    "acknowledge": QT_TRANSLATE_NOOP("report", "Time to acknowledge"),
    "resolve": QT_TRANSLATE_NOOP("report", "Time to resolve"),
    "median_note": QT_TRANSLATE_NOOP("report", "median; 9 in 10 within {p90}"),
    "commands": QT_TRANSLATE_NOOP("report", "Commands sent"),
    "commands_note": QT_TRANSLATE_NOOP("report", "{done} done, {not_done} not done"),
    "modes": QT_TRANSLATE_NOOP("report", "Mode switches"),
    "modes_note": QT_TRANSLATE_NOOP("report", "snow plan and traffic mode"),
    "lights": QT_TRANSLATE_NOOP("report", "Street lights in fault"),
    "lights_note": QT_TRANSLATE_NOOP("report", "at some time of the day"),
    "snow": QT_TRANSLATE_NOOP("report", "Snow operations"),
    "snow_note": QT_TRANSLATE_NOOP(
        "report", "{within} of {segments} main roads treated within target"
    ),
    "snow_none": QT_TRANSLATE_NOOP("report", "none"),
    "not_shown": QT_TRANSLATE_NOOP("report", "not shown to this role"),
    "none": QT_TRANSLATE_NOOP("report", "None."),
    "chart_categories": QT_TRANSLATE_NOOP("report", "Incidents by category"),
    "switched": QT_TRANSLATE_NOOP("report", "Modes switched during the day"),
    "switch_line": QT_TRANSLATE_NOOP("report", "{time} {kind}: {change}, by {operator}: {why}"),
    "more_switches": QT_TRANSLATE_NOOP("report", "and {count} more, in the detail."),
    "detail": QT_TRANSLATE_NOOP("report", "Detail"),
    "by_category": QT_TRANSLATE_NOOP("report", "Incidents by category"),
    "by_commune": QT_TRANSLATE_NOOP("report", "Incidents by commune"),
    "by_priority": QT_TRANSLATE_NOOP("report", "Incidents by priority and targets kept"),
    "times": QT_TRANSLATE_NOOP("report", "Time to acknowledge and to resolve"),
    "calls_detail": QT_TRANSLATE_NOOP("report", "Hotline calls by category"),
    "modes_detail": QT_TRANSLATE_NOOP("report", "Modes switched"),
    "modes_hidden": QT_TRANSLATE_NOOP(
        "report", "Who switched the city's modes is not shown to this role."
    ),
    "commands_detail": QT_TRANSLATE_NOOP("report", "Commands sent and their outcomes"),
    "equipment_detail": QT_TRANSLATE_NOOP("report", "Equipment availability"),
    "snow_detail": QT_TRANSLATE_NOOP("report", "Snow operations and salt"),
    "snow_no_episode": QT_TRANSLATE_NOOP("report", "No snow operation touched this day."),
    "views_detail": QT_TRANSLATE_NOOP("report", "Camera views by purpose"),
    "views_note": QT_TRANSLATE_NOOP(
        "report", "Counts only: who watched what is in the camera journal (vigie audit views)."
    ),
    "views_hidden": QT_TRANSLATE_NOOP("report", "Camera views are not shown to this role."),
    # column headings
    "col_category": QT_TRANSLATE_NOOP("report", "Category"),
    "col_commune": QT_TRANSLATE_NOOP("report", "Commune"),
    "col_priority": QT_TRANSLATE_NOOP("report", "Priority"),
    "col_count": QT_TRANSLATE_NOOP("report", "Incidents"),
    "col_calls": QT_TRANSLATE_NOOP("report", "Calls"),
    "col_share": QT_TRANSLATE_NOOP("report", "Share"),
    "col_target": QT_TRANSLATE_NOOP("report", "Target"),
    "col_resolved": QT_TRANSLATE_NOOP("report", "Resolved"),
    "col_within": QT_TRANSLATE_NOOP("report", "Within target"),
    "col_late": QT_TRANSLATE_NOOP("report", "Late"),
    "col_open_overdue": QT_TRANSLATE_NOOP("report", "Open, past target"),
    "col_kept": QT_TRANSLATE_NOOP("report", "Targets kept"),
    "kept_explained": QT_TRANSLATE_NOOP(
        "report",
        "Targets kept: the incidents resolved within target, out of those resolved within "
        "target, resolved late or still open past target (an incident still open within its "
        "target is not counted yet).",
    ),
    "col_ack_median": QT_TRANSLATE_NOOP("report", "Acknowledge, median"),
    "col_ack_p90": QT_TRANSLATE_NOOP("report", "Acknowledge, 90 %"),
    "col_resolve_median": QT_TRANSLATE_NOOP("report", "Resolve, median"),
    "col_resolve_p90": QT_TRANSLATE_NOOP("report", "Resolve, 90 %"),
    "col_time": QT_TRANSLATE_NOOP("report", "Time"),
    "col_mode": QT_TRANSLATE_NOOP("report", "Mode"),
    "col_change": QT_TRANSLATE_NOOP("report", "Change"),
    "col_by": QT_TRANSLATE_NOOP("report", "By"),
    "col_why": QT_TRANSLATE_NOOP("report", "Why"),
    "col_target_type": QT_TRANSLATE_NOOP("report", "Sent to"),
    "col_day": QT_TRANSLATE_NOOP("report", "Day"),
    "col_lights": QT_TRANSLATE_NOOP("report", "Lights in fault"),
    "col_purpose": QT_TRANSLATE_NOOP("report", "Purpose"),
    "col_views": QT_TRANSLATE_NOOP("report", "Views"),
    "col_figure": QT_TRANSLATE_NOOP("report", "Figure"),
    "col_value": QT_TRANSLATE_NOOP("report", "Value"),
    "total": QT_TRANSLATE_NOOP("report", "Total"),
    "no_commune": QT_TRANSLATE_NOOP("report", "(no commune)"),
    "all": QT_TRANSLATE_NOOP("report", "All"),
    "other": QT_TRANSLATE_NOOP("report", "{count} others"),
    "repair": QT_TRANSLATE_NOOP(
        "report",
        "Lights repaired during the day: {count}; time to repair: median {median}, "
        "9 in 10 within {p90}.",
    ),
    "repair_none": QT_TRANSLATE_NOOP("report", "No light was repaired during the day."),
    "snow_episodes": QT_TRANSLATE_NOOP("report", "Snow operations under way"),
    "snow_segments": QT_TRANSLATE_NOOP("report", "Main roads watched"),
    "snow_treated": QT_TRANSLATE_NOOP("report", "Roads treated (at least one pass)"),
    "snow_within": QT_TRANSLATE_NOOP("report", "Roads treated within target"),
    "snow_passes": QT_TRANSLATE_NOOP("report", "Passes of spreaders and ploughs"),
    "salt": QT_TRANSLATE_NOOP("report", "Salt used"),
    "brine": QT_TRANSLATE_NOOP("report", "Brine used"),
    "no_reading": QT_TRANSLATE_NOOP("report", "no stock reading"),
    "incident_purpose": QT_TRANSLATE_NOOP("report", "An incident"),
    "other_purpose": QT_TRANSLATE_NOOP("report", "Another purpose"),
    "days": QT_TRANSLATE_NOOP("report", "{days} d"),
    "days_hours": QT_TRANSLATE_NOOP("report", "{days} d {hours} h"),
    "page": QT_TRANSLATE_NOOP("report", "Page {page} of {pages}"),
}

#: A command's target type (``commands.target_type``: an equipment type, a group or a unit).
TARGET_TYPES = {
    "group": QT_TRANSLATE_NOOP("report", "groups of devices"),
    "unit": QT_TRANSLATE_NOOP("report", "units (dispatches)"),
}


def word(key: str) -> str:
    return translate(CONTEXT, WORDS[key])


def locale() -> QLocale:
    """The conventions of the language the words are in (English unless a catalogue loaded)."""
    language = translator().language()
    return (
        QLocale(language)
        if language
        else QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    )


def long_date(day: date) -> str:
    """``Saturday 5 December 2026``, ``samedi 5 décembre 2026``."""
    return locale().toString(QDate(day.year, day.month, day.day), "dddd d MMMM yyyy")


def short_date(day: date) -> str:
    return locale().toString(QDate(day.year, day.month, day.day), "ddd d MMM")


def number(value: float, decimals: int = 0) -> str:
    """Grouped as the language writes it (``12 345``, ``1,5``)."""
    if decimals == 0:
        return locale().toString(round(value))
    return locale().toString(float(value), "f", decimals)


def percent(part: int, whole: int) -> str:
    return share(part / whole if whole else None)


def share(fraction: float | None) -> str:
    """``83 %`` of a share from 0 to 1; ``–`` when there is none (nothing to divide)."""
    if fraction is None:
        return "–"
    hundredths = 100 * fraction
    if 0 < hundredths < 0.5:  # noqa: PLR2004 - one in three hundred is not none
        return "< 1 %"
    return f"{number(hundredths)} %"


def duration(seconds: float | None) -> str:
    """``45 s``, ``12 min``, ``1 h 05``, ``20 h``, ``3 d 4 h``: exact enough, and read fast."""
    if seconds is None:
        return "–"
    if seconds < 60:  # noqa: PLR2004
        return f"{round(seconds)} s"
    minutes = round(seconds / 60)
    if minutes < 60:  # noqa: PLR2004
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 10:  # noqa: PLR2004 - minutes still matter
        return f"{hours} h {rest:02d}"
    if hours < 48:  # noqa: PLR2004
        return f"{hours} h"
    days, hours = divmod(hours, 24)
    if hours == 0:
        return fill(word("days"), {"days": days})
    return fill(word("days_hours"), {"days": days, "hours": hours})


def capital(text: str) -> str:
    """A label at the start of a table's row: ``Road damage``."""
    return text[:1].upper() + text[1:]


def _coded(table: dict, context: str, code: str) -> str:
    text = table.get(code)
    return translate(context, text) if text else code


def category(code: str) -> str:
    return capital(_coded(CATEGORY, "labels", code))


def command_status(code: str) -> str:
    return capital(_coded(COMMAND_STATUS, "labels", code))


def target_type(code: str) -> str:
    if code in TARGET_TYPES:
        return capital(_coded(TARGET_TYPES, CONTEXT, code))
    return capital(_coded(EQUIPMENT_TYPE, "labels", code))


def mode_kind(code: str) -> str:
    return capital(_coded(MODE_KIND, "labels", code))


def mode_value(kind: str, value: str | None) -> str:
    if value is None:
        return "–"
    return _coded(SNOW_LEVEL if kind == "snow" else TRAFFIC_MODES, "labels", value)


def purpose(code: str) -> str:
    """A camera view's purpose key (``incident``, ``traffic``...) as the purpose dialog says it."""
    if code == "incident":
        return word("incident_purpose")
    if code == "other":
        return word("other_purpose")
    titles = {p.value: t for p, t in PURPOSE_TITLES.items()}
    return _coded(titles, "PurposeDialog", code)


def priority(value: int) -> str:
    return f"P{value}"
