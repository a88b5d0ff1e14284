"""The report as JSON (``rtw-report/1``): for a dashboard or a later comparison between periods.

A withheld count is ``null`` (the record holds no value for it); rates and medians that depend on a
withheld count are ``null`` too. The ``audience`` and ``suppression`` keys say what the file is fit for.
"""

from __future__ import annotations

import json
from typing import TextIO

from .model import REPORT_FORMAT, Count, OutcomeRow, Report, TrendRow


def _c(count: Count) -> int | None:
    return count.value


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _outcomes(row: OutcomeRow, rule: bool) -> dict:
    if rule:
        out = {"code": row.key, "name": row.label, "step": row.step, "severity": row.severity, "summary": row.title}
    else:
        out = {"step": row.key, "label": row.label, "title": row.title}
    out.update({k: _c(v) for k, v in row.counts().items()})
    out["violation_rate"] = _r(row.rate)
    return out


def _trend(t: TrendRow) -> dict:
    return {
        "period": t.key,
        "cases": _c(t.cases),
        "with_error_violation": _c(t.with_error),
        "without_error_violation": _c(t.without_error),
        "share_with_error_violation": _r(t.share_with_error),
        "median_fidelity": _r(t.median_fidelity),
        "mean_fidelity": _r(t.mean_fidelity),
    }


def report_dict(r: Report) -> dict:
    ov = r.overview
    data = {
        "format": REPORT_FORMAT,
        "audience": r.audience,
        "suppression": (
            {"min_count": r.min_count, "withheld_counts": r.withheld,
             "method": "counts 1..min_count-1 and the complements needed to protect them are null (docs/report.md)"}
            if r.committee else None
        ),
        "rubric": r.rubric,
        "generated": r.generated,
        "data_as_of": r.as_of,
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
        },
        "trend": {"by": r.by, "periods": [_trend(t) for t in r.trend], "all": _trend(r.trend_total)},
        "timings": [
            {"timing": t.key, "label": t.label, "cases": _c(t.n), "median_days": t.median, "min_days": t.low,
             "max_days": t.high, "target": t.target}
            for t in r.timings
        ],
        "recommendations": [
            {"step": rec.step, "title": rec.title, "violation_rate": _r(rec.rate), "recommendation": rec.text,
             "rules": [{"code": n.code, "name": n.name, "summary": n.summary, "violation_rate": _r(n.rate)} for n in rec.rules]}
            for rec in r.recommendations
        ],
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
