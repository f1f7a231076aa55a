"""k-anonymity for published counts: no count of fewer than k people, not even by subtraction.

A count in 1..k-1 is suppressed (primary suppression); zero is not a person and is published
(an absent cell is a zero). Then complementary suppression, so that the published values cannot
give a suppressed count back:

1. the line rule: for every line whose total is published (a row with its row total, a column
   with its column total, the row totals and the column totals with the grand total), the
   suppressed entries must add up to 0 or at least k, else the smallest non-zero published entry
   of the line (ties in key order) is suppressed too;
2. the combination rule, which the line rule alone misses: lines chain. A row whose single
   suppressed cell counts 5 gives that 5 back, and the 5 subtracted from a column gives back the
   column's other suppressed cell, 1. So for every suppressed count in 1..k-1 the largest value
   an attacker could not rule out, given every published value, non-negativity and every line at
   once, must be at least k.

The largest possible value of an entry is a maximum flow: a table with its margins is a
circulation source → row (row total) → column (cell) → sink (column total) → source (grand total),
published entries are fixed, a suppressed entry can grow without limit and shrink down to zero.
An entry can grow by as much as can flow from its head back to its tail through the other
suppressed entries. With every non-zero entry but the grand total suppressed, any entry can reach
the grand total (put everything in it), so the loop always ends safe; the grand total is never
suppressed to protect others, so that the same total published elsewhere stays consistent.

``exposures`` is the independent audit the tests use: it does not share this module's search,
only checks the published values against the originals by the line rule and by propagating
bounds through the lines (every exposure it finds is real).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

#: The smallest count published: fewer people than this could be told apart.
K = 5

R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)
Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True)
class Protected(Generic[R, C]):
    """A table as published: None where a count is suppressed. Absent cells are published zeros."""

    cells: dict[tuple[R, C], int | None]
    row_totals: dict[R, int | None]
    col_totals: dict[C, int | None]
    total: int | None


def _ordered(keys: Iterable) -> list:
    """Keys in their natural order when they have one, else in order of first appearance."""
    unique = list(dict.fromkeys(keys))
    try:
        return sorted(unique)
    except TypeError:
        return unique


# ---------------------------------------------------------------------------------------------
# The table as a flow network


class _Table:
    """Entries (cells, then row totals, column totals, the grand total) as arcs of a network.

    Nodes: 0 the source, 1 the sink, then one per row, one per column. An entry's index is its
    key order for ties, so cells go before totals (suppressing a total hides more).
    """

    def __init__(self, cells: Mapping[tuple[R, C], int]):
        for key, value in cells.items():
            if not isinstance(value, int) or value < 0:
                raise ValueError(f"a count must be a non-negative int: {key!r} = {value!r}")
        self.rows = _ordered(r for r, _ in cells)
        self.cols = _ordered(c for _, c in cells)
        row_node = {r: 2 + i for i, r in enumerate(self.rows)}
        col_node = {c: 2 + len(self.rows) + j for j, c in enumerate(self.cols)}
        self.keys: list[tuple] = []
        self.values: list[int] = []
        self.arcs: list[tuple[int, int]] = []  # (tail, head) of each entry
        row_cells: dict[R, list[int]] = {r: [] for r in self.rows}
        col_cells: dict[C, list[int]] = {c: [] for c in self.cols}
        for r, c in _ordered(cells):
            row_cells[r].append(self._add(("cell", (r, c)), cells[r, c], row_node[r], col_node[c]))
            col_cells[c].append(len(self.values) - 1)
        row_total = {
            r: self._add(("row", r), sum(self.values[i] for i in row_cells[r]), 0, row_node[r])
            for r in self.rows
        }
        col_total = {
            c: self._add(("col", c), sum(self.values[i] for i in col_cells[c]), col_node[c], 1)
            for c in self.cols
        }
        self.grand = self._add(("total",), sum(cells.values()), 1, 0)
        #: (entries, total) of every line
        self.lines: list[tuple[list[int], int]] = [
            *((row_cells[r], row_total[r]) for r in self.rows),
            *((col_cells[c], col_total[c]) for c in self.cols),
            (list(row_total.values()), self.grand),
            (list(col_total.values()), self.grand),
        ]
        self.nodes = 2 + len(self.rows) + len(self.cols)

    def _add(self, key: tuple, value: int, tail: int, head: int) -> int:
        self.keys.append(key)
        self.values.append(value)
        self.arcs.append((tail, head))
        return len(self.values) - 1

    def headroom(self, entry: int, suppressed: list[bool], need: int) -> int:
        """How much ``entry`` could grow (up to ``need``) with the published values unchanged.

        A maximum flow (Edmonds-Karp) from its head back to its tail through the other
        suppressed entries: each can carry any extra flow forwards (it grows) and at most its
        value backwards (it shrinks to zero). Stops once ``need`` is reached.
        """
        if need <= 0:
            return 0
        graph: list[list[int]] = [[] for _ in range(self.nodes)]
        to: list[int] = []
        cap: list[int] = []

        def arc(u: int, v: int, capacity: int) -> None:
            for a, b, c in ((u, v, capacity), (v, u, 0)):  # with its residual twin
                graph[a].append(len(to))
                to.append(b)
                cap.append(c)

        for i, hidden in enumerate(suppressed):
            if hidden and i != entry:
                tail, head = self.arcs[i]
                arc(tail, head, need)  # "unlimited": nothing beyond need is asked for
                if self.values[i]:
                    arc(head, tail, self.values[i])
        source, sink = self.arcs[entry][1], self.arcs[entry][0]
        flow = 0
        while flow < need:
            came = {source: -1}
            queue = deque([source])
            while queue and sink not in came:
                u = queue.popleft()
                for a in graph[u]:
                    if cap[a] > 0 and to[a] not in came:
                        came[to[a]] = a
                        queue.append(to[a])
            if sink not in came:
                break
            path, v = [], sink
            while came[v] != -1:
                path.append(came[v])
                v = to[came[v] ^ 1]
            push = min(need - flow, *(cap[a] for a in path))
            for a in path:
                cap[a] -= push
                cap[a ^ 1] += push
            flow += push
        return flow

    def exposed(self, suppressed: list[bool], k: int) -> int | None:
        """The first suppressed count in 1..k-1 that cannot be seen to reach k, if any."""
        for i, value in enumerate(self.values):
            if suppressed[i] and 0 < value < k:
                if self.headroom(i, suppressed, k - value) < k - value:
                    return i
        return None

    def order(self, i: int) -> tuple[int, int]:
        """Smallest count first, then key order: what complementary suppression picks."""
        return self.values[i], i


def _enforce_lines(table: _Table, suppressed: list[bool], k: int) -> None:
    """The line rule, until every line with a published total holds."""
    changed = True
    while changed:
        changed = False
        for entries, total in table.lines:
            if suppressed[total]:
                continue
            hidden = sum(table.values[i] for i in entries if suppressed[i])
            if 0 < hidden < k:
                pick = min(
                    (i for i in entries if not suppressed[i] and table.values[i]),
                    key=table.order,
                )  # never empty: all non-zero entries hidden would make the total < k, hidden
                suppressed[pick] = True
                changed = True


def _complement(table: _Table, entry: int, suppressed: list[bool], k: int) -> int:
    """The entry to suppress so that ``entry`` can reach k, or get closest to it.

    The smallest count that alone suffices; else the one that widens the most; else (two
    entries needed at once) the smallest published count on one of its lines.
    """
    candidates = sorted(
        (
            i
            for i, value in enumerate(table.values)
            if value and not suppressed[i] and i != table.grand
        ),
        key=table.order,
    )
    need = k - table.values[entry]
    best, best_gain = None, table.headroom(entry, suppressed, need)
    for i in candidates:
        suppressed[i] = True
        gain = table.headroom(entry, suppressed, need)
        suppressed[i] = False
        if gain >= need:
            return i
        if gain > best_gain:
            best, best_gain = i, gain
    if best is not None:
        return best
    near = [i for i in candidates if any(entry in (*e, t) and i in e for e, t in table.lines)]
    return (near or candidates)[0]


def protect(cells: Mapping[tuple[R, C], int], k: int = K) -> Protected[R, C]:
    """The table and its margins as they can be published (see the module's rules)."""
    table = _Table(cells)
    suppressed = [0 < value < k for value in table.values]
    while True:
        _enforce_lines(table, suppressed, k)
        entry = table.exposed(suppressed, k)
        if entry is None:
            break
        suppressed[_complement(table, entry, suppressed, k)] = True

    shown = {key: (None if suppressed[i] else table.values[i]) for i, key in enumerate(table.keys)}
    return Protected(
        cells={key[1]: value for key, value in shown.items() if key[0] == "cell"},
        row_totals={r: shown["row", r] for r in table.rows},
        col_totals={c: shown["col", c] for c in table.cols},
        total=shown["total",],
    )


def protect_line(
    cells: Mapping[Key, int], total: int | None = None, k: int = K
) -> tuple[dict[Key, int | None], int | None]:
    """One line with its total (the grid's cells): (cells, total) as they can be published.

    ``total`` defaults to the cells' sum; a larger total (counts outside every cell, e.g.
    incidents without a place) leaves a hidden remainder that the rules treat as one more
    suppressed count, since total minus the published cells gives it back. On a single line
    the line rule is the whole rule: the suppressed counts can each be as large as their sum.
    """
    counted = sum(cells.values())
    total = counted if total is None else total
    if total < counted or any(v < 0 for v in cells.values()):
        raise ValueError(f"counts must be non-negative and total {total} at least {counted}")
    remainder = total - counted
    hidden = {key for key, value in cells.items() if 0 < value < k}
    total_hidden = 0 < total < k
    if not total_hidden:
        ordered = _ordered(cells)
        while 0 < (remainder + sum(cells[key] for key in hidden)) < k:
            hidden.add(
                min(
                    (key for key in ordered if key not in hidden and cells[key]),
                    key=lambda key: (cells[key], ordered.index(key)),
                )
            )
    return (
        {key: (None if key in hidden else value) for key, value in cells.items()},
        None if total_hidden else total,
    )


def protect_breakdown(
    cells: Mapping[Key, int], hidden: int = 0, *, total_published: bool = True, k: int = K
) -> dict[Key, int | None]:
    """A second breakdown of a total that ``protect`` already published or suppressed.

    The grid of one commune's week beside the commune × category table: ``hidden`` counts its
    incidents in no cell (no place). Under a published total, ``protect_line`` against it.
    Under a suppressed total nothing is published: the published parts would be a lower bound
    of that total, which ``protect`` did not reckon with (a suppressed total shrinking is what
    lets its line's other suppressed counts reach k).
    """
    if not total_published:
        return {key: (None if value else 0) for key, value in cells.items()}
    shown, _ = protect_line(cells, sum(cells.values()) + hidden, k)
    return shown


# ---------------------------------------------------------------------------------------------
# The independent audit


def exposures(
    protected: Protected[R, C], original: Mapping[tuple[R, C], int], k: int = K
) -> list[str]:
    """Every way the published table gives back a count in 1..k-1 (empty when it is safe).

    Checks, without this module's search: a published value that differs from the original or
    lies in 1..k-1; a line with a published total whose suppressed entries add up to 1..k-1;
    and, propagating lower and upper bounds through every line's equation (a suppressed total
    is one more unknown), a suppressed count in 1..k-1 whose upper bound falls below k.
    """
    rows = _ordered(r for r, _ in original)
    cols = _ordered(c for _, c in original)
    real: dict[tuple, int] = {("cell", key): value for key, value in original.items()}
    for r in rows:
        real["row", r] = sum(v for (a, _), v in original.items() if a == r)
    for c in cols:
        real["col", c] = sum(v for (_, b), v in original.items() if b == c)
    real["total",] = sum(original.values())
    shown: dict[tuple, int | None] = {
        **{("cell", key): protected.cells.get(key, 0) for key in original},
        **{("row", r): protected.row_totals.get(r) for r in rows},
        **{("col", c): protected.col_totals.get(c) for c in cols},
        ("total",): protected.total,
    }
    found = []
    for key, value in shown.items():
        if value is not None and value != real[key]:
            found.append(f"{key}: published {value}, counted {real[key]}")
        elif value is not None and 0 < value < k:
            found.append(f"{key}: {value} published")
    lines = [
        *(
            (f"row {r!r}", [("cell", key) for key in original if key[0] == r], ("row", r))
            for r in rows
        ),
        *(
            (f"column {c!r}", [("cell", key) for key in original if key[1] == c], ("col", c))
            for c in cols
        ),
        ("row totals", [("row", r) for r in rows], ("total",)),
        ("column totals", [("col", c) for c in cols], ("total",)),
    ]
    for name, entries, total in lines:
        if shown[total] is not None:
            hidden = sum(real[e] for e in entries if shown[e] is None)
            if 0 < hidden < k:
                found.append(f"{name}: suppressed entries add up to {hidden}")
    found += _bounded_below_k(shown, real, lines, k)
    return found


def _bounded_below_k(
    shown: Mapping[tuple, int | None],
    real: Mapping[tuple, int],
    lines: list[tuple[str, list[tuple], tuple]],
    k: int,
) -> list[str]:
    """Suppressed counts in 1..k-1 that interval propagation bounds below k (chained lines)."""
    # every line: sum(entries) - total = 0, published values moved to the constant
    equations = []
    for _, entries, total in lines:
        plus = [e for e in entries if shown[e] is None]
        minus = [total] if shown[total] is None else []
        const = (0 if minus else shown[total]) - sum(shown[e] for e in entries if shown[e])
        equations.append((plus, minus, const))
    low = {key: 0 for key, value in shown.items() if value is None}
    high = {key: math.inf for key in low}
    for _ in range(1000):  # bounds only tighten; a cap keeps it finite (and still sound)
        changed = False
        for plus, minus, const in equations:
            up_minus = sum(high[t] for t in minus)
            low_minus = sum(low[t] for t in minus)
            for x in plus:
                others = [y for y in plus if y != x]
                hi = const + up_minus - sum(low[y] for y in others)
                lo = const + low_minus - sum(high[y] for y in others)
                if hi < high[x] or lo > low[x]:
                    high[x], low[x] = min(high[x], hi), max(low[x], lo)
                    changed = True
            for t in minus:
                hi = sum(high[y] for y in plus) - const
                lo = sum(low[y] for y in plus) - const
                if hi < high[t] or lo > low[t]:
                    high[t], low[t] = min(high[t], hi), max(low[t], lo)
                    changed = True
        if not changed:
            break
    return [
        f"{key}: {real[key]} suppressed but bounded to {low[key]}..{high[key]} by the lines"
        for key in low
        if 0 < real[key] < k and high[key] < k
    ]
