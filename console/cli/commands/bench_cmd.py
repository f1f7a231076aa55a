"""``vigie bench``: measurements reported as ratios against a baseline run alongside."""

from __future__ import annotations

import argparse
import math

from console.cli.context import CliFailure, Context, ExitStatus
from console.cli.parser import add_json, positive_int
from console.text.i18n import fill, translate


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    bench = sub.add_parser(
        "bench",
        parents=[common],
        help=translate("cli", "measure Vigie against a baseline"),
        description=translate(
            "cli",
            "Benchmarks run on scratch databases and report ratios against a baseline "
            "measured in the same run.",
        ),
    )
    actions = bench.add_subparsers(dest="action", required=True, metavar="BENCHMARK")
    au = actions.add_parser(
        "audit",
        parents=[common],
        help=translate("cli", "an audited append against a plain insert of the same row"),
    )
    au.add_argument(
        "--entries",
        type=int,
        default=2000,
        metavar="N",
        help=translate("cli", "writes of each kind (default 2000)"),
    )
    add_json(au)
    au.set_defaults(handler=run_audit)
    ing = actions.add_parser(
        "ingest",
        parents=[common],
        help=translate("cli", "the recorder against a bare subscriber: cold start and steady mix"),
    )
    ing.add_argument(
        "--scale",
        choices=["dijon", "x10"],
        default="dijon",
        help=translate(
            "cli", "Dijon's 34,000 retained light states, or ten times as many (default dijon)"
        ),
    )
    ing.add_argument(
        "--lights",
        type=positive_int,
        default=None,
        metavar="N",
        help=translate("cli", "retained light states at cold start, whatever the scale says"),
    )
    ing.add_argument(
        "--rates",
        default="1000,3000,6000",
        metavar="R1,R2,…",
        help=translate("cli", "steady rates in messages per second"),
    )
    ing.add_argument(
        "--seconds",
        type=float,
        default=5.0,
        metavar="S",
        help=translate("cli", "how long each steady rate lasts (default 5)"),
    )
    ing.add_argument(
        "--share-rate",
        type=int,
        default=3000,
        metavar="R",
        help=translate(
            "cli",
            "rate of the marked mix taken by one recorder, then on PostgreSQL by two sharing "
            "it (--share); 0 skips it (default 3000)",
        ),
    )
    ing.add_argument(
        "--rounds",
        type=positive_int,
        default=3,
        metavar="N",
        help=translate(
            "cli", "cold starts, each after its own bare subscriber; the median counts (default 3)"
        ),
    )
    ing.add_argument(
        "--loaded",
        action="store_true",
        help=translate(
            "cli",
            "also time each round with a recorder whose imports were done before the clock "
            "started: what loading costs a cold start",
        ),
    )
    add_json(ing)
    ing.set_defaults(handler=run_ingest)
    ho = actions.add_parser(
        "hostile",
        parents=[common],
        help=translate(
            "cli", "issue 14's hostile input against a private broker and a real recorder"
        ),
        description=translate(
            "cli",
            "Publishes classes of bad input (overflowing and out-of-bound times, NUL and markup, "
            "numeric ids, NGSI normalized forms, doubtful values, a poison message across a "
            "SIGKILL) to a recorder on a scratch database, and checks that each message was "
            "quarantined or recorded as it must be, that none was dropped and that the "
            "recorder is alive at the end. Exit status 0 when all held, 1 otherwise.",
        ),
    )
    ho.add_argument(
        "--deadline",
        type=positive_int,
        default=120,
        metavar="S",
        help=translate("cli", "stop after this many seconds whatever is left (default 120)"),
    )
    add_json(ho)
    ho.set_defaults(handler=run_hostile)
    ui = actions.add_parser(
        "ui",
        parents=[common],
        help=translate(
            "cli",
            "the incident queue with 10,000 incidents, report-to-row time, and what a "
            "console weighs on a mild evening",
        ),
    )
    ui.add_argument(
        "--incidents",
        type=int,
        default=10_000,
        metavar="N",
        help=translate("cli", "open incidents in the queue (default 10000)"),
    )
    ui.add_argument(
        "--rate",
        type=int,
        default=5_000,
        metavar="N",
        help=translate(
            "cli", "light states a second while the GUI thread is watched (default 5000)"
        ),
    )
    ui.add_argument(
        "--seconds",
        type=float,
        default=60.0,
        metavar="S",
        help=translate(
            "cli",
            "how long the console's memory and processor share are measured, once the field "
            "has settled (default 60)",
        ),
    )
    ui.add_argument(
        "--scale",
        choices=("dijon", "small"),
        default="dijon",
        help=translate(
            "cli", "the simulated field the console is weighed under (default dijon, mix mild)"
        ),
    )
    add_json(ui)
    ui.set_defaults(handler=run_ui)
    cs = actions.add_parser(
        "console",
        parents=[common],
        help=translate(
            "cli", "a console opened on a field of Dijon's size or ten times it: the GUI thread"
        ),
    )
    cs.add_argument(
        "--scale",
        choices=("small", "dijon", "x10"),
        default="dijon",
        help=translate(
            "cli",
            "the field put in the scratch database: 34,000 lights (dijon) or 340,000 (x10)",
        ),
    )
    cs.add_argument(
        "--rate",
        type=positive_int,
        default=5_000,
        metavar="N",
        help=translate("cli", "light states a second once the console is open (default 5000)"),
    )
    cs.add_argument(
        "--seconds",
        type=float,
        default=5.0,
        metavar="S",
        help=translate("cli", "how long the states arrive (default 5)"),
    )
    add_json(cs)
    cs.set_defaults(handler=run_console)
    mp = actions.add_parser(
        "map",
        parents=[common],
        help=translate(
            "cli", "the map page with Dijon's field against the same page without markers"
        ),
    )
    mp.add_argument(
        "--lights",
        type=int,
        default=None,
        metavar="N",
        help=translate("cli", "street lights on the map (default: the scale's, 34000 at dijon)"),
    )
    mp.add_argument(
        "--scale",
        choices=("dijon", "x10"),
        default="dijon",
        help=translate(
            "cli",
            "x10: 340,000 lights, the healthy ones sent to the page as the console serves them "
            "(clusters of the view)",
        ),
    )
    mp.add_argument(
        "--units",
        type=int,
        default=205,
        metavar="N",
        help=translate("cli", "vehicles on the map (default 205)"),
    )
    mp.add_argument(
        "--frames",
        type=int,
        default=25,
        metavar="N",
        help=translate("cli", "frames of updates sent to each page (default 25)"),
    )
    add_json(mp)
    mp.set_defaults(handler=run_map)
    ob = actions.add_parser(
        "outbox",
        parents=[common],
        help=translate(
            "cli", "an act's commit to its command on the bus, under the Dijon simulator's load"
        ),
        description=translate(
            "cli",
            "Runs vigie simulate at Dijon's scale and the recorder on a scratch database and a "
            "private broker, records commands as a console does, and times each from its "
            "commit to its arrival on the bus, against commands published straight to the "
            "broker alongside. Exit status 0 when every command arrived and the 99th "
            "percentile is within 200 ms, 1 otherwise.",
        ),
    )
    ob.add_argument(
        "--commands",
        type=positive_int,
        default=300,
        metavar="N",
        help=translate("cli", "commands of each kind (default 300)"),
    )
    add_json(ob)
    ob.set_defaults(handler=run_outbox)
    lg = actions.add_parser(
        "lighting",
        parents=[common],
        help=translate(
            "cli", "the lighting policy at Dijon's scale: preview, push to every cabinet, Energy"
        ),
        description=translate(
            "cli",
            "Runs vigie simulate at Dijon's scale and the recorder on a scratch database and a "
            "private broker; times the policy's preview against reading the same lights bare, "
            "its profiles pushed to every cabinet until each answered against a dim to the same "
            "groups, and the Energy panel's 30 nights from a month of meter readings (written "
            "by the backfill) against one night. Exit status 0 when the preview and the 30 "
            "nights each take at most 1,000 ms and every light took its profile, 1 otherwise.",
        ),
    )
    lg.add_argument(
        "--days",
        type=positive_int,
        default=30,
        metavar="N",
        help=translate("cli", "days of meter readings for the Energy view (default 30)"),
    )
    add_json(lg)
    lg.set_defaults(handler=run_lighting)
    vd = actions.add_parser(
        "video",
        parents=[common],
        help=translate("cli", "the video wall on cameras of its own, against one tile alone"),
        description=translate(
            "cli",
            "Serves its own cameras in this process and plays them on the video wall "
            "(offscreen, 1920x1080): first one tile alone, then the whole wall, each for the "
            "same time after a warm-up. Reports each tile's frames a second, the share of the "
            "frames received that were painted, how long the GUI thread was kept busy and how "
            "much resident memory grew. Exit status 0 when the wall met its targets (at least "
            "20 frames a second per tile, 90 % painted, no stall over 100 ms, memory grown "
            "by 50 MB at most), 1 otherwise.",
        ),
    )
    vd.add_argument(
        "--tiles",
        type=int,
        choices=(1, 4, 9),
        default=9,
        help=translate("cli", "tiles on the wall, each on its own camera: 1, 4 or 9 (default 9)"),
    )
    vd.add_argument(
        "--seconds",
        type=_video_seconds,
        default=20.0,
        metavar="S",
        help=translate(
            "cli", "how long each phase is measured, at least 5, after its warm-up (default 20)"
        ),
    )
    vd.add_argument(
        "--stall-one",
        action="store_true",
        help=translate(
            "cli",
            "one camera of the wall stops answering when the measure begins: its tile is "
            "reported apart, the targets are the others'",
        ),
    )
    add_json(vd)
    vd.set_defaults(handler=run_video)
    od = actions.add_parser(
        "opendata",
        parents=[common],
        help=translate(
            "cli", "the Open311 service under concurrent readers and posts, against a static route"
        ),
        description=translate(
            "cli",
            "Runs vigie opendata serve on a free port of this machine against a scratch "
            "database (a temporary SQLite file; with --db naming a PostgreSQL server, a "
            "temporary schema there, dropped afterwards), with a rate-exempt key. First every "
            "reader asks for the static /health route (the baseline); then the readers loop "
            "over requests.json?page_size=50, requests/{id}.json and services.json while "
            "requests are posted at a steady pace. Reports the 50th and 99th percentiles, "
            "their ratios to the static route's, and checks on the record that every accepted "
            "post is exactly one incident. Exit status 0 when the record holds and the goals "
            "are met (reads p99 within 250 ms, posts p99 within 500 ms, no error), 1 otherwise.",
        ),
    )
    od.add_argument(
        "--seconds",
        type=_positive_number,
        default=60.0,
        metavar="S",
        help=translate(
            "cli", "how long the load is measured (default 60; the baseline a quarter of it)"
        ),
    )
    od.add_argument(
        "--readers",
        type=positive_int,
        default=200,
        metavar="N",
        help=translate("cli", "concurrent readers, each on its own connection (default 200)"),
    )
    od.add_argument(
        "--posts-per-second",
        type=_positive_number,
        default=50.0,
        metavar="N",
        help=translate("cli", "requests posted a second, at a steady pace (default 50)"),
    )
    od.add_argument(
        "--reader-processes",
        type=positive_int,
        default=1,
        metavar="N",
        help=translate("cli", "processes the readers are shared among (default 1)"),
    )
    add_json(od)
    od.set_defaults(handler=run_opendata)
    _register_report(actions, common)  # issue 22


