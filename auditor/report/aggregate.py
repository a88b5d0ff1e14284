"""Stream case audits into the counts a fidelity report needs, in memory that does not grow with cases.

Why streaming: a committee's export holds tens of thousands of cases; ``audit_inputs`` yields them one
at a time and this module keeps only counters, a histogram, and per-timing lists of small integers
(days) and per-period fidelity scores (per mille) for exact medians -- a few bytes a case. Only the
coordinator audience keeps a line per case that needs follow-up, because that list *is* its output.

Besides the whole-caseload tables, it counts each step's and each rule's outcomes per period (what
the committee reads as a trend: violation rates that move, where a median fidelity sits at 100 %), and
each timing against the guide's target (within, later, earlier), so the report can show where delays
stand without any single case's delay.
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
_OUTCOME_INDEX = {outcome: i for i, outcome in enumerate(OUTCOME_KEYS)}

#: Rows of the overview's cross-table: where each case stands (one row per case).
STATUS_ROWS = ("returned", "declined", "withdrew", "other")
#: Columns of the overview: open or closed.
STATUS_COLS = ("open", "closed")

#: Timings the guides care about: key -> (what it measures).
TIMINGS = ("forwarding", "first_contact", "follow_up")

#: Fidelity histogram: per-mille bins [0,100), [100,200) ... [900,1000), and exactly 1000.
FIDELITY_BINS = tuple(range(0, 1000, 100)) + (1000,)

NO_START = "none"  # the period key of cases with no process start
#: Where a delay stands against the guide's target window.
TIMING_BANDS = ("early", "within", "late")
#: Months per period of each grain.
GRAIN_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


def period_key(day: date | None, by: str) -> str:
    """'2025-Q1', '2025-H2', '2025', or '2025-03' for the process start; NO_START without one."""
    if day is None:
        return NO_START
    if by == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if by == "half":
        return f"{day.year:04d}-H{(day.month - 1) // 6 + 1}"
    if by == "year":
        return f"{day.year:04d}"
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def period_bounds(key: str, by: str) -> tuple[date, date]:
    """The first and last day of a period key."""
    year = int(key[:4])
    if by == "month":
        first_month = int(key[5:])
    elif by == "year":
        first_month = 1
    else:
        first_month = (int(key[6:]) - 1) * GRAIN_MONTHS[by] + 1
    last_month = first_month + GRAIN_MONTHS[by] - 1
    nxt = date(year + (last_month == 12), last_month % 12 + 1, 1)
    return date(year, first_month, 1), date.fromordinal(nxt.toordinal() - 1)


def periods_between(first: str, last: str, by: str) -> list[str]:
    """Every period key from ``first`` to ``last`` inclusive, so that empty periods show as 0."""
    out = []
    day, end = period_bounds(first, by)[0], period_bounds(last, by)[0]
    while day <= end:
        key = period_key(day, by)
        out.append(key)
        after = period_bounds(key, by)[1]
        day = date.fromordinal(after.toordinal() + 1)
    return out


#: The coarser grains a committee's change over time may fall back to when periods hold too few cases.
COARSER = {"quarter": ("half", "year"), "half": ("year",), "year": (), "month": ()}


def grain_of(key: str) -> str:
    """The grain a period key is written in ('2025' year, '2025-H1' half, '2025-Q1' quarter, '2025-01' month)."""
    if key == NO_START:
        return NO_START
    if len(key) == 4:
        return "year"
    return {"H": "half", "Q": "quarter"}.get(key[5], "month")


def timing_band(days: int, target: tuple[int, int] | None) -> str | None:
    """'early', 'within' or 'late' against the guide's (earliest, latest) days; None without a target."""
    if target is None:
        return None
    low, high = target
    return "early" if days < low else ("late" if days > high else "within")


@dataclass(slots=True)
class CaseFacts:
    """What the report needs of one case, derived from its audit (also used by tests)."""

    start: date | None
    status: str  # one of STATUS_ROWS
    closed: bool
    fidelity: float | None
    error_violation: bool
    rule_outcomes: dict[str, str]
    waived: set[str] | None
    step_outcomes: dict[str, str]
    timings: dict[str, int]


def rule_steps(rubric: Rubric) -> dict[str, str]:
    """Each rule's step, by code: what ``case_facts`` groups outcomes by."""
    return {r.code: r.spec.step for r in rubric.rules}


