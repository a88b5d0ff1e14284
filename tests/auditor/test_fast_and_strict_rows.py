"""The JSON Lines reader validates a row in one pydantic-core call (the fast path) and falls back to
a strict path (``json_doc`` with duplicate-key and depth checks, then ``validate_python``) for any row
the fast path refuses, which is where every message comes from. Both must give the same findings and
the same errors, line for line: generated tables, grouped and interleaved, with malformed rows."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import schema
from auditor.engine import audit_items
from auditor.errors import InputErrors
from auditor.reading import iter_cases
from auditor.reading import table as table_mod
from auditor.rubric import load_rubric
from benchmarks.generate import write_caseload

RUBRIC = load_rubric()


def _refuse(raw):
    """A stand-in for the fast validators: refuses every row, as they refuse a malformed one."""
    return schema.TABLE_ROW.validator.validate_json(b"{}")


def outcome(path) -> list:
    """Everything a check run reports, in order: each case's results and warnings, each problem."""
    out: list[tuple] = []
    for item in audit_items(iter_cases([path]), RUBRIC):
        if isinstance(item, InputErrors):
            out.append(("errors", [str(e) for e in item.errors]))
        else:
            out.append((item.case.case, [(r.rule, r.outcome, r.events) for r in item.results], item.warnings,
                        [(e.type, e.at, e.day, e.id, e.by, e.fields, e.line) for e in item.case.events]))
    return out


def _malform(line: str, how: int) -> str:
    row = json.loads(line)
    if how == 0:
        row["at"] = "2025-02-30"  # no such day
    elif how == 1:
        row["x-source"] = "export 7"  # an extension field: kept out, the row is valid
    elif how == 2:
        row["unknown_field"] = 1
    elif how == 3:
        row["by"] = None  # a null: the field is absent
    elif how == 4:
        return line.rstrip("\n")[:-1] + ', "type": "contact"}\n'  # a duplicate key
    elif how == 5:
        row["id"] = 12  # a number where text is expected
    elif how == 6:
        return "\n"  # a blank line
    elif how == 8:
        return line.rstrip("\n")[:-1] + ', "type" :"contact"}\n'  # a duplicate key, a space before its colon
    elif how == 9:
        return line.rstrip("\n")[:-1] + ', "\\u0074ype": "contact"}\n'  # a duplicate key spelled with an escape
    elif how == 10:
        row["x-extra"] = {"k": 1, "more": [1, {"k": 2}]}  # an extension field holding objects
    elif how == 11:
        return line.rstrip("\n")[:-1] + ', "x-a": {"k": 1, "k": 2}}\n'  # a repeated key inside an extension
    elif how == 12:
        return line.rstrip("\n") + "\r\n"  # a Windows line ending
    elif how == 13:
        return json.dumps(row, separators=(" , ", " :\t")) + "\n"  # white space around every colon, no repeat
    elif how == 14:
        return json.dumps(row).replace('"case": "C', '"case": "\\u0043', 1) + "\n"  # the case id with an escape
    elif how == 15:
        row["call_within_days"] = "10"  # a day count written as a string
    else:
        row["notes"] = 'a "quoted": note'  # a colon inside a string: the key count cannot settle it
    return json.dumps(row) + "\n"


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 10_000), st.booleans(), st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 15)), max_size=6))
def test_fast_and_strict_paths_agree(tmp_path_factory, seed, interleave, faults):
    d = tmp_path_factory.mktemp("rows")
    path = d / "t.jsonl"
    write_caseload(str(path), "jsonl", 12, seed, interleave_rows=interleave, window=4)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for where, how in faults:
        i = where % len(lines)
        if lines[i].strip():
            lines[i] = _malform(lines[i], how)
    path.write_text("".join(lines), encoding="utf-8")
    fast = outcome(path)
    with pytest.MonkeyPatch.context() as m:  # every row takes the strict path
        m.setattr(table_mod, "_ROW_JSON", _refuse)
        m.setattr(table_mod, "_ROW_OPEN", _refuse)
        strict = outcome(path)
    assert fast == strict


def test_a_key_written_with_a_space_before_its_colon_hides_no_duplicate(tmp_path):
    """Counting `":` alone misses the key `"id" :`, and so a repeated `id` would go unseen."""
    rows = [
        {"case": "A", "type": "party", "id": "W", "role": "worker"},
        {"case": "A", "type": "party", "id": "C", "role": "coordinator"},
        {"case": "A", "type": "party", "id": "S", "role": "supervisor"},
    ]
    text = "".join(json.dumps(r) + "\n" for r in rows)
    text += '{"case":"A","type":"absence_started","at":"2026-01-01","id":"e1","id" :"e2"}\n'
    path = tmp_path / "t.jsonl"
    path.write_text(text, encoding="utf-8")
    [item] = list(iter_cases([path]))
    assert isinstance(item, InputErrors)
    assert [(e.line, "appears twice" in e.message) for e in item.errors] == [(4, True)]
