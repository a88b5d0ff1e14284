"""The case index, the named event sets and the dedicated checks that were rewritten for speed
give what their plain, earlier formulations give.

Why an oracle: both the flat checks and their reference closures read the index and the named
sets, so a mistake there would be shared by the two and go unseen by the differential tests
(``test_flat_checks.py``). The plain formulations below (each contact's set of members, every
event walked in order) are the straightforward reading of the spec the index used to compute; the
faster code must agree with them on every case.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.case import Case, Event
from auditor.checks.dedicated import DEDICATED
from auditor.conditions import EVENT_SETS, NAMED_EVENT_CHECKS
from auditor.index import REFUSALS, CaseIndex
from auditor.outcomes import NOT_APPLICABLE, PENDING, SATISFIED, VIOLATED
from auditor.reading import read_case_text
from benchmarks.generate import Config, case_rng, generate_case
from tests.auditor.rule_case_files import build_log, load_cases
from tests.auditor.strategies import case_logs
from tests.auditor.test_flat_checks import edge_cases


def members(case: Case, i: int) -> frozenset:
    event = case.events[i]
    found = set(event.fields.get("with") or ())
    if event.by is not None:
        found.add(event.by)
    return frozenset(found)


def current_supervisor(case: Case, i: int):
    supervisors = [p for p, r in case.parties.items() if r == "supervisor"]
    current = supervisors[0] if supervisors else None
    for j, event in enumerate(case.events):
        if j >= i:
            break
        if event.type == "reassigned":
            current = event.fields.get("new_supervisor")
    return current


def plain_facts(case: Case) -> dict:
    """What the index holds, computed the plain way."""
    roles = case.parties
    workers = [p for p, r in roles.items() if r == "worker"]
    w = workers[0] if workers else None
    coordinators = {p for p, r in roles.items() if r == "coordinator"}
    supervisors = {p for p, r in roles.items() if r == "supervisor"}
    events = case.events
    contacts = [i for i, e in enumerate(events) if e.type == "contact"]
    worker_contacts = [i for i in contacts if w in members(case, i)]
    planning = next((i for i in worker_contacts if events[i].fields.get("purpose") == "planning"), None)
    if planning is None:
        planning = next((i for i, e in enumerate(events) if e.type == "plan_adopted"), None)
    participations = [i for i, e in enumerate(events) if e.type == "participation" and (e.by is None or e.by == w)]
    first = lambda t: next((i for i, e in enumerate(events) if e.type == t), None)  # noqa: E731
    has_coordinator = lambda i: not coordinators.isdisjoint(members(case, i))  # noqa: E731
    return {
        "worker": w,
        "contacts": contacts,
        "worker_contacts": worker_contacts,
        "coordinator_worker_contacts": [i for i in worker_contacts if has_coordinator(i)],
        "coordinator_contacts": [i for i in contacts if has_coordinator(i)],
        "coordinator_contacts_without_worker": [i for i in contacts if has_coordinator(i) and w not in members(case, i)],
        "worker_contacts_without_coordinator": [i for i in worker_contacts if not has_coordinator(i)],
        "planning_meeting": planning,
        "return_index": first("return_to_work"),
        "closed_index": first("case_closed"),
        "first_absence": first("absence_started"),
        "process_start": next((i for i, e in enumerate(events)
                               if e.type == "file_forwarded" and e.fields.get("to") in coordinators), None),
        "participations": participations,
        "agreements": [i for i in participations if events[i].fields.get("decision") == "agreed"],
        "refusals": [i for i in participations if events[i].fields.get("decision") in REFUSALS],
        "sets": {
            "worker_contact_without_coordinator": [i for i in worker_contacts if not has_coordinator(i)],
            "supervisor_initiated_worker_contact": [i for i in worker_contacts if events[i].by in supervisors],
            "coordinator_supervisor_contact": [
                i for i in contacts if has_coordinator(i) and current_supervisor(case, i) in members(case, i)],
            "coordinator_supervisor_contact_without_worker": [
                i for i in contacts
                if w not in members(case, i) and has_coordinator(i) and not members(case, i).isdisjoint(supervisors)],
        },
    }


def index_facts(case: Case) -> dict:
    ix = CaseIndex(case)
    facts = {name: getattr(ix, name) for name in plain_facts(case) if name != "sets"}
    facts["sets"] = {name: EVENT_SETS[name][0](ix) for name in plain_facts(case)["sets"]}
    return facts


def plain_regular_follow_up(case: Case, every_default: int = 21, tolerance: float = 0.5) -> tuple:
    """RTW302 walking every event in order."""
    facts = plain_facts(case)
    if not facts["agreements"]:
        return (NOT_APPLICABLE, [])
    events = case.events
    end_at = facts["return_index"] if facts["return_index"] is not None else facts["closed_index"]
    contacts, participations = set(facts["coordinator_worker_contacts"]), set(facts["participations"])
    too_long: list[int] = []
    start: Any = None
    limit = 0.0

    def gap(end):
        end_day = events[end].day if end is not None else case.as_of
        if (end_day - events[start].day).days > limit:
            too_long.extend([start] if end is None else [start, end])
            return True
        return False

    for i in range(len(events)):
        if end_at is not None and i == end_at:
            break
        if i in participations:
            decision = events[i].fields.get("decision")
            if decision == "agreed":
                if start is not None:
                    gap(i)
                limit = (events[i].fields.get("follow_up_every_days") or every_default) * (1 + tolerance)
                start = i
            elif decision in REFUSALS and start is not None:
                gap(i)
                start = None
        elif start is not None and i in contacts:
            gap(i)
            start = i
    open_gap = False
    if start is not None:
        open_gap = not gap(end_at) and end_at is None
    if too_long:
        return (VIOLATED, sorted(set(too_long)))
    return (PENDING, []) if open_gap else (SATISFIED, [])


def plain_supervisor_told(case: Case) -> tuple:
    """RTW205 looking at every contact."""
    facts = plain_facts(case)
    if not facts["agreements"]:
        return (NOT_APPLICABLE, [])
    agreed = facts["agreements"][0]
    supervisors = {p for p, r in case.parties.items() if r == "supervisor"}
    deadlines = [i for i in facts["worker_contacts"] if i > agreed and case.events[i].by in supervisors][:1]
    if facts["planning_meeting"] is not None:
        deadlines.append(facts["planning_meeting"])
    deadline = min(deadlines) if deadlines else None
    coordinators = {p for p, r in case.parties.items() if r == "coordinator"}
    for i in facts["contacts"]:
        if i <= agreed or (deadline is not None and i >= deadline):
            continue
        m = members(case, i)
        if ("participation" in (case.events[i].fields.get("topics") or ()) and not coordinators.isdisjoint(m)
                and current_supervisor(case, i) in m):
            return (SATISFIED, [])
    if deadline is not None:
        return (VIOLATED, [deadline])
    return (VIOLATED, [agreed]) if facts["closed_index"] is not None else (PENDING, [])


def plain_worker_with_only(case: Case, i: int, roles: frozenset) -> bool:
    w = plain_facts(case)["worker"]
    m = members(case, i)
    return w in m and len(m) >= 2 and all(p == w or case.parties.get(p) in roles for p in m)


def plain_concerns_addressed(case: Case, i: int) -> bool:
    fields = case.events[i].fields
    handled = {a.get("concern") for a in fields.get("actions") or () if isinstance(a, dict)}
    handled.update(fields.get("pending_validation") or ())
    return all(c in handled for c in fields.get("concerns") or ())


def assert_agrees(case: Case) -> None:
    assert index_facts(case) == plain_facts(case)
    ix = CaseIndex(case)
    addressed = NAMED_EVENT_CHECKS["concerns_addressed"][0]
    for i in range(len(case.events)):
        assert addressed(ix, i) == plain_concerns_addressed(case, i), i
    for roles in (frozenset(), frozenset({"union_rep"}), frozenset({"union_rep", "hr", "worker"})):
        for i in range(len(case.events)):
            assert ix.worker_with_only(i, roles) == plain_worker_with_only(case, i, roles), (i, roles)
    for name, plain in (("regular_follow_up", plain_regular_follow_up), ("supervisor_told_of_participation",
                                                                          plain_supervisor_told)):
        verdict = DEDICATED[name][0](CaseIndex(case), {})
        assert (verdict.outcome, verdict.events) == plain(case), name


def as_case(log: dict) -> Case:
    return read_case_text(json.dumps(log, default=lambda v: v.isoformat()), "log.json", fmt="json")


def test_rule_cases_and_a_caseload() -> None:
    for param in load_cases():
        assert_agrees(as_case(build_log(param.values[1])))
    for index in range(300):
        assert_agrees(as_case(generate_case(case_rng(3, index), index, Config(fault_rate=0.7))))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=edge_cases())
def test_edge_cases(case: Case) -> None:
    assert_agrees(case)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(log=case_logs(max_events=16))
def test_drawn_logs(log: dict) -> None:
    assert_agrees(as_case(log))


@settings(max_examples=50, deadline=None)
@given(every=st.integers(1, 30), gap=st.integers(0, 60))
def test_follow_up_gap_against_the_rhythm(every: int, gap: int) -> None:
    """One agreement with a rhythm, one contact ``gap`` days later: too long exactly past every × 1.5."""
    log = build_log({"name": "gap", "events": [
        {"at": "2026-01-05", "type": "file_forwarded", "by": "HR", "to": "C"},
        {"at": "2026-01-06", "type": "participation", "by": "W", "decision": "agreed", "follow_up_every_days": every},
    ]})
    contact_day = date(2026, 1, 6) + timedelta(days=gap)
    log["events"].append({"at": contact_day.isoformat(), "type": "contact", "by": "C", "with": ["W"]})
    log["events"].append({"at": (contact_day + timedelta(days=1)).isoformat(), "type": "case_closed", "reason": "other"})
    case = as_case(log)
    verdict = DEDICATED["regular_follow_up"][0](CaseIndex(case), {})
    assert verdict.outcome == (VIOLATED if gap > every * 1.5 else SATISFIED)
    assert_agrees(case)


def test_a_reassignment_names_the_supervisor_when_none_was_declared() -> None:
    """Without a supervisor party (the reader refuses such a log, but a ``Case`` may be built
    directly), the supervisor current after a reassignment is its ``new_supervisor``: a
    coordinator's contact with that party counts (RTW205, RTW701's set)."""
    def event(n: int, type_: str, by, **fields) -> Event:
        day = date(2026, 1, 4 + n)
        return Event(type_, datetime(day.year, day.month, day.day), True, day, n, None, by, fields)

    case = Case("R", {"W": "worker", "C": "coordinator", "M": "hr"}, {}, date(2026, 3, 1), [
        event(1, "file_forwarded", "M", to="C"),
        event(2, "participation", "W", decision="agreed"),
        event(3, "reassigned", None, new_supervisor="M"),
        event(4, "contact", "C", **{"with": ["M"], "topics": ["participation"]}),
    ])
    assert EVENT_SETS["coordinator_supervisor_contact"][0](CaseIndex(case)) == [3]
    assert DEDICATED["supervisor_told_of_participation"][0](CaseIndex(case), {}).outcome == SATISFIED
    assert_agrees(case)


labels = st.sampled_from(["a", "b", "c"])


@settings(max_examples=200, deadline=None)
@given(concerns=st.lists(labels, max_size=3), pending=st.none() | st.lists(labels, max_size=2),
       actions=st.none() | st.lists(st.one_of(labels, st.fixed_dictionaries(
           {"action": st.just("do")}, optional={"concern": labels})), max_size=3))
def test_concerns_addressed(concerns, pending, actions) -> None:
    fields = {"concerns": concerns}
    if pending is not None:
        fields["pending_validation"] = pending
    if actions is not None:
        fields["actions"] = actions
    day = date(2026, 2, 2)
    case = Case("P", {"W": "worker"}, {}, day, [Event("plan_adopted", datetime(2026, 2, 2), True, day, 1, None, None,
                                                      fields)])
    assert NAMED_EVENT_CHECKS["concerns_addressed"][0](CaseIndex(case), 0) == plain_concerns_addressed(case, 0)
