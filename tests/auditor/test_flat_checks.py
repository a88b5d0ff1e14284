"""The generated flat checks give exactly the verdicts of the reference closures.

Each rule's ``check:`` runs as one generated function (``auditor.checks.flat``), its closure
compiler kept as the reference (``run.reference``). These tests hold the two to the same verdict
(outcome and events at fault, or the same exception) on every rule of the default rubric over the
rule cases, the spec examples, hypothesis-drawn logs and generated caseloads with faults, and on
rules a custom rubric builds from every template, selector, period and condition kind, over cases
drawn to hit the edges (no worker, no supervisor, reassignments, events on one day).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from auditor import schema
from auditor.case import Case, Event
from auditor.checks import compile_check
from auditor.checks.flat import _literal
from auditor.conditions import DURING, EVENT_SETS, RubricError
from auditor.index import CaseIndex
from auditor.outcomes import fidelity
from auditor.reading import read_case_text
from auditor.rubric import load_rubric
from benchmarks.generate import Config, case_rng, generate_case
from tests.auditor.rule_case_files import build_log, load_cases
from tests.auditor.strategies import case_logs

RUBRIC = load_rubric()
EXAMPLES = Path(__file__).parent / "data" / "spec-examples"


def source_of(fn: object) -> str:
    """The generated text a flat check (or the rubric's plan) keeps on itself."""
    return vars(fn)["source"]


def reference_of(fn: object) -> Any:
    """The closure a flat check was generated from and is held to."""
    return vars(fn)["reference"]


def outcome(check, case: Case) -> tuple:
    """What a check says of a case, on a fresh index: (outcome, events), or the exception's type."""
    try:
        verdict = check(CaseIndex(case))
    except Exception as exc:  # noqa: BLE001 - an exception is an outcome the two must share
        return ("raised", type(exc).__name__)
    return (verdict.outcome, list(verdict.events))


def assert_same_on_rubric(case: Case, rubric=RUBRIC) -> None:
    """Each flat rule says what its reference says, and the rubric's plan (all rules in one
    generated function) gives every rule's result as the reference closures do."""
    expected = []
    for rule in rubric.rules:
        reference = getattr(rule.run, "reference", rule.run)
        said = outcome(reference, case)
        assert outcome(rule.run, case) == said, (rule.code, case.case)
        expected.append((rule.code, rule.severity, *said))
    if any(said[2] == "raised" for said in expected):
        with pytest.raises(Exception):  # noqa: B017 - the same exception as the reference, whatever it is
            rubric.plan(CaseIndex(case))
        return
    results, score = rubric.plan(CaseIndex(case))
    assert [(r.rule, r.severity, r.outcome, list(r.events)) for r in results] == expected, case.case
    assert score == fidelity(results)


def as_case(log: dict, name: str = "log.json") -> Case:
    return read_case_text(json.dumps(log, default=lambda v: v.isoformat()), name, fmt="json")


# ---------------------------------------------------------------------------- coverage


def test_every_template_rule_of_the_default_rubric_is_flat() -> None:
    """Only ``dedicated`` rules run as written; every other rule runs as generated code."""
    for rule in RUBRIC.rules:
        flat = hasattr(rule.run, "reference")
        assert flat == (rule.spec.check["template"] != "dedicated"), rule.code
        if flat:
            assert source_of(rule.run).startswith("def check(ix):"), rule.code


def test_the_flat_switch_gives_the_reference() -> None:
    config = RUBRIC.by_code["RTW301"].spec.check
    assert not hasattr(compile_check(config, {}, flat=False), "reference")
    assert hasattr(compile_check(config, {}), "reference")


# ---------------------------------------------------------------------------- fixed cases


@pytest.mark.parametrize(("rule", "case"), load_cases())
def test_rule_cases(rule: str, case: dict) -> None:
    assert_same_on_rubric(as_case(build_log(case), f"{rule}-{case['name']}.json"))


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_spec_examples(path: Path) -> None:
    assert_same_on_rubric(read_case_text(path.read_text(encoding="utf-8"), path.name, fmt="yaml"))


def test_generated_caseload_with_faults() -> None:
    config = Config(fault_rate=0.8)
    for index in range(300):
        assert_same_on_rubric(as_case(generate_case(case_rng(11, index), index, config)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**20), index=st.integers(0, 10_000), rate=st.sampled_from([0.0, 0.5, 1.0]))
def test_generated_cases(seed: int, index: int, rate: float) -> None:
    assert_same_on_rubric(as_case(generate_case(case_rng(seed, index), index, Config(fault_rate=rate))))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(log=case_logs(max_events=16))
def test_drawn_logs(log: dict) -> None:
    assert_same_on_rubric(as_case(log))


# ---------------------------------------------------------------------------- cases drawn at the edges

ROLE_POOL = ["worker", "coordinator", "supervisor", "union_rep", "hr", "physician", "insurer", "mediator", "other"]
#: Types the rules look at, drawn more often than the rest.
HOT_TYPES = ["contact", "contact", "contact", "participation", "participation", "consent", "consent_withdrawn",
             "file_forwarded", "letter_sent", "return_to_work", "case_closed", "plan_adopted", "reassigned",
             "disclosure", "referral", "absence_started", "assessment", "tentative_plan", "administrative_action"]
BASE = date(2026, 3, 2)


def _field_value(draw, kind: str, ids: list[str]) -> Any:
    pick_id = st.sampled_from(ids) if ids else st.just("ghost")
    if kind in (schema.PARTY, schema.LABEL):
        return draw(pick_id)
    if kind == schema.PARTIES:
        return draw(st.lists(pick_id, min_size=1, max_size=3))
    if kind == schema.BOOL:
        return draw(st.booleans())
    if kind in (schema.INT, schema.POSINT):
        return draw(st.integers(0, 30))
    if kind == schema.DATE:
        return BASE + timedelta(days=draw(st.integers(0, 60)))
    if kind == schema.STRLIST:
        return draw(st.lists(st.sampled_from(["a", "b", "c"]), max_size=3))
    if kind in (schema.PLAN_ACTIONS, schema.DRAFT_ACTIONS):
        action = st.fixed_dictionaries({"action": st.just("do")}, optional={"concern": st.sampled_from(["a", "b"])})
        item = st.one_of(st.sampled_from(["a", "b"]), action) if kind == schema.DRAFT_ACTIONS else action
        return draw(st.lists(item, max_size=3))
    if kind.startswith("enum:"):
        return draw(st.sampled_from(schema.ENUMS[kind[5:]]))
    if kind.startswith("enums:"):
        return draw(st.lists(st.sampled_from(schema.ENUMS[kind[6:]]), min_size=1, max_size=3))
    return "text"


@st.composite
def edge_cases(draw) -> Case:
    """A validated case built directly: any mix of roles (none at all, two workers, no supervisor),
    events crowded on few days, date-only and timed."""
    roles = draw(st.lists(st.sampled_from(ROLE_POOL), max_size=6))
    ids = [f"P{k}" for k in range(len(roles))]
    parties = dict(zip(ids, roles, strict=True))
    events = []
    for position in range(1, draw(st.integers(0, 14)) + 1):
        type_ = draw(st.one_of(st.sampled_from(HOT_TYPES), st.sampled_from(schema.EVENT_TYPES)))
        day = BASE + timedelta(days=draw(st.integers(0, 45)))
        date_only = draw(st.booleans())
        at = datetime(day.year, day.month, day.day, 0 if date_only else draw(st.integers(0, 23)))
        fields = {}
        for name, (kind, required) in schema.EVENT_FIELDS[type_].items():
            if required or draw(st.booleans()):
                fields[name] = _field_value(draw, kind, ids)
        by = draw(st.one_of(st.none(), st.sampled_from(ids))) if ids else None
        events.append(Event(type_, at, date_only, day, position, draw(st.one_of(st.none(), st.just(f"e{position}"))),
                            by, fields))
    events.sort(key=Event.sort_key)
    last = max((e.day for e in events), default=BASE)
    context = draw(st.fixed_dictionaries({}, optional={"union": st.booleans(), "collective_agreement": st.booleans()}))
    return Case("EDGE", parties, context, last + timedelta(days=draw(st.integers(0, 40))), events)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=edge_cases())
