"""Lint checks that keep the coach and the author in agreement (SC412-SC418).

Why a module apart from ``simulator.lint``: these checks are about rubric v2 authoring — which dimensions a
scenario trains (``trains``) and which option is the author's model answer at each decision (``model``) —
not about the file's structure; ``lint.lint_file`` calls :func:`coach_problems` once per scenario.

The coach names the model option when one is offered (``engine.better_choice``), so a decision must offer
exactly one model answer in every state where it is reached (SC412), the rubric's own rule should not call
another option clearly better than it (SC413: the codes disagree with the author), and a model answer must
not carry a harmful code (SC414); playing the model answer at every decision must reach a positive ending
with every trained dimension meeting its threshold (SC418, the property the tests check).
"""

from __future__ import annotations

import shlex
from typing import Optional

from .diagnostics import Diagnostic
from .engine import Session
from .errors import SessionError
from .graph import explore
from .i18n import _
from .loader import did_you_mean
from .rubric import ListeningRubric
from .scenario import Scenario

__all__ = ["COACH_CODES", "COACH_WARNINGS", "coach_problems"]

COACH_CODES = {
    "SC412": "decision with no model option, with more than one, or whose model option is not offered in a reachable state",
    "SC413": "the rubric's rule calls another option clearly better than the model option",
    "SC414": "the model option carries a harmful code",
    "SC415": "scenario does not declare the dimensions it trains (`trains`)",
    "SC416": "`trains` names a dimension that is not in the rubric",
    "SC417": "a trained dimension has no evidence in any option of the scenario",
    "SC418": "the model path does not end positively, or a trained dimension does not meet its threshold on it",
}
COACH_WARNINGS = {"SC412", "SC413", "SC414", "SC415", "SC417", "SC418"}
# Decisions played along the model path before lint calls it a loop.
MODEL_PATH_LIMIT = 1000

# Appended to a model option's codes in the copy handed to the state exploration (never a real code id:
# rubric ids match ^[a-z][a-z0-9_]*$).
_MODEL_MARK = "<model>"


class _ModelAsConstructive:
    """A stand-in for the rubric in ``graph.explore``: harmful options are the rubric's (the built-in
    ``harmful`` steers conditions, so it must stay exact), and "constructive" means "the model option".

    Why: the exploration already reports, per decision, a reachable state where no constructive option is
    offered (SC410); with this stand-in the same finding is "no model option is offered here" (SC412),
    without a second state exploration to maintain."""

    def __init__(self, rubric: ListeningRubric) -> None:
        self._rubric = rubric

    def is_harmful(self, codes: list[str]) -> bool:
        return self._rubric.is_harmful([c for c in codes if c != _MODEL_MARK])

    def is_constructive_option(self, codes: list[str]) -> bool:
        return _MODEL_MARK in codes


def _unoffered_models(scenario: Scenario, rubric: ListeningRubric, limit: int) -> dict[str, dict]:
    """Decision -> an example reachable state where none of its model options is offered (only decisions
    whose options have ``when``: elsewhere every option is always offered)."""
    conditional = [
        nid for nid, n in scenario.nodes.items()
        if n.choices and any(c.when for c in n.choices) and any(c.model for c in n.choices)
    ]
    if not conditional:
        return {}
    marked = scenario.model_copy(deep=True)
    for nid in conditional:
        for choice in marked.nodes[nid].choices or []:
            if choice.model:
                choice.codes = [*choice.codes, _MODEL_MARK]
    result = explore(marked, limit, rubric=_ModelAsConstructive(rubric))  # type: ignore[arg-type]
    return {nid: ex for nid, ex in result.no_constructive.items() if nid in conditional}


def _model_path(scenario: Scenario, rubric: ListeningRubric) -> tuple[Optional[Session], str]:
    """Play the model option at every decision. (session, "") when it ends; (None, why) when a decision
    offers no single model option (SC412 says where) or the path does not end."""
    try:
        session = Session.start(scenario, rubric)
        while not session.finished:
            if len(session.turns) >= MODEL_PATH_LIMIT:
                return None, _("the model path does not end after {limit} decisions (a loop of model options)").format(
                    limit=MODEL_PATH_LIMIT)
            models = [n for n, c in enumerate(session.offered_choices(), start=1) if c.model]
            if len(models) != 1:
                return None, ""
            session.choose(models[0])
    except SessionError as exc:
        return None, _("the model path stops: {error}").format(error=exc)
    return session, ""


