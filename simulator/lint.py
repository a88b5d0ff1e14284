"""``rtw-train lint``: every problem of a scenario file, with a stable code and a YAML position.

Why: scenario authors work in a text editor; a ruff-like ``file:line:col: CODE message`` list lets them
jump straight to each problem, and the codes (documented in docs/scenario-format.md) let tests and CI
assert on specific faults.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from .diagnostics import Diagnostic
from .graph import EXPLORATION_LIMIT, analyse, explore, leads_into
from .i18n import _
from .lint_coach import COACH_CODES, COACH_WARNINGS, coach_problems
from .loader import did_you_mean, parse_scenario, reference_problems
from .reasons import why_unreached
from .rubric import ListeningRubric
from .scenario import Scenario
from .translation_lint import TRANSLATION_CODES, TRANSLATION_WARNINGS, cites_guides, is_translation_file, lint_translation

__all__ = ["FileReport", "lint_file", "LINT_CODES", "WARNING_CODES"]

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
    "SC306": "no option of a decision is offered in a reachable state",
    "SC307": "state exploration stopped at its bound: state checks incomplete",
    "SC308": "an option's effect is cut to the variable's range in every state that offers it",
    "SC309": "decisions loop with no way out (no ending can be reached from the loop)",
    "SC401": "option without behaviour codes",
    "SC402": "option without feedback",
    "SC403": "option without source",
    "SC404": "source does not cite the guides",
    "SC405": "decision with no constructive option",
    "SC406": "decision with a single option",
    "SC407": "fewer than two endings",
    "SC408": "positive ending reachable through more harmful choices than allowed",
    "SC409": "decision offers a single option in a reachable state",
    "SC410": "decision offers no constructive option in a reachable state",
    "SC411": "prompt on a node that is not a decision (never shown)",
    **COACH_CODES,
    **TRANSLATION_CODES,
}

# Codes reported as warnings: printed and listed, but lint exits 0 for them unless --strict.
WARNING_CODES = {"SC307", "SC308", "SC408", "SC411", *COACH_WARNINGS} | TRANSLATION_WARNINGS


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


def lint_file(path: str | Path, rubric: ListeningRubric, *, max_states: Optional[int] = None) -> FileReport:
    """Every problem of one scenario file. ``max_states`` bounds the state exploration (default:
    ``graph.EXPLORATION_LIMIT``). A translation file (a ``translates`` key) is linted as one (SC501-SC505)."""
    if is_translation_file(path):
        _loaded, problems = lint_translation(path)
        return FileReport(str(path), None, problems)
    scenario, problems = parse_scenario(path)
    report = FileReport(str(path), scenario, sorted(problems, key=_order))
    if scenario is None:
        return report
    refs = reference_problems(scenario)
    report.problems.extend(refs)
    report.problems.extend(_codes_and_pedagogy(scenario, rubric))
    stats = analyse(scenario)
    file = str(path)
    limit = EXPLORATION_LIMIT if max_states is None else max_states

    def add(code: str, loc: tuple, message: str) -> None:
        line, col = scenario.position(*loc)
        report.problems.append(Diagnostic(file, line, col, code, message, _severity(code)))

    # A dead end that leads into a loop with no way out is explained by that loop's one SC309 (or SC305
    # for a loop of branch nodes): an SC302 per node would bury the one fix under a dozen errors.
    into = leads_into(scenario, stats.traps)
    for node_id in scenario.nodes:
        if node_id not in stats.reachable and scenario.start in scenario.nodes:
            add("SC301", ("nodes", node_id), _("node {node!r} cannot be reached from start {start!r}").format(
                node=node_id, start=scenario.start))
        elif node_id in stats.reachable and node_id not in stats.can_finish and not into[node_id]:
            add("SC302", ("nodes", node_id), _("dead end: no ending can be reached from node {node!r}").format(
                node=node_id))
    in_trap = {n for comp in stats.traps for n in comp}
    for k, comp in enumerate(stats.traps):
        if all(scenario.nodes[n].choices is None for n in comp):
            continue  # branch nodes only: SC305 names it
        feeders = [n for n in scenario.nodes
                   if k in into[n] and n not in in_trap and n in stats.reachable and n not in stats.can_finish]
        add("SC309", ("nodes", comp[0]), _trap_message(comp, feeders))
    for loop in stats.branch_loops:
        add("SC305", ("nodes", loop[0]), _("branch nodes loop without a decision: {loop}").format(
            loop=" -> ".join(loop + [loop[0]])))
    if stats.endings < 2:
        add("SC407", ("nodes",), _("only {count} ending(s): a scenario needs at least two").format(count=stats.endings))

    reachable_endings: Optional[int] = None
    shortest = stats.shortest_path  # structural lower bound unless the exploration completes
    explored: Optional[int] = None
    bounded: Optional[bool] = None
    # The state exploration needs intact references (missing nodes and undeclared variables would crash).
    if not any(d.code in ("SC201", "SC202", "SC203", "SC204") for d in refs) and not stats.branch_loops:
        exploration = explore(scenario, limit, rubric=rubric)
        explored, bounded = exploration.states, exploration.bound_hit
        reachable_endings = len(exploration.reached_endings)
        for node_id, example in exploration.stuck_branches.items():
            add("SC303", ("nodes", node_id, "branches"),
                _("no branch of {node!r} applies {when}: the session would be stuck (add a fallback)").format(
                    node=node_id, when=_when(example)))
        for node_id, example in exploration.stuck_decisions.items():
            add("SC306", ("nodes", node_id, "choices"),
                _("no option of decision {node!r} is offered {when}: the session would be stuck "
                  "(give an option no 'when', or widen the conditions)").format(node=node_id, when=_when(example)))
        for node_id, example in exploration.single_option.items():
            add("SC409", ("nodes", node_id, "choices"),
                _("decision {node!r} offers a single option {when}: keep at least two offered").format(
                    node=node_id, when=_when(example)))
        for node_id, example in exploration.no_constructive.items():
            add("SC410", ("nodes", node_id, "choices"),
                _("decision {node!r} offers no constructive option {when}: keep one offered in every state").format(
                    node=node_id, when=_when(example)))
        for node_id, route in exploration.harmful_positive.items():
            numbers = ",".join(map(str, route.choices))
            if route.harmful == 1:
                text = _("positive ending {node!r} can be reached through {count} harmful choice (more than "
                         "positive_ending_max_harmful: {allowed}), e.g. `{command}`: route such playthroughs "
                         "elsewhere (a condition on the built-in 'harmful')")
            else:
                text = _("positive ending {node!r} can be reached through {count} harmful choices (more than "
                         "positive_ending_max_harmful: {allowed}), e.g. `{command}`: route such playthroughs "
                         "elsewhere (a condition on the built-in 'harmful')")
            # The path as given to lint, not the id: `play ID` only finds packaged (or --scenarios) files.
            add("SC408", ("nodes", node_id, "ending", "outcome"), text.format(
                node=node_id, count=route.harmful, allowed=scenario.positive_ending_max_harmful,
                command=f"rtw-train play {_shell_word(file)} --choices {numbers}"))
        if exploration.complete:
            shortest = exploration.shortest_path
            for node_id, node in scenario.nodes.items():
                if node.ending is not None and node_id in stats.reachable and node_id not in exploration.reached_endings:
                    add("SC304", ("nodes", node_id),
                        _("ending {node!r} is never reached in any playthrough: {why}").format(
                            node=node_id, why=why_unreached(scenario, exploration, node_id)))
            for (node_id, position), clamp in sorted(exploration.always_clamped.items(), key=_spot_order(scenario)):
                numbers = ",".join(map(str, clamp.choices))
                add("SC308", ("nodes", node_id, "choices", position - 1, "effects", clamp.variable),
                    _("option {number} of {node!r} pushes {variable!r} out of its range {low}..{high} in every "
                      "state that offers it (e.g. to {value}, `{command}`): the engine clamps it, so the effect as "
                      "written never applies; change the effect or the range").format(
                        number=position, node=node_id, variable=clamp.variable, low=_num(clamp.low),
                        high=_num(clamp.high), value=_num(clamp.value),
                        command=f"rtw-train play {_shell_word(file)} --choices {numbers}"))
        else:
            reachable_endings = None
            add("SC307", ("nodes",),
                _("the state exploration stopped at its bound ({limit} states): SC304 is not checked and the "
                  "absence of SC303, SC306, SC408, SC409, SC410 is not established "
                  "(rtw-train lint --max-states N raises the bound)").format(limit=limit))
    explorable = not any(d.code in ("SC201", "SC202", "SC203", "SC204") for d in refs) and not stats.branch_loops
    report.problems.extend(
        coach_problems(scenario, rubric, explorable=explorable, limit=limit,
                       severity={code: _severity(code) for code in COACH_CODES})
    )
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
        "states_explored": explored,
        "state_limit": limit,
        "state_exploration_bounded": bounded,
    }
    report.problems.sort(key=_order)
    return report


def _shell_word(text: str) -> str:
    """``text`` quoted for a shell only when it needs it (paths with spaces), so commands stay copyable."""
    import shlex

    return shlex.quote(text)


def _trap_message(comp: list[str], feeders: list[str]) -> str:
    """One message for a loop with no way out: its nodes, and the nodes that can only lead into it."""
    def names(ids: list[str], cap: int = 8) -> str:
        shown = ", ".join(map(repr, ids[:cap]))
        if len(ids) > cap:
            return _("{names} and {count} more").format(names=shown, count=len(ids) - cap)
        return shown

    if len(comp) == 1:
        message = _("decisions loop with no way out: {node!r} leads back to itself, and no option or branch of the "
                    "loop reaches an ending (give one of them a way out)").format(node=comp[0])
    else:
        message = _("decisions loop with no way out: {nodes} lead only to one another, and no option or branch of "
                    "the loop reaches an ending (give one of them a way out)").format(nodes=names(comp))
    if feeders:
        message += _("; {count} other node(s) can only end up in it: {nodes}").format(
            count=len(feeders), nodes=names(feeders))
    return message


def _spot_order(scenario: Scenario):
    order = {n: i for i, n in enumerate(scenario.nodes)}
    return lambda item: (order[item[0][0]], item[0][1])


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _severity(code: str) -> str:
    return "warning" if code in WARNING_CODES else "error"


def _when(example: dict) -> str:
    """'when trust=10, harmful=3' for a message ('in some reachable state' if nothing is read)."""
    if not example:
        return _("in some reachable state")
    return _("when {values}").format(values=", ".join(f"{k}={v}" for k, v in example.items()))


def _order(d: Diagnostic) -> tuple:
    return (d.line, d.column, d.code, d.message)


def _codes_and_pedagogy(scenario: Scenario, rubric: ListeningRubric) -> list[Diagnostic]:
    file = scenario.path or scenario.id
    out: list[Diagnostic] = []
    known = rubric.code_ids()

    def add(code: str, loc: tuple, message: str) -> None:
        line, col = scenario.position(*loc)
        out.append(Diagnostic(file, line, col, code, message, _severity(code)))

    for node_id, node in scenario.nodes.items():
        if node.choices is None and node.prompt is not None:
            add("SC411", ("nodes", node_id, "prompt"),
                _("node {node!r} has a prompt but is not a decision: a prompt is only shown above choices").format(
                    node=node_id))
        if node.choices is None:
            continue
        base = ("nodes", node_id, "choices")
        for i, choice in enumerate(node.choices):
            cloc = base + (i,)
            where = {"number": i + 1, "node": node_id}
            if not choice.codes:
                add("SC401", cloc, _("option {number} of {node!r} has no behaviour code").format(**where))
            for j, code in enumerate(choice.codes):
                if code not in known:
                    add("SC206", cloc + ("codes", j),
                        _("option {number} of {node!r}: code {code!r} is not in the listening rubric{hint}").format(
                            code=code, hint=did_you_mean(code, known), **where))
            if not choice.feedback.strip():
                add("SC402", cloc, _("option {number} of {node!r} has no feedback").format(**where))
            if not choice.source.strip():
                add("SC403", cloc, _("option {number} of {node!r} has no source").format(**where))
            elif not cites_guides(choice.source):
                add("SC404", cloc + ("source",),
                    _("option {number} of {node!r}: source {source!r} does not cite the guides ('IRSST guide, step N' "
                      "or 'ISSA guideline N')").format(source=choice.source, **where))
        if len(node.choices) == 1:
            add("SC406", ("nodes", node_id), _("decision {node!r} has a single option").format(node=node_id))
        if not any(rubric.is_constructive_option(c.codes) for c in node.choices):
            add("SC405", ("nodes", node_id),
                _("decision {node!r} has no constructive option (one with a constructive code and no harmful "
                  "one)").format(node=node_id))
    return out