def run_audit(ctx: Context) -> ExitStatus:
    from services.bench import audit as audit_bench
    from services.store.backends import postgresql_url

    targets: list[str | None] = [None]  # a scratch SQLite file, always
    server = postgresql_url(ctx.settings.db)
    if server is not None:
        targets.append(server)  # and a scratch schema on the configured server
    results = []
    for url in targets:
        with audit_bench.scratch_database(url) as db:
            results.append(audit_bench.run(db, entries=max(100, ctx.args.entries)))
    if ctx.json:
        ctx.emit_json(
            [
                {
                    "backend": r.backend,
                    "entries": r.entries,
                    "append_ms": round(r.append_ms, 4),
                    "insert_ms": round(r.insert_ms, 4),
                    "ratio": round(r.ratio, 3),
                    "intact": r.intact,
                }
                for r in results
            ]
        )
    else:
        for r in results:
            ctx.say(
                fill(
                    translate(
                        "cli",
                        "{backend}: audited append {append:.3f} ms, plain insert "
                        "{insert:.3f} ms, ratio {ratio:.2f} over {n} writes each",
                    ),
                    {
                        "backend": r.backend,
                        "append": r.append_ms,
                        "insert": r.insert_ms,
                        "ratio": r.ratio,
                        "n": r.entries,
                    },
                )
            )
    return ExitStatus.OK if all(r.intact for r in results) else ExitStatus.FAILED


def run_ingest(ctx: Context) -> ExitStatus:
    from services.bench import ingest, mosquitto
    from services.store.backends import postgresql_url

    if not mosquitto.available():
        raise CliFailure(
            translate("cli", "vigie bench ingest needs the mosquitto binary"), ExitStatus.FAILED
        )
    rates = [int(r) for r in ctx.args.rates.split(",") if r.strip()]
    lights = ctx.args.lights or ingest.SCALES[ctx.args.scale]
    targets: list[str | None] = [None]
    server = postgresql_url(ctx.settings.db)
    if server is not None:
        targets.append(server)
    results = [
        ingest.run(
            url,
            lights,
            rates,
            ctx.args.seconds,
            ctx.args.rounds,
            share_rate=max(0, ctx.args.share_rate),
            loaded=ctx.args.loaded,
        )
        for url in targets
    ]
    if ctx.json:
        ctx.emit_json(ingest_document(results, ctx.args.scale))
        return ExitStatus.OK
    for r in results:
        ctx.say(
            fill(
                translate(
                    "cli",
                    "{backend}: cold start of {n} retained states, median ratio {ratio:.2f}",
                ),
                {"backend": r.backend, "n": r.lights, "ratio": r.ratio},
            )
        )
        _say_rounds(ctx, r.cold_starts)
        if r.loaded_ratio is not None:
            ctx.say(
                fill(
                    translate(
                        "cli",
                        "  its imports done before the clock started: median ratio {ratio:.2f}",
                    ),
                    {"ratio": r.loaded_ratio},
                )
            )
            _say_rounds(ctx, r.loaded_starts)
        for s in r.steady:
            ctx.say(
                fill(
                    translate(
                        "cli",
                        "  {rate}/s offered: sent {sent}, bare subscriber "
                        "{bare}, recorded {rec} ({sustained:.0f}/s sustained)",
                    ),
                    {
                        "rate": s.rate,
                        "sent": s.sent,
                        "bare": s.bare_received,
                        "rec": s.recorded,
                        "sustained": s.sustained,
                    },
                )
            )
        for run in r.sharing:
            _say_sharing(ctx, run)
    return ExitStatus.OK


