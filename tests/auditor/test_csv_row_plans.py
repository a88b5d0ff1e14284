"""The CSV reader's fast ways (rows built from per-type plans, a first pass that reads each line's
case from the bytes) must read every table exactly as the cell-by-cell reader does: the same cases,
in the same order, and the same problems with the same messages, lines and columns. Generated
tables, grouped and interleaved, are damaged cell by cell (bad booleans, numbers, dates, JSON
cells, quoted newlines, spaces, wrong widths, blank rows, broken quoting, a BOM, CR LF line ends)
and read with and without a mapping file, from a file and from a pipe, both ways."""

from __future__ import annotations

import csv
import io
import tempfile
import tracemalloc
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor import schema
from auditor.errors import InputErrors
from auditor.reading import csv_rows, timeparse
from auditor.reading import table as table_mod
from auditor.reading.mapping import Mapping
from benchmarks.generate import write_caseload

#: Cell values that a reader must take apart carefully.
AWKWARD = [
    "", " ", "  W ", "\t", "true", " true ", "TRUE", "yes", "False", "0", "12", "-1", "1_000", "100001", "\u0663",
    "2026-02-30", "2026-2-3", "2025-05-11", "2025-05-11T08:15", "2025-05-11T25:00", "2025-05-11 08:15",
    "[", "[]", "[1, 2]", '["W", "C"]', '[{"action": "call", "due": "2026-02-30"}]',
    '[{"action": "call", "owner": null, "x-a": 1}]', "[" * 40 + "]" * 40, "a;;b", "W; C", "W;S", "x\ny",
    "é", "Z" * 201, "C", "W", "S", "phone", "tel", " in_person", "contact", "party", "context", "memo",
    "Appel", "bogus", '"quoted"', "a,b", "\ufeffW", "C-2025-000001", " C-2025-000002 ",
]

#: Values worth trying in a column of each kind (where a plan converts the cell).
BY_KIND = {
    schema.BOOL: ["true", "false", "True", "FALSE", " true", "yes", "1", "tRUE", ""],
    schema.PARTIES: ["W; C", " W ;C", "W;;C", '["W", "C"]', "[", "[]", "W;", '["W",', "Q"],
    schema.STRLIST: ["a; b", " a;b ", "a;;b", '["a;b"]', "[1]", "[", "x"],
    schema.DATE: ["2026-02-30", "2026-3-4", "2026-03-04", " 2026-03-04", "2026-03-04T10:00", "x"],
    schema.INT: ["7", "07", "0", "-1", "100001", "1_0", "\u0663", "7.0", " 7"],
    schema.POSINT: ["7", "0", "100000", "100001", "1e3"],
    schema.PLAN_ACTIONS: ['[{"action": "call", "due": "2026-02-30"}]', '[{"action": "call", "owner": null, "x-b": 2}]',
                          "call; write", "[", "[" * 40 + "]" * 40, '[{"concern": "x"}]'],
    schema.DRAFT_ACTIONS: ['["a", {"action": "b"}]', "a; b", "[", '[{"action": 3}]'],
    "enums": ["process_steps; health", "health;;plan", "Health", '["plan"]', "x"],
    "enum": ["phone", " phone", "Phone", "tel", "x"],
}
POOL = [v for values in BY_KIND.values() for v in values] + AWKWARD

#: Lines that are not a clean CSV row.
RAW_LINES = ['x,"unclosed', 'a,"b"c,d', "", "   ", ",,,", '"C-2025-000001",,party,Q,,worker']


