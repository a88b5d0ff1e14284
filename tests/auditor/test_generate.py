"""The synthetic caseload generator (benchmarks/generate.py) writes what the spec describes.

The checks are written from the tables of docs/spec/case-log-format.md, independently of the
auditor (which may not exist yet), and read the outputs with json / csv / yaml.safe_load only.
"""

from __future__ import annotations

import csv
import importlib.util
import itertools
import json
import os
import re
import subprocess
import sys
import tracemalloc
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "generate.py"


def _load():
    """Import benchmarks/generate.py by path: works whether or not the repo root is on sys.path."""
    name = "rtw_benchmarks_generate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SCRIPT)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # dataclasses look their module up while the class is built
    spec.loader.exec_module(mod)
    return mod


gen = _load()

# ---------------------------------------------------------------------------------------------
# The spec's tables, transcribed

ROLES = {"worker", "coordinator", "supervisor", "union_rep", "hr", "physician", "insurer", "co_worker",
         "clinician", "mediator", "committee", "occupational_health", "senior_management", "other"}
CHANNEL = {"phone", "in_person", "video", "email", "message", "letter"}
PURPOSE = {"invitation", "first_meeting", "recovery_follow_up", "participation_notice", "preparation",
           "scheduling", "planning", "return_follow_up", "plan_adjustment", "mediation", "welcome_back",
           "dispute_resolution", "oap", "administrative", "social", "other"}
LOCATION = {"neutral", "workplace", "worker_home", "clinic", "remote", "other"}
DECISION = {"agreed", "not_ready", "declined", "withdrew"}
SCOPE = {"supervisor_contact", "disclosure", "clinical_referral", "team_aspects", "identification",
         "welcome_back"}
TOPICS = {"process_steps", "confidentiality", "voluntary_participation", "work_trajectory", "health",
          "diagnosis", "worker_concerns", "personal", "clinical_resources", "return_date", "participation",
          "supervisor_contact", "team_aspects", "workplace_changes", "plan", "meeting_procedure",
          "role_in_process", "other"}
MEASURES = {"none", "partial", "full"}
ADMIN_KIND = {"absence_control", "sanction", "discipline", "benefits_decision", "adjudication", "other"}
ASSESSMENT_KIND = {"initial", "final"}
SOURCE = {"worker", "supervisor"}
REASON = {"returned", "declined", "withdrew", "other"}