def test_default_rubric_on_edge_cases(case: Case) -> None:
    assert_same_on_rubric(case)


# ---------------------------------------------------------------------------- custom rules from every template

SET_NAMES = sorted(EVENT_SETS) + ["contact", "participation", "consent", "referral", "return_to_work", "plan_adopted",
                                  "disclosure", "case_closed", "letter_sent"]
FIELDS = ["coordinator_informed", "purpose", "topics", "channel", "decision", "gradual", "kind", "to", "with", "by",
          "requested_by", "first_speaker", "next_contact", "about", "scope", "call_within_days",
          "follow_up_every_days", "missing"]
VALUES = st.one_of(
    st.sampled_from(["planning", "preparation", "in_person", "agreed", "not_ready", "participation", "health",
                     "confidentiality", "sanction", "P0", "P1", "P2", "neutral", "disclosure"]),
    st.booleans(), st.integers(0, 3), st.none(),
)
ROLE_NAMES = st.sampled_from([*ROLE_POOL, "current_supervisor"])
PARAMS = {"n": 5, "m": 2, "roles": ["union_rep"], "topics": ["health", "participation"]}

leaf_conditions = st.one_of(
    st.builds(lambda f, v: {f: v}, st.sampled_from(FIELDS), VALUES),
    st.builds(lambda f, vs: {f: vs}, st.sampled_from(FIELDS), st.lists(VALUES, min_size=1, max_size=3)),
    st.builds(lambda f, op, arg: {f: {op: arg}}, st.sampled_from(FIELDS),
              st.sampled_from(["one_of", "any_of", "all_of", "none_of"]),
              st.one_of(st.lists(VALUES, max_size=3), VALUES, st.just("$topics"))),
    st.builds(lambda f, op, arg: {f: {op: arg}}, st.sampled_from(FIELDS), st.sampled_from(["empty", "present"]),
              st.booleans()),
    st.builds(lambda f, arg: {f: {"not": arg}}, st.sampled_from(FIELDS), VALUES),
    st.builds(lambda f, r: {f: {"role": r}}, st.sampled_from(FIELDS), ROLE_NAMES),
    st.builds(lambda rs: {"attendance": {"includes": rs}}, st.lists(ROLE_NAMES, max_size=3)),
    st.builds(lambda n: {"after": n}, st.sampled_from(SET_NAMES)),
    st.builds(lambda rs: {"worker_with_only": rs}, st.one_of(st.lists(st.sampled_from(ROLE_POOL), max_size=2),
                                                             st.just("$roles"))),
    st.just({"check": "concerns_addressed"}),
)
conditions = st.recursive(
    leaf_conditions,
    lambda inner: st.one_of(
        st.builds(lambda cs: {"all": cs}, st.lists(inner, max_size=3)),
        st.builds(lambda cs: {"any": cs}, st.lists(inner, max_size=3)),
        st.builds(lambda c: {"not": c}, inner),
        st.builds(lambda a, b: {**a, **b}, inner, inner),
    ),
    max_leaves=4,
)


