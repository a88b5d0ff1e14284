"""Derived notions of one case, computed once and shared by every rule.

The spec defines a handful of notions the rules keep coming back to (the process start, the leave,
the planning meeting, the current supervisor, who took part in a contact). Computing them here,
once per case, keeps each rule short and keeps the audit fast: a committee's export holds tens of
thousands of cases, and 41 rules each rescanning every event would dominate the run time.

Positions are indices into ``case.events`` (already sorted as the spec orders them), so "before"
and "after" in the spec are plain integer comparisons here.
"""

from __future__ import annotations

from functools import cached_property

from .case import Case, Event

REFUSALS = frozenset({"declined", "withdrew"})


class CaseIndex:
    """Lazily computed derived facts about one case; every property is computed at most once."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.events: list[Event] = case.events
        self.roles: dict[str, str] = case.parties
        workers = [p for p, r in case.parties.items() if r == "worker"]
        self.worker: str | None = workers[0] if workers else None
        self.coordinators = frozenset(p for p, r in case.parties.items() if r == "coordinator")
        self.supervisors: list[str] = [p for p, r in case.parties.items() if r == "supervisor"]
        self._parts_cache: dict[int, frozenset[str]] = {}

    # ------------------------------------------------------------------ events by type
    @cached_property
    def by_type(self) -> dict[str, list[int]]:
        """Positions of the events of each type, in time order."""
        table: dict[str, list[int]] = {}
        for i, event in enumerate(self.events):
            table.setdefault(event.type, []).append(i)
        return table

    def of_type(self, type_: str) -> list[int]:
        return self.by_type.get(type_, [])

    def first_of_type(self, type_: str) -> int | None:
        found = self.by_type.get(type_)
        return found[0] if found else None

    # ------------------------------------------------------------------ parties of an event
    def parts(self, i: int) -> frozenset[str]:
        """Who took part in an event: its ``by`` together with its ``with`` list."""
        cache = self._parts_cache
        got = cache.get(i)
        if got is None:
            event = self.events[i]
            members = set(event.fields.get("with") or ())
            if event.by is not None:
                members.add(event.by)
            got = cache[i] = frozenset(members)
        return got

    def has_coordinator(self, members: frozenset[str]) -> bool:
        return not self.coordinators.isdisjoint(members)

    def has_supervisor(self, members: frozenset[str]) -> bool:
        return any(s in members for s in self.supervisors)

    def role_of(self, party: str | None) -> str | None:
        return self.roles.get(party) if party is not None else None

    # ------------------------------------------------------------------ contacts
    @cached_property
    def contacts(self) -> list[int]:
        return self.of_type("contact")

    @cached_property
    def worker_contacts(self) -> list[int]:
        """Contacts with the worker: the worker is their ``by`` or in their ``with``."""
        w = self.worker
        return [i for i in self.contacts if w in self.parts(i)]

    @cached_property
    def coordinator_worker_contacts(self) -> list[int]:
        """Contacts both a coordinator and the worker are part of, whoever initiated them."""
        return [i for i in self.worker_contacts if self.has_coordinator(self.parts(i))]

    def is_supervisor_contact(self, i: int, current_only: bool = True) -> bool:
        """A contact that the (current) supervisor at that moment is part of."""
        members = self.parts(i)
        if current_only:
            return self.current_supervisor(i) in members
        return self.has_supervisor(members)

    # ------------------------------------------------------------------ milestones
    @cached_property
    def process_start(self) -> int | None:
        """The first ``file_forwarded`` to a coordinator."""
        for i in self.of_type("file_forwarded"):
            if self.events[i].fields.get("to") in self.coordinators:
                return i
        return None

    @cached_property
    def first_absence(self) -> int | None:
        return self.first_of_type("absence_started")

    @cached_property
    def return_index(self) -> int | None:
        """The first ``return_to_work``: the return; later ones (after a relapse) are not re-checked."""
        return self.first_of_type("return_to_work")

    @cached_property
    def closed_index(self) -> int | None:
        return self.first_of_type("case_closed")

    @property
    def closed(self) -> bool:
        return self.closed_index is not None

    @cached_property
    def planning_meeting(self) -> int | None:
        """The first planning contact that includes the worker; else the first ``plan_adopted``."""
        w = self.worker
        for i in self.contacts:
            if self.events[i].fields.get("purpose") == "planning" and w in self.parts(i):
                return i
        return self.first_of_type("plan_adopted")

    @cached_property
    def planning_is_contact(self) -> bool:
        pm = self.planning_meeting
        return pm is not None and self.events[pm].type == "contact"

    # ------------------------------------------------------------------ supervisors
    @cached_property
    def _reassignments(self) -> list[tuple[int, str]]:
        return [(i, self.events[i].fields.get("new_supervisor")) for i in self.of_type("reassigned")]

    def current_supervisor(self, i: int) -> str | None:
        """The first supervisor, replaced by ``new_supervisor`` at each ``reassigned`` before event ``i``."""
        current = self.supervisors[0] if self.supervisors else None
        for j, new in self._reassignments:
            if j >= i:
                break
            current = new
        return current

    # ------------------------------------------------------------------ participation
    def is_workers_participation(self, i: int) -> bool:
        by = self.events[i].by
        return by is None or by == self.worker

    @cached_property
    def participations(self) -> list[int]:
        return [i for i in self.of_type("participation") if self.is_workers_participation(i)]

    @cached_property
    def agreements(self) -> list[int]:
        return [i for i in self.participations if self.events[i].fields.get("decision") == "agreed"]

    @cached_property
    def refusals(self) -> list[int]:
        return [i for i in self.participations if self.events[i].fields.get("decision") in REFUSALS]

    # ------------------------------------------------------------------ time
    def days_between(self, earlier: int, later: int) -> int:
        """Calendar days between two events' dates as written."""
        return (self.events[later].day - self.events[earlier].day).days

    def days_to_as_of(self, i: int) -> int:
        return (self.case.as_of - self.events[i].day).days
