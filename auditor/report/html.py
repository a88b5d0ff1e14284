"""The report as one self-contained HTML file: inline CSS and SVG, no script, nothing fetched.

Why this shape: a committee member opens it from an e-mail or a shared drive, often offline, and
prints it for the meeting, often in grayscale. So: one file, system fonts, charts as inline SVG with
patterns and legends, tables with captions and row headers, a print stylesheet that keeps headings
with what follows and figures whole on A4, and no JavaScript at all (nothing to block, nothing to
leak). Every text comes from the report record and is escaped. What is not shown says so, and why.
"""

from __future__ import annotations

from html import escape
from typing import TextIO

from ..i18n import current_language, format_percent
from ..i18n_domains import _
from . import svg
from .model import (
    COL_LABELS,
    WEAK_RATE,
    Count,
    OutcomeRow,
    RateSeries,
    Report,
    days,
    percent,
    rate_text,
    step_heading,
    step_label,
)
from .words import audience, case_stands, day_range, severity_word, unit, unit_heading

CSS = """
:root { --ink:#1f2933; --muted:#52606d; --line:#cbd2d9; --bad:#a3271d; --warn:#8a4b00;
        --band:#f5f7fa; --accent:#2b4c7e; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: var(--ink); background: #fff;
       font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 30px 0 6px; padding-bottom: 4px; border-bottom: 2px solid var(--accent); }
h3 { font-size: 16px; margin: 18px 0 6px; }
p.explain { color: var(--muted); margin: 4px 0 10px; max-width: 880px; }
.audience { padding: 8px 12px; border-radius: 4px; font-weight: 600; margin: 10px 0 6px; }
.audience.committee { background: #e3f1e8; color: #1e5b37; border: 1px solid #7fb894; }
.audience.coordinator { background: #fdecea; color: #8a1f17; border: 1px solid #e58f86; }
dl.meta { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 2px 14px; margin: 8px 0 0; font-size: 14px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
.howto { border: 1px solid var(--line); background: var(--band); border-radius: 6px; padding: 8px 14px; margin: 14px 0; font-size: 14px; }
.howto h2 { font-size: 16px; margin: 4px 0; border: 0; padding: 0; }
.howto ul { margin: 4px 0 4px 18px; padding: 0; }
.cards { display: grid; grid-template-columns: repeat(5, 1fr); gap: 10px; margin: 14px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; background: var(--band); }
.card .n { font-size: 24px; font-weight: 700; font-variant-numeric: tabular-nums; }
.card .l { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; font-size: 14px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; caption-side: top; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--band); font-weight: 600; }
tbody th { font-weight: normal; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total th, tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
.sub { display: block; color: var(--muted); font-size: 13px; }
.not { color: var(--muted); font-style: italic; }
.sev { font-size: 12px; padding: 1px 6px; border-radius: 8px; white-space: nowrap; border: 1px solid currentColor; }
.sev.error { color: #8a1f17; } .sev.warning { color: #7a4300; } .sev.info { color: #2b4c7e; }
.weak { color: var(--bad); font-weight: 700; }
.rec { border-left: 5px solid var(--bad); background: #fdf3f2; padding: 8px 14px; margin: 10px 0; }
.rec.thin { border-left-style: dashed; background: var(--band); }
.rec h3 { margin: 0 0 4px; }
.rec p { margin: 4px 0; }
.rec ul { margin: 4px 0 0 18px; padding: 0; }
.chart { display: block; margin: 8px 0 6px; font-family: inherit; }
table.outcomes thead th:first-child, table.outcomes tbody th { width: 50%; }
table.heat td.num { min-width: 58px; }
table.heat tbody th { min-width: 240px; }
footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--line); font-size: 13px; color: var(--muted); }
code { font-size: 13px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h2, h3, caption, p.explain { break-after: avoid; page-break-after: avoid; }
  h2 { margin-top: 16px; }
  figure, .rec, svg, .cards, tr, header, .howto, .keep, footer { break-inside: avoid; page-break-inside: avoid; }
  table.heat { break-inside: avoid; page-break-inside: avoid; }
  section.rules { break-before: page; page-break-before: always; }
  thead { display: table-header-group; }
  table { font-size: 9pt; }
  th, td { padding: 3px 5px; }
  .sub { font-size: 8pt; }
  table.outcomes thead th:first-child, table.outcomes tbody th { width: 58%; }
  .howto { font-size: 9pt; }
}
figure { margin: 0; }
"""


