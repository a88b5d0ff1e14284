"""``rtw-audit report``: its options, and the run from case logs to one written report.

Exit status: 0 a report was written; 2 the arguments, the committee settings or an input could not be
used, or a committee report would be unsafe (fewer cases than the committee's minimum). On any input
error every problem is printed and *no* report is written: a committee must never be handed a report
that silently left part of the caseload out.

The committee's disclosure parameters come from its settings file (``settings.py``), never from flags:
a reader who could vary the threshold or the grain run by run could difference two reports.
"""

from __future__ import annotations

import argparse
import calendar
import os
import re
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from ..errors import UsageError
from ..i18n import current_language, set_language
from ..i18n_domains import _
from .model import COMMITTEE, COORDINATOR, window_problem
from .settings import FILE_NAME

FORMATS = ("html", "markdown", "csv", "json")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _period_date(text: str, *, end: bool) -> date:
    """YYYY-MM (the month's first day for --from, its last for --to) or YYYY-MM-DD."""
    m = _MONTH.match(text)
    try:
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            day = calendar.monthrange(year, month)[1] if end else 1
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(_("{text} is not a month (YYYY-MM) or a date (YYYY-MM-DD)").format(text=repr(text)))


def _from_date(text: str) -> date:
    return _period_date(text, end=False)


def _to_date(text: str) -> date:
    return _period_date(text, end=True)


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """The report's own options (``paths``, ``--rubric``, ``--mapping``, ``--as-of`` come from the CLI)."""
    parser.add_argument("--from", dest="period_from", type=_from_date, metavar="YYYY-MM[-DD]",
                        help=_("only cases whose process started on or after this month/day"))
    parser.add_argument("--to", dest="period_to", type=_to_date, metavar="YYYY-MM[-DD]",
                        help=_("only cases whose process started on or before this month/day"))
    parser.add_argument("--by", choices=("month", "quarter", "half", "year"), default=None,
                        help=_("coordinator audience: group the change over time by month, quarter (default), half or "
                               "year; a committee report uses its settings' period"))
    parser.add_argument("--format", choices=FORMATS, default="html", dest="report_format",
                        help=_("html (default, self-contained, printable), markdown, csv (the rule table) or json"))
    parser.add_argument("--output", "-o", type=Path, help=_("write the report to this file (atomically); default: stdout"))
    parser.add_argument("--audience", choices=(COMMITTEE, COORDINATOR), default=COMMITTEE,
                        help=_("committee (default): safe to share, small counts withheld; coordinator: lists case ids"))
    parser.add_argument("--settings", type=Path, default=None, metavar="FILE",
                        help=_("the committee's settings (rounding key, threshold, period, minimum caseload); "
                               "default: {file} beside the first input (its folder or file)").format(file=FILE_NAME))
    parser.add_argument("--new-settings", type=Path, default=None, metavar="FILE",
                        help=_("write a new committee settings file with a fresh secret key (never overwrites), then use it"))


@contextmanager
def _speaking(language: str):
    """The active language set to ``language`` for a block, and restored after it, whatever happens."""
    before = current_language()
    set_language(language)
    try:
        yield
    finally:
        set_language(before)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


#: Formats whose texts are part of a stable, machine-read shape: built and written in English.
ENGLISH_FORMATS = ("csv", "json")


def render(report, fmt: str, out) -> None:
    if fmt == "html":
        from .html import write_html as writer
    elif fmt == "markdown":
        from .markdown import write_markdown as writer
    elif fmt == "csv":
        from .csv_out import write_csv as writer
    else:
        from .json_out import write_json as writer
    writer(report, out)


def committee_settings(args):
    """The committee's settings (written first with --new-settings); raises InputError or returns None."""
    from ..atomic import atomic_writer
    from .settings import find_settings, new_settings_text, read_settings

    new = getattr(args, "new_settings", None)
    if new is not None:
        if new.exists():
            raise ValueError(_("{file} already exists: --new-settings never overwrites a key (use --settings {file})").format(file=new))
        with atomic_writer(new, mode=0o600) as out:  # the key is a secret: readable by its owner only
            out.write(new_settings_text())
        return read_settings(new)
    path = getattr(args, "settings", None) or find_settings([Path(p) for p in args.paths])
    return None if path is None else read_settings(path)


def _parallel_counts(args, rubric, agg, waivers) -> list | None:
    """The counts of each region of one big grouped JSON Lines table, from worker processes
    (``auditor.parallel``, as ``check`` does), or None: the serial path then reads the input."""
    from .. import parallel

    jobs = parallel.default_jobs()
    table = parallel.table_for([str(p) for p in args.paths], jobs)
    if table is None:
        return None
    return parallel.region_results(table, rubric, jobs=jobs, sink=agg.empty_copy, as_of=args.as_of,
                                   mapping=args.mapping, waivers=waivers)


