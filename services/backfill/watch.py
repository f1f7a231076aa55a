"""The video room's views of the month and the room's logbook.

Camera views, as ``services/store/camera_views.py`` records them: the video operator on shift
opens the camera nearest a P1 or P2 incident in a commune that has cameras (purpose
``incident N``, the incident beside it) about half the time, and, some twenty times a day
(scaled to the city's cameras), views for one of the listed purposes with a few words
(``traffic: …``, ``public_safety: …``; ``events: …`` while the traffic post is in event mode).
A view plays 15 minutes unless closed: most are closed by their viewer after a few minutes, the
rest time out and the recorder closes them. Each opening and closing is audited.

The logbook: each shift's taking over, each mode switch, and each P1, written by the operator on
duty (``journal.add``, audited), as a room's "main courante" would hold them.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.backfill.acts import SwitchDone
from services.backfill.auditing import AuditBook
from services.backfill.city import CityPlan
from services.backfill.incidents import Case
from services.backfill.period import (
    DISPATCHERS,
    Period,
    at,
    dispatcher,
    local,
    local_ts,
    shift_of,
    stream,
    video_operator,
    workstation,
)
from services.backfill.sink import Sink
from services.domain.camera_views import (
    CLOSED,
    DEFAULT_MINUTES,
    OPENED,
    ClosedBecause,
    Purpose,
    expiry,
    incident_purpose,
    listed_purpose,
)
from services.domain.equipment import EquipmentType
from services.domain.operators import RECORDER
from services.simulator.happenings import poisson
from services.simulator.world import World
from services.store.camera_views import iso_second

VIEW_COLUMNS = (
    "id",
    "camera",
    "viewer",
    "purpose",
    "incident_id",
    "workstation",
    "opened_at",
    "expires_at",
    "closed_at",
    "closed_because",
)
JOURNAL_COLUMNS = ("id", "at", "operator", "text")
ROUTINE = {
    Purpose.TRAFFIC: ("bouchon signalé avenue du Drapeau", "circulation place Darcy",
                      "accident signalé boulevard de Strasbourg"),
    Purpose.PUBLIC_SAFETY: ("attroupement rue de la Liberté", "ronde place de la République",
                            "surveillance des abords de la gare"),
    Purpose.PUBLIC_BUILDINGS: ("alarme d'un groupe scolaire", "abords de la médiathèque"),
    Purpose.RISKS: ("niveau de l'Ouche après les pluies",),
}  # fmt: skip
EVENT_TEXTS = ("sortie du public", "flux piétons vers le tram")


@dataclass
class View:
    id: int
    camera: str
    viewer: str
    purpose: str
    incident: int | None
    opened: float
    expires: float
    closed: float | None
    because: str | None


def camera_views(
    world: World,
    period: Period,
    city: CityPlan,
    cases: list[Case],
    audit: AuditBook,
    first_id: int,
    seed: int,
) -> list[View]:
    rng = stream(seed, "views")
    cameras = world.by_type[EquipmentType.CAMERA]
    if not cameras:
        return []
    by_commune: dict[str, list] = {}
    for camera in cameras:
        by_commune.setdefault(camera.commune, []).append(camera)
    wanted: list[tuple[float, str, str, int | None]] = []  # (opened, camera, purpose, incident)
    for case in cases:
        if case.priority > 2 or case.commune not in by_commune or rng.random() > 0.5:
            continue
        near = min(
            by_commune[case.commune],
            key=lambda c: (c.lat - (case.lat or 0)) ** 2 + (c.lon - (case.lon or 0)) ** 2,
        )
        opened = case.created + rng.uniform(60.0, 240.0)
        wanted.append((opened, near.id, incident_purpose(case.id), case.id))
    span_days = (period.t1 - period.t0) / 86_400.0
    for _ in range(poisson(rng, 20 * len(cameras) / 269 * span_days)):
        opened = rng.uniform(period.t0, period.t1)
        hour = local(opened).hour
        if hour < 6 and rng.random() < 0.6:
            continue  # fewer views deep in the night
        if city.modes_at(opened).get("traffic") == "event":
            purpose = listed_purpose(Purpose.EVENTS, rng.choice(EVENT_TEXTS))
        else:
            kind = rng.choices(list(ROUTINE), (5, 4, 1, 0.3))[0]
            purpose = listed_purpose(kind, rng.choice(ROUTINE[kind]))
        wanted.append((opened, rng.choice(cameras).id, purpose, None))
    views = []
    for opened, camera, purpose, incident in sorted(wanted):
        opened = round(opened, 3)
        if not period.t0 < opened < period.t1:
            continue
        viewer = video_operator(opened)
        expires = expiry(at(opened), DEFAULT_MINUTES).timestamp()
        if rng.random() < 0.8:
            closed: float | None = round(opened + rng.uniform(2.0, 14.0) * 60.0, 3)
            because: str | None = ClosedBecause.CLOSED.value
            closer = viewer
        else:
            closed = round(expires + rng.uniform(1.0, 30.0), 3)  # the recorder's sweep
            because, closer = ClosedBecause.TIMED_OUT.value, RECORDER
        if closed is not None and closed > period.t1:
            closed = because = None
        view = View(
            first_id + len(views),
            camera,
            viewer,
            purpose,
            incident,
            opened,
            expires,
            closed,
            because,
        )
        views.append(view)
        audit.add(
            opened,
            viewer,
            OPENED,
            camera,
            {
                "view": view.id,
                "camera": camera,
                "purpose": purpose,
                "incident": incident,
                "workstation": workstation(viewer),
                "expires_at": iso_second(at(expires)),
            },
        )
        if closed is not None:
            audit.add(
                closed,
                closer,
                CLOSED,
                camera,
                {"view": view.id, "viewer": viewer, "because": because},
            )
    return views


def write_views(sink: Sink, views: list[View]) -> None:
    sink.write(
        "camera_views",
        VIEW_COLUMNS,
        (
            (
                v.id,
                v.camera,
                v.viewer,
                v.purpose,
                v.incident,
                workstation(v.viewer),
                sink.time(v.opened),
                sink.time(v.expires),
                sink.time(v.closed),
                v.because,
            )
            for v in views
        ),
    )
    sink.follow_ids("camera_views")


def logbook(
    period: Period,
    switches: list[SwitchDone],
    cases: list[Case],
    audit: AuditBook,
    first_id: int,
    seed: int,
) -> list[tuple[int, float, str, str]]:
    rng = stream(seed, "logbook")
    entries: list[tuple[float, str, str]] = []
    day = local(period.t0).date()
    while local_ts(day, 0.0) < period.t1:
        for hour in (6.0, 14.0, 22.0):
            ts = local_ts(day, hour + rng.uniform(0.05, 0.25))
            shift, began = shift_of(ts)
            crew = DISPATCHERS[shift][(began.toordinal() // 2) % 2]
            entries.append((ts, crew[0], f"Prise de poste : {', '.join(crew)}"))
        day = day.fromordinal(day.toordinal() + 1)
    for item in switches:
        switch = item.switch
        what = "Plan neige niveau" if switch.kind == "snow" else "Mode circulation"
        text = f"{what} {switch.value} ({item.state}) : {switch.reason}"
        entries.append((item.finished + rng.uniform(30.0, 300.0), switch.by, text))
    for case in cases:
        if case.priority == 1:
            ts = case.created + rng.uniform(120.0, 900.0)
            text = f"P1 {case.category} ({case.commune}) : {case.description} (incident {case.id})"
            entries.append((ts, dispatcher(ts, rng), text))
    out = []
    for ts, operator, text in sorted(entries):
        ts = round(ts, 3)
        if not period.t0 < ts <= period.t1:
            continue
        entry_id = first_id + len(out)
        out.append((entry_id, ts, operator, text))
        audit.add(ts, operator, "journal.add", f"journal:{entry_id}", {"text": text})
    return out


def write_logbook(sink: Sink, entries: list[tuple[int, float, str, str]]) -> None:
    sink.write(
        "journal",
        JOURNAL_COLUMNS,
        ((entry_id, sink.time(ts), operator, text) for entry_id, ts, operator, text in entries),
    )
    sink.follow_ids("journal")