def case_facts(audit: CaseAudit, rubric: Rubric, steps: dict[str, str] | None = None) -> CaseFacts:
    """What the report needs of one case. ``steps``: ``rule_steps(rubric)``, when the caller keeps it
    (an aggregate counts tens of thousands of cases with one rubric)."""
    if steps is None:
        steps = rule_steps(rubric)
    case = audit.case
    ix = audit.index if audit.index is not None and audit.index.case is case else CaseIndex(case)
    start = case.events[ix.process_start].day if ix.process_start is not None else None
    closed = ix.closed_index is not None
    if ix.return_index is not None:
        status = "returned"
    else:
        reason = case.events[ix.closed_index].get("reason") if ix.closed_index is not None else None
        if reason in ("declined", "withdrew"):
            status = reason
        else:
            decisions = [case.events[i].get("decision") for i in ix.participations]
            last = decisions[-1] if decisions else None
            status = last if last in ("declined", "withdrew") else "other"
    # One pass over the results: every rule's outcome, grouped by step, and what the case's summary needs.
    rule_outcomes: dict[str, str] = {}
    by_step: dict[str, list[str]] = {}
    error_violation = False
    waived_rules: set[str] = set()
    for r in audit.results:
        outcome = r.outcome
        rule_outcomes[r.rule] = outcome
        step = steps.get(r.rule)
        if step is not None:
            found = by_step.get(step)
            if found is None:
                by_step[step] = [outcome]
            else:
                found.append(outcome)
        if outcome == VIOLATED and r.severity == "error":
            error_violation = True
        if r.waived:
            waived_rules.add(r.rule)
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
    # Waivers (a finding the workplace accepted, with a justification) are counted, never explained.
    # None when no finding of the case is waived: the count stays an exact 0 unless waivers were applied.
    waived = waived_rules or None
    return CaseFacts(start, status, closed, audit.fidelity, error_violation, rule_outcomes, waived, step_outcomes,
                     timings)


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


# The rule (and parameters) each timing is read against: the guide's target.
TIMING_TARGETS = {
    "forwarding": ("RTW101", "max_days", None),
    "first_contact": ("RTW901", "max_days", None),
    "follow_up": ("RTW701", "max_days", "min_days"),
}


