"""``vigie audit verify`` and ``vigie audit head``: is the audit journal intact?"""

from __future__ import annotations

import argparse

from console.cli.context import CliFailure, Context, ExitStatus
from console.cli.parser import add_json
from console.text.i18n import fill, translate
from services.domain.errors import VigieError


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    au = sub.add_parser(
        "audit",
        parents=[common],
        help=translate("cli", "verify the audit journal"),
        description=translate(
            "cli",
            "The audit journal is hash-chained: verification names the first changed, "
            "deleted, inserted or reordered entry.",
        ),
    )
    actions = au.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = actions.add_parser(
        "verify", parents=[common], help=translate("cli", "check every entry (exit 1 if broken)")
    )
    verify.add_argument(
        "--anchor",
        metavar="SEQ:HASH",
        help=translate("cli", "a head written down earlier: also detects a cut or rewritten tail"),
    )
    add_json(verify)
    verify.set_defaults(handler=run_verify)
    head = actions.add_parser(
        "head", parents=[common], help=translate("cli", "print SEQ:HASH of the newest entry")
    )
    add_json(head)
    head.set_defaults(handler=run_head)


def run_verify(ctx: Context) -> ExitStatus:
    from console.text.messages import describe
    from services.store import audit

    anchor = None
    if ctx.args.anchor:
        try:
            anchor = audit.Anchor.parse(ctx.args.anchor)
        except VigieError as exc:
            raise CliFailure(describe(exc), ExitStatus.USAGE) from None
    with ctx.database().read() as session:
        verdict = audit.verify(session, anchor)
    if ctx.json:
        ctx.emit_json(
            {
                "ok": verdict.ok,
                "entries": verdict.entries,
                "head": {"seq": verdict.head.seq, "hash": verdict.head.hash}
                if verdict.head
                else None,
                "problem": verdict.problem,
                "bad_seq": verdict.bad_seq,
            }
        )
    if verdict.ok:
        if not ctx.json:
            ctx.say(
                fill(
                    translate("cli", "audit journal intact: {count} entries, head {head}"),
                    {"count": verdict.entries, "head": verdict.head or "-"},
                )
            )
        return ExitStatus.OK
    raise CliFailure(describe(VigieError(verdict.problem, seq=verdict.bad_seq)), ExitStatus.FAILED)


def run_head(ctx: Context) -> ExitStatus:
    from services.store import audit

    with ctx.database().read() as session:
        head = audit.head(session)
    if head is None:
        raise CliFailure(translate("cli", "the audit journal is empty"), ExitStatus.FAILED)
    if ctx.json:
        ctx.emit_json({"seq": head.seq, "hash": head.hash})
    else:
        ctx.say(str(head))
    return ExitStatus.OK
