"""The report as one self-contained HTML file: inline CSS and SVG, no script, nothing fetched.

Why this shape: a committee member opens it from an e-mail or a shared drive, often offline, and
prints it for the meeting. So: one file, system fonts, charts as inline SVG, a print stylesheet that
keeps tables and charts whole on A4, and no JavaScript at all (nothing to block, nothing to leak).
Every text comes from the report record and is escaped.
"""

from __future__ import annotations

from html import escape
from typing import TextIO

from . import svg
from .model import COL_LABELS, Count, OutcomeRow, Report, step_heading, step_label

CSS = """
:root { --ink:#1f2933; --muted:#616e7c; --line:#d9dee3; --bad:#b83227; --good:#2f7d4f; --warn:#c77d00;
        --band:#f5f7fa; --accent:#2b4c7e; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: var(--ink); background: #fff;
       font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 19px; margin: 36px 0 6px; padding-bottom: 4px; border-bottom: 2px solid var(--accent); }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.lead, p.explain { color: var(--muted); margin: 4px 0 12px; max-width: 860px; }
.audience { display: inline-block; padding: 6px 12px; border-radius: 4px; font-weight: 600; margin: 10px 0 6px; }
.audience.committee { background: #e3f1e8; color: #1e5b37; border: 1px solid #a9d3b8; }
.audience.coordinator { background: #fdecea; color: #8a1f17; border: 1px solid #f1b0a9; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0 0; font-size: 14px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin: 14px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: var(--band); }
.card .n { font-size: 26px; font-weight: 700; font-variant-numeric: tabular-nums; }
.card .l { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; font-size: 13.5px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
td .sub { display: block; color: var(--muted); font-size: 12px; }
.sup { color: var(--muted); font-style: italic; }
.sev { font-size: 11px; padding: 1px 6px; border-radius: 8px; white-space: nowrap; }
.sev.error { background: #fdecea; color: #8a1f17; } .sev.warning { background: #fff4de; color: #7a4d00; }
.sev.info { background: #e8eef7; color: #2b4c7e; }
.step { font-size: 11px; color: var(--muted); white-space: nowrap; }
table.outcomes th.what { width: 46%; }
.rate { display: inline-block; min-width: 42px; }
.rate.bad { color: var(--bad); font-weight: 700; } .rate.warn { color: var(--warn); font-weight: 600; }
.bar { display: inline-block; height: 8px; background: var(--bad); border-radius: 2px; vertical-align: middle; margin-left: 4px; }
.rec { border-left: 4px solid var(--bad); background: #fff8f7; padding: 10px 14px; margin: 10px 0; border-radius: 0 6px 6px 0; }
.rec h3 { margin: 0 0 4px; }
.rec p { margin: 4px 0; }
.rec ul { margin: 4px 0 0 18px; padding: 0; }
.chart { display: block; margin: 8px 0 6px; font-family: inherit; }
.legend { font-size: 13px; color: var(--muted); }
footer { margin-top: 40px; padding-top: 12px; border-top: 1px solid var(--line); font-size: 13px; color: var(--muted); }
code { font-size: 12.5px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; margin-top: 20px; }
  p.explain { break-after: avoid; page-break-after: avoid; }
  .rec, svg, .cards, tr, header, .keep { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  table { font-size: 8.5pt; }
  th, td { padding: 3px 5px; }
  td .sub { font-size: 7.5pt; }
  table.outcomes th.what { width: 58%; }
  .audience { border-width: 2px; }
}
"""


def _pct(x: float | None, digits: int = 0) -> str:
    return "—" if x is None else f"{x * 100:.{digits}f}%"


