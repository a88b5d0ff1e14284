"""Output formats for ``rtw-audit check``: each one its own small module over one finding record.

Every renderer reads the same ``finding_record`` dictionaries, so the formats cannot drift apart
and none of them can print what the record does not carry — no ``notes``, no party ``name``.
"""

from __future__ import annotations

from ..engine import CaseAudit
from ..rubric import Rubric


def summary_text(spec) -> str:
    """The rule's one-sentence summary with its parameters' values in place of their names, so a
    finding reads "within 7 days" rather than "within `max_days`" (field names stay as written)."""
    text = spec.summary
    for name, value in spec.params.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        if name.endswith("_days"):
            shown = f"{value} day" + ("" if value == 1 else "s")
        elif isinstance(value, float) and 0 < value < 1:
            shown = f"{value:.0%}"
        else:
            shown = str(value)
        text = text.replace(f"`{name}`", shown)
    return text


def step_heading(step_id: str, step) -> str:
    """"Step 4 — Prepare for the meeting…" for the guide's steps; the title alone for the other groups."""
    return f"Step {step_id} — {step.title}" if step_id.isdigit() else step.title


def event_ref(audit: CaseAudit, position: int) -> dict:
    event = audit.case.events[position]
    ref = {"event": event.label}
    if audit.case.source is not None:
        ref["file"] = audit.case.source
    if event.line is not None:
        ref["line"] = event.line
    return ref


def result_record(audit: CaseAudit, rubric: Rubric, result) -> dict:
    """One rule's result on a case: ``{"rule", "outcome", "events"}`` plus the rule's name, severity,
    step, and where each event at fault is written."""
    spec = rubric.rule(result.rule).spec
    events = audit.case.events
    return {
        "rule": result.rule,
        "outcome": result.outcome,
        "events": [events[i].label for i in result.events],
        "name": spec.name,
        "severity": result.severity,
        "step": spec.step,
        "at": [event_ref(audit, i) for i in result.events],
    }


def case_record(audit: CaseAudit, rubric: Rubric) -> dict:
    """The JSON shape: ``{"case", "fidelity", "results": [{"rule", "outcome", "events"}, ...]}`` plus context."""
    results = [result_record(audit, rubric, result) for result in audit.results]
    record = {
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
