"""The in-memory form of one validated case log: what every rule reads.

Readers (YAML, JSON, event tables) validate their input with the pydantic models in
``auditor.schema`` and hand the rules this plain, already-checked structure, so a rule never
has to ask whether a field is well-formed, and so the hot loop pays no pydantic cost twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(slots=True)
class Event:
    """One event of a case, after validation.

    ``sort_key`` orders events as the spec says: by instant, a date-only ``at`` before every
    time of that day, the file order breaking ties. ``day`` is the date as written, used for
    every day count (the time of day and the offset never enter a day count).
    """

    type: str
    at: datetime  # naive or aware; a date-only ``at`` is midnight with ``date_only`` set
    date_only: bool
    day: date
    position: int  # 1-based position in the file as written (before sorting)
    id: str | None
    by: str | None
    fields: dict[str, Any]  # every other canonical field, validated; ``notes`` and ``x-`` fields dropped
    line: int | None = None  # 1-based line in the source file, when the format has lines
    column: int | None = None

    @property
    def label(self) -> str:
        """How a finding names the event: its ``id``, else ``#position``."""
        return self.id if self.id is not None else f"#{self.position}"

    def get(self, name: str, default: Any = None) -> Any:
        return self.fields.get(name, default)

    def sort_key(self) -> tuple:
        # A date-only ``at`` sorts before any time on that day: (instant, 0 for date-only, position).
        return (self.at, 0 if self.date_only else 1, self.position)


@dataclass(slots=True)
class Case:
    """A whole validated case: parties, context, events in time order, and where it came from."""

    case: str
    parties: dict[str, str]  # party id -> role, in declaration order
    context: dict[str, Any]
    as_of: date
    events: list[Event]  # sorted by Event.sort_key
    source: str | None = None  # the file it came from, for messages
    warnings: list[str] = field(default_factory=list)  # e.g. out-of-order events, label typos

    def with_role(self, role: str) -> list[str]:
        return [p for p, r in self.parties.items() if r == role]
