"""Graph analyses of a scenario: reachability, dead ends, path lengths and a bounded state exploration.

Why separate from lint: the statistics (decision points, shortest/longest path) are also useful to the
tests and to authors; lint turns the findings into diagnostics.

Two views of a scenario:

* the **node graph** — an edge for every choice and branch, conditions ignored. Used for unreachable
  nodes, dead ends, branch-only loops and path lengths. Path lengths count decisions (decision nodes
  passed) from ``start`` to an ending; the longest is over simple paths (no node twice) and the depth-first
  search is bounded (``LONGEST_PATH_BUDGET`` expansions);
* the **state space** — (node, state) pairs actually reachable by playing, conditions honoured, bounded at
  ``EXPLORATION_LIMIT`` pairs. Used for endings that can never be reached, branch nodes that can get stuck,
  and the shortest playthrough (breadth-first, so the first ending found is at the fewest decisions).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Optional

from .engine import MAX_AUTO_STEPS, apply_effects, pick_branch
from .scenario import Scenario

__all__ = ["GraphStats", "Exploration", "successors", "analyse", "explore", "EXPLORATION_LIMIT"]

EXPLORATION_LIMIT = 50_000
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
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[list[str]] = []
    counter = 0

    def strongconnect(v: str) -> None:  # Tarjan; branch-only subgraphs are small
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph[v]:
                order = {n: i for i, n in enumerate(scenario.nodes)}
                loops.append(sorted(comp, key=order.__getitem__))

    for v in branch_nodes:
        if v not in index:
            strongconnect(v)
    return loops


@dataclass
class Exploration:
    complete: bool  # False when the limit was hit: absence findings are then not reliable
    states: int
    reached_endings: set[str] = field(default_factory=set)
    reached_nodes: set[str] = field(default_factory=set)
    shortest_path: Optional[int] = None  # fewest decisions in a playthrough that reaches an ending
    stuck_branches: dict[str, dict] = field(default_factory=dict)  # node -> one example state


def explore(scenario: Scenario, limit: int = EXPLORATION_LIMIT) -> Exploration:
    """Breadth-first over reachable (node, state) pairs, honouring conditions and clamping.

    Only meaningful for a scenario without reference problems (missing nodes, undeclared variables)."""
    result = Exploration(complete=True, states=0)
    if scenario.start not in scenario.nodes:
        return result
    names = sorted(scenario.state)

    def key(node_id: str, state: dict) -> tuple:
        return (node_id,) + tuple(state[n] for n in names)

    seen: set[tuple] = set()
    queue: deque[tuple[str, dict, int]] = deque()

    def arrive(node_id: str, state: dict, depth: int) -> None:
        """Follow branch nodes from ``node_id``; enqueue the decision reached, record endings/stuck."""
        for _ in range(MAX_AUTO_STEPS):
            node = scenario.nodes.get(node_id)
            if node is None:
                return
            result.reached_nodes.add(node_id)
            if node.ending is not None:
                result.reached_endings.add(node_id)
                if result.shortest_path is None or depth < result.shortest_path:
                    result.shortest_path = depth
                return
            if node.choices is not None:
                k = key(node_id, state)
                if k not in seen:
                    seen.add(k)
                    queue.append((node_id, state, depth))
                return
            branch = pick_branch(node, state)
            if branch is None:
                result.stuck_branches.setdefault(node_id, dict(state))
                return
            node_id = branch.next
        # a branch-only loop: reported structurally as SC305

    arrive(scenario.start, scenario.initial_state(), 0)
    while queue:
        if len(seen) > limit:
            result.complete = False
            break
        node_id, state, depth = queue.popleft()
        for choice in scenario.nodes[node_id].choices or []:
            arrive(choice.next, apply_effects(scenario, state, choice.effects), depth + 1)
    result.states = len(seen)
    return result
