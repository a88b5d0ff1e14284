"""Invariants of the audit, checked on realistic generated cases (benchmarks/generate.py).

- adding events that no rule reads changes no outcome;
- shifting every date by the same number of days changes nothing;
- the file order of events with distinct timestamps does not matter;
- fidelity is in [0, 1] and every rule gives exactly one outcome.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.engine import audit_case
from auditor.outcomes import OUTCOMES
from auditor.reading import read_case_text
from auditor.rubric import load_rubric
from benchmarks.generate import generate_case

RUBRIC = load_rubric()

def _generated(seed: int, index: int) -> dict:
    log = generate_case(random.Random(seed), index)
    # Name every event by id: these properties move events around, which would change `#N` labels.
    for n, event in enumerate(log["events"]):
        event.setdefault("id", f"p{n}")
    return log


cases = st.builds(_generated, st.integers(0, 10**9), st.integers(0, 10**6))


def outcomes(log: dict) -> list[tuple[str, str, list[str]]]:
    parsed = read_case_text(json.dumps(log), "generated.json", fmt="json")
    audit = audit_case(parsed, RUBRIC)
    return [(r.rule, r.outcome, [parsed.events[i].label for i in r.events]) for r in audit.results]


def with_as_of(log: dict) -> dict:
    """Pin ``as_of`` so that adding or moving events cannot change the date the log is complete up to."""
    if "as_of" not in log:
        log["as_of"] = max(e["at"][:10] for e in log["events"])
    return log


@settings(max_examples=60, deadline=None)
@given(cases)
def test_every_rule_gives_one_outcome_and_fidelity_is_a_share(log):
    parsed = read_case_text(json.dumps(log), "generated.json", fmt="json")
    audit = audit_case(parsed, RUBRIC)
    assert [r.rule for r in audit.results] == RUBRIC.all_codes()
    assert all(r.outcome in OUTCOMES for r in audit.results)
    assert all(r.events == [] for r in audit.results if r.outcome != "violated")
    assert audit.fidelity is None or 0.0 <= audit.fidelity <= 1.0


@settings(max_examples=60, deadline=None)
@given(cases, st.data())
def test_adding_events_no_rule_reads_changes_nothing(log, data):
    log = with_as_of(log)
    before = outcomes(log)
    extra = data.draw(st.integers(1, 4))
    for n in range(extra):
        anchor = data.draw(st.sampled_from(log["events"]))
        position = data.draw(st.integers(0, len(log["events"])))
        noise = {"id": f"noise{n}", "at": anchor["at"], "type": "file_opened", "by": "HR" if "HR" in log["parties"] else None}
        noise = {k: v for k, v in noise.items() if v is not None}
        log["events"].insert(position, noise)
        # An x- field on any event is kept and ignored.
        data.draw(st.sampled_from(log["events"]))[f"x-extra{n}"] = "ignored"
    assert outcomes(log) == before


def _shift(text: str, days: int) -> str:
    if "T" in text:
        return (datetime.fromisoformat(text) + timedelta(days=days)).isoformat(timespec="minutes")
    return (date.fromisoformat(text) + timedelta(days=days)).isoformat()


DATE_FIELDS = ("at", "next_contact", "date")


@settings(max_examples=60, deadline=None)
@given(cases, st.integers(-2000, 2000))
def test_shifting_every_date_changes_nothing(log, days):
    log = with_as_of(log)
    before = outcomes(log)
    log["as_of"] = _shift(log["as_of"], days)
    for event in log["events"]:
        for key in DATE_FIELDS:
            if key in event:
                event[key] = _shift(event[key], days)
        for action in event.get("actions") or ():
            if isinstance(action, dict) and "due" in action:
                action["due"] = _shift(action["due"], days)
    assert outcomes(log) == before


@settings(max_examples=60, deadline=None)
@given(cases, st.randoms(use_true_random=False))
def test_file_order_of_distinct_timestamps_does_not_matter(log, rnd):
    log = with_as_of(log)
    seen, kept = set(), []
    for event in log["events"]:
        key = datetime.fromisoformat(event["at"])
        # A date-only `at` and a time at midnight of that day are distinct but would tie on the day: keep one per day-time.
        if key not in seen:
            seen.add(key)
            kept.append(event)
    log["events"] = kept
    before = outcomes(log)
    rnd.shuffle(log["events"])
    assert outcomes(log) == before