def _say_rounds(ctx: Context, rounds: list) -> None:  # noqa: ANN001 - ingest.ColdStart
    for number, c in enumerate(rounds, 1):
        ctx.say(
            fill(
                translate(
                    "cli",
                    "  round {round}: bare subscriber {bare:.2f} s ({got}), "
                    "recorder {rec:.2f} s ({kept}), ratio {ratio:.2f}",
                ),
                {
                    "round": number,
                    "bare": c.bare_seconds,
                    "got": c.bare_received,
                    "rec": c.recorder_seconds,
                    "kept": c.recorder_recorded,
                    "ratio": c.ratio,
                },
            )
        )


def _say_sharing(ctx: Context, run) -> None:  # noqa: ANN001 - services.bench.shared.SharedRun
    if run.problem is not None and not run.members:
        ctx.say(
            fill(
                translate("cli", "  {n} recorder(s), group {group}: not run: {problem}"),
                {"n": run.recorders, "group": run.group or "-", "problem": run.problem},
            )
        )
        return
    ctx.say(
        fill(
            translate(
                "cli",
                "  {n} recorder(s), group {group}, {rate}/s offered: sent {sent}, "
                "lost {lost}, doubled {doubled}, {sustained:.0f}/s in all",
            ),
            {
                "n": run.recorders,
                "group": run.group or "-",
                "rate": run.rate,
                "sent": run.sent,
                "lost": run.lost,
                "doubled": run.doubled,
                "sustained": run.sustained,
            },
        )
    )
    for m in run.members:
        ctx.say(
            fill(
                translate("cli", "    {id}: took {part} ({throughput:.0f}/s)"),
                {"id": m.recorder_id, "part": m.received, "throughput": m.throughput},
            )
        )


def ingest_document(results: list, scale: str) -> list[dict]:  # noqa: ANN001
    """``vigie bench ingest --json``: one object per backend (English keys, stable)."""
    return [
        {
            "backend": r.backend,
            "scale": scale,
            "lights": r.lights,
            "cold_starts": [_cold_start_document(c) for c in r.cold_starts],
            "median_ratio": round(r.ratio, 2),
            # --loaded: the recorder timed once its imports were done (empty, null without)
            "loaded_starts": [_cold_start_document(c) for c in r.loaded_starts],
            "median_loaded_ratio": None if r.loaded_ratio is None else round(r.loaded_ratio, 2),
            "steady": [
                {
                    "rate": s.rate,
                    "sent": s.sent,
                    "bare_received": s.bare_received,
                    "recorded": s.recorded,
                    "sustained": round(s.sustained, 1),
                }
                for s in r.steady
            ],
            "sharing": [_sharing_document(run) for run in r.sharing],
        }
        for r in results
    ]


def _cold_start_document(c) -> dict:  # noqa: ANN001 - services.bench.ingest.ColdStart
    return {
        "bare_seconds": round(c.bare_seconds, 3),
        "bare_received": c.bare_received,
        "recorder_seconds": round(c.recorder_seconds, 3),
        "recorder_recorded": c.recorder_recorded,
        "ratio": round(c.ratio, 2),
    }


def _sharing_document(run) -> dict:  # noqa: ANN001 - services.bench.shared.SharedRun
    return {
        "recorders": run.recorders,
        "group": run.group,
        "rate": run.rate,
        "sent": run.sent,
        "sent_states": run.sent_states,
        "sent_positions": run.sent_positions,
        "sent_alerts": run.sent_alerts,
        "received": run.received,
        "recorded_positions": run.recorded_positions,
        "recorded_alerts": run.recorded_alerts,
        "devices": run.devices,
        "devices_behind": run.devices_behind,
        "quarantined": run.quarantined,
        "lost": run.lost,
        "doubled": run.doubled,
        "seconds": round(run.seconds, 3),
        "sustained": round(run.sustained, 1),
        "members": [
            {
                "recorder_id": m.recorder_id,
                "received": m.received,
                "throughput": round(m.throughput, 1),
            }
            for m in run.members
        ],
        "problem": run.problem,
    }


def run_hostile(ctx: Context) -> ExitStatus:
    from services.bench import hostile, mosquitto
    from services.store.backends import postgresql_url

    if not mosquitto.available():
        raise CliFailure(
            translate("cli", "vigie bench hostile needs the mosquitto binary"),
            ExitStatus.UNREACHABLE,
        )
    # A PostgreSQL server gets a fresh schema; anything else a temporary SQLite file: the
    # hostile input never goes into a real record.
    run = hostile.run(postgresql_url(ctx.settings.db), deadline=float(ctx.args.deadline))
    if ctx.json:
        ctx.emit_json(_hostile_json(run))
    else:
        _say_hostile(ctx, run)
    return ExitStatus.OK if run.held else ExitStatus.FAILED


def _hostile_json(run) -> dict:  # noqa: ANN001 - services.bench.hostile.HostileRun
    return {
        "backend": run.backend,
        "started_at": run.started_at,
        "seconds": round(run.seconds, 1),
        "deadline_seconds": run.deadline,
        "held": run.held,
        "classes": [
            {
                "name": c.name,
                "held": c.held,
                "sent": c.sent,
                "received": c.received,
                "recorded": c.count("recorded"),
                "quarantined": c.count("quarantined"),
                "missing": c.missing,
                "dropped": c.dropped,
                "recorder_alive": c.recorder_alive,
                "canary_recorded": c.canary_recorded,
                "recorder_restarts": c.restarts,
                "recorder_exit_code": c.exit_code,
                "recorder_said": c.recorder_said,
                "problem": c.problem,
                "messages": [
                    {
                        "label": m.label,
                        "topic": m.topic,
                        "expected": m.expected,
                        "outcome": m.outcome,
                        "held": m.held,
                        "problem": m.problem,
                        "reason": m.reason,
                    }
                    for m in c.messages
                ],
            }
            for c in run.classes
        ],
    }


def _say_hostile(ctx: Context, run) -> None:  # noqa: ANN001 - services.bench.hostile.HostileRun
    yes, no = translate("cli", "yes"), translate("cli", "no")
    ctx.say(
        fill(
            translate("cli", "hostile run on {backend} in {seconds:.0f} s: {verdict}"),
            {
                "backend": run.backend,
                "seconds": run.seconds,
                "verdict": translate("cli", "everything held")
                if run.held
                else translate("cli", "NOT everything held"),
            },
        )
    )
    ctx.table(
        [
            translate("cli", "class"),
            translate("cli", "sent"),
            translate("cli", "recorded"),
            translate("cli", "quarantined"),
            translate("cli", "missing"),
            translate("cli", "received"),
            translate("cli", "alive at end"),
            translate("cli", "held"),
        ],
        [
            (
                c.name,
                c.sent,
                c.count("recorded"),
                c.count("quarantined"),
                c.missing,
                c.received,
                yes if c.recorder_alive and c.canary_recorded else no,
                yes if c.held else no,
            )
            for c in run.classes
        ],
    )
    for c in run.classes:
        for line in _class_problems(c):
            ctx.say(f"  {c.name}: {line}")
        for m in c.messages:
            if not m.held:
                ctx.say(f"  {c.name} / {m.label}: {_message_problem(m)}")


