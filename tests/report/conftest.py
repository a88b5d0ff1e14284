"""Shared caseloads for the report tests: generated once per session (benchmarks/generate.py)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from auditor.engine import audit_case
from auditor.reading import read_case_text
from auditor.report.aggregate import Aggregate
from auditor.report.model import build_report
from auditor.report.rounding import Rounder
from auditor.rubric import load_rubric
from benchmarks.generate import iter_cases

TODAY = date(2026, 7, 15)  # a fixed "report made" date, so outputs are reproducible
KEY = b"a committee key used only by the tests"


def audit_dicts(cases: list[dict], rubric):
    """Case-log dicts (as the generator makes them) -> CaseAudits, through the real JSON reader."""
    return [audit_case(read_case_text(json.dumps(c).encode(), f"{c['case']}.json", "json"), rubric) for c in cases]


def make_report(audits, rubric, *, audience="committee", threshold=15, minimum_caseload=15, by="quarter",
                start_from=None, start_to=None, key=KEY, today=TODAY):
    agg = Aggregate(rubric, by=by, start_from=start_from, start_to=start_to, keep_cases=audience == "coordinator")
    for a in audits:
        agg.add(a)
    return agg, build_report(agg, audience=audience, rounder=Rounder(key), threshold=threshold,
                             minimum_caseload=minimum_caseload, period_from=start_from, period_to=start_to, today=today)


@pytest.fixture(scope="session")
def report_of():
    """``report_of(audits, rubric, audience=..., ...) -> (aggregate, report)``."""
    return make_report


@pytest.fixture(scope="session")
def audits_of():
    """``audits_of(case_dicts, rubric) -> [CaseAudit]`` through the real JSON reader."""
    return audit_dicts


@pytest.fixture(scope="session")
def rubric():
    return load_rubric()


@pytest.fixture(scope="session")
def cases300() -> list[dict]:
    return list(iter_cases(300, seed=11))


@pytest.fixture(scope="session")
def audits300(cases300, rubric):
    return audit_dicts(cases300, rubric)


@pytest.fixture(scope="session")
def cases16() -> list[dict]:
    """A small caseload (most committees have tens of files): most counts are under 5."""
    return list(iter_cases(16, seed=5))


@pytest.fixture(scope="session")
def audits16(cases16, rubric):
    return audit_dicts(cases16, rubric)
