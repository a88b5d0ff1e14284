"""Pydantic models of a scenario file (``scenarios/*.yaml``); the format is documented in docs/scenario-format.md.

Why pydantic: one declaration gives validation with precise locations (mapped back to YAML lines by
``simulator.loader``), the JSON Schema for editors (``rtw-train schema``) and typed objects for the engine.

What the models check on their own (structure): required fields, types, allowed values, ranges, id
syntax and condition syntax. What they do not check (cross-references such as a ``next`` pointing to a
missing node, undeclared variables, codes missing from the rubric, reachability) is left to
``simulator.lint`` so that every problem in a file can be reported at once with its own lint code.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Final, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, field_validator, model_validator

from auditor.i18n import N_

from .conditions import Condition, ConditionSyntaxError, parse_condition
from .i18n import _
from .yamlsource import position_of

__all__ = [
    "FORMAT_VERSION",
    "TraineeRole",
    "Variant",
    "EndingVariant",
    "LineSpec",
    "Choice",
    "Branch",
    "Ending",
    "Node",
    "StateVar",
    "Character",
    "Scenario",
    "compiled",
    "scenario_json_schema",
    "BUILTIN_VARIABLES",
    "DEFAULT_POSITIVE_ENDING_MAX_HARMFUL",
]

FORMAT_VERSION: Final = 1

TraineeRole = Literal["supervisor", "union_rep", "coordinator"]
CharacterRole = Literal["worker", "supervisor", "coordinator", "union_rep", "hr", "colleague", "other"]
Difficulty = Literal["introductory", "intermediate", "advanced"]
Outcome = Literal["positive", "mixed", "negative"]

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)]
NodeId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$", max_length=80)]
VarName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=40)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Number = Union[int, float]

_RESERVED = {"and", "or", "not", "true", "false"}

# Read-only variables every condition can use, computed by the engine from the turns taken so far (they are
# not saved: a restored session recomputes them). Names are reserved: a scenario cannot declare them.
BUILTIN_VARIABLES: dict[str, str] = {
    "turns": N_("number of decisions taken so far (choices made by the trainee)"),
    "harmful": N_("number of harmful responses so far: choices carrying at least one harmful rubric code"),
}

# Lint (SC408) warns when a positive ending can be reached through more harmful choices than this.
DEFAULT_POSITIVE_ENDING_MAX_HARMFUL = 2


@lru_cache(maxsize=4096)
def compiled(condition: str) -> Condition:
    """Parsed form of a condition string (cached: scenarios repeat the same few conditions)."""
    return parse_condition(condition)


class InvalidConditionError(ValueError):
    """A ``when`` that is not in the condition language. Why a class: lint reports it as SC104, not SC102,
    and tells the two apart by the error's type, whatever language its message is in."""


def _check_condition(value: Optional[str]) -> Optional[str]:
    if value is None:
        return value
    try:
        compiled(value)
    except ConditionSyntaxError as exc:
        raise InvalidConditionError(_("invalid condition {condition!r}: {error}").format(condition=value, error=exc)) from None
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)


class Variant(_Model):
    """An alternative text for a line, used when ``when`` holds (first matching variant wins)."""

    when: str = Field(description="Condition on state variables, e.g. 'trust < 40'.")
    text: Text

    @field_validator("when")
    @classmethod
    def _v_when(cls, value: Optional[str]) -> Optional[str]:
        return _check_condition(value)


class EndingVariant(_Model):
    """An alternative title and/or summary for an ending, used when ``when`` holds (first match wins)."""

    when: str = Field(description="Condition on state variables (and built-ins such as 'harmful').")
    title: Optional[Text] = Field(default=None, description="Replaces the ending's title; omit to keep it.")
    summary: Optional[Text] = Field(default=None, description="Replaces the ending's summary; omit to keep it.")

    @field_validator("when")
    @classmethod
    def _v_when(cls, value: Optional[str]) -> Optional[str]:
        return _check_condition(value)

    @model_validator(mode="after")
    def _changes_something(self) -> "EndingVariant":
        if self.title is None and self.summary is None:
            raise ValueError(_("an ending variant needs a 'title' or a 'summary' (or both)"))
        return self


class LineSpec(_Model):
    """Something another character says. ``variants`` let the text depend on the state."""

    speaker: NodeId = Field(description="Id of a character declared under 'characters'.")
    text: Text = Field(description="Default text, used when no variant's condition holds.")
    variants: list[Variant] = Field(default_factory=list)


