"""The state exploration behind SC303/SC304/SC306/SC408-SC410: merged states give exactly the findings of
a plain exploration of every exact state, on random scenarios; and it stays far from its bound."""

from __future__ import annotations

from collections import deque
from typing import TypedDict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.engine import Session, apply_effects, builtin_values, pick_branch, visible_choices
from simulator.graph import EXPLORATION_LIMIT, explore
from simulator.lint import lint_file
from simulator.loader import load_rubric, load_scenario
from simulator.scenario import Choice, Scenario

RUBRIC = load_rubric()
CODES = [["open_question"], ["complex_reflection"], ["closed_question"], ["judge"], ["press_for_return"],
         ["open_question", "judge"]]
CONDITIONS = ["trust >= 60", "trust < 30", "harmful <= 1", "harmful == 0", "turns >= 2", "count > 1",
              "trust > count", "trust > other", "other >= trust", "not (trust < 50)", "harmful >= 2 or trust == 100", "true",
              "turns == 1 and count == 0"]


def _base(nodes: dict, start: str, max_harmful: int) -> dict:
    return {
        "id": "random", "title": "Random", "version": "1", "role": "supervisor", "guide_steps": [5],
        "objectives": ["x"], "duration_minutes": 1, "difficulty": "introductory",
        "characters": {"w": {"name": "W", "role": "worker"}},
        "state": {"trust": {"initial": 50}, "count": {"initial": 0, "max": 5}, "other": {"initial": 50}},
        "positive_ending_max_harmful": max_harmful,
        "start": start, "nodes": nodes,
    }


@st.composite
def scenarios(draw) -> Scenario:
    """A random acyclic scenario: decisions (options maybe with `when`), branch nodes, three endings."""
    n = draw(st.integers(2, 5))
    pool = draw(st.lists(st.sampled_from(CONDITIONS), min_size=1, max_size=2, unique=True))  # few: sharper cases
    order = []
    for i in range(n):
        order.append(f"d{i}")
        if draw(st.booleans()):
            order.append(f"b{i}")
    endings = ["e_pos", "e_mix", "e_neg"]
    nodes: dict = {}
    for k, nid in enumerate(order):
        later = order[k + 1:] + endings
        if nid.startswith("d"):
            options = []
            for _ in range(draw(st.integers(1, 3))):
                opt = {
                    "text": "x", "codes": draw(st.sampled_from(CODES)), "feedback": "f", "source": "IRSST guide, step 5",
                    "effects": {"trust": draw(st.sampled_from([-30, -10, 0, 10, 20])), "count": draw(st.sampled_from([0, 1])),
                                "other": draw(st.sampled_from([-10, 0, 10]))},
                    "next": draw(st.sampled_from(later)),
                }
                if draw(st.integers(0, 2)) == 0:
                    opt["when"] = draw(st.sampled_from(pool))
                options.append(opt)
            nodes[nid] = {"choices": options}
        else:
            branches = [{"when": draw(st.sampled_from(pool)), "next": draw(st.sampled_from(later))}
                        for _ in range(draw(st.integers(1, 2)))]
            if draw(st.booleans()):
                branches.append({"next": draw(st.sampled_from(later))})
            nodes[nid] = {"branches": branches}
    nodes["e_pos"] = {"ending": {"title": "P", "outcome": "positive", "summary": "s"}}
    nodes["e_mix"] = {"ending": {"title": "M", "outcome": "mixed", "summary": "s"}}
    nodes["e_neg"] = {"ending": {"title": "N", "outcome": "negative", "summary": "s"}}
    return Scenario.model_validate(_base(nodes, order[0], draw(st.integers(0, 2))))


class Found(TypedDict):
    endings: set[str]
    shortest: int | None
    stuck_branches: set[str]
    stuck_decisions: set[str]
    single: set[str]
    no_constructive: set[str]
    harmful_positive: set[str]
    states: int


def reference(scenario: Scenario) -> Found:
    """Plain breadth-first exploration of exact states (declared variables and built-ins), via the engine."""
    found: Found = {"endings": set(), "shortest": None, "stuck_branches": set(), "stuck_decisions": set(),
                    "single": set(), "no_constructive": set(), "harmful_positive": set(), "states": 0}
    seen: set[tuple] = set()
    queue: deque[tuple[str, dict[str, int | float], tuple[Choice, ...]]] = deque()

    def values(state, turns):
        return {**state, **builtin_values(RUBRIC, turns)}

    def arrive(node_id, state, turns):
        while True:
            node = scenario.nodes[node_id]
            v = values(state, turns)
            if node.ending is not None:
                found["endings"].add(node_id)
                if found["shortest"] is None or len(turns) < found["shortest"]:
                    found["shortest"] = len(turns)
                if node.ending.outcome == "positive" and v["harmful"] > scenario.positive_ending_max_harmful:
                    found["harmful_positive"].add(node_id)
                return
            if node.choices is not None:
                key = (node_id, tuple(sorted(v.items())))
                if key not in seen:
                    seen.add(key)
                    queue.append((node_id, state, turns))
                return
            branch = pick_branch(node, v)
            if branch is None:
                found["stuck_branches"].add(node_id)
                return
            node_id = branch.next

    arrive(scenario.start, scenario.initial_state(), ())
    while queue:
        node_id, state, turns = queue.popleft()
        node = scenario.nodes[node_id]
        assert node.choices is not None  # only decisions are queued
        offered = [c for _, c in visible_choices(node, values(state, turns))]
        if any(c.when for c in node.choices):
            if not offered:
                found["stuck_decisions"].add(node_id)
                continue
            if len(offered) == 1 and len(node.choices) > 1:
                found["single"].add(node_id)
            constructive = [RUBRIC.is_constructive_option(c.codes) for c in node.choices]
            if not any(RUBRIC.is_constructive_option(c.codes) for c in offered) and any(constructive):
                found["no_constructive"].add(node_id)
        for c in offered:
            arrive(c.next, apply_effects(scenario, state, c.effects), turns + (c,))
    found["states"] = len(seen)
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios())
def test_merged_exploration_finds_exactly_what_a_plain_one_finds(scenario):
    want = reference(scenario)
    got = explore(scenario, rubric=RUBRIC)
    assert got.complete
    assert got.reached_endings == want["endings"]
    assert got.shortest_path == want["shortest"]
    assert set(got.stuck_branches) == want["stuck_branches"]
    assert set(got.stuck_decisions) == want["stuck_decisions"]
    assert set(got.single_option) == want["single"]
    assert set(got.no_constructive) == want["no_constructive"]
    assert set(got.harmful_positive) == want["harmful_positive"]
    assert got.states <= want["states"]
    for ending, route in got.harmful_positive.items():  # every example replays to what it claims
        s = Session.start(scenario, RUBRIC)
        for number in route.choices:
            s.choose(number)
        assert s.finished and s.ending is not None and s.ending.id == ending
        assert s.builtins()["harmful"] == route.harmful > scenario.positive_ending_max_harmful


