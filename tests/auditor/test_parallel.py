"""``rtw-audit check --jobs N`` on one big grouped JSON Lines table: the same report as one process.

The size threshold is lowered so that a few hundred generated cases take the parallel path; every
test compares the parallel run with ``--jobs 1`` byte for byte (report, stderr, exit status), and
checks which path was taken, so a silent fall back to the serial path cannot pass for a parallel run.
"""

from __future__ import annotations

import io
import json
import math
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import parallel
from auditor.cli import main
from auditor.reading import table
from auditor.render.summary import RunSummary
from benchmarks import generate

N_CASES = 300


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("tables")
    grouped, interleaved = d / "grouped.jsonl", d / "interleaved.jsonl"
    generate.write_caseload(str(grouped), "jsonl", N_CASES, seed=5)
    generate.write_caseload(str(interleaved), "jsonl", N_CASES, seed=5, interleave_rows=True, window=20)
    # Grouped but for one row of the first case moved to the end: too little mixing for the parent's
    # look at the first block, so the workers' own comparison must find the case in two regions.
    straddling = d / "straddling.jsonl"
    lines = grouped.read_text(encoding="utf-8").splitlines(keepends=True)
    first_event = next(i for i, line in enumerate(lines) if '"at":' in line)
    straddling.write_text("".join(lines[:first_event] + lines[first_event + 1:] + [lines[first_event]]),
                          encoding="utf-8")
    return {"grouped": grouped, "interleaved": interleaved, "straddling": straddling}


@pytest.fixture
def low_threshold(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_BYTES", 1)


@pytest.fixture
def taken(monkeypatch) -> list[bool]:
    """One entry per parallel attempt: True if the workers' parts were used, False if it fell back."""
    seen: list[bool] = []
    real = parallel.audit_table

    def spy(*args, **kwargs):
        parts = real(*args, **kwargs)
        seen.append(parts is not None)
        return parts

    monkeypatch.setattr(parallel, "audit_table", spy)
    return seen


def run(capsys, tmp_path: Path, *argv: str, fmt: str = "json") -> tuple[int, bytes, str]:
    out = tmp_path / f"report.{fmt}"
    status = main(["check", *argv, "--format", fmt, "-o", str(out)])
    _, err = capsys.readouterr()
    data = out.read_bytes()
    out.unlink()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".rtw-audit-part-")]
    assert leftovers == [], "temporary parts were left behind"
    return status, data, err


def both(capsys, tmp_path, path: Path, *extra: str, fmt: str = "json", jobs: str = "2"):
    serial = run(capsys, tmp_path, str(path), "--jobs", "1", *extra, fmt=fmt)
    par = run(capsys, tmp_path, str(path), "--jobs", jobs, *extra, fmt=fmt)
    return serial, par


@pytest.mark.parametrize("fmt", ["json", "text", "markdown"])
def test_parallel_report_is_the_serial_report(capsys, tmp_path, tables, low_threshold, taken, fmt):
    serial, par = both(capsys, tmp_path, tables["grouped"], fmt=fmt)
    assert taken == [True]
    assert par == serial
    assert serial[0] == 1  # generated caseloads hold faults
    if fmt == "json":
        doc = json.loads(par[1])
        assert len(doc["cases"]) == N_CASES == doc["summary"]["cases"]
        ids = [c["case"] for c in doc["cases"]]
        assert ids == sorted(ids, key=lambda cid: int(cid.rsplit("-", 1)[1]))  # file order


@pytest.mark.parametrize("jobs", ["3", "7"])
def test_more_jobs_than_cores_is_still_the_serial_report(capsys, tmp_path, tables, low_threshold, taken, jobs):
    serial, par = both(capsys, tmp_path, tables["grouped"], jobs=jobs)
    assert taken == [True]
    assert par == serial


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_stdout_and_options(capsys, tables, low_threshold, taken, fmt):
    argv = ["check", str(tables["grouped"]), "--format", fmt, "--no-pending", "--fail-on", "never"]
    s_status = main(argv + ["--jobs", "1"])
    s_out, s_err = capsys.readouterr()
    p_status = main(argv + ["--jobs", "2"])
    p_out, p_err = capsys.readouterr()
    assert taken == [True]
    assert (p_status, p_out, p_err) == (s_status, s_out, s_err) == (0, s_out, "")
    assert s_out.startswith('{"cases": [\n{"case": ') if fmt == "json" else s_out.startswith("\ncase ")


def test_jobs_1_never_forks(capsys, tmp_path, tables, low_threshold, taken):
    status, data, _ = run(capsys, tmp_path, str(tables["grouped"]), "--jobs", "1")
    assert taken == [] and status == 1 and json.loads(data)["summary"]["cases"] == N_CASES


def test_small_tables_stay_serial(capsys, tmp_path, tables, taken):
    run(capsys, tmp_path, str(tables["grouped"]), "--jobs", "2")
    assert taken == []  # below the 16 MB threshold: no attempt at all


