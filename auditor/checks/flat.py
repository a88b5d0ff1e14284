"""Flat checks: each rule's ``check:`` generated as one plain Python function when the rubric loads.

Why: the closure compiler (``conditions.py`` and the template modules) builds a rule out of small
functions calling one another (selector -> condition -> operator); on a committee's export that is
tens of millions of calls, and the calls, not the work, were most of the rules' time. Here the same
``check:`` mapping is turned into the source text of one function, with the selectors, conditions and
windows written out inline, then compiled once (``compile`` + ``exec``). The closure compiler stays
the reference: it runs first, so a rubric's mistakes are reported exactly as before, and whatever
this generator does not cover (``Unsupported``) runs as its closure. ``tests/auditor`` holds the
differential tests that hold the two to the same verdicts.

Why generating code is safe here: the source text is built from the rubric alone, never from a
case log (the function receives a case only when it runs, as data). Every value the rubric gives
(a field name, a role, a scope, a number) enters the text only through ``repr`` of a ``str``,
``int``, ``bool`` or ``None`` (``_literal``), which Python reads back as that very value and nothing
else; every other value (a float, a list, a mapping, a helper function) is never written out at all:
it is bound in the function's namespace under a name this module makes up (``_k0``, ``_k1``, ...).
Identifiers in the text (locals, helpers) are this module's own. The rubric itself is validated
before any of this (pydantic models, the reference compiler's checks), and is the workplace's
own configuration, not something a case log can influence.
"""

from __future__ import annotations

import ast
import itertools
from typing import Any

from ..conditions import (
    EVENT_SETS,
    NAMED_CASE_CHECKS,
    NAMED_EVENT_CHECKS,
    ROLES,
    _as_list,
    event_set,
    resolve,
)
from ..outcomes import FAIL, NA, NOT_APPLICABLE, OK, PENDING, SATISFIED, VIOLATED, WAIT, Verdict
from .consent import _field_values, covered


class Unsupported(Exception):
    """The generator does not cover this ``check:``; the reference closure runs instead."""


#: Named event sets the index holds ready: the expression that gives their positions.
_READY_SETS = {
    "contact_with_worker": "ix.worker_contacts",
    "worker_contact_without_coordinator": "ix.worker_contacts_without_coordinator",
    "coordinator_worker_contact": "ix.coordinator_worker_contacts",
    "agreement": "ix.agreements",
    "refusal": "ix.refusals",
}
#: Named sets that are one position or none.
_SINGLE_SETS = {"planning_meeting": "ix.planning_meeting", "return": "ix.return_index"}

_BUILTIN_TYPES = {str: "str", int: "int", bool: "bool", float: "float", type(None): "_NoneType"}


_SOURCES = itertools.count()


class Source:
    """The text of one generated module and the values it refers to by name."""

    def __init__(self) -> None:
        self.prefix = f"_c{next(_SOURCES)}"  # bound names unique across rules: their plan shares one namespace
        self.namespace: dict[str, Any] = {
            "Verdict": Verdict, "NA": NA, "OK": OK, "WAIT": WAIT, "FAIL": FAIL, "VIOLATED": VIOLATED,
            "PENDING": PENDING, "SATISFIED": SATISFIED, "_as_list": _as_list, "_event_set": event_set,
            "_NoneType": type(None),
        }
        self._names = 0

    def bind(self, value: Any) -> str:
        """A made-up name for ``value`` in the generated code's namespace (nothing of it is written out)."""
        name = f"{self.prefix}k{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def fresh(self, stem: str) -> str:
        self._names += 1
        return f"_{stem}{self._names}"

    def literal(self, value: Any) -> str:
        return _literal(value) if _is_plain(value) else self.bind(value)

    def type_name(self, value: Any) -> str:
        return _BUILTIN_TYPES.get(type(value)) or self.bind(type(value))


def _is_plain(value: Any) -> bool:
    return value is None or type(value) in (str, int, bool)