def timing_target(rubric: Rubric, key: str) -> tuple[str, tuple[int, int]] | None:
    """(rule code, (earliest, latest) days) of a timing's target in this rubric, if it has one."""
    code, hi_param, lo_param = TIMING_TARGETS[key]
    rule = rubric.rule(code)
    if rule is None or not isinstance(rule.spec.params.get(hi_param), int):
        return None
    lo = rule.spec.params.get(lo_param) if lo_param else None
    return code, (lo if isinstance(lo, int) else 0, rule.spec.params[hi_param])


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
    fidelity_all: array = field(default_factory=lambda: array("H"))
    fidelity_sum: Counter = field(default_factory=Counter)  # period -> sum of per-mille scores
    timings: dict[str, array] = field(default_factory=lambda: {k: array("l") for k in TIMINGS})
    periods_seen: set = field(default_factory=set)
    first_start: date | None = None
    last_start: date | None = None
    latest_as_of: date | None = None
    waivers_recorded: bool = False  # some finding carried a `waived` flag (the check's --waivers)
    case_lines: list[CaseLine] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.targets = {k: timing_target(self.rubric, k) for k in TIMINGS}
        self._steps = rule_steps(self.rubric)
        # Rule and step outcomes are counted in flat lists, one cell per (rule or step, outcome), one
        # list for the whole caseload (key None) and one per period, and moved into ``counts`` when
        # counts are read (``_settle``): some 160 cells a case, where a tuple key each cost most of
        # the report's own time.
        self._rule_slot = {code: i * len(OUTCOME_KEYS) for i, code in enumerate(self.rubric.all_codes())}
        self._step_slot = {step: i * len(OUTCOME_KEYS) for i, step in enumerate(dict.fromkeys(self._steps.values()))}
        self._rule_cells: dict[str | None, list[int]] = {}
        self._step_cells: dict[str | None, list[int]] = {}
        # Periods are counted in the report's grain and in every coarser one (their keys never collide),
        # so a committee report can fall back to halves or years without a second pass.
        self.grains = (self.by,) + (COARSER[self.by] if not self.keep_cases else ())

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
        facts = case_facts(audit, self.rubric, self._steps)
        if not self.in_period(facts.start):
            self.skipped += 1
            return False
        self.cases += 1
        counts = self.counts
        periods = list(dict.fromkeys(period_key(facts.start, g) for g in self.grains))
        self.periods_seen.update(periods)
        counts[("N",)] += 1
        counts[("status", facts.status, "closed" if facts.closed else "open")] += 1
        self._count_cells(self._rule_cells, self._rule_slot, facts.rule_outcomes, periods, "rule", "prule")
        if facts.waived is not None:
            self.waivers_recorded = True
            for code in facts.waived:
                counts[("rule", code, "waived")] += 1
        self._count_cells(self._step_cells, self._step_slot, facts.step_outcomes, periods, "step", "pstep")
        if facts.fidelity is None:
            counts[("fidelity", "none")] += 1
        else:
            pm = min(1000, max(0, int(facts.fidelity * 1000 + 1e-6)))
            counts[("fidelity", "bin", 1000 if pm == 1000 else pm // 100 * 100)] += 1
            self.fidelity_all.append(pm)
            for period in periods:
                counts[("fscored", period)] += 1
                self.fidelity_sum[period] += pm
        for period in periods:
            counts[("trend", period, "error" if facts.error_violation else "clean")] += 1
        counts[("errors", "error" if facts.error_violation else "clean")] += 1
        for key, days in facts.timings.items():
            self.timings[key].append(days)
            target = self.targets[key]
            counts[("timing", key, timing_band(days, target[1]) if target else "within")] += 1
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

    def _count_cells(self, cells: dict[str | None, list[int]], slot: dict[str, int], outcomes: dict[str, str],
                     periods: list[str], whole: str, per_period: str) -> None:
        """One case's outcomes (rule or step -> outcome) into the cells of the caseload and of its periods."""
        try:
            hits = [slot[name] + _OUTCOME_INDEX[outcome] for name, outcome in outcomes.items()]
        except KeyError:  # a name the rubric does not list, or an unknown outcome: counted as it comes
            for name, outcome in outcomes.items():
                self.counts[(whole, name, outcome)] += 1
                for period in periods:
                    self.counts[(per_period, period, name, outcome)] += 1
            return
        for key in (None, *periods):
            row = cells.get(key)
            if row is None:
                row = cells[key] = [0] * (len(slot) * len(OUTCOME_KEYS))
            for hit in hits:
                row[hit] += 1

    def _settle(self) -> None:
        """Move the counts kept in cells into ``counts``, under the keys ``n`` reads."""
        counts = self.counts
        for cells, slot, whole, per_period in ((self._rule_cells, self._rule_slot, "rule", "prule"),
                                               (self._step_cells, self._step_slot, "step", "pstep")):
            for key, row in cells.items():
                for name, base in slot.items():
                    for j, outcome in enumerate(OUTCOME_KEYS):
                        value = row[base + j]
                        if value:
                            counts[(whole, name, outcome) if key is None else (per_period, key, name, outcome)] += value
            cells.clear()

    # ------------------------------------------------------------------ parallel runs
    # ``rtw-audit report`` on one big grouped table counts each region of it in a worker process
    # (``auditor.parallel.region_results``): every worker fills an empty copy of this aggregate, and
    # the parent merges their counts. Everything counted here is a sum, a union, a minimum or a
    # maximum, or a list kept in file order (regions come back in file order), so the merged
    # aggregate is the one a single pass would have built.

    def empty_copy(self) -> Aggregate:
        """A new aggregate counting as this one does (same rubric, grain, period, audience)."""
        return Aggregate(self.rubric, by=self.by, start_from=self.start_from, start_to=self.start_to,
                         keep_cases=self.keep_cases)

    def result(self) -> dict:
        """The counts, without the rubric: what a worker sends back to be merged."""
        self._settle()
        return {name: getattr(self, name) for name in _MERGED}

    def close(self) -> None:
        """Nothing to release (a worker's sink protocol)."""

    def merge(self, part: dict) -> None:
        """Add the counts of another region (``result()`` of an ``empty_copy``) after this one's."""
        self.cases += part["cases"]
        self.skipped += part["skipped"]
        self.counts.update(part["counts"])
        self.fidelity_all.extend(part["fidelity_all"])
        self.fidelity_sum.update(part["fidelity_sum"])
        for key, values in part["timings"].items():
            self.timings[key].extend(values)
        self.periods_seen.update(part["periods_seen"])
        for name, pick in (("first_start", min), ("last_start", max), ("latest_as_of", max)):
            mine, theirs = getattr(self, name), part[name]
            if theirs is not None:
                setattr(self, name, theirs if mine is None else pick(mine, theirs))
        self.waivers_recorded = self.waivers_recorded or part["waivers_recorded"]
        self.case_lines.extend(part["case_lines"])

    # ------------------------------------------------------------------ reading
    def n(self, *key) -> int:
        if self._rule_cells or self._step_cells:
            self._settle()
        return self.counts.get(tuple(key), 0)

    def periods(self, grain: str | None = None) -> list[str]:
        """The periods of a grain (the report's by default), in order, gaps filled; no-start last if any."""
        grain = grain or self.by
        dated = sorted(p for p in self.periods_seen if grain_of(p) == grain)
        out = periods_between(dated[0], dated[-1], grain) if dated else []
        if NO_START in self.periods_seen:
            out.append(NO_START)
        return out


#: The fields of an ``Aggregate`` that hold counts (the rest is its configuration).
_MERGED = (
    "cases", "skipped", "counts", "fidelity_all", "fidelity_sum", "timings", "periods_seen", "first_start",
    "last_start", "latest_as_of", "waivers_recorded", "case_lines",
)
