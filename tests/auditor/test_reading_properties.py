"""Properties of the readers, over generated case logs (tests/auditor/strategies.py).

- a case reads to the same Case from YAML, JSON, a CSV table and a JSON Lines table;
- a table reads the same grouped by case or interleaved;
- anything at all (random bytes, mutated logs) yields Case or InputErrors, never another exception;
- notes and names never appear in what the reader says.
"""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.case import Case
from auditor.errors import InputErrors
from auditor.reading import iter_cases, read_case_text
from auditor.reading.rows import csv_text, jsonl_text, log_rows
from tests.auditor.reading_helpers import only_cases, shape
from tests.auditor.strategies import case_logs, to_json, to_yaml

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])


def _read_file(tmp_path: Path, name: str, text: str | bytes) -> list:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    try:
        return list(iter_cases([path]))
    finally:
        path.unlink()


@SETTINGS
@given(log=case_logs())
def test_same_case_from_every_format(tmp_path, log):
    from_yaml = read_case_text(to_yaml(log), "c.yaml", "yaml")
    from_json = read_case_text(to_json(log), "c.json", "json")
    rows = list(log_rows(log))
    (from_csv,) = only_cases(_read_file(tmp_path, "t.csv", csv_text(rows)))
    (from_jsonl,) = only_cases(_read_file(tmp_path, "t.jsonl", jsonl_text(rows)))
    expected = shape(from_yaml)
    assert shape(from_json) == expected
    assert shape(from_csv) == expected
    assert shape(from_jsonl) == expected
    # what the reader guarantees the rules
    events = from_yaml.events
    assert [e.sort_key() for e in events] == sorted(e.sort_key() for e in events)
    assert sorted(e.position for e in events) == list(range(1, len(log["events"]) + 1))
    assert all(e.day <= from_yaml.as_of for e in events)
    assert all("notes" not in e.fields and not any(k.startswith("x-") for k in e.fields) for e in events)


@st.composite
def tables(draw):
    logs = draw(st.lists(case_logs(max_events=6), min_size=1, max_size=5, unique_by=lambda log: log["case"]))
    per_case = [list(log_rows(log)) for log in logs]
    # an interleaving that keeps each case's own order
    labels = [i for i, rows in enumerate(per_case) for _ in rows]
    labels = draw(st.permutations(labels))
    queues = [list(rows) for rows in per_case]
    mixed = [queues[i].pop(0) for i in labels]
    return logs, [r for rows in per_case for r in rows], mixed


@SETTINGS
@given(data=tables(), fmt=st.sampled_from(["csv", "jsonl"]))
def test_grouped_and_interleaved_tables_agree(tmp_path, data, fmt):
    logs, grouped, mixed = data
    write = csv_text if fmt == "csv" else jsonl_text
    g = only_cases(_read_file(tmp_path, f"g.{fmt}", write(grouped)))
    m = only_cases(_read_file(tmp_path, f"m.{fmt}", write(mixed)))
    assert [c.case for c in g] == [log["case"] for log in logs]  # grouped: in file order
    assert sorted(map(shape, g), key=repr) == sorted(map(shape, m), key=repr)
    assert len(m) == len(logs)


SUFFIXES = st.sampled_from([".yaml", ".json", ".csv", ".jsonl"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), suffix=SUFFIXES)
def test_arbitrary_bytes_never_crash(tmp_path, data, suffix):
    for item in _read_file(tmp_path, "f" + suffix, data):
        assert isinstance(item, (Case, InputErrors))


def _mutate(text: bytes, rnd: random.Random, n: int) -> bytes:
    data = bytearray(text)
    pieces = [b"\n", b" ", b":", b"-", b"[", b"]", b"{", b"}", b",", b'"', b"'", b"&a", b"*a", b"!!str", b"#",
              b"\t", b"\xff", b"yes", b"null", b"x-", b"2026-02-30", b"\\", b";", b"\r"]
    for _ in range(n):
        if not data:
            data.extend(rnd.choice(pieces))
            continue
        i = rnd.randrange(len(data))
        op = rnd.randrange(3)
        if op == 0:
            del data[i: i + rnd.randint(1, 8)]
        elif op == 1:
            data[i:i] = rnd.choice(pieces)
        else:
            j = rnd.randrange(len(data))
            data[i:i] = data[j: j + rnd.randint(1, 12)]
    return bytes(data)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(log=case_logs(max_events=5), fmt=SUFFIXES, seed=st.integers(0, 2**32), n=st.integers(1, 6))
def test_mutated_logs_never_crash(tmp_path, log, fmt, seed, n):
    rows = list(log_rows(log))
    text = {".yaml": to_yaml(log), ".json": to_json(log), ".csv": csv_text(rows), ".jsonl": jsonl_text(rows)}[fmt]
    mutated = _mutate(text.encode(), random.Random(seed), n)
    for item in _read_file(tmp_path, "m" + fmt, mutated):
        assert isinstance(item, (Case, InputErrors))


SECRET = "Zq7SecretMarker"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(log=case_logs(max_events=5), fmt=SUFFIXES, seed=st.integers(0, 2**32), n=st.integers(0, 1))
def test_notes_and_names_never_appear_in_messages(tmp_path, log, fmt, seed, n):
    for pid in log["parties"]:
        log["parties"][pid]["name"] = f"{SECRET} name"
    for e in log["events"]:
        e["notes"] = f"{SECRET}: health details"
    rnd = random.Random(seed)
    if n and log["events"]:  # make the log wrong in a few ways the reader must describe
        e = rnd.choice(log["events"])
        choice = rnd.randrange(5)
        if choice == 4:
            e["type"] = f"{SECRET} said this, in a sentence"
        elif choice == 0:
            e["notes"] = [SECRET]
        elif choice == 1:
            next(iter(log["parties"].values()))["name"] = {SECRET: 1}
        elif choice == 2:
            e["bogus"] = SECRET
        else:
            e["by"] = "NOBODY"
    rows = list(log_rows(log))
    text = {".yaml": to_yaml(log), ".json": to_json(log), ".csv": csv_text(rows), ".jsonl": jsonl_text(rows)}[fmt]
    for item in _read_file(tmp_path, "p" + fmt, text):
        said = str(item) if isinstance(item, InputErrors) else " ".join(item.warnings) + repr(item)
        assert SECRET not in said
