"""Records keep the language an attempt was played in; files written before it still open and resume."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor import i18n
from simulator import records
from simulator.loader import load_rubric, load_scenario
from simulator.records import TrainingRecords
from simulator.training import TrainingRun
from simulator.xapi import AttemptRecord, statements

FIXTURE = Path(__file__).resolve().parents[1] / "simulator" / "data" / "marked.yaml"


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("en")


def schema_v2(path: Path) -> None:
    """A records file as the previous release wrote it (schema 2), with one unfinished attempt that can resume."""
    rubric = load_rubric()
    scenario = load_scenario(FIXTURE)
    with TrainingRecords.in_memory() as scratch:
        run = TrainingRun.start(scratch, "Sam", scenario, rubric, coached=False)
        run.choose(1, coached=False)
        state = run.session.to_dict()
    conn = sqlite3.connect(path)
    for script in (records._SCHEMA_V1, records._SCHEMA_V2):
        for statement in script.split(";"):
            if statement.strip():
                conn.execute(statement)
    conn.execute("INSERT INTO trainees(id, pseudonym, created_at) VALUES (1, 'Sam', '2025-01-01T00:00:00+00:00')")
    conn.execute(
        "INSERT INTO attempts(id, trainee_id, scenario_id, scenario_version, started_at, updated_at, state_json)"
        " VALUES (1, 1, ?, ?, '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00', ?)",
        (scenario.id, str(scenario.version), records._dump(state)),
    )
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()


def test_a_schema_2_file_is_migrated_its_old_attempts_have_no_language_and_still_resume(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    schema_v2(old)
    with pytest.raises(records.RecordsError, match="schema 2"):  # read-only readers ask for the upgrade
        TrainingRecords.open_readonly(old)
    i18n.set_language("fr")
    with TrainingRecords.open(old) as store:
        (attempt,) = store.attempts()
        assert attempt.language is None  # unknown, not guessed
        run = TrainingRun.resume(store, attempt, _catalog())
        while not run.session.finished:
            run.choose(1, coached=False)
        assert run.saved
    with TrainingRecords.open_readonly(old) as store:
        (attempt,) = store.attempts()
    assert attempt.finished and attempt.language is None
    assert sqlite3.connect(old).execute("PRAGMA user_version").fetchone()[0] == records.SCHEMA_VERSION == 3


def _catalog():
    from simulator.training import Catalog

    catalog = Catalog()
    catalog.rubric = load_rubric()
    scenario = load_scenario(FIXTURE)
    catalog.scenarios[scenario.id] = scenario
    return catalog


@pytest.mark.parametrize(("active", "stored"), [("en", "en"), ("fr", "fr"), (i18n.PSEUDO, None)])
def test_a_new_attempt_and_its_retry_store_the_active_language(tmp_path: Path, active: str, stored: str | None) -> None:
    i18n.set_language(active)
    with TrainingRecords.open(tmp_path / "r.sqlite3") as store:
        run = TrainingRun.start(store, "Sam", load_scenario(FIXTURE), load_rubric(), coached=True)
        run.choose(1, coached=True)
        run.retry_from(0).choose(1, coached=True)
        languages = [a.language for a in store.attempts()]
    assert languages == [stored, stored]


def test_an_explicit_language_wins_and_the_xapi_context_says_it(tmp_path: Path) -> None:
    i18n.set_language("en")
    with TrainingRecords.open(tmp_path / "r.sqlite3") as store:
        first = store.start_attempt("Sam", "practice-call", "1", {"turns": []}, coached=False, language="fr")
        second = store.start_attempt("Sam", "practice-call", "1", {"turns": []}, coached=False)
        third = store.start_attempt("Sam", "practice-call", "1", {"turns": []}, coached=False, language="en")
        store._conn.execute("UPDATE attempts SET language = NULL WHERE id = ?", (third,))  # an old attempt
        by_id = {a.id: a for a in store.attempts()}
    assert (by_id[first].language, by_id[second].language, by_id[third].language) == ("fr", "en", None)
    said = {
        s["context"]["registration"]: s["context"]["language"]
        for s in statements([AttemptRecord(a, [], {}) for a in by_id.values()])
    }
    assert sorted(said.values()) == ["en", "en", "fr"]  # an unknown language is exported as the source's, "en"
    overridden = statements([AttemptRecord(by_id[first], [], {}, language="en")])
    assert {s["context"]["language"] for s in overridden} == {"en"}
