"""Equipment states into the record: the current state, and a history of what changed.

A batch is written with one read of the rows it touches and one bulk upsert. A retained state
re-delivered unchanged (a recorder restart) changes nothing, not even its reception time: a
device that died hours ago must not look fresh because the broker kept its last word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic_core import to_json
from sqlalchemy import ColumnElement, any_, bindparam, func, literal_column, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.types import String

from services.bus.messages import GatewayMessage, StateMessage
from services.domain.equipment import is_fault_status
from services.store.models import EquipmentChangeRow, EquipmentRow, GatewayRow
from services.store.upsert import insert_ignore, upsert

#: What the history keeps: status, power, level, plan, position (field contract).
TRACKED = ("status", "powerState", "illuminanceLevel", "plan", "position")
_COLUMNS = (
    "type",
    "name",
    "status",
    "commune",
    "gateway",
    "lat",
    "lon",
    "outside_metropole",
    "group_ref",
    "fault_since",
    "observed_at",
    "attributes",
    "received_at",
    "updated_at",
)


@dataclass(slots=True)
class _Snapshot:
    status: str | None
    attributes: dict[str, Any]
    gateway: str | None
    position: tuple[float | None, float | None]
    fault_since: datetime | None

    def same_as(self, other: _Snapshot) -> bool:
        return (self.status, self.attributes, self.gateway, self.position) == (
            other.status,
            other.attributes,
            other.gateway,
            other.position,
        )


def _tracked(status: str | None, attributes: dict[str, Any]) -> dict[str, str | None]:
    out = {"status": status}
    for name in TRACKED[1:]:
        value = attributes.get(name)
        out[name] = None if value is None else str(value)
    return out


def _row(
    m: StateMessage, fault_since: datetime | None, when: Callable[[datetime], str], now: str
) -> tuple:
    """The equipment row's values in ``("id", *_COLUMNS)`` order, as the driver takes them.

    Adapted here, not by SQLAlchemy: its per-row parameter processing cost more than the
    database itself. Times are text (``when``), JSON is text.
    """
    place, group = m.place, m.attributes.get("refStreetlightGroup")
    return (
        m.id,
        m.type.value,
        m.name,
        m.status,
        place.commune if place else None,
        m.gateway,
        place.lat if place else None,
        place.lon if place else None,
        bool(place and place.outside),
        group if isinstance(group, str) else None,
        fault_since and when(fault_since),
        m.observed_at and when(m.observed_at),
        to_json(m.attributes).decode("utf-8"),
        now,
        now,
    )


def record_states(
    session: Session, states: Sequence[tuple[StateMessage, bool]], now: datetime
) -> int:
    """Write ``states`` ((message, retained) pairs, in arrival order); returns rows written.

    Each message is compared with the one before it for the same device, so a change and its
    undoing within one batch both reach the history; the row written is the newest.
    """
    dialect = session.get_bind().dialect.name
    ids = list(dict.fromkeys(m.id for m, _ in states))
    query = select(
        EquipmentRow.id,
        EquipmentRow.status,
        EquipmentRow.attributes,
        EquipmentRow.fault_since,
        EquipmentRow.gateway,
        EquipmentRow.lat,
        EquipmentRow.lon,
    ).where(_among(dialect, EquipmentRow.id, ids))
    # Several recorders on one database: the second waits for the first's commit, then
    # sees its state, so a change goes to the history once. (SQLite serialises writers.)
    query = query.with_for_update()
    current = {
        r.id: _Snapshot(r.status, r.attributes, r.gateway, (r.lat, r.lon), r.fault_since)
        for r in session.execute(query)
    }
    known = set(current)
    when = _time_text(dialect)
    now_text = when(now)
    rows: dict[str, tuple] = {}
    fresh: set[str] = set()
    history: list[dict[str, Any]] = []
    for m, retained in states:
        old = current.get(m.id)
        new = _Snapshot(
            m.status,
            m.attributes,
            m.gateway,
            (m.place.lat, m.place.lon) if m.place else (None, None),
            None,
        )
        if old is not None and old.same_as(new):
            if not retained:
                fresh.add(m.id)  # the same state said again: it is alive
            continue
        was_fault = bool(old and is_fault_status(old.status))
        in_fault = is_fault_status(m.status)
        if old is not None:
            before, after = _tracked(old.status, old.attributes), _tracked(m.status, m.attributes)
            history += [
                {
                    "equipment_id": m.id,
                    "at": now,
                    "field": f,
                    "old": before[f],
                    "new": after[f],
                    "observed_at": m.observed_at,
                }
                for f in TRACKED
                if before[f] != after[f]
            ]
        # Faults become incidents in the sweep (incident_rules), from fault_since.
        since = None
        if in_fault:
            since = old.fault_since if was_fault and old and old.fault_since else now
        new.fault_since = since
        current[m.id] = new
        rows[m.id] = _row(m, since, when, now_text)
        fresh.discard(m.id)
    all_new = not any(i in known for i in rows)
    _upsert_rows(session, dialect, list(rows.values()), all_new=all_new)
    insert_ignore(session, EquipmentChangeRow.__table__, history)
    alive = sorted(fresh - set(rows))
    if alive:
        session.execute(
            update(EquipmentRow)
            .where(_among(dialect, EquipmentRow.id, alive))
            .values(received_at=now)
            .execution_options(synchronize_session=False)
        )
    return len(rows)


def _among(dialect: str, column: InstrumentedAttribute, ids: list[str]) -> ColumnElement:
    """``column`` is one of ``ids``, with the whole list as one parameter.

    ``IN (…)`` with a parameter per id cost more than the query itself: SQLAlchemy and psycopg
    render and parse thousands of placeholders for every batch, never from cache.
    """
    if dialect == "postgresql":
        return column == any_(bindparam(None, ids, type_=ARRAY(String)))
    listed = select(literal_column("value")).select_from(
        func.json_each(bindparam(None, to_json(ids).decode()))
    )
    return column.in_(listed)


def _upsert_rows(session: Session, dialect: str, params: list[tuple], *, all_new: bool) -> None:
    """Upsert equipment rows (``_row``): the recorder's hottest statement (34,000 at a cold start).

    SQLite takes them through the driver's ``executemany``; PostgreSQL through ``COPY`` into a
    scratch table, then one ``INSERT … SELECT … ON CONFLICT``, because its ``executemany`` pays
    a round of the protocol per row (55 µs a row, against 15). When none of the rows was in the
    table (``all_new``: a cold start), they are copied straight into it, in a savepoint; should
    another recorder have inserted one meanwhile, the upsert follows.
    """
    if not params:
        return
    connection = session.connection()
    columns = ", ".join(("id", *_COLUMNS))
    assignments = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS)
    on_conflict = f"ON CONFLICT (id) DO UPDATE SET {assignments}"
    if dialect == "sqlite":
        marks = ", ".join(["?"] * (1 + len(_COLUMNS)))
        connection.exec_driver_sql(
            f"INSERT INTO equipment ({columns}) VALUES ({marks}) {on_conflict}", params
        )
        return
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    if all_new:
        from psycopg.errors import UniqueViolation

        cursor.execute("SAVEPOINT equipment_copy")
        try:
            _copy(cursor, "equipment", columns, params)
        except UniqueViolation:
            cursor.execute("ROLLBACK TO SAVEPOINT equipment_copy")
        else:
            cursor.execute("RELEASE SAVEPOINT equipment_copy")
            return
    # The scratch table lives as long as the connection and empties at every commit; one
    # batch upserts once per transaction, so it holds only this batch's rows.
    cursor.execute(
        "CREATE TEMPORARY TABLE IF NOT EXISTS equipment_incoming "
        "(LIKE equipment INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
    )
    _copy(cursor, "equipment_incoming", columns, params)
    cursor.execute(
        f"INSERT INTO equipment ({columns}) SELECT {columns} FROM equipment_incoming {on_conflict}"
    )


def _copy(cursor: Any, table: str, columns: str, rows: list[tuple]) -> None:
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for values in rows:
            copy.write_row(values)


def _time_text(dialect: str) -> Callable[[datetime], str]:
    """Times as each database stores them, the way SQLAlchemy writes them there."""
    if dialect == "sqlite":
        return _sqlite_time
    if dialect == "postgresql":
        return _pg_time
    raise NotImplementedError(f"no equipment writer for {dialect}")


def _sqlite_time(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _pg_time(t: datetime) -> str:
    # COPY's text, written once: psycopg's dumper took 1.3 µs per aware time, twice a row.
    return t.isoformat()


def record_gateways(session: Session, messages: Sequence[GatewayMessage], now: datetime) -> None:
    latest = {m.gateway: m for m in messages}
    rows = [
        {"id": g, "online": m.online, "since": m.since or now, "updated_at": now}
        for g, m in latest.items()
    ]
    upsert(session, GatewayRow.__table__, rows, ["id"], ["online", "since", "updated_at"])
