"""The small condition language that rubric rules are written in.

A rubric names *which events* a rule looks at (a selector) and *what must hold* of them (a
condition), so that a committee can change or add a rule without writing Python. Both are
compiled once, when the rubric is loaded, into plain closures: the audit loop then pays one
function call per test, not a dictionary walk. Those closures are the reference implementation:
``checks.flat`` writes the same selectors and conditions out inline as generated code, which is
what the audit runs, and is held to the closures' verdicts by the tests.

Everything here is documented for rubric authors in ``docs/rubrics.md``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .i18n import N_
from .i18n_domains import _
from .index import CaseIndex


class RubricError(ValueError):
    """A mistake in a rubric's check definition; ``path`` says where (e.g. ``check.subject.where``)."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.path = path


EventTest = Callable[[CaseIndex, int], bool]
CaseTest = Callable[[CaseIndex], bool]
Params = dict[str, Any]

# ---------------------------------------------------------------------------- named event sets


def _supervisor_initiated_worker_contacts(ix: CaseIndex) -> list[int]:
    sups = ix.supervisors
    if not sups:
        return []
    events = ix.events
    return [i for i in ix.worker_contacts if events[i].by in sups]


def _coordinator_initiated_worker_contacts(ix: CaseIndex) -> list[int]:
    events, coordinators = ix.events, ix.coordinators
    return [i for i in ix.worker_contacts if events[i].by in coordinators]


def _worker_contacts_without_coordinator(ix: CaseIndex) -> list[int]:
    return ix.worker_contacts_without_coordinator


def _coordinator_supervisor_contacts(ix: CaseIndex) -> list[int]:
    """Contacts a coordinator and the supervisor current at that contact are both part of."""
    reassigned = ix.by_type.get("reassigned")
    if not reassigned and not ix.supervisors:
        return []
    events = ix.events
    out = []
    fixed = None if reassigned else ix.supervisors[0]  # without a reassignment, the first supervisor throughout
    for i in ix.coordinator_contacts:
        current = fixed if fixed is not None else ix.current_supervisor(i)
        if current is None:
            continue
        event = events[i]
        if event.by == current or current in (event.fields.get("with") or ()):
            out.append(i)
    return out


def _coordinator_supervisor_contacts_without_worker(ix: CaseIndex) -> list[int]:
    """Contacts between a coordinator and any supervisor that the worker is not part of."""
    sups = ix.supervisors
    if not sups:
        return []
    events = ix.events
    out = []
    for i in ix.coordinator_contacts_without_worker:
        event = events[i]
        if event.by in sups:
            out.append(i)
        else:
            for p in event.fields.get("with") or ():
                if p in sups:
                    out.append(i)
                    break
    return out


def _coordinator_disclosures_to_supervisor(ix: CaseIndex) -> list[int]:
    sups = set(ix.supervisors)
    return [
        i
        for i in ix.of_type("disclosure")
        if ix.events[i].by in ix.coordinators and not sups.isdisjoint(ix.events[i].fields.get("to") or ())
    ]


def _forwarded_to_coordinator(ix: CaseIndex) -> list[int]:
    return [i for i in ix.of_type("file_forwarded") if ix.events[i].fields.get("to") in ix.coordinators]


def _letters_to_worker(ix: CaseIndex) -> list[int]:
    return [i for i in ix.of_type("letter_sent") if ix.events[i].fields.get("to") == ix.worker]


def _single(value: int | None) -> list[int]:
    return [] if value is None else [value]