class HtmlWriter:
    def __init__(self, report: Report) -> None:
        self.r = report
        self.parts: list[str] = []

    # ------------------------------------------------------------------ helpers
    def w(self, *text: str) -> None:
        self.parts.extend(text)

    def num(self, count: Count) -> str:
        if count.shown:
            return f'<td class="num">{count.value}</td>'
        title = (f"from 1 to {self.r.min_count - 1} cases" if count.flag == "small"
                 else "withheld so that no small count can be worked out; it may be any number")
        return f'<td class="num sup" title="{escape(title)}">{escape(svg.marker(count, self.r.min_count))}</td>'

    def big(self, count: Count) -> str:
        return escape(svg.marker(count, self.r.min_count))

    def rate_cell(self, rate: float | None) -> str:
        if rate is None:
            return '<td class="num sup">—</td>'
        cls = "bad" if rate >= 0.2 else ("warn" if rate >= 0.1 else "")
        width = max(1, round(rate * 60)) if rate > 0 else 0
        bar = f'<span class="bar" style="width:{width}px"></span>' if width else ""
        return f'<td class="num"><span class="rate {cls}">{_pct(rate)}</span>{bar}</td>'

    # ------------------------------------------------------------------ page
    def render(self) -> str:
        r = self.r
        title = "Return-to-work process fidelity report"
        self.w("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
               '<meta name="viewport" content="width=device-width, initial-scale=1">',
               '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">',
               '<meta name="referrer" content="no-referrer">',
               f"<title>{escape(title)}</title><style>{CSS}</style></head><body><main>")
        self.header(title)
        self.summary()
        self.steps()
        self.recommendations()
        self.rules()
        self.fidelity()
        self.trend()
        self.timings()
        if r.case_entries is not None:
            self.cases()
        self.footer()
        self.w("</main></body></html>\n")
        return "".join(self.parts)

    def header(self, title: str) -> None:
        r = self.r
        self.w(f"<header><h1>{escape(title)}</h1>")
        if r.committee:
            self.w('<div class="audience committee">Made for the implementation committee — safe to share: '
                   "no case ids, no names, no notes; dates to the month; counts under "
                   f"{r.min_count} withheld.</div>")
        else:
            self.w('<div class="audience coordinator">Made for the coordinator — lists case ids for your own '
                   "follow-up. Do not share; run it with <code>--audience committee</code> for the committee.</div>")
        period = f"{r.period_from or '…'} to {r.period_to or '…'}" if (r.period_from or r.period_to) else "all cases"
        meta = [
            ("Cases", self.big(r.cases)),
            ("Process started", escape(period)),
            ("Grouped by", "quarter" if r.by == "quarter" else "month"),
            ("Data complete up to", escape(r.as_of or "—")),
            ("Reference framework", escape(r.rubric)),
            ("Report made", escape(r.generated)),
            ("Audience", escape(r.audience)),
        ]
        self.w('<dl class="meta">', *(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in meta), "</dl></header>")

    def summary(self) -> None:
        r = self.r
        ov = r.overview
        rows = {key: total for key, _, _, total in ov.rows}
        med = r.fidelity.median
        self.w('<section><h2>At a glance</h2>',
               '<p class="explain">Where the cases stand at the end of the data. A case counts once: '
               '“back at work” if the worker returned, else by whether they declined or withdrew.</p>',
               '<div class="cards">')
        for label, value in (
            ("cases", self.big(r.cases)),
            ("closed", self.big(ov.col_totals["closed"])),
            ("back at work", self.big(rows["returned"])),
            ("declined", self.big(rows["declined"])),
            ("withdrew", self.big(rows["withdrew"])),
            ("median fidelity", _pct(med)),
        ):
            self.w(f'<div class="card"><div class="n">{value}</div><div class="l">{label}</div></div>')
        self.w("</div>")
        cols = list(ov.col_totals)
        self.w("<table><thead><tr><th>Where the case stands</th>",
               *(f'<th class="num">{COL_LABELS[c]}</th>' for c in cols), '<th class="num">All</th></tr></thead><tbody>')
        for _, label, cells, total in ov.rows:
            self.w(f"<tr><td>{escape(label)}</td>", *(self.num(cells[c]) for c in cols), self.num(total), "</tr>")
        self.w('<tr class="total"><td>All cases</td>', *(self.num(ov.col_totals[c]) for c in cols), self.num(ov.total),
               "</tr></tbody></table></section>")

    def _outcome_table(self, rows: list[OutcomeRow], first: str, rules: bool) -> None:
        self.w('<table class="outcomes"><thead><tr>', f'<th class="what">{first}</th>')
        self.w('<th class="num">Applied</th><th class="num">Satisfied</th><th class="num">Violated</th>'
               '<th class="num">Pending</th><th class="num">Not appl.</th><th class="num">Violation rate</th>'
               "</tr></thead><tbody>")
        for row in rows:
            if rules:
                sev = escape(row.severity or "")
                self.w(f"<tr><td><b>{escape(row.key)}</b> {escape(row.label)} <span class=\"sev {sev}\">{sev}</span> "
                       f"<span class=\"step\">{escape(step_label(row.step).lower())}</span>"
                       f"<span class=\"sub\">{escape(row.title)}</span></td>")
            else:
                if row.title.lower().startswith(row.label.lower()):
                    self.w(f"<tr><td><b>{escape(row.title)}</b></td>")
                else:
                    self.w(f"<tr><td><b>{escape(row.label)}</b><span class=\"sub\">{escape(row.title)}</span></td>")
            self.w(self.num(row.applied), self.num(row.satisfied), self.num(row.violated), self.num(row.pending),
                   self.num(row.not_applicable), self.rate_cell(row.rate), "</tr>")
        self.w("</tbody></table>")

    def steps(self) -> None:
        r = self.r
        self.w('<section><div class="keep"><h2>Where the process breaks</h2>',
               '<p class="explain">For each step of the guide, the share of cases where the step was judged '
               '(satisfied or violated) and at least one of its rules was violated. A case is <i>pending</i> when a '
               'window is still open at the end of the data. Steps are ranked from the weakest.</p>')
        rows = [(row.label, _short(row.title, 52), row.rate) for row in r.steps]
        self.w(svg.rate_bars("steps", rows, title="Violation rate by step",
                             desc="Share of judged cases in which at least one rule of the step was violated, by step."), "</div>")
        self._outcome_table(r.steps, "Step", rules=False)
        self.w("</section>")

    def recommendations(self) -> None:
        r = self.r
        self.w('<section><h2>Recommendations</h2>')
        if not r.recommendations:
            self.w('<p class="explain">No step stands out: no published violation rate is high enough to call for a '
                   "recommendation.</p></section>")
            return
        self.w('<p class="explain">The weakest steps (a violation rate of 20% or more, or among the three worst), '
               "with the reference framework's advice and the rules most often broken.</p>")
        for rec in r.recommendations:
            self.w(f'<div class="rec"><h3>{escape(step_heading(rec.label, rec.title))} '
                   f'<span class="rate bad">({_pct(rec.rate)} of judged cases)</span></h3>',
                   f"<p>{escape(rec.text)}</p>")
            if rec.rules:
                self.w("<ul>")
                for note in rec.rules:
                    self.w(f"<li><b>{escape(note.code)}</b> {escape(note.name)} — violated in {_pct(note.rate)} of "
                           f"judged cases: {escape(note.summary)}</li>")
                self.w("</ul>")
            self.w("</div>")
        self.w("</section>")

    def rules(self) -> None:
        self.w('<section class="long"><h2>Every rule, ranked</h2>',
               '<p class="explain">Violation rate = violated ÷ (satisfied + violated): pending cases are not yet judged. '
               "Rules whose rate cannot be shown (a withheld count) come last, in the order of the guide.</p>")
        self._outcome_table(self.r.rules, "Rule", rules=True)
        self.w("</section>")

    def fidelity(self) -> None:
        f = self.r.fidelity
        q = f.quartiles
        self.w('<section class="keep"><h2>Fidelity per case</h2>',
               '<p class="explain">A case’s fidelity is the share of its judged rules that were kept, weighted by '
               "severity (must 3, should 2, good practice 1). ",
               f"Median {_pct(f.median)}" + (f", half the cases between {_pct(q[0])} and {_pct(q[1])}" if q else ""),
               f". Cases with nothing judged yet have no score: {self.big(f.no_score)}.</p>")
        self.w(svg.histogram("fid", f.bins, self.r.min_count, title="Distribution of fidelity per case",
                             desc="Number of cases in each band of fidelity."))
        self.w("</section>")

    def trend(self) -> None:
        r = self.r
        unit = "quarter" if r.by == "quarter" else "month"
        labels = [t.label if t.key != "none" else "no start" for t in r.trend]
        self.w(f'<section><div class="keep"><h2>Change over time (by {unit} of process start)</h2>',
               '<p class="explain">Cases are placed in the period their process started (the file forwarded to the '
               "coordinator). Recent periods have more pending windows and open cases.</p>")
        self.w(svg.count_bars("trend-n", labels, [t.cases for t in r.trend], r.min_count,
                              title=f"Cases by {unit} of process start", desc=f"Number of cases whose process started in each {unit}."),
               "</div>")
        self.w(svg.trend_chart("trend", labels, [
            ("mean fidelity", svg.GOOD, [t.mean_fidelity for t in r.trend]),
            ("cases with a ‘must’ rule violated", svg.BAD, [t.share_with_error for t in r.trend]),
        ], title=f"Fidelity by {unit}", desc=f"Mean fidelity and share of cases with an error-level violation, by {unit}."))
        self.w(f"<table><thead><tr><th>{unit.capitalize()}</th><th class=\"num\">Cases</th>"
               '<th class="num">With a “must” rule violated</th><th class="num">Without</th>'
               '<th class="num">Share with</th><th class="num">Median fidelity</th><th class="num">Mean fidelity</th>'
               "</tr></thead><tbody>")
        for t in r.trend + [r.trend_total]:
            cls = ' class="total"' if t.key == "*" else ""
            self.w(f"<tr{cls}><td>{escape(t.label)}</td>", self.num(t.cases), self.num(t.with_error), self.num(t.without_error),
                   f'<td class="num">{_pct(t.share_with_error)}</td><td class="num">{_pct(t.median_fidelity)}</td>'
                   f'<td class="num">{_pct(t.mean_fidelity, 1)}</td></tr>')
        self.w("</tbody></table></section>")

    def timings(self) -> None:
        r = self.r
        self.w('<section><div class="keep"><h2>Timings the guides care about</h2>',
               '<p class="explain">Calendar days, median and range (shortest – longest). The shaded band is the '
               "reference framework's target.</p>")
        rows = []
        for t in r.timings:
            rows.append((t.short, t.median, t.low, t.high, t.target_days))
        self.w(svg.range_chart("timings", rows, title="Timings in days", desc="Median and range of each timing, in days.",
                               label_width=210), "</div>")
        self.w('<table><thead><tr><th>Timing</th><th class="num">Cases</th><th class="num">Median</th>'
               '<th class="num">Range</th><th>Guide’s target</th></tr></thead><tbody>')
        for t in r.timings:
            rng = "—" if t.low is None else f"{t.low} – {t.high} days"
            med = "—" if t.median is None else f"{t.median:g} days"
            self.w(f"<tr><td>{escape(t.label)}</td>", self.num(t.n), f'<td class="num">{med}</td><td class="num">{rng}</td>',
                   f"<td>{escape(t.target or '—')}</td></tr>")
        self.w("</tbody></table></section>")

    def cases(self) -> None:
        r = self.r
        self.w('<section class="long"><h2>Cases to follow up (coordinator only)</h2>',
               f'<p class="explain">{r.case_entries_total} case(s) with a violated or pending rule, lowest fidelity first.</p>',
               '<table><thead><tr><th>Case</th><th>Process start</th><th class="num">Fidelity</th>'
               "<th>Violated</th><th>Pending</th><th>Stands</th></tr></thead><tbody>")
        for e in r.case_entries or []:
            stands = ("closed" if e.closed else "open") + f", {e.status}"
            self.w(f"<tr><td>{escape(e.case)}</td><td>{escape(e.start or '—')}</td><td class=\"num\">{_pct(e.fidelity)}</td>",
                   f"<td>{escape(', '.join(e.violated) or '—')}</td><td>{escape(', '.join(e.pending) or '—')}</td>",
                   f"<td>{escape(stands)}</td></tr>")
        self.w("</tbody></table></section>")

    def footer(self) -> None:
        r = self.r
        self.w("<footer><h3>About this report</h3>")
        for note in r.notes:
            self.w(f"<p>{escape(note)}</p>")
        if r.committee:
            self.w(f"<p>Made for: the implementation committee. {r.withheld} distinct count(s) withheld in all "
                   "(small ones and their complements). "
                   "No case id, name, note or date finer than the month appears in it.</p>")
        else:
            self.w("<p>Made for: the coordinator. No counts are withheld.</p>")
        self.w("<p>Outcomes follow the audit rules: <i>not applicable</i> (nothing to check), <i>satisfied</i>, "
               "<i>violated</i>, <i>pending</i> (still due when the data ends). Made with <code>rtw-audit report</code>; "
               "see docs/report.md.</p></footer>")


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def write_html(report: Report, out: TextIO) -> None:
    out.write(HtmlWriter(report).render())
