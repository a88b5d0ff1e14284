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
``int``, ``bool`` or ``None`` (``codegen._literal``), which Python reads back as that very value and
nothing else; every other value (a float, a list, a mapping, a helper function) is never written out
at all: it is bound in the function's namespace under a made-up name (``codegen.Source.bind``).
Identifiers in the text (locals, helpers) are the generator's own. The selectors and conditions are
written by ``flat_select.py``, the templates here. The rubric itself is validated
before any of this (pydantic models, the reference compiler's checks), and is the workplace's
own configuration, not something a case log can influence.
"""

from __future__ import annotations

from typing import Any

from ..conditions import resolve
from ..outcomes import NOT_APPLICABLE
from .codegen import Block, Source, Unsupported, _as_return, _literal, render
from .consent import _field_values, covered
from .flat_select import CaseCond, EventCond, Selectors


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


__all__ = ["Unsupported", "generate", "render", "_literal", "Block"]
