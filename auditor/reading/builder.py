"""One case, gathered event by event, checked as a whole, and turned into ``auditor.case.Case``.

Both readers feed it: a case-log document (all at once) and an event table (row by row, possibly
interleaved with other cases). What needs the whole case is checked in ``finish``: parties and their
roles, every party reference, date-times with and without offsets, ``as_of``, and the time order.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from auditor import schema
from auditor.case import Case, Event
from auditor.errors import MAX_ERRORS, InputError, InputErrors
from auditor.reading.messages import short, suggest
from auditor.reading.timeparse import UTC, parse_at

_PARTY_REFS = schema.PARTY_REFS
_LABEL_REFS = schema.LABEL_REFS


class CaseBuilder:
    """Collects one case's parties, context, events and problems."""

    __slots__ = (
        "case", "source", "parties", "party_lines", "context", "as_of", "events", "errors", "n_events",
        "warnings", "overflow",
    )

    def __init__(self, case: str, source: str | None) -> None:
        self.case = case
        self.source = source
        self.parties: dict[str, str] = {}
        self.party_lines: dict[str, int | None] = {}
        self.context: dict[str, Any] = {}
        self.as_of: date | None = None
        self.events: list[Event] = []
        self.errors: list[InputError] = []
        self.n_events = 0
        self.warnings: list[str] = []
        self.overflow = False

    # -- gathering ---------------------------------------------------------------------------------

    def error(self, message: str, line: int | None = None, column: int | None = None, event: str | None = None) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(
                InputError(message, file=self.source, line=line, column=column, case=self.case, event=event)
            )
        else:
            self.overflow = True

    def next_position(self) -> int:
        self.n_events += 1
        return self.n_events

    def add_event(self, d: dict[str, Any], line: int | None, column: int | None = None) -> None:
        """Add a validated event dict (``schema.EVENT`` output; ``case`` already removed)."""
        self.n_events += 1
        position = self.n_events
        type_ = d.pop("type")
        at_text = d.pop("at")
        eid = d.pop("id", None)
        by = d.pop("by", None)
        d.pop("notes", None)
        try:
            at, date_only, day = parse_at(at_text)
        except ValueError:
            self.error(
                f"`at` is not a real date or time: {short(at_text)}", line, column, eid if eid is not None else f"#{position}"
            )
            return
        self.events.append(Event(type_, at, date_only, day, position, eid, by, d, line, column))

    def add_party(self, pid: str, role: str, line: int | None = None, column: int | None = None) -> None:
        if pid in self.parties:
            self.error(f"the party {short(pid)} is declared twice", line, column)
            return
        self.parties[pid] = role
        self.party_lines[pid] = line

    def set_context(self, values: dict[str, Any], line: int | None = None) -> None:
        for key, value in values.items():
            if key == "as_of":
                if self.as_of is not None and self.as_of != value:
                    self.error("`as_of` is given twice with different dates", line)
                self.as_of = value
            elif key in self.context and self.context[key] != value:
                self.error(f"`context.{key}` is given twice with different values", line)
            else:
                self.context[key] = value

    # -- checking the whole case -------------------------------------------------------------------

    def _check_roles(self) -> None:
        roles = list(self.parties.values())
        workers = roles.count("worker")
        if workers != 1:
            self.error(
                "a case needs exactly one party with role `worker`"
                + (f", and this one has {workers}" if workers else ", and this one has none")
            )
        if "coordinator" not in roles:
            self.error("a case needs at least one party with role `coordinator`")
        if "supervisor" not in roles:
            self.error("a case needs at least one party with role `supervisor`")

    def _unknown_party(self, e: Event, field: str, value: str) -> None:
        known = ", ".join(self.parties) if len(self.parties) <= 12 else ", ".join(list(self.parties)[:12]) + ", …"
        self.error(
            f"`{field}` names {short(value)}, who is not a declared party (parties: {known})"
            + suggest(value, self.parties),
            e.line, e.column, e.label,
        )

    def _check_references(self) -> None:
        parties = self.parties
        for e in self.events:
            by = e.by
            if by is not None and by not in parties:
                self._unknown_party(e, "by", by)
            fields = e.fields
            for name, is_list in _PARTY_REFS[e.type]:
                value = fields.get(name)
                if value is None:
                    continue
                if is_list:
                    for item in value:
                        if item not in parties:
                            self._unknown_party(e, name, item)
                elif value not in parties:
                    self._unknown_party(e, name, value)
            if e.type == "plan_adopted" or e.type == "tentative_plan":
                pass  # `owner` of an action is free text (a person, a team, a service)
            for name in _LABEL_REFS[e.type]:
                label = fields.get(name)
                if label is not None and label not in parties:
                    folded = label.casefold()
                    for pid in parties:
                        if pid.casefold() == folded:
                            self.warnings.append(
                                f"event {e.label}: `{name}` is {short(label)}, which is not a party but matches "
                                f"the party {short(pid)} except for upper/lower case; is it a typo?"
                            )
                            break

    def _check_offsets(self) -> bool:
        """Date-times all with or all without an offset; returns True when they all have one."""
        first_naive: Event | None = None
        first_aware: Event | None = None
        for e in self.events:
            if e.date_only:
                continue
            if e.at.tzinfo is None:
                if first_naive is None:
                    first_naive = e
            elif first_aware is None:
                first_aware = e
            if first_naive is not None and first_aware is not None:
                later = max(first_naive, first_aware, key=lambda x: x.position)
                earlier = first_aware if later is first_naive else first_naive
                has = "has no offset" if later is first_naive else "has an offset"
                self.error(
                    f"`at` {has} but event {earlier.label} {'has one' if later is first_naive else 'has none'}; "
                    "give every date-time an offset (Z, +02:00) or none of them",
                    later.line, later.column, later.label,
                )
                return False
        return first_aware is not None

    def finish(self) -> Case | InputErrors:
        """The checked Case, or every problem found in it."""
        if self.parties or not self.errors:
            self._check_roles()
        if not self.events and not self.errors:
            self.error("the case has no events")
        self._check_references()
        all_aware = self._check_offsets()
        events = self.events
        if not self.errors:
            if all_aware:
                for e in events:
                    if e.date_only:
                        e.at = e.at.replace(tzinfo=UTC)
            # Events usually come in order: check in one pass, sort only when needed.
            prev = None
            first_late: Event | None = None
            for e in events:
                key = (e.at, not e.date_only)
                if prev is not None and key < prev:
                    first_late = e
                    break
                prev = key
            if first_late is not None:
                events.sort(key=Event.sort_key)
                where = f" (line {first_late.line})" if first_late.line is not None else ""
                self.warnings.insert(
                    0,
                    f"event {first_late.label}{where} is dated before an event written above it; "
                    "the events were put in time order",
                )
            last_day = max(e.day for e in events)
            if self.as_of is None:
                as_of = last_day
            else:
                as_of = self.as_of
                if last_day > as_of:
                    for e in events:
                        if e.day > as_of:
                            self.error(
                                f"the event is dated {e.day.isoformat()}, after the log's `as_of` ({as_of.isoformat()})",
                                e.line, e.column, e.label,
                            )
            ids: dict[str, int] = {}
            for e in events:
                if e.id is not None:
                    if e.id in ids and ids[e.id] == 1:
                        self.warnings.append(f"the event id {short(e.id)} is used more than once; findings may be ambiguous")
                    ids[e.id] = ids.get(e.id, 0) + 1
        if self.errors:
            errors = sorted(self.errors, key=lambda x: (x.line is None, x.line or 0, x.column or 0))
            if self.overflow:
                errors.append(
                    InputError(f"more than {MAX_ERRORS} problems; the rest were not listed", file=self.source, case=self.case)
                )
            return InputErrors(errors, file=self.source, case=self.case)
        return Case(
            case=self.case,
            parties=self.parties,
            context=self.context,
            as_of=as_of,
            events=events,
            source=self.source,
            warnings=self.warnings,
        )
