"""A rubric's plan: every rule judged on one case by one generated function.

Why: an export holds tens of thousands of cases and a rubric some forty rules, so whatever is paid
per rule and case (a call, the lookup of a shared result, an append) is paid millions of times.
The plan writes the flat rules' bodies (``checks.flat``) one after the other in a single function,
each giving its ``RuleResult`` directly: the results of the verdicts that name no event are built
once per rubric, a violation's result is built where it is found. A rule without a flat body (a
``dedicated`` check, or one the generator does not cover) is called as it is.

The text is assembled from the flat rules' own text (built from the rubric alone: see
``checks.flat``), the rules' codes and severities (validated by the rubric's schema, written with
``repr``) and names this module makes up; nothing of a case log enters it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..index import CaseIndex
from ..outcomes import FAIL, NA, OK, SATISFIED, SEVERITY_WEIGHT, VIOLATED, WAIT, RuleResult
from .codegen import _literal, render

SHARED = {"NA": NA, "OK": OK, "WAIT": WAIT, "FAIL": FAIL}

Plan = Callable[[CaseIndex], tuple[list[RuleResult], float | None]]
#: What each shared verdict adds to the fidelity score's (total, kept) weights.
_SCORED = {"NA": (0, 0), "OK": (1, 1), "WAIT": (0, 0), "FAIL": (1, 0)}


def build_plan(rules: Sequence[Any]) -> Plan:
    """``plan(ix)`` for ``rules``; written with every rule called as a function when the rules'
    bodies together are more than Python compiles (a rubric of thousands of rules)."""
    try:
        return _build(rules, inline=True)
    except (SyntaxError, RecursionError, MemoryError):
        return _build(rules, inline=False)


def _build(rules: Sequence[Any], inline: bool) -> Plan:
    """``plan(ix)``: the results of ``rules`` (each with ``code``, ``severity``, ``run``) on one
    case, in rubric order, and the case's fidelity score from them (``outcomes.fidelity``, summed
    as the results are made: each rule's weight is known here)."""
    namespace: dict[str, Any] = {"RuleResult": RuleResult, "VIOLATED": VIOLATED, "SATISFIED": SATISFIED}
    lines = ["def plan(ix):", "    events = ix.events", "    results = []", "    append = results.append",
             "    total = kept = 0"]
    for n, rule in enumerate(rules):
        code, severity = _literal(rule.code), _literal(rule.severity)
        weight = _literal(SEVERITY_WEIGHT[rule.severity])
        prefix = f"_p{n}_"
        for name, verdict in SHARED.items():
            namespace[prefix + name] = RuleResult(rule.code, rule.severity, verdict.outcome, verdict.events)
        body = getattr(rule.run, "body", None) if inline else None
        lines.append(f"    # {rule.code}")
        if body is None:
            dedicated = getattr(rule.run, "dedicated", None)
            if dedicated is not None:  # ``fn(ix, inputs)`` without the closure around it
                namespace[prefix + "fn"], namespace[prefix + "inputs"] = dedicated
                call = f"{prefix}fn(ix, {prefix}inputs)"
            else:
                namespace[prefix + "run"] = rule.run
                call = f"{prefix}run(ix)"
            namespace[prefix + "shared"] = {id(v): namespace[prefix + name] for name, v in SHARED.items()}
            lines += [
                f"    _v = {call}",
                f"    _x = {prefix}shared.get(id(_v))",
                f"    append(_x if _x is not None else RuleResult({code}, {severity}, _v.outcome, _v.events))",
                "    if _v.outcome == SATISFIED:",
                f"        total += {weight}",
                f"        kept += {weight}",
                "    elif _v.outcome == VIOLATED:",
                f"        total += {weight}",
            ]
            continue
        namespace.update(rule.run.namespace)

        def result(shared: str, events: str | None, prefix: str = prefix, code: str = code, severity: str = severity,
                   weight: str = weight):
            # ``while True`` around the body: ``break`` ends the rule (no verdict is given inside a loop).
            if events is None:
                scored = _SCORED[shared]
                return [f"append({prefix}{shared})", *([f"total += {weight}"] if scored[0] else []),
                        *([f"kept += {weight}"] if scored[1] else []), "break"]
            return [f"append(RuleResult({code}, {severity}, VIOLATED, {events}))", f"total += {weight}", "break"]

        lines.append("    while True:")
        lines += ["    " + line for line in render(body, result)]
    lines += ["    return results, (None if total == 0 else kept / total)", ""]
    text = "\n".join(lines)
    exec(compile(text, "<rubric plan>", "exec"), namespace)  # noqa: S102 - see the module docstring
    plan = namespace["plan"]
    plan.source = text
    return plan


__all__ = ["Plan", "build_plan"]
