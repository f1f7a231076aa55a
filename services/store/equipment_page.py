"""The equipment table's pages, filtered and ordered by the database.

At ten times Dijon a console cannot hold, sort and filter 340,000 rows on its GUI thread: a
Python sort of that many keys holds the interpreter lock for most of a second. The database
does it instead (SQLite sorts in C without the lock; PostgreSQL in another process), and the
table fetches the pages the operator scrolls to. The state a device shows (ok, fault, stale,
comm_lost) is judged here in SQL exactly as ``services.domain.equipment.assess_state`` judges it:
the gateway's link first, then silence by type, then the status.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, false, func, literal, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from services.domain.camera_views import STREAM_URL, without_stream
from services.domain.equipment import DEFAULT_STALE_AFTER, EquipmentType, EquipmentView
from services.domain.equipment_query import EquipmentQuery, SortKey
from services.store.models import EquipmentRow, GatewayRow

_Gateway = aliased(GatewayRow)

#: Of a street light's attributes, what the console reads: whether it is lit and what it draws
#: (telemetry), and its group (the command dialog). The other dozen keys of 34,000 lights stay in
#: the database: held in the console, they were about 150 MB of its memory.
LIGHT_ATTRIBUTES = ("powerState", "powerConsumption", "refStreetlightGroup")


def common(text: str | None) -> str | None:
    """One string object for a value that 35,000 rows repeat (a type, a status, a gateway)."""
    return None if text is None else sys.intern(text)


def kept(kind: EquipmentType, attributes: dict[str, Any] | None, streams: bool) -> dict[str, Any]:
    """What the console keeps of a device's attributes (see ``services.situation``)."""
    if not attributes:
        return {}
    if kind is not EquipmentType.STREETLIGHT:
        if not streams and STREAM_URL in attributes:
            return without_stream(attributes)
        return dict(attributes)
    found = {}
    for key in LIGHT_ATTRIBUTES:  # our constant keys: one string each, not one per light
        if key in attributes:
            value = attributes[key]
            found[key] = sys.intern(value) if isinstance(value, str) else value
    return found


def state_expression(now: datetime) -> ColumnElement[str]:
    """The state a device shows at ``now``, as ``assess_state`` says it, in SQL."""
    stale = [
        and_(EquipmentRow.type == kind.value, EquipmentRow.received_at < now - limit)
        for kind, limit in DEFAULT_STALE_AFTER.items()
        if limit is not None
    ]
    # A type the contract does not know is judged as a DEVICE (``EquipmentType`` falls back).
    device_limit = DEFAULT_STALE_AFTER[EquipmentType.DEVICE]
    if device_limit is not None:
        stale.append(
            and_(
                EquipmentRow.type.not_in([kind.value for kind in EquipmentType]),
                EquipmentRow.received_at < now - device_limit,
            )
        )
    return case(
        (_Gateway.online == false(), literal("comm_lost")),
        (or_(*stale), literal("stale")),
        (and_(EquipmentRow.status.is_not(None), EquipmentRow.status != "ok"), literal("fault")),
        else_=literal("ok"),
    )


#: The order of the states in the table, as the held table sorts them (``widgets.equipment.model``
#: ranks them alike): what needs action first, then the silent, then the working.
STATE_ORDER = ("fault", "comm_lost", "stale", "ok")
#: The keys that may be NULL: a missing value sorts first ascending (the held table shows it as
#: an empty text), last descending, on SQLite and PostgreSQL alike.
_NULLABLE = frozenset({SortKey.STATUS, SortKey.COMMUNE, SortKey.GATEWAY})


def _filtered(query: EquipmentQuery, state: ColumnElement[str]) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if query.type:
        where.append(EquipmentRow.type == query.type)
    if query.commune:
        where.append(EquipmentRow.commune == query.commune)
    if query.gateway:
        where.append(EquipmentRow.gateway == query.gateway)
    if query.state:
        where.append(state == query.state)
    if query.text:
        pattern = "%" + query.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern += "%"
        found = [
            EquipmentRow.id.ilike(pattern, escape="\\"),
            EquipmentRow.status.ilike(pattern, escape="\\"),
            EquipmentRow.gateway.ilike(pattern, escape="\\"),
        ]
        if query.text_statuses:
            found.append(EquipmentRow.status.in_(query.text_statuses))
        if query.text_communes:
            found.append(EquipmentRow.commune.in_(query.text_communes))
        where.append(or_(*found))
    return where


