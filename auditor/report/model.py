"""The report as one plain record: what every renderer (HTML, Markdown, CSV, JSON) reads.

Why one record: the privacy decisions (which counts are withheld, which dates are coarsened, whether
case ids appear) are made here once, for every format. A withheld count is stored as ``Count(None,
flag)`` -- the true value is not in the record at all, so no renderer, chart or tooltip can leak it by
accident. Rankings and the choice of weak steps use published figures only, for the same reason (a
row placed between 30 % and 28 % would tell its hidden rate).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from datetime import date

from .aggregate import (
    FIDELITY_BINS,
    NO_START,
    OUTCOME_KEYS,
    STATUS_COLS,
    STATUS_ROWS,
    TIMINGS,
    Aggregate,
)
from .suppress import PUBLISHED, SMALL, Protection

REPORT_FORMAT = "rtw-report/1"
COMMITTEE, COORDINATOR = "committee", "coordinator"

#: A step whose published violation rate is at least this is "weak" and gets a recommendation.
WEAK_RATE = 0.20
#: Besides those, the worst few steps (with any violation) always get one.
WORST_STEPS = 3

STATUS_LABELS = {
    "returned": "Back at work",
    "declined": "Declined to take part",
    "withdrew": "Withdrew from the process",
    "other": "Still on leave / other",
}
COL_LABELS = {"open": "Open", "closed": "Closed"}
TIMING_SHORT = {
    "forwarding": "Absence → file forwarded",
    "first_contact": "Absence → first contact",
    "follow_up": "Return → follow-up contact",
}
TIMING_LABELS = {
    "forwarding": "First day of absence → file forwarded to the coordinator",
    "first_contact": "First day of absence → first coordinator–worker contact",
    "follow_up": "Return to work → first coordinator–worker follow-up",
}
# The rule (and parameters) each timing is read against: the guide's target, shown beside it.
TIMING_TARGETS = {
    "forwarding": ("RTW101", "max_days", None),
    "first_contact": ("RTW901", "max_days", None),
    "follow_up": ("RTW701", "max_days", "min_days"),
}


class DisclosureError(Exception):
    """The suppression could not protect every small count: no committee report may be written."""


@dataclass(frozen=True, slots=True)
class Count:
    """A count as published: ``value`` None when withheld; ``flag`` says why ("small" or "withheld")."""

    value: int | None
    flag: str | None = None

    @property
    def shown(self) -> bool:
        return self.value is not None


@dataclass(slots=True)
class OutcomeRow:
    """A rule or a step: in how many cases it applied and how it ended."""

    key: str  # rule code or step id
    label: str  # rule name or step label
    title: str  # rule summary or step title
    step: str
    severity: str | None
    applied: Count
    satisfied: Count
    violated: Count
    pending: Count
    not_applicable: Count
    rate: float | None  # violated / (satisfied + violated), None when not published

    def counts(self) -> dict[str, Count]:
        return {
            "applied": self.applied,
            "satisfied": self.satisfied,
            "violated": self.violated,
            "pending": self.pending,
            "not_applicable": self.not_applicable,
        }


@dataclass(slots=True)
class StatusTable:
    rows: list[tuple[str, str, dict[str, Count], Count]]  # key, label, cells by column, row total
    col_totals: dict[str, Count]
    total: Count


@dataclass(slots=True)
class FidelityDist:
    bins: list[tuple[str, Count]]  # label, count
    scored: Count
    no_score: Count
    median: float | None
    quartiles: tuple[float, float] | None


@dataclass(slots=True)
class TrendRow:
    key: str
    label: str
    cases: Count
    with_error: Count
    without_error: Count
    share_with_error: float | None
    median_fidelity: float | None
    mean_fidelity: float | None = None


@dataclass(slots=True)
class Timing:
    key: str
    label: str
    short: str
    n: Count
    median: float | None
    low: int | None
    high: int | None
    target: str | None  # the guide's target in words ("within 7 days (RTW101)")
    target_days: tuple[int, int] | None = None  # the same as (earliest, latest) days


@dataclass(slots=True)
class RuleNote:
    code: str
    name: str
    summary: str
    rate: float | None
    violated: Count


@dataclass(slots=True)
class Recommendation:
    step: str
    label: str
    title: str
    rate: float | None
    text: str
    rules: list[RuleNote]


@dataclass(slots=True)
class CaseEntry:
    """Coordinator audience only: one case with something to follow up."""

    case: str
    start: str | None
    fidelity: float | None
    violated: list[str]
    pending: list[str]
    status: str
    closed: bool


@dataclass(slots=True)
class Report:
    audience: str
    min_count: int | None  # None: nothing withheld (coordinator)
    rubric: str
    generated: str
    as_of: str | None
    period_from: str | None
    period_to: str | None
    by: str
    cases: Count
    overview: StatusTable
    steps: list[OutcomeRow]
    rules: list[OutcomeRow]
    fidelity: FidelityDist
    trend: list[TrendRow]
    trend_total: TrendRow
    timings: list[Timing]
    recommendations: list[Recommendation]
    case_entries: list[CaseEntry] | None
    case_entries_total: int | None
    withheld: int  # how many distinct counts were withheld
    notes: list[str] = field(default_factory=list)

    @property
    def committee(self) -> bool:
        return self.audience == COMMITTEE


# ---------------------------------------------------------------------- words
def step_label(step_id: str) -> str:
    return f"Step {step_id}" if step_id.isdigit() else step_id.replace("_", " ").capitalize()


def step_heading(label: str, title: str) -> str:
    """'Step 3 — Assist the worker…', or the title alone when it already starts with the label."""
    return title if title.lower().startswith(label.lower()) else f"{label} — {title}"


def humanize(text: str, params: dict) -> str:
    """A rubric sentence with `param` references replaced by their values ("within 7 days")."""

    def sub(match: re.Match) -> str:
        name = match.group(1)
        if name in params:
            value = params[name]
            if name.endswith("days") and isinstance(value, int):
                return f"{value} days"
            if name == "tolerance" and isinstance(value, (int, float)):
                return f"{value:.0%}"
            if isinstance(value, list):
                return ", ".join(str(v).replace("_", " ") for v in value)
            return str(value)
        return name

    return " ".join(re.sub(r"`([^`]+)`", sub, text).split())


def period_label(key: str) -> str:
    return "No process start" if key == NO_START else key


def _month(day: date | None) -> str | None:
    return None if day is None else f"{day.year:04d}-{day.month:02d}"


def _median(values) -> float | None:
    return statistics.median(values) if len(values) else None


# ---------------------------------------------------------------------- building
class _Cells:
    """Register the aggregate's counts and sums with the protector; hand out published Counts."""

    def __init__(self, agg: Aggregate, min_count: int | None) -> None:
        self.agg = agg
        self.protect = min_count is not None
        self.p = Protection(min_count=min_count or 1)

    def add(self, *key, cost: int = 4) -> tuple:
        self.p.cell(key, self.agg.n(*key), self.agg.signature(*key), cost)
        return key

    def eq(self, total: tuple, parts: list[tuple], label: str) -> None:
        self.p.equation(total, parts, label)

    def solve(self) -> None:
        if self.protect:
            self.p.solve()
        else:
            self.p.status = [PUBLISHED] * len(self.p._values)

    def reader_range(self, *key) -> tuple[float, float]:
        """The range a reader can deduce for a count (exact when it is published)."""
        if self.p.status_of(key) == PUBLISHED:
            return (self.p.value(key), self.p.value(key))
        return self.p.reader_range(key)

    def get(self, *key) -> Count:
        status = self.p.status_of(key)
        if status == PUBLISHED:
            return Count(self.p.value(key))
        return Count(None, "small" if status == SMALL else "withheld")


