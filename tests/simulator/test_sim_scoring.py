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
        "explore_actual_work": None,  # v2: an open question is not evidence of exploring the work
        "courses_of_action_together": None,
        "confidentiality_consent": None,
        "respect_roles": None,
    }
    assert r.overall == 100 and r.harmful_count == 0
    assert r.dimensions["let_worker_lead"].meets is True
    assert r.dimensions["listen_without_judging"].meets is None


def test_neutral_codes_alone_are_no_evidence():
    r = score([["closed_question"]], RUBRIC)
    assert all(v is None for v in dims(r).values())
    assert r.overall == 70  # harm-free, all neutral: the neutral credit


def test_neutral_codes_get_the_neutral_credit_beside_other_evidence():
    # let_worker_lead: open_question 1.0 (C) + closed_question 0.5 (N) -> 100 * (1 + 0.7 * 0.5) / 1.5 = 90
    r = score([["open_question"], ["closed_question"]], RUBRIC)
    assert dims(r)["let_worker_lead"] == 90


def test_give_info_alone_does_not_judge_courses_of_action():
    """The first call of issue 9: information given at step 2 says nothing about courses of action."""
    r = score([["structure", "protect_confidentiality"], ["give_info"], ["open_question"]], RUBRIC)
    assert r.dimensions["courses_of_action_together"].value is None
    assert r.dimensions["courses_of_action_together"].status == "no evidence"


def test_mixed_weights_by_hand():
    # let_worker_lead: open_question 1.0 (C) + press_for_return 3.0 (H) -> 100*1/4 = 25
    # explore_actual_work: explore_work 1.5 (C) -> 100
    r = score([["open_question", "explore_work"], ["press_for_return"]], RUBRIC)
    assert dims(r)["let_worker_lead"] == 25
    assert dims(r)["explore_actual_work"] == 100
    assert r.raw == round((25 + 100) / 2)
    assert r.harmful_count == 1
    assert r.overall == min(r.raw, 50) - 5  # cap then penalty


def test_harmful_cap_and_penalty():
    r = score([["complex_reflection"]] * 5 + [["judge"]], RUBRIC)
    # listen: C=10, H=3 -> 77 = raw (the only dimension with evidence); capped to 50, minus 5
    assert dims(r)["listen_without_judging"] == 77
    assert r.raw == 77
    assert r.overall == 45
    r2 = score([["judge"]] * 12, RUBRIC)
    assert r2.overall == 0  # never below 0


def test_a_turn_with_several_harmful_codes_counts_once():
    r = score([["judge", "justify_self"]], RUBRIC)
    assert r.harmful_count == 1
    assert ind(r, "harmful_responses").value == 1 and ind(r, "harmful_responses").meets is False


def test_indicators_report_both_miti_tiers():
    r = score([["simple_reflection"], ["complex_reflection"], ["open_question"]], RUBRIC)
    assert ind(r, "reflection_question_ratio").value == 2.0 and ind(r, "reflection_question_ratio").status == "good"
    assert ind(r, "open_question_share").value == 1.0 and ind(r, "open_question_share").status == "good"
    assert ind(r, "complex_reflection_share").value == 0.5 and ind(r, "complex_reflection_share").status == "good"
    assert ind(r, "harmful_responses").value == 0 and ind(r, "harmful_responses").status == "meets"
    r = score([["closed_question"], ["closed_question"], ["open_question"], ["simple_reflection"]], RUBRIC)
    assert ind(r, "reflection_question_ratio").value == 0.33
    assert ind(r, "reflection_question_ratio").status == "below fair"
    assert ind(r, "open_question_share").value == 0.33 and not ind(r, "open_question_share").meets
    assert ind(r, "complex_reflection_share").value == 0.0 and not ind(r, "complex_reflection_share").meets
    r = score([["open_question"], ["simple_reflection"], ["open_question"], ["complex_reflection"]], RUBRIC)
    assert ind(r, "reflection_question_ratio").value == 1.0 and ind(r, "reflection_question_ratio").status == "fair"


