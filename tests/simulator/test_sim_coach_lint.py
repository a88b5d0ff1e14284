"""SC412's "model option not offered in a reachable state" agrees with brute force: every playthrough of a
small marked scenario, its model option guarded by a random threshold."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine import Session
from simulator.lint import lint_file
from simulator.loader import load_rubric

RUBRIC = load_rubric()
MARKED = Path(__file__).resolve().parent / "data" / "marked.yaml"
GUARD = 'when: "trust >= 15"'


def model_ever_hidden(path: Path) -> bool:
    """Brute force: play every sequence of option numbers; is 'share' ever reached without its model option?"""
    from simulator.loader import load_scenario

    scenario = load_scenario(path)
    for numbers in itertools.product(range(1, 4), repeat=2):
        session = Session.start(scenario, RUBRIC)
        for n in numbers:
            session.choose(min(n, len(session.choices())))
        if session.node_id == "share" and not any(c.model for c in session.offered_choices()):
            return True
    return False


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=100))
def test_sc412_unoffered_model_matches_every_playthrough(tmp_path_factory, threshold):
    text = MARKED.read_text(encoding="utf-8")
    assert GUARD in text
    path = tmp_path_factory.mktemp("guard") / "marked.yaml"
    path.write_text(text.replace(GUARD, f'when: "trust >= {threshold}"'), encoding="utf-8")
    found = [d for d in lint_file(path, RUBRIC).problems if d.code == "SC412"]
    assert bool(found) == model_ever_hidden(path), [d.render() for d in found]
    for d in found:
        assert "not offered when trust=" in d.message
