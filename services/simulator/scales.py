"""How much of a city to simulate: Dijon Métropole's real counts, ten times them, or a small field.

A scale is data, not code: how many of each thing, where. Lights are spread over the communes by
population (with a floor, so that every commune has some); signals, cameras and bollards sit in
the communes listed, by INSEE code.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from services.domain.units import UnitKind

DIJON = "21231"


@dataclass(frozen=True, slots=True)
class ScaleSpec:
    name: str
    lights: int
    min_lights_per_commune: int
    lights_per_cabinet: int
    groups_per_cabinet: tuple[int, int]  # circuits (StreetlightGroups) behind one cabinet
    signals: dict[str, int]
    signals_per_gateway: int
    cameras: dict[str, int]
    cameras_per_gateway: int
    bollards: dict[str, int]
    bollards_per_gateway: int
    units: dict[UnitKind, int]
    weather_stations: tuple[str, ...]  # one station in each of these communes
    depots: tuple[str, ...]  # one salt depot in each of these communes
    buildings: int  # monitored public buildings (they raise alarms, no state of their own)
    #: Radius around a commune's reference point within which its equipment is placed.
    radius_m: float = 1_500.0
    #: The synthetic communes around the real ones take part (ten times Dijon), and how many
    #: more of each kind ("signals", "cameras", "bollards", "weather_stations", "depots") than
    #: the plans above name are spread over them by population.
    synthetic: bool = False
    elsewhere: dict[str, int] = field(default_factory=dict)


SMALL = ScaleSpec(
    name="small",
    lights=160,
    min_lights_per_commune=5,
    lights_per_cabinet=12,
    groups_per_cabinet=(2, 2),
    signals={DIJON: 4, "21166": 2, "21617": 1, "21515": 1},
    signals_per_gateway=4,
    cameras={DIJON: 4, "21355": 2},
    cameras_per_gateway=4,
    bollards={DIJON: 3, "21166": 1},
    bollards_per_gateway=4,
    units={
        UnitKind.PATROL: 2,
        UnitKind.ROAD_CREW: 2,
        UnitKind.SNOW_PLOUGH: 1,
        UnitKind.SALT_SPREADER: 1,
    },
    weather_stations=(DIJON, "21355"),
    depots=(DIJON,),
    buildings=6,
)

DIJON_METROPOLE = ScaleSpec(
    name="dijon",
    lights=34_000,
    min_lights_per_commune=30,
    lights_per_cabinet=100,
    groups_per_cabinet=(2, 4),
    # 113 signalised intersections, most of them in Dijon.
    signals={
        DIJON: 85,
        "21166": 6,
        "21617": 4,
        "21355": 4,
        "21515": 4,
        "21171": 4,
        "21540": 3,
        "21278": 3,
    },
    signals_per_gateway=12,
    # 269 cameras of the urban video-supervision centre.
    cameras={
        DIJON: 205,
        "21166": 12,
        "21617": 8,
        "21171": 8,
        "21515": 8,
        "21278": 6,
        "21355": 8,
        "21540": 6,
        "21390": 4,
        "21452": 2,
        "21485": 2,
    },
    cameras_per_gateway=30,
    # 26 retractable bollards, mostly around Dijon's pedestrian centre.
    bollards={DIJON: 20, "21166": 2, "21617": 2, "21515": 2},
    bollards_per_gateway=10,
    # 205 vehicles, 46 of them for the snow plan.
    units={
        UnitKind.PATROL: 64,
        UnitKind.ROAD_CREW: 95,
        UnitKind.SNOW_PLOUGH: 20,
        UnitKind.SALT_SPREADER: 26,
    },
    weather_stations=(DIJON, "21166", "21515", "21617", "21355", "21540", "21390", "21278"),
    depots=(DIJON, "21166", "21515"),
    buildings=180,
)

#: Ten times Dijon: 340,000 lights, 1,130 intersections, 2,690 cameras, 260 bollards, 2,050
#: vehicles, 80 weather stations, 30 salt depots and 1,800 buildings over 230 communes. The 23 real
#: communes keep Dijon's plans for placed equipment; the synthetic ones take the rest by
#: population. Lights, vehicles' homes and buildings go by population over all 230.
X10 = replace(
    DIJON_METROPOLE,
    name="x10",
    lights=340_000,
    units={kind: 10 * n for kind, n in DIJON_METROPOLE.units.items()},
    buildings=1_800,
    synthetic=True,
    elsewhere={
        "signals": 1_130 - sum(DIJON_METROPOLE.signals.values()),
        "cameras": 2_690 - sum(DIJON_METROPOLE.cameras.values()),
        "bollards": 260 - sum(DIJON_METROPOLE.bollards.values()),
        "weather_stations": 80 - len(DIJON_METROPOLE.weather_stations),
        "depots": 30 - len(DIJON_METROPOLE.depots),
    },
)

SCALES: dict[str, ScaleSpec] = {s.name: s for s in (SMALL, DIJON_METROPOLE, X10)}
