"""``rtw-audit report`` on the command line: options, exit statuses, files written atomically."""

from __future__ import annotations

import csv
import io
import json

import pytest

from auditor.cli import main
from benchmarks.generate import write_caseload


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    path = tmp_path_factory.mktemp("caseload") / "cases.jsonl"
    write_caseload(str(path), "jsonl", 120, 3)
    return path


@pytest.fixture(scope="module")
def logs_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("logs") / "cases"
    write_caseload(str(path), "yaml-dir", 40, 4)
    return path


def run(capsys, *args):
    try:
        code = main(["report", *map(str, args)])
    except SystemExit as exc:  # argparse's own errors exit 2 from the parser
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_html_to_a_file(capsys, table, tmp_path):
    target = tmp_path / "report.html"
    code, out, err = run(capsys, table, "-o", target)
    assert code == 0, err
    assert out == ""
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "</html>" in html
    assert "Made for the implementation committee" in html
    assert not list(tmp_path.glob(".report.html.*"))  # no temporary file left behind
    assert target.stat().st_mode & 0o044  # readable by others as the umask allows, not mkstemp's 0600


def test_every_format_to_stdout(capsys, table):
    code, out, _ = run(capsys, table, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["format"] == "rtw-report/1" and data["audience"] == "committee" and data["cases"] == 120
    code, out, _ = run(capsys, table, "--format", "markdown")
    assert code == 0 and out.startswith("# Return-to-work process fidelity report")
    code, out, _ = run(capsys, table, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == len(data["rules"]) and rows[0]["audience"] == "committee"
    code, out, _ = run(capsys, table)
    assert code == 0 and out.startswith("<!DOCTYPE html>")


def test_a_directory_of_logs(capsys, logs_dir):
    code, out, err = run(capsys, logs_dir, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["cases"] == 40


def test_coordinator_audience_lists_case_ids(capsys, table):
    code, out, _ = run(capsys, table, "--format", "json", "--audience", "coordinator")
    data = json.loads(out)
    assert code == 0 and data["audience"] == "coordinator" and data["suppression"] is None
    assert data["cases_to_follow_up"] and data["cases_to_follow_up"][0]["case"].startswith("C-")
    code, out, _ = run(capsys, table, "--format", "json")
    assert "cases_to_follow_up" not in json.loads(out)


@pytest.mark.parametrize("value", ["4", "0", "-1", "five"])
def test_min_count_below_five_is_refused(capsys, table, value):
    code, out, err = run(capsys, table, "--min-count", value)
    assert code == 2 and out == ""
    assert "min-count" in err


def test_min_count_raises_the_threshold(capsys, table):
    code, out, _ = run(capsys, table, "--format", "json", "--min-count", "12")
    data = json.loads(out)
    assert code == 0 and data["suppression"]["min_count"] == 12
    for row in data["rules"]:
        for k in ("applied", "satisfied", "violated", "pending", "not_applicable"):
            assert row[k] is None or row[k] == 0 or row[k] >= 12


@pytest.mark.parametrize("args", [["--from", "2025-13"], ["--to", "2025-02-30"], ["--from", "last year"],
                                  ["--from", "2025-06", "--to", "2025-01"], ["--by", "week"],
                                  ["--audience", "everyone"], ["--format", "pdf"]])
def test_bad_options_exit_2(capsys, table, args):
    code, out, err = run(capsys, table, *args)
    assert code == 2 and out == ""
    assert err.strip()


def test_period_and_months(capsys, table):
    code, out, _ = run(capsys, table, "--format", "json", "--from", "2025-01", "--to", "2025-03-31", "--by", "month")
    data = json.loads(out)
    assert code == 0
    assert data["period"] == {"from": "2025-01", "to": "2025-03", "by": "month"}
    assert [p["period"] for p in data["trend"]["periods"]] == ["2025-01", "2025-02", "2025-03"]


def test_an_input_error_writes_no_report(capsys, table, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: rtw-case-log/1\ncase: X-1\nparties: {W: {role: worker}}\nevents: []\n", encoding="utf-8")
    target = tmp_path / "report.html"
    target.write_text("the previous report", encoding="utf-8")
    code, out, err = run(capsys, table, bad, "-o", target)
    assert code == 2
    assert "bad.yaml" in err and "no report written" in err
    assert target.read_text(encoding="utf-8") == "the previous report"  # untouched
    code, out, err = run(capsys, table, bad, "--format", "json")
    assert code == 2 and out == ""


def test_no_cases_at_all(capsys, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run(capsys, empty)
    assert code == 2 and out == ""


def test_a_period_with_no_case_still_makes_a_report(capsys, table):
    code, out, err = run(capsys, table, "--format", "json", "--from", "2030-01")
    assert code == 0
    assert json.loads(out)["cases"] == 0
    assert "no case" in err


def test_a_bad_rubric_exits_2(capsys, table, tmp_path):
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text("format: rtw-rubric/1\nname: x\nextends: default\nrules:\n  - code: RTW101\n    params: {max_dayz: 3}\n",
                      encoding="utf-8")
    code, out, err = run(capsys, table, "--rubric", rubric)
    assert code == 2 and out == ""
    assert "max_dayz" in err
