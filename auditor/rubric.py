"""Rubrics: the audit rules as data, their validation, and a workplace's extensions.

The default rubric (``rubrics/audit-rules.yaml``) holds every rule of the spec. The IRSST guide
insists that each workplace define its own reference framework, so a workplace writes a small
file that ``extends: default`` and changes a window, a severity, switches a rule off or adds one
built from the check templates. A rubric with a mistake is reported like a bad log: file, line,
what is wrong, and a suggestion where one is obvious.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .checks import Check, compile_check
from .checks.plan import Plan, build_plan
from .conditions import RubricError
from .errors import InputError, InputErrors
from .i18n_domains import _
from .paths import default_rubric_path
from .rule_params import _MISSING as _NO_DEFAULT
from .rule_params import problem as param_problem
from .yaml_positions import load_yaml_with_positions, numbers

Severity = Literal["error", "warning", "info"]
#: ``extends`` chains longer than this are refused (a workplace rubric extends one or two).
MAX_EXTENDS = 16
#: A rubric is a few dozen kilobytes; reading stops well before memory is at risk.
MAX_RUBRIC_BYTES = 8 * 1024 * 1024
RUBRIC_FORMAT = "rtw-rubric/1"


class StepSpec(BaseModel):
    """One step of the guide (or a cross-cutting group) that rules are grouped under."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(description="short id, e.g. '1' or 'throughout'")
    title: str = Field(description="the step's title, as the guide words it")
    source: str = Field(description="where the guide describes it")
    recommendation: str = Field(description="plain-words advice for a committee when this step is weak")


