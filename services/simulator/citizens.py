"""What people and sensors report: citizen requests, field alerts, building and road alarms.

Payload builders only (the ``happenings`` module decides when): ``Open311ServiceRequest`` for
``{root}/reports``, some with an inline PNG photo and some with the caller's (fictitious) contact
details; ``Alert`` for ``{root}/alerts``, from crews in the field, monitored buildings (category
``security``) and road-weather stations, each naming its source (``alertSource``), and in a real
room's proportions: a P1 (a fire, an intrusion, a person at risk) is rare. Texts are French, as
the room's callers write them.
"""

from __future__ import annotations

import base64
import random
from typing import Any

from services.domain.geography import Commune
from services.simulator.generation import STREETS
from services.simulator.geo import random_in_disc
from services.simulator.payloads import iso, point
from services.simulator.png import tiny_png

#: (service_code, service_name, weight, descriptions)
SERVICES: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    (
        "eclairage",
        "Éclairage public",
        14,
        ("Lampadaire éteint depuis plusieurs jours", "Candélabre qui clignote la nuit"),
    ),
    (
        "voirie-chaussee",
        "Chaussée dégradée",
        16,
        ("Nid-de-poule dangereux pour les deux-roues", "Plaque d'égout descellée"),
    ),
    (
        "proprete-depot",
        "Dépôt sauvage",
        18,
        ("Encombrants déposés sur le trottoir", "Sacs poubelle éventrés au pied du conteneur"),
    ),
    (
        "proprete-tag",
        "Tag ou graffiti",
        8,
        ("Tag sur la façade de l'école", "Graffiti sur un abribus"),
    ),
    (
        "signalisation",
        "Signalisation",
        8,
        ("Feu tricolore bloqué au rouge", "Panneau stop arraché"),
    ),
    (
        "stationnement",
        "Stationnement gênant",
        12,
        ("Véhicule garé sur la piste cyclable", "Voiture ventouse depuis trois semaines"),
    ),
    (
        "espaces-verts",
        "Espaces verts",
        8,
        ("Branche menaçant de tomber sur le trottoir", "Haie débordant sur la chaussée"),
    ),
    ("mobilier-urbain", "Mobilier urbain", 6, ("Banc cassé", "Potelet arraché")),
    ("bruit", "Nuisances sonores", 5, ("Tapage nocturne répété", "Alarme de voiture qui sonne")),
    (
        "neige-verglas",
        "Neige et verglas",
        5,
        ("Trottoir verglacé devant la pharmacie", "Rue non déneigée, bus bloqué"),
    ),
)

#: (category, subCategory, severity, description, weight) of alerts raised by crews in the field.
#: A real room's proportions: mostly traffic and the street, now and then a crowd (public order),
#: and rarely a person at risk, the one a crew raises as P1 (about one day in two).
FIELD_ALERTS: tuple[tuple[str, str, str, str, int], ...] = (
    ("traffic", "carAccident", "high", "Accident matériel, chaussée partiellement obstruée", 36),
    ("traffic", "trafficJam", "medium", "Ralentissement important, remontée de file", 44),
    ("traffic", "hazardOnRoad", "medium", "Objet sur la chaussée", 40),
    ("traffic", "roadWorks", "low", "Chantier non signalé sur la voie", 28),
    ("weather", "flood", "medium", "Chaussée inondée, avaloir bouché", 16),
    ("security", "civilDisorder", "medium", "Attroupement et tapage sur la voie publique", 16),
    ("environment", "airPollution", "low", "Fumée épaisse signalée, feu de déchets", 19),
    ("health", "fallenPatient", "high", "Personne âgée au sol, consciente, sur le trottoir", 1),
)

#: (subCategory, severity, what the alarm panel says, weight) of a monitored building's alarms.
#: Most of what buildings send is technical (mains, line, battery: a P3 to check); an intrusion
#: (P1) comes about once a day across the métropole, a fire alarm (P1) about once a week.
BUILDING_ALARMS: tuple[tuple[str | None, str, str, int], ...] = (
    (None, "informational", "Alarme technique (défaut secteur)", 40),
    (None, "informational", "Alarme technique (défaut de transmission)", 31),
    (None, "informational", "Alarme technique (batterie faible)", 18),
    ("suspiciousAction", "medium", "Alarme intrusion", 10),
    ("buildingFire", "high", "Alarme incendie", 1),
)

FIRST_NAMES = ("Camille", "Julien", "Léa", "Mathieu", "Chloé", "Nicolas", "Inès", "Hugo")
LAST_NAMES = ("Martin", "Bernard", "Dubois", "Lambert", "Fontaine", "Rousseau", "Girard")