@st.composite
def single_selectors(draw) -> Any:
    if draw(st.integers(0, 5)) == 0:
        return draw(st.sampled_from(SET_NAMES))
    spec: dict[str, Any] = {"events": draw(st.sampled_from(SET_NAMES))}
    if draw(st.booleans()):
        spec["where"] = draw(conditions)
    if draw(st.booleans()):
        spec["during"] = draw(st.sampled_from(sorted(DURING)))
    if draw(st.booleans()):
        spec["which"] = draw(st.sampled_from(["each", "first", "last"]))
    return spec


selectors = st.one_of(single_selectors(), st.lists(single_selectors(), max_size=3))
case_conditions = st.recursive(
    st.one_of(
        st.builds(lambda r: {"has_party": r}, st.sampled_from(ROLE_POOL)),
        st.builds(lambda c: {"context": c}, st.dictionaries(st.sampled_from(["union", "collective_agreement"]),
                                                           st.booleans(), max_size=2)),
        st.builds(lambda s: {"exists": s}, selectors),
        st.just({"check": "agreement_in_force_at_return"}),
    ),
    lambda inner: st.one_of(
        st.builds(lambda cs: {"all": cs}, st.lists(inner, max_size=2)),
        st.builds(lambda cs: {"any": cs}, st.lists(inner, max_size=2)),
        st.builds(lambda c: {"not": c}, inner),
    ),
    max_leaves=3,
)
day_counts = st.one_of(st.integers(-5, 30), st.just("$n"), st.just("-$m"),
                       st.builds(lambda d: {"field": "call_within_days", "default": d}, st.one_of(st.integers(0, 9),
                                                                                                 st.just("$n"))),
                       st.just({"field": "follow_up_every_days"}))