EVENT_SETS: dict[str, tuple[Callable[[CaseIndex], list[int]], str]] = {
    "contact_with_worker": (lambda ix: ix.worker_contacts, N_("contacts the worker is part of (`by` or `with`)")),
    "coordinator_worker_contact": (
        lambda ix: ix.coordinator_worker_contacts,
        N_("contacts both a coordinator and the worker are part of, whoever initiated them"),
    ),
    "worker_contact_without_coordinator": (
        _worker_contacts_without_coordinator,
        N_("contacts with the worker that no coordinator is part of"),
    ),
    "supervisor_initiated_worker_contact": (
        _supervisor_initiated_worker_contacts,
        N_("contacts with the worker whose `by` is a supervisor"),
    ),
    "coordinator_initiated_worker_contact": (
        _coordinator_initiated_worker_contacts,
        N_("contacts with the worker whose `by` is a coordinator"),
    ),
    "coordinator_supervisor_contact": (
        _coordinator_supervisor_contacts,
        N_("contacts a coordinator and the supervisor current at that contact are part of"),
    ),
    "coordinator_supervisor_contact_without_worker": (
        _coordinator_supervisor_contacts_without_worker,
        N_("contacts between a coordinator and a supervisor that the worker is not part of"),
    ),
    "coordinator_disclosure_to_supervisor": (
        _coordinator_disclosures_to_supervisor,
        N_("disclosures by a coordinator whose recipients include a supervisor"),
    ),
    "forwarded_to_coordinator": (_forwarded_to_coordinator, N_("`file_forwarded` events whose `to` is a coordinator")),
    "letter_to_worker": (_letters_to_worker, N_("`letter_sent` events whose `to` is the worker")),
    "planning_meeting": (
        lambda ix: _single(ix.planning_meeting),
        N_("the planning meeting: the first planning contact with the worker, else the first `plan_adopted`"),
    ),
    "return": (lambda ix: _single(ix.return_index), N_("the first `return_to_work`")),
    "agreement": (lambda ix: ix.agreements, N_("the worker's `participation` events with `decision: agreed`")),
    "refusal": (lambda ix: ix.refusals, N_("the worker's `participation` events with `decision: declined` or `withdrew`")),
}

# The event types each named set is drawn from: a selector whose types are absent from a case selects
# nothing, which lets most rules settle `not_applicable` without looking at a single event.
SET_TYPES: dict[str, frozenset[str]] = {
    name: frozenset({"contact"})
    for name in EVENT_SETS
    if "contact" in name
}
SET_TYPES.update(
    coordinator_disclosure_to_supervisor=frozenset({"disclosure"}),
    forwarded_to_coordinator=frozenset({"file_forwarded"}),
    letter_to_worker=frozenset({"letter_sent"}),
    planning_meeting=frozenset({"contact", "plan_adopted"}),
    **{"return": frozenset({"return_to_work"})},
    agreement=frozenset({"participation"}),
    refusal=frozenset({"participation"}),
)

# Periods a selector can be restricted to: (lower bound, upper bound), exclusive, None = open.
DURING: dict[str, tuple[str, Callable[[CaseIndex], tuple[int | None, int | None] | None]]] = {
    "leave": (
        N_("from the first event to the first return (an event at the same `at` as the return is not during the leave)"),
        lambda ix: (None, ix.leave_end),
    ),
    "process": (
        N_("after the process start and before the first return"),
        lambda ix: None if ix.process_start is None else (ix.process_start, ix.return_index),
    ),
    "after_process_start": (
        N_("after the process start"),
        lambda ix: None if ix.process_start is None else (ix.process_start, None),
    ),
    "before_planning": (
        N_("before the planning meeting (the whole log when there is none)"),
        lambda ix: (None, ix.planning_meeting),
    ),
    "after_return": (N_("after the first return"), lambda ix: None if ix.return_index is None else (ix.return_index, None)),
}

EVENT_TYPES = frozenset(
    """absence_started file_opened file_forwarded file_secured insurer_terms_checked letter_sent contact
    participation consent consent_withdrawn disclosure referral return_date_set tentative_plan plan_adopted
    conflict_identified mediation_started reassigned return_to_work team_informed welcome_back plan_adjusted
    medicolegal_evaluation administrative_action assessment oap_submission case_closed""".split()
)

ROLES = frozenset(
    """worker coordinator supervisor union_rep hr physician insurer co_worker clinician mediator committee
    occupational_health senior_management other""".split()
)

