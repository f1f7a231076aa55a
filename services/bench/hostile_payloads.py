"""The bad input of issue 14, as named classes of messages, each with the outcome it must have.

``vigie bench hostile`` (``services.bench.hostile``) publishes these against a private broker and
a real recorder. Every message names where its trace is looked for: the record it should have
made (an equipment, unit, incident, ack or gateway row keyed by ``entity``) or its quarantine row
(on its topic, with ``entity`` when the recorder names it). Ids are unique within a run, so that
one message's trace is never taken for another's.

The bench must not read ``tests/``: the NGSI normalized payloads are built here, after the forms
the Smart Data Models publish (NGSI-v2 ``{"type", "value"}`` attributes with ``geo:json``
locations; NGSI-LD ``Property``/``GeoProperty``/``Relationship`` with or without ``@context``).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

RECORDED = "recorded"
QUARANTINED = "quarantined"

OVERFLOWING = ("9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00")
#: The flag a report, an alert or a state takes for each: far ahead of UTC, far behind.
OVERFLOW_FLAGS = ("time_in_future", "time_in_past")
#: Before 2000: a clock that was never set.
PAST = "1999-12-31T23:59:59Z"
#: The device every seeded command addresses, and that answers it.
ACK_DEVICE = "hostile:sl:ack"
POINT = {"type": "Point", "coordinates": [5.0415, 47.3220]}  # Dijon, place de la Libération
OVERSIZE = 4 * 1024 * 1024 + 1024  # just over the contract's 4 MiB


class Kind(StrEnum):
    """Which record a message makes, hence where the bench looks for it."""

    STATE = "state"
    POSITION = "position"
    UNIT_STATUS = "unit_status"
    ALERT = "alert"
    REPORT = "report"
    ACK = "ack"
    GATEWAY = "gateway"


@dataclass(frozen=True)
class Probe:
    """One message and the outcome it must have."""

    label: str  # unique within its class, stable across runs
    kind: Kind
    tail: str  # the topic under the class's root
    payload: bytes
    expected: str  # RECORDED or QUARANTINED
    entity: str | None  # the device, unit, alert, report, request or gateway id
    retain: bool = False
    qos: int = 1
    flag: str | None = None  # a flag the record must carry (time_in_future…)
    first_name: str | None = None  # the reporter's first name as it must be stored
    description: str | None = None  # the incident's description as it must be stored


@dataclass(frozen=True)
class HostileClass:
    """A named group of messages; ``after_restart`` follows a SIGKILL and restart."""

    name: str
    probes: tuple[Probe, ...]
    commands: tuple[str, ...] = ()  # request ids the acks answer: seeded in the outbox first
    after_restart: tuple[Probe, ...] = ()

    @property
    def all_probes(self) -> tuple[Probe, ...]:
        return self.probes + self.after_restart


def _json(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


@dataclass
class _Builder:
    """Builds one class's probes with ids of its own (``{prefix}:{n}``)."""

    prefix: str
    now: datetime
    probes: list[Probe] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)

    def _id(self, what: str) -> str:
        return f"hostile:{self.prefix}:{what}:{len(self.probes) + 1}"

    @property
    def fresh(self) -> str:
        return _iso(self.now)

    def add(self, probe: Probe) -> Probe:
        self.probes.append(probe)
        return probe

    # --- one per message type, from a valid body ---------------------------------------------
    def state(
        self, label: str, body: dict | bytes, expected: str, *, retain: bool = False, **check: Any
    ) -> Probe:
        ident = self._id("sl")
        payload = body if isinstance(body, bytes) else _json(body)
        return self.add(
            Probe(
                label,
                Kind.STATE,
                f"state/Streetlight/{ident}",
                payload,
                expected,
                ident,
                retain=retain,
                **check,
            )
        )

    def light(self, **changes: Any) -> dict:
        return {
            "type": "Streetlight",
            "status": "ok",
            "powerState": "on",
            "illuminanceLevel": 1.0,
            "location": POINT,
            **changes,
        }

    def position(self, label: str, body: dict | bytes, expected: str, **check: Any) -> Probe:
        unit = self._id("unit")
        payload = body if isinstance(body, bytes) else _json(body)
        return self.add(
            Probe(label, Kind.POSITION, f"units/{unit}/position", payload, expected, unit, **check)
        )

    def vehicle(self, **changes: Any) -> dict:
        return {
            "type": "Vehicle",
            "name": "VL 12",
            "category": ["police"],
            "location": POINT,
            "observationDateTime": self.fresh,
            "speed": 30,
            **changes,
        }

    def unit_status(self, label: str, body: dict, expected: str, **check: Any) -> Probe:
        unit = self._id("unit")
        return self.add(
            Probe(label, Kind.UNIT_STATUS, f"units/{unit}/status", _json(body), expected, unit)
        )

    def alert(self, label: str, expected: str, **changes: Any) -> Probe:
        ident = self._id("alert")
        body = {
            "id": ident,
            "type": "Alert",
            "category": "traffic",
            "subCategory": "trafficJam",
            "severity": "medium",
            "dateIssued": self.fresh,
            "location": POINT,
            "description": "Bouchon rue de la Liberté",
            **changes,
        }
        check = {k: v for k, v in (("description", changes.get("description")),) if v}
        return self.add(Probe(label, Kind.ALERT, "alerts", _json(body), expected, ident, **check))

    def alert_raw(self, label: str, payload: bytes, expected: str, ident: str) -> Probe:
        return self.add(Probe(label, Kind.ALERT, "alerts", payload, expected, ident))

    def report(
        self, label: str, expected: str, *, entity: str | None = None, **changes: Any
    ) -> Probe:
        ident = entity or self._id("report").replace(":", "-")
        body = {
            "service_request_id": ident,
            "service_code": "eclairage",
            "service_name": "Éclairage public",
            "description": "Lampadaire éteint",
            "requested_datetime": self.fresh,
            "lat": 47.3220,
            "long": 5.0415,
            **changes,
        }
        return self.add(Probe(label, Kind.REPORT, "reports", _json(body), expected, ident))

    def ack(self, label: str, ts: str, expected: str) -> Probe:
        request_id = str(uuid.uuid4())
        self.commands.append(request_id)
        body = {"request_id": request_id, "device_id": ACK_DEVICE, "status": "done", "ts": ts}
        # An ack topic of its own: its quarantine row is told from the others by its topic.
        tail = f"ack/{self._id('console').replace(':', '-')}"
        return self.add(Probe(label, Kind.ACK, tail, _json(body), expected, request_id))

    def gateway(self, label: str, body: dict, expected: str) -> Probe:
        gw = self._id("gw")
        return self.add(
            Probe(label, Kind.GATEWAY, f"gateways/{gw}/status", _json(body), expected, gw)
        )

    def done(self, name: str) -> HostileClass:
        return HostileClass(name, tuple(self.probes), tuple(self.commands))