class RuleSpec(BaseModel):
    """One audit rule: what it checks, why, and how (a template with parameters)."""

    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=r"^[A-Z]{2,8}[0-9]{3,4}$", description="stable code, e.g. RTW101")
    name: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="kebab-case name")
    step: str = Field(description="id of the step the rule belongs to")
    severity: Severity
    source: str = Field(min_length=3, description="the guide passage the rule enforces")
    summary: str = Field(min_length=10, description="one plain sentence: what the rule requires")
    explanation: str = Field(min_length=20, description="why the guides require it, in plain words")
    next_step: str | None = Field(default=None, description="what a coordinator can do next about a violation of it")
    pending_step: str | None = Field(default=None, description="what to do while it is pending, when that differs")
    params: dict[str, Any] = Field(default_factory=dict, description="the parameters a workplace may change")
    check: dict[str, Any] = Field(description="the check template and its configuration")
    enabled: bool = True

    @field_validator("params")
    @classmethod
    def _params_are_plain(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key, v in value.items():
            if not isinstance(v, (int, float, str, list, bool)):
                raise ValueError(_("parameter `{name}` must be a number, a string or a list").format(name=key))
        return value


class RubricFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal["rtw-rubric/1"]
    name: str
    extends: str | None = None
    steps: list[StepSpec] = Field(default_factory=list)
    rules: list[dict[str, Any]] = Field(default_factory=list)


@dataclass(slots=True)
class Rule:
    """A rule ready to run: its spec and its compiled check."""

    spec: RuleSpec
    run: Check

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def severity(self) -> str:
        return self.spec.severity


@dataclass(slots=True)
class Rubric:
    name: str
    steps: dict[str, StepSpec]
    rules: list[Rule]  # enabled rules only, in rubric order
    disabled: list[str]
    sources: list[str]
    by_code: dict[str, Rule] = field(default_factory=dict)
    #: For the audit loop: ``plan(ix)`` gives every enabled rule's result on one case, in rubric
    #: order, from one generated function (``checks.plan``).
    plan: Plan | None = None

    def __post_init__(self) -> None:
        self.by_code = {r.code: r for r in self.rules}
        self.plan = build_plan(self.rules)

    def rule(self, code: str) -> Rule | None:
        return self.by_code.get(code)

    def all_codes(self) -> list[str]:
        return [r.code for r in self.rules]


def _error(file: str, positions, path: tuple, message: str) -> InputError:
    line, column = positions.find(path)
    return InputError(file=file, line=line, column=column, case=None, event=None, message=message)


def _pydantic_errors(file: str, positions, base: tuple, exc: ValidationError) -> list[InputError]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or _("(top level)")
        if err["type"] == "extra_forbidden":
            msg = _("unknown key `{key}`").format(key=loc[-1])
        elif err["type"] == "missing":
            msg = _("`{field}` is required").format(field=field)
        else:
            # Translators: {reason} is the validation library's own words (English).
            msg = _("`{field}`: {reason}").format(field=field, reason=err["msg"])
        out.append(_error(file, positions, base + loc, msg))
    return out


def _read_file(path: Path) -> tuple[RubricFile, Any, str]:
    file = str(path)
    try:
        data, positions = load_yaml_with_positions(path, MAX_RUBRIC_BYTES, "rubric")
    except OSError as exc:
        reason = exc.strerror or exc
        raise InputErrors([InputError(file=file, message=_("cannot read the rubric: {reason}").format(reason=reason))]) from None
    if not isinstance(data, dict):
        raise InputErrors([_error(file, positions, (), _("a rubric is a mapping with `format`, `name` and `rules`"))])
    rules = data.get("rules")
    for rule in rules if isinstance(rules, list) else ():  # a wrong shape is the schema's to report
        if isinstance(rule, dict):
            for key in ("params", "check"):
                if key in rule:
                    rule[key] = numbers(rule[key])
    try:
        parsed = RubricFile.model_validate(data)
    except ValidationError as exc:
        raise InputErrors(_pydantic_errors(file, positions, (), exc)) from None
    return parsed, positions, file


def load_rubric(path: str | Path | None = None) -> Rubric:
    """Load a rubric (the default when ``path`` is None), following ``extends`` chains."""
    specs, steps, disabled, sources = _collect(Path(path) if path else default_rubric_path(), seen=())
    rules = []
    errors = []
    # Every rule's parameters as `CODE.name`, for a check that follows another rule's setting.
    shared = {f"{s.code}.{k}": v for s, *_ in specs.values() for k, v in s.params.items()}
    for spec, positions, file, index in specs.values():
        if not spec.enabled:
            continue
        if spec.step not in steps:
            guess = difflib.get_close_matches(spec.step, list(steps), n=1)
            hint = _("; did you mean `{name}`?").format(name=guess[0]) if guess else ""
            errors.append(_error(file, positions, ("rules", index, "step"),
                                 _("rule {code}: unknown step `{step}`").format(code=spec.code, step=spec.step) + hint))
            continue
        try:
            rules.append(Rule(spec, compile_check(spec.check, {**shared, **spec.params})))
        except RubricError as exc:
            path_parts = tuple(_split_path(exc.path))
            errors.append(_error(file, positions, ("rules", index, *path_parts),
                                 _("rule {code}: {path}: {message}").format(code=spec.code, path=exc.path, message=exc.message)))
    if errors:
        raise InputErrors(errors)
    return Rubric(name=_last_name(sources), steps=steps, rules=rules, disabled=disabled, sources=[str(s) for s in sources])


def _last_name(sources) -> str:
    return sources[-1][1] if sources else "rubric"


def _split_path(path: str):
    for part in path.replace("]", "").replace("[", ".").split("."):
        if part:
            yield int(part) if part.isdigit() else part


def _resolve_extends(value: str, relative_to: Path) -> Path:
    if value == "default":
        return default_rubric_path()
    candidate = Path(value)
    return candidate if candidate.is_absolute() else relative_to.parent / candidate


def _collect(path: Path, seen: tuple):
    """Merge a rubric with what it extends: the base first, this file's changes on top."""
    parsed, positions, file = _read_file(path)
    if path.resolve() in seen:
        raise InputErrors([_error(file, positions, ("extends",), _("`extends` forms a cycle"))])
    if parsed.extends and len(seen) + 1 >= MAX_EXTENDS:
        raise InputErrors([_error(
            file, positions, ("extends",),
            _("`extends` chains more than {count} rubrics; a workplace rubric extends one or two").format(count=MAX_EXTENDS),
        )])
    if parsed.extends:
        specs, steps, disabled, sources = _collect(_resolve_extends(parsed.extends, path), seen + (path.resolve(),))
    else:
        specs, steps, disabled, sources = {}, {}, [], []
    for step in parsed.steps:
        steps[step.id] = step
    errors: list[InputError] = []
    for index, raw in enumerate(parsed.rules):
        code = raw.get("code")
        if not isinstance(code, str):
            errors.append(_error(file, positions, ("rules", index), _("each rule needs a `code`")))
            continue
        if code in specs:
            base_spec = specs[code][0]
            unknown_params = set(raw.get("params") or {}) - set(base_spec.params)
            for name in sorted(unknown_params):
                guess = difflib.get_close_matches(name, list(base_spec.params), n=1)
                hint = (_("; did you mean `{name}`?").format(name=guess[0]) if guess
                        else _(" (it has: {names})").format(names=", ".join(base_spec.params) or _("none")))
                errors.append(_error(file, positions, ("rules", index, "params", name),
                                     _("rule {code} has no parameter `{name}`").format(code=code, name=name) + hint))
            merged = base_spec.model_dump()
            for key, value in raw.items():
                if key == "params" and isinstance(value, dict):
                    merged["params"] = {**merged["params"], **value}
                else:
                    merged[key] = value
        else:
            merged = raw
        try:
            spec = RuleSpec.model_validate(merged)
        except ValidationError as exc:
            errors.extend(_pydantic_errors(file, positions, ("rules", index), exc))
            continue
        base_params = specs[code][0].params if code in specs else {}
        bad_params = [
            (name, problem)
            for name, value in spec.params.items()
            if (problem := param_problem(name, value, base_params.get(name, _NO_DEFAULT))) is not None
        ]
        for name, message in bad_params:
            errors.append(_error(file, positions, ("rules", index, "params", name),
                                 _("rule {code}: {message}").format(code=code, message=message)))
        if bad_params:
            continue
        specs[code] = (spec, positions, file, index)
        if not spec.enabled:
            disabled.append(code)
        elif code in disabled:
            disabled.remove(code)
    if errors:
        raise InputErrors(errors)
    return specs, steps, disabled, [*sources, (path, parsed.name)]
