"""``vigie query``: the record, read from the shell (everything unless filtered)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from console.cli.context import Context, ExitStatus, local_time
from console.cli.parser import add_json
from console.text.i18n import translate
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

    def add(
        name: str,
        help_text: str,
        handler,  # noqa: ANN001
        *,
        description: str | None = None,
        limit_help: str | None = None,
    ) -> argparse.ArgumentParser:
        p = what.add_parser(name, parents=[common], help=help_text, description=description)
        add_json(p)
        p.set_defaults(handler=handler)
        if name != "stats":
            p.add_argument(
                "--limit",
                type=int,
                metavar="N",
                help=limit_help or translate("cli", "at most N rows"),
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
    eq.add_argument(
        "--streams",
        action="store_true",
        help=translate(
            "cli",
            "with each camera's streamURL: logs in, for roles that may view cameras (exit 5 "
            "otherwise); without it, no streamURL is listed",
        ),
    )
    un = add("units", translate("cli", "units and their last position"), units)
    un.add_argument("--kind", choices=[k.value for k in UnitKind])
    un.add_argument("--status", choices=[s.value for s in UnitStatus])
    cm = add(
        "commands",
        translate("cli", "commands and their outcome, newest first"),
        commands,
        description=translate(
            "cli", "List the commands and their outcome, newest first (the text and --json alike)."
        ),
        limit_help=translate("cli", "the N newest commands only"),
    )
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
    from services.store.incident_query import find_incidents

    a = ctx.args
    wanted: list[str] | None = None
    if a.status:
        chosen = {st for st in a.status if st != "open"}
        if "open" in a.status:
            chosen |= {st.value for st in OPEN_STATUSES}
        wanted = sorted(chosen)
    with ctx.database().read() as s:
        found = find_incidents(
            s,
            statuses=wanted,
            source=a.source,
            commune=a.commune,
            category=a.category,
            priority=Priority[a.priority] if a.priority else None,
            limit=a.limit,
        )
    rows = [
        {
            "id": i.id,
            "source": i.source.value,
            "source_ref": i.source_ref,
            "category": i.category,
            "priority": i.priority.name,
            "status": i.status.value,
            "commune": i.commune,
            "lat": i.location.lat if i.location else None,
            "lon": i.location.lon if i.location else None,
            "created_at": i.created_at,
            "updated_at": i.updated_at,
            "version": i.version,
            "assigned_unit": i.assigned_unit,
            "alert_count": i.alert_count,
        }
        for i in found
    ]
    return _emit(
        ctx,
        rows,
        ["id", "priority", "status", "category", "commune", "source", "source_ref", "created_at"],
    )


def equipment(ctx: Context) -> ExitStatus:
    from services.domain.permissions import Act
    from services.store import authority
    from services.store.equipment_query import list_equipment

    a = ctx.args
    if a.streams:  # where a camera's stream is served: only for who may view cameras
        reader = ctx.acting_operator()
        with ctx.database().read() as s:
            authority.require(s, reader, Act.VIEW_CAMERAS)
    with ctx.database().read() as s:
        views = list_equipment(
            s,
            datetime.now(UTC),
            types=a.type,
            commune=a.commune,
            gateway=a.gateway,
            states=a.state,
            limit=a.limit,
            streams=a.streams,
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
    from services.store.units import list_units

    a = ctx.args
    with ctx.database().read() as s:
        found = list_units(s, kind=a.kind, status=a.status, limit=a.limit)
    rows = [
        {
            "id": u.id,
            "kind": u.kind.value,
            "status": u.status.value,
            "lat": u.lat,
            "lon": u.lon,
            "observed_at": u.observed_at,
        }
        for u in found
    ]
    return _emit(ctx, rows, ["id", "kind", "status", "lat", "lon", "observed_at"])


def commands(ctx: Context) -> ExitStatus:
    from services.commands.outbox import GROUP
    from services.commands.outcome import from_addressed
    from services.recorder.commands import stored_acks
    from services.store.commands import list_commands

    a = ctx.args
    with ctx.database().read() as s:
        rows = []
        for r in list_commands(s, statuses=a.status, limit=a.limit, newest_first=True):
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
                    "late": r.late,
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
    from services.store.quarantine import list_messages

    with ctx.database().read() as s:
        rows = list_messages(s, limit=ctx.args.limit)
    return _emit(ctx, rows, ["received_at", "topic", "size", "reason"])


def stats(ctx: Context) -> ExitStatus:
    from services.store import stats as counters

    with ctx.database().read() as s:
        received, quarantined = counters.message_counts(s)
        open_count = counters.open_incidents(s)
    row = {
        "messages_received": received,
        "messages_quarantined": quarantined,
        "incidents_open": open_count,
    }
    if ctx.json:
        ctx.emit_json(row)
    else:
        ctx.table([translate("cli", "what"), translate("cli", "count")], list(row.items()))
    return ExitStatus.OK