def test_interleaved_table_falls_back_to_the_serial_path(capsys, tmp_path, tables, low_threshold, taken):
    serial, par = both(capsys, tmp_path, tables["interleaved"])
    assert taken == [False]
    assert par == serial


def test_a_table_mixed_from_its_first_rows_is_never_cut(capsys, tmp_path, tables, low_threshold, taken, monkeypatch):
    """An export sorted by date mixes many cases in its first block: the parent sees it before
    forking anything, and the serial path audits the table once."""
    cut: list[Path] = []
    real = parallel._cuts

    def spy(path, *args):
        cut.append(path)
        return real(path, *args)

    monkeypatch.setattr(parallel, "_cuts", spy)
    serial, par = both(capsys, tmp_path, tables["interleaved"])
    assert taken == [False] and cut == [] and par == serial
    run(capsys, tmp_path, str(tables["straddling"]), "--jobs", "2")  # barely mixed: left to the workers
    assert cut == [tables["straddling"]]


def test_starts_interleaved_tells_mixed_tables_from_grouped_ones(tables):
    from auditor.reading import starts_interleaved

    assert starts_interleaved(tables["interleaved"])
    assert not starts_interleaved(tables["grouped"])
    assert not starts_interleaved(tables["straddling"])


def test_an_interleaved_table_is_found_out_before_any_case_is_audited(capsys, tmp_path, tables, low_threshold, taken,
                                                                      monkeypatch):
    """The workers compare the ids they hold right after the first pass: on a table whose cases are
    shared between regions, no worker audits anything (the serial path then audits it once)."""
    from auditor import engine

    marker = tmp_path / "audited-in-a-worker"
    real = engine.audit_items
    parent = os.getpid()

    def spy(*args, **kwargs):
        if os.getpid() != parent:
            marker.write_text("yes")
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "audit_items", spy)
    serial, par = both(capsys, tmp_path, tables["straddling"])
    assert taken == [False] and not marker.exists() and par == serial
    run(capsys, tmp_path, str(tables["grouped"]), "--jobs", "2")  # the spy does see a worker's audit
    assert taken == [False, True] and marker.exists()


def _edit(src: Path, dst: Path, edits: dict[int, str | None], inserts: dict[int, str] | None = None) -> None:
    """Copy ``src`` with some lines replaced (None: the line's ``at`` made impossible) or inserted."""
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    out = []
    for i, line in enumerate(lines):
        for text in (inserts or {}).get(i, "").splitlines(keepends=True):
            out.append(text)
        if i in edits:
            new = edits[i]
            if new is None:
                row = json.loads(line)
                row["at"] = "2025-02-30"
                new = json.dumps(row) + "\n"
            out.append(new)
        else:
            out.append(line)
    dst.write_text("".join(out), encoding="utf-8")


