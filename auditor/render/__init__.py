"""Output formats for ``rtw-audit check``: each one its own small module over one finding record.

Every writer renders the same record of a finding (``finding_record`` → ``Finding``), so the formats
cannot drift apart and none of them can print what the record does not carry — no ``notes``, no party
``name``. Every writer follows one protocol (``Writer``) and is found by its format's name in
``auditor.render.registry``, so no caller chooses or tests a writer class itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from ..engine import CaseAudit
from ..i18n import format_percent
from ..i18n_domains import _, ngettext
from ..outcomes import PENDING, RuleResult
from ..rubric import Rubric
from ..rule_text import rule_field, step_field

if TYPE_CHECKING:
    from .summary import RunSummary


def summary_text(spec) -> str:
    """The rule's one-sentence summary with its parameters' values in place of their names, so a
    finding reads "within 7 days" rather than "within `max_days`" (field names stay as written).
    The summary is the active language's (a translation keeps the backquoted names, so they are replaced
    alike)."""
    text = rule_field(spec, "summary")
    for name, value in spec.params.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        if name.endswith("_days"):
            shown = ngettext("{count} day", "{count} days", 1 if value == 1 else 2).format(count=value)
        elif isinstance(value, float) and 0 < value < 1:
            shown = format_percent(value)
        else:
            shown = str(value)
        text = text.replace(f"`{name}`", shown)
    return text


def step_heading(step_id: str, step) -> str:
    """"Step 4 — Prepare for the meeting…" for the guide's steps; the title alone for the other groups."""
    title = step_field(step, "title")
    # Translators: the heading of a step of the IRSST guide, e.g. "Step 4 — Prepare for the meeting…"
    return _("Step {number} — {title}").format(number=step_id, title=title) if step_id.isdigit() else title


def event_ref(audit: CaseAudit, position: int) -> dict:
    event = audit.case.events[position]
    ref: dict[str, Any] = {"event": event.label}
    if audit.case.source is not None:
        ref["file"] = audit.case.source
    if event.line is not None:
        ref["line"] = event.line
    return ref


@dataclass(slots=True)
class Finding:
    """One rule's result on a case as every format shows it: the rule and its outcome, the events at
    fault and where they are written, what the guide asks and where it says so, and the waiver that
    covers it, if any. No field of it can hold a ``notes`` text or a party ``name``."""

    rule: str
    outcome: str
    events: list[str]
    name: str
    severity: str
    step: str
    at: list[dict]
    summary: str
    source: str
    waiver: Any = None
    next_step: str | None = None  # shown to a coordinator in text; not part of the JSON shape

    @property
    def waived(self) -> bool:
        """For the committee report, which counts waived findings but never shows a justification."""
        return self.waiver is not None

    def json(self) -> dict:
        """The JSON shape: ``{"rule", "outcome", "events", "name", "severity", "step", "at"}`` and,
        for a waived finding, ``"waiver": {"justification", "approved_by", "expires"}``."""
        record: dict[str, Any] = {
            "rule": self.rule,
            "outcome": self.outcome,
            "events": self.events,
            "name": self.name,
            "severity": self.severity,
            "step": self.step,
            "at": self.at,
        }
        if self.waiver is not None:
            record["waiver"] = self.waiver.record()
        return record


def finding_record(audit: CaseAudit, rubric: Rubric, result: RuleResult) -> Finding:
    """The one record of a rule's result on a case that the text, Markdown and JSON writers render."""
    spec = rubric.by_code[result.rule].spec
    events = audit.case.events
    return Finding(
        rule=result.rule,
        outcome=result.outcome,
        events=[events[i].label for i in result.events],
        name=spec.name,
        severity=result.severity,
        step=spec.step,
        at=[event_ref(audit, i) for i in result.events],
        summary=summary_text(spec),
        source=rule_field(spec, "source"),
        waiver=result.waiver,
        next_step=(rule_field(spec, "pending_step") if result.outcome == PENDING and spec.pending_step
                   else rule_field(spec, "next_step")),
    )


def case_record(audit: CaseAudit, rubric: Rubric) -> dict:
    """The JSON shape: ``{"case", "fidelity", "results": [{"rule", "outcome", "events"}, ...]}`` plus context."""
    results = [finding_record(audit, rubric, result).json() for result in audit.results]
    record: dict[str, Any] = {
        "case": audit.case.case,
        "fidelity": None if audit.fidelity is None else round(audit.fidelity, 4),
        "results": results,
    }
    if audit.case.source is not None:
        record["source"] = audit.case.source
    record["as_of"] = audit.case.as_of.isoformat()
    if audit.warnings:
        record["warnings"] = list(audit.warnings)
    return record


@dataclass(slots=True)
class RunNotes:
    """What a run has to say besides its cases: the input problems (listed in JSON; the CLI prints
    them on stderr as they come), and the waivers that expired or matched nothing (every format)."""

    input_errors: list[str] = field(default_factory=list)
    expired_waivers: list[str] = field(default_factory=list)
    unused_waivers: list[str] = field(default_factory=list)

    @property
    def waiver_warnings(self) -> list[str]:
        return [*self.expired_waivers, *self.unused_waivers]


@dataclass(slots=True)
class WriterOptions:
    """``header`` False: cases only, for one part of a parallel run (``auditor.parallel``)."""

    show_pending: bool = True
    header: bool = True


class Writer(Protocol):
    """What every output format of ``rtw-audit check`` does: one case at a time (memory stays flat
    on a big export), then the run's totals and notes."""

    #: What every case of a part (``header=False``) starts with that the document's first case does
    #: not (JSON: the comma between list items); the parallel run drops it once.
    part_prefix: str

    def case(self, audit: CaseAudit) -> None: ...

    def finish(self, summary: RunSummary, notes: RunNotes) -> None: ...


WriterFactory = Callable[[TextIO, Rubric, WriterOptions], Writer]