class Choice(_Model):
    """An option the trainee can say at a decision node."""

    id: Optional[NodeId] = Field(default=None, description="Optional stable id for records (default: node#number).")
    text: Text = Field(description="What the trainee says (default text, used when no variant's condition holds).")
    variants: list[Variant] = Field(
        default_factory=list, description="Alternative texts: the first variant whose 'when' holds replaces 'text'."
    )
    when: Optional[str] = Field(
        default=None,
        description="Condition: the option is only offered when it holds. Options are numbered over those offered.",
    )
    codes: list[str] = Field(default_factory=list, description="Behaviour codes from rubrics/listening.yaml.")
    effects: dict[VarName, Number] = Field(
        default_factory=dict, description="Change to add to each state variable (clamped to its range)."
    )
    feedback: str = Field(default="", description="One sentence: why this helps or hurts.")
    source: str = Field(default="", description="Where the guides say so, e.g. 'IRSST guide, step 2'.")
    reply: list[LineSpec] = Field(
        default_factory=list, description="Lines said right after this choice, before moving to 'next'."
    )
    next: NodeId = Field(description="Id of the node the conversation moves to.")
    model: bool = Field(
        default=False,
        description="The author's model answer at this decision: the coach recommends it, and lint checks that the "
        "rubric agrees. One per decision.",
    )

    @field_validator("when")
    @classmethod
    def _v_when(cls, value: Optional[str]) -> Optional[str]:
        return _check_condition(value)

    @field_validator("effects")
    @classmethod
    def _numbers_not_bools(cls, value: dict[str, Any]) -> dict[str, Any]:
        for name, delta in value.items():
            if isinstance(delta, bool):
                raise ValueError(_("effect on {name!r} must be a number, not a boolean").format(name=name))
        return value


class Branch(_Model):
    """An automatic jump taken when ``when`` holds; a branch without ``when`` is the fallback (last)."""

    when: Optional[str] = Field(default=None, description="Condition; omit on the last branch for 'otherwise'.")
    next: NodeId

    @field_validator("when")
    @classmethod
    def _v_when(cls, value: Optional[str]) -> Optional[str]:
        return _check_condition(value)


class Ending(_Model):
    """How the conversation ended and what it led to."""

    id: Optional[str] = Field(default=None, description="Filled in from the node id; do not write it.")
    title: Text
    outcome: Outcome = Field(description="positive, mixed or negative: for the debrief and statistics.")
    summary: Text = Field(description="Outcome summary shown to the trainee at the end.")
    variants: list[EndingVariant] = Field(
        default_factory=list,
        description="Alternative title/summary: the first variant whose 'when' holds replaces them (outcome never varies).",
    )


class Node(_Model):
    """A point of the conversation: exactly one of ``choices`` (decision), ``branches`` or ``ending``."""

    lines: list[LineSpec] = Field(default_factory=list, description="What the other characters say here.")
    prompt: Optional[str] = Field(default=None, description="Optional cue shown to the trainee above the choices; "
                                  "only decision nodes (with 'choices') show it.")
    choices: Optional[list[Choice]] = None
    branches: Optional[list[Branch]] = None
    ending: Optional[Ending] = None

    @model_validator(mode="after")
    def _exactly_one_kind(self) -> "Node":
        kinds = [k for k in ("choices", "branches", "ending") if getattr(self, k) is not None]
        if len(kinds) != 1:
            found = ", ".join(kinds) if kinds else _("none of them")
            raise ValueError(_("a node needs exactly one of 'choices', 'branches' or 'ending' (found {found})").format(
                found=found))
        if self.choices is not None and not self.choices:
            raise ValueError(_("'choices' is empty: a decision needs at least one choice"))
        if self.branches is not None:
            if not self.branches:
                raise ValueError(_("'branches' is empty"))
            for i, branch in enumerate(self.branches[:-1]):
                if branch.when is None:
                    raise ValueError(_("branch {number} has no 'when': only the last branch may be the fallback").format(
                        number=i + 1))
        return self

    @property
    def kind(self) -> Literal["decision", "branch", "ending"]:
        if self.choices is not None:
            return "decision"
        if self.branches is not None:
            return "branch"
        return "ending"


class StateVar(_Model):
    """A declared state variable, e.g. the worker's trust; effects are clamped to [min, max]."""

    label: Optional[str] = Field(default=None, description="Human label, e.g. \"Worker's trust\".")
    min: Number = 0
    max: Number = 100
    initial: Number
    hidden: bool = Field(default=False, description="If true the app does not show a gauge for it.")

    @model_validator(mode="after")
    def _range(self) -> "StateVar":
        if self.min > self.max:
            raise ValueError(_("min ({min}) is greater than max ({max})").format(min=self.min, max=self.max))
        if not (self.min <= self.initial <= self.max):
            raise ValueError(_("initial value {initial} is outside [{min}, {max}]").format(
                initial=self.initial, min=self.min, max=self.max))
        return self


