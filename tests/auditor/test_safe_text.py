"""Untrusted strings reach terminals, Markdown, spreadsheets and JSON inert, and ordinary text is unchanged."""

from __future__ import annotations

import csv
import io
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.safe_text import csv_cell, describe_text, for_terminal, json_surrogates_escaped, markdown_cell, quote_if

#: What a terminal interprets: C0, DEL, C1, bidi controls, separators, lone surrogates.
DANGEROUS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")


@settings(max_examples=200)
@given(st.text())
def test_terminal_text_has_no_control_character(text):
    safe = for_terminal(text)
    assert DANGEROUS.search(safe) is None
    safe.encode("utf-8")  # lone surrogates are written out, so any output can encode it


@settings(max_examples=150)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp"))))
def test_printable_text_is_unchanged(text):
    assert for_terminal(text) == text


def test_escape_sequences_are_spelled_out():
    assert for_terminal("A\x1b[2J\x1b]0;pwned\x07") == "A\\x1b[2J\\x1b]0;pwned\\x07"
    assert for_terminal("C-1\ncase FAKE") == "C-1\\ncase FAKE"
    assert for_terminal("abc\u202edcba") == "abc\\u202edcba"
    assert for_terminal("e\ud800") == "e\\ud800"


@settings(max_examples=150)
@given(st.text())
def test_markdown_cell_has_no_html_nor_line_break_nor_separator(text):
    cell = markdown_cell(text)
    assert "<" not in cell and ">" not in cell
    assert "\n" not in cell and "\r" not in cell
    assert re.search(r"(?<!\\)\|", cell) is None  # every | is escaped


def test_markdown_cell_of_a_script():
    assert markdown_cell("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert markdown_cell('<img src=x onerror="a()">').startswith("&lt;img")


@settings(max_examples=150)
@given(st.one_of(st.text(), st.integers(), st.none()))
def test_csv_cells_never_start_a_formula(value):
    cell = csv_cell(value)
    if isinstance(value, str):
        assert isinstance(cell, str)
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert cell.endswith(value)  # nothing is lost: the apostrophe only prefixes
    else:
        assert cell == value


def test_csv_formula_round_trip_through_csv_module():
    out = io.StringIO()
    csv.writer(out).writerow([csv_cell('=HYPERLINK("http://x","y")'), csv_cell("plain")])
    row = next(csv.reader(io.StringIO(out.getvalue())))
    assert row == ["'=HYPERLINK(\"http://x\",\"y\")", "plain"]


@settings(max_examples=150)
@given(st.text())
def test_json_with_surrogates_escaped_is_the_same_value_and_encodable(text):
    encoded = json_surrogates_escaped(json.dumps({"id": text}, ensure_ascii=False))
    encoded.encode("utf-8")
    assert json.loads(encoded) == {"id": text}


@settings(max_examples=100)
@given(st.text(min_size=1))
def test_quote_if_shows_only_allowed_short_values(text):
    allowed = re.compile(r"[0-9-]+")
    shown = quote_if(text, allowed, limit=10)
    if len(text) <= 10 and allowed.fullmatch(text):
        assert shown == repr(text)
    else:
        assert shown == describe_text(text)


def test_describe_text_counts_characters():
    assert describe_text("x" * 23) == "a 23-character text"
    assert describe_text("") == "an empty text"
