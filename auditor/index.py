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
    """Derived facts about one case, computed in one pass when the index is built.

    ``__slots__``: an index is built for every case of an export and its attributes are read by
    every rule, so plain slots (no instance dictionary) make both cheaper.
    """

    __slots__ = (
        "case", "events", "roles", "worker", "coordinators", "supervisors", "by_type", "contacts",
        "worker_contacts", "coordinator_worker_contacts", "worker_contacts_without_coordinator",
        "coordinator_contacts_without_worker", "coordinator_contacts", "planning_meeting", "return_index", "closed_index",
        "first_absence", "process_start", "participations", "agreements", "refusals",
        "_parts_cache", "_set_cache", "_sel_cache",
    )

    def __init__(self, case: Case) -> None:
        self.case = case
        events = self.events = case.events
        roles = self.roles = case.parties
        w = None
        coordinators: set[str] = set()
        supervisors: list[str] = []
        for p, r in roles.items():
            if r == "worker":
                if w is None:
                    w = p
            elif r == "coordinator":
                coordinators.add(p)
            elif r == "supervisor":
                supervisors.append(p)
        self.worker = w
        self.coordinators = frozenset(coordinators)
        self.supervisors: list[str] = supervisors
        self._parts_cache: dict[int, frozenset[str]] = {}

        # One pass over the events groups them by type (plain attributes rather than cached
        # properties: this runs once per case on exports of tens of thousands of cases).
        by_type: dict[str, list[int]] = {}
        for i, event in enumerate(events):
            t = event.type
            found = by_type.get(t)
            if found is None:
                by_type[t] = [i]
            else:
                found.append(i)
        self.by_type = by_type

        # Contacts: who is part of each (its ``by`` and its ``with``), sorted into the groups the
        # named event sets are drawn from, without building the set of its members (``parts``).
        contacts = self.contacts = by_type.get("contact", [])
        worker_contacts: list[int] = []
        coordinator_worker_contacts: list[int] = []
        without_coordinator: list[int] = []  # worker contacts no coordinator is part of
        coordinator_only: list[int] = []  # contacts a coordinator is part of and the worker is not
        with_coordinator: list[int] = []  # contacts a coordinator is part of
        planning = None
        if contacts:
            no_coordinator = not coordinators
            for i in contacts:
                event = events[i]
                fields = event.fields
                with_ = fields.get("with") or ()
                by = event.by
                if no_coordinator:
                    has_coordinator = False
                else:
                    has_coordinator = by in coordinators or not coordinators.isdisjoint(with_)
                    if has_coordinator:
                        with_coordinator.append(i)
                if w is not None and (by == w or w in with_):
                    worker_contacts.append(i)
                    if has_coordinator:
                        coordinator_worker_contacts.append(i)
                    else:
                        without_coordinator.append(i)
                    if planning is None and fields.get("purpose") == "planning":
                        planning = i
                elif has_coordinator:
                    coordinator_only.append(i)
        self.worker_contacts = worker_contacts
        self.coordinator_worker_contacts = coordinator_worker_contacts
        self.worker_contacts_without_coordinator = without_coordinator
        self.coordinator_contacts_without_worker = coordinator_only
        self.coordinator_contacts = with_coordinator
        if planning is None:
            found = by_type.get("plan_adopted")
            planning = found[0] if found else None
        self.planning_meeting: int | None = planning
        found = by_type.get("return_to_work")
        self.return_index: int | None = found[0] if found else None
        found = by_type.get("case_closed")
        self.closed_index: int | None = found[0] if found else None
        found = by_type.get("absence_started")
        self.first_absence: int | None = found[0] if found else None
        process_start = None
        for i in by_type.get("file_forwarded", ()):
            if events[i].fields.get("to") in coordinators:
                process_start = i
                break
        self.process_start: int | None = process_start
        participations = by_type.get("participation")
        agreements: list[int] = []
        refusals: list[int] = []
        if participations:
            mine = []
            for i in participations:
                event = events[i]
                if event.by is None or event.by == w:
                    mine.append(i)
                    decision = event.fields.get("decision")
                    if decision == "agreed":
                        agreements.append(i)
                    elif decision in REFUSALS:
                        refusals.append(i)
            participations = mine
        else:
            participations = []
        self.participations = participations
        self.agreements = agreements
        self.refusals = refusals
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
        w = self.worker
        if w is None:
            return False
        event = self.events[i]
        by = event.by
        with_ = event.fields.get("with") or ()
        if by != w and w not in with_:
            return False
        # Every other party (``by`` and ``with``, without building the set of them) has one of
        # ``roles``, and there is at least one: this runs for every contact of a case.
        get = self.roles.get
        others = False
        if by is not None and by != w:
            if get(by) not in roles:
                return False
            others = True
        for p in with_:
            if p != w:
                if get(p) not in roles:
                    return False
                others = True
        return others

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
