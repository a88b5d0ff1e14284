"""The report as Markdown: for a committee's wiki page or the minutes of a meeting.

Same sections as the HTML, as tables (no charts). Withheld counts show "<5" or "×".
"""

from __future__ import annotations

from typing import TextIO

from .model import COL_LABELS, Count, OutcomeRow, Report, step_heading, step_label


def _e(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def _pct(x: float | None, digits: int = 0) -> str:
    return "—" if x is None else f"{x * 100:.{digits}f}%"


class MarkdownReport:
    def __init__(self, report: Report) -> None:
        self.r = report
        self.lines: list[str] = []

    def n(self, count: Count) -> str:
        if count.shown:
            return str(count.value)
        return f"<{self.r.min_count}" if count.flag == "small" else "×"

    def w(self, line: str = "") -> None:
        self.lines.append(line)

    def table(self, header: list[str], rows: list[list[str]], right_from: int = 1) -> None:
        self.w("| " + " | ".join(header) + " |")
        self.w("|" + "|".join("---" if i < right_from else "---:" for i in range(len(header))) + "|")
        for row in rows:
            self.w("| " + " | ".join(row) + " |")
        self.w()

    def render(self) -> str:
        r = self.r
        self.w("# Return-to-work process fidelity report")
        self.w()
        if r.committee:
            self.w(f"**Made for the implementation committee — safe to share.** No case ids, no names, no notes; "
                   f"dates to the month; counts from 1 to {r.min_count - 1} shown as “<{r.min_count}”, "
                   "and “×” marks a count withheld so that no small one can be worked out (it may be any number).")
        else:
            self.w("**Made for the coordinator — lists case ids for your own follow-up. Do not share.**")
        self.w()
        period = f"{r.period_from or '…'} to {r.period_to or '…'}" if (r.period_from or r.period_to) else "all cases"
        for k, v in (("Cases", self.n(r.cases)), ("Process started", period), ("Grouped by", r.by),
                     ("Data complete up to", r.as_of or "—"), ("Reference framework", r.rubric),
                     ("Report made", r.generated), ("Audience", r.audience)):
            self.w(f"- {k}: {_e(v)}")
        self.w()
        ov = r.overview
        cols = list(ov.col_totals)
        self.w("## At a glance")
        self.w()
        self.w(f"Median fidelity: **{_pct(r.fidelity.median)}**.")
        self.w()
        self.table(["Where the case stands", *(COL_LABELS[c] for c in cols), "All"],
                   [[_e(label), *(self.n(cells[c]) for c in cols), self.n(total)] for _, label, cells, total in ov.rows]
                   + [["**All cases**", *(self.n(ov.col_totals[c]) for c in cols), self.n(ov.total)]])
        self.w("## Where the process breaks (by step, weakest first)")
        self.w()
        self.outcome_table(r.steps, rules=False)
        self.w("## Recommendations")
        self.w()
        if not r.recommendations:
            self.w("No step stands out.")
            self.w()
        for rec in r.recommendations:
            self.w(f"### {_e(step_heading(rec.label, rec.title))} ({_pct(rec.rate)} of judged cases)")
            self.w()
            self.w(_e(rec.text))
            self.w()
            for note in rec.rules:
                self.w(f"- **{note.code}** {_e(note.name)} — violated in {_pct(note.rate)}: {_e(note.summary)}")
            if rec.rules:
                self.w()
        self.w("## Every rule, ranked")
        self.w()
        self.w("Violation rate = violated ÷ (satisfied + violated). Rules whose rate cannot be shown come last.")
        self.w()
        self.outcome_table(r.rules, rules=True)
        f = r.fidelity
        self.w("## Fidelity per case")
        self.w()
        q = f.quartiles
        self.w(f"Median {_pct(f.median)}" + (f"; half the cases between {_pct(q[0])} and {_pct(q[1])}" if q else "")
               + f". Cases with no score yet: {self.n(f.no_score)}.")
        self.w()
        self.table(["Fidelity", "Cases"], [[label, self.n(c)] for label, c in f.bins] + [["**Scored**", self.n(f.scored)]])
        unit = "quarter" if r.by == "quarter" else "month"
        self.w(f"## Change over time (by {unit} of process start)")
        self.w()
        self.table([unit.capitalize(), "Cases", "With a “must” rule violated", "Without", "Share with", "Median fidelity",
                    "Mean fidelity"],
                   [[_e(t.label), self.n(t.cases), self.n(t.with_error), self.n(t.without_error), _pct(t.share_with_error),
                     _pct(t.median_fidelity), _pct(t.mean_fidelity, 1)] for t in r.trend + [r.trend_total]])
        self.w("## Timings the guides care about")
        self.w()
        self.table(["Timing", "Cases", "Median", "Range", "Guide’s target"],
                   [[_e(t.label), self.n(t.n), "—" if t.median is None else f"{t.median:g} days",
                     "—" if t.low is None else f"{t.low} – {t.high} days", _e(t.target or "—")] for t in r.timings])
        if r.case_entries is not None:
            self.w("## Cases to follow up (coordinator only)")
            self.w()
            self.table(["Case", "Process start", "Fidelity", "Violated", "Pending", "Stands"],
                       [[_e(e.case), e.start or "—", _pct(e.fidelity), ", ".join(e.violated) or "—",
                         ", ".join(e.pending) or "—", ("closed" if e.closed else "open") + f", {e.status}"]
                        for e in r.case_entries], right_from=9)
        self.w("## About this report")
        self.w()
        for note in r.notes:
            self.w(_e(note))
            self.w()
        self.w(f"Made for: {'the implementation committee' if r.committee else 'the coordinator'}. See docs/report.md.")
        return "\n".join(self.lines) + "\n"

    def outcome_table(self, rows: list[OutcomeRow], rules: bool) -> None:
        head = ["Rule", "Step", "Severity"] if rules else ["Step"]
        body = []
        for row in rows:
            if rules:
                first = [f"**{row.key}** {_e(row.label)}", _e(step_label(row.step)), row.severity or ""]
            elif row.title.lower().startswith(row.label.lower()):
                first = [f"**{_e(row.title)}**"]
            else:
                first = [f"**{_e(row.label)}** {_e(row.title)}"]
            body.append(first + [self.n(row.applied), self.n(row.satisfied), self.n(row.violated), self.n(row.pending),
                                 self.n(row.not_applicable), _pct(row.rate)])
        self.table(head + ["Applied", "Satisfied", "Violated", "Pending", "Not applicable", "Violation rate"], body,
                   right_from=len(head))


def write_markdown(report: Report, out: TextIO) -> None:
    out.write(MarkdownReport(report).render())