def _event_lines(path: Path, lo: float, hi: float) -> list[int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [i for i in range(int(len(lines) * lo), int(len(lines) * hi)) if '"at":' in lines[i]]


def test_input_errors_in_both_halves_are_reported_as_serially(capsys, tmp_path, tables, low_threshold, taken):
    src = tables["grouped"]
    bad = tmp_path / "bad.jsonl"
    early, late = _event_lines(src, 0.1, 0.2)[0], _event_lines(src, 0.8, 0.9)[3]
    _edit(src, bad, {early: None, late: None}, inserts={
        early + 5: '{"type": "contact", "at": "2025-01-01"}\n',  # no case: a file-wide error
        late + 7: "{not json\n",
    })
    serial, par = both(capsys, tmp_path, bad)
    assert taken == [True]
    assert par == serial
    status, data, err = par
    assert status == 2
    messages = [line for line in err.splitlines() if "input error" in line]
    assert len(messages) == 4
    # case errors in file order, then the file-wide ones, as the serial reader reports them
    assert "not a real date" in messages[0] and "not a real date" in messages[1]
    assert "needs a `case`" in messages[2]
    assert f":{late + 9}:" in messages[3]  # the line number counts the lines inserted in both halves
    assert json.loads(data)["input_errors"] == [m.split("input error: ", 1)[1] for m in messages]


def test_too_many_errors_fall_back_so_that_reading_stops_where_it_would(capsys, tmp_path, tables, low_threshold, taken):
    src = tables["grouped"]
    bad = tmp_path / "many.jsonl"
    # 30 bad rows in each half: each worker stays within the budget, the file as a whole does not
    lines = _event_lines(src, 0.2, 0.45)[::50][:30] + _event_lines(src, 0.55, 0.9)[::50][:30]
    assert len(lines) == 60
    _edit(src, bad, {i: None for i in lines})
    serial, par = both(capsys, tmp_path, bad)
    assert taken == [False]
    assert par == serial and "more than 50 problems" in par[2]


def test_as_of_before_events(capsys, tmp_path, tables, low_threshold, taken):
    serial, par = both(capsys, tmp_path, tables["grouped"], "--as-of", "2026-06-01")
    assert taken == [True]
    assert par == serial and par[0] == 2 and "--as-of 2026-06-01 is earlier" in par[2]


def test_mapping(capsys, tmp_path, tables, low_threshold, taken):
    renamed = tmp_path / "export.jsonl"
    renamed.write_text(tables["grouped"].read_text(encoding="utf-8").replace('{"case":', '{"dossier":'), encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("format: rtw-mapping/1\ncolumns:\n  dossier: case\n", encoding="utf-8")
    serial, par = both(capsys, tmp_path, renamed, "--mapping", str(mapping))
    assert taken == [True]
    assert par == serial and json.loads(par[1])["summary"]["cases"] == N_CASES


def test_a_failing_worker_falls_back_and_leaves_nothing(capsys, tmp_path, tables, low_threshold, taken, monkeypatch):
    import auditor.engine

    parent = os.getpid()
    real = auditor.engine.audit_case

    def broken(case, rubric, waivers=None):
        if os.getpid() != parent:
            raise RuntimeError("worker bug")
        return real(case, rubric, waivers)

    monkeypatch.setattr(auditor.engine, "audit_case", broken)
    serial, par = both(capsys, tmp_path, tables["grouped"])
    assert taken == [False]
    assert par == serial


def test_interrupt_removes_the_parts(capsys, tmp_path, tables, low_threshold, monkeypatch):
    def interrupted(self, out, part_prefix):
        raise KeyboardInterrupt

    monkeypatch.setattr(parallel.Parts, "write_bodies", interrupted)
    out = tmp_path / "report.json"
    assert main(["check", str(tables["grouped"]), "--jobs", "2", "--format", "json", "-o", str(out)]) == 130
    assert list(tmp_path.iterdir()) == []  # neither the parts nor the half-written report


def test_cuts_fall_on_case_boundaries(tables):
    path = tables["grouped"]
    data = path.read_bytes()
    key_of = table.case_key_function("case")
    for n in (2, 3, 5, 9):
        starts = parallel._cuts(path, len(data), n, key_of)
        assert starts[0] == 0 and starts == sorted(set(starts)) and len(starts) == n
        for s in starts[1:]:
            assert data[s - 1:s] == b"\n"
            before = data[:s - 1].rsplit(b"\n", 1)[-1]
            after = data[s:].split(b"\n", 1)[0]
            assert key_of(before) != key_of(after)


def test_write_bodies_to_a_text_only_stream(tmp_path):
    parts = []
    for i, text in enumerate(["", ',\n{"a": "é"}', ',\n{"b": 2}']):
        p = tmp_path / f"part{i}"
        p.write_text(text, encoding="utf-8")
        parts.append(str(p))
    out = io.StringIO()
    parallel.Parts(RunSummary(), False, [], parts).write_bodies(out, ",")
    assert out.getvalue() == '\n{"a": "é"},\n{"b": 2}'


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.fractions(0, 1, max_denominator=135).map(float)), max_size=60),
    st.data(),
)
def test_merged_summaries_equal_one_summary(values, data):
    """Summing fidelities in another order could change the mean's last bit; the exact sum does not."""
    cuts = sorted(data.draw(st.lists(st.integers(0, len(values)), max_size=3)))

    class Audit:
        def __init__(self, fidelity):
            self.fidelity = fidelity
            self.results = []

    whole = RunSummary()
    for v in values:
        whole.add(Audit(v))  # type: ignore[arg-type]  # only what add reads
    merged = RunSummary()
    for lo, hi in zip([0, *cuts], [*cuts, len(values)], strict=True):
        part = RunSummary()
        for v in values[lo:hi]:
            part.add(Audit(v))  # type: ignore[arg-type]
        merged.merge(part)
    assert merged.to_dict() == whole.to_dict()
    assert merged.fidelity_sum == whole.fidelity_sum  # to the last bit
    assert merged.fidelity_sum == math.fsum(v for v in values if v is not None)


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_waivers_in_a_parallel_run_are_the_serial_ones(capsys, tmp_path, tables, low_threshold, taken, fmt):
    """Waivers used in any worker count as used: no false "matched no finding" warning, and the
    report is the serial one."""
    _, data, _ = run(capsys, tmp_path, str(tables["grouped"]), "--jobs", "1", fmt="json")
    doc = json.loads(data)
    violated = [(c["case"], r["rule"]) for c in doc["cases"] for r in c["results"] if r["outcome"] == "violated"]
    picks = [violated[0], violated[len(violated) // 2], violated[-1], ("NO-SUCH-CASE", "RTW101")]
    waivers = tmp_path / "waivers.yaml"
    entries = [{"case": c, "rule": r, "justification": "Agreed.", "approved_by": "Lead"} for c, r in picks]
    waivers.write_text(json.dumps({"format": "rtw-waivers/1", "waivers": entries}), encoding="utf-8")
    taken.clear()
    serial, par = both(capsys, tmp_path, tables["grouped"], "--waivers", str(waivers), fmt=fmt)
    assert taken == [True]
    assert par == serial
    text = serial[1].decode("utf-8")
    assert text.count("matched no finding") == 1 and "waiver 4" in text
