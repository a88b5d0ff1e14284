"""``rtw-audit report`` on the command line: options, exit statuses, files written atomically."""

from __future__ import annotations

import csv
import io
import json

import pytest

from auditor.cli import main
from benchmarks.generate import write_caseload

SETTINGS = """format: rtw-committee-settings/1
key: "a committee key for the command-line tests"
"""


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    """An event table with the committee's settings beside it (found without --settings)."""
    folder = tmp_path_factory.mktemp("caseload")
    write_caseload(str(folder / "cases.jsonl"), "jsonl", 120, 3)
    (folder / "rtw-committee.yaml").write_text(SETTINGS, encoding="utf-8")
    return folder / "cases.jsonl"


@pytest.fixture(scope="module")
def logs_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("logs") / "cases"
    write_caseload(str(path), "yaml-dir", 40, 4)
    (path.parent / "rtw-committee.yaml").write_text(SETTINGS, encoding="utf-8")  # beside the folder, not in it
    return path


def run(capsys, *args):
    code: int | str | None
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
    assert data["format"] == "rtw-report/2" and data["audience"] == "committee" and data["cases"] in (120, 125)
    assert data["protection"]["rounding_base"] == 5 and data["protection"]["period"] == "quarter"
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
    assert json.loads(out)["cases"] in (40, 45)  # rounded, and the settings file is not read as a case log


def test_coordinator_audience_lists_case_ids(capsys, table):
    code, out, _ = run(capsys, table, "--format", "json", "--audience", "coordinator")
    data = json.loads(out)
    assert code == 0 and data["audience"] == "coordinator" and data["protection"] is None and data["cases"] == 120
    assert data["cases_to_follow_up"] and data["cases_to_follow_up"][0]["case"].startswith("C-")
    code, out, _ = run(capsys, table, "--format", "json")
    assert "cases_to_follow_up" not in json.loads(out)


@pytest.mark.parametrize("args", [["--min-count", "6"], ["--by", "month"], ["--by", "quarter"]])
def test_the_committee_refuses_per_run_disclosure_options(capsys, table, args):
    code, out, err = run(capsys, table, *args)
    assert code == 2 and out == ""
    assert err.strip()
    if args[0] == "--by":
        assert "settings" in err


@pytest.mark.parametrize("args", [["--from", "2025-02"], ["--to", "2025-05-30"], ["--from", "2025-01-02"]])
def test_a_committee_window_is_whole_periods(capsys, table, args):
    code, out, err = run(capsys, table, *args)
    assert code == 2 and out == "" and "whole quarters" in err


def test_no_settings_refuses_the_committee_and_says_what_to_do(capsys, tmp_path):
    write_caseload(str(tmp_path / "cases.jsonl"), "jsonl", 30, 3)
    code, out, err = run(capsys, tmp_path / "cases.jsonl")
    assert code == 2 and out == ""
    assert "--new-settings" in err and "--audience coordinator" in err
    code, out, err = run(capsys, tmp_path / "cases.jsonl", "--audience", "coordinator", "--format", "json")
    assert code == 0 and json.loads(out)["cases"] == 30


def test_new_settings_makes_a_private_key_file_and_never_overwrites(capsys, tmp_path):
    write_caseload(str(tmp_path / "cases.jsonl"), "jsonl", 30, 3)
    settings = tmp_path / "committee.yaml"
    code, out, err = run(capsys, tmp_path / "cases.jsonl", "--new-settings", settings, "--format", "json")
    assert code == 0, err
    assert settings.stat().st_mode & 0o077 == 0  # the key is readable by its owner only
    first = settings.read_text(encoding="utf-8")
    code, again, err = run(capsys, tmp_path / "cases.jsonl", "--settings", settings, "--format", "json")
    assert code == 0 and again == out  # the same key, the same rounding
    code, _, err = run(capsys, tmp_path / "cases.jsonl", "--new-settings", settings)
    assert code == 2 and "never overwrites" in err
    assert settings.read_text(encoding="utf-8") == first


def test_new_settings_alone_writes_the_file_first(capsys, tmp_path):
    """``report --new-settings FILE`` with no logs yet: the committee's first step, as the README gives it."""
    settings = tmp_path / "rtw-committee.yaml"
    code, out, err = run(capsys, "--new-settings", settings)
    assert code == 0 and err == "" and f"wrote {settings}" in out
    assert settings.stat().st_mode & 0o077 == 0 and "key:" in settings.read_text(encoding="utf-8")
    code, _, err = run(capsys, "--new-settings", settings)
    assert code == 2 and "never overwrites" in err
    code, _, err = run(capsys)
    assert code == 2 and "required: PATH" in err