def control(now: datetime) -> HostileClass:
    """One valid message of each type: shows the bench finds each kind of record."""
    b = _Builder("ctl", now)
    b.state("state", b.light(observationDateTime=b.fresh), RECORDED)
    b.position("position", b.vehicle(), RECORDED)
    b.unit_status("unit status", {"status": "available", "ts": b.fresh}, RECORDED)
    b.alert("alert", RECORDED)
    b.report("report", RECORDED)
    b.ack("ack", b.fresh, RECORDED)
    b.gateway("gateway", {"online": True, "since": b.fresh}, RECORDED)
    return b.done("control")


def time_overflow(now: datetime) -> HostileClass:
    """Times whose conversion to UTC overflows, in every time field of every message type.

    Where a time orders a record (a unit's position or status, an ack) the message is
    quarantined; reports, alerts and states are kept at the receiver's time, flagged; a
    gateway's ``since`` becomes the receiver's time.
    """
    b = _Builder("ovf", now)
    for n, (value, flag) in enumerate(zip(OVERFLOWING, OVERFLOW_FLAGS, strict=True), 1):
        for name in ("observationDateTime", "dateObserved", "dateModified"):
            b.state(f"state {name} {n}", b.light(**{name: value}), RECORDED, flag=flag)
            b.state(
                f"retained state {name} {n}",
                b.light(**{name: value}),
                RECORDED,
                retain=True,
                flag=flag,
            )
        b.position(
            f"position observationDateTime {n}", b.vehicle(observationDateTime=value), QUARANTINED
        )
        b.unit_status(f"unit status ts {n}", {"status": "unavailable", "ts": value}, QUARANTINED)
        b.alert(f"alert dateIssued {n}", RECORDED, dateIssued=value)
        b.probes[-1] = _with_flag(b.probes[-1], flag)
        b.report(f"report requested_datetime {n}", RECORDED, requested_datetime=value)
        b.probes[-1] = _with_flag(b.probes[-1], flag)
        b.ack(f"ack ts {n}", value, QUARANTINED)
        b.gateway(f"gateway since {n}", {"online": True, "since": value}, RECORDED)
    return b.done("time_overflow")


