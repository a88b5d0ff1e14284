"""Waivers: justified exceptions to a rule on one case (``rtw-audit check --waivers FILE``).

Why: a coordinator often has a good reason for a deviation (the worker asked not to be called for a
month; the supervisor was on leave and the director stood in). Switching the rule off would hide it
for every case. As InSpec's waiver files and Checkov's skip-with-reason do, a waiver names one case,
one rule, optionally the events at fault, says why (required) and who approved it, and may expire.
A waived finding keeps its outcome but is shown as waived, with its justification, in the
coordinator's outputs, and counts toward neither ``--fail-on`` nor fidelity. A waiver that expired
(before ``--as-of``, else today) no longer applies, and one that matched nothing is reported: a waiver
file must not silently outlive the deviation it excused.

The file is read like a rubric: the strict YAML reader, a pydantic model, and messages that name the
file, the line and what is wrong (with a suggestion for a misspelt key or rule code).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .case import Case
from .errors import InputError, InputErrors
from .i18n import format_day
from .i18n_domains import _
from .outcomes import PENDING, VIOLATED, RuleResult
from .rubric import Rubric
from .yaml_positions import Positions, load_yaml_with_positions

WAIVERS_FORMAT = "rtw-waivers/1"
#: The outcomes a waiver can cover: the findings a report lists.
WAIVABLE = frozenset({VIOLATED, PENDING})


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


class WaiverEntry(BaseModel):
    """One entry of a waiver file, as written."""

    model_config = ConfigDict(extra="forbid")
    case: str = Field(min_length=1, description="the case id the waiver is for")
    rule: str = Field(pattern=r"^[A-Z]{2,8}[0-9]{3,4}$", description="the rule code, e.g. RTW302")
    events: list[str] | None = Field(
        default=None, min_length=1,
        description="event ids or #N positions: the waiver covers a finding only if it names these events only",
    )
    justification: str = Field(description="why the deviation was justified (shown to the coordinator only)")
    approved_by: str = Field(description="who approved the exception")
    expires: date | None = Field(default=None, description="the last day the waiver applies")

    _justification_not_blank = field_validator("justification", "approved_by")(_not_blank)

    @field_validator("events")
    @classmethod
    def _events_are_labels(cls, value: list[str] | None) -> list[str] | None:
        for item in value or ():
            if not item.strip():
                raise ValueError("an event is an id or a #N position, not an empty string")
        return value


class WaiverFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal["rtw-waivers/1"]
    waivers: list[WaiverEntry] = Field(default_factory=list)


_KEYS = {"waiver file": list(WaiverFile.model_fields), "waiver": list(WaiverEntry.model_fields)}


@dataclass(frozen=True, slots=True)
class Waiver:
    """A validated waiver, with where it is written (for the warnings about it)."""

    number: int  # 1-based, in file order
    line: int | None
    case: str
    rule: str
    events: frozenset[str] | None
    justification: str
    approved_by: str
    expires: date | None

    def record(self) -> dict[str, Any]:
        """The JSON shape of the waiver under a waived finding."""
        return {
            "justification": self.justification,
            "approved_by": self.approved_by,
            "expires": None if self.expires is None else self.expires.isoformat(),
        }

    def terms(self) -> str:
        """"approved by …, until …" for the text and Markdown reports."""
        if self.expires is None:
            return _("approved by {approver}").format(approver=self.approved_by)
        return _("approved by {approver}, until {date}").format(approver=self.approved_by, date=format_day(self.expires))

    def where(self) -> str:
        """How a warning names the waiver: its number, line, case and rule (never its justification)."""
        if self.line is None:
            return _("waiver {number} (case {case}, rule {rule})").format(number=self.number, case=self.case, rule=self.rule)
        return _("waiver {number}, line {line} (case {case}, rule {rule})").format(
            number=self.number, line=self.line, case=self.case, rule=self.rule)

    def covers(self, labels: list[str]) -> bool:
        """Whether the waiver covers a finding naming these events: any finding of its case and rule
        when it lists no events, else a finding that names events, all of them listed."""
        if self.events is None:
            return True
        return bool(labels) and all(label in self.events for label in labels)


class Waivers:
    """The waivers of one run, those in force on ``today``, and which of them were used.

    ``apply`` marks the findings of a case; ``used`` is the set of waiver numbers that covered a
    finding (a parallel run merges its workers' sets); ``notes`` says which expired or went unused.
    """

    def __init__(self, entries: Iterable[Waiver], today: date) -> None:
        self.all = list(entries)
        self.today = today
        self.expired = [w for w in self.all if w.expires is not None and w.expires < today]
        self.active: dict[tuple[str, str], list[Waiver]] = {}
        for w in self.all:
            if w.expires is None or w.expires >= today:
                self.active.setdefault((w.case, w.rule), []).append(w)
        self.cases = frozenset(case for case, _rule in self.active)
        self.used: set[int] = set()

    def __bool__(self) -> bool:
        return bool(self.all)

    def apply(self, case: Case, results: list[RuleResult]) -> None:
        """Replace each waived result by a copy that carries its waiver (results may be shared
        between cases, so they are never changed in place)."""
        if case.case not in self.cases:
            return
        events = case.events
        for n, r in enumerate(results):
            if r.outcome not in WAIVABLE:
                continue
            candidates = self.active.get((case.case, r.rule))
            if not candidates:
                continue
            labels = [events[i].label for i in r.events]
            for w in candidates:
                if w.covers(labels):
                    results[n] = RuleResult(r.rule, r.severity, r.outcome, r.events, w)
                    self.used.add(w.number)
                    break

    def expired_notes(self) -> list[str]:
        return [
            _("{waiver} expired on {date}; it no longer applies").format(
                waiver=w.where(), date=format_day(w.expires))  # type: ignore[arg-type]
            for w in self.expired
        ]

    def unused_notes(self) -> list[str]:
        return [
            _("{waiver} matched no finding; remove it or correct its case, rule or events").format(waiver=w.where())
            for w in self.all
            if w.number not in self.used and w not in self.expired
        ]


def _suggestion(word: str, known: Iterable[str]) -> str:
    guess = difflib.get_close_matches(word, list(known), n=1)
    return _("; did you mean `{name}`?").format(name=guess[0]) if guess else ""


def _errors(file: str, positions: Positions, exc: ValidationError) -> list[InputError]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        where = ".".join(str(p) for p in loc) or _("(top level)")
        if err["type"] == "extra_forbidden":
            kind = "waiver" if len(loc) > 1 and loc[0] == "waivers" else "waiver file"
            message = _("unknown key `{key}`").format(key=loc[-1]) + _suggestion(str(loc[-1]), _KEYS[kind])
        elif err["type"] == "missing":
            message = _("`{field}` is required").format(field=where)
        elif err["type"] == "literal_error" and loc == ("format",):
            message = _("`format` must be `{format}`").format(format=WAIVERS_FORMAT)
        else:
            message = f"`{where}`: {err['msg']}"
        line, column = positions.find(loc)
        out.append(InputError(message, file=file, line=line, column=column))
    return out


def _holds_nothing(raw: bytes) -> bool:
    """An empty file, or blank lines and comments only: a waiver file with nothing waived yet."""
    return all(not line.strip() or line.lstrip().startswith(b"#") for line in raw.splitlines())


def load_waivers(path: str | Path, rubric: Rubric, today: date) -> Waivers:
    """Read and check a waiver file; every problem is raised at once as ``InputErrors``.

    An empty file (or one holding only comments) has no waivers: the run is as without the file."""
    path = Path(path)
    file = str(path)
    try:
        if _holds_nothing(path.read_bytes()):
            return Waivers([], today)
        data, positions = load_yaml_with_positions(path)
    except OSError as exc:
        raise InputErrors([InputError(_("cannot read the waiver file ({reason})").format(reason=exc.strerror or exc),
                                      file=file)]) from None
    if data is None:
        return Waivers([], today)
    if not isinstance(data, dict):
        raise InputErrors([InputError(
            _("a waiver file is a mapping with `format: {format}` and `waivers`").format(format=WAIVERS_FORMAT),
            file=file, line=1,
        )])
    try:
        parsed = WaiverFile.model_validate(data)
    except ValidationError as exc:
        raise InputErrors(_errors(file, positions, exc)) from None
    known = set(rubric.all_codes()) | set(rubric.disabled)
    errors = []
    waivers = []
    for n, entry in enumerate(parsed.waivers):
        line, column = positions.find(("waivers", n))
        if entry.rule not in known:
            rline, rcolumn = positions.find(("waivers", n, "rule"))
            errors.append(InputError(
                _("`waivers.{number}.rule`: no rule {rule} in the rubric").format(number=n, rule=entry.rule)
                + _suggestion(entry.rule, sorted(known)),
                file=file, line=rline, column=rcolumn,
            ))
            continue
        waivers.append(Waiver(
            number=n + 1, line=line, case=entry.case, rule=entry.rule,
            events=None if entry.events is None else frozenset(entry.events),
            justification=" ".join(entry.justification.split()), approved_by=" ".join(entry.approved_by.split()),
            expires=entry.expires,
        ))
    if errors:
        raise InputErrors(errors)
    return Waivers(waivers, today)
