"""The rule case files (``rule_cases/RTWnnn.yaml``) as pytest parameters and as case logs.

Shared by the rule-case test, the output stability test and the waiver tests, so that every one of
them reads the same cases the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

CASES_DIR = Path(__file__).parent / "rule_cases"

DEFAULT_PARTIES = {
    "W": {"role": "worker"},
    "C": {"role": "coordinator"},
    "S": {"role": "supervisor"},
    "S2": {"role": "supervisor"},
    "U": {"role": "union_rep"},
    "HR": {"role": "hr"},
    "MD": {"role": "physician"},
    "COM": {"role": "committee"},
    "M": {"role": "mediator"},
}


def build_log(case: dict) -> dict:
    log: dict[str, Any] = {"format": "rtw-case-log/1", "case": f"T-{case['name']}", "parties": case.get("parties", DEFAULT_PARTIES)}
    for key in ("context", "as_of"):
        if key in case:
            log[key] = case[key]
    log["events"] = case["events"]
    return log


def load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            params.append(pytest.param(spec["rule"], case, id=f"{spec['rule']}-{case['name']}"))
    return params