def time_bounds(now: datetime) -> HostileClass:
    """Clocks ahead or behind: what orders things is quarantined, the rest kept and flagged."""
    b = _Builder("clk", now)
    values = (
        ("future", _iso(now + timedelta(days=1)), "time_in_future"),
        ("far future", "9999-12-31T23:59:59Z", "time_in_future"),
        ("past", PAST, "time_in_past"),
    )
    for when, value, flag in values:
        b.position(f"position {when}", b.vehicle(observationDateTime=value), QUARANTINED)
        b.unit_status(f"unit status {when}", {"status": "unavailable", "ts": value}, QUARANTINED)
        b.ack(f"ack {when}", value, QUARANTINED)
        b.report(f"report {when}", RECORDED, requested_datetime=value)
        b.probes[-1] = _with_flag(b.probes[-1], flag)
        b.alert(f"alert {when}", RECORDED, dateIssued=value)
        b.probes[-1] = _with_flag(b.probes[-1], flag)
        b.state(f"state {when}", b.light(observationDateTime=value), RECORDED, flag=flag)
    return b.done("time_bounds")


def _with_flag(probe: Probe, flag: str) -> Probe:
    return Probe(**{**probe.__dict__, "flag": flag})


def citizen_text(now: datetime) -> HostileClass:
    """A NUL in a reporter's name, markup in descriptions: recorded, as plain text."""
    b = _Builder("txt", now)
    p = b.report("NUL in first_name", RECORDED, first_name="Je\u0000an", last_name="Dupont")
    b.probes[-1] = Probe(**{**p.__dict__, "first_name": "Jean"})
    markup = "<h1 style=color:red>FAUSSE ALERTE - IGNORER</h1><a href=http://x.test>ici</a>"
    p = b.report("markup in report description", RECORDED, description=markup)
    b.probes[-1] = Probe(**{**p.__dict__, "description": markup})
    b.alert("markup in alert description", RECORDED, description=markup)
    return b.done("citizen_text")


def numeric_ids(now: datetime) -> HostileClass:
    """Ids sent as JSON numbers, as GeoReport v2's own examples and real feeds have them."""
    b = _Builder("num", now)
    b.state("state id as a number", b.light(id=12345), RECORDED)
    base = 900_000_000 + now.microsecond * 10  # unique within a database a run shares
    b.report(
        "service_request_id as a number",
        RECORDED,
        entity=str(base + 1),
        service_request_id=base + 1,
    )
    b.report("service_code as a number", RECORDED, service_code=42)
    b.report(
        "both as numbers",
        RECORDED,
        entity=str(base + 2),
        service_request_id=base + 2,
        service_code=17,
    )
    return b.done("numeric_ids")


def _v2(value: Any, kind: str = "Text") -> dict:
    return {"type": kind, "value": value, "metadata": {}}


def _ld(value: Any) -> dict:
    return {"type": "Property", "value": value}


LD_CONTEXT = [
    "https://raw.githubusercontent.com/smart-data-models/dataModel.Streetlighting/master/context.jsonld",
    "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld",
]


