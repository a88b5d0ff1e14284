"""Safe to share: what a committee report may and may not contain, in every format.

Checked on the rendered outputs (not on the model), so a renderer that leaks is caught:
no case id, party name or note; no date finer than the month and no single month at the ends of the
period; every count a multiple of the rounding base; no minimum, maximum or range of a group.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest

from auditor.report.csv_out import write_csv
from auditor.report.html import write_html
from auditor.report.json_out import write_json
from auditor.report.markdown import write_markdown

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


@pytest.fixture(scope="module", params=["cases300", "cases16"])
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


def test_a_day_precise_period_is_shown_by_whole_quarters(audits300, rubric, report_of):
    _, report = report_of(audits300, rubric, start_from=date(2025, 1, 15), start_to=date(2025, 11, 20))
    for fmt in WRITERS:
        text = render(report, fmt)
        assert not DAY.findall(text)
        assert "2025-11" not in text and "2025-01" not in text  # no single month at either end
    assert report.period_from == "2025-Q1" and report.period_to == "2025-Q4"


def test_the_header_names_no_single_month_of_the_first_or_last_case(audits300, rubric, report_of):
    agg, report = report_of(audits300, rubric)
    first, last = agg.first_start.isoformat()[:7], agg.last_start.isoformat()[:7]
    for fmt in WRITERS:
        text = render(report, fmt).replace(report.data_to, "")  # the export month (the same for every case)
        assert first not in text and last not in text, fmt
    assert report.period_from.endswith(("Q1", "Q2", "Q3", "Q4"))


def test_data_complete_up_to_is_never_after_report_made(audits300, rubric, report_of):
    _, report = report_of(audits300, rubric, today=date(2026, 3, 10))  # the logs run to 2026-06
    assert report.data_to == "2026-03" and report.generated == "2026-03"
    assert any("after the day this report was made" in n for n in report.notes)
    _, later = report_of(audits300, rubric, today=date(2026, 12, 1))
    assert later.data_to == "2026-06" <= later.generated


# ---------------------------------------------------------------------- counts in every format
def markdown_cells(text: str) -> list[str]:
    cells = []
    for line in text.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            cells += [c.strip() for c in line.strip("|").split("|")]
    return cells


def json_counts(data) -> list[int]:
    """Every count of a JSON report (keys that hold counts, wherever they are)."""
    found = []
    count_keys = {"cases", "satisfied", "violated", "pending", "not_applicable", "waived", "decided", "scored",
                  "no_score", "with_error_violation", "without_error_violation", "early", "within", "late",
                  "open", "closed", "all"}

    def walk(x, key=None):
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, k)
        elif isinstance(x, list):
            for v in x:
                walk(v, key)
        elif isinstance(x, int) and not isinstance(x, bool) and key in count_keys:
            found.append(x)

    walk(data)
    return found


def test_every_count_in_every_format_is_a_multiple_of_the_base(caseload, rubric, report_of):
    _, audits = caseload
    _, report = report_of(audits, rubric)
    counts = json_counts(json.loads(render(report, "json")))
    assert len(counts) > 100 and all(c % 5 == 0 for c in counts), [c for c in counts if c % 5][:5]
    md = [c for c in markdown_cells(render(report, "markdown")) if re.fullmatch(r"\d+", c)]
    assert md and all(int(c) % 5 == 0 for c in md)
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert len(rows) == len(report.rules)
    for row in rows:
        assert row["audience"] == "committee" and row["rounding_base"] == "5"
        for k in ("satisfied", "violated", "pending", "not_applicable", "waived", "decided"):
            assert int(row[k]) % 5 == 0
    html = render(report, "html")
    cells = re.findall(r'<td class="num[^"]*"[^>]*>([^<]*)</td>', html)
    for c in cells:
        if re.fullmatch(r"\d+", c):
            assert int(c) % 5 == 0, c
        else:
            assert c in ("—", "not rated") or c.endswith(("%", "days")) or "%" in c, c
    for c in re.findall(r"<text[^>]*>(\d+)</text>", html):  # chart labels: counts and axis ticks
        assert int(c) % 5 == 0, c
    for c in re.findall(r'<div class="n">(\d+)</div>', html):
        assert int(c) % 5 == 0, c


def test_no_minimum_maximum_or_range_of_a_group_is_shown(caseload, rubric, report_of):
    _, audits = caseload
    _, report = report_of(audits, rubric)
    data = json.loads(render(report, "json"))
    for t in data["timings"]:
        assert "min_days" not in t and "max_days" not in t
        for v in [t["median_days"]] + (t["quartiles_days"] or []):
            assert v is None or v % 5 == 0
    f = data["fidelity"]
    for v in [f["median"]] + (f["quartiles"] or []):
        assert v is None or round(v * 100) % 5 == 0
    for p in data["trend"]["periods"]:
        assert p["mean_fidelity"] is None or p["scored"] >= data["protection"]["threshold"]
    text = render(report, "html") + render(report, "markdown")
    assert not re.search(r"\d+ – \d+ days", text)  # the old "2 – 8 days" range


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
