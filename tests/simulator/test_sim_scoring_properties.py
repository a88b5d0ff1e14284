"""Invariants of rubric v2 scoring, stated as properties: ranges, neutral moves, rating monotonicity, trains."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.loader import load_rubric
from simulator.scoring import score

RUBRIC = load_rubric()
ALL_CODES = sorted(RUBRIC.code_ids())
NEUTRAL = sorted(c.id for c in RUBRIC.codes if c.valence == "neutral")
DIMENSIONS = [d.id for d in RUBRIC.dimensions]

turns_st = st.lists(st.lists(st.sampled_from(ALL_CODES), min_size=1, max_size=3), min_size=1, max_size=20)


def ratings(result) -> dict[str, int]:
    return {r.id: r.value for r in result.ratings}


@settings(max_examples=150, deadline=None)
@given(turns_st, st.lists(st.sampled_from(DIMENSIONS), unique=True))
def test_values_and_ratings_stay_in_range(turns, trains):
    r = score(turns, RUBRIC, trains=trains)
    assert 0 <= r.overall <= 100 and 0 <= r.raw <= 100
    for d in r.dimensions.values():
        assert d.value is None or 0 <= d.value <= 100
        # a verdict only for judged dimensions with evidence
        assert (d.meets is not None) == (d.value is not None and (not trains or d.id in trains))
    assert len(r.ratings) == 4
    assert all(1 <= v <= 5 for v in ratings(r).values())


@settings(max_examples=150, deadline=None)
@given(turns_st, st.sampled_from(NEUTRAL), st.data())
def test_a_neutral_code_never_turns_meets_into_below(turns, neutral, data):
    """Adding a neutral code (to an existing turn or as a new turn) never lowers a dimension from meets to below."""
    before = score(turns, RUBRIC)
    where = data.draw(st.integers(min_value=0, max_value=len(turns)))
    after_turns = [list(t) for t in turns]
    if where == len(turns):
        after_turns.append([neutral])
    else:
        after_turns[where].append(neutral)
    after = score(after_turns, RUBRIC)
    for dim_id, d in before.dimensions.items():
        if d.meets:
            assert after.dimensions[dim_id].meets, (dim_id, d.value, after.dimensions[dim_id].value)


@settings(max_examples=150, deadline=None)
@given(turns_st, st.data())
def test_rating_estimates_are_monotone_in_the_codes(turns, data):
    """A code that raises a rating never lowers it; one that lowers it never raises it (turns unchanged)."""
    spec = data.draw(st.sampled_from(RUBRIC.global_ratings.ratings))
    where = data.draw(st.integers(min_value=0, max_value=len(turns) - 1))
    before = ratings(score(turns, RUBRIC))[spec.id]
    for code, sign in [(data.draw(st.sampled_from(sorted(spec.raise_))), 1), (data.draw(st.sampled_from(sorted(spec.lower))), -1)]:
        changed = [list(t) for t in turns]
        changed[where].append(code)
        after = ratings(score(changed, RUBRIC))[spec.id]
        assert (after - before) * sign >= 0, (spec.id, code, before, after)


@settings(max_examples=100, deadline=None)
@given(turns_st, st.lists(st.sampled_from(DIMENSIONS), unique=True))
def test_trains_changes_verdicts_never_values(turns, trains):
    """Declaring what a scenario trains changes which dimensions are judged, never a value or the overall."""
    plain = score(turns, RUBRIC)
    judged = score(turns, RUBRIC, trains=trains)
    assert plain.overall == judged.overall
    assert {k: d.value for k, d in plain.dimensions.items()} == {k: d.value for k, d in judged.dimensions.items()}


@settings(max_examples=100, deadline=None)
@given(turns_st)
def test_summaries_count_as_reflections_in_both_miti_indicators(turns):
    with_summary = [list(t) for t in turns] + [["summary"]]
    before = {i.id: i.value for i in score(turns, RUBRIC).indicators}
    after = {i.id: i.value for i in score(with_summary, RUBRIC).indicators}
    assert after["reflection_question_ratio"] is not None
    assert before["reflection_question_ratio"] is None or after["reflection_question_ratio"] > before["reflection_question_ratio"]
    assert after["complex_reflection_share"] is not None and after["complex_reflection_share"] > 0
