"""The rule table as CSV: one row per rule, for a spreadsheet or a comparison across reports.

Counts are written as published: in a committee report, rounded to the committee's base (the
``rounding_base`` column says which; blank for a coordinator's exact counts). Every row names the
audience the file was made for. Text cells come from the workplace's rubric, so a cell that a
spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import csv
from typing import TextIO

from .model import Report

COLUMNS = ("audience", "code", "name", "step", "severity", "satisfied", "violated", "pending", "not_applicable",
           "waived", "decided", "violation_rate", "rounding_base")


def _safe(text: str) -> str:
    """A leading = + - @, tab or CR makes a spreadsheet formula: prefix it with a quote."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(report: Report, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    base = "" if report.protection is None else str(report.protection.base)
    for row in report.rules:
        c = row.counts()
        writer.writerow([
            report.audience, _safe(row.key), _safe(row.label), _safe(row.step), _safe(row.severity or ""),
            *(str(c[k].value) for k in ("satisfied", "violated", "pending", "not_applicable", "waived")),
            str(row.decided.value), "" if row.rate is None else f"{row.rate:.3f}", base,
        ])