def test_summaries_are_complex_reflections():
    """MITI 4.2.1 codes a summary as a reflection; a summary links several things: complex."""
    r = score([["open_question"], ["summary"]], RUBRIC)
    assert ind(r, "reflection_question_ratio").value == 1.0 and ind(r, "reflection_question_ratio").meets
    assert ind(r, "complex_reflection_share").value == 1.0
    r = score([["simple_reflection"], ["summary"], ["open_question"]], RUBRIC)
    assert ind(r, "reflection_question_ratio").value == 2.0
    assert ind(r, "complex_reflection_share").value == 0.5


def test_ratio_without_questions_is_the_reflection_count():
    r = score([["simple_reflection"], ["simple_reflection"]], RUBRIC)
    assert ind(r, "reflection_question_ratio").value == 2.0
    assert ind(r, "open_question_share").value is None and ind(r, "open_question_share").status == "no evidence"


def test_trains_judges_only_the_trained_dimensions():
    turns = [["open_question"], ["complex_reflection"], ["protect_confidentiality"]]
    r = score(turns, RUBRIC, trains=["listen_without_judging"])
    assert r.dimensions["listen_without_judging"].status == "meets"
    assert r.dimensions["let_worker_lead"].value == 100
    assert r.dimensions["let_worker_lead"].meets is None
    assert r.dimensions["let_worker_lead"].status == "not trained here"
    assert [d.id for d in r.judged()] == ["listen_without_judging"]
    everything = score(turns, RUBRIC)
    assert {d.id for d in everything.judged()} == {"listen_without_judging", "let_worker_lead", "confidentiality_consent"}


def test_global_ratings_by_hand():
    # empathy: 2 turns, complex_reflection raises 1.0 -> 3 + 2 * 1 / 2 = 4
    r = score([["complex_reflection"], ["closed_question"]], RUBRIC)
    ratings = {x.id: x.value for x in r.ratings}
    assert ratings["empathy"] == 4
    assert ratings["partnership"] == 3  # nothing for or against
    r = score([["judge"]], RUBRIC)
    assert {x.id: x.value for x in r.ratings}["empathy"] == 1  # 3 - 2 * 1.5 = 0, clamped to 1
    assert all(x.value is None for x in score([], RUBRIC).ratings)


def test_no_turns_and_unknown_codes():
    for turns in ([], [["not_a_code"]]):
        r = score(turns, RUBRIC)
        assert all(v is None for v in dims(r).values())
        assert r.overall == 0 and r.harmful_count == 0
        assert all(d.status == "no evidence" for d in r.dimensions.values())


def test_accepts_dicts_and_turn_objects(mini, rubric):
    from simulator.engine import Session

    s = Session.start(mini, rubric)
    s.choose(1)
    assert score(s, rubric) == score(s.turns, rubric) == score([t.to_dict() for t in s.turns], rubric)


turns_strategy = st.lists(st.lists(st.sampled_from(ALL_CODES), min_size=1, max_size=3), min_size=1, max_size=25)


@settings(max_examples=200, deadline=None)
@given(turns_strategy)
def test_harm_property(turns):
    """Any playthrough with a harmful response scores <= cap - penalty (45), any other >= 100 * neutral_credit (70)."""
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
        (lambda d: d["scoring"].update(harmful_cap=80), "harmful_cap"),
        (lambda d: d["codes"].append(dict(d["codes"][0])), "duplicate code"),
        (lambda d: d["codes"][0].update(dimensions=["nope"]), "unknown dimension"),
        (lambda d: d["codes"][0].update(valence="great"), "valence"),
        (lambda d: d["indicators"][0].update(numerator=["nope"]), "unknown code"),
        (lambda d: d["scoring"].update(neutral_credit=0.6), "neutral_credit"),
        (lambda d: d["indicators"][0].update(good=0.5), "below the fair threshold"),
        (lambda d: d["global_ratings"]["ratings"][0]["raise"].update(nope=1), "unknown code"),
        (lambda d: d["global_ratings"]["ratings"][0]["raise"].update(press_for_return=1), "both raise and lower"),
        (lambda d: d["global_ratings"]["ratings"][0]["lower"].update(judge=-1), "greater than 0"),
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
