"""Realistic synthetic caseloads in the ``rtw-case-log/1`` format.

Why: the auditor must be measured, and its reports tested, on caseloads that look like a real
committee's: the 7 steps of the IRSST process with varied timing, the usual variations (union,
insurer, reassignment, conflict, referral, a worker who declines or withdraws, cases still open at the
export date) and a share of cases with one of the typical faults the rules exist to catch. Real logs
hold health information and cannot be shared, so this module invents them, deterministically for a
seed, with recognisable fake sensitive text (``SECRET-NAME-...`` in party names, ``SECRET-NOTE-...``
in notes) so that privacy tests can assert none of it ever reaches an output.

Use it as a module::

    from benchmarks.generate import iter_cases, generate_case, case_rows, write_caseload
    for case in iter_cases(100, seed=1): ...          # case-log dicts, as in a YAML/JSON log

or as a script::

    python benchmarks/generate.py --cases 10000 --seed 1 --format jsonl --out cases.jsonl [--interleave]

Everything streams: one case is built, written and dropped before the next, so memory does not grow
with the number of cases (``--interleave`` keeps a bounded window of cases in flight).

Each injected fault is recorded, for tests, as an ``x-fault`` field on the event a finding would name
(the spec keeps and ignores ``x-`` fields); ``FAULTS`` maps each fault to the rule(s) it should trip.
A fault whose event falls after the export date (``as_of``) is simply not in the log.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

FORMAT = "rtw-case-log/1"
DEFAULT_AS_OF = date(2026, 6, 30)

# fault -> the rule(s) it is meant to trip. Weights: the faults the committee meets most often (and
# the brief lists first) are drawn three times as often as the others.
FAULTS: dict[str, tuple[str, ...]] = {
    "late_forwarding": ("RTW101",),
    "supervisor_call_unknown_to_coordinator": ("RTW102",),
    "supervisor_call_without_consent": ("RTW204",),
    "pre_briefing": ("RTW405",),
    "actions_in_tentative_plan": ("RTW403",),
    "missing_follow_up": ("RTW701",),
    "follow_up_gap": ("RTW302",),
    "disclosure_without_consent": ("RTW801",),
    "referral_without_consent": ("RTW303",),
    "conflict_without_mediation": ("RTW304",),
    "contact_after_withdrawal": ("RTW805",),
    "sanction_after_withdrawal": ("RTW804",),
    "old_supervisor_at_planning": ("RTW305", "RTW501"),
    "union_not_at_table": ("RTW505",),
    "insurer_terms_unchecked": ("RTW103",),
    "file_not_secured": ("RTW104",),
    "late_first_call": ("RTW105", "RTW901"),
    "first_contact_by_hr": ("RTW201",),
    "first_call_incomplete": ("RTW202",),
    "no_callback_when_not_ready": ("RTW203",),
    "supervisor_not_told": ("RTW205",),
    "notice_before_agreement": ("RTW206",),
    "first_meeting_at_workplace": ("RTW301",),
    "coordinator_requests_evaluation": ("RTW306",),
    "preparation_before_return_date": ("RTW401",),
    "tentative_plan_not_validated": ("RTW404",),
    "supervisor_absent_from_planning": ("RTW501",),
    "no_plan_before_return": ("RTW502",),
    "concern_without_action": ("RTW503",),
    "supervisor_speaks_first": ("RTW504",),
    "no_measures_at_return": ("RTW601",),
    "gradual_return_full_tasks": ("RTW602",),
    "team_not_informed": ("RTW603",),
    "welcome_against_wishes": ("RTW604",),
    "replacement_not_kept": ("RTW605",),
    "plan_adjusted_without_worker": ("RTW702",),
    "identifying_oap_submission": ("RTW802",),
    "oap_without_consent": ("RTW803",),
    "no_assessments": ("RTW902",),
}
_COMMON_FAULTS = frozenset(list(FAULTS)[:14])
_FAULT_NAMES = list(FAULTS)
_FAULT_CUM_WEIGHTS: list[int] = []
_total = 0
for _name in _FAULT_NAMES:
    _total += 3 if _name in _COMMON_FAULTS else 1
    _FAULT_CUM_WEIGHTS.append(_total)
del _total, _name

_WITHDRAWAL_FAULTS = frozenset({"contact_after_withdrawal", "sanction_after_withdrawal"})
_EARLY_FAULTS = frozenset({"late_forwarding", "file_not_secured", "insurer_terms_unchecked",
                           "late_first_call", "first_contact_by_hr", "first_call_incomplete"})

# Every column the generator can write, in the order of the CSV header: the union of the event
# table's columns (case, at, type, id, by, party and context fields, then every event field).
COLUMNS: tuple[str, ...] = (
    "case", "at", "type", "id", "by",
    "role", "name", "union", "collective_agreement", "as_of",
    "to", "with", "channel", "purpose", "topics", "location", "coordinator_informed", "first_speaker",
    "conflict", "pamphlet", "call_within_days",
    "decision", "next_contact", "follow_up_every_days",
    "scope", "about", "identifying", "requested_by", "date",
    "actions", "validated_with_worker", "concerns", "pending_validation",
    "between", "major", "mediator", "new_supervisor",
    "gradual", "gradual_tasks", "measures_in_place", "replacement_kept", "per_worker_wishes",
    "changes", "kind", "source", "subjects", "reason",
    "notes", "x-fault",
)
# Fields written as JSON in a CSV cell (they hold objects); every other list is ';'-separated.
JSON_COLUMNS = frozenset({"actions"})
# Fields holding a date-only value (written as a plain YAML date, like the spec's examples).
DATE_FIELDS = frozenset({"at", "date", "next_contact", "due", "as_of"})

_FIRST = ("Alex", "Sam", "Camille", "Dominique", "Jordan", "Noël", "Zoé", "Frédéric", "Maria", "Chen",
          "Aisha", "Olu", "Priya", "Mateo", "Sasha", "Hélène", "Karim", "Ingrid", "Tomás", "Mei")
_LAST = ("Martin", "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Nguyen", "Okafor", "Silva",
         "Kowalski", "Haddad", "Lefebvre", "Moreau", "Lindqvist", "O'Neil", "Dubois")
_HEALTH = (
    "reports insomnia and low mood since the reorganisation",
    "back pain flaring again, physiotherapy twice a week",
    "started antidepressants, drowsy in the mornings",
    "tearful on the phone, mentions the conflict with the supervisor",
    "burnout confirmed by the family doctor, sees a psychologist",
    "anxious about facing the team again",
    "spouse unwell too, childcare is difficult",
    "panic attacks on the commute, avoids the metro",
    "says the workload was unbearable before the leave",
    "alcohol use mentioned, asked that it stay between us",
    "sleeping better, walks every day, wants to come back part time",
    "waiting for the specialist appointment in three weeks",
)
_CONCERNS = ("workload", "schedule", "role clarity", "relations with co-workers", "commute",
             "physical demands", "training needs", "pace of work", "open-space noise",
             "client aggression", "overtime", "remote work days")
_ACTIONS = ("caseload capped for six weeks", "no evening shifts for two months",
            "role description reviewed together", "weekly check-in with the supervisor",
            "desk moved to a quieter area", "refresher training booked", "two remote days a week",
            "no client-facing duties for a month", "overtime suspended until the review",
            "mentor assigned for the first weeks")
_CHANGES = ("gradual schedule extended by two weeks", "remote days reduced to one",
            "training moved to next month", "caseload cap lifted early at the worker's request")
_REFERRAL_LABELS = ("psychologist (EAP)", "occupational therapist", "pain clinic", "sleep clinic")
_MEDIATOR_LABELS = ("external mediator", "HR mediation service")


@dataclass(frozen=True)
class Config:
    """What varies between caseloads. The defaults give a two-year caseload exported on 2026-06-30."""

    fault_rate: float = 0.3  # share of cases carrying one injected fault
    as_of: date = DEFAULT_AS_OF  # the export date: events after it are not in the logs yet
    span_days: int = 730  # absences start spread over this many days before as_of
    labels: bool = True  # mark each injected fault with an ``x-fault`` field


DEFAULT_CONFIG = Config()


def case_rng(seed: int, index: int) -> random.Random:
    """The random source of case ``index``: independent of the other cases, so case i is the same
    whatever the number of cases generated (a prefix of a caseload is a smaller caseload)."""
    return random.Random((seed << 40) | index)


def iter_cases(n: int, seed: int, config: Config = DEFAULT_CONFIG) -> Iterator[dict]:
    """Yield ``n`` case-log dicts, deterministically for ``seed``; one at a time (constant memory)."""
    for index in range(n):
        yield generate_case(case_rng(seed, index), index, config)


def generate_case(rng: random.Random, index: int, config: Config = DEFAULT_CONFIG) -> dict:
    """One case-log dict (``format``, ``case``, ``parties``, ``context``, ``as_of``, ``events``), as a
    YAML or JSON log would hold it: dates as ISO strings, events in time order."""
    builder = _CaseBuilder(rng, index, config)
    case = builder.build()
    if builder.fault is not None and not builder.fault_in_log:
        # The event at fault falls after the export date: the fault would show only half (or as a
        # different rule), unlabelled. Such a case is drawn again without a fault, so that a case
        # without a label is a case without an injected fault.
        case = _CaseBuilder(rng, index, config, allow_fault=False).build()
    return case


def case_faults(case: dict) -> list[str]:
    """The injected faults still present in ``case`` (read back from the ``x-fault`` fields)."""
    return [e["x-fault"] for e in case["events"] if "x-fault" in e]


# ----------------------------------------------------------------------------------------------
# Building one case


class _CaseBuilder:
    """Walks one worker through the process, day by day, bending it where the case's fault says.

    Days are offsets from the first day of absence; an event's time is minutes after midnight, or
    None for a date-only ``at``. Events are sorted at the end exactly as the spec orders them (date,
    date-only first, then time, file order breaking ties), so every same-day dependency is built
    either on a later day or with a later time.
    """

    def __init__(self, rng: random.Random, index: int, config: Config, allow_fault: bool = True):
        self.rng = rng
        self.index = index
        self.cfg = config
        self.items: list[tuple[int, int | None, int, dict]] = []
        self.notes = 0
        self.marked: dict | None = None  # the event the fault is recorded on
        self.fault_in_log = False
        r = rng.random
        self.fault: str | None = None
        if r() < config.fault_rate and allow_fault:
            self.fault = rng.choices(_FAULT_NAMES, cum_weights=_FAULT_CUM_WEIGHTS)[0]
        f = self.fault
        self.timed = r() < 0.85  # most coordinators record the time of their calls
        self.offset = rng.choice(("+02:00", "-04:00", "Z", "+01:00")) if r() < 0.05 else ""
        self.union = r() < 0.45 or f == "union_not_at_table"
        self.insurer = r() < 0.3 or f in ("insurer_terms_unchecked", "coordinator_requests_evaluation")
        self.with_ids = r() < 0.8
        # the worker's path through the process
        if f in _WITHDRAWAL_FAULTS:
            self.path = rng.choice(("declined", "withdrew"))
        elif f in ("no_callback_when_not_ready", "notice_before_agreement"):
            self.path = "not_ready"
        elif f is not None and f not in _EARLY_FAULTS:
            self.path = "not_ready" if r() < 0.12 else "agreed"
        else:
            x = r()
            self.path = ("agreed" if x < 0.76 else "not_ready" if x < 0.88
                         else "declined" if x < 0.94 else "withdrew")
        self.referral = r() < 0.12 or f == "referral_without_consent"
        self.disclosure = r() < 0.2 or f == "disclosure_without_consent"
        # (a mediation meeting is a contact with the worker: it would close the gap of follow_up_gap)
        self.conflict = (r() < 0.08 and f != "follow_up_gap") or f == "conflict_without_mediation"
        self.reassigned = (r() < 0.06 and f != "supervisor_absent_from_planning") or f == "old_supervisor_at_planning"
        self.gradual = r() < 0.45 or f in ("gradual_return_full_tasks", "replacement_not_kept")
        self.adjusted = r() < 0.2 or f == "plan_adjusted_without_worker"
        self.oap = r() < 0.25 or f in ("identifying_oap_submission", "oap_without_consent")
        self.evaluation = r() < 0.06 or f == "coordinator_requests_evaluation"
        self.absence_control = r() < 0.15
        self.welcome = r() < 0.7 or f == "welcome_against_wishes"
        self.sup = "S"  # the current supervisor

    # -- small helpers -------------------------------------------------------------------------

    def rint(self, lo: int, hi: int) -> int:
        return lo + int(self.rng.random() * (hi - lo + 1))

    def clock(self) -> int | None:
        """A time of day during office hours, on a quarter hour; None when the case is date-only."""
        return (8 * 60 + 15 * int(self.rng.random() * 36)) if self.timed else None

    def add(self, day: int, minute: int | None, type_: str, by: str | None = None, **fields) -> dict:
        ev = {"type": type_}
        if by is not None:
            ev["by"] = by
        ev.update(fields)
        self.items.append((day, minute, len(self.items), ev))
        return ev

    def after(self, day: int, minute: int | None, gap: int, type_: str, by: str | None = None,
              **fields) -> tuple[dict, int | None]:
        """An event right after one at (day, minute): ``gap`` minutes later, or date-only likewise."""
        m = None if minute is None else min(minute + gap, 23 * 60 + 59)
        return self.add(day, m, type_, by, **fields), m

    def contact(self, day: int, by: str, with_: list[str], purpose: str, *, channel: str = "phone",
                topics: list[str] | None = None, location: str | None = None,
                minute: int | None | bool = True, note_p: float = 0.45, **extra) -> tuple[dict, int | None]:
        m = self.clock() if minute is True else minute
        fields: dict = {"with": with_, "channel": channel, "purpose": purpose}
        if topics:
            fields["topics"] = topics
        if channel == "in_person":
            fields["location"] = location or "neutral"
        elif channel == "video" and self.rng.random() < 0.5:
            fields["location"] = "remote"
        fields.update(extra)
        ev = self.add(day, m, "contact", by, **fields)
        self.maybe_note(ev, note_p)
        return ev, m

    def maybe_note(self, ev: dict, p: float) -> None:
        if self.rng.random() < p:
            self.notes += 1
            ev["notes"] = f"SECRET-NOTE-{self.index}-{self.notes} {self.rng.choice(_HEALTH)}"

    def mark(self, ev: dict, fault: str | None) -> None:
        self.marked = ev
        if self.cfg.labels:
            ev["x-fault"] = fault

    # -- the process -----------------------------------------------------------------------------

    def build(self) -> dict:
        rng, cfg = self.rng, self.cfg
        # the absence starts on one of the span_days days ending on as_of (the last few left out)
        self.start_ord = cfg.as_of.toordinal() - cfg.span_days + 1 + int(rng.random() * (cfg.span_days - 5))
        parties = self.parties()

        self.add(0, None, "absence_started")
        end = self.step1()
        if self.path == "declined":
            self.refusal(end, "declined")
        else:
            end = self.agreement(end)
            if self.path == "declined":  # not ready, then declined at the call-back
                self.refusal(end, "declined")
            elif self.path == "withdrew":
                self.withdrawal(end)
            else:
                self.recovery_and_return(end)

        return self.finish(parties)

    def parties(self) -> dict:
        rng = self.rng
        ids = ["W", "C", "S", "HR", "MD"]
        roles = {"W": "worker", "C": "coordinator", "S": "supervisor", "HR": "hr", "MD": "physician"}
        extra = (("U", "union_rep", self.union), ("INS", "insurer", self.insurer),
                 ("S2", "supervisor", self.reassigned), ("COM", "committee", self.oap),
                 ("MED", "mediator", self.conflict and rng.random() < 0.5),
                 ("CL", "clinician", self.referral and rng.random() < 0.5),
                 ("OH", "occupational_health", rng.random() < 0.08),
                 ("CW", "co_worker", rng.random() < 0.08))
        for pid, role, present in extra:
            if present:
                ids.append(pid)
                roles[pid] = role
        out = {}
        for pid in ids:
            p = {"role": roles[pid]}
            if rng.random() < 0.85:
                p["name"] = f"{rng.choice(_FIRST)} {rng.choice(_LAST)} SECRET-NAME-{self.index}-{pid}"
            out[pid] = p
        self.has = set(ids)
        return out

    def step1(self) -> tuple[int, int | None]:
        """Absence file, forwarding, letter and the first call. Returns (day, minute) of the call."""
        f, r = self.fault, self.rng.random
        d_open = self.rint(0, 3)
        self.add(d_open, None, "file_opened", "HR")
        d_fwd = self.rint(9, 15) if f == "late_forwarding" else self.rint(max(d_open, 1), 6)
        fwd = self.add(d_fwd, None, "file_forwarded", "HR", to="C")
        if f == "late_forwarding":
            self.mark(fwd, f)
        if f == "file_not_secured":
            self.mark(fwd, f)
        else:
            # same day: RTW104 is never pending, so a file secured the day after an export made on the
            # forwarding day would be a violation nobody injected
            self.add(d_fwd, None, "file_secured", "C")
        if self.insurer and f != "insurer_terms_unchecked":
            self.add(d_fwd + self.rint(0, 2), None, "insurer_terms_checked", "C", conflict=r() < 0.05)
        d_letter = d_fwd + self.rint(0, 3)
        x = r()
        within = 10 if x < 0.7 else 14 if x < 0.8 else None
        letter = {"to": "W", "pamphlet": r() < 0.95}
        if within is not None:
            letter["call_within_days"] = within
        self.add(d_letter, None, "letter_sent", "C", **letter)
        window = min(within or 14, 21 - d_letter)
        if f == "first_contact_by_hr":
            d_hr = d_letter + 1
            hr, _ = self.contact(d_hr, "HR", ["W"], "administrative", topics=["return_date"],
                                 coordinator_informed=True)
            self.mark(hr, f)
            d_call = d_hr + self.rint(1, max(1, window - 1))
        elif f == "late_first_call":  # after the letter's window, and more than 21 days into the leave
            d_call = max(d_letter + (within or 14) + self.rint(3, 12), 22 + self.rint(0, 7))
        else:
            d_call = d_letter + self.rint(min(3, window), window)
        topics = ["process_steps", "confidentiality", "voluntary_participation"]
        if f == "first_call_incomplete":
            topics.remove(self.rng.choice(topics))
        topics += self.rng.sample(("participation", "clinical_resources", "role_in_process",
                                   "work_trajectory"), self.rint(0, 2))
        call, m = self.contact(d_call, "C", ["W"], "invitation",
                               channel="phone" if r() < 0.9 else "video", topics=topics, note_p=0.6)
        if f in ("late_first_call", "first_call_incomplete", "insurer_terms_unchecked"):
            self.mark(call, f)
        return d_call, m

    def agreement(self, at: tuple[int, int | None]) -> tuple[int, int | None]:
        """The worker's decision: agreed at once, or not ready and called back. Returns the agreement."""
        f = self.fault
        d, m = at
        if self.path == "not_ready":
            d_next = d + self.rint(7, 21)
            nr, _ = self.after(d, m, 15, "participation", "W", decision="not_ready",
                               next_contact=self.iso(d_next))
            if f == "notice_before_agreement":  # the call-back is at d + 5 at the earliest
                early, _ = self.contact(d + self.rint(1, 4), "C", [self.sup], "participation_notice",
                                        topics=["participation"])
                self.mark(early, f)
            if f == "no_callback_when_not_ready":
                self.mark(nr, f)
                d_cb = d_next + self.rint(6, 15)
            else:
                d_cb = d_next + self.rint(-2, 2)
            _, m = self.contact(d_cb, "C", ["W"], "recovery_follow_up", topics=["participation"])
            d = d_cb
            if self.rng.random() < 0.15 and f is None:
                self.path = "declined"
                return d, m
            self.path = "agreed"
        every = self.rng.choice((14, 14, 21, 28, None))
        self.every = every or 21
        fields: dict[str, Any] = {"decision": "agreed"}
        if every is not None:
            fields["follow_up_every_days"] = every
        _, m = self.after(d, m, 15, "participation", "W", **fields)
        self.d_agree = d
        self.consented_sup = f != "supervisor_call_without_consent" and (
            self.rng.random() < 0.55 or f == "supervisor_call_unknown_to_coordinator")
        if self.consented_sup:
            extra = {"to": [self.sup]} if self.rng.random() < 0.3 else {}
            self.after(d, m, 20, "consent", "W", scope="supervisor_contact", **extra)
        return d, m

    def early_support(self, d: int) -> int:
        """Notice to the supervisor, the supervisor's call, the first meeting. Returns its day."""
        f, sup = self.fault, self.sup
        d_notice = d + self.rint(1, 4)
        if f != "supervisor_not_told":
            topics = ["participation", "process_steps", "role_in_process"]
            if self.consented_sup:
                topics.append("supervisor_contact")
            self.contact(d_notice, "C", [sup], "participation_notice", topics=topics, note_p=0.2)
        if f in ("supervisor_call_unknown_to_coordinator", "supervisor_call_without_consent") or (
                self.consented_sup and f != "supervisor_not_told" and self.rng.random() < 0.7):
            informed = f != "supervisor_call_unknown_to_coordinator"
            call, _ = self.contact(d_notice + self.rint(1, 10), sup, ["W"], "social",
                                   coordinator_informed=informed, note_p=0.3)
            if f in ("supervisor_call_unknown_to_coordinator", "supervisor_call_without_consent"):
                self.mark(call, f)
        d_meet = d + self.rint(3, 12)
        topics = ["work_trajectory", "worker_concerns"] + self.rng.sample(
            ("clinical_resources", "personal", "health", "confidentiality"), self.rint(0, 2))
        loc = "workplace" if f == "first_meeting_at_workplace" else "neutral"
        meet, m = self.contact(d_meet, "C", ["W"], "first_meeting", channel="in_person", location=loc,
                               topics=topics, note_p=0.8)
        if f == "first_meeting_at_workplace":
            self.mark(meet, f)
        if f != "no_assessments":
            self.after(d_meet, m, 60, "assessment", "C", kind="initial")
        return d_meet

    def follow_ups(self, d: int, n: int) -> list[int]:
        """``n`` coordinator follow-up calls after day ``d``, each within the agreed rhythm."""
        f, every = self.fault, self.every
        days = []
        gap_at = self.rint(0, n - 1) if f == "follow_up_gap" else -1
        for i in range(n):
            if i == gap_at:
                d += int(every * 1.5) + self.rint(3, 25)
            else:
                d += max(3, int(every * (0.5 + 0.65 * self.rng.random())))
            channel = self.rng.choice(("phone", "phone", "phone", "video", "in_person"))
            c, _ = self.contact(d, "C", ["W"], "recovery_follow_up", channel=channel,
                                topics=self.rng.sample(("health", "clinical_resources", "personal",
                                                        "work_trajectory", "return_date"),
                                                       self.rint(0, 2)), note_p=0.6)
            if i == gap_at:
                self.mark(c, f)
            days.append(d)
        return days

    def recovery_and_return(self, at: tuple[int, int | None]) -> None:
        f, rng, r = self.fault, self.rng, self.rng.random
        d_meet = self.early_support(at[0])
        busy = self.referral or self.disclosure or self.conflict or self.reassigned
        fu = self.follow_ups(d_meet, self.rint(3 if busy else 1, 9))
        lo, hi = d_meet + 1, fu[-1] - 1  # the recovery span, for events placed during the leave

        if self.absence_control:
            self.add(self.rint(lo, hi), None, "administrative_action", "HR", kind="absence_control")
        if self.evaluation:
            req = "C" if f == "coordinator_requests_evaluation" else ("INS" if self.insurer else "HR")
            ev = self.add(self.rint(lo, hi), None, "medicolegal_evaluation", "INS" if self.insurer else "HR",
                          requested_by=req)
            self.maybe_note(ev, 0.5)
            if f == "coordinator_requests_evaluation":
                self.mark(ev, f)
        if self.referral:
            d = self.rint(lo, max(lo, hi - 6))
            if f == "referral_without_consent":  # one of the two consents is missing
                by_md = False
                self.add(d, None, "consent", "W" if r() < 0.5 else "MD", scope="clinical_referral")
            else:
                by_md = r() < 0.4  # at the physician's request, the worker's consent is enough
                self.add(d, None, "consent", "W", scope="clinical_referral")
                if not by_md:
                    self.add(d + self.rint(1, 3), None, "consent", "MD", scope="clinical_referral")
            to = "CL" if "CL" in self.has else rng.choice(_REFERRAL_LABELS)
            ref = self.add(d + self.rint(4, 6), None, "referral", "C", to=to,
                           requested_by="MD" if by_md else rng.choice(("C", "W")))
            if f == "referral_without_consent":
                self.mark(ref, f)
        if self.disclosure:
            d = self.rint(lo, max(lo, hi - 6))
            about = ["return_date"] if r() < 0.6 else ["return_date", "workplace_changes"]
            if f != "disclosure_without_consent":
                consent = {"to": ["HR"], "about": ["return_date", "workplace_changes"]} if r() < 0.6 else {}
                self.add(d, None, "consent", "W", scope="disclosure", **consent)
            dis = self.add(d + self.rint(1, 6), None, "disclosure", "C", to=["HR"], about=about,
                           identifying=True)
            if f == "disclosure_without_consent":
                self.mark(dis, f)
        if self.conflict:
            major = f == "conflict_without_mediation" or r() < 0.7
            d = self.rint(lo, max(lo, hi - 15))
            conf = self.add(d, None, "conflict_identified", "C", between=["W", "S"], major=major)
            self.maybe_note(conf, 0.7)
            if f == "conflict_without_mediation":
                self.mark(conf, f)
            elif major:
                mediator = "MED" if "MED" in self.has else rng.choice(_MEDIATOR_LABELS)
                dm = d + self.rint(3, 14)
                self.add(dm, None, "mediation_started", "C", **{"with": ["W", "S"]}, mediator=mediator)
                with_ = ["W", "S"] + (["MED"] if mediator == "MED" else [])
                self.contact(dm + 1, "C", with_, "mediation", channel="in_person", note_p=0.5)
        if self.reassigned:
            self.add(self.rint(lo, hi), None, "reassigned", "HR", new_supervisor="S2")
            self.sup = "S2"
        sup = self.sup

        # step 4: preparation, after the physician sets the return date
        if f == "preparation_before_return_date":
            d_prep = fu[-1] + self.rint(1, 4)
            d_rds = d_prep + self.rint(1, 3)
        else:
            d_rds = fu[-1] + self.rint(1, 7)
            d_prep = d_rds + self.rint(1, 3)
        rds = self.add(d_rds, None, "return_date_set", "MD", date=None)  # the date is known below
        prep, _ = self.contact(d_prep, "C", ["W"], "preparation", channel="in_person",
                               topics=["worker_concerns", "team_aspects", "workplace_changes"], note_p=0.7)
        if f == "preparation_before_return_date":
            self.mark(prep, f)
        oap_source = None
        if self.oap:
            oap_source = "worker" if f == "oap_without_consent" else rng.choice(("worker", "supervisor"))
        if oap_source == "worker" and f != "oap_without_consent":
            self.add(d_prep + 1, None, "consent", "W", scope="team_aspects")
        d_tent = max(d_prep, d_rds) + self.rint(1, 2)
        concerns = rng.sample(_CONCERNS, self.rint(2, 4))
        tent: dict[str, Any] = {"topics": list(concerns)}
        if f == "actions_in_tentative_plan":
            tent["actions"] = rng.sample(_ACTIONS, self.rint(1, 2))
        elif r() < 0.6:
            tent["actions"] = []
        tent["validated_with_worker"] = f != "tentative_plan_not_validated"
        tp = self.add(d_tent, None, "tentative_plan", "C", **tent)
        if f == "actions_in_tentative_plan":
            self.mark(tp, f)
        d_sched = d_tent + self.rint(0, 2)
        sched_topics = ["meeting_procedure", "role_in_process"]
        if f == "pre_briefing" and r() < 0.7:
            sched_topics.append(rng.choice(("worker_concerns", "worker_concerns", "health", "personal")))
        sched, _ = self.contact(d_sched + 1, "C", [sup], "scheduling", topics=sched_topics, note_p=0.2)
        if f == "pre_briefing":
            if len(sched_topics) > 2:
                self.mark(sched, f)
            else:  # told in writing, with the worker's consent: still a pre-briefing
                self.add(d_sched, None, "consent", "W", scope="disclosure", to=[sup], about=["worker_concerns"])
                dis = self.add(d_sched + 1, None, "disclosure", "C", to=[sup], about=["worker_concerns"],
                               identifying=True)
                self.mark(dis, f)

        # step 5: the planning meeting
        d_plan = d_sched + 1 + self.rint(1, 4)
        attendees = ["W", sup]
        if f == "old_supervisor_at_planning":
            attendees = ["W", "S"]
        elif f == "supervisor_absent_from_planning":
            attendees = ["W"]
        if self.union and f != "union_not_at_table":
            attendees.append("U")
        if r() < 0.2:
            attendees.append("HR")
        no_plan = f == "no_plan_before_return"
        plan_at = None
        if not no_plan:
            first: dict[str, Any] = {}
            x = r()
            if f == "supervisor_speaks_first":
                first["first_speaker"] = sup
            elif x < 0.85:
                first["first_speaker"] = "W"
            meeting, m = self.contact(d_plan, "C", attendees, "planning", channel="in_person",
                                      location="neutral" if r() < 0.8 else "workplace", note_p=0.6, **first)
            if f in ("old_supervisor_at_planning", "supervisor_absent_from_planning", "supervisor_speaks_first",
                     "union_not_at_table", "supervisor_not_told", "tentative_plan_not_validated"):
                self.mark(meeting, f)
            plan_at = (d_plan, m)

        # the plan: actions for most concerns, the rest pending validation
        plan_concerns = list(concerns)
        actions, pending = [], []
        for i, c in enumerate(plan_concerns):
            if i == len(plan_concerns) - 1 and r() < 0.35:
                pending.append(c)
            elif not (f == "concern_without_action" and i == 0):
                action = {"concern": c, "action": rng.choice(_ACTIONS), "owner": rng.choice((sup, sup, "HR"))}
                actions.append(action)
        plan = {"with": attendees, "concerns": plan_concerns, "actions": actions}
        if pending:
            plan["pending_validation"] = pending

        d_team = d_plan + self.rint(1, 3)
        # the physician's date, but no later than the follow-up rhythm allows after the last contact
        last_contact = d_prep if no_plan else d_plan
        ret_day = max(d_team + self.rint(1, 4),
                      min(d_rds + self.rint(10, 30), last_contact + self.rint(5, self.every)))
        for a in actions:
            if r() < 0.5:
                a["due"] = self.iso(ret_day + self.rint(7, 60))
        rds["date"] = self.iso(ret_day)
        if plan_at is not None:
            ev, _ = self.after(plan_at[0], plan_at[1], self.rint(60, 120), "plan_adopted", "C", **plan)
            if f == "concern_without_action":
                self.mark(ev, f)
        else:
            self.add(ret_day + self.rint(1, 5), None, "plan_adopted", "C", **plan)

        # step 6: the return
        if f == "team_not_informed":
            if r() < 0.5:
                self.add(ret_day + self.rint(1, 3), None, "team_informed", sup)
        else:
            self.add(d_team, None, "team_informed", sup)
        welcome_consent = self.welcome and f != "welcome_against_wishes" and r() < 0.4
        if welcome_consent:
            self.add(ret_day - 1, None, "consent", "W", scope="welcome_back")
        ret_min = (7 * 60 + 30 + 30 * self.rint(0, 4)) if self.timed and r() < 0.6 else None
        ret: dict[str, Any] = {"gradual": self.gradual}
        if self.gradual:
            ret["gradual_tasks"] = f != "gradual_return_full_tasks"
        ret["measures_in_place"] = "none" if f == "no_measures_at_return" else rng.choice(("partial", "full"))
        if self.gradual:
            ret["replacement_kept"] = f != "replacement_not_kept"
        ret_ev = self.add(ret_day, ret_min, "return_to_work", "W" if r() < 0.5 else None, **ret)
        if f in ("no_plan_before_return", "no_measures_at_return", "gradual_return_full_tasks",
                 "replacement_not_kept", "team_not_informed", "missing_follow_up", "no_assessments"):
            self.mark(ret_ev, f)
        if self.welcome:
            wishes = True if not welcome_consent else r() < 0.5
            if f == "welcome_against_wishes":
                wishes = False
            wb, _ = self.after(ret_day, ret_min, 30, "welcome_back", sup, per_worker_wishes=wishes)
            if f == "welcome_against_wishes":
                self.mark(wb, f)

        # step 7: follow-up after the return
        d_w = ret_day + self.rint(7, 16)
        if f == "missing_follow_up" and r() < 0.5:
            d_w = ret_day + self.rint(23, 35)  # both calls too late
            self.contact(d_w, "C", ["W"], "return_follow_up", note_p=0.5)
            self.contact(d_w + 1, "C", [sup], "return_follow_up", topics=["team_aspects"])
        elif f == "missing_follow_up":  # the worker is called, the supervisor is forgotten
            self.contact(d_w, "C", ["W"], "return_follow_up", note_p=0.5)
        elif r() < 0.25:
            self.contact(d_w, "C", ["W", sup], "return_follow_up", channel="in_person",
                         location="workplace", topics=["plan"], note_p=0.5)
        else:
            self.contact(d_w, "C", ["W"], "return_follow_up", note_p=0.5)
            self.contact(ret_day + self.rint(7, 18), "C", [sup], "return_follow_up",
                         topics=rng.sample(("team_aspects", "plan", "workplace_changes"), 1))
        d_last = d_w
        if self.adjusted:
            d_adj = d_w + self.rint(0, 5)
            who = [sup] if f == "plan_adjusted_without_worker" else ["W", sup]
            adj = self.add(d_adj, None, "plan_adjusted", "C", **{"with": who},
                           changes=rng.sample(_CHANGES, self.rint(1, 2)))
            if f == "plan_adjusted_without_worker":
                self.mark(adj, f)
            d_last = max(d_last, d_adj)
        if self.oap:
            d_oap = d_last + self.rint(3, 20)
            sub: dict[str, Any] = {"to": "COM", "source": oap_source, "identifying": False}
            if f == "identifying_oap_submission":
                sub["identifying"] = True
                if r() < 0.5:
                    sub["subjects"] = ["W"]
            elif r() < 0.15:  # identifying, with the worker's consent
                self.add(d_oap - 1, None, "consent", "W", scope="identification")
                sub["identifying"] = True
            ev = self.add(d_oap, None, "oap_submission", "C", **sub)
            if f in ("identifying_oap_submission", "oap_without_consent"):
                self.mark(ev, f)
            d_last = d_oap
        d_close = max(d_last + self.rint(2, 15), ret_day + self.rint(25, 70))
        if f != "no_assessments":
            self.add(d_close, None, "assessment", "C", kind="final")
        self.add(d_close, None, "case_closed", "C", reason="returned")

    def refusal(self, at: tuple[int, int | None], decision: str) -> None:
        """The worker declines: the coordinator respects it and closes the file."""
        f = self.fault
        d, m = at
        self.after(d, m, 15, "participation", "W", decision=decision)
        if f != "no_assessments":
            self.add(d, None, "assessment", "C", kind="initial")
        self.refusal_aftermath(d, "declined")

    def withdrawal(self, at: tuple[int, int | None]) -> None:
        """The worker agrees, is followed for a while, then withdraws."""
        d_meet = self.early_support(at[0])
        fu = self.follow_ups(d_meet, self.rint(1, 4))
        d = fu[-1] + self.rint(2, 10)
        _, m = self.contact(d, "W", ["C"], "other", topics=["participation"], note_p=0.7)
        self.after(d, m, 10, "participation", "W", decision="withdrew")
        self.refusal_aftermath(d, "withdrew")

    def refusal_aftermath(self, d: int, reason: str) -> None:
        f = self.fault
        if self.absence_control or f == "sanction_after_withdrawal":
            kind = self.rng.choice(("sanction", "discipline")) if f == "sanction_after_withdrawal" else "absence_control"
            ev = self.add(d + self.rint(2, 12), None, "administrative_action", "HR", kind=kind)
            if f == "sanction_after_withdrawal":
                self.mark(ev, f)
        if f == "contact_after_withdrawal":
            c, _ = self.contact(d + self.rint(3, 10), "C", ["W"], "recovery_follow_up", note_p=0.5)
            self.mark(c, f)
        d_close = d + self.rint(14, 30)
        if f != "no_assessments":
            self.add(d_close, None, "assessment", "C", kind="final")
        closed = self.add(d_close, None, "case_closed", "C", reason=reason)
        if f == "no_assessments":
            self.mark(closed, f)

    # -- output ------------------------------------------------------------------------------------

    def iso(self, day: int) -> str:
        return date.fromordinal(self.start_ord + day).isoformat()

    def finish(self, parties: dict) -> dict:
        """Date the events, drop those after the export date, sort them as the spec does, name them."""
        start_ord = self.start_ord
        cfg = self.cfg
        last_day = cfg.as_of.toordinal() - start_ord
        items = [it for it in self.items if it[0] <= last_day]
        self.fault_in_log = any(it[3] is self.marked for it in items)
        items.sort(key=lambda it: (it[0], -1 if it[1] is None else it[1], it[2]))
        events = []
        offset = self.offset
        fromordinal = date.fromordinal
        for n, (day, minute, _, ev) in enumerate(items, 1):
            at = fromordinal(start_ord + day).isoformat()
            if minute is not None:
                at = f"{at}T{minute // 60:02d}:{minute % 60:02d}{offset}"
            out = {"id": f"e{n}"} if self.with_ids else {}
            out["at"] = at
            out.update(ev)
            events.append(out)
        context = {"union": self.union}
        if self.rng.random() < 0.6:
            context["collective_agreement"] = self.union
        return {
            "format": FORMAT,
            "case": f"C-{fromordinal(start_ord).year}-{self.index + 1:06d}",
            "parties": parties,
            "context": context,
            "as_of": cfg.as_of.isoformat(),
            "events": events,
        }


