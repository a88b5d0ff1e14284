"""The trainer's view of the records: ``rtw-train history`` (a table) and ``rtw-train export --csv [FILE]``.

Why apart from the store: one job each. The store keeps attempts safe; this module turns them into one row
per attempt (trainee, scenario, started/finished, ending, per-dimension scores) for a terminal or a CSV file.
Errors are one line on stderr and exit status 2, never a traceback. Never imports Textual.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from .records import Attempt, RecordsError, TrainingRecords, explain_error, resolve_db_path

EXIT_USAGE = 2

BASE_COLUMNS = (
    "attempt",
    "trainee",
    "scenario",
    "scenario_version",
    "started",
    "finished",
    "ending",
    "coached",
    "retry_of",
    "retry_from_step",
    "steps",
    "overall",
    "harmful_choices",
    "rubric_version",
)


def dimension_ids(attempts: Iterable[Attempt]) -> list[str]:
    """Every dimension id that appears in these attempts, sorted: one CSV column each."""
    return sorted({key for a in attempts for key in a.dimensions})


def _fmt_score(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def report_rows(attempts: Sequence[Attempt]) -> tuple[list[str], list[list[str]]]:
    """Header and rows for the group's results: one row per attempt, one column per skill dimension."""
    dims = dimension_ids(attempts)
    header = [*BASE_COLUMNS, *dims]
    rows = []
    for a in attempts:
        rows.append(
            [
                str(a.id),
                a.trainee,
                a.scenario_id,
                a.scenario_version,
                a.started_at,
                a.finished_at or "",
                a.ending or "",
                "yes" if a.coached else "no",
                "" if a.retry_of is None else str(a.retry_of),
                "" if a.retry_from_step is None else str(a.retry_from_step),
                str(a.steps),
                _fmt_score(a.overall),
                "" if a.harmful_count is None else str(a.harmful_count),
                a.rubric_version or "",
                *(_fmt_score(a.dimensions.get(d)) for d in dims),
            ]
        )
    return header, rows


def write_csv(attempts: Sequence[Attempt], out: TextIO) -> None:
    header, rows = report_rows(attempts)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)


def write_csv_file(attempts: Sequence[Attempt], target: Path) -> None:
    """Write the CSV atomically (temp file in the same folder, then rename), readable by its owner only."""
    buffer = io.StringIO()
    write_csv(attempts, buffer)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(buffer.getvalue())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise


def format_history(attempts: Sequence[Attempt]) -> str:
    """A plain-text table for the terminal: the same columns a trainer looks at first."""
    if not attempts:
        return "No training attempts recorded yet."
    dims = dimension_ids(attempts)
    header = ["#", "trainee", "scenario", "started", "finished", "ending", "mode", "overall", "rubric", *dims]
    rows = []
    for a in attempts:
        rows.append(
            [
                str(a.id),
                a.trainee,
                a.scenario_id,
                _short_time(a.started_at),
                _short_time(a.finished_at) if a.finished_at else f"unfinished ({a.steps} steps)",
                a.ending or "-",
                ("coach" if a.coached else "plain") + (f", retry of #{a.retry_of}" if a.retry_of else ""),
                _fmt_score(a.overall) or "-",
                a.rubric_version or "-",
                *(_fmt_score(a.dimensions.get(d)) or "-" for d in dims),
            ]
        )
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _short_time(stamp: str | None) -> str:
    """``2025-03-01T09:30:12+00:00`` -> ``2025-03-01 09:30`` (UTC), short enough for a terminal table."""
    if not stamp:
        return ""
    return stamp.replace("T", " ")[:16]


# -------------------------------------------------------------------- CLI commands
def _open_existing(args: Any) -> TrainingRecords | None:
    path = resolve_db_path(getattr(args, "db", None))
    if not path.exists():
        return None
    return TrainingRecords.open(path)


def _filtered(store: TrainingRecords, args: Any) -> list[Attempt]:
    return store.attempts(trainee=getattr(args, "trainee", None), scenario_id=getattr(args, "scenario", None))


def _error(message: str, stderr: TextIO) -> int:
    print(f"rtw-train: error: {message}", file=stderr)
    return EXIT_USAGE


def cli_history(args: Any, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """``rtw-train history``: print every recorded attempt as a table. Exit 0, or 2 with a message."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        store = _open_existing(args)
        if store is None:
            if getattr(args, "csv", False) is True:
                write_csv([], stdout)
            else:
                print("No training attempts recorded yet.", file=stdout)
            return 0
        with store:
            attempts = _filtered(store, args)
        if getattr(args, "csv", False) is True:
            write_csv(attempts, stdout)
        else:
            print(format_history(attempts), file=stdout)
    except RecordsError as exc:
        return _error(exc.message, stderr)
    return 0


def _export_target(args: Any) -> str | None:
    """Where ``export`` writes: a file path, or None for standard output (``--csv`` alone or ``--csv -``)."""
    for name in ("csv", "file", "output"):
        value = getattr(args, name, None)
        if isinstance(value, (str, os.PathLike)) and str(value) not in ("", "-"):
            return str(value)
    return None


def cli_export(args: Any, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """``rtw-train export --csv [FILE]``: the group's results as CSV, to FILE (atomically) or stdout."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    target = _export_target(args)
    try:
        store = _open_existing(args)
        attempts: list[Attempt] = []
        if store is not None:
            with store:
                attempts = _filtered(store, args)
        if target is None:
            write_csv(attempts, stdout)
            return 0
        path = Path(target).expanduser()
        if path.is_dir():
            return _error(f"{path} is a folder; give a file name for the CSV.", stderr)
        if not path.parent.exists():
            return _error(f"the folder {path.parent} does not exist.", stderr)
        write_csv_file(attempts, path)
    except RecordsError as exc:
        return _error(exc.message, stderr)
    except OSError as exc:
        return _error(f"cannot write {target}: {explain_error(exc)}.", stderr)
    print(f"Wrote {len(attempts)} attempt(s) to {target}.", file=stderr)
    return 0
