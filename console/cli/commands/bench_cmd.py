"""``vigie bench``: measurements reported as ratios against a baseline run alongside."""

from __future__ import annotations

import argparse

from sqlalchemy.engine import make_url

from console.cli.context import Context, ExitStatus
from console.cli.parser import add_json
from console.i18n import fill, translate
from services.bench import audit as audit_bench
from services.store.database import normalise_url


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


def run_audit(ctx: Context) -> ExitStatus:
    targets: list[str | None] = [None]  # a scratch SQLite file, always
    configured = normalise_url(ctx.settings.db)
    if make_url(configured).get_backend_name() == "postgresql":
        targets.append(configured)  # and a scratch schema on the configured server
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