def _literal(value: Any) -> str:
    """``repr`` of a str, int, bool or None: a Python literal that reads back as exactly ``value``."""
    if not _is_plain(value):
        raise Unsupported(f"not a plain literal: {type(value).__name__}")
    text = repr(value)
    if ast.literal_eval(text) != value or type(ast.literal_eval(text)) is not type(value):
        raise Unsupported("literal does not read back")  # never happens for these types; a guard
    return text


_MARK = "\x00"


def render(lines: list[str], verdict) -> list[str]:
    """The lines with each verdict marker replaced by ``verdict(indent, shared, events)``'s lines."""
    out = []
    for line in lines:
        if _MARK in line:
            indent, shared, events = line.split(_MARK)
            out.extend(indent + text for text in verdict(shared, events or None))
        else:
            out.append(line)
    return out


def _as_return(shared: str, events: str | None) -> list[str]:
    return [f"return Verdict(VIOLATED, {events})" if events is not None else f"return {shared}"]


class Block:
    """Lines of code at an indentation level."""

    def __init__(self, lines: list[str], indent: int) -> None:
        self.lines, self.indent = lines, indent

    def __call__(self, text: str) -> None:
        self.lines.append("    " * self.indent + text)

    def inner(self) -> Block:
        return Block(self.lines, self.indent + 1)

    def ret(self, shared: str, events: str | None = None) -> None:
        """The check's verdict: a shared one (``NA``, ``OK``, ``WAIT``, ``FAIL``) or, with
        ``events``, a violation naming them. Written as a marker that ``render`` turns into a
        ``return`` (one rule's function) or into the rule's result (the whole rubric's plan).
        A verdict is only ever given outside the loops of the check."""
        if shared not in ("NA", "OK", "WAIT", "FAIL", "VIOLATED") or (shared == "VIOLATED") != (events is not None):
            raise ValueError(shared)
        self.lines.append("    " * self.indent + _MARK + shared + _MARK + (events or ""))


# ---------------------------------------------------------------------------- event conditions


