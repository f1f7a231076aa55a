"""The daily report's detail, from page 2: every figure of the day, table by table.

Incidents by category, commune (by name) and priority; targets kept per priority; times to
acknowledge and to resolve (median and 90th percentile); hotline calls; the modes switched (who,
when in room time, why); commands and their outcomes; lights in fault and repairs; snow operations
and salt; camera views by purpose (counts only).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from console.reports.markup import change, e, heading, none, table
from console.text import report as words
from console.text.i18n import fill
from services.domain.figures import PRIORITIES, Figures, Period, SlaKept, Spread
from services.domain.incidents import DEFAULT_SLA, Priority
from services.domain.room_time import in_room
from widgets.labels import COMMAND_STATUS


def detail(f: Figures, names: Mapping[str, str]) -> str:
    """The detail's sections, the first on a page of its own."""
    sections = [
        f'<h2 style="page-break-before: always">{e(words.word("detail"))}</h2>',
        _by_category(f),
        _by_commune(f, names),
        _by_priority(f),
        _times(f),
        _calls(f),
        _modes(f),
        _commands(f),
        _equipment(f),
        _snow(f),
        _views(f),
    ]
    return "".join(sections)


def time_of_day(at: datetime, period: Period) -> str:
    """``20:11`` on the room's clock; ``02:30 CEST``/``02:30 CET`` on a day the clocks change.

    The night the clocks go back, 02:00 to 03:00 happens twice: the zone's abbreviation says
    which (and on the day they go forward, that the times after 02:00 are summer time).
    """
    local = in_room(at)
    first = in_room(period.start).utcoffset()
    last = in_room(period.end - timedelta(microseconds=1)).utcoffset()
    return f"{local:%H:%M}" if first == last else f"{local:%H:%M} {local.tzname()}"


def _by_category(f: Figures) -> str:
    if not f.by_category:
        return heading("by_category") + none()
    ranked = sorted(f.by_category.items(), key=lambda kv: (-kv[1], kv[0]))
    n = words.number
    rows = [
        (
            words.category(code),
            n(count),
            words.percent(count, f.incidents),
            n(f.calls_by_category.get(code, 0)),
        )
        for code, count in ranked
    ]
    heads = [words.word(k) for k in ("col_category", "col_count", "col_share", "col_calls")]
    total = (
        words.word("total"),
        n(f.incidents),
        words.percent(f.incidents, f.incidents),
        n(f.calls),
    )
    return heading("by_category") + table(heads, rows, total=total, widths=(52, 16, 16, 16))


def _by_commune(f: Figures, names: Mapping[str, str]) -> str:
    if not f.by_commune:
        return heading("by_commune") + none()

    def name(code: str) -> str:
        return names.get(code, code) if code else words.word("no_commune")

    ranked = sorted(f.by_commune.items(), key=lambda kv: (-kv[1], name(kv[0])))
    n = words.number
    rows = [(name(code), n(count), words.percent(count, f.incidents)) for code, count in ranked]
    heads = [words.word(k) for k in ("col_commune", "col_count", "col_share")]
    total = (words.word("total"), n(f.incidents), words.percent(f.incidents, f.incidents))
    return heading("by_commune") + table(heads, rows, total=total, widths=(60, 20, 20))


def overall(f: Figures) -> SlaKept:
    """Every priority's targets together (``priority`` 0: all of them)."""
    kept = f.sla.values()
    return SlaKept(
        0,
        sum(s.resolved for s in kept),
        sum(s.within for s in kept),
        sum(s.late for s in kept),
        sum(s.open_overdue for s in kept),
    )


def _by_priority(f: Figures) -> str:
    n = words.number
    rows = []
    for p in PRIORITIES:
        kept = f.sla.get(p) or SlaKept(p, 0, 0, 0, 0)
        rows.append(
            (
                words.priority(p),
                words.duration(DEFAULT_SLA.target(Priority(p)).total_seconds()),
                n(f.by_priority.get(p, 0)),
                n(kept.resolved),
                n(kept.within),
                n(kept.late),
                n(kept.open_overdue),
                words.share(kept.kept_share),
            )
        )
    heads = [
        words.word(k)
        for k in (
            "col_priority",
            "col_target",
            "col_count",
            "col_resolved",
            "col_within",
            "col_late",
            "col_open_overdue",
            "col_kept",
        )
    ]
    every = overall(f)
    total = (
        words.word("total"),
        "",
        n(f.incidents),
        n(every.resolved),
        n(every.within),
        n(every.late),
        n(every.open_overdue),
        words.share(every.kept_share),
    )
    widths = (11, 11, 12, 12, 13, 11, 18, 12)
    explained = f'<p class="note">{e(words.word("kept_explained"))}</p>'
    return heading("by_priority") + table(heads, rows, total=total, widths=widths) + explained


