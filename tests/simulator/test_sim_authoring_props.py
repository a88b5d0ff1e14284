"""Properties of the authoring checks on random scenarios, against plain independent computations:
every loop with no way out is named exactly once (SC309) and explains every dead end; SC308 is exactly
"clamped in every exact reachable state that offers the option"; SC304's blocking places are really never
taken; ``play --random`` always stops."""

from __future__ import annotations

import io
import re
import tempfile
from collections import deque
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.cli import main
from simulator.engine import Session, apply_effects, builtin_values, pick_branch, visible_choices
from simulator.graph import analyse, explore
from simulator.lint import lint_file
from simulator.loader import load_rubric
from simulator.reasons import blocking_edges
from simulator.scenario import Choice, Scenario

RUBRIC = load_rubric()
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ENDINGS = {"e_pos": "positive", "e_mix": "mixed", "e_neg": "negative"}


def _document(nodes: dict, start: str, state: dict) -> dict:
    return {
        "id": "random", "title": "Random", "version": "1", "role": "supervisor", "guide_steps": [5],
        "objectives": ["x"], "duration_minutes": 1, "difficulty": "introductory",
        "characters": {"w": {"name": "W", "role": "worker"}}, "state": state, "start": start, "nodes": nodes,
    }


def _option(text: str, nxt: str, **extra) -> dict:
    return {"text": text, "codes": ["open_question"], "feedback": "f", "source": "IRSST guide, step 5", "next": nxt, **extra}


def _endings(names) -> dict:
    return {e: {"ending": {"title": e, "outcome": ENDINGS[e], "summary": "s"}} for e in names}


@st.composite
def looping(draw) -> dict:
    """Decisions (and a few branch nodes) jumping anywhere, loops included; endings reachable or not."""
    n = draw(st.integers(2, 7))
    names = [f"d{i}" for i in range(n)]
    endings = draw(st.lists(st.sampled_from(sorted(ENDINGS)), min_size=1, max_size=3, unique=True))
    targets = names + endings
    nodes: dict = {}
    for name in names:
        if draw(st.integers(0, 4)) == 0:
            nodes[name] = {"branches": [{"when": "trust >= 50", "next": draw(st.sampled_from(targets))},
                                        {"next": draw(st.sampled_from(targets))}]}
        else:
            nodes[name] = {"choices": [_option(f"o{k}", draw(st.sampled_from(targets))) for k in range(draw(st.integers(2, 3)))]}
    nodes.update(_endings(endings))
    return _document(nodes, "d0", {"trust": {"initial": 50}})


def lint_document(document: dict):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.yaml"
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        return lint_file(path, RUBRIC)


def closure(nodes: dict) -> dict[str, set[str]]:
    """Plain reachability: every node reachable from each node in one or more steps."""
    step = {n: {t for c in v.get("choices", []) + v.get("branches", []) for t in [c["next"]]} for n, v in nodes.items()}
    out = {}
    for n in nodes:
        seen, queue = set(), deque(step[n])
        while queue:
            m = queue.popleft()
            if m not in seen:
                seen.add(m)
                queue.extend(step[m])
        out[n] = seen
    return out


def loops_without_exit(document: dict) -> list[set[str]]:
    nodes = document["nodes"]
    reach = closure(nodes)
    live = {document["start"]} | reach[document["start"]]
    trapped = {n for n in live if "ending" not in nodes[n] and not any("ending" in nodes[m] for m in reach[n])}
    groups: list[set[str]] = []
    for n in sorted(trapped):
        if n in reach[n] and not any(n in g for g in groups):  # on a cycle: its group = mutually reachable
            groups.append({m for m in trapped if m == n or (m in reach[n] and n in reach[m])})
    return groups


@SETTINGS
@given(document=looping())
def test_every_loop_with_no_way_out_is_named_exactly_once(document):
    report = lint_document(document)
    named = [set(re.findall(r"'(\w+)'", d.message.split(" lead")[0])) for d in report.problems if d.code == "SC309"]
    branch_loops = [set(d.message.split(": ", 1)[1].split(" -> ")) for d in report.problems if d.code == "SC305"]
    nodes = document["nodes"]
    want = loops_without_exit(document)
    with_decision = [g for g in want if any("choices" in nodes[n] for n in g)]
    assert sorted(map(sorted, named)) == sorted(map(sorted, with_decision))
    for group in want:  # a loop of branch nodes only is SC305's, named there
        assert group in with_decision or group in branch_loops
    assert not [d for d in report.problems if d.code == "SC302"]  # references intact: every dead end is a loop's
    for d in report.problems:
        if d.code == "SC309":
            quoted = re.search(r"'(\w+)'", d.message)
            assert quoted
            first = quoted.group(1)
            assert d.line == report.scenario.position("nodes", first)[0]
            assert all(m in nodes for m in re.findall(r"'(\w+)'", d.message))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a whole CLI run each