# type -> {field: kind}. Kinds: party, parties, party_or_label, bool, int, date, topics, strings,
# plan_actions, tentative_actions, or a set (an enumeration).
EVENT_FIELDS: dict[str, dict] = {
    "absence_started": {},
    "file_opened": {},
    "file_forwarded": {"to": "party"},
    "file_secured": {},
    "insurer_terms_checked": {"conflict": "bool"},
    "letter_sent": {"to": "party", "pamphlet": "bool", "call_within_days": "int"},
    "contact": {"with": "parties", "channel": CHANNEL, "purpose": PURPOSE, "topics": "topics",
                "location": LOCATION, "coordinator_informed": "bool", "first_speaker": "party"},
    "participation": {"decision": DECISION, "next_contact": "date", "follow_up_every_days": "int"},
    "consent": {"scope": SCOPE, "to": "parties", "about": "topics"},
    "consent_withdrawn": {"scope": SCOPE, "to": "parties", "about": "topics"},
    "disclosure": {"to": "parties", "about": "topics", "identifying": "bool"},
    "referral": {"to": "party_or_label", "requested_by": "party"},
    "return_date_set": {"date": "date"},
    "tentative_plan": {"topics": "strings", "actions": "tentative_actions", "validated_with_worker": "bool"},
    "plan_adopted": {"with": "parties", "concerns": "strings", "actions": "plan_actions",
                     "pending_validation": "strings"},
    "conflict_identified": {"between": "parties", "major": "bool"},
    "mediation_started": {"with": "parties", "mediator": "party_or_label"},
    "reassigned": {"new_supervisor": "party"},
    "return_to_work": {"gradual": "bool", "gradual_tasks": "bool", "measures_in_place": MEASURES,
                       "replacement_kept": "bool"},
    "team_informed": {},
    "welcome_back": {"per_worker_wishes": "bool"},
    "plan_adjusted": {"with": "parties", "changes": "strings"},
    "medicolegal_evaluation": {"requested_by": "party"},
    "administrative_action": {"kind": ADMIN_KIND, "requested_by": "party"},
    "assessment": {"kind": ASSESSMENT_KIND},
    "oap_submission": {"to": "party", "source": SOURCE, "identifying": "bool", "subjects": "parties"},
    "case_closed": {"reason": REASON},
}
# The fields a type must have for the rules to read it (the spec's "fields" column, optional ones aside).
REQUIRED = {
    "file_forwarded": {"to"}, "letter_sent": {"to", "pamphlet"}, "contact": {"with", "channel", "purpose"},
    "participation": {"decision"}, "consent": {"scope"}, "disclosure": {"to", "about", "identifying"},
    "referral": {"to", "requested_by"}, "return_date_set": {"date"}, "conflict_identified": {"between", "major"},
    "reassigned": {"new_supervisor"}, "return_to_work": {"gradual", "measures_in_place"},
    "assessment": {"kind"}, "administrative_action": {"kind"}, "oap_submission": {"to", "source", "identifying"},
    "case_closed": {"reason"}, "medicolegal_evaluation": {"requested_by"}, "plan_adopted": {"with", "concerns",
                                                                                             "actions"},
}
COMMON = {"id", "at", "type", "by", "notes"}
AT = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _at_key(at: str):
    """The spec's order: by instant, a date-only ``at`` first on its day."""
    if len(at) == 10:
        return (date.fromisoformat(at), -1, None)
    dt = datetime.fromisoformat(at.replace("Z", "+00:00"))
    return (dt.date(), dt.hour * 60 + dt.minute, dt)


def check_case(case: dict) -> None:
    """Assert ``case`` is a valid rtw-case-log/1 log, by the spec's tables."""
    assert set(case) <= {"format", "case", "parties", "context", "as_of", "events"}
    assert case["format"] == "rtw-case-log/1"
    assert isinstance(case["case"], str) and case["case"]
    parties = case["parties"]
    roles: Counter[str] = Counter()
    for pid, p in parties.items():
        assert isinstance(pid, str) and pid
        assert set(p) <= {"role", "name"}
        assert p["role"] in ROLES
        roles[p["role"]] += 1
        if "name" in p:
            assert "SECRET-NAME-" in p["name"]
    assert roles["worker"] == 1 and roles["coordinator"] >= 1 and roles["supervisor"] >= 1
    ctx = case.get("context", {})
    assert set(ctx) <= {"union", "collective_agreement"}
    assert all(isinstance(v, bool) for v in ctx.values())
    as_of = date.fromisoformat(case["as_of"])
    events = case["events"]
    assert events, "a case has at least its absence"
    ids = [e["id"] for e in events if "id" in e]
    assert len(ids) == len(set(ids)), "event ids are unique"
    assert not ids or len(ids) == len(events)
    offsets = set()
    previous = None
    for e in events:
        t = e["type"]
        assert t in EVENT_FIELDS, t
        spec = EVENT_FIELDS[t]
        extra = set(e) - COMMON - set(spec)
        assert all(k.startswith("x-") for k in extra), (t, extra)
        assert REQUIRED.get(t, set()) <= set(e), (t, set(e))
        assert AT.match(e["at"]), e["at"]
        if len(e["at"]) > 10:
            offsets.add(e["at"].endswith("Z") or bool(re.search(r"[+-]\d{2}:\d{2}$", e["at"])))
        key = _at_key(e["at"])
        assert key[0] <= as_of, "as_of is never earlier than an event"
        if previous is not None:  # events are written in time order (date-only first on a day)
            assert (previous[0], previous[1]) <= (key[0], key[1])
            if previous[2] is not None and key[2] is not None:
                assert previous[2] <= key[2]
        previous = key
        if "by" in e:
            assert e["by"] in parties
        if "notes" in e:
            assert isinstance(e["notes"], str) and "SECRET-NOTE-" in e["notes"]
        for k, kind in spec.items():
            if k in e:
                _check_value(e[k], kind, parties, t, k)
    assert len(offsets) <= 1, "offsets on every date-time or on none"