def run_report(args) -> int:
    from ..cli import EXIT_INPUT, EXIT_OK, print_errors
    from ..engine import audit_inputs
    from ..errors import InputError, InputErrors
    from ..rubric import load_rubric
    from .aggregate import Aggregate
    from .model import DisclosureError, build_report
    from .rounding import Rounder

    if not args.paths:
        if getattr(args, "new_settings", None) is None:
            raise UsageError(_("the following arguments are required: {0}").format("PATH"))
        try:
            committee_settings(args)
        except (ValueError, OSError) as exc:
            raise UsageError(str(exc)) from None
        sys.stdout.write(_("wrote {file}: keep it with the logs, or name it with --settings {file}").format(
            file=args.new_settings) + "\n")
        return EXIT_OK
    period_from = getattr(args, "period_from", None)
    period_to = getattr(args, "period_to", None)
    if period_from and period_to and period_from > period_to:
        raise UsageError(_("--from {start} is after --to {end}").format(start=period_from.isoformat(), end=period_to.isoformat()))
    audience = getattr(args, "audience", COMMITTEE)
    by = getattr(args, "by", None)
    settings = None
    if audience == COMMITTEE:
        if by is not None:
            raise UsageError(_("--by is for the coordinator audience: a committee report is grouped by the period set in "
                           "its settings file ({file}), the same for every report").format(file=FILE_NAME))
        try:
            settings = committee_settings(args)
        except InputError as exc:
            print_errors([exc])
            return EXIT_INPUT
        except (ValueError, OSError) as exc:
            raise UsageError(str(exc)) from None
        if settings is None:
            raise UsageError(_("no committee settings found: a committee report needs {file} beside the logs "
                           "(next to their folder or file) or --settings FILE (its secret key fixes the rounding). "
                           "Make one with --new-settings {file}, or use --audience coordinator for your own exact "
                           "view (not to share)").format(file=FILE_NAME))
        by = settings.period
        for day, end, flag in ((period_from, False, "--from"), (period_to, True, "--to")):
            problem = window_problem(day, by, end=end) if day else None
            if problem:
                raise UsageError(f"{flag} {problem}")
    by = by or "quarter"

    rubric = load_rubric(args.rubric)  # a bad rubric raises InputErrors: printed by the CLI, exit 2
    agg = Aggregate(rubric, by=by, start_from=period_from, start_to=period_to, keep_cases=audience == COORDINATOR)
    errors: list[InputError] = []
    waivers = None
    if getattr(args, "waivers", None) is not None:  # counted per rule; their justifications are never read here
        from ..waivers import load_waivers

        waivers = load_waivers(args.waivers, rubric, args.as_of or date.today())
    parts = _parallel_counts(args, rubric, agg, waivers)  # one big grouped table: counted in worker processes
    for part in parts or ():
        agg.merge(part)
    for item in () if parts is not None else audit_inputs(args.paths, rubric, mapping=args.mapping, as_of=args.as_of,
                                                             waivers=waivers):
        if isinstance(item, InputErrors):
            errors.extend(item.errors)
            print_errors(item.errors)
            continue
        if not errors:  # after the first problem, keep reading only to report every problem
            agg.add(item)
    if errors:
        sys.stderr.write(_("rtw-audit: {count} input problem(s); no report written (fix them and run again)").format(
            count=len(errors)) + "\n")
        return EXIT_INPUT
    if agg.cases == 0 and agg.skipped == 0:
        sys.stderr.write(_("rtw-audit: no case logs found in the given paths; no report written") + "\n")
        return EXIT_INPUT
    if agg.cases == 0:
        sys.stderr.write(_("rtw-audit: note: no case's process started in the period; the report is empty") + "\n")

    fmt = getattr(args, "report_format", "html")
    written_in = "en" if fmt in ENGLISH_FORMATS else current_language()
    try:
        with _speaking(written_in):  # the record's texts are built in the language its format is written in
            if settings is not None:
                report = build_report(agg, audience=audience, rounder=Rounder(settings.key_bytes, settings.rounding_base),
                                      threshold=settings.threshold, minimum_caseload=settings.minimum_caseload,
                                      period_from=period_from, period_to=period_to)
            else:
                report = build_report(agg, audience=audience, period_from=period_from, period_to=period_to)
    except DisclosureError as exc:
        raise UsageError(_("{reason}; no report written. A committee report over so few cases would describe individual "
                       "people. What can be shown instead: a longer period (an earlier --from, or no period) that "
                       "gathers at least {minimum} cases, or your own exact view with --audience coordinator (not to "
                       "share)").format(reason=exc, minimum=settings.minimum_caseload if settings else _("the minimum"))) from None
    with _speaking(written_in):
        if args.output is None:
            render(report, fmt, sys.stdout)
        else:
            from ..atomic import atomic_writer

            newline = "" if fmt == "csv" else None
            # A report is a document to share: the usual permissions (umask), not mkstemp's 0600.
            inputs = [*args.paths, getattr(args, "rubric", None), getattr(args, "mapping", None),
                      getattr(args, "waivers", None)]
            with atomic_writer(args.output, mode=0o666 & ~_umask(), newline=newline, inputs=inputs) as out:
                render(report, fmt, out)
    return EXIT_OK