class Character(_Model):
    """A fictional persona. Never a real person; never a diagnosis."""

    name: Text = Field(description="Fictional name shown as the speaker.")
    role: CharacterRole
    job: Optional[str] = Field(default=None, description="Their job and what it is made of day to day.")
    leave_context: Optional[str] = Field(default=None, description="What led to the leave (work situations).")
    what_matters: list[str] = Field(default_factory=list, description="What matters to them in their work.")
    description: Optional[str] = None


class Scenario(_Model):
    """A whole scenario file."""

    format: Literal[1] = Field(default=FORMAT_VERSION, description="Scenario format version (currently 1).")
    id: Slug
    title: Text
    version: Text = Field(description="Version of this scenario, e.g. '1.0'.")
    role: TraineeRole = Field(description="The role the trainee plays.")
    guide_steps: list[Annotated[int, Field(ge=1, le=7)]] = Field(
        min_length=1, description="IRSST guide steps (1-7) this scenario trains."
    )
    objectives: list[Text] = Field(min_length=1, description="Learning objectives.")
    duration_minutes: Annotated[int, Field(gt=0, le=240)]
    difficulty: Difficulty
    summary: Optional[str] = Field(default=None, description="One-paragraph situation shown before playing.")
    positive_ending_max_harmful: Annotated[int, Field(ge=0, le=1000)] = Field(
        default=DEFAULT_POSITIVE_ENDING_MAX_HARMFUL,
        description="Lint (SC408) warns if an ending with outcome 'positive' can be reached through more harmful "
        "choices than this.",
    )
    trains: list[NodeId] = Field(
        default_factory=list,
        description="Ids of the listening rubric's dimensions this scenario trains: the debrief judges only these.",
    )
    characters: dict[NodeId, Character] = Field(min_length=1)
    state: dict[VarName, StateVar] = Field(default_factory=dict)
    start: NodeId
    nodes: dict[NodeId, Node] = Field(min_length=1)

    # Set by the loader: where the scenario came from and YAML positions for error messages.
    _path: Optional[str] = PrivateAttr(default=None)
    _positions: dict[tuple, tuple[int, int]] = PrivateAttr(default_factory=dict)

    @field_validator("state")
    @classmethod
    def _no_reserved_names(cls, value: dict[str, StateVar]) -> dict[str, StateVar]:
        for name in value:
            if name in _RESERVED:
                raise ValueError(_("{name!r} is a keyword of the condition language and cannot name a variable").format(
                    name=name))
            if name in BUILTIN_VARIABLES:
                raise ValueError(
                    _("{name!r} is a built-in variable ({meaning}) and cannot be declared").format(
                        name=name, meaning=_(BUILTIN_VARIABLES[name]))
                )
        return value

    @field_validator("guide_steps")
    @classmethod
    def _unique_steps(cls, value: list[int]) -> list[int]:
        return sorted(set(value))

    @model_validator(mode="after")
    def _name_endings(self) -> "Scenario":
        for node_id, node in self.nodes.items():
            if node.ending is not None:
                node.ending.id = node_id
        return self

    # -- helpers used by the engine, lint and the app ------------------------------------------------
    @property
    def path(self) -> Optional[str]:
        return self._path

    def position(self, *loc: Any) -> tuple[int, int]:
        """(line, column) of a location such as ('nodes', 'a', 'choices', 0, 'next'), 1-based.

        Falls back to the closest enclosing location that has a position, then to (1, 1)."""
        return position_of(self._positions, loc)

    def initial_state(self) -> dict[str, Number]:
        return {name: var.initial for name, var in self.state.items()}

    def endings(self) -> dict[str, Ending]:
        return {nid: n.ending for nid, n in self.nodes.items() if n.ending is not None}

    def decisions(self) -> dict[str, Node]:
        return {nid: n for nid, n in self.nodes.items() if n.choices is not None}


def scenario_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a scenario file, for editors (YAML language servers)."""
    schema = Scenario.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://rtw-toolkit.invalid/scenario.schema.json"
    schema["title"] = "rtw-train scenario"
    schema["description"] = (
        "A branching active-listening scenario for rtw-train. See docs/scenario-format.md. "
        "Cross-references (next, speaker, variables, codes) are checked by `rtw-train lint`."
    )
    # 'id' of an ending is filled in by the loader; do not advertise it to authors.
    ending = schema.get("$defs", {}).get("Ending", {})
    ending.get("properties", {}).pop("id", None)
    return schema