class EventCond:
    """Generates an expression for an event condition about event ``i`` (locals ``ev``, ``f``)."""

    def __init__(self, src: Source, params: dict) -> None:
        self.src, self.params = src, params
        self.hoisted: dict[tuple, str] = {}
        self.pending: list[str] = []

    def hoist(self, key: tuple, expr: str) -> str:
        """A local computed once before the loop that tests the condition (a pure, cheap expression
        about the case, the same for every event); ``flush`` writes it out."""
        name = self.hoisted.get(key)
        if name is None:
            name = self.hoisted[key] = self.src.fresh("h")
            self.pending.append(f"{name} = {expr}")
        return name

    def flush(self, out: Block) -> None:
        """Write the pending hoisted locals where ``out`` is, before the loop that uses them."""
        for line in self.pending:
            out(line)
        self.pending, self.hoisted = [], {}

    def expr(self, spec: Any) -> str:
        if not isinstance(spec, dict) or not spec:
            raise Unsupported("condition")
        parts = []
        for key, raw in spec.items():
            arg = resolve(raw, self.params, "")
            if key in ("all", "any"):
                subs = [self.expr(c) for c in _as_list(arg)]
                if not subs:
                    parts.append("True" if key == "all" else "False")
                else:
                    parts.append("(" + (" and " if key == "all" else " or ").join(subs) + ")")
            elif key == "not":
                parts.append(f"(not {self.expr(arg)})")
            elif key == "attendance":
                # The roles of the event's parties, once: its parties are declared ids (hashable),
                # so "a party of each role" is each role's membership in that set.
                roles = list(_as_list(arg["includes"]))
                members = self.src.fresh("m")
                present = self.src.fresh("rs")
                tests = [f"(({members} := ix.parts(i)) is not None)"]
                if any(role != "current_supervisor" for role in roles):
                    tests.append(f"(({present} := set(map(ix.roles.get, {members}))) is not None)")
                for role in roles:
                    if role == "current_supervisor":
                        cs = self.src.fresh("cs")
                        tests.append(f"(({cs} := ix.current_supervisor(i)) is not None and {cs} in {members})")
                    elif role in ROLES:
                        tests.append(f"({_literal(role)} in {present})")
                    else:
                        raise Unsupported("role")
                parts.append("(" + " and ".join(tests) + ")")
            elif key == "after":
                if arg not in EVENT_SETS:
                    found = self.hoist(("type", arg), f"ix.by_type.get({_literal(arg)})")
                elif arg in _READY_SETS:
                    found = self.hoist(("set", arg), _READY_SETS[arg])
                else:
                    found = self.hoist(("set", arg), f"_event_set(ix, {_literal(arg)})")
                parts.append(f"(bool({found}) and i > {found}[0])")
            elif key == "worker_with_only":
                roles = frozenset(arg)
                parts.append(f"ix.worker_with_only(i, {self.src.bind(roles)})")
            elif key == "check":
                parts.append(f"{self.src.bind(NAMED_EVENT_CHECKS[arg][0])}(ix, i)")
            elif isinstance(arg, dict):
                for op, op_arg in arg.items():
                    parts.append(self.operator(key, op, resolve(op_arg, self.params, "")))
            else:
                parts.append(self.operator(key, "one_of" if isinstance(arg, list) else "all_of", arg))
        if len(parts) == 1:
            return parts[0]
        return "(" + " and ".join(parts) + ")"

    def operator(self, field: str, op: str, arg: Any) -> str:
        src = self.src
        if field == "by":
            value = "ev.by"
            values = "_as_list(ev.by)"
        else:
            value = f"f.get({_literal(field)})"
            values = f"_as_list({value})"
        if op == "all_of" and not isinstance(arg, (list, tuple)) and field != "by":
            v = src.fresh("v")
            a = src.literal(arg)
            return (f"({a} in {v} if isinstance({v} := {value}, (list, tuple)) "
                    f"else ({v} == {a} and type({v}) is {src.type_name(arg)}))")
        if op in ("one_of", "any_of"):
            allowed = src.bind(frozenset(_as_list(arg)))
            if field == "by":
                return f"(ev.by in {allowed})"
            v = src.fresh("v")
            return (f"(False if ({v} := {value}) is None else "
                    f"(not {allowed}.isdisjoint({v}) if isinstance({v}, (list, tuple, set, frozenset)) "
                    f"else {v} in {allowed}))")
        if op == "all_of":
            v = src.fresh("v")
            needed = [f"{src.literal(n)} in {v}" for n in _as_list(arg)]
            return f"(({v} := {values}) is not None" + "".join(f" and {n}" for n in needed) + ")"
        if op == "none_of":
            banned = src.bind(frozenset(_as_list(arg)))
            return f"{banned}.isdisjoint({values})"
        if op == "empty":
            return f"((len({values}) == 0) == {_literal(bool(arg))})"
        if op == "present" and field != "by":
            # ``len(_as_list(v)) > 0`` without building the tuple.
            v = src.fresh("v")
            present = (f"(({v} := {value}) is not None and "
                       f"(len({v}) > 0 if isinstance({v}, (list, tuple, set, frozenset)) else True))")
            return present if arg else f"(not {present})"
        if op == "present":
            return f"((len({values}) > 0) == {_literal(bool(arg))})"
        if op == "not":
            return f"({src.literal(arg)} not in {values})"
        if op == "role":
            if arg == "current_supervisor":
                cs = src.fresh("cs")
                return f"(({cs} := ix.current_supervisor(i)) is not None and {cs} in {values})"
            if arg not in ROLES:
                raise Unsupported("role")
            # ``in`` over ``map`` stops at the first party with that role, as ``any`` does.
            return f"({_literal(arg)} in map(ix.roles.get, {values}))"
        raise Unsupported(f"operator {op}")


# ---------------------------------------------------------------------------- selectors


