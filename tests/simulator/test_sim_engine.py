"""Engine unit tests on a small fixture (tests/simulator/data/mini.yaml)."""

from __future__ import annotations

import json

import pytest

from simulator.engine import ChoiceError, ChoiceView, Line, Session, SessionDataError, SessionError


def test_start_follows_branch_nodes_and_says_their_lines(mini, rubric):
    s = Session.start(mini, rubric)
    assert s.node_id == "d1"
    assert not s.finished and s.ending is None
    assert s.current_lines() == [Line("worker", "Pat Doe", "Hi."), Line("worker", "Pat Doe", "So, what is this about?")]
    assert s.choices() == [
        ChoiceView(1, "What would you like to talk about?"),
        ChoiceView(2, "You're overreacting."),
        ChoiceView(3, "Is it about the schedule?"),
    ]
    assert s.prompt() == "Pat waits."
    assert s.state == {"trust": 50, "calm": 2.5}


def test_choose_applies_clamped_effects_reply_and_branches(mini, rubric):
    s = Session.start(mini, rubric)
    turn = s.choose(1)
    assert turn.node_id == "d1" and turn.number == 1 and turn.choice_id == "d1#1"
    assert turn.codes == ["open_question", "emphasize_autonomy"]
    assert turn.feedback == "Open." and turn.source == "IRSST guide, step 5"
    assert turn.state_before == {"trust": 50, "calm": 2.5}
    assert turn.state_after == {"trust": 100, "calm": 3} and s.state == turn.state_after  # 110 clamped to 100
    assert turn.better_choice is None  # the best option at d1
    assert s.node_id == "d2"
    # reply, then the first matching variant of d2's line (trust >= 90 wins over trust >= 80)
    assert [line.text for line in s.current_lines()] == ["The workload.", "I feel heard."]


def test_harmful_choice_points_to_the_better_one(mini, rubric):
    s = Session.start(mini, rubric)
    turn = s.choose(2)
    assert turn.state_after["trust"] == 0  # -80 from 50 clamped at 0
    assert turn.better_choice == ChoiceView(1, "What would you like to talk about?")
    assert s.node_id == "d3"
    assert [line.text for line in s.current_lines()] == ["Whatever."]


def test_reaching_an_ending(mini, rubric):
    s = Session.start(mini, rubric)
    s.choose(3)
    assert s.node_id == "d2"
    assert [line.text for line in s.current_lines()] == ["Okay."]  # no variant applies at trust 50
    s.choose(2)
    assert s.finished and s.ending is not None
    assert (s.ending.id, s.ending.title, s.ending.outcome) == ("end_good", "Good", "positive")
    assert s.choices() == [] and s.prompt() is None
    assert [line.text for line in s.current_lines()] == ["Thanks."]
    with pytest.raises(SessionError):
        s.choose(1)


@pytest.mark.parametrize("bad", [0, 4, -1, True, "1", 1.0, None])
def test_bad_choice_numbers(mini, rubric, bad):
    s = Session.start(mini, rubric)
    with pytest.raises(ChoiceError) as info:
        s.choose(bad)
    assert "1 to 3" in str(info.value)
    assert s.turns == [] and s.node_id == "d1"  # nothing changed


def test_transcript_in_order(mini, rubric):
    s = Session.start(mini, rubric)
    s.choose(1)
    s.choose(1)
    kinds = [(e.kind, e.speaker_id, e.text) for e in s.transcript()]
    assert kinds == [
        ("line", "worker", "Hi."),
        ("line", "worker", "So, what is this about?"),
        ("choice", "trainee", "What would you like to talk about?"),
        ("line", "worker", "The workload."),
        ("line", "worker", "I feel heard."),
        ("choice", "trainee", "Tell me more about the workload."),
        ("line", "worker", "Thanks."),
    ]
    assert [e.turn_index for e in s.transcript() if e.kind == "choice"] == [0, 1]


def test_round_trip_is_json_safe_and_continues_identically(mini, rubric):
    s = Session.start(mini, rubric)
    s.choose(2)
    data = json.loads(json.dumps(s.to_dict(), allow_nan=False))
    restored = Session.from_dict(mini, rubric, data)
    assert restored.to_dict() == s.to_dict()
    assert restored.current_lines() == s.current_lines()
    s.choose(1)
    restored.choose(1)
    assert restored.to_dict() == s.to_dict()
    assert restored.finished and restored.ending == s.ending


def test_rewind(mini, rubric):
    s = Session.start(mini, rubric)
    s.choose(2)
    s.choose(2)
    assert s.finished
    back = s.rewind(1)
    assert back.node_id == "d3" and len(back.turns) == 1 and not back.finished
    assert back.to_dict() == Session.from_dict(mini, rubric, back.to_dict()).to_dict()
    assert s.rewind(0).to_dict() == Session.start(mini, rubric).to_dict()
    assert len(s.turns) == 2  # the original is untouched
    with pytest.raises(SessionError):
        s.rewind(3)
    with pytest.raises(SessionError):
        s.rewind(-1)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.update(scenario_id="other"), "scenario"),
        (lambda d: d.update(scenario_version="9"), "version"),
        (lambda d: d.update(node_id="nowhere"), "node"),
        (lambda d: d.update(node_id="fork"), "not a decision"),
        (lambda d: d.update(state={"trust": 1}), "state"),
        (lambda d: d.update(state={"trust": "x", "calm": 1}), "number"),
        (lambda d: d.update(finished=True), "finished"),
        (lambda d: d.update(format=99), "format"),
        (lambda d: d.update(turns=[{"nonsense": 1}]), "malformed"),
    ],
)
def test_from_dict_rejects_data_that_does_not_fit(mini, rubric, change, message):
    s = Session.start(mini, rubric)
    s.choose(1)
    data = s.to_dict()
    change(data)
    with pytest.raises(SessionDataError) as info:
        Session.from_dict(mini, rubric, data)
    assert message in str(info.value)


def test_engine_never_imports_textual():
    import subprocess
    import sys

    code = "import sys, simulator.engine, simulator.lint, simulator.cli; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_gauges(mini, rubric):
    s = Session.start(mini, rubric)
    assert [(g.name, g.value, g.min, g.max) for g in s.gauges()] == [("trust", 50, 0, 100), ("calm", 2.5, 0, 5)]
