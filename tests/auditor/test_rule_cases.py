"""One YAML file of named cases per rule code (tests/auditor/rule_cases/RTWnnn.yaml), as sqlfluff does.

Each case is a small case log and the outcome (and events at fault) the spec expects for that rule.
The cases are written from docs/spec/audit-rules.md, not from the implementation.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from auditor.engine import audit_case
from auditor.reading import read_case_text
from auditor.rubric import load_rubric
from tests.auditor.rule_case_files import CASES_DIR, build_log, load_cases

RUBRIC = load_rubric()


def rubric_for(case: dict, tmp_path: Path):
    """The default rubric, or one that ``extends: default`` with the case's ``params``
    (``{RTW102: {independent_roles: []}}``): a workplace's own setting of a rule."""
    if "params" not in case:
        return RUBRIC
    rules = [{"code": code, "params": params} for code, params in case["params"].items()]
    path = tmp_path / "workplace-rubric.yaml"
    path.write_text(json.dumps({"format": "rtw-rubric/1", "name": "workplace", "extends": "default", "rules": rules}), encoding="utf-8")
    return load_rubric(path)


@pytest.mark.parametrize(("rule", "case"), load_cases())
def test_rule_case(rule: str, case: dict, tmp_path: Path) -> None:
    log = build_log(case)
    # Dates in the case files are read by safe_load as dates; JSON text keeps them as the spec writes them.
    text = json.dumps(log, default=lambda v: v.isoformat())
    parsed = read_case_text(text, f"{rule}-{case['name']}.json", fmt="json")
    audit = audit_case(parsed, rubric_for(case, tmp_path))
    result = next(r for r in audit.results if r.rule == rule)
    named = [parsed.events[i].label for i in result.events]
    assert (result.outcome, named) == (case["outcome"], case.get("at_fault", [])), case.get("why", "")


def test_every_rule_has_cases_for_its_outcomes() -> None:
    """Each rule of the rubric has a case file, and each file covers at least two outcomes."""
    covered: dict[str, set[str]] = {}
    for path in CASES_DIR.glob("*.yaml"):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        covered[spec["rule"]] = {c["outcome"] for c in spec["cases"]}
    missing = [code for code in RUBRIC.all_codes() if code not in covered]
    assert not missing, f"rules without a case file: {missing}"
    thin = [code for code, outcomes in covered.items() if len(outcomes) < 2]
    assert not thin, f"rules whose cases cover a single outcome: {thin}"
