"""``rtw-train lint``: every problem of a scenario file, with a stable code and a YAML position.

Why: scenario authors work in a text editor; a ruff-like ``file:line:col: CODE message`` list lets them
jump straight to each problem, and the codes (documented in docs/scenario-format.md) let tests and CI
assert on specific faults.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from .diagnostics import Diagnostic
from .graph import analyse, explore
from .loader import parse_scenario, reference_problems
from .rubric import ListeningRubric
from .scenario import Scenario

__all__ = ["FileReport", "lint_file", "LINT_CODES"]

LINT_CODES = {
    "SC001": "not valid YAML, or the file cannot be read",
    "SC002": "duplicate key in a mapping",
    "SC003": "the document is not a mapping",
    "SC101": "missing required field",
    "SC102": "invalid value",
    "SC103": "unknown field",
    "SC104": "condition syntax error",
    "SC201": "start node does not exist",
    "SC202": "jump to a node that does not exist",
    "SC203": "condition uses an undeclared state variable",
    "SC204": "effect on an undeclared state variable",
    "SC205": "speaker is not a declared character",
    "SC206": "behaviour code not in the rubric",
    "SC207": "duplicate choice id",
    "SC301": "node unreachable from start",
    "SC302": "dead end: no ending can be reached",
    "SC303": "no branch applies in a reachable state",
    "SC304": "ending never reached in any playthrough",
    "SC305": "branch nodes loop without a decision",
    "SC401": "option without behaviour codes",
    "SC402": "option without feedback",
    "SC403": "option without source",
    "SC404": "source does not cite the guides",
    "SC405": "decision with no constructive option",
    "SC406": "decision with a single option",
    "SC407": "fewer than two endings",
}

_GUIDE_SOURCE = re.compile(r"\b(IRSST guide|ISSA guidelines?)\b", re.IGNORECASE)


@dataclass
class FileReport:
    file: str
    scenario: Optional[Scenario]
    problems: list[Diagnostic] = field(default_factory=list)
    stats: Optional[dict[str, Any]] = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file}
        if self.stats is not None:
            out.update(self.stats)
        else:
            out.update({"id": None, "title": None})
        out["problems"] = [p.to_dict() for p in self.problems]
        return out


def lint_file(path: str | Path, rubric: ListeningRubric) -> FileReport:
    scenario, problems = parse_scenario(path)
    report = FileReport(str(path), scenario, sorted(problems, key=_order))
    if scenario is None:
        return report
    refs = reference_problems(scenario)
    report.problems.extend(refs)
    report.problems.extend(_codes_and_pedagogy(scenario, rubric))
    stats = analyse(scenario)
    file = str(path)

    def add(code: str, loc: tuple, message: str) -> None:
        line, col = scenario.position(*loc)
        report.problems.append(Diagnostic(file, line, col, code, message))

    for node_id in scenario.nodes:
        if node_id not in stats.reachable and scenario.start in scenario.nodes:
            add("SC301", ("nodes", node_id), f"node {node_id!r} cannot be reached from start {scenario.start!r}")
        elif node_id in stats.reachable and node_id not in stats.can_finish:
            add("SC302", ("nodes", node_id), f"dead end: no ending can be reached from node {node_id!r}")
    for loop in stats.branch_loops:
        add("SC305", ("nodes", loop[0]), f"branch nodes loop without a decision: {' -> '.join(loop + [loop[0]])}")
    if stats.endings < 2:
        add("SC407", ("nodes",), f"only {stats.endings} ending(s): a scenario needs at least two")

    reachable_endings: Optional[int] = None
    shortest = stats.shortest_path  # structural lower bound unless the exploration completes
    # The state exploration needs intact references (missing nodes and undeclared variables would crash).
    if not any(d.code in ("SC201", "SC202", "SC203", "SC204") for d in refs) and not stats.branch_loops:
        exploration = explore(scenario)
        reachable_endings = len(exploration.reached_endings)
        for node_id, example in exploration.stuck_branches.items():
            shown = ", ".join(f"{k}={v}" for k, v in example.items())
            add("SC303", ("nodes", node_id, "branches"),
                f"no branch of {node_id!r} applies when {shown}: the session would be stuck (add a fallback)")
        if exploration.complete:
            shortest = exploration.shortest_path
            for node_id, node in scenario.nodes.items():
                if node.ending is not None and node_id in stats.reachable and node_id not in exploration.reached_endings:
                    add("SC304", ("nodes", node_id),
                        f"ending {node_id!r} is never reached in any playthrough: the conditions leading to it never hold")
        else:
            reachable_endings = None
    report.stats = {
        "id": scenario.id,
        "title": scenario.title,
        "role": scenario.role,
        "version": scenario.version,
        "decision_points": stats.decision_points,
        "options": stats.options,
        "endings": stats.endings,
        "reachable_endings": reachable_endings,
        "shortest_path": shortest,
        "longest_path": stats.longest_path,
        "longest_path_bounded": stats.longest_path_bounded,
    }
    report.problems.sort(key=_order)
    return report


def _order(d: Diagnostic) -> tuple:
    return (d.line, d.column, d.code, d.message)


def _codes_and_pedagogy(scenario: Scenario, rubric: ListeningRubric) -> list[Diagnostic]:
    file = scenario.path or scenario.id
    out: list[Diagnostic] = []
    known = rubric.code_ids()

    def add(code: str, loc: tuple, message: str) -> None:
        line, col = scenario.position(*loc)
        out.append(Diagnostic(file, line, col, code, message))

    for node_id, node in scenario.nodes.items():
        if node.choices is None:
            continue
        base = ("nodes", node_id, "choices")
        for i, choice in enumerate(node.choices):
            cloc = base + (i,)
            label = f"option {i + 1} of {node_id!r}"
            if not choice.codes:
                add("SC401", cloc, f"{label} has no behaviour code")
            for j, code in enumerate(choice.codes):
                if code not in known:
                    add("SC206", cloc + ("codes", j), f"{label}: code {code!r} is not in the listening rubric")
            if not choice.feedback.strip():
                add("SC402", cloc, f"{label} has no feedback")
            if not choice.source.strip():
                add("SC403", cloc, f"{label} has no source")
            elif not _GUIDE_SOURCE.search(choice.source):
                add("SC404", cloc + ("source",),
                    f"{label}: source {choice.source!r} does not cite the guides ('IRSST guide, step N' or 'ISSA guideline N')")
        if len(node.choices) == 1:
            add("SC406", ("nodes", node_id), f"decision {node_id!r} has a single option")
        if not any(rubric.is_constructive_option(c.codes) for c in node.choices):
            add("SC405", ("nodes", node_id),
                f"decision {node_id!r} has no constructive option (one with a constructive code and no harmful one)")
    return out
