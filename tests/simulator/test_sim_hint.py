"""The coach's "better choice" hint (rubrics/listening.yaml -> better_choice): only for clearly better options,
never for more codes alone after a constructive answer."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.loader import load_rubric

RUBRIC = load_rubric()
ALL_CODES = sorted(RUBRIC.code_ids())
CONSTRUCTIVE = sorted(c.id for c in RUBRIC.codes if c.valence == "constructive")
WEIGHT = {c.id: c.weight for c in RUBRIC.codes}
NEUTRAL = sorted(c.id for c in RUBRIC.codes if c.valence == "neutral")
MARGIN = RUBRIC.better_choice.margin
option = st.lists(st.sampled_from(ALL_CODES), min_size=1, max_size=3, unique=True)
constructive_option = st.lists(st.sampled_from(CONSTRUCTIVE), min_size=1, max_size=3, unique=True)


def better(options, chosen, rubric=RUBRIC):
    return rubric.better_option(options, chosen)


def test_the_margin_and_the_rule_are_stated_in_the_rubric():
    assert RUBRIC._path is not None
    path = Path(RUBRIC._path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["better_choice"]["margin"] == MARGIN == 0.5
    rule = data["better_choice"]["rule"]
    for words in ("merit(option) - merit(chosen) > margin", "peak(option) - peak(chosen) > margin", "no harmful code"):
        assert words in rule
    doc = (Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    assert f"by more than the margin ({MARGIN:g})" in doc  # keep the format doc in step with the rubric


def test_a_lone_complex_reflection_is_not_beaten_by_more_codes():
    options = [["complex_reflection"], ["open_question", "explore_work"]]
    assert RUBRIC.merit(options[1]) > RUBRIC.merit(options[0])  # why the old hint said "ask a question"
    assert better(options, 0) is None


def test_a_stronger_skill_is_suggested_after_a_simple_reflection():
    assert better([["simple_reflection"], ["complex_reflection"]], 0) == 1


def test_small_merit_differences_give_no_hint():
    assert better([["summary"], ["complex_reflection"]], 0) is None  # 1.5 vs 2.0: not above 0.5
    assert better([["open_question"], ["explore_work"]], 0) is None


def test_harmful_and_neutral_answers_get_the_best_harm_free_option():
    options = [["open_question"], ["judge"], ["closed_question"], ["open_question", "explore_work"]]
    assert better(options, 1) == 3
    assert better(options, 2) == 3
    assert better(options, 3) is None and better(options, 0) is None  # 1.0 -> 2.5 by count alone


def test_never_points_to_an_option_with_a_harmful_code():
    options = [["closed_question"], ["complex_reflection", "summary", "premature_solution"]]
    assert RUBRIC.merit(options[1]) > RUBRIC.merit(options[0]) + MARGIN
    assert better(options, 0) is None


def test_the_margin_comes_from_the_rubric(tmp_path):
    assert RUBRIC._path is not None
    data = yaml.safe_load(Path(RUBRIC._path).read_text(encoding="utf-8"))
    data["better_choice"]["margin"] = 1.0
    path = tmp_path / "listening.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    strict = load_rubric(path)
    options = [["simple_reflection"], ["complex_reflection"]]  # 1.0 -> 2.0: a gap of exactly 1.0
    assert better(options, 0, strict) is None and better(options, 0) == 1


@settings(max_examples=200, deadline=None)
@given(options=st.lists(option, min_size=2, max_size=5), data=st.data())
def test_hint_only_for_clearly_better_options(options, data):
    chosen = data.draw(st.integers(0, len(options) - 1))
    pick = better(options, chosen)
    if pick is None:
        return
    c, b = options[chosen], options[pick]
    assert pick != chosen and not RUBRIC.is_harmful(b)
    assert RUBRIC.merit(b) - RUBRIC.merit(c) > MARGIN
    if RUBRIC.is_constructive_option(c):
        assert RUBRIC.peak(b) - RUBRIC.peak(c) > MARGIN
    # the suggestion is the clearly better option with the highest merit
    assert all(RUBRIC.merit(o) <= RUBRIC.merit(b) for i, o in enumerate(options)
               if i != chosen and RUBRIC.clearly_better(o, c))


@settings(max_examples=200, deadline=None)
@given(chosen=constructive_option, extra=st.lists(st.sampled_from(CONSTRUCTIVE), min_size=1, max_size=3))
def test_more_codes_alone_never_beat_a_constructive_answer(chosen, extra):
    """A candidate whose strongest code is no stronger than the chosen one's differs by code count alone."""
    top = RUBRIC.peak(chosen)
    candidate = sorted({c for c in chosen + extra if WEIGHT[c] <= top + MARGIN})
    assert better([chosen, candidate], 0) is None


@settings(max_examples=150, deadline=None)
@given(chosen=constructive_option, neutral=st.lists(st.sampled_from(NEUTRAL), min_size=1, max_size=2),
       extra=st.lists(st.sampled_from(CONSTRUCTIVE), min_size=1, max_size=3))
def test_a_neutral_code_beside_a_good_answer_does_not_let_more_codes_win(chosen, neutral, extra):
    """v2: structure + emphasise autonomy is as protected as emphasise autonomy alone."""
    top = RUBRIC.peak(chosen)
    candidate = sorted({c for c in chosen + extra if WEIGHT[c] <= top + MARGIN})
    assert better([chosen + neutral, candidate], 0) is None


@pytest.mark.parametrize("codes", [["open_question"], ["complex_reflection"], ["summary", "affirmation"]])
def test_the_best_option_itself_gets_no_hint(codes):
    assert better([codes, ["closed_question"], ["judge"]], 0) is None
