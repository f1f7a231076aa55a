"""The entity states of the field contract, declared once: each type's attributes and their kinds.

Two readers are built from this table and from nothing else: the pydantic models
(``services.bus.schemas``), which alone decide what is accepted and what is quarantined and why,
and the plain-state checks (``services.bus.plain_state``), the recorder's fast path for states
the models would take unchanged. The table imports no pydantic, so the recorder's writer builds
its fast path without loading it (a tenth of a second at every cold start).
"""

from __future__ import annotations

from dataclasses import dataclass

from services.bus import limits


@dataclass(frozen=True)
class Attribute:
    """What one attribute may hold; ``kind`` is one of :data:`KINDS`."""

    kind: str
    allowed: tuple[str, ...] = ()  # a choice's words
    max_length: int | None = None  # a bounded text's column width
    pattern: str | None = None  # a pattern text's regular expression, anchored


#: text: any text. code: text, or an identifier sent as a JSON number (read as text).
#: number: a finite number, or a numeric string; never true or false. fraction: such a number
#: within 0..1. integer: a whole number. flag: true or false, nothing else. location: GeoJSON.
#: choice, bounded, pattern: text among words, within a length, matching an expression.
#: one_or_many: text or a list of texts.
KINDS = frozenset(
    {
        "text",
        "code",
        "number",
        "fraction",
        "integer",
        "flag",
        "location",
        "choice",
        "bounded",
        "pattern",
        "one_or_many",
    }
)

TEXT = Attribute("text")
CODE = Attribute("code")
NUMBER = Attribute("number")
FRACTION = Attribute("fraction")
INTEGER = Attribute("integer")
FLAG = Attribute("flag")
LOCATION = Attribute("location")
ONE_OR_MANY = Attribute("one_or_many")


def choice(*allowed: str) -> Attribute:
    return Attribute("choice", allowed=allowed)


def bounded(max_length: int) -> Attribute:
    """Text of at most ``max_length`` characters (the column that stores it)."""
    return Attribute("bounded", max_length=max_length)


def pattern(expression: str) -> Attribute:
    return Attribute("pattern", pattern=expression)


IDENTIFIER = pattern(r"^[A-Za-z0-9:._-]{1,128}$")
INSEE = pattern(r"^\d[0-9AB]\d{3}$")

#: What every entity may carry; the topic's type and id are authoritative.
ENTITY: dict[str, Attribute] = {
    "id": CODE,
    "type": TEXT,
    "name": TEXT,
    "location": LOCATION,
    "status": bounded(limits.EQUIPMENT_STATUS),
    "refGateway": IDENTIFIER,
    "refCommune": INSEE,
    "observationDateTime": TEXT,
    "dateObserved": TEXT,
    "dateModified": TEXT,
}

_POWER = choice("on", "off", "low", "bootingUp")
_OK_FAULT = choice("ok", "fault")

#: Each entity type's own attributes, beside (or in place of) :data:`ENTITY`'s.
ENTITY_TYPES: dict[str, dict[str, Attribute]] = {
    "Streetlight": {
        "powerState": _POWER,
        "illuminanceLevel": FRACTION,
        "powerConsumption": NUMBER,
        "lanternHeight": NUMBER,
        "refStreetlightGroup": bounded(limits.DEVICE_ID),  # stored as equipment.group_ref
        "ratedPower": NUMBER,  # Vigie's extension: W at full level
    },
    "StreetlightGroup": {
        "powerState": _POWER,
        "illuminanceLevel": FRACTION,
        "profile": TEXT,  # Vigie's extension: the dimming profile held, by name
        "profileVersion": TEXT,  # and its version (DimmingProfile.version)
        "ratedPower": NUMBER,  # Vigie's extension: W, the sum of its lights'
    },
    "StreetlightControlCabinet": {
        "energyConsumed": NUMBER,  # kWh since dateMeteringStarted: the recorder's energy readings
        "dateMeteringStarted": TEXT,  # a new one is a meter reset (services.store.energy)
        "maximumPowerAvailable": NUMBER,
        "refStreetlightGroup": ONE_OR_MANY,
        "ratedPower": NUMBER,  # Vigie's extension: W, the sum of its lights' (the baseline)
    },
    "TrafficSignal": {
        "status": _OK_FAULT,
        "plan": TEXT,
        "operatingMode": choice("coordinated", "isolated", "manual"),
        "busPriority": FLAG,
        "lastPriorityRequest": TEXT,
        "lastPriorityServed": FLAG,  # Vigie's extension: whether that request was served
        # Vigie's extensions: who asked it, a bus or a unit (``priority`` command), and which unit
        "lastPriorityKind": choice("bus", "unit"),
        "lastPriorityUnit": TEXT,
    },
    "Bollard": {"status": _OK_FAULT, "position": choice("up", "down", "moving")},
    "Camera": {
        "status": _OK_FAULT,
        "cameraNum": INTEGER,
        "streamURL": TEXT,  # Smart Data Models' own; Vigie's cameras name it without a token
        "preset": INTEGER,  # Vigie's extension: the preset in force
        # Vigie's extension: the version of the privacy masks in force (any text: a version the
        # console does not expect blacks the picture out, it never loses the camera's state)
        "maskVersion": TEXT,
    },
    "SaltStock": {"saltTonnes": NUMBER, "brineCubicMetres": NUMBER, "capacityTonnes": NUMBER},
    "WeatherObserved": {
        "temperature": NUMBER,
        "relativeHumidity": NUMBER,
        "precipitation": NUMBER,
        "roadSurfaceTemperature": NUMBER,
        "roadSurfaceState": choice("dry", "moist", "wet", "ice", "snow"),
    },
    "TrafficFlowObserved": {
        "intensity": NUMBER,
        "occupancy": NUMBER,
        "averageVehicleSpeed": NUMBER,
    },
    # Smart Data Models' Device; Vigie's are presence sensors: controlledProperty ["occupancy"],
    # value 1 while someone is detected, else 0, controlledAsset [the StreetlightGroup it raises].
    # ``value`` is kept as sent, undeclared: the model defines it as text (its published example
    # sends "l%3D0.22%3Bt%3D21.2"), Vigie's sensors send a number, and neither may be refused.
    "Device": {
        "controlledProperty": ONE_OR_MANY,
        "controlledAsset": ONE_OR_MANY,
        "dateLastValueReported": TEXT,  # when ``value`` was observed: the state's time
    },
}


def attributes_of(entity_type: str) -> dict[str, Attribute]:
    """Every attribute ``entity_type`` may carry, :data:`ENTITY`'s first, as its model has them."""
    return {**ENTITY, **ENTITY_TYPES[entity_type]}
