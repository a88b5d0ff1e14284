"""``rtw-audit``: the command line over the auditor's engine.

Exit status, as linters do: 0 nothing at or above ``--fail-on`` is violated, 1 something is,
2 the input or the arguments could not be used (nothing is judged on an unusable input); 141 the
reader of the output went away before the end (``| head``: the result is unknown, never 0); 143
stopped by SIGTERM (workers and temporary files are cleaned up first).
"""

from __future__ import annotations

import argparse
import re
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TextIO

from . import __version__
from .atomic import part_dir_for
from .errors import InputError, InputErrors, UsageError
from .i18n import LANGUAGES, current_language, language_from_argv, set_language
from .i18n_domains import _, ngettext
from .render import step_heading
from .render.registry import formats
from .report.cli import add_report_arguments, run_report
from .rule_text import rubric_name, rule_field, rule_name
from .safe_text import for_terminal
from .stopping import pipe_closed, signals_as_exit

EXIT_OK, EXIT_VIOLATIONS, EXIT_INPUT = 0, 1, 2


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{text} is not a date (YYYY-MM-DD)").format(text=repr(text))) from None


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(_("{text} is not a number of jobs (1 or more)").format(text=repr(text)))
    return value


def _lang_option(parser: argparse.ArgumentParser, *, default) -> None:
    """``--lang`` on the command and on every subcommand (``rtw-audit check … --lang fr`` reads naturally).
    The language is already set from the command line before the parser is built (``main``); this option
    is declared so that argparse accepts it, lists it and refuses a language it does not know."""
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=default,
        help=_("language of messages and reports (default: from the locale: LC_ALL, LC_MESSAGES, then LANG)"),
    )


def build_parser() -> argparse.ArgumentParser:
    from .localized_argparse import LocalizedParser

    parser = LocalizedParser(prog="rtw-audit", description=_("Check return-to-work case logs against the guides' rules."))
    parser.add_argument("--version", action="version", version=f"rtw-audit {__version__}",
                        help=_("show program's version number and exit"))
    _lang_option(parser, default=None)
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=LocalizedParser)

    def rubric_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--rubric", type=Path, help=_("a rubric file (e.g. one that `extends: default`); default: the built-in rules"))
        p.add_argument("--mapping", type=Path, help=_("a mapping file for event tables exported from another system"))
        p.add_argument("--as-of", type=_date, dest="as_of", help=_("judge pending windows as of this date (YYYY-MM-DD)"))
        p.add_argument(
            "--waivers", type=Path, metavar="FILE",
            help=_("justified exceptions: findings they cover are shown (check) or counted (report) as waived, "
                   "and do not fail the run (docs/waivers.md)"),
        )

    check = sub.add_parser("check", help=_("audit case logs and print the findings"))
    check.add_argument("paths", nargs="+", metavar="PATH",
                       help=_("case logs (.yaml/.yml/.json), event tables (.csv/.jsonl) or directories"))
    rubric_options(check)
    check.add_argument("--format", choices=formats(), default=formats()[0])
    check.add_argument(
        "--fail-on",
        choices=("error", "warning", "info", "never"),
        default="error",
        help=_("exit 1 when a rule of at least this severity is violated (default: error)"),
    )
    check.add_argument("--output", "-o", type=Path, help=_("write the report to this file (atomically) instead of stdout"))
    check.add_argument("--no-pending", action="store_true", help=_("text format: list violations only"))
    check.add_argument(
        "--jobs", "-j", type=_jobs, default=None, metavar="N",
        help=_("worker processes for one large grouped .jsonl table (default: up to 2 cores; 1: no workers)"),
    )

    rules = sub.add_parser("rules", help=_("list the rules of the rubric"))
    rules.add_argument("--rubric", type=Path)
    rules.add_argument("--format", choices=("text", "json"), default="text")

    explain = sub.add_parser("explain", help=_("explain one rule: what it checks, why, its parameters and source"))
    explain.add_argument("code", help=_("a rule code, e.g. RTW405"))
    explain.add_argument("--rubric", type=Path)

    templates = sub.add_parser("templates", help=_("list the check templates, event sets and named checks a rubric can use"))

    report = sub.add_parser("report", help=_("the committee's fidelity report across many case logs"))
    # PATH may be left out only to write the settings first: ``report --new-settings FILE``.
    report.add_argument("paths", nargs="*", metavar="PATH")
    rubric_options(report)
    add_report_arguments(report)
    for subcommand in (check, rules, explain, templates, report):
        _lang_option(subcommand, default=argparse.SUPPRESS)
    return parser


def print_errors(errors: list[InputError], stream: TextIO | None = None) -> None:
    stream = stream or sys.stderr
    for err in errors:
        stream.write(_("rtw-audit: input error: {problem}").format(problem=for_terminal(err)) + "\n")


def _load_rubric(path: Path | None):
    from .rubric import load_rubric

    return load_rubric(path)


