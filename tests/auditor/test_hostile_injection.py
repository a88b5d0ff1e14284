"""Injection through ids: escape sequences, forged lines, HTML and lone surrogates in case, event and
party ids reach no terminal, no Markdown and no JSON raw, and crash no output half-way."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.auditor.cli_helpers import run_check

EXAMPLE = (Path(__file__).parent / "data" / "spec-examples" / "pre-briefing-and-missed-follow-up.yaml").read_text(encoding="utf-8")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar holding exactly ``text`` (JSON escapes are YAML escapes)."""
    return json.dumps(text, ensure_ascii=True)


def _log(tmp_path: Path, case_id: str, event_id: str = "e9", name: str = "c.yaml") -> Path:
    text = EXAMPLE.replace("case: C-EX-002", f"case: {_yaml_string(case_id)}").replace(
        "{id: e9,", "{id: " + _yaml_string(event_id) + ","
    )
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


_check = run_check


HOSTILE_IDS = [
    "C-1\x1b[2J\x1b[H",  # clear the screen
    "C-2\x1b]0;owned\x07",  # set the window title
    "C-3\x1b[1A\x1b[2K",  # erase the line above (a finding)
    "C-4\n\ncase FAKE  c.yaml\n  no findings: every applicable rule is satisfied",  # a forged clean block
    "C-5\u202eevil",  # bidi override
    "C-6\x9b2J",  # a one-byte CSI
]


@pytest.mark.parametrize("case_id", HOSTILE_IDS)
def test_text_output_escapes_case_and_event_ids(capsys, tmp_path, case_id):
    status, out, _ = _check(capsys, _log(tmp_path, case_id, event_id="e9" + case_id[3:]))
    assert status == 1
    assert CONTROL.search(out) is None
    assert "\ncase FAKE" not in out
    assert sum(1 for line in out.splitlines() if line.startswith("case ")) == 1


def test_stderr_escapes_ids_in_messages(capsys, tmp_path):
    path = _log(tmp_path, "C-1\x1b[2J\ncase FAKE")
    path.write_text(path.read_text(encoding="utf-8").replace("type: absence_started", "type: nonsense"), encoding="utf-8")
    status, _, err = _check(capsys, path)
    assert status == 2
    assert CONTROL.search(err) is None
    assert all(line.startswith("rtw-audit:") for line in err.splitlines())


def test_a_file_name_with_escapes_is_escaped(capsys, tmp_path):
    path = _log(tmp_path, "C-1", name="x\x1b[2Jy.yaml")
    status, out, _ = _check(capsys, path)
    assert status == 1 and CONTROL.search(out) is None and "\\x1b[2J" in out


def test_markdown_output_escapes_html_from_ids(capsys, tmp_path):
    path = _log(tmp_path, "<script>alert(1)</script>", event_id='<img src=x onerror="alert(2)">')
    status, out, _ = _check(capsys, path, "--format", "markdown")
    assert status == 1
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;" in out and "&lt;img" in out


def test_markdown_keeps_the_file_name_with_the_line(capsys, tmp_path):
    path = _log(tmp_path, "C-1")
    _, out, _ = _check(capsys, path, "--format", "markdown")
    assert re.search(r"e9 \(.*c\.yaml:27\)", out)


ROWS = [
    {"case": "A", "type": "party", "id": "W", "role": "worker"},
    {"case": "A", "type": "party", "id": "C", "role": "coordinator"},
    {"case": "A", "type": "party", "id": "S", "role": "supervisor"},
    {"case": "A", "id": "e1\ud800", "at": "2026-03-02", "type": "absence_started"},
    {"case": "A", "id": "e2", "at": "2026-03-03", "type": "file_opened", "by": "C"},
]


@pytest.mark.parametrize("fmt", ["json", "text", "markdown"])
def test_a_lone_surrogate_in_an_event_id_does_not_break_the_output(capsys, tmp_path, fmt):
    """JSON (unlike YAML) can spell a lone surrogate; the id is refused, and the message quoting it
    must not crash the report that was already being written (it did, in JSON, after ``{"cases": [``)."""
    path = tmp_path / "t.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    out_file = tmp_path / f"report.{fmt}"
    status, _, err = _check(capsys, path, "--format", fmt, "-o", out_file)
    assert status == 2
    assert "event #1" in err  # not an id's characters: named by its position, not quoted
    text = out_file.read_bytes().decode("utf-8")  # strict: no lone surrogate was written
    if fmt == "json":
        assert json.loads(text)["input_errors"]


@pytest.mark.parametrize("fmt", ["json", "text", "markdown"])
def test_a_file_name_that_is_not_utf8_does_not_break_the_output(capsys, tmp_path, fmt):
    """A name with a byte that is not UTF-8 reaches Python as a lone surrogate (``\\udcff``)."""
    path = _log(tmp_path, "C-1", name="c\udcff.yaml")
    out_file = tmp_path / f"report.{fmt}.out"
    status, _, _ = _check(capsys, path, "--format", fmt, "-o", out_file)
    assert status == 1
    text = out_file.read_bytes().decode("utf-8")
    if fmt == "json":
        assert json.loads(text)["cases"][0]["source"].endswith("c\udcff.yaml")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=30).filter(lambda s: s.strip()))
def test_any_case_id_gives_inert_text_and_valid_json(tmp_path_factory, capsys, case_id):
    folder = tmp_path_factory.mktemp("i")
    path = _log(folder, case_id)
    status, out, err = _check(capsys, path)
    assert status in (1, 2)
    assert CONTROL.search(out) is None and CONTROL.search(err) is None
    if status == 1:
        status, out, _ = _check(capsys, path, "--format", "json")
        assert json.loads(out)["cases"][0]["case"] == case_id
