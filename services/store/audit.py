"""The audit journal: an append-only, hash-chained record of every act.

Each entry's hash is SHA-256 over a canonical JSON form of the entry, previous hash included, so
any changed, deleted, inserted or reordered entry breaks the chain from there on. A cut or
rewritten tail keeps a valid chain; the head published outside the database (``audit/head`` on
the broker, or a ``SEQ:HASH`` an auditor wrote down) is what catches it: ``verify(anchor=...)``.

Appends are serialised by locking the one ``audit_chain`` row (PostgreSQL row lock; on SQLite the
write transaction already holds the database's single writer lock), so two writers never fork it.
Append inside the same transaction as the act it records: both commit or neither does.

Where PostgreSQL is the authority (``pg_authority``), no Vigie login (operator or recorder)
writes the journal's tables: every append goes through the database's ``vigie_audit_append``
(``pg_admin``), which locks the chain, numbers, dates and hashes the entry as ``append`` does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from services.domain.errors import InvalidInput
from services.store import authority, pg_authority
from services.store.models import AuditChainRow, AuditRow
from services.store.types import utcnow

GENESIS_HASH = "0" * 64
CHAIN_ROW_ID = 1


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    ts: datetime
    operator: str
    action: str
    target: str
    details: str  # canonical JSON text
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class Anchor:
    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Anchor:
        seq, sep, digest = text.strip().partition(":")
        if not sep or not seq.isdigit() or int(seq) < 1 or len(digest) != 64:
            raise InvalidInput("audit.bad_anchor", value=text)
        try:
            int(digest, 16)
        except ValueError:
            raise InvalidInput("audit.bad_anchor", value=text) from None
        return cls(int(seq), digest.lower())


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of a verification: ``problem`` is None when the journal is intact."""

    entries: int
    head: Anchor | None
    problem: str | None = None  # message key: audit.changed, audit.missing, ...
    bad_seq: int | None = None  # the first bad entry

    @property
    def ok(self) -> bool:
        return self.problem is None


def canonical_details(details: Mapping[str, Any] | None) -> str:
    return json.dumps(
        dict(details or {}), sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def format_ts(ts: datetime) -> str:
    """Microsecond ISO 8601 UTC: what both SQLite and PostgreSQL give back unchanged."""
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    seq: int, ts: datetime, operator: str, action: str, target: str, details: str, prev_hash: str
) -> str:
    form = {
        "seq": seq,
        "ts": format_ts(ts),
        "operator": operator,
        "action": action,
        "target": target,
        "details": details,  # hashed as stored text: any byte changed is a change
        "prev_hash": prev_hash,
    }
    text = json.dumps(form, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        ts=row.ts,
        operator=row.operator,
        action=row.action,
        target=row.target,
        details=row.details,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def append(
    session: Session,
    operator: str,
    action: str,
    target: str = "",
    details: Mapping[str, Any] | None = None,
    *,
    at: datetime | None = None,
) -> AuditEntry:
    """Record an act in the caller's transaction, after every earlier append has committed.

    Refuses (``PermissionDenied``) an act the operator may not do: then the caller's transaction
    rolls back and nothing of the act is recorded. Where PostgreSQL is the authority, the
    database appends the entry and dates it by its own clock (``at`` is not used there).
    """
    authority.require_for_action(session, operator, action, target)
    if pg_authority.database_checks(session):
        return _append_in_database(session, operator, action, target, canonical_details(details))
    chain = session.execute(
        select(AuditChainRow)
        .where(AuditChainRow.id == CHAIN_ROW_ID)
        .with_for_update()
        # a rolled-back savepoint may have left an older head in the identity map
        .execution_options(populate_existing=True)
    ).scalar_one()
    # Truncated to the microsecond so the hash computed now is the hash recomputed after storage.
    ts = (at or utcnow()).astimezone(UTC)
    seq = chain.seq + 1
    text = canonical_details(details)
    digest = entry_hash(seq, ts, operator, action, target, text, chain.hash)
    row = AuditRow(
        seq=seq,
        ts=ts,
        operator=operator,
        action=action,
        target=target,
        details=text,
        prev_hash=chain.hash,
        hash=digest,
    )
    session.add(row)
    chain.seq, chain.hash = seq, digest
    session.flush()
    return _entry(row)


def _append_in_database(
    session: Session, operator: str, action: str, target: str, details: str
) -> AuditEntry:
    """The entry ``vigie_audit_append`` wrote; its ``names_its_writer`` trigger checks the name."""
    session.flush()  # the act's own rows first, as the entry that records them follows them
    row = session.execute(
        text("SELECT * FROM vigie_audit_append(:operator, :action, :target, :details)"),
        {"operator": operator, "action": action, "target": target, "details": details},
    ).one()
    return AuditEntry(**row._mapping)


def head(session: Session) -> Anchor | None:
    row = session.execute(
        select(AuditRow).order_by(AuditRow.seq.desc()).limit(1)
    ).scalar_one_or_none()
    return Anchor(row.seq, row.hash) if row else None


def entries(session: Session, *, since_seq: int = 0, limit: int | None = None) -> list[AuditEntry]:
    query = select(AuditRow).where(AuditRow.seq > since_seq).order_by(AuditRow.seq)
    if limit is not None:
        query = query.limit(limit)
    return [_entry(r) for r in session.execute(query).scalars()]


def verify(session: Session, anchor: Anchor | None = None) -> Verdict:
    """Walk the whole journal and name the first entry that breaks it."""
    expected_seq, prev_hash, count, last = 1, GENESIS_HASH, 0, None
    rows = session.execute(
        select(AuditRow).order_by(AuditRow.seq).execution_options(yield_per=2000)
    )
    for row in rows.scalars():
        if row.seq != expected_seq:
            # An entry is gone (or one was slipped in with a number out of sequence).
            return Verdict(count, last, "audit.missing", min(row.seq, expected_seq))
        if row.prev_hash != prev_hash:
            return Verdict(count, last, "audit.broken_link", row.seq)
        digest = entry_hash(
            row.seq, row.ts, row.operator, row.action, row.target, row.details, row.prev_hash
        )
        if digest != row.hash:
            return Verdict(count, last, "audit.changed", row.seq)
        count += 1
        last = Anchor(row.seq, row.hash)
        expected_seq, prev_hash = row.seq + 1, row.hash
    chain = session.get(AuditChainRow, CHAIN_ROW_ID)
    # The chain row is written with every append: a tail cut without updating it shows here.
    if chain is not None and (chain.seq, chain.hash) != (
        (last.seq, last.hash) if last else (0, GENESIS_HASH)
    ):
        return Verdict(count, last, "audit.tail_cut", (last.seq + 1) if last else 1)
    if anchor is not None:
        if last is None or anchor.seq > last.seq:
            return Verdict(count, last, "audit.tail_cut", (last.seq + 1) if last else 1)
        row = session.get(AuditRow, anchor.seq)
        if row is None or row.hash != anchor.hash:
            return Verdict(count, last, "audit.anchor_mismatch", anchor.seq)
    return Verdict(count, last)
