"""The training content reviewed against the guides, pinned so that a fixed error cannot quietly come back.

Two kinds of tests:

* properties of every scenario in scenarios/ (new files are covered automatically): each decision has one
  model answer, harm-free and never outranked by the coach's merit, the only answer the coach ever suggests;
  the model answer is offered whenever its decision is reached; playing the model answers ends positively, with no hint, and every dimension
  the scenario trains meets its threshold;
* the content errors of the review (docs/decisions.md, "Training content"), one test each, so that the
  regression names what it brings back: a source citing the wrong step, a code ranking an answer against
  its own feedback, a line that contradicts the guide.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.engine import Session, better_choice, score
from simulator.loader import load_rubric, load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"

RUBRIC = load_rubric()
MARGIN = RUBRIC.better_choice.margin
PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_CACHE: dict = {}


def scenario(name_or_path):
    """Load once per file: a scenario by file stem ('first-call') or path."""
    path = SCENARIOS / f"{name_or_path}.yaml" if isinstance(name_or_path, str) else name_or_path
    if path not in _CACHE:
        _CACHE[path] = load_scenario(path)
    return _CACHE[path]


def option(sc, node_id: str, needle: str):
    """The option of ``node_id`` whose text (or id) contains ``needle``; exactly one must."""
    found = [c for c in sc.nodes[node_id].choices if needle in c.text or needle == c.id]
    assert len(found) == 1, f"{sc.id}/{node_id}: {len(found)} options match {needle!r}"
    return found[0]


def model_of(choices):
    return [c for c in choices if c.model]


def play(sc, numbers):
    s = Session.start(sc, RUBRIC)
    for n in numbers:
        s.choose(n)
    return s


def play_model_path(sc) -> Session:
    """Choose the model answer at every decision (it must be offered: see the property below)."""
    s = Session.start(sc, RUBRIC)
    for _ in range(200):
        if s.finished:
            return s
        offered = s.offered_choices()
        picks = [i for i, c in enumerate(offered) if c.model]
        assert picks, f"{sc.id}: no model answer offered at {s.node_id!r}"
        s.choose(picks[0] + 1)
    raise AssertionError(f"{sc.id}: the model path does not end within 200 decisions")


# ---- properties of every scenario ---------------------------------------------------------------------


def test_every_decision_has_one_model_answer_the_coach_agrees_with(scenario_path):
    sc = scenario(scenario_path)
    for node_id, node in sc.decisions().items():
        models = model_of(node.choices)
        assert len(models) == 1, f"{sc.id}/{node_id}: {len(models)} model answers"
        best = models[0]
        assert not RUBRIC.is_harmful(best.codes), f"{sc.id}/{node_id}: the model answer carries a harmful code"
        for other in node.choices:
            gap = RUBRIC.merit(other.codes) - RUBRIC.merit(best.codes)
            assert gap <= MARGIN, f"{sc.id}/{node_id}: {other.text[:50]!r} outranks the model answer by {gap}"


def test_the_coach_never_suggests_another_answer_than_the_model(scenario_path):
    """Whatever option is chosen at a decision, the coach's hint is the model answer or nothing: ties on
    merit are broken the coach's way (strongest code, then file order), so the model must win them."""
    sc = scenario(scenario_path)
    for node_id, node in sc.decisions().items():
        best = next(i for i, c in enumerate(node.choices) if c.model)
        for chosen in range(len(node.choices)):
            hint = better_choice(RUBRIC, node.choices, chosen)
            assert hint in (None, best), f"{sc.id}/{node_id}: after option {chosen + 1} the coach suggests {hint + 1}"


def test_trains_names_dimensions_of_the_rubric(scenario_path):
    sc = scenario(scenario_path)
    assert sc.trains, f"{sc.id}: no trained dimension declared"
    assert len(set(sc.trains)) == len(sc.trains)
    assert all(RUBRIC.dimension(d) is not None for d in sc.trains), sc.trains


def test_model_path_is_positive_hint_free_and_meets_every_trained_dimension(scenario_path):
    sc = scenario(scenario_path)
    s = play_model_path(sc)
    assert s.ending is not None
    assert s.ending.outcome == "positive", (sc.id, s.ending.id, s.chosen_numbers())
    assert [t.node_id for t in s.turns if t.better_choice is not None] == []
    dims = score(s, RUBRIC).dimensions
    for d in sc.trains:
        assert dims[d].value is not None and dims[d].meets, (sc.id, d, dims[d].value, s.chosen_numbers())


