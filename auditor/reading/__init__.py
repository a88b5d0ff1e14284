"""Reading case logs and event tables into validated ``auditor.case.Case`` objects.

The reader's public API, and the only names other packages use:

- ``iter_cases`` walks files and directories and yields each case (with its ``source``) as soon as it
  is read, or an ``InputErrors`` for each input (or each case of a table) that is wrong, so the
  caller can report every bad file and still audit the good ones;
- ``read_case_text`` reads one case log from text, for tests and tools;
- ``load_mapping`` reads a mapping file for another system's export;
- ``Region`` and ``case_key_function`` read one byte range of a JSON Lines table exactly as the
  whole table's reading does, and ``starts_interleaved`` tells a table whose first rows already mix
  many cases, for ``auditor.parallel``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from auditor.case import Case
from auditor.errors import InputError, InputErrors
from auditor.reading.capped import is_stdin, read_capped, regular_or_problem
from auditor.reading.documents import read_case_text
from auditor.reading.mapping import Mapping, load_mapping
from auditor.reading.table import Region, case_key_function, starts_interleaved

__all__ = [
    "iter_cases", "read_case_text", "load_mapping", "Mapping", "Region", "case_key_function", "starts_interleaved",
    "LOG_SUFFIXES", "TABLE_SUFFIXES",
]

LOG_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}
TABLE_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl"}
#: Files bigger than this are refused as single case logs (a table has no such limit: it streams).
MAX_LOG_BYTES = 64 * 1024 * 1024


def _expand(paths: Sequence[str | Path]) -> Iterator[Path | InputErrors]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = []
            skipped = []
            for p in sorted(path.rglob("*")):
                if p.suffix.lower() not in LOG_SUFFIXES and p.suffix.lower() not in TABLE_SUFFIXES:
                    continue
                problem = regular_or_problem(p)
                if problem is None:
                    found.append(p)
                elif problem:  # a dangling symlink, a FIFO, a device: said, never silently left out
                    skipped.append(InputErrors([InputError(problem, file=str(p))]))
            if not found and not skipped:
                yield InputErrors([InputError("the folder holds no case logs (*.yaml, *.yml, *.json, *.csv, *.jsonl)", file=str(path))])
            yield from skipped
            yield from found
        elif path.exists() or is_stdin(raw):
            yield path
        else:
            yield InputErrors([InputError("no such file or folder", file=str(path))])


def _read_log(path: Path, fmt: str) -> Case | InputErrors:
    name = str(path)
    try:
        data = read_capped(path, MAX_LOG_BYTES, "case log")
    except InputError as exc:
        return InputErrors([exc])
    try:
        return read_case_text(data, name, fmt)
    except InputErrors as exc:
        return exc


def iter_cases(paths: Sequence[str | Path], mapping: Path | None = None) -> Iterator[Case | InputErrors]:
    """Yield each case of ``paths`` as it is read, or the problems of each bad input.

    A directory stands for every *.yaml/*.yml/*.json/*.csv/*.jsonl file under it (sorted). A file
    ending .csv or .jsonl is an event table (many cases); ``mapping`` (a mapping file, see
    docs/reading-logs.md) renames a table's columns, activity labels and values. A problem in a file is
    yielded, never raised, so every bad input gets reported.
    """
    from auditor.reading import table

    table_mapping = None
    if mapping is not None:
        try:
            table_mapping = load_mapping(Path(mapping))
        except InputErrors as exc:
            yield exc
            return
    for item in _expand(paths):
        if isinstance(item, InputErrors):
            yield item
            continue
        suffix = item.suffix.lower()
        if is_stdin(item) or (str(item) == "/dev/stdin"):
            from auditor.reading.stdin import iter_stdin

            yield from iter_stdin(str(item), table_mapping, MAX_LOG_BYTES)
        elif suffix in TABLE_SUFFIXES:
            yield from table.iter_table(item, TABLE_SUFFIXES[suffix], table_mapping)
        elif suffix in LOG_SUFFIXES:
            yield _read_log(item, LOG_SUFFIXES[suffix])
        else:
            yield InputErrors([InputError(
                "not a case log or event table: the name must end in .yaml, .yml, .json, .csv or .jsonl", file=str(item)
            )])