@given(document=looping(), seed=st.integers(0, 2**16))
def test_play_random_always_stops(document, seed):
    out, errors = io.StringIO(), io.StringIO()
    with tempfile.TemporaryDirectory() as folder, redirect_stdout(out), redirect_stderr(errors):
        path = Path(folder) / "random.yaml"
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        code = main(["play", str(path), "--random", str(seed), "--format", "json"])
    err = errors.getvalue()
    assert code in (0, 2)
    if code == 2:
        assert "no ending can be reached" in err or "keeps going round" in err or "branch nodes loop" in err


# -- SC308 against an exact exploration ------------------------------------------------------------
@st.composite
def clamping(draw) -> Scenario:
    """Acyclic decisions whose effects often hit the bounds of small ranges; some options conditional."""
    n = draw(st.integers(2, 5))
    names = [f"d{i}" for i in range(n)]
    nodes: dict = {}
    for i, name in enumerate(names):
        later = names[i + 1:] + sorted(ENDINGS)
        options = []
        for k in range(draw(st.integers(2, 3))):
            extra = {"effects": {"a": draw(st.sampled_from([-3, -1, 0, 1, 2, 4])), "b": draw(st.sampled_from([-2, 0, 1]))}}
            if draw(st.integers(0, 3)) == 0:
                extra["when"] = draw(st.sampled_from(["a >= 2", "b == 0", "a < 1", "turns >= 1"]))
            options.append(_option(f"o{k}", draw(st.sampled_from(later)), **extra))
        if all("when" in o for o in options):
            del options[0]["when"]
        nodes[name] = {"choices": options}
    nodes.update(_endings(ENDINGS))
    state = {"a": {"initial": draw(st.integers(0, 4)), "min": 0, "max": 4}, "b": {"initial": 1, "min": 0, "max": 2}}
    return Scenario.model_validate(_document(nodes, "d0", state))


def exact_clamps(scenario: Scenario) -> tuple[set, set]:
    """(options clamped in some exact state, options applied in full in some exact state)."""
    clamped: set[tuple[str, int]] = set()
    full: set[tuple[str, int]] = set()
    queue: deque[tuple[str, dict[str, int | float], tuple[Choice, ...]]] = deque([(scenario.start, scenario.initial_state(), ())])
    seen = set()
    while queue:
        node_id, state, turns = queue.popleft()
        node = scenario.nodes[node_id]
        while node.branches is not None:
            branch = pick_branch(node, {**state, **builtin_values(RUBRIC, turns)})
            assert branch is not None
            node_id = branch.next
            node = scenario.nodes[node_id]
        if node.choices is None:
            continue
        values = {**state, **builtin_values(RUBRIC, turns)}
        key = (node_id, tuple(sorted(values.items())))
        if key in seen:
            continue
        seen.add(key)
        for i, choice in visible_choices(node, values):
            spot = (node_id, i + 1)
            var_range = scenario.state
            out = any(not var_range[k].min <= state[k] + d <= var_range[k].max for k, d in choice.effects.items())
            (clamped if out else full).add(spot)
            queue.append((choice.next, apply_effects(scenario, state, choice.effects), turns + (choice,)))
    return clamped, full


@SETTINGS
@given(scenario=clamping())
def test_sc308_is_exactly_the_options_clamped_in_every_state_that_offers_them(scenario):
    clamped, full = exact_clamps(scenario)
    found = explore(scenario, rubric=RUBRIC)
    assert set(found.always_clamped) == clamped - full
    for (node_id, position), clamp in found.always_clamped.items():  # each example replays to that clamp
        session = Session.start(scenario, RUBRIC)
        for number in clamp.choices:
            turn = session.choose(number)
        assert (turn.node_id, turn.position) == (node_id, position)
        effect = scenario.nodes[node_id].choices[position - 1].effects[clamp.variable]
        assert turn.state_before[clamp.variable] + effect == clamp.value
        assert not clamp.low <= clamp.value <= clamp.high


@SETTINGS
@given(scenario=clamping())
def test_sc304_blocking_places_are_never_taken(scenario):
    found = explore(scenario, rubric=RUBRIC)
    for ending in set(ENDINGS) - found.reached_endings:
        if ending not in analyse(scenario).reachable:
            continue  # unreachable even ignoring conditions: SC301, not SC304
        edges = blocking_edges(scenario, found, ending)
        assert edges
        for node_id, kind, k in edges:
            assert kind == "option" and (node_id, k) not in found.offered
            assert scenario.nodes[node_id].choices[k - 1].when is not None
