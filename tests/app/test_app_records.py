"""The training records store: round trip, privacy of the file, schema, transactions, history and export."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import stat
from argparse import Namespace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import records, reports, training
from simulator.records import (
    SCHEMA_VERSION,
    ChoiceRecord,
    RecordsError,
    ScoreRecord,
    TrainingRecords,
    clean_pseudonym,
)
from simulator.reports import cli_export, cli_history

STATE = {"format": 1, "scenario_id": "practice-call", "node_id": "open", "turns": []}


def clock():
    """A fake clock: one second per call, so ordering is deterministic."""
    ticks = iter(range(10_000))
    return lambda: f"2025-03-01T09:{next(ticks) // 60:02d}:{next(ticks) % 60:02d}+00:00"


def finished_attempt(store: TrainingRecords, trainee: str = "Sam", overall: float = 72.0) -> int:
    attempt = store.start_attempt(trainee, "practice-call", "1.0", STATE, coached=True)
    state = {**STATE, "node_id": "work", "turns": [{"number": 2}]}
    store.save_choice(attempt, state, ChoiceRecord(1, "open", 2, ("open_question",)), coached=False)
    store.finish_attempt(
        attempt,
        {**state, "finished": True},
        "good_end",
        ScoreRecord(overall, 0, {"let_worker_lead": 80.0, "listen_without_judging": 65.5}, {}, {"r": (1.0, True)}),
    )
    return attempt


def test_round_trip(db_path: Path) -> None:
    with TrainingRecords.open(db_path, now=clock()) as store:
        attempt_id = finished_attempt(store)
    with TrainingRecords.open(db_path) as store:
        (attempt,) = store.attempts()
    assert attempt.id == attempt_id
    assert attempt.trainee == "Sam"
    assert (attempt.scenario_id, attempt.scenario_version) == ("practice-call", "1.0")
    assert attempt.finished and attempt.ending == "good_end"
    assert attempt.overall == 72.0 and attempt.harmful_count == 0
    assert attempt.dimensions == {"let_worker_lead": 80.0, "listen_without_judging": 65.5}
    assert attempt.state["node_id"] == "work" and attempt.steps == 1
    assert attempt.coached  # coached when started, even if the choice itself was not


def test_file_is_private_and_new_folders_too(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "training.sqlite3"
    with TrainingRecords.open(path) as store:
        store.start_attempt("Sam", "practice-call", "1.0", STATE, coached=True)
        for suffix in ("", "-wal", "-shm"):
            side = Path(str(path) + suffix)
            if side.exists():
                assert stat.S_IMODE(side.stat().st_mode) == 0o600, side
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "a" / "b").stat().st_mode) == 0o700


def test_existing_parent_folder_mode_is_not_changed(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    TrainingRecords.open(tmp_path / "t.sqlite3").close()
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755


def test_schema_is_versioned_and_wal(db_path: Path) -> None:
    TrainingRecords.open(db_path).close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_newer_schema_is_refused_with_a_message(db_path: Path) -> None:
    TrainingRecords.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(RecordsError, match="newer rtw-train"):
        TrainingRecords.open(db_path)


def test_unusable_paths_give_a_records_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(RecordsError, match="Cannot create the training records"):
        TrainingRecords.open(blocker / "t.sqlite3")
    with pytest.raises(RecordsError, match="is a folder"):
        TrainingRecords.open(tmp_path)
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(RecordsError, match="training database"):
        TrainingRecords.open(garbage)


def test_a_failed_transaction_changes_nothing(db_path: Path) -> None:
    with TrainingRecords.open(db_path) as store:
        attempt = finished_attempt(store)
        before = store.attempt(attempt)
        with pytest.raises(RecordsError, match="already finished"):
            store.save_choice(attempt, {"changed": True}, ChoiceRecord(2, "work", 1), coached=True)
        assert store.attempt(attempt) == before


def test_a_rewound_choice_replaces_later_steps(db_path: Path) -> None:
    with TrainingRecords.open(db_path) as store:
        attempt = store.start_attempt("Sam", "practice-call", "1.0", STATE, coached=True)
        for step in (1, 2, 3):
            store.save_choice(attempt, STATE, ChoiceRecord(step, f"n{step}", 1), coached=True)
        store.save_choice(attempt, STATE, ChoiceRecord(2, "n2", 2), coached=True)
        rows = store._conn.execute("SELECT step, number FROM choices ORDER BY step").fetchall()
    assert [tuple(r) for r in rows] == [(1, 1), (2, 2)]


def test_best_scores_and_unfinished(db_path: Path) -> None:
    with TrainingRecords.open(db_path, now=clock()) as store:
        finished_attempt(store, overall=40)
        finished_attempt(store, overall=85)
        finished_attempt(store, trainee="Kim", overall=99)
        open_one = store.start_attempt("Sam", "practice-call", "1.0", STATE, coached=False)
        assert store.best_scores("Sam") == {"practice-call": 85.0}
        latest = store.latest_unfinished("Sam")
        assert latest is not None and latest.id == open_one
        assert store.latest_unfinished("Kim") is None


def test_settings_are_remembered(db_path: Path) -> None:
    with TrainingRecords.open(db_path) as store:
        store.set_setting("last_trainee", "Sam")
        store.set_setting("last_trainee", "Kim")
    with TrainingRecords.open(db_path) as store:
        assert store.get_setting("last_trainee") == "Kim"
        assert store.get_setting("missing", "x") == "x"


@pytest.mark.parametrize("raw", ["", "   ", "x" * 41, "bell\x07", "\x1b[31mred"])
def test_bad_pseudonyms_are_refused(raw: str) -> None:
    with pytest.raises(RecordsError):
        clean_pseudonym(raw)


@given(st.text(min_size=1, max_size=60))
@settings(max_examples=100)
def test_pseudonym_cleaning_is_idempotent(raw: str) -> None:
    try:
        name = clean_pseudonym(raw)
    except RecordsError:
        return
    assert clean_pseudonym(name) == name
    assert 1 <= len(name) <= records.MAX_PSEUDONYM


# ---------------------------------------------------------------- history and export (trainer's view)
def test_history_lists_every_attempt(db_path: Path) -> None:
    with TrainingRecords.open(db_path, now=clock()) as store:
        finished_attempt(store)
        store.start_attempt("Kim", "practice-call", "1.0", STATE, coached=False)
    out, err = io.StringIO(), io.StringIO()
    assert cli_history(Namespace(db=str(db_path)), out, err) == 0
    text = out.getvalue()
    lines = text.splitlines()
    assert lines[0].split() == ["#", "trainee", "scenario", "lang", "started", "mode", "rubric", "score"]
    assert "Sam" in lines[2] and "72" in lines[2] and "coach" in lines[2]
    assert "Kim" in lines[3] and "open (0)" in lines[3] and "plain" in lines[3]
    assert "export --csv" in text  # where the per-skill scores are


def test_history_without_a_database_says_so(tmp_path: Path) -> None:
    out = io.StringIO()
    assert cli_history(Namespace(db=str(tmp_path / "none.sqlite3")), out, io.StringIO()) == 0
    assert "No training attempts" in out.getvalue()
    assert not (tmp_path / "none.sqlite3").exists()


def test_export_csv_to_stdout_has_one_column_per_dimension(db_path: Path) -> None:
    with TrainingRecords.open(db_path, now=clock()) as store:
        finished_attempt(store)
    out = io.StringIO()
    assert cli_export(Namespace(db=str(db_path), csv="-"), out, io.StringIO()) == 0
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["trainee"] == "Sam"
    assert rows[0]["scenario"] == "practice-call"
    assert rows[0]["ending"] == "good_end"
    assert rows[0]["started"].startswith("2025-03-01T09:")
    assert rows[0]["finished"]
    assert rows[0]["let_worker_lead"] == "80" and rows[0]["listen_without_judging"] == "65.5"


def test_export_csv_to_a_file_is_atomic_and_private(db_path: Path, tmp_path: Path) -> None:
    with TrainingRecords.open(db_path, now=clock()) as store:
        finished_attempt(store)
    target = tmp_path / "group.csv"
    target.write_text("old content\n")
    err = io.StringIO()
    assert cli_export(Namespace(db=str(db_path), csv=str(target)), io.StringIO(), err) == 0
    assert target.read_text().startswith("attempt,trainee,scenario")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "Wrote 1 attempt" in err.getvalue()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".group")] == []


def test_export_to_a_missing_folder_exits_2_with_a_message(db_path: Path, tmp_path: Path) -> None:
    TrainingRecords.open(db_path).close()
    err = io.StringIO()
    code = cli_export(Namespace(db=str(db_path), csv=str(tmp_path / "no" / "x.csv")), io.StringIO(), err)
    assert code == 2
    assert err.getvalue().startswith("rtw-train: error: ") and "does not exist" in err.getvalue()
    assert "Traceback" not in err.getvalue()


def test_history_on_a_broken_database_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"garbage" * 500)
    err = io.StringIO()
    assert cli_history(Namespace(db=str(bad)), io.StringIO(), err) == 2
    assert "rtw-train: error:" in err.getvalue() and str(bad) in err.getvalue()


@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=5))
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_export_round_trips_any_pseudonym(names: list[str]) -> None:
    store = TrainingRecords.in_memory()
    kept = []
    for name in names:
        try:
            clean = clean_pseudonym(name)
        except RecordsError:
            continue
        finished_attempt(store, trainee=clean)
        kept.append(clean)
    buffer = io.StringIO()
    reports.write_csv(store.attempts(), buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    # A name that a spreadsheet would read as a formula (= + - @) is kept as text: one apostrophe before it.
    assert [r["trainee"] for r in rows] == ["'" + k if k.startswith(("=", "+", "-", "@")) else k for k in kept]


@pytest.mark.parametrize("module", [records, reports, training])
def test_records_reports_and_training_never_import_textual(module) -> None:
    source = Path(module.__file__).read_text()
    assert "import textual" not in source and "from textual" not in source


def test_no_free_text_columns(db_path: Path) -> None:
    """The schema keeps ids, numbers, states and timestamps: the only text typed by a person is the pseudonym."""
    TrainingRecords.open(db_path).close()
    conn = sqlite3.connect(db_path)
    columns = {
        (table, row[1])
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        for row in conn.execute(f"PRAGMA table_info({table})")
    }
    conn.close()
    assert not {c for c in columns if c[1] in {"notes", "note", "comment", "comments", "free_text", "name"}}


def test_default_path_honours_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RTW_TRAIN_DB", str(tmp_path / "x.sqlite3"))
    assert records.default_db_path() == tmp_path / "x.sqlite3"
    monkeypatch.delenv("RTW_TRAIN_DB")
    path = records.default_db_path()
    assert path.name == "training.sqlite3" and "rtw-toolkit" in str(path)
    assert records.resolve_db_path(str(tmp_path / "y")) == tmp_path / "y"


def test_umask_does_not_widen_the_file(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        path = tmp_path / "u.sqlite3"
        TrainingRecords.open(path).close()
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_rtw_train_commands_reach_the_records(db_path: Path, tmp_path: Path, capsys) -> None:
    """Through the real CLI parser: history as a table and as CSV, export to a file, filters."""
    from simulator.cli import main

    with TrainingRecords.open(db_path, now=clock()) as store:
        finished_attempt(store, trainee="Sam")
        finished_attempt(store, trainee="Kim")
    assert main(["--db", str(db_path), "history"]) == 0
    table = capsys.readouterr().out
    assert "Sam" in table and "Kim" in table
    assert main(["history", "--db", str(db_path), "--trainee", "Kim", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["trainee"] for r in rows] == ["Kim"]
    target = tmp_path / "out.csv"
    assert main(["export", "--db", str(db_path), "--csv", str(target)]) == 0
    assert len(list(csv.DictReader(target.open()))) == 2
    assert main(["export", "--db", str(db_path), "--csv", str(tmp_path / "missing" / "x.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err