@pytest.mark.parametrize("text, line, words", [
    ("format: rtw-committee-settings/1\nkey: short\n", 2, "at least 16"),
    ("format: rtw-committee-settings/1\nkey: 'a long enough committee key'\nthreshold: 3\n", 3, "below 5"),
    ("format: rtw-committee-settings/1\nkey: 'a long enough committee key'\nperiod: month\n", 3, "coordinator"),
    ("format: rtw-committee-settings/1\nkey: 'a long enough committee key'\nrounding_base: five\n", 3, "whole number"),
    ("format: rtw-committee-settings/1\nkey: 'a long enough committee key'\nmin_count: 5\n", 3, "unknown setting"),
    ("format: other\nkey: 'a long enough committee key'\n", 1, "format"),
    ("key: [unclosed\n", 2, "YAML"),
])
def test_bad_settings_name_the_file_and_line(capsys, table, tmp_path, text, line, words):
    settings = tmp_path / "settings.yaml"
    settings.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, table, "--settings", settings)
    assert code == 2 and out == ""
    assert f"settings.yaml:{line}" in err and words in err and "Traceback" not in err


def test_settings_that_are_not_utf8_are_refused_with_a_message(capsys, table, tmp_path):
    settings = tmp_path / "settings.yaml"
    settings.write_bytes(b"format: rtw-committee-settings/1\nkey: '\xff a committee key'\n")
    code, out, err = run(capsys, table, "--settings", settings)
    assert code == 2 and out == ""
    assert "settings.yaml" in err and "not UTF-8" in err and "Traceback" not in err


def test_below_the_minimum_caseload_the_committee_report_is_refused(capsys, tmp_path):
    write_caseload(str(tmp_path / "cases.jsonl"), "jsonl", 9, 3)
    (tmp_path / "rtw-committee.yaml").write_text(SETTINGS, encoding="utf-8")
    target = tmp_path / "report.html"
    code, out, err = run(capsys, tmp_path / "cases.jsonl", "-o", target)
    assert code == 2 and out == "" and not target.exists()
    assert "minimum caseload" in err and "--audience coordinator" in err and "longer period" in err


@pytest.mark.parametrize("args", [["--from", "2025-13"], ["--to", "2025-02-30"], ["--from", "last year"],
                                  ["--from", "2025-07", "--to", "2025-03"], ["--by", "week"],
                                  ["--audience", "everyone"], ["--format", "pdf"]])
def test_bad_options_exit_2(capsys, table, args):
    code, out, err = run(capsys, table, *args)
    assert code == 2 and out == ""
    assert err.strip()


def test_period_and_months(capsys, table):
    code, out, _ = run(capsys, table, "--format", "json", "--from", "2025-01", "--to", "2025-03-31", "--by", "month",
                       "--audience", "coordinator")
    data = json.loads(out)
    assert code == 0
    assert data["period"] == {"from": "2025-01-01", "to": "2025-03-31", "by": "month"}
    assert [p["period"] for p in data["trend"]["periods"]] == ["2025-01", "2025-02", "2025-03"]
    code, out, _ = run(capsys, table, "--format", "json", "--from", "2025-01", "--to", "2025-06")
    data = json.loads(out)
    assert code == 0 and data["period"]["from"] == "2025-Q1" and data["period"]["to"] == "2025-Q2"
    assert data["protection"]["period"] == "quarter"  # the settings' grain (the trend may be coarser when thin)


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
    code, out, err = run(capsys, table, "--format", "json", "--from", "2030-01", "--audience", "coordinator")
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


def test_the_report_never_replaces_an_input(capsys, tmp_path):
    """``report logs/c.jsonl -o logs/c.jsonl`` must refuse, not turn the case log into HTML."""
    folder = tmp_path / "caseload"
    folder.mkdir()
    source = folder / "cases.jsonl"
    write_caseload(str(source), "jsonl", 30, 5)
    (folder / "rtw-committee.yaml").write_text(SETTINGS, encoding="utf-8")
    before = source.read_bytes()
    code, out, err = run(capsys, source, "--audience", "coordinator", "-o", source)
    assert code == 2 and "Traceback" not in err and str(source.name) in err
    assert source.read_bytes() == before


def test_a_report_error_shows_control_characters_rather_than_sending_them(capsys, tmp_path):
    """A file name is the user's text: in the one-line error it must not reach the terminal as an
    escape sequence (``check`` and ``report`` print that line in one place)."""
    taken = tmp_path / "esc\x1b[31mape"
    taken.mkdir()
    assert main(["report", "--new-settings", str(taken)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rtw-audit: error: ") and "\x1b" not in err and "\\x1b[31m" in err
