"""One unit, one assignment: the dispatch checks the unit, the database refuses the race, and a
P1 may take a busy unit off its incident in one act (a re-tasking)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from services import dispatching
from services.domain.errors import StaleVersion
from services.domain.incidents import (
    Incident,
    IncidentSource,
    IncidentStatus,
    Location,
    Priority,
    new_incident,
    transition,
)
from services.store import audit, incidents
from services.store.database import Database
from services.store.models import CommandRow, IncidentRow, UnitRow
from services.store.types import utcnow

ROUNDS = 20
REPLY = "vigie/ack/test"


def _unit(db: Database, unit_id: str, status: str = "available", **fields: object) -> None:
    with db.write() as s:
        s.add(
            UnitRow(
                id=unit_id,
                kind=fields.pop("kind", "patrol"),
                name=unit_id.upper(),
                status=status,
                lat=fields.pop("lat", 47.3220),
                lon=fields.pop("lon", 5.0415),
                observed_at=utcnow(),
                **fields,
            )
        )


def _incident(db: Database, category: str = "noise", place: str = "Rue Monge") -> Incident:
    with db.write() as s:
        return incidents.create(
            s,
            new_incident(
                source=IncidentSource.CALL,
                category=category,
                at=utcnow(),
                place=place,
                location=Location(47.3200, 5.0400),
            ),
            by="c.bernard",
        )


def _get(db: Database, incident_id: int) -> Incident:
    with db.read() as s:
        return incidents.get(s, incident_id)


def _dispatch(db: Database, seen: Incident, unit_id: str) -> Incident:
    saved, _ = dispatching.dispatch(db, seen, unit_id, by="c.bernard", reply_to=REPLY)
    return saved


def test_a_unit_unknown_unavailable_or_busy_is_refused_with_why(db):
    _unit(db, "patrol:1")
    _unit(db, "patrol:2", status="unavailable")
    _unit(db, "patrol:3", status="en_route")
    first, second = _incident(db), _incident(db, place="Rue Chabot-Charny")
    with pytest.raises(dispatching.UnitUnknown) as unknown:
        _dispatch(db, first, "patrol:ghost")
    assert (unknown.value.key, unknown.value.params) == (
        "dispatch.unit_unknown",
        {"unit": "patrol:ghost"},
    )
    with pytest.raises(dispatching.UnitNotAvailable) as off:
        _dispatch(db, first, "patrol:2")
    assert off.value.key == "dispatch.unit_not_available"
    assert off.value.params == {"unit": "patrol:2", "status": "unavailable"}
    with pytest.raises(dispatching.UnitNotAvailable):  # on a mission by its crew's word
        _dispatch(db, first, "patrol:3")
    assert _get(db, first.id).status is IncidentStatus.NEW  # nothing written
    _dispatch(db, first, "patrol:1")
    # Its crew has not answered yet: it still says "available", but it holds the first.
    with pytest.raises(dispatching.UnitBusy) as busy:
        _dispatch(db, second, "patrol:1")
    assert busy.value.key == "dispatch.unit_busy"
    assert busy.value.params == {"unit": "patrol:1", "incident": first.id}
    assert _get(db, second.id).status is IncidentStatus.NEW
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(CommandRow)).scalar_one() == 1
    # Nor is a unit that holds an incident offered for another one.
    assert [c.unit_id for c in dispatching.candidates(db, second)] == []


def _race(consoles: list[Database], unit: str, pair: list[Incident]) -> list[object]:
    """Each console dispatches ``unit`` to its incident at the same moment: what each was told."""
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def console(k: int) -> None:
        barrier.wait()
        try:
            outcomes[k] = _dispatch(consoles[k], pair[k], unit)
        except Exception as exc:  # noqa: BLE001 - what the console was told
            outcomes[k] = exc

    threads = [threading.Thread(target=console, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def test_two_consoles_dispatching_one_unit_at_once_one_commits(db_url, db):
    """The race, for real: two engines, two threads, one barrier, 20 rounds."""
    consoles = [Database(db_url), Database(db_url)]
    try:
        for n in range(ROUNDS):
            unit = f"patrol:{n}"
            _unit(db, unit)
            outcomes = _race(consoles, unit, [_incident(db, place=f"#{n}{x}") for x in "ab"])
            won = [o for o in outcomes if isinstance(o, Incident)]
            lost = [o for o in outcomes if isinstance(o, dispatching.UnitBusy)]
            assert len(won) == 1 and len(lost) == 1, (n, outcomes)
            assert lost[0].params == {"unit": unit, "incident": won[0].id}
            with db.read() as s:
                held = s.execute(
                    select(IncidentRow.id).where(
                        IncidentRow.assigned_unit == unit,
                        IncidentRow.status == IncidentStatus.DISPATCHED.value,
                    )
                ).scalars()
                assert list(held) == [won[0].id]
                commands = s.execute(
                    select(func.count()).select_from(CommandRow).where(CommandRow.target == unit)
                ).scalar_one()
                assert commands == 1  # the loser's dispatch was never recorded, nor sent
    finally:
        for console_db in consoles:
            console_db.dispose()


def test_a_p1_retasks_a_busy_unit_in_one_act(db):
    _unit(db, "patrol:1")
    noise = _dispatch(db, _incident(db), "patrol:1")
    fire = _incident(db, category="fire", place="Place Darcy")
    assert fire.priority is Priority.P1
    busy = dispatching.busy_candidates(db, fire)
    assert [(c.unit_id, c.busy_with) for c in busy] == [("patrol:1", noise.id)]
    with db.read() as s:
        seq = audit.entries(s)[-1].seq
    done = dispatching.retask(db, fire, "patrol:1", by="l.moreau", reply_to=REPLY)
    assert done.incident.status is IncidentStatus.DISPATCHED
    assert done.incident.assigned_unit == "patrol:1"
    assert done.left is not None and done.left.id == noise.id
    left = _get(db, noise.id)
    assert left.status is IncidentStatus.ACKNOWLEDGED and left.assigned_unit is None
    with db.read() as s:
        notes = [(n.by, n.text) for n in incidents.notes(s, noise.id)]
        command = s.get(CommandRow, done.request.request_id)
        trail = [(e.action, e.target) for e in audit.entries(s, since_seq=seq)]
    assert len(notes) == 1 and notes[0][0] == "l.moreau"
    assert "patrol:1" in notes[0][1] and f"#{fire.id}" in notes[0][1] and "l.moreau" in notes[0][1]
    assert command.command == "dispatch" and command.target == "patrol:1"
    assert command.params["incident_id"] == fire.id
    assert command.params["retask_from"] == noise.id
    assert ("incident.update", f"incident:{noise.id}") in trail
    assert ("incident.update", f"incident:{fire.id}") in trail
    assert ("command.send", "unit:patrol:1") in trail


def test_a_retask_is_refused_below_p1_and_is_all_or_nothing(db):
    _unit(db, "patrol:1")
    noise = _dispatch(db, _incident(db), "patrol:1")
    other = _incident(db, category="noise", place="Rue Berbisey")
    with pytest.raises(dispatching.RetaskNotAllowed) as refused:
        dispatching.retask(db, other, "patrol:1", by="l.moreau", reply_to=REPLY)
    assert refused.value.key == "dispatch.retask_not_p1"
    assert dispatching.busy_candidates(db, other)  # offered by nobody but a P1: the console
    fire = _incident(db, category="fire", place="Place Darcy")
    with db.write() as s:  # another console acknowledged the fire meanwhile
        acknowledged = transition(fire, IncidentStatus.ACKNOWLEDGED, at=utcnow())
        incidents.save(s, fire, acknowledged, by="s.petit")
    with pytest.raises(StaleVersion):  # the fire as this console saw it
        dispatching.retask(db, fire, "patrol:1", by="l.moreau", reply_to=REPLY)
    # Nothing of the act was kept: the unit still holds the noise, which has no new note.
    kept = _get(db, noise.id)
    assert kept.status is IncidentStatus.DISPATCHED and kept.assigned_unit == "patrol:1"
    with db.read() as s:
        assert incidents.notes(s, noise.id) == []
        assert s.execute(select(func.count()).select_from(CommandRow)).scalar_one() == 1


def test_a_retask_of_a_unit_freed_meanwhile_is_a_plain_dispatch(db):
    _unit(db, "patrol:1")
    fire = _incident(db, category="fire", place="Place Darcy")
    done = dispatching.retask(
        db, fire, "patrol:1", by="l.moreau", reply_to=REPLY, expires_in=timedelta(seconds=5)
    )
    assert done.left is None and done.incident.assigned_unit == "patrol:1"
    assert "retask_from" not in done.request.params