def ngsi_normalized(now: datetime) -> HostileClass:
    """NGSI-v2 and NGSI-LD normalized forms (LD with and without ``@context``): all recorded."""
    b = _Builder("ngsi", now)
    t = b.fresh
    v2_geo = {"type": "geo:json", "value": POINT}
    ld_geo = {"type": "GeoProperty", "value": POINT}
    ld_time = {"type": "Property", "value": {"@type": "DateTime", "@value": t}}
    forms = {
        "NGSI-v2": {
            "light": {
                "location": v2_geo,
                "status": _v2("ok"),
                "powerState": _v2("on"),
                "illuminanceLevel": _v2(0.8, "Number"),
                "refStreetlightGroup": _v2("urn:ngsi-ld:StreetlightGroup:G1", "Relationship"),
                "dateModified": _v2(t, "DateTime"),
            },
            "vehicle": {
                "location": v2_geo,
                "observationDateTime": _v2(t, "DateTime"),
                "name": _v2("VL 14"),
                "category": _v2(["municipalServices"], "StructuredValue"),
                "speed": _v2(22, "Number"),
            },
            "alert": {
                "category": _v2("traffic"),
                "subCategory": _v2("trafficJam"),
                "severity": _v2("medium"),
                "dateIssued": _v2(t, "DateTime"),
                "location": v2_geo,
                "description": _v2("Bouchon"),
            },
            "report": {
                "service_code": _v2("eclairage"),
                "service_name": _v2("Éclairage public"),
                "description": _v2("Lampadaire éteint"),
                "requested_datetime": _v2(t, "DateTime"),
                "location": v2_geo,
            },
        },
        "NGSI-LD": {
            "light": {
                "location": ld_geo,
                "status": _ld("ok"),
                "powerState": {**_ld("on"), "observedAt": t},
                "illuminanceLevel": _ld(0.8),
                "refStreetlightGroup": {
                    "type": "Relationship",
                    "object": "urn:ngsi-ld:StreetlightGroup:G1",
                },
                "dateModified": ld_time,
            },
            "vehicle": {
                "location": ld_geo,
                "observationDateTime": ld_time,
                "name": _ld("VL 14"),
                "category": _ld(["municipalServices"]),
                "speed": _ld(22),
            },
            "alert": {
                "category": _ld("traffic"),
                "subCategory": _ld("trafficJam"),
                "severity": _ld("medium"),
                "dateIssued": ld_time,
                "location": ld_geo,
                "description": _ld("Bouchon"),
            },
            "report": {
                "service_code": _ld("eclairage"),
                "service_name": _ld("Éclairage public"),
                "description": _ld("Lampadaire éteint"),
                "requested_datetime": ld_time,
                "location": ld_geo,
            },
        },
    }
    variants = [
        ("NGSI-v2", "NGSI-v2", {}),
        ("NGSI-LD", "NGSI-LD @context", {"@context": LD_CONTEXT}),
    ]
    variants.append(("NGSI-LD", "NGSI-LD", {}))
    for form, name, extra in variants:
        attrs = forms[form]
        n = len(b.probes)
        b.state(
            f"Streetlight {name}",
            {
                "id": f"urn:ngsi-ld:Streetlight:x{n}",
                "type": "Streetlight",
                **attrs["light"],
                **extra,
            },
            RECORDED,
        )
        b.position(
            f"Vehicle {name}",
            {"id": f"urn:ngsi-ld:Vehicle:x{n}", "type": "Vehicle", **attrs["vehicle"], **extra},
            RECORDED,
        )
        alert_id = f"urn:ngsi-ld:Alert:hostile:ngsi:{len(b.probes) + 1}"
        b.alert_raw(
            f"Alert {name}",
            _json({"id": alert_id, "type": "Alert", **attrs["alert"], **extra}),
            RECORDED,
            alert_id,
        )
        request = f"hostile-ngsi-report-{len(b.probes) + 1}"
        sri = _v2(request) if form == "NGSI-v2" else _ld(request)
        b.add(
            Probe(
                f"Open311ServiceRequest {name}",
                Kind.REPORT,
                "reports",
                _json(
                    {
                        "id": f"urn:ngsi-ld:Open311ServiceRequest:{request}",
                        "type": "Open311ServiceRequest",
                        "service_request_id": sri,
                        **attrs["report"],
                        **extra,
                    }
                ),
                RECORDED,
                request,
            )
        )
    return b.done("ngsi_normalized")


