"""Hypothesis strategies for valid case logs (``rtw-case-log/1``), for reader and rule tests.

``case_logs()`` draws a dict in the case-log shape (what ``yaml.safe_load`` of a valid log gives,
with dates as ISO strings): parties with exactly one worker and at least one coordinator and
supervisor, events of every type with valid fields that name declared parties, date-only or
date-time ``at`` values (all date-times with an offset, or none), optional ids, ``notes``,
``x-`` fields, ``context`` and ``as_of``. Events may be out of time order (the reader sorts them
and warns). Helpers turn a log into YAML / JSON text.

Usage: ``from tests.auditor.strategies import case_logs`` (run pytest from the repo root), or put
this folder on ``sys.path``.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import yaml
from hypothesis import strategies as st

from auditor import schema

BASE_DAY = date(2026, 1, 5)

#: Party ids: short, safe in every table format (no ``;``, no leading ``[``, no spaces).
party_ids = st.from_regex(r"[A-Z][A-Za-z0-9_]{0,4}", fullmatch=True)
#: Free text: trimmed, non-empty, printable (CSV cells are trimmed, so edges must be plain).
free_text = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs"), exclude_characters="\x85\u2028\u2029"),
    min_size=1,
    max_size=20,
).map(str.strip).filter(bool)
#: Notes: anything printable, including what looks like YAML or JSON.
notes_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\x85\u2028\u2029"),
    max_size=40,
)
OFFSETS = ("Z", "+02:00", "-05:00", "+00:00")


class _NoAliasDumper(yaml.SafeDumper):
    """A log written by a tool must not use anchors (the reader refuses them)."""

    def ignore_aliases(self, data: Any) -> bool:  # noqa: ARG002
        return True


def to_yaml(log: dict[str, Any]) -> str:
    return yaml.dump(log, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True)


def to_json(log: dict[str, Any], indent: int | None = 1) -> str:
    return json.dumps(log, ensure_ascii=False, indent=indent)


@st.composite
def parties(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    extra_roles = draw(st.lists(st.sampled_from(schema.ROLES[1:]), max_size=5))
    roles = ["worker", "coordinator", "supervisor", *extra_roles]
    ids = draw(st.lists(party_ids, min_size=len(roles), max_size=len(roles), unique=True))
    order = draw(st.permutations(range(len(roles))))
    out: dict[str, dict[str, Any]] = {}
    for i in order:
        entry: dict[str, Any] = {"role": roles[i]}
        if draw(st.booleans()) and draw(st.booleans()):
            entry["name"] = draw(free_text)
        out[ids[i]] = entry
    return out


def _enum(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from(schema.ENUMS[name])


def _value(draw: st.DrawFn, kind: str, ids: list[str]) -> Any:
    if kind == schema.PARTY:
        return draw(st.sampled_from(ids))
    if kind == schema.PARTIES:
        return draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3))
    if kind == schema.LABEL:
        return draw(st.one_of(st.sampled_from(ids), free_text))
    if kind == schema.BOOL:
        return draw(st.booleans())
    if kind == schema.INT:
        return draw(st.integers(0, 60))
    if kind == schema.POSINT:
        return draw(st.integers(1, 60))
    if kind == schema.DATE:
        return (BASE_DAY + timedelta(days=draw(st.integers(0, 300)))).isoformat()
    if kind == schema.STRLIST:
        return draw(st.lists(free_text, max_size=3))
    if kind in (schema.PLAN_ACTIONS, schema.DRAFT_ACTIONS):
        action = st.fixed_dictionaries(
            {"action": free_text},
            optional={
                "concern": free_text,
                "owner": st.sampled_from(ids),
                "due": st.integers(0, 300).map(lambda d: (BASE_DAY + timedelta(days=d)).isoformat()),
            },
        )
        item = st.one_of(free_text, action) if kind == schema.DRAFT_ACTIONS else action
        return draw(st.lists(item, max_size=3))
    if kind.startswith("enum:"):
        return draw(_enum(kind[5:]))
    if kind.startswith("enums:"):
        return draw(st.lists(_enum(kind[6:]), min_size=1, max_size=3))
    raise ValueError(kind)


@st.composite
def events(draw: st.DrawFn, ids: list[str], aware: bool, n_max: int = 12) -> list[dict[str, Any]]:
    count = draw(st.integers(1, n_max))
    out: list[dict[str, Any]] = []
    day = 0
    used_ids: set[str] = set()
    for i in range(count):
        type_ = draw(st.sampled_from(schema.EVENT_TYPES))
        # mostly forward in time, sometimes back (the reader sorts and warns)
        day = max(0, day + draw(st.integers(-3, 10)))
        when = BASE_DAY + timedelta(days=day)
        if draw(st.booleans()):
            at = when.isoformat()
        else:
            at = f"{when.isoformat()}T{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}"
            if draw(st.booleans()):
                at += f":{draw(st.integers(0, 59)):02d}"
            if aware:
                at += draw(st.sampled_from(OFFSETS))
        event: dict[str, Any] = {"at": at, "type": type_}
        if draw(st.booleans()):
            eid = f"e{i + 1}" if draw(st.booleans()) else draw(st.from_regex(r"[a-z0-9]{1,4}", fullmatch=True))
            if eid not in used_ids:
                used_ids.add(eid)
                event["id"] = eid
        if draw(st.integers(0, 3)):
            event["by"] = draw(st.sampled_from(ids))
        for field, (kind, required) in schema.EVENT_FIELDS[type_].items():
            if required or draw(st.booleans()):
                event[field] = _value(draw, kind, ids)
        if draw(st.integers(0, 4)) == 0:
            event["notes"] = draw(notes_text)
        if draw(st.integers(0, 6)) == 0:
            event["x-origin"] = draw(st.one_of(free_text, st.integers(), st.lists(st.integers(), max_size=2)))
        keys = list(event)
        order = draw(st.permutations(keys))
        out.append({k: event[k] for k in order})
    return out


@st.composite
def case_logs(draw: st.DrawFn, max_events: int = 12, case_id: st.SearchStrategy[str] | None = None) -> dict[str, Any]:
    """A valid case log as a dict (the shape of ``yaml.safe_load`` / ``json.loads`` of the file)."""
    ps = draw(parties())
    ids = list(ps)
    aware = draw(st.booleans())
    evs = draw(events(ids, aware, max_events))
    log: dict[str, Any] = {
        "format": schema.FORMAT,
        "case": draw(case_id if case_id is not None else st.from_regex(r"C-[0-9A-Za-z]{1,6}", fullmatch=True)),
        "parties": ps,
    }
    if draw(st.booleans()):
        log["context"] = draw(
            st.fixed_dictionaries({}, optional={"union": st.booleans(), "collective_agreement": st.booleans()})
        )
    if draw(st.booleans()):
        last = max(date.fromisoformat(e["at"][:10]) for e in evs)
        log["as_of"] = (last + timedelta(days=draw(st.integers(0, 60)))).isoformat()
    if draw(st.integers(0, 5)) == 0:
        log["x-exported-by"] = "tool"
    log["events"] = evs
    return log