def _optional(draw, config: dict, key: str, strategy) -> None:
    if draw(st.booleans()):
        config[key] = draw(strategy)


@st.composite
def check_configs(draw) -> dict:
    template = draw(st.sampled_from(["every", "precedence", "response", "consent"]))
    config: dict[str, Any] = {"template": template}
    if template == "every":
        config["subject"] = draw(selectors)
        config["require" if draw(st.booleans()) else "forbid"] = draw(conditions)
        _optional(draw, config, "applies_when", case_conditions)
        _optional(draw, config, "when_no_subject", st.sampled_from(["not_applicable", "satisfied"]))
    elif template == "precedence":
        config["subject"] = draw(selectors)
        config["required"] = draw(selectors)
        _optional(draw, config, "applies_when", case_conditions)
        _optional(draw, config, "when_no_subject", st.sampled_from(["not_applicable", "pending"]))
    elif template == "response":
        config["trigger"] = draw(selectors)
        config["targets"] = draw(st.one_of(single_selectors(), st.lists(selectors, min_size=1, max_size=2)))
        if draw(st.booleans()):
            window: dict[str, Any] = {}
            _optional(draw, window, "anchor", st.sampled_from(["trigger", "next_contact"]))
            _optional(draw, window, "min_days", day_counts)
            _optional(draw, window, "max_days", day_counts)
            config["window"] = window
        _optional(draw, config, "earlier_counts", st.booleans())
        _optional(draw, config, "judge", st.sampled_from(["any", "first"]))
        _optional(draw, config, "open_until", st.sampled_from(["as_of", "return"]))
    else:
        config["subject"] = draw(selectors)
        requirement = st.fixed_dictionaries(
            {"scope": st.sampled_from(schema.ENUMS["scope"])},
            optional={
                "from": st.one_of(st.sampled_from(ROLE_POOL), st.just({"field": "subjects", "default": "worker"}),
                                  st.just({"field": "with"})),
                "recipients": st.sampled_from(["by", "to", "with", "missing"]),
                "topics": st.sampled_from(["topics", "about"]),
                "unless": conditions,
            },
        )
        config["requires"] = draw(st.lists(requirement, min_size=1, max_size=2))
        _optional(draw, config, "unless", conditions)
    return config


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(config=check_configs(), cases=st.lists(edge_cases(), min_size=1, max_size=4))
def test_custom_rules(config: dict, cases: list[Case]) -> None:
    try:
        fast = compile_check(config, PARAMS)
    except RubricError:
        assume(False)  # the reference refused it: a rubric mistake, reported as before
        return
    assert hasattr(fast, "reference"), config  # the generator covers every template but `dedicated`
    for case in cases:
        assert outcome(fast, case) == outcome(reference_of(fast), case), (config, source_of(fast))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(config=check_configs(), log=case_logs(max_events=12))
def test_custom_rules_on_drawn_logs(config: dict, log: dict) -> None:
    try:
        fast = compile_check(config, PARAMS)
    except RubricError:
        assume(False)
        return
    case = as_case(log)
    assert outcome(fast, case) == outcome(reference_of(fast), case), (config, source_of(fast))


