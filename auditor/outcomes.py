"""Outcomes of a rule on a case, and the case's fidelity score."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NOT_APPLICABLE = "not_applicable"
SATISFIED = "satisfied"
VIOLATED = "violated"
PENDING = "pending"
OUTCOMES = (NOT_APPLICABLE, SATISFIED, VIOLATED, PENDING)

SEVERITY_WEIGHT = {"error": 3, "warning": 2, "info": 1}
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}

# When one rule judges several things (each not_ready, each conflict), the worst stands.
_WORST_ORDER = {VIOLATED: 3, PENDING: 2, SATISFIED: 1, NOT_APPLICABLE: 0}


def worst(outcomes) -> str:
    return max(outcomes, key=_WORST_ORDER.__getitem__, default=NOT_APPLICABLE)


@dataclass(slots=True)
class Verdict:
    """What a check found: its outcome and the positions (in ``case.events``) of the events at fault."""

    outcome: str
    events: list[int] = field(default_factory=list)


# Verdicts that name no event are all alike: checks return these shared ones (never mutate them).
NA = Verdict(NOT_APPLICABLE)
OK = Verdict(SATISFIED)
WAIT = Verdict(PENDING)
FAIL = Verdict(VIOLATED)


@dataclass(slots=True)
class RuleResult:
    """A rule's outcome on a case and the positions of the events at fault. ``waiver`` is the
    justified exception that covers this finding (``auditor.waivers``): the outcome stays as judged,
    but a waived finding counts toward neither ``--fail-on`` nor fidelity."""

    rule: str
    severity: str
    outcome: str
    events: list[int]
    waiver: Any = None

    @property
    def waived(self) -> bool:
        return self.waiver is not None


def fidelity(results: list[RuleResult]) -> float | None:
    """Share of applicable, decided rules that are satisfied, weighted error 3, warning 2, info 1.

    ``None`` when no rule was decided: a case with nothing to judge has no score, rather than a
    perfect or a failing one. A waived finding is left out, as if it had not been decided: the
    waiver says the deviation was justified, not that the rule was kept.
    """
    total = kept = 0
    for r in results:
        if (r.outcome == SATISFIED or r.outcome == VIOLATED) and r.waiver is None:
            w = SEVERITY_WEIGHT[r.severity]
            total += w
            if r.outcome == SATISFIED:
                kept += w
    return None if total == 0 else kept / total
