"""The glue between engine and records, without a terminal: catalog loading, saving, resuming, retrying."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest

from simulator.errors import SessionDataError
from simulator.records import ChoiceRecord, RecordsError, TrainingRecords
from simulator.training import TrainingRun, load_catalog, trust_series

DATA = Path(__file__).parent / "data"


@pytest.fixture
def catalog():
    return load_catalog(DATA / "scenarios")


@pytest.fixture
def store():
    s = TrainingRecords.in_memory()
    yield s
    s.close()


def test_catalog_keeps_good_files_and_names_the_broken_one() -> None:
    catalog = load_catalog(DATA / "broken")
    assert list(catalog.scenarios) == ["practice-call"]
    (problem,) = catalog.problems
    assert "broken-call.yaml" in problem.message
    assert "nowhere" in problem.message
    assert "broken-call.yaml, line 22," in problem.message  # the line of the bad `next`


def test_catalog_of_a_missing_folder_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    catalog = load_catalog(tmp_path / "nope")
    assert not catalog.scenarios
    assert "does not exist" in catalog.problems[0].message


def test_nothing_is_written_before_the_first_choice(store, catalog) -> None:
    run = TrainingRun.start(store, "Sam", catalog.get("practice-call"), catalog.rubric, coached=True)
    assert store.attempts() == []
    run.choose(1, coached=True)
    (attempt,) = store.attempts()
    assert attempt.steps == 1 and attempt.state["node_id"] == "work"


def test_finishing_saves_ending_and_scores(store, catalog) -> None:
    run = TrainingRun.start(store, "Sam", catalog.get("practice-call"), catalog.rubric, coached=False)
    for number in (1, 1, 1):
        run.choose(number, coached=False)
    (attempt,) = store.attempts()
    assert attempt.finished and attempt.ending == "good_end"
    assert attempt.overall == run.score().overall
    assert attempt.dimensions["listen_without_judging"] == 100.0
    assert not attempt.coached


def test_resume_restores_the_same_node(store, catalog) -> None:
    run = TrainingRun.start(store, "Sam", catalog.get("practice-call"), catalog.rubric, coached=True)
    run.choose(2, coached=True)
    run.choose(1, coached=True)
    attempt = store.latest_unfinished("Sam")
    resumed = TrainingRun.resume(store, attempt, catalog)
    assert resumed.session.node_id == run.session.node_id == "close"
    assert resumed.session.chosen_numbers() == [2, 1]
    resumed.choose(1, coached=True)
    assert store.attempt(attempt.id).finished


def test_resume_refuses_a_changed_scenario(store, catalog) -> None:
    run = TrainingRun.start(store, "Sam", catalog.get("practice-call"), catalog.rubric, coached=True)
    run.choose(1, coached=True)
    attempt = store.latest_unfinished("Sam")
    catalog.get("practice-call").version = "2.0"
    with pytest.raises(SessionDataError, match="version"):
        TrainingRun.resume(store, attempt, catalog)


def test_retry_is_a_new_attempt_linked_to_the_old_one(store, catalog) -> None:
    run = TrainingRun.start(store, "Sam", catalog.get("practice-call"), catalog.rubric, coached=True)
    for number in (2, 2, 2):
        run.choose(number, coached=True)
    retry = run.retry_from(1)
    assert retry.session.chosen_numbers() == [2] and retry.session.node_id == "work"
    retry.choose(1, coached=True)
    old, new = store.attempts()
    assert old.finished and old.state["turns"][1]["number"] == 2  # the first attempt is untouched
    assert new.retry_of == old.id and new.retry_from_step == 2 and new.steps == 2


class FlakyStore:
    """A records store whose writes fail until ``healed``: the run must keep what was not saved."""

    def __init__(self, inner: TrainingRecords) -> None:
        self.inner = inner
        self.healed = False

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if name in {"start_attempt", "save_choice", "finish_attempt"}:
            def guarded(*args, **kwargs):
                if not self.healed:
                    raise RecordsError("disk full")
                return attr(*args, **kwargs)
            return guarded
        return attr


def test_choices_made_while_saving_fails_are_saved_later(store, catalog) -> None:
    flaky = FlakyStore(store)
    run = TrainingRun.start(cast(TrainingRecords, flaky), "Sam", catalog.get("practice-call"), catalog.rubric, coached=True)
    run.choose(1, coached=True)
    run.choose(1, coached=True)
    assert run.last_save_error is not None and not run.saved
    assert store.attempts() == []
    flaky.healed = True
    run.choose(1, coached=True)
    assert run.saved
    (attempt,) = store.attempts()
    assert attempt.finished and attempt.steps == 3
    steps = [r[0] for r in store._conn.execute("SELECT step FROM choices ORDER BY step")]
    assert steps == [1, 2, 3]


def test_trust_series_follows_the_turns(store, catalog) -> None:
    run = TrainingRun.start(store, "Sam", catalog.get("practice-call"), catalog.rubric, coached=True)
    for number in (2, 1, 2):
        run.choose(number, coached=True)
    series = trust_series(run.session)
    assert series is not None
    label, values, low, high = series
    assert label == "Alex's trust"
    assert values == [40, 20, 35, 10]
    assert (low, high) == (0, 100)


def test_a_finish_lost_in_a_crash_is_saved_when_resumed(store, catalog) -> None:
    run = TrainingRun.start(store, "Sam", catalog.get("practice-call"), catalog.rubric, coached=True)
    run.choose(1, coached=True)
    run.choose(1, coached=True)
    run.session.choose(1)  # the last choice is applied and saved, then the app dies before the finish
    store.save_choice(run.attempt_id, run.session.to_dict(), ChoiceRecord(3, "close", 1), coached=True)
    attempt = store.latest_unfinished("Sam")
    resumed = TrainingRun.resume(store, attempt, catalog)
    assert resumed.session.finished and not resumed.saved
    assert resumed.save(coached=True)
    assert store.attempt(attempt.id).finished
