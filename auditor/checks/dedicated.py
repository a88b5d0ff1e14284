"""``dedicated``: the few rules whose logic no template expresses cleanly.

Each is a plain function of the case index and the rule's parameters, registered by name; the
rule's metadata and parameters still live in the rubric (``check: {template: dedicated, name: ...}``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from ..conditions import RubricError, event_set, resolve, roles_list
from ..i18n import N_
from ..i18n_domains import _
from ..index import REFUSALS, CaseIndex
from ..outcomes import FAIL, NA, OK, VIOLATED, WAIT, Verdict, worst
from . import require, template

DEDICATED: dict[str, tuple[Callable[[CaseIndex, dict], Verdict], str]] = {}


def dedicated(name: str, doc: str):
    def register(fn):
        DEDICATED[name] = (fn, doc)
        return fn

    return register


#: What a dedicated check may be given through ``with:`` besides its rule's parameters, and how
#: each value is checked when the rubric loads.
INPUTS = {"independent_roles": roles_list}


@template("dedicated", {"name", "with"}, N_("a named check written in Python for a rule no template fits"))
def compile_dedicated(config, params, path):
    name = require(config, "name", path)
    if name not in DEDICATED:
        raise RubricError(_("unknown dedicated check `{name}` (known: {known})").format(
            name=name, known=", ".join(sorted(DEDICATED))), f"{path}.name")
    fn = DEDICATED[name][0]
    given = config.get("with") or {}
    if not isinstance(given, dict):
        raise RubricError(_("`with` is a mapping of input names to values or `$parameter` references"), f"{path}.with")
    inputs = dict(params)
    for key, raw in given.items():
        if key not in INPUTS:
            raise RubricError(_("unknown input `{name}` (known: {known})").format(
                name=key, known=", ".join(sorted(INPUTS))), f"{path}.with")
        inputs[key] = INPUTS[key](resolve(raw, params, f"{path}.with.{key}"), f"{path}.with.{key}")
    def check(ix: CaseIndex) -> Verdict:
        return fn(ix, inputs)

    check.dedicated = (fn, inputs)  # type: ignore[attr-defined]  # the rubric's plan calls ``fn(ix, inputs)`` itself (``checks.plan``)
    return check


@dedicated(
    "first_contact_by_coordinator",
    N_("the first contact with the worker after the process start, skipping those the worker initiated and those "
    "between the worker and only `independent_roles` parties, is initiated by a coordinator"),
)
def first_contact_by_coordinator(ix: CaseIndex, params: dict) -> Verdict:
    ps = ix.process_start
    if ps is None:
        return NA
    independent = params.get("independent_roles", frozenset())
    # The contacts after the start, less the union's own support, are looked at in order until the
    # first one the worker did not initiate (the rest need not be sorted out).
    seen = False
    for i in ix.worker_contacts:
        if i <= ps or ix.worker_with_only(i, independent):
            continue
        seen = True
        by = ix.events[i].by
        if by == ix.worker:
            continue
        return OK if by in ix.coordinators else Verdict(VIOLATED, [i])
    return OK if seen else NA


@dedicated(
    "supervisor_told_of_participation",
    N_("after the first agreement, a coordinator tells the current supervisor of it before the supervisor contacts the "
    "worker and before the planning meeting"),
)
def supervisor_told_of_participation(ix: CaseIndex, params: dict) -> Verdict:
    if not ix.agreements:
        return NA
    agreed = ix.agreements[0]
    events = ix.events
    sups = ix.supervisors
    deadline = None  # the first supervisor call to the worker after the agreement, or the planning meeting
    if sups:
        for i in ix.worker_contacts:
            if i > agreed and events[i].by in sups:
                deadline = i
                break
    pm = ix.planning_meeting
    if pm is not None and (deadline is None or pm < deadline):
        deadline = pm
    # The telling is a contact a coordinator and the current supervisor are part of: a named set
    # RTW701 reads too, computed once per case.
    for i in event_set(ix, "coordinator_supervisor_contact"):
        if i <= agreed:
            continue
        if deadline is not None and i >= deadline:
            break
        if "participation" in (events[i].fields.get("topics") or ()):
            return OK
    if deadline is not None:
        return Verdict(VIOLATED, [deadline])
    return Verdict(VIOLATED, [agreed]) if ix.closed else WAIT


@dedicated(
    "regular_follow_up",
    N_("no gap between coordinator–worker contacts during a follow-up period exceeds every × (1 + tolerance) days"),
)
def regular_follow_up(ix: CaseIndex, params: dict) -> Verdict:
    agreements = ix.agreements
    if not agreements:
        return NA
    default_every = params.get("default_every_days", 21)
    tolerance = params.get("tolerance", 0.5)
    events = ix.events
    rt = ix.return_index
    end_at = rt if rt is not None else ix.closed_index
    # Nothing runs before the first agreement, nor from the end on: the worker's participations
    # from the first agreement and the coordinator's contacts with the worker after it, in log order
    # (the two never share a position, and neither is ever the end itself).
    first = agreements[0]
    steps = [i for i in ix.participations if i >= first]
    contacts = [i for i in ix.coordinator_worker_contacts if i > first]
    if contacts:
        steps = sorted(steps + contacts)
    if end_at is not None:
        steps = steps[:bisect_left(steps, end_at)]

    too_long: list[int] = []
    start: int | None = None  # position where the current gap starts (None: no period running)
    start_day = ix.case.as_of  # the day the running gap started (read only while ``start`` is set)
    limit = 0.0
    for i in steps:
        event = events[i]
        day = event.day
        if event.type == "participation":
            decision = event.fields.get("decision")
            if decision == "agreed":
                if start is not None and (day - start_day).days > limit:
                    too_long.append(start)
                    too_long.append(i)
                every = event.fields.get("follow_up_every_days") or default_every
                limit = every * (1 + tolerance)
                start, start_day = i, day
            elif decision in REFUSALS and start is not None:
                if (day - start_day).days > limit:
                    too_long.append(start)
                    too_long.append(i)
                start = None
        elif start is not None:
            if (day - start_day).days > limit:
                too_long.append(start)
                too_long.append(i)
            start, start_day = i, day
    open_gap = False
    if start is not None:
        if end_at is not None:
            if (events[end_at].day - start_day).days > limit:
                too_long.append(start)
                too_long.append(end_at)
        elif (ix.case.as_of - start_day).days > limit:
            too_long.append(start)
        else:
            open_gap = True
    if too_long:
        return Verdict(VIOLATED, sorted(set(too_long)))
    return WAIT if open_gap else OK


@dedicated(
    "conflict_leads_to_mediation",
    N_("a major worker–supervisor conflict is followed by a mediation with both, before the planning meeting (or the return)"),
)
def conflict_leads_to_mediation(ix: CaseIndex, params: dict) -> Verdict:
    sups = set(ix.supervisors)
    w = ix.worker
    conflicts = []
    for i in ix.by_type.get("conflict_identified", ()):
        f = ix.events[i].fields
        between = set(f.get("between") or ())
        if f.get("major") is True and w in between and not sups.isdisjoint(between):
            conflicts.append(i)
    if not conflicts:
        return NA
    pm, rt = ix.planning_meeting, ix.return_index
    verdicts = []
    for c in conflicts:
        involved = set(ix.events[c].fields.get("between") or ()) & sups
        if pm is not None and c < pm:
            deadline = pm
        elif rt is not None and c < rt:
            deadline = rt
        else:
            deadline = None
        ok = False
        for m in ix.by_type.get("mediation_started", ()):
            if m <= c or (deadline is not None and m >= deadline):
                continue
            with_ = ix.events[m].fields.get("with")
            if with_ is None or (w in with_ and involved <= set(with_)):
                ok = True
                break
        if ok:
            verdicts.append(OK)
        elif deadline is not None or ix.closed:
            verdicts.append(Verdict(VIOLATED, [c]))
        else:
            verdicts.append(WAIT)
    outcome = worst(v.outcome for v in verdicts)
    return Verdict(outcome, sorted(e for v in verdicts if v.outcome == VIOLATED for e in v.events))


@dedicated(
    "new_supervisor_at_planning",
    N_("after the last reassignment before the planning meeting, the new supervisor attends that meeting"),
)
def new_supervisor_at_planning(ix: CaseIndex, params: dict) -> Verdict:
    pm = ix.planning_meeting
    reassigned = [i for i in ix.by_type.get("reassigned", ()) if pm is None or i < pm]
    if not reassigned:
        return NA
    last = reassigned[-1]
    if pm is None:
        return Verdict(VIOLATED, [last]) if ix.closed else WAIT
    new = ix.events[last].fields.get("new_supervisor")
    return OK if new in ix.parts(pm) else Verdict(VIOLATED, [pm])


@dedicated(
    "withdrawal_respected",
    N_("after the worker declines or withdraws, the coordinator initiates no contact unless the worker reached out or agreed again"),
)
def withdrawal_respected(ix: CaseIndex, params: dict) -> Verdict:
    if not ix.refusals:
        return NA
    participations = set(ix.participations)
    contacts = set(ix.worker_contacts)
    w = ix.worker
    refused = False
    failing = []
    for i, event in enumerate(ix.events):
        if i in participations:
            decision = event.fields.get("decision")
            if decision in REFUSALS:
                refused = True
            elif decision == "agreed":
                refused = False
        elif refused and i in contacts:
            if event.by == w and ix.has_coordinator(ix.parts(i)):
                refused = False
            elif event.by in ix.coordinators:
                failing.append(i)
    return Verdict(VIOLATED, failing) if failing else OK


@dedicated("assessments_recorded", N_("a returned or closed case has an initial assessment, and a closed case a final one"))
def assessments_recorded(ix: CaseIndex, params: dict) -> Verdict:
    if ix.return_index is None and ix.closed_index is None:
        return NA
    kinds = {ix.events[i].fields.get("kind") for i in ix.by_type.get("assessment", ())}
    if "initial" not in kinds:
        return FAIL
    if "final" in kinds:
        return OK
    return FAIL if ix.closed else WAIT