def _class_problems(c) -> list[str]:  # noqa: ANN001 - services.bench.hostile.ClassResult
    lines = []
    if c.problem == "deadline":
        lines.append(translate("cli", "not run: the deadline came first"))
    elif c.problem == "recorder_not_ready":
        lines.append(translate("cli", "the recorder did not start"))
    elif c.problem == "recorder_not_back":
        lines.append(translate("cli", "the recorder did not come back after SIGKILL"))
    if c.problem != "deadline":
        if c.dropped:
            lines.append(
                fill(
                    translate("cli", "the recorder counted {received} of {sent} messages"),
                    {"received": c.received, "sent": c.sent},
                )
            )
        if not c.recorder_alive:
            lines.append(
                fill(
                    translate("cli", "the recorder died (exit status {code}): {said}"),
                    {"code": c.exit_code, "said": c.recorder_said or "-"},
                )
            )
        elif not c.canary_recorded:
            lines.append(translate("cli", "the recorder is running but recorded no last report"))
    return lines


def _message_problem(m) -> str:  # noqa: ANN001 - services.bench.hostile.MessageResult
    problems = {
        "flag_missing": translate("cli", "recorded without its time flag"),
        "first_name_differs": translate("cli", "recorded, but the first name was not cleaned"),
        "description_differs": translate("cli", "recorded, but the description was changed"),
    }
    if m.problem in problems:
        return problems[m.problem]
    outcomes = {
        "recorded": translate("cli", "recorded"),
        "quarantined": translate("cli", "quarantined"),
        "recorded_and_quarantined": translate("cli", "recorded and quarantined"),
        "missing": translate("cli", "neither recorded nor quarantined"),
    }
    text = fill(
        translate("cli", "expected {expected}, was {outcome}"),
        {"expected": outcomes[m.expected], "outcome": outcomes[m.outcome]},
    )
    return f"{text} ({m.reason})" if m.reason else text


def run_ui(ctx: Context) -> ExitStatus:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # measured, not looked at
    from console.shell.web_engine import prepare_web_engine

    prepare_web_engine()  # the running console has a map
    from PySide6.QtWidgets import QApplication

    from console.tools import bench_ui

    app = QApplication.instance() or QApplication([])
    # First, in a process that has done nothing else yet: what it weighs is the console's.
    weight = bench_ui.weigh_console(ctx.args.seconds, scale=ctx.args.scale)
    timings = bench_ui.queue_timings(ctx.args.incidents)
    latency, round_trip = bench_ui.report_to_row_ms()
    busy, idle = bench_ui.gui_stalls(ctx.args.rate)
    del app
    if ctx.json:
        ctx.emit_json(
            {
                "incidents": ctx.args.incidents,
                "queue": [
                    {
                        "what": t.what,
                        "loaded_ms": round(t.loaded_ms, 2),
                        "empty_ms": round(t.empty_ms, 3),
                        "ratio": round(t.ratio, 1),
                    }
                    for t in timings
                ],
                "report_to_row_ms": round(latency, 1),
                "broker_round_trip_ms": round(round_trip, 2),
                "gui_stall": {
                    "states_sent": busy.messages,
                    "longest_ms": round(busy.longest_ms, 1),
                    "p99_ms": round(busy.p99_ms, 1),
                    "idle_longest_ms": round(idle.longest_ms, 1),
                    "idle_p99_ms": round(idle.p99_ms, 1),
                },
                "rss_mb": round(weight.console.rss_mb, 1),
                "cpu_percent": round(weight.console.cpu_percent, 1),
                "weight": _weight_json(weight),
            }
        )
        return ExitStatus.OK
    for t in timings:
        ctx.say(
            fill(
                translate(
                    "cli",
                    "{what}: {loaded:.1f} ms with {n} incidents, {empty:.3f} ms "
                    "empty (ratio {ratio:.0f})",
                ),
                {
                    "what": t.what,
                    "loaded": t.loaded_ms,
                    "n": ctx.args.incidents,
                    "empty": t.empty_ms,
                    "ratio": t.ratio,
                },
            )
        )
    ctx.say(
        fill(
            translate(
                "cli",
                "report published → row in a running console: {ms:.0f} ms "
                "(broker round trip {rt:.1f} ms)",
            ),
            {"ms": latency, "rt": round_trip},
        )
    )
    ctx.say(
        fill(
            translate(
                "cli",
                "GUI thread while {n} light states arrived ({rate}/s): longest stall {busy:.0f} "
                "ms, 99th percentile {p99:.0f} ms; idle: {idle:.0f} ms, {idle99:.0f} ms",
            ),
            {
                "n": busy.messages,
                "rate": ctx.args.rate,
                "busy": busy.longest_ms,
                "p99": busy.p99_ms,
                "idle": idle.longest_ms,
                "idle99": idle.p99_ms,
            },
        )
    )
    for line in _weight_lines(weight):
        ctx.say(line)
    return ExitStatus.OK


def _weight_json(w) -> dict:  # noqa: ANN001 - console.tools.bench_ui.Weight (Qt: imported late)
    def process(p) -> dict | None:  # noqa: ANN001
        if p is None:
            return None
        return {
            "rss_mb": round(p.rss_mb, 1),
            "end_rss_mb": round(p.end_rss_mb, 1),
            "cpu_percent": round(p.cpu_percent, 1),
        }

    return {
        "seconds": round(w.seconds, 1),
        "scale": w.scale,
        "mix": w.mix,
        "devices": w.devices,
        "rss": "peak",  # rss_mb is the window's peak; end_rss_mb its last reading
        "console": process(w.console),
        "web_engine_renderer": process(w.renderer),
        "web_engine_rss_mb": round(w.web_engine_mb, 1),
        "web_engine_processes": w.web_engine_processes,
    }


def _weight_lines(w) -> list[str]:  # noqa: ANN001 - console.tools.bench_ui.Weight
    lines = [
        fill(
            translate(
                "cli",
                "the console over {s:.0f} s of the simulated field (mix {mix}, {devices} "
                "devices): {rss:.0f} MB resident at most ({end:.0f} MB at the end), {cpu:.1f} % "
                "of one core",
            ),
            {
                "s": w.seconds,
                "mix": w.mix,
                "devices": w.devices,
                "rss": w.console.rss_mb,
                "end": w.console.end_rss_mb,
                "cpu": w.console.cpu_percent,
            },
        )
    ]
    if w.renderer is not None:
        lines.append(
            fill(
                translate(
                    "cli",
                    "its map's web engine, apart: the renderer {rss:.0f} MB and {cpu:.1f} % of "
                    "one core; its {n} processes {all:.0f} MB resident together",
                ),
                {
                    "rss": w.renderer.rss_mb,
                    "cpu": w.renderer.cpu_percent,
                    "n": w.web_engine_processes,
                    "all": w.web_engine_mb,
                },
            )
        )
    return lines