def _bounds(during: str) -> tuple[str | None, str | None, str | None]:
    """(guard, lower, upper) expressions of a period: no positions at all when ``guard`` is None-valued."""
    if during == "leave":
        return None, None, "ix.leave_end"
    if during == "process":
        return "ix.process_start", "ix.process_start", "ix.return_index"
    if during == "after_process_start":
        return "ix.process_start", "ix.process_start", None
    if during == "before_planning":
        return None, None, "ix.planning_meeting"
    if during == "after_return":
        return "ix.return_index", "ix.return_index", None
    raise Unsupported(f"period {during}")


class Selectors:
    """Emits statements that assign a selector's positions to a local."""

    def __init__(self, src: Source, params: dict, cond: EventCond) -> None:
        self.src, self.params, self.cond = src, params, cond

    def named_set(self, name: str, out: Block) -> str:
        """A named event set, through the case's cache of them (``conditions.event_set`` inline)."""
        local = self.src.fresh("set")
        key = _literal(name)
        out(f"{local} = ix._set_cache.get({key})")
        out(f"if {local} is None:")
        out.inner()(f"{local} = ix._set_cache[{key}] = {self.src.bind(EVENT_SETS[name][0])}(ix)")
        return local

    def emit(self, spec: Any, out: Block, target: str, first_only: bool = False) -> None:
        """``target = <positions>``. With ``first_only`` the caller reads only emptiness and ``[0]``,
        so a ``which: each`` selector may stop at its first match."""
        if isinstance(spec, str):
            spec = {"events": spec}
        if isinstance(spec, list):
            names = []
            for part in spec:
                name = self.src.fresh("s")
                self.emit(part, out, name)
                names.append(name)
            if not names:
                out(f"{target} = []")
            else:
                # Each part is sorted and without repeats: when only one has positions, it is the union.
                merged = f"sorted({{{', '.join('*' + n for n in names)}}})"
                if len(names) == 2:
                    a, b = names
                    merged = f"({a} if not {b} else {b} if not {a} else {merged})"
                out(f"{target} = {merged}")
            return
        if not isinstance(spec, dict):
            raise Unsupported("selector")
        name = spec.get("events")
        during = spec.get("during")
        which = spec.get("which", "each")
        where = spec.get("where")
        if name in _READY_SETS:
            source = _READY_SETS[name]
        elif name in _SINGLE_SETS:
            single = self.src.fresh("one")
            out(f"{single} = {_SINGLE_SETS[name]}")
            source = f"([] if {single} is None else [{single}])"
        elif name in EVENT_SETS:
            source = self.named_set(name, out)
        else:
            source = f"(ix.by_type.get({_literal(name)}) or [])"
        if during is None and where is None:
            if which == "first":
                out(f"{target} = {source}[:1]")
            elif which == "last":
                out(f"{target} = {source}[-1:]")
            else:
                out(f"{target} = {source}")
            return
        tests = []
        body = out
        if during is not None:
            guard, lo, hi = _bounds(during)
            if guard is not None:
                out(f"if {guard} is None:")
                out.inner()(f"{target} = []")
                out("else:")
                body = out.inner()
            if lo is not None:
                lo_name = self.src.fresh("lo")
                body(f"{lo_name} = {lo}")
                tests.append(f"i > {lo_name}")
            if hi is not None:
                hi_name = self.src.fresh("hi")
                body(f"{hi_name} = {hi}")
                tests.append(f"({hi_name} is None or i < {hi_name})")
        if where is not None:
            tests.append(self.cond.expr(where))
        test = " and ".join(tests)
        uses_event = "ev." in test or "f." in test
        if which == "last":
            loop = f"for i in reversed({source}):"
        else:
            loop = f"for i in {source}:"
        single = which in ("first", "last") or first_only
        self.cond.flush(body)
        body(f"{target} = []")
        body(loop)
        inner = body.inner()
        if uses_event:
            inner("ev = events[i]")
            inner("f = ev.fields")
        inner(f"if {test}:")
        inner.inner()(f"{target}.append(i)")
        if single:
            inner.inner()("break")


