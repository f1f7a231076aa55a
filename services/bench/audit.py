"""How much an audited append costs against a plain insert of the same row.

Both run on a scratch database (a temporary SQLite file, or a temporary schema on the configured
PostgreSQL server), never on the real journal. Rounds alternate between the two so that a burst
of noise on the machine hits both; each write is its own transaction, as an act is.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import BigInteger, Column, DateTime, Integer, MetaData, String, Table, Text, insert
from sqlalchemy.engine import make_url

from services.store import audit
from services.store.database import Database
from services.store.schema import upgrade
from services.store.types import utcnow

_plain = MetaData()
PLAIN = Table(
    "bench_plain_audit",
    _plain,
    Column("seq", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("ts", DateTime(timezone=True), nullable=False),
    Column("operator", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("target", Text, nullable=False),
    Column("details", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)


@dataclass(frozen=True)
class AuditBench:
    backend: str
    entries: int
    append_ms: float  # median per append, in its own transaction
    insert_ms: float  # median per plain insert, in its own transaction
    intact: bool  # the scratch journal verified after the run

    @property
    def ratio(self) -> float:
        return self.append_ms / self.insert_ms


@contextlib.contextmanager
def scratch_database(url: str | None) -> Iterator[Database]:
    """A throwaway database: SQLite in a temporary folder, or a temporary PostgreSQL schema."""
    if url is None or make_url(url).get_backend_name() == "sqlite":
        with tempfile.TemporaryDirectory(prefix="vigie-bench-") as folder:
            db = Database(f"sqlite:///{folder}/bench.db")
            try:
                yield db
            finally:
                db.dispose()
        return
    schema = f"vigie_bench_{os.getpid()}"
    admin = Database(url)
    with admin.engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in url else "?"
    db = Database(f"{url}{separator}options=-csearch_path%3D{schema}")
    try:
        yield db
    finally:
        db.dispose()
        with admin.engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def run(db: Database, entries: int = 2000, round_size: int = 100) -> AuditBench:
    upgrade(db)
    _plain.create_all(db.engine)
    details = {"text": "Prise de poste, équipe de nuit", "n": 1}
    canonical = audit.canonical_details(details)
    appends: list[float] = []
    inserts: list[float] = []
    for _ in range(max(1, entries // round_size)):
        start = time.perf_counter()
        for i in range(round_size):
            with db.write() as session:
                audit.append(session, "system:bench", "bench.append", f"bench:{i}", details)
        appends.append((time.perf_counter() - start) / round_size)
        start = time.perf_counter()
        for i in range(round_size):
            with db.write() as session:
                session.execute(
                    insert(PLAIN).values(
                        ts=utcnow(),
                        operator="bench",
                        action="bench.insert",
                        target=f"bench:{i}",
                        details=canonical,
                        prev_hash="0" * 64,
                        hash="0" * 64,
                    )
                )
        inserts.append((time.perf_counter() - start) / round_size)
    with db.read() as session:
        intact = audit.verify(session).ok
    return AuditBench(
        backend=db.dialect,
        entries=len(appends) * round_size,
        append_ms=statistics.median(appends) * 1000,
        insert_ms=statistics.median(inserts) * 1000,
        intact=intact,
    )
