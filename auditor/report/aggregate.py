"""Stream case audits into the counts a fidelity report needs, in memory that does not grow with cases.

Why streaming: a committee's export holds tens of thousands of cases; ``audit_inputs`` yields them one
at a time and this module keeps only counters, a histogram, and per-timing lists of small integers
(days) and per-period fidelity scores (per mille) for exact medians -- a few bytes a case. Only the
coordinator audience keeps a line per case that needs follow-up, because that list *is* its output.

Every count also carries a *signature*: the sum (mod 2**64) of a hash of each case it counts. Two
counts of the very same cases (the cases where RTW601 applied and the cases back at work) get the same
signature, and the suppression step treats them as one number, so a value withheld in one table can
never be read in another.
"""

from __future__ import annotations

from array import array
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ..engine import CaseAudit
from ..index import CaseIndex
from ..outcomes import NOT_APPLICABLE, PENDING, SATISFIED, VIOLATED, worst
from ..rubric import Rubric

OUTCOME_KEYS = (SATISFIED, VIOLATED, PENDING, NOT_APPLICABLE)

#: Rows of the overview's cross-table: where each case stands (one row per case).
STATUS_ROWS = ("returned", "declined", "withdrew", "other")
#: Columns of the overview: open or closed.
STATUS_COLS = ("open", "closed")

#: Timings the guides care about: key -> (what it measures).
TIMINGS = ("forwarding", "first_contact", "follow_up")

#: Fidelity histogram: per-mille bins [0,100), [100,200) ... [900,1000), and exactly 1000.
FIDELITY_BINS = tuple(range(0, 1000, 100)) + (1000,)

NO_START = "none"  # the period key of cases with no process start
_MASK = (1 << 64) - 1


