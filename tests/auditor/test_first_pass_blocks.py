"""The first pass over a JSON Lines table reads it in blocks (``table._key_blocks``): it must find, for
every line, the very case key the line-by-line reading finds, whatever the lines hold, wherever the
blocks and a region's byte limit fall."""

from __future__ import annotations

import io
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.reading import table as table_mod

KEY_OF = table_mod.case_key_function("case")
TOKEN = b'"case"'
SEARCH = re.compile(re.escape(TOKEN) + rb'\s*:\s*"([^"\\]*)"').search


def line_keys(data: bytes, limit: int | None = None) -> list[str | None]:
    """The reference: one line at a time, as iterating over the file gives them."""
    keys: list[str | None] = []
    consumed = 0
    for raw in io.BytesIO(data):
        if limit is not None and consumed >= limit:
            break
        consumed += len(raw)
        key = None
        if raw.count(TOKEN) == 1 and (m := SEARCH(raw)) is not None:
            try:
                key = m.group(1).decode()
            except UnicodeDecodeError:
                key = KEY_OF(raw)
        else:
            key = KEY_OF(raw)
        keys.append(key)
    return keys


ids = st.sampled_from(["A", "B", "c-1", "", "é", 'q"x', "a\\b", "A "])
rows = st.one_of(
    ids.map(lambda k: json.dumps({"case": k, "type": "file_opened", "at": "2026-01-02"}).encode()),
    ids.map(lambda k: json.dumps({"type": "file_opened", "case": k}).encode()),
    ids.map(lambda k: ('{"case" :\t"%s", "id": "x"}' % k).encode()),
    ids.map(lambda k: json.dumps({"case": k, "notes": 'the "case": here'}).encode()),
    ids.map(lambda k: json.dumps({"case": k, "x-case": {"case": "Z"}}).encode()),
    st.just(b""), st.just(b"   "), st.just(b'{"case": "\xff\xfe"}'), st.just(b'{"case": 12}'),
    st.just(b'{"case": "A"'), st.just(b"[1, 2]"), st.just(b'{"type": "party"}'),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(rows, max_size=40), st.booleans(), st.integers(8, 200), st.one_of(st.none(), st.integers(0, 2000)))
def test_block_keys_are_the_line_keys(lines, final_newline, block, limit):
    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    original = table_mod.BLOCK_BYTES
    table_mod.BLOCK_BYTES = block  # small blocks: lines and limits fall across block ends
    try:
        got = [k for keys in table_mod._key_blocks(io.BytesIO(data), KEY_OF, "case", limit) for k in keys]
    finally:
        table_mod.BLOCK_BYTES = original
    assert got == line_keys(data, limit)


def test_a_clean_block_takes_the_fast_way_and_an_odd_one_the_slow_way(monkeypatch):
    calls: list[bytes] = []

    def lines(block: bytes) -> list[bytes]:
        calls.append(block)
        return block.splitlines(True)

    monkeypatch.setattr(table_mod, "_block_lines", lines)
    clean = b'{"case": "A", "type": "x"}\n{"case": "B"}\n'
    assert list(table_mod._key_blocks(io.BytesIO(clean), KEY_OF)) == [["A", "B"]] and calls == []
    odd = clean + b"\n"
    assert list(table_mod._key_blocks(io.BytesIO(odd), KEY_OF)) == [["A", "B", None]] and len(calls) == 1