def test_counters_in_a_loop_do_not_make_the_exploration_endless():
    """`turns` and `harmful` grow forever around a loop; past their last threshold they are merged."""
    nodes = {
        "ask": {"choices": [
            {"text": "Again?", "codes": ["judge"], "feedback": "f", "source": "IRSST guide, step 5", "next": "gate"},
            {"text": "Go on.", "codes": ["open_question"], "feedback": "f", "source": "IRSST guide, step 5",
             "effects": {"trust": 5}, "next": "gate"},
        ]},
        "gate": {"branches": [{"when": "turns >= 4 and harmful <= 1", "next": "e_pos"},
                              {"when": "turns >= 6", "next": "e_neg"}, {"next": "ask"}]},
        "e_pos": {"ending": {"title": "P", "outcome": "positive", "summary": "s"}},
        "e_neg": {"ending": {"title": "N", "outcome": "negative", "summary": "s"}},
    }
    scenario = Scenario.model_validate(_base(nodes, "ask", 2))
    result = explore(scenario, rubric=RUBRIC)
    assert result.complete and result.reached_endings == {"e_pos", "e_neg"} and result.shortest_path == 4
    assert result.harmful_positive == {}
    assert result.states < 100


def test_bound_is_reported(rubric):
    scenario = load_scenario(__import__("pathlib").Path(__file__).parent / "data" / "mini.yaml")
    result = explore(scenario, 1, rubric=rubric)
    assert result.bound_hit and not result.complete and result.limit == 1


def test_packaged_scenarios_stay_far_from_the_bound(scenario_path):
    report = lint_file(scenario_path, RUBRIC)
    assert report.stats is not None
    assert report.stats["state_exploration_bounded"] is False
    assert report.stats["states_explored"] * 10 < EXPLORATION_LIMIT, report.stats["states_explored"]


def test_a_value_that_keeps_moving_around_a_loop_is_never_merged_too_early():
    """Around a loop trust can rise without limit (until clamped): 50 and 75 must stay apart below 80."""
    nodes = {
        "ask": {"choices": [
            {"text": "Go on.", "codes": ["open_question"], "feedback": "f", "source": "IRSST guide, step 5",
             "effects": {"trust": 5}, "next": "gate"},
            {"text": "Hm.", "codes": ["closed_question"], "feedback": "f", "source": "IRSST guide, step 5",
             "next": "gate"},
        ]},
        "gate": {"branches": [{"when": "trust >= 80", "next": "e_pos"}, {"when": "turns >= 9", "next": "e_neg"},
                              {"next": "ask"}]},
        "e_pos": {"ending": {"title": "P", "outcome": "positive", "summary": "s"}},
        "e_neg": {"ending": {"title": "N", "outcome": "negative", "summary": "s"}},
    }
    result = explore(Scenario.model_validate(_base(nodes, "ask", 2)), rubric=RUBRIC)
    assert result.complete and result.reached_endings == {"e_pos", "e_neg"} and result.shortest_path == 6


def test_a_variable_compared_only_with_another_variable_is_kept_exact():
    opt = {"codes": ["open_question"], "feedback": "f", "source": "IRSST guide, step 5"}
    nodes = {
        "d0": {"choices": [{**opt, "text": "a", "effects": {"trust": -50}, "next": "d1"},
                           {**opt, "text": "b", "next": "d1"}]},
        "d1": {"choices": [{**opt, "text": "c", "next": "gate"}, {**opt, "text": "d", "next": "gate"}]},
        "gate": {"branches": [{"when": "trust > count", "next": "e_pos"}, {"next": "e_neg"}]},
        "e_pos": {"ending": {"title": "P", "outcome": "positive", "summary": "s"}},
        "e_neg": {"ending": {"title": "N", "outcome": "negative", "summary": "s"}},
    }
    result = explore(Scenario.model_validate(_base(nodes, "d0", 2)), rubric=RUBRIC)
    assert result.reached_endings == {"e_pos", "e_neg"}
