"""Totals across the cases of one run, accumulated as cases stream past (constant memory)."""

from __future__ import annotations

import math
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
    #: Findings covered by a waiver: counted under their outcome, but not as violations.
    waived: int = 0
    fidelity_count: int = 0
    #: The exact sum of the fidelities so far, as Shewchuk's non-overlapping partials (what
    #: ``math.fsum`` keeps): the sum no longer depends on the order of the additions, so the parts
    #: of a parallel run merge to the very same mean as one process, in constant memory.
    fidelity_partials: list = field(default_factory=list)

    def add(self, audit: CaseAudit) -> None:
        self.cases += 1
        any_violation = False
        outcomes = self.outcomes
        for r in audit.results:
            outcome = r.outcome
            outcomes[outcome] += 1
            if r.waiver is not None:
                self.waived += 1
            elif outcome == VIOLATED:
                self.violated_by_severity[r.severity] += 1
                any_violation = True
        self.cases_with_violations += any_violation
        if audit.fidelity is not None:
            _grow(self.fidelity_partials, audit.fidelity)
            self.fidelity_count += 1

    def merge(self, other: RunSummary) -> None:
        """Add the totals of the cases that came after these (another part of the same run)."""
        self.cases += other.cases
        self.outcomes.update(other.outcomes)
        self.violated_by_severity.update(other.violated_by_severity)
        self.cases_with_violations += other.cases_with_violations
        self.waived += other.waived
        for partial in other.fidelity_partials:
            _grow(self.fidelity_partials, partial)
        self.fidelity_count += other.fidelity_count

    @property
    def fidelity_sum(self) -> float:
        return math.fsum(self.fidelity_partials)

    @property
    def mean_fidelity(self) -> float | None:
        return self.fidelity_sum / self.fidelity_count if self.fidelity_count else None

    def to_dict(self) -> dict:
        """The totals; ``waived`` only when a finding was waived (a run without waivers reads as before)."""
        mean = self.mean_fidelity
        d = {
            "cases": self.cases,
            "cases_with_violations": self.cases_with_violations,
            "outcomes": {o: self.outcomes.get(o, 0) for o in OUTCOMES},
            "violated_by_severity": {s: self.violated_by_severity.get(s, 0) for s in ("error", "warning", "info")},
            "mean_fidelity": None if mean is None else round(mean, 4),
        }
        if self.waived:
            d["waived"] = self.waived
        return d


def _grow(partials: list, x: float) -> None:
    """Add ``x`` to an exact sum kept as non-overlapping partials (Shewchuk; as ``math.fsum`` does)."""
    i = 0
    for y in partials:
        if abs(x) < abs(y):
            x, y = y, x
        hi = x + y
        lo = y - (hi - x)
        if lo:
            partials[i] = lo
            i += 1
        x = hi
    partials[i:] = [x]