# ---------------------------------------------------------------------------- case conditions


class CaseCond:
    def __init__(self, src: Source, params: dict, selectors: Selectors, out: Block) -> None:
        self.src, self.params, self.selectors, self.out = src, params, selectors, out

    def expr(self, spec: Any) -> str:
        if not isinstance(spec, dict) or not spec:
            raise Unsupported("case condition")
        parts = []
        for key, raw in spec.items():
            arg = resolve(raw, self.params, "")
            if key == "has_party":
                parts.append(f"({_literal(arg)} in ix.roles.values())")
            elif key == "context":
                tests = [f"ix.case.context.get({self.src.literal(k)}) == {self.src.literal(v)}" for k, v in arg.items()]
                parts.append("(" + " and ".join(tests) + ")" if tests else "True")
            elif key == "exists":
                name = self.src.fresh("ex")
                self.selectors.emit(arg, self.out, name, first_only=True)
                parts.append(f"bool({name})")
            elif key == "check":
                parts.append(f"{self.src.bind(NAMED_CASE_CHECKS[arg][0])}(ix)")
            elif key in ("all", "any"):
                subs = [self.expr(c) for c in _as_list(arg)]
                if not subs:
                    parts.append("True" if key == "all" else "False")
                else:
                    parts.append("(" + (" and " if key == "all" else " or ").join(subs) + ")")
            elif key == "not":
                parts.append(f"(not {self.expr(arg)})")
            else:
                raise Unsupported(f"case condition {key}")
        return parts[0] if len(parts) == 1 else "(" + " and ".join(parts) + ")"


# ---------------------------------------------------------------------------- templates


class Function:
    """One generated ``def check(ix)``."""

    def __init__(self, params: dict) -> None:
        self.src = Source()
        self.params = params
        self.lines: list[str] = []
        self.body = Block(self.lines, 1)
        self.cond = EventCond(self.src, params)
        self.selectors = Selectors(self.src, params, self.cond)

    def applies(self, config: dict) -> None:
        if "applies_when" in config:
            case = CaseCond(self.src, self.params, self.selectors, self.body)
            test = case.expr(config["applies_when"])
            self.body(f"if not {test}:")
            self.body.inner().ret("NA")

    def build(self, name: str):
        text = "\n".join(["def check(ix):", "    events = ix.events", *render(self.lines, _as_return), ""])
        code = compile(text, f"<rubric check {name}>", "exec")
        namespace = dict(self.src.namespace)
        exec(code, namespace)  # noqa: S102 - source built from the validated rubric only (module docstring)
        fn = namespace["check"]
        fn.source = text
        fn.body = list(self.lines)  # with verdict markers, for the rubric's plan (``checks.plan``)
        fn.namespace = self.src.namespace
        return fn


def _every(config: dict, params: dict, name: str):
    fn = Function(params)
    b = fn.body
    fn.applies(config)
    fn.selectors.emit(config["subject"], b, "subjects")
    empty = "NA" if config.get("when_no_subject", NOT_APPLICABLE) == NOT_APPLICABLE else "OK"
    b("if not subjects:")
    b.inner().ret(empty)
    if "require" in config:
        test = f"not {fn.cond.expr(config['require'])}"
    else:
        test = fn.cond.expr(config["forbid"])
    fn.cond.flush(b)
    b("failing = []")
    b("for i in subjects:")
    loop = b.inner()
    if "ev." in test or "f." in test:
        loop("ev = events[i]")
        loop("f = ev.fields")
    loop(f"if {test}:")
    loop.inner()("failing.append(i)")
    b("if failing:")
    b.inner().ret("VIOLATED", "failing")
    b.ret("OK")
    return fn.build(name)


