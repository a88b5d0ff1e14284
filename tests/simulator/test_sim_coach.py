"""The coach agrees with the author: the hint after a choice follows the decision's model option first."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.engine import ChoiceView, Session, better_choice
from simulator.loader import load_rubric, load_scenario
from simulator.scenario import Choice

RUBRIC = load_rubric()
MARKED = load_scenario(Path(__file__).resolve().parent / "data" / "marked.yaml")


def option(codes, model=False):
    return Choice(text="x", codes=codes, next="n", model=model)


def test_the_model_option_itself_gets_no_hint():
    options = [option(["simple_reflection"], model=True), option(["complex_reflection"])]
    assert RUBRIC.better_option([o.codes for o in options], 0) == 1  # the rubric alone would hint
    assert better_choice(RUBRIC, options, 0) is None


def test_another_choice_is_pointed_to_the_model_option():
    options = [option(["open_question"]), option(["simple_reflection"], model=True), option(["complex_reflection"])]
    assert better_choice(RUBRIC, options, 0) == 1
    assert better_choice(RUBRIC, options, 2) == 1  # even after an answer the codes rank higher


def test_without_a_model_option_the_rubric_rule_decides():
    options = [option(["judge"]), option(["complex_reflection"])]
    assert better_choice(RUBRIC, options, 0) == 1
    assert better_choice(RUBRIC, options, 1) is None


@pytest.mark.parametrize("choices, hints", [
    ([1, 1, 1], [None, None, None]),
    ([2, 3, 2], [1, 1, 1]),  # trust 20 at 'share': the model is offered first, the breach second
    ([3, 2, 3], [1, 1, 1]),  # trust 55: the model, then the offer with permission is hidden, breach is 2nd
])
def test_hints_in_a_marked_scenario_name_the_model_option(choices, hints):
    session = Session.start(MARKED, RUBRIC)
    got = []
    for number in choices:
        turn = session.choose(number if number <= len(session.choices()) else len(session.choices()))
        got.append(turn.better_choice.number if turn.better_choice else None)
        if turn.better_choice:
            offered = MARKED.nodes[turn.node_id].choices
            assert offered is not None
            model = next(c for c in offered if c.model)
            assert turn.better_choice.text == model.text
    assert got == hints


def test_the_hint_uses_the_offered_numbering():
    session = Session.start(MARKED, RUBRIC)
    session.choose(1)
    session.choose(1)  # trust 70: all three options of 'share' offered
    assert [c.number for c in session.choices()] == [1, 2, 3]
    turn = session.choose(2)
    share = MARKED.nodes["share"].choices
    assert share is not None
    assert turn.better_choice == ChoiceView(1, share[0].text)
