"""Why an ending is never reached (SC304): the option or branch that blocks every way to it, and why.

Why a module of its own: "ending never reached" alone sends the author hunting through every condition of
the file. The state exploration already knows which options were offered, which branches held and were
taken, and the range of values seen at each node; this module turns that into one sentence naming the
blocking condition and the comparison inside it that cannot hold — against the declared range first
(``agreed >= 2`` where ``agreed`` has ``max: 1``), else against the values reachable at that node.
"""

from __future__ import annotations

from collections import deque
from typing import Optional

from .conditions import BoolOp, Compare, Condition, Not, Num, Var
from .graph import Exploration, successors
from .i18n import _
from .scenario import Scenario, compiled

__all__ = ["why_unreached", "blocking_edges"]

MAX_LISTED = 3  # blocking places named in one message; the rest are counted

_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def blocking_edges(scenario: Scenario, exploration: Exploration, ending: str) -> list[tuple[str, str, int]]:
    """The options and branches on the way to ``ending`` that no playthrough takes, from a node some
    playthrough reaches: ``(node, "option" | "branch", 1-based place in the file)``, in file order."""
    preds: dict[str, set[str]] = {n: set() for n in scenario.nodes}
    for n in scenario.nodes:
        for nxt in successors(scenario, n):
            preds[nxt].add(n)
    leads = {ending}
    queue = deque([ending])
    while queue:
        for p in preds[queue.popleft()]:
            if p not in leads:
                leads.add(p)
                queue.append(p)
    reached = exploration.reached_nodes
    out: list[tuple[str, str, int]] = []
    for node_id, node in scenario.nodes.items():
        if node_id not in reached or node_id not in leads:
            continue
        for k, choice in enumerate(node.choices or [], start=1):
            if choice.next in leads and choice.next not in reached:
                out.append((node_id, "option", k))
        for k, branch in enumerate(node.branches or [], start=1):
            if branch.next in leads and branch.next not in reached and (node_id, k) not in exploration.branch_taken:
                out.append((node_id, "branch", k))
    return out


def why_unreached(scenario: Scenario, exploration: Exploration, ending: str) -> str:
    """'every path to it passes branch 2 of 'x', whose condition `trust >= 80` never holds there: ...'."""
    edges = blocking_edges(scenario, exploration, ending)
    if not edges:
        return _("the conditions leading to it never hold")
    parts = [_edge_reason(scenario, exploration, edge) for edge in edges[:MAX_LISTED]]
    if len(edges) == 1:
        return _("every path to it passes {place}").format(place=parts[0])
    places = "; ".join(parts)
    if len(edges) > MAX_LISTED:
        return _("every path to it is blocked at one of {count} places: {places}; and {more} more").format(
            count=len(edges), places=places, more=len(edges) - MAX_LISTED)
    return _("every path to it is blocked at one of {count} places: {places}").format(count=len(edges), places=places)


def _edge_reason(scenario: Scenario, exploration: Exploration, edge: tuple[str, str, int]) -> str:
    node_id, kind, k = edge
    node = scenario.nodes[node_id]
    if kind == "option":
        assert node.choices is not None  # an option edge leaves a decision node
        when = node.choices[k - 1].when
        if when is None:  # an unconditional option of a reached decision is always offered
            return _("option {number} of {node!r}, which no playthrough takes").format(number=k, node=node_id)
        return _("option {number} of {node!r}, offered only when `{condition}`, which {never}").format(
            number=k, node=node_id, condition=when, never=_never(scenario, exploration, node_id, when))
    assert node.branches is not None  # any other edge is one of a branching node's branches
    branch = node.branches[k - 1]
    if branch.when is not None and (node_id, k) not in exploration.branch_held:
        return _("branch {number} of {node!r}, whose condition `{condition}` {never}").format(
            number=k, node=node_id, condition=branch.when, never=_never(scenario, exploration, node_id, branch.when))
    first = next((j for j in range(1, k) if (node_id, j) in exploration.branch_held), None)
    example = ""
    if first is not None:
        earlier = node.branches[first - 1].when
        if earlier is not None:
            example = _(" (e.g. branch {number}: `{condition}`)").format(number=first, condition=earlier)
        else:
            example = _(" (e.g. branch {number})").format(number=first)
    if branch.when is not None:
        text = _("branch {number} of {node!r}, never taken: whenever `{condition}` holds, an earlier branch applies "
                 "first{example}")
    else:
        text = _("branch {number} of {node!r}, never taken: whenever it is reached, an earlier branch applies "
                 "first{example}")
    return text.format(number=k, node=node_id, condition=branch.when, example=example)


