"""Graph analyses of a scenario: reachability, dead ends, path lengths and a bounded state exploration.

Why separate from lint: the statistics (decision points, shortest/longest path) are also useful to the
tests and to authors; lint turns the findings into diagnostics.

Two views of a scenario:

* the **node graph** — an edge for every choice and branch, conditions ignored. Used for unreachable
  nodes, dead ends, branch-only loops and path lengths. Path lengths count decisions (decision nodes
  passed) from ``start`` to an ending; the longest is over simple paths (no node twice) and the depth-first
  search is bounded (``LONGEST_PATH_BUDGET`` expansions);
* the **state space** — (decision node, state) pairs actually reachable by playing, conditions honoured,
  bounded at ``EXPLORATION_LIMIT`` pairs. Used for endings that can never be reached, branch nodes and
  decisions that can get stuck, decisions that offer too few options in some state, positive endings
  reachable through too many harmful choices, and the shortest playthrough (breadth-first, so the first
  ending found is at the fewest decisions).

Why the state space stays small (see :class:`_StateModel`): two states are merged when no condition that can
still be evaluated on any path ahead can tell them apart. Only conditions that steer the conversation count
(branch and option ``when``; text variants never change where the conversation goes). For each decision node
and variable we know the constants it is still compared with ahead, and how far its value can still move up
or down (the largest sum of effects on any path ahead, infinite around a loop that keeps moving it). If every
value the variable can still take lies between the same two constants, only that interval matters, not the
value. This merges variables nobody reads any more, counters past their last threshold (hidden ``slips``
counters, the built-in ``harmful`` and ``turns``), and values too far from a threshold to reach it before the
end. A declared ``min``/``max`` that an effect ahead can push against counts as a constant too, so a state in
which some effect could still be clamped is never merged (SC308 asks about every such state). Each pair keeps
the real values of the first playthrough that reached it, so examples in messages are
real states and the path to them can be replayed with ``rtw-train play --choices``.
"""

from __future__ import annotations

import operator
from bisect import bisect_left
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from .conditions import BoolOp, Compare, Condition, Const, Not, Num, Var, variables
from .engine import MAX_AUTO_STEPS, _tidy
from .rubric import ListeningRubric
from .scenario import BUILTIN_VARIABLES, Scenario, compiled

__all__ = [
    "GraphStats",
    "Exploration",
    "HarmfulRoute",
    "Clamp",
    "successors",
    "analyse",
    "explore",
    "EXPLORATION_LIMIT",
]

# Distinct (decision node, state) pairs explored before giving up. The six packaged scenarios need at most a
# few thousand with the merging described above (they needed up to ~47 000 without it).
EXPLORATION_LIMIT = 200_000
LONGEST_PATH_BUDGET = 200_000


def successors(scenario: Scenario, node_id: str) -> list[str]:
    """Existing nodes a node can lead to (choices' and branches' ``next``), in file order, deduplicated."""
    node = scenario.nodes.get(node_id)
    if node is None:
        return []
    targets = [c.next for c in node.choices or []] + [b.next for b in node.branches or []]
    out: list[str] = []
    for t in targets:
        if t in scenario.nodes and t not in out:
            out.append(t)
    return out


@dataclass
class GraphStats:
    reachable: set[str]
    can_finish: set[str]  # nodes from which some ending can be reached
    branch_loops: list[list[str]]
    # Loops with no way out: cyclic strongly connected components, reachable from start, from which no
    # ending can be reached (nodes in file order). A session that enters one can never finish.
    traps: list[list[str]]
    decision_points: int
    options: int
    endings: int
    shortest_path: Optional[int]
    longest_path: Optional[int]
    longest_path_bounded: bool