def run_map(ctx: Context) -> ExitStatus:
    from console.tools import bench_map

    x10 = ctx.args.scale == "x10"
    lights = ctx.args.lights or (340_000 if x10 else 34_000)
    r = bench_map.run(lights=lights, units=ctx.args.units, frames=ctx.args.frames, served=x10)
    pages = {"loaded": r.loaded, "baseline": r.baseline}
    if ctx.json:
        ctx.emit_json(
            {
                "lights": r.lights,
                "units": r.units,
                "frames": r.frames,
                "snapshot_ms": round(r.snapshot_ms, 1),
                "frame_ratio": round(r.frame_ratio, 2),
                "redraw_ratio": round(r.redraw_ratio, 2),
                **{
                    name: {
                        "frame_median_ms": round(p.frame_median_ms, 2),
                        "frame_p95_ms": round(p.frame_p95_ms, 2),
                        "redraw_ms": round(p.redraw_ms, 2),
                        "bridge_calls": p.bridge_calls,
                        "updates": p.updates,
                    }
                    for name, p in pages.items()
                },
            }
        )
        return ExitStatus.OK
    ctx.say(
        fill(
            translate(
                "cli",
                "map with {lights} lights and {units} units: the whole field in one batch "
                "took the page {snapshot:.0f} ms",
            ),
            {"lights": r.lights, "units": r.units, "snapshot": r.snapshot_ms},
        )
    )
    for name, p in pages.items():
        ctx.say(
            fill(
                translate(
                    "cli",
                    "  {page}: {updates} updates in {calls} bridge calls; a frame {median:.1f} ms "
                    "(95th percentile {p95:.1f} ms); a full redraw {redraw:.1f} ms",
                ),
                {
                    "page": translate("cli", "loaded")
                    if name == "loaded"
                    else translate("cli", "without markers"),
                    "updates": p.updates,
                    "calls": p.bridge_calls,
                    "median": p.frame_median_ms,
                    "p95": p.frame_p95_ms,
                    "redraw": p.redraw_ms,
                },
            )
        )
    ctx.say(
        fill(
            translate(
                "cli",
                "  ratios to the page without markers: frame {frame:.2f}, redraw {redraw:.2f}",
            ),
            {"frame": r.frame_ratio, "redraw": r.redraw_ratio},
        )
    )
    one_per_frame = all(p.bridge_calls == r.frames for p in pages.values())
    return ExitStatus.OK if one_per_frame else ExitStatus.FAILED


def run_console(ctx: Context) -> ExitStatus:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # measured, not looked at
    from console.shell.web_engine import prepare_web_engine

    prepare_web_engine()
    from PySide6.QtWidgets import QApplication

    from console.tools import bench_console

    app = QApplication.instance() or QApplication([])
    r = bench_console.run(ctx.args.scale, rate=ctx.args.rate, seconds=ctx.args.seconds)
    del app
    if ctx.json:
        ctx.emit_json(
            {
                "scale": r.scale,
                "devices": r.devices,
                "open_seconds": round(r.open_seconds, 1),
                "gui_stall": {
                    "opening_longest_ms": round(r.opening.longest_ms, 1),
                    "opening_p99_ms": round(r.opening.p99_ms, 1),
                    "states_sent": r.states_sent,
                    "longest_ms": round(r.flood.longest_ms, 1),
                    "p99_ms": round(r.flood.p99_ms, 1),
                },
                "rss_mb": None if r.rss_mb is None else round(r.rss_mb, 1),
                "web_engine_mb": round(r.web_engine_mb, 1),
                "table_rows": r.table_rows,
                "table_paged": r.table_paged,
                "map_devices_sent": r.map_payload,
                "map_served": r.map_served,
            }
        )
        return ExitStatus.OK
    ctx.say(
        fill(
            translate(
                "cli",
                "console on {devices} devices ({scale}): open in {open:.1f} s; GUI thread while "
                "it opened: longest stall {olong:.0f} ms, 99th percentile {op99:.0f} ms",
            ),
            {
                "devices": r.devices,
                "scale": r.scale,
                "open": r.open_seconds,
                "olong": r.opening.longest_ms,
                "op99": r.opening.p99_ms,
            },
        )
    )
    ctx.say(
        fill(
            translate(
                "cli",
                "while {n} light states arrived: longest stall {long:.0f} ms, 99th percentile "
                "{p99:.0f} ms",
            ),
            {"n": r.states_sent, "long": r.flood.longest_ms, "p99": r.flood.p99_ms},
        )
    )
    ctx.say(
        fill(
            translate(
                "cli",
                "memory: console {rss:.0f} MB, its web engine {web:.0f} MB; table rows {rows} "
                "(paged: {paged}); devices sent to the map one by one: {sent} (served: {served})",
            ),
            {
                "rss": r.rss_mb or 0.0,
                "web": r.web_engine_mb,
                "rows": r.table_rows,
                "paged": translate("cli", "yes") if r.table_paged else translate("cli", "no"),
                "sent": r.map_payload,
                "served": translate("cli", "yes") if r.map_served else translate("cli", "no"),
            },
        )
    )
    return ExitStatus.OK


def run_outbox(ctx: Context) -> ExitStatus:
    from services.bench import mosquitto
    from services.bench import outbox as outbox_bench
    from services.store.backends import postgresql_url

    if not mosquitto.available():
        raise CliFailure(
            translate("cli", "vigie bench outbox needs the mosquitto binary"), ExitStatus.FAILED
        )
    targets: list[str | None] = [None]
    server = postgresql_url(ctx.settings.db)
    if server is not None:
        targets.append(server)
    results = [outbox_bench.run(url, ctx.args.commands) for url in targets]
    if ctx.json:
        ctx.emit_json(
            [
                {
                    "backend": r.backend,
                    "commands": r.commands,
                    "heard": r.heard,
                    "field_devices": r.field_devices,
                    "p50_ms": round(outbox_bench.percentile(r.recorded_ms, 50), 1),
                    "p99_ms": round(r.p99_ms, 1),
                    "direct_p99_ms": round(r.direct_p99_ms, 1),
                    "ratio": round(r.ratio, 2),
                    "target_p99_ms": outbox_bench.TARGET_P99_MS,
                    "within_target": r.within_target,
                }
                for r in results
            ]
        )
    else:
        for r in results:
            ctx.say(
                fill(
                    translate(
                        "cli",
                        "{backend}: {heard} of {n} commands on the bus; commit to bus p50 "
                        "{p50:.1f} ms, p99 {p99:.1f} ms (target {target:.0f} ms); published "
                        "straight p99 {direct:.1f} ms; ratio {ratio:.1f}; field of {field} "
                        "devices",
                    ),
                    {
                        "backend": r.backend,
                        "heard": r.heard,
                        "n": r.commands,
                        "p50": outbox_bench.percentile(r.recorded_ms, 50),
                        "p99": r.p99_ms,
                        "target": outbox_bench.TARGET_P99_MS,
                        "direct": r.direct_p99_ms,
                        "ratio": r.ratio,
                        "field": r.field_devices,
                    },
                )
            )
    return ExitStatus.OK if all(r.within_target for r in results) else ExitStatus.FAILED


