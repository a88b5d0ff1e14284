"""The conversation engine: start a scenario, offer choices, apply them, reach an ending.

Why pure Python (never Textual): the same engine drives the Textual app, the headless ``rtw-train play``,
lint's exploration and the tests. It is deterministic — no clock, no randomness — so a session can be
saved as JSON, resumed, and rewound by replaying choices.

Public API (used by the app; see docs/scenario-format.md, "Engine API")::

    load_scenario(path) -> Scenario            load_scenarios(directory=None) -> list[Scenario]
    load_rubric(path=None) -> ListeningRubric  score(session_or_turns, rubric) -> Score
    Session.start(scenario, rubric) / .choices() / .choose(n) / .current_lines() / .rewind(i)
    Session.to_dict() / Session.from_dict(scenario, rubric, data) / .transcript()
    Session.variables() / .builtins() / .offered_choices()

Conditions read the declared state variables plus read-only built-ins computed from the turns taken
(``turns``, ``harmful``: see ``simulator.scenario.BUILTIN_VARIABLES``); they are never saved, so a restored or
rewound session recomputes exactly the same values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence, Union

from .conditions import evaluate
from .errors import ChoiceError, ScenarioError, SessionDataError, SessionError
from .loader import load_rubric, load_scenario, load_scenarios
from .rubric import ListeningRubric
from .scenario import BUILTIN_VARIABLES, Branch, Choice, Ending, LineSpec, Node, Scenario, compiled
from .scoring import DimensionScore, Indicator, Score, score

__all__ = [
    "load_scenario",
    "load_scenarios",
    "load_rubric",
    "score",
    "Score",
    "DimensionScore",
    "Indicator",
    "Session",
    "Line",
    "ChoiceView",
    "Turn",
    "TranscriptEntry",
    "Gauge",
    "Ending",
    "ScenarioError",
    "SessionError",
    "ChoiceError",
    "SessionDataError",
    "TRAINEE_ID",
    "MAX_AUTO_STEPS",
    "apply_effects",
    "pick_branch",
    "render_text",
    "render_ending",
    "visible_choices",
    "builtin_values",
    "better_choice",
    "BUILTIN_VARIABLES",
]

Number = Union[int, float]
TRAINEE_ID = "trainee"
SAVE_FORMAT = 1
# Consecutive branch nodes followed without a decision before we call it a loop (lint: SC305).
MAX_AUTO_STEPS = 1000


# -- value objects handed to the app ------------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    """A line said by another character, rendered for the state at the time it was said."""

    speaker_id: str
    speaker_name: str
    text: str


@dataclass(frozen=True)
class ChoiceView:
    """An option as offered to the trainee: its 1-based number and text."""

    number: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "text": self.text}


@dataclass(frozen=True)
class Turn:
    """One decision taken by the trainee and what it did."""

    node_id: str
    number: int
    choice_id: str
    choice_text: str
    codes: list[str]
    feedback: str
    source: str
    state_before: dict[str, Number]
    state_after: dict[str, Number]
    better_choice: Optional[ChoiceView]
    # 1-based place of the option in the file (``number`` counts only the options offered at that moment).
    position: Optional[int] = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "node_id": self.node_id,
            "number": self.number,
            "choice_id": self.choice_id,
            "choice_text": self.choice_text,
            "codes": list(self.codes),
            "feedback": self.feedback,
            "source": self.source,
            "state_before": dict(self.state_before),
            "state_after": dict(self.state_after),
            "better_choice": self.better_choice.to_dict() if self.better_choice else None,
            "position": self.position,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Turn":
        better = data.get("better_choice")
        # Saves written before options could be hidden have no position: there, position == number.
        position = data.get("position", data["number"])
        return cls(
            node_id=str(data["node_id"]),
            number=int(data["number"]),
            choice_id=str(data.get("choice_id") or f"{data['node_id']}#{data['number']}"),
            choice_text=str(data["choice_text"]),
            codes=[str(c) for c in data.get("codes", [])],
            feedback=str(data.get("feedback", "")),
            source=str(data.get("source", "")),
            state_before=dict(data["state_before"]),
            state_after=dict(data["state_after"]),
            better_choice=ChoiceView(int(better["number"]), str(better["text"])) if better else None,
            position=None if position is None else int(position),
        )


@dataclass(frozen=True)
class TranscriptEntry:
    """What was said, in order: ``kind`` is "line" (another character) or "choice" (the trainee)."""

    kind: str
    speaker_id: str
    speaker_name: str
    text: str
    node_id: str
    turn_index: Optional[int] = None  # for choices: index in Session.turns
    number: Optional[int] = None  # for choices: the option number

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "speaker_id": self.speaker_id,
            "speaker_name": self.speaker_name,
            "text": self.text,
            "node_id": self.node_id,
            "turn_index": self.turn_index,
            "number": self.number,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "TranscriptEntry":
        return cls(
            kind=str(data["kind"]),
            speaker_id=str(data["speaker_id"]),
            speaker_name=str(data["speaker_name"]),
            text=str(data["text"]),
            node_id=str(data["node_id"]),
            turn_index=None if data.get("turn_index") is None else int(data["turn_index"]),
            number=None if data.get("number") is None else int(data["number"]),
        )


@dataclass(frozen=True)
class Gauge:
    """A state variable as the app may display it."""

    name: str
    label: str
    value: Number
    min: Number
    max: Number
    hidden: bool


# -- rules shared with lint's exploration ---------------------------------------------------------------
def _tidy(value: float) -> Number:
    """Keep integers as ints and avoid float noise so saved states compare exactly."""
    if isinstance(value, int):
        return value
    if float(value).is_integer():
        return int(value)
    return round(value, 6)


def apply_effects(scenario: Scenario, state: Mapping[str, Number], effects: Mapping[str, Number]) -> dict[str, Number]:
    """New state with each effect added and clamped to the variable's range (undeclared: ignored)."""
    new = dict(state)
    for name, delta in effects.items():
        var = scenario.state.get(name)
        if var is None:
            continue
        new[name] = _tidy(min(var.max, max(var.min, new[name] + delta)))
    return new


