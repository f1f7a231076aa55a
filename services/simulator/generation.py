"""Build the simulated field from a seed and a scale: the same seed always gives the same city.

Each kind of thing draws from a random stream of its own (seeded from the seed and the kind), so
that adding a camera never moves a street light. Equipment is placed within the scale's radius
(1.5 km) of its commune's reference point; lights cluster around their cabinet. Lights, groups
and cabinets carry their ``ratedPower`` (W at full level), cabinets the date their meter started;
presence sensors (``Device``, occupancy) stand by some of the groups, each raising its own.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from services.domain.equipment import EquipmentType
from services.domain.geography import Commune, distance_m
from services.domain.units import UnitKind, UnitStatus
from services.reference import real_communes, synthetic_communes
from services.simulator.geo import random_in_disc
from services.simulator.payloads import LANTERN_W, iso
from services.simulator.scales import SCALES, ScaleSpec
from services.simulator.world import Building, Entity, Gateway, SnowGear, Unit, World

STREETS = (
    "rue de la Liberté",
    "boulevard de Sévigné",
    "avenue du Drapeau",
    "rue Chabot-Charny",
    "place Darcy",
    "rue de la Préfecture",
    "boulevard Clemenceau",
    "avenue Jean-Jaurès",
    "rue d'Auxonne",
    "rue de Mirande",
    "avenue de Langres",
    "boulevard de Strasbourg",
    "rue des Godrans",
    "avenue Victor-Hugo",
    "rue Berbisey",
    "boulevard Thiers",
    "rue de Talant",
    "rue de la République",
    "avenue du Général-de-Gaulle",
    "rue Jean-Moulin",
    "rue Pasteur",
    "rue de l'Église",
    "rue des Écoles",
    "allée des Tilleuls",
    "rue du Château",
    "chemin des Vignes",
    "rue de la Mairie",
    "route de Dijon",
)

BUILDING_KINDS = (
    "Groupe scolaire",
    "Gymnase",
    "Médiathèque",
    "Maison de quartier",
    "Crèche municipale",
    "Centre technique municipal",
    "Piscine",
    "Salle des fêtes",
)

LIGHT_PLACES = ("sidewalk", "road", "pedestrianPath", "park", "centralIsland", "facade")

#: (kind, id stem, name stem, category, vehicleType, cruise km/h)
UNIT_MODELS: dict[UnitKind, tuple[str, str, list[str], str, float]] = {
    UnitKind.PATROL: ("pm", "Police municipale", ["police"], "car", 40.0),
    UnitKind.ROAD_CREW: ("voirie", "Voirie", ["municipalServices"], "van", 35.0),
    UnitKind.SNOW_PLOUGH: ("chasse-neige", "Chasse-neige", ["snowPlough"], "lorry", 30.0),
    UnitKind.SALT_SPREADER: ("saleuse", "Saleuse", ["saltSpreader"], "lorry", 35.0),
}


def build_world(seed: int = 1, scale: str | ScaleSpec = "small") -> World:
    """The field of Dijon Métropole at ``scale`` ("small", "dijon" or "x10"), drawn from ``seed``.

    At "x10" the 207 synthetic communes (``services.reference.synthetic_communes``) come after
    the 23 real ones, whatever ``VIGIE_SYNTHETIC_COMMUNES`` says: the simulator draws them.
    """
    spec = SCALES[scale] if isinstance(scale, str) else scale
    communes = list(real_communes())
    if spec.synthetic:
        communes += synthetic_communes()
        spec = _spread(spec, synthetic_communes())
    by_insee = {c.insee: c for c in communes}
    gateways: list[Gateway] = []
    entities: list[Entity] = []
    _lights(seed, spec, communes, gateways, entities)
    _rated_power(entities)
    _meters(seed, entities)
    _presence_sensors(seed, spec, by_insee, entities)
    for kind in ("signals", "cameras", "bollards"):
        _devices(seed, spec, kind, by_insee, gateways, entities)
    depots = _depots(seed, spec, by_insee, entities)
    _weather_stations(seed, spec, by_insee, entities)
    _traffic_counters(entities)
    units = _units(seed, spec, communes, depots)
    buildings = _buildings(seed, spec, communes)
    return World(
        seed=seed,
        scale=spec.name,
        communes=communes,
        gateways=gateways,
        entities=entities,
        units=units,
        buildings=buildings,
    )


def _spread(spec: ScaleSpec, synthetic: Sequence[Commune]) -> ScaleSpec:
    """``spec`` with its ``elsewhere`` counts placed in the synthetic communes, by population."""
    weights = {c.insee: c.population for c in synthetic}
    plans: dict[str, object] = {}
    for kind in ("signals", "cameras", "bollards"):
        more = allocate(spec.elsewhere.get(kind, 0), weights)
        plans[kind] = {**getattr(spec, kind), **{k: n for k, n in more.items() if n}}
    for kind in ("weather_stations", "depots"):
        more = allocate(spec.elsewhere.get(kind, 0), weights)
        plans[kind] = tuple(getattr(spec, kind)) + tuple(
            insee for insee, n in more.items() for _ in range(n)
        )
    return replace(spec, **plans)  # type: ignore[arg-type]


def _stream(seed: int, name: str) -> random.Random:
    return random.Random(f"vigie-simulator:{seed}:{name}")


def allocate(total: int, weights: Mapping[str, float], floor: int = 0) -> dict[str, int]:
    """Split ``total`` over keys in proportion to weights (largest remainder), ``floor`` each."""
    keys = list(weights)
    rest = total - floor * len(keys)
    if rest < 0:
        raise ValueError("total below the floor")
    weight_sum = sum(weights.values()) or 1.0
    quotas = {k: rest * weights[k] / weight_sum for k in keys}
    counts = {k: floor + math.floor(quotas[k]) for k in keys}
    left = total - sum(counts.values())
    by_remainder = sorted(keys, key=lambda k: (-(quotas[k] - math.floor(quotas[k])), k))
    for k in by_remainder[:left]:
        counts[k] += 1
    return counts


def _split(n: int, parts: int) -> list[int]:
    return [n // parts + (1 if i < n % parts else 0) for i in range(parts)]


def _near(
    rng: random.Random, commune: Commune, lat: float, lon: float, radius_m: float, limit_m: float
) -> tuple[float, float]:
    """A point within ``radius_m`` of (lat, lon) that stays within ``limit_m`` of the commune."""
    for _ in range(20):
        p = random_in_disc(rng, lat, lon, radius_m)
        if distance_m(p[0], p[1], commune.lat, commune.lon) <= limit_m:
            return p
    return lat, lon


def _round(p: tuple[float, float]) -> tuple[float, float]:
    return round(p[0], 6), round(p[1], 6)


def _lights(
    seed: int,
    spec: ScaleSpec,
    communes: list[Commune],
    gateways: list[Gateway],
    entities: list[Entity],
) -> None:
    rng = _stream(seed, "lights")
    counts = allocate(
        spec.lights, {c.insee: c.population for c in communes}, spec.min_lights_per_commune
    )
    for commune in communes:
        n = counts[commune.insee]
        cabinets = max(1, math.ceil(n / spec.lights_per_cabinet))
        seq = 0
        for k, size in enumerate(_split(n, cabinets), start=1):
            tag = f"{commune.insee}-{k:03d}"
            clat, clon = _round(random_in_disc(rng, commune.lat, commune.lon, spec.radius_m * 0.8))
            gw = Gateway(f"gw-cab-{tag}", "cabinet", commune.insee, clat, clon)
            gateways.append(gw)
            n_groups = max(1, min(size, rng.randint(*spec.groups_per_cabinet)))
            streets = [rng.choice(STREETS) for _ in range(n_groups)]
            group_ids = [f"streetlightgroup:{tag}-{chr(65 + g)}" for g in range(n_groups)]
            group_points: list[list[tuple[float, float]]] = [[] for _ in range(n_groups)]
            cabinet_id = f"streetlightcontrolcabinet:{tag}"
            for i in range(size):
                seq += 1
                g = i * n_groups // max(1, size)
                lat, lon = _round(_near(rng, commune, clat, clon, 350.0, spec.radius_m))
                group_points[g].append((lat, lon))
                entities.append(
                    Entity(
                        id=f"streetlight:{commune.insee}-{seq:05d}",
                        type=EquipmentType.STREETLIGHT,
                        commune=commune.insee,
                        lat=lat,
                        lon=lon,
                        gateway=gw.id,
                        status="ok",
                        attrs={
                            "powerState": "off",
                            "illuminanceLevel": 1.0,
                            "refStreetlightGroup": group_ids[g],
                            "areaServed": streets[g],
                            "lanternHeight": rng.choice((6, 8, 10, 12)),
                            "locationCategory": rng.choice(LIGHT_PLACES),
                            "controllingMethod": "group",
                        },
                    )
                )
            for g, group_id in enumerate(group_ids):
                points = group_points[g] or [(clat, clon)]
                glat = round(sum(p[0] for p in points) / len(points), 6)
                glon = round(sum(p[1] for p in points) / len(points), 6)
                entities.append(
                    Entity(
                        id=group_id,
                        type=EquipmentType.STREETLIGHT_GROUP,
                        commune=commune.insee,
                        lat=glat,
                        lon=glon,
                        gateway=gw.id,
                        name=f"{streets[g]} ({commune.name})",
                        attrs={
                            "powerState": "off",
                            "illuminanceLevel": 1.0,
                            "areaServed": streets[g],
                            "refStreetlightCabinetController": cabinet_id,
                        },
                    )
                )
            entities.append(
                Entity(
                    id=cabinet_id,
                    type=EquipmentType.STREETLIGHT_CONTROL_CABINET,
                    commune=commune.insee,
                    lat=clat,
                    lon=clon,
                    gateway=gw.id,
                    name=f"Armoire {tag} ({commune.name})",
                    status="ok",
                    attrs={
                        "workingMode": "automatic",
                        "cupboardMadeOf": "metal",
                        "brandName": "Citel",
                        "modelName": "ARM-24",
                        "maximumPowerAvailable": 36,
                        "refStreetlightGroup": group_ids,
                    },
                )
            )


def _rated_power(entities: list[Entity]) -> None:
    """``ratedPower`` (W at full level): each light's lantern, the sum for groups and cabinets."""
    sums: dict[str, float] = {}
    by_cabinet: dict[str, float] = {}
    for light in (e for e in entities if e.type is EquipmentType.STREETLIGHT):
        rated = LANTERN_W.get(light.attrs.get("lanternHeight"), 60.0)
        light.attrs["ratedPower"] = rated
        group = str(light.attrs["refStreetlightGroup"])
        sums[group] = sums.get(group, 0.0) + rated
    for group in (e for e in entities if e.type is EquipmentType.STREETLIGHT_GROUP):
        group.attrs["ratedPower"] = round(sums.get(group.id, 0.0), 1)
        cabinet = str(group.attrs["refStreetlightCabinetController"])
        by_cabinet[cabinet] = by_cabinet.get(cabinet, 0.0) + group.attrs["ratedPower"]
    for cabinet in (e for e in entities if e.type is EquipmentType.STREETLIGHT_CONTROL_CABINET):
        cabinet.attrs["ratedPower"] = round(by_cabinet.get(cabinet.id, 0.0), 1)