@contextmanager
def _output(path: Path | None, inputs=()):
    """stdout, or a file written atomically: the old file stays whole until the new one is complete."""
    if path is None:
        yield sys.stdout
        return
    from .atomic import atomic_writer

    with atomic_writer(path, inputs=inputs, read_suffixes=_read_suffixes()) as handle:
        yield handle


def _read_suffixes():
    from .reading import LOG_SUFFIXES, TABLE_SUFFIXES

    return [*LOG_SUFFIXES, *TABLE_SUFFIXES]


def cmd_check(args) -> int:
    from .run import run_check

    rubric = _load_rubric(args.rubric)
    waivers = None
    if args.waivers is not None:
        from .waivers import load_waivers

        waivers = load_waivers(args.waivers, rubric, args.as_of or date.today())
    with _output(args.output, [*args.paths, args.rubric, args.mapping, args.waivers]) as out:
        run = run_check(
            args.paths, rubric, out, fmt=args.format, show_pending=not args.no_pending, fail_on=args.fail_on,
            as_of=args.as_of, mapping=args.mapping, jobs=args.jobs, waivers=waivers,
            part_dir=part_dir_for(args.output), on_errors=print_errors,
        )
    if run.input_errors:
        sys.stderr.write(_("rtw-audit: some input could not be read; the results above are incomplete (exit 2)") + "\n")
        return EXIT_INPUT
    if run.summary.cases == 0:
        sys.stderr.write(_("rtw-audit: no case logs found in the given paths") + "\n")
        return EXIT_INPUT
    return EXIT_VIOLATIONS if run.violated else EXIT_OK


def cmd_rules(args) -> int:
    import json

    rubric = _load_rubric(args.rubric)
    if args.format == "json":
        rows = [
            {
                "code": r.code, "name": r.spec.name, "step": r.spec.step, "severity": r.severity,
                "summary": r.spec.summary, "source": r.spec.source, "params": r.spec.params,
            }
            for r in rubric.rules
        ]
        sys.stdout.write(json.dumps({"rubric": rubric.name, "rules": rows, "disabled": rubric.disabled}, indent=2) + "\n")
        return EXIT_OK
    current = None
    # The severity column as wide as its longest word in the language shown ("warning": 7 in English).
    width = max(len(severity_word(s)) for s in ("error", "warning", "info"))
    for rule in rubric.rules:
        if rule.spec.step != current:
            current = rule.spec.step
            sys.stdout.write(f"\n{step_heading(current, rubric.steps[current])}\n")
        sys.stdout.write(f"  {rule.code}  {severity_word(rule.severity):<{width}}  {rule_name(rule.spec)}\n")
    if rubric.disabled:
        sys.stdout.write("\n" + _("disabled by the rubric: {codes}").format(codes=", ".join(rubric.disabled)) + "\n")
    count = len(rubric.rules)
    sys.stdout.write("\n" + ngettext(
        "{count} rule ({rubric}). `rtw-audit explain CODE` tells more about one.",
        "{count} rules ({rubric}). `rtw-audit explain CODE` tells more about one.",
        count,
    ).format(count=count, rubric=rubric_name(rubric)) + "\n")
    return EXIT_OK


def cmd_explain(args) -> int:
    import difflib
    import textwrap

    rubric = _load_rubric(args.rubric)
    code = args.code.upper()
    rule = rubric.rule(code)
    if rule is None:
        guess = difflib.get_close_matches(code, rubric.all_codes(), n=1)
        if guess:
            raise UsageError(_("no rule {code} in the rubric; did you mean {guess}?").format(code=repr(args.code), guess=guess[0]))
        raise UsageError(_("no rule {code} in the rubric").format(code=repr(args.code)))
    spec = rule.spec
    step = rubric.steps[spec.step]
    # Runs of ASCII white space only: a French text's no-break spaces (before ":", inside « ») must stay.
    # French keeps "rassurez-le" whole; English wraps at hyphens as it always has.
    hyphens = current_language() != "fr"
    wrap = lambda text: textwrap.fill(re.sub(r"[ \t\r\n]+", " ", text).strip(), width=88,  # noqa: E731
                                      initial_indent="  ", subsequent_indent="  ", break_on_hyphens=hyphens)
    out = [
        f"{spec.code} {rule_name(spec)}  ({severity_word(spec.severity)})",
        step_heading(spec.step, step),
        "",
        _("What it checks:"),
        wrap(rule_field(spec, "summary")),
        "",
        _("Why:"),
        wrap(rule_field(spec, "explanation")),
        "",
    ]
    if spec.next_step:
        out += [_("What to do next when it is violated:"), wrap(rule_field(spec, "next_step")), ""]
    if spec.pending_step:
        out += [_("While it is pending:"), wrap(rule_field(spec, "pending_step")), ""]
    out += [_("Parameters:")]
    follows = _followed_params(spec.check, rubric)
    followers = _followers(spec.code, rubric)
    if spec.params or follows:
        out += [
            f"  {k}: {_param_value(v)}"
            + (" " + _("(also followed by {codes})").format(codes=", ".join(followers[k])) if k in followers else "")
            for k, v in spec.params.items()
        ]
        out += [f"  {name}: {_param_value(value)} " + _("(follows {code}'s `{name}`)").format(code=code, name=name)
                for code, name, value in follows]
    else:
        out.append("  " + _("(none)"))
    out += ["", _("Check template: {template}").format(template=spec.check.get("template")), "",
            _("Source:"), wrap(rule_field(spec, "source")), ""]
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK


def _param_value(value) -> str:
    """A parameter as a rubric author writes it: ``[union_rep]``, ``[]``, ``7``."""
    if isinstance(value, list):
        return "[" + ", ".join(_param_value(v) for v in value) + "]"
    return str(value)


def _followed_params(check, rubric) -> list[tuple[str, str, object]]:
    """Other rules' parameters a check refers to (``$RTW102.independent_roles``): (code, name, value)."""
    found: list[tuple[str, str, object]] = []

    def walk(value) -> None:
        if isinstance(value, str) and value.startswith("$") and "." in value:
            code, name = value[1:].split(".", 1)
            rule = rubric.rule(code)
            value = (rule.spec.params.get(name) if rule is not None
                     else _("(as set on {code}, which this rubric disables)").format(code=code))
            found.append((code, name, value))
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(check)
    return found


def _followers(code: str, rubric) -> dict[str, list[str]]:
    """Parameter of ``code`` -> the other rules whose check follows it (``$CODE.name``)."""
    found: dict[str, list[str]] = {}
    for rule in rubric.rules:
        for other, name, _value in _followed_params(rule.spec.check, rubric):
            if other == code and rule.code != code:
                found.setdefault(name, []).append(rule.code)
    return found


def cmd_templates(args) -> int:
    from .checks import TEMPLATES
    from .checks.dedicated import DEDICATED
    from .conditions import DURING, EVENT_SETS, NAMED_CASE_CHECKS, NAMED_EVENT_CHECKS

    w = sys.stdout.write
    # Each description is marked with N_() where it is registered and translated here, when shown.
    w(_("Check templates:") + "\n")
    for name, (_template, keys, doc) in TEMPLATES.items():
        # Translators: under a check template, the configuration keys it takes (names, not translated).
        keys_line = _("keys: {keys}").format(keys=", ".join(sorted(keys - {"template"})))
        w(f"  {name:<11} {_(doc)}\n              {keys_line}\n")
    w("\n" + _("Event sets (besides every event type):") + "\n")
    for name, (_event_set, doc) in EVENT_SETS.items():
        w(f"  {name:<46} {_(doc)}\n")
    w("\n" + _("Periods (`during`):") + "\n")
    for name, (doc, _period) in DURING.items():
        w(f"  {name:<20} {_(doc)}\n")
    w("\n" + _("Named event checks (`check:` in a condition):") + "\n")
    for name, (_event_check, doc) in NAMED_EVENT_CHECKS.items():
        w(f"  {name:<30} {_(doc)}\n")
    w("\n" + _("Named case checks (`check:` in applies_when):") + "\n")
    for name, (_case_check, doc) in NAMED_CASE_CHECKS.items():
        w(f"  {name:<30} {_(doc)}\n")
    w("\n" + _("Dedicated checks:") + "\n")
    for name, (_dedicated, doc) in DEDICATED.items():
        w(f"  {name:<34} {_(doc)}\n")
    return EXIT_OK


def cmd_report(args) -> int:
    return run_report(args)


COMMANDS = {"check": cmd_check, "rules": cmd_rules, "explain": cmd_explain, "templates": cmd_templates, "report": cmd_report}


def severity_word(severity: str) -> str:
    """A rule's severity as a word of the active language (error, warning, info)."""
    from .render.text import STATUS

    return _(STATUS[severity]) if severity in STATUS else severity


def main(argv: list[str] | None = None) -> int:
    # The language first: argparse's help, its usage errors and every message after it speak it.
    set_language(language_from_argv(sys.argv[1:] if argv is None else argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_INPUT
    try:
        with signals_as_exit():
            return COMMANDS[args.command](args)
    except InputErrors as exc:
        print_errors(exc.errors)
        return EXIT_INPUT
    except InputError as exc:
        print_errors([exc])
        return EXIT_INPUT
    except UsageError as exc:
        sys.stderr.write(_("rtw-audit: error: {message}").format(message=for_terminal(exc)) + "\n")
        return EXIT_INPUT
    except BrokenPipeError:  # `rtw-audit check ... | head`: stop quietly, never as "no violations"
        return pipe_closed()
    except KeyboardInterrupt:
        sys.stderr.write(_("rtw-audit: interrupted") + "\n")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