def analyse(scenario: Scenario) -> GraphStats:
    nodes = scenario.nodes
    reachable: set[str] = set()
    if scenario.start in nodes:
        queue = deque([scenario.start])
        reachable.add(scenario.start)
        while queue:
            for nxt in successors(scenario, queue.popleft()):
                if nxt not in reachable:
                    reachable.add(nxt)
                    queue.append(nxt)

    predecessors: dict[str, set[str]] = {n: set() for n in nodes}
    for n in nodes:
        for nxt in successors(scenario, n):
            predecessors[nxt].add(n)
    can_finish = {n for n, node in nodes.items() if node.ending is not None}
    queue = deque(can_finish)
    while queue:
        for prev in predecessors[queue.popleft()]:
            if prev not in can_finish:
                can_finish.add(prev)
                queue.append(prev)

    shortest = _shortest(scenario) if scenario.start in nodes else None
    longest, bounded = _longest(scenario, can_finish) if scenario.start in nodes else (None, False)
    decisions = [n for n in nodes.values() if n.choices is not None]
    return GraphStats(
        reachable=reachable,
        can_finish=can_finish,
        branch_loops=_branch_loops(scenario),
        traps=_traps(scenario, reachable, can_finish),
        decision_points=len(decisions),
        options=sum(len(n.choices or []) for n in decisions),
        endings=sum(1 for n in nodes.values() if n.ending is not None),
        shortest_path=shortest,
        longest_path=longest,
        longest_path_bounded=bounded,
    )


def _cost(scenario: Scenario, node_id: str) -> int:
    return 1 if scenario.nodes[node_id].choices is not None else 0


def _shortest(scenario: Scenario) -> Optional[int]:
    """0-1 BFS: leaving a decision node costs 1, a branch node 0."""
    dist = {scenario.start: 0}
    queue = deque([scenario.start])
    best: Optional[int] = None
    while queue:
        n = queue.popleft()
        d = dist[n]
        if scenario.nodes[n].ending is not None:
            best = d if best is None else min(best, d)
            continue
        step = _cost(scenario, n)
        for nxt in successors(scenario, n):
            nd = d + step
            if nxt not in dist or nd < dist[nxt]:
                dist[nxt] = nd
                if step == 0:
                    queue.appendleft(nxt)
                else:
                    queue.append(nxt)
    return best


def _longest(scenario: Scenario, can_finish: set[str]) -> tuple[Optional[int], bool]:
    """Longest simple path in decisions from start to an ending; (value, bound hit)."""
    if scenario.start not in can_finish:
        return None, False
    best: Optional[int] = None
    budget = LONGEST_PATH_BUDGET
    bounded = False
    on_path: set[str] = set()
    # iterative DFS: stack of (node, decisions so far, iterator over successors)
    stack: list[tuple[str, int, list[str]]] = []

    def push(n: str, d: int) -> None:
        on_path.add(n)
        succ = [s for s in successors(scenario, n) if s in can_finish]
        stack.append((n, d, succ))

    push(scenario.start, 0)
    while stack:
        n, d, succ = stack[-1]
        if scenario.nodes[n].ending is not None:
            best = d if best is None else max(best, d)
        if not succ:
            stack.pop()
            on_path.discard(n)
            continue
        nxt = succ.pop(0)
        if nxt in on_path:
            continue
        budget -= 1
        if budget <= 0:
            bounded = True
            break
        push(nxt, d + _cost(scenario, n))
    return best, bounded


def _branch_loops(scenario: Scenario) -> list[list[str]]:
    """Cycles made only of branch nodes (strongly connected components of the branch-only subgraph)."""
    branch_nodes = [n for n, node in scenario.nodes.items() if node.branches is not None]
    graph = {n: [s for s in successors(scenario, n) if s in scenario.nodes and scenario.nodes[s].branches is not None]
             for n in branch_nodes}
    order = {n: i for i, n in enumerate(scenario.nodes)}
    return [
        sorted(comp, key=order.__getitem__)
        for comp in _sccs(branch_nodes, graph)
        if len(comp) > 1 or comp[0] in graph[comp[0]]
    ]