def _col(label: str, *, num: bool = False) -> str:
    """A column heading (its words already in the reader's language; the catalogue's ``_()`` is called
    outside f-strings, where the extractor sees it)."""
    css = ' class="num"' if num else ""
    return f'<th scope="col"{css}>{label}</th>'


def _heat(rate: float | None) -> str:
    """A light background that deepens with the rate (the number is always printed: grayscale-safe)."""
    if rate is None:
        return ""
    level = min(rate / 0.4, 1.0)
    r, g, b = 255, round(255 - 90 * level), round(255 - 95 * level)
    return f' style="background:#{r:02x}{g:02x}{b:02x}"'


class HtmlWriter:
    def __init__(self, report: Report) -> None:
        self.r = report
        self.parts: list[str] = []

    def w(self, *text: str) -> None:
        self.parts.extend(text)

    def num(self, count: Count) -> str:
        return f'<td class="num">{count.value}</td>'

    def about(self, count: Count) -> str:
        """A count in running text: "about 15" when rounded."""
        return _("about {count}").format(count=count.value) if count.rounded else str(count.value)

    def rate_cell(self, row: OutcomeRow) -> str:
        if row.rate is None:
            return '<td class="num not">' + _("not rated") + "</td>"
        cls = ' class="weak"' if row.rate >= WEAK_RATE else ""
        mark = " " + _("(weak)") if row.rate >= WEAK_RATE else ""
        return f'<td class="num"><span{cls}>{rate_text(row.rate, row.rate_below)}{mark}</span></td>'

    # ------------------------------------------------------------------ page
    def render(self) -> str:
        r = self.r
        title = _("Return-to-work process fidelity report")
        lang = "fr" if current_language() == "fr" else "en"
        self.w(f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">",
               '<meta name="viewport" content="width=device-width, initial-scale=1">',
               '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">',
               '<meta name="referrer" content="no-referrer">',
               f"<title>{escape(title)}</title><style>{CSS}</style></head><body><main>")
        self.header(title)
        self.howto()
        self.summary()
        self.steps()
        self.recommendations()
        self.trend()
        self.rules()
        self.fidelity()
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
            p = r.protection
            assert p is not None  # a committee's report always carries its protection (build_report)
            self.w('<div class="audience committee">' + _(
                "Made for the implementation committee — safe to share: no case ids, no names, no notes; dates to the "
                "month; counts rounded to a multiple of {base}.").format(base=p.base) + "</div>")
        else:
            self.w('<div class="audience coordinator">' + _(
                "Made for the coordinator — lists case ids and exact counts for your own follow-up. Do not share; the "
                "committee gets its own report (the default audience).") + "</div>")
        period = (_("{start} to {end}").format(start=r.period_from or "…", end=r.period_to or "…")
                  if (r.period_from or r.period_to) else _("all cases"))
        meta = [
            (_("Process started"), escape(period)),
            (_("Grouped by"), escape(unit(r.by))),
            (_("Data complete up to"), escape(r.data_to or "—")),
            (_("Report made"), escape(r.generated)),
            (_("Reference framework"), escape(r.rubric)),
            (_("Audience"), escape(audience(r.audience))),
        ]
        self.w('<dl class="meta">', *(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in meta), "</dl></header>")

    def howto(self) -> None:
        r = self.r
        if not r.committee:
            return
        p = r.protection
        assert p is not None  # a committee's report always carries its protection (build_report)
        self.w('<aside class="howto"><h2>' + _("How to read this report") + "</h2><ul>",
               "<li>" + _("Every count is moved by a small random amount and rounded to a multiple of {base}: a count "
                          "shown as <b>0</b> may be a few cases (but a true 0 is always shown as 0), and <b>{base}</b> "
                          "means roughly 1 to 10. Totals are the sums of the counts shown, so they may differ a little "
                          "from one table to the next. This keeps any single person's situation from being worked out, "
                          "even by comparing two reports.").format(base=p.base) + "</li>",
               "<li>" + _("Rates, medians and means are shown only over at least {threshold} cases (rounded counts); "
                          "medians are rounded to 5 points or 5 days, means to the whole percent. "
                          "“Not rated” means too few cases, not a good result.").format(threshold=p.threshold) + "</li>")
        for line in r.withheld:
            self.w("<li>" + _("Not shown: {what}").format(what=escape(line)) + "</li>")
        self.w("</ul></aside>")

    def summary(self) -> None:
        r = self.r
        ov = r.overview
        f = r.fidelity
        rows = {key: total for key, _label, _cells, total in ov.rows}
        share = r.overall_with_error
        self.w("<section><h2>" + _("At a glance") + "</h2>",
               '<p class="explain">' + _("Where the cases stand at the end of the data. A case counts once: "
                                         "“back at work” if the worker returned, else by whether they declined or "
                                         "withdrew.") + "</p>",
               '<div class="cards">')
        median_label = (_("median fidelity (of the cases with a score)") if f.median is not None
                        else _("median fidelity: not shown (fewer than {threshold} scored cases)").format(
                            threshold=r.threshold))
        for label, value in (
            (_("cases (rounded)") if r.cases.rounded else _("cases"), str(r.cases.value)),
            (_("closed"), str(ov.col_totals["closed"].value)),
            (_("back at work"), str(rows["returned"].value)),
            (_("cases with a “must” rule violated"), percent(share, none="—")),
            (_("cases that kept every judged rule") if f.full_share is not None else median_label,
             percent(f.full_share if f.full_share is not None else f.median, none="—")),
        ):
            self.w(f'<div class="card"><div class="n">{value}</div><div class="l">{escape(label)}</div></div>')
        self.w("</div>")
        cols = list(ov.col_totals)
        self.w("<table><caption>" + _("Where the cases stand, open or closed") + '</caption><thead><tr><th scope="col">'
               + _("Where the case stands") + "</th>", *(_col(_(COL_LABELS[c]), num=True) for c in cols),
               '<th scope="col" class="num">' + _("All") + "</th></tr></thead><tbody>")
        for _key, label, cells, total in ov.rows:
            self.w(f'<tr><th scope="row">{escape(label)}</th>', *(self.num(cells[c]) for c in cols), self.num(total), "</tr>")
        self.w('<tr class="total"><th scope="row">' + _("All cases") + "</th>", *(self.num(ov.col_totals[c]) for c in cols),
               self.num(ov.total), "</tr></tbody></table></section>")

    def _outcome_table(self, rows: list[OutcomeRow], first: str, rules: bool, caption: str) -> None:
        waived = _col(_("Waived"), num=True) if rules else ""
        self.w(f'<table class="outcomes"><caption>{escape(caption)}</caption><thead><tr>',
               f'<th scope="col">{first}</th>',
               _col(_("Satisfied"), num=True), _col(_("Violated"), num=True), _col(_("Pending"), num=True),
               _col(_("Not applicable"), num=True), waived, _col(_("Violation rate"), num=True), "</tr></thead><tbody>")
        for row in rows:
            if rules:
                sev = escape(row.severity or "")
                shown = escape(severity_word(row.severity or ""))
                sub = _("{step}: {summary}").format(step=escape(step_label(row.step)), summary=escape(row.title))
                self.w(f'<tr><th scope="row"><b>{escape(row.key)}</b> {escape(row.label)} <span class="sev {sev}">{shown}</span> '
                       f'<span class="sub">{sub}</span></th>')
            elif row.title.lower().startswith(row.label.lower()):
                self.w(f'<tr><th scope="row"><b>{escape(row.title)}</b></th>')
            else:
                self.w(f'<tr><th scope="row"><b>{escape(row.label)}</b><span class="sub">{escape(row.title)}</span></th>')
            self.w(self.num(row.satisfied), self.num(row.violated), self.num(row.pending), self.num(row.not_applicable))
            if rules:
                self.w(self.num(row.waived))
            self.w(self.rate_cell(row), "</tr>")
        self.w("</tbody></table>")

    def _n_text(self, row: OutcomeRow) -> str:
        if row.rate is None:
            return _("{count} judged, fewer than {threshold}").format(count=self.about(row.decided), threshold=self.r.threshold)
        return _("n {sign} {count} judged").format(sign="≈" if row.decided.rounded else "=", count=row.decided.value)

    def steps(self) -> None:
        r = self.r
        self.w('<section><figure class="keep"><h2>' + _("Where the process breaks") + "</h2>",
               '<p class="explain">' + _(
                   "For each step of the guide: among the cases where the step was judged (satisfied or violated), the "
                   "share where at least one of its rules was violated. Ranked from the weakest (highest rate) down; "
                   "steps with too few judged cases for a rate are listed last, marked “not rated”.") + "</p>")
        rows = [(row.label, _after_label(row.label, row.title), row.rate, self._n_text(row),
                 rate_text(row.rate, row.rate_below)) for row in r.steps]
        self.w(svg.rate_bars("steps", rows, title=_("Violation rate by step, ranked from the weakest"),
                             desc=_("Share of judged cases in which at least one rule of the step was violated, by step."),
                             weak=WEAK_RATE, axis=_("violation rate (% of judged cases)")), "</figure>")
        self._outcome_table(r.steps, _("Step"), rules=False, caption=_("Outcomes by step (a case counts once per step)"))
        self.w("</section>")

    def recommendations(self) -> None:
        r = self.r
        heading = "<h2>" + _("Recommendations") + "</h2>"
        self.w("<section>" + heading)
        if not r.recommendations:
            self.w('<p class="explain">' + _(
                "No step shows a violation in the counts of this report. With rounding, a count of 1 to {most} may be "
                "shown as 0: this is not a proof that nothing went wrong.").format(
                    most=r.protection.base - 1 if r.protection else 0) + "</p></section>" if r.committee else
                   '<p class="explain">' + _("No step had a violation.") + "</p></section>")
            return
        # The heading, its explanation and the first recommendation stay together on a printed page.
        self.parts[-1] = '<section><div class="keep">' + heading
        self.w('<p class="explain">' + _(
            "The weakest steps (a violation rate of {weak} or more, or among the three worst), with the reference "
            "framework's advice and the rules of the step most often broken. Steps and rules with violations but too "
            "few judged cases for a rate are flagged as such, not left out.").format(weak=format_percent(WEAK_RATE)) + "</p>")
        for i, rec in enumerate(r.recommendations):
            thin = rec.rate is None
            rate = (_("too few judged cases for a rate — violations recorded") if thin
                    else _("{percent} of judged cases").format(percent=percent(rec.rate)))
            self.w(f'<div class="rec{" thin" if thin else ""}"><h3>{escape(step_heading(rec.label, rec.title))} '
                   f'<span class="{"not" if thin else "weak"}">({rate})</span></h3>', f"<p>{escape(rec.text)}</p>")
            if not rec.rules:
                self.w('<p class="not">' + _("No single rule of this step shows a violation in the counts of this "
                                             "report: the step's cases are spread over several rules.") + "</p>")
            if rec.rules:
                self.w("<ul>")
                for note in rec.rules:
                    how = (_("violated in {percent} of judged cases").format(percent=percent(note.rate))
                           if note.rate is not None else
                           _("violated in {count} of {judged} judged cases (too few for a rate)").format(
                               count=self.about(note.violated), judged=self.about(note.decided)))
                    self.w("<li>" + _("{rule} — {how}: {summary}").format(
                        rule=f"<b>{escape(note.code)}</b> {escape(note.name)}", how=how, summary=escape(note.summary))
                        + "</li>")
                self.w("</ul>")
            self.w("</div>" + ("</div>" if i == 0 else ""))
        self.w("</section>")

    def _heat_table(self, rows: list[RateSeries], caption: str) -> None:
        r = self.r
        labels = [t.label for t in r.trend]
        self.w(f'<table class="heat"><caption>{escape(caption)}</caption><thead><tr><th scope="col"></th>',
               *(f'<th scope="col" class="num">{escape(p)}</th>' for p in labels), "</tr></thead><tbody>")
        for s in rows:
            cells = "".join(
                f'<td class="num"{_heat(x)}>{percent(x)}</td>' if x is not None else '<td class="num not">—</td>'
                for x in s.rates)
            self.w(f'<tr><th scope="row">{escape(s.label)}</th>{cells}</tr>')
        self.w("</tbody></table>")

    def trend(self) -> None:
        r = self.r
        per = unit(r.by)
        if not r.trend:
            self.w("<section><h2>" + _("Change over time") + '</h2><p class="explain">' + _(
                "Not shown: too few cases to split them by period without describing individuals (see “How to read "
                "this report”).") + "</p></section>")
            return
        labels = [t.label if t.key != "none" else _("no start") for t in r.trend]
        self.w('<section><figure class="keep"><h2>' + _("Change over time (by {unit} of process start)").format(unit=per)
               + "</h2>", '<p class="explain">' + _(
                   "Cases are placed in the period their process started (the file forwarded to the coordinator). "
                   "Recent periods have more pending windows and open cases. What moves is shown: the share of cases "
                   "with a “must” rule violated, and each step's violation rate.") + "</p>")
        self.w(svg.line_chart(
            "trend", labels,
            [(_("cases with a “must” rule violated"), [t.share_with_error for t in r.trend]),
             (_("mean fidelity gap (100% − mean fidelity)"),
              [None if t.mean_fidelity is None else 1 - t.mean_fidelity for t in r.trend])],
            title=_("Share of cases with a must rule violated, by {unit}").format(unit=per),
            desc=_("Share of cases with an error-level violation and the mean fidelity gap, by {unit}.").format(unit=per),
            y_axis=_("% of cases"), x_axis=_("{unit} of process start").format(unit=per)), "</figure>")
        if r.step_trend:
            self._heat_table(r.step_trend, _("Violation rate per step, by {unit} (— : fewer than {threshold} judged)").format(
                unit=per, threshold=r.threshold))
        if r.rule_trend:
            self._heat_table(r.rule_trend, _("Violation rate of the worst rules, by {unit}").format(unit=per))
        self.w('<figure class="keep">', svg.count_columns(
            "trend-n", labels, [t.cases.value for t in r.trend],
            title=_("Cases by {unit} of process start").format(unit=per),
            desc=_("Number of cases whose process started in each {unit}.").format(unit=per),
            x_axis=_("{unit} of process start").format(unit=per),
            y_axis=_("cases (rounded)") if r.committee else _("cases"), height=240), "</figure>")
        self.w("<table><caption>" + _("Cases and fidelity by {unit}").format(unit=per)
               + "</caption><thead><tr>", _col(unit_heading(r.by)), _col(_("Cases"), num=True),
               _col(_("With a “must” rule violated"), num=True), _col(_("Share with"), num=True),
               _col(_("Mean fidelity"), num=True), "</tr></thead><tbody>")
        for t in r.trend:
            split = self.num(t.with_error) if t.with_error is not None else '<td class="num not">—</td>'
            self.w(f'<tr><th scope="row">{escape(t.label)}</th>', self.num(t.cases), split,
                   f'<td class="num">{percent(t.share_with_error)}</td><td class="num">{percent(t.mean_fidelity)}</td></tr>')
        self.w("</tbody></table></section>")

    def rules(self) -> None:
        self.w('<section class="rules"><h2>' + _("Every rule, ranked") + "</h2>",
               '<p class="explain">' + _(
                   "Violation rate = violated ÷ (satisfied + violated): pending cases are not judged yet. “Waived” "
                   "counts findings the workplace recorded as waived. Rules with too few judged cases for a rate are "
                   "listed after the ranked ones.") + "</p>")
        self._outcome_table(self.r.rules, _("Rule"), rules=True, caption=_("Every rule of the reference framework"))
        self.w("</section>")

    def fidelity(self) -> None:
        r = self.r
        f = r.fidelity
        q = f.quartiles
        if f.median is None:
            text = _("The median is not shown: fewer than {threshold} scored cases").format(threshold=r.threshold)
        elif q:
            text = _("Median {median}, half the scored cases between {low} and {high}").format(
                median=percent(f.median), low=percent(q[0]), high=percent(q[1]))
        else:
            text = _("Median {median}").format(median=percent(f.median))
        if f.median is not None and f.full_share is not None:
            text += _("; {percent} kept every decided rule").format(percent=percent(f.full_share))
        unscored = (_("Cases with nothing judged yet have no score and are not in the chart: {count}.").format(
                        count=f.no_score.value) if f.no_score is not None else
                    _("Cases with nothing judged yet have no score and are not in the chart."))
        self.w('<section><figure class="keep"><h2>' + _("Fidelity per case") + "</h2>",
               '<p class="explain">' + _("A case’s fidelity is the share of its judged rules that were kept, weighted "
                                         "by severity (must 3, should 2, good practice 1).")
               + f" {escape(text)}. {unscored}</p>")
        labels = [label for label, _count in f.bins]
        self.w(svg.count_columns("fid", labels, [c.value for _label, c in f.bins],
                                 title=_("Distribution of fidelity per case"),
                                 desc=_("Number of cases in each band of fidelity."),
                                 x_axis=_("fidelity of the case (share of its judged rules kept, weighted by severity)"),
                                 y_axis=_("cases (rounded)") if r.committee else _("cases")), "</figure></section>")

    def timings(self) -> None:
        r = self.r
        quartiles = (_("Median and middle half (the quartiles) in days, rounded to 5 days; no shortest or longest "
                       "delay is shown (each is one person's).") if r.committee else
                     _("Median and middle half (the quartiles) in days; no shortest or longest delay is shown (each is "
                       "one person's)."))
        self.w('<section><figure class="keep"><h2>' + _("Timings the guides care about") + "</h2>",
               '<p class="explain">' + _("Calendar days between two events of a case, against the reference "
                                         "framework’s target: how many cases were earlier than it, within it, or "
                                         "later.") + f" {quartiles}</p>")
        rows = [(t.short, {b: c.value for b, c in t.bands.items()},
                 _("n {sign} {count} cases").format(sign="≈" if t.n.rounded else "=", count=t.n.value))
                for t in r.timings]
        self.w(svg.band_bars("timings", rows, title=_("Timings against the guide's target"),
                             desc=_("For each timing, the share of cases earlier than, within and later than the target.")),
               "</figure>")
        self.w("<table><caption>" + _("Timings in days") + "</caption><thead><tr>", _col(_("Timing")),
               _col(_("Cases"), num=True), _col(_("Within target"), num=True), _col(_("Later"), num=True),
               _col(_("Median"), num=True), _col(_("Middle half"), num=True), _col(_("Guide’s target")),
               "</tr></thead><tbody>")
        for t in r.timings:
            mid = "—" if t.quartiles is None else day_range(t.quartiles[0], t.quartiles[1])
            self.w(f'<tr><th scope="row">{escape(t.label)}</th>', self.num(t.n), self.num(t.bands["within"]),
                   self.num(t.bands["late"]), f'<td class="num">{days(t.median)}</td><td class="num">{mid}</td>',
                   f"<td>{escape(t.target or '—')}</td></tr>")
        self.w("</tbody></table></section>")

    def cases(self) -> None:
        r = self.r
        entries = r.case_entries or []
        self.w("<section><h2>" + _("Cases to follow up (coordinator only)") + "</h2>",
               '<p class="explain">' + _("{count} case(s) with a violated or pending rule, lowest fidelity first.").format(
                   count=len(entries)) + "</p>",
               "<table><caption>" + _("Cases to follow up") + "</caption><thead><tr>", _col(_("Case")),
               _col(_("Process start")), _col(_("Fidelity"), num=True), _col(_("Violated")), _col(_("Pending")),
               _col(_("Stands")), "</tr></thead><tbody>")
        for e in entries:
            stands = case_stands(e)
            self.w(f'<tr><th scope="row">{escape(e.case)}</th><td>{escape(e.start or "—")}</td>'
                   f'<td class="num">{percent(e.fidelity)}</td>',
                   f"<td>{escape(', '.join(e.violated) or '—')}</td><td>{escape(', '.join(e.pending) or '—')}</td>",
                   f"<td>{escape(stands)}</td></tr>")
        self.w("</tbody></table></section>")

    def footer(self) -> None:
        r = self.r
        self.w("<footer><h3>" + _("About this report") + "</h3>")
        for note in r.notes:
            self.w(f"<p>{escape(note)}</p>")
        if r.committee:
            p = r.protection
            assert p is not None  # a committee's report always carries its protection (build_report)
            self.w("<p>" + _("Made for: the implementation committee. Disclosure control: {method}; minimum caseload "
                             "{minimum}; grouped by {unit}. No case id, name, note or date finer than the month appears "
                             "in it.").format(method=escape(p.method), minimum=p.minimum_caseload,
                                              unit=escape(unit(p.period))) + "</p>")
        self.w("<p>" + _("Outcomes follow the audit rules: <i>not applicable</i> (nothing to check), <i>satisfied</i>, "
                         "<i>violated</i>, <i>pending</i> (still due when the data ends). Made with "
                         "<code>rtw-audit report</code>; see docs/report.md.") + "</p></footer>")


def _after_label(label: str, title: str) -> str:
    """A step's title without its own label in front ("Throughout — confidentiality…" under "Throughout")."""
    if title.lower().startswith(label.lower()):
        return title[len(label):].lstrip(" —-:")
    return title


def write_html(report: Report, out: TextIO) -> None:
    out.write(HtmlWriter(report).render())