def _precedence(config: dict, params: dict, name: str):
    fn = Function(params)
    b = fn.body
    fn.applies(config)
    fn.selectors.emit(config["subject"], b, "subjects")
    b("if not subjects:")
    empty = b.inner()
    if config.get("when_no_subject", NOT_APPLICABLE) == NOT_APPLICABLE:
        empty.ret("NA")
    else:
        fn.selectors.emit(config["required"], empty, "found", first_only=True)
        empty("if found:")
        empty.inner().ret("OK")
        empty("if ix.closed_index is not None:")
        empty.inner().ret("FAIL")
        empty.ret("WAIT")
    fn.selectors.emit(config["required"], b, "found", first_only=True)
    b("if not found:")
    b.inner().ret("VIOLATED", "list(subjects)")
    b("first_required = found[0]")
    b("failing = []")
    b("for i in subjects:")
    b.inner()("if first_required > i:")
    b.inner().inner()("failing.append(i)")
    b("if failing:")
    b.inner().ret("VIOLATED", "failing")
    b.ret("OK")
    return fn.build(name)


def _days(value: Any, params: dict, src: Source) -> str:
    """The expression of a day count about trigger ``t`` (see ``response._days``)."""
    if isinstance(value, dict):
        field = value["field"]
        default = _days(value.get("default"), params, src) if value.get("default") is not None else "None"
        return f"events[t].fields.get({_literal(field)}, {default})"
    negate = isinstance(value, str) and value.startswith("-$")
    resolved = resolve(value[1:] if negate else value, params, "")
    if isinstance(resolved, bool) or not isinstance(resolved, int):
        raise Unsupported("day count")
    return _literal(-resolved if negate else resolved)


def _response(config: dict, params: dict, name: str):
    fn = Function(params)
    src = fn.src
    b = fn.body
    fn.selectors.emit(config["trigger"], b, "triggers")
    b("if not triggers:")
    b.inner().ret("NA")
    raw_targets = config["targets"]
    if not isinstance(raw_targets, list):
        raw_targets = [raw_targets]
    targets = []
    for spec in raw_targets:
        t_name = src.fresh("tg")
        fn.selectors.emit(spec, b, t_name)
        targets.append(t_name)
    window = config.get("window")
    anchor_field = min_days = max_days = None
    if window is not None:
        anchor = window.get("anchor", "trigger")
        anchor_field = None if anchor == "trigger" else anchor
        min_days = _days(window["min_days"], params, src) if "min_days" in window else None
        max_days = _days(window["max_days"], params, src) if "max_days" in window else None
    earlier_counts = bool(config.get("earlier_counts", False))
    judge = config.get("judge", "any")
    open_until = config.get("open_until", "as_of")

    b("bad = None")
    b("wait = False")
    b("for t in triggers:")
    t = b.inner()
    t("base = events[t].day" if anchor_field is None else f"base = events[t].fields.get({_literal(anchor_field)})")
    t("if base is None:")
    t.inner()("continue")
    if min_days is not None:
        t(f"lo = {min_days}")
    if max_days is not None:
        t(f"hi = {max_days}")

    terms = []
    if min_days is not None:
        terms.append("(lo is None or d >= lo)")
    if max_days is not None:
        terms.append("(hi is None or d <= hi)")
    in_window = " and ".join(terms) or "True"

    # ``missing``: some target has not come (yet); ``named``: a first target that came out of its window.
    t("missing = False")
    t("named = None")
    for t_name in targets:
        blk = t
        if earlier_counts:
            t(f"if not ({t_name} and {t_name}[0] < t):")
            blk = t.inner()
        if judge == "first":
            blk("after = None")
            blk(f"for i in {t_name}:")
            blk.inner()("if i > t:")
            blk.inner().inner()("after = i")
            blk.inner().inner()("break")
            blk("if after is not None:")
            found = blk.inner()
            found("d = (events[after].day - base).days")
            found(f"if not ({in_window}):")
            found.inner()("named = after")
            blk("else:")
            blk.inner()("missing = True")
            # A first target out of its window ends the trigger's judgement at once.
            t("if named is not None:")
            t.inner()("bad = {named} if bad is None else bad | {named}")
            t.inner()("continue")
        else:
            blk(f"for i in {t_name}:")
            blk.inner()("if i > t:")
            blk.inner().inner()("d = (events[i].day - base).days")
            blk.inner().inner()(f"if {in_window}:")
            blk.inner().inner().inner()("break")
            blk("else:")
            blk.inner()("missing = True")
    t("if not missing:")
    t.inner()("continue")
    if max_days is None:
        t("bad = {t} if bad is None else bad | {t}")
        t("continue")
    else:
        t("if ix.closed_index is None:")
        c = t.inner()
        c("now = ix.case.as_of")
        if open_until == "return":
            c("if ix.return_index is not None:")
            c.inner()("now = min(now, events[ix.return_index].day)")
        c("if hi is not None and (now - base).days <= hi:")
        c.inner()("wait = True")
        c.inner()("continue")
        t("bad = {t} if bad is None else bad | {t}")
    b("if bad is not None:")
    b.inner().ret("VIOLATED", "sorted(bad)")
    b("if wait:")
    b.inner().ret("WAIT")
    b.ret("OK")
    return fn.build(name)


