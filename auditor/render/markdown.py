"""``--format markdown``: a table per case, for a coordinator's notes or a committee's wiki."""

from __future__ import annotations

from typing import TextIO

from ..engine import CaseAudit
from ..outcomes import PENDING, VIOLATED
from ..rubric import Rubric
from . import event_ref, summary_text
from ..safe_text import markdown_cell
from .summary import RunSummary


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _place(ref: dict) -> str:
    """An event as the reader finds it: its id (escaped: ids are untrusted) and ``file:line``."""
    where = ":".join(str(p) for p in (ref.get("file"), ref.get("line")) if p is not None)
    return markdown_cell(ref["event"]) + (f" ({markdown_cell(where)})" if "line" in ref else "")


class MarkdownWriter:
    """``header=False`` writes cases only (one part of a parallel run, see ``auditor.parallel``)."""

    def __init__(self, out: TextIO, rubric: Rubric, *, header: bool = True) -> None:
        self.out = out
        self.rubric = rubric
        if header:
            out.write(f"# Audit of case logs\n\nRubric: {_cell(rubric.name)}\n")

    def case(self, audit: CaseAudit) -> None:
        w = self.out.write
        fid = "n/a" if audit.fidelity is None else f"{audit.fidelity:.0%}"
        w(f"\n## Case {markdown_cell(audit.case.case)}\n\nFidelity: **{fid}** · as of {audit.case.as_of.isoformat()}\n\n")
        rows = [r for r in audit.results if r.outcome in (VIOLATED, PENDING)]
        if not rows:
            w("No findings: every applicable rule is satisfied.\n")
            return
        w("| step | outcome | severity | rule | events | what the guide asks | source |\n")
        w("|---|---|---|---|---|---|---|\n")
        for r in rows:
            spec = self.rubric.rule(r.rule).spec
            events = ", ".join(_place(ref) for ref in (event_ref(audit, i) for i in r.events))
            w(
                f"| {spec.step} | {r.outcome} | {r.severity} | {spec.code} {spec.name} | {events or '—'} "
                f"| {_cell(summary_text(spec))} | {_cell(spec.source)} |\n"
            )

    def finish(self, summary: RunSummary) -> None:
        d = summary.to_dict()
        mean = summary.mean_fidelity
        self.out.write(
            "\n## Summary\n\n"
            f"| cases | with violations | errors | warnings | infos | pending | mean fidelity |\n|---|---|---|---|---|---|---|\n"
            f"| {d['cases']} | {d['cases_with_violations']} | {d['violated_by_severity']['error']} "
            f"| {d['violated_by_severity']['warning']} | {d['violated_by_severity']['info']} | {d['outcomes']['pending']} "
            f"| {'n/a' if mean is None else f'{mean:.0%}'} |\n"
        )
