"""One case, gathered event by event, checked as a whole, and turned into ``auditor.case.Case``.

Both readers feed it: a case-log document (all at once) and an event table (row by row, possibly
interleaved with other cases). What needs the whole case is checked in ``finish``: parties and their
roles, every party reference, date-times with and without offsets, ``as_of``, and the time order.
"""

from __future__ import annotations

from datetime import date, timedelta, timezone
from typing import Any

from auditor import schema
from auditor.case import Case, Event
from auditor.errors import MAX_ERRORS, InputError, InputErrors
from auditor.i18n_domains import _
from auditor.reading.messages import shown_code, shown_date, shown_id, suggest
from auditor.reading.timeparse import parse_at

EARLIEST_OFFSET = timezone(timedelta(hours=14))

_PARTY_REFS = schema.PARTY_REFS
_LABEL_REFS = schema.LABEL_REFS


class CaseBuilder:
    """Collects one case's parties, context, events and problems."""

    __slots__ = (
        "case", "source", "parties", "party_lines", "context", "as_of", "events", "errors", "n_events",
        "warnings", "overflow", "positions", "parties_line",
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
        #: For a document: path -> (line, column), so a problem found late names its field's own line.
        self.positions: dict[tuple, tuple[int, int]] | None = None
        self.parties_line: int | None = None

    # -- gathering ---------------------------------------------------------------------------------

    def error(self, message: str, line: int | None = None, column: int | None = None, event: str | None = None) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(
                InputError(message, file=self.source, line=line, column=column, case=self.case, event=event)
            )
        else:
            self.overflow = True

    def place(self, e: Event, *path: Any) -> tuple[int | None, int | None]:
        """Line and column of a field of event ``e`` (its own line in a document, else the event's)."""
        if self.positions is not None:
            spot = self.positions.get(("events", e.position - 1, *path))
            if spot is None and len(path) > 1:
                spot = self.positions.get(("events", e.position - 1, path[0]))
            if spot is not None:
                return spot
        return e.line, e.column

    def next_position(self) -> int:
        self.n_events += 1
        return self.n_events

    def add_event(self, d: dict[str, Any], line: int | None, column: int | None = None, *,
                  at_has_column: bool = True) -> None:
        """Add a validated event dict (``schema.EVENT`` output; ``case`` already removed). Every
        reader builds its events here, so an event is the same whatever format it came from.
        ``at_has_column`` False: a bad ``at`` is reported without a column (a JSON line's ``at`` has
        none of its own)."""
        self.n_events += 1
        position = self.n_events
        type_ = d.pop("type")
        at_text = d.pop("at")
        eid = d.pop("id", None)
        by = d.pop("by", None)
        if "notes" in d:
            del d["notes"]
        try:
            at, date_only, day = parse_at(at_text)
        except ValueError:
            self.error(
                _("`at` is not a real date or time: {value}").format(value=shown_date(at_text)), line,
                column if at_has_column else None,
                eid if eid is not None else f"#{position}",
            )
            return
        self.events.append(Event(type_, at, date_only, day, position, eid, by, d, line, column))

    def add_party(self, pid: str, role: str, line: int | None = None, column: int | None = None) -> None:
        if pid in self.parties:
            self.error(_("the party {party} is declared twice").format(party=shown_id(pid)), line, column)
            return
        self.parties[pid] = role
        self.party_lines[pid] = line

    def set_context(self, values: dict[str, Any], line: int | None = None) -> None:
        for key, value in values.items():
            if key == "as_of":
                if self.as_of is not None and self.as_of != value:
                    self.error(_("`as_of` is given twice with different dates"), line)
                self.as_of = value
            elif key in self.context and self.context[key] != value:
                self.error(_("`context.{key}` is given twice with different values").format(key=key), line)
            else:
                self.context[key] = value

    # -- checking the whole case -------------------------------------------------------------------

    def _check_roles(self) -> None:
        roles = list(self.parties.values())
        workers = roles.count("worker")
        line = self.parties_line
        # Translators: appended to "a case needs … party with role …" when the log declares no party at all.
        none = "" if self.parties else _(" (no party is declared for it)")
        if workers != 1:
            self.error(
                (_("a case needs exactly one party with role `worker`, and this one has {count}").format(count=workers)
                 if workers else _("a case needs exactly one party with role `worker`, and this one has none")) + none,
                line,
            )
        if "coordinator" not in roles:
            self.error(_("a case needs at least one party with role `coordinator`") + none, line)
        if "supervisor" not in roles:
            self.error(_("a case needs at least one party with role `supervisor`") + none, line)

    def _unknown_party(self, e: Event, field: str, value: str, index: int | None = None) -> None:
        known = ", ".join(self.parties) if len(self.parties) <= 12 else ", ".join(list(self.parties)[:12]) + ", …"
        self.error(
            _("`{field}` names {value}, who is not a declared party (parties: {known})").format(
                field=field, value=shown_code(value, self.parties), known=known)
            + suggest(value, self.parties),
            *(self.place(e, field) if index is None else self.place(e, field, index)), e.label,
        )

    def _label_warning(self, e: Event, name: str, label: str) -> None:
        folded = label.casefold()
        for pid in self.parties:
            if pid.casefold() == folded:
                self.warnings.append(
                    _("event {event}: `{field}` is {value}, which is not a party but matches the party {party} except "
                      "for upper/lower case; is it a typo?").format(
                        event=e.label, field=name, value=shown_id(label), party=shown_id(pid))
                )
                return

    def _offsets_error(self, first_naive: Event, first_aware: Event) -> None:
        later = first_naive if first_naive.position > first_aware.position else first_aware
        earlier = first_aware if later is first_naive else first_naive
        if later is first_naive:
            text = _("`at` has no offset but event {event} has one; give every date-time an offset (Z, +02:00) or "
                     "none of them").format(event=earlier.label)
        else:
            text = _("`at` has an offset but event {event} has none; give every date-time an offset (Z, +02:00) or "
                     "none of them").format(event=earlier.label)
        self.error(text, *self.place(later, "at"), later.label)

    def _scan(self) -> tuple[bool, Event | None, date | None]:
        """One pass over the events for everything that needs them all: party references, free
        labels, offsets, time order, last day, repeated ids. Returns (all date-times have an
        offset, first out-of-order event, last day)."""
        parties = self.parties
        refs = _PARTY_REFS
        labels = _LABEL_REFS
        first_naive = first_aware = first_late = None
        prev_at = None
        prev_timed = True
        last_day = None
        ids: set[str] = set()
        repeated: list[str] = []
        mixed = False
        for e in self.events:
            by = e.by
            if by is not None and by not in parties:
                self._unknown_party(e, "by", by)
            fields = e.fields
            for name, is_list in refs[e.type]:
                value = fields.get(name)
                if value is None:
                    continue
                if is_list:
                    for i, item in enumerate(value):
                        if item not in parties:
                            self._unknown_party(e, name, item, i)
                elif value not in parties:
                    self._unknown_party(e, name, value)
            for name in labels[e.type]:
                label = fields.get(name)
                if label is not None and label not in parties:
                    self._label_warning(e, name, label)
            at = e.at
            timed = not e.date_only
            if timed and not mixed:
                if at.tzinfo is None:
                    if first_naive is None:
                        first_naive = e
                elif first_aware is None:
                    first_aware = e
                if first_naive is not None and first_aware is not None:
                    self._offsets_error(first_naive, first_aware)
                    mixed = True
            if first_late is None and prev_at is not None and not mixed:
                try:
                    if at < prev_at or (at == prev_at and prev_timed and not timed):
                        first_late = e
                except TypeError:  # a date-only midnight against an aware time: decided after the fix-up
                    pass
            prev_at = at
            prev_timed = timed
            day = e.day
            if last_day is None or day > last_day:
                last_day = day
            if e.id is not None:
                if e.id in ids:
                    repeated.append(e.id)
                ids.add(e.id)
        for eid in dict.fromkeys(repeated):
            self.warnings.append(_("the event id {id} is used more than once; findings may be ambiguous").format(
                id=shown_id(eid)))
        return (first_aware is not None and not mixed), first_late, last_day

    def finish(self) -> Case | InputErrors:
        """The checked Case, or every problem found in it."""
        if self.parties or not self.errors:
            self._check_roles()
        events = self.events
        if not events and not self.errors:
            self.error("the case has no events")
        all_aware, first_late, last_day = self._scan()
        if not self.errors:
            if all_aware:
                # A date-only `at` in a log whose date-times all carry offsets: the earliest instant
                # whose written date is that day (00:00 at +14:00), so it sorts before every time
                # written on that day, as the spec says, whatever their offsets.
                fixed = False
                for e in events:
                    if e.date_only:
                        e.at = e.at.replace(tzinfo=EARLIEST_OFFSET)
                        fixed = True
                if fixed:
                    first_late = None
                    prev = None
                    for e in events:
                        key = (e.at, not e.date_only)
                        if prev is not None and key < prev:
                            first_late = e
                            break
                        prev = key
            if first_late is not None:
                events.sort(key=Event.sort_key)
                if first_late.line is not None:
                    late = _("event {event} (line {line}) is dated before an event written above it; the events were "
                             "put in time order").format(event=first_late.label, line=first_late.line)
                else:
                    late = _("event {event} is dated before an event written above it; the events were put in time "
                             "order").format(event=first_late.label)
                self.warnings.insert(0, late)
            assert last_day is not None, "a case without errors has events"
            as_of = self.as_of
            if as_of is None:
                as_of = last_day
            elif last_day > as_of:
                for e in events:
                    if e.day > as_of:
                        self.error(
                            _("the event is dated {date}, after the log's `as_of` ({as_of})").format(
                                date=e.day.isoformat(), as_of=as_of.isoformat()),
                            *self.place(e, "at"), e.label,
                        )
        if self.errors:
            errors = sorted(self.errors, key=lambda x: (x.line is None, x.line or 0, x.column or 0))
            if self.overflow:
                errors.append(
                    InputError(_("more than {count} problems; the rest were not listed").format(count=MAX_ERRORS),
                               file=self.source, case=self.case)
                )
            return InputErrors(errors, file=self.source, case=self.case)
        assert as_of is not None, "set above whenever there is no error"
        return Case(
            case=self.case,
            parties=self.parties,
            context=self.context,
            as_of=as_of,
            events=events,
            source=self.source,
            warnings=self.warnings,
        )
