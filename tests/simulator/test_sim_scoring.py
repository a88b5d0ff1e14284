"""The scoring formula (rubrics/listening.yaml -> scoring.formula) and its harm property."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.loader import load_rubric
from simulator.scoring import score

RUBRIC = load_rubric()
ALL_CODES = sorted(RUBRIC.code_ids())
HARMFUL = {c.id for c in RUBRIC.codes if c.valence == "harmful"}


def dims(result):
    return {k: d.value for k, d in result.dimensions.items()}


def ind(result, ind_id):
    return next(i for i in result.indicators if i.id == ind_id)


def test_single_open_question():
    r = score([["open_question"]], RUBRIC)
    assert dims(r) == {
        "listen_without_judging": None,
        "let_worker_lead": 100,
        "explore_actual_work": 100,
        "courses_of_action_together": None,
        "confidentiality_consent": None,
        "respect_roles": None,
    }
    assert r.overall == 100 and r.harmful_count == 0
    assert r.dimensions["let_worker_lead"].meets is True
    assert r.dimensions["listen_without_judging"].meets is None


def test_neutral_codes_get_half_credit():
    r = score([["closed_question"]], RUBRIC)
    assert dims(r)["let_worker_lead"] == 50 and dims(r)["explore_actual_work"] == 50
    assert r.overall == 50


def test_mixed_weights_by_hand():
    # let_worker_lead: open_question 1.0 (C) + press_for_return 3.0 (H) -> 100*1/4 = 25
    # explore_actual_work: open_question 1.0 (C) -> 100
    r = score([["open_question"], ["press_for_return"]], RUBRIC)
    assert dims(r)["let_worker_lead"] == 25
    assert dims(r)["explore_actual_work"] == 100
    assert r.raw == round((25 + 100) / 2)
    assert r.harmful_count == 1
    assert r.overall == min(r.raw, 50) - 5  # cap then penalty


def test_harmful_cap_and_penalty():
    r = score([["complex_reflection"]] * 5 + [["judge"]], RUBRIC)
    # listen: C=10, H=3 -> 77; explore: 100 -> raw 88; capped to 50, minus 5
    assert dims(r)["listen_without_judging"] == 77
    assert r.overall == 45
    r2 = score([["judge"]] * 12, RUBRIC)
    assert r2.overall == 0  # never below 0


def test_a_turn_with_several_harmful_codes_counts_once():
    r = score([["judge", "justify_self"]], RUBRIC)
    assert r.harmful_count == 1
    assert ind(r, "harmful_responses").value == 1 and ind(r, "harmful_responses").meets is False


def test_indicators():
    r = score([["simple_reflection"], ["complex_reflection"], ["open_question"]], RUBRIC)
    assert ind(r, "reflection_question_ratio").value == 2.0 and ind(r, "reflection_question_ratio").meets
    assert ind(r, "open_question_share").value == 1.0 and ind(r, "open_question_share").meets
    assert ind(r, "complex_reflection_share").value == 0.5 and ind(r, "complex_reflection_share").meets
    assert ind(r, "harmful_responses").value == 0 and ind(r, "harmful_responses").status == "meets"
    r = score([["closed_question"], ["closed_question"], ["open_question"], ["simple_reflection"]], RUBRIC)
    assert ind(r, "reflection_question_ratio").value == 0.33 and ind(r, "reflection_question_ratio").status == "below"
    assert ind(r, "open_question_share").value == 0.33 and not ind(r, "open_question_share").meets
    assert ind(r, "complex_reflection_share").value == 0.0 and not ind(r, "complex_reflection_share").meets


def test_ratio_without_questions_is_the_reflection_count():
    r = score([["simple_reflection"], ["simple_reflection"]], RUBRIC)
    assert ind(r, "reflection_question_ratio").value == 2.0
    assert ind(r, "open_question_share").value is None and ind(r, "open_question_share").status == "no evidence"


def test_no_turns_and_unknown_codes():
    for turns in ([], [["not_a_code"]]):
        r = score(turns, RUBRIC)
        assert all(v is None for v in dims(r).values())
        assert r.overall == 0 and r.harmful_count == 0


def test_accepts_dicts_and_turn_objects(mini, rubric):
    from simulator.engine import Session

    s = Session.start(mini, rubric)
    s.choose(1)
    assert score(s, rubric) == score(s.turns, rubric) == score([t.to_dict() for t in s.turns], rubric)


turns_strategy = st.lists(st.lists(st.sampled_from(ALL_CODES), min_size=1, max_size=3), min_size=1, max_size=25)


@settings(max_examples=200, deadline=None)
@given(turns_strategy)
def test_harm_property(turns):
    """Any playthrough with a harmful response scores <= cap - penalty (45), any other >= 100 * neutral_credit (50)."""
    r = score(turns, RUBRIC)
    assert 0 <= r.overall <= 100
    for d in r.dimensions.values():
        assert d.value is None or 0 <= d.value <= 100
    sc = RUBRIC.scoring
    if any(c in HARMFUL for t in turns for c in t):
        assert r.harmful_count >= 1
        assert r.overall <= sc.harmful_cap - sc.harmful_penalty < 100 * sc.neutral_credit
    else:
        assert r.overall >= 100 * sc.neutral_credit


def test_rubric_contains_the_required_codes_and_dimensions():
    required = {
        "open_question", "closed_question", "simple_reflection", "complex_reflection", "affirmation", "summary",
        "emphasize_autonomy", "seek_collaboration", "give_info_with_permission", "advise_without_permission",
        "judge", "justify_self", "minimize", "premature_reassurance", "press_for_return",
        "breach_confidentiality", "premature_solution",
        "ask_permission", "involve_coordinator", "bypass_coordinator", "speak_for_worker", "enforce_agreement",
    }
    assert required <= RUBRIC.code_ids()
    assert {d.id for d in RUBRIC.dimensions} == {
        "listen_without_judging", "let_worker_lead", "explore_actual_work",
        "courses_of_action_together", "confidentiality_consent", "respect_roles",
    }
    for dim in RUBRIC.dimensions:
        valences = {c.valence for c in RUBRIC.codes if dim.id in c.dimensions}
        assert {"constructive", "harmful"} <= valences, dim.id
    for code in RUBRIC.codes:
        assert code.definition and code.examples


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda d: d["scoring"].update(harmful_cap=60), "harmful_cap"),
        (lambda d: d["codes"].append(dict(d["codes"][0])), "duplicate code"),
        (lambda d: d["codes"][0].update(dimensions=["nope"]), "unknown dimension"),
        (lambda d: d["codes"][0].update(valence="great"), "valence"),
        (lambda d: d["indicators"][0].update(numerator=["nope"]), "unknown code"),
    ],
)
def test_rubric_schema_rejects(tmp_path, edit, message):
    import yaml

    from simulator.errors import RubricError
    from simulator.paths import listening_rubric_path

    data = yaml.safe_load(listening_rubric_path().read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "rubric.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(RubricError) as info:
        load_rubric(path)
    assert message in str(info.value) and info.value.line >= 1