#: Cabinets' meters were installed in the course of this year.
METERING_YEAR = 2024


def _meters(seed: int, entities: list[Entity]) -> None:
    """Each cabinet's meter: the date it started (fixed for a seed), its index from zero."""
    rng = _stream(seed, "meters")
    first = datetime(METERING_YEAR, 1, 1, tzinfo=UTC)
    for cabinet in (e for e in entities if e.type is EquipmentType.STREETLIGHT_CONTROL_CABINET):
        started = first + timedelta(days=rng.randrange(366))
        cabinet.attrs["dateMeteringStarted"] = iso(started.timestamp())
        cabinet.attrs["energyConsumed"] = 0.0


#: The share of StreetlightGroups that have a presence sensor (at least one per commune).
PRESENCE_SHARE = 0.3
#: How far from its group's centre a sensor stands (metres).
PRESENCE_RADIUS_M = 120.0


def _presence_sensors(
    seed: int, spec: ScaleSpec, by_insee: dict[str, Commune], entities: list[Entity]
) -> None:
    """Presence sensors (Smart Data Models ``Device``, occupancy) by some groups of each commune.

    Each stands near its group, behind the group's cabinet (its gateway), and names the group it
    raises in ``controlledAsset``. About ``PRESENCE_SHARE`` of the groups have one.
    """
    rng = _stream(seed, "presence")
    groups: dict[str, list[Entity]] = {}
    for group in (e for e in entities if e.type is EquipmentType.STREETLIGHT_GROUP):
        groups.setdefault(group.commune, []).append(group)
    for insee, found in groups.items():
        commune = by_insee[insee]
        chosen = [g for g in found if rng.random() < PRESENCE_SHARE] or found[:1]
        for n, group in enumerate(chosen, start=1):
            lat, lon = _round(
                _near(rng, commune, group.lat, group.lon, PRESENCE_RADIUS_M, spec.radius_m)
            )
            street = group.attrs.get("areaServed", "")
            entities.append(
                Entity(
                    id=f"device:presence-{insee}-{n:03d}",
                    type=EquipmentType.DEVICE,
                    commune=insee,
                    lat=lat,
                    lon=lon,
                    gateway=group.gateway,
                    name=f"Détecteur de présence {street} ({commune.name})",
                    attrs={
                        "category": ["sensor"],
                        "controlledProperty": ["occupancy"],
                        "value": 0,
                        "controlledAsset": [group.id],
                        "deviceState": "ok",
                    },
                )
            )