@given(data=st.data())
@PROPS
def test_model_answer_is_offered_whenever_its_decision_is_reached(scenario_path, data):
    sc = scenario(scenario_path)
    s = Session.start(sc, RUBRIC)
    for _ in range(200):
        if s.finished:
            break
        assert any(c.model for c in s.offered_choices()), f"{sc.id}: no model answer offered at {s.node_id!r}"
        s.choose(data.draw(st.integers(1, len(s.choices())), label=s.node_id))


# ---- 1, 2: sources cite the right step or part ---------------------------------------------------------


def test_first_call_cites_step_2_for_the_call_and_not_the_supervisors_role():
    sc = scenario("first-call")
    opening = model_of(sc.nodes["opening"].choices)[0]
    assert "step 2 — The first telephone call" in opening.source
    sources = [c.source for n in sc.decisions().values() for c in n.choices]
    assert not [s for s in sources if "step 1 — Invite" in s]
    assert not [s for s in sources if "strategic role of the direct supervisor" in s.lower()]


def test_union_rep_behaviour_is_not_sourced_to_the_supervisors_role():
    sc = scenario("union-rep-support")
    for node_id, needle in (("worry", "worry_gilles_jerk"), ("you_talk", "talk_tell_him_straight")):
        assert "strategic role" not in option(sc, node_id, needle).source.lower()


def test_raising_the_productivity_board_cites_part_2_direct_supervisors():
    board = option(scenario("major-conflict"), "board", "raise it with my manager")
    assert board.source.startswith("IRSST guide, part 2 — Direct supervisors")
    assert "step 7" not in board.source


# ---- 3, 4, 5: codes agree with the feedback and with the guide -------------------------------------------


def test_first_call_respecting_a_no_is_the_model_and_asking_her_to_justify_it_is_not_constructive():
    sc = scenario("first-call")
    respect = option(sc, "supervisor_no", "it's your decision")
    hesitate = option(sc, "supervisor_no", "what makes you hesitate")
    assert respect.model and not hesitate.model
    assert not any((code := RUBRIC.code(c)) is None or code.valence == "constructive" for c in hesitate.codes)
    assert RUBRIC.merit(hesitate.codes) < RUBRIC.merit(respect.codes)


def test_first_call_describing_the_process_when_asked_is_not_ranked_below_another_answer():
    sc = scenario("first-call")
    describe = option(sc, "explain", "When you feel up to it")
    assert "exactly what the first call is for" in describe.feedback and describe.model
    assert all(RUBRIC.merit(c.codes) <= RUBRIC.merit(describe.codes) for c in sc.nodes["explain"].choices)


def test_to_validate_answers_are_not_outranked():
    for name, node_id, needle in (
        ("supervisor-meeting", "tasks_her_idea", "'to validate'"),
        ("union-rep-support", "proposal", "proposal_validate_pairing"),
    ):
        sc = scenario(name)
        validate = option(sc, node_id, needle)
        top = max(RUBRIC.merit(c.codes) for c in sc.nodes[node_id].choices)
        assert RUBRIC.merit(validate.codes) >= top, (name, node_id)


# ---- 6: the worker takes the floor first at the planning meeting ---------------------------------------


def test_the_coordinator_gives_the_worker_the_floor_before_the_supervisor_speaks():
    sc = scenario("supervisor-meeting")
    start = sc.nodes[sc.start]
    coordinator = [ln.text for ln in start.lines if sc.characters[ln.speaker].role == "coordinator"]
    assert coordinator and coordinator[-1].rstrip().endswith("Karine, would you like to start?")
    assert not any("anything you'd like to say" in t for t in coordinator)


# ---- 7, 8: the major conflict ---------------------------------------------------------------------------


def test_withdrawing_the_warning_is_a_promise_outside_the_role_and_the_union_rep_does_not_refuse_it():
    sc = scenario("major-conflict")
    offer = option(sc, "warning", "withdraw the warning")
    assert "premature_solution" not in offer.codes and RUBRIC.is_harmful(offer.codes)
    assert "B.5" not in offer.source and "part 2 — Defining roles" in offer.source
    rep = [ln.text for ln in offer.reply if ln.speaker == "nathalie"]
    assert rep and "in writing" in rep[0] and "not a deal across the table" not in rep[0]


