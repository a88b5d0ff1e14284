"""Reading event tables (CSV, JSON Lines): same cases as the logs, streaming, mapping files."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from auditor.case import Case
from auditor.errors import InputErrors
from auditor.reading import iter_cases, read_case_text
from auditor.reading import table as table_mod
from auditor.reading.mapping import parse_mapping
from auditor.reading.rows import csv_text, jsonl_text, log_rows
from auditor.reading.yaml_strict import load
from tests.auditor.reading_helpers import only_cases, shape

EXAMPLES = Path(__file__).parent / "data" / "spec-examples"


def example_logs() -> list[dict]:
    return [load(p.read_text())[0] for p in sorted(EXAMPLES.glob("*.yaml"))]


def example_cases() -> list[Case]:
    return [read_case_text(p.read_bytes(), str(p)) for p in sorted(EXAMPLES.glob("*.yaml"))]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_spec_examples_as_tables_read_like_the_logs(tmp_path, fmt):
    rows = [r for log in example_logs() for r in log_rows(log)]
    path = tmp_path / f"t.{fmt}"
    path.write_text(csv_text(rows) if fmt == "csv" else jsonl_text(rows))
    cases = only_cases(list(iter_cases([path])))
    assert [shape(c) for c in cases] == [shape(c) for c in example_cases()]
    assert all(c.source == str(path) for c in cases)


def test_table_lines_are_row_lines(tmp_path):
    rows = [r for log in example_logs() for r in log_rows(log)]
    path = tmp_path / "t.jsonl"
    path.write_text(jsonl_text(rows))
    first = only_cases(list(iter_cases([path])))[0]
    assert first.events[0].line == 10  # 8 party rows, 1 context row, then e1
    assert first.events[0].line == [i for i, r in enumerate(rows, 1) if r.get("id") == "e1"][0]


def test_csv_lines_count_quoted_newlines(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "case,at,type,id,by,role,with,notes\n"
        "A,,party,W,,worker,,\nA,,party,C,,coordinator,,\nA,,party,S,,supervisor,,\n"
        'A,2026-01-02,contact,e1,C,,W,"two\nlines"\n'
        "A,2026-01-03,file_opened,e2,C,,,\n"
    )
    case = only_cases(list(iter_cases([path])))[0]
    assert [e.line for e in case.events] == [5, 7]
    assert case.events[0].fields == {"with": ["W"]}


def _interleave(row_lists: list[list[dict]]) -> list[dict]:
    out, queues = [], [list(r) for r in row_lists]
    i = 0
    while any(queues):
        q = queues[i % len(queues)]
        if q:
            out.append(q.pop(0))
        i += 1
    return out


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_grouped_and_interleaved_tables_give_the_same_cases(tmp_path, fmt):
    logs = example_logs()
    grouped = [r for log in logs for r in log_rows(log)]
    mixed = _interleave([list(log_rows(log)) for log in logs])
    write = csv_text if fmt == "csv" else jsonl_text
    (tmp_path / f"g.{fmt}").write_text(write(grouped))
    (tmp_path / f"m.{fmt}").write_text(write(mixed))
    g = only_cases(list(iter_cases([tmp_path / f"g.{fmt}"])))
    m = only_cases(list(iter_cases([tmp_path / f"m.{fmt}"])))
    assert sorted(map(shape, g), key=str) == sorted(map(shape, m), key=str)


def test_a_grouped_table_yields_each_case_when_the_next_case_starts(tmp_path, monkeypatch):
    logs = example_logs()
    rows = [r for log in logs for r in log_rows(log)]
    path = tmp_path / "t.jsonl"
    path.write_text(jsonl_text(rows))
    opened: list[int] = []
    real = table_mod.CaseBuilder.__init__

    def spy(self, *a, **k):
        real(self, *a, **k)
        opened.append(1)

    monkeypatch.setattr(table_mod.CaseBuilder, "__init__", spy)
    it = iter_cases([path])
    first = next(it)
    assert isinstance(first, Case) and first.case == "C-EX-001"
    # The first case is complete as soon as the second case's first row is read; nothing more.
    assert len(opened) == 2
    rest = list(it)
    monkeypatch.undo()
    assert [c.case for c in rest] == ["C-EX-002"]


def test_interleaved_table_holds_only_open_cases(tmp_path):
    # A's rows, then B's, then one late A row: A stays open (it is not done), B is yielded first.
    logs = example_logs()
    a, b = list(log_rows(logs[0])), list(log_rows(logs[1]))
    rows = a[:-1] + b + a[-1:]
    path = tmp_path / "t.jsonl"
    path.write_text(jsonl_text(rows))
    assert [c.case for c in only_cases(list(iter_cases([path])))] == ["C-EX-002", "C-EX-001"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_read_once(tmp_path):
    rows = [r for log in example_logs() for r in log_rows(log)]
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(jsonl_text(rows)))
    writer.start()
    cases = only_cases(list(iter_cases([fifo])))
    writer.join()
    assert [shape(c) for c in cases] == [shape(c) for c in example_cases()]


def test_party_and_context_rows_anywhere(tmp_path):
    log = example_logs()[0]
    rows = list(log_rows(log))
    rows = rows[9:] + rows[:9]  # parties and context after the events
    path = tmp_path / "t.jsonl"
    path.write_text(jsonl_text(rows))
    (case,) = only_cases(list(iter_cases([path])))
    assert shape(case) == shape(example_cases()[0])


def test_jsonl_row_problems(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(
        '{"case": "A", "type": "party", "id": "W", "role": "worker"}\n'
        '{"case": "A", "type": "party", "id": "C", "role": "coordinator"}\n'
        '{"case": "A", "type": "party", "id": "S", "role": "supervisor", "name": "Secret Name"}\n'
        '{"case": "A", "type": "party", "id": "S", "role": "supervisor"}\n'
        '{"case": "A", "at": "2026-01-02", "type": "contact", "by": "C", "with": ["W", "Q"]}\n'
        '{"case": "A", "at": "2026-01-03", "type": "contact", "by": "C", "with": ["W"], "channel": "tel", "notes": "Secret"}\n'
        '{"case": "A", "type": "context", "union": "yes"}\n'
        '{"case": "A", "at": "2026-01-04", "type": "file_opened", "by": "C", "x-a": 1, "notes": null}\n'
        "\n"
        '[1, 2]\n'
        '{"at": "2026-01-04", "type": "file_opened"}\n'
    )
    items = list(iter_cases([path]))
    text = "\n".join(map(str, items))
    assert "Secret" not in text
    (a, file_level) = items
    assert isinstance(a, InputErrors) and isinstance(file_level, InputErrors)
    lines = {e.line: e.message for e in a.errors}
    assert "declared twice" in lines[4]
    # Not a near-miss of a declared party or a known channel: described, never quoted (a shifted
    # column may hold a name).
    assert "`with` names a 1-character text" in lines[5]
    assert "`channel` a 3-character text" in lines[6] and a.errors[2].event == "#2" and a.errors[2].column == 80
    assert "context row: `union` must be true or false" in lines[7]
    assert 8 not in lines
    assert {e.line for e in file_level.errors} == {10, 11}


def test_csv_cells(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "case,at,type,id,by,role,with,topics,actions,coordinator_informed,call_within_days,x-crm,union,as_of,to\n"
        "A,,party,W,,worker,,,,,,1,,,\nA,,party,C,,coordinator,,,,,,,,,\nA,,party,S,,supervisor,,,,,,,,,\n"
        "A,,context,,,,,,,,,,true,2026-03-01,\n"
        "A,2026-01-02,contact,e1,C,, W ; S ,process_steps;health,,false,,,,,\n"
        'A,2026-01-03,tentative_plan,e2,C,,,a;b,"[""x"", {""action"": ""y""}]",,,,,,\n'
        'A,2026-01-04,plan_adopted,e3,C,,"[""W""]",,"[{""action"": ""z"", ""due"": ""2026-02-01""}]",,,,,,\n'
        "A,2026-01-05,letter_sent,e4,C,,,,,,7,,,,W\n"
    )
    (case,) = only_cases(list(iter_cases([path])))
    assert case.context == {"union": True} and str(case.as_of) == "2026-03-01"
    e1, e2, e3, e4 = case.events
    assert e1.fields == {"with": ["W", "S"], "topics": ["process_steps", "health"], "coordinator_informed": False}
    assert e2.fields == {"topics": ["a", "b"], "actions": ["x", {"action": "y"}]}
    assert e3.fields["with"] == ["W"] and str(e3.fields["actions"][0]["due"]) == "2026-02-01"
    assert e4.fields == {"call_within_days": 7, "to": "W"}


def test_csv_header_and_row_problems(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("case,type,case,chanel\nA,party,,\n")
    (errors,) = list(iter_cases([path]))
    assert isinstance(errors, InputErrors)
    messages = [e.message for e in errors.errors]
    assert any("appears twice" in m for m in messages) and any("did you mean 'channel'" in m for m in messages)
    path.write_text("at,id\n")
    (errors,) = list(iter_cases([path]))
    assert isinstance(errors, InputErrors)
    assert {e.message for e in errors.errors} >= {"the header has no `case` column", "the header has no `type` column"}
    path.write_text("")
    (errors,) = list(iter_cases([path]))
    assert isinstance(errors, InputErrors)
    assert "empty" in errors.errors[0].message


def test_table_error_budget(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text("".join(f'{{"case": "C{i}", "type": "nope"}}\n' for i in range(200)))
    items = list(iter_cases([path]))
    assert len(items) < 60
    assert "stopped reading" in str(items[-1])


MAPPING = """format: rtw-mapping/1
columns: {dossier: case, date: at, activite: type, acteur: by, avec: with, canal: channel, role: role, ident: id}
types: {"Appel coordonnateur": contact, "Ouverture dossier": file_opened, "Début absence": absence_started, Partie: party}
values: {channel: {tel: phone}, role: {travailleur: worker, coord: coordinator, superviseur: supervisor}}
ignore_columns: [commentaire_interne]
ignore_types: [Facturation]
"""


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_mapping_file(tmp_path, fmt):
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING)
    rows: list[dict[str, Any]] = [
        {"dossier": "D1", "activite": "Partie", "ident": "T", "role": "travailleur"},
        {"dossier": "D1", "activite": "Partie", "ident": "K", "role": "coord"},
        {"dossier": "D1", "activite": "Partie", "ident": "P", "role": "superviseur"},
        {"dossier": "D1", "date": "2026-01-02", "activite": "Début absence", "commentaire_interne": "x"},
        {"dossier": "D1", "date": "2026-01-03", "activite": "Facturation", "acteur": "K"},
        {"dossier": "D1", "date": "2026-01-04", "activite": "Appel coordonnateur", "acteur": "K", "avec": ["T"], "canal": "tel"},
    ]
    path = tmp_path / f"export.{fmt}"
    if fmt == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    else:
        cols = ["dossier", "date", "activite", "ident", "acteur", "avec", "canal", "role", "commentaire_interne"]
        lines = [",".join(cols)] + [
            ",".join(";".join(r[c]) if isinstance(r.get(c), list) else r.get(c, "") for c in cols) for r in rows
        ]
        path.write_text("\n".join(lines) + "\n")
    (case,) = only_cases(list(iter_cases([path], mapping=mapping)))
    assert case.case == "D1" and case.parties == {"T": "worker", "K": "coordinator", "P": "supervisor"}
    assert [e.type for e in case.events] == ["absence_started", "contact"]
    assert case.events[1].fields == {"with": ["T"], "channel": "phone"}


def test_mapping_mistakes_are_reported_like_a_bad_log(tmp_path):
    bad = MAPPING.replace("canal: channel", "canal: chanel").replace(": contact,", ": contakt,")
    bad = bad.replace("{tel: phone}", "{tel: fone}") + "colums: {}\n"
    with pytest.raises(InputErrors) as info:
        parse_mapping(bad, "map.yaml")
    messages = {e.line: str(e) for e in info.value.errors}
    assert "did you mean 'colums'" not in str(info.value)
    assert "did you mean 'columns'?" in messages[7]
    mapping = tmp_path / "m.yaml"
    mapping.write_text(bad.replace("colums: {}\n", ""))
    items = list(iter_cases([tmp_path], mapping=mapping))
    assert len(items) == 1 and isinstance(items[0], InputErrors)
    text = str(items[0])
    assert "m.yaml:2:" in text and "did you mean 'channel'?" in text
    assert "m.yaml:3:" in text and "did you mean 'contact'?" in text
    assert "m.yaml:4:" in text and "did you mean 'phone'?" in text
    with pytest.raises(InputErrors):
        parse_mapping("format: rtw-mapping/1\ncolumns: {a: case, b: case}\n")
    with pytest.raises(InputErrors):
        parse_mapping("format: rtw-mapping/2\n")


@pytest.mark.parametrize("fmt", ["yaml", "jsonl", "csv"])
def test_x_fields_in_plan_actions_are_dropped(tmp_path, fmt):
    log = example_logs()[0]
    plan = next(e for e in log["events"] if e["type"] == "plan_adopted")
    plan["actions"][0]["x-ticket"] = {"n": 1}
    plan["actions"][1]["due"] = None
    plan["x-origin"] = ["crm"]
    if fmt == "yaml":
        from tests.auditor.strategies import to_yaml

        case = read_case_text(to_yaml(log), "t.yaml")
    else:
        rows = list(log_rows(log))
        path = tmp_path / f"t.{fmt}"
        path.write_text(csv_text(rows) if fmt == "csv" else jsonl_text(rows))
        (case,) = only_cases(list(iter_cases([path])))
    actions = next(e for e in case.events if e.type == "plan_adopted").fields["actions"]
    assert "x-ticket" not in actions[0] and "due" not in actions[1]


@pytest.mark.parametrize("content", ["", "\n\n", "  \n"])
def test_empty_tables_are_reported(tmp_path, content):
    for fmt in ("jsonl", "csv"):
        path = tmp_path / f"e.{fmt}"
        path.write_text(content)
        (item,) = list(iter_cases([path]))
        assert isinstance(item, InputErrors) and "empty" in item.errors[0].message


def test_first_pass_of_a_grouped_table_holds_nothing_per_case(tmp_path):
    """Memory must not grow with the number of cases on a grouped table: the first pass keeps a
    fixed-size filter, and no per-case entry unless a case may come back later in the file."""
    from benchmarks.generate import write_caseload

    grouped = tmp_path / "g.jsonl"
    write_caseload(str(grouped), "jsonl", 400, 3)
    with open(grouped, "rb") as f:
        candidates, lines, _ = table_mod._jsonl_candidates(f, table_mod.case_key_function("case"))
    assert candidates == {} and lines > 400
    interleaved = tmp_path / "i.jsonl"
    write_caseload(str(interleaved), "jsonl", 400, 3, interleave_rows=True)
    with open(interleaved, "rb") as f:
        candidates, _, _ = table_mod._jsonl_candidates(f, table_mod.case_key_function("case"))
    assert candidates  # cases that come back are held until their last row
    grouped_csv = tmp_path / "g.csv"
    write_caseload(str(grouped_csv), "csv", 400, 3)
    with open(grouped_csv, "rb") as f:
        assert table_mod._csv_last_lines(f, table_mod._FileState(str(grouped_csv), None), None) == {}
