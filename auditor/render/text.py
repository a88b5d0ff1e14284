"""The default human-readable report: per case, findings grouped by the guide's steps."""

from __future__ import annotations

from typing import TextIO

from ..engine import CaseAudit
from ..outcomes import PENDING, VIOLATED
from ..rubric import Rubric
from ..safe_text import for_terminal
from . import Finding, RunNotes, WriterOptions, finding_record, step_heading
from .summary import RunSummary

MARK = {VIOLATED: "✗", PENDING: "…"}
WAIVED_MARK = "○"


def _where(ref: dict) -> str:
    place = for_terminal(ref["event"])
    if "line" in ref:
        place += f" (line {ref['line']})"
    return place


def _fidelity(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


class TextWriter:
    part_prefix = ""

    def __init__(self, out: TextIO, rubric: Rubric, options: WriterOptions | None = None) -> None:
        self.out = out
        self.rubric = rubric
        self.show_pending = (options or WriterOptions()).show_pending

    def case(self, audit: CaseAudit) -> None:
        w = self.out.write
        source = f"  {for_terminal(audit.case.source)}" if audit.case.source else ""
        w(f"\ncase {for_terminal(audit.case.case)}{source}\n")
        w(f"  fidelity {_fidelity(audit.fidelity)} · as of {audit.case.as_of.isoformat()}\n")
        for warning in audit.warnings:
            w(f"  warning: {for_terminal(warning)}\n")
        by_step: dict[str, list[Finding]] = {}
        waived = 0
        for r in audit.results:
            if r.outcome == VIOLATED or (self.show_pending and r.outcome == PENDING):
                finding = finding_record(audit, self.rubric, r)
                by_step.setdefault(finding.step, []).append(finding)
            if r.waiver is not None:
                waived += 1
        if not by_step:
            w("  no findings: every applicable rule is satisfied\n")
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
                w(f"    {mark} {status:<8} {f.rule} {f.name}")
                if f.at:
                    w(": " + ", ".join(_where(ref) for ref in f.at))
                w("\n")
                w(f"        {f.summary}\n")
                w(f"        source: {f.source}\n")
                if f.next_step and not f.waived:
                    w(f"        next: {f.next_step}\n")
                if f.waived:
                    w(f"        waived ({f.outcome}, {f.severity}): {for_terminal(f.waiver.justification)}\n")
                    w(f"        {for_terminal(f.waiver.terms())}\n")
        counts: dict[str, int] = {}
        for r in audit.results:
            counts[r.outcome] = counts.get(r.outcome, 0) + 1
        w(
            f"  {counts.get('satisfied', 0)} satisfied · {counts.get('violated', 0)} violated · "
            f"{counts.get('pending', 0)} pending · {counts.get('not_applicable', 0)} not applicable"
            + (f" · {waived} waived" if waived else "") + "\n"
        )

    def finish(self, summary: RunSummary, notes: RunNotes | None = None) -> None:
        d = summary.to_dict()
        sev = d["violated_by_severity"]
        mean = summary.mean_fidelity
        waived = f"; {summary.waived} waived" if summary.waived else ""
        self.out.write(
            f"\n{d['cases']} case(s) audited with {self.rubric.name}: "
            f"{d['cases_with_violations']} with violations "
            f"({sev['error']} error, {sev['warning']} warning, {sev['info']} info); "
            f"{d['outcomes']['pending']} pending{waived}; mean fidelity {_fidelity(mean)}\n"
        )
        if notes is not None:
            for warning in notes.waiver_warnings:
                self.out.write(f"warning: {warning}\n")
