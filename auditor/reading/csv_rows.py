"""Row plans for CSV event tables: how a row of each type is read, worked out once per header.

Why: a wide export has some fifty columns, most of them empty on any row, and a row of one type may
fill only a handful of them. Reading every row cell by cell (look up the column's kind, strip,
convert) was most of the cost of reading a CSV table. A plan says, for one type and one header,
which cells the type may fill (taken in one C call by ``operator.itemgetter``), which cells it may
not (they must all be empty), and which of its cells need converting (booleans, lists, JSON);
every other cell is kept as written. The reader then builds a row with a few C-level calls.

A plan never decides whether a row is valid: it only builds the same dict as the cell-by-cell
reader (``table._strict_row``), which then goes through the same validation. Any row a plan is not
sure about (a wrong number of cells, no case, a type written with spaces or unknown, a cell in a
column its type does not have, a mapping that renames values) is left to the cell-by-cell reader.

The first pass over a table needs only each row's case: ``block_keys`` reads it from a block of
bytes when the bytes alone settle how ``csv.reader`` would read them.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Sequence
from functools import lru_cache, partial
from operator import itemgetter
from typing import Any

from auditor import schema
from auditor.reading.mapping import Mapping

#: Kinds whose cell is taken as written (stripped): ids, parties, labels, dates, numbers, free
#: text, enumerations. Dates and numbers stay text here: the schema reads them.
PLAIN_KINDS = frozenset({schema.STR, schema.PARTY, schema.LABEL, schema.DATE, schema.INT, schema.POSINT, "at"})

_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


def is_plain(kind: str) -> bool:
    """Whether a cell of this kind is kept as written (no conversion)."""
    return kind in PLAIN_KINDS or kind.startswith("enum:")


def bool_cell(cell: str) -> Any:
    """``true``/``false`` (any of three spellings) as a boolean; anything else as written, for the
    schema to refuse."""
    return _BOOLS.get(cell, cell)


#: For ``filter`` over (field, cell) pairs: keeps the pairs whose cell is not empty.
filled = itemgetter(1)


def _list(json_cell: Callable[[str], Any], cell: str) -> Any:
    """A list cell: ``;``-separated items (each stripped), or a JSON array read by ``json_cell``."""
    if cell.startswith("["):
        return json_cell(cell)
    return [*map(str.strip, cell.split(";"))]


def _getter(indices: Sequence[int]) -> Callable[[list[str]], tuple[str, ...]] | None:
    """``itemgetter`` that always returns a tuple (None when there is nothing to get)."""
    if not indices:
        return None
    if len(indices) == 1:
        i = indices[0]
        return lambda cells: (cells[i],)
    return itemgetter(*indices)


#: (cells the type may fill, cells it may not, their field names, converters, the type)
Plan = tuple[Any, Any, tuple[str, ...], tuple[tuple[str, Callable[[str], Any]], ...], str]


def make_plan(type_: str, columns: Sequence[str | None], list_cell: Callable[[str, str], Any]) -> Plan:
    """The plan of one row type for a header's canonical ``columns`` (None = a dropped column).
    ``list_cell(kind, cell)`` reads a list or JSON cell exactly as the cell-by-cell reader does."""
    own: list[int] = []
    names: list[str] = []
    other: list[int] = []
    converters: list[tuple[str, Callable[[str], Any]]] = []
    for i, col in enumerate(columns):
        if col is None or col in ("case", "type"):
            continue
        kind = schema.kind_of(type_, col)
        if kind is None:
            other.append(i)
            continue
        own.append(i)
        names.append(col)
        if kind == schema.BOOL:
            converters.append((col, bool_cell))
        elif kind == schema.PLAN_ACTIONS:
            converters.append((col, partial(list_cell, kind)))
        elif not is_plain(kind):
            converters.append((col, partial(_list, partial(list_cell, kind))))
    return _getter(own) or (lambda cells: ()), _getter(other), tuple(names), tuple(converters), type_


def plans_for(columns: Sequence[str | None], mapping: Mapping | None,
              list_cell: Callable[[str, str], Any]) -> dict[str, Plan]:
    """Type label as written in the table -> its plan. Empty when a mapping renames values (those
    rows are read cell by cell). A label that a mapping ignores has no plan, so its rows go the
    cell-by-cell way, which skips them."""
    if mapping is not None and mapping.values:
        return {}
    types = mapping.types if mapping else {}
    ignored = mapping.ignore_types if mapping else frozenset()
    by_type: dict[str, Plan] = {}
    plans: dict[str, Plan] = {}
    for label in (*schema.EVENT_TYPES, *schema.TABLE_ROW_TYPES, *types):
        if label in ignored:
            continue
        type_ = types.get(label, label)
        if type_ not in by_type:
            by_type[type_] = make_plan(type_, columns, list_cell)
        plans[label] = by_type[type_]
    return plans


# --- the first pass: each line's case, block by block ---------------------------------------------

#: A quoted field on one line that starts a cell (after a comma or at the start of a line) and
#: ends one (a comma or the end of the line after its closing quote): what ``csv`` in strict mode
#: reads as one quoted cell.
_QUOTED = re.compile(r'"(?<![^,\n]")[^"\n]*+(?:""[^"\n]*+)*+"(?=[,\n])')
_FIELD = r'(?:"[^"\n]*+(?:""[^"\n]*+)*+"|[^",\n]*+)'


@lru_cache(maxsize=8)
def _key_finder(case_idx: int, limit: int) -> Callable[[str], list[str]]:
    """Finds, line by line, the cell of column ``case_idx``, written without quotes, of a line
    at most ``limit`` characters long; a line it cannot read that way (a quoted case, too few
    cells, a longer line) yields no match."""
    return re.compile(r"^(?=[^\n]{0,%d}\n)(?:%s,){%d}([^\",\n]*+)(?:,[^\n]*+)?\n" % (limit, _FIELD, case_idx),
                      re.M).findall


def block_keys(block: bytes, case_idx: int) -> list[str] | None:
    """The case cell (stripped) of each line of ``block`` (whole lines), as ``csv.reader`` in
    strict mode would read them, one row a line; None when that cannot be sure from the bytes.

    Why: the first pass over a table only needs each row's case, and a regular expression over a
    few megabytes costs less than ``csv.reader`` plus a Python step per row. It is sure when the
    block is UTF-8 without carriage returns or NUL, no line is longer than the CSV field limit, and
    every quote belongs to a quoted field that starts and ends a cell on one line (then no row spans
    two lines and the reader meets no error there). Anything else is read by ``csv.reader``."""
    if b"\r" in block or b"\0" in block:
        return None
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.endswith("\n"):
        text += "\n"
    quotes = text.count('"')
    if quotes and "".join(_QUOTED.findall(text)).count('"') != quotes:
        return None
    found = _key_finder(case_idx, csv.field_size_limit())(text)
    if len(found) != text.count("\n"):
        return None
    return [*map(str.strip, found)]
