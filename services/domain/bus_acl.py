"""Who may publish and subscribe to what on the field bus (docs/security.md, "The field bus").

Plain data from the equipment register and the room's processes: one identity per gateway,
unit, recorder and console workstation, plus the citizen app's and the alarms' gateways. Topics
name devices, not gateways, so a gateway's identity lists each of its devices' topics (a pattern
could not say "only your own devices"). Mosquitto's password file forbids ``:`` in a name: ids'
``:`` become ``.`` in identities.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Identity:
    name: str
    publish: tuple[str, ...]
    subscribe: tuple[str, ...]
    deny: tuple[str, ...] = ()  # neither read nor written, whatever a wider pattern allows


def identity_name(kind: str, ident: str) -> str:
    """``gw.cab-21231-014``, ``unit.vehicle.pm-01``: a broker user name from an id."""
    return f"{kind}.{ident.replace(':', '.')}"


def bus_identities(
    root: str,
    devices: Iterable[tuple[str, str, str]],
    units: Iterable[str],
    *,
    recorders: Iterable[str] = ("main",),
    consoles: Iterable[str] = (),
) -> list[Identity]:
    """Every identity of the room. ``devices``: (type, id, gateway) from the register."""
    served: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for type_, ident, gateway in devices:
        served[gateway].append((type_, ident))
    found = [
        Identity(
            identity_name("gw", gateway),
            (
                *(f"{root}/state/{t}/{i}" for t, i in sorted(own)),
                f"{root}/gateways/{gateway}/status",
                f"{root}/ack/#",
            ),
            # The retained mode announcements too: a cabinet holds full light under the modes its
            # dimming profile names, a signal controller serves buses or not (docs/lighting.md).
            (
                *(f"{root}/cmd/{t}/{i}" for t, i in sorted(own)),
                f"{root}/cmd/group/#",
                f"{root}/modes/+",
            ),
        )
        for gateway, own in sorted(served.items())
    ]
    found += [
        Identity(
            identity_name("unit", unit),
            (f"{root}/units/{unit}/position", f"{root}/units/{unit}/status", f"{root}/ack/#"),
            (f"{root}/units/{unit}/dispatch",),
        )
        for unit in sorted(units)
    ]
    found += [
        # The citizen app's gateway reads each request's status, which the recorder publishes.
        Identity("citizen-app", (f"{root}/reports",), (f"{root}/events/reports/#",)),
        Identity("alarms", (f"{root}/alerts",), ()),
        # The Open311 service (vigie opendata serve) wakes the consoles for a request it records.
        Identity("opendata", (f"{root}/events/incidents",), ()),
    ]
    found += [
        Identity(
            identity_name("recorder", recorder),
            (
                f"{root}/cmd/#",
                f"{root}/units/+/dispatch",
                f"{root}/events/#",
                f"{root}/modes/#",
                f"{root}/audit/head",
                f"{root}/recorders/{recorder}/status",
            ),
            (f"{root}/#",),
        )
        for recorder in recorders
    ]
    found += [
        Identity(
            identity_name("console", workstation),
            (
                f"{root}/consoles/{workstation}/status",
                f"{root}/events/incidents",
                f"{root}/events/journal",
            ),
            (f"{root}/#",),
            # live positions reach consoles through the database, where row-level security
            # decides who sees patrols
            deny=(f"{root}/units/#",),
        )
        for workstation in consoles
    ]
    return found


def acl_text(identities: Iterable[Identity]) -> str:
    """Mosquitto's ``acl_file``: a ``user`` block per identity, nothing for anyone else."""
    lines = ["# Written by vigie broker config: who may publish and subscribe to what."]
    for identity in identities:
        lines += ["", f"user {identity.name}"]
        lines += [f"topic deny {t}" for t in identity.deny]
        lines += [f"topic write {t}" for t in identity.publish]
        lines += [f"topic read {t}" for t in identity.subscribe]
    return "\n".join(lines) + "\n"
