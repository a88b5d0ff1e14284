"""The rule table as CSV: one row per rule, for a spreadsheet or a comparison across reports.

Withheld counts are written as the same markers the HTML uses ("<5" for a small count, "x" for a
complement), never as a number, so a spreadsheet sum cannot quietly treat them as 0. Every row names
the audience the file was made for.
"""

from __future__ import annotations

from typing import TextIO

from ..safe_text import csv_writer
from .model import Count, Report

COLUMNS = ("audience", "code", "name", "step", "severity", "applied", "satisfied", "violated", "pending",
           "not_applicable", "violation_rate")


def _cell(count: Count, min_count: int | None) -> str:
    if count.shown:
        return str(count.value)
    return f"<{min_count}" if count.flag == "small" else "x"


def write_csv(report: Report, out: TextIO) -> None:
    writer = csv_writer(out, lineterminator="\n")  # cells from rubrics and arguments: no formulas
    writer.writerow(COLUMNS)
    for row in report.rules:
        counts = row.counts()
        writer.writerow([
            report.audience, row.key, row.label, row.step, row.severity,
            *(_cell(counts[k], report.min_count) for k in ("applied", "satisfied", "violated", "pending", "not_applicable")),
            "" if row.rate is None else f"{row.rate:.4f}",
        ])