def test_custom_rubric_file_runs_flat(tmp_path: Path) -> None:
    """A workplace rule added in a rubric file runs generated, with the rubric's parameters."""
    path = tmp_path / "workplace.yaml"
    path.write_text(json.dumps({
        "format": "rtw-rubric/1", "name": "workplace", "extends": "default",
        "rules": [{"code": "RTW101", "params": {"max_days": 3}}, {
            "code": "WRK001", "name": "union-at-preparation", "step": "4", "severity": "info", "source": "workplace",
            "summary": "A union representative attends the preparation.", "explanation": "Our agreement asks for it.",
            "check": {"template": "every", "applies_when": {"context": {"union": True}},
                      "subject": {"events": "coordinator_worker_contact", "where": {"purpose": "preparation"}},
                      "require": {"attendance": {"includes": ["union_rep"]}}},
        }],
    }), encoding="utf-8")
    rubric = load_rubric(path)
    assert hasattr(rubric.by_code["WRK001"].run, "reference")
    assert "3" in source_of(rubric.by_code["RTW101"].run)
    assert "# WRK001" in source_of(rubric.plan)
    for index in range(100):
        assert_same_on_rubric(as_case(generate_case(case_rng(5, index), index, Config(fault_rate=0.5))), rubric)


# ---------------------------------------------------------------------------- the generated text


HOSTILE = ["a'b", 'a"b', "x\n__import__('os')", "'''", '\\', "\u2028", "{0}", "#", ") or True or ("]


@pytest.mark.parametrize("text", HOSTILE)
def test_rubric_strings_enter_the_code_only_as_literals(text: str) -> None:
    """Field names and values a rubric gives are written with ``repr``: quotes, newlines or code in
    them stay data, and the flat check judges them as the reference does."""
    config = {"template": "every", "subject": {"events": "contact", "where": {text: text}},
              "require": {text: {"one_of": [text, "phone"]}, "channel": text}}
    fast = compile_check(config, {})
    assert hasattr(fast, "reference")
    event = Event("contact", datetime(2026, 3, 2), True, date(2026, 3, 2), 1, None, "P0", {text: text, "channel": text})
    other = Event("contact", datetime(2026, 3, 3), True, date(2026, 3, 3), 2, None, "P0", {text: "no"})
    case = Case("H", {"P0": "worker"}, {}, date(2026, 4, 1), [event, other])
    assert outcome(fast, case) == outcome(reference_of(fast), case) == ("satisfied", [])


@pytest.mark.parametrize("value", ["x", "", "é\n'\"", 0, -3, 10**30, True, False, None])
def test_literals_read_back(value: Any) -> None:
    text = _literal(value)
    assert eval(text, {"__builtins__": {}}) == value and type(eval(text, {"__builtins__": {}})) is type(value)  # noqa: S307


@pytest.mark.parametrize("value", [1.5, [1], {"a": 1}, ("a",), frozenset()])
def test_other_values_are_never_written_out(value: Any) -> None:
    from auditor.checks.flat import Unsupported

    with pytest.raises(Unsupported):
        _literal(value)


@pytest.mark.parametrize(("written", "logged"), [(True, 1), (1, True), (False, 0), (0, False), (1.0, 1), ("1", 1),
                                                 (None, None), ("a", ["a", "b"]), (True, [1])])
def test_equality_keeps_the_type(written: Any, logged: Any) -> None:
    """``{field: value}`` holds when the logged value equals it with the same type (``true`` is not
    ``1``), or, for a list, contains it: the flat check judges each pair as the reference does."""
    config = {"template": "every", "subject": {"events": "letter_sent"}, "require": {"call_within_days": written}}
    fast = compile_check(config, {})
    fields = {} if logged is None else {"call_within_days": logged}
    case = Case("H", {"P0": "worker"}, {}, date(2026, 4, 1),
                [Event("letter_sent", datetime(2026, 3, 2), True, date(2026, 3, 2), 1, None, "P0", fields)])
    expected = ("satisfied", []) if (
        written in logged if isinstance(logged, list) else (logged == written and type(logged) is type(written))
    ) else ("violated", [0])
    assert outcome(fast, case) == outcome(reference_of(fast), case) == expected


