"""Load scenario and rubric files into validated models, with YAML line numbers in every error.

Why separate from the engine: lint wants *all* problems of a file (``parse_scenario``) while the engine
and the app want one clear exception (``load_scenario``); both share this code.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated, Any, Iterable, Optional, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from .conditions import variables
from .diagnostics import Diagnostic
from .errors import RubricError, ScenarioError
from .i18n import _
from .paths import listening_rubric_path, scenarios_dir
from .rubric import ListeningRubric
from .scenario import BUILTIN_VARIABLES, InvalidConditionError, Scenario, compiled
from .yamlsource import Positions, YamlProblem, load_with_positions, position_of

__all__ = [
    "parse_scenario",
    "reference_problems",
    "load_scenario",
    "load_scenarios",
    "scenario_files",
    "load_rubric",
    "format_loc",
    "place_label",
    "did_you_mean",
]


def format_loc(loc: Iterable[Any]) -> str:
    """('nodes', 'a', 'choices', 0, 'next') -> 'nodes.a.choices[0].next'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or _("(top level)")


def place_label(loc: Iterable[Any]) -> str:
    """' (option 3 of 'greet')' for a location inside a node's choices or branches, else ''.

    Why: paths are zero-based (``choices[2]``) like the YAML list they index, but authors count options
    from 1 (lint's SC206/SC40x messages and ``--choices`` do): naming the option both ways avoids an
    off-by-one hunt."""
    parts = tuple(loc)
    label = ""
    for k in range(len(parts) - 3):
        if parts[k] == "nodes" and parts[k + 2] in ("choices", "branches") and isinstance(parts[k + 3], int):
            if parts[k + 2] == "choices":
                label = _(" (option {number} of {node!r})").format(number=parts[k + 3] + 1, node=parts[k + 1])
            else:
                label = _(" (branch {number} of {node!r})").format(number=parts[k + 3] + 1, node=parts[k + 1])
    return label


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'feedback'?)' when a known name is close to a misspelt one, else ''.

    Up to two names, closest first: 'turst' is as close to the built-in 'turns' as to 'trust'."""
    close = difflib.get_close_matches(str(name), sorted(set(map(str, candidates))), n=2, cutoff=0.6)
    if len(close) == 2:
        return _(" (did you mean {first!r} or {second!r}?)").format(first=close[0], second=close[1])
    return _(" (did you mean {name!r}?)").format(name=close[0]) if close else ""


def _unwrap(tp: Any) -> Any:
    """Strip Annotated[...] and Optional[...] from a field type."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin is Union:
            args = [a for a in get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _model_at(root: type[BaseModel], loc: tuple) -> Optional[type[BaseModel]]:
    """The pydantic model that validates the mapping at ``loc`` (None if not a model), to list its fields."""
    tp: Any = root
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return None
            tp = field.annotation
        elif get_origin(tp) is list and isinstance(part, int):
            tp = get_args(tp)[0]
        elif get_origin(tp) is dict:
            tp = get_args(tp)[1]
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _validation_diagnostics(
    file: str, exc: ValidationError, positions: Positions, root: Optional[type[BaseModel]] = None
) -> list[Diagnostic]:
    root = Scenario if root is None else root
    out: list[Diagnostic] = []
    for err in exc.errors(include_input=False, include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        kind = err["type"]
        msg = err["msg"]
        if kind == "missing":
            code = "SC101"
            parent, field = loc[:-1], loc[-1] if loc else "?"
            text = _("missing required field {field!r} in {place}{label}").format(
                field=field, place=format_loc(parent), label=place_label(parent))
            line, col = position_of(positions, parent)
        elif kind == "extra_forbidden":
            code = "SC103"
            model = _model_at(root, loc[:-1]) if loc else None
            hint = did_you_mean(str(loc[-1]), model.model_fields) if model is not None else ""
            text = _("unknown field {place}{label}{hint}").format(place=format_loc(loc), label=place_label(loc), hint=hint)
            line, col = position_of(positions, loc)
        else:
            code = "SC104" if isinstance((err.get("ctx") or {}).get("error"), InvalidConditionError) else "SC102"
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, "):]
            text = f"{format_loc(loc)}{place_label(loc)}: {msg}"
            line, col = position_of(positions, loc)
        out.append(Diagnostic(file, line, col, code, text))
    return out


#: A scenario is tens of kilobytes; a 50 MB file took minutes to load. At most this much is read
#: (counted in bytes read, not trusted from the file's size: a FIFO or a device has none).
MAX_SCENARIO_BYTES = 2 * 1024 * 1024


class _TooLarge(OSError):
    pass


def _read(path: Path) -> str:
    with open(path, "rb") as f:
        data = f.read(MAX_SCENARIO_BYTES + 1)
    if len(data) > MAX_SCENARIO_BYTES:
        raise _TooLarge(0, _("larger than {size} MB; a scenario is far smaller").format(
            size=MAX_SCENARIO_BYTES // (1024 * 1024)))
    return data.decode("utf-8")


def parse_scenario(path: str | Path) -> tuple[Optional[Scenario], list[Diagnostic]]:
    """Parse and validate the structure of one file. Returns (scenario or None, schema problems)."""
    file = str(path)
    try:
        text = _read(Path(path))
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        return None, [Diagnostic(file, 1, 1, "SC001", _("cannot read file: {reason}").format(reason=reason))]
    try:
        data, positions = load_with_positions(text)
    except YamlProblem as exc:
        return None, [Diagnostic(file, exc.line, exc.column, exc.code, exc.message)]
    if not isinstance(data, dict):
        if data is None:
            text = _("a scenario must be a mapping of fields, this document is empty")
        else:
            text = _("a scenario must be a mapping of fields, this document is a {type}").format(type=type(data).__name__)
        return None, [Diagnostic(file, 1, 1, "SC003", text)]
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        return None, _validation_diagnostics(file, exc, positions)
    scenario._path = file
    scenario._positions = positions
    return scenario, []


def reference_problems(scenario: Scenario) -> list[Diagnostic]:
    """Cross-reference problems that would break a session (SC201-SC205, SC207)."""
    file = scenario.path or scenario.id
    out: list[Diagnostic] = []

    def add(code: str, loc: tuple, message: str) -> None:
        line, col = scenario.position(*loc)
        out.append(Diagnostic(file, line, col, code, message))

    if scenario.start not in scenario.nodes:
        add("SC201", ("start",), _("start node {node!r} does not exist").format(node=scenario.start))
    declared = set(scenario.state) | set(BUILTIN_VARIABLES)
    choice_ids: dict[str, str] = {}

    def check_lines(lines, loc):
        for i, line in enumerate(lines):
            if line.speaker not in scenario.characters:
                add("SC205", loc + (i, "speaker"),
                    _("speaker {speaker!r} is not a declared character").format(speaker=line.speaker))
            for j, var in enumerate(line.variants):
                check_condition(var.when, loc + (i, "variants", j, "when"))

    def check_condition(text, loc):
        for name in variables(compiled(text)):
            if name not in declared:
                add("SC203", loc, _("condition {condition!r} uses undeclared state variable {name!r}{hint}").format(
                    condition=text, name=name, hint=did_you_mean(name, declared)))

    for node_id, node in scenario.nodes.items():
        base = ("nodes", node_id)
        check_lines(node.lines, base + ("lines",))
        for i, choice in enumerate(node.choices or []):
            cloc = base + ("choices", i)
            if choice.when is not None:
                check_condition(choice.when, cloc + ("when",))
            for j, var in enumerate(choice.variants):
                check_condition(var.when, cloc + ("variants", j, "when"))
            if choice.next not in scenario.nodes:
                add("SC202", cloc + ("next",), _("option {number} of {node!r} jumps to missing node {target!r}{hint}").format(
                    number=i + 1, node=node_id, target=choice.next, hint=did_you_mean(choice.next, scenario.nodes)))
            for name in choice.effects:
                if name in BUILTIN_VARIABLES:
                    add("SC204", cloc + ("effects", name),
                        _("effect on built-in variable {name!r}: it is read-only ({meaning})").format(
                            name=name, meaning=_(BUILTIN_VARIABLES[name])))
                elif name not in scenario.state:
                    add("SC204", cloc + ("effects", name),
                        _("effect on undeclared state variable {name!r}{hint}").format(
                            name=name, hint=did_you_mean(name, scenario.state)))
            check_lines(choice.reply, cloc + ("reply",))
            if choice.id is not None:
                if choice.id in choice_ids:
                    add("SC207", cloc + ("id",), _("choice id {id!r} already used in node {node!r}").format(
                        id=choice.id, node=choice_ids[choice.id]))
                else:
                    choice_ids[choice.id] = node_id
        if node.ending is not None:
            for j, ending_variant in enumerate(node.ending.variants):
                check_condition(ending_variant.when, base + ("ending", "variants", j, "when"))
        for i, branch in enumerate(node.branches or []):
            bloc = base + ("branches", i)
            if branch.when is not None:
                check_condition(branch.when, bloc + ("when",))
            if branch.next not in scenario.nodes:
                add("SC202", bloc + ("next",), _("branch {number} of {node!r} jumps to missing node {target!r}{hint}").format(
                    number=i + 1, node=node_id, target=branch.next, hint=did_you_mean(branch.next, scenario.nodes)))
    return out


def load_scenario(path: str | Path) -> Scenario:
    """Load one scenario; raises :class:`ScenarioError` (file, line, message) on the first problem that
    would make it unplayable (schema or broken references). Pedagogical problems are lint's job."""
    scenario, problems = parse_scenario(path)
    if scenario is not None:
        problems = reference_problems(scenario)
    if problems:
        first = sorted(problems, key=lambda d: (d.line, d.column))[0]
        more = _(" (and {count} more problem(s): run `rtw-train lint`)").format(count=len(problems) - 1) \
            if len(problems) > 1 else ""
        raise ScenarioError(first.file, first.line, first.message + more, first.column, first.code)
    assert scenario is not None
    return scenario


def scenario_files(directory: str | Path) -> list[Path]:
    """The ``*.yaml``/``*.yml`` files of a directory, sorted (not recursive; hidden files skipped)."""
    d = Path(directory)
    return sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith(".") and p.is_file())


def load_scenarios(directory: str | Path | None = None) -> list[Scenario]:
    """Load every scenario of ``directory`` (default: the packaged scenarios), sorted by title.

    Raises :class:`ScenarioError` on the first bad file or on duplicate scenario ids."""
    d = Path(directory) if directory is not None else scenarios_dir()
    if not d.is_dir():
        raise ScenarioError(d, 0, _("scenario directory not found"))
    out: list[Scenario] = []
    seen: dict[str, str] = {}
    for path in scenario_files(d):
        scenario = load_scenario(path)
        if scenario.id in seen:
            line, col = scenario.position("id")
            raise ScenarioError(path, line, _("scenario id {id!r} is also used by {file}").format(
                id=scenario.id, file=seen[scenario.id]), col)
        seen[scenario.id] = str(path)
        out.append(scenario)
    return sorted(out, key=lambda s: (s.title.lower(), s.id))


def load_rubric(path: str | Path | None = None) -> ListeningRubric:
    """Load the listening rubric (default: the packaged ``rubrics/listening.yaml``); raises RubricError."""
    p = Path(path) if path is not None else listening_rubric_path()
    file = str(p)
    try:
        text = _read(p)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise RubricError(file, 0, _("cannot read rubric: {reason}").format(reason=reason), code="RB001") from None
    try:
        data, positions = load_with_positions(text)
    except YamlProblem as exc:
        raise RubricError(file, exc.line, exc.message, exc.column, code="RB001") from None
    if not isinstance(data, dict):
        raise RubricError(file, 1, _("the rubric must be a mapping of fields"), 1, code="RB001")
    try:
        rubric = ListeningRubric.model_validate(data)
    except ValidationError as exc:
        diags = _validation_diagnostics(file, exc, positions, ListeningRubric)
        first = diags[0]
        raise RubricError(file, first.line, first.message, first.column, code="RB100") from None
    rubric._path = file
    return rubric
