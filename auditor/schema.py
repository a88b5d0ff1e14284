"""The case-log format as pydantic v2 models: what a valid log may contain, and nothing else.

The spec's event table (docs/spec/case-log-format.md) is written down once, in ``EVENT_FIELDS``,
as data; the pydantic ``TypedDict`` models are generated from it. Why ``TypedDict`` and not
``BaseModel``: validation then yields plain dicts, which become ``Event.fields`` directly, and
pydantic-core can parse and validate a JSON Lines row in one Rust call (``validate_json``), which
is what keeps reading a 100k-case table close to the speed of a bare ``json.loads``.

Everything the models cannot say (party ids declared in the same case, offsets used consistently,
``as_of`` after the events) is checked by ``auditor.reading.documents`` once the case is whole.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, Strict, StringConstraints, TypeAdapter
from typing_extensions import NotRequired, Required, TypedDict

FORMAT = "rtw-case-log/1"

ROLES = (
    "worker", "coordinator", "supervisor", "union_rep", "hr", "physician", "insurer", "co_worker",
    "clinician", "mediator", "committee", "occupational_health", "senior_management", "other",
)

#: The spec's enumerations, by name.
ENUMS: dict[str, tuple[str, ...]] = {
    "channel": ("phone", "in_person", "video", "email", "message", "letter"),
    "purpose": (
        "invitation", "first_meeting", "recovery_follow_up", "participation_notice", "preparation",
        "scheduling", "planning", "return_follow_up", "plan_adjustment", "mediation", "welcome_back",
        "dispute_resolution", "oap", "administrative", "social", "other",
    ),
    "location": ("neutral", "workplace", "worker_home", "clinic", "remote", "other"),
    "decision": ("agreed", "not_ready", "declined", "withdrew"),
    "scope": ("supervisor_contact", "disclosure", "clinical_referral", "team_aspects", "identification", "welcome_back"),
    "topic": (
        "process_steps", "confidentiality", "voluntary_participation", "work_trajectory", "health", "diagnosis",
        "worker_concerns", "personal", "clinical_resources", "return_date", "participation", "supervisor_contact",
        "team_aspects", "workplace_changes", "plan", "meeting_procedure", "role_in_process", "other",
    ),
    "measures_in_place": ("none", "partial", "full"),
    "administrative_kind": ("absence_control", "sanction", "discipline", "benefits_decision", "adjudication", "other"),
    "assessment_kind": ("initial", "final"),
    "source": ("worker", "supervisor"),
    "reason": ("returned", "declined", "withdrew", "other"),
    "role": ROLES,
}

# Field kinds. A kind says how the value is validated and how an event table's CSV cell is read.
PARTY = "party"  # one declared party id
PARTIES = "parties"  # list of declared party ids
LABEL = "label"  # a party id or a free label (referral.to, mediation_started.mediator)
BOOL = "bool"
INT = "int"  # a whole number of days, >= 0
POSINT = "posint"  # a whole number of days, >= 1
DATE = "date"
STRLIST = "strlist"  # list of free strings
PLAN_ACTIONS = "plan_actions"  # list of {concern, action, owner, due}
DRAFT_ACTIONS = "draft_actions"  # list of strings or {concern, action, owner, due}
STR = "str"  # free string


def enum(name: str) -> str:
    return "enum:" + name


def enum_list(name: str) -> str:
    return "enums:" + name


#: type -> {field: (kind, required)}. ``at``, ``type``, ``id``, ``by`` and ``notes`` are common to all.
#: Required fields are those without which the event means nothing (a forwarding to no one).
EVENT_FIELDS: dict[str, dict[str, tuple[str, bool]]] = {
    "absence_started": {},
    "file_opened": {},
    "file_forwarded": {"to": (PARTY, True)},
    "file_secured": {},
    "insurer_terms_checked": {"conflict": (BOOL, False)},
    "letter_sent": {"to": (PARTY, True), "pamphlet": (BOOL, False), "call_within_days": (INT, False)},
    "contact": {
        "with": (PARTIES, True),
        "channel": (enum("channel"), False),
        "purpose": (enum("purpose"), False),
        "topics": (enum_list("topic"), False),
        "location": (enum("location"), False),
        "coordinator_informed": (BOOL, False),
        "first_speaker": (PARTY, False),
    },
    "participation": {
        "decision": (enum("decision"), True),
        "next_contact": (DATE, False),
        "follow_up_every_days": (POSINT, False),
    },
    "consent": {"scope": (enum("scope"), True), "to": (PARTIES, False), "about": (enum_list("topic"), False)},
    "consent_withdrawn": {"scope": (enum("scope"), True), "to": (PARTIES, False), "about": (enum_list("topic"), False)},
    "disclosure": {"to": (PARTIES, True), "about": (enum_list("topic"), False), "identifying": (BOOL, False)},
    "referral": {"to": (LABEL, True), "requested_by": (PARTY, False)},
    "return_date_set": {"date": (DATE, True)},
    "tentative_plan": {"topics": (STRLIST, False), "actions": (DRAFT_ACTIONS, False), "validated_with_worker": (BOOL, False)},
    "plan_adopted": {
        "with": (PARTIES, False),
        "concerns": (STRLIST, False),
        "actions": (PLAN_ACTIONS, False),
        "pending_validation": (STRLIST, False),
    },
    "conflict_identified": {"between": (PARTIES, True), "major": (BOOL, False)},
    "mediation_started": {"with": (PARTIES, False), "mediator": (LABEL, False)},
    "reassigned": {"new_supervisor": (PARTY, True)},
    "return_to_work": {
        "gradual": (BOOL, False),
        "gradual_tasks": (BOOL, False),
        "measures_in_place": (enum("measures_in_place"), False),
        "replacement_kept": (BOOL, False),
    },
    "team_informed": {},
    "welcome_back": {"per_worker_wishes": (BOOL, False)},
    "plan_adjusted": {"with": (PARTIES, False), "changes": (STRLIST, False)},
    "medicolegal_evaluation": {"requested_by": (PARTY, False)},
    "administrative_action": {"kind": (enum("administrative_kind"), True), "requested_by": (PARTY, False)},
    "assessment": {"kind": (enum("assessment_kind"), True)},
    "oap_submission": {
        "to": (PARTY, False),
        "source": (enum("source"), False),
        "identifying": (BOOL, False),
        "subjects": (PARTIES, False),
    },
    "case_closed": {"reason": (enum("reason"), True)},
}


def is_event_type(value: object) -> bool:
    """Whether ``value`` names an event type. Why not ``value in EVENT_FIELDS``: a hostile log may hold a
    list or a mapping where the type's name belongs, and those cannot even be looked up."""
    return isinstance(value, str) and value in EVENT_FIELDS

