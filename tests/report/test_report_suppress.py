"""Statistical disclosure control: properties of ``auditor.report.suppress`` on random tables.

The checks here are written independently of the module's own (their own elimination, their own
search), so a bug in the module's audit cannot hide a bug in its suppression.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.report.suppress import PUBLISHED, SMALL, WITHHELD, Protection, suppress_table

M = 5


# ---------------------------------------------------------------------- table builders
def two_way(table: list[list[int]]):
    """Cells and equations of a table with row totals, column totals and a grand total."""
    cells, eqs = {}, []
    rows, cols = len(table), len(table[0])
    for r in range(rows):
        for c in range(cols):
            cells[(r, c)] = table[r][c]
        cells[(r, "*")] = sum(table[r])
        eqs.append(((r, "*"), [(r, c) for c in range(cols)]))
    for c in range(cols):
        cells[("*", c)] = sum(table[r][c] for r in range(rows))
        eqs.append((("*", c), [(r, c) for r in range(rows)]))
    cells[("*", "*")] = sum(cells[(r, "*")] for r in range(rows))
    eqs.append((("*", "*"), [(r, "*") for r in range(rows)]))
    eqs.append((("*", "*"), [("*", c) for c in range(cols)]))
    return cells, eqs


def outcome_rows(rows: list[tuple[int, int, int, int]]):
    """Rule rows as the report builds them: applied = s + v + p; N = applied + na (N shared)."""
    n = sum(rows[0])
    cells, eqs = {("N",): n}, []
    for i, (s, v, p, na) in enumerate(rows):
        cells.update({(i, "s"): s, (i, "v"): v, (i, "p"): p, (i, "na"): na, (i, "applied"): s + v + p})
        eqs.append(((i, "applied"), [(i, "s"), (i, "v"), (i, "p")]))
        eqs.append((("N",), [(i, "applied"), (i, "na")]))
    return cells, eqs


def small_values():
    # Many small counts (the hard case), some zeros, some large.
    return st.one_of(st.integers(0, 4), st.integers(5, 12), st.integers(13, 60))


tables = st.integers(2, 4).flatmap(
    lambda rows: st.integers(2, 4).flatmap(
        lambda cols: st.lists(st.lists(small_values(), min_size=cols, max_size=cols), min_size=rows, max_size=rows)
    )
)


# ---------------------------------------------------------------------- independent checks
def hidden_keys(p: Protection, cells) -> set:
    return {k for k in cells if p.status_of(k) != PUBLISHED}


def single_hidden_equations(p: Protection, cells, eqs) -> list:
    """Equations (total, parts) where exactly one member is hidden: it is total minus the rest."""
    bad = []
    for total, parts in eqs:
        members = {total, *parts}
        # members that are the same variable (aliases) count once
        hidden = {k for k in members if p.status_of(k) != PUBLISHED}
        if len(hidden) == 1:
            bad.append((total, parts))
    return bad


def determined(cells, eqs, hidden: set) -> set:
    """Hidden cells whose value follows exactly from the published ones (dense Gauss-Jordan)."""
    names = sorted(hidden, key=repr)
    index = {k: i for i, k in enumerate(names)}
    rows = []
    for total, parts in eqs:
        row = [Fraction(0)] * len(names)
        for k, coef in [(total, -1)] + [(k, 1) for k in parts]:
            if k in index:
                row[index[k]] += coef
        if any(row):
            rows.append(row)
    # reduced row echelon form
    pivots = []
    r = 0
    for col in range(len(names)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        inv = 1 / rows[r][col]
        rows[r] = [x * inv for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col] != 0:
                f = rows[i][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r])]
        pivots.append(col)
        r += 1
    out = set()
    for i, col in enumerate(pivots):
        if sum(1 for x in rows[i] if x != 0) == 1:
            out.add(names[col])
    return out


def check_protected(p: Protection, cells, eqs) -> None:
    assert not p.unprotected
    for key, value in cells.items():
        st_ = p.status_of(key)
        if st_ == PUBLISHED:
            assert value == 0 or value >= M, (key, value)
        elif st_ == SMALL:
            assert 1 <= value < M
        else:
            assert st_ == WITHHELD
    assert not single_hidden_equations(p, cells, eqs)
    hidden = hidden_keys(p, cells)
    assert not determined(cells, eqs, hidden)


# ---------------------------------------------------------------------- properties
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_two_way_tables_are_protected(table):
    cells, eqs = two_way(table)
    p = suppress_table(cells, eqs, M)
    check_protected(p, cells, eqs)


outcome_row = st.tuples(small_values(), small_values(), small_values(), small_values())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(outcome_row, min_size=1, max_size=6).flatmap(
    # every row partitions the same number of cases: rescale the last column to make the sums equal
    lambda rows: st.just([(s, v, p, na + max(sum(r) for r in rows) - (s + v + p + na)) for s, v, p, na in rows])
))
def test_outcome_rows_sharing_a_total_are_protected(rows):
    cells, eqs = outcome_rows(rows)
    p = suppress_table(cells, eqs, M)
    check_protected(p, cells, eqs)


@settings(max_examples=100, deadline=None)
@given(st.lists(small_values(), min_size=2, max_size=8))
def test_one_way_table_with_total(values):
    cells = {i: v for i, v in enumerate(values)}
    cells["total"] = sum(values)
    eqs = [("total", list(range(len(values))))]
    p = suppress_table(cells, eqs, M)
    check_protected(p, cells, eqs)


@settings(max_examples=100, deadline=None)
@given(st.lists(small_values(), min_size=2, max_size=6), st.integers(5, 9))
def test_min_count_raises_the_threshold(values, m):
    cells = {i: v for i, v in enumerate(values)}
    cells["total"] = sum(values)
    p = suppress_table(cells, [("total", list(range(len(values))))], m)
    for key, value in cells.items():
        if p.status_of(key) == PUBLISHED:
            assert value == 0 or value >= m


# ---------------------------------------------------------------------- a reader who knows the markers
def feasible_values(table, p: Protection, cells, target, limit=40):
    """Every value ``target`` can take in a table consistent with what is published, when the
    reader knows a "<5" is 1..4 and a "×" is any count (exhaustive search, small tables).

    Row by row: each row's hidden cells are enumerated (the last one follows from a published row
    total), then the rows are combined and the column and grand totals checked.
    """
    rows, cols = len(table), len(table[0])

    def domain(key):
        st_ = p.status_of(key)
        if st_ == PUBLISHED:
            return [cells[key]]
        if st_ == SMALL:
            return list(range(1, M))
        return list(range(0, limit + 1))

    def fits(key, value):  # a hidden total has no upper bound for the reader
        st_ = p.status_of(key)
        if st_ == PUBLISHED:
            return value == cells[key]
        if st_ == SMALL:
            return 1 <= value < M
        return value >= 0

    row_options = []
    for r in range(rows):
        keys = [(r, c) for c in range(cols)]
        options = []
        total_known = p.status_of((r, "*")) == PUBLISHED
        free = keys[:-1] if total_known else keys
        for combo in product(*(domain(k) for k in free)):
            values = list(combo)
            if total_known:
                last = cells[(r, "*")] - sum(values)
                if not fits(keys[-1], last):
                    continue
                values.append(last)
            if fits((r, "*"), sum(values)):
                options.append(values)
        row_options.append(options)
    found = set()
    for combo in product(*row_options):
        cs = [sum(combo[r][c] for r in range(rows)) for c in range(cols)]
        if not all(fits(("*", c), cs[c]) for c in range(cols)) or not fits(("*", "*"), sum(cs)):
            continue
        r, c = target
        found.add(combo[r][c])
    return found


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.one_of(st.integers(0, 4), st.integers(5, 14)), min_size=2, max_size=2), min_size=2, max_size=3))
def test_no_small_count_is_pinned_by_a_reader_who_knows_the_markers(table):
    cells, eqs = two_way(table)
    p = suppress_table(cells, eqs, M)
    hidden_inner = [k for k in cells if "*" not in k and p.status_of(k) != PUBLISHED]
    if len(hidden_inner) > 4:  # keep the brute force small
        return
    for key in hidden_inner:
        if p.status_of(key) == SMALL:
            # inner "×" cells are searched up to the true total plus min_count: room enough for every
            # alternative a reader could consider near the truth
            values = feasible_values(table, p, cells, key, limit=sum(map(sum, table)) + M)
            assert cells[key] in values
            assert len(values) >= 2, (table, key, values)


# ---------------------------------------------------------------------- hand-made cases
def test_a_lone_small_cell_takes_a_complement_in_its_row_and_column():
    cells, eqs = two_way([[3, 20], [12, 30], [40, 50]])
    p = suppress_table(cells, eqs, M)
    assert p.status_of((0, 0)) == SMALL
    hidden = hidden_keys(p, cells)
    assert len([k for k in hidden if k[0] == 0 and k[1] != "*"]) >= 2
    assert len([k for k in hidden if k[1] == 0 and k[0] != "*"]) >= 2
    check_protected(p, cells, eqs)


def test_the_smallest_complement_is_enough_because_x_says_nothing():
    # "×" may be any count (0 too), so "36 = <5 + × + 30" leaves the "<5" anywhere in 1..4.
    cells = {"a": 1, "b": 5, "c": 30, "t": 36}
    p = suppress_table(cells, [("t", ["a", "b", "c"])], M)
    assert p.status_of("a") == SMALL
    assert p.status_of("b") == WITHHELD
    assert p.status_of("c") == PUBLISHED and p.status_of("t") == PUBLISHED


def test_a_small_count_whose_marker_would_give_it_away_is_shown_as_x():
    # Four "<5" cells under a "<5" total would all read as 1: one of them must be shown as "×".
    cells, eqs = two_way([[0, 0, 0, 1], [1, 1, 1, 1]])
    p = suppress_table(cells, eqs, M)
    members = [p.status_of((1, c)) for c in range(4)] + [p.status_of((1, "*"))]
    assert WITHHELD in members  # the cells or their total: not five "<5" that add up to all ones
    assert all(p.status_of(k) != PUBLISHED for k in [(1, 0), (1, 1), (1, 2), (1, 3)])
    assert not p.unprotected and not p.exposed()


def test_zero_and_large_counts_are_published():
    cells = {"a": 0, "b": 12, "c": 7, "t": 19}
    p = suppress_table(cells, [("t", ["a", "b", "c"])], M)
    assert all(p.status_of(k) == PUBLISHED for k in cells)


def test_same_signature_means_same_variable():
    # Two tables show the same count of the same cases: withheld in one means withheld in both.
    p = Protection(min_count=M)
    p.cell("x1", 3, signature=11)
    p.cell("y1", 40, signature=12)
    p.cell("t1", 43, signature=13)
    p.cell("x2", 3, signature=11)  # same cases as x1
    p.equation("t1", ["x1", "y1"])
    p.solve()
    assert p.status_of("x2") == SMALL


def test_cheap_cells_are_withheld_before_dear_ones():
    p = Protection(min_count=M)
    p.cell("small", 2, cost=8)
    p.cell("dear", 50, cost=8)
    p.cell("cheap", 60, cost=1)
    p.cell("total", 112, cost=100)
    p.equation("total", ["small", "dear", "cheap"])
    p.solve()
    assert p.status_of("cheap") == WITHHELD
    assert p.status_of("dear") == PUBLISHED


def test_parts_must_add_up():
    p = Protection()
    p.cell("a", 1)
    p.cell("t", 5)
    with pytest.raises(ValueError):
        p.equation("t", ["a"])
