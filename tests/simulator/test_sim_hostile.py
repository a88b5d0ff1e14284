"""Hostile and careless use of ``rtw-train``: exports that would destroy the database, formulas in
CSV cells, read-only records, escape codes in scenario text and trainee names, oversized scenario
files. Each is a message with exit 2 (or a safe result), never a traceback."""

from __future__ import annotations

import csv
import io
import os
import stat
from argparse import Namespace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator import reports
from simulator.cli import main
from simulator.loader import MAX_SCENARIO_BYTES, parse_scenario
from simulator.records import ScoreRecord, TrainingRecords

STATE = {"format": 1, "scenario_id": "first-call", "node_id": "open", "turns": []}
SCENARIO = Path(__file__).parents[2] / "scenarios" / "first-call.yaml"


def _db(path: Path, trainees=("Sam",), scenario: str = "first-call") -> Path:
    with TrainingRecords.open(path) as store:
        for name in trainees:
            a = store.start_attempt(name, scenario, "1.0", STATE, coached=True)
            store.finish_attempt(a, {**STATE, "finished": True}, "good_end", ScoreRecord(72.0, 0, {"let_worker_lead": 80.0}, {}, {}))
    return path


def test_export_onto_the_database_is_refused(tmp_path, capsys):
    db = _db(tmp_path / "s.db")
    before = db.read_bytes()
    assert main(["export", "--db", str(db), "--csv", str(db)]) == 2
    err = capsys.readouterr().err
    assert "one of the inputs" in err and "Traceback" not in err
    assert db.read_bytes() == before
    with TrainingRecords.open(db) as store:
        assert len(store.attempts()) == 1


def test_export_to_dev_null_writes_into_it(tmp_path, capsys):
    db = _db(tmp_path / "s.db")
    assert main(["export", "--db", str(db), "--csv", os.devnull]) == 0
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_export_through_a_symlink_keeps_the_link(tmp_path, capsys):
    db = _db(tmp_path / "s.db")
    real = tmp_path / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert main(["export", "--db", str(db), "--csv", str(link)]) == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("attempt,")


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_cells_are_neutralised_in_the_export(tmp_path, lead):
    name = f"{lead}HYPERLINK(\"http://x\",\"y\")"
    store = TrainingRecords.in_memory()
    a = store.start_attempt("Sam", "first-call", "1.0", STATE, coached=True)
    with store._transaction() as conn:
        conn.execute("UPDATE trainees SET pseudonym = ? WHERE pseudonym = 'Sam'", (name,))
    buffer = io.StringIO()
    reports.write_csv(store.attempts(), buffer)
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    cells = [c for row in rows for c in row]
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    assert "'" + name in cells
    assert a


def test_history_and_export_read_a_read_only_database(tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = _db(folder / "s.db")
    for extra in folder.glob("s.db-*"):  # as a copy would be: no WAL files beside it
        extra.unlink()
    db.chmod(0o444)
    folder.chmod(0o555)
    try:
        assert main(["history", "--db", str(db)]) == 0
        out = capsys.readouterr().out
        assert "Sam" in out
        assert main(["export", "--db", str(db), "--csv", "-"]) == 0
        assert "Sam" in capsys.readouterr().out
        assert sorted(p.name for p in folder.iterdir()) == ["s.db"]  # no WAL or SHM file created
    finally:
        folder.chmod(0o755)


def test_history_fits_100_columns_and_shows_titles(tmp_path, capsys):
    db = _db(tmp_path / "s.db", trainees=("Kimberly-Anne Tremblay-Lavoie", "Sam"))
    assert main(["history", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "first-call" not in out and "The first call" in out


def test_history_escapes_names_from_a_crafted_database(tmp_path):
    store = TrainingRecords.in_memory()
    store.start_attempt("Sam", "first-call", "1.0", STATE, coached=True)
    with store._transaction() as conn:
        conn.execute("UPDATE trainees SET pseudonym = ?", ("Sam\x1b[2J\ncase",))
    text = reports.format_history(store.attempts())
    assert "\x1b" not in text and "Sam\\x1b[2J\\n" in text


@pytest.mark.parametrize("name", ["\x1b]0;owned\x07", "x" * 41, "a\u202eb"])
def test_an_invalid_trainee_is_an_error_not_silence(name, capsys):
    assert main(["--trainee", name]) == 2
    err = capsys.readouterr().err
    assert "--trainee" in err and "\x1b" not in err


@pytest.mark.parametrize("text", ['"First \\e[2J call"', '"First \\x9b2J call"', '"a \\u202e b"', '"x\\0y"'])
def test_a_scenario_title_with_control_characters_is_refused_with_its_line(tmp_path, capsys, text):
    path = tmp_path / "esc.yaml"
    source = SCENARIO.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[number] = f"title: {text}\n"
    path.write_text("".join(lines), encoding="utf-8")
    assert main(["play", str(path), "--choices", "1"]) == 2
    err = capsys.readouterr().err
    assert f"esc.yaml:{number + 1}:" in err and "control character" in err and "Traceback" not in err


def test_an_oversized_scenario_is_refused_quickly(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(SCENARIO.read_bytes() + b"\n# " + b"x" * MAX_SCENARIO_BYTES + b"\n")
    scenario, problems = parse_scenario(path)
    assert scenario is None and "larger than" in problems[0].message


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_scenario_symlinked_to_dev_zero_is_refused(tmp_path):
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    scenario, problems = parse_scenario(link)
    assert scenario is None and "larger than" in problems[0].message


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_any_trainee_argument_is_accepted_or_refused_with_a_message(name):
    from simulator.app import run_app
    from simulator.records import RecordsError, clean_pseudonym

    try:
        clean_pseudonym(name)
    except RecordsError:
        err = io.StringIO()
        import contextlib

        with contextlib.redirect_stderr(err):
            assert run_app(Namespace(trainee=name)) == 2
        assert "--trainee" in err.getvalue()


def test_schema_output_writes_into_a_fifo_and_refuses_a_folder(tmp_path, capsys):
    import threading

    fifo = tmp_path / "schema.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    assert main(["schema", "-o", str(fifo)]) == 0
    reader.join(10)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and got and got[0].startswith(b"{")
    assert main(["schema", "-o", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