def run_lighting(ctx: Context) -> ExitStatus:
    from services.bench import lighting as lighting_bench
    from services.bench import mosquitto
    from services.store.backends import postgresql_url

    if not mosquitto.available():
        raise CliFailure(
            translate("cli", "vigie bench lighting needs the mosquitto binary"), ExitStatus.FAILED
        )
    targets: list[str | None] = [None]
    server = postgresql_url(ctx.settings.db)
    if server is not None:
        targets.append(server)
    results = [lighting_bench.run(url, ctx.args.days) for url in targets]
    if ctx.json:
        ctx.emit_json(
            [
                {
                    "backend": r.backend,
                    "lights": r.lights,
                    "groups": r.groups,
                    "preview_ms": round(r.preview_ms, 1),
                    "read_ms": round(r.read_ms, 1),
                    "preview_ratio": round(r.preview_ratio, 2),
                    "push_s": round(r.push_s, 2),
                    "push_lights_done": r.push_lights_done,
                    "dim_s": round(r.dim_s, 2),
                    "dim_lights_done": r.dim_lights_done,
                    "push_ratio": round(r.push_ratio, 2),
                    "energy_30d_ms": round(r.energy_30d_ms, 1),
                    "energy_1d_ms": round(r.energy_1d_ms, 1),
                    "energy_ratio": round(r.energy_ratio, 2),
                    "scan_ms": round(r.scan_ms, 1),
                    "readings": r.readings,
                    "goals_ms": {
                        "preview": lighting_bench.PREVIEW_GOAL_MS,
                        "energy_30d": lighting_bench.ENERGY_GOAL_MS,
                    },
                    "passed": r.passed,
                }
                for r in results
            ]
        )
    else:
        for r in results:
            ctx.say(
                fill(
                    translate(
                        "cli",
                        "{backend}: preview of {lights} lights in {groups} groups {preview:.0f} ms "
                        "(reading them bare {read:.0f} ms, ratio {pratio:.1f}); profiles pushed "
                        "and answered in {push:.1f} s, {done} lights confirmed (a dim to the same "
                        "groups {dim:.1f} s, ratio {dratio:.2f}); 30 nights of Energy {e30:.0f} "
                        "ms from {readings} readings (one night {e1:.0f} ms, ratio {eratio:.1f}; "
                        "summing the readings instead {scan:.0f} ms)",
                    ),
                    {
                        "backend": r.backend,
                        "lights": r.lights,
                        "groups": r.groups,
                        "preview": r.preview_ms,
                        "read": r.read_ms,
                        "pratio": r.preview_ratio,
                        "push": r.push_s,
                        "done": r.push_lights_done,
                        "dim": r.dim_s,
                        "dratio": r.push_ratio,
                        "e30": r.energy_30d_ms,
                        "readings": r.readings,
                        "e1": r.energy_1d_ms,
                        "eratio": r.energy_ratio,
                        "scan": r.scan_ms,
                    },
                )
            )
    return ExitStatus.OK if all(r.passed for r in results) else ExitStatus.FAILED


#: The shortest measure ``vigie bench video`` takes: less says nothing about a stream's pace.
VIDEO_MIN_SECONDS = 5.0