EVENT_TYPES: tuple[str, ...] = tuple(EVENT_FIELDS)
COMMON_FIELDS = ("at", "type", "id", "by", "notes")
#: Fields of a plan action object.
ACTION_FIELDS: dict[str, tuple[str, bool]] = {
    "concern": (STR, False),
    "action": (STR, True),
    "owner": (STR, False),
    "due": (DATE, False),
}
CONTEXT_FIELDS: dict[str, tuple[str, bool]] = {"union": (BOOL, False), "collective_agreement": (BOOL, False)}
#: Event-table rows that are not events.
PARTY_ROW_FIELDS: dict[str, tuple[str, bool]] = {"role": (enum("role"), True), "name": (STR, False)}
CONTEXT_ROW_FIELDS: dict[str, tuple[str, bool]] = {**CONTEXT_FIELDS, "as_of": (DATE, False)}
TABLE_ROW_TYPES = ("party", "context")


def kind_of(type_: str, field: str) -> str | None:
    """The kind of ``field`` on an event (or table row) of ``type_``; None when it does not belong."""
    if field in ("at",):
        return "at"
    if field == "by":
        return PARTY
    if field in ("id", "notes", "case"):
        return STR
    if type_ == "party":
        return PARTY_ROW_FIELDS.get(field, (None,))[0]
    if type_ == "context":
        return CONTEXT_ROW_FIELDS.get(field, (None,))[0]
    spec = EVENT_FIELDS.get(type_, {}).get(field)
    return spec[0] if spec else None