def doubtful(now: datetime) -> HostileClass:
    """Values that are not what they claim, and payloads that are not JSON objects."""
    b = _Builder("dbt", now)
    bool_point = {"type": "Point", "coordinates": [True, False]}
    b.state("[true,false] coordinates", b.light(location=bool_point), QUARANTINED)
    b.report("lat/long booleans", QUARANTINED, lat=True, long=False)
    b.position(
        "speed 1e400",
        _json(b.vehicle(speed=1)).replace(b'"speed": 1', b'"speed": 1e400'),
        QUARANTINED,
    )
    b.state(
        "illuminanceLevel 1e400",
        _json(b.light()).replace(b'"illuminanceLevel": 1.0', b'"illuminanceLevel": 1e400'),
        QUARANTINED,
    )
    b.state("300-character status", b.light(status="x" * 300), QUARANTINED)
    b.alert("300-character category", QUARANTINED, category="c" * 300)
    b.state("Infinity", b'{"status": "ok", "illuminanceLevel": Infinity}', QUARANTINED)
    b.state("NaN", b'{"status": "ok", "powerConsumption": NaN}', QUARANTINED)
    b.state("malformed JSON", b'{"status": "ok", "powerState": ', QUARANTINED)
    b.state("not UTF-8", b'{"status": "ok", "name": "\xff\xfe\xfa"}', QUARANTINED)
    b.state("JSON array", b'[{"status": "ok"}]', QUARANTINED)
    big = _json(b.light(name="x" * OVERSIZE))
    b.state("payload over 4 MiB", big, QUARANTINED)
    # A topic whose identifier breaks [A-Za-z0-9:._-]{1,128}: no record can be keyed on it.
    b.add(
        Probe(
            "space in a state topic's id",
            Kind.STATE,
            "state/Streetlight/sl bad id",
            _json(b.light()),
            QUARANTINED,
            None,
        )
    )
    b.add(
        Probe(
            "129-character unit id",
            Kind.UNIT_STATUS,
            f"units/{'u' * 129}/status",
            _json({"status": "available", "ts": b.fresh}),
            QUARANTINED,
            None,
        )
    )
    b.add(
        Probe(
            "extra level in a state topic",
            Kind.STATE,
            "state/Streetlight/a/b",
            _json(b.light()),
            QUARANTINED,
            None,
        )
    )
    return b.done("doubtful")


def poison_restart(now: datetime) -> HostileClass:
    """A retained poison state and a QoS 1 one, then SIGKILL and a restart: it must record."""
    b = _Builder("psn", now)
    b.state(
        "retained state, overflowing date",
        b.light(observationDateTime=OVERFLOWING[0]),
        RECORDED,
        retain=True,
        flag=OVERFLOW_FLAGS[0],
    )
    b.report("report, overflowing date", RECORDED, requested_datetime=OVERFLOWING[1])
    b.probes[-1] = _with_flag(b.probes[-1], OVERFLOW_FLAGS[1])
    b.unit_status(
        "unit status, overflowing date", {"status": "available", "ts": OVERFLOWING[0]}, QUARANTINED
    )
    before = tuple(b.probes)
    b.report("report after the restart", RECORDED)
    b.state("state after the restart", b.light(observationDateTime=b.fresh), RECORDED)
    return HostileClass("poison_restart", before, (), tuple(b.probes[len(before) :]))


def catalogue(now: datetime) -> list[HostileClass]:
    """Every class, in the order they run (the one that kills the recorder last)."""
    return [
        control(now),
        time_overflow(now),
        time_bounds(now),
        citizen_text(now),
        numeric_ids(now),
        ngsi_normalized(now),
        doubtful(now),
        poison_restart(now),
    ]


def canary(now: datetime, name: str, n: int) -> Probe:
    """A plain valid report: the recorder is alive if it records this one."""
    ident = f"hostile-canary-{name}-{n}".replace("_", "-")
    body = {
        "service_request_id": ident,
        "service_code": "eclairage",
        "description": "canary",
        "requested_datetime": _iso(now),
        "lat": 47.3220,
        "long": 5.0415,
    }
    return Probe("canary", Kind.REPORT, "reports", _json(body), RECORDED, ident)


__all__ = [
    "QUARANTINED",
    "RECORDED",
    "HostileClass",
    "Kind",
    "Probe",
    "canary",
    "catalogue",
]
