"""Totals across the cases of one run, accumulated as cases stream past (constant memory)."""

from __future__ import annotations

from array import array
from collections import Counter
from dataclasses import dataclass, field

from ..engine import CaseAudit
from ..outcomes import OUTCOMES, VIOLATED


@dataclass
class RunSummary:
    cases: int = 0
    outcomes: Counter = field(default_factory=Counter)
    violated_by_severity: Counter = field(default_factory=Counter)
    cases_with_violations: int = 0
    fidelity_sum: float = 0.0
    fidelity_count: int = 0
    #: Each case's fidelity in order, when kept (``RunSummary(fidelities=array("d"))``, 8 bytes a
    #: case): a part of a parallel run keeps them so that ``merge`` adds them up in the same order as
    #: one process would, and the mean is the same to the last bit.
    fidelities: array | None = None

    def add(self, audit: CaseAudit) -> None:
        self.cases += 1
        any_violation = False
        outcomes = self.outcomes
        for r in audit.results:
            outcome = r.outcome
            outcomes[outcome] += 1
            if outcome == VIOLATED:
                self.violated_by_severity[r.severity] += 1
                any_violation = True
        self.cases_with_violations += any_violation
        if audit.fidelity is not None:
            self.fidelity_sum += audit.fidelity
            self.fidelity_count += 1
            if self.fidelities is not None:
                self.fidelities.append(audit.fidelity)

    def merge(self, other: RunSummary) -> None:
        """Add the totals of the cases that came after these (another part of the same run)."""
        self.cases += other.cases
        self.outcomes.update(other.outcomes)
        self.violated_by_severity.update(other.violated_by_severity)
        self.cases_with_violations += other.cases_with_violations
        if other.fidelities is not None:
            total = self.fidelity_sum
            for value in other.fidelities:  # float sums depend on order: add them one by one
                total += value
            self.fidelity_sum = total
            if self.fidelities is not None:
                self.fidelities.extend(other.fidelities)
        else:
            self.fidelity_sum += other.fidelity_sum
        self.fidelity_count += other.fidelity_count

    @property
    def mean_fidelity(self) -> float | None:
        return self.fidelity_sum / self.fidelity_count if self.fidelity_count else None

    def to_dict(self) -> dict:
        mean = self.mean_fidelity
        return {
            "cases": self.cases,
            "cases_with_violations": self.cases_with_violations,
            "outcomes": {o: self.outcomes.get(o, 0) for o in OUTCOMES},
            "violated_by_severity": {s: self.violated_by_severity.get(s, 0) for s in ("error", "warning", "info")},
            "mean_fidelity": None if mean is None else round(mean, 4),
        }
