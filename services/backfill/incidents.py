"""The room's month of incidents: what came in, who took it, who went, how it ended.

About ``incidents_per_day`` incidents a day (1,000 for Dijon), in the simulator's own mix: the
equipment's faults and the road stations' freeze risks as they happen (``faults``, the weather),
and for the rest, in the simulator's proportions (850 : 120 : 12), citizens (the hotline's calls,
typed by the dispatcher who took them, and the app's Open311 reports, whose categories and texts
are the simulator's ``citizens.SERVICES``), crews' field alerts and buildings' alarms
(``FIELD_ALERTS``, ``BUILDING_ALARMS``), by commune in proportion to its population, by the hour
of the day (the hotline by day, the street into the evening), fewer on Sundays, more on a snowy
day (snow and ice reports, which a dry day hardly has; accidents).

Each one follows the lifecycle a room gives it, by its priority and category: acknowledged by the
dispatcher on shift after a wait that grows with its priority number and at night; dispatched to
a patrol or a road crew when it needs one (the nearest free unit on duty, which drives there,
stays on scene, and is available again; the recorder then resolves it, as ``follow_unit`` does;
a crew now and then refuses, and the incident goes back to be dispatched), or resolved by phone
or forwarded to the service in charge (a note says so); some turn out to be duplicates of one
already open, some are cancelled; most resolved ones are closed within the day. Faults are
acknowledged by a technician and resolved by the recorder when the device is back. Each act is
its incident's history row and its audit entry, as ``services/store/incidents.py`` writes them;
what is still under way at the month's end stays so.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.backfill.auditing import AuditBook
from services.backfill.city import CityPlan, Day
from services.backfill.commands import Commands
from services.backfill.faults import FaultBook
from services.backfill.period import (
    DAY_S,
    HOUR_S,
    MINUTE_S,
    Period,
    at,
    dispatcher,
    local,
    local_ts,
    lognormal,
    stream,
    technician,
)
from services.backfill.sink import Sink
from services.backfill.units import Track
from services.commands.outbox import iso
from services.domain.equipment import GATEWAY_PREFIX, EquipmentType
from services.domain.incidents import (
    Priority,
    alert_category,
    alert_cause,
    alert_priority,
    derive_priority,
)
from services.domain.operators import RECORDER
from services.domain.units import UnitKind, UnitStatus
from services.recorder.incident_rules import FAULT_CATEGORY, FREEZE_PREFIX
from services.reference import report_category
from services.simulator.citizens import (
    BUILDING_ALARMS,
    FIELD_ALERTS,
    FIRST_NAMES,
    LAST_NAMES,
    SERVICES,
)
from services.simulator.generation import STREETS
from services.simulator.geo import random_in_disc
from services.simulator.happenings import poisson
from services.simulator.world import World

#: The simulator's daily mix besides faults: citizens, crews' alerts, buildings' alarms.
MIX = {"citizen": 850.0, "alert": 120.0, "alarm": 12.0}
#: Of the citizens, those who phone the hotline (the rest use the app).
CALL_SHARE = 0.55
WEEKDAY = (1.06, 1.04, 1.04, 1.05, 1.06, 0.95, 0.8)
HOURS = {
    "call": (0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.6, 1.5, 3, 4, 4.2, 4,
             3.2, 3.4, 3.8, 3.8, 3.6, 3.2, 2.4, 1.5, 1, 0.8, 0.6, 0.4),
    "report": (0.8, 0.4, 0.2, 0.2, 0.2, 0.4, 1, 2.2, 3, 3.2, 3, 2.8,
               2.6, 2.6, 2.8, 2.8, 3, 3.2, 3.4, 3.2, 2.8, 2.2, 1.6, 1.2),
    "alert": (1.5, 1.2, 0.8, 0.6, 0.5, 0.6, 1.2, 2.2, 2.8, 2.6, 2.4, 2.4,
              2.4, 2.4, 2.4, 2.6, 2.8, 3, 3, 2.8, 2.4, 2.2, 2, 1.8),
    "alarm": (1.4, 1.4, 1.3, 1.2, 1.1, 1, 1, 1, 1, 1, 1, 1,
              1, 1, 1, 1, 1, 1, 1, 1, 1.1, 1.2, 1.3, 1.4),
}  # fmt: skip

PATROL = UnitKind.PATROL
CREW = UnitKind.ROAD_CREW
#: Who goes, and how often an incident of the category needs someone on the spot.
DISPATCH: dict[str, tuple[UnitKind, float]] = {
    "public_order": (PATROL, 0.95),
    "road_accident": (PATROL, 0.9),
    "health": (PATROL, 0.9),
    "fire": (PATROL, 0.8),
    "security": (PATROL, 0.9),  # an intrusion; a technical alarm is checked by phone (below)
    "noise": (PATROL, 0.6),
    "parking": (PATROL, 0.7),
    "abandoned_vehicle": (PATROL, 0.5),
    "traffic": (PATROL, 0.4),
    "other": (PATROL, 0.3),
    "road_damage": (CREW, 0.6),
    "cleanliness": (CREW, 0.5),
    "signage": (CREW, 0.5),
    "green_spaces": (CREW, 0.4),
    "street_furniture": (CREW, 0.4),
    "fallen_tree": (CREW, 0.9),
    "snow_ice": (CREW, 0.8),
    "weather": (CREW, 0.7),
    "water": (CREW, 0.7),
    "environment": (CREW, 0.4),
}
#: Minutes on scene; a P1 is secured and handed over (firefighters, SAMU) within minutes.
ON_SCENE_P1 = (3, 12)
ON_SCENE = {
    "public_order": (15, 45),
    "road_accident": (20, 60),
    "health": (15, 35),
    "fire": (30, 120),
    "security": (15, 45),
    "noise": (10, 25),
    "parking": (10, 30),
    "abandoned_vehicle": (15, 30),
    "traffic": (10, 35),
    "fallen_tree": (60, 180),
}
DEFAULT_ON_SCENE = (20, 90)
#: Median seconds before a dispatcher takes an incident up, by priority (longer at night).
ACK_MEDIAN = {1: 45.0, 2: 120.0, 3: 360.0, 4: 720.0}
#: Median seconds between taking it up and sending someone, by priority.
DISPATCH_MEDIAN = {1: 30.0, 2: 90.0, 3: 15 * 60.0, 4: 2 * HOUR_S}
#: Median seconds to settle one nobody goes to (by phone, or forwarded), by priority.
SETTLE_MEDIAN = {1: 10 * 60.0, 2: 25 * 60.0, 3: 3 * HOUR_S, 4: 18 * HOUR_S}
FORWARDED = {
    "lighting_fault": "Transmis au service éclairage public",
    "graffiti": "Transmis à la direction de la propreté",
    "cleanliness": "Transmis à la direction de la propreté",
    "road_damage": "Transmis au service voirie",
    "green_spaces": "Transmis au service des espaces verts",
    "street_furniture": "Transmis au service voirie",
    "signage": "Transmis au service voirie",
    "parking": "Traité par téléphone",
    "noise": "Rappel du requérant : nuisance terminée",
    "security": "Levée de doute par téléphone : alarme technique",
}
DUPLICATE_SHARE = 0.05
CANCELLED_SHARE = 0.02
CLOSED_SHARE = 0.7
REFUSED = 0.02
UNANSWERED = 0.005


@dataclass
class Case:
    id: int
    source: str
    category: str
    priority: int
    created: float
    created_by: str
    severity: str | None = None
    commune: str | None = None
    lat: float | None = None
    lon: float | None = None
    place: str | None = None
    description: str = ""
    source_ref: str | None = None
    status: str = "new"
    assigned: str | None = None
    duplicate_of: int | None = None
    version: int = 1
    updated: float = 0.0
    updated_by: str = ""
    alert_count: int = 0
    last_alert_at: float | None = None
    unit_kind: UnitKind | None = None
    alert: dict[str, Any] | None = None
    request: tuple[str, str] | None = None  # (service_request_id, service_code)
    personal: dict[str, str | None] | None = None
    fault_end: float | None = None  # a fault's repair: the recorder resolves it then
    attempts: int = 0
    twin: int | None = None  # an open incident it repeats (the dispatcher merges them)

    @property
    def open(self) -> bool:
        return self.status in ("new", "acknowledged", "dispatched", "on_scene")


@dataclass
class Room:
    world: World
    period: Period
    city: CityPlan
    faults: FaultBook
    commands: Commands
    audit: AuditBook
    seed: int
    per_day: float
    first_id: int
    cases: list[Case] = field(default_factory=list)
    changes: list[tuple[int, float, str, str, str | None, str | None]] = field(default_factory=list)
    notes: list[tuple[int, float, str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = stream(self.seed, "incidents")
        self.people = stream(self.seed, "people")
        self.places = stream(self.seed, "places")
        self._queue: list[tuple[float, int, Callable[..., None], tuple[Any, ...]]] = []
        self._order = itertools.count()
        self._number = itertools.count(1)
        self.tracks: dict[str, Track] = {}
        units_rng = stream(self.seed, "units")
        for n, unit in enumerate(sorted(self.world.units.values(), key=lambda u: u.id)):
            kind_index = sum(
                1 for u in self.world.units.values() if u.kind is unit.kind and u.id < unit.id
            )
            self.tracks[unit.id] = Track(
                unit=unit,
                index=kind_index,
                rng=random.Random(f"{units_rng.random()}:{n}"),
                world=self.world,
                pos=(unit.lat, unit.lon),
                t=self.period.t0,
            )
        self.by_kind: dict[UnitKind, list[Track]] = {k: [] for k in UnitKind}
        for track in self.tracks.values():
            self.by_kind[track.unit.kind].append(track)
        self.busy: dict[str, int] = {}  # unit -> incident it holds
        self.waiting: dict[UnitKind, list[tuple[int, float, int]]] = {PATROL: [], CREW: []}
        self.by_id: dict[int, Case] = {}
        self.communes = list(self.world.communes.values())
        self.weights = [c.population for c in self.communes]

    # --- the clock --------------------------------------------------------------------------------
    def at(self, ts: float, fn: Callable[..., None], *args: Any) -> None:
        if ts <= self.period.t1:
            heapq.heappush(self._queue, (round(ts, 3), next(self._order), fn, args))

    def run(self) -> None:
        for ts, case in self._arrivals():
            self.at(ts, self._arrive, case)
        self.release_waiting()
        while self._queue:
            ts, _, fn, args = heapq.heappop(self._queue)
            fn(ts, *args)
        for track in self.tracks.values():
            track.extend(self.period.t1)

    # --- what comes in ----------------------------------------------------------------------------
    def _arrivals(self) -> list[tuple[float, Case]]:
        rng = self.rng
        out: list[tuple[float, Case]] = []
        out += self._fault_cases()
        out += self._freeze_cases()
        span_days = (self.period.t1 - self.period.t0) / DAY_S
        expected_faults = len(out) / max(span_days, 1e-9)
        rest = max(0.0, self.per_day - expected_faults)
        total = sum(MIX.values())
        days = [d for d in sorted(self.city.days) if self._touches(d)]
        for day in days:
            weather = self.city.days[day]
            factor = WEEKDAY[day.weekday()] * (1.2 if weather.snow else 1.0)
            citizens = rest * MIX["citizen"] / total * factor
            plan = {
                "call": citizens * CALL_SHARE,
                "report": citizens * (1 - CALL_SHARE),
                "alert": rest * MIX["alert"] / total * factor,
                "alarm": rest * MIX["alarm"] / total,
            }
            for kind, mean in plan.items():
                hours = HOURS[kind]
                for _ in range(poisson(rng, mean)):
                    hour = rng.choices(range(24), hours)[0]
                    ts = round(local_ts(day, hour + rng.random()), 3)
                    if not self.period.t0 < ts <= self.period.t1:
                        continue
                    out.append((ts, self._case(kind, ts, weather)))
            if weather.snow:
                out += self._road_alerts(day)
        out.sort(key=lambda pair: pair[0])
        return out

    def _touches(self, day: date) -> bool:
        start, end = local_ts(day, 0.0), local_ts(day, 24.0)
        return start < self.period.t1 and end > self.period.t0

    def _place(self, commune: Any) -> tuple[float, float, str]:
        rng = self.places
        lat, lon = random_in_disc(rng, commune.lat, commune.lon, 1_500.0)
        street = (
            f"{rng.randint(1, 120)} {rng.choice(STREETS)}, {commune.postal_code} {commune.name}"
        )
        return round(lat, 6), round(lon, 6), street

    def _case(self, kind: str, ts: float, weather: Day) -> Case:
        rng = self.rng
        commune = rng.choices(self.communes, self.weights)[0]
        lat, lon, place = self._place(commune)
        case = Case(
            0, "", "", 3, ts, RECORDER, commune=commune.insee, lat=lat, lon=lon, place=place
        )
        if kind in ("call", "report"):
            icy = 6.0 if weather.snow else 1.0 if weather.frost else 0.05  # snow and ice reports
            weights = [s[2] * (icy if s[0] == "neige-verglas" else 1) for s in SERVICES]
            code, name, _, texts = rng.choices(SERVICES, weights)[0]
            case.category = report_category(code, name)[:64]
            case.priority = int(derive_priority(case.category))
            case.description = rng.choice(texts)
            if kind == "call":
                case.source = "call"
                case.created_by = dispatcher(ts, self.people)
                if self.people.random() < 0.6:
                    case.personal = self._caller(phone_only=True)
            else:
                case.source = "report"
                number = next(self._number)
                case.source_ref = f"BF{self.seed}-{number:06d}"
                case.request = (case.source_ref, code)
                if self.people.random() < 0.4:
                    case.personal = self._caller(phone_only=False)
        elif kind == "alert":
            crash = 2 if weather.snow else 1
            weights = [a[4] * (crash if a[1] == "carAccident" else 1) for a in FIELD_ALERTS]
            category, sub, severity, text, _ = rng.choices(FIELD_ALERTS, weights)[0]
            crews = [u for u in self.world.units.values() if not u.kind.is_snow_vehicle]
            source = rng.choice(crews).id if crews else "vehicle:unknown"
            self._alert(case, category, sub, severity, text, source, ts)
        else:
            building = rng.choice(self.world.buildings)
            sub, severity, what, _ = rng.choices(BUILDING_ALARMS, [a[3] for a in BUILDING_ALARMS])[
                0
            ]
            case.commune, case.lat, case.lon = building.commune, building.lat, building.lon
            case.place = building.street
            self._alert(
                case, "security", sub, severity, f"{what} : {building.name}", building.id, ts
            )
            case.alert["payload"]["address"] = {  # type: ignore[index]
                "streetAddress": building.street,
                "postalCode": self.world.communes[building.commune].postal_code,
                "addressLocality": self.world.communes[building.commune].name,
                "addressCountry": "FR",
            }
        return case

    def _alert(
        self,
        case: Case,
        category: str,
        sub: str | None,
        severity: str,
        text: str,
        source: str,
        ts: float,
    ) -> None:
        number = next(self._number)
        alert_id = f"Alert:BF{self.seed}-{number:06d}"
        case.source = "alert"
        case.source_ref = alert_id
        case.category = alert_category(category, sub)
        case.severity = severity
        case.priority = int(alert_priority(category, sub, severity))
        case.description = text or sub or ""
        case.alert_count = 1
        case.last_alert_at = ts
        issued = round(ts - self.rng.uniform(0.2, 2.0), 3)
        payload: dict[str, Any] = {
            "category": category,
            "severity": severity,
            "description": text,
            "location": {"type": "Point", "coordinates": [case.lon, case.lat]},
            "dateIssued": iso(at(issued)),
            "validFrom": iso(at(issued)),
            "alertSource": source,
            "refCommune": case.commune,
        }
        if sub is not None:
            payload["subCategory"] = sub
        cause = alert_cause(source, category, sub)
        case.alert = {
            "id": alert_id,
            "cause": cause.key if cause else None,
            "issued": issued,
            "payload": payload,
        }

    def _caller(self, *, phone_only: bool) -> dict[str, str | None]:
        rng = self.people
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        phone = f"+33 6 39 98 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"  # ARCEP's fiction
        if phone_only:
            return {"first_name": None, "last_name": last, "email": None, "phone": phone}
        email = f"{first.lower()}.{last.lower()}@example.org".replace("é", "e").replace("è", "e")
        return {"first_name": first, "last_name": last, "email": email, "phone": phone}

    def _fault_cases(self) -> list[tuple[float, Case]]:
        """One incident per device fault after the recorder's hold, one per failed cabinet."""
        out = []
        world = self.world
        sizes: dict[str, int] = {}
        for entity in world.entities.values():
            if entity.gateway:
                sizes[entity.gateway] = sizes.get(entity.gateway, 0) + 1
        seen_failures: set[tuple[str, float]] = set()
        for fault in self.faults.faults:
            entity = world.entities[fault.device]
            if fault.gateway is not None:  # a cabinet failure: one incident for its gateway
                if entity.type is not EquipmentType.STREETLIGHT_CONTROL_CABINET:
                    continue
                key = (fault.gateway, fault.start)
                if key in seen_failures:
                    continue
                seen_failures.add(key)
                hit = sum(
                    1
                    for f in self.faults.faults
                    if f.gateway == fault.gateway
                    and f.start >= fault.start
                    and f.start < fault.start + 120
                )
                ts = round(fault.start + 60.0 + self.rng.uniform(1.0, 6.0), 3)
                size = sizes.get(fault.gateway, 0)
                case = Case(
                    0, "fault", "gateway_fault", int(derive_priority("gateway_fault")), ts,
                    RECORDER, commune=entity.commune, lat=entity.lat, lon=entity.lon,
                    description=f"{fault.gateway}: {hit}/{size} devices in fault",
                    source_ref=GATEWAY_PREFIX + fault.gateway,
                    fault_end=fault.end,
                )  # fmt: skip
            else:
                grouped = entity.gateway and sizes.get(entity.gateway, 0) >= 5
                hold = 60.0 if grouped else 0.0
                ts = round(fault.start + hold + self.rng.uniform(1.0, 6.0), 3)
                if fault.end is not None and fault.end <= ts:
                    continue
                category = FAULT_CATEGORY.get(entity.type.value, "equipment_fault")
                case = Case(
                    0, "fault", category, int(derive_priority(category)), ts, RECORDER,
                    commune=entity.commune, lat=entity.lat, lon=entity.lon,
                    description=f"{entity.type.value} {entity.id}: {fault.status}",
                    source_ref=entity.id, fault_end=fault.end,
                )  # fmt: skip
            if self.period.t0 < ts <= self.period.t1:
                out.append((ts, case))
        return out

    def _freeze_cases(self) -> list[tuple[float, Case]]:
        """A road station at freeze risk on a frost night: the recorder's sweep opens one."""
        out = []
        rng = self.rng
        for day, weather in sorted(self.city.days.items()):
            if not weather.frost:
                continue
            for station in self.world.by_type[EquipmentType.WEATHER_OBSERVED]:
                bias = float(station.attrs.get("_bias", 0.0))
                if weather.night_min_c + bias > 0.0:
                    continue
                began = local_ts(day, rng.uniform(20.0, 27.0))
                ts = round(began + rng.uniform(5.0, 60.0), 3)
                road = round(weather.night_min_c + bias - 1.0, 1)
                state = "ice" if not weather.wet else "wet"
                ref = f"{FREEZE_PREFIX}{station.id}:{at(began).strftime('%Y%m%dT%H%M%S')}"
                end = local_ts(day, 24.0 + rng.uniform(8.5, 11.0))
                case = Case(
                    0, "alert", "freeze_risk", int(derive_priority("freeze_risk")), ts, RECORDER,
                    commune=station.commune, lat=station.lat, lon=station.lon, place=station.name,
                    description=f"road surface {road} °C, {state}", source_ref=ref,
                    fault_end=end,
                )  # fmt: skip
                if self.period.t0 < ts <= self.period.t1:
                    out.append((ts, case))
        return out

    def _road_alerts(self, day: date) -> list[tuple[float, Case]]:
        out = []
        for station in self.world.by_type[EquipmentType.WEATHER_OBSERVED]:
            ts = round(local_ts(day, self.rng.uniform(3.0, 7.0)), 3)
            if not self.period.t0 < ts <= self.period.t1:
                continue
            case = Case(0, "", "", 2, ts, RECORDER, commune=station.commune)
            case.lat, case.lon = station.lat, station.lon
            text = f"Neige sur la chaussée, surface à {self.rng.uniform(-2.5, 0.5):.1f} °C"
            self._alert(case, "weather", "snow", "high", text, station.id, ts)
            out.append((ts, case))
        return out

    # --- the lifecycle ----------------------------------------------------------------------------
    def _arrive(self, ts: float, case: Case) -> None:
        case.id = self.first_id + len(self.cases)
        case.created = ts
        case.updated, case.updated_by = ts, case.created_by
        if case.source in ("call", "report") and self.rng.random() < DUPLICATE_SHARE:
            twin = self._twin(case, ts)
            if twin is not None:  # the same thing, reported again from the same place
                case.twin = twin.id
                case.lat = round((twin.lat or 0.0) + self.rng.uniform(-0.0004, 0.0004), 6)
                case.lon = round((twin.lon or 0.0) + self.rng.uniform(-0.0005, 0.0005), 6)
                case.place = twin.place
        self.cases.append(case)
        self.by_id[case.id] = case
        self.changes.append((case.id, ts, case.created_by, "created", None, "new"))
        self.audit.add(
            ts,
            case.created_by,
            "incident.create",
            f"incident:{case.id}",
            {
                "source": case.source,
                "source_ref": case.source_ref,
                "category": case.category,
                "priority": Priority(case.priority).name,
            },
        )
        night = local(ts).hour < 7 or local(ts).hour >= 22
        if case.source == "call":
            delay = lognormal(self.rng, 25.0, 0.4)
        elif case.source == "fault" or case.category == "freeze_risk":
            delay = lognormal(self.rng, 20 * MINUTE_S if case.priority <= 3 else HOUR_S, 0.6)
        else:
            delay = lognormal(self.rng, ACK_MEDIAN[case.priority], 0.6) * (1.6 if night else 1.0)
        if case.fault_end is not None:
            self.at(case.fault_end, self._repaired, case)
        self.at(ts + delay, self._acknowledge, case)

    def _save(self, ts: float, case: Case, by: str, **fields: Any) -> None:
        """One change of the incident (``incidents.save``): its rows, its entry, its version."""
        changed = []
        for name, new in fields.items():
            attribute = {
                "status": "status",
                "assigned_unit": "assigned",
                "duplicate_of": "duplicate_of",
            }[name]
            old = getattr(case, attribute)
            if old != new:
                changed.append(
                    (name, None if old is None else str(old), None if new is None else str(new))
                )
                setattr(case, attribute, new)
        if not changed:
            return
        ts = min(max(ts, case.updated + 0.001), self.period.t1)
        case.version += 1
        case.updated, case.updated_by = ts, by
        for name, old, new in changed:
            self.changes.append((case.id, ts, by, name, old, new))
        self.audit.add(
            ts,
            by,
            "incident.update",
            f"incident:{case.id}",
            {
                "version": case.version,
                "changes": {name: [old, new] for name, old, new in changed},
                "reason": None,
            },
        )

    def _note(self, ts: float, case: Case, by: str, text: str) -> None:
        ts = min(ts, self.period.t1)
        self.notes.append((case.id, ts, by, text))
        self.audit.add(ts, by, "incident.note", f"incident:{case.id}", {"text": text})

    def _acknowledge(self, ts: float, case: Case) -> None:
        if case.status != "new":
            return
        rng = self.rng
        if case.source == "fault" or case.category == "freeze_risk":
            by = technician(ts, rng) if case.source == "fault" else dispatcher(ts, rng)
            self._save(ts, case, by, status="acknowledged")
            return
        by = case.created_by if case.source == "call" else dispatcher(ts, rng)
        if case.source in ("call", "report"):
            twin = self.by_id.get(case.twin) if case.twin is not None else None
            if twin is not None and twin.status != "duplicate":
                self._save(ts, case, by, status="duplicate", duplicate_of=twin.id)
                return
            if rng.random() < CANCELLED_SHARE:
                self._save(ts, case, by, status="cancelled")
                return
        self._save(ts, case, by, status="acknowledged")
        kind, share = DISPATCH.get(case.category, (PATROL, 0.0))
        if case.category == "security" and case.severity == "informational":
            share = 0.15
        if rng.random() < share:
            case.unit_kind = kind
            delay = lognormal(rng, DISPATCH_MEDIAN[case.priority], 0.7)
            self.at(ts + delay, self._want, case)
        else:
            delay = lognormal(rng, SETTLE_MEDIAN[case.priority], 0.7)
            self.at(ts + delay, self._settle, case)

    def _twin(self, case: Case, ts: float) -> Case | None:
        """An open incident of the same category and commune reported within two hours."""
        for other in reversed(self.cases[-400:]):
            if other.created < ts - 2 * HOUR_S:
                break
            if (
                other is not case
                and other.open
                and other.twin is None
                and other.id < case.id
                and other.category == case.category
                and other.commune == case.commune
            ):
                return other
        return None

    def _settle(self, ts: float, case: Case) -> None:
        if case.status != "acknowledged":
            return
        by = dispatcher(ts, self.rng)
        text = FORWARDED.get(case.category, "Traité par téléphone")
        self._note(ts, case, by, text)
        self._save(ts + 0.5, case, by, status="resolved")
        self._close_later(ts, case)

    def _close_later(self, ts: float, case: Case) -> None:
        if self.rng.random() < CLOSED_SHARE:
            self.at(ts + self.rng.uniform(2 * HOUR_S, 20 * HOUR_S), self._close, case)

    def _close(self, ts: float, case: Case) -> None:
        if case.status == "resolved":
            self._save(ts, case, dispatcher(ts, self.rng), status="closed")

    def _repaired(self, ts: float, case: Case) -> None:
        """The device is back (or the road thawed): the recorder's sweep resolves it."""
        if not case.open:
            return
        ts += self.rng.uniform(1.0, 6.0)
        if case.category == "freeze_risk":
            note = "no more freeze risk: road surface 1.5 °C, wet"
        elif case.source_ref and case.source_ref.startswith(GATEWAY_PREFIX):
            note = "all devices back to ok"
        else:
            note = "status: ok"
        self._note(ts, case, RECORDER, note)
        self._save(ts + 0.001, case, RECORDER, status="resolved")
        self._close_later(ts, case)

    # --- sending units ----------------------------------------------------------------------------
    def _free_units(self, kind: UnitKind, ts: float) -> list[Track]:
        """Units of ``kind`` on duty and free; for crews out of hours, the ones on call."""
        moment = local(ts)
        mine = self.by_kind[kind]
        on_duty = [t for t in mine if t.on_duty(ts, moment)]
        pool = on_duty if on_duty or kind is not CREW else [t for t in mine if t.on_call(ts)]
        return [t for t in pool if t.unit.id not in self.busy]

    def _want(self, ts: float, case: Case) -> None:
        if case.status != "acknowledged" or case.unit_kind is None:
            return
        free = self._free_units(case.unit_kind, ts)
        if not free:
            heapq.heappush(self.waiting[case.unit_kind], (case.priority, ts, case.id))
            return
        target = (case.lat or 0.0, case.lon or 0.0)
        track = min(free, key=lambda t: _dist2(t.where(ts), target))
        self._dispatch(ts, case, track)

    def _dispatch(self, ts: float, case: Case, track: Track) -> None:
        rng = self.rng
        by = dispatcher(ts, rng)
        unit = track.unit.id
        draw = rng.random()
        answer_ts = ts + rng.uniform(3.0, 30.0)
        if draw < UNANSWERED:
            answer = None
        elif draw < UNANSWERED + REFUSED:
            answer = ("rejected", answer_ts, "unit_busy")
        else:
            answer = ("accepted", answer_ts, None)
        self._save(ts, case, by, status="dispatched", assigned_unit=unit)
        sent = self.commands.dispatch(
            ts,
            by,
            unit,
            case.id,
            case.lat or 0.0,
            case.lon or 0.0,
            case.place or case.category,
            answer,
        )
        case.attempts += 1
        if answer is None or answer[0] == "rejected":
            when = sent.finished or answer_ts
            self.at(when, self._refused, case, unit, sent.status)
            return
        self.busy[unit] = case.id
        track.status(answer_ts, UnitStatus.EN_ROUTE, case.id)
        kmh = (
            max(track.unit.cruise_kmh, 45.0) * 1.2 if case.priority <= 2 else track.unit.cruise_kmh
        )
        arrival = track.send(answer_ts, (case.lat or 0.0, case.lon or 0.0), kmh)
        self.at(arrival, self._on_scene, case, track)

    def _refused(self, ts: float, case: Case, unit: str, status: str) -> None:
        if case.status != "dispatched" or case.assigned != unit:
            return
        note = f"dispatch of {unit} {status}" + (": unit_busy" if status == "rejected" else "")
        self._note(ts, case, RECORDER, note)
        self._save(ts + 0.001, case, RECORDER, status="acknowledged", assigned_unit=None)
        if case.attempts < 4:
            self.at(ts + self.rng.uniform(30.0, 180.0), self._want, case)

    def _on_scene(self, ts: float, case: Case, track: Track) -> None:
        track.status(ts, UnitStatus.ON_SCENE, case.id)
        self._save(ts + 0.3, case, RECORDER, status="on_scene")
        low, high = (
            ON_SCENE_P1 if case.priority == 1 else ON_SCENE.get(case.category, DEFAULT_ON_SCENE)
        )
        until = ts + self.rng.uniform(low, high) * MINUTE_S
        track.stay(until)
        self.at(until, self._available, case, track)

    def _available(self, ts: float, case: Case, track: Track) -> None:
        unit = track.unit.id
        track.status(ts, UnitStatus.AVAILABLE, None)
        self.busy.pop(unit, None)
        if case.status == "on_scene" and case.assigned == unit:
            self._note(ts + 0.3, case, RECORDER, f"{unit} available again")
            self._save(ts + 0.301, case, RECORDER, status="resolved")
            self._close_later(ts, case)
        self._next_waiting(ts, track)

    def _next_waiting(self, ts: float, track: Track) -> None:
        queue = self.waiting[track.unit.kind]
        while queue:
            _, _, case_id = heapq.heappop(queue)
            case = self.by_id[case_id]
            if case.status == "acknowledged" and case.assigned is None:
                self.at(ts + self.rng.uniform(30.0, 120.0), self._want, case)
                return

    def release_waiting(self) -> None:
        """Units coming on duty take up what waited: checked every quarter of an hour."""
        step = 900.0
        t = math.ceil(self.period.t0 / step) * step
        while t <= self.period.t1:
            self.at(t, self._duty_round)
            t += step

    def _duty_round(self, ts: float) -> None:
        for kind, queue in self.waiting.items():
            if not queue:
                continue
            free = self._free_units(kind, ts)
            for track in free[: len(queue)]:
                self._next_waiting(ts, track)


