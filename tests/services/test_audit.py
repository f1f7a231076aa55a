import threading

import pytest
from sqlalchemy import text

from services.domain.errors import InvalidInput, PermissionDenied
from services.store import audit

#: Six operators of the test room who may all write in the logbook.
WRITERS = ["c.bernard", "m.dupont", "c.morel", "j.petit", "t.roux", "s.petit"]


def fill(db, n=5):
    for i in range(n):
        with db.write() as s:
            audit.append(s, "c.bernard", "journal.add", f"journal:{i}", {"text": f"entrée {i}"})


def verdict(db, anchor=None):
    with db.read() as s:
        return audit.verify(s, anchor)


def run_sql(db, sql, **params):
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)


def test_an_intact_journal_verifies(db):
    assert verdict(db).ok and verdict(db).entries == 0 and verdict(db).head is None
    fill(db)
    v = verdict(db)
    assert v.ok and v.entries == 5 and v.head.seq == 5
    with db.read() as s:
        rows = audit.entries(s)
        assert audit.head(s) == v.head
    assert rows[0].prev_hash == audit.GENESIS_HASH
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert all(len(r.hash) == 64 and r.hash == r.hash.lower() for r in rows)


def test_the_hash_is_recomputable_from_the_stored_entry(db):
    fill(db, 1)
    with db.read() as s:
        (e,) = audit.entries(s)
    assert e.hash == audit.entry_hash(
        e.seq, e.ts, e.operator, e.action, e.target, e.details, e.prev_hash
    )
    assert e.details == '{"text":"entrée 0"}'


@pytest.mark.parametrize(
    ("sql", "problem", "bad"),
    [
        ('UPDATE audit_log SET details = \'{"text":"rien"}\' WHERE seq = 3', "audit.changed", 3),
        ("UPDATE audit_log SET operator = 'l.moreau' WHERE seq = 2", "audit.changed", 2),
        ("UPDATE audit_log SET ts = ts WHERE seq = 4", None, None),  # a no-op write is harmless
        ("DELETE FROM audit_log WHERE seq = 3", "audit.missing", 3),
        ("DELETE FROM audit_log WHERE seq = 1", "audit.missing", 1),
        ("DELETE FROM audit_log WHERE seq = 5", "audit.tail_cut", 5),
    ],
)
def test_tampering_is_caught_and_named(db, sql, problem, bad):
    fill(db)
    run_sql(db, sql)
    v = verdict(db)
    assert (v.problem, v.bad_seq) == (problem, bad)
    assert v.ok is (problem is None)


def test_an_inserted_entry_is_caught(db):
    fill(db)
    # make room after entry 2 and slip a forged entry in, chained to entry 2 with a valid hash
    for seq in (5, 4, 3):
        run_sql(db, "UPDATE audit_log SET seq = :new WHERE seq = :old", new=seq + 1, old=seq)
    with db.read() as s:
        two = next(e for e in audit.entries(s) if e.seq == 2)
    from datetime import UTC, datetime

    ts = datetime(2026, 11, 25, 12, tzinfo=UTC)
    forged = audit.entry_hash(3, ts, "root", "operator.add", "mole", "{}", two.hash)
    run_sql(
        db,
        "INSERT INTO audit_log (seq, ts, operator, action, target, details, prev_hash, "
        "hash) VALUES (3, :ts, 'root', 'operator.add', 'mole', '{}', :prev, :hash)",
        ts=ts.replace(tzinfo=None) if db.dialect == "sqlite" else ts,
        prev=two.hash,
        hash=forged,
    )
    v = verdict(db)
    assert (v.problem, v.bad_seq) == ("audit.broken_link", 4)  # the old entry 3 no longer follows


def test_reordered_entries_are_caught(db):
    fill(db)
    run_sql(db, "UPDATE audit_log SET seq = 99 WHERE seq = 2")
    run_sql(db, "UPDATE audit_log SET seq = 2 WHERE seq = 3")
    run_sql(db, "UPDATE audit_log SET seq = 3 WHERE seq = 99")
    v = verdict(db)
    assert v.problem in {"audit.broken_link", "audit.changed"} and v.bad_seq == 2


def test_a_cut_tail_is_caught_by_the_anchor(db):
    fill(db)
    anchor = verdict(db).head
    assert verdict(db, anchor).ok
    # a careful forger cuts the tail and rewinds the chain row too: only the anchor sees it
    run_sql(db, "DELETE FROM audit_log WHERE seq >= 4")
    with db.read() as s:
        three = next(e for e in audit.entries(s) if e.seq == 3)
    run_sql(db, "UPDATE audit_chain SET seq = 3, hash = :h", h=three.hash)
    assert verdict(db).ok
    v = verdict(db, anchor)
    assert (v.problem, v.bad_seq) == ("audit.tail_cut", 4)


def test_a_rewritten_tail_is_caught_by_the_anchor(db):
    fill(db)
    anchor = verdict(db).head
    run_sql(db, "DELETE FROM audit_log WHERE seq = 5")
    with db.read() as s:
        four = next(e for e in audit.entries(s) if e.seq == 4)
    run_sql(db, "UPDATE audit_chain SET seq = 4, hash = :h", h=four.hash)
    with db.write() as s:
        audit.append(s, "c.bernard", "journal.add", "journal:x", {"text": "rewritten"})
    assert verdict(db).ok  # a valid chain again...
    v = verdict(db, anchor)
    assert (v.problem, v.bad_seq) == ("audit.anchor_mismatch", 5)  # ...but not the one anchored


def test_anchor_parsing():
    a = audit.Anchor.parse("12:" + "AB" * 32)
    assert (a.seq, a.hash) == (12, "ab" * 32)
    assert str(a) == "12:" + "ab" * 32
    for bad in ("12", "x:" + "a" * 64, "0:" + "a" * 64, "3:abc", "3:" + "g" * 64):
        with pytest.raises(InvalidInput):
            audit.Anchor.parse(bad)


def test_an_act_the_matrix_refuses_is_never_appended(db):
    fill(db)
    before = verdict(db).head
    for who, action, target in [
        ("n.faure", "journal.add", "journal:9"),  # the auditor only reads
        ("c.bernard", "command.send", "group:commune:21231"),  # a dispatcher commands nothing
        ("t.roux", "mode.switch", "snow:2"),  # a technician switches traffic, not the snow plan
        ("c.bernard", "bench.append", "bench:1"),  # an action only Vigie itself records
        ("ghost", "journal.add", "journal:9"),  # nobody of this database
    ]:
        with pytest.raises(PermissionDenied), db.write() as s:
            audit.append(s, who, action, target, {})
    assert verdict(db).head == before
    with db.write() as s:  # the same acts by those the matrix allows
        audit.append(s, "t.roux", "command.send", "group:commune:21231", {})
        audit.append(s, "c.morel", "mode.switch", "snow:2", {})
    assert verdict(db).entries == before.seq + 2


def test_concurrent_appenders_never_fork_the_chain(db):
    writers, each = 6, 15
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        barrier.wait()
        try:
            for i in range(each):
                with db.write() as s:
                    audit.append(s, WRITERS[n], "journal.add", f"journal:{n}:{i}", {"i": i})
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    v = verdict(db)
    assert v.ok, v
    assert v.entries == writers * each