def _order(query: EquipmentQuery, state: ColumnElement[str]) -> list[Any]:
    nullable = query.sort in _NULLABLE
    if query.sort is SortKey.COMMUNE and query.commune_order:
        ranks = {code: n for n, code in enumerate(query.commune_order)}
        key: Any = case(  # no commune first (the held table shows an empty name), unknown last
            (EquipmentRow.commune.is_(None), -1),
            else_=case(ranks, value=EquipmentRow.commune, else_=len(ranks)),
        )
        nullable = False  # ranked: never NULL
    elif query.sort is SortKey.STATE:
        # Ranked, not the codes' text; the CASE is never NULL (its else is the last rank).
        key = case(
            {shown: n for n, shown in enumerate(STATE_ORDER)},
            value=state,
            else_=len(STATE_ORDER),
        )
    else:
        key = {
            SortKey.ID: EquipmentRow.id,
            SortKey.TYPE: EquipmentRow.type,
            SortKey.STATE: state,
            SortKey.STATUS: EquipmentRow.status,
            SortKey.COMMUNE: EquipmentRow.commune,
            SortKey.GATEWAY: EquipmentRow.gateway,
            SortKey.AGE: EquipmentRow.received_at,
        }[query.sort]
    ident = EquipmentRow.id.desc() if query.descending else EquipmentRow.id
    if query.sort is SortKey.ID:
        return [ident]
    ordered = key.desc() if query.descending else key
    if nullable:  # explicit: SQLite puts NULLs first ascending, PostgreSQL last
        ordered = ordered.nulls_last() if query.descending else ordered.nulls_first()
    return [ordered, ident]  # the id breaks ties: a stable order


def _joined(stmt: Any) -> Any:
    return stmt.outerjoin(_Gateway, _Gateway.id == EquipmentRow.gateway)


def count(session: Session, query: EquipmentQuery, now: datetime) -> int:
    """How many rows the query shows."""
    state = state_expression(now)
    stmt = select(func.count()).select_from(EquipmentRow)
    if query.state:  # the state needs the gateway's link; the other filters do not
        stmt = _joined(stmt)
    return int(session.scalar(stmt.where(*_filtered(query, state))) or 0)


def state_counts(session: Session, now: datetime) -> dict[str, int]:
    """How many of the whole field are in each state."""
    state = state_expression(now)
    rows = session.execute(
        _joined(select(state, func.count()).select_from(EquipmentRow)).group_by(state)
    )
    return {shown: int(n) for shown, n in rows}


def page(
    session: Session,
    query: EquipmentQuery,
    now: datetime,
    offset: int,
    limit: int,
    *,
    streams: bool = False,
) -> list[EquipmentView]:
    """The rows ``offset`` to ``offset + limit`` of the query's order, as the table shows them."""
    state = state_expression(now)
    # The order over narrow rows (ids and the key), then only the page's rows whole: sorting
    # 340,000 rows with their attributes made SQLite spill to a temporary tree (seconds).
    narrow = select(EquipmentRow.id)
    if query.state or query.sort is SortKey.STATE:  # only the state needs the gateway's link
        narrow = _joined(narrow)
    ids = list(
        session.scalars(
            narrow.where(*_filtered(query, state))
            .order_by(*_order(query, state))
            .offset(offset)
            .limit(limit)
        )
    )
    if not ids:
        return []
    stmt = _joined(
        select(
            EquipmentRow.id,
            EquipmentRow.type,
            state,
            EquipmentRow.status,
            EquipmentRow.commune,
            EquipmentRow.gateway,
            EquipmentRow.lat,
            EquipmentRow.lon,
            EquipmentRow.received_at,
            EquipmentRow.updated_at,
            EquipmentRow.fault_since,
            EquipmentRow.attributes,
        )
    ).where(EquipmentRow.id.in_(ids))
    rank = {ident: n for n, ident in enumerate(ids)}
    rows = sorted(session.execute(stmt), key=lambda row: rank[row[0]])
    views = []
    for ident, kind, shown, status, commune, gateway, lat, lon, at, upd, fault, attrs in rows:
        try:
            equipment_type = EquipmentType(kind)
        except ValueError:
            equipment_type = EquipmentType.DEVICE
        views.append(
            EquipmentView(
                id=ident,
                type=kind,
                state=shown,
                status=common(status),
                commune=common(commune),
                gateway=common(gateway),
                lat=lat,
                lon=lon,
                received_at=at,
                updated_at=upd,
                fault_since=fault,
                attributes=kept(equipment_type, attrs, streams),
            )
        )
    return views


def position(session: Session, query: EquipmentQuery, now: datetime, device_id: str) -> int | None:
    """The row of ``device_id`` in the query's order, or None when the filters hide it."""
    state = state_expression(now)
    numbered = (
        _joined(
            select(
                EquipmentRow.id.label("id"),
                func.row_number().over(order_by=_order(query, state)).label("n"),
            )
        )
        .where(*_filtered(query, state))
        .subquery()
    )
    found = session.scalar(select(numbered.c.n).where(numbered.c.id == device_id))
    return None if found is None else int(found) - 1


def field_size(session: Session) -> int:
    """How many devices the record holds."""
    return int(session.scalar(select(func.count()).select_from(EquipmentRow)) or 0)


__all__: Sequence[str] = (
    "count",
    "STATE_ORDER",
    "field_size",
    "page",
    "position",
    "state_counts",
    "state_expression",
)
