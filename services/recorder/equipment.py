"""Equipment states into the record: the current state, and a history of what changed.

A batch is written with one read of the rows it touches and one bulk upsert. A retained state
re-delivered unchanged (a recorder restart) changes nothing, not even its reception time: a
device that died hours ago must not look fresh because the broker kept its last word.

The record never moves a device's state back: a state observed before the one stored (both
saying when they were observed) is not written, neither the row nor the history. Recorders
sharing the flow (``vigie recorder --share``) get one device's states from the broker in turn,
one each, and commit them in any order; the upsert itself refuses an older observation, for the
two that insert one new device at once. Only within ``REORDERED`` (5 minutes): a state observed
further back is a device whose clock went back, written, lest the device freeze in the record.
A state without an observation time is written in the order it arrives, as ever.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic_core import to_json
from sqlalchemy import (
    ColumnElement,
    Text,
    any_,
    bindparam,
    cast,
    func,
    literal_column,
    select,
    type_coerce,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.types import String

from services.bus.messages import GatewayMessage, StateMessage
from services.domain.equipment import is_fault_status
from services.store.database import driver_cursor
from services.store.models import EquipmentChangeRow, EquipmentRow, GatewayRow
from services.store.upsert import insert_ignore, upsert

#: What the history keeps: status, power, level, plan, position (field contract).
TRACKED = ("status", "powerState", "illuminanceLevel", "plan", "position")
#: What a state says of its device's row; received_at, updated_at and fault_since follow.
_STATED = (
    "type",
    "name",
    "status",
    "commune",
    "gateway",
    "lat",
    "lon",
    "outside_metropole",
    "group_ref",
    "observed_at",
    "attributes",
    "flags",
)
_COLUMNS = (*_STATED, "fault_since", "received_at", "updated_at")
_ATTRIBUTES, _OBSERVED = _STATED.index("attributes"), _STATED.index("observed_at")
#: How far back a state may be observed and still be one overtaken by another (two recorders
#: sharing the flow, batches committed in any order, a backlog after the database came back):
#: the decoder's own tolerance for clocks ahead. Further back it is a clock that went back.
REORDERED = timedelta(minutes=5)
#: History rows by device, each device's changes in the order they came (a stable sort).
_BY_DEVICE = ("equipment_id",)


@dataclass(slots=True)
class _Known:
    """A device's row as stored, in ``_STATED`` order, JSON as its text and times as written.

    A state is compared with it as the values it would write: equal, it would change nothing.
    """

    stated: tuple
    fault_since: datetime | None

    @property
    def status(self) -> str | None:
        return self.stated[2]

    def tracked(self) -> dict[str, str | None]:
        return _tracked(self.status, json.loads(self.stated[_ATTRIBUTES] or "{}"))


def _tracked(status: str | None, attributes: dict[str, Any]) -> dict[str, str | None]:
    out = {"status": status}
    for name in TRACKED[1:]:
        value = attributes.get(name)
        out[name] = None if value is None else str(value)
    return out


def _stated(m: StateMessage, when: Callable[[datetime], str]) -> tuple:
    """What ``m`` says of its row, in ``_STATED`` order, as the driver takes it.

    Adapted here, not by SQLAlchemy: its per-row parameter processing cost more than the
    database itself. Times are text (``when``), JSON is text.
    """
    place, group = m.place, m.attributes.get("refStreetlightGroup")
    return (
        m.type.value,
        m.name,
        m.status,
        place.commune if place else None,
        m.gateway,
        place.lat if place else None,
        place.lon if place else None,
        bool(place and place.outside),
        group if isinstance(group, str) else None,
        m.observed_at and when(m.observed_at),
        to_json(m.attributes).decode("utf-8"),
        to_json(list(m.flags)).decode("utf-8") if m.flags else None,
    )


@dataclass(slots=True)
class _Plan:
    """What a batch writes: rows by device, history rows, devices only heard again."""

    rows: dict[str, tuple] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    fresh: set[str] = field(default_factory=set)


@dataclass(slots=True)
class NewDevices:
    """Whether a writer's last batch held none but new devices: a cold start's empty record.

    While that holds, the next batch is inserted without reading its devices' rows first (a
    read of 5,000 ids that finds none, at every batch of a cold start); a device found there
    after all (the insert's unique key refuses it) sends the batch the usual way.
    """

    expected: bool = False


def record_empty(session: Session) -> bool:
    """Whether the record holds no device yet (``NewDevices``: a first start)."""
    first = session.connection().exec_driver_sql("SELECT 1 FROM equipment LIMIT 1").first()
    return first is None


def record_states(
    session: Session,
    states: Sequence[tuple[StateMessage, bool]],
    now: datetime,
    new_devices: NewDevices | None = None,
) -> int:
    """Write ``states`` ((message, retained) pairs, in arrival order); returns rows written.

    Each message is compared with the one before it for the same device, so a change and its
    undoing within one batch both reach the history; the row written is the newest. A state
    equal to its device's row (a broker's retained set, sent again at every subscription)
    writes nothing: no history, no row, not even its reception time when it was retained.

    Rows are locked, inserted and updated in the order of their ids, whoever writes them: two
    writers (the recorder's lanes, two recorders) reaching the same rows in opposite orders
    would each wait for the other until PostgreSQL killed one (a deadlock).
    """
    dialect = session.get_bind().dialect.name
    when = _time_text(dialect)
    if new_devices is not None and new_devices.expected:
        plan = _plan(states, {}, when, now)
        if _insert_new(session, dialect, [plan.rows[i] for i in sorted(plan.rows)]):
            # a device heard twice in the batch: its change between the two
            insert_ignore(session, EquipmentChangeRow.__table__, plan.history, order=_BY_DEVICE)
            return len(plan.rows)
    ids = sorted({m.id for m, _ in states})
    known = _read(session, dialect, ids, when, lock=False)
    if new_devices is not None:
        new_devices.expected = not known
    plan = _plan(states, known, when, now)
    changed = [i for i in sorted(plan.rows) if i in known]
    if changed and dialect != "sqlite":  # SQLite serialises writers: what it read holds
        # Several recorders on one database: the second waits for the first's commit, then
        # sees its state, so a change goes to the history once. Only the rows that change
        # are locked: a lock writes to the row, and a retained burst changes nothing.
        locked = _read(session, dialect, changed, when, lock=True)
        if any(locked.get(i) != known[i] for i in changed):  # written meanwhile
            known.update(locked)
            plan = _plan(states, known, when, now)
    all_new = not any(i in known for i in plan.rows)
    _upsert_rows(session, dialect, [plan.rows[i] for i in sorted(plan.rows)], all_new=all_new)
    # By device as the rows, each device's changes in the order they came (a stable sort).
    insert_ignore(session, EquipmentChangeRow.__table__, plan.history, order=_BY_DEVICE)
    alive = sorted(plan.fresh - set(plan.rows))
    if alive:
        session.execute(
            update(EquipmentRow)
            .where(among(dialect, EquipmentRow.id, alive))
            .values(received_at=now)
            .execution_options(synchronize_session=False)
        )
    return len(plan.rows)


def _read(
    session: Session, dialect: str, ids: list[str], when: Callable[[datetime], str], *, lock: bool
) -> dict[str, _Known]:
    """The stored rows of ``ids`` (sorted), locked in that order if ``lock``.

    JSON is read as its text and, on SQLite, the observation time as its text: compared, not
    parsed (34,000 rows at every broker restart).
    """
    raw_time = dialect == "sqlite"
    columns = [
        cast(getattr(EquipmentRow, c), Text)
        if c in ("attributes", "flags")
        else type_coerce(EquipmentRow.observed_at, String)
        if c == "observed_at" and raw_time
        else getattr(EquipmentRow, c)
        for c in _STATED
    ]
    query = select(EquipmentRow.id, EquipmentRow.fault_since, *columns).where(
        among(dialect, EquipmentRow.id, ids)
    )
    if lock:
        # ORDER BY under FOR UPDATE: PostgreSQL locks the rows as they come out of the sort.
        query = query.order_by(EquipmentRow.id).with_for_update()
    out = {}
    for r in session.connection().execute(query).all():  # as they are: no ORM loading
        stated = tuple(r[2:])
        if not raw_time and stated[_OBSERVED] is not None:
            stated = (*stated[:_OBSERVED], when(stated[_OBSERVED]), *stated[_OBSERVED + 1 :])
        out[r[0]] = _Known(stated, r[1])
    return out


def _instant(value: datetime | str) -> datetime:
    """A stored or stated observation time as an aware UTC instant (SQLite's text is naive UTC)."""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def _moves_back(m: StateMessage, old: _Known) -> bool:
    """Whether ``m`` was observed shortly before the state stored (both observed): not written.

    Only within ``REORDERED``: further back, the device's clock went back (a reset battery, an
    NTP step), and refusing its states would freeze it in the record, its faults unseen.
    """
    stored = old.stated[_OBSERVED]
    if m.observed_at is None or stored is None:
        return False
    behind = _instant(stored) - _instant(m.observed_at)
    return timedelta(0) < behind <= REORDERED


def _plan(
    states: Sequence[tuple[StateMessage, bool]],
    known: dict[str, _Known],
    when: Callable[[datetime], str],
    now: datetime,
) -> _Plan:
    plan, current = _Plan(), dict(known)
    now_text = when(now)
    for m, retained in states:
        old = current.get(m.id)
        stated = _stated(m, when)
        if old is not None and old.stated == stated:
            if not retained:
                plan.fresh.add(m.id)  # the same state said again: it is alive
            continue
        if old is not None and _moves_back(m, old):
            continue  # older than what is stored (another recorder's, or late): not a change
        if old is not None:
            before, after = old.tracked(), _tracked(m.status, m.attributes)
            plan.history += [
                {
                    "equipment_id": m.id,
                    "at": m.observed_at or now,  # when it changed (EquipmentChangeRow)
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
        if is_fault_status(m.status):
            was_fault = old is not None and is_fault_status(old.status)
            since = old.fault_since if was_fault and old.fault_since else now
        current[m.id] = _Known(stated, since)
        plan.rows[m.id] = (m.id, *stated, since and when(since), now_text, now_text)
        plan.fresh.discard(m.id)
    return plan


def among(dialect: str, column: InstrumentedAttribute, ids: list[str]) -> ColumnElement:
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
    """Upsert equipment rows (``_Plan.rows``, in id order): the recorder's hottest statement.

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
    # Never back: ``_plan`` left out what is older than the rows it read; this is for a row
    # another recorder wrote since (one new device inserted by two at once).
    window = (
        "datetime(equipment.observed_at, '-5 minutes')"  # text, as SQLite stores it
        if dialect == "sqlite"
        else "equipment.observed_at - interval '5 minutes'"
    )  # REORDERED
    on_conflict = (
        f"ON CONFLICT (id) DO UPDATE SET {assignments} WHERE equipment.observed_at IS NULL"
        " OR excluded.observed_at IS NULL OR excluded.observed_at >= equipment.observed_at"
        f" OR excluded.observed_at < {window}"
    )
    if dialect == "sqlite":
        marks = ", ".join(["?"] * (1 + len(_COLUMNS)))
        connection.exec_driver_sql(
            f"INSERT INTO equipment ({columns}) VALUES ({marks}) {on_conflict}", params
        )
        return
    with driver_cursor(connection) as cursor:
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
            f"INSERT INTO equipment ({columns}) SELECT {columns} FROM equipment_incoming"
            f" ORDER BY id {on_conflict}"
        )


def _insert_new(session: Session, dialect: str, params: list[tuple]) -> bool:
    """Insert the rows of devices thought new, in a savepoint; False if one was not.

    Then nothing is written: the record held one already, or another recorder inserted it
    meanwhile, and the batch goes the usual way.
    """
    if not params:
        return True
    connection = session.connection()
    columns = ", ".join(("id", *_COLUMNS))
    if dialect == "sqlite":
        marks = ", ".join(["?"] * (1 + len(_COLUMNS)))
        connection.exec_driver_sql("SAVEPOINT equipment_new")
        try:
            connection.exec_driver_sql(
                f"INSERT INTO equipment ({columns}) VALUES ({marks})", params
            )
        except IntegrityError:
            connection.exec_driver_sql("ROLLBACK TO SAVEPOINT equipment_new")
            return False
        connection.exec_driver_sql("RELEASE SAVEPOINT equipment_new")
        return True
    from psycopg.errors import UniqueViolation

    with driver_cursor(connection) as cursor:
        cursor.execute("SAVEPOINT equipment_new")
        try:
            _copy(cursor, "equipment", columns, params)
        except UniqueViolation:
            cursor.execute("ROLLBACK TO SAVEPOINT equipment_new")
            return False
        cursor.execute("RELEASE SAVEPOINT equipment_new")
    return True


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
    # SQLAlchemy's own text for SQLite; isoformat writes it in a third of strftime's time.
    return t.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


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
