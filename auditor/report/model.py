"""The report as one plain record: what every renderer (HTML, Markdown, CSV, JSON) reads.

Why one record: the privacy decisions are made here once, for every format. In a committee report
every count is *already rounded* when it enters the record (keyed random rounding to the committee's
base, see ``rounding.py``) -- the true value is not in the record at all, so no renderer, chart or
tooltip can leak it. Totals are sums of rounded cells, rates are computed from rounded cells, and
whether a rate, median or mean is shown depends on *published* counts only (never on a true count a
reader could then infer). Medians, quartiles and means are rounded too, and only over groups of at
least the committee's threshold. A coordinator's report is exact: they hold the files.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from datetime import date

from ..i18n import N_, format_day, format_percent
from ..i18n_domains import _, ngettext
from ..outcomes import NOT_APPLICABLE
from ..rule_text import rubric_name, rule_field, rule_name, step_field
from .aggregate import (
    FIDELITY_BINS,
    NO_START,
    OUTCOME_KEYS,
    STATUS_COLS,
    STATUS_ROWS,
    TIMING_BANDS,
    TIMINGS,
    Aggregate,
    period_bounds,
    period_key,
    periods_between,
)
from .rounding import Rounder
from .words import A_UNIT, WHOLE_UNITS, days_text, month_text, percent_label, period_text, unit

REPORT_FORMAT = "rtw-report/2"
COMMITTEE, COORDINATOR = "committee", "coordinator"

#: A step whose violation rate is at least this is "weak" and gets a recommendation.
WEAK_RATE = 0.20
#: Besides those, the worst few steps (with any violation) always get one.
WORST_STEPS = 3
#: How many of the worst rules the "rules over time" table follows.
TREND_RULES = 6
#: Rounding units of the measures shown to a committee.
PERCENT_UNIT = 5.0  # medians and quartiles of fidelity, in percentage points
MEAN_UNIT = 1.0  # means of fidelity, in percentage points
DAYS_UNIT = 5.0  # medians and quartiles of delays, in days

# The labels are marked for the catalogue and translated when the report is built (``_()`` at use).
STATUS_LABELS = {
    "returned": N_("Back at work"),
    "declined": N_("Declined to take part"),
    "withdrew": N_("Withdrew from the process"),
    "other": N_("Still on leave / other"),
}
COL_LABELS = {"open": N_("Open"), "closed": N_("Closed")}
TIMING_SHORT = {
    "forwarding": N_("Absence → file forwarded"),
    "first_contact": N_("Absence → first contact"),
    "follow_up": N_("Return → follow-up contact"),
}
TIMING_LABELS = {
    "forwarding": N_("First day of absence → file forwarded to the coordinator"),
    "first_contact": N_("First day of absence → first coordinator–worker contact"),
    "follow_up": N_("Return to work → first coordinator–worker follow-up"),
}
#: The groups of rules that are not a numbered step of the guide, as a label.
GROUP_LABELS = {"throughout": N_("Throughout"), "monitoring": N_("Monitoring")}


class DisclosureError(Exception):
    """The committee report cannot be made safely (too few cases): nothing is written.

    Its message is translated when it is shown (the report may be built in English for JSON while the
    user reads French): the English message and its fields are kept, not a finished sentence."""

    def __init__(self, message: str, **fields) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields

    def __str__(self) -> str:
        return _(self.message).format(**self.fields)


@dataclass(frozen=True, slots=True)
class Count:
    """A count as published: rounded to the committee's base (``rounded``), or exact (coordinator)."""

    value: int
    rounded: bool = False

    @property
    def shown(self) -> bool:  # every count is shown; kept for renderers' symmetry with rates
        return True


