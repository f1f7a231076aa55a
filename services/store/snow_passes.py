"""Snow passes per network segment and episode: ``snow_passes``, counted as positions arrive.

A treatment is a plough (blade down) or a spreader (spreading) within ``PASS_RADIUS_M`` of a
segment while a snow episode is in force (``services/recorder/aggregates.py`` finds them). Each
is folded into its (episode, segment) row by ``services.domain.snow.fold_pass``, the rule the
backfill follows too: the first treatment opens the row (its gap counted from the episode's
start), one more than ``PASS_GAP`` after the last pass is a new pass, a nearer one extends it,
an older one only moves the first pass earlier. A treatment heard twice changes nothing.

Two writers (the recorder's lanes, two recorders) may fold into one row at once: each row is
first inserted if absent (``ON CONFLICT DO NOTHING``), then locked, in key order, and folded in
Python; so the second waits for the first and folds into what it wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, tuple_, update
from sqlalchemy.orm import Session

from services.domain.snow import SegmentPasses, fold_pass
from services.store.models import SnowPassRow
from services.store.upsert import in_key_order, insert_for

_PASSES = SnowPassRow.__table__


@dataclass(frozen=True, slots=True)
class SegmentTreatment:
    """A treating position near one segment, in the episode begun at ``episode_start``."""

    episode_start: datetime
    segment_id: str
    network: str
    target_s: int
    at: datetime


def record_treatments(session: Session, treatments: Sequence[SegmentTreatment]) -> int:
    """Fold ``treatments`` into their rows; returns how many rows changed."""
    by_key: dict[tuple[datetime, str], list[SegmentTreatment]] = {}
    for t in treatments:
        by_key.setdefault((t.episode_start, t.segment_id), []).append(t)
    if not by_key:
        return 0
    for group in by_key.values():
        group.sort(key=lambda t: t.at)
    first_rows = [
        _row(group[0], fold_pass(None, group[0].at, group[0].episode_start))
        for group in by_key.values()
    ]
    created = session.execute(
        insert_for(session, _PASSES)
        .on_conflict_do_nothing()
        .returning(_PASSES.c.episode_start, _PASSES.c.segment_id),
        in_key_order(first_rows, ("episode_start", "segment_id")),
    )
    fresh = {(r.episode_start, r.segment_id) for r in created}
    stored = session.execute(
        select(_PASSES)
        .where(tuple_(_PASSES.c.episode_start, _PASSES.c.segment_id).in_(sorted(by_key)))
        .order_by(_PASSES.c.episode_start, _PASSES.c.segment_id)
        .with_for_update()
    )
    changed = []
    for row in stored:
        key = (row.episode_start, row.segment_id)
        group = by_key[key]
        before = SegmentPasses(row.first_pass_at, row.last_pass_at, row.passes, row.longest_gap_s)
        state = before
        # A row this call created holds its first treatment already.
        for t in group[1:] if key in fresh else group:
            state = fold_pass(state, t.at, t.episode_start)
        if state != before:
            changed.append(_row(group[0], state))
    if changed:
        session.execute(
            update(_PASSES)
            .where(
                _PASSES.c.episode_start == bindparam("k_episode"),
                _PASSES.c.segment_id == bindparam("k_segment"),
            )
            .values(
                first_pass_at=bindparam("b_first"),
                last_pass_at=bindparam("b_last"),
                passes=bindparam("b_passes"),
                longest_gap_s=bindparam("b_gap"),
            ),
            [
                {
                    "k_episode": row["episode_start"],
                    "k_segment": row["segment_id"],
                    "b_first": row["first_pass_at"],
                    "b_last": row["last_pass_at"],
                    "b_passes": row["passes"],
                    "b_gap": row["longest_gap_s"],
                }
                for row in changed
            ],
        )
    return len(fresh) + len(changed)


def _row(t: SegmentTreatment, state: SegmentPasses) -> dict[str, object]:
    return {
        "episode_start": t.episode_start,
        "segment_id": t.segment_id,
        "network": t.network,
        "target_s": t.target_s,
        "first_pass_at": state.first_pass_at,
        "last_pass_at": state.last_pass_at,
        "passes": state.passes,
        "longest_gap_s": state.longest_gap_s,
    }


def passes(session: Session, episode_start: datetime | None = None) -> list[SnowPassRow]:
    """The rows (of one episode, or all), by episode and segment: for the export and tests."""
    query = select(SnowPassRow).order_by(SnowPassRow.episode_start, SnowPassRow.segment_id)
    if episode_start is not None:
        query = query.where(SnowPassRow.episode_start == episode_start)
    return list(session.execute(query).scalars())