#: type -> ((field, is_list), ...) for the fields that must name a declared party.
PARTY_REFS: dict[str, tuple[tuple[str, bool], ...]] = {
    t: tuple((f, k == PARTIES) for f, (k, _) in fields.items() if k in (PARTY, PARTIES))
    for t, fields in EVENT_FIELDS.items()
}
#: type -> fields that hold a party id or a free label.
LABEL_REFS: dict[str, tuple[str, ...]] = {
    t: tuple(f for f, (k, _) in fields.items() if k == LABEL) for t, fields in EVENT_FIELDS.items()
}

# --- value types -----------------------------------------------------------------------------------

_DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
#: ``at``: an ISO 8601 calendar date, or a date and time (minutes, optional seconds and fraction)
#: with an optional offset. Other ISO 8601 spellings (week dates, the basic format, a space instead
#: of ``T``) are refused so a log means the same in every tool.
AT_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$"
)
AT_RE = re.compile(AT_PATTERN)


def _to_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError("no_such_date") from None


def _whole_number(value: Any) -> Any:
    # pydantic's lax int would take True, "1_000" or 14.0; a day count is written as digits only.
    if type(value) is int:
        return value
    if type(value) is str and 0 < len(value) <= 9 and value.isascii() and value.isdigit():
        return int(value)
    raise ValueError("not_whole_number")


Text = Annotated[str, StringConstraints(min_length=1)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=200)]
StrictBool = Annotated[bool, Strict()]
IsoDate = Annotated[str, StringConstraints(pattern=_DATE_RE), AfterValidator(_to_date)]
DayCount = Annotated[int, BeforeValidator(_whole_number), Field(ge=0, le=100_000)]
PosDayCount = Annotated[int, BeforeValidator(_whole_number), Field(ge=1, le=100_000)]
AtText = Annotated[str, StringConstraints(pattern=AT_PATTERN)]

_CONFIG = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


_CONFIG_OPEN = ConfigDict(extra="allow", coerce_numbers_to_str=True)


def _typeddict(name: str, annotations: dict[str, Any], config: ConfigDict = _CONFIG) -> type:
    td = TypedDict(name, annotations, total=False)  # type: ignore[misc]  # built at run time from the field tables
    td.__pydantic_config__ = config  # type: ignore[attr-defined]
    return td


PlanAction = _typeddict(
    "PlanAction",
    {"concern": NotRequired[str], "action": Required[str], "owner": NotRequired[Id], "due": NotRequired[IsoDate]},
)


def annotation(kind: str) -> Any:
    """The pydantic annotation for a field kind."""
    if kind in (PARTY, LABEL):
        return Id
    if kind == PARTIES:
        return list[Id]
    if kind == BOOL:
        return StrictBool
    if kind == INT:
        return DayCount
    if kind == POSINT:
        return PosDayCount
    if kind == DATE:
        return IsoDate
    if kind == STRLIST:
        return list[str]
    if kind == STR:
        return str
    if kind == PLAN_ACTIONS:
        return list[PlanAction]  # type: ignore[valid-type]
    if kind == DRAFT_ACTIONS:
        return list[Union[str, PlanAction]]  # type: ignore[valid-type]
    if kind.startswith("enum:"):
        return Literal[ENUMS[kind[5:]]]
    if kind.startswith("enums:"):
        return list[Literal[ENUMS[kind[6:]]]]  # type: ignore[misc]
    raise ValueError(kind)


def _fields(spec: dict[str, tuple[str, bool]]) -> dict[str, Any]:
    return {f: (Required if req else NotRequired)[annotation(k)] for f, (k, req) in spec.items()}