def _times(f: Figures) -> str:
    d = words.duration

    def row(label: str, ack: Spread | None, res: Spread | None) -> tuple[str, ...]:
        ack = ack or Spread(0, None, None)
        res = res or Spread(0, None, None)
        return (label, d(ack.median_s), d(ack.p90_s), d(res.median_s), d(res.p90_s))

    rows = [
        row(
            words.priority(p),
            f.acknowledge_by_priority.get(p),
            f.resolve_by_priority.get(p),
        )
        for p in PRIORITIES
    ]
    heads = [
        words.word(k)
        for k in (
            "col_priority",
            "col_ack_median",
            "col_ack_p90",
            "col_resolve_median",
            "col_resolve_p90",
        )
    ]
    total = row(words.word("all"), f.acknowledge, f.resolve)
    return heading("times") + table(heads, rows, total=total, widths=(16, 21, 21, 21, 21))


def _calls(f: Figures) -> str:
    if not f.calls_by_category:
        return heading("calls_detail") + none()
    ranked = sorted(f.calls_by_category.items(), key=lambda kv: (-kv[1], kv[0]))
    rows = [(words.category(code), words.number(count)) for code, count in ranked]
    heads = [words.word("col_category"), words.word("col_calls")]
    total = (words.word("total"), words.number(f.calls))
    return heading("calls_detail") + table(heads, rows, total=total, widths=(70, 30))


def _modes(f: Figures) -> str:
    if f.modes is None:
        return heading("modes_detail") + f"<p>{e(words.word('modes_hidden'))}</p>"
    if not f.modes:
        return heading("modes_detail") + none()
    rows = [
        (
            time_of_day(m.at, f.period),
            words.mode_kind(m.kind),
            change(m),
            m.operator,
            " — ".join(t for t in (m.reason, m.motive) if t),
        )
        for m in sorted(f.modes, key=lambda m: m.at)
    ]
    heads = [words.word(k) for k in ("col_time", "col_mode", "col_change", "col_by", "col_why")]
    return heading("modes_detail") + table(
        heads, rows, numeric_from=len(heads), widths=(8, 16, 24, 14, 38)
    )


def _commands(f: Figures) -> str:
    if not f.commands:
        return heading("commands_detail") + none()
    known = list(COMMAND_STATUS)
    statuses = sorted(f.commands, key=lambda s: (known.index(s) if s in known else len(known), s))
    n = words.number
    rows = [
        (
            words.target_type(kind),
            *(n(by_status.get(s, 0)) for s in statuses),
            n(sum(by_status.values())),
        )
        for kind, by_status in sorted(f.commands_by_type.items())
    ]
    heads = [
        words.word("col_target_type"),
        *(words.command_status(s) for s in statuses),
        words.word("total"),
    ]
    total = (
        words.word("total"),
        *(n(f.commands[s]) for s in statuses),
        n(sum(f.commands.values())),
    )
    return heading("commands_detail") + table(heads, rows, total=total)


def _equipment(f: Figures) -> str:
    rows = [
        (words.short_date(day), words.number(count))
        for day, count in sorted(f.lights_in_fault_by_day.items())
    ]
    heads = [words.word("col_day"), words.word("col_lights")]
    days = table(heads, rows, widths=(70, 30)) if rows else none()
    if f.repair.count:
        repair = fill(
            words.word("repair"),
            {
                "count": words.number(f.repair.count),
                "median": words.duration(f.repair.median_s),
                "p90": words.duration(f.repair.p90_s),
            },
        )
    else:
        repair = words.word("repair_none")
    return heading("equipment_detail") + days + f"<p>{e(repair)}</p>"


def _snow(f: Figures) -> str:
    s = f.snow
    if s is None or s.episodes == 0:
        return heading("snow_detail") + f"<p>{e(words.word('snow_no_episode'))}</p>"
    n = words.number

    def amount(value: float | None, unit: str) -> str:
        return f"{n(value, 1)} {unit}" if value is not None else words.word("no_reading")

    rows = [
        (words.word("snow_episodes"), n(s.episodes)),
        (words.word("snow_segments"), n(s.segments)),
        (words.word("snow_treated"), f"{n(s.treated)} ({words.percent(s.treated, s.segments)})"),
        (
            words.word("snow_within"),
            f"{n(s.within_target)} ({words.percent(s.within_target, s.segments)})",
        ),
        (words.word("snow_passes"), n(s.passes)),
        (words.word("salt"), amount(s.salt_used_t, "t")),
        (words.word("brine"), amount(s.brine_used_m3, "m³")),
    ]
    heads = [words.word("col_figure"), words.word("col_value")]
    return heading("snow_detail") + table(heads, rows, widths=(70, 30))


def _views(f: Figures) -> str:
    if f.camera_views is None:
        return heading("views_detail") + f"<p>{e(words.word('views_hidden'))}</p>"
    note = f'<p class="note">{e(words.word("views_note"))}</p>'
    if not f.camera_views:
        return heading("views_detail") + none() + note
    ranked = sorted(f.camera_views.items(), key=lambda kv: (-kv[1], kv[0]))
    rows = [(words.purpose(code), words.number(count)) for code, count in ranked]
    heads = [words.word("col_purpose"), words.word("col_views")]
    total = (words.word("total"), words.number(sum(f.camera_views.values())))
    return heading("views_detail") + table(heads, rows, total=total, widths=(70, 30)) + note