def _traps(scenario: Scenario, reachable: set[str], can_finish: set[str]) -> list[list[str]]:
    """Reachable cycles that cannot reach an ending, one list per strongly connected component.

    Why components and not cycles: a component is the smallest unit an author can fix (one exit from any of
    its nodes frees all of them), and there is exactly one per knot, however many cycles run through it."""
    names = [n for n in scenario.nodes if n in reachable and n not in can_finish]
    edges = {n: [s for s in successors(scenario, n) if s in reachable and s not in can_finish] for n in names}
    order = {n: i for i, n in enumerate(scenario.nodes)}
    found = [
        sorted(comp, key=order.__getitem__)
        for comp in _sccs(names, edges)
        if len(comp) > 1 or comp[0] in edges[comp[0]]
    ]
    return sorted(found, key=lambda comp: order[comp[0]])


def leads_into(scenario: Scenario, traps: list[list[str]]) -> dict[str, set[int]]:
    """For every node, the indices (in ``traps``) of the no-exit loops it can reach (its own included)."""
    preds: dict[str, set[str]] = {n: set() for n in scenario.nodes}
    for n in scenario.nodes:
        for nxt in successors(scenario, n):
            preds[nxt].add(n)
    out: dict[str, set[int]] = {n: set() for n in scenario.nodes}
    for k, comp in enumerate(traps):
        queue = deque(comp)
        seen = set(comp)
        while queue:
            n = queue.popleft()
            out[n].add(k)
            for p in preds[n]:
                if p not in seen:
                    seen.add(p)
                    queue.append(p)
    return out


@dataclass(frozen=True)
class Clamp:
    """An option whose effect would take a variable out of its declared range (the engine clamps it)."""

    variable: str
    value: float  # the value the effect would give before clamping
    low: float
    high: float
    choices: tuple[int, ...]  # a playthrough ending with this option (numbers as offered)


@dataclass(frozen=True)
class HarmfulRoute:
    """A playthrough reaching a positive ending through more harmful choices than the scenario allows."""

    harmful: int
    choices: tuple[int, ...]  # option numbers as offered (``rtw-train play ID --choices 1,2,...``)


@dataclass
class Exploration:
    complete: bool  # False when the limit was hit: absence findings are then not reliable
    states: int
    reached_endings: set[str] = field(default_factory=set)
    reached_nodes: set[str] = field(default_factory=set)
    shortest_path: Optional[int] = None  # fewest decisions in a playthrough that reaches an ending
    stuck_branches: dict[str, dict] = field(default_factory=dict)  # node -> example (variables its branches read)
    limit: int = EXPLORATION_LIMIT
    # Decisions whose options depend on the state (some option has ``when``): node -> example state where...
    stuck_decisions: dict[str, dict] = field(default_factory=dict)  # ...no option is offered (SC306)
    single_option: dict[str, dict] = field(default_factory=dict)  # ...a single option is offered (SC409)
    no_constructive: dict[str, dict] = field(default_factory=dict)  # ...no constructive option is offered (SC410)
    # Positive ending -> shortest playthrough reaching it with more than max_harmful harmful choices (SC408).
    harmful_positive: dict[str, HarmfulRoute] = field(default_factory=dict)
    max_harmful: Optional[int] = None  # the SC408 threshold used (None: not checked)
    # (decision, option's 1-based place in the file) -> first clamped effect found; options whose effects
    # applied without clamping in at least one state. SC308 = clamped and never applied in full. Exact: a
    # state from which an effect ahead can reach a bound is never merged with another (see _abstraction).
    clamped: dict[tuple[str, int], Clamp] = field(default_factory=dict)
    applied_in_full: set[tuple[str, int]] = field(default_factory=set)
    # What the explanations of SC304 need: options offered and branches whose condition held / were taken
    # (node, 1-based place in the file), and per node the lowest and highest value seen on arrival of each
    # variable its steering conditions read.
    offered: set[tuple[str, int]] = field(default_factory=set)
    branch_held: set[tuple[str, int]] = field(default_factory=set)
    branch_taken: set[tuple[str, int]] = field(default_factory=set)
    seen_values: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)

    @property
    def bound_hit(self) -> bool:
        return not self.complete

    @property
    def always_clamped(self) -> dict[tuple[str, int], Clamp]:
        """Options whose effect is cut to the declared range in every reachable state that offers them."""
        return {spot: c for spot, c in self.clamped.items() if spot not in self.applied_in_full}


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
}
_INF = float("inf")
_EPS = 1e-6  # bounds are widened by this much: float noise can only make merging more cautious