def _check_model_path(scenario: Scenario, rubric: ListeningRubric, add) -> None:
    """SC418: the model path must reach a positive ending with every trained dimension meeting its threshold
    (the property the tests check); the message gives the path to replay."""
    from .scoring import score

    session, why = _model_path(scenario, rubric)
    if session is None:
        if why:
            add("SC418", ("start",), why)
        return
    numbers = ",".join(str(t.number) for t in session.turns)
    replay = f"(`rtw-train play {shlex.quote(str(scenario.path or scenario.id))} --choices {numbers}`)"
    ending = session.node.ending
    if ending is not None and ending.outcome != "positive":
        if ending.outcome == "negative":
            text = _("the model path ends at {node!r}, a negative ending {replay}: the author's answers should lead "
                     "to a positive ending")
        else:
            text = _("the model path ends at {node!r}, a mixed ending {replay}: the author's answers should lead "
                     "to a positive ending")
        add("SC418", ("nodes", session.node_id, "ending", "outcome"), text.format(node=session.node_id, replay=replay))
    result = score(session, rubric)
    for j, dim_id in enumerate(scenario.trains):
        dim = result.dimensions.get(dim_id)
        if dim is not None and not dim.meets:
            if dim.value is None:
                text = _("trained dimension {dimension!r} does not meet its threshold on the model path (no evidence) "
                         "{replay}")
            else:
                text = _("trained dimension {dimension!r} does not meet its threshold on the model path ({value}, "
                         "below {threshold:g}) {replay}")
            add("SC418", ("trains", j), text.format(dimension=dim_id, value=dim.value, threshold=dim.threshold,
                                                    replay=replay))


def _labels(codes: list[str]) -> str:
    return ", ".join(codes) or _("no code")


def coach_problems(
    scenario: Scenario, rubric: ListeningRubric, *, explorable: bool, limit: int, severity: dict[str, str]
) -> list[Diagnostic]:
    """SC412-SC417 for one scenario. ``explorable``: references are intact, so the state exploration can
    run (needed for model options with ``when``); ``severity`` maps a code to "error" or "warning"."""
    file = scenario.path or scenario.id
    out: list[Diagnostic] = []

    def add(code: str, loc: tuple, message: str) -> None:
        line, col = scenario.position(*loc)
        out.append(Diagnostic(file, line, col, code, message, severity.get(code, "error")))

    dims = [d.id for d in rubric.dimensions]
    if not scenario.trains:
        add("SC415", ("id",),
            _("scenario {id!r} does not declare `trains`: every dimension with evidence is judged; list "
              "the dimensions it trains (one or more of: {dimensions})").format(id=scenario.id, dimensions=", ".join(dims)))
    evidenced = {
        dim
        for node in scenario.nodes.values()
        for choice in node.choices or []
        for cid in choice.codes
        if (code := rubric.code(cid)) is not None and code.valence != "neutral"
        for dim in code.dimensions
    }
    for j, dim in enumerate(scenario.trains):
        if dim not in dims:
            add("SC416", ("trains", j),
                _("`trains` names {dimension!r}, which is not a dimension of the listening rubric{hint}").format(
                    dimension=dim, hint=did_you_mean(dim, dims)))
        elif dim not in evidenced:
            add("SC417", ("trains", j),
                _("trained dimension {dimension!r} can never be judged: no option carries a constructive or harmful "
                  "code mapped to it").format(dimension=dim))

    unoffered = _unoffered_models(scenario, rubric, limit) if explorable else {}
    if explorable and scenario.start in scenario.nodes:
        _check_model_path(scenario, rubric, add)
    for node_id, node in scenario.nodes.items():
        if not node.choices:
            continue
        models = [i for i, c in enumerate(node.choices) if c.model]
        base = ("nodes", node_id, "choices")
        if not models:
            add("SC412", ("nodes", node_id),
                _("decision {node!r} has no model option: mark the author's answer with `model: true`, or the coach "
                  "falls back to the rubric's rule").format(node=node_id))
            continue
        if len(models) > 1:
            numbers = ", ".join(str(i + 1) for i in models)
            add("SC412", base + (models[1], "model"),
                _("decision {node!r} marks {count} model options ({numbers}): keep one").format(
                    node=node_id, count=len(models), numbers=numbers))
        elif node_id in unoffered:
            example = unoffered[node_id]
            if example:
                when = _("when {values}").format(values=", ".join(f"{k}={v}" for k, v in example.items()))
            else:
                when = _("in some reachable state")
            add("SC412", base + (models[0], "when"),
                _("the model option {number} of {node!r} is not offered {when}: the coach falls back to the "
                  "rubric's rule there (offer a model answer in every state)").format(
                    number=models[0] + 1, node=node_id, when=when))
        codes = [list(c.codes) for c in node.choices]
        for i in models:
            choice = node.choices[i]
            if rubric.is_harmful(choice.codes):
                harmful = [c for c in choice.codes if (k := rubric.code(c)) is not None and k.valence == "harmful"]
                add("SC414", base + (i, "codes"),
                    _("the model option {number} of {node!r} carries harmful code(s) {codes}").format(
                        number=i + 1, node=node_id, codes=", ".join(harmful)))
            better: Optional[int] = rubric.better_option(codes, i)
            if better is not None:
                add("SC413", base + (i, "model"),
                    _("the rubric's rule calls option {better} of {node!r} ({better_codes}) clearly better than the "
                      "model option {number} ({codes}): recode the options or reconsider the model answer").format(
                        better=better + 1, node=node_id, better_codes=_labels(codes[better]), number=i + 1,
                        codes=_labels(codes[i])))
    return out