def _rate(bad: Count, good: Count) -> float | None:
    if not (bad.shown and good.shown) or bad.value + good.value == 0:
        return None
    return bad.value / (bad.value + good.value)


def _outcome_rate(row: "OutcomeRow", decided: int, satisfied_range: tuple[float, float]) -> float | None:
    """violated / (satisfied + violated), published only when it tells nothing about a withheld count.

    Exact when both counts are published. 0 % when no case violated it (a published 0) and some case
    was judged. Otherwise, with violated published and satisfied withheld, the range a reader can
    deduce for satisfied (``satisfied_range``) is tried: when every value in it gives the same whole
    percentage, that percentage is published -- it tells the reader nothing they could not work out.
    """
    exact = _rate(row.violated, row.satisfied)
    if exact is not None:
        return exact
    if not row.violated.shown:
        return None
    v = row.violated.value
    if v == 0:
        return 0.0 if decided > 0 else None
    lo, hi = satisfied_range
    if hi == float("inf"):
        return None
    low_rate, high_rate = v / (hi + v), v / (max(lo, 0) + v)
    if round(low_rate * 100) != round(high_rate * 100):
        return None
    return round(low_rate * 100) / 100


def _rank(rows: list[OutcomeRow], order: dict[str, int]) -> list[OutcomeRow]:
    """Where the process breaks most first: published rates high to low, the rest in rubric order."""
    ranked = [r for r in rows if r.rate is not None]
    # Sorted on what is displayed (whole percentages), never on anything finer.
    ranked.sort(key=lambda r: (-round(r.rate * 100), -(r.violated.value or 0), order[r.key]))
    rest = sorted((r for r in rows if r.rate is None), key=lambda r: order[r.key])
    return ranked + rest


