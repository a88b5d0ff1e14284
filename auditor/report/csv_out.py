"""The rule table as CSV: one row per rule, for a spreadsheet or a comparison across reports.

Counts are written as published: in a committee report, rounded to the committee's base (the
``rounding_base`` column says which; blank for a coordinator's exact counts). Every row names the
audience the file was made for. Text cells come from the workplace's rubric, so a cell that a
spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

from typing import TextIO

from ..safe_text import csv_writer
from .model import Report

COLUMNS = ("audience", "code", "name", "step", "severity", "satisfied", "violated", "pending", "not_applicable",
           "waived", "decided", "violation_rate", "rounding_base")


def write_csv(report: Report, out: TextIO) -> None:
    writer = csv_writer(out, lineterminator="\n")  # cells from rubrics and arguments: no formulas
    writer.writerow(COLUMNS)
    base = "" if report.protection is None else str(report.protection.base)
    for row in report.rules:
        c = row.counts()
        writer.writerow([
            report.audience, row.key, row.label, row.step, row.severity or "",
            *(str(c[k].value) for k in ("satisfied", "violated", "pending", "not_applicable", "waived")),
            str(row.decided.value), "" if row.rate is None else f"{row.rate:.3f}", base,
        ])