def pick_branch(node: Node, state: Mapping[str, Number]) -> Optional[Branch]:
    """The first branch whose condition holds (a branch without ``when`` always holds), or None."""
    for branch in node.branches or []:
        if branch.when is None or evaluate(compiled(branch.when), state):
            return branch
    return None


def render_text(line: Union[LineSpec, Choice], state: Mapping[str, Number]) -> str:
    """The text of a line or an option: the first variant whose condition holds, else the default text."""
    for variant in line.variants:
        if evaluate(compiled(variant.when), state):
            return variant.text
    return line.text


def render_ending(ending: Ending, state: Mapping[str, Number]) -> Ending:
    """The ending as shown: the first variant whose condition holds replaces the title and/or summary."""
    for variant in ending.variants:
        if evaluate(compiled(variant.when), state):
            update = {k: v for k, v in (("title", variant.title), ("summary", variant.summary)) if v is not None}
            return ending.model_copy(update=update)
    return ending


def visible_choices(node: Node, state: Mapping[str, Number]) -> list[tuple[int, Choice]]:
    """The options offered in ``state`` as (0-based place in the file, choice), in file order."""
    return [
        (i, c) for i, c in enumerate(node.choices or []) if c.when is None or evaluate(compiled(c.when), state)
    ]


def builtin_values(rubric: ListeningRubric, turns: Sequence[Any]) -> dict[str, int]:
    """The built-in variables after ``turns`` (anything with ``.codes``): see ``BUILTIN_VARIABLES``."""
    return {"turns": len(turns), "harmful": sum(1 for t in turns if rubric.is_harmful(list(t.codes)))}


def better_choice(rubric: ListeningRubric, options: list[Choice], chosen: int) -> Optional[int]:
    """0-based index in ``options`` (the options offered) of the option the coach suggests instead of
    ``options[chosen]``, or None.

    The coach agrees with the author: the chosen option is the decision's model answer -> no hint; else a
    model option is offered -> the hint names it (the first, if an author marked several); else the
    rubric's rule (``better_choice.rule`` in the listening rubric) decides."""
    if options[chosen].model:
        return None
    model = next((i for i, option in enumerate(options) if option.model), None)
    if model is not None:
        return model
    return rubric.better_option([list(c.codes) for c in options], chosen)


