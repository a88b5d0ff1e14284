"""The report as Markdown: for a committee's wiki page or the minutes of a meeting.

Same sections as the HTML, as tables (no charts), with the same words about what is rounded and what
is not shown.
"""

from __future__ import annotations

from typing import TextIO

from ..i18n_domains import _
from .model import COL_LABELS, OutcomeRow, Report, days, percent, rate_text, step_heading, step_label
from .words import audience, case_stands, day_range, severity_word, unit, unit_heading


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
        self.w("# " + _("Return-to-work process fidelity report"))
        self.w()
        if r.committee:
            assert p is not None  # a committee's report always carries its protection (build_report)
            self.w(_("**Made for the implementation committee — safe to share.** No case ids, no names, no notes; "
                     "dates to the month; every count moved by a small random amount and rounded to a multiple of "
                     "{base} (a true 0 stays 0); rates, medians and means only over at least {threshold} cases.").format(
                         base=p.base, threshold=p.threshold))
        else:
            self.w(_("**Made for the coordinator — lists case ids for your own follow-up. Do not share.**"))
        self.w()
        period = (_("{start} to {end}").format(start=r.period_from or "…", end=r.period_to or "…")
                  if (r.period_from or r.period_to) else _("all cases"))
        cases = _("about {count}").format(count=r.cases.value) if r.committee else str(r.cases.value)
        for k, v in ((_("Cases"), cases), (_("Process started"), period), (_("Grouped by"), unit(r.by)),
                     (_("Data complete up to"), r.data_to or "—"), (_("Reference framework"), r.rubric),
                     (_("Report made"), r.generated), (_("Audience"), audience(r.audience))):
            self.w(_("- {label}: {value}").format(label=k, value=_e(v)))
        self.w()
        if r.withheld:
            self.w("## " + _("Not shown, and why"))
            self.w()
            for line in r.withheld:
                self.w(f"- {_e(line)}")
            self.w()
        ov = r.overview
        cols = list(ov.col_totals)
        self.w("## " + _("At a glance"))
        self.w()
        f = r.fidelity
        median = percent(f.median, none=_("not shown"))
        self.w(_("Median fidelity: **{median}** (over the scored cases; {count} with nothing judged yet).").format(
            median=median, count=f.no_score.value) if f.no_score is not None else
            _("Median fidelity: **{median}** (over the scored cases).").format(median=median))
        self.w()
        self.table([_("Where the case stands"), *(_(COL_LABELS[c]) for c in cols), _("All")],
                   [[_e(label), *(str(cells[c].value) for c in cols), str(total.value)]
                    for _key, label, cells, total in ov.rows]
                   + [["**" + _("All cases") + "**", *(str(ov.col_totals[c].value) for c in cols), str(ov.total.value)]])
        self.w("## " + _("Where the process breaks (by step, weakest first)"))
        self.w()
        self.outcome_table(r.steps, rules=False)
        self.w("## " + _("Recommendations"))
        self.w()
        if not r.recommendations:
            self.w(_("No step had a violation among the cases shown."))
            self.w()
        for rec in r.recommendations:
            rate = (_("{percent} of judged cases").format(percent=percent(rec.rate)) if rec.rate is not None
                    else _("too few judged cases for a rate, but violations recorded"))
            self.w(f"### {_e(step_heading(rec.label, rec.title))} ({rate})")
            self.w()
            self.w(_e(rec.text))
            self.w()
            for note in rec.rules:
                how = (_("violated in {percent} of judged cases").format(percent=percent(note.rate)) if note.rate is not None
                       else _("violated (about {count} of {judged} judged: too few for a rate)").format(
                           count=note.violated.value, judged=note.decided.value))
                self.w("- " + _("{rule} — {how}: {summary}").format(
                    rule=f"**{note.code}** {_e(note.name)}", how=how, summary=_e(note.summary)))
            if rec.rules:
                self.w()
        self.w("## " + _("Every rule, ranked"))
        self.w()
        self.w(_("Violation rate = violated ÷ (satisfied + violated). Rules with too few judged cases for a rate are "
                 "listed after the ranked ones, marked “not rated”."))
        self.w()
        self.outcome_table(r.rules, rules=True)
        self.w("## " + _("Fidelity per case"))
        self.w()
        q = f.quartiles
        text = _("Median {median}").format(median=percent(f.median, none=_("not shown")))
        if q:
            text += _("; half the scored cases between {low} and {high}").format(low=percent(q[0]), high=percent(q[1]))
        if f.full_share is not None:
            text += _("; {percent} kept every decided rule").format(percent=percent(f.full_share))
        self.w(text + ".")
        self.w()
        self.table([_("Fidelity"), _("Cases")], [[label, str(c.value)] for label, c in f.bins]
                   + ([[_("No score yet"), str(f.no_score.value)]] if f.no_score is not None else [])
                   + [["**" + _("Scored") + "**", str(f.scored.value)]])
        per = unit(r.by)
        self.w("## " + _("Change over time (by {unit} of process start)").format(unit=per))
        self.w()
        self.table([unit_heading(r.by), _("Cases"), _("With a “must” rule violated"), _("Share with"), _("Mean fidelity")],
                   [[_e(t.label), str(t.cases.value), "—" if t.with_error is None else str(t.with_error.value),
                     percent(t.share_with_error),
                     percent(t.mean_fidelity)] for t in r.trend])
        periods = [t.label for t in r.trend]
        for title, rows in ((_("Violation rate per step, by {unit}"), r.step_trend),
                            (_("Violation rate of the worst rules, by {unit}"), r.rule_trend)):
            if rows:
                self.w("### " + title.format(unit=per))
                self.w()
                self.table(["", *periods], [[_e(s.label), *(percent(x) for x in s.rates)] for s in rows])
        self.w("## " + _("Timings the guides care about"))
        self.w()
        self.table([_("Timing"), _("Cases"), _("Earlier than the target"), _("Within"), _("Later"), _("Median"),
                    _("Middle half"), _("Guide’s target")],
                   [[_e(t.label), str(t.n.value), str(t.bands["early"].value), str(t.bands["within"].value),
                     str(t.bands["late"].value), days(t.median),
                     "—" if t.quartiles is None else day_range(t.quartiles[0], t.quartiles[1]), _e(t.target or "—")]
                    for t in r.timings])
        if r.case_entries is not None:
            self.w("## " + _("Cases to follow up (coordinator only)"))
            self.w()
            self.table([_("Case"), _("Process start"), _("Fidelity"), _("Violated"), _("Pending"), _("Stands")],
                       [[_e(e.case), e.start or "—", percent(e.fidelity), ", ".join(e.violated) or "—",
                         ", ".join(e.pending) or "—", case_stands(e)]
                        for e in r.case_entries], right_from=9)
        self.w("## " + _("About this report"))
        self.w()
        for text in r.notes:
            self.w(_e(text))
            self.w()
        self.w(_("Made for: the implementation committee. See docs/report.md.") if r.committee
               else _("Made for: the coordinator. See docs/report.md."))
        return "\n".join(self.lines) + "\n"

    def outcome_table(self, rows: list[OutcomeRow], rules: bool) -> None:
        head = [_("Rule"), _("Step"), _("Severity")] if rules else [_("Step")]
        body = []
        for row in rows:
            if rules:
                first = [f"**{row.key}** {_e(row.label)}", _e(step_label(row.step)), severity_word(row.severity or "")]
            elif row.title.lower().startswith(row.label.lower()):
                first = [f"**{_e(row.title)}**"]
            else:
                first = [f"**{_e(row.label)}** {_e(row.title)}"]
            extra = [str(row.waived.value)] if rules else []
            body.append(first + [str(row.satisfied.value), str(row.violated.value), str(row.pending.value),
                                 str(row.not_applicable.value), *extra,
                                 rate_text(row.rate, row.rate_below, none=_("not rated"))])
        self.table(head + [_("Satisfied"), _("Violated"), _("Pending"), _("Not applicable"),
                           *([_("Waived")] if rules else []), _("Violation rate")], body, right_from=len(head))


def write_markdown(report: Report, out: TextIO) -> None:
    out.write(MarkdownReport(report).render())
