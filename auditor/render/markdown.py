"""``--format markdown``: a table per case, for a coordinator's notes or a committee's wiki."""

from __future__ import annotations

from typing import TextIO

from ..engine import CaseAudit
from ..i18n import format_day, format_percent
from ..i18n_domains import _
from ..outcomes import PENDING, VIOLATED
from ..rubric import Rubric
from ..rule_text import rubric_name, rule_name
from ..safe_text import markdown_cell
from . import Finding, RunNotes, WriterOptions, finding_record
from .summary import RunSummary
from .text import OUTCOME_WORDS, STATUS


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _place(ref: dict) -> str:
    """An event as the reader finds it: its id (escaped: ids are untrusted) and ``file:line``."""
    where = ":".join(str(p) for p in (ref.get("file"), ref.get("line")) if p is not None)
    return markdown_cell(ref["event"]) + (f" ({markdown_cell(where)})" if "line" in ref else "")


def _percent(value: float | None) -> str:
    return _("n/a") if value is None else format_percent(value)


def _word(words: dict, value: str) -> str:
    """An outcome or severity as a word of the active language (unknown values as written)."""
    return _(words[value]) if value in words else value


def _events(finding: Finding) -> str:
    return ", ".join(_place(ref) for ref in finding.at)


class MarkdownWriter:
    """``header=False`` writes cases only (one part of a parallel run, see ``auditor.parallel``)."""

    part_prefix = ""

    def __init__(self, out: TextIO, rubric: Rubric, options: WriterOptions | None = None) -> None:
        self.out = out
        self.rubric = rubric
        if (options or WriterOptions()).header:
            out.write("# " + _("Audit of case logs") + "\n\n"
                      + _("Rubric: {name}").format(name=_cell(rubric_name(rubric))) + "\n")

    def case(self, audit: CaseAudit) -> None:
        w = self.out.write
        w("\n## " + _("Case {case}").format(case=markdown_cell(audit.case.case)) + "\n\n"
          + _("Fidelity: **{fidelity}** · as of {date}").format(
              fidelity=_percent(audit.fidelity), date=format_day(audit.case.as_of)) + "\n\n")
        findings = [finding_record(audit, self.rubric, r) for r in audit.results if r.outcome in (VIOLATED, PENDING)]
        if not findings:
            w(_("No findings: every applicable rule is satisfied.") + "\n")
            return
        # Translators: the columns of the findings table, in Markdown (keep the | separators).
        w(_("| step | outcome | severity | rule | events | what the guide asks | source |") + "\n")
        w("|---|---|---|---|---|---|---|\n")
        for f in findings:
            outcome = _word(OUTCOME_WORDS, f.outcome)
            if f.waived:
                outcome = _("waived ({outcome})").format(outcome=outcome)
            name = rule_name(self.rubric.by_code[f.rule].spec)
            w(
                f"| {f.step} | {outcome} | {_word(STATUS, f.severity)} | {f.rule} {name} | {_events(f) or '—'} "
                f"| {_cell(f.summary)} | {_cell(f.source)} |\n"
            )
        waived = [f for f in findings if f.waived]
        if waived:
            w("\n" + _("Waived:") + "\n\n")
            for f in waived:
                w(f"- {f.rule}: {markdown_cell(f.waiver.justification)} ({markdown_cell(f.waiver.terms())})\n")

    def finish(self, summary: RunSummary, notes: RunNotes | None = None) -> None:
        d = summary.to_dict()
        mean = summary.mean_fidelity
        self.out.write(
            "\n## " + _("Summary") + "\n\n"
            + _("| cases | with violations | errors | warnings | infos | pending | mean fidelity |")
            + "\n|---|---|---|---|---|---|---|\n"
            f"| {d['cases']} | {d['cases_with_violations']} | {d['violated_by_severity']['error']} "
            f"| {d['violated_by_severity']['warning']} | {d['violated_by_severity']['info']} | {d['outcomes']['pending']} "
            f"| {_percent(mean)} |\n"
        )
        if summary.waived:
            self.out.write("\n" + _("Waived findings (not counted above nor in fidelity): {count}").format(
                count=summary.waived) + "\n")
        if notes is not None and notes.waiver_warnings:
            self.out.write("\n## " + _("Waivers to review") + "\n\n")
            for warning in notes.waiver_warnings:
                self.out.write("- " + _("warning: {message}").format(message=markdown_cell(warning)) + "\n")
