"""The default human-readable report: per case, findings grouped by the guide's steps."""

from __future__ import annotations

from typing import TextIO

from ..engine import CaseAudit
from ..outcomes import PENDING, VIOLATED
from ..rubric import Rubric
from . import event_ref, step_heading, summary_text
from ..safe_text import for_terminal
from .summary import RunSummary

MARK = {VIOLATED: "✗", PENDING: "…"}


def _where(ref: dict) -> str:
    place = for_terminal(ref["event"])
    if "line" in ref:
        place += f" (line {ref['line']})"
    return place


def _fidelity(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


class TextWriter:
    def __init__(self, out: TextIO, rubric: Rubric, *, show_pending: bool = True) -> None:
        self.out = out
        self.rubric = rubric
        self.show_pending = show_pending

    def case(self, audit: CaseAudit) -> None:
        w = self.out.write
        source = f"  {for_terminal(audit.case.source)}" if audit.case.source else ""
        w(f"\ncase {for_terminal(audit.case.case)}{source}\n")
        w(f"  fidelity {_fidelity(audit.fidelity)} · as of {audit.case.as_of.isoformat()}\n")
        for warning in audit.warnings:
            w(f"  warning: {warning}\n")
        by_step: dict[str, list] = {}
        for r in audit.results:
            if r.outcome == VIOLATED or (self.show_pending and r.outcome == PENDING):
                by_step.setdefault(self.rubric.rule(r.rule).spec.step, []).append(r)
        if not by_step:
            w("  no findings: every applicable rule is satisfied\n")
        for step_id, step in self.rubric.steps.items():
            found = by_step.get(step_id)
            if not found:
                continue
            w(f"  {step_heading(step_id, step)}\n")
            for r in found:
                spec = self.rubric.rule(r.rule).spec
                status = r.severity if r.outcome == VIOLATED else "pending"
                w(f"    {MARK[r.outcome]} {status:<8} {spec.code} {spec.name}")
                if r.events:
                    w(": " + ", ".join(_where(event_ref(audit, i)) for i in r.events))
                w("\n")
                w(f"        {summary_text(spec)}\n")
                w(f"        source: {spec.source}\n")
        counts = {}
        for r in audit.results:
            counts[r.outcome] = counts.get(r.outcome, 0) + 1
        w(
            f"  {counts.get('satisfied', 0)} satisfied · {counts.get('violated', 0)} violated · "
            f"{counts.get('pending', 0)} pending · {counts.get('not_applicable', 0)} not applicable\n"
        )

    def finish(self, summary: RunSummary) -> None:
        d = summary.to_dict()
        sev = d["violated_by_severity"]
        mean = summary.mean_fidelity
        self.out.write(
            f"\n{d['cases']} case(s) audited with {self.rubric.name}: "
            f"{d['cases_with_violations']} with violations "
            f"({sev['error']} error, {sev['warning']} warning, {sev['info']} info); "
            f"{d['outcomes']['pending']} pending; mean fidelity {_fidelity(mean)}\n"
        )
