"""pydantic's validation errors, said in plain words.

pydantic's own text ("Input should be 'phone', 'in_person' ...", with a URL) is written for
programmers and quotes the input, which may be sensitive. Here each error becomes one sentence
that names the field, says what is allowed, suggests the nearest known name ("did you mean"), and
quotes the bad value only when it is short and made of the characters its field allows (``shown_date``,
``shown_id``), or is a near-miss of a known code (``shown_code``, ``shown_key``): columns shift in
exports, so a code field may hold a name. Never free text, a ``notes`` value or a ``name``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from auditor import schema
from auditor.i18n_domains import _
from auditor.safe_text import describe_text, quote_if

#: Fields whose values may be quoted in a message: codes, dates, ids. Everything else is free text.
_QUOTABLE_KINDS = {schema.PARTY, schema.PARTIES, schema.BOOL, schema.INT, schema.POSINT, schema.DATE, "at"}
_QUOTABLE_NAMES = {"type", "format", "case", "id", "by", "role", "as_of", "at", "union", "collective_agreement", "due", "owner"}
_NEVER_QUOTE = {"notes", "name"}
# Path elements pydantic adds for the members of a union, which a reader of the log never wrote.
_UNION_MEMBERS = {"str", "PlanAction", "function-after[_to_date(), constrained-str]", "Context", "none", "is-instance[NoneType]"}


#: What a quotable value looks like: a code, an id, a date; at most one space. A value that looks
#: like prose (a sentence that slipped out of a ``notes`` in a broken file) is never shown.
_CODE_LIKE = re.compile(r"[\w.:+\-/#@]+( [\w.:+\-/#@]+)?")


#: The characters each kind of field allows; a value is quoted only when it is made of them.
_DATE_CHARS = re.compile(r"[0-9TZ:+\-. ]+")
_WORD = re.compile(r"[A-Za-z0-9]+")
_ID_CHARS = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:#/+@\-]*")


def _known_names() -> frozenset[str]:
    names = {*schema.HEADER_FIELDS, *schema.ALL_EVENT_FIELDS, *schema.CONTEXT_FIELDS, *schema.ACTION_FIELDS}
    names |= {"role", "name", "notes"}
    # the configuration files read by the same YAML reader: rubrics and mapping files
    names |= {"extends", "steps", "rules", "code", "step", "severity", "source", "summary", "explanation",
              "params", "check", "enabled", "title", "recommendation", "template", "columns", "types",
              "values", "ignore_columns", "ignore_types"}
    return frozenset(names)


KNOWN_NAMES = _known_names()


def shown_date(value: Any) -> str:
    """A date or time as it may be quoted: only digits and date punctuation, 32 characters at most;
    anything else is described ("a 23-character text") — it may be a sentence with a name in it."""
    if isinstance(value, str):
        return quote_if(value, _DATE_CHARS, 32)
    return short(value)


def shown_id(value: Any) -> str:
    """An id (case, event, party) as it may be quoted: letters, digits and ``_ . : # / + @ -``, 40
    characters at most; otherwise described."""
    if isinstance(value, str):
        return quote_if(value, _ID_CHARS, 40)
    return short(value)


def near_miss(value: Any, choices: Iterable[str]) -> bool:
    """Whether ``value`` is close to one of ``choices`` (what "did you mean" suggests)."""
    return bool(suggest(value, choices))


def shown_code(value: Any, choices: Iterable[str]) -> str:
    """A value for a field of known codes: quoted only when it is a near-miss of one of them (a typo
    worth showing beside "did you mean"); anything else — a name or a diagnosis in a shifted
    column — is described, never shown."""
    choices = list(choices)
    if isinstance(value, str) and len(value) <= 40 and (value in choices or near_miss(value, choices)):
        return repr(value)
    return describe_text(value) if isinstance(value, str) else short(value)


def shown_key(value: Any, choices: Iterable[str] = ()) -> str:
    """A field, column or key name: quoted when it is a known name or a near-miss of ``choices``."""
    if isinstance(value, str) and (value in KNOWN_NAMES or (len(value) <= 40 and near_miss(value, choices))):
        return repr(value)
    return describe_text(value) if isinstance(value, str) else _("a key that is not text")


def short(value: Any, limit: int = 40) -> str:
    """A value as it may be quoted: repr, cut to ``limit`` characters; prose is not shown."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and not (len(value) <= 60 and _CODE_LIKE.fullmatch(value)):
        return _("(a text, not shown)")
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 2] + "…" + text[-1]


def suggest(word: Any, choices: Iterable[str]) -> str:
    """`` did you mean 'x'?`` for the closest known name, or ''."""
    if not isinstance(word, str):
        return ""
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return _("; did you mean {name}?").format(name=repr(close[0])) if close else ""


def describe(value: Any) -> str:
    """What a value is, without showing it (one wording for both: ``safe_text.describe_text``)."""
    return describe_text(value)