def _video_seconds(text: str) -> float:
    """An argparse type: a number of seconds, at least ``VIDEO_MIN_SECONDS``."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    if value < VIDEO_MIN_SECONDS:
        raise argparse.ArgumentTypeError(
            fill(
                translate("cli", "{value} is too short: at least {min:g} seconds"),
                {"value": text, "min": VIDEO_MIN_SECONDS},
            )
        )
    return value


_video_seconds.__name__ = "number of seconds"  # argparse names the type in its error


def run_video(ctx: Context) -> ExitStatus:
    import os

    if ctx.args.stall_one and ctx.args.tiles == 1:
        raise CliFailure(
            translate("cli", "--stall-one needs other tiles to go on: --tiles 4 or 9"),
            ExitStatus.USAGE,
        )
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # measured, not looked at
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from widgets.video_wall.quiet import quiet_ffmpeg

    quiet_ffmpeg()  # before Qt Multimedia is imported: it speaks as it loads
    from console.tools import bench_video

    result = bench_video.run(ctx.args.tiles, ctx.args.seconds, stall_one=ctx.args.stall_one)
    del app
    if ctx.json:
        ctx.emit_json(_video_json(result))
    else:
        _say_video(ctx, result)
    return ExitStatus.OK if result.passed else ExitStatus.FAILED


def _video_phase_json(p) -> dict:  # noqa: ANN001 - console.tools.bench_video.Phase (Qt: late)
    return {
        "tiles": p.tiles,
        "fps": [round(f, 2) for f in p.fps],
        "min_fps": round(p.min_fps, 2),
        "painted_ratio": round(p.painted_ratio, 3),
        "gui_longest_stall_ms": round(p.gui_longest_stall_ms, 1),
        "gui_p99_stall_ms": round(p.gui_p99_stall_ms, 1),
        "rss_growth_mb": round(p.rss_growth_mb, 1),
    }


def _video_json(r) -> dict:  # noqa: ANN001 - console.tools.bench_video.VideoBench
    wall = r.wall
    stalled = None
    if wall.stalled is not None:
        stalled = {
            "index": wall.stalled,
            "camera": r.cameras[wall.stalled],
            "fps": round(wall.fps[wall.stalled], 2),
            "health": wall.health[wall.stalled],
        }
    return {
        "tiles": wall.tiles,
        "seconds": r.seconds,
        **_video_phase_json(wall),
        "stalled_tile": stalled,
        "baseline": _video_phase_json(r.baseline),
        "targets": {
            t.name: {"at_most" if t.at_most else "at_least": t.limit, "passed": t.passed}
            for t in r.targets
        },
    }


def _say_video(ctx: Context, r) -> None:  # noqa: ANN001 - console.tools.bench_video.VideoBench
    phases = (
        (
            fill(translate("cli", "wall of {n} tiles"), {"n": r.wall.tiles}),
            r.wall,
        ),
        (translate("cli", "one tile alone"), r.baseline),
    )
    for name, p in phases:
        ctx.say(
            fill(
                translate(
                    "cli",
                    "{name}, {seconds:.0f} s: {fps:.1f} frames a second at least per tile, "
                    "{painted:.1f} % of the frames received painted; GUI thread's longest stall "
                    "{longest:.0f} ms, 99th percentile {p99:.1f} ms; resident memory "
                    "{growth:+.1f} MB",
                ),
                {
                    "name": name,
                    "seconds": p.seconds,
                    "fps": p.min_fps,
                    "painted": 100 * p.painted_ratio,
                    "longest": p.gui_longest_stall_ms,
                    "p99": p.gui_p99_stall_ms,
                    "growth": p.rss_growth_mb,
                },
            )
        )
    ctx.say(
        "  "
        + fill(
            translate("cli", "frames a second per tile: {fps}"),
            {"fps": ", ".join(f"{f:.1f}" for f in r.wall.fps)},
        )
    )
    if r.wall.stalled is not None:
        ctx.say(
            fill(
                translate(
                    "cli",
                    "tile {tile} ({camera}) stalled when the measure began: {fps:.1f} frames a "
                    "second; the other tiles are the ones measured against the targets",
                ),
                {
                    "tile": r.wall.stalled + 1,
                    "camera": r.cameras[r.wall.stalled],
                    "fps": r.wall.fps[r.wall.stalled],
                },
            )
        )
    names = {
        "min_fps": translate("cli", "frames a second, lowest tile"),
        "painted_ratio": translate("cli", "frames painted / received"),
        "gui_longest_stall_ms": translate("cli", "GUI thread's longest stall (ms)"),
        "rss_growth_mb": translate("cli", "resident memory growth (MB)"),
    }
    yes, no = translate("cli", "yes"), translate("cli", "no")
    ctx.table(
        [
            translate("cli", "target"),
            translate("cli", "measured"),
            translate("cli", "limit"),
            translate("cli", "met"),
        ],
        [
            (
                names[t.name],
                f"{t.value:.2f}" if t.name == "painted_ratio" else f"{t.value:.1f}",
                f"{'≤' if t.at_most else '≥'} {t.limit:g}",
                yes if t.passed else no,
            )
            for t in r.targets
        ],
    )


def _positive_number(text: str) -> float:
    """An argparse type: a finite number above 0."""
    value = float(text)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(text)
    return value


_positive_number.__name__ = "positive number"  # argparse names the type in its error


def run_opendata(ctx: Context) -> ExitStatus:
    from services.bench import opendata
    from services.store.backends import postgresql_url

    given = getattr(ctx.args, "db", None)  # only --db itself: VIGIE_DB_URL is the room's
    try:
        result = opendata.run(
            postgresql_url(given) if given else None,
            seconds=ctx.args.seconds,
            readers=ctx.args.readers,
            posts_per_second=ctx.args.posts_per_second,
            reader_processes=min(ctx.args.reader_processes, ctx.args.readers),
        )
    except opendata.BenchFailed as exc:
        raise CliFailure(
            fill(translate("cli", "vigie bench opendata could not run: {reason}"), {"reason": exc}),
            ExitStatus.FAILED,
        ) from None
    if ctx.json:
        ctx.emit_json(_opendata_json(result))
    else:
        _say_opendata(ctx, result)
    return ExitStatus.OK if result.passed else ExitStatus.FAILED


def _timings_json(t) -> dict:  # noqa: ANN001 - services.bench.opendata.Timings
    return {
        "answered": t.answered,
        "errors": dict(sorted(t.errors.items())),
        "p50_ms": _ms(t.p50_ms),
        "p99_ms": _ms(t.p99_ms),
        "per_second": round(t.rate, 1),
    }


def _ms(value: float) -> float | None:
    return round(value, 1) if math.isfinite(value) else None


def _ratio(value: float) -> float | None:
    return round(value, 2) if math.isfinite(value) else None


def _opendata_json(r) -> dict:  # noqa: ANN001 - services.bench.opendata.OpendataBench
    from services.bench.opendata import TARGET_POST_P99_MS, TARGET_READ_P99_MS

    reads = r.all_reads
    return {
        "backend": r.backend,
        "seconds": r.seconds,
        "baseline_seconds": r.baseline_seconds,
        "readers": r.readers,
        "reader_processes": r.reader_processes,
        "posts_per_second": r.posts_per_second,
        "seeded": r.seeded,
        "static": _timings_json(r.static),
        "reads": {
            "all": _timings_json(reads),
            **{name: _timings_json(t) for name, t in r.reads.items()},
        },
        "static_under_load": _timings_json(r.probe),
        "posts": {**_timings_json(r.posts), "offered": r.posts_offered},
        "ratios": {
            "read_p50_to_static": _ratio(r.read_p50_ratio),
            "read_p99_to_static": _ratio(r.read_p99_ratio),
        },
        "goals": {
            "read_p99_ms": {
                "at_most": TARGET_READ_P99_MS,
                "measured": _ms(reads.p99_ms),
                "met": r.read_goal_met,
            },
            "post_p99_ms": {
                "at_most": TARGET_POST_P99_MS,
                "measured": _ms(r.posts.p99_ms),
                "met": r.post_goal_met,
            },
        },
        "integrity": {
            "accepted_posts": r.integrity.accepted,
            "distinct_request_ids": r.integrity.distinct_ids,
            "api_requests_recorded": r.integrity.recorded,
            "incidents_mapped": r.integrity.mapped,
            "distinct_incidents": r.integrity.distinct_incidents,
            "incidents_on_record": r.integrity.incidents,
            "held": r.integrity.held,
        },
        "cpu_percent": {
            phase: {name: None if v is None else round(v, 1) for name, v in shares.items()}
            for phase, shares in r.cpu.items()
        },
        "server_exit_status": r.server_exit,
        "passed": r.passed,
    }


def _say_opendata(ctx: Context, r) -> None:  # noqa: ANN001 - services.bench.opendata.OpendataBench
    from services.bench.opendata import TARGET_POST_P99_MS, TARGET_READ_P99_MS

    ctx.say(
        fill(
            translate(
                "cli",
                "{backend}: {readers} readers on {processes} process(es), {rate:g} posts a "
                "second offered, {seconds:g} s measured after a baseline of {baseline:g} s; "
                "{seeded} requests posted first",
            ),
            {
                "backend": r.backend,
                "readers": r.readers,
                "processes": r.reader_processes,
                "rate": r.posts_per_second,
                "seconds": r.seconds,
                "baseline": r.baseline_seconds,
                "seeded": r.seeded,
            },
        )
    )

    def row(name: str, t) -> tuple:  # noqa: ANN001
        errors = ", ".join(f"{k}: {v}" for k, v in sorted(t.errors.items())) or "0"
        return (name, t.answered, errors, f"{t.p50_ms:.1f}", f"{t.p99_ms:.1f}", f"{t.rate:.1f}")

    ctx.table(
        [
            translate("cli", "route"),
            translate("cli", "answered"),
            translate("cli", "errors"),
            "p50 (ms)",
            "p99 (ms)",
            translate("cli", "per second"),
        ],
        [
            row(translate("cli", "GET /health, the baseline"), r.static),
            row("GET requests.json?page_size=50", r.reads["requests"]),
            row("GET requests/{id}.json", r.reads["request"]),
            row("GET services.json", r.reads["services"]),
            row(translate("cli", "all reads"), r.all_reads),
            row(translate("cli", "GET /health under the load"), r.probe),
            row("POST requests.json", r.posts),
        ],
    )
    ctx.say(
        fill(
            translate(
                "cli",
                "reads against the static route: p50 {p50:.1f} times, p99 {p99:.1f} times; "
                "{accepted} posts accepted of {offered} offered",
            ),
            {
                "p50": r.read_p50_ratio,
                "p99": r.read_p99_ratio,
                "accepted": r.posts.answered,
                "offered": r.posts_offered,
            },
        )
    )
    yes, no = translate("cli", "yes"), translate("cli", "no")
    ctx.table(
        [
            translate("cli", "target"),
            translate("cli", "measured"),
            translate("cli", "limit"),
            translate("cli", "met"),
        ],
        [
            (
                translate("cli", "reads, p99 (ms)"),
                f"{r.all_reads.p99_ms:.1f}",
                f"≤ {TARGET_READ_P99_MS:g}",
                yes if r.read_goal_met else no,
            ),
            (
                translate("cli", "posts, p99 (ms)"),
                f"{r.posts.p99_ms:.1f}",
                f"≤ {TARGET_POST_P99_MS:g}",
                yes if r.post_goal_met else no,
            ),
        ],
    )
    i = r.integrity
    ctx.say(
        fill(
            translate(
                "cli",
                "on the record: {accepted} accepted posts (the first ones too), {ids} distinct "
                "ids, {recorded} requests recorded, {mapped} incidents ({incidents} in all): "
                "{verdict}",
            ),
            {
                "accepted": i.accepted,
                "ids": i.distinct_ids,
                "recorded": i.recorded,
                "mapped": i.distinct_incidents,
                "incidents": i.incidents,
                "verdict": translate("cli", "each accepted post is exactly one incident")
                if i.held
                else translate("cli", "the record does NOT match the accepted posts"),
            },
        )
    )
    cpu = r.cpu

    def share(value: float | None) -> str:
        return "?" if value is None else f"{value:.0f} %"

    ctx.say(
        fill(
            translate(
                "cli",
                "processor, share of one core: the service {server} under the load "
                "({base} during the baseline), the readers {readers} ({base_readers}), the "
                "poster {poster}",
            ),
            {
                "server": share(cpu["load"].get("server")),
                "base": share(cpu["baseline"].get("server")),
                "readers": share(cpu["load"].get("readers")),
                "base_readers": share(cpu["baseline"].get("readers")),
                "poster": share(cpu["load"].get("poster")),
            },
        )
    )


# --- issue 22: the daily report's and the Statistics panel's figures --------------------------


def _register_report(actions: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    rp = actions.add_parser(
        "report",
        parents=[common],
        help=translate(
            "cli", "the figures of a day and of a month of Dijon's history, against a bare count"
        ),
        description=translate(
            "cli",
            "Backfills a scratch database (a temporary SQLite file; with --db naming a "
            "PostgreSQL server, a temporary schema there too, dropped afterwards) with a month "
            "of Dijon's history, then times the figures of its last whole day and of the whole "
            "month, each first cold then as the median of 3 reads, against a bare count of the "
            "same incidents, and the day's PDF drawn from its figures. Exit status 0 when every "
            "backend met issue 22's goals (the day's figures and PDF within 10 s, the month's "
            "figures within 2 s), 1 otherwise.",
        ),
    )
    rp.add_argument(
        "--days",
        type=positive_int,
        default=30,
        metavar="N",
        help=translate("cli", "days of history backfilled (default 30)"),
    )
    rp.add_argument(
        "--incidents-per-day",
        type=positive_int,
        default=1000,
        metavar="N",
        help=translate("cli", "incidents a day in the history (default 1000)"),
    )
    rp.add_argument(
        "--no-pdf",
        action="store_true",
        help=translate("cli", "time the figures only, not the day's PDF"),
    )
    add_json(rp)
    rp.set_defaults(handler=run_report)


def run_report(ctx: Context) -> ExitStatus:
    from services.bench import report as report_bench
    from services.store.backends import postgresql_url

    targets: list[str | None] = [None]
    server = postgresql_url(ctx.settings.db)
    if server is not None:
        targets.append(server)
    printer = None if ctx.args.no_pdf else _report_printer(ctx)
    results = [
        report_bench.run(
            url,
            ctx.settings.zone,
            days=ctx.args.days,
            incidents_per_day=ctx.args.incidents_per_day,
            printer=printer,
        )
        for url in targets
    ]
    if ctx.json:
        ctx.emit_json([_report_json(r, report_bench) for r in results])
    else:
        for r in results:
            _say_report(ctx, r)
    return ExitStatus.OK if all(r.passed for r in results) else ExitStatus.FAILED


def _report_printer(ctx: Context):  # noqa: ANN202 - services.bench.report.Printer
    """The day's PDF as ``vigie report daily`` draws it (Qt offscreen when there is no display)."""
    from datetime import UTC, datetime

    from console.reports.daily import Report, pdf_bytes
    from console.reports.paper import headless_application
    from services.reference import communes

    app = headless_application()
    names = {c.insee: c.name for c in communes()}
    operator = ctx.settings.operator

    # ``_app`` holds the application for as long as the printer lives: Qt draws in it.
    def printer(figures, day, _app=app) -> int:  # noqa: ANN001 - Figures, date
        return pdf_bytes(Report(figures, day, operator, datetime.now(UTC), names)).pages

    return printer