def build_report(
    agg: Aggregate,
    *,
    audience: str = COMMITTEE,
    min_count: int = 5,
    period_from: date | None = None,
    period_to: date | None = None,
    today: date | None = None,
) -> Report:
    """Turn an aggregate into the report record, withholding what the audience must not see."""
    committee = audience == COMMITTEE
    rubric = agg.rubric
    c = _Cells(agg, min_count if committee else None)
    # Costs: which counts to keep when one must be withheld to protect another (cheap ones go first).
    N = c.add("N", cost=1000)

    # overview: where the cases stand
    for r in STATUS_ROWS:
        for col in STATUS_COLS:
            c.add("status", r, col, cost=4)
        c.add("status", r, "*", cost=6)
        c.eq(("status", r, "*"), [("status", r, col) for col in STATUS_COLS], f"status {r}")
    for col in STATUS_COLS:
        c.add("status", "*", col, cost=8)
        c.eq(("status", "*", col), [("status", r, col) for r in STATUS_ROWS], f"status {col}")
    c.eq(N, [("status", "*", col) for col in STATUS_COLS], "cases by open/closed")
    c.eq(N, [("status", r, "*") for r in STATUS_ROWS], "cases by status")

    # rules and steps: applied = satisfied + violated + pending; cases = applied + not applicable
    outcome_cost = {"not_applicable": 1, "applied": 2, "pending": 3, "satisfied": 5, "violated": 8}

    def outcome_cells(kind: str, key: str) -> None:
        for o in OUTCOME_KEYS:
            c.add(kind, key, o, cost=outcome_cost[o])
        c.add(kind, key, "applied", cost=outcome_cost["applied"])
        c.eq((kind, key, "applied"), [(kind, key, o) for o in OUTCOME_KEYS[:3]], f"{kind} {key} applied")
        c.eq(N, [(kind, key, "applied"), (kind, key, "not_applicable")], f"{kind} {key} cases")

    steps_used = list(dict.fromkeys(r.spec.step for r in rubric.rules))
    for rule in rubric.rules:
        outcome_cells("rule", rule.code)
    for step in steps_used:
        outcome_cells("step", step)

    # fidelity histogram
    for b in FIDELITY_BINS:
        c.add("fidelity", "bin", b)
    c.add("fidelity", "scored", cost=6)
    c.add("fidelity", "none", cost=2)
    c.eq(("fidelity", "scored"), [("fidelity", "bin", b) for b in FIDELITY_BINS], "fidelity bins")
    c.eq(N, [("fidelity", "scored"), ("fidelity", "none")], "fidelity scored")

    # change over time: periods x (with / without an error-level violation)
    periods = agg.periods()
    for p in periods:
        for flag in ("error", "clean"):
            c.add("trend", p, flag, cost=4)
        c.add("trend", p, "*", cost=5)
        c.eq(("trend", p, "*"), [("trend", p, "error"), ("trend", p, "clean")], f"trend {p}")
    for flag in ("error", "clean"):
        c.add("trend", "*", flag, cost=8)
        c.eq(("trend", "*", flag), [("trend", p, flag) for p in periods], f"trend {flag}")
    c.eq(N, [("trend", p, "*") for p in periods], "trend periods")
    c.eq(N, [("trend", "*", "error"), ("trend", "*", "clean")], "trend flags")

    for t in TIMINGS:
        c.add("timing", t)

    c.solve()
    if c.protect and c.p.unprotected:  # pragma: no cover - the property tests keep this empty
        raise DisclosureError(
            "the counts of this caseload cannot be published safely for a committee "
            f"(could not protect: {', '.join(map(str, c.p.unprotected[:5]))}); no report written"
        )
    threshold = min_count if committee else 1

    # ---- assemble
    overview = StatusTable(
        rows=[
            (r, STATUS_LABELS[r], {col: c.get("status", r, col) for col in STATUS_COLS}, c.get("status", r, "*"))
            for r in STATUS_ROWS
        ],
        col_totals={col: c.get("status", "*", col) for col in STATUS_COLS},
        total=c.get("N"),
    )

    order = {r.code: i for i, r in enumerate(rubric.rules)}
    rule_rows = []
    for rule in rubric.rules:
        s = rule.spec
        row = OutcomeRow(
            s.code, s.name, humanize(s.summary, s.params), s.step, s.severity,
            c.get("rule", s.code, "applied"), c.get("rule", s.code, "satisfied"), c.get("rule", s.code, "violated"),
            c.get("rule", s.code, "pending"), c.get("rule", s.code, "not_applicable"), None,
        )
        row.rate = _outcome_rate(row, agg.n("rule", s.code, "satisfied") + agg.n("rule", s.code, "violated"),
                                 c.reader_range("rule", s.code, "satisfied"))
        rule_rows.append(row)
    rule_rows = _rank(rule_rows, order)

    step_order = {s: i for i, s in enumerate(steps_used)}
    step_rows = []
    for step in steps_used:
        spec = rubric.steps[step]
        row = OutcomeRow(
            step, step_label(step), spec.title, step, None,
            c.get("step", step, "applied"), c.get("step", step, "satisfied"), c.get("step", step, "violated"),
            c.get("step", step, "pending"), c.get("step", step, "not_applicable"), None,
        )
        row.rate = _outcome_rate(row, agg.n("step", step, "satisfied") + agg.n("step", step, "violated"),
                                 c.reader_range("step", step, "satisfied"))
        step_rows.append(row)
    step_rows = _rank(step_rows, step_order)

    scored = c.get("fidelity", "scored")
    fid_values = sorted(agg.fidelity_all)
    enough = len(fid_values) >= threshold and scored.shown
    fidelity = FidelityDist(
        bins=[(("100%" if b == 1000 else f"{b // 10}–{b // 10 + 9}%"), c.get("fidelity", "bin", b)) for b in FIDELITY_BINS],
        scored=scored,
        no_score=c.get("fidelity", "none"),
        median=_median(fid_values) / 1000 if enough and fid_values else None,
        quartiles=(
            (_quantile(fid_values, 0.25) / 1000, _quantile(fid_values, 0.75) / 1000) if enough and fid_values else None
        ),
    )

    def trend_row(p: str) -> TrendRow:
        cases = c.get("trend", p, "*")
        err, clean = c.get("trend", p, "error"), c.get("trend", p, "clean")
        values = agg.fidelity_by_period.get(p, ())
        enough = len(values) >= threshold and len(values) > 0
        # A median tells nothing about how many cases it is taken over: shown whenever enough cases
        # were scored. A mean is shown only beside a published count: mean x count is a sum, and sums
        # can be subtracted from the overall one.
        med = _median(sorted(values)) / 1000 if enough else None
        mean = sum(values) / len(values) / 1000 if enough and cases.shown else None
        return TrendRow(p, period_label(p), cases, err, clean, _rate(err, clean), med, mean)

    trend = [trend_row(p) for p in periods]
    all_means = all(t.mean_fidelity is not None or not agg.fidelity_by_period.get(t.key) for t in trend)
    total_mean = (sum(agg.fidelity_all) / len(agg.fidelity_all) / 1000
                  if agg.fidelity_all and all_means and len(agg.fidelity_all) >= threshold else None)
    trend_total = TrendRow(
        "*", "All periods", c.get("N"), c.get("trend", "*", "error"), c.get("trend", "*", "clean"),
        _rate(c.get("trend", "*", "error"), c.get("trend", "*", "clean")), fidelity.median, total_mean,
    )

    timings = []
    for t in TIMINGS:
        n = c.get("timing", t)
        values = sorted(agg.timings[t])
        # Median and range do not reveal n: shown whenever n itself is large enough (a count withheld
        # only as a complement is at least min_count).
        show = len(values) >= threshold and len(values) > 0
        code, hi_param, lo_param = TIMING_TARGETS[t]
        target = target_days = None
        rule = rubric.rule(code)
        if rule is not None and isinstance(rule.spec.params.get(hi_param), int):
            hi = rule.spec.params[hi_param]
            lo = rule.spec.params.get(lo_param) if lo_param else None
            lo = lo if isinstance(lo, int) else None
            target = f"{lo}–{hi} days ({code})" if lo is not None else f"within {hi} days ({code})"
            target_days = (lo or 0, hi)
        timings.append(Timing(t, TIMING_LABELS[t], TIMING_SHORT[t], n, _median(values) if show else None,
                              values[0] if show else None, values[-1] if show else None, target, target_days))

    recommendations = _recommendations(rubric, step_rows, rule_rows)

    case_entries = None
    entries_total = None
    if not committee:
        lines = sorted(agg.case_lines, key=lambda c: (c.fidelity if c.fidelity is not None else 2.0, c.case))
        case_entries = [
            CaseEntry(c.case, c.start.isoformat() if c.start else None, c.fidelity, c.violated, c.pending, c.status, c.closed)
            for c in lines
        ]
        entries_total = len(case_entries)

    today = today or date.today()
    fmt = _month if committee else (lambda d: None if d is None else d.isoformat())
    p_from = period_from if period_from is not None else agg.first_start
    p_to = period_to if period_to is not None else agg.last_start
    notes = []
    if committee:
        notes.append(
            f"Counts from 1 to {min_count - 1} are shown as \u201c<{min_count}\u201d. A \u201c\u00d7\u201d is a count "
            "withheld so that no small count can be worked out from the totals: it may be any number, small or "
            "large. Rates, means and medians that would give a withheld count away are not shown."
        )
        if agg.cases < min_count:
            notes.append(f"Fewer than {min_count} cases: nearly every figure is withheld.")
        if (period_from and period_from.day != 1) or (period_to and period_to != _month_end(period_to)):
            notes.append("The period starts or ends within a month; dates are shown to the month only.")
    else:
        notes.append("This report lists case ids for the coordinator's own follow-up: do not share it with the committee.")
    withheld = sum(1 for st in c.p.status if st != PUBLISHED) if committee else 0
    return Report(
        audience=audience,
        min_count=min_count if committee else None,
        rubric=rubric.name,
        generated=fmt(today),
        as_of=fmt(agg.latest_as_of),
        period_from=fmt(p_from),
        period_to=fmt(p_to),
        by=agg.by,
        cases=c.get("N"),
        overview=overview,
        steps=step_rows,
        rules=rule_rows,
        fidelity=fidelity,
        trend=trend,
        trend_total=trend_total,
        timings=timings,
        recommendations=recommendations,
        case_entries=case_entries,
        case_entries_total=entries_total,
        withheld=withheld,
        notes=notes,
    )


def _month_end(day: date) -> date:
    nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def _quantile(sorted_values, q: float) -> float:
    """Linear-interpolated quantile of a sorted sequence (q in [0, 1])."""
    n = len(sorted_values)
    pos = (n - 1) * q
    lo = int(pos)
    hi = min(lo + 1, n - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def _recommendations(rubric, step_rows: list[OutcomeRow], rule_rows: list[OutcomeRow]) -> list[Recommendation]:
    """The weak steps (published rate >= WEAK_RATE, or among the worst few), with their advice."""
    candidates = [r for r in step_rows if r.rate is not None and r.rate > 0]  # already ranked
    weak = [r for i, r in enumerate(candidates) if r.rate >= WEAK_RATE or i < WORST_STEPS]
    out = []
    for row in weak:
        spec = rubric.steps[row.key]
        notes = [
            RuleNote(r.key, r.label, r.title, r.rate, r.violated)
            for r in rule_rows
            if r.step == row.key and r.rate is not None and r.rate > 0
        ][:3]
        out.append(Recommendation(row.key, row.label, spec.title, row.rate, " ".join(spec.recommendation.split()), notes))
    return out
