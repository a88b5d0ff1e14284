"""Options offered on conditions (`when`), option and ending variants, and the built-in variables
(`turns`, `harmful`), on the fixture tests/simulator/data/conditional.yaml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine import ChoiceError, ChoiceView, Session, SessionError, render_ending
from simulator.loader import load_scenario

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def cond():
    return load_scenario(DATA / "conditional.yaml")


def test_builtins_start_at_zero_and_count_turns_and_harm(cond, rubric):
    s = Session.start(cond, rubric)
    assert s.builtins() == {"turns": 0, "harmful": 0}
    assert s.variables() == {"trust": 50, "turns": 0, "harmful": 0}
    s.choose(2)  # judge: harmful
    assert s.builtins() == {"turns": 1, "harmful": 1}
    assert s.state == {"trust": 50}  # built-ins are not state: never saved, never gauged
    assert [g.name for g in s.gauges()] == ["trust"]


def test_reply_and_arrival_lines_see_the_builtins_after_the_choice(cond, rubric):
    s = Session.start(cond, rubric)
    s.choose(2)
    assert [line.text for line in s.current_lines()] == ["Right. So it's me.", "Why should I tell you?"]
    t = Session.start(cond, rubric)
    t.choose(1)
    assert [line.text for line in t.current_lines()] == ["The workload, mostly."]


def test_options_are_numbered_over_those_offered(cond, rubric):
    s = Session.start(cond, rubric)
    s.choose(1)  # trust 60, no harm: the repair is hidden, the reflection's variant applies
    assert s.choices() == [
        ChoiceView(1, "You carried the whole workload alone, and it wore you down."),
        ChoiceView(2, "Tell me about the workload: what did a day look like?"),
        ChoiceView(3, "You should take a holiday."),
    ]
    assert [c.text for c in s.offered_choices()] == [
        "It sounds like the workload wore you down.", "Tell me about the workload.", "You should take a holiday.",
    ]
    h = Session.start(cond, rubric)
    h.choose(2)  # after a harmful answer: the repair is offered, the open question is not
    assert [c.number for c in h.choices()] == [1, 2, 3]
    assert h.choices()[0].text.startswith("I'm sorry") and h.choices()[1].text.startswith("It sounds like")
    with pytest.raises(ChoiceError) as info:
        h.choose(4)
    assert "1 to 3" in str(info.value)


def test_turn_records_number_offered_and_place_in_file(cond, rubric):
    s = Session.start(cond, rubric)
    s.choose(1)
    turn = s.choose(1)
    assert (turn.number, turn.position, turn.choice_id) == (1, 2, "d2#2")  # default id: place in the file
    assert turn.choice_text == "You carried the whole workload alone, and it wore you down."
    said = [e for e in s.transcript() if e.kind == "choice"]
    assert (said[-1].text, said[-1].number, said[-1].turn_index) == (turn.choice_text, 1, 1)
    assert s.chosen_numbers() == [1, 1]
    h = Session.start(cond, rubric)
    h.choose(2)
    turn = h.choose(1)
    assert (turn.number, turn.position, turn.choice_id) == (1, 1, "repair")


def test_chosen_numbers_replay_the_same_playthrough(cond, rubric):
    for first in (1, 2, 3):
        s = Session.start(cond, rubric)
        s.choose(first)
        s.choose(len(s.choices()))
        again = Session.start(cond, rubric)
        for n in s.chosen_numbers():
            again.choose(n)
        assert again.to_dict() == s.to_dict()
        back = s.rewind(1)
        back.choose(s.chosen_numbers()[1])
        assert back.to_dict() == s.to_dict()


def test_ending_variants_replace_title_and_summary_not_outcome(cond, rubric):
    s = Session.start(cond, rubric)
    s.choose(1)
    s.choose(1)  # trust 70, no harm
    assert s.ending is not None
    assert (s.ending.id, s.ending.title, s.ending.outcome) == ("good", "Heard, fully", "positive")
    assert "not one of your answers" in s.ending.summary
    h = Session.start(cond, rubric)
    h.choose(2)
    h.choose(1)  # repaired: trust 60, one harmful answer
    assert h.ending is not None
    assert (h.ending.title, h.ending.summary) == ("Heard", "Sam talked about the workload once you had repaired your slip.")
    plain = Session.start(cond, rubric)
    plain.choose(3)
    plain.choose(1)  # trust 60, no harm, below 70: no variant
    assert plain.ending is not None
    assert (plain.ending.title, plain.ending.summary) == ("Heard", "Sam talked about the workload.")
    # The scenario itself is untouched by rendering.
    assert cond.nodes["good"].ending.title == "Heard"
    restored = Session.from_dict(cond, rubric, json.loads(json.dumps(s.to_dict())))
    assert restored.ending == s.ending


def test_render_ending_first_matching_variant(cond):
    ending = cond.nodes["good"].ending
    assert render_ending(ending, {"trust": 90, "harmful": 0, "turns": 2}).title == "Heard, fully"
    assert render_ending(ending, {"trust": 90, "harmful": 1, "turns": 2}).title == "Heard"
    assert render_ending(ending, {"trust": 90, "harmful": 3, "turns": 2}) is ending


def test_better_choice_uses_offered_numbering_and_variant_text(cond, rubric):
    s = Session.start(cond, rubric)
    s.choose(1)
    turn = s.choose(3)  # advice (harmful): the clearly better option with the highest merit, as offered
    assert turn.better_choice == ChoiceView(2, "Tell me about the workload: what did a day look like?")
    h = Session.start(cond, rubric)
    h.choose(2)
    assert h.choose(3).better_choice == ChoiceView(2, "It sounds like the workload wore you down.")
    t = Session.start(cond, rubric)
    t.choose(1)
    # A lone complex reflection (2.0) is not "worse" than open question + explore the work (2.5).
    assert t.choose(1).better_choice is None


def test_saved_mid_session_resumes_with_the_same_options(cond, rubric):
    s = Session.start(cond, rubric)
    s.choose(2)
    data = json.loads(json.dumps(s.to_dict(), allow_nan=False))
    restored = Session.from_dict(cond, rubric, data)
    assert restored.choices() == s.choices() and restored.builtins() == s.builtins()
    assert restored.choose(1) == s.choose(1)
    assert restored.to_dict() == s.to_dict()


def test_saves_without_position_still_load(mini, rubric):
    s = Session.start(mini, rubric)
    s.choose(3)
    data = s.to_dict()
    for turn in data["turns"]:
        del turn["position"]
    restored = Session.from_dict(mini, rubric, data)
    assert restored.turns[0].position == 3 and restored.to_dict() == s.to_dict()


def test_a_decision_offering_nothing_stops_the_session(rubric, tmp_path):
    text = (DATA / "conditional.yaml").read_text(encoding="utf-8")
    text = text.replace('        codes: [advise_without_permission]\n',
                        '        when: "harmful >= 5"\n        codes: [advise_without_permission]\n')
    text = text.replace('      - text: "It sounds like the workload wore you down."\n',
                        '      - text: "It sounds like the workload wore you down."\n        when: "trust > 1000"\n')
    path = tmp_path / "stuck.yaml"
    path.write_text(text.replace('when: "harmful == 0"', 'when: "harmful == 9"'), encoding="utf-8")
    scenario = load_scenario(path)
    s = Session.start(scenario, rubric)
    with pytest.raises(SessionError, match="no option of decision 'd2' is offered"):
        s.choose(1)


@settings(max_examples=60, deadline=None)
@given(picks=st.lists(st.integers(1, 3), min_size=2, max_size=2), k=st.integers(0, 2))
def test_rewind_and_restore_are_consistent_with_offered_numbering(cond, rubric, picks, k):
    s = Session.start(cond, rubric)
    for n in picks:
        s.choose(n)
    assert s.finished
    back = s.rewind(k)
    for n in s.chosen_numbers()[k:]:
        back.choose(n)
    assert back.to_dict() == s.to_dict()
    assert back.transcript() == s.transcript()
    assert Session.from_dict(cond, rubric, s.to_dict()).ending == s.ending
    assert s.builtins() == {"turns": 2, "harmful": sum(rubric.is_harmful(t.codes) for t in s.turns)}