def _check_value(v, kind, parties, t, k) -> None:
    where = f"{t}.{k}"
    if isinstance(kind, set):
        assert v in kind, where
    elif kind == "party":
        assert v in parties, where
    elif kind == "parties":
        assert isinstance(v, list) and v and all(p in parties for p in v), where
    elif kind == "party_or_label":
        assert isinstance(v, str) and v, where
        if v not in parties:  # a free label never matches a declared id up to case
            assert v.lower() not in {p.lower() for p in parties}, where
    elif kind == "bool":
        assert isinstance(v, bool), where
    elif kind == "int":
        assert isinstance(v, int) and not isinstance(v, bool) and v > 0, where
    elif kind == "date":
        assert isinstance(v, str) and DATE.match(v) and date.fromisoformat(v), where
    elif kind == "topics":
        assert isinstance(v, list) and all(x in TOPICS for x in v), where
    elif kind == "strings":
        assert isinstance(v, list) and all(isinstance(x, str) and x and ";" not in x for x in v), where
    elif kind == "tentative_actions":
        assert isinstance(v, list) and all(isinstance(x, str) for x in v), where
    elif kind == "plan_actions":
        assert isinstance(v, list), where
        for a in v:
            assert {"concern", "action", "owner"} <= set(a) <= {"concern", "action", "owner", "due"}, where
            assert a["owner"] in parties
            if "due" in a:
                date.fromisoformat(a["due"])
    else:  # pragma: no cover - a typo in the table above
        raise AssertionError(kind)


# ---------------------------------------------------------------------------------------------
# Determinism


def test_same_seed_same_cases_and_prefix_stable():
    a = list(gen.iter_cases(40, 7))
    assert a == list(gen.iter_cases(40, 7))
    assert a[:10] == list(gen.iter_cases(10, 7)), "case i does not depend on how many are generated"
    assert a != list(gen.iter_cases(40, 8))
    assert gen.generate_case(gen.case_rng(7, 3), 3) == a[3]


@pytest.mark.parametrize("fmt,interleave", [("jsonl", False), ("csv", False), ("jsonl", True), ("csv", True)])
def test_files_are_byte_identical_for_a_seed(tmp_path, fmt, interleave):
    paths = [tmp_path / f"{i}.{fmt}" for i in range(3)]
    for p, seed in zip(paths, (5, 5, 6), strict=True):
        gen.write_caseload(str(p), fmt, 60, seed, interleave_rows=interleave, window=20)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()


# ---------------------------------------------------------------------------------------------
# Every case follows the format


def test_a_caseload_follows_the_format():
    for case in gen.iter_cases(800, 1):
        check_case(case)


@settings(max_examples=120, deadline=None)
@given(seed=st.integers(0, 2**31), index=st.integers(0, 10**6),
       rate=st.sampled_from([0.0, 0.3, 1.0]))
def test_any_case_follows_the_format(seed, index, rate):
    config = gen.Config(fault_rate=rate)
    check_case(gen.generate_case(gen.case_rng(seed, index), index, config))


