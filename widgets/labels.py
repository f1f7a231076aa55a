"""What operators read for the domain's codes: statuses, sources, categories, in their language.

The domain hands out enums and codes; this table is where they become words. A code without a
label (a city's own category) is shown as it is.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "labels"
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_IDENTIFIER = re.compile(r"[a-z][A-Za-z0-9_]*")

STATUS = {
    "new": QT_TRANSLATE_NOOP("labels", "new"),
    "acknowledged": QT_TRANSLATE_NOOP("labels", "acknowledged"),
    "dispatched": QT_TRANSLATE_NOOP("labels", "dispatched"),
    "on_scene": QT_TRANSLATE_NOOP("labels", "on scene"),
    "resolved": QT_TRANSLATE_NOOP("labels", "resolved"),
    "closed": QT_TRANSLATE_NOOP("labels", "closed"),
    "cancelled": QT_TRANSLATE_NOOP("labels", "cancelled"),
    "duplicate": QT_TRANSLATE_NOOP("labels", "duplicate"),
}
SOURCE = {
    "report": QT_TRANSLATE_NOOP("labels", "citizen report"),
    "alert": QT_TRANSLATE_NOOP("labels", "field alert"),
    "fault": QT_TRANSLATE_NOOP("labels", "equipment fault"),
    "call": QT_TRANSLATE_NOOP("labels", "phone call"),
    "manual": QT_TRANSLATE_NOOP("labels", "operator"),
}
#: An incident's history names the field that changed.
FIELD = {
    "created": QT_TRANSLATE_NOOP("labels", "created"),
    "status": QT_TRANSLATE_NOOP("labels", "status"),
    "priority": QT_TRANSLATE_NOOP("labels", "priority"),
    "priority_reason": QT_TRANSLATE_NOOP("labels", "priority's reason"),
    "category": QT_TRANSLATE_NOOP("labels", "category"),
    "commune": QT_TRANSLATE_NOOP("labels", "commune"),
    "location": QT_TRANSLATE_NOOP("labels", "location"),
    "place": QT_TRANSLATE_NOOP("labels", "place"),
    "description": QT_TRANSLATE_NOOP("labels", "description"),
    "assigned_unit": QT_TRANSLATE_NOOP("labels", "unit"),
    "duplicate_of": QT_TRANSLATE_NOOP("labels", "duplicate of"),
    "alert_count": QT_TRANSLATE_NOOP("labels", "field alerts"),
}
CATEGORY = {
    "security": QT_TRANSLATE_NOOP("labels", "building alarm"),
    "fire": QT_TRANSLATE_NOOP("labels", "fire"),
    "health": QT_TRANSLATE_NOOP("labels", "health"),
    "traffic": QT_TRANSLATE_NOOP("labels", "traffic"),
    "weather": QT_TRANSLATE_NOOP("labels", "weather"),
    "water": QT_TRANSLATE_NOOP("labels", "water"),
    "environment": QT_TRANSLATE_NOOP("labels", "environment"),
    "naturalDisaster": QT_TRANSLATE_NOOP("labels", "natural disaster"),
    "public_order": QT_TRANSLATE_NOOP("labels", "public order"),
    "road_accident": QT_TRANSLATE_NOOP("labels", "road accident"),
    "freeze_risk": QT_TRANSLATE_NOOP("labels", "freeze risk"),
    "signal_fault": QT_TRANSLATE_NOOP("labels", "traffic signal fault"),
    "bollard_fault": QT_TRANSLATE_NOOP("labels", "bollard fault"),
    "camera_fault": QT_TRANSLATE_NOOP("labels", "camera fault"),
    "cabinet_fault": QT_TRANSLATE_NOOP("labels", "lighting cabinet fault"),
    "gateway_fault": QT_TRANSLATE_NOOP("labels", "cabinet failure"),
    "lighting_fault": QT_TRANSLATE_NOOP("labels", "street light fault"),
    "equipment_fault": QT_TRANSLATE_NOOP("labels", "equipment fault"),
    "road_damage": QT_TRANSLATE_NOOP("labels", "road damage"),
    "fallen_tree": QT_TRANSLATE_NOOP("labels", "fallen tree"),
    "noise": QT_TRANSLATE_NOOP("labels", "noise"),
    "abandoned_vehicle": QT_TRANSLATE_NOOP("labels", "abandoned vehicle"),
    "cleanliness": QT_TRANSLATE_NOOP("labels", "cleanliness"),
    "graffiti": QT_TRANSLATE_NOOP("labels", "graffiti"),
    "signage": QT_TRANSLATE_NOOP("labels", "signage"),
    "parking": QT_TRANSLATE_NOOP("labels", "obstructive parking"),
    "green_spaces": QT_TRANSLATE_NOOP("labels", "green spaces"),
    "street_furniture": QT_TRANSLATE_NOOP("labels", "street furniture"),
    "snow_ice": QT_TRANSLATE_NOOP("labels", "snow and ice"),
    "other": QT_TRANSLATE_NOOP("labels", "other"),
}
UNIT_STATUS = {
    "available": QT_TRANSLATE_NOOP("labels", "available"),
    "en_route": QT_TRANSLATE_NOOP("labels", "en route"),
    "on_scene": QT_TRANSLATE_NOOP("labels", "on scene"),
    "unavailable": QT_TRANSLATE_NOOP("labels", "unavailable"),
}
COMMAND_STATUS = {
    "pending": QT_TRANSLATE_NOOP("labels", "pending"),
    "accepted": QT_TRANSLATE_NOOP("labels", "accepted"),
    "done": QT_TRANSLATE_NOOP("labels", "done"),
    "partial": QT_TRANSLATE_NOOP("labels", "partial"),
    "rejected": QT_TRANSLATE_NOOP("labels", "rejected"),
    "failed": QT_TRANSLATE_NOOP("labels", "failed"),
    "expired": QT_TRANSLATE_NOOP("labels", "expired"),
    "timed_out": QT_TRANSLATE_NOOP("labels", "timed out"),
}
EQUIPMENT_STATE = {
    "ok": QT_TRANSLATE_NOOP("labels", "working"),
    "fault": QT_TRANSLATE_NOOP("labels", "fault"),
    "stale": QT_TRANSLATE_NOOP("labels", "silent (stale)"),
    "comm_lost": QT_TRANSLATE_NOOP("labels", "link lost"),
}

#: A device's type (the field contract's Smart Data Models names): what a technician calls it.
EQUIPMENT_TYPE = {
    "Streetlight": QT_TRANSLATE_NOOP("labels", "street light"),
    "StreetlightGroup": QT_TRANSLATE_NOOP("labels", "lighting group"),
    "StreetlightControlCabinet": QT_TRANSLATE_NOOP("labels", "lighting cabinet"),
    "TrafficSignal": QT_TRANSLATE_NOOP("labels", "traffic signal"),
    "Camera": QT_TRANSLATE_NOOP("labels", "camera"),
    "Bollard": QT_TRANSLATE_NOOP("labels", "bollard"),
    "WeatherObserved": QT_TRANSLATE_NOOP("labels", "road weather station"),
    "TrafficFlowObserved": QT_TRANSLATE_NOOP("labels", "traffic counter"),
    "SaltStock": QT_TRANSLATE_NOOP("labels", "salt stock"),
    "Device": QT_TRANSLATE_NOOP("labels", "presence sensor"),
}

#: A device's ``status`` (the field contract's, Smart Data Models' for Streetlight): in words.
DEVICE_STATUS = {
    "ok": QT_TRANSLATE_NOOP("labels", "working"),
    "fault": QT_TRANSLATE_NOOP("labels", "fault"),
    "defectiveLamp": QT_TRANSLATE_NOOP("labels", "defective lamp"),
    "brokenLantern": QT_TRANSLATE_NOOP("labels", "broken lantern"),
    "columnIssue": QT_TRANSLATE_NOOP("labels", "column problem"),
}
ROLE = {
    "dispatcher": QT_TRANSLATE_NOOP("labels", "dispatcher"),
    "snow_coordinator": QT_TRANSLATE_NOOP("labels", "snow coordinator"),
    "technician": QT_TRANSLATE_NOOP("labels", "technician"),
    "supervisor": QT_TRANSLATE_NOOP("labels", "supervisor"),
    "auditor": QT_TRANSLATE_NOOP("labels", "auditor"),
    "admin": QT_TRANSLATE_NOOP("labels", "administrator"),
    "video_operator": QT_TRANSLATE_NOOP("labels", "video operator"),
}

UNIT_KIND = {
    "patrol": QT_TRANSLATE_NOOP("labels", "patrol"),
    "road_crew": QT_TRANSLATE_NOOP("labels", "road crew"),
    "snow_plough": QT_TRANSLATE_NOOP("labels", "snow plough"),
    "salt_spreader": QT_TRANSLATE_NOOP("labels", "salt spreader"),
    "other": QT_TRANSLATE_NOOP("labels", "other"),
}
SNOW_LEVEL = {
    "0": QT_TRANSLATE_NOOP("labels", "0 watch"),
    "1": QT_TRANSLATE_NOOP("labels", "1 alert"),
    "2": QT_TRANSLATE_NOOP("labels", "2 intervention"),
    "3": QT_TRANSLATE_NOOP("labels", "3 crisis"),
}
TRAFFIC_MODE = {
    "normal": QT_TRANSLATE_NOOP("labels", "normal"),
    "peak": QT_TRANSLATE_NOOP("labels", "peak"),
    "event": QT_TRANSLATE_NOOP("labels", "event"),
    "incident": QT_TRANSLATE_NOOP("labels", "incident"),
    "snow": QT_TRANSLATE_NOOP("labels", "snow"),
}
MODE_KIND = {
    "snow": QT_TRANSLATE_NOOP("labels", "snow plan"),
    "traffic": QT_TRANSLATE_NOOP("labels", "traffic mode"),
}
MODE_STATE = {
    "applying": QT_TRANSLATE_NOOP("labels", "applying"),
    "applied": QT_TRANSLATE_NOOP("labels", "applied"),
    "partial": QT_TRANSLATE_NOOP("labels", "partly applied"),
    "failed": QT_TRANSLATE_NOOP("labels", "failed"),
    "rolled_back": QT_TRANSLATE_NOOP("labels", "rolled back"),
}
ROAD_STATE = {
    "dry": QT_TRANSLATE_NOOP("labels", "dry"),
    "moist": QT_TRANSLATE_NOOP("labels", "moist"),
    "wet": QT_TRANSLATE_NOOP("labels", "wet"),
    "ice": QT_TRANSLATE_NOOP("labels", "icy"),
    "snow": QT_TRANSLATE_NOOP("labels", "snow-covered"),
}

#: What the recorder noticed in a message it accepted (``Incident.flags``): said in words in the
#: detail, so that an operator knows which of the field's values to doubt.
FLAG = {
    "time_in_future": QT_TRANSLATE_NOOP(
        "labels", "the sender's clock was ahead: received time shown"
    ),
    "time_in_past": QT_TRANSLATE_NOOP(
        "labels", "the sender's clock was not set (a date before 2000): received time shown"
    ),
    "time_without_offset": QT_TRANSLATE_NOOP(
        "labels", "the sender's time had no time zone: read as UTC"
    ),
    "outside_metropole": QT_TRANSLATE_NOOP("labels", "the position is outside the métropole"),
    "nul_removed": QT_TRANSLATE_NOOP("labels", "invisible characters removed"),
    "id_differs_from_topic": QT_TRANSLATE_NOOP(
        "labels", "the id in the message differs from its topic's: the topic's kept"
    ),
    "type_differs_from_topic": QT_TRANSLATE_NOOP(
        "labels", "the type in the message differs from its topic's: the topic's kept"
    ),
}


def mode_value_label(kind: str, value: str | None) -> str:
    """``2 intervention``, ``peak``: a level or mode as the operator reads it."""
    if value is None:
        return "-"
    return label(SNOW_LEVEL if kind == "snow" else TRAFFIC_MODE, value)


def label(table: dict[str, str], code: str | None) -> str:
    if code is None:
        return ""
    text = table.get(code)
    return QCoreApplication.translate(CONTEXT, text) if text else code


def status_label(code: str | None) -> str:
    """A device's status in words; a code the city's devices add reads as words too."""
    if code is None:
        return ""
    if code in DEVICE_STATUS:
        return label(DEVICE_STATUS, code)
    if _IDENTIFIER.fullmatch(code):  # lampFlickering: lamp flickering
        return _CAMEL.sub(" ", code).replace("_", " ").lower()
    return code  # not a code: what the device sent, shown as it is


def age_text(seconds: float) -> str:
    """A duration as an operator reads it at a glance: 40 s, 25 min, 3 h, 2 d."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return f"{int(seconds)} s"
    if minutes < 120:
        return f"{minutes} min"
    hours = minutes // 60
    return f"{hours} h" if hours < 48 else f"{hours // 24} d"
