"""Derived notions of one case, computed once and shared by every rule.

The spec defines a handful of notions the rules keep coming back to (the process start, the leave,
the planning meeting, the current supervisor, who took part in a contact). Computing them here,
once per case, keeps each rule short and keeps the audit fast: a committee's export holds tens of
thousands of cases, and 41 rules each rescanning every event would dominate the run time.

Positions are indices into ``case.events`` (already sorted as the spec orders them), so "before"
and "after" in the spec are plain integer comparisons here.
"""

from __future__ import annotations

from .case import Case

REFUSALS = frozenset({"declined", "withdrew"})


class CaseIndex:
    """Lazily computed derived facts about one case; every property is computed at most once."""

    def __init__(self, case: Case) -> None:
        self.case = case
        events = self.events = case.events
        roles = self.roles = case.parties
        workers = [p for p, r in roles.items() if r == "worker"]
        w = self.worker = workers[0] if workers else None
        coordinators = self.coordinators = frozenset(p for p, r in roles.items() if r == "coordinator")
        self.supervisors: list[str] = [p for p, r in roles.items() if r == "supervisor"]
        self._parts_cache: dict[int, frozenset[str]] = {}

        # One pass over the events computes what nearly every rule needs (plain attributes rather than
        # cached properties: this runs once per case on exports of tens of thousands of cases).
        by_type: dict[str, list[int]] = {}
        parts_cache = self._parts_cache
        worker_contacts: list[int] = []
        coordinator_worker_contacts: list[int] = []
        planning = None
        for i, event in enumerate(events):
            t = event.type
            found = by_type.get(t)
            if found is None:
                by_type[t] = [i]
            else:
                found.append(i)
            if t == "contact":
                found_members = set(event.fields.get("with") or ())
                if event.by is not None:
                    found_members.add(event.by)
                members = parts_cache[i] = frozenset(found_members)
                if w in members:
                    worker_contacts.append(i)
                    if not coordinators.isdisjoint(members):
                        coordinator_worker_contacts.append(i)
                    if planning is None and event.fields.get("purpose") == "planning":
                        planning = i
        self.by_type = by_type
        self.contacts: list[int] = by_type.get("contact", [])
        self.worker_contacts = worker_contacts
        self.coordinator_worker_contacts = coordinator_worker_contacts
        if planning is None:
            planning = self.first_of_type("plan_adopted")
        self.planning_meeting: int | None = planning
        self.return_index: int | None = self.first_of_type("return_to_work")
        self.closed_index: int | None = self.first_of_type("case_closed")
        self.first_absence: int | None = self.first_of_type("absence_started")
        self.process_start: int | None = next(
            (i for i in by_type.get("file_forwarded", ()) if events[i].fields.get("to") in coordinators), None
        )
        participations = self.participations = [
            i for i in by_type.get("participation", ()) if events[i].by is None or events[i].by == w
        ]
        self.agreements = [i for i in participations if events[i].fields.get("decision") == "agreed"]
        self.refusals = [i for i in participations if events[i].fields.get("decision") in REFUSALS]
        self._set_cache: dict[str, list[int]] = {}
        self._sel_cache: dict[int, list[int]] = {}

    # ------------------------------------------------------------------ events by type
    def of_type(self, type_: str) -> list[int]:
        return self.by_type.get(type_, [])

    def first_of_type(self, type_: str) -> int | None:
        found = self.by_type.get(type_)
        return found[0] if found else None

    # ------------------------------------------------------------------ parties of an event
    def parts(self, i: int) -> frozenset[str]:
        """Who took part in an event: its ``by`` together with its ``with`` list."""
        got = self._parts_cache.get(i)
        if got is None:
            event = self.events[i]
            members = set(event.fields.get("with") or ())
            if event.by is not None:
                members.add(event.by)
            got = self._parts_cache[i] = frozenset(members)
        return got

    def has_coordinator(self, members: frozenset[str]) -> bool:
        return not self.coordinators.isdisjoint(members)

    def worker_with_only(self, i: int, roles: frozenset[str]) -> bool:
        """Whether event ``i`` is between the worker and only parties whose role is in ``roles`` (at
        least one): the union's own support of its member, which the process does not look at
        (RTW102 ``independent_roles``)."""
        members = self._parts_cache.get(i) or self.parts(i)
        w = self.worker
        if w not in members or len(members) < 2:
            return False
        get = self.roles.get
        for p in members:  # ``all(...)`` without a generator: this runs for every contact of a case
            if p != w and get(p) not in roles:
                return False
        return True

    def has_supervisor(self, members: frozenset[str]) -> bool:
        return not members.isdisjoint(self.supervisors)

    @property
    def leave_end(self) -> int | None:
        """The first position that is no longer during the leave: the return, or an earlier event at the same ``at``."""
        rt = self.return_index
        if rt is None:
            return None
        key = (self.events[rt].at, self.events[rt].date_only)
        while rt > 0 and (self.events[rt - 1].at, self.events[rt - 1].date_only) == key:
            rt -= 1
        return rt

    @property
    def closed(self) -> bool:
        return self.closed_index is not None

    def current_supervisor(self, i: int) -> str | None:
        """The first supervisor, replaced by ``new_supervisor`` at each ``reassigned`` before event ``i``."""
        current = self.supervisors[0] if self.supervisors else None
        for j in self.by_type.get("reassigned", ()):
            new = self.events[j].fields.get("new_supervisor")
            if j >= i:
                break
            current = new
        return current

    # ------------------------------------------------------------------ time
    def days_between(self, earlier: int, later: int) -> int:
        """Calendar days between two events' dates as written."""
        return (self.events[later].day - self.events[earlier].day).days
