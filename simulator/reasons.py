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
        return "the conditions leading to it never hold"
    parts = [_edge_reason(scenario, exploration, edge) for edge in edges[:MAX_LISTED]]
    if len(edges) == 1:
        return f"every path to it passes {parts[0]}"
    more = f"; and {len(edges) - MAX_LISTED} more" if len(edges) > MAX_LISTED else ""
    return f"every path to it is blocked at one of {len(edges)} places: " + "; ".join(parts) + more


def _edge_reason(scenario: Scenario, exploration: Exploration, edge: tuple[str, str, int]) -> str:
    node_id, kind, k = edge
    node = scenario.nodes[node_id]
    if kind == "option":
        assert node.choices is not None  # an option edge leaves a decision node
        when = node.choices[k - 1].when
        if when is None:  # an unconditional option of a reached decision is always offered
            return f"option {k} of {node_id!r}, which no playthrough takes"
        return f"option {k} of {node_id!r}, offered only when `{when}`, which {_never(scenario, exploration, node_id, when)}"
    assert node.branches is not None  # any other edge is one of a branching node's branches
    branch = node.branches[k - 1]
    if branch.when is not None and (node_id, k) not in exploration.branch_held:
        return f"branch {k} of {node_id!r}, whose condition `{branch.when}` {_never(scenario, exploration, node_id, branch.when)}"
    first = next((j for j in range(1, k) if (node_id, j) in exploration.branch_held), None)
    cond = f"`{branch.when}` holds" if branch.when is not None else "it is reached"
    example = ""
    if first is not None:
        earlier = node.branches[first - 1].when
        example = f" (e.g. branch {first}: `{earlier}`)" if earlier is not None else f" (e.g. branch {first})"
    return f"branch {k} of {node_id!r}, never taken: whenever {cond}, an earlier branch applies first{example}"


def _never(scenario: Scenario, exploration: Exploration, node_id: str, text: str) -> str:
    """'can never hold: `agreed` has max: 1' / 'never holds there: trust never reaches 80 there (...)'."""
    cond = compiled(text)
    static = _impossible(cond, lambda name: _declared(scenario, name))
    if static:
        return f"can never hold: {static}"
    seen = exploration.seen_values.get(node_id, {})
    observed = _impossible(cond, lambda name: _observed(seen, name))
    if observed:
        return f"never holds in any playthrough: {observed}"
    values = ", ".join(f"{name} {_span(lo, hi)}" for name, (lo, hi) in sorted(seen.items()))
    return "never holds in a reachable state" + (f" (values seen there: {values})" if values else "")


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
        return f"`{name}` has {side}: {_num(limit)}"
    # Merged states may hide a value a little further out, never one past the threshold: say "found".
    if op == ">=":
        return f"{name} never reaches {_num(c)} there (highest value found: {_num(hi)})"
    if op == ">":
        return f"{name} never exceeds {_num(c)} there (highest value found: {_num(hi)})"
    if op == "<=":
        return f"{name} never falls to {_num(c)} there (lowest value found: {_num(lo)})"
    if op == "<":
        return f"{name} never falls below {_num(c)} there (lowest value found: {_num(lo)})"
    if op == "==":
        return f"{name} is never {_num(c)} there (values found: {_span(lo, hi)})"
    return f"{name} is always {_num(c)} there"


def _span(lo: float, hi: float) -> str:
    return f"always {_num(lo)}" if lo == hi else f"{_num(lo)}–{_num(hi)}"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