@dataclass(slots=True)
class OutcomeRow:
    """A rule or a step: how it ended across the cases (rounded counts for a committee)."""

    key: str  # rule code or step id
    label: str  # rule name or step label
    title: str  # rule summary or step title
    step: str
    severity: str | None
    satisfied: Count
    violated: Count
    pending: Count
    not_applicable: Count
    waived: Count  # findings the workplace waived (0 until waivers are recorded)
    decided: Count  # satisfied + violated, from the counts shown
    rate: float | None  # violated / decided, None when too few decided cases are shown
    # A rounded 0 violated may be a few cases: the rate is then only known to be under this (else None).
    rate_below: float | None = None

    def counts(self) -> dict[str, Count]:
        return {"satisfied": self.satisfied, "violated": self.violated, "pending": self.pending,
                "not_applicable": self.not_applicable, "waived": self.waived}


@dataclass(slots=True)
class StatusTable:
    rows: list[tuple[str, str, dict[str, Count], Count]]  # key, label, cells by column, row total
    col_totals: dict[str, Count]
    total: Count


@dataclass(slots=True)
class FidelityDist:
    bins: list[tuple[str, Count]]  # label, count
    scored: Count
    no_score: Count | None  # None for a committee (not shown)
    median: float | None
    quartiles: tuple[float, float] | None
    full_share: float | None  # share of scored cases with every decided rule kept


@dataclass(slots=True)
class TrendRow:
    key: str
    label: str
    cases: Count
    with_error: Count | None  # None: too few cases in the period to show the split
    without_error: Count | None
    share_with_error: float | None
    mean_fidelity: float | None
    scored: Count


@dataclass(slots=True)
class RateSeries:
    """A step's or a rule's violation rate per period (None where too few decided cases are shown)."""

    key: str
    label: str
    rates: list[float | None]
    decided: list[Count]
    violated: list[Count | None]  # None where the rate is not shown


@dataclass(slots=True)
class Timing:
    key: str
    label: str
    short: str
    n: Count
    bands: dict[str, Count]  # early / within / late against the target
    median: float | None
    quartiles: tuple[float, float] | None
    target: str | None  # the guide's target in words ("within 7 days (RTW101)")
    target_days: tuple[int, int] | None = None


@dataclass(slots=True)
class RuleNote:
    code: str
    name: str
    summary: str
    rate: float | None
    violated: Count
    decided: Count


@dataclass(slots=True)
class Recommendation:
    step: str
    label: str
    title: str
    rate: float | None  # None: too few judged cases to give a rate (flagged, never ranked last)
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


@dataclass(frozen=True, slots=True)
class Protection:
    """The committee's settings as applied (shown in every format so a reader knows how to read it)."""

    method: str
    base: int
    threshold: int
    minimum_caseload: int
    period: str


@dataclass(slots=True)
class Report:
    audience: str
    protection: Protection | None  # None: exact figures (coordinator)
    rubric: str
    generated: str
    data_to: str | None
    period_from: str | None
    period_to: str | None
    by: str
    cases: Count
    overview: StatusTable
    steps: list[OutcomeRow]
    rules: list[OutcomeRow]
    fidelity: FidelityDist
    trend: list[TrendRow]
    with_error: Count  # cases with a "must" rule violated, all periods
    overall_with_error: float | None  # their share of the cases (shown over enough cases)
    step_trend: list[RateSeries]
    rule_trend: list[RateSeries]
    timings: list[Timing]
    recommendations: list[Recommendation]
    case_entries: list[CaseEntry] | None
    withheld: list[str]  # what is not shown, and why, in plain words
    notes: list[str] = field(default_factory=list)

    @property
    def committee(self) -> bool:
        return self.audience == COMMITTEE

    @property
    def threshold(self) -> int:
        return self.protection.threshold if self.protection else 1


# ---------------------------------------------------------------------- words
def step_label(step_id: str) -> str:
    if step_id.isdigit():
        return _("Step {number}").format(number=step_id)
    if step_id in GROUP_LABELS:
        return _(GROUP_LABELS[step_id])
    return step_id.replace("_", " ").capitalize()


def step_heading(label: str, title: str) -> str:
    """'Step 3 — Assist the worker…', or the title alone when it already starts with the label."""
    return title if title.lower().startswith(label.lower()) else _("{label} — {title}").format(label=label, title=title)


