"""A case log (one YAML or JSON document) -> ``Case``, with every problem found in it.

The document is first read as plain data (``yaml_strict`` / ``json_doc``), with the line and
column of each key. Here it is checked against ``auditor.schema``: the top (format, case, parties,
context, as_of) as one mapping, then each event on its own, so one bad event does not hide the
problems of the others. A field whose value is null or empty counts as absent (as an empty cell in
an event table does); ``x-`` fields are dropped, as are ``notes``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from auditor import schema
from auditor.case import Case
from auditor.errors import InputError, InputErrors
from auditor.i18n_domains import _
from auditor.reading import json_doc, yaml_strict
from auditor.reading.builder import CaseBuilder
from auditor.reading.messages import describe, shown_date, shown_id, translate_all
from auditor.reading.textio import decode
from auditor.reading.timeparse import parse_at

_EVENT = schema.EVENT.validate_python
_HEADER = schema.HEADER.validate_python


def _clean(mapping: dict[str, Any], drop_none: bool = True) -> dict[str, Any]:
    """Without ``x-`` fields, and (by default) without fields that are null."""
    return {
        k: v
        for k, v in mapping.items()
        if not (isinstance(k, str) and k.startswith("x-")) and not (drop_none and v is None)
    }


def clean_actions(event: dict[str, Any]) -> dict[str, Any]:
    """A plan's action objects without their ``x-`` and null fields (in place; returns the event)."""
    actions = event.get("actions")
    if isinstance(actions, list) and any(isinstance(a, dict) for a in actions):
        event["actions"] = [_clean(a) if isinstance(a, dict) else a for a in actions]
    return event


def check_at(at: Any, errors: Sequence[Mapping[str, Any]]) -> str | None:
    """For an event that failed validation: whether its well-spelled ``at`` is a real date too."""
    if not isinstance(at, str) or any(e.get("loc", ())[-1:] == ("at",) for e in errors):
        return None
    if not schema.AT_RE.match(at):
        return None
    try:
        parse_at(at)
    except ValueError:
        return _("`at` is not a real date or time: {value}").format(value=shown_date(at))
    return None


def read_document(data: Any, positions: dict[tuple, tuple[int, int]], filename: str) -> Case:
    """Check one parsed case log; raises InputErrors listing every problem found."""
    if not isinstance(data, dict):
        raise InputErrors(
            [InputError(_("a case log must be a mapping (format, case, parties, events), not {value}").format(
                value=describe(data)), file=filename, line=1)]
        )
    case_value = data.get("case")
    case_name = case_value if isinstance(case_value, str) and case_value else None
    if isinstance(case_value, (int, float)) and not isinstance(case_value, bool):
        case_name = str(case_value)
    builder = CaseBuilder(case_name or "?", filename)
    builder.case = case_name  # type: ignore[assignment]  # unknown until the header is valid
    builder.positions = positions
    builder.parties_line = positions.get(("parties",), (None, None))[0]

    header = _clean(data, drop_none=False)
    parties = header.get("parties")
    if isinstance(parties, dict):
        header["parties"] = {k: _clean(v) if isinstance(v, dict) else v for k, v in parties.items()}
    context = header.get("context")
    if isinstance(context, dict):
        header["context"] = _clean(context)
    if header.get("as_of") is None:
        header.pop("as_of", None)
    try:
        top = _HEADER(header)
    except ValidationError as exc:
        top = None
        for path, message in translate_all(exc.errors(include_url=False), None, "header"):
            line, column = yaml_strict.nearest(positions, path)
            builder.error(message, line or 1, column)
    if top is not None:
        builder.case = top["case"]
        for pid, party in top["parties"].items():
            line, column = positions.get(("parties", pid), (None, None))
            builder.add_party(pid, party["role"], line, column)
        builder.set_context(top.get("context") or {})
        if "as_of" in top:
            builder.as_of = top["as_of"]
    events = data.get("events")
    if isinstance(events, list):
        for i, raw in enumerate(events):
            line, column = positions.get(("events", i), (None, None))
            if not isinstance(raw, dict):
                position = builder.next_position()
                builder.error(
                    _("an event must be a mapping of fields (`at: ...`, `type: ...`), not {value}").format(value=describe(raw)),
                    line, column, f"#{position}"
                )
                continue
            event = clean_actions(_clean(raw))
            try:
                valid = _EVENT(event)
            except ValidationError as exc:
                position = builder.next_position()
                eid = event.get("id")
                label = eid if isinstance(eid, str) and eid and shown_id(eid) == repr(eid) else f"#{position}"
                type_ = event.get("type") if schema.is_event_type(event.get("type")) else None
                errors = exc.errors(include_url=False)
                for path, message in translate_all(errors, type_):
                    fline, fcolumn = yaml_strict.nearest(positions, ("events", i) + path)
                    builder.error(message, fline, fcolumn, label)
                at_problem = check_at(event.get("at"), errors)
                if at_problem:
                    fline, fcolumn = yaml_strict.nearest(positions, ("events", i, "at"))
                    builder.error(at_problem, fline, fcolumn, label)
                continue
            builder.add_event(valid, line, column)
    result = builder.finish()
    if isinstance(result, InputErrors):
        raise result
    return result


def load_text(text: str | bytes, filename: str, fmt: str) -> tuple[Any, dict[tuple, tuple[int, int]]]:
    """Decode and parse a whole document; raises InputError."""
    decoded = decode(text, filename)
    if fmt == "json":
        data = json_doc.loads(decoded, filename)
        return data, json_doc.positions(decoded)
    return yaml_strict.load(decoded, filename)


def read_case_text(text: str | bytes, filename: str = "<string>", fmt: str = "yaml") -> Case:
    """One case log from its text (``fmt`` "yaml" or "json"); raises InputErrors."""
    if fmt not in ("yaml", "json"):
        raise ValueError(f"fmt must be 'yaml' or 'json', not {fmt!r}")
    try:
        data, positions = load_text(text, filename, fmt)
    except InputError as exc:
        raise InputErrors([exc], file=filename) from None
    return read_document(data, positions, filename)
