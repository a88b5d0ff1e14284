"""``--format markdown``: a table per case, for a coordinator's notes or a committee's wiki."""

from __future__ import annotations

from typing import TextIO

from ..engine import CaseAudit
from ..outcomes import PENDING, VIOLATED
from ..rubric import Rubric
from ..safe_text import markdown_cell
from . import Finding, RunNotes, WriterOptions, finding_record
from .summary import RunSummary


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _place(ref: dict) -> str:
    """An event as the reader finds it: its id (escaped: ids are untrusted) and ``file:line``."""
    where = ":".join(str(p) for p in (ref.get("file"), ref.get("line")) if p is not None)
    return markdown_cell(ref["event"]) + (f" ({markdown_cell(where)})" if "line" in ref else "")


def _events(finding: Finding) -> str:
    return ", ".join(_place(ref) for ref in finding.at)


class MarkdownWriter:
    """``header=False`` writes cases only (one part of a parallel run, see ``auditor.parallel``)."""

    part_prefix = ""

    def __init__(self, out: TextIO, rubric: Rubric, options: WriterOptions | None = None) -> None:
        self.out = out
        self.rubric = rubric
        if (options or WriterOptions()).header:
            out.write(f"# Audit of case logs\n\nRubric: {_cell(rubric.name)}\n")

    def case(self, audit: CaseAudit) -> None:
        w = self.out.write
        fid = "n/a" if audit.fidelity is None else f"{audit.fidelity:.0%}"
        w(f"\n## Case {markdown_cell(audit.case.case)}\n\nFidelity: **{fid}** · as of {audit.case.as_of.isoformat()}\n\n")
        findings = [finding_record(audit, self.rubric, r) for r in audit.results if r.outcome in (VIOLATED, PENDING)]
        if not findings:
            w("No findings: every applicable rule is satisfied.\n")
            return
        w("| step | outcome | severity | rule | events | what the guide asks | source |\n")
        w("|---|---|---|---|---|---|---|\n")
        for f in findings:
            outcome = f"waived ({f.outcome})" if f.waived else f.outcome
            w(
                f"| {f.step} | {outcome} | {f.severity} | {f.rule} {f.name} | {_events(f) or '—'} "
                f"| {_cell(f.summary)} | {_cell(f.source)} |\n"
            )
        waived = [f for f in findings if f.waived]
        if waived:
            w("\nWaived:\n\n")
            for f in waived:
                w(f"- {f.rule}: {markdown_cell(f.waiver.justification)} ({markdown_cell(f.waiver.terms())})\n")

    def finish(self, summary: RunSummary, notes: RunNotes | None = None) -> None:
        d = summary.to_dict()
        mean = summary.mean_fidelity
        self.out.write(
            "\n## Summary\n\n"
            f"| cases | with violations | errors | warnings | infos | pending | mean fidelity |\n|---|---|---|---|---|---|---|\n"
            f"| {d['cases']} | {d['cases_with_violations']} | {d['violated_by_severity']['error']} "
            f"| {d['violated_by_severity']['warning']} | {d['violated_by_severity']['info']} | {d['outcomes']['pending']} "
            f"| {'n/a' if mean is None else f'{mean:.0%}'} |\n"
        )
        if summary.waived:
            self.out.write(f"\nWaived findings (not counted above nor in fidelity): {summary.waived}\n")
        if notes is not None and notes.waiver_warnings:
            self.out.write("\n## Waivers to review\n\n")
            for warning in notes.waiver_warnings:
                self.out.write(f"- warning: {markdown_cell(warning)}\n")
