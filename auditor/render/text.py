"""The default human-readable report: per case, findings grouped by the guide's steps."""

from __future__ import annotations

from typing import TextIO

from ..engine import CaseAudit
from ..i18n import N_, format_day, format_percent
from ..i18n_domains import _
from ..outcomes import PENDING, VIOLATED
from ..rubric import Rubric
from ..rule_text import rubric_name, rule_name
from ..safe_text import for_terminal
from . import Finding, RunNotes, WriterOptions, finding_record, step_heading
from .summary import RunSummary

MARK = {VIOLATED: "✗", PENDING: "…"}
WAIVED_MARK = "○"
#: A finding's status word, padded to 8 columns in the text report (a rule's severity, or these).
#: An outcome as a word in running text (a waived finding says what it was).
OUTCOME_WORDS = {"violated": N_("violated"), "pending": N_("pending")}
STATUS = {
    "error": N_("error"), "warning": N_("warning"), "info": N_("info"),
    # Translators: a finding's status in the text report: the rule's window is still open.
    "pending": N_("pending"),
    # Translators: a finding's status in the text report: a waiver covers it.
    "waived": N_("waived"),
}


def _where(ref: dict) -> str:
    place = for_terminal(ref["event"])
    if "line" in ref:
        place += " " + _("(line {line})").format(line=ref["line"])
    return place


def _fidelity(value: float | None) -> str:
    # Translators: a fidelity that cannot be computed (no applicable rule).
    return _("n/a") if value is None else format_percent(value)


class TextWriter:
    part_prefix = ""

    def __init__(self, out: TextIO, rubric: Rubric, options: WriterOptions | None = None) -> None:
        self.out = out
        self.rubric = rubric
        self.show_pending = (options or WriterOptions()).show_pending

    def case(self, audit: CaseAudit) -> None:
        w = self.out.write
        source = f"  {for_terminal(audit.case.source)}" if audit.case.source else ""
        w("\n" + _("case {case}").format(case=for_terminal(audit.case.case)) + f"{source}\n")
        w("  " + _("fidelity {fidelity} · as of {date}").format(
            fidelity=_fidelity(audit.fidelity), date=format_day(audit.case.as_of)) + "\n")
        for warning in audit.warnings:
            w("  " + _("warning: {message}").format(message=for_terminal(warning)) + "\n")
        by_step: dict[str, list[Finding]] = {}
        waived = 0
        for r in audit.results:
            if r.outcome == VIOLATED or (self.show_pending and r.outcome == PENDING):
                finding = finding_record(audit, self.rubric, r)
                by_step.setdefault(finding.step, []).append(finding)
            if r.waiver is not None:
                waived += 1
        if not by_step:
            w("  " + _("no findings: every applicable rule is satisfied") + "\n")
        # The status column: its longest word in the language shown, and a space (8 in English).
        width = max(len(_(word)) for word in STATUS.values()) + 1
        for step_id, step in self.rubric.steps.items():
            found = by_step.get(step_id)
            if not found:
                continue
            w(f"  {step_heading(step_id, step)}\n")
            for f in found:
                if f.waived:
                    mark, status = WAIVED_MARK, "waived"
                else:
                    mark, status = MARK[f.outcome], f.severity if f.outcome == VIOLATED else "pending"
                shown = _(STATUS[status]) if status in STATUS else status
                name = rule_name(self.rubric.by_code[f.rule].spec)
                head = f"{mark} {shown:<{width}} {f.rule} {name}"
                if f.at:
                    # Translators: a finding's rule, then the events at fault ("✗ error RTW102 name: e9 (line 27)").
                    head = _("{finding}: {events}").format(finding=head, events=", ".join(_where(ref) for ref in f.at))
                w(f"    {head}\n")
                w(f"        {f.summary}\n")
                w("        " + _("source: {source}").format(source=f.source) + "\n")
                if f.next_step and not f.waived:
                    w("        " + _("next: {advice}").format(advice=f.next_step) + "\n")
                if f.waived:
                    w("        " + _("waived ({outcome}, {severity}): {justification}").format(
                        outcome=_(OUTCOME_WORDS.get(f.outcome, f.outcome)),
                        severity=_(STATUS.get(f.severity, f.severity)),
                        justification=for_terminal(f.waiver.justification)) + "\n")
                    w(f"        {for_terminal(f.waiver.terms())}\n")
        counts: dict[str, int] = {}
        for r in audit.results:
            counts[r.outcome] = counts.get(r.outcome, 0) + 1
        line = _("{satisfied} satisfied · {violated} violated · {pending} pending · {na} not applicable").format(
            satisfied=counts.get("satisfied", 0), violated=counts.get("violated", 0),
            pending=counts.get("pending", 0), na=counts.get("not_applicable", 0))
        if waived:
            line += " · " + _("{count} waived").format(count=waived)
        w(f"  {line}\n")

    def finish(self, summary: RunSummary, notes: RunNotes | None = None) -> None:
        d = summary.to_dict()
        sev = d["violated_by_severity"]
        mean = summary.mean_fidelity
        waived = ("; " + _("{count} waived").format(count=summary.waived)) if summary.waived else ""
        self.out.write("\n" + _(
            "{cases} case(s) audited with {rubric}: {with_violations} with violations "
            "({errors} error, {warnings} warning, {infos} info); {pending} pending{waived}; mean fidelity {fidelity}"
        ).format(
            cases=d["cases"], rubric=rubric_name(self.rubric), with_violations=d["cases_with_violations"],
            errors=sev["error"], warnings=sev["warning"], infos=sev["info"], pending=d["outcomes"]["pending"],
            waived=waived, fidelity=_fidelity(mean),
        ) + "\n")
        if notes is not None:
            for warning in notes.waiver_warnings:
                self.out.write(_("warning: {message}").format(message=warning) + "\n")
