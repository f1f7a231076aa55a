"""PostgreSQL keeps handovers: in their author's name, accepted once by another login.

A private cluster that checks passwords (``tests/pg_scram.py``). The acts go through Vigie's
services logged in as each operator, then are tried with plain SQL, as ``psql`` would: the
database refuses there what Vigie refuses (``pg_handovers``' trigger and the matrix's grants),
and each reader's summary is read under its own login's grants and row-level security.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import psycopg
import pytest

from services import handover as service
from services.domain.errors import PermissionDenied
from services.domain.operators import Role
from services.permissions import load_matrix
from services.store import pg_authority
from services.store.types import utcnow
from tests.pg_scram import SUPERUSER, Room, available, install_room, scram_cluster
from tests.services.test_handovers import seed_shift

pytestmark = pytest.mark.skipif(not available(), reason="no PostgreSQL server installed here")

PREFIX = "vigie_"
RECORDER_PASSWORD = "enregistreur"
INSERT = (
    "INSERT INTO handovers (author, author_role, started_at, shift_from, remarks) "
    "VALUES (%s, %s, now(), now() - interval '12 hours', 'psql')"
)
ACCEPT = "UPDATE handovers SET accepted_by = %s, accepted_at = now() WHERE id = %s"


@pytest.fixture(scope="module")
def room() -> Iterator[Room]:
    with scram_cluster() as cluster:
        db, name = install_room(cluster, PREFIX, RECORDER_PASSWORD)
        with db.write() as session:
            seed_shift(session, utcnow())
        db.dispose()
        yield Room(cluster, name)


def _audited(room: Room, target: str) -> list[tuple[str, str]]:
    with room.login(SUPERUSER, room.cluster.superuser_password) as owner:
        rows = owner.execute(
            "SELECT operator, action FROM audit_log WHERE target = %s ORDER BY seq", (target,)
        ).fetchall()
    return [(o, a) for o, a in rows]


def _start(room: Room, operator: str, role: Role) -> int:
    with room.vigie(operator) as db:
        return service.start(db, operator, role, "relève").id


def _refused(connection: psycopg.Connection, sql: str, params: tuple, code: str) -> str:
    with pytest.raises(psycopg.Error) as refused, connection.transaction():
        connection.execute(sql, params)
    assert refused.value.sqlstate == code, refused.value
    return str(refused.value)


def test_a_dispatcher_hands_over_and_another_accepts_both_audited(room):
    started = _start(room, "c.bernard", Role.DISPATCHER)
    with room.vigie("m.dupont") as db:
        pending = service.pending(db)
        assert [(h.id, h.author) for h in pending][0] == (started, "c.bernard")
        accepted = service.accept(db, started, "m.dupont")
    assert accepted.accepted_by == "m.dupont"
    assert _audited(room, f"handover:{started}") == [
        ("c.bernard", "handover.start"),
        ("m.dupont", "handover.accept"),
    ]


def test_its_author_accepting_it_with_plain_sql_is_refused_by_the_database(room):
    started = _start(room, "c.bernard", Role.DISPATCHER)
    with room.login("c.bernard") as author:
        said = _refused(author, ACCEPT, ("c.bernard", started), "42501")
        assert "may not accept it" in said
    with room.vigie("c.bernard") as db, pytest.raises(PermissionDenied):
        service.accept(db, started, "c.bernard")
    with room.login("m.dupont") as other:
        # Accepted in someone else's name: refused too.
        _refused(other, ACCEPT, ("t.roux", started), "42501")
        other.execute(ACCEPT, ("m.dupont", started))
        other.commit()
    with room.login("t.roux") as third:
        _refused(third, ACCEPT, ("t.roux", started), "55000")  # accepted once
    assert _audited(room, f"handover:{started}") == [("c.bernard", "handover.start")]


def test_a_handover_is_written_in_its_authors_name_and_role_only(room):
    with room.login("c.bernard") as dispatcher:
        _refused(dispatcher, INSERT, ("m.dupont", "dispatcher"), "42501")
        _refused(dispatcher, INSERT, ("c.bernard", "supervisor"), "42501")
        _refused(
            dispatcher,
            INSERT.replace("remarks)", "remarks, accepted_by)").replace("'psql')", "'psql', 'x')"),
            ("c.bernard", "dispatcher"),
            "42501",
        )
        dispatcher.execute(INSERT, ("c.bernard", "dispatcher"))  # its own, as itself: goes
        _refused(
            dispatcher,
            "UPDATE handovers SET remarks = 'rewritten' WHERE author = %s",
            ("c.bernard",),
            "42501",
        )


def test_an_auditor_and_the_recorder_may_not_insert_nor_accept(room):
    started = _start(room, "t.roux", Role.TECHNICIAN)
    with room.login("n.faure") as auditor:
        _refused(auditor, INSERT, ("n.faure", "auditor"), "42501")
        _refused(auditor, ACCEPT, ("n.faure", started), "42501")
        count = auditor.execute("SELECT count(*) FROM handovers").fetchone()[0]
        assert count >= 1  # an auditor reads them (see_operations)
    recorder = pg_authority.recorder_role(PREFIX)
    with room.login(recorder, RECORDER_PASSWORD) as field:
        _refused(field, INSERT, (recorder, "dispatcher"), "42501")
        _refused(field, ACCEPT, (recorder, started), "42501")


def test_each_login_reads_the_summary_as_its_grants_let_it(room):
    _start(room, "c.bernard", Role.DISPATCHER)
    matrix = load_matrix()
    with room.vigie("t.roux") as db:
        technician = service.read(db, None, matrix, Role.TECHNICIAN, reader="t.roux")
    assert technician.units_out is not None
    assert [u.name for u in technician.units_out] == ["Voirie 2"]
    assert "Police 1" not in json.dumps([i.unit for i in technician.open_incidents])
    assert technician.camera_views_open is None
    with room.vigie("s.petit") as db:
        supervisor = service.read(db, None, matrix, Role.SUPERVISOR, reader="s.petit")
    assert supervisor.units_out is not None
    assert [u.name for u in supervisor.units_out] == ["Police 1", "Voirie 2"]
    assert supervisor.camera_views_open is not None
    assert [v.operator for v in supervisor.camera_views_open] == ["v.lambert"]
    with room.vigie("v.lambert") as db:
        video = service.read(db, None, matrix, Role.VIDEO_OPERATOR, reader="v.lambert")
    assert video.units_out is None and video.camera_views_open is None
    assert [i.id for i in video.open_incidents] == [4, 2, 1]
