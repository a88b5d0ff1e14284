"""``rtw-audit report``: its options, and the run from case logs to one written report.

Exit status: 0 a report was written; 2 the arguments or an input could not be used. On any input
error every problem is printed and *no* report is written: a committee must never be handed a report
that silently left part of the caseload out.
"""

from __future__ import annotations

import argparse
import calendar
import os
import re
import sys
from datetime import date
from pathlib import Path

from .model import COMMITTEE, COORDINATOR

FORMATS = ("html", "markdown", "csv", "json")
MIN_COUNT_FLOOR = 5
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
    raise argparse.ArgumentTypeError(f"{text!r} is not a month (YYYY-MM) or a date (YYYY-MM-DD)")


def _from_date(text: str) -> date:
    return _period_date(text, end=False)


def _to_date(text: str) -> date:
    return _period_date(text, end=True)


def _min_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < MIN_COUNT_FLOOR:
        raise argparse.ArgumentTypeError(
            f"{value} is below {MIN_COUNT_FLOOR}: a committee report never shows counts under {MIN_COUNT_FLOOR}"
        )
    return value


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """The report's own options (``paths``, ``--rubric``, ``--mapping``, ``--as-of`` come from the CLI)."""
    parser.add_argument("--from", dest="period_from", type=_from_date, metavar="YYYY-MM[-DD]",
                        help="only cases whose process started on or after this month/day")
    parser.add_argument("--to", dest="period_to", type=_to_date, metavar="YYYY-MM[-DD]",
                        help="only cases whose process started on or before this month/day")
    parser.add_argument("--by", choices=("quarter", "month"), default="quarter",
                        help="group the change over time by quarter (default) or month of process start")
    parser.add_argument("--format", choices=FORMATS, default="html", dest="report_format",
                        help="html (default, self-contained, printable), markdown, csv (the rule table) or json")
    parser.add_argument("--output", "-o", type=Path, help="write the report to this file (atomically); default: stdout")
    parser.add_argument("--audience", choices=(COMMITTEE, COORDINATOR), default=COMMITTEE,
                        help="committee (default): safe to share, small counts withheld; coordinator: lists case ids")
    parser.add_argument("--min-count", type=_min_count, default=None, metavar="N",
                        help=f"withhold counts below N (default and minimum: {MIN_COUNT_FLOOR}); committee audience")


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


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


def run_report(args) -> int:
    from ..cli import EXIT_INPUT, EXIT_OK, print_errors
    from ..engine import audit_inputs
    from ..errors import InputError
    from ..rubric import load_rubric
    from .aggregate import Aggregate
    from .model import DisclosureError, build_report

    period_from = getattr(args, "period_from", None)
    period_to = getattr(args, "period_to", None)
    if period_from and period_to and period_from > period_to:
        sys.stderr.write(f"rtw-audit: error: --from {period_from.isoformat()} is after --to {period_to.isoformat()}\n")
        return EXIT_INPUT
    audience = getattr(args, "audience", COMMITTEE)
    min_count = getattr(args, "min_count", None)
    if audience == COORDINATOR and min_count is not None:
        sys.stderr.write("rtw-audit: note: --min-count applies to the committee audience; the coordinator's report withholds nothing\n")
    min_count = min_count or MIN_COUNT_FLOOR

    rubric = load_rubric(args.rubric)  # a bad rubric raises InputErrors: printed by the CLI, exit 2
    agg = Aggregate(rubric, by=getattr(args, "by", "quarter"), start_from=period_from, start_to=period_to,
                    keep_cases=audience == COORDINATOR)
    errors: list[InputError] = []
    for item in audit_inputs(args.paths, rubric, mapping=args.mapping, as_of=args.as_of):
        if not hasattr(item, "results"):  # InputErrors
            errors.extend(item.errors)
            print_errors(item.errors)
            continue
        if not errors:  # after the first problem, keep reading only to report every problem
            agg.add(item)
    if errors:
        sys.stderr.write(f"rtw-audit: {len(errors)} input problem(s); no report written (fix them and run again)\n")
        return EXIT_INPUT
    if agg.cases == 0 and agg.skipped == 0:
        sys.stderr.write("rtw-audit: no case logs found in the given paths; no report written\n")
        return EXIT_INPUT
    if agg.cases == 0:
        sys.stderr.write("rtw-audit: note: no case's process started in the period; the report is empty\n")

    try:
        report = build_report(agg, audience=audience, min_count=min_count, period_from=period_from, period_to=period_to)
    except DisclosureError as exc:  # pragma: no cover - never seen in the property tests
        sys.stderr.write(f"rtw-audit: error: {exc}\n")
        return EXIT_INPUT
    fmt = getattr(args, "report_format", "html")
    if args.output is None:
        render(report, fmt, sys.stdout)
    else:
        from ..atomic import atomic_writer

        newline = "" if fmt == "csv" else None
        # A report is a document to share: the usual permissions (umask), not mkstemp's 0600.
        with atomic_writer(args.output, mode=0o666 & ~_umask(), newline=newline) as out:
            render(report, fmt, out)
    return EXIT_OK
