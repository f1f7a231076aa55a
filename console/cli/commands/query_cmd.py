"""``vigie query``: the record, read from the shell (everything unless filtered)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from console.cli.context import Context, ExitStatus, local_time
from console.cli.parser import add_json
from console.i18n import translate
from services.domain.equipment import EquipmentState, EquipmentType
from services.domain.incidents import OPEN_STATUSES, IncidentSource, IncidentStatus, Priority
from services.domain.units import UnitKind, UnitStatus


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    q = sub.add_parser(
        "query",
        parents=[common],
        help=translate("cli", "read the record"),
        description=translate(
            "cli",
            "List incidents, equipment, units, commands, quarantine or statistics. "
            "Everything is listed unless filtered.",
        ),
    )
    what = q.add_subparsers(dest="what", required=True, metavar="WHAT")

    def add(name: str, help_text: str, handler) -> argparse.ArgumentParser:  # noqa: ANN001
        p = what.add_parser(name, parents=[common], help=help_text)
        add_json(p)
        p.set_defaults(handler=handler)
        if name != "stats":
            p.add_argument(
                "--limit", type=int, metavar="N", help=translate("cli", "at most N rows")
            )
        return p

    inc = add("incidents", translate("cli", "incidents"), incidents)
    inc.add_argument(
        "--status",
        action="append",
        choices=[s.value for s in IncidentStatus] + ["open"],
        help=translate("cli", "only these statuses (repeatable)"),
    )
    inc.add_argument("--source", choices=[s.value for s in IncidentSource])
    inc.add_argument("--commune", metavar="INSEE")
    inc.add_argument("--category")
    inc.add_argument("--priority", choices=[p.name for p in Priority])
    eq = add("equipment", translate("cli", "equipment and its state"), equipment)
    eq.add_argument("--type", action="append", choices=[t.value for t in EquipmentType])
    eq.add_argument("--state", action="append", choices=[s.value for s in EquipmentState])
    eq.add_argument("--commune", metavar="INSEE")
    eq.add_argument("--gateway", metavar="ID")
    un = add("units", translate("cli", "units and their last position"), units)
    un.add_argument("--kind", choices=[k.value for k in UnitKind])
    un.add_argument("--status", choices=[s.value for s in UnitStatus])
    cm = add("commands", translate("cli", "commands and their outcome"), commands)
    cm.add_argument("--status", action="append")
    add("quarantine", translate("cli", "rejected messages"), quarantine)
    add("stats", translate("cli", "message and incident counts"), stats)


def _emit(ctx: Context, rows: list[dict[str, Any]], columns: list[str]) -> ExitStatus:
    if ctx.json:
        ctx.emit_json(rows)
        return ExitStatus.OK

    def cell(v: Any) -> Any:
        return local_time(v) if isinstance(v, datetime) else v

    ctx.table(columns, [[cell(r.get(c)) for c in columns] for r in rows])
    return ExitStatus.OK


def incidents(ctx: Context) -> ExitStatus:
    from sqlalchemy import select

    from services.store.models import (
        IncidentRow,
    )

    a = ctx.args
    query = select(IncidentRow).order_by(IncidentRow.id)
    if a.status:
        wanted = {s for s in a.status if s != "open"}
        if "open" in a.status:
            wanted |= {s.value for s in OPEN_STATUSES}
        query = query.where(IncidentRow.status.in_(sorted(wanted)))
    for column, value in (
        (IncidentRow.source, a.source),
        (IncidentRow.commune, a.commune),
        (IncidentRow.category, a.category),
    ):
        if value:
            query = query.where(column == value)
    if a.priority:
        query = query.where(IncidentRow.priority == Priority[a.priority].value)
    if a.limit:
        query = query.limit(a.limit)
    with ctx.database().read() as s:
        rows = [
            {
                "id": r.id,
                "source": r.source,
                "source_ref": r.source_ref,
                "category": r.category,
                "priority": Priority(r.priority).name,
                "status": r.status,
                "commune": r.commune,
                "lat": r.lat,
                "lon": r.lon,
                "created_at": r.created_at,
                "updated_at": r.updated_at,
                "version": r.version,
                "assigned_unit": r.assigned_unit,
            }
            for r in s.execute(query).scalars()
        ]
    return _emit(
        ctx,
        rows,
        ["id", "priority", "status", "category", "commune", "source", "source_ref", "created_at"],
    )


def equipment(ctx: Context) -> ExitStatus:
    from services.store.equipment_query import list_equipment

    a = ctx.args
    with ctx.database().read() as s:
        views = list_equipment(
            s,
            datetime.now(UTC),
            types=a.type,
            commune=a.commune,
            gateway=a.gateway,
            states=a.state,
            limit=a.limit,
        )
    rows = [
        {
            "id": v.id,
            "type": v.type,
            "state": v.state,
            "commune": v.commune,
            "gateway": v.gateway,
            "lat": v.lat,
            "lon": v.lon,
            "updated_at": v.updated_at,
            "attributes": v.attributes,
        }
        for v in views
    ]
    return _emit(ctx, rows, ["id", "type", "state", "commune", "gateway", "updated_at"])


def units(ctx: Context) -> ExitStatus:
    from sqlalchemy import select

    from services.store.models import (
        UnitRow,
    )

    a = ctx.args
    query = select(UnitRow).order_by(UnitRow.id)
    if a.kind:
        query = query.where(UnitRow.kind == a.kind)
    if a.status:
        query = query.where(UnitRow.status == a.status)
    if a.limit:
        query = query.limit(a.limit)
    with ctx.database().read() as s:
        rows = [
            {
                "id": r.id,
                "kind": r.kind,
                "status": r.status,
                "lat": r.lat,
                "lon": r.lon,
                "observed_at": r.observed_at,
            }
            for r in s.execute(query).scalars()
        ]
    return _emit(ctx, rows, ["id", "kind", "status", "lat", "lon", "observed_at"])


def commands(ctx: Context) -> ExitStatus:
    from sqlalchemy import select

    from services.commands.outbox import GROUP
    from services.commands.outcome import from_addressed
    from services.recorder.commands import stored_acks
    from services.store.models import (
        CommandRow,
    )

    a = ctx.args
    query = select(CommandRow).order_by(CommandRow.issued_at)
    if a.status:
        query = query.where(CommandRow.status.in_(a.status))
    if a.limit:
        query = query.limit(a.limit)
    with ctx.database().read() as s:
        rows = []
        for r in s.execute(query).scalars():
            acks = stored_acks(s, r.request_id)
            if r.target_type != GROUP:  # only the device (or unit) addressed answers for itself
                acks = from_addressed(acks, r.target)
            failed = sorted(
                {device for ack in acks for device, _ in ack.failed}
                | {
                    ack.responder
                    for ack in acks
                    if ack.responder_kind != "gateway"
                    and ack.status in ("failed", "rejected", "expired")
                }
            )
            rows.append(
                {
                    "request_id": r.request_id,
                    "target": r.target,
                    "command": r.command,
                    "params": r.params,
                    "status": r.status,
                    "late": bool(r.late),
                    "issued_by": r.issued_by,
                    "issued_at": r.issued_at,
                    "finished_at": r.finished_at,
                    "failed": failed,
                }
            )
    if ctx.json:
        return _emit(ctx, rows, [])
    # The status as the record has it, and in words when the device's answer came late.
    late = translate("cli", "late")
    shown = [{**r, "status": f"{r['status']} ({late})" if r["late"] else r["status"]} for r in rows]
    return _emit(
        ctx, shown, ["request_id", "target", "command", "status", "issued_by", "issued_at"]
    )


def quarantine(ctx: Context) -> ExitStatus:
    from sqlalchemy import select

    from services.store.models import (
        QuarantineRow,
    )

    query = select(
        QuarantineRow.topic,
        QuarantineRow.reason,
        QuarantineRow.received_at,
        QuarantineRow.size,
        QuarantineRow.entity_id,  # the id the payload named, when it named one
    ).order_by(QuarantineRow.id)
    if ctx.args.limit:
        query = query.limit(ctx.args.limit)
    with ctx.database().read() as s:
        rows = [dict(r._mapping) for r in s.execute(query)]
    return _emit(ctx, rows, ["received_at", "topic", "size", "reason"])


def stats(ctx: Context) -> ExitStatus:
    from sqlalchemy import func, select

    from services.store.models import (
        IncidentRow,
        RecorderStatsRow,
    )

    with ctx.database().read() as s:
        received, quarantined = s.execute(
            select(
                func.coalesce(func.sum(RecorderStatsRow.messages_received), 0),
                func.coalesce(func.sum(RecorderStatsRow.messages_quarantined), 0),
            )
        ).one()
        open_count = s.execute(
            select(func.count())
            .select_from(IncidentRow)
            .where(IncidentRow.status.in_([st.value for st in OPEN_STATUSES]))
        ).scalar_one()
    row = {
        "messages_received": int(received),
        "messages_quarantined": int(quarantined),
        "incidents_open": open_count,
    }
    if ctx.json:
        ctx.emit_json(row)
    else:
        ctx.table([translate("cli", "what"), translate("cli", "count")], list(row.items()))
    return ExitStatus.OK