def humanize(text: str, params: dict) -> str:
    """A rubric sentence with `param` references replaced by their values ("within 7 days")."""

    def sub(match: re.Match) -> str:
        name = match.group(1)
        if name in params:
            value = params[name]
            if name.endswith("days") and isinstance(value, int):
                return ngettext("{count} days", "{count} days", value).format(count=value)
            if name == "tolerance" and isinstance(value, (int, float)):
                return format_percent(value)
            if isinstance(value, list):
                return ", ".join(str(v).replace("_", " ") for v in value)
            return str(value)
        return name

    return _one_line(re.sub(r"`([^`]+)`", sub, text))


def _one_line(text: str) -> str:
    """Runs of ASCII white space made one space; a French text's no-break spaces are kept."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def period_label(key: str) -> str:
    return _("No process start") if key == NO_START else period_text(key)


def _quantile(sorted_values, q: float) -> float:
    """Linear-interpolated quantile of a sorted sequence (q in [0, 1])."""
    n = len(sorted_values)
    pos = (n - 1) * q
    lo = int(pos)
    hi = min(lo + 1, n - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


# ---------------------------------------------------------------------- publishing
class _Publisher:
    """Hands out published counts and measures: rounded for a committee, exact for a coordinator."""

    def __init__(self, agg: Aggregate, rounder: Rounder | None, threshold: int) -> None:
        self.agg = agg
        self.rounder = rounder
        self.threshold = threshold

    def group(self, identity: tuple, keys: dict[str, tuple]) -> dict[str, Count]:
        """Counts that split the same cases (one rule's outcomes...), rounded together."""
        true = {name: self.agg.n(*key) for name, key in keys.items()}
        if self.rounder is None:
            return {name: Count(v) for name, v in true.items()}
        return {name: Count(v, True) for name, v in self.rounder.group(identity, true).items()}

    def rest(self, cells: dict[str, Count], name: str, whole: Count) -> dict[str, Count]:
        """One cell of a group that splits every case, shown as the published whole minus the others.

        Why: rounding every cell of such a group independently lets a reader who knows the exact
        number of cases add the cells' ranges up and, at small caseloads, squeeze out where one case
        went. A cell derived from published figures adds no such constraint. (Exact when not rounded.)
        """
        if self.rounder is None:
            return cells
        others = sum(c.value for k, c in cells.items() if k != name)
        return {**cells, name: Count(max(0, whole.value - others), True)}

    def total(self, *parts: Count) -> Count:
        """A derived total: the sum of the counts shown (differencing it gives nothing exact)."""
        return Count(sum(p.value for p in parts), any(p.rounded for p in parts))

    def enough(self, n: Count) -> bool:
        """Is a rate, median or mean shown over this group? Decided on the *published* count only."""
        return n.value >= self.threshold and n.value > 0

    def measure(self, identity: tuple, value: float, unit: float, size: int) -> float:
        if self.rounder is None:
            return value
        return self.rounder.measure(identity, value, unit, size)


def _rate(bad: Count, decided: Count, pub: _Publisher) -> float | None:
    return bad.value / decided.value if pub.enough(decided) else None


def _outcome_row(pub: _Publisher, cases: Count, kind: str, key: str, label: str, title: str, step: str,
                 severity: str | None) -> OutcomeRow:
    c = pub.rest(pub.group((kind, key), {o: (kind, key, o) for o in OUTCOME_KEYS}), NOT_APPLICABLE, cases)
    if kind == "rule":  # waived findings are a subset of the violated ones: a group of their own
        c["waived"] = (pub.group((kind, key, "waived"), {"n": (kind, key, "waived")})["n"] if pub.agg.waivers_recorded
                       else Count(0))  # no waivers recorded: an exact 0
    waived = c.get("waived", Count(0, pub.rounder is not None))  # steps: not counted
    decided = pub.total(c["satisfied"], c["violated"])
    rate = _rate(c["violated"], decided, pub)
    below = rate_ceiling(c["violated"], decided) if rate == 0 else None
    return OutcomeRow(key, label, title, step, severity, c["satisfied"], c["violated"], c["pending"],
                      c["not_applicable"], waived, decided, rate, below)


def rate_ceiling(violated: Count, decided: Count) -> float | None:
    """For a rounded 0 out of ``decided``: the rate is under about 5/decided (a true 0 is shown 0 too)."""
    if not violated.rounded or violated.value or not decided.value:
        return None
    return min(1.0, -(-500 // decided.value) / 100)


def rank(rows: list[OutcomeRow], order: dict[str, int]) -> list[OutcomeRow]:
    """Where the process breaks most first: shown rates high to low (as displayed), then rows without one.

    Rows without a rate are not "best": they come after, in the guide's order, and every renderer
    marks them as not ranked.
    """
    rated = [(r, r.rate) for r in rows if r.rate is not None]
    ranked = [r for r, _ in sorted(rated, key=lambda p: (-p[1], -p[0].violated.value, order[p[0].key]))]
    rest = sorted((r for r in rows if r.rate is None), key=lambda r: order[r.key])
    return ranked + rest


def _month(day: date | None) -> str | None:
    return None if day is None else month_text(day.year, day.month)


def build_report(
    agg: Aggregate,
    *,
    audience: str = COMMITTEE,
    rounder: Rounder | None = None,
    threshold: int = 15,
    minimum_caseload: int = 15,
    period_from: date | None = None,
    period_to: date | None = None,
    today: date | None = None,
) -> Report:
    """Turn an aggregate into the report record; a committee's figures are rounded on the way in."""
    committee = audience == COMMITTEE
    if committee and rounder is None:
        raise DisclosureError(N_("a committee report needs the committee's rounding key (committee settings)"))
    if committee and 0 < agg.cases < minimum_caseload:
        raise DisclosureError(N_("{count} case(s) is below the committee's minimum caseload ({minimum})"),
                              count=agg.cases, minimum=minimum_caseload)
    pub = _Publisher(agg, rounder if committee else None, threshold if committee else 1)
    rubric = agg.rubric
    withheld: list[str] = []
    notes: list[str] = []

    cases = pub.group(("N",), {"n": ("N",)})["n"]

    status = pub.rest(pub.group(("status",), {f"{r}|{c}": ("status", r, c) for r in STATUS_ROWS for c in STATUS_COLS}),
                      "returned|closed", cases)
    rows = []
    for r in STATUS_ROWS:
        cells = {c: status[f"{r}|{c}"] for c in STATUS_COLS}
        rows.append((r, _(STATUS_LABELS[r]), cells, pub.total(*cells.values())))
    col_totals = {c: pub.total(*(status[f"{r}|{c}"] for r in STATUS_ROWS)) for c in STATUS_COLS}
    overview = StatusTable(rows, col_totals, pub.total(*col_totals.values()))

    order = {r.code: i for i, r in enumerate(rubric.rules)}
    rule_rows = rank([
        _outcome_row(pub, cases, "rule", r.spec.code, rule_name(r.spec), humanize(rule_field(r.spec, "summary"), r.spec.params),
                     r.spec.step, r.spec.severity)
        for r in rubric.rules
    ], order)
    steps_used = list(dict.fromkeys(r.spec.step for r in rubric.rules))
    step_order = {s: i for i, s in enumerate(steps_used)}
    step_rows = rank([
        _outcome_row(pub, cases, "step", s, step_label(s), step_field(rubric.steps[s], "title"), s, None) for s in steps_used
    ], step_order)
    unrated = [r.key for r in rule_rows if r.rate is None]
    if committee and unrated:
        withheld.append(_("Violation rates of {count} rule(s) ({codes}): fewer than {threshold} judged cases are shown "
                          "for each, so a rate would describe a handful of people. Their rounded counts are in the "
                          "table.").format(count=len(unrated), codes=", ".join(unrated), threshold=threshold))

    # fidelity
    bins = pub.group(("fidelity",), {**{str(b): ("fidelity", "bin", b) for b in FIDELITY_BINS},
                                     "none": ("fidelity", "none")})
    bin_counts = [bins[str(b)] for b in FIDELITY_BINS]
    scored = pub.total(*bin_counts)
    values = sorted(agg.fidelity_all)
    median = quartiles = full_share = None
    if pub.enough(scored) and values:
        size = len(values)
        median = pub.measure(("fidelity", "median"), statistics.median(values) / 10, PERCENT_UNIT, size) / 100
        quartiles = (pub.measure(("fidelity", "q1"), _quantile(values, 0.25) / 10, PERCENT_UNIT, size) / 100,
                     pub.measure(("fidelity", "q3"), _quantile(values, 0.75) / 10, PERCENT_UNIT, size) / 100)
        full_share = bins["1000"].value / scored.value
    elif committee:
        withheld.append(_("The median fidelity: fewer than {threshold} scored cases are shown.").format(threshold=threshold))
    fidelity = FidelityDist(
        bins=[(percent_label("100%" if b == 1000 else f"{b // 10}–{b // 10 + 9}%"), bins[str(b)]) for b in FIDELITY_BINS],
        # A committee is not shown the unscored cases: with the bins, they would make a group whose
        # cells all count independently (see _Publisher.rest); their number is the cases minus the scored.
        scored=scored, no_score=None if committee else bins["none"], median=median, quartiles=quartiles, full_share=full_share,
    )

    # change over time: in the committee's grain, or a coarser one when its periods would hold too few
    # cases (decided on the published case count and the number of periods, nothing else)
    grain: str | None
    grain, periods = agg.by, agg.periods()
    if committee:
        grain = None
        for g in agg.grains:
            candidate = _whole_window(agg.periods(g), g, period_from, period_to)
            dated_n = len([p for p in candidate if p != NO_START]) or 1
            if cases.value >= 2 * threshold * dated_n:
                grain, periods = g, candidate
                break
        if grain is None:
            periods = []
            withheld.append(_(
                "Change over time: about {count} cases are too few to split by period (at least {needed} a period, "
                "even by year, would be needed). A longer window, or the whole caseload over more time, will show it."
            ).format(count=cases.value, needed=2 * threshold))
        elif grain != agg.by:
            notes.append(_("Change over time is shown by {grain}: too few cases a {unit} to show it by {unit}.").format(
                grain=unit(grain), unit=unit(agg.by)))
    trend = []
    for p in periods:
        t = pub.group(("trend", p), {"error": ("trend", p, "error"), "clean": ("trend", p, "clean")})
        f = pub.group(("fperiod", p), {"scored": ("fscored", p)})
        n = pub.total(t["error"], t["clean"])
        mean = None
        if pub.enough(f["scored"]) and agg.n("fscored", p):
            true_mean = agg.fidelity_sum[p] / agg.n("fscored", p) / 10
            mean = pub.measure(("mean", p), true_mean, MEAN_UNIT, agg.n("fscored", p)) / 100
        # A thin period shows its cases only: the split of one or two cases would be their outcome.
        split = pub.enough(n) or pub.rounder is None
        trend.append(TrendRow(p, period_label(p), n, t["error"] if split else None, t["clean"] if split else None,
                              _rate(t["error"], n, pub), mean, f["scored"]))

    errors = pub.group(("errors",), {"error": ("errors", "error"), "clean": ("errors", "clean")})
    judged = pub.total(errors["error"], errors["clean"])

    def series(kind: str, key: str, label: str) -> RateSeries:
        rates, decided, violated = [], [], []
        for p in periods:
            c = pub.group((kind, p, key), {o: (kind, p, key, o) for o in OUTCOME_KEYS})
            d = pub.total(c["satisfied"], c["violated"])
            decided.append(d)
            violated.append(c["violated"] if pub.enough(d) or pub.rounder is None else None)
            rates.append(_rate(c["violated"], d, pub))
        return RateSeries(key, label, rates, decided, violated)

    dated = [p for p in periods if p != NO_START]
    step_trend = [series("pstep", s, step_label(s)) for s in steps_used] if dated else []
    # The worst rules, followed over time where most periods have enough judged cases to give a rate.
    rule_trend = []
    for row in (r for r in rule_rows if r.rate is not None and r.rate > 0):
        s = series("prule", row.key, f"{row.key} {row.label}") if dated else None
        if s is not None and sum(x is not None for x in s.rates) * 2 >= len(dated):
            rule_trend.append(s)
        if len(rule_trend) == TREND_RULES:
            break

    # timings
    timings = []
    for key in TIMINGS:
        target = agg.targets[key]
        bands = pub.group(("timing", key), {b: ("timing", key, b) for b in TIMING_BANDS})
        n = pub.total(*bands.values())
        vals = sorted(agg.timings[key])
        med = qs = None
        if pub.enough(n) and vals:
            med = pub.measure(("timing", key, "median"), statistics.median(vals), DAYS_UNIT, len(vals))
            qs = (pub.measure(("timing", key, "q1"), _quantile(vals, 0.25), DAYS_UNIT, len(vals)),
                  pub.measure(("timing", key, "q3"), _quantile(vals, 0.75), DAYS_UNIT, len(vals)))
        words = None
        if target is not None:
            code, (lo, hi) = target
            words = (_("{low}–{high} days ({code})").format(low=lo, high=hi, code=code) if lo
                     else _("within {high} days ({code})").format(high=hi, code=code))
        timings.append(Timing(key, _(TIMING_LABELS[key]), _(TIMING_SHORT[key]), n, bands, med, qs, words,
                              target[1] if target else None))

    recommendations = _recommendations(rubric, step_rows, rule_rows)

    case_entries = None
    if not committee:
        lines = sorted(agg.case_lines, key=lambda c: (c.fidelity if c.fidelity is not None else 2.0, c.case))
        case_entries = [
            CaseEntry(c.case, format_day(c.start) if c.start else None, c.fidelity, c.violated, c.pending, c.status,
                      c.closed)
            for c in lines
        ]

    today = today or date.today()
    # "Data complete up to" is never after "report made": logs dated in the future are judged at their date,
    # but the report cannot claim data it was made before.
    data_to = min(agg.latest_as_of, today) if agg.latest_as_of else None
    if agg.latest_as_of and agg.latest_as_of > today:
        notes.append(_("Some logs are dated after the day this report was made; their windows were judged at "
                       "their own date."))
    if committee:
        dated_keys = [p for p in _whole_window(agg.periods(), agg.by, period_from, period_to) if p != NO_START]
        p_from = period_text(dated_keys[0]) if dated_keys else None
        p_to = period_text(dated_keys[-1]) if dated_keys else None
        assert rounder is not None  # a committee report without its rounding key was refused above
        protection = Protection(
            method=_("keyed random rounding (Statistics Canada style), base {base}, after keyed geometric noise "
                     "(epsilon ln 2 per count); rates, medians and means over at least {threshold} cases").format(
                         base=rounder.base, threshold=threshold),
            base=rounder.base, threshold=threshold, minimum_caseload=minimum_caseload, period=agg.by,
        )
        notes.append(_(
            "Every count is moved by a small keyed random amount (two-sided geometric noise, epsilon ln 2 per count) "
            "and rounded at random to a multiple of {base}; a true 0 stays 0. Totals are the sums of the "
            "counts shown, and rates are computed from them, so they may differ slightly from the number of cases. "
            "Rates, medians and means are shown only over at least {threshold} cases; medians and quartiles are "
            "rounded to 5 points (or 5 days), means to the whole percent."
        ).format(base=rounder.base, threshold=threshold))
    else:
        first_day = period_from or agg.first_start
        last_day = period_to or agg.last_start
        p_from = format_day(first_day) if first_day else None
        p_to = format_day(last_day) if last_day else None
        protection = None
        notes.append(_("This report lists case ids for the coordinator's own follow-up: do not share it with the "
                       "committee. Its figures are exact."))
    fmt = _month if committee else (lambda d: None if d is None else format_day(d))
    generated = fmt(today)
    assert generated is not None  # today is a date: it always formats
    return Report(
        audience=audience, protection=protection, rubric=rubric_name(rubric), generated=generated, data_to=fmt(data_to),
        period_from=p_from, period_to=p_to, by=grain or agg.by, cases=cases, overview=overview, steps=step_rows,
        rules=rule_rows, fidelity=fidelity, trend=trend, with_error=errors["error"],
        overall_with_error=_rate(errors["error"], judged, pub), step_trend=step_trend, rule_trend=rule_trend,
        timings=timings, recommendations=recommendations, case_entries=case_entries, withheld=withheld, notes=notes,
    )


def _whole_window(periods: list[str], by: str, period_from: date | None, period_to: date | None) -> list[str]:
    """The committee's periods: the requested window's whole periods (an empty one shows as 0)."""
    dated = [p for p in periods if p != NO_START]
    first = period_key(period_from, by) if period_from else (dated[0] if dated else None)
    last = period_key(period_to, by) if period_to else (dated[-1] if dated else None)
    out = periods_between(first, last, by) if first and last and first <= last else dated
    if NO_START in periods:
        out.append(NO_START)
    return out


def _recommendations(rubric, step_rows: list[OutcomeRow], rule_rows: list[OutcomeRow]) -> list[Recommendation]:
    """The weak steps (rate >= WEAK_RATE, or among the worst few), then steps too thin to rate but with violations.

    Within a step, its rules are cited worst first by rate; rules violated but with too few judged
    cases for a rate are cited after them, flagged as such -- never left out or ranked as best.
    """
    rated = [r for r in step_rows if r.rate is not None and r.rate > 0]  # already ranked
    weak = [r for i, r in enumerate(rated) if (r.rate is not None and r.rate >= WEAK_RATE) or i < WORST_STEPS]
    thin = [r for r in step_rows if r.rate is None and r.violated.value > 0]
    out = []
    for row in weak + thin:
        spec = rubric.steps[row.key]
        mine = [r for r in rule_rows if r.step == row.key]
        notes = [RuleNote(r.key, r.label, r.title, r.rate, r.violated, r.decided)
                 for r in mine if r.rate is not None and r.rate > 0][:3]
        notes += [RuleNote(r.key, r.label, r.title, None, r.violated, r.decided)
                  for r in mine if r.rate is None and r.violated.value > 0][:2]
        out.append(Recommendation(row.key, row.label, step_field(spec, "title"), row.rate,
                                  _one_line(step_field(spec, "recommendation")), notes))
    return out


def window_problem(day: date, by: str, *, end: bool) -> str | None:
    """Why a committee's --from/--to is refused: it must be a whole period of the committee's grain."""
    first, last = period_bounds(period_key(day, by), by)
    if (day != last) if end else (day != first):
        message = (_("{day} does not end {a_unit}: a committee report covers {whole_units} (try {month})") if end
                   else _("{day} does not start {a_unit}: a committee report covers {whole_units} (try {month})"))
        return message.format(day=day.isoformat(), a_unit=_(A_UNIT[by]), whole_units=_(WHOLE_UNITS[by]),
                              month=(last if end else first).isoformat()[:7])
    return None


def rate_text(rate: float | None, below: float | None, *, none: str = "—") -> str:
    """A violation rate as shown: "under 15%" for a rounded 0 (it may be a few cases), else ``percent``."""
    if rate == 0 and below is not None:
        return _("under {percent}").format(percent=format_percent(below))
    return percent(rate, none=none)


def percent(x: float | None, *, none: str = "—") -> str:
    """A rate as the report shows it: whole percent, one decimal under 1 % (never "0%" beside violations)."""
    if x is None:
        return none
    if 0 < x < 0.0095:
        return format_percent(x, 1)
    return format_percent(x)


def days(x: float | None) -> str:
    return "—" if x is None else days_text(x)
