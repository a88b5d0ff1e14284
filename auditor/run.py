"""One run of ``rtw-audit check``: read, audit and write, serially or in worker processes.

Why here and not in the CLI: whether a run is split across processes (one big grouped JSON Lines
table, see ``auditor.parallel``) or read in one is the engine's decision, and the two ways must give
the same report, the same totals and the same exit status. The CLI only turns its arguments into a
call to ``run_check``; tests and tools call it directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import TextIO

from . import parallel
from .engine import audit_inputs
from .errors import InputError, InputErrors
from .render import RunNotes, WriterOptions
from .render.registry import make_writer
from .render.summary import RunSummary
from .rubric import Rubric
from .waivers import Waivers


@dataclass
class CheckRun:
    """What a run found besides the report it wrote: its totals, whether something at or above
    ``fail_on`` was violated (and not waived), and the input problems."""

    summary: RunSummary
    violated: bool
    input_errors: list[InputError] = field(default_factory=list)


def run_check(
    paths: Sequence[str | Path],
    rubric: Rubric,
    out: TextIO,
    *,
    fmt: str = "text",
    show_pending: bool = True,
    fail_on: str = "error",
    as_of: date | None = None,
    mapping: Path | None = None,
    jobs: int | None = None,
    part_dir: str | None = None,
    waivers: Waivers | None = None,
    on_errors: Callable[[list[InputError]], None] = lambda errors: None,
) -> CheckRun:
    """Audit ``paths`` and write the report in format ``fmt`` to ``out``; ``on_errors`` hears of each
    input's problems as they are found (the CLI prints them on stderr)."""
    jobs = jobs or parallel.default_jobs()
    options = WriterOptions(show_pending=show_pending)
    run = CheckRun(RunSummary(), False)
    parts = None
    table = parallel.table_for([str(p) for p in paths], jobs)
    if table is not None:  # one big .jsonl table: audited in worker processes when it can be split
        part_writer = partial(_part_writer, fmt, rubric, options)
        parts = parallel.audit_table(
            table, rubric, out, jobs=jobs, writer=part_writer, fail_on=fail_on, as_of=as_of,
            mapping=mapping, part_dir=part_dir, waivers=waivers,
        )
    try:
        writer = make_writer(fmt, out, rubric, options)
        if parts is not None:
            for item in parts.errors:
                run.input_errors.extend(item.errors)
                on_errors(item.errors)
            run.summary, run.violated = parts.summary, parts.violated
            parts.write_bodies(out, writer.part_prefix)
        else:
            for audit in audit_inputs(paths, rubric, mapping=mapping, as_of=as_of, waivers=waivers):
                if isinstance(audit, InputErrors):
                    run.input_errors.extend(audit.errors)
                    on_errors(audit.errors)
                    continue
                run.summary.add(audit)
                writer.case(audit)
                if fail_on != "never" and audit.violated_at_or_above(fail_on):
                    run.violated = True
        notes = RunNotes(input_errors=[str(e) for e in run.input_errors])
        if waivers is not None:
            notes.expired_waivers = waivers.expired_notes()
            notes.unused_waivers = waivers.unused_notes()
        writer.finish(run.summary, notes)
    finally:
        if parts is not None:
            parts.cleanup()
    return run


def _part_writer(fmt: str, rubric: Rubric, options: WriterOptions, out: TextIO):
    """A writer for one part of a parallel run: the run's format, without the document's header."""
    return make_writer(fmt, out, rubric, WriterOptions(show_pending=options.show_pending, header=False))