# ---------------------------------------------------------------------------- parameter references


def resolve(value: Any, params: Params, path: str) -> Any:
    """Replace ``$name`` by the rule's parameter ``name`` (recursively in lists); ``$CODE.name`` is
    another rule's parameter, for two rules that must judge with one setting (RTW201 follows
    RTW102's ``independent_roles``)."""
    if isinstance(value, str) and value.startswith("$"):
        name = value[1:]
        if name not in params:
            if "." in name:
                raise RubricError(_("refers to `{name}`, but the rubric has no such rule parameter").format(name=name), path)
            raise RubricError(_("refers to parameter `{name}`, which the rule does not define").format(name=name), path)
        return params[name]
    if isinstance(value, list):
        return [resolve(v, params, path) for v in value]
    return value


# ---------------------------------------------------------------------------- event conditions

NAMED_EVENT_CHECKS: dict[str, tuple[EventTest, str]] = {}


def named_event_check(name: str, doc: str):
    def register(fn: EventTest) -> EventTest:
        NAMED_EVENT_CHECKS[name] = (fn, doc)
        return fn

    return register


@named_event_check("concerns_addressed", N_("every item of `concerns` has an action (`actions[].concern`) or is in `pending_validation`"))
def _concerns_addressed(ix: CaseIndex, i: int) -> bool:
    fields = ix.events[i].fields
    concerns = fields.get("concerns")
    if not concerns:
        return True
    pending = fields.get("pending_validation") or ()
    actions = fields.get("actions") or ()
    for concern in concerns:  # loops, not sets: a plan lists a handful of each
        if concern in pending:
            continue
        for action in actions:
            if isinstance(action, dict) and action.get("concern") == concern:
                break
        else:
            return False
    return True


def _as_list(value: Any) -> tuple:
    if value is None:
        return ()
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(value)
    return (value,)


def _party_matches(ix: CaseIndex, i: int, party: str | None, role: str) -> bool:
    if party is None:
        return False
    if role == "current_supervisor":
        return party == ix.current_supervisor(i)
    return ix.roles.get(party) == role


def _compile_operator(field: str, op: str, arg: Any, path: str) -> EventTest:
    def values(ix: CaseIndex, i: int) -> tuple:
        if field == "by":
            return _as_list(ix.events[i].by)
        return _as_list(ix.events[i].fields.get(field))

    if op == "all_of" and not isinstance(arg, (list, tuple)) and field != "by":
        # The common case, `{field: value}`: equality, or membership for a list field.
        def equals(ix: CaseIndex, i: int) -> bool:
            v = ix.events[i].fields.get(field)
            if isinstance(v, (list, tuple)):
                return arg in v
            return v == arg and type(v) is type(arg)

        return equals
    if op == "one_of" or op == "any_of":
        allowed = frozenset(_as_list(arg))
        if field == "by":
            return lambda ix, i: ix.events[i].by in allowed

        def one_of(ix: CaseIndex, i: int) -> bool:
            # ``any(v in allowed for v in values(ix, i))`` without building a tuple for a single value.
            v = ix.events[i].fields.get(field)
            if v is None:
                return False
            if isinstance(v, (list, tuple, set, frozenset)):
                return any(x in allowed for x in v)
            return v in allowed

        return one_of
    if op == "all_of":
        needed = tuple(_as_list(arg))
        return lambda ix, i: all(n in values(ix, i) for n in needed)
    if op == "none_of":
        banned = frozenset(_as_list(arg))
        return lambda ix, i: not any(v in banned for v in values(ix, i))
    if op == "empty":
        want = bool(arg)
        return lambda ix, i: (len(values(ix, i)) == 0) == want
    if op == "present":
        want = bool(arg)
        return lambda ix, i: (len(values(ix, i)) > 0) == want
    if op == "not":
        return lambda ix, i: arg not in values(ix, i)
    if op == "role":
        role = arg
        if role not in ROLES and role != "current_supervisor":
            raise RubricError(_("unknown role `{role}`").format(role=role), path)
        return lambda ix, i: any(_party_matches(ix, i, p, role) for p in values(ix, i))
    raise RubricError(
        _("unknown operator `{op}` (expected one of: {known})").format(
            op=op, known="one_of, any_of, all_of, none_of, empty, present, not, role"), path
    )