def _compile(cond: Condition, index: dict[str, int]) -> Callable[[tuple], bool]:
    """A condition as a function of the state tuple (evaluating a parsed tree per state is the hot spot)."""
    if isinstance(cond, Const):
        value = cond.value
        return lambda t: value
    if isinstance(cond, Compare):
        op = _OPS[cond.op]
        left, right = cond.left, cond.right
        if isinstance(left, Var) and isinstance(right, Var):
            i, j = index[left.name], index[right.name]
            return lambda t: op(t[i], t[j])
        if isinstance(left, Var) and isinstance(right, Num):
            i, c = index[left.name], right.value
            return lambda t: op(t[i], c)
        assert isinstance(right, Var) and isinstance(left, Num)  # the parser refuses a comparison without a variable
        j, c = index[right.name], left.value
        return lambda t: op(c, t[j])
    if isinstance(cond, Not):
        inner = _compile(cond.operand, index)
        return lambda t: not inner(t)
    if isinstance(cond, BoolOp):
        parts = tuple(_compile(p, index) for p in cond.operands)
        if cond.op == "and":
            return lambda t: all(p(t) for p in parts)
        return lambda t: any(p(t) for p in parts)
    raise TypeError(f"not a condition: {cond!r}")


def _comparisons(cond: Condition, constants: dict[str, set], exact: set[str]) -> None:
    """Collect, per variable, the constants it is compared with; variables compared with variables: exact."""
    if isinstance(cond, Compare):
        left, right = cond.left, cond.right
        if isinstance(left, Var) and isinstance(right, Var):
            exact.update((left.name, right.name))
            constants.setdefault(left.name, set())  # read ahead: alive, even without a constant
            constants.setdefault(right.name, set())
        elif isinstance(left, Var) and isinstance(right, Num):
            constants.setdefault(left.name, set()).add(right.value)
        elif isinstance(right, Var) and isinstance(left, Num):
            constants.setdefault(right.name, set()).add(left.value)
    elif isinstance(cond, Not):
        _comparisons(cond.operand, constants, exact)
    elif isinstance(cond, BoolOp):
        for part in cond.operands:
            _comparisons(part, constants, exact)


def _steering(node: Any) -> list[str]:
    """The conditions of a node that decide where the conversation goes (not text variants)."""
    out = [b.when for b in node.branches or [] if b.when is not None]
    out += [c.when for c in node.choices or [] if c.when is not None]
    return out


def _sccs(nodes: list[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components, sinks first (iterative Tarjan: no recursion limit on long scenarios)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(edges[w])))
                    advanced = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(comp)
    return out