def test_the_spec_examples_pass_this_checker():
    """The checker above is the spec's, not the generator's: the spec's own examples pass it."""
    for path in sorted((ROOT / "tests/auditor/data/spec-examples").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc = json.loads(json.dumps(doc, default=str))  # YAML dates -> ISO strings, as in the dicts
        for p in doc["parties"].values():  # the examples carry no names; give them one to check
            p.setdefault("name", "SECRET-NAME-x")
        for e in doc["events"]:
            if "notes" in e:
                e["notes"] = "SECRET-NOTE-x " + e["notes"]
        check_case(doc)


def test_checker_rejects_broken_cases():
    """The checker can fail: a few mutations of a generated case must be caught."""
    case = next(c for c in gen.iter_cases(50, 2) if any(e["type"] == "contact" for e in c["events"]))
    contact = next(i for i, e in enumerate(case["events"]) if e["type"] == "contact")
    mutations = [
        lambda c: c["events"][contact].update(channel="pigeon"),
        lambda c: c["events"][contact].update(with_=["W"]),
        lambda c: c["events"][contact].update({"with": ["NOBODY"]}),
        lambda c: c["events"][0].update(at="2026-02-30"),
        lambda c: c["events"].reverse(),
        lambda c: c["parties"].update(X={"role": "worker"}),
        lambda c: c.update(as_of="2000-01-01"),
        lambda c: c["events"][contact].update(notes="plain text"),
    ]
    for mutate in mutations:
        broken = json.loads(json.dumps(case))
        mutate(broken)
        with pytest.raises((AssertionError, ValueError)):
            check_case(broken)


# ---------------------------------------------------------------------------------------------
# Realism


def test_caseload_is_realistic():
    cases = list(gen.iter_cases(3000, 11))
    sizes = [len(c["events"]) for c in cases]
    assert sum(15 <= n <= 40 for n in sizes) >= 0.75 * len(cases)
    assert max(sizes) <= 45
    starts = [date.fromisoformat(c["events"][0]["at"][:10]) for c in cases]
    quarters = Counter((d.year, (d.month - 1) // 3) for d in starts)
    assert len(quarters) == 8 and min(quarters.values()) >= 0.7 * len(cases) / 8  # two years, evenly
    assert min(starts) >= date(2024, 7, 1) and max(starts) <= date(2026, 6, 25)
    closed = sum(any(e["type"] == "case_closed" for e in c["events"]) for c in cases)
    assert 0.6 * len(cases) <= closed <= 0.95 * len(cases), "most cases closed, some still open at as_of"
    faults = Counter(f for c in cases for f in gen.case_faults(c))
    assert set(faults) == set(gen.FAULTS), set(gen.FAULTS) - set(faults)
    faulty = sum(bool(gen.case_faults(c)) for c in cases)
    assert 0.2 * len(cases) <= faulty <= 0.35 * len(cases)
    decisions = Counter(e["decision"] for c in cases for e in c["events"] if e["type"] == "participation")
    assert {"agreed", "not_ready", "declined", "withdrew"} <= set(decisions)
    kinds = Counter(e["type"] for c in cases for e in c["events"])
    for t in ("reassigned", "mediation_started", "referral", "disclosure", "oap_submission", "plan_adjusted",
              "medicolegal_evaluation", "administrative_action", "welcome_back"):
        assert kinds[t] > 0, t
    roles = Counter(p["role"] for c in cases for p in c["parties"].values())
    assert roles["union_rep"] and roles["insurer"] and roles["supervisor"] > len(cases)
    assert sum("notes" in e for c in cases for e in c["events"]) > 0.1 * sum(sizes)
    assert sum("name" in p for c in cases for p in c["parties"].values()) > 0.7 * sum(roles.values())
    gradual = [e for c in cases for e in c["events"] if e["type"] == "return_to_work"]
    assert 0.2 < sum(e["gradual"] for e in gradual) / len(gradual) < 0.8


def _days(a: str, b: str) -> int:
    return (date.fromisoformat(b[:10]) - date.fromisoformat(a[:10])).days


def test_fault_labels_mean_what_they_say():
    """Spot checks: a labelled fault is visible in the log; without the label it is not."""
    seen: Counter[str] = Counter()
    for case in gen.iter_cases(3000, 3):
        ev = case["events"]
        faults = set(gen.case_faults(case))
        assert len(faults) <= 1
        absence = ev[0]
        forwarded = [e for e in ev if e["type"] == "file_forwarded"]
        if "late_forwarding" in faults:
            assert _days(absence["at"], forwarded[0]["at"]) > 7
            seen["late"] += 1
        elif forwarded:
            assert _days(absence["at"], forwarded[0]["at"]) <= 7
        tentative_actions = any(e["type"] == "tentative_plan" and e.get("actions") for e in ev)
        assert tentative_actions == ("actions_in_tentative_plan" in faults)
        unknown = [e for e in ev if e["type"] == "contact" and e.get("coordinator_informed") is False]
        assert bool(unknown) == ("supervisor_call_unknown_to_coordinator" in faults)
        concerns_to_sup = [e for e in ev if e["type"] == "contact" and "W" not in e["with"] and e["by"] == "C"
                           and {"worker_concerns", "health", "personal", "diagnosis"} & set(e.get("topics", ()))]
        disclosures = [e for e in ev if e["type"] == "disclosure" and set(e["to"]) & {"S", "S2"}]
        if concerns_to_sup or disclosures:
            assert faults == {"pre_briefing"}
            seen["pre"] += 1
        for e in ev:
            if "x-fault" in e:
                assert e["x-fault"] in gen.FAULTS
    assert seen["late"] > 10 and seen["pre"] > 10


def test_no_fault_and_no_labels_options():
    assert not any(gen.case_faults(c) for c in gen.iter_cases(300, 1, gen.Config(fault_rate=0.0)))
    unlabelled = list(gen.iter_cases(300, 1, gen.Config(labels=False)))
    assert not any("x-fault" in e for c in unlabelled for e in c["events"])
    every = list(gen.iter_cases(300, 1, gen.Config(fault_rate=1.0)))
    assert sum(bool(gen.case_faults(c)) for c in every) > 0.8 * 300


# ---------------------------------------------------------------------------------------------
# The three outputs parse back to the same cases


def _cases_from_rows(rows) -> dict[str, dict]:
    """Rebuild case logs from event-table rows, as the spec describes them (ungrouped allowed)."""
    cases: dict[str, dict] = {}
    for row in rows:
        cid = row.pop("case")
        c = cases.setdefault(cid, {"format": "rtw-case-log/1", "case": cid, "parties": {}, "context": {},
                                   "events": []})
        if row["type"] == "party":
            assert not c["events"], "parties come before the events"
            c["parties"][row["id"]] = {k: v for k, v in row.items() if k in ("role", "name")}
        elif row["type"] == "context":
            row.pop("type")
            if "as_of" in row:
                c["as_of"] = row.pop("as_of")
            c["context"] = row
        else:
            c["events"].append(row)
    return cases


def _jsonl_rows(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_jsonl_table_round_trips(tmp_path):
    path = tmp_path / "cases.jsonl"
    stats = gen.write_caseload(str(path), "jsonl", 200, 4)
    expected = {c["case"]: c for c in gen.iter_cases(200, 4)}
    rows = _jsonl_rows(path)
    assert stats.rows == len(rows) and stats.cases == 200
    assert stats.events == sum(len(c["events"]) for c in expected.values())
    # grouped: each case's rows are adjacent, parties first, then the context row, then the events
    order = [r["case"] for r in rows]
    assert [k for k, _ in itertools.groupby(order)] == list(expected)
    first = rows[: len(expected[order[0]]["parties"]) + 1]
    assert [r["type"] for r in first] == ["party"] * (len(first) - 1) + ["context"]
    assert first[0] == {"case": order[0], "type": "party", "id": "W", "role": "worker",
                        **({"name": expected[order[0]]["parties"]["W"]["name"]}
                           if "name" in expected[order[0]]["parties"]["W"] else {})}
    assert _cases_from_rows(rows) == expected


def test_interleaved_table_mixes_cases_but_keeps_each_case_in_order(tmp_path):
    path = tmp_path / "cases.jsonl"
    gen.write_caseload(str(path), "jsonl", 300, 4, interleave_rows=True, window=40)
    rows = _jsonl_rows(path)
    order = [r["case"] for r in rows]
    adjacent = sum(a == b for a, b in zip(order, order[1:], strict=False))
    assert adjacent == 0, f"{adjacent} pairs of adjacent rows from one case"
    assert _cases_from_rows(rows) == {c["case"]: c for c in gen.iter_cases(300, 4)}
    # default window: still no adjacent rows, and cases really are spread out
    gen.write_caseload(str(path), "jsonl", 300, 4, interleave_rows=True)
    order = [r["case"] for r in _jsonl_rows(path)]
    assert all(a != b for a, b in zip(order, order[1:], strict=False))
    spans = defaultdict(list)
    for i, c in enumerate(order):
        spans[c].append(i)
    assert sum(s[-1] - s[0] for s in spans.values()) / len(spans) > 100


LIST_FIELDS = {"with", "topics", "about", "concerns", "pending_validation", "between", "changes", "subjects"}
BOOL_FIELDS = {"union", "collective_agreement", "conflict", "pamphlet", "coordinator_informed", "identifying",
               "validated_with_worker", "major", "gradual", "gradual_tasks", "replacement_kept",
               "per_worker_wishes"}
INT_FIELDS = {"call_within_days", "follow_up_every_days"}


def _decode_csv_row(row: dict) -> dict:
    """A CSV row as the spec reads it: empty = absent, lists ';'-separated, actions JSON, bools true/false."""
    out = {}
    for k, v in row.items():
        if v == "":
            continue
        if k == "actions":
            out[k] = json.loads(v)
        elif k in BOOL_FIELDS:
            assert v in ("true", "false"), (k, v)
            out[k] = v == "true"
        elif k in INT_FIELDS:
            out[k] = int(v)
        elif k in LIST_FIELDS or (k == "to" and row["type"] in ("consent", "consent_withdrawn", "disclosure")):
            out[k] = v.split(";")
        else:
            out[k] = v
    return out


@pytest.mark.parametrize("interleave", [False, True])
def test_csv_table_round_trips(tmp_path, interleave):
    path = tmp_path / "cases.csv"
    gen.write_caseload(str(path), "csv", 200, 4, interleave_rows=interleave, window=30)
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == gen.COLUMNS
        rows = [_decode_csv_row(r) for r in reader]
    expected = {c["case"]: c for c in gen.iter_cases(200, 4)}
    assert _cases_from_rows(rows) == expected
    jsonl = tmp_path / "cases.jsonl"
    gen.write_caseload(str(jsonl), "jsonl", 200, 4, interleave_rows=interleave, window=30)
    with open(path, encoding="utf-8", newline="") as fh:
        csv_rows = [_decode_csv_row(r) for r in csv.DictReader(fh)]
    assert [_decode_csv_row({k: gen._csv_cell(k, v) for k, v in r.items()}) for r in _jsonl_rows(jsonl)] \
        == csv_rows, "row for row, the CSV table is the JSON Lines table"


def test_csv_header_is_the_union_of_the_columns_written():
    used = {k for c in gen.iter_cases(3000, 11) for r in gen.case_rows(c) for k in r}
    assert used == set(gen.COLUMNS)


def _plain(v):
    """yaml.safe_load turns plain dates into date objects: back to the ISO strings of the dict."""
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def test_yaml_dir_round_trips(tmp_path):
    out = tmp_path / "logs"
    stats = gen.write_caseload(str(out), "yaml-dir", 120, 9)
    expected = list(gen.iter_cases(120, 9))
    files = sorted(os.listdir(out))
    assert files == sorted(f"{c['case']}.yaml" for c in expected) and stats.rows == 120
    for case in expected:
        text = (out / f"{case['case']}.yaml").read_text(encoding="utf-8")
        assert not re.search(r"[&*]id\d+", text), "no anchors or aliases (the reader refuses them)"
        assert _plain(yaml.safe_load(text)) == case
    # regenerating replaces our own output; a directory with other files is left alone
    gen.write_caseload(str(out), "yaml-dir", 5, 9)
    assert len(os.listdir(out)) == 5
    (out / "keep-me.txt").write_text("x")
    with pytest.raises(ValueError):
        gen.write_caseload(str(out), "yaml-dir", 5, 9)
    assert (out / "keep-me.txt").exists()


# ---------------------------------------------------------------------------------------------
# Streaming and the command line


def test_generation_is_lazy_and_memory_does_not_grow_with_cases(tmp_path):
    assert len(list(itertools.islice(gen.iter_cases(10**12, 1), 3))) == 3

    def peak(n: int, interleave: bool) -> int:
        tracemalloc.start()
        gen.write_caseload(str(tmp_path / "m.jsonl"), "jsonl", n, 1, interleave_rows=interleave, window=50)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    for interleave in (False, True):
        small, big = peak(80, interleave), peak(400, interleave)
        assert big < 1.5 * small + 200_000, (interleave, small, big)


def test_script_writes_and_reports(tmp_path):
    out = tmp_path / "c.csv"
    r = subprocess.run([sys.executable, str(SCRIPT), "--cases", "25", "--seed", "2", "--format", "csv",
                        "--out", str(out), "--interleave"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "25 cases" in r.stderr and out.exists()
    assert oct(out.stat().st_mode & 0o777) != oct(0o600), "atomic write keeps the usual permissions"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    r = subprocess.run([sys.executable, str(SCRIPT), "--cases", "3", "--format", "jsonl", "--out", "-"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.count("\n") > 30
    assert [json.loads(x)["case"] for x in r.stdout.splitlines()][0].startswith("C-")


@pytest.mark.parametrize("args", [
    ["--cases", "3", "--format", "xml", "--out", "x"],
    ["--cases", "3", "--as-of", "2026-02-30", "--out", "x.jsonl"],
    ["--cases", "3", "--fault-rate", "2", "--out", "x.jsonl"],
    ["--cases", "3", "--out", "/nonexistent-dir/x.jsonl"],
    ["--cases", "3", "--format", "yaml-dir", "--interleave", "--out", "d"],
])
def test_script_bad_arguments_exit_2(tmp_path, args):
    r = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=tmp_path,
                       timeout=60)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and r.stderr.strip()


# ---------------------------------------------------------------------------------------------
# Agreement with the auditor, when it exists (the only test here that runs it)

AUDIT = [sys.executable, "-m", "auditor.cli"]  # the auditor of this interpreter, whatever its venv


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_labels_agree_with_the_auditor(tmp_path, fmt):
    """A labelled fault's rules are violated (or pending, the case being open); nothing else is violated.

    A failure here is either a generator bug (a compliant case that is not, a label that lies) or a rule
    that disagrees with the spec: the message names the case, the rule and the fault to look at.
    """
    path = tmp_path / f"cases.{fmt}"
    gen.write_caseload(str(path), fmt, 1500, 21, interleave_rows=(fmt == "csv"))
    r = subprocess.run([*AUDIT, "check", str(path), "--format", "json", "--fail-on", "never"],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    audited = {c["case"]: c for c in json.loads(r.stdout)["cases"]}
    expected = {c["case"]: c for c in gen.iter_cases(1500, 21)}
    assert set(audited) == set(expected)
    problems = []
    for cid, case in expected.items():
        faults = gen.case_faults(case)
        due = {rule for f in faults for rule in gen.FAULTS[f]}
        outcome = {x["rule"]: x["outcome"] for x in audited[cid]["results"]}
        for rule, o in outcome.items():
            if o == "violated" and rule not in due:
                problems.append(f"{cid}: {rule} violated, faults {faults}")
        for rule in due:
            if outcome.get(rule) not in ("violated", "pending"):
                problems.append(f"{cid}: {rule} {outcome.get(rule)} despite fault {faults}")
    assert not problems, "\n".join(problems[:20])
