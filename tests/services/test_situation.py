"""The map's snapshot: what each role may see, and nothing older than its retention."""

from __future__ import annotations

from datetime import timedelta

from services.domain.operators import Role
from services.domain.units import UnitKind
from services.permissions import load_matrix
from services.situation import read_situation
from services.store.models import EquipmentRow, GatewayRow, UnitPositionRow, UnitRow
from services.store.types import utcnow

KEPT = timedelta(days=60)

DEFAULT = load_matrix()  # the bundled permission matrix


def _field(db, now):
    with db.write() as s:
        for ident, kind, seen in (
            ("vehicle:pm-01", "patrol", now - timedelta(minutes=1)),
            ("vehicle:ve-01", "road_crew", now - timedelta(minutes=2)),
            ("vehicle:cs-01", "snow_plough", now - timedelta(days=61)),  # older than kept
        ):
            s.add(
                UnitRow(
                    id=ident,
                    kind=kind,
                    name=ident,
                    status="available",
                    lat=47.32,
                    lon=5.04,
                    observed_at=seen,
                    status_at=seen,
                )
            )
        for minutes, bearing in ((40, 10.0), (10, 20.0), (1, 30.0)):  # one point before the trail
            s.add(
                UnitPositionRow(
                    unit_id="vehicle:pm-01",
                    observed_at=now - timedelta(minutes=minutes),
                    lat=47.32 + minutes / 1000,
                    lon=5.04,
                    bearing=bearing,
                )
            )
        s.add(GatewayRow(id="gw:1", online=False, since=now, updated_at=now))
        for ident, kind, gateway, status in (
            ("light:1", "Streetlight", "gw:1", "ok"),
            ("light:2", "Streetlight", None, "defectiveLamp"),
            ("cam:1", "Camera", None, "ok"),
            ("weather:1", "WeatherObserved", None, None),  # not drawn on the map
        ):
            s.add(
                EquipmentRow(
                    id=ident,
                    type=kind,
                    status=status,
                    gateway=gateway,
                    lat=47.3,
                    lon=5.0,
                    attributes={},
                    received_at=now,
                    updated_at=now,
                )
            )


def test_a_dispatcher_sees_patrols_and_their_trails(db):
    now = utcnow()
    _field(db, now)
    seen = read_situation(
        db, now, kinds=DEFAULT.unit_kinds(Role("dispatcher")), positions_kept=KEPT
    )
    assert sorted(u.id for u in seen.units) == ["vehicle:pm-01", "vehicle:ve-01"]
    trail = seen.trails["vehicle:pm-01"]
    assert len(trail) == 2  # the last 15 minutes only
    patrol = next(u for u in seen.units if u.id == "vehicle:pm-01")
    assert patrol.bearing == 30.0  # from its newest point
    devices = {d[0]: d[2] for d in seen.devices}
    assert devices == {"light:1": "comm_lost", "light:2": "fault", "cam:1": "ok"}
    assert seen.online == {"gw:1": False}


def test_a_technician_never_gets_a_patrol(db):
    now = utcnow()
    _field(db, now)
    seen = read_situation(
        db, now, kinds=DEFAULT.unit_kinds(Role("technician")), positions_kept=KEPT
    )
    assert [u.id for u in seen.units] == ["vehicle:ve-01"]
    assert "vehicle:pm-01" not in seen.trails


def test_no_position_older_than_its_retention_is_shown(db):
    now = utcnow()
    _field(db, now)
    every_kind = frozenset(UnitKind)
    seen = read_situation(db, now, kinds=every_kind, positions_kept=KEPT)
    assert "vehicle:cs-01" not in {u.id for u in seen.units}  # its last place is 61 days old
    short = read_situation(db, now, kinds=every_kind, positions_kept=timedelta(minutes=5))
    assert len(short.trails["vehicle:pm-01"]) == 1  # a 5-minute retention cuts the trail too


def test_the_equipment_reading_keeps_what_the_console_reads_of_a_light(db):
    from services.situation import read_equipment

    now = utcnow()
    with db.write() as s:
        s.add(GatewayRow(id="gw:1", online=False, since=now, updated_at=now))
        s.add(
            EquipmentRow(
                id="light:1",
                type="Streetlight",
                status="ok",
                gateway="gw:1",
                lat=47.3,
                lon=5.0,
                attributes={
                    "powerState": "on",
                    "powerConsumption": 60.0,
                    "refStreetlightGroup": "streetlightgroup:a",
                    "lanternHeight": 8,
                    "areaServed": "rue de la Liberté",
                },
                received_at=now,
                updated_at=now,
            )
        )
        s.add(
            EquipmentRow(
                id="signal:1",
                type="TrafficSignal",
                status="ok",
                lat=47.3,
                lon=5.0,
                attributes={"plan": "P2", "lastPriorityRequest": "bus:12"},
                received_at=now - timedelta(minutes=10),
                updated_at=now - timedelta(minutes=10),
            )
        )
    reading = read_equipment(db, now, since=None)
    light, signal = reading.devices
    # the light's dozen keys cut to what telemetry and the command dialog read
    assert light.attributes == {
        "powerState": "on",
        "powerConsumption": 60.0,
        "refStreetlightGroup": "streetlightgroup:a",
    }
    assert light.state == "comm_lost"  # judged as the table always judged it
    assert signal.attributes == {"plan": "P2", "lastPriorityRequest": "bus:12"}  # whole
    assert signal.state == "stale"
    assert reading.online == {"gw:1": False}
    assert reading.newest == now
    later = read_equipment(db, now, since=now - timedelta(minutes=1))
    assert [d.id for d in later.devices] == ["light:1"]  # the signal did not change since
    assert later.newest == now
    assert read_equipment(db, now, since=now + timedelta(seconds=1)).devices == []


def test_the_equipment_judged_again_is_the_same_view_while_its_state_holds(db):
    from services.situation import judged_again, read_equipment

    now = utcnow()
    _field(db, now)
    light = next(d for d in read_equipment(db, now, since=None).devices if d.id == "light:1")
    assert light.state == "comm_lost"
    assert judged_again(light, now, {"gw:1": False}) is light
    back = judged_again(light, now, {"gw:1": True})
    assert back.state == "ok" and back.id == light.id
    assert judged_again(back, now + timedelta(hours=1), {"gw:1": True}).state == "stale"