def _attendance(roles: list[str], path: str) -> EventTest:
    for role in roles:
        if role not in ROLES and role != "current_supervisor":
            raise RubricError(_("unknown role `{role}` in attendance").format(role=role), path)

    def test(ix: CaseIndex, i: int) -> bool:
        members = ix.parts(i)
        for role in roles:
            if not any(_party_matches(ix, i, p, role) for p in members):
                return False
        return True

    return test


def roles_list(value: Any, path: str) -> frozenset[str]:
    """A list of role names, each checked against the roles the case-log format knows."""
    if not isinstance(value, (list, tuple)):
        raise RubricError(_("takes a list of roles (e.g. `[union_rep]`, or `[]` for none)"), path)
    for role in value:
        if role not in ROLES:
            import difflib

            guess = difflib.get_close_matches(str(role), sorted(ROLES), n=1)
            hint = _("; did you mean `{name}`?").format(name=guess[0]) if guess else ""
            raise RubricError(_("unknown role `{role}`").format(role=role) + hint, path)
    return frozenset(value)


def _worker_with_only(value: Any, path: str) -> EventTest:
    roles = roles_list(value, path)
    return lambda ix, i: ix.worker_with_only(i, roles)


def _after(set_name: str, path: str) -> EventTest:
    if set_name not in EVENT_SETS and set_name not in EVENT_TYPES:
        raise RubricError(_("`after` names an unknown event set `{name}`").format(name=set_name), path)

    def test(ix: CaseIndex, i: int) -> bool:
        found = event_set(ix, set_name)
        return bool(found) and i > found[0]

    return test


def _all_events(parts: list[EventTest]) -> EventTest:
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:  # the common case, without a generator per event
        a, b = parts
        return lambda ix, i: a(ix, i) and b(ix, i)
    return lambda ix, i: all(t(ix, i) for t in parts)


def _any_event(parts: list[EventTest]) -> EventTest:
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        a, b = parts
        return lambda ix, i: a(ix, i) or b(ix, i)
    return lambda ix, i: any(t(ix, i) for t in parts)


def _not_event(inner: EventTest) -> EventTest:
    return lambda ix, i: not inner(ix, i)


def compile_condition(spec: Any, params: Params, path: str) -> EventTest:
    """Compile an event condition (a mapping; all its keys must hold) into a closure."""
    if not isinstance(spec, dict) or not spec:
        raise RubricError(_("a condition must be a non-empty mapping"), path)
    tests: list[EventTest] = []
    for key, raw in spec.items():
        sub = f"{path}.{key}"
        arg = resolve(raw, params, sub)
        if key == "all":
            tests.append(_all_events([compile_condition(c, params, f"{sub}[{n}]") for n, c in enumerate(_as_list(arg))]))
        elif key == "any":
            tests.append(_any_event([compile_condition(c, params, f"{sub}[{n}]") for n, c in enumerate(_as_list(arg))]))
        elif key == "not":
            tests.append(_not_event(compile_condition(arg, params, sub)))
        elif key == "attendance":
            if not isinstance(arg, dict) or set(arg) != {"includes"}:
                raise RubricError(_("`attendance` takes `{includes: [roles]}`"), sub)
            tests.append(_attendance(list(_as_list(arg["includes"])), sub))
        elif key == "after":
            tests.append(_after(arg, sub))
        elif key == "worker_with_only":
            tests.append(_worker_with_only(arg, sub))
        elif key == "check":
            if arg not in NAMED_EVENT_CHECKS:
                raise RubricError(_("unknown named check `{name}` (known: {known})").format(
                    name=arg, known=", ".join(sorted(NAMED_EVENT_CHECKS))), sub)
            tests.append(NAMED_EVENT_CHECKS[arg][0])
        elif isinstance(arg, dict):
            for op, op_arg in arg.items():
                tests.append(_compile_operator(key, op, resolve(op_arg, params, f"{sub}.{op}"), f"{sub}.{op}"))
        else:
            tests.append(_compile_operator(key, "one_of" if isinstance(arg, list) else "all_of", arg, sub))
    return _all_events(tests)


