"""Records keep the version of the listening rubric an attempt was scored with; history and export show it."""

from __future__ import annotations

import csv
import io
import sqlite3
from argparse import Namespace
from pathlib import Path

from simulator import records
from simulator.loader import load_rubric, load_scenario
from simulator.records import ScoreRecord, TrainingRecords
from simulator.reports import cli_export, cli_history
from simulator.training import TrainingRun

FIXTURE = Path(__file__).resolve().parents[1] / "simulator" / "data" / "marked.yaml"
STATE = {"format": 1, "scenario_id": "practice-call", "node_id": "open", "turns": []}


def schema_v1(path: Path, finished: bool) -> None:
    """A records file as the previous release wrote it (schema 1), with one attempt."""
    conn = sqlite3.connect(path)
    for statement in records._SCHEMA_V1.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute("INSERT INTO trainees(id, pseudonym, created_at) VALUES (1, 'Sam', '2025-01-01T00:00:00+00:00')")
    conn.execute(
        "INSERT INTO attempts(id, trainee_id, scenario_id, scenario_version, started_at, updated_at, finished_at,"
        " state_json) VALUES (1, 1, 'practice-call', '1.0', '2025-01-01T00:00:00+00:00',"
        " '2025-01-01T00:00:00+00:00', ?, '{}')",
        ("2025-01-01T00:05:00+00:00" if finished else None,),
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def test_old_finished_attempts_are_rubric_1_0_and_unfinished_ones_get_the_scoring_version(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    schema_v1(old, finished=True)
    with TrainingRecords.open(old) as store:
        (attempt,) = store.attempts()
    assert attempt.rubric_version == "1.0"

    unfinished = tmp_path / "unfinished.sqlite3"
    schema_v1(unfinished, finished=False)
    with TrainingRecords.open(unfinished) as store:
        (attempt,) = store.attempts()
        assert attempt.rubric_version is None
        store.finish_attempt(1, STATE, "end", ScoreRecord(80.0, 0, {}, {}, {}, rubric_version="2"))
        (attempt,) = store.attempts()
    assert attempt.rubric_version == "2"


def test_a_played_attempt_records_the_rubric_version_and_trained_verdicts(tmp_path: Path) -> None:
    rubric = load_rubric()
    scenario = load_scenario(FIXTURE)
    db = tmp_path / "r.sqlite3"
    with TrainingRecords.open(db) as store:
        run = TrainingRun.start(store, "Sam", scenario, rubric, coached=False)
        for _ in range(3):
            run.choose(1, coached=False)
        assert run.session.finished and run.saved
        (attempt,) = store.attempts()
        assert attempt.rubric_version == rubric.version == "2"
    conn = sqlite3.connect(db)
    verdicts = dict(conn.execute("SELECT key, meets FROM scores WHERE kind = 'dimension'").fetchall())
    conn.close()
    assert verdicts == {"listen_without_judging": 1, "let_worker_lead": 1, "confidentiality_consent": 1}

    out, err = io.StringIO(), io.StringIO()
    assert cli_export(Namespace(db=str(db), csv="-", trainee=None, scenario=None), out, err) == 0
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["rubric_version"] == "2"
    out = io.StringIO()
    assert cli_history(Namespace(db=str(db), csv=False, trainee=None, scenario=None), out, io.StringIO()) == 0
    header, _rule, line = out.getvalue().splitlines()[:3]
    column = header.index(" rubric ") + 1  # columns are left-aligned under their header
    assert line[column:].split()[0] == "2"
