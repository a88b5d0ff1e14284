"""``rtw-audit report`` on one big grouped JSON Lines table counts it in worker processes, as ``check``
audits it: the report must be the serial one byte for byte, in every format and audience, and whatever
could make it differ (an interleaved table, an input problem) must fall back to the serial path."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import parallel
from auditor.cli import main
from auditor.engine import audit_case
from auditor.reading import read_case_text
from auditor.report import aggregate as aggregate_mod
from auditor.report.aggregate import Aggregate
from auditor.rubric import load_rubric
from benchmarks import generate

SETTINGS = 'format: rtw-committee-settings/1\nkey: "a key for the parallel report tests"\n'
RUBRIC = load_rubric()


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("report-tables")
    grouped, interleaved = d / "grouped.jsonl", d / "interleaved.jsonl"
    generate.write_caseload(str(grouped), "jsonl", 300, seed=7)
    generate.write_caseload(str(interleaved), "jsonl", 300, seed=7, interleave_rows=True, window=20)
    (d / "rtw-committee.yaml").write_text(SETTINGS, encoding="utf-8")
    return {"grouped": grouped, "interleaved": interleaved}


@pytest.fixture
def taken(monkeypatch) -> list[bool]:
    """With the size threshold lowered and two jobs: one entry per parallel attempt, True when the
    workers' counts were used."""
    monkeypatch.setattr(parallel, "MIN_BYTES", 1)
    monkeypatch.setattr(parallel, "default_jobs", lambda: 2)
    seen: list[bool] = []
    real = parallel.region_results

    def spy(*args, **kwargs):
        got = real(*args, **kwargs)
        seen.append(got is not None)
        return got

    monkeypatch.setattr(parallel, "region_results", spy)
    return seen


def report(capsys, path: Path, out: Path, *extra: str) -> tuple[int, bytes, str]:
    status = main(["report", str(path), "-o", str(out), *extra])
    err = capsys.readouterr().err
    data = out.read_bytes() if out.exists() else b""
    if out.exists():
        out.unlink()
    return status, data, err


def serial_and_parallel(capsys, monkeypatch, taken, path: Path, out: Path, *extra: str):
    par = report(capsys, path, out, *extra)
    with monkeypatch.context() as m:
        m.setattr(parallel, "MIN_BYTES", 1 << 62)  # the serial path
        serial = report(capsys, path, out, *extra)
    return serial, par


@pytest.mark.parametrize("audience", ["committee", "coordinator"])
@pytest.mark.parametrize("fmt", ["json", "html", "markdown", "csv"])
def test_parallel_report_is_the_serial_report(capsys, monkeypatch, tmp_path, tables, taken, audience, fmt):
    serial, par = serial_and_parallel(capsys, monkeypatch, taken, tables["grouped"], tmp_path / f"r.{fmt}",
                                      "--format", fmt, "--audience", audience)
    assert taken == [True]
    assert serial[0] == 0 and serial[1]
    assert par == serial


def test_period_filter_in_a_parallel_report(capsys, monkeypatch, tmp_path, tables, taken):
    serial, par = serial_and_parallel(capsys, monkeypatch, taken, tables["grouped"], tmp_path / "r.json",
                                      "--format", "json", "--audience", "coordinator", "--from", "2025-10",
                                      "--to", "2026-03")
    assert taken == [True] and par == serial and serial[0] == 0


def test_an_interleaved_table_is_reported_serially(capsys, monkeypatch, tmp_path, tables, taken):
    serial, par = serial_and_parallel(capsys, monkeypatch, taken, tables["interleaved"], tmp_path / "r.json",
                                      "--format", "json")
    assert taken == [False] and par == serial and serial[0] == 0


def test_input_problems_fall_back_to_the_serial_report(capsys, monkeypatch, tmp_path, tables, taken):
    lines = tables["grouped"].read_text(encoding="utf-8").splitlines(keepends=True)
    late = next(i for i in range(len(lines) * 3 // 4, len(lines)) if '"at":' in lines[i])
    row = json.loads(lines[late])
    row["at"] = "2025-02-30"
    lines[late] = json.dumps(row) + "\n"
    bad = tables["grouped"].parent / "bad.jsonl"
    bad.write_text("".join(lines), encoding="utf-8")
    serial, par = serial_and_parallel(capsys, monkeypatch, taken, bad, tmp_path / "r.json", "--format", "json")
    assert taken == [False] and par == serial
    assert serial[0] == 2 and serial[1] == b"" and "not a real date" in serial[2]


def test_every_count_of_an_aggregate_is_merged():
    config = {"rubric", "by", "start_from", "start_to", "keep_cases"}
    counted = {f.name for f in dataclasses.fields(Aggregate)} - config
    assert counted == set(aggregate_mod._MERGED)


AUDITS = [
    audit_case(read_case_text(json.dumps(c).encode(), f"{c['case']}.json", "json"), RUBRIC)
    for c in generate.iter_cases(60, seed=3)
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, len(AUDITS)), max_size=4), st.booleans(),
       st.sampled_from(["quarter", "month", "year"]))
def test_merged_regions_count_as_one_pass(cut_points, keep_cases, by):
    """However the caseload is cut into regions, merging their aggregates gives the aggregate of one pass."""
    whole = Aggregate(RUBRIC, by=by, keep_cases=keep_cases)
    for a in AUDITS:
        whole.add(a)
    cuts = [0, *sorted(cut_points), len(AUDITS)]
    merged = whole.empty_copy()
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        region = whole.empty_copy()
        for a in AUDITS[lo:hi]:
            region.add(a)
        merged.merge(region.result())
    assert merged.result() == whole.result()