def _dist2(a: tuple[float, float], b: tuple[float, float]) -> float:
    return (a[0] - b[0]) ** 2 + ((a[1] - b[1]) * 0.68) ** 2


# --- on the record --------------------------------------------------------------------------------
INCIDENT_COLUMNS = (
    "id",
    "source",
    "source_ref",
    "category",
    "severity",
    "priority",
    "status",
    "commune",
    "lat",
    "lon",
    "place",
    "description",
    "assigned_unit",
    "duplicate_of",
    "created_at",
    "updated_at",
    "updated_by",
    "version",
    "alert_count",
    "last_alert_at",
)
CHANGE_COLUMNS = ("incident_id", "at", "by", "field", "old", "new")
NOTE_COLUMNS = ("incident_id", "at", "by", "text", "public")
ALERT_COLUMNS = (
    "id",
    "incident_id",
    "cause",
    "severity",
    "priority",
    "issued_at",
    "received_at",
    "updated_at",
    "payload",
)
REQUEST_COLUMNS = ("incident_id", "service_request_id", "service_code", "channel", "requested_at")
PERSONAL_COLUMNS = ("incident_id", "first_name", "last_name", "email", "phone", "received_at")


def write(sink: Sink, room: Room) -> None:
    cases = sorted(room.cases, key=lambda c: c.id)
    sink.write(
        "incidents",
        INCIDENT_COLUMNS,
        (
            (
                c.id,
                c.source,
                c.source_ref,
                c.category,
                c.severity,
                c.priority,
                c.status,
                c.commune,
                c.lat,
                c.lon,
                c.place,
                c.description,
                c.assigned,
                c.duplicate_of,
                sink.time(c.created),
                sink.time(c.updated),
                c.updated_by,
                c.version,
                c.alert_count,
                sink.time(c.last_alert_at),
            )
            for c in cases
        ),
    )
    sink.follow_ids("incidents")
    sink.write(
        "incident_changes",
        CHANGE_COLUMNS,
        (
            (incident, sink.time(ts), by, name, old, new)
            for incident, ts, by, name, old, new in sorted(room.changes, key=lambda r: (r[1], r[0]))
        ),
    )
    public = sink.flag(False)
    sink.write(
        "incident_notes",
        NOTE_COLUMNS,
        (
            (incident, sink.time(ts), by, text, public)
            for incident, ts, by, text in sorted(room.notes, key=lambda r: (r[1], r[0]))
        ),
    )
    sink.write(
        "alerts",
        ALERT_COLUMNS,
        (
            (
                c.alert["id"],
                c.id,
                c.alert["cause"],
                c.severity,
                c.priority,
                sink.time(c.alert["issued"]),
                sink.time(c.created),
                sink.time(c.created),
                sink.json(c.alert["payload"]),
            )
            for c in cases
            if c.alert is not None
        ),
    )
    sink.write(
        "open311_requests",
        REQUEST_COLUMNS,
        (
            (c.id, c.request[0], c.request[1], "bus", sink.time(c.created))
            for c in cases
            if c.request is not None
        ),
    )
    sink.write(
        "personal_data",
        PERSONAL_COLUMNS,
        (
            (
                c.id,
                c.personal["first_name"],
                c.personal["last_name"],
                c.personal["email"],
                c.personal["phone"],
                sink.time(c.created),
            )
            for c in cases
            if c.personal is not None
        ),
    )
