"""The reports of ``rtw-audit check`` stay byte for byte what they were, in every format.

Why: the way from reading to writing is refactored from time to time (one read API, one finding
record, one writer registry, the serial/parallel decision in the engine). A refactor must not change
a single byte a coordinator reads or a script parses. The spec examples and every rule case (as one
folder of logs, and as one JSON Lines table) are audited in text, Markdown and JSON, and the digest of
each report is compared with the one recorded in ``data/output-digests.json``.

A deliberate change of the output (a new field, a reworded line) updates that file: run this module
with ``RTW_RECORD_DIGESTS=1`` and say in the commit why the output changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.reading.rows import jsonl_text, log_rows
from tests.auditor.rule_case_files import build_log, load_cases

HERE = Path(__file__).parent
DIGESTS = HERE / "data" / "output-digests.json"
EXAMPLES = HERE / "data" / "spec-examples"
FORMATS = ("text", "markdown", "json")
RECORD = os.environ.get("RTW_RECORD_DIGESTS") == "1"


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _inputs(root: Path) -> dict[str, list[str]]:
    """The inputs, written under ``root`` with relative names (reports name their files)."""
    shutil.copytree(EXAMPLES, root / "examples")
    logs = root / "rules"
    logs.mkdir()
    rows: list[dict] = []
    for param in load_cases():
        rule, case = param.values
        if "params" in case:  # a workplace's own setting: not the default rubric's report
            continue
        log = build_log(case)
        name = f"{rule}-{case['name']}"
        log["case"] = name
        text = json.dumps(log, default=_plain, ensure_ascii=False)
        (logs / f"{name}.json").write_text(text, encoding="utf-8")
        rows.extend(log_rows(json.loads(text)))
    (root / "rules.jsonl").write_text(jsonl_text(rows), encoding="utf-8")
    return {"examples": ["examples"], "rule-cases": ["rules"], "rule-table": ["rules.jsonl"]}


def _digests(root: Path, capsys) -> dict[str, str]:
    out: dict[str, str] = {}
    for label, paths in _inputs(root).items():
        for fmt in FORMATS:
            status = main(["check", *paths, "--format", fmt, "--as-of", "2027-01-01", "--jobs", "1"])
            text, err = capsys.readouterr()
            assert status in (0, 1), err
            out[f"{label}/{fmt}"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return out


def test_reports_are_byte_identical_to_the_recorded_ones(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    got = _digests(Path("."), capsys)
    if RECORD:
        DIGESTS.write_text(json.dumps(got, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip("digests recorded")
    assert got == json.loads(DIGESTS.read_text(encoding="utf-8"))
