"""Totals across the cases of one run, accumulated as cases stream past (constant memory)."""

from __future__ import annotations

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

    def add(self, audit: CaseAudit) -> None:
        self.cases += 1
        any_violation = False
        for r in audit.results:
            self.outcomes[r.outcome] += 1
            if r.outcome == VIOLATED:
                self.violated_by_severity[r.severity] += 1
                any_violation = True
        self.cases_with_violations += any_violation
        if audit.fidelity is not None:
            self.fidelity_sum += audit.fidelity
            self.fidelity_count += 1

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
