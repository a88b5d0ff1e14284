"""Messages never echo what they should not: a secret-looking marker planted in any field whose
value could be a name or a diagnosis (columns shift in exports) appears in no message, while
near-misses of known codes keep their "did you mean"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.cli import main

MARK = "SECRETmarchand"  # letters only: it would pass a plain "looks like a code" test
HEAD = """format: rtw-case-log/1
case: C-T
parties:
  W: {role: worker}
  C: {role: coordinator}
  S: {role: supervisor}
events:
"""


def _errors(capsys, tmp_path: Path, text: str, suffix: str = ".yaml") -> str:
    path = tmp_path / f"t{suffix}"
    path.write_text(text, encoding="utf-8")
    for fmt in ("text", "json"):
        status = main(["check", str(path), "--format", fmt])
        out, err = capsys.readouterr()
        assert status == 2, (out, err)
        assert "Traceback" not in err
        if fmt == "json":
            return err + out
    raise AssertionError("unreachable")


YAML_PLANTS = {
    "at": "  - {id: e1, at: 'yesterday %s', type: absence_started}\n",
    "at-real-date": "  - {id: e1, at: 2026-02-30, type: absence_started}\n",
    "type": "  - {id: e1, at: 2026-01-01, type: %s}\n",
    "by": "  - {id: e1, at: 2026-01-01, type: file_opened, by: %s}\n",
    "with": "  - {id: e1, at: 2026-01-01, type: contact, by: C, with: [%s], channel: phone}\n",
    "channel": "  - {id: e1, at: 2026-01-01, type: contact, by: C, with: [W], channel: %s}\n",
    "field-name": "  - {id: e1, at: 2026-01-01, type: absence_started, %s: 1}\n",
    "action-due": "  - {id: e1, at: 2026-01-01, type: plan_adopted, actions: [{action: a, due: 'next %s'}]}\n",
    "action-field": "  - {id: e1, at: 2026-01-01, type: plan_adopted, actions: [{action: a, %s: b}]}\n",
    "bool": "  - {id: e1, at: 2026-01-01, type: letter_sent, to: W, coordinator_informed: %s}\n",
    "anchor": "  - &%s {id: e1, at: 2026-01-01, type: absence_started}\n",
    "alias": "  - {id: e1, at: 2026-01-01, type: absence_started}\n  - *%s\n",
    "tag": "  - !%s {id: e1, at: 2026-01-01, type: absence_started}\n",
    "x-duplicate": "  - {id: e1, at: 2026-01-01, type: absence_started, x-extra: {%s: 1, %s: 2}}\n",
}


@pytest.mark.parametrize("field", sorted(YAML_PLANTS))
def test_a_planted_marker_never_appears_in_a_message(capsys, tmp_path, field):
    template = YAML_PLANTS[field]
    text = HEAD + template.replace("%s", MARK)
    if field == "role":
        text = text.replace("S: {role: supervisor}", f"S: {{role: {MARK}}}")
    shown = _errors(capsys, tmp_path, text)
    assert MARK not in shown and MARK.lower() not in shown.lower()


def test_role_and_header_values_are_not_echoed(capsys, tmp_path):
    text = HEAD.replace("S: {role: supervisor}", f"S: {{role: {MARK}}}").replace("case: C-T", "case: C-T\nas_of: 'soon " + MARK + "'")
    text += "  - {id: e1, at: 2026-01-01, type: absence_started}\n"
    shown = _errors(capsys, tmp_path, text)
    assert MARK not in shown


def test_a_marker_in_a_table_column_or_cell_is_not_echoed(capsys, tmp_path):
    rows = [
        {"case": "A", "type": "party", "id": "W", "role": "worker"},
        {"case": "A", "type": "party", "id": "C", "role": MARK},
        {"case": "A", "id": "e1", "at": "yesterday " + MARK, "type": "absence_started"},
        {"case": "A", "id": "e2", "at": "2026-01-02", "type": MARK},
        {"case": "A", "id": "e3", "at": "2026-01-02", "type": "contact", "by": MARK, "with": ["W"], "channel": "phone"},
    ]
    shown = _errors(capsys, tmp_path, "".join(json.dumps(r) + "\n" for r in rows), ".jsonl")
    assert MARK not in shown
    header = f"case,at,type,id,{MARK}\nA,2026-01-01,absence_started,e1,x\n"
    shown = _errors(capsys, tmp_path, header, ".csv")
    assert MARK not in shown and "unknown column" in shown


def test_a_json_duplicate_key_is_not_echoed(capsys, tmp_path):
    doc = '{"format": "rtw-case-log/1", "case": "C", "x-a": {"%s": 1, "%s": 2}}' % (MARK, MARK)
    shown = _errors(capsys, tmp_path, doc, ".json")
    assert MARK not in shown and "appears twice" in shown


@pytest.mark.parametrize(
    "event, words",
    [
        ("{id: e1, at: 2026-01-01, type: file_fowarded}", "did you mean 'file_forwarded'?"),
        ("{id: e1, at: 2026-01-01, type: contact, by: C, with: [W], channel: phnoe}", "did you mean 'phone'?"),
        ("{id: e1, at: 2026-01-01, type: file_opened, by: SS}", "'SS', who is not a declared party"),
        ("{id: e1, at: 2026-01-01, type: absence_started, chanel: 1}", "'chanel'"),
        ("{id: e1, at: 2026-02-30, type: absence_started}", "'2026-02-30'"),
    ],
)
def test_near_misses_are_still_quoted_with_a_suggestion(capsys, tmp_path, event, words):
    shown = _errors(capsys, tmp_path, HEAD + f"  - {event}\n")
    assert words in shown