class _StateModel:
    """The scenario compiled for exploration: states are tuples, conditions and effects work on indices.

    State tuple: the declared variables (file order), then ``turns`` and ``harmful``."""

    def __init__(self, scenario: Scenario, rubric: ListeningRubric, max_harmful: Optional[int]):
        self.scenario = scenario
        self.rubric = rubric
        self.names = list(scenario.state) + list(BUILTIN_VARIABLES)
        self.index = {n: i for i, n in enumerate(self.names)}
        self.turns_i, self.harmful_i = self.index["turns"], self.index["harmful"]
        self.lo = [v.min for v in scenario.state.values()] + [0, 0]
        self.hi = [v.max for v in scenario.state.values()] + [_INF, _INF]
        nodes = scenario.nodes
        self.branches = {
            nid: [(None if b.when is None else _compile(compiled(b.when), self.index), b.next, k)
                  for k, b in enumerate(n.branches, start=1)]
            for nid, n in nodes.items() if n.branches is not None
        }
        # per decision: [(when or None, next, effects [(i, delta, lo, hi)], harmful, constructive, position)]
        self.options: dict[str, list[tuple]] = {}
        for nid, n in nodes.items():
            if n.choices is None:
                continue
            opts = []
            for position, c in enumerate(n.choices, start=1):
                effects = [
                    (self.index[k], d, self.lo[self.index[k]], self.hi[self.index[k]])
                    for k, d in c.effects.items() if k in scenario.state
                ]
                opts.append((
                    None if c.when is None else _compile(compiled(c.when), self.index),
                    c.next,
                    effects,
                    rubric.is_harmful(c.codes),
                    rubric.is_constructive_option(c.codes),
                    position,
                ))
            self.options[nid] = opts
        self.conditional = {nid for nid, n in nodes.items() if n.choices and any(c.when for c in n.choices)}
        self.reads = {
            nid: sorted({v for text in _steering(n) for v in _variables(text)}, key=self.index.__getitem__)
            for nid, n in nodes.items()
        }
        self._abstraction(max_harmful)

    def _abstraction(self, max_harmful: Optional[int]) -> None:
        """Per decision node, for each variable still compared ahead: (index, constants, down, up)."""
        sc = self.scenario
        nodes = list(sc.nodes)
        edges = {n: successors(sc, n) for n in nodes}
        exact: set[str] = set()
        here: dict[str, dict[str, set]] = {}
        for nid, node in sc.nodes.items():
            consts: dict[str, set] = {}
            for text in _steering(node):
                _comparisons(compiled(text), consts, exact)
            if max_harmful is not None and node.ending is not None and node.ending.outcome == "positive":
                consts.setdefault("harmful", set()).add(max_harmful)  # SC408 asks "harmful > N" there
            here[nid] = consts
        comps = _sccs(nodes, edges)  # sinks first
        comp_of = {n: k for k, comp in enumerate(comps) for n in comp}
        # Constants each variable is still compared with, from a node on (itself included).
        ahead: dict[str, dict[str, set]] = {}
        for comp in comps:
            merged: dict[str, set] = {}
            for n in comp:
                for var, cs in here[n].items():
                    merged.setdefault(var, set()).update(cs)
                for m in edges[n]:
                    if comp_of[m] != comp_of[n]:
                        for var, cs in ahead[m].items():
                            merged.setdefault(var, set()).update(cs)
            for n in comp:
                ahead[n] = merged

        def deltas(n: str, m: str) -> list[dict[str, float]]:
            node = sc.nodes[n]
            out = []
            for c in node.choices or []:
                if c.next == m:
                    d = {k: v for k, v in c.effects.items() if k in sc.state}
                    d["turns"] = 1
                    d["harmful"] = 1 if self.rubric.is_harmful(c.codes) else 0
                    out.append(d)
            if node.branches and any(b.next == m for b in node.branches):
                out.append({})
            return out

        # Largest total rise (up) and fall (down) of each variable on any path from a node on.
        up: dict[str, dict[str, float]] = {}
        down: dict[str, dict[str, float]] = {}
        for comp in comps:
            cyclic = len(comp) > 1 or comp[0] in edges[comp[0]]
            u: dict[str, float] = {}
            d: dict[str, float] = {}
            inner_u: set[str] = set()
            inner_d: set[str] = set()
            for n in comp:
                for m in edges[n]:
                    for eff in deltas(n, m):
                        if comp_of[m] == comp_of[n]:
                            inner_u.update(k for k, v in eff.items() if v > 0)
                            inner_d.update(k for k, v in eff.items() if v < 0)
                            continue
                        for var in self.names:
                            delta = eff.get(var, 0)
                            u[var] = max(u.get(var, 0), max(delta, 0) + up[m].get(var, 0))
                            d[var] = max(d.get(var, 0), max(-delta, 0) + down[m].get(var, 0))
            if cyclic:
                # Every edge inside a loop can be taken again and again: any rise or fall there is unbounded.
                for var in inner_u:
                    u[var] = _INF
                for var in inner_d:
                    d[var] = _INF
            for n in comp:
                up[n], down[n] = u, d

        self.merge: dict[str, list[tuple]] = {}
        for nid, node in sc.nodes.items():
            if node.choices is None:
                continue
            plan: list[tuple] = []
            for var in self.names:
                compared = ahead[nid].get(var)
                i = self.index[var]
                rise, fall = up[nid].get(var, 0), down[nid].get(var, 0)
                # A bound an effect ahead can push against counts as a threshold too: clamping (SC308) must
                # be found on every state where it can happen, not only on the one kept for a merged group.
                bounds = ({self.hi[i]} if rise > 0 and self.hi[i] != _INF else set()) | (
                    {self.lo[i]} if fall > 0 and self.lo[i] != -_INF else set())
                if var not in sc.state:
                    bounds = set()  # built-ins are counted, never clamped
                if compared is None and not bounds:
                    continue  # never compared again and never clamped: its value no longer matters
                if var in exact:
                    plan.append((i, None, 0.0, 0.0))
                else:
                    plan.append((i, sorted(set(compared or ()) | bounds), fall, rise))
            self.merge[nid] = plan

    def key(self, node_id: str, values: tuple) -> tuple:
        """The merged form of a state at a decision node (see the module docstring)."""
        out: list[Any] = [node_id]
        lo, hi = self.lo, self.hi
        for i, consts, dn, up in self.merge[node_id]:
            x = values[i]
            if consts is None:
                out.append((x,))
                continue
            a = max(lo[i], x - dn) - _EPS
            b = min(hi[i], x + up) + _EPS
            ra, rb = _region(consts, a), _region(consts, b)
            out.append(ra if ra == rb else (x,))
        return tuple(out)

    def apply(self, values: tuple, option: tuple) -> tuple:
        """State after an option: effects added and clamped exactly as the engine does, built-ins counted."""
        new = list(values)
        for i, delta, lo, hi in option[2]:
            new[i] = _tidy(min(hi, max(lo, new[i] + delta)))
        new[self.turns_i] += 1
        if option[3]:
            new[self.harmful_i] += 1
        return tuple(new)

    def example(self, node_id: str, values: tuple) -> dict:
        """The values of the variables a node's steering conditions read (what an author needs to see)."""
        return {name: values[self.index[name]] for name in self.reads[node_id]}


