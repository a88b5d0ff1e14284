"""The aggregate counts rule and step outcomes in flat cells and moves them into its counts when they
are read: whatever the order of adding, reading and merging, every count must be the one a plain
count of each case's facts gives."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.report.aggregate import Aggregate, case_facts, period_key


def plain_counts(audits, rubric, grains) -> Counter:
    """Rule and step outcomes counted the obvious way, over the whole caseload and per period."""
    out: Counter = Counter()
    for a in audits:
        facts = case_facts(a, rubric)
        periods = list(dict.fromkeys(period_key(facts.start, g) for g in grains))
        for kind, per_period, outcomes in (("rule", "prule", facts.rule_outcomes), ("step", "pstep", facts.step_outcomes)):
            for name, outcome in outcomes.items():
                out[(kind, name, outcome)] += 1
                for period in periods:
                    out[(per_period, period, name, outcome)] += 1
    return out


def outcome_counts(agg: Aggregate, keys) -> Counter:
    return Counter({key: agg.n(*key) for key in keys if agg.n(*key)})


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_cells_give_the_plain_counts_whatever_the_order(audits300, rubric, data):
    picked = data.draw(st.lists(st.integers(0, len(audits300) - 1), min_size=1, max_size=60), label="cases")
    audits = [audits300[i] for i in picked]
    by = data.draw(st.sampled_from(["quarter", "half", "year", "month"]), label="by")
    reads = data.draw(st.sets(st.integers(0, len(audits))), label="read after")  # counts read mid-stream
    split = data.draw(st.integers(0, len(audits)), label="split")  # two regions merged, as in a parallel run

    whole = Aggregate(rubric, by=by)
    for i, a in enumerate(audits):
        if i in reads:
            whole.n("rule", "RTW101", "satisfied")
        whole.add(a)
    first, second = Aggregate(rubric, by=by), Aggregate(rubric, by=by)
    for a in audits[:split]:
        first.add(a)
    for a in audits[split:]:
        second.add(a)
    first.merge(second.result())

    expected = plain_counts(audits, rubric, whole.grains)
    assert outcome_counts(whole, expected) == expected
    assert outcome_counts(first, expected) == expected
    # and nothing else: every cell moved into a key the plain count has
    assert {k for k in whole.counts if k[0] in ("rule", "prule", "step", "pstep")} == set(expected)