def _kind(event_type: str | None, field: str) -> str | None:
    if event_type is None:
        return None
    return schema.kind_of(event_type, field)


def _quotable(event_type: str | None, path: Sequence[Any]) -> bool:
    names = [p for p in path if isinstance(p, str)]
    if not names or any(n in _NEVER_QUOTE or n.startswith("x-") for n in names):
        return False
    field = names[-1]
    if field == "due" or (field == "owner" and "actions" in names):
        return True
    if len(names) > 1 and names[0] in ("actions",):
        return False
    kind = _kind(event_type, names[0]) if event_type else None
    if kind is not None:
        return kind in _QUOTABLE_KINDS or kind.startswith("enum")
    return field in _QUOTABLE_NAMES


def field_name(path: Sequence[Any]) -> str:
    """``actions[1].due`` from ('actions', 1, 'due')."""
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p + 1}]"
        else:
            out += ("." if out else "") + str(p)
    return out or _("the value")


def allowed_fields(event_type: str | None, container: str | None) -> list[str]:
    """The names a mapping may hold, for 'did you mean'."""
    if container == "header":
        return list(schema.HEADER_FIELDS)
    if container == "party":
        return ["role", "name"]
    if container == "context":
        return list(schema.CONTEXT_FIELDS)
    if container == "action":
        return list(schema.ACTION_FIELDS)
    if event_type == "party":
        return ["case", "type", "id", "role", "name", "notes"]
    if event_type == "context":
        return ["case", "type", *schema.CONTEXT_ROW_FIELDS, "notes"]
    if event_type in schema.EVENT_FIELDS:
        return [*schema.COMMON_FIELDS, *schema.EVENT_FIELDS[event_type]]
    return list(schema.ALL_EVENT_FIELDS)


def _enum_values(event_type: str | None, path: Sequence[Any]) -> tuple[str, ...] | None:
    names = [p for p in path if isinstance(p, str)]
    if not names:
        return None
    if names == ["format"]:
        return (schema.FORMAT,)
    if names[-1] == "role":
        return schema.ROLES
    if names[-1] == "type":
        return (*schema.EVENT_TYPES,)
    kind = _kind(event_type, names[0])
    if kind and kind.startswith("enum"):
        return schema.ENUMS[kind.split(":", 1)[1]]
    return None


def _shown(value: Any, path: Sequence[Any]) -> str:
    """A bad value of a quotable field: a date kept to date characters, an id to id characters;
    numbers and true/false as they are."""
    if not isinstance(value, str):
        return short(value)
    names = [p for p in path if isinstance(p, str)]
    field = names[-1] if names else ""
    if field in ("at", "due", "as_of", "date") or field.endswith(("_date", "_at")):
        return shown_date(value)
    if field in ("case", "id", "by", "owner"):
        return shown_id(value)
    return describe_text(value)


