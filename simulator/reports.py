"""The trainer's view of the records: ``rtw-train history`` (a table) and ``rtw-train export --csv [FILE]``.

Why apart from the store: one job each. The store keeps attempts safe; this module turns them into one row
per attempt (trainee, scenario, started/finished, ending, per-dimension scores) for a terminal or a CSV file.
Errors are one line on stderr and exit status 2, never a traceback. Never imports Textual.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from auditor.atomic import OutputError, atomic_writer  # one safe-output rule for both tools
from auditor.i18n import current_language
from auditor.safe_text import csv_writer, for_terminal

from .i18n import N_, _
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
    "language",
)


def dimension_ids(attempts: Iterable[Attempt]) -> list[str]:
    """Every dimension id that appears in these attempts, sorted: one CSV column each."""
    return sorted({key for a in attempts for key in a.dimensions})


def attempt_language(attempt: Attempt) -> str | None:
    """The language the attempt was played in ("en", "fr"), or None for an attempt recorded before the
    records kept it. Read defensively: older record files, and the records module, may not have it."""
    language = getattr(attempt, "language", None)
    return language if isinstance(language, str) and language else None


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
                attempt_language(a) or "",
                *(_fmt_score(a.dimensions.get(d)) for d in dims),
            ]
        )
    return header, rows


def write_csv(attempts: Sequence[Attempt], out: TextIO) -> None:
    header, rows = report_rows(attempts)
    writer = csv_writer(out, lineterminator="\n")  # a trainee's pseudonym could start a formula
    writer.writerow(header)
    writer.writerows(rows)


def write_csv_file(attempts: Sequence[Attempt], target: Path, inputs: Sequence[Path] = ()) -> None:
    """Write the CSV atomically, readable by its owner only; never onto one of ``inputs`` (the
    database), never replacing a symlink or a device (see ``auditor.atomic``, shared by both tools)."""
    buffer = io.StringIO()
    write_csv(attempts, buffer)
    with atomic_writer(target, newline="", inputs=inputs, private=True) as fh:
        fh.write(buffer.getvalue())


#: ``rtw-train history`` fits a terminal this wide; the per-skill scores are in ``export --csv``.
HISTORY_WIDTH = 100
# column caps (characters): trainee, scenario title, mode, rubric version; the rest have fixed widths
_CAPS = {"trainee": 14, "scenario": 24, "mode": 18, "rubric": 6, "score": 10}
# The table's headings, said in the active language when the table is drawn.
_HEADINGS = (N_("#"), N_("trainee"), N_("scenario"), N_("lang"), N_("started"), N_("mode"), N_("rubric"), N_("score"))
NO_ATTEMPTS = N_("No training attempts recorded yet.")


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def format_history(attempts: Sequence[Attempt], titles: dict[str, str] | None = None) -> str:
    """A plain-text table for the terminal, at most ``HISTORY_WIDTH`` columns: who, which scenario
    (its title, not its internal id), when, how (coach or plain mode, retry of which attempt) and
    the overall score. Every text is made terminal-safe (a name or title could hold escape codes)."""
    if not attempts:
        return _(NO_ATTEMPTS)
    titles = titles or {}
    header = [_(heading) for heading in _HEADINGS]
    rows = []
    for a in attempts:
        if a.retry_of:
            mode = (_("coach, retry #{attempt}") if a.coached else _("plain, retry #{attempt}")).format(attempt=a.retry_of)
        else:
            mode = _("coach") if a.coached else _("plain")
        if a.finished_at:
            score = _fmt_score(a.overall) or "-"
        else:
            score = _("open ({steps})").format(steps=a.steps)
        rows.append([
            str(a.id),
            _fit(for_terminal(a.trainee), _CAPS["trainee"]),
            _fit(for_terminal(titles.get(a.scenario_id, a.scenario_id)), _CAPS["scenario"]),
            attempt_language(a) or "-",
            _short_time(a.started_at),
            _fit(mode, _CAPS["mode"]),
            _fit(for_terminal(a.rubric_version or "-"), _CAPS["rubric"]),
            _fit(score, _CAPS["score"]),
        ])
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    lines.extend(_("score: overall, 0-100, under the listening rubric's version shown; open (n): unfinished after n\n"
                   "choices. Per skill: export --csv FILE").splitlines())
    return "\n".join(_fit(line, HISTORY_WIDTH) for line in lines)


def scenario_titles(folder: str | None = None) -> dict[str, str]:
    """Each scenario id's title, from ``folder`` (or the packaged scenarios); {} if they cannot be read
    (history then shows ids: a broken scenario folder must not hide the records)."""
    try:
        from .loader import load_scenarios

        return {sc.id: sc.title for sc in load_scenarios(folder)}
    except Exception:  # noqa: BLE001 - any failure falls back to ids
        return {}


def _short_time(stamp: str | None) -> str:
    """``2025-03-01T09:30:12+00:00`` -> ``2025-03-01 09:30`` (UTC), short enough for a terminal table; in
    French ``2025-03-01 09 h 30`` (Québec's short date is the ISO one; the hour is written with "h")."""
    if not stamp:
        return ""
    short = stamp.replace("T", " ")[:16]
    if current_language() == "fr" and len(short) == 16 and short[13] == ":":
        return f"{short[:13]} h {short[14:]}"
    return short


# -------------------------------------------------------------------- CLI commands
def _open_existing(args: Any) -> TrainingRecords | None:
    path = resolve_db_path(getattr(args, "db", None))
    if not path.exists():
        return None
    return TrainingRecords.open_readonly(path)  # reading only: a read-only copy must do


def _filtered(store: TrainingRecords, args: Any) -> list[Attempt]:
    return store.attempts(trainee=getattr(args, "trainee", None), scenario_id=getattr(args, "scenario", None))


def _error(message: str, stderr: TextIO) -> int:
    print(_("rtw-train: error: {message}").format(message=message), file=stderr)
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
                print(_(NO_ATTEMPTS), file=stdout)
            return 0
        with store:
            attempts = _filtered(store, args)
        if getattr(args, "csv", False) is True:
            write_csv(attempts, stdout)
        else:
            print(format_history(attempts, scenario_titles(getattr(args, "scenarios", None))), file=stdout)
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
        write_csv_file(attempts, path, inputs=[resolve_db_path(getattr(args, "db", None))])
    except OutputError as exc:
        return _error(for_terminal(str(exc)), stderr)
    except RecordsError as exc:
        return _error(exc.message, stderr)
    except OSError as exc:
        return _error(_("cannot write {file}: {reason}.").format(file=target, reason=explain_error(exc)), stderr)
    print(_("Wrote {count} attempt(s) to {file}.").format(count=len(attempts), file=target), file=stderr)
    return 0
