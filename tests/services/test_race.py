"""Two consoles claim the same incidents at once: each is claimed once, every loser is told."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import func, select

from services.domain.incidents import IncidentSource, new_incident
from services.store import incidents
from services.store.models import IncidentChangeRow
from services.store.types import utcnow

ROUNDS = 1000

CLAIMER = textwrap.dedent(
    """
    import sys
    from services import incident_actions as acts
    from services.domain.errors import StaleVersion
    from services.domain.incidents import IncidentStatus
    from services.store import incidents
    from services.store.database import Database

    db = Database(sys.argv[1])
    me = sys.argv[2]
    won = lost = 0
    with db.read() as s:
        seen = incidents.list_incidents(s)  # both consoles saw every incident new
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    for incident in seen:
        try:
            acts.move(db, incident, IncidentStatus.ACKNOWLEDGED, by=me)
            won += 1
        except StaleVersion as exc:
            assert exc.params["changed_by"] != me
            lost += 1
    print(won, lost)
    """
)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_consoles_claiming_the_same_incidents(db, db_url):
    with db.write() as s:
        for n in range(ROUNDS):
            incidents.create(
                s,
                new_incident(
                    source=IncidentSource.MANUAL, category="noise", at=utcnow(), place=f"#{n}"
                ),
                by="system:test",
            )
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CLAIMER, db_url, name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for name in ("c.bernard", "l.moreau")
    ]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = [tuple(map(int, proc.communicate(timeout=300)[0].split())) for proc in procs]
    assert all(proc.returncode == 0 for proc in procs)
    assert sum(won for won, _ in results) == ROUNDS  # each incident claimed once
    assert [won + lost for won, lost in results] == [ROUNDS, ROUNDS]  # every loser told
    with db.read() as s:
        claims = s.execute(
            select(func.count())
            .select_from(IncidentChangeRow)
            .where(IncidentChangeRow.field == "status")
        ).scalar_one()
    assert claims == ROUNDS
