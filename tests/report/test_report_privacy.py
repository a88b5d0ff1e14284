"""Safe to share: what a committee report may and may not contain, in every format.

Checked on the rendered outputs (not on the model), so a renderer that leaks is caught:
no case id, party name or note; no date finer than the month; every count 0, at least min_count or
withheld; no withheld count recoverable from the totals the report itself shows.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.report.csv_out import write_csv
from auditor.report.html import write_html
from auditor.report.json_out import write_json
from auditor.report.markdown import write_markdown
from benchmarks.generate import iter_cases

WRITERS = {"html": write_html, "markdown": write_markdown, "csv": write_csv, "json": write_json}
DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def render(report, fmt: str) -> str:
    out = io.StringIO()
    WRITERS[fmt](report, out)
    return out.getvalue()


def secrets(cases: list[dict]) -> set[str]:
    """Every case id, party name and note of the input (and their SECRET- markers)."""
    found = set()
    for c in cases:
        found.add(c["case"])
        for party in c["parties"].values():
            if "name" in party:
                found.add(party["name"])
                found.update(re.findall(r"SECRET-NAME-[\w-]+", party["name"]))
        for e in c["events"]:
            if "notes" in e:
                found.add(e["notes"])
                found.update(re.findall(r"SECRET-NOTE-[\w-]+", e["notes"]))
    return found


@pytest.fixture(scope="module", params=["cases300", "cases12"])
def caseload(request, rubric, report_of):
    cases = request.getfixturevalue(request.param)
    audits = request.getfixturevalue(request.param.replace("cases", "audits"))
    return cases, audits


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_no_case_id_name_note_or_day_in_a_committee_report(caseload, rubric, report_of, fmt):
    cases, audits = caseload
    _, report = report_of(audits, rubric)
    text = render(report, fmt)
    leaked = [s for s in secrets(cases) if s in text]
    assert not leaked, leaked[:5]
    assert "SECRET" not in text
    assert not DAY.findall(text), DAY.findall(text)[:5]
    assert "committee" in text  # it says whom it was made for


def test_the_check_can_fail_coordinator_reports_list_case_ids(cases300, audits300, rubric, report_of):
    _, report = report_of(audits300, rubric, audience="coordinator")
    text = render(report, "html")
    assert any(c["case"] in text for c in cases300)
    assert "coordinator" in text
    assert not any(s in text for s in secrets(cases300) if "SECRET" in s)  # names and notes: never


def test_a_day_precise_period_is_shown_to_the_month(audits300, rubric, report_of):
    _, report = report_of(audits300, rubric, start_from=date(2025, 1, 15), start_to=date(2025, 11, 20))
    for fmt in WRITERS:
        text = render(report, fmt)
        assert not DAY.findall(text)
    assert report.period_from == "2025-01" and report.period_to == "2025-11"


# ---------------------------------------------------------------------- counts in JSON
def json_tables(data: dict):
    """(cells, equations) rebuilt from a JSON report: every count, every sum the report shows."""
    cells: dict[tuple, int | None] = {("N",): data["cases"]}
    eqs: list[tuple[tuple, list[tuple]]] = []
    ov = data["overview"]
    cols = [k for k in ov["all"] if k != "all"]
    for row, values in ov["rows"].items():
        for col in cols:
            cells[("status", row, col)] = values[col]
        cells[("status", row, "all")] = values["all"]
        eqs.append((("status", row, "all"), [("status", row, col) for col in cols]))
    for col in cols:
        cells[("status", "all", col)] = ov["all"][col]
        eqs.append((("status", "all", col), [("status", row, col) for row in ov["rows"]]))
    cells[("status", "all", "all")] = ov["all"]["all"]
    eqs.append((("N",), [("status", "all", "all")]))
    eqs.append((("N",), [("status", "all", col) for col in cols]))
    eqs.append((("N",), [("status", row, "all") for row in ov["rows"]]))
    for kind, key in (("rules", "code"), ("steps", "step")):
        for row in data[kind]:
            k = (kind, row[key])
            for o in ("applied", "satisfied", "violated", "pending", "not_applicable"):
                cells[k + (o,)] = row[o]
            eqs.append((k + ("applied",), [k + ("satisfied",), k + ("violated",), k + ("pending",)]))
            eqs.append((("N",), [k + ("applied",), k + ("not_applicable",)]))
    f = data["fidelity"]
    for i, b in enumerate(f["bins"]):
        cells[("fid", i)] = b["cases"]
    cells[("fid", "scored")] = f["scored"]
    cells[("fid", "none")] = f["no_score"]
    eqs.append((("fid", "scored"), [("fid", i) for i in range(len(f["bins"]))]))
    eqs.append((("N",), [("fid", "scored"), ("fid", "none")]))
    t = data["trend"]
    for p in t["periods"]:
        for col in ("cases", "with_error_violation", "without_error_violation"):
            cells[("trend", p["period"], col)] = p[col]
        eqs.append((("trend", p["period"], "cases"),
                    [("trend", p["period"], "with_error_violation"), ("trend", p["period"], "without_error_violation")]))
    for col in ("cases", "with_error_violation", "without_error_violation"):
        cells[("trend", "all", col)] = t["all"][col]
        eqs.append((("trend", "all", col), [("trend", p["period"], col) for p in t["periods"]]))
    eqs.append((("N",), [("trend", "all", "cases")]))
    for tm in data["timings"]:
        cells[("timing", tm["timing"])] = tm["cases"]
    return cells, eqs


def determined_unknowns(cells, eqs) -> set:
    """Unknown (null) cells whose value follows linearly from the known ones (Gauss-Jordan)."""
    unknown = sorted({k for k, v in cells.items() if v is None}, key=repr)
    idx = {k: i for i, k in enumerate(unknown)}
    rows = []
    for total, parts in eqs:
        row = [Fraction(0)] * len(unknown)
        for k, c in [(total, -1)] + [(p, 1) for p in parts]:
            if k in idx:
                row[idx[k]] += c
        if any(row):
            rows.append(row)
    r, pivots = 0, []
    for col in range(len(unknown)):
        piv = next((i for i in range(r, len(rows)) if rows[i][col]), None)
        if piv is None:
            continue
        rows[r], rows[piv] = rows[piv], rows[r]
        inv = 1 / rows[r][col]
        rows[r] = [x * inv for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col]:
                f = rows[i][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r])]
        pivots.append(col)
        r += 1
    return {unknown[c] for i, c in enumerate(pivots) if sum(1 for x in rows[i] if x) == 1}


@pytest.mark.parametrize("min_count", [5, 8])
def test_json_counts_are_zero_large_or_null_and_none_can_be_recomputed(caseload, rubric, report_of, min_count):
    _, audits = caseload
    _, report = report_of(audits, rubric, min_count=min_count)
    data = json.loads(render(report, "json"))
    assert data["audience"] == "committee" and data["suppression"]["min_count"] == min_count
    cells, eqs = json_tables(data)
    for key, value in cells.items():
        assert value is None or value == 0 or value >= min_count, (key, value)
    # the sums hold for the values shown (the table is self-consistent) ...
    for total, parts in eqs:
        values = [cells[total]] + [cells[p] for p in parts]
        if None not in values:
            assert cells[total] == sum(cells[p] for p in parts), total
        # ... and no sum has exactly one unknown: subtraction from a row or column total
        assert [v is None for v in values].count(True) != 1, (total, parts)
    # nor does any combination of the sums give an unknown away
    assert not determined_unknowns(cells, eqs)
    assert any(v is None for v in cells.values())  # there was something to protect


def test_withheld_counts_carry_no_statistics(caseload, rubric, report_of):
    _, audits = caseload
    _, report = report_of(audits, rubric)
    data = json.loads(render(report, "json"))
    for row in data["rules"] + data["steps"]:
        if row["violation_rate"] is not None:
            assert row["violated"] is not None
    for p in data["trend"]["periods"]:
        if p["cases"] is None:
            assert p["mean_fidelity"] is None
        if p["with_error_violation"] is None or p["without_error_violation"] is None:
            assert p["share_with_error_violation"] is None
    for t in data["timings"]:
        if t["cases"] is None and t["median_days"] is not None:
            # a complement (not a small count): the truth is at least min_count
            assert t["min_days"] is not None


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(n=st.integers(1, 40), seed=st.integers(0, 10_000), min_count=st.sampled_from([5, 5, 6, 10]),
       by=st.sampled_from(["quarter", "month"]))
def test_small_generated_caseloads_are_always_protected(rubric, report_of, audits_of, n, seed, min_count, by):
    # Small caseloads are where nearly every count is small and the sums are tight.
    audits = audits_of(list(iter_cases(n, seed)), rubric)
    _, report = report_of(audits, rubric, min_count=min_count, by=by)  # never refuses
    data = json.loads(render(report, "json"))
    cells, eqs = json_tables(data)
    for key, value in cells.items():
        assert value is None or value == 0 or value >= min_count, (key, value)
    for total, parts in eqs:
        assert [cells[k] is None for k in [total, *parts]].count(True) != 1, (total, parts)
    assert not determined_unknowns(cells, eqs)


# ---------------------------------------------------------------------- counts in Markdown, CSV, HTML
def markdown_cells(text: str) -> list[str]:
    cells = []
    for line in text.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            cells += [c.strip() for c in line.strip("|").split("|")]
    return cells


def test_markdown_and_csv_counts_are_zero_large_or_marked(caseload, rubric, report_of):
    _, audits = caseload
    _, report = report_of(audits, rubric)
    md = markdown_cells(render(report, "markdown"))
    numbers = [c for c in md if re.fullmatch(r"\d+", c)]
    assert numbers
    assert all(int(c) == 0 or int(c) >= 5 for c in numbers), [c for c in numbers if 0 < int(c) < 5]
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert len(rows) == len(report.rules)
    for row in rows:
        assert row["audience"] == "committee"
        for k in ("applied", "satisfied", "violated", "pending", "not_applicable"):
            assert row[k] in ("<5", "x") or int(row[k]) == 0 or int(row[k]) >= 5


def test_html_table_counts_are_zero_large_or_marked(caseload, rubric, report_of):
    _, audits = caseload
    _, report = report_of(audits, rubric)
    html = render(report, "html")
    cells = re.findall(r'<td class="num[^"]*"[^>]*>([^<]*)</td>', html)
    assert cells
    for c in cells:
        if re.fullmatch(r"\d+", c):
            assert int(c) == 0 or int(c) >= 5, c
        else:
            assert c in ("&lt;5", "×", "—") or c.endswith(("%", "days")), c
    # counts in the headline cards and in the charts' labels too
    for c in re.findall(r'<div class="n">([^<]*)</div>', html):
        assert not re.fullmatch(r"[1-4]", c), c
    for c in re.findall(r"<text[^>]*>(\d+)</text>", html):
        assert int(c) == 0 or int(c) >= 5, c


# ---------------------------------------------------------------------- self-contained HTML
@pytest.mark.parametrize("audience", ["committee", "coordinator"])
def test_html_is_self_contained(audits300, rubric, report_of, audience):
    _, report = report_of(audits300, rubric, audience=audience)
    html = render(report, "html")
    lowered = html.lower()
    assert "<script" not in lowered
    assert "http://" not in lowered and "https://" not in lowered and "//" not in re.sub(r"<!--.*?-->", "", lowered).replace("://", "")
    for forbidden in ("<link", "<img", "<iframe", "<object", "<embed", "@import", " src=", "href=", "<base"):
        assert forbidden not in lowered, forbidden
    assert all(u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", html))
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert html.count("<svg") >= 4
    assert "@media print" in html
