"""The audit journal's entries for the month, chained after the journal's head.

Every act the backfill writes is audited as the live code audits it (``incident.create`` and
``incident.update``, ``incident.note``, ``command.send``, ``mode.switch`` and ``mode.result``,
``lighting.apply`` and ``lighting.result``, ``camera.view_opened`` and ``camera.view_closed``,
``journal.add``), with the same details. The chain is written as ``services.store.audit.append``
writes it, in one transaction with the rest: the chain's row is locked, each entry numbered after
the head and hashed over its canonical form (``entry_hash``), and the row moved to the last one.
``vigie audit verify`` therefore passes over a backfilled journal.

Entries are numbered in the order of their times, after whatever the journal already held, so
their times run back a month from there; the last one, ``history.backfill``, dated when the
backfill ran, says who wrote the month, which entries are its, and from which seed. On
PostgreSQL the entries are written by the schema's owner (outside the database's guarantees, as
``vigie db upgrade`` is), not through ``vigie_audit_append``, which dates by the server's clock.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from services.backfill.period import at
from services.backfill.sink import Sink
from services.store.audit import CHAIN_ROW_ID, canonical_details, entry_hash
from services.store.models import AuditChainRow

COLUMNS = ("seq", "ts", "operator", "action", "target", "details", "prev_hash", "hash")


class AuditBook:
    def __init__(self) -> None:
        self._entries: list[tuple[float, int, str, str, str, str]] = []

    def add(
        self, ts: float, operator: str, action: str, target: str, details: Mapping[str, Any]
    ) -> None:
        order = len(self._entries)  # ties keep the order the acts were made in
        self._entries.append((ts, order, operator, action, target, canonical_details(details)))

    def __len__(self) -> int:
        return len(self._entries)

    def write(self, sink: Sink, closing: tuple[datetime, str, str, Mapping[str, Any]]) -> int:
        """Chain and write every entry, then ``closing`` (ts, operator, action, details).

        ``closing``'s details get ``first_seq`` and ``last_seq`` (the month's entries).
        """
        session = sink.session
        chain = session.execute(
            select(AuditChainRow)
            .where(AuditChainRow.id == CHAIN_ROW_ID)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).scalar_one()
        first = chain.seq + 1
        self._entries.sort(key=lambda e: (e[0], e[1]))
        head = [chain.seq, chain.hash]
        moment, operator, action, details = closing
        summary = {**details, "first_seq": first, "last_seq": first + len(self._entries) - 1}

        def rows() -> Iterator[tuple[Any, ...]]:
            for ts, _, who, act, target, text in self._entries:
                yield self._chained(sink, head, at(ts), who, act, target, text)
            text = canonical_details(summary)
            yield self._chained(sink, head, moment, operator, action, "history", text)

        written = sink.write("audit_log", COLUMNS, rows())
        chain.seq, chain.hash = head
        session.flush()
        return written

    @staticmethod
    def _chained(
        sink: Sink,
        head: list[Any],
        ts: datetime,
        operator: str,
        action: str,
        target: str,
        text: str,
    ) -> tuple[Any, ...]:
        seq = head[0] + 1
        digest = entry_hash(seq, ts, operator, action, target, text, head[1])
        row = (seq, sink.moment(ts), operator, action, target, text, head[1], digest)
        head[0], head[1] = seq, digest
        return row
