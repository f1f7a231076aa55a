"""The figures over a period (``services.reports.figures``) against SQL counted here, apart.

Days of the small city's simulated history (``vigie simulate --backfill``), on SQLite and on
PostgreSQL: the day the clocks go forward (23 h) and the day they go back (25 h), the whole city
and one commune, and a day with nothing. Then rows written by hand for the rules the history may
not show: duplicates, SLA verdicts, the bars' selections, modes, snow and salt, a long fault.
"""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import bindparam, text

from services.backfill import backfill
from services.domain.figures import Period, Selection, day_period
from services.domain.snow import Network, Segment
from services.reports.figures import UnknownDimension, daily, figures, incident_ids
from services.store import audit
from services.store.database import Database
from services.store.models import (
    CameraViewRow,
    CommandRow,
    EquipmentChangeRow,
    EquipmentRow,
    IncidentChangeRow,
    IncidentRow,
    ModePeriodRow,
    SaltReadingRow,
    SnowPassRow,
)
from services.store.types import UTCDateTime

PARIS = ZoneInfo("Europe/Paris")
#: The city's SLA targets, written out here rather than read from the code under test.
TARGET_S = {1: 15 * 60, 2: 3600, 3: 8 * 3600, 4: 72 * 3600}
PURPOSES = {"public_safety", "traffic", "public_buildings", "risks", "rescue", "events"}
#: (history's end, the room's day inside it, its hours)
DAYS = {
    "spring-forward": (datetime(2026, 3, 30, 12, tzinfo=UTC), date(2026, 3, 29), 23),
    "fall-back": (datetime(2026, 10, 26, 12, tzinfo=UTC), date(2026, 10, 25), 25),
}


def _fill(db: Database, end: datetime) -> None:
    backfill(db, days=3, scale="small", end=end, incidents_per_day=300)


def _rows(db: Database, sql: str, period: Period, **params: object) -> list:
    query = text(sql).bindparams(
        bindparam("s", type_=UTCDateTime), bindparam("e", type_=UTCDateTime)
    )
    with db.read() as session:
        return session.execute(query, {"s": period.start, "e": period.end, **params}).all()


_KEPT = "created_at >= :s AND created_at < :e AND duplicate_of IS NULL AND status <> 'duplicate'"


def _incident_counts(db: Database, period: Period, commune: str | None) -> dict:
    where = _KEPT + (" AND commune = :c" if commune else "")
    c = {"c": commune} if commune else {}

    def grouped(column: str, extra: str = "") -> dict:
        rows = _rows(
            db,
            f"SELECT {column}, count(*) FROM incidents WHERE {where}{extra} GROUP BY {column}",
            period,
            **c,
        )
        return dict(rows)

    return {
        "total": _rows(db, f"SELECT count(*) FROM incidents WHERE {where}", period, **c)[0][0],
        "category": grouped("category"),
        "commune": grouped("coalesce(commune, '')"),
        "priority": grouped("priority"),
        "calls": grouped("category", " AND source = 'call'"),
    }


def _timings(db: Database, period: Period, commune: str | None) -> list:
    """(priority, status, created, first acknowledging move, first resolution) per incident."""
    where = _KEPT.replace("created_at", "i.created_at").replace("duplicate_of", "i.duplicate_of")
    where = where.replace("status <>", "i.status <>") + (" AND i.commune = :c" if commune else "")
    sql = text(
        "SELECT i.priority, i.status, i.created_at,"
        " (SELECT min(c.at) FROM incident_changes c WHERE c.incident_id = i.id"
        "  AND c.field = 'status' AND c.new IN ('acknowledged', 'dispatched')) AS ack,"
        " (SELECT min(c.at) FROM incident_changes c WHERE c.incident_id = i.id"
        "  AND c.field = 'status' AND c.new = 'resolved') AS res"
        f" FROM incidents i WHERE {where}"
    ).columns(created_at=UTCDateTime, ack=UTCDateTime, res=UTCDateTime)
    sql = sql.bindparams(bindparam("s", type_=UTCDateTime), bindparam("e", type_=UTCDateTime))
    params = {"s": period.start, "e": period.end, **({"c": commune} if commune else {})}
    with db.read() as session:
        return session.execute(sql, params).all()