# ---------------------------------------------------------------------------- selectors


def event_set(ix: CaseIndex, name: str) -> list[int]:
    entry = EVENT_SETS.get(name)
    if entry is not None:
        cache = ix._set_cache
        got = cache.get(name)
        if got is None:
            got = cache[name] = entry[0](ix)
        return got
    return ix.of_type(name)


Selector = Callable[[CaseIndex], list[int]]


_SELECTOR_IDS: dict[str, int] = {}


def compile_selector(spec: Any, params: Params, path: str) -> Selector:
    """``{events: NAME, where: CONDITION, during: PERIOD, which: first|last|each}`` -> positions.

    Rules often select the same events (the return, the planning meeting, the coordinator's contacts
    with the worker); identical selectors share one cached result per case. The returned lists are
    shared: callers never mutate them.
    """
    select = _compile_selector(spec, params, path)
    if not isinstance(spec, list):
        return select  # it caches its result itself
    sid = _selector_id(spec, params)

    def cached(ix: CaseIndex) -> list[int]:
        cache = ix._sel_cache
        got = cache.get(sid)
        if got is None:
            got = cache[sid] = select(ix)
        return got

    return cached


def _selector_id(spec: Any, params: Params) -> int:
    """One number per distinct selector (its spec, and the parameters it refers to): its cache key."""
    key = json.dumps([spec, params if "$" in json.dumps(spec, default=str) else None], sort_keys=True, default=str)
    return _SELECTOR_IDS.setdefault(key, len(_SELECTOR_IDS))


def _compile_selector(spec: Any, params: Params, path: str) -> Selector:
    if isinstance(spec, str):
        spec = {"events": spec}
    if isinstance(spec, list):
        parts = [_compile_selector(s, params, f"{path}[{n}]") for n, s in enumerate(spec)]
        return lambda ix: sorted({i for p in parts for i in p(ix)})
    sid = _selector_id(spec, params)
    if not isinstance(spec, dict):
        raise RubricError(_("a selector is an event set name or a mapping with `events`"), path)
    unknown = set(spec) - {"events", "where", "during", "which"}
    if unknown:
        raise RubricError(_("unknown selector key(s): {keys}").format(keys=", ".join(sorted(unknown))), path)
    name = spec.get("events")
    if name not in EVENT_SETS and name not in EVENT_TYPES:
        import difflib

        guess = difflib.get_close_matches(str(name), [*EVENT_SETS, *EVENT_TYPES], n=1)
        hint = _(" Did you mean `{name}`?").format(name=guess[0]) if guess else ""
        raise RubricError(_("unknown event set or type `{name}`.").format(name=name) + hint, f"{path}.events")
    where = compile_condition(spec["where"], params, f"{path}.where") if "where" in spec else None
    during = spec.get("during")
    if during is not None and during not in DURING:
        raise RubricError(_("unknown period `{name}` (known: {known})").format(name=during, known=", ".join(DURING)),
                          f"{path}.during")
    bounds = DURING[during][1] if during else None
    which = spec.get("which", "each")
    if which not in ("each", "first", "last"):
        raise RubricError(_("`which` is one of: {known}").format(known="each, first, last"), f"{path}.which")

    types = SET_TYPES.get(name) or frozenset({name})
    plain = name not in EVENT_SETS  # an event type: its positions are ``ix.by_type[name]``

    # The hot path of every rule: one call per selector and case, the cache looked up inline.
    def select(ix: CaseIndex) -> list[int]:
        cache = ix._sel_cache
        found = cache.get(sid)
        if found is not None:
            return found
        if plain:
            found = ix.by_type.get(name)
        elif not ix.by_type.keys().isdisjoint(types):
            found = event_set(ix, name)
        if not found:
            found = []
        else:
            if bounds is not None:
                b = bounds(ix)
                if b is None:
                    found = []
                else:
                    lo, hi = b
                    found = [i for i in found if (lo is None or i > lo) and (hi is None or i < hi)]
            if where is not None:
                found = [i for i in found if where(ix, i)]
            if which == "first":
                found = found[:1]
            elif which == "last":
                found = found[-1:]
        cache[sid] = found
        return found

    return select