def _variables(text: str) -> list[str]:
    return variables(compiled(text))


def _region(consts: list, value: float) -> int:
    """Which interval between the (sorted) constants a value lies in: 2k for below consts[k], 2k+1 on it."""
    k = bisect_left(consts, value)
    if k < len(consts) and consts[k] == value:
        return 2 * k + 1
    return 2 * k


def explore(
    scenario: Scenario,
    limit: int = EXPLORATION_LIMIT,
    *,
    rubric: Optional[ListeningRubric] = None,
    max_harmful: Optional[int] = None,
) -> Exploration:
    """Breadth-first over reachable (decision node, state) pairs, honouring conditions and clamping.

    ``rubric`` tells harmful and constructive options apart (default: the packaged rubric); ``max_harmful``
    (default: the scenario's ``positive_ending_max_harmful``) is the SC408 threshold. Only meaningful for a
    scenario without reference problems (missing nodes, undeclared variables)."""
    if rubric is None:
        from .loader import load_rubric

        rubric = load_rubric()
    if max_harmful is None:
        max_harmful = scenario.positive_ending_max_harmful
    result = Exploration(complete=True, states=0, limit=limit, max_harmful=max_harmful)
    if scenario.start not in scenario.nodes:
        return result
    model = _StateModel(scenario, rubric, max_harmful)
    nodes = scenario.nodes
    harmful_i = model.harmful_i
    seen: set[tuple] = set()
    # queue items: (decision node, real values, path) — path is a linked list (number, previous path)
    queue: deque[tuple[str, tuple, Any]] = deque()

    def path_numbers(path: Any) -> tuple[int, ...]:
        out = []
        while path is not None:
            out.append(path[0])
            path = path[1]
        return tuple(reversed(out))

    seen_values = result.seen_values

    def see(node_id: str, values: tuple) -> None:
        """Widen the range of values seen at a node, for the variables its conditions read (SC304's why)."""
        reads = model.reads[node_id]
        if not reads:
            return
        ranges = seen_values.setdefault(node_id, {})
        for name in reads:
            x = values[model.index[name]]
            low_high = ranges.get(name)
            if low_high is None:
                ranges[name] = (x, x)
            elif x < low_high[0] or x > low_high[1]:
                ranges[name] = (min(x, low_high[0]), max(x, low_high[1]))

    def arrive(node_id: str, values: tuple, path: Any, depth: int) -> None:
        """Follow branch nodes from ``node_id``; enqueue the decision reached, record endings/stuck."""
        for _ in range(MAX_AUTO_STEPS):
            node = nodes.get(node_id)
            if node is None:
                return
            result.reached_nodes.add(node_id)
            if node.ending is not None:
                result.reached_endings.add(node_id)
                if result.shortest_path is None or depth < result.shortest_path:
                    result.shortest_path = depth
                if (
                    node.ending.outcome == "positive"
                    and values[harmful_i] > max_harmful
                    and node_id not in result.harmful_positive
                ):
                    result.harmful_positive[node_id] = HarmfulRoute(int(values[harmful_i]), path_numbers(path))
                return
            if node.choices is not None:
                see(node_id, values)
                key = model.key(node_id, values)
                if key not in seen:
                    seen.add(key)
                    queue.append((node_id, values, path))
                return
            see(node_id, values)
            taken = None
            for cond, nxt, k in model.branches[node_id]:
                if cond is None or cond(values):
                    result.branch_held.add((node_id, k))
                    if taken is None:
                        taken = nxt
                        result.branch_taken.add((node_id, k))
            if taken is None:
                result.stuck_branches.setdefault(node_id, model.example(node_id, values))
                return
            node_id = taken
        # a branch-only loop: reported structurally as SC305

    start = tuple(scenario.initial_state()[n] for n in scenario.state) + (0, 0)
    arrive(scenario.start, start, None, 0)
    while queue:
        if len(seen) > limit:
            result.complete = False
            break
        node_id, values, path = queue.popleft()
        options = model.options[node_id]
        if node_id in model.conditional:
            offered = [o for o in options if o[0] is None or o[0](values)]
            if not offered:
                result.stuck_decisions.setdefault(node_id, model.example(node_id, values))
                continue
            if len(offered) == 1 and len(options) > 1:
                result.single_option.setdefault(node_id, model.example(node_id, values))
            if not any(o[4] for o in offered) and any(o[4] for o in options):
                result.no_constructive.setdefault(node_id, model.example(node_id, values))
        else:
            offered = options
        depth = values[model.turns_i] + 1
        for number, option in enumerate(offered, start=1):
            spot = (node_id, option[5])
            result.offered.add(spot)
            for i, delta, lo, hi in option[2]:
                raw = _tidy(values[i] + delta)
                if raw < lo or raw > hi:
                    if spot not in result.clamped:
                        result.clamped[spot] = Clamp(model.names[i], raw, lo, hi, path_numbers((number, path)))
                    break
            else:
                result.applied_in_full.add(spot)
            arrive(option[1], model.apply(values, option), (number, path), depth)
    result.states = len(seen)
    return result
