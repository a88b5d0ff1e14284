"""The report as JSON (``rtw-report/2``): for a dashboard or a later comparison between periods.

In a committee report every count is rounded (``protection`` says how); a rate, median or mean not
shown (too few cases) is ``null``, and ``withheld`` says in words what is not shown and why.
"""

from __future__ import annotations

import json
from typing import TextIO

from .model import REPORT_FORMAT, Count, OutcomeRow, RateSeries, Report, TrendRow


def _c(count: Count | None) -> int | None:
    return None if count is None else count.value


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def _outcomes(row: OutcomeRow, rule: bool) -> dict:
    out: dict[str, object]
    if rule:
        out = {"code": row.key, "name": row.label, "step": row.step, "severity": row.severity, "summary": row.title}
    else:
        out = {"step": row.key, "label": row.label, "title": row.title}
    out.update({k: _c(v) for k, v in row.counts().items()})
    if not rule:
        out.pop("waived")
    out["decided"] = _c(row.decided)
    out["violation_rate"] = _r(row.rate)
    out["violation_rate_below"] = _r(row.rate_below)  # a rounded 0 violated: the rate is under this
    return out


def _trend(t: TrendRow) -> dict:
    return {"period": t.key, "cases": _c(t.cases), "with_error_violation": _c(t.with_error),
            "without_error_violation": _c(t.without_error), "share_with_error_violation": _r(t.share_with_error),
            "scored": _c(t.scored), "mean_fidelity": _r(t.mean_fidelity)}


def _series(s: RateSeries) -> dict:
    return {"key": s.key, "label": s.label, "violation_rates": [_r(x) for x in s.rates],
            "decided": [_c(d) for d in s.decided], "violated": [_c(v) for v in s.violated]}


def report_dict(r: Report) -> dict:
    ov = r.overview
    p = r.protection
    data = {
        "format": REPORT_FORMAT,
        "audience": r.audience,
        "protection": None if p is None else {
            "method": p.method, "rounding_base": p.base, "threshold": p.threshold,
            "minimum_caseload": p.minimum_caseload, "period": p.period,
        },
        "rubric": r.rubric,
        "generated": r.generated,
        "data_complete_to": r.data_to,
        "period": {"from": r.period_from, "to": r.period_to, "by": r.by},
        "cases": _c(r.cases),
        "overview": {
            "rows": {key: {**{col: _c(v) for col, v in cells.items()}, "all": _c(total)} for key, _, cells, total in ov.rows},
            "all": {**{col: _c(v) for col, v in ov.col_totals.items()}, "all": _c(ov.total)},
        },
        "steps": [_outcomes(s, rule=False) for s in r.steps],
        "rules": [_outcomes(s, rule=True) for s in r.rules],
        "fidelity": {
            "bins": [{"band": label, "cases": _c(c)} for label, c in r.fidelity.bins],
            "scored": _c(r.fidelity.scored),
            "no_score": _c(r.fidelity.no_score),
            "median": _r(r.fidelity.median),
            "quartiles": None if r.fidelity.quartiles is None else [_r(q) for q in r.fidelity.quartiles],
            "full_fidelity_share": _r(r.fidelity.full_share),
        },
        "trend": {
            "by": r.by,
            "periods": [_trend(t) for t in r.trend],
            "all": {"with_error_violation": _c(r.with_error), "share_with_error_violation": _r(r.overall_with_error)},
            "step_violation_rates": [_series(s) for s in r.step_trend],
            "rule_violation_rates": [_series(s) for s in r.rule_trend],
        },
        "timings": [
            {"timing": t.key, "label": t.label, "cases": _c(t.n), **{b: _c(c) for b, c in t.bands.items()},
             "median_days": t.median, "quartiles_days": None if t.quartiles is None else list(t.quartiles),
             "target": t.target}
            for t in r.timings
        ],
        "recommendations": [
            {"step": rec.step, "title": rec.title, "violation_rate": _r(rec.rate), "recommendation": rec.text,
             "rules": [{"code": n.code, "name": n.name, "summary": n.summary, "violation_rate": _r(n.rate),
                        "violated": _c(n.violated), "decided": _c(n.decided)} for n in rec.rules]}
            for rec in r.recommendations
        ],
        "withheld": r.withheld,
        "about": r.notes,  # the report's own remarks (never a case's notes)
    }
    if r.case_entries is not None:
        data["cases_to_follow_up"] = [
            {"case": e.case, "process_start": e.start, "fidelity": _r(e.fidelity), "violated": e.violated,
             "pending": e.pending, "status": e.status, "closed": e.closed}
            for e in r.case_entries
        ]
    return data


def write_json(report: Report, out: TextIO) -> None:
    json.dump(report_dict(report), out, indent=2, ensure_ascii=False)
    out.write("\n")