def _weighted_service(rng: random.Random) -> tuple[str, str, int, tuple[str, ...]]:
    return rng.choices(SERVICES, [s[2] for s in SERVICES])[0]


def citizen_report(
    rng: random.Random, number: int, run_id: str, commune: Commune, now: float
) -> dict[str, Any]:
    """An ``Open311ServiceRequest`` from the hotline or the app, somewhere in ``commune``."""
    code, name, _, texts = _weighted_service(rng)
    lat, lon = random_in_disc(rng, commune.lat, commune.lon, 1_500.0)
    request_id = f"SIM-{run_id}-{number:05d}"
    report: dict[str, Any] = {
        "id": f"service-request:{request_id}",
        "type": "Open311ServiceRequest",
        "service_request_id": request_id,
        "service_code": code,
        "service_name": name,
        "description": rng.choice(texts),
        "status": "open",
        "requested_datetime": iso(now),
        "address_string": f"{rng.randint(1, 120)} {rng.choice(STREETS)}, "
        f"{commune.postal_code} {commune.name}",
        "location": point(lat, lon),
        "refCommune": commune.insee,
    }
    if rng.random() < 0.25:
        colour = (rng.randint(40, 200), rng.randint(40, 200), rng.randint(40, 200))
        data = base64.b64encode(tiny_png(16, 12, colour)).decode("ascii")
        report["media"] = {"contentType": "image/png", "data": data}
    if rng.random() < 0.4:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        report.update(
            {
                "first_name": first,
                "last_name": last,
                "email": f"{first.lower()}.{last.lower()}@example.org".replace("é", "e"),
                # 06 39 98 xx xx: a range ARCEP keeps for fiction.
                "phone": f"+33 6 39 98 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}",
            }
        )
    return report


def _alert(
    number: int,
    run_id: str,
    category: str,
    sub: str | None,
    severity: str,
    description: str,
    lat: float,
    lon: float,
    commune: Commune,
    source: str,
    now: float,
) -> dict[str, Any]:
    alert = {
        "id": f"Alert:SIM-{run_id}-{number:05d}",
        "type": "Alert",
        "category": category,
        "severity": severity,
        "description": description,
        "location": point(lat, lon),
        "dateIssued": iso(now),
        "validFrom": iso(now),
        "alertSource": source,
        "refCommune": commune.insee,
    }
    if sub is not None:
        alert["subCategory"] = sub
    return alert


def field_alert(
    rng: random.Random,
    number: int,
    run_id: str,
    near: tuple[float, float],
    commune: Commune,
    source: str,
    now: float,
) -> dict[str, Any]:
    """An alert raised by a crew (``source``) near where it is."""
    category, sub, severity, description, _ = rng.choices(
        FIELD_ALERTS, [a[4] for a in FIELD_ALERTS]
    )[0]
    lat, lon = random_in_disc(rng, near[0], near[1], 200.0)
    return _alert(
        number, run_id, category, sub, severity, description, lat, lon, commune, source, now
    )


def building_alarm(
    rng: random.Random,
    number: int,
    run_id: str,
    building_id: str,
    name: str,
    street: str,
    lat: float,
    lon: float,
    commune: Commune,
    now: float,
) -> dict[str, Any]:
    """An alarm of a monitored public building (category ``security``), its source the building.

    Technical, intrusion or fire, in their proportions (``BUILDING_ALARMS``).
    """
    sub, severity, what, _ = rng.choices(BUILDING_ALARMS, [a[3] for a in BUILDING_ALARMS])[0]
    alert = _alert(
        number,
        run_id,
        "security",
        sub,
        severity,
        f"{what} : {name}",
        lat,
        lon,
        commune,
        building_id,
        now,
    )
    alert["address"] = {
        "streetAddress": street,
        "postalCode": commune.postal_code,
        "addressLocality": commune.name,
        "addressCountry": "FR",
    }
    return alert


def road_alert(
    number: int,
    run_id: str,
    station_id: str,
    state: str,
    road_temp: float,
    lat: float,
    lon: float,
    commune: Commune,
    now: float,
) -> dict[str, Any]:
    """A road-weather station's alert when its road surface turns to ice or snow."""
    what = "Verglas" if state == "ice" else "Neige"
    return _alert(
        number,
        run_id,
        "weather",
        "ice" if state == "ice" else "snow",
        "high",
        f"{what} sur la chaussée, surface à {road_temp:.1f} °C",
        lat,
        lon,
        commune,
        station_id,
        now,
    )
