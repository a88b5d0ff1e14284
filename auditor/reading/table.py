"""Event tables (CSV, JSON Lines): many cases, one row an event, streamed.

Memory. Rows of one case need not be adjacent, so a case is complete only after its last row. For
a regular file a first pass streams the table and notes, in a fixed-size filter
(``seen.SeenFilter``, 8 MiB), every case whose run of rows has ended; a case that starts again later
(or that the filter wrongly flags, rarely) becomes a *candidate* with the line of its last row. The
second pass yields each case when its run ends, or a candidate at its last row. So a table grouped
by case is read in constant memory whatever the number of cases; an interleaved table holds one
small entry per candidate plus the rows of the cases open at that moment (the cases interleaved at
that point). Input that cannot be read twice (a pipe) is read once and every case is held until the
end.

Speed. A JSON Lines row is parsed and validated in one pydantic-core call
(``TABLE_ROW.validate_json``), which is faster than ``json.loads`` alone. The rarer rows that
need Python's attention (``x-`` fields, nulls, a mapping, a possible duplicate key) take a slower
path through ``json_doc.loads`` and ``validate_python``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
from collections.abc import Iterator, Sequence
from itertools import compress, islice
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from auditor import schema
from auditor.case import Case
from auditor.errors import MAX_ERRORS, InputError, InputErrors
from auditor.i18n_domains import _
from auditor.reading import csv_rows, json_doc
from auditor.reading.builder import CaseBuilder
from auditor.reading.capped import line_capped
from auditor.reading.documents import clean_actions
from auditor.reading.mapping import Mapping
from auditor.reading.messages import describe, shown_id, shown_key, suggest, translate_all
from auditor.reading.seen import SeenFilter
from auditor.reading.textio import BOM

_ROW_JSON = schema.TABLE_ROW.validator.validate_json
_ROW_PY = schema.TABLE_ROW.validator.validate_python
_ROW_OPEN = schema.TABLE_ROW_OPEN.validator.validate_json


class _CaseOnly(TypedDict):
    case: schema.Id


_CaseOnly.__pydantic_config__ = ConfigDict(extra="ignore", coerce_numbers_to_str=True)  # type: ignore[attr-defined]
_CASE_ONLY = TypeAdapter(_CaseOnly).validator.validate_json


class _Stop(Exception):
    """Too many problems in one file: stop reading it."""


class _FileState:
    """What one table's reading shares: its name, the cases still open, the problem budget."""

    __slots__ = ("name", "open", "last", "budget", "file_errors")

    def __init__(self, name: str, last: dict[str, int] | None) -> None:
        self.name = name
        self.open: dict[str, CaseBuilder] = {}
        self.last = last
        self.budget = MAX_ERRORS
        self.file_errors: list[InputError] = []

    def builder(self, key: str) -> CaseBuilder:
        b = self.open.get(key)
        if b is None:
            b = self.open[key] = CaseBuilder(key, self.name)
        return b

    def file_error(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.file_errors.append(InputError(message, file=self.name, line=line, column=column))
        if len(self.file_errors) >= self.budget:
            raise _Stop

    def done(self, key: str) -> Case | InputErrors:
        result = self.open.pop(key).finish()
        if isinstance(result, InputErrors):
            self.budget -= len(result.errors)
        return result

    def flush(self) -> Iterator[Case | InputErrors]:
        for key in list(self.open):
            yield self.done(key)
            if self.budget <= 0:
                break
        if self.file_errors:
            yield InputErrors(self.file_errors, file=self.name)

    def stopped(self) -> InputErrors:
        errors = list(self.file_errors)
        if self.budget <= len(self.file_errors) or self.budget <= 0:
            errors.append(InputError(_("more than {count} problems in this table; stopped reading it").format(count=MAX_ERRORS),
                                     file=self.name))
        return InputErrors(errors, file=self.name)


def _row_problems(state: _FileState, key: str | None, raw: Any, errors: Sequence[Any], line: int,
                  column_of: Any = None) -> None:
    """Record a row that failed validation, on its case when the case is known."""
    type_ = raw.get("type") if isinstance(raw, dict) else None
    if not isinstance(type_, str):  # a list or a mapping where a type name belongs: no type to go by
        type_ = None
    is_meta = type_ in schema.TABLE_ROW_TYPES
    event_type = type_ if (schema.is_event_type(type_) or is_meta) else None
    problems = translate_all(errors, event_type)
    if key is None or key == "":
        for path, message in problems:
            if path == ("case",) or not path:
                state.file_error(_("a row needs a `case`") if path == ("case",) else message, line)
                return
        state.file_error(_("a row needs a `case`"), line)
        return
    b = state.builder(key)
    if is_meta:
        label = None
        # Translators: before a message about a row that is not an event; {type} is its `type` (data).
        prefix = _("{type} row: ").format(type=type_)
    else:
        position = b.next_position()
        eid = raw.get("id") if isinstance(raw, dict) else None
        label = eid if isinstance(eid, str) and eid and shown_id(eid) == repr(eid) else f"#{position}"
        prefix = ""
    for path, message in problems:
        column = column_of(path) if column_of is not None else None
        b.error(prefix + message, line, column, label)


def _apply(state: _FileState, key: str, d: dict[str, Any], line: int, column: int | None,
           at_has_column: bool = True) -> None:
    """A validated row (``case`` removed) onto its case; ``at_has_column`` as ``CaseBuilder.add_event``."""
    type_ = d["type"]
    b = state.builder(key)
    if type_ == "party":
        b.add_party(d["id"], d["role"], line, column)
    elif type_ == "context":
        del d["type"]
        d.pop("notes", None)
        b.set_context(d, line)
    else:
        b.add_event(d, line, column, at_has_column=at_has_column)


# --- JSON Lines ---------------------------------------------------------------------------------------


def case_key_function(case_column: str):
    """``key_of(line: bytes) -> case id or None``: which case a JSON line belongs to.

    Both passes group rows by this one function, so they always agree. For a valid row it is the
    row's ``case``: when the column's name occurs once in the line, the occurrence followed by a
    colon is a key (a quote inside a JSON string is escaped, so ``"case"`` cannot occur inside
    one), and a string value without escapes is taken as written; anything else is parsed.
    """
    token = json.dumps(case_column).encode()
    rx = re.compile(re.escape(token) + rb'\s*:\s*"([^"\\]*)"')

    def key_of(line: bytes) -> str | None:
        if line.count(token) == 1:
            m = rx.search(line)
            if m is not None:
                try:
                    return m.group(1).decode("utf-8")
                except UnicodeDecodeError:
                    return None
        if case_column != "case":
            try:
                obj = json.loads(line)
            except (ValueError, RecursionError):
                return None
            if isinstance(obj, dict):
                value = obj.get(case_column)
                if isinstance(value, str):
                    return value
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    return str(value)
            return None
        try:
            return _CASE_ONLY(line)["case"]
        except (ValidationError, RecursionError, ValueError):
            return None

    return key_of


class _Runs:
    """Runs of rows of one case, seen in a first pass: a case that starts again after another case
    started (or that the fixed-size filter wrongly flags) becomes a candidate, with the line of its
    last row; any other case is complete when its run ends."""

    __slots__ = ("seen", "candidates", "prev")

    def __init__(self) -> None:
        self.seen = SeenFilter()
        self.candidates: dict[str, int] = {}
        self.prev: str | None = None

    def see(self, key: str, line: int) -> None:
        candidates = self.candidates
        if key != self.prev:
            # A candidate is already in the filter (that is how it became one): adding it again
            # changes no bit, and on an interleaved table most run ends are candidates.
            if self.prev is not None and self.prev not in candidates:
                self.seen.add(self.prev)
            if key not in candidates and key in self.seen:
                candidates[key] = line
            self.prev = key
        if candidates and key in candidates:
            candidates[key] = line

    def finish(self) -> SeenFilter:
        if self.prev is not None:
            self.seen.add(self.prev)
            self.prev = None
        return self.seen


#: The first pass reads the table in blocks of whole lines of about this size.
BLOCK_BYTES = 4 * 1024 * 1024


def _blocks(f: Any, limit: int | None) -> Iterator[bytes]:
    """Whole lines of ``f`` from its position, in blocks of about ``BLOCK_BYTES``: the lines that
    start in the next ``limit`` bytes (all when None). Only the file's last line may lack its newline."""
    remaining = 1 << 62 if limit is None else limit
    carry = b""
    while remaining > 0:
        data = f.read(BLOCK_BYTES)
        if not data:
            if carry:
                yield carry
            return
        if carry:
            data = carry + data
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
            continue
        block, carry = data[:cut + 1], data[cut + 1:]
        if len(block) >= remaining:  # the region ends in this block: up to the line holding its last byte
            yield block[:block.index(b"\n", remaining - 1) + 1]
            return
        remaining -= len(block)
        yield block


def _block_lines(block: bytes) -> list[bytes]:
    """The lines of a block as iterating over the file gives them (each with its newline)."""
    lines = block.split(b"\n")
    last = lines.pop()
    out = [line + b"\n" for line in lines]
    if last:
        out.append(last)
    return out


def _key_blocks(f: Any, key_of: Any, case_column: str = "case", limit: int | None = None) -> Iterator[list[str | None]]:
    """Each line's case key (``key_of``), block by block, for the lines ``_blocks`` reads.

    Why blocks: this pass is pure overhead, and one regular-expression scan of 4 MiB in C costs far
    less than a Python step per line. A block whose every line holds the case column's name exactly
    once, followed by a plain string value, is read that way; any other block (a blank line, a
    column name twice, an escaped or non-UTF-8 id) is read line by line, exactly as ``key_of``
    reads a line, so both ways give the same keys."""
    token = json.dumps(case_column).encode()
    space = rb"[ \t\r\f\v]*"  # what ``\s`` matches inside one line
    # A match runs to the end of its line, so no two matches share a line: n matches in n lines
    # means one on each line, and n occurrences of the name in the block means no line has two.
    finder = re.compile(re.escape(token) + space + b":" + space + rb'"([^"\\\n]*)"[^\n]*\n?').findall
    search = re.compile(re.escape(token) + rb'\s*:\s*"([^"\\]*)"').search
    for block in _blocks(f, limit):
        n = block.count(b"\n") + (0 if block.endswith(b"\n") else 1)
        found = finder(block)
        if len(found) == n and block.count(token) == n:
            try:
                yield [k.decode() for k in found]
                continue
            except UnicodeDecodeError:
                pass
        keys: list[str | None] = []
        for raw in _block_lines(block):
            key = None
            if raw.count(token) == 1:
                m = search(raw)
                if m is not None:
                    try:
                        key = m.group(1).decode()
                    except UnicodeDecodeError:
                        key = key_of(raw)
                else:
                    key = key_of(raw)
            else:
                key = key_of(raw)
            keys.append(key)
        yield keys


def _jsonl_candidates(
    f: Any, key_of: Any, case_column: str = "case", limit: int | None = None
) -> tuple[dict[str, int], int, SeenFilter]:
    """The first pass over JSON Lines, in constant memory: which cases may come back after another
    case started (``seen.SeenFilter``), each with the line of its last row; every other case is
    complete when its run of rows ends. Reads from ``f``'s position the lines that start in the next
    ``limit`` bytes (all when None: ``auditor.parallel`` reads one region). Returns the candidates
    (lines counted from 1 at the start), the number of lines, and the filter of every case seen."""
    runs = _Runs()
    see, candidates, last_key = runs.see, runs.candidates, None
    lineno = 0
    for keys in _key_blocks(f, key_of, case_column, limit):
        for key in keys:
            lineno += 1
            # Most rows continue the case of the row before: only a new run or a candidate needs `see`.
            if key is not None and (key != last_key or (candidates and key in candidates)):
                see(key, lineno)
                last_key = key
    return candidates, lineno, runs.finish()


#: How many cases coming back after another case started, in a table's first block, make it interleaved.
INTERLEAVED_CANDIDATES = 64


def starts_interleaved(path: Path, case_column: str = "case", sample: int = BLOCK_BYTES) -> bool:
    """Whether the first ``sample`` bytes of a JSON Lines table already show its rows of many cases
    mixed (``INTERLEAVED_CANDIDATES`` cases that come back after another case started).

    Why: ``auditor.parallel`` cuts a table into regions only if no case spans two of them, and finds
    out exactly only after every worker has read its region twice. An export sorted by date, not by
    case, shows it in its first block, for about a hundredth of that cost; a grouped table never
    does. A table with fewer mixed cases is left to the workers' exact test."""
    with open(path, "rb") as f:
        candidates = _jsonl_candidates(f, case_key_function(case_column), case_column, sample)[0]
    return len(candidates) >= INTERLEAVED_CANDIDATES


def _column_in_line(line: str):
    def column_of(path: tuple) -> int | None:
        names = [p for p in path if isinstance(p, str)]
        if not names:
            return None
        spot = line.find(json.dumps(names[0]))
        return spot + 1 if spot >= 0 else None

    return column_of


def _slow_row(state: _FileState, raw: bytes, lineno: int, key: str | None, mapping: Mapping | None,
              type_column: str) -> str | None:
    """Everything the fast path does not do: decoding errors, blank lines, ``x-`` fields, nulls,
    duplicate keys, mappings, and the messages for a bad row. Returns the row's case key."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = _("the line is not UTF-8 text (a byte here cannot be read); save the file as UTF-8")
        if key:
            state.builder(key).error(message, lineno, exc.start + 1)
        else:
            state.file_error(message, lineno, exc.start + 1)
        return key
    if lineno == 1 and line.startswith(BOM):
        line = line[1:]
    if not line or line.isspace():
        return None
    try:
        obj = json_doc.loads(line, state.name, lineno - 1)
    except InputError as exc:
        if key:
            b = state.builder(key)
            b.error(exc.message, lineno, exc.column, f"#{b.next_position()}")
        else:
            state.file_error(exc.message, lineno, exc.column)
        return key
    if not isinstance(obj, dict):
        state.file_error(_("a row must be a JSON object, not {value}").format(value=describe(obj)), lineno)
        return key
    if mapping is not None:
        label = obj.get(type_column)
        if isinstance(label, str) and label in mapping.ignore_types:
            return key
        obj = mapping.map_row(obj)
    row = clean_actions({k: v for k, v in obj.items() if v is not None and not k.startswith("x-")})
    try:
        d = _ROW_PY(row)
    except ValidationError as exc:
        _row_problems(state, key, row, exc.errors(include_url=False), lineno, _column_in_line(line))
        return key
    case_value = d.pop("case")
    if key is None:  # cannot happen for a valid row; keep the row rather than lose it
        key = case_value
    # As on the fast path: a JSON line's `at` has no column of its own, whichever way the row was read.
    _apply(state, key, d, lineno, 1, at_has_column=False)
    return key


def _open_row(raw: bytes) -> tuple[dict[str, Any] | None, int]:
    """A row with ``x-`` fields, validated in one pydantic-core call, without them, and the number
    of keys the line held; (None, 0) when the row has another problem, or ``x-`` values that hold
    objects or could be nested too deep: those take the slow path."""
    if raw.count(b"[") + raw.count(b"{") > json_doc.MAX_DEPTH:
        return None, 0
    try:
        d = _ROW_OPEN(raw)
    except ValidationError:
        return None, 0
    allowed = schema.ROW_FIELDS[d["type"]]
    extras = [k for k in d if k not in allowed]
    n = len(d)
    for k in extras:
        if not k.startswith("x-"):
            return None, 0
        v = d.pop(k)
        if type(v) is dict or (type(v) is list and b"{" in raw):
            return None, 0
    return d, n


#: A key with white space before its colon, which the fast path's count of ``":`` does not see.
_SPACED_KEY = re.compile(rb'"[ \t\r\n]+:').search


def _read_jsonl(f: Any, state: _FileState, mapping: Mapping | None, first_line: int = 1,
                whole: bool = True) -> Iterator[Case | InputErrors]:
    """The second pass. ``first_line`` is the line number of ``f``'s first line, and ``whole`` False
    when ``f`` is one region of a table (``auditor.parallel``): a region with no rows is no empty table."""
    # The hot loop of the whole auditor on big tables: keep it flat (no calls it can avoid).
    key_of = case_key_function(mapping.case_column() if mapping else "case")
    type_column = next((src for src, dst in mapping.columns.items() if dst == "type"), "type") if mapping else "type"
    last = state.last
    open_cases = state.open
    fast = mapping is None
    validate = _ROW_JSON
    lineno = first_line - 1
    yielded = False
    prev = None
    for raw in f:
        lineno += 1
        d = None
        if fast:
            try:
                d = validate(raw)
                keys = len(d)
            except ValidationError:
                # Rare rows: `x-` fields (checked here, still in Rust), else the slow path, which
                # says exactly what is wrong.
                d, keys = _open_row(raw) if b'"x-' in raw else (None, 0)
            if d is not None:
                t = d["type"]
                if t == "plan_adopted" or t == "tentative_plan":
                    for action in d.get("actions", ()):
                        if type(action) is dict:
                            keys += len(action)
                # Each key is followed by a colon, so as many colons as keys means no key is repeated.
                # Colons inside strings (times of day) defeat that count; then a count of `":` does,
                # unless a key is written `"id" :`, which it misses (and which could hide a repeat).
                if raw.count(b":") != keys and (raw.count(b'":') != keys or _SPACED_KEY(raw) is not None):
                    # The counts did not settle it: look for a duplicate key exactly.
                    try:
                        json.loads(raw, object_pairs_hook=json_doc.unique_pairs)
                    except ValueError:
                        d = None
        if d is None:
            key = _slow_row(state, raw, lineno, key_of(raw), mapping, type_column)
        else:
            key = d.pop("case")
            b = open_cases.get(key)
            if b is None:
                b = open_cases[key] = CaseBuilder(key, state.name)
            if t == "party" or t == "context":
                _apply(state, key, d, lineno, 1)
            else:
                b.add_event(d, lineno, 1, at_has_column=False)
        if last is not None and key is not None:
            if key != prev:
                # A run of rows ended: its case is complete, unless the first pass saw it may come back.
                if prev is not None and prev not in last and prev in open_cases:
                    yielded = True
                    yield state.done(prev)
                    if state.budget <= 0:
                        raise _Stop
                prev = key
            if last.get(key) == lineno and key in open_cases:
                yielded = True
                yield state.done(key)
                if state.budget <= 0:
                    raise _Stop
    if last is not None and prev is not None and prev not in last and prev in open_cases:
        yielded = True
        yield state.done(prev)
        if state.budget <= 0:
            raise _Stop
    if whole and not yielded and not open_cases and not state.file_errors:
        state.file_error(_("the table is empty (no rows)"), 1)


# --- CSV ----------------------------------------------------------------------------------------------


def _open_csv(f: Any, encoding: str = "utf-8-sig") -> tuple[io.TextIOWrapper, Any]:
    """A csv reader over the binary file ``f``: decoded in C, in large chunks (a BOM is dropped)."""
    text = io.TextIOWrapper(f, encoding=encoding, errors="strict", newline="")
    return text, csv.reader(text, strict=True)


def _bad_byte_line(f: Any) -> tuple[int | None, int | None]:
    """Line and column of the first byte that is not UTF-8 (the decoder reads ahead, so it cannot say)."""
    try:
        f.seek(0)
    except (OSError, ValueError):
        return None, None
    lineno = 0
    for raw in f:
        lineno += 1
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return lineno, exc.start + 1
    return None, None


def _csv_failure(state: _FileState, f: Any, exc: Exception, end: int) -> None:
    if isinstance(exc, UnicodeDecodeError):
        line, column = _bad_byte_line(f)
        state.file_error(_("the file is not UTF-8 text (a byte here cannot be read); save it as UTF-8"), line, column)
    else:
        # Translators: {reason} is the CSV reader's own words (English).
        state.file_error(_("the CSV cannot be read here: {reason}").format(reason=exc), end + 1)


def _cell(kind: str | None, cell: str) -> Any:
    """A CSV cell as the value the schema expects for its kind."""
    if kind is None or csv_rows.is_plain(kind):
        return cell
    if kind == schema.BOOL:
        return csv_rows.bool_cell(cell)
    # A list: `;`-separated, or written as a JSON array (objects, empty lists, items holding `;`).
    if kind == schema.PLAN_ACTIONS or cell.startswith("["):
        try:
            value = json.loads(cell)
        except (ValueError, RecursionError):
            return _BadJson()
        return value if json_doc.depth_of(value) <= json_doc.MAX_DEPTH else _BadJson()
    return [item.strip() for item in cell.split(";")]


_PLAIN = "plain"  # a cell taken as written (ids, parties, dates, numbers, enumerations, free text)
#: type -> column -> how its cells are read (``_PLAIN``, or the field kind for ``_cell``).
_CELL_KINDS: dict[str, dict[str, str]] = {}
for _type in (*schema.EVENT_TYPES, *schema.TABLE_ROW_TYPES):
    _CELL_KINDS[_type] = {}
    for _col in schema.TABLE_COLUMNS:
        _k = schema.kind_of(_type, _col)
        if _k is not None and _col != "case":
            _CELL_KINDS[_type][_col] = _PLAIN if csv_rows.is_plain(_k) else _k
_NO_KINDS: dict[str, str] = {}


class _BadJson:
    """A CSV cell that should hold JSON and does not (reported by the schema as a wrong type)."""


def _csv_header(header: list[str], state: _FileState, mapping: Mapping | None) -> list[str | None]:
    """Canonical column names (None = dropped), or file errors for unknown / repeated columns."""
    columns: list[str | None] = []
    seen: set[str] = set()
    for i, raw in enumerate(header):
        name = raw.strip()
        col = mapping.column(name) if mapping else name
        if col is None or col.startswith("x-"):
            columns.append(None)
            continue
        if col not in schema.TABLE_COLUMNS:
            state.file_error(
                _("unknown column {column} in the header").format(column=shown_key(name, schema.TABLE_COLUMNS))
                + suggest(col, schema.TABLE_COLUMNS)
                # Translators: appended to "unknown column ... in the header" when no mapping file was given.
                + ("" if mapping else _(" (a mapping file can rename an export's columns)")),
                1, i + 1,
            )
            columns.append(None)
            continue
        if col in seen:
            state.file_error(_("the column `{column}` appears twice in the header").format(column=col), 1, i + 1)
        seen.add(col)
        columns.append(col)
    for needed in ("case", "type"):
        if needed not in seen:
            state.file_error(_("the header has no `{column}` column").format(column=needed), 1)
    return columns


def _first_row(reader: Any) -> list[str] | None:
    """The header: the first row that is not blank."""
    for row in reader:
        if any(cell.strip() for cell in row):
            return row
    return None


#: How far ``_header_end`` looks for the end of a CSV header.
_HEADER_BYTES = 1 << 20


def _header_end(f: Any, lines: int) -> int | None:
    """The byte offset just after the first ``lines`` lines of ``f`` (the header, maybe after blank
    lines), when they hold no carriage return (so lines are counted as the CSV reader counts them)
    and end in the first ``_HEADER_BYTES``. Leaves ``f`` where it was."""
    where = f.tell()
    f.seek(0)
    head = f.read(_HEADER_BYTES)
    f.seek(where)
    at = -1
    for _n in range(lines):
        at = head.find(b"\n", at + 1)
        if at < 0:
            return None
    return None if b"\r" in head[:at] else at + 1


def _block_keys_by_reader(block: bytes, case_idx: int) -> tuple[list[tuple[int, str]], int] | None:
    """(first line, case) of each row of a block that has a case, lines counted in the block, and
    the block's number of lines, read by ``csv.reader``; None when a row runs on past the block or
    the reader fails. Only the keys are kept: a block is some megabytes."""
    try:
        reader = csv.reader(io.StringIO(block.decode("utf-8"), newline=""), strict=True)
        keys = []
        end = 0
        for cells in reader:
            start = end + 1
            end = reader.line_num
            if case_idx < len(cells):
                key = cells[case_idx].strip()
                if key:
                    keys.append((start, key))
    except (csv.Error, UnicodeDecodeError):
        return None
    return keys, reader.line_num


def _csv_runs(f: Any, runs: _Runs, case_idx: int, offset: int, progress: list[int]) -> None:
    """``runs.see`` for each row from byte ``offset`` on, which starts line ``progress[0] + 1``.

    Block by block: a block whose bytes say everything (``csv_rows.block_keys``) costs a regular
    expression scan; another one is read by ``csv.reader``, alone when it ends at the end of a row,
    else with everything after it. Raises what ``csv.reader`` raises, ``progress[0]`` then being
    the last line of the last row read whole."""
    see, candidates = runs.see, runs.candidates
    lineno = progress[0]
    last_key = None
    f.seek(offset)
    for block in _blocks(f, None):
        keys = csv_rows.block_keys(block, case_idx)
        if keys is not None:
            for key in keys:
                lineno += 1
                # Most rows continue the case of the row before: only a new run or a candidate needs `see`.
                if key and (key != last_key or (candidates and key in candidates)):
                    see(key, lineno)
                    last_key = key
        else:
            read = _block_keys_by_reader(block, case_idx)
            if read is None:
                break  # a row runs on past the block, or the reader has something to say: read on from here
            found, lines = read
            for start, key in found:
                see(key, lineno + start)
                last_key = key
            lineno += lines
        offset += len(block)
    else:
        return
    f.seek(offset)
    progress[0] = lineno
    text, reader = _open_csv(f, "utf-8")  # mid-file: a U+FEFF here is a character, not a BOM
    try:
        _see_reader_rows(reader, see, case_idx, progress, lineno)
    finally:
        text.detach()


def _see_reader_rows(reader: Any, see: Any, case_idx: int, progress: list[int], base: int) -> None:
    """``see(case, first line)`` for each row ``csv.reader`` reads that has a case; ``progress[0]``
    is kept at the last line of the last row read whole (the reader's lines count from ``base``),
    so that when the reader raises, the caller can say where."""
    for cells in reader:
        start = progress[0] + 1
        progress[0] = base + reader.line_num
        if case_idx < len(cells):
            key = cells[case_idx].strip()
            if key:
                see(key, start)


def _csv_last_lines(f: Any, state: _FileState, mapping: Mapping | None) -> dict[str, int] | None:
    """The first pass over a CSV table, in constant memory (see ``_jsonl_candidates``): the cases
    that may come back after another case started, each with the line of its last row."""
    text, reader = _open_csv(f)
    runs = _Runs()
    end = 0
    try:
        header = _first_row(reader)
        if header is None:
            return {}
        end = reader.line_num
        columns = _csv_header(header, state, mapping)
        if state.file_errors or "case" not in columns:
            return None
        case_idx = columns.index("case")
        offset = _header_end(f, end) if FAST_ROWS else None
        progress = [end]
        try:
            if offset is None:
                _see_reader_rows(reader, runs.see, case_idx, progress, 0)
            else:
                text.detach()
                _csv_runs(f, runs, case_idx, offset, progress)
        finally:
            end = progress[0]
    except (csv.Error, UnicodeDecodeError) as exc:
        _csv_failure(state, f, exc, end)
        return None
    finally:
        try:
            text.detach()
        except ValueError:
            pass
    return runs.candidates


def _read_csv(f: Any, state: _FileState, mapping: Mapping | None) -> Iterator[Case | InputErrors]:
    text, reader = _open_csv(f)
    try:
        yield from _csv_body(reader, state, mapping)
    except (csv.Error, UnicodeDecodeError) as exc:
        _csv_failure(state, f, exc, reader.line_num)
        raise _Stop from None
    finally:
        try:
            text.detach()
        except ValueError:
            pass


def _strict_row(cells: list[str], key: str, type_: str, names: list[str | None],
                values: dict[str, dict[str, str]]) -> dict[str, Any]:
    """A row read cell by cell: each non-empty cell stripped, read for its column's kind and
    renamed by a mapping's ``values``. The reference the row plans (``csv_rows``) must match, and
    the way for every row a plan is not sure about."""
    row: dict[str, Any] = {"case": key, "type": type_} if key else {"type": type_}
    kinds = _CELL_KINDS.get(type_, _NO_KINDS)
    # Only the non-empty cells are looked at in Python (``compress`` skips the rest in C).
    for col, cell in zip(compress(names, cells), compress(cells, cells), strict=True):
        if col is None:
            continue
        k = kinds.get(col, "?")
        if k is _PLAIN:
            cell = cell.strip()
            if cell:
                row[col] = values[col].get(cell, cell) if col in values else cell
            continue
        cell = cell.strip()
        if not cell:
            continue
        kind: str | None = None if k == "?" else k
        renames = values.get(col)
        if renames is not None:
            if kind is not None and (kind == schema.PARTIES or kind == schema.STRLIST or kind.startswith("enums:")):
                converted = _cell(kind, cell)
                row[col] = [renames.get(v, v) for v in converted] if isinstance(converted, list) else converted
                continue
            cell = renames.get(cell, cell)
        row[col] = _cell(kind, cell)
    return row


#: Whether ``_csv_body`` builds rows from per-type plans (``csv_rows``) and the first pass reads
#: blocks from their bytes; False reads every row cell by cell and every line with ``csv.reader``.
#: Both must give the same result: the tests read tables both ways and compare.
FAST_ROWS = True


def _csv_body(reader: Any, state: _FileState, mapping: Mapping | None) -> Iterator[Case | InputErrors]:
    header = _first_row(reader)
    if header is None:
        state.file_error(_("the table is empty (it needs a header row)"), 1)
        return
    # After a first pass the header is known to be right (it said so otherwise): read it again quietly.
    target = state
    if state.last is not None:
        target = _FileState(state.name, None)
        target.budget = 10**9
    columns = _csv_header(header, target, mapping)
    if target.file_errors:
        return
    if "case" not in columns or "type" not in columns:
        return
    case_idx = columns.index("case")
    type_idx = columns.index("type")
    width = len(columns)
    names = [None if c in ("case", "type") else c for c in columns]
    types = mapping.types if mapping else {}
    values = mapping.values if mapping else {}
    ignore_types = mapping.ignore_types if mapping else frozenset()
    # The hot loop of reading a CSV table: most rows take the plan of their type (a few C calls).
    plans = csv_rows.plans_for(columns, mapping, _cell) if FAST_ROWS else {}
    get_plan = plans.get
    strip = str.strip
    last = state.last
    open_cases = state.open
    end = reader.line_num
    prev = None
    for cells in reader:
        line = end + 1
        end = reader.line_num
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        if len(cells) != width:
            key = cells[case_idx].strip() if case_idx < len(cells) else ""
            message = _("the row has {cells} cells but the header has {columns} columns").format(cells=len(cells), columns=width)
            if key:
                state.builder(key).error(message, line)
            else:
                state.file_error(message, line)
        else:
            key = cells[case_idx].strip()
            row: dict[str, Any] | None = None
            type_: str | None
            plan = get_plan(cells[type_idx])
            if plan is not None and key:
                own, other, fields, converters, type_ = plan
                # The type's own cells, stripped, the empty ones left out (all in C).
                row = {"case": key, "type": type_}
                row.update(filter(csv_rows.filled, zip(fields, map(strip, own(cells)), strict=True)))
                # The cells of columns the type does not have must be empty: counting the empty
                # cells says so at once, unless a dropped column (``x-``) holds something or a
                # cell of the type holds spaces only; then they are looked at.
                if len(row) + cells.count("") == width or other is None or not any(other(cells)):
                    for col, convert in converters:
                        if col in row:
                            row[col] = convert(row[col])
                else:
                    row = None
            if row is None:
                label = cells[type_idx].strip()
                if label in ignore_types:
                    type_ = None
                else:
                    type_ = types.get(label, label) if types else label
                    row = _strict_row(cells, key, type_, names, values)
            if row is not None:
                if "actions" in row:
                    clean_actions(row)
                try:
                    d = _ROW_PY(row)
                except ValidationError as exc:
                    _row_problems(state, key or None, row, exc.errors(include_url=False), line)
                else:
                    del d["case"]
                    if type_ == "party" or type_ == "context":
                        _apply(state, key, d, line, None)
                    else:
                        b = open_cases.get(key)
                        if b is None:
                            b = open_cases[key] = CaseBuilder(key, state.name)
                        b.add_event(d, line, None)
        if last is not None and key:
            if key != prev:
                if prev is not None and prev not in last and prev in open_cases:
                    yield state.done(prev)
                    if state.budget <= 0:
                        raise _Stop
                prev = key
            if last and last.get(key) == line and key in open_cases:
                yield state.done(key)
                if state.budget <= 0:
                    raise _Stop
    if last is not None and prev is not None and prev not in last and prev in open_cases:
        yield state.done(prev)
        if state.budget <= 0:
            raise _Stop


#: The longest line read from a table that is not a regular file (a pipe, a device).
MAX_LINE_BYTES = 64 * 1024 * 1024


# --- one region of a JSON Lines table -----------------------------------------------------------------


class Region:
    """One byte range of a JSON Lines table, read exactly as the whole-table reader reads its lines.

    Why: ``auditor.parallel`` audits a big grouped table in several processes, one region each, and
    the report must be the serial one byte for byte. So a region runs the reader's own two passes:
    ``scan`` (the first pass: its line count and the filter of its case ids, which the caller compares
    across regions to find cases shared between them) and ``cases`` (the second pass, numbering
    lines from ``first_line``). ``exact`` says afterwards whether what it yielded is what the whole
    table's reading yields for those lines; ``budget_used`` and ``file_errors`` let the caller apply
    the file-wide error budget. Use it as a context manager (it holds the file open)."""

    def __init__(self, path: Path, name: str, start: int, limit: int | None, mapping: Mapping | None) -> None:
        self.name = name
        self.start = start
        self.limit = limit
        self.mapping = mapping
        self.lines = 0
        self.stopped = False
        self._column = mapping.case_column() if mapping else "case"
        self._last: dict[str, int] = {}
        self._state = _FileState(name, None)
        self._file = open(path, "rb")

    def __enter__(self) -> Region:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()

    def scan(self) -> SeenFilter:
        """The first pass over the region: counts its lines; returns the filter of its case ids."""
        self._file.seek(self.start)
        self._last, self.lines, seen = _jsonl_candidates(
            self._file, case_key_function(self._column), self._column, self.limit
        )
        return seen

    def flagged(self, others: SeenFilter) -> set[str]:
        """The case ids of the region that ``others`` (the filter of the other regions' ids) flags:
        a key-only pass, as cheap as ``scan``, so a case shared with another region (an interleaved
        table) is known before any case is audited. A flag may be a false alarm; a case flagged in
        two regions is in both."""
        self._file.seek(self.start)
        flagged: set[str] = set()
        for keys in _key_blocks(self._file, case_key_function(self._column), self._column, self.limit):
            for key in set(keys):
                if key is not None and key in others:
                    flagged.add(key)
        return flagged

    def cases(self, first_line: int) -> Iterator[Case | InputErrors]:
        """The second pass: each case of the region (or its problems) as the whole-table reader
        yields it, lines numbered from ``first_line``. Stops early, as that reader does, when the
        problem budget runs out (``stopped``)."""
        shift = first_line - 1
        last = {k: v + shift for k, v in self._last.items()} if shift else self._last
        self._state = state = _FileState(self.name, last)
        self._file.seek(self.start)
        try:
            yield from _read_jsonl(islice(self._file, self.lines), state, self.mapping, first_line, whole=False)
        except _Stop:
            self.stopped = True

    @property
    def exact(self) -> bool:
        """Nothing stopped the reading and no case was left open at the region's end."""
        return not self.stopped and not self._state.open

    @property
    def budget_used(self) -> int:
        state = self._state
        return MAX_ERRORS - state.budget + len(state.file_errors)

    @property
    def file_errors(self) -> list[InputError]:
        return self._state.file_errors


# --- entry point --------------------------------------------------------------------------------------


def iter_table(path: Path, fmt: str, mapping: Mapping | None = None) -> Iterator[Case | InputErrors]:
    """Each case of an event table (``fmt`` "csv" or "jsonl"), yielded when its last row is read."""
    name = str(path)
    try:
        f = open(path, "rb")
    except OSError as exc:
        yield InputErrors([InputError(_("the file cannot be read ({reason})").format(reason=exc.strerror or _("unknown error")),
                                            file=name)])
        return
    with f:
        yield from iter_table_stream(f, name, fmt, mapping)


def iter_table_stream(f: Any, name: str, fmt: str, mapping: Mapping | None = None) -> Iterator[Case | InputErrors]:
    """``iter_table`` on an open binary file (standard input, a pipe): read in one pass unless it
    is a regular file."""
    try:
        regular = stat.S_ISREG(os.fstat(f.fileno()).st_mode)
    except (OSError, ValueError):
        regular = False
    if not regular:  # a device or a pipe: no size, maybe no end; one line must not fill memory
        f = line_capped(f, MAX_LINE_BYTES)
    state = _FileState(name, None)
    try:
        if regular:
            if fmt == "jsonl":
                key_of = case_key_function(mapping.case_column() if mapping else "case")
                state.last = _jsonl_candidates(f, key_of, mapping.case_column() if mapping else "case")[0]
            else:
                state.last = _csv_last_lines(f, state, mapping)
                if state.last is None:  # the header is wrong: nothing more can be read
                    yield InputErrors(state.file_errors, file=name)
                    return
            f.seek(0)
        reader = _read_jsonl if fmt == "jsonl" else _read_csv
        yield from reader(f, state, mapping)
        yield from state.flush()
    except _Stop:
        yield state.stopped()
    except OSError as exc:
        yield InputErrors([InputError(_("the file cannot be read ({reason})").format(reason=exc.strerror or _("unknown error")),
                                            file=name)])