# ---------------------------------------------------------------------------- every operator on every shape of value

SHAPES = [None, "a", "b", "P0", "P1", "P2", 1, 0, True, False, [], ["a"], ["b", "a"], ["P0", "P1"], ["P3", "P2", "P1"],
          ("a", "P1"), ["a", 1], [True], {"a"}]
UNHASHABLE = [[{"concern": "a"}], ["a", {"concern": "a"}], ["P2", {"k": 1}], [["a"]]]
ARGS = [["a"], ["a", "b"], [], "a", ["P1"], "P1", [True], True, 1, [0], None]
OPS = ["one_of", "any_of", "all_of", "none_of", "not"]
ROLE_ARGS = [*ROLE_POOL, "current_supervisor"]
GRID_PARTIES = {"P0": "worker", "P1": "coordinator", "P2": "supervisor", "P3": "union_rep", "P4": "supervisor"}


def _grid_case(values: list, field: str = "x") -> Case:
    events = []
    for n, value in enumerate([*values, "absent"]):
        day = date(2026, 3, 2) + timedelta(days=n)
        fields = {} if value == "absent" else {field: value}
        events.append(Event("contact", datetime(day.year, day.month, day.day), True, day, n + 1, None, None, fields))
    reassigned_day = date(2026, 3, 1)
    events.insert(0, Event("reassigned", datetime(2026, 3, 1), True, reassigned_day, 0, None, None,
                           {"new_supervisor": "P4"}))
    return Case("GRID", GRID_PARTIES, {}, date(2026, 5, 1), events)


def _grid_by_case() -> Case:
    events = []
    for n, by in enumerate([None, "P0", "P1", "P2", "P3", "P4", "P9"]):
        day = date(2026, 3, 2) + timedelta(days=n)
        events.append(Event("contact", datetime(day.year, day.month, day.day), True, day, n + 1, None, by, {}))
    return Case("GRID", GRID_PARTIES, {}, date(2026, 5, 1), events)


@pytest.mark.parametrize("op", [*OPS, "empty", "present", "role", "equals"])
def test_every_operator_on_every_shape(op: str) -> None:
    """Each operator against absent values, scalars, empty and non-empty lists (the match first,
    last or absent), tuples, sets, lists with unhashable items, and the ``by`` field: the failing
    events (or the exception) are the reference's."""
    args: list[Any] = [True, False] if op in ("empty", "present") else ROLE_ARGS if op == "role" else ARGS
    cases = [_grid_case(SHAPES), *(_grid_case([value]) for value in UNHASHABLE), _grid_by_case()]
    for arg in args:
        for field in ("x", "by"):
            condition = {field: arg} if op == "equals" else {field: {op: arg}}
            for case in cases:
                try:
                    fast = compile_check({"template": "every", "subject": {"events": "contact"}, "require": condition}, {})
                except RubricError:
                    continue
                assert outcome(fast, case) == outcome(reference_of(fast), case), (condition, case.events)


def test_a_condition_nested_beyond_what_python_compiles_runs_as_its_reference() -> None:
    condition: dict = {"channel": "phone"}
    for _ in range(301):  # an odd number: no contact of the case is by phone
        condition = {"not": condition}
    fast = compile_check({"template": "every", "subject": {"events": "contact"}, "require": condition}, {})
    assert not hasattr(fast, "reference")  # the closure itself
    case = _grid_by_case()
    assert outcome(fast, case) == ("satisfied", [])


def test_a_plan_too_large_to_inline_calls_each_rule() -> None:
    from auditor.checks.plan import _build

    inline, called = _build(RUBRIC.rules, inline=True), _build(RUBRIC.rules, inline=False)
    assert "while True" in source_of(inline) and "while True" not in source_of(called)
    for index in range(50):
        ix_case = as_case(generate_case(case_rng(2, index), index, Config(fault_rate=0.6)))
        a, b = inline(CaseIndex(ix_case)), called(CaseIndex(ix_case))
        assert [(r.rule, r.outcome, r.events) for r in a[0]] == [(r.rule, r.outcome, r.events) for r in b[0]]
        assert a[1] == b[1]
