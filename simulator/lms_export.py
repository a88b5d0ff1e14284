"""``rtw-train export --xapi FILE`` and ``--lrs URL``: the group's attempts for a learning-management system.

Why a module of its own: the CSV export is a table for the trainer; this one turns the same records into
xAPI statements (``simulator.xapi``) and writes them to a file an LMS imports, or sends them to a learning
record store (``simulator.lrs``). Errors are one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from auditor.atomic import OutputError, atomic_writer  # one safe-output rule for both tools
from auditor.safe_text import for_terminal

from .i18n import _
from .lrs import LRSError, Sender, auth_header
from .records import RecordsError, TrainingRecords, resolve_db_path
from .xapi import DEFAULT_HOMEPAGE, AttemptRecord, statements

EXIT_USAGE = 2


def collect(store: TrainingRecords, *, trainee: str | None = None, scenario: str | None = None) -> list[AttemptRecord]:
    """Every attempt (filtered) with its decisions and thresholds, ready to become statements."""
    records = []
    attempts = store.attempts(trainee=trainee, scenario_id=scenario)
    choices = store.choices_of_many([a.id for a in attempts])
    for attempt in attempts:
        records.append(
            AttemptRecord(
                attempt=attempt,
                choices=choices.get(attempt.id, []),
                thresholds=store.thresholds_of(attempt.id),
                language=getattr(attempt, "language", None) or "en",
            )
        )
    return records


def build_statements(args: Any) -> list[dict[str, Any]]:
    path = resolve_db_path(getattr(args, "db", None))
    if not path.exists():
        return []
    with TrainingRecords.open_readonly(path) as store:  # reading only: a read-only copy must do
        records = collect(store, trainee=getattr(args, "trainee", None), scenario=getattr(args, "scenario", None))
    return statements(records, homepage=getattr(args, "xapi_homepage", None) or DEFAULT_HOMEPAGE)


def write_statements(items: list[dict[str, Any]], target: Path, inputs: list[Path] | None = None) -> None:
    """The statements as one JSON array, written atomically and readable by the owner only; never onto the
    records file itself (``auditor.atomic``, shared by both tools)."""
    with atomic_writer(target, inputs=inputs or [], private=True) as handle:
        json.dump(items, handle, ensure_ascii=True, indent=2)
        handle.write("\n")


def cli_export_lms(args: Any, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        items = build_statements(args)
    except RecordsError as exc:
        print(_("rtw-train: error: {message}").format(message=exc.message), file=stderr)
        return EXIT_USAGE
    target = getattr(args, "xapi", None)
    if target is not None:
        if target == "-":
            json.dump(items, stdout, ensure_ascii=True, indent=2)
            stdout.write("\n")
        else:
            path = Path(target).expanduser()
            try:
                write_statements(items, path, inputs=[resolve_db_path(getattr(args, "db", None))])
            except OutputError as exc:
                print(_("rtw-train: error: {message}").format(message=for_terminal(str(exc))), file=stderr)
                return EXIT_USAGE
            except OSError as exc:
                print(_("rtw-train: error: {message}").format(
                    message=_("cannot write {file}: {reason}.").format(file=target, reason=exc.strerror or exc)), file=stderr)
                return EXIT_USAGE
            print(_("Wrote {count} xAPI statement(s) to {file}.").format(count=len(items), file=target), file=stderr)
    url = getattr(args, "lrs", None)
    if url:
        try:
            report = Sender(url, authorization=auth_header()).send(items)
        except LRSError as exc:
            print(_("rtw-train: error: {message}").format(message=exc), file=stderr)
            return EXIT_USAGE
        if report.already_stored:
            sent = _("Sent {count} xAPI statement(s) to the LRS, {stored} already there.")
        else:
            sent = _("Sent {count} xAPI statement(s) to the LRS.")
        print(sent.format(count=report.sent, stored=report.already_stored), file=stderr)
    return 0
