"""No `notes` text and no party `name` in any output, in any format, including error messages."""

from __future__ import annotations

import pytest
import yaml

from auditor.cli import main
from benchmarks.generate import write_caseload


@pytest.fixture(scope="module")
def caseloads(tmp_path_factory):
    root = tmp_path_factory.mktemp("privacy")
    paths = {}
    for fmt, name in (("jsonl", "cases.jsonl"), ("csv", "cases.csv"), ("yaml-dir", "logs")):
        write_caseload(str(root / name), fmt, 40, 11)
        paths[fmt] = root / name
    return paths


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "yaml-dir"])
@pytest.mark.parametrize("output", ["text", "json", "markdown"])
def test_no_secret_in_check_output(capsys, caseloads, fmt, output):
    status = main(["check", str(caseloads[fmt]), "--format", output])
    out, err = capsys.readouterr()
    assert status in (0, 1), err
    assert "SECRET" not in out and "SECRET" not in err


def test_no_secret_in_error_messages(capsys, tmp_path):
    """A log whose bad values sit right next to names and notes: the messages name fields, never values."""
    log = {
        "format": "rtw-case-log/1",
        "case": "C-1",
        "parties": {
            "W": {"role": "worker", "name": "SECRET-NAME-W"},
            "C": {"role": "coordinator", "name": {"x": "SECRET-NAME-C"}},
            "S": {"role": "supervisor"},
        },
        "events": [
            {"id": "e1", "at": "2026-02-02", "type": "absence_started", "notes": ["SECRET-NOTE-list"]},
            {"id": "e2", "at": "2026-02-30", "type": "contact", "by": "C", "with": ["W"], "notes": "SECRET-NOTE-1"},
            {
                "id": "e3", "at": "2026-03-01", "type": "contact", "by": "SECRET-NOTE-as-party", "with": ["W"],
                "coordinator_informed": "SECRET-NOTE-bool",
            },
        ],
    }
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(log), encoding="utf-8")
    status = main(["check", str(path)])
    out, err = capsys.readouterr()
    assert status == 2
    assert "bad.yaml" in err
    assert "SECRET-NAME" not in out + err and "SECRET-NOTE-1" not in out + err and "SECRET-NOTE-list" not in out + err