def _light_spans(
    db: Database, commune: str | None
) -> list[tuple[str, datetime | None, datetime | None]]:
    """Every fault of a light in the whole history: (light, began or None, ended or None)."""
    sql = text(
        "SELECT c.equipment_id, c.at, c.old, c.new FROM equipment_changes c"
        " JOIN equipment e ON e.id = c.equipment_id"
        " WHERE e.type = 'Streetlight' AND c.field = 'status'"
        + (" AND e.commune = :c" if commune else "")
        + " ORDER BY c.equipment_id, c.at"
    ).columns(at=UTCDateTime)
    with db.read() as session:
        rows = session.execute(sql, {"c": commune} if commune else {}).all()
    spans, open_since, first = [], {}, set()
    for light, at, old, new in rows:
        if light not in first:
            first.add(light)
            if old not in (None, "ok"):
                open_since[light] = None
        if new not in (None, "ok") and light not in open_since:
            open_since[light] = at
        elif new in (None, "ok") and light in open_since:
            spans.append((light, open_since.pop(light), at))
    spans += [(light, since, None) for light, since in open_since.items()]
    return spans


def _quantiles(values: list[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    if len(values) == 1:
        return values[0], values[0]
    return statistics.median(values), statistics.quantiles(values, n=10, method="inclusive")[8]


def _check_against_sql(db: Database, day: date, commune: str | None, now: datetime) -> None:
    period = day_period(day, PARIS)
    with db.read() as session:
        f = figures(session, period, commune, zone=PARIS, now=now)
    counts = _incident_counts(db, period, commune)
    assert f.incidents == counts["total"] > 0
    assert f.by_category == counts["category"]
    assert f.by_commune == counts["commune"]
    assert f.by_priority == {p: counts["priority"].get(p, 0) for p in (1, 2, 3, 4)}
    assert f.calls == sum(counts["calls"].values()) > 0
    assert f.calls_by_category == counts["calls"]

    timings = _timings(db, period, commune)
    for p in (1, 2, 3, 4):
        mine = [t for t in timings if t.priority == p]
        resolved = [t for t in mine if t.res is not None]
        late = [t for t in resolved if (t.res - t.created_at).total_seconds() > TARGET_S[p]]
        overdue = [
            t
            for t in mine
            if t.res is None
            and t.status in ("new", "acknowledged", "dispatched", "on_scene")
            and (now - t.created_at).total_seconds() > TARGET_S[p]
        ]
        kept = f.sla[p]
        assert (kept.resolved, kept.late, kept.within, kept.open_overdue) == (
            len(resolved),
            len(late),
            len(resolved) - len(late),
            len(overdue),
        )
        acks = [(t.ack - t.created_at).total_seconds() for t in mine if t.ack is not None]
        assert f.acknowledge_by_priority[p].count == len(acks)
        assert (f.acknowledge_by_priority[p].median_s, f.acknowledge_by_priority[p].p90_s) == (
            pytest.approx(_quantiles(acks)[0]),
            pytest.approx(_quantiles(acks)[1]),
        )
    all_res = [(t.res - t.created_at).total_seconds() for t in timings if t.res is not None]
    assert f.resolve.count == len(all_res) > 0
    assert f.resolve.median_s == pytest.approx(_quantiles(all_res)[0])
    assert f.resolve.p90_s == pytest.approx(_quantiles(all_res)[1])

    if commune is None:
        statuses = _rows(
            db,
            "SELECT status, count(*) FROM commands WHERE issued_at >= :s AND issued_at < :e"
            " GROUP BY status",
            period,
        )
        assert f.commands == dict(statuses)
        assert sum(f.commands.values()) > 0
        typed = _rows(
            db,
            "SELECT target_type, status, count(*) FROM commands"
            " WHERE issued_at >= :s AND issued_at < :e GROUP BY target_type, status",
            period,
        )
        assert {(t, s, n) for t, by in f.commands_by_type.items() for s, n in by.items()} == set(
            typed
        )
        views = _rows(
            db,
            "SELECT purpose, incident_id FROM camera_views"
            " WHERE opened_at >= :s AND opened_at < :e",
            period,
        )
        expected = Counter(
            "incident"
            if incident is not None
            else (purpose.split(":")[0] if purpose.split(":")[0] in PURPOSES else "other")
            for purpose, incident in views
        )
        assert f.camera_views == dict(expected)
        switches = _rows(
            db,
            "SELECT target FROM audit_log WHERE action IN ('mode.switch', 'mode.rollback')"
            " AND ts >= :s AND ts < :e ORDER BY ts",
            period,
        )
        assert f.modes is not None
        assert [f"{m.kind}:{m.value}" for m in f.modes] == [t for (t,) in switches]

    spans = _light_spans(db, commune)
    assert list(f.lights_in_fault_by_day) == [day]
    assert f.lights_in_fault_by_day[day] == len(
        {
            light
            for light, began, ended in spans
            if (began is None or began < period.end) and (ended is None or ended > period.start)
        }
    )
    repairs = [
        (ended - began).total_seconds()
        for _light, began, ended in spans
        if began is not None and ended is not None and period.start <= ended < period.end
    ]
    assert f.repair.count == len(repairs)
    assert f.repair.median_s == pytest.approx(_quantiles(repairs)[0])


@pytest.mark.parametrize("which", DAYS)
def test_a_days_figures_are_the_sql_counts(db: Database, which: str) -> None:
    end, day, hours = DAYS[which]
    _fill(db, end)
    period = day_period(day, PARIS)
    assert period.seconds == hours * 3600
    _check_against_sql(db, day, None, now=end)


def test_one_communes_figures_are_its_sql_counts(db: Database) -> None:
    end, day, _hours = DAYS["spring-forward"]
    _fill(db, end)
    period = day_period(day, PARIS)
    ranked = _rows(
        db,
        f"SELECT commune, count(*) FROM incidents WHERE {_KEPT} AND commune IS NOT NULL"
        " GROUP BY commune ORDER BY count(*) DESC, commune",
        period,
    )
    second = ranked[1][0]  # not the city centre: a commune among others
    _check_against_sql(db, day, second, now=end)
    with db.read() as session:
        whole = figures(session, period, zone=PARIS, now=end)
        one = figures(session, period, second, zone=PARIS, now=end)
    assert 0 < one.incidents < whole.incidents
    assert set(one.by_commune) == {second}
    assert one.modes == whole.modes  # the city's switches, whatever the commune


def test_a_day_with_nothing_has_zero_figures(db: Database) -> None:
    _fill(db, DAYS["spring-forward"][0])
    f = daily(db, date(2026, 3, 20), PARIS, modes=True, camera_views=True)
    assert f.incidents == f.calls == 0
    assert f.by_category == f.by_commune == f.calls_by_category == {}
    assert f.by_priority == {1: 0, 2: 0, 3: 0, 4: 0}
    assert all(s.resolved == s.within == s.late == s.open_overdue == 0 for s in f.sla.values())
    assert (f.acknowledge.count, f.acknowledge.median_s, f.resolve.p90_s) == (0, None, None)
    assert f.commands == f.commands_by_type == {}
    assert f.lights_in_fault_by_day == {date(2026, 3, 20): 0}
    assert f.repair.count == 0
    assert f.modes == [] and f.camera_views == {}
    assert f.snow is None


# --- rules, on rows written by hand -------------------------------------------------------------

T0 = datetime(2026, 11, 10, 8, tzinfo=UTC)  # 09:00 in the room, a Tuesday
DAY = day_period(date(2026, 11, 10), PARIS)


def _incident(session, id_: int, *, priority: int = 2, status: str = "new", minutes: float = 0,
              source: str = "manual", category: str = "noise", commune: str | None = "21231",
              duplicate_of: int | None = None) -> datetime:  # fmt: skip
    created = T0 + timedelta(minutes=minutes)
    session.add(
        IncidentRow(
            id=id_,
            source=source,
            category=category,
            priority=priority,
            status=status,
            commune=commune,
            created_at=created,
            updated_at=created,
            updated_by="c.bernard",
            duplicate_of=duplicate_of,
        )
    )
    session.flush()
    return created


def _move(session, id_: int, at: datetime, old: str, new: str) -> None:
    session.add(
        IncidentChangeRow(incident_id=id_, at=at, by="c.bernard", field="status", old=old, new=new)
    )


def _hand_made(db: Database) -> None:
    with db.write() as session:
        t = _incident(session, 1, priority=1)  # acknowledged after 2 min, resolved in 10: kept
        _move(session, 1, t + timedelta(minutes=2), "new", "acknowledged")
        _move(session, 1, t + timedelta(minutes=10), "acknowledged", "resolved")
        t = _incident(session, 2, priority=1, minutes=5, commune="21166", source="call")
        _move(session, 2, t + timedelta(minutes=1), "new", "dispatched")  # dispatch acknowledges
        _move(session, 2, t + timedelta(minutes=40), "dispatched", "resolved")  # late
        _move(session, 2, t + timedelta(minutes=50), "resolved", "acknowledged")  # reopened
        _move(session, 2, t + timedelta(minutes=55), "acknowledged", "resolved")
        _incident(session, 3, priority=2, status="acknowledged", minutes=10, source="call")
        _incident(session, 4, priority=2, minutes=11, commune=None)  # open, not yet overdue
        _incident(session, 5, priority=3, status="cancelled", minutes=12)  # received, not judged
        _incident(session, 6, priority=3, status="duplicate", minutes=13, duplicate_of=3)
        _incident(session, 7, priority=4, minutes=-570)  # 23:30 the day before, in the room
        _incident(session, 8, priority=4, minutes=24 * 60)  # the next day
        long_ago = T0 - timedelta(days=60)
        session.add_all(
            [
                EquipmentRow(id="light:a", type="Streetlight", status="ok", commune="21231",
                             received_at=T0, updated_at=T0),
                EquipmentRow(id="light:b", type="Streetlight", status="ok", commune="21166",
                             received_at=T0, updated_at=T0),
                EquipmentRow(id="light:c", type="Streetlight", status="columnIssue",
                             commune="21231", fault_since=long_ago, received_at=T0,
                             updated_at=T0),
                EquipmentRow(id="cam:1", type="Camera", status="ok", commune="21166",
                             received_at=T0, updated_at=T0),
            ]
        )  # fmt: skip
        session.flush()
        session.add_all(
            [  # a: in fault from 10 days before until 10:00 (repaired in the day, 10 d 1 h long)
                EquipmentChangeRow(equipment_id="light:a", at=T0 - timedelta(days=10),
                                   field="status", old="ok", new="defectiveLamp"),
                EquipmentChangeRow(equipment_id="light:a", at=T0 + timedelta(hours=1),
                                   field="status", old="defectiveLamp", new="ok"),
                # b: in fault from 16:00, not repaired
                EquipmentChangeRow(equipment_id="light:b", at=T0 + timedelta(hours=7),
                                   field="status", old="ok", new="brokenLantern"),
                EquipmentChangeRow(equipment_id="light:b", at=T0 + timedelta(hours=8),
                                   field="powerState", old="on", new="off"),
            ]
        )  # fmt: skip
        for n, (status, target) in enumerate(
            [("done", "light:a"), ("done", "light:b"), ("failed", "light:b"), ("done", "unit:1")]
        ):
            session.add(
                CommandRow(
                    request_id=f"req-{n}",
                    target_type="unit" if target.startswith("unit") else "Streetlight",
                    target=target,
                    command="on",
                    params={},
                    status=status,
                    issued_by="t.roux",
                    issued_at=T0 + timedelta(minutes=n),
                    expires_at=T0 + timedelta(minutes=n + 5),
                )
            )
        for n, (purpose, incident) in enumerate(
            [("incident 1", 1), ("traffic: bouchon", None), ("traffic: feu", None),
             ("whatever: x", None)]
        ):  # fmt: skip
            session.add(
                CameraViewRow(
                    camera="cam:1",
                    viewer="v.lambert",
                    purpose=purpose,
                    incident_id=incident,
                    workstation="ws-1",
                    opened_at=T0 + timedelta(minutes=n),
                    expires_at=T0 + timedelta(minutes=n + 15),
                )
            )
        episode = T0 - timedelta(hours=2)
        session.add_all(
            [
                ModePeriodRow(kind="snow", value="1", started_at=episode,
                              ended_at=T0 + timedelta(hours=3), episode_start=episode),
                ModePeriodRow(kind="snow", value="0", started_at=T0 + timedelta(hours=3)),
                SnowPassRow(episode_start=episode, segment_id="s1", network="principal",
                            target_s=7200, first_pass_at=episode + timedelta(minutes=90),
                            last_pass_at=T0 + timedelta(hours=2), passes=3, longest_gap_s=9000),
                SnowPassRow(episode_start=episode, segment_id="s2", network="secondary",
                            target_s=21600, first_pass_at=episode + timedelta(hours=7),
                            last_pass_at=T0 + timedelta(hours=5), passes=1, longest_gap_s=25200),
            ]
        )  # fmt: skip
        for minutes, salt, brine in [(0, 100.0, 50.0), (60, 90.0, 45.0), (120, 130.0, 45.0),
                                     (180, 127.5, None), (24 * 60 + 60, 10.0, 1.0)]:  # fmt: skip
            session.add(
                SaltReadingRow(depot_id="depot:1", observed_at=T0 + timedelta(minutes=minutes),
                               salt_tonnes=salt, brine_m3=brine, commune="21231")
            )  # fmt: skip
        audit.append(session, "c.morel", "mode.switch", "snow:1",
                     {"from": "0", "reason": "verglas annoncé", "motive": "météo"},
                     at=T0 + timedelta(minutes=3))  # fmt: skip
        audit.append(session, "c.morel", "mode.result", "snow:1", {"state": "applied"},
                     at=T0 + timedelta(minutes=4))  # fmt: skip


NETWORK = [
    Segment("s1", "A", Network.PRINCIPAL, ((47.3, 5.0), (47.31, 5.0)), timedelta(hours=2)),
    Segment("s2", "B", Network.SECONDARY, ((47.3, 5.1), (47.31, 5.1)), timedelta(hours=6)),
    Segment("s3", "C", Network.SECONDARY, ((47.3, 5.2), (47.31, 5.2)), timedelta(hours=6)),
]


def test_the_rules_on_rows_written_by_hand(db: Database) -> None:
    _hand_made(db)
    now = T0 + timedelta(hours=3)
    with db.read() as session:
        f = figures(session, DAY, zone=PARIS, now=now, network=NETWORK)
    # 1..5 of the day; 6 a duplicate, 7 and 8 another day of the room
    assert f.incidents == 5
    assert f.by_priority == {1: 2, 2: 2, 3: 1, 4: 0}
    assert f.by_commune == {"21231": 3, "": 1, "21166": 1}
    assert f.calls == 2 and f.calls_by_category == {"noise": 2}
    assert f.sla[1].resolved == 2 and (f.sla[1].within, f.sla[1].late) == (1, 1)
    # 3 is 2 h 50 open at P2 (1 h): overdue; 4 too; 5 cancelled is neither
    assert (f.sla[2].resolved, f.sla[2].open_overdue) == (0, 2)
    assert f.sla[3] == type(f.sla[3])(3, 0, 0, 0, 0)
    assert f.acknowledge.count == 2 and f.acknowledge.median_s == 90.0
    assert f.resolve_by_priority[1].count == 2  # the first resolution, not the one after reopening
    assert f.resolve_by_priority[1].median_s == (600 + 2400) / 2
    assert f.commands == {"done": 3, "failed": 1}
    assert f.commands_by_type == {"Streetlight": {"done": 2, "failed": 1}, "unit": {"done": 1}}
    assert f.lights_in_fault_by_day == {date(2026, 11, 10): 3}  # a, b and c (60 days long)
    assert (
        f.repair.count == 1 and f.repair.median_s == (timedelta(days=10, hours=1)).total_seconds()
    )
    assert f.camera_views == {"traffic": 2, "incident": 1, "other": 1}
    assert f.modes is not None and len(f.modes) == 1
    switch = f.modes[0]
    assert (switch.kind, switch.value, switch.previous, switch.operator) == (
        "snow",
        "1",
        "0",
        "c.morel",
    )
    assert (switch.reason, switch.motive) == ("verglas annoncé", "météo")
    assert f.snow is not None
    assert (f.snow.episodes, f.snow.segments, f.snow.treated) == (1, 3, 2)
    assert f.snow.within_target == 1  # s1 first treated 90 min in (2 h target); s2 after 7 h
    assert f.snow.passes == 4
    assert f.snow.salt_used_t == 12.5  # 10 + 2.5; the rise to 130 was a delivery
    assert f.snow.brine_used_m3 == 5.0


def test_a_commune_keeps_its_own_lights_commands_and_views(db: Database) -> None:
    _hand_made(db)
    now = T0 + timedelta(hours=3)
    with db.read() as session:
        f = figures(session, DAY, "21166", zone=PARIS, now=now, network=NETWORK)
    assert f.incidents == 1 and f.by_commune == {"21166": 1}
    assert f.lights_in_fault_by_day == {date(2026, 11, 10): 1}  # b only
    assert f.commands == {"done": 1, "failed": 1}  # light b's; the unit's has no commune
    assert f.camera_views == {"traffic": 2, "incident": 1, "other": 1}  # cam:1 is in 21166
    assert f.snow is not None and f.snow.episodes == 1  # the city's winter service


def test_sections_the_reader_may_not_read_are_none(db: Database) -> None:
    _hand_made(db)
    with db.read() as session:
        f = figures(session, DAY, modes=False, camera_views=False, zone=PARIS, network=NETWORK)
    assert f.modes is None and f.camera_views is None
    assert f.incidents == 5


@pytest.mark.parametrize(
    ("selection", "ids"),
    [
        (Selection("priority", "1"), [1, 2]),
        (Selection("category", "noise"), [1, 2, 3, 4, 5]),
        (Selection("commune", "21166"), [2]),
        (Selection("commune", ""), [4]),
        (Selection("sla_late", "1"), [2]),
        (Selection("sla_late", "2"), [3, 4]),
        (Selection("calls", ""), [2, 3]),
        (Selection("calls", "fire"), []),
    ],
)
def test_a_bars_incidents(db: Database, selection: Selection, ids: list[int]) -> None:
    _hand_made(db)
    with db.read() as session:
        assert incident_ids(session, DAY, None, selection, now=T0 + timedelta(hours=3)) == ids


def test_a_selection_within_a_commune(db: Database) -> None:
    _hand_made(db)
    with db.read() as session:
        assert incident_ids(session, DAY, "21231", Selection("priority", "1")) == [1]
        with pytest.raises(UnknownDimension):
            incident_ids(session, DAY, None, Selection("colour", "red"))


def test_the_bench_reads_the_figures_it_times() -> None:
    """``vigie bench report`` on a small history: what it timed is the figures of its rows."""
    from services.bench import report as report_bench

    printed = []
    r = report_bench.run(
        None,
        PARIS,
        days=2,
        incidents_per_day=200,
        printer=lambda f, day: printed.append((f.incidents, day)) or 3,
    )
    assert r.backend == "sqlite"
    assert r.month.end - r.month.start == timedelta(days=2)
    assert 0 < r.day_figures.incidents <= r.day_figures.counted  # duplicates are left out
    assert r.day_figures.incidents < r.month_figures.incidents <= r.month_figures.counted
    assert printed == [(r.day_figures.incidents, r.day)] and r.pdf_pages == 3
    assert r.day_report_s == r.day_figures.first_s + r.pdf_s
    assert r.day_figures.baseline_s > 0 and r.month_figures.median_s > 0


def test_migration_0019_adds_the_narrowed_indexes_and_goes_back(bare_db: Database) -> None:
    from sqlalchemy import inspect

    from services.store.schema import HEAD, current_revision, upgrade
    from tests.migrations import downgrade

    def indexes(table: str) -> set[str]:
        return {i["name"] for i in inspect(bare_db.engine).get_indexes(table)}

    assert "ix_equipment_changes_field_at" in indexes("equipment_changes")
    assert "ix_incidents_commune_created_at" in indexes("incidents")
    assert "ix_incidents_commune" not in indexes("incidents")
    downgrade(bare_db, "0018")
    assert "ix_equipment_changes_field_at" not in indexes("equipment_changes")
    assert "ix_incidents_commune_created_at" not in indexes("incidents")
    assert "ix_incidents_commune" in indexes("incidents")
    upgrade(bare_db)
    assert current_revision(bare_db) == HEAD
