"""Standard input (``-`` or ``/dev/stdin``) as an input: its kind told from its first bytes.

Why: standard input has no name ending to say whether it is a case log or an event table, and a
pipe cannot be read twice. The first few kilobytes are peeked at (not consumed): a line of JSON
objects is a JSON Lines table, a first line of comma-separated names without a colon is a CSV
table, a lone JSON object is a JSON case log, anything else is read as a YAML case log. A table
is then read in one pass; a case log is read whole, up to the case-log size limit.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

from auditor.case import Case
from auditor.errors import InputError, InputErrors

_PEEK = 8192


def sniff(head: bytes) -> str:
    """"jsonl", "csv", "json" or "yaml" for the first bytes of a stream."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    first = text.split(b"\n", 1)[0].strip()
    if first.startswith(b"{"):
        if first.endswith(b"}") and b"\n" in text.strip():
            return "jsonl"
        return "json"
    if b"," in first and b":" not in first and not first.startswith(b"#"):
        return "csv"
    return "yaml"


def _open(name: str) -> Any:
    return sys.stdin.buffer if name == "-" else open(name, "rb")


def iter_stdin(name: str, mapping: Any, limit: int) -> Iterator[Case | InputErrors]:
    """The cases read from standard input, or its problems."""
    from auditor.reading import table
    from auditor.reading.documents import read_case_text

    try:
        f = _open(name)
    except OSError as exc:
        yield InputErrors([InputError(f"standard input cannot be read ({exc.strerror or 'unknown error'})", file=name)])
        return
    try:
        peek = getattr(f, "peek", None)
        head = peek(_PEEK)[:_PEEK] if peek is not None else b""
        fmt = sniff(head)
        if fmt in ("jsonl", "csv"):
            yield from table.iter_table_stream(f, name, fmt, mapping)
            return
        data = f.read(limit + 1)
        if len(data) > limit:
            message = f"more than {limit // (1024 * 1024)} MB on standard input; a case log is far smaller"
            yield InputErrors([InputError(message, file=name)])
            return
        try:
            yield read_case_text(data, name, fmt)
        except InputErrors as exc:
            yield exc
    finally:
        if f is not sys.stdin.buffer:
            f.close()


__all__ = ["iter_stdin", "sniff"]