def _requirement(spec: dict, fn: Function, reference) -> str:
    """One consent requirement about act ``i`` as an expression (``consent._compile_requirement``)."""
    who = spec.get("from", "worker")
    if isinstance(who, dict):
        return f"{fn.src.bind(reference)}(ix, i)"  # the listed subjects: the reference closure
    src = fn.src

    def values(name: Any) -> str:
        if name is None:
            return "None"
        if name == "by":
            return "([] if ev.by is None else [ev.by])"
        return f"_field_values(ix, i, {src.literal(name)})"

    scope = src.literal(spec["scope"])
    recipients, topics = values(spec.get("recipients")), values(spec.get("topics"))
    if who == "worker":
        test = f"(bool(ix.worker) and _covered(ix, i, {scope}, ix.worker, {recipients}, {topics}))"
    else:  # any party with that role will do
        test = f"_covered_by_role(ix, i, {scope}, {src.literal(who)}, {recipients}, {topics})"
    if "unless" in spec:
        test = f"({fn.cond.expr(spec['unless'])} or {test})"
    return test


def _covered_by_role(ix, i: int, scope: Any, role: Any, recipients, topics) -> bool:
    for p, r in ix.roles.items():
        if r == role and covered(ix, i, scope, p, recipients, topics):
            return True
    return False


def _consent(config: dict, params: dict, name: str, reference_requirements: list):
    fn = Function(params)
    fn.src.namespace.update(_covered=covered, _covered_by_role=_covered_by_role, _field_values=_field_values)
    b = fn.body
    fn.selectors.emit(config["subject"], b, "acts")
    b("if not acts:")
    b.inner().ret("NA")
    test = " and ".join(_requirement(spec, fn, ref) for spec, ref in zip(config["requires"], reference_requirements, strict=True))
    unless = fn.cond.expr(config["unless"]) if "unless" in config else None
    fn.cond.flush(b)
    b("failing = []")
    b("for i in acts:")
    loop = b.inner()
    loop("ev = events[i]")
    loop("f = ev.fields")
    if unless is not None:
        loop(f"if {unless}:")
        loop.inner()("continue")
    loop(f"if not ({test}):")
    loop.inner()("failing.append(i)")
    b("if failing:")
    b.inner().ret("VIOLATED", "failing")
    b.ret("OK")
    return fn.build(name)


def generate(config: dict, params: dict, name: str, reference: Any = None):
    """The flat function of a ``check:`` the reference compiler has already accepted; raises
    ``Unsupported`` for what it does not cover."""
    template = config.get("template")
    if template == "every":
        return _every(config, params, name)
    if template == "precedence":
        return _precedence(config, params, name)
    if template == "response":
        return _response(config, params, name)
    requirements = getattr(reference, "requirements", None)
    if template == "consent" and requirements is not None:
        return _consent(config, params, name, requirements)
    raise Unsupported(f"template {template}")


__all__ = ["Unsupported", "generate", "render"]