# ---------------------------------------------------------------------------- case-level conditions

NAMED_CASE_CHECKS: dict[str, tuple[CaseTest, str]] = {}


def named_case_check(name: str, doc: str):
    def register(fn: CaseTest) -> CaseTest:
        NAMED_CASE_CHECKS[name] = (fn, doc)
        return fn

    return register


@named_case_check("agreement_in_force_at_return", N_("the worker returned, and their latest decision before the return was `agreed`"))
def _agreement_in_force(ix: CaseIndex) -> bool:
    rt = ix.return_index
    if rt is None:
        return False
    in_force = False
    for i in ix.participations:
        if i > rt:
            break
        decision = ix.events[i].fields.get("decision")
        if decision == "agreed":
            in_force = True
        elif decision in ("declined", "withdrew"):
            in_force = False
    return in_force


def _has_party(role: str) -> CaseTest:
    return lambda ix: role in ix.roles.values()


def _context_is(want: dict[str, Any]) -> CaseTest:
    return lambda ix: all(ix.case.context.get(k) == v for k, v in want.items())


def _exists(select: Selector) -> CaseTest:
    return lambda ix: bool(select(ix))


def _all_of_case(parts: list[CaseTest]) -> CaseTest:
    return lambda ix: all(t(ix) for t in parts)


def _any_of_case(parts: list[CaseTest]) -> CaseTest:
    return lambda ix: any(t(ix) for t in parts)


def _not_case(inner: CaseTest) -> CaseTest:
    return lambda ix: not inner(ix)


def compile_case_condition(spec: Any, params: Params, path: str) -> CaseTest:
    """``{has_party: ROLE}``, ``{context: {key: value}}``, ``{exists: SELECTOR}``, ``{check: NAME}``, all/any/not."""
    if not isinstance(spec, dict) or not spec:
        raise RubricError(_("a case condition must be a non-empty mapping"), path)
    tests: list[CaseTest] = []
    for key, raw in spec.items():
        sub = f"{path}.{key}"
        arg = resolve(raw, params, sub)
        if key == "has_party":
            if arg not in ROLES:
                raise RubricError(_("unknown role `{role}`").format(role=arg), sub)
            tests.append(_has_party(arg))
        elif key == "context":
            if not isinstance(arg, dict):
                raise RubricError(_("`context` takes a mapping of context keys to values"), sub)
            tests.append(_context_is(arg))
        elif key == "exists":
            tests.append(_exists(compile_selector(arg, params, sub)))
        elif key == "check":
            if arg not in NAMED_CASE_CHECKS:
                raise RubricError(_("unknown named case check `{name}` (known: {known})").format(
                    name=arg, known=", ".join(sorted(NAMED_CASE_CHECKS))), sub)
            tests.append(NAMED_CASE_CHECKS[arg][0])
        elif key in ("all", "any"):
            parts = [compile_case_condition(c, params, f"{sub}[{n}]") for n, c in enumerate(_as_list(arg))]
            tests.append(_all_of_case(parts) if key == "all" else _any_of_case(parts))
        elif key == "not":
            tests.append(_not_case(compile_case_condition(arg, params, sub)))
        else:
            raise RubricError(_("unknown case condition `{name}` (known: {known})").format(
                name=key, known="has_party, context, exists, check, all, any, not"), sub)
    if len(tests) == 1:
        return tests[0]
    return lambda ix: all(t(ix) for t in tests)