def _devices(
    seed: int,
    spec: ScaleSpec,
    kind: str,
    by_insee: dict[str, Commune],
    gateways: list[Gateway],
    entities: list[Entity],
) -> None:
    rng = _stream(seed, kind)
    plan: dict[str, int] = getattr(spec, kind)
    per_gateway: int = getattr(spec, f"{kind}_per_gateway")
    for insee, n in plan.items():
        commune = by_insee[insee]
        n_gw = max(1, math.ceil(n / per_gateway))
        gw_list = []
        for j in range(1, n_gw + 1):
            lat, lon = _round(random_in_disc(rng, commune.lat, commune.lon, spec.radius_m * 0.5))
            gw = Gateway(f"gw-{kind[:3]}-{insee}-{j}", kind, insee, lat, lon)
            gateways.append(gw)
            gw_list.append(gw)
        for i in range(1, n + 1):
            lat, lon = _round(random_in_disc(rng, commune.lat, commune.lon, spec.radius_m))
            gw = gw_list[(i - 1) * n_gw // n]
            street = rng.choice(STREETS)
            entities.append(_device(kind, rng, insee, i, lat, lon, gw.id, street, commune.name))


def _device(
    kind: str,
    rng: random.Random,
    insee: str,
    i: int,
    lat: float,
    lon: float,
    gateway: str,
    street: str,
    town: str,
) -> Entity:
    if kind == "signals":
        other = rng.choice(STREETS)
        return Entity(
            id=f"trafficsignal:{insee}-{i:03d}",
            type=EquipmentType.TRAFFIC_SIGNAL,
            commune=insee,
            lat=lat,
            lon=lon,
            gateway=gateway,
            name=f"Carrefour {street} / {other} ({town})",
            status="ok",
            attrs={
                "plan": "P1",
                "operatingMode": "coordinated"
                if insee == "21231" or rng.random() < 0.5
                else "isolated",
                "busPriority": rng.random() < (0.6 if insee == "21231" else 0.3),
            },
        )
    if kind == "cameras":
        return Entity(
            id=f"camera:{insee}-{i:03d}",
            type=EquipmentType.CAMERA,
            commune=insee,
            lat=lat,
            lon=lon,
            gateway=gateway,
            name=f"Caméra {street} ({town})",
            status="ok",
            attrs={
                "cameraName": f"CAM-{insee}-{i:03d}",
                "cameraType": "PTZ",
                "cameraUsage": "SURVEILLANCE",
                "streamName": f"odj-cam-{insee}-{i:03d}",
                "preset": 1,
            },
        )
    return Entity(
        id=f"bollard:{insee}-{i:02d}",
        type=EquipmentType.BOLLARD,
        commune=insee,
        lat=lat,
        lon=lon,
        gateway=gateway,
        name=f"Borne {street} ({town})",
        status="ok",
        attrs={"position": "up"},
    )


def _depots(
    seed: int, spec: ScaleSpec, by_insee: dict[str, Commune], entities: list[Entity]
) -> list[Entity]:
    rng = _stream(seed, "depots")
    depots = []
    for n, insee in enumerate(spec.depots, start=1):
        commune = by_insee[insee]
        lat, lon = _round(random_in_disc(rng, commune.lat, commune.lon, spec.radius_m))
        capacity = 1_500.0 if n == 1 else 600.0
        depot = Entity(
            id=f"saltstock:depot-{n:02d}",
            type=EquipmentType.SALT_STOCK,
            commune=insee,
            lat=lat,
            lon=lon,
            name=f"Dépôt de sel de {commune.name}",
            attrs={
                "saltTonnes": round(capacity * rng.uniform(0.6, 0.95), 1),
                "brineCubicMetres": round(rng.uniform(40.0, 120.0), 1),
                "capacityTonnes": capacity,
            },
        )
        depots.append(depot)
        entities.append(depot)
    return depots


def _weather_stations(
    seed: int, spec: ScaleSpec, by_insee: dict[str, Commune], entities: list[Entity]
) -> None:
    rng = _stream(seed, "weather")
    for n, insee in enumerate(spec.weather_stations, start=1):
        commune = by_insee[insee]
        lat, lon = _round(random_in_disc(rng, commune.lat, commune.lon, spec.radius_m))
        entities.append(
            Entity(
                id=f"weatherobserved:rws-{n:02d}",
                type=EquipmentType.WEATHER_OBSERVED,
                commune=insee,
                lat=lat,
                lon=lon,
                name=f"Station météo routière de {commune.name}",
                attrs={
                    "temperature": 5.0,
                    "relativeHumidity": 0.8,
                    "precipitation": 0.0,
                    "roadSurfaceTemperature": 5.0,
                    "roadSurfaceState": "dry",
                    "_bias": round(rng.uniform(-1.0, 1.0), 2),
                },
            )
        )


#: One counting loop at every this many signalised intersections (the first one always).
COUNTER_EVERY = 4


def _traffic_counters(entities: list[Entity]) -> None:
    """Counting loops beside some intersections: ``TrafficFlowObserved``, vehicles per hour."""
    signals = [e for e in entities if e.type is EquipmentType.TRAFFIC_SIGNAL]
    for n, signal in enumerate(signals[::COUNTER_EVERY], start=1):
        entities.append(
            Entity(
                id=f"trafficflowobserved:loop-{n:03d}",
                type=EquipmentType.TRAFFIC_FLOW_OBSERVED,
                commune=signal.commune,
                lat=round(signal.lat + 0.0002, 6),
                lon=signal.lon,
                name=f"Boucle de comptage {n:03d}",
                attrs={"intensity": 0.0, "laneDirection": "forward", "_base": 300.0 + 40 * n % 500},
            )
        )


def _plate(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPQRSTVWXYZ"
    return (
        f"{rng.choice(letters)}{rng.choice(letters)}-{rng.randint(100, 999)}-"
        f"{rng.choice(letters)}{rng.choice(letters)}"
    )


def _units(seed: int, spec: ScaleSpec, communes: list[Commune], depots: list[Entity]) -> list[Unit]:
    rng = _stream(seed, "units")
    weights = [c.population for c in communes]
    units = []
    for kind, count in spec.units.items():
        stem, name, category, vehicle_type, cruise = UNIT_MODELS[kind]
        for n in range(1, count + 1):
            snow = None
            if kind.is_snow_vehicle:
                depot = depots[(n - 1) % len(depots)]
                home = depot.commune
                lat, lon = depot.lat, depot.lon
                brine = kind is UnitKind.SALT_SPREADER and rng.random() < 0.3
                snow = SnowGear(
                    depot=depot.id,
                    material="brine" if brine else "salt",
                    spread_rate=round(rng.uniform(20, 30) if brine else rng.uniform(10, 20), 1),
                )
            else:
                commune = communes[0] if n == 1 else rng.choices(communes, weights)[0]
                home = commune.insee
                lat, lon = random_in_disc(rng, commune.lat, commune.lon, spec.radius_m)
            unit = Unit(
                id=f"vehicle:{stem}-{n:02d}",
                kind=kind,
                name=f"{name} {n:02d}",
                category=list(category),
                vehicle_type=vehicle_type,
                plate=_plate(rng),
                home=home,
                lat=lat,
                lon=lon,
                cruise_kmh=cruise,
                report_every=round(rng.uniform(1.0, 5.0), 2),
                snow=snow,
            )
            # At Dijon's scale some crews are off duty at the start; a small field has none.
            if count >= 10 and not kind.is_snow_vehicle and rng.random() < 0.1:
                unit.status = UnitStatus.UNAVAILABLE
            units.append(unit)
    return units


def _buildings(seed: int, spec: ScaleSpec, communes: list[Commune]) -> list[Building]:
    rng = _stream(seed, "buildings")
    counts = allocate(spec.buildings, {c.insee: c.population for c in communes})
    buildings = []
    for commune in communes:
        for k in range(1, counts[commune.insee] + 1):
            lat, lon = _round(random_in_disc(rng, commune.lat, commune.lon, spec.radius_m))
            street = rng.choice(STREETS)
            buildings.append(
                Building(
                    id=f"building:{commune.insee}-{k:03d}",
                    name=f"{rng.choice(BUILDING_KINDS)} {street.split(' ', 1)[-1]}",
                    commune=commune.insee,
                    lat=lat,
                    lon=lon,
                    street=f"{rng.randint(1, 80)} {street}",
                )
            )
    return buildings
