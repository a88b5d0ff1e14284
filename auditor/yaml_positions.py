"""Read a configuration YAML file (a rubric, a mapping) strictly, keeping where every key sits.

The case-log reader's strict YAML composer is reused, so a rubric gets the same protections as a
log (no tags, no aliases, no duplicate keys, bounded nesting); this module only adds the file
reading and a way to find the nearest known line for a path inside the document.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .errors import InputError, InputErrors
from .i18n_domains import _
from .reading.capped import read_capped
from .reading.yaml_strict import load, nearest

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")


class Positions:
    def __init__(self, table: dict[tuple, tuple[int, int]]) -> None:
        self.table = table

    def find(self, path: tuple) -> tuple[int | None, int | None]:
        """The line and column of ``path``, or of its nearest ancestor that has one."""
        line, column = nearest(self.table, tuple(path))
        if line is None and self.table:
            return 1, 1
        return line, column


def numbers(value: Any) -> Any:
    """Turn plain numeric strings into numbers: the strict composer keeps every scalar as written."""
    if isinstance(value, str):
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):
            return float(value)
        return value
    if isinstance(value, list):
        return [numbers(v) for v in value]
    if isinstance(value, dict):
        return {k: numbers(v) for k, v in value.items()}
    return value


def load_yaml_with_positions(path: Path, limit: int = 8 * 1024 * 1024, what: str = "file") -> tuple[Any, Positions]:
    """The document and its positions; at most ``limit`` bytes are read (a device or FIFO has no size)."""
    file = str(path)
    try:
        raw = read_capped(path, limit, what)
    except InputError as exc:
        raise InputErrors([exc]) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputErrors([InputError(_("the file is not UTF-8 text"), file=file, line=line)]) from None
    try:
        data, table = load(text, file)
    except InputError as exc:
        raise InputErrors([exc]) from None
    return data, Positions(table)