def _mix(n: int) -> int:
    """splitmix64: a well-spread 64-bit hash of a case's ordinal, for set signatures."""
    z = (n + 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def period_key(day: date | None, by: str) -> str:
    """'2025-Q1' or '2025-03' for the process start; NO_START without one."""
    if day is None:
        return NO_START
    if by == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def periods_between(first: str, last: str, by: str) -> list[str]:
    """Every period key from ``first`` to ``last`` inclusive, so that empty periods show as 0."""
    y, rest = int(first[:4]), first[5:]
    ly, lrest = int(last[:4]), last[5:]
    if by == "month":
        n, ln = int(rest), int(lrest)
        out = []
        while (y, n) <= (ly, ln):
            out.append(f"{y:04d}-{n:02d}")
            n += 1
            if n > 12:
                y, n = y + 1, 1
        return out
    q, lq = int(rest[1:]), int(lrest[1:])
    out = []
    while (y, q) <= (ly, lq):
        out.append(f"{y:04d}-Q{q}")
        q += 1
        if q > 4:
            y, q = y + 1, 1
    return out


@dataclass(slots=True)
class CaseFacts:
    """What the report needs of one case, derived from its audit (also used by tests)."""

    start: date | None
    status: str  # one of STATUS_ROWS
    closed: bool
    fidelity: float | None
    error_violation: bool
    rule_outcomes: dict[str, str]
    step_outcomes: dict[str, str]
    timings: dict[str, int]


def case_facts(audit: CaseAudit, rubric: Rubric) -> CaseFacts:
    case = audit.case
    ix = CaseIndex(case)
    start = case.events[ix.process_start].day if ix.process_start is not None else None
    closed = ix.closed_index is not None
    if ix.return_index is not None:
        status = "returned"
    else:
        reason = case.events[ix.closed_index].get("reason") if closed else None
        if reason in ("declined", "withdrew"):
            status = reason
        else:
            decisions = [case.events[i].get("decision") for i in ix.participations]
            last = decisions[-1] if decisions else None
            status = last if last in ("declined", "withdrew") else "other"
    rule_outcomes = {r.rule: r.outcome for r in audit.results}
    by_step: dict[str, list[str]] = {}
    for r in audit.results:
        rule = rubric.rule(r.rule)
        if rule is not None:
            by_step.setdefault(rule.spec.step, []).append(r.outcome)
    step_outcomes = {s: worst(o) for s, o in by_step.items()}
    timings: dict[str, int] = {}
    absence = ix.first_absence
    if absence is not None and ix.process_start is not None:
        timings["forwarding"] = ix.days_between(absence, ix.process_start)
    cw = ix.coordinator_worker_contacts
    if absence is not None and cw:
        timings["first_contact"] = ix.days_between(absence, cw[0])
    ret = ix.return_index
    if ret is not None:
        after = next((i for i in cw if i > ret), None)
        if after is not None:
            timings["follow_up"] = ix.days_between(ret, after)
    error_violation = any(r.outcome == VIOLATED and r.severity == "error" for r in audit.results)
    return CaseFacts(start, status, closed, audit.fidelity, error_violation, rule_outcomes, step_outcomes, timings)


@dataclass(slots=True)
class CaseLine:
    """One case needing the coordinator's follow-up (coordinator audience only)."""

    case: str
    start: date | None
    fidelity: float | None
    violated: list[str]
    pending: list[str]
    status: str
    closed: bool


@dataclass
class Aggregate:
    """Counts across the cases of one report; feed it with ``add`` as audits stream past."""

    rubric: Rubric
    by: str = "quarter"
    start_from: date | None = None
    start_to: date | None = None
    keep_cases: bool = False

    cases: int = 0
    skipped: int = 0  # outside the period filter
    counts: Counter = field(default_factory=Counter)
    signatures: Counter = field(default_factory=Counter)
    fidelity_all: array = field(default_factory=lambda: array("H"))
    fidelity_by_period: dict[str, array] = field(default_factory=dict)
    timings: dict[str, array] = field(default_factory=lambda: {k: array("l") for k in TIMINGS})
    periods_seen: set = field(default_factory=set)
    first_start: date | None = None
    last_start: date | None = None
    latest_as_of: date | None = None
    case_lines: list[CaseLine] = field(default_factory=list)

    def _count(self, key: tuple, h: int) -> None:
        self.counts[key] += 1
        self.signatures[key] = (self.signatures[key] + h) & _MASK

    def in_period(self, start: date | None) -> bool:
        if self.start_from is None and self.start_to is None:
            return True
        if start is None:
            return False
        if self.start_from is not None and start < self.start_from:
            return False
        if self.start_to is not None and start > self.start_to:
            return False
        return True

    def add(self, audit: CaseAudit) -> bool:
        """Count one case; False (and nothing counted) when its process start is outside the period."""
        facts = case_facts(audit, self.rubric)
        if not self.in_period(facts.start):
            self.skipped += 1
            return False
        self.cases += 1
        h = _mix(self.cases)
        count = self._count
        count(("N",), h)
        count(("status", facts.status, "closed" if facts.closed else "open"), h)
        count(("status", facts.status, "*"), h)
        count(("status", "*", "closed" if facts.closed else "open"), h)
        for code, outcome in facts.rule_outcomes.items():
            count(("rule", code, outcome), h)
            if outcome != NOT_APPLICABLE:
                count(("rule", code, "applied"), h)
        for step, outcome in facts.step_outcomes.items():
            count(("step", step, outcome), h)
            if outcome != NOT_APPLICABLE:
                count(("step", step, "applied"), h)
        if facts.fidelity is None:
            count(("fidelity", "none"), h)
        else:
            pm = min(1000, max(0, int(facts.fidelity * 1000 + 1e-6)))
            count(("fidelity", "bin", 1000 if pm == 1000 else pm // 100 * 100), h)
            count(("fidelity", "scored"), h)
            self.fidelity_all.append(pm)
        period = period_key(facts.start, self.by)
        self.periods_seen.add(period)
        flag = "error" if facts.error_violation else "clean"
        count(("trend", period, flag), h)
        count(("trend", period, "*"), h)
        count(("trend", "*", flag), h)
        if facts.fidelity is not None:
            self.fidelity_by_period.setdefault(period, array("H")).append(self.fidelity_all[-1])
        for key, days in facts.timings.items():
            self.timings[key].append(days)
            count(("timing", key), h)
        if facts.start is not None:
            if self.first_start is None or facts.start < self.first_start:
                self.first_start = facts.start
            if self.last_start is None or facts.start > self.last_start:
                self.last_start = facts.start
        as_of = audit.case.as_of
        if self.latest_as_of is None or as_of > self.latest_as_of:
            self.latest_as_of = as_of
        if self.keep_cases:
            violated = [c for c, o in facts.rule_outcomes.items() if o == VIOLATED]
            pending = [c for c, o in facts.rule_outcomes.items() if o == PENDING]
            if violated or pending:
                self.case_lines.append(
                    CaseLine(audit.case.case, facts.start, facts.fidelity, violated, pending, facts.status, facts.closed)
                )
        return True

    # ------------------------------------------------------------------ reading
    def n(self, *key) -> int:
        return self.counts.get(tuple(key), 0)

    def signature(self, *key) -> int:
        return self.signatures.get(tuple(key), 0)

    def periods(self) -> list[str]:
        """The periods to show, in order, gaps filled; the no-start bucket last when it has cases."""
        dated = sorted(p for p in self.periods_seen if p != NO_START)
        out = periods_between(dated[0], dated[-1], self.by) if dated else []
        if NO_START in self.periods_seen:
            out.append(NO_START)
        return out