def _never(scenario: Scenario, exploration: Exploration, node_id: str, text: str) -> str:
    """'can never hold: `agreed` has max: 1' / 'never holds there: trust never reaches 80 there (...)'."""
    cond = compiled(text)
    static = _impossible(cond, lambda name: _declared(scenario, name))
    if static:
        return _("can never hold: {reason}").format(reason=static)
    seen = exploration.seen_values.get(node_id, {})
    observed = _impossible(cond, lambda name: _observed(seen, name))
    if observed:
        return _("never holds in any playthrough: {reason}").format(reason=observed)
    values = ", ".join(f"{name} {_span(lo, hi)}" for name, (lo, hi) in sorted(seen.items()))
    if values:
        return _("never holds in a reachable state (values seen there: {values})").format(values=values)
    return _("never holds in a reachable state")


def _declared(scenario: Scenario, name: str) -> Optional[tuple[float, float, str]]:
    var = scenario.state.get(name)
    if var is None:
        return (0, float("inf"), "declared")  # built-ins count up from 0
    return (var.min, var.max, "declared")


def _observed(seen: dict[str, tuple[float, float]], name: str) -> Optional[tuple[float, float, str]]:
    low_high = seen.get(name)
    return None if low_high is None else (low_high[0], low_high[1], "observed")


def _impossible(cond: Condition, bounds) -> str:
    """A reason why ``cond`` can never be true when every variable stays within ``bounds(name)``, or ''."""
    if isinstance(cond, Compare):
        return _compare_impossible(cond, bounds)
    if isinstance(cond, BoolOp):
        reasons = [_impossible(part, bounds) for part in cond.operands]
        if cond.op == "and":
            return next((r for r in reasons if r), "")
        return "; ".join(reasons) if all(reasons) else ""
    if isinstance(cond, Not) and isinstance(cond.operand, Compare):
        c = cond.operand
        negated = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}[c.op]
        return _compare_impossible(Compare(c.left, negated, c.right), bounds)
    return ""


def _compare_impossible(cmp: Compare, bounds) -> str:
    """Only ``variable OP number`` (either way round) is judged; comparisons of two variables are not."""
    if isinstance(cmp.left, Var) and isinstance(cmp.right, Num):
        name, op, c = cmp.left.name, cmp.op, cmp.right.value
    elif isinstance(cmp.right, Var) and isinstance(cmp.left, Num):
        name, op, c = cmp.right.name, _FLIP[cmp.op], cmp.left.value
    else:
        return ""
    found = bounds(name)
    if found is None:
        return ""
    lo, hi, kind = found
    possible = {
        ">=": hi >= c, ">": hi > c, "<=": lo <= c, "<": lo < c,
        "==": lo <= c <= hi, "!=": not (lo == hi == c),
    }[op]
    if possible:
        return ""
    if kind == "declared":
        side = "max" if op in (">=", ">", "==") and hi < c else "min"
        limit = hi if side == "max" else lo
        # Translators: {side} is the YAML key as written in the scenario ("max" or "min").
        return _("`{name}` has {side}: {limit}").format(name=name, side=side, limit=_num(limit))
    # Merged states may hide a value a little further out, never one past the threshold: say "found".
    fields = {"name": name, "value": _num(c), "high": _num(hi), "low": _num(lo), "span": _span(lo, hi)}
    if op == ">=":
        return _("{name} never reaches {value} there (highest value found: {high})").format(**fields)
    if op == ">":
        return _("{name} never exceeds {value} there (highest value found: {high})").format(**fields)
    if op == "<=":
        return _("{name} never falls to {value} there (lowest value found: {low})").format(**fields)
    if op == "<":
        return _("{name} never falls below {value} there (lowest value found: {low})").format(**fields)
    if op == "==":
        return _("{name} is never {value} there (values found: {span})").format(**fields)
    return _("{name} is always {value} there").format(**fields)


def _span(lo: float, hi: float) -> str:
    return _("always {value}").format(value=_num(lo)) if lo == hi else f"{_num(lo)}–{_num(hi)}"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
