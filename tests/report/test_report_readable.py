"""The committee report reads well at every caseload: contrast, chart text, table semantics, honest words.

The issue's list of what a committee could not read, checked on the rendered HTML (the screenshots
are looked at by hand; these are the parts a machine can hold to).
"""

from __future__ import annotations

import io
import re

import pytest

from auditor.report import svg
from auditor.report.html import CSS, _heat, write_html
from benchmarks.generate import iter_cases


def luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def css_var(name: str) -> str:
    found = re.search(rf"--{name}:(#[0-9a-f]{{6}})", CSS)
    assert found, name
    return found.group(1)


@pytest.fixture(scope="module")
def html_of(rubric, report_of, audits_of):
    cache = {}

    def render(n: int, seed: int) -> str:
        if (n, seed) not in cache:
            _, report = report_of(audits_of(list(iter_cases(n, seed)), rubric), rubric)
            out = io.StringIO()
            write_html(report, out)
            cache[n, seed] = out.getvalue()
        return cache[n, seed]

    return render


def test_text_colours_reach_wcag_aa():
    white, band, rec = "#ffffff", css_var("band"), "#fdf3f2"
    pairs = [(css_var("ink"), white), (css_var("ink"), band), (css_var("muted"), white), (css_var("muted"), band),
             (css_var("bad"), white), (css_var("bad"), rec), (css_var("warn"), white),
             ("#1e5b37", "#e3f1e8"), ("#8a1f17", "#fdecea"), ("#7a4300", white), ("#2b4c7e", white),
             (svg.INK, white), (svg.MUTED, white), ("#ffffff", svg.WITHIN)]
    heat = re.search(r"#[0-9a-f]{6}", _heat(1.0))
    assert heat
    darkest_heat = heat.group(0)
    pairs.append((css_var("ink"), darkest_heat))
    for fg, bg in pairs:
        assert contrast(fg, bg) >= 4.5, (fg, bg, round(contrast(fg, bg), 2))
    assert contrast("#c77d00", white) < 4.5  # the old orange, for the record: the check can fail


@pytest.mark.parametrize("n, seed", [(16, 5), (300, 11)])
def test_chart_text_tables_and_legends(html_of, n, seed):
    html = html_of(n, seed)
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', html)]
    assert sizes and min(sizes) >= 12
    tables = re.findall(r"<table.*?</table>", html, flags=re.S)
    assert tables and all("<caption>" in t for t in tables)
    for t in tables:
        for row in re.findall(r"<tbody>(.*?)</tbody>", t, flags=re.S)[0].split("<tr")[1:]:
            assert re.match(r'[^>]*><th scope="row">', row), row[:80]
    assert "…" not in re.sub(r"<title.*?</title>", "", html)  # no label cut off
    assert html.count("below 20%") >= 1 and "weak, see Recommendations" in html  # the bar colours' legend
    assert "×" not in html  # no unexplained marker left


def test_small_caseload_says_what_is_withheld_and_why(html_of):
    html = html_of(16, 5)
    assert "How to read this report" in html and "Not shown:" in html
    assert "No step stands out" not in html
    assert "not a good result" in html  # "not rated" is not read as reassurance


def test_headline_is_shown_despite_an_unscored_case_and_trend_moves(rubric, report_of, audits_of, audits300):
    cases = list(iter_cases(300, 11))
    cases[0] = {**cases[0], "events": cases[0]["events"][:1]}  # a case with nothing judged yet
    _, report = report_of(audits_of(cases, rubric), rubric)
    assert report.fidelity.median is not None and report.fidelity.full_share is not None
    assert report.step_trend and any(len({x for x in s.rates if x is not None}) > 1 for s in report.step_trend)


def test_weakest_first_and_withheld_flagged_not_ranked_last(audits300, rubric, report_of):
    _, report = report_of(audits300, rubric)
    rated = [r for r in report.steps if r.rate is not None]
    assert rated[0].rate == max(r.rate for r in rated) > 0
    for rec in report.recommendations:
        rates = [n.rate for n in rec.rules if n.rate is not None]
        assert rates == sorted(rates, reverse=True)  # the worst rules of the step first
        thin = [n for n in rec.rules if n.rate is None]
        assert all(n.violated.value > 0 for n in thin)  # cited as "too few for a rate", with violations


def test_data_complete_never_after_report_made(html_of):
    html = html_of(40, 4)
    made = re.search(r"<dt>Report made</dt><dd>([^<]+)</dd>", html)
    complete = re.search(r"<dt>Data complete up to</dt><dd>([^<]+)</dd>", html)
    assert made and complete
    assert complete.group(1) <= made.group(1)
