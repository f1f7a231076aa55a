"""The figures at their edges: salt spread across a period's start, a fault longer than the
look-back, a commune's own group command, a first pass judged to 5 minutes (issue 22's review).
"""

from __future__ import annotations

from datetime import date, timedelta

from services.domain.figures import Period, day_period
from services.domain.snow import Network, Segment
from services.reports.figures import FAULT_LOOKBACK, figures
from services.store.database import Database
from services.store.models import (
    CommandRow,
    EquipmentChangeRow,
    EquipmentRow,
    ModePeriodRow,
    SaltReadingRow,
    SnowPassRow,
)
from tests.services.test_report_figures import PARIS, T0

DAY = day_period(date(2026, 11, 10), PARIS)
NEXT = day_period(date(2026, 11, 11), PARIS)
BOTH = Period(DAY.start, NEXT.end)


def _read(db: Database, period: Period, commune: str | None = None, network=None):
    with db.read() as session:
        return figures(
            session, period, commune, zone=PARIS, now=T0 + timedelta(days=20), network=network
        )


def test_salt_spread_between_two_days_readings_is_in_the_day_it_was_read(db: Database) -> None:
    with db.write() as session:
        for days, salt in [(-1, 50.0), (0, 40.0), (1, 30.0)]:  # one reading a day, 10 t a day
            session.add(
                SaltReadingRow(depot_id="depot:2", observed_at=T0 + timedelta(days=days),
                               salt_tonnes=salt, brine_m3=None, commune="21231")
            )  # fmt: skip
        session.add(
            ModePeriodRow(kind="snow", value="1", started_at=T0 - timedelta(days=2),
                          episode_start=T0 - timedelta(days=2))
        )  # fmt: skip
    day, next_day, both = (_read(db, p, network=[]) for p in (DAY, NEXT, BOTH))
    assert day.snow is not None and next_day.snow is not None and both.snow is not None
    assert (day.snow.salt_used_t, next_day.snow.salt_used_t) == (10.0, 10.0)
    assert both.snow.salt_used_t == 20.0  # the days add up to their period


def test_a_fault_longer_than_the_look_back_repaired_after_the_period_is_counted(
    db: Database,
) -> None:
    began = T0 - FAULT_LOOKBACK - timedelta(days=15)
    with db.write() as session:
        session.add(
            EquipmentRow(id="light:d", type="Streetlight", status="ok", commune="21231",
                         received_at=T0, updated_at=T0)
        )  # fmt: skip
        session.flush()
        session.add_all(
            [
                EquipmentChangeRow(equipment_id="light:d", at=began, field="status", old="ok",
                                   new="columnIssue"),
                EquipmentChangeRow(equipment_id="light:d", at=T0 + timedelta(days=5),
                                   field="status", old="columnIssue", new="ok"),
            ]
        )  # fmt: skip
    f = _read(db, DAY)
    assert f.lights_in_fault_by_day == {date(2026, 11, 10): 1}
    assert f.repair.count == 0  # repaired after the period: not the period's repair


def test_a_communes_own_group_command_counts_for_it_and_for_the_city(db: Database) -> None:
    with db.write() as session:
        for n, target in enumerate(["commune:21166", "commune:21231", "all:Streetlight"]):
            session.add(
                CommandRow(request_id=f"grp-{n}", target_type="group", target=target,
                           command="dim", params={}, status="done", issued_by="t.roux",
                           issued_at=T0, expires_at=T0 + timedelta(minutes=5))
            )  # fmt: skip
    assert _read(db, DAY).commands == {"done": 3}
    assert _read(db, DAY, "21166").commands == {"done": 1}  # not 21231's, not the city's


def test_a_first_pass_is_within_target_as_its_minutes_read_to_five(db: Database) -> None:
    episode = T0 - timedelta(hours=1)
    network = [
        Segment("s1", "A", Network.PRINCIPAL, ((47.3, 5.0), (47.31, 5.0)), timedelta(hours=2)),
        Segment("s2", "B", Network.PRINCIPAL, ((47.3, 5.1), (47.31, 5.1)), timedelta(hours=2)),
    ]
    with db.write() as session:
        session.add(
            ModePeriodRow(kind="snow", value="2", started_at=episode, episode_start=episode)
        )
        for segment, late in [("s1", timedelta(minutes=2)), ("s2", timedelta(minutes=3))]:
            first = episode + timedelta(hours=2) + late  # 122 min reads 120; 123 min reads 125
            session.add(
                SnowPassRow(episode_start=episode, segment_id=segment, network="principal",
                            target_s=7200, first_pass_at=first, last_pass_at=first, passes=1,
                            longest_gap_s=int((first - episode).total_seconds()))
            )  # fmt: skip
    f = _read(db, DAY, network=network)
    assert f.snow is not None and (f.snow.treated, f.snow.within_target) == (2, 1)