# -- the session ------------------------------------------------------------------------------------------
class Session:
    """One playthrough of a scenario. Create with :meth:`start` or :meth:`from_dict`."""

    def __init__(
        self,
        scenario: Scenario,
        rubric: ListeningRubric,
        *,
        state: dict[str, Number],
        node_id: str,
        turns: list[Turn],
        log: list[TranscriptEntry],
        finished: bool,
    ):
        self.scenario = scenario
        self.rubric = rubric
        self.state = state
        self.node_id = node_id
        self.turns = turns
        self._log = log
        self.finished = finished

    # construction -------------------------------------------------------------------------------------
    @classmethod
    def start(cls, scenario: Scenario, rubric: ListeningRubric) -> "Session":
        if scenario.start not in scenario.nodes:
            raise SessionError(f"scenario {scenario.id!r}: start node {scenario.start!r} does not exist")
        session = cls(
            scenario, rubric, state=scenario.initial_state(), node_id=scenario.start, turns=[], log=[], finished=False
        )
        session._enter(scenario.start)
        return session

    # what the app reads ---------------------------------------------------------------------------------
    @property
    def node(self) -> Node:
        return self.scenario.nodes[self.node_id]

    @property
    def ending(self) -> Optional[Ending]:
        """The ending reached, with its variants applied (title/summary for the final state), or None."""
        if not self.finished or self.node.ending is None:
            return None
        return render_ending(self.node.ending, self.variables())

    def builtins(self) -> dict[str, int]:
        """The read-only built-in variables now: ``turns`` (decisions taken), ``harmful`` (harmful responses)."""
        return builtin_values(self.rubric, self.turns)

    def variables(self) -> dict[str, Number]:
        """Everything a condition can read now: the declared state variables and the built-ins."""
        values: dict[str, Number] = dict(self.state)
        values.update(self.builtins())
        return values

    def current_lines(self) -> list[Line]:
        """Lines said since the trainee's last choice (reply, branch nodes passed, the current node)."""
        out: list[Line] = []
        for entry in reversed(self._log):
            if entry.kind == "choice":
                break
            out.append(Line(entry.speaker_id, entry.speaker_name, entry.text))
        return list(reversed(out))

    def prompt(self) -> Optional[str]:
        return None if self.finished else self.node.prompt

    def choices(self) -> list[ChoiceView]:
        """The options offered now, numbered 1, 2, ... over the offered ones, with their text for this state."""
        values = self.variables()
        return [ChoiceView(n, render_text(c, values)) for n, c in enumerate(self.offered_choices(), start=1)]

    def offered_choices(self) -> list[Choice]:
        """The scenario's options offered now (``when`` holds), in order: ``choose(n)`` plays item ``n - 1``."""
        if self.finished or self.node.choices is None:
            return []
        return [c for _, c in visible_choices(self.node, self.variables())]

    def transcript(self) -> list[TranscriptEntry]:
        return list(self._log)

    def gauges(self) -> list[Gauge]:
        return [
            Gauge(name, var.label or name, self.state[name], var.min, var.max, var.hidden)
            for name, var in self.scenario.state.items()
        ]

    def chosen_numbers(self) -> list[int]:
        return [t.number for t in self.turns]

    # acting -------------------------------------------------------------------------------------------------
    def choose(self, number: int) -> Turn:
        """Pick option ``number`` (1-based): apply its effects, record the turn, move on."""
        if self.finished:
            raise SessionError("the conversation is over: no more choices")
        values = self.variables()
        offered = visible_choices(self.node, values) if self.node.choices is not None else []
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= len(offered):
            raise ChoiceError(number, len(offered), self.node_id)
        place, choice = offered[number - 1]
        options = [c for _, c in offered]
        text = render_text(choice, values)
        before = dict(self.state)
        after = apply_effects(self.scenario, before, choice.effects)
        better = None
        better_index = better_choice(self.rubric, options, number - 1)
        if better_index is not None:
            better = ChoiceView(better_index + 1, render_text(options[better_index], values))
        turn = Turn(
            node_id=self.node_id,
            number=number,
            choice_id=choice.id or f"{self.node_id}#{place + 1}",
            choice_text=text,
            codes=list(choice.codes),
            feedback=choice.feedback,
            source=choice.source,
            state_before=before,
            state_after=dict(after),
            better_choice=better,
            position=place + 1,
        )
        self.turns.append(turn)
        self._log.append(
            TranscriptEntry("choice", TRAINEE_ID, "You", text, self.node_id, len(self.turns) - 1, number)
        )
        self.state = after
        self._say(choice.reply, self.node_id)
        self._enter(choice.next)
        return turn

    def rewind(self, turn_index: int) -> "Session":
        """A new session as it was just before turn ``turn_index`` was chosen (0 = before the first choice).

        Replays the earlier choices: the engine is deterministic, so this reproduces the past exactly."""
        if isinstance(turn_index, bool) or not isinstance(turn_index, int) or not 0 <= turn_index <= len(self.turns):
            raise SessionError(f"cannot rewind to turn {turn_index!r}: this session has {len(self.turns)} turn(s)")
        session = Session.start(self.scenario, self.rubric)
        for turn in self.turns[:turn_index]:
            session.choose(turn.number)
        return session

    # saving -------------------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-safe snapshot of the whole session."""
        return {
            "format": SAVE_FORMAT,
            "scenario_id": self.scenario.id,
            "scenario_version": self.scenario.version,
            "node_id": self.node_id,
            "state": dict(self.state),
            "finished": self.finished,
            "ending_id": self.ending.id if self.ending else None,
            "turns": [t.to_dict() for t in self.turns],
            "transcript": [e.to_dict() for e in self._log],
        }

    @classmethod
    def from_dict(
        cls, scenario: Scenario, rubric: ListeningRubric, data: Mapping[str, Any], *, check_version: bool = True
    ) -> "Session":
        """Restore a session saved with :meth:`to_dict`; raises :class:`SessionDataError` if it does not fit."""
        if not isinstance(data, Mapping):
            raise SessionDataError("saved session must be a mapping")
        if data.get("format") != SAVE_FORMAT:
            raise SessionDataError(f"unsupported saved-session format {data.get('format')!r}")
        if data.get("scenario_id") != scenario.id:
            raise SessionDataError(
                f"saved session is for scenario {data.get('scenario_id')!r}, not {scenario.id!r}"
            )
        if check_version and data.get("scenario_version") != scenario.version:
            raise SessionDataError(
                f"saved session is for version {data.get('scenario_version')!r} of {scenario.id!r}; "
                f"the scenario is now version {scenario.version!r}"
            )
        node_id = data.get("node_id")
        if node_id not in scenario.nodes:
            raise SessionDataError(f"saved node {node_id!r} does not exist in scenario {scenario.id!r}")
        state = data.get("state")
        if not isinstance(state, Mapping) or set(state) != set(scenario.state):
            raise SessionDataError("saved state does not match the scenario's declared variables")
        for name, value in state.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise SessionDataError(f"saved state variable {name!r} is not a number")
        finished = bool(data.get("finished"))
        node = scenario.nodes[node_id]
        if finished != (node.ending is not None):
            raise SessionDataError("saved 'finished' flag does not match the saved node")
        if not finished and node.choices is None:
            raise SessionDataError(f"saved node {node_id!r} is not a decision")
        try:
            turns = [Turn.from_dict(t) for t in data.get("turns", [])]
            log = [TranscriptEntry.from_dict(e) for e in data.get("transcript", [])]
        except (KeyError, TypeError, ValueError) as exc:
            raise SessionDataError(f"saved turns or transcript are malformed ({type(exc).__name__}: {exc})") from None
        return cls(scenario, rubric, state=dict(state), node_id=node_id, turns=turns, log=log, finished=finished)

    # internals ----------------------------------------------------------------------------------------------
    def _say(self, lines: list[LineSpec], node_id: str) -> None:
        if not lines:
            return
        values = self.variables()
        for line in lines:
            character = self.scenario.characters.get(line.speaker)
            name = character.name if character else line.speaker
            self._log.append(TranscriptEntry("line", line.speaker, name, render_text(line, values), node_id))

    def _enter(self, node_id: str) -> None:
        """Arrive at ``node_id``: say its lines and follow branch nodes until a decision or an ending."""
        for _ in range(MAX_AUTO_STEPS):
            node = self.scenario.nodes.get(node_id)
            if node is None:
                raise SessionError(f"scenario {self.scenario.id!r}: jump to missing node {node_id!r}")
            self.node_id = node_id
            self._say(node.lines, node_id)
            if node.ending is not None:
                self.finished = True
                return
            if node.choices is not None:
                if not visible_choices(node, self.variables()):
                    raise SessionError(
                        f"scenario {self.scenario.id!r}: no option of decision {node_id!r} is offered in this state"
                    )
                return
            branch = pick_branch(node, self.variables())
            if branch is None:
                raise SessionError(
                    f"scenario {self.scenario.id!r}: no branch of node {node_id!r} applies to state {self.state}"
                )
            node_id = branch.next
        raise SessionError(f"scenario {self.scenario.id!r}: branch nodes loop without a decision near {node_id!r}")

    def __repr__(self) -> str:
        return f"<Session {self.scenario.id} at {self.node_id} turns={len(self.turns)} finished={self.finished}>"