# ----------------------------------------------------------------------------------------------
# Event-table rows and writers


def case_rows(case: dict) -> Iterator[dict]:
    """The event-table rows of one case: its party rows, its context row, then its events."""
    cid = case["case"]
    for pid, p in case["parties"].items():
        row = {"case": cid, "type": "party", "id": pid, "role": p["role"]}
        if "name" in p:
            row["name"] = p["name"]
        yield row
    ctx = {"case": cid, "type": "context"}
    ctx.update(case.get("context") or {})
    if "as_of" in case:
        ctx["as_of"] = case["as_of"]
    yield ctx
    for e in case["events"]:
        row = {"case": cid, "at": e["at"], "type": e["type"]}
        row.update(e)
        yield row


def interleave(cases: Iterable[dict], rng: random.Random, window: int = 1000) -> Iterator[dict]:
    """The rows of ``cases``, mixed across a bounded window of cases in flight.

    Each case keeps its own row order; two consecutive rows never belong to the same case while
    another case is in flight. Memory is bounded by ``window`` cases, not by the caseload.
    """
    it = iter(cases)
    pool: list[list] = []  # [remaining rows (reversed), case id]
    exhausted = False
    last = None

    def refill() -> None:
        nonlocal exhausted
        while not exhausted and len(pool) < window:
            case = next(it, None)
            if case is None:
                exhausted = True
                return
            rows = list(case_rows(case))
            rows.reverse()
            pool.append([rows, case["case"]])

    refill()
    while pool:
        if exhausted:
            # draining: take the case with most rows left whenever it could not otherwise be spread out
            total = sum(len(p[0]) for p in pool)
            biggest = max(range(len(pool)), key=lambda i: len(pool[i][0]))
            if 2 * len(pool[biggest][0]) > total - 1 and pool[biggest][1] != last:
                i = biggest
            else:
                i = _pick(rng, pool, last)
        else:
            i = _pick(rng, pool, last)
        rows, cid = pool[i]
        yield rows.pop()
        last = cid
        if not rows:
            pool[i] = pool[-1]
            pool.pop()
            refill()