@lru_cache(maxsize=2)
def base_table(interleave: bool) -> tuple[list[str], list[list[str]]]:
    """A small generated caseload as CSV rows (header, rows), grouped or interleaved."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.csv"
        write_caseload(str(path), "csv", 6, 3, interleave_rows=interleave, window=3)
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    return rows[0], rows[1:]


cell_edit = st.tuples(st.just("cell"), st.integers(0, 10**6), st.integers(0, 60), st.integers(0, 10**6), st.booleans())
edits = st.lists(
    st.one_of(cell_edit, st.tuples(st.just("width"), st.integers(0, 10**6), st.booleans())), min_size=1, max_size=16,
).flatmap(lambda changes: st.one_of(  # a line that is not a clean row: in one table out of four
    st.just(changes), st.just(changes), st.just(changes),
    st.tuples(st.just("raw"), st.integers(0, 10**6), st.sampled_from(RAW_LINES)).map(lambda raw: [*changes, raw]),
))

MAPPINGS = [
    None,
    Mapping(columns={"dossier": "case"}, types={"Appel": "contact"}, ignore_types=frozenset({"memo"})),
    Mapping(types={"Appel": "contact"}, values={"channel": {"tel": "phone"}, "with": {"W": "W"}}),
]


def _table(header: list[str], rows: list[list[str]], changes: list[tuple], mapping: Mapping | None,
           bom: bool, crlf: bool) -> bytes:
    rows = [list(r) for r in rows]
    raw: dict[int, str] = {}
    for change in changes:
        i = change[1] % len(rows)
        if change[0] == "cell":
            # Half of the edits hit a column the row's type has (where a plan reads the cell).
            # Half of the edits hit a column the row's type has (where a plan reads the cell), with
            # a value tried for its kind.
            type_ = rows[i][2] if len(rows[i]) > 2 else ""
            own = [j for j, c in enumerate(header) if change[4] and schema.kind_of(type_, c) is not None]
            j = own[change[2] % len(own)] if own else change[2] % len(header)
            kind = schema.kind_of(type_, header[j]) or ""
            values = BY_KIND.get(kind.split(":")[0], POOL) if own else POOL
            if j < len(rows[i]):  # a row an earlier edit shortened may lack the column
                rows[i][j] = values[change[3] % len(values)]
        elif change[0] == "width":
            rows[i] = rows[i] + ["x"] if change[2] else rows[i][:-1]
        else:
            raw[i] = change[2]
    if mapping is not None and mapping.columns:
        header = ["dossier" if c == "case" else c for c in header]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    for i, row in enumerate(rows):
        if i in raw:
            out.write(raw[i] + ("\r\n" if crlf else "\n"))
        else:
            writer.writerow(row)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def _outcome(items) -> list[tuple]:
    out: list[tuple] = []
    for item in items:
        if isinstance(item, InputErrors):
            out.append(("errors", item.file, item.case,
                        [(e.message, e.file, e.line, e.column, e.case, e.event) for e in item.errors]))
        else:
            out.append((item.case, item.parties, item.context, item.as_of, item.warnings, item.source,
                        [(e.type, e.at, e.date_only, e.day, e.position, e.id, e.by, e.fields, e.line, e.column)
                         for e in item.events]))
    return out


def _both_ways(monkeypatch, data: bytes, mapping: Mapping | None) -> tuple[tuple[list, list], tuple[list, list]]:
    """((from the file, from a pipe) read the fast ways, the same read cell by cell)."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "table.csv"
        path.write_bytes(data)
        for fast in (True, False):
            monkeypatch.setattr(table_mod, "FAST_ROWS", fast)
            from_file = _outcome(table_mod.iter_table(path, "csv", mapping))
            from_pipe = _outcome(table_mod.iter_table_stream(io.BytesIO(data), "table.csv", "csv", mapping))
            results.append((from_file, from_pipe))
    return results[0], results[1]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(interleave=st.booleans(), changes=edits, mapping=st.sampled_from(MAPPINGS), bom=st.booleans(),
       crlf=st.booleans(), block=st.sampled_from([64, 300, 2048, table_mod.BLOCK_BYTES]))
def test_fast_and_cell_by_cell_readers_agree(monkeypatch, interleave, changes, mapping, bom, crlf, block):
    header, rows = base_table(interleave)
    data = _table(header, rows, changes, mapping, bom, crlf)
    monkeypatch.setattr(table_mod, "BLOCK_BYTES", block)
    fast, strict = _both_ways(monkeypatch, data, mapping)
    assert fast == strict


def test_a_clean_table_takes_the_fast_ways(monkeypatch):
    """The comparison above means something only if the fast ways are taken: on a clean table no
    row is built cell by cell and every block of the first pass is read from its bytes."""
    header, rows = base_table(True)
    data = _table(header, rows, [], None, False, False)
    calls: list[bool] = []
    real = table_mod._strict_row

    def strict_row(*args):
        calls.append(table_mod.FAST_ROWS)
        return real(*args)

    answered: list[list[str] | None] = []
    real_keys = csv_rows.block_keys

    def block_keys(*args):
        answered.append(real_keys(*args))
        return answered[-1]

    monkeypatch.setattr(table_mod, "_strict_row", strict_row)
    monkeypatch.setattr(table_mod, "_block_keys_by_reader", lambda *a: pytest.fail("a clean block was read by csv.reader"))
    monkeypatch.setattr(csv_rows, "block_keys", block_keys)
    monkeypatch.setattr(table_mod, "BLOCK_BYTES", 512)
    fast, strict = _both_ways(monkeypatch, data, None)
    assert fast == strict
    assert True not in calls and False in calls
    assert len(answered) > 10 and None not in answered
    assert len([item for item in fast[0] if item[0] != "errors"]) == 6


