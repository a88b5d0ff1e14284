"""The report as Markdown: for a committee's wiki page or the minutes of a meeting.

Same sections as the HTML, as tables (no charts), with the same words about what is rounded and what
is not shown.
"""

from __future__ import annotations

from typing import TextIO

from .model import COL_LABELS, OutcomeRow, Report, days, percent, rate_text, step_heading, step_label


def _e(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


class MarkdownReport:
    def __init__(self, report: Report) -> None:
        self.r = report
        self.lines: list[str] = []

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
        p = r.protection
        self.w("# Return-to-work process fidelity report")
        self.w()
        if r.committee:
            assert p is not None  # a committee's report always carries its protection (build_report)
            self.w(f"**Made for the implementation committee — safe to share.** No case ids, no names, no notes; "
                   f"dates to the month; every count moved by a small random amount and rounded to a multiple of "
                   f"{p.base} (a true 0 stays 0); rates, medians and means only over at least {p.threshold} cases.")
        else:
            self.w("**Made for the coordinator — lists case ids for your own follow-up. Do not share.**")
        self.w()
        period = f"{r.period_from or '…'} to {r.period_to or '…'}" if (r.period_from or r.period_to) else "all cases"
        approx = "about " if r.committee else ""
        for k, v in (("Cases", f"{approx}{r.cases.value}"), ("Process started", period), ("Grouped by", r.by),
                     ("Data complete up to", r.data_to or "—"), ("Reference framework", r.rubric),
                     ("Report made", r.generated), ("Audience", r.audience)):
            self.w(f"- {k}: {_e(v)}")
        self.w()
        if r.withheld:
            self.w("## Not shown, and why")
            self.w()
            for line in r.withheld:
                self.w(f"- {_e(line)}")
            self.w()
        ov = r.overview
        cols = list(ov.col_totals)
        self.w("## At a glance")
        self.w()
        f = r.fidelity
        self.w(f"Median fidelity: **{percent(f.median, none='not shown')}** (over the scored cases"
               + (f"; {f.no_score.value} with nothing judged yet" if f.no_score is not None else "") + ").")
        self.w()
        self.table(["Where the case stands", *(COL_LABELS[c] for c in cols), "All"],
                   [[_e(label), *(str(cells[c].value) for c in cols), str(total.value)]
                    for _, label, cells, total in ov.rows]
                   + [["**All cases**", *(str(ov.col_totals[c].value) for c in cols), str(ov.total.value)]])
        self.w("## Where the process breaks (by step, weakest first)")
        self.w()
        self.outcome_table(r.steps, rules=False)
        self.w("## Recommendations")
        self.w()
        if not r.recommendations:
            self.w("No step had a violation among the cases shown.")
            self.w()
        for rec in r.recommendations:
            rate = (f"{percent(rec.rate)} of judged cases" if rec.rate is not None
                    else "too few judged cases for a rate, but violations recorded")
            self.w(f"### {_e(step_heading(rec.label, rec.title))} ({rate})")
            self.w()
            self.w(_e(rec.text))
            self.w()
            for note in rec.rules:
                how = (f"violated in {percent(note.rate)} of judged cases" if note.rate is not None
                       else f"violated (about {note.violated.value} of {note.decided.value} judged: too few for a rate)")
                self.w(f"- **{note.code}** {_e(note.name)} — {how}: {_e(note.summary)}")
            if rec.rules:
                self.w()
        self.w("## Every rule, ranked")
        self.w()
        self.w("Violation rate = violated ÷ (satisfied + violated). Rules with too few judged cases for a rate are "
               "listed after the ranked ones, marked “not rated”.")
        self.w()
        self.outcome_table(r.rules, rules=True)
        self.w("## Fidelity per case")
        self.w()
        q = f.quartiles
        self.w(f"Median {percent(f.median, none='not shown')}"
               + (f"; half the scored cases between {percent(q[0])} and {percent(q[1])}" if q else "")
               + (f"; {percent(f.full_share)} kept every decided rule" if f.full_share is not None else "") + ".")
        self.w()
        self.table(["Fidelity", "Cases"], [[label, str(c.value)] for label, c in f.bins]
                   + ([["No score yet", str(f.no_score.value)]] if f.no_score is not None else [])
                   + [["**Scored**", str(f.scored.value)]])
        unit = r.by
        self.w(f"## Change over time (by {unit} of process start)")
        self.w()
        self.table([unit.capitalize(), "Cases", "With a “must” rule violated", "Share with", "Mean fidelity"],
                   [[_e(t.label), str(t.cases.value), "—" if t.with_error is None else str(t.with_error.value),
                     percent(t.share_with_error),
                     percent(t.mean_fidelity)] for t in r.trend])
        periods = [t.label for t in r.trend]
        for title, rows in (("Violation rate per step", r.step_trend), ("Violation rate of the worst rules", r.rule_trend)):
            if rows:
                self.w(f"### {title}, by {unit}")
                self.w()
                self.table(["", *periods], [[_e(s.label), *(percent(x) for x in s.rates)] for s in rows])
        self.w("## Timings the guides care about")
        self.w()
        self.table(["Timing", "Cases", "Earlier than the target", "Within", "Later", "Median", "Middle half",
                    "Guide’s target"],
                   [[_e(t.label), str(t.n.value), str(t.bands["early"].value), str(t.bands["within"].value),
                     str(t.bands["late"].value), days(t.median),
                     "—" if t.quartiles is None else f"{t.quartiles[0]:g}–{t.quartiles[1]:g} days", _e(t.target or "—")]
                    for t in r.timings])
        if r.case_entries is not None:
            self.w("## Cases to follow up (coordinator only)")
            self.w()
            self.table(["Case", "Process start", "Fidelity", "Violated", "Pending", "Stands"],
                       [[_e(e.case), e.start or "—", percent(e.fidelity), ", ".join(e.violated) or "—",
                         ", ".join(e.pending) or "—", ("closed" if e.closed else "open") + f", {e.status}"]
                        for e in r.case_entries], right_from=9)
        self.w("## About this report")
        self.w()
        for text in r.notes:
            self.w(_e(text))
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
            extra = [str(row.waived.value)] if rules else []
            body.append(first + [str(row.satisfied.value), str(row.violated.value), str(row.pending.value),
                                 str(row.not_applicable.value), *extra,
                                 rate_text(row.rate, row.rate_below, none="not rated")])
        self.table(head + ["Satisfied", "Violated", "Pending", "Not applicable", *(["Waived"] if rules else []),
                           "Violation rate"], body, right_from=len(head))


def write_markdown(report: Report, out: TextIO) -> None:
    out.write(MarkdownReport(report).render())