def _timed_json(t) -> dict:  # noqa: ANN001 - services.bench.report.Timed
    return {
        "first_s": round(t.first_s, 3),
        "median_s": round(t.median_s, 3),
        "baseline_s": round(t.baseline_s, 4),
        "ratio": round(t.ratio, 1),
        "incidents": t.incidents,
        "counted": t.counted,
    }


def _report_json(r, bench) -> dict:  # noqa: ANN001 - services.bench.report.ReportBench, module
    return {
        "backend": r.backend,
        "days": r.days,
        "incidents_per_day": r.incidents_per_day,
        "backfill_s": round(r.backfill_s, 1),
        "rows": r.rows,
        "day": r.day.isoformat(),
        "day_figures": _timed_json(r.day_figures),
        "pdf_s": None if r.pdf_s is None else round(r.pdf_s, 3),
        "pdf_pages": r.pdf_pages,
        "day_report_s": round(r.day_report_s, 3),
        "month": {
            "start": r.month.start.isoformat().replace("+00:00", "Z"),
            "end": r.month.end.isoformat().replace("+00:00", "Z"),
        },
        "month_figures": _timed_json(r.month_figures),
        "goals_s": {"day_report": bench.DAY_GOAL_S, "month_figures": bench.MONTH_GOAL_S},
        "passed": r.passed,
    }


def _say_report(ctx: Context, r) -> None:  # noqa: ANN001 - services.bench.report.ReportBench
    ctx.say(
        fill(
            translate(
                "cli",
                "{backend}: {days} day(s) at {rate} incidents a day backfilled in {fill:.0f} s "
                "({rows} rows)",
            ),
            {
                "backend": r.backend,
                "days": r.days,
                "rate": r.incidents_per_day,
                "fill": r.backfill_s,
                "rows": r.rows,
            },
        )
    )
    for label, t in (
        (fill(translate("cli", "day {day}"), {"day": r.day.isoformat()}), r.day_figures),
        (fill(translate("cli", "all {days} day(s)"), {"days": r.days}), r.month_figures),
    ):
        ctx.say(
            fill(
                translate(
                    "cli",
                    "  figures of {what} ({n} incidents): {first:.2f} s cold, {median:.2f} s "
                    "median of 3; a bare count of them {base:.3f} s (ratio {ratio:.0f})",
                ),
                {
                    "what": label,
                    "n": t.incidents,
                    "first": t.first_s,
                    "median": t.median_s,
                    "base": t.baseline_s,
                    "ratio": t.ratio,
                },
            )
        )
    if r.pdf_s is not None:
        ctx.say(
            fill(
                translate(
                    "cli",
                    "  the day's PDF: {pages} page(s) in {pdf:.2f} s; the day's report "
                    "{total:.2f} s in all",
                ),
                {"pages": r.pdf_pages, "pdf": r.pdf_s, "total": r.day_report_s},
            )
        )
    ctx.say(
        translate("cli", "  goals met (day's report ≤ 10 s, month's figures ≤ 2 s)")
        if r.passed
        else translate("cli", "  goals NOT met (day's report ≤ 10 s, month's figures ≤ 2 s)")
    )
