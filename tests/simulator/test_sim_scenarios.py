"""Properties of every scenario in scenarios/ (files written by anyone are covered automatically).

* lint is clean;
* random playthroughs always reach an ending within MAX_TURNS, never raise, and score within 0..100;
* harm property, stated precisely: let BEST be the playthrough that, at every decision, picks the option
  with the highest merit among the options carrying no harmful code (first one on ties). BEST reaches an
  ending without any harmful response, and its overall score is strictly higher than the overall score
  of every playthrough that contains at least one harmful choice. (The scoring formula guarantees
  harm-free >= 70 > 45 >= harmful; the tests check BEST exists and the bound on sampled harmful paths.)
* saving mid-session and restoring gives an identical continuation; rewinding then replaying the same
  choices gives the same transcript.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.engine import Session, score
from simulator.lint import lint_file
from simulator.loader import load_rubric, load_scenario

MAX_TURNS = 200
RUBRIC = load_rubric()
_CACHE: dict = {}
PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def scenario_for(path):
    if path not in _CACHE:
        _CACHE[path] = load_scenario(path)
    return _CACHE[path]


def play(scenario, pick):
    """Play until the end; ``pick(session)`` returns the option number. Returns the session."""
    s = Session.start(scenario, RUBRIC)
    while not s.finished:
        assert len(s.turns) < MAX_TURNS, f"no ending within {MAX_TURNS} turns"
        s.choose(pick(s))
    return s


def best_number(session):
    options = session.offered_choices()
    harmless = [(i + 1, RUBRIC.merit(c.codes)) for i, c in enumerate(options) if not RUBRIC.is_harmful(c.codes)]
    assert harmless, f"decision {session.node_id!r} has no harm-free option"
    top = max(m for _, m in harmless)
    return next(n for n, m in harmless if m == top)


def test_lint_clean(scenario_path):
    report = lint_file(scenario_path, RUBRIC)
    assert report.problems == [], "\n".join(d.render() for d in report.problems)  # warnings included
    assert report.stats is not None
    assert report.stats["reachable_endings"] == report.stats["endings"] >= 2


@PROPS
@given(data=st.data())
def test_coach_hints_follow_the_author_then_the_rubric_rule(scenario_path, data):
    """Every hint names, as offered, the decision's model option when one is offered (none after the model
    option itself); without a model option, a clearly better option — and a constructive answer is never
    "beaten" by an option that only carries more codes; the positive ending never follows too many harmful
    answers."""
    scenario = scenario_for(scenario_path)
    s = Session.start(scenario, RUBRIC)
    while not s.finished:
        assert len(s.turns) < MAX_TURNS
        offered = s.offered_choices()
        views = s.choices()
        n = data.draw(st.integers(1, len(views)))
        turn = s.choose(n)
        chosen = offered[n - 1].codes
        models = [i + 1 for i, c in enumerate(offered) if c.model]
        if models:
            expected = None if offered[n - 1].model else models[0]
            assert (turn.better_choice.number if turn.better_choice else None) == expected
        if turn.better_choice is None:
            continue
        other = offered[turn.better_choice.number - 1]
        assert views[turn.better_choice.number - 1] == turn.better_choice
        if models:
            continue
        assert RUBRIC.clearly_better(other.codes, chosen)
        if RUBRIC.is_constructive_option(chosen):
            assert RUBRIC.peak(other.codes) - RUBRIC.peak(chosen) > RUBRIC.better_choice.margin
    assert s.ending is not None
    if s.ending.outcome == "positive":
        assert s.builtins()["harmful"] <= scenario.positive_ending_max_harmful


def test_best_path_is_harm_free_and_beats_every_harmful_path_bound(scenario_path):
    scenario = scenario_for(scenario_path)
    best = play(scenario, best_number)
    result = score(best, RUBRIC)
    assert result.harmful_count == 0
    sc = RUBRIC.scoring
    assert result.overall >= 100 * sc.neutral_credit > sc.harmful_cap - sc.harmful_penalty


@PROPS
@given(data=st.data())
def test_random_playthroughs(scenario_path, data):
    scenario = scenario_for(scenario_path)
    s = play(scenario, lambda s: data.draw(st.integers(1, len(s.choices())), label=s.node_id))
    assert s.ending is not None and s.ending.id in scenario.nodes
    result = score(s, RUBRIC)
    assert 0 <= result.overall <= 100
    assert all(d.value is None or 0 <= d.value <= 100 for d in result.dimensions.values())
    for name, var in scenario.state.items():
        assert var.min <= s.state[name] <= var.max
    json.dumps(s.to_dict(), allow_nan=False)


@PROPS
@given(data=st.data())
def test_any_harmful_path_scores_below_the_best(scenario_path, data):
    scenario = scenario_for(scenario_path)
    best_overall = score(play(scenario, best_number), RUBRIC).overall

    def pick(s):
        harmful = [i + 1 for i, c in enumerate(s.offered_choices()) if RUBRIC.is_harmful(c.codes)]
        if harmful and data.draw(st.booleans(), label="take harmful"):
            return data.draw(st.sampled_from(harmful))
        return data.draw(st.integers(1, len(s.choices())))

    s = play(scenario, pick)
    result = score(s, RUBRIC)
    if result.harmful_count:
        assert result.overall < best_overall
        assert result.overall <= RUBRIC.scoring.harmful_cap - RUBRIC.scoring.harmful_penalty


@PROPS
@given(data=st.data())
def test_save_restore_mid_session_continues_identically(scenario_path, data):
    scenario = scenario_for(scenario_path)
    s = Session.start(scenario, RUBRIC)
    stop = data.draw(st.integers(0, 12), label="save after")
    while not s.finished and len(s.turns) < stop:
        s.choose(data.draw(st.integers(1, len(s.choices()))))
    restored = Session.from_dict(scenario, RUBRIC, json.loads(json.dumps(s.to_dict())))
    assert restored.to_dict() == s.to_dict()
    while not s.finished:
        assert len(s.turns) < MAX_TURNS
        n = data.draw(st.integers(1, len(s.choices())))
        assert s.choose(n) == restored.choose(n)
    assert restored.to_dict() == s.to_dict()
    assert restored.transcript() == s.transcript()


@PROPS
@given(data=st.data())
def test_rewind_then_same_choices_gives_same_transcript(scenario_path, data):
    scenario = scenario_for(scenario_path)
    s = play(scenario, lambda s: data.draw(st.integers(1, len(s.choices()))))
    k = data.draw(st.integers(0, len(s.turns)), label="rewind to")
    again = s.rewind(k)
    assert len(again.turns) == k
    assert again.finished == (k == len(s.turns))
    for turn in s.turns[k:]:
        again.choose(turn.number)
    assert again.transcript() == s.transcript()
    assert again.to_dict() == s.to_dict()