def _event_model(type_: str, in_table: bool, config: ConfigDict = _CONFIG) -> type:
    ann: dict[str, Any] = {
        "type": Required[Literal[type_]],
        "at": Required[AtText],
        "id": NotRequired[Id],
        "by": NotRequired[Id],
        "notes": NotRequired[Union[str, None]],
    }
    if in_table:
        ann["case"] = Required[Id]
    ann.update(_fields(EVENT_FIELDS[type_]))
    return _typeddict(("Row_" if in_table else "Event_") + type_, ann, config)


def _union(models: list[type]) -> Any:
    return Annotated[Union[tuple(models)], Field(discriminator="type")]


EVENT_MODELS = {t: _event_model(t, False) for t in EVENT_TYPES}
#: One event of a case log (``events:`` item).
EVENT = TypeAdapter(_union(list(EVENT_MODELS.values())))

PartyRow = _typeddict(
    "PartyRow",
    {"case": Required[Id], "type": Required[Literal["party"]], "id": Required[Id], **_fields(PARTY_ROW_FIELDS),
     "notes": NotRequired[Union[str, None]]},
)
ContextRow = _typeddict(
    "ContextRow",
    {"case": Required[Id], "type": Required[Literal["context"]], **_fields(CONTEXT_ROW_FIELDS),
     "notes": NotRequired[Union[str, None]]},
)
#: One row of an event table: an event with its ``case``, a party, or the case's context.
TABLE_ROW = TypeAdapter(_union([_event_model(t, True) for t in EVENT_TYPES] + [PartyRow, ContextRow]))
#: The same, letting unknown fields through: for rows with ``x-`` fields, whose other fields the
#: reader then checks itself (``ROW_FIELDS``), so that such rows need not leave pydantic-core's fast path.
TABLE_ROW_OPEN = TypeAdapter(_union([_event_model(t, True, _CONFIG_OPEN) for t in EVENT_TYPES] + [
    _typeddict("PartyRowOpen", PartyRow.__annotations__, _CONFIG_OPEN),
    _typeddict("ContextRowOpen", ContextRow.__annotations__, _CONFIG_OPEN),
]))

Party = _typeddict("Party", {"role": Required[annotation(enum("role"))], "name": NotRequired[Union[str, None]]})
Context = _typeddict("Context", _fields(CONTEXT_FIELDS))
#: The top of a case log; ``events`` is checked as a list here and item by item with ``EVENT``.
Header = _typeddict(
    "Header",
    {
        "format": Required[Literal[FORMAT]],
        "case": Required[Id],
        "parties": Required[dict[Id, Party]],  # type: ignore[valid-type]
        "context": NotRequired[Union[Context, None]],
        "as_of": NotRequired[IsoDate],
        "events": Required[list[Any]],
    },
)
HEADER: TypeAdapter[Any] = TypeAdapter(Header)

#: The fields each kind of mapping may hold, for "did you mean" suggestions and unknown-field messages.
HEADER_FIELDS = ("format", "case", "parties", "context", "as_of", "events")
ALL_EVENT_FIELDS: tuple[str, ...] = tuple(
    sorted({*COMMON_FIELDS, *(f for fields in EVENT_FIELDS.values() for f in fields)})
)
#: Every column an event table may have.
TABLE_COLUMNS: tuple[str, ...] = tuple(
    sorted({"case", *ALL_EVENT_FIELDS, *PARTY_ROW_FIELDS, *CONTEXT_ROW_FIELDS})
)
#: Fields on which a date (not a date-time) is expected, per type, so readers can convert.
DATE_FIELDS = {t: tuple(f for f, (k, _) in fs.items() if k == DATE) for t, fs in EVENT_FIELDS.items()}
#: type -> every field a table row of that type may hold.
ROW_FIELDS: dict[str, frozenset[str]] = {
    **{t: frozenset({"case", *COMMON_FIELDS, *fs}) for t, fs in EVENT_FIELDS.items()},
    "party": frozenset({"case", "type", "id", "notes", *PARTY_ROW_FIELDS}),
    "context": frozenset({"case", "type", "notes", *CONTEXT_ROW_FIELDS}),
}
