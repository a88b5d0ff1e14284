"""The author's model path: playing the model option at every decision reaches a positive ending, the coach
never hints, and every dimension the scenario trains meets its threshold.

Checked exhaustively (the model path is one deterministic playthrough) on every packaged scenario and on the
marked fixture under data/. A packaged scenario that is not fully marked fails here on purpose: the coach
can only agree with an author who has said what the model answer is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.engine import Session
from simulator.loader import load_rubric, load_scenario
from simulator.scoring import score

from .conftest import DATA, scenario_paths

RUBRIC = load_rubric()
MAX_TURNS = 200


def model_path(scenario) -> Session:
    """Play the model option at every decision; fail if a decision offers none (or several)."""
    session = Session.start(scenario, RUBRIC)
    while not session.finished:
        assert len(session.turns) < MAX_TURNS, f"{scenario.id}: the model path does not end"
        offered = session.offered_choices()
        models = [n for n, c in enumerate(offered, start=1) if c.model]
        assert len(models) == 1, (
            f"{scenario.id}: decision {session.node_id!r} offers {len(models)} model option(s) in this state"
        )
        session.choose(models[0])
    return session


def check_model_path(path: Path) -> None:
    scenario = load_scenario(path)
    session = model_path(scenario)
    assert session.ending is not None and session.ending.outcome == "positive", (
        f"{scenario.id}: the model path ends at {session.node_id!r} ({session.ending and session.ending.outcome})"
    )
    hints = [(t.node_id, t.better_choice.number) for t in session.turns if t.better_choice is not None]
    assert hints == [], f"{scenario.id}: the coach hints along the model path: {hints}"
    result = score(session, RUBRIC)
    assert scenario.trains, f"{scenario.id}: declares no `trains`"
    for dim_id in scenario.trains:
        dim = result.dimensions[dim_id]
        assert dim.meets is True, f"{scenario.id}: trained dimension {dim_id!r} is {dim.status} ({dim.value})"
    assert result.harmful_count == 0


def test_model_path_of_the_marked_fixture():
    check_model_path(DATA / "marked.yaml")


@pytest.mark.parametrize("path", scenario_paths(), ids=[p.stem for p in scenario_paths()])
def test_model_path_of_each_packaged_scenario(path):
    check_model_path(path)


def test_packaged_scenarios_are_fully_marked():
    """Every packaged scenario declares what it trains and marks exactly one model option per decision."""
    unmarked = []
    for path in scenario_paths():
        scenario = load_scenario(path)
        if not scenario.trains:
            unmarked.append(f"{path.name}: no `trains`")
        for node_id, node in scenario.decisions().items():
            count = sum(1 for c in node.choices or [] if c.model)
            if count != 1:
                unmarked.append(f"{path.name}: decision {node_id!r} has {count} model options")
    assert unmarked == [], "\n".join(unmarked)


def test_the_check_can_fail_on_an_unmarked_scenario():
    """mini.yaml marks no model option: the model-path check must refuse it."""
    with pytest.raises(AssertionError, match="model option"):
        check_model_path(DATA / "mini.yaml")
