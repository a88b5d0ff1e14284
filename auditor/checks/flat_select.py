"""Selectors and conditions of the rubric language written out as Python text (``flat.py``).

Each class turns one part of ``conditions.py``'s language into an expression or statements that
compute exactly what the matching closure computes; the closures stay the reference.
"""

from __future__ import annotations

from typing import Any

from ..conditions import EVENT_SETS, NAMED_CASE_CHECKS, NAMED_EVENT_CHECKS, ROLES, _as_list, resolve
from .codegen import Block, Source, Unsupported, _literal

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
                parts.append(f"ix.worker_with_only(i, {self.src.bind(frozenset(arg))})")
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
                part_name = self.src.fresh("s")
                self.emit(part, out, part_name)
                names.append(part_name)
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
            one = self.src.fresh("one")
            out(f"{one} = {_SINGLE_SETS[name]}")
            source = f"([] if {one} is None else [{one}])"
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