def test_the_trainee_can_recognise_the_major_conflict_and_ask_for_mediation_before_the_meeting():
    sc = scenario("major-conflict")
    first = sc.nodes[sc.start]
    assert first.choices is not None, "the scenario opens on a decision"
    ask = model_of(first.choices)[0]
    assert "involve_coordinator" in ask.codes and "mediation" in ask.text
    assert "major conflict" in ask.source
    assert ask.effects.get("mediation_raised") == 1
    s = play_model_path(sc)
    assert s.ending is not None
    assert s.ending.id == "door_open" and "recognised before the meeting" in s.ending.summary


# ---- 9, 10: the union representative ---------------------------------------------------------------------


def test_correcting_the_foreman_on_the_agreement_has_a_constructive_form():
    node = scenario("union-rep-support").nodes["proposal"]
    upholds = [c for c in node.choices if "enforce_agreement" in c.codes]
    assert upholds and not any(RUBRIC.is_harmful(c.codes) for c in upholds)
    assert not [c for c in node.choices if "agreement" in c.text and "judge" in c.codes]


def test_speaking_in_the_workers_place_is_coded_as_such_not_as_a_breach():
    sc = scenario("union-rep-support")
    for node_id, needle in (
        ("you_talk", "talk_leave_it_to_me"),
        ("meeting_open", "open_humiliated"),
        ("karim_freezes", "freezes_i_say_it"),
    ):
        codes = option(sc, node_id, needle).codes
        assert "speak_for_worker" in codes and "breach_confidentiality" not in codes, (node_id, codes)


# ---- 11: names and ids ---------------------------------------------------------------------------------


def test_plan_renegotiation_ids_follow_yannick_and_its_coordinator_is_its_own():
    sc = scenario("plan-renegotiation")
    ids = set(sc.nodes) | {c.id for n in sc.decisions().values() for c in n.choices if c.id}
    assert not [i for i in ids if "samir" in i.lower()]
    assert "yannick_detail" in sc.nodes

    def coordinators(s):
        return {c.name for c in s.characters.values() if c.role == "coordinator"}

    assert not coordinators(sc) & coordinators(scenario("supervisor-meeting"))


# ---- 12: first-call, place, mediation, what the supervisor is told -------------------------------------


def test_first_meeting_is_not_in_a_public_place():
    sc = scenario("first-call")
    node = sc.nodes["supervisor_question"]
    texts = [ln.text for ln in node.lines] + [c.text for c in node.choices]
    assert not [t for t in texts if "café" in t.lower() or "cafe" in t.lower()]


def test_first_call_offers_no_mediation_as_a_good_answer():
    sc = scenario("first-call")
    offers = [c for n in sc.decisions().values() for c in n.choices if "mediation" in c.text.lower()]
    assert offers and all(RUBRIC.is_harmful(c.codes) and not c.model for c in offers)


@given(data=st.data())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_call_ending_says_the_supervisor_is_told_only_when_she_agreed(data):
    """Whatever the path: the 'meeting, no supervisor call' ending mentions what the supervisor will be told
    exactly when the trainee asked her consent to it (respecting her no, the model answer at supervisor_no)."""
    sc = scenario("first-call")
    asked = option(sc, "supervisor_no", "it's your decision")
    s = Session.start(sc, RUBRIC)
    while not s.finished:
        s.choose(data.draw(st.integers(1, len(s.choices())), label=s.node_id))
    assert s.ending is not None
    if s.ending.id == "meeting_without_supervisor":
        agreed = any(t.node_id == "supervisor_no" and t.choice_text == asked.text for t in s.turns)
        assert ("will only be told" in s.ending.summary) == agreed


def test_no_call_ending_on_both_sides_of_the_question():
    sc = scenario("first-call")
    asked = play(sc, [1, 1, 1, 3, 2, 1, 1, 3, 1, 1])  # ... supervisor_no: respect the no, asking her consent
    never = play(sc, [1, 1, 1, 1, 1, 1, 1, 1, 4, 1])  # ... asks about the relationship, then leaves it there
    assert asked.ending.id == never.ending.id == "meeting_without_supervisor"
    assert "will only be told" in asked.ending.summary
    assert "told" not in never.ending.summary