@given(st.lists(st.lists(st.sampled_from(["a", "b c", " d ", "", '"', "x\ny", "e,f", '""', "\u2028"]),
                         min_size=1, max_size=4), min_size=1, max_size=8),
       st.integers(0, 3))
@settings(max_examples=200, deadline=None)
def test_block_keys_read_lines_as_the_csv_reader_does(rows, case_idx):
    """Whenever ``block_keys`` answers, it is each row's (stripped) cell ``case_idx`` by
    ``csv.reader`` ('' for a row without it), one row a line."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    text = out.getvalue()
    keys = csv_rows.block_keys(text.encode(), case_idx)
    if keys is None:
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    expected = []
    for cells in reader:
        expected.append(cells[case_idx].strip() if case_idx < len(cells) else "")
        assert reader.line_num == len(expected), "a row spans lines yet block_keys answered"
    assert keys == expected


@pytest.mark.parametrize("text", ['a,"b\nc",d\n', 'ab"c,d\n', 'a,"b"c\n', "a\rb\n", '"a",b\n'])
def test_block_keys_leave_what_they_cannot_be_sure_of(text):
    assert csv_rows.block_keys(text.encode(), 0) is None


@pytest.mark.parametrize("kind", sorted(BY_KIND))
@pytest.mark.parametrize("interleave", [False, True])
def test_every_awkward_value_of_a_kind_reads_the_same_both_ways(monkeypatch, kind, interleave):
    """Each value tried for a kind, in turn in every column of that kind on every row that has one
    (and spaces around an id, a party, an enumeration), read both ways: the same result."""
    header, rows = base_table(interleave)
    values = BY_KIND[kind] + ["  ", " x "]
    changes = []
    n = 0
    for i, row in enumerate(rows):
        for j, col in enumerate(header):
            if (schema.kind_of(row[2], col) or "").split(":")[0] == kind:
                changes.append(("cell", i, j, n, False))
                n += 1
    assert changes, f"the generated table has no column of kind {kind}"

    def value(change):  # the n-th edit takes the n-th value (``_table`` takes POOL otherwise)
        return values[change[3] % len(values)]

    monkeypatch.setattr(table_mod, "BLOCK_BYTES", 700)
    for start in range(0, len(changes), 20):  # a few problems per table, well within its budget
        batch = changes[start:start + 20]
        edited = [list(r) for r in rows]
        for change in batch:
            edited[change[1]][change[2]] = value(change)
        data = _table(header, edited, [], None, False, False)
        fast, strict = _both_ways(monkeypatch, data, None)
        assert fast == strict
        assert any(item[0] == "errors" for item in fast[0]), "no edit was refused: the values try nothing"


FIRST_PASS = table_mod._csv_last_lines


def _peaks_reading(path: Path, monkeypatch) -> tuple[int, int]:
    """Peak memory traced during the first pass (with its fixed 8 MiB filter) and during the rest."""
    first_pass = FIRST_PASS
    peaks = []

    def first_then_reset(*args):
        got = first_pass(*args)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.reset_peak()
        return got

    monkeypatch.setattr(table_mod, "_csv_last_lines", first_then_reset)
    tracemalloc.start()
    try:
        cases = sum(1 for item in table_mod.iter_table(path, "csv") if not isinstance(item, InputErrors))
        peaks.append(tracemalloc.get_traced_memory()[1])
    finally:
        tracemalloc.stop()
    assert cases > 50 and len(peaks) == 2
    return peaks[0], peaks[1]


def test_memory_stays_flat_on_a_grouped_table(monkeypatch, tmp_path):
    """Four times the cases, grouped, cost no more memory to read: one block of the first pass at a
    time (blocks made small here so that both tables span many), then one case at a time."""
    monkeypatch.setattr(table_mod, "BLOCK_BYTES", 64 * 1024)
    monkeypatch.setattr(timeparse, "_CACHE_MAX", 64)  # a bounded cache of dates, of no interest here
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    write_caseload(str(small), "csv", 100, 5)
    write_caseload(str(large), "csv", 400, 5)
    assert large.stat().st_size > 3 * small.stat().st_size > 12 * 64 * 1024
    (first_small, rest_small), (first_large, rest_large) = _peaks_reading(small, monkeypatch), _peaks_reading(large, monkeypatch)
    assert first_large < first_small + 256 * 1024, (first_small, first_large)
    assert rest_large < rest_small + 256 * 1024, (rest_small, rest_large)