def translate(err: Mapping[str, Any], event_type: str | None, container: str | None = None) -> tuple[tuple, str]:
    """One pydantic error (from ``ValidationError.errors()``) -> (path as written, message).

    ``event_type`` is the type of the event being checked (None for the header), ``container``
    names what the path is relative to when it is not an event ("header").
    """
    loc = list(err.get("loc", ()))
    typ = err.get("type", "")
    value = err.get("input")
    # A discriminated union puts the tag first; union members add their own names.
    if loc and event_type is not None and loc[0] == event_type and container is None:
        loc = loc[1:]
    loc = [p for p in loc if p not in _UNION_MEMBERS]
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
        key_error = True
    else:
        key_error = False
    path = tuple(loc)
    name = field_name(path)
    quotable = _quotable(event_type, path)
    # Translators: appended to a message about a bad value: what the value was (quoted or described).
    not_this = _(", not {value}")
    shown = not_this.format(value=_shown(value, path) if quotable and value is not None else describe(value))
    ctx = err.get("ctx") or {}

    if typ == "missing":
        if event_type and container is None and len(path) == 1:
            return path, _("a `{type}` event needs `{field}`").format(type=event_type, field=name)
        return path, _("`{field}` is required").format(field=name)
    if typ == "extra_forbidden":
        field = path[-1] if path else ""
        sub = "action" if "actions" in path[:-1] else container
        if sub is None and len(path) > 1 and container == "header":
            sub = {"parties": "party", "context": "context"}.get(path[0])
        allowed = allowed_fields(event_type, sub)
        # Translators: the places an unknown field was found in, appended to "unknown field {field}".
        if sub is None:
            where = _(" of a `{type}` event").format(type=event_type) if event_type in schema.EVENT_FIELDS else ""
        else:
            where = {"action": _(" in a plan action"), "party": _(" in a party"), "context": _(" in `context`")}.get(sub, "")
        other = ""
        if sub is None and event_type in schema.EVENT_FIELDS and field in schema.ALL_EVENT_FIELDS:
            other = _(" (`{field}` belongs to other event types)").format(field=field)
        shown_field = shown_key(field, [*allowed, *schema.ALL_EVENT_FIELDS]) if isinstance(field, str) else str(field)
        return path, _("unknown field {field}").format(field=shown_field) + where + other + suggest(field, allowed)
    if typ in ("union_tag_invalid",):
        tag = ctx.get("tag")
        kinds = list(schema.EVENT_TYPES) + (["party", "context"] if "party" in ctx.get("expected_tags", "") else [])
        return ("type",), _("unknown event type {type}").format(type=shown_code(tag, kinds)) + suggest(tag, kinds)
    if typ == "union_tag_not_found":
        return ("type",), _("the event has no `type`")
    if typ in ("dict_type", "model_type", "typed_dict_type", "model_attributes_type"):
        if not path:
            return path, _("an event must be a mapping of fields (`at: ...`, `type: ...`), not {value}").format(
                value=describe(value))
        return path, _("`{field}` must be a mapping of fields, not {value}").format(field=name, value=describe(value))
    if typ == "literal_error":
        choices = _enum_values(event_type, path)
        if choices == (schema.FORMAT,):
            return path, _("`format` must be `{format}`").format(format=schema.FORMAT) + shown
        if choices:
            listed = ", ".join(choices)
            if not isinstance(value, str):
                return path, _("`{field}` must be one of: {values}").format(field=name, values=listed) + shown
            if quotable:
                return path, _("`{field}` {value} is not one of: {values}").format(
                    field=name, value=shown_code(value, choices), values=listed) + suggest(value, choices)
            return path, _("`{field}` value is not one of: {values}").format(field=name, values=listed) + suggest(value, choices)
        return path, _("`{field}` has a value that is not allowed").format(field=name)
    if typ == "bool_type" or typ == "bool_parsing":
        if isinstance(value, str):  # a yes/no word is worth showing; anything longer is described
            shown = not_this.format(value=quote_if(value, _WORD, 5))
        return path, _("`{field}` must be true or false").format(field=name) + shown
    if typ in ("string_type", "string_sub_type"):
        if key_error:
            return path, _("the key of `{field}` must be text").format(field=name)
        message = _("`{field}` must be an id or name (text)") if quotable else _("`{field}` must be text")
        return path, message.format(field=name) + (shown if not isinstance(value, bool) else not_this.format(value=short(value)))
    if typ == "string_too_short":
        return path, _("`{field}` must not be empty").format(field=name)
    if typ == "string_too_long":
        return path, _("`{field}` is too long (at most {count} characters)").format(field=name, count=ctx.get("max_length"))
    if typ == "string_pattern_mismatch":
        if path and path[-1] == "at":
            return path, _(
                "`at` must be an ISO date (2026-03-04) or date-time (2026-03-04T10:30, "
                "optionally with seconds and an offset such as Z or +02:00)"
            ) + shown
        return path, _("`{field}` must be a date written 2026-03-04").format(field=name) + shown
    if typ in ("list_type", "tuple_type", "iterable_type"):
        return path, _("`{field}` must be a list (in YAML: [A, B])").format(field=name) + shown
    if typ == "value_error":
        reason = str(ctx.get("error", ""))
        if "no_such_date" in reason:
            if quotable:
                return path, _("`{field}` is not a real date: {value}").format(field=name, value=shown_date(value))
            return path, _("`{field}` is not a real date").format(field=name)
        if "not_whole_number" in reason:
            return path, _("`{field}` must be a whole number of days").format(field=name) + shown
        return path, _("`{field}` is not valid").format(field=name) + shown
    if typ in ("greater_than_equal", "greater_than"):
        return path, _("`{field}` must be at least {least}").format(field=name, least=ctx.get("ge", ctx.get("gt"))) + shown
    if typ in ("less_than_equal", "less_than"):
        return path, _("`{field}` must be at most {most}").format(field=name, most=ctx.get("le", ctx.get("lt"))) + shown
    if typ in ("json_invalid",):
        return path, _("this line is not valid JSON ({reason})").format(reason=ctx.get("error", _("syntax error")))
    if typ in ("json_type",):
        return path, _("this line is not a JSON object")
    if typ == "recursion_loop":
        return path, _("the data is nested too deeply")
    return path, _("`{field}` is not valid").format(field=name) + shown


def translate_all(errors: Sequence[Mapping[str, Any]], event_type: str | None, container: str | None = None) -> list[tuple[tuple, str]]:
    """All errors, without duplicates, in pydantic's order (a union member can repeat one)."""
    seen: set[tuple] = set()
    out: list[tuple[tuple, str]] = []
    for err in errors:
        if (
            len(errors) > 1
            and err.get("type") in ("string_type", "dict_type", "typed_dict_type")
            and any(m in err.get("loc", ()) for m in _UNION_MEMBERS)
        ):
            continue  # the other member of a `str | action` union says what is wrong
        path, message = translate(err, event_type, container)
        key = (path, message)
        if key not in seen:
            seen.add(key)
            out.append(key)
    return out