def _pick(rng: random.Random, pool: list[list], last: str | None) -> int:
    """A random case of the pool other than ``last`` (if there is another), favouring long ones."""
    n = len(pool)
    for _ in range(8):
        i = int(rng.random() * n)
        if pool[i][1] != last or n == 1:
            # accept with probability proportional to rows left, so long cases do not pile up at the end
            if rng.random() * 40 < len(pool[i][0]) or n == 1:
                return i
    for i in range(n):
        if pool[i][1] != last:
            return i
    return 0


def _csv_cell(key: str, v) -> str:
    if v is None:
        return ""
    if v is True:
        return "true"
    if v is False:
        return "false"
    if key in JSON_COLUMNS:
        return json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    if isinstance(v, list):
        return ";".join(v)
    return str(v)


def _yaml_value(key: str, v):
    """Date-only strings become dates, so the YAML reads like the spec's examples (``at: 2026-02-02``)."""
    if isinstance(v, str) and key in DATE_FIELDS and len(v) == 10:
        return date.fromisoformat(v)
    if isinstance(v, dict):
        return {k: _yaml_value(k, x) for k, x in v.items()}
    if isinstance(v, list):
        return [_yaml_value(key, x) for x in v]
    return v


def case_yaml(case: dict) -> str:
    """One case as a YAML document, events in block style with flow-style lists, like the examples."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(_yaml_value("", case), Dumper=dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=None, width=120)


@dataclass
class Stats:
    """What a writer wrote: how many cases, rows (lines of data) and events."""

    cases: int = 0
    rows: int = 0
    events: int = 0
    faults: dict[str, int] = field(default_factory=dict)


def _counting(cases: Iterable[dict], stats: Stats) -> Iterator[dict]:
    for case in cases:
        stats.cases += 1
        stats.events += len(case["events"])
        for fault in case_faults(case):
            stats.faults[fault] = stats.faults.get(fault, 0) + 1
        yield case


def _rows(cases: Iterable[dict], interleave_rng: random.Random | None, window: int) -> Iterator[dict]:
    if interleave_rng is not None:
        return interleave(cases, interleave_rng, window)
    return (row for case in cases for row in case_rows(case))


def write_jsonl(stream, rows: Iterable[dict], stats: Stats) -> None:
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
    write = stream.write
    n = 0
    for row in rows:
        write(dumps(row))
        write("\n")
        n += 1
    stats.rows += n


def write_csv(stream, rows: Iterable[dict], stats: Stats) -> None:
    w = csv.writer(stream, lineterminator="\n")
    w.writerow(COLUMNS)
    index = {c: i for i, c in enumerate(COLUMNS)}
    width = len(COLUMNS)
    n = 0
    for row in rows:
        cells = [""] * width
        for k, v in row.items():
            cells[index[k]] = _csv_cell(k, v)
        w.writerow(cells)
        n += 1
    stats.rows += n


_CASE_FILE = re.compile(r"^C-\d{4}-\d{6,}\.yaml$")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_caseload(out: str, fmt: str, n: int, seed: int, *, interleave_rows: bool = False,
                   config: Config = DEFAULT_CONFIG, window: int = 1000) -> Stats:
    """Write ``n`` cases to ``out`` (``-`` for stdout) as ``jsonl``, ``csv`` or ``yaml-dir``.

    Files are written atomically: to a temporary file in the same directory, then renamed.
    """
    stats = Stats()
    cases = _counting(iter_cases(n, seed, config), stats)
    irng = random.Random(seed ^ 0x1A7E_41EA) if interleave_rows else None
    if fmt == "yaml-dir":
        if interleave_rows:
            raise ValueError("--interleave applies to event tables (jsonl, csv), not to yaml-dir")
        _write_yaml_dir(out, cases, stats)
        return stats
    writer = {"jsonl": write_jsonl, "csv": write_csv}.get(fmt)
    if writer is None:
        raise ValueError(f"unknown format {fmt!r} (jsonl, csv or yaml-dir)")
    rows = _rows(cases, irng, window)
    if out == "-":
        writer(sys.stdout, rows, stats)
        return stats
    directory = os.path.dirname(os.path.abspath(out))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(out)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="", buffering=1 << 20) as stream:
            writer(stream, rows, stats)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's 0600 would outlive the rename
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return stats


def _write_yaml_dir(out: str, cases: Iterable[dict], stats: Stats) -> None:
    """One ``<case>.yaml`` per case, built in a temporary directory that then replaces ``out``.

    An existing ``out`` is replaced only if it holds nothing but files this generator names, so a
    mistyped path never wipes someone's directory.
    """
    out = os.path.abspath(out)
    if os.path.exists(out):
        if not os.path.isdir(out):
            raise ValueError(f"{out} exists and is not a directory")
        strangers = [e for e in os.listdir(out) if not _CASE_FILE.match(e)]
        if strangers:
            raise ValueError(f"{out} holds files this generator did not write (e.g. {strangers[0]!r}); "
                             "not replacing it")
    parent = os.path.dirname(out)
    tmp = tempfile.mkdtemp(dir=parent, prefix=f".{os.path.basename(out)}.", suffix=".tmp")
    old = None
    try:
        for case in cases:
            with open(os.path.join(tmp, f"{case['case']}.yaml"), "w", encoding="utf-8") as fh:
                fh.write(case_yaml(case))
            stats.rows += 1
        if os.path.exists(out):
            old = tempfile.mkdtemp(dir=parent, prefix=f".{os.path.basename(out)}.", suffix=".old")
            os.replace(out, os.path.join(old, "d"))
        os.chmod(tmp, 0o777 & ~_umask())
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not os.path.exists(out) and os.path.exists(os.path.join(old, "d")):
            os.replace(os.path.join(old, "d"), out)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


# ----------------------------------------------------------------------------------------------
# Command line


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="generate.py",
        description="Write a synthetic caseload in the rtw-case-log/1 format (deterministic for a seed).")
    p.add_argument("--cases", type=int, required=True, help="number of cases")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--format", choices=("jsonl", "csv", "yaml-dir"), default="jsonl",
                   help="JSON Lines or CSV event table, or a directory of one YAML file per case")
    p.add_argument("--out", required=True, help="output file or directory ('-' for stdout)")
    p.add_argument("--interleave", action="store_true",
                   help="mix rows across cases (each case keeps its own order): the ungrouped path")
    p.add_argument("--window", type=int, default=1000, help="cases in flight when interleaving")
    p.add_argument("--fault-rate", type=float, default=DEFAULT_CONFIG.fault_rate,
                   help="share of cases with one injected fault (default 0.3)")
    p.add_argument("--as-of", default=DEFAULT_CONFIG.as_of.isoformat(),
                   help="export date: every case's as_of; absences start over the two years before")
    p.add_argument("--no-labels", action="store_true", help="do not mark injected faults with x-fault")
    p.add_argument("--quiet", action="store_true", help="no summary on stderr")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        as_of = date.fromisoformat(args.as_of)
    except ValueError:
        print(f"generate.py: --as-of {args.as_of!r} is not a date (YYYY-MM-DD)", file=sys.stderr)
        return 2
    if args.cases < 0 or not 0.0 <= args.fault_rate <= 1.0 or args.window < 1:
        print("generate.py: --cases must be >= 0, --fault-rate within 0..1, --window >= 1", file=sys.stderr)
        return 2
    config = Config(fault_rate=args.fault_rate, as_of=as_of, labels=not args.no_labels)
    parent = os.path.dirname(os.path.abspath(args.out))
    if args.out != "-" and not os.path.isdir(parent):
        print(f"generate.py: cannot write {args.out}: directory {parent} does not exist", file=sys.stderr)
        return 2
    try:
        stats = write_caseload(args.out, args.format, args.cases, args.seed, interleave_rows=args.interleave,
                               config=config, window=args.window)
    except BrokenPipeError:  # e.g. piped into head: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (ValueError, OSError) as exc:
        print(f"generate.py: {exc}", file=sys.stderr)
        return 2
    if not args.quiet and args.out != "-":
        faulty = sum(stats.faults.values())
        print(f"wrote {stats.cases} cases, {stats.events} events, {stats.rows} "
              f"{'files' if args.format == 'yaml-dir' else 'rows'} to {args.out} "
              f"({faulty} labelled faults)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
