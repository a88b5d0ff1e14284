"""``rtw-train`` command line: lint, play (headless), graph, schema; the app, history and export are hooks.

Why argparse and a thin layer: everything testable lives in the engine, lint, scoring and diagram modules;
this file only parses arguments, prints, and maps outcomes to the exit statuses listed in ``EXIT_STATUSES``
(shown by ``--help``). No traceback reaches the user for bad input.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path
from typing import Any, Optional, Sequence

from auditor.i18n import LANGUAGES

from .errors import ChoiceError, RubricError, ScenarioError, SessionError
from .i18n import N_, _
from .paths import scenarios_dir

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_STOPPED = 0, 1, 2, 3
# ``play --random`` gives up after this many decisions per node of the scenario: a playthrough that long
# is going round a loop whose way out its conditions never open (a loop with no way out at all is caught
# as soon as it is entered).
RANDOM_DECISIONS_PER_NODE = 20

EXIT_STATUSES = N_("""\
exit status:
  0    success: lint found no error (warnings pass unless --strict), play reached an ending,
       graph or schema written
  1    lint found problems: errors, or with --strict warnings too
  2    unusable input or arguments: no such file or scenario, a file that cannot be played,
       a bad --choices number, a random playthrough stuck in a loop that never ends
  3    play stopped before an ending: --choices ran out at an open decision (named on stderr)
  130  interrupted (Ctrl-C)""")


class _Usage(Exception):
    """Bad input: message printed to stderr, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    """The command line, in the active language (``main`` sets it from ``--lang`` or the locale first)."""
    from auditor.localized_argparse import LocalizedParser

    from .lint import WARNING_CODES

    raw = argparse.RawDescriptionHelpFormatter
    epilog = _(EXIT_STATUSES)
    rubric_help = _("listening rubric (default: the packaged one)")
    parser = LocalizedParser(
        prog="rtw-train",
        description=_wrap(_("Practise active listening in return-to-work conversations. "
                            "Without a subcommand, opens the interactive app.")),
        epilog=epilog,
        formatter_class=raw,
    )
    # Options of the interactive app (simulator.app.run_app reads them from the namespace).
    parser.add_argument("--db", metavar=_("PATH"), help=_("records database for the app (default: per-user data dir)"))
    parser.add_argument("--scenarios", metavar=_("DIR"), help=_("scenario folder for the app (default: the packaged one)"))
    parser.add_argument("--rubric", metavar=_("PATH"), help=rubric_help)
    parser.add_argument("--trainee", metavar=_("NAME"), help=_("trainee pseudonym for the app's records"))
    parser.add_argument("--coach", action=argparse.BooleanOptionalAction, default=None,
                        help=_("show (or --no-coach: hide) the coach's notes after each choice"))
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help=_("language of the interface and the scenarios (default: from LC_ALL/LC_MESSAGES/LANG, "
                               "French if it starts with 'fr')"))
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"))

    lint = sub.add_parser("lint", help=_("check scenario files"),
                          description=_("Check scenario files (codes in docs/scenario-format.md)."),
                          epilog=epilog, formatter_class=raw)
    lint.add_argument("paths", nargs="*", metavar=_("PATH"),
                      help=_("scenario files or directories; a directory is searched with its subfolders for *.yaml "
                             "and *.yml files, hidden ones skipped (default: the packaged scenarios)"))
    lint.add_argument("--format", choices=("text", "json"), default="text")
    lint.add_argument("--rubric", metavar=_("PATH"), default=argparse.SUPPRESS, help=rubric_help)
    lint.add_argument("--strict", action="store_true",
                      help=_("warnings fail too: exit 1 if any warning is found, whatever its code ({codes})").format(
                          codes=", ".join(sorted(WARNING_CODES))))
    lint.add_argument("--max-states", type=_positive_int, metavar="N", default=None,
                      help=_("bound of the state exploration, in (decision, state) pairs (default: 200000)"))

    play = sub.add_parser("play", help=_("play a scenario headless"), description=_("Play a scenario without the app."),
                          epilog=epilog, formatter_class=raw)
    play.add_argument("scenario", metavar=_("SCENARIO"),
                      help=_("scenario id (packaged, or in the --scenarios DIR given before 'play') or path to a "
                             "scenario file"))
    play.add_argument("--choices", default="", metavar="N,N,...", help=_("option numbers to pick in order, e.g. 2,1,3"))
    play.add_argument("--random", type=int, metavar=_("SEED"), default=None,
                      help=_("after --choices, pick the remaining options at random (seeded, reproducible)"))
    play.add_argument("--format", choices=("text", "json"), default="text")
    play.add_argument("--rubric", metavar=_("PATH"), default=argparse.SUPPRESS, help=rubric_help)
    play.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                      help=_("language to play in (as the global --lang)"))

    graph = sub.add_parser(
        "graph", help=_("write a scenario's decision graph (Mermaid or Graphviz DOT)"),
        description=_wrap(_("Write the decision graph of a scenario: decisions, branches and endings, every option "
                            "and branch an arrow (harmful options dashed and red, conditions written on the arrow), "
                            "endings coloured by outcome, with a legend.")),
        epilog=epilog, formatter_class=raw)
    graph.add_argument("scenario", metavar=_("SCENARIO"),
                       help=_("scenario id (packaged, or in the --scenarios DIR given before 'graph') or path to a "
                              "scenario file"))
    graph.add_argument("--format", choices=("mermaid", "dot"), default=None,
                       help=_("mermaid (default) or dot (Graphviz); default dot when -o ends in .dot or .gv"))
    graph.add_argument("-o", "--output", metavar=_("FILE"), help=_("write to FILE (atomically) instead of stdout"))
    graph.add_argument("--rubric", metavar=_("PATH"), default=argparse.SUPPRESS, help=rubric_help)

    schema = sub.add_parser("schema", help=_("print the scenario JSON Schema"),
                            description=_("Print the JSON Schema of scenario files."))
    schema.add_argument("-o", "--output", metavar=_("PATH"), help=_("write to PATH (atomically) instead of stdout"))

    # history/export are implemented in simulator.reports (imported only when used).
    history = sub.add_parser("history", help=_("show past training attempts (app records)"),
                             description=_("Show past training attempts (app records)."))
    export = sub.add_parser("export", help=_("export past training attempts as CSV (app records)"),
                            description=_("Export past training attempts as CSV (app records)."))
    for p in (history, export):
        p.add_argument("--db", metavar=_("PATH"), default=argparse.SUPPRESS, help=_("records database"))
        p.add_argument("--trainee", metavar=_("NAME"), default=argparse.SUPPRESS, help=_("only this trainee"))
        p.add_argument("--scenario", metavar="ID", help=_("only this scenario"))
    _translate_cli().add_parser(sub)
    history.add_argument("--csv", action="store_true", help=_("CSV instead of a table"))
    export.add_argument("--csv", nargs="?", const=True, default=True, metavar=_("FILE"),
                        help=_("write CSV to FILE (atomically); without FILE or with '-', to standard output"))
    export.add_argument("--xapi", metavar=_("FILE"), default=None,
                        help=_("write xAPI 1.0.3 statements (cmi5 where it applies) to FILE ('-': standard output)"))
    export.add_argument("--lrs", metavar="URL", default=None,
                        help=_("send the xAPI statements to a learning record store; credentials from "
                               "RTW_LRS_USER/RTW_LRS_PASSWORD or RTW_LRS_TOKEN"))
    export.add_argument("--xapi-homepage", metavar="URL", default=None,
                        help=_("homePage of the trainees' pseudonymous xAPI accounts (your organisation's address)"))
    room = sub.add_parser(
        "room",
        help=_("serve the app to a training room's browsers"),
        description=_("Start a training room: the app served to browsers on the local network, one shared "
                      "records file, a room code for trainees and a trainer code for the group's live view."),
    )
    room.add_argument("--host", default="127.0.0.1", metavar=_("ADDRESS"),
                      help=_("address to listen on (default: 127.0.0.1, this computer only; 0.0.0.0: the local "
                             "network)"))
    room.add_argument("--port", type=_positive_int, default=8000, metavar=_("PORT"), help=_("port (default: 8000)"))
    room.add_argument("--hours", type=float, default=8.0, metavar=_("HOURS"), help=_("how long the codes are valid (default: 8)"))
    room.add_argument("--new-code", action="store_true", help=_("new codes even if the room's codes are still valid"))
    sub.add_parser("room-client")  # what each browser connection of a room runs (no help: not listed)
    return parser


def _wrap(text: str) -> str:
    """A description wrapped by hand: the exit-status epilog needs the raw formatter, which does not wrap."""
    import textwrap

    return textwrap.fill(text, width=79)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value!r} is not a whole number").format(value=text)) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(_("{value!r} must be at least 1").format(value=text))
    return value


def _interface_language(argv: Sequence[str]) -> str:
    """The language of the interface: ``--lang`` (global, or ``play``'s), else the locale. ``translate``'s
    own ``--lang`` names the translation's language, not the interface's: what follows it is not read."""
    from auditor.i18n import language_from_argv

    argv = list(argv)
    if "translate" in argv:
        argv = argv[:argv.index("translate")]
    return language_from_argv(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    from auditor.i18n import set_language

    set_language(_interface_language(sys.argv[1:] if argv is None else argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "lint":
            return _cmd_lint(args)
        if args.command == "play":
            return _cmd_play(args)
        if args.command == "schema":
            return _cmd_schema(args)
        if args.command == "graph":
            return _cmd_graph(args)
        if args.command == "translate":
            return _translate_cli().run(args, lambda ref: _find_scenario(ref, getattr(args, "scenarios", None)), _Usage)
        if args.command == "history":
            from .reports import cli_history

            return cli_history(args)
        if args.command == "room":
            from .room.server import run_room

            return run_room(args)
        if args.command == "room-client":
            from .room.client import run_room_client

            return run_room_client(args)
        if args.command == "export" and (args.xapi is not None or args.lrs):
            from .lms_export import cli_export_lms

            return cli_export_lms(args)
        if args.command == "export":
            from .reports import cli_export

            return cli_export(args)
        from simulator.app import run_app  # the Textual app: imported only when it is started

        return run_app(args)
    except _Usage as exc:
        print(_("rtw-train: error: {message}").format(message=exc), file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the interpreter's flush at exit
        except OSError:
            pass
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


# -- lint -------------------------------------------------------------------------------------------
def _rubric(path: Optional[str]):
    from .loader import load_rubric

    try:
        return load_rubric(path)
    except RubricError as exc:
        raise _Usage(_("listening rubric unusable: {error}").format(error=exc)) from None


def _expand(paths: Sequence[str]) -> list[Path]:
    targets = [Path(p) for p in paths] if paths else [scenarios_dir()]
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            found = _scenario_files_below(target)
            if not found:
                raise _Usage(_("{path}: no scenario file (*.yaml, *.yml) in this directory or its subfolders").format(
                    path=target))
            files.extend(found)
        elif target.is_file():
            files.append(target)
        else:
            raise _Usage(_("{path}: no such file or directory").format(path=target))
    return files


def _scenario_files_below(directory: Path) -> list[Path]:
    """``*.yaml``/``*.yml`` files in a directory and its subfolders, sorted; hidden files and folders (``.git``,
    ``.venv``…) skipped. Why recurse: authors keep drafts in subfolders, and a lint that skips them silently
    reports "all checks passed" on files it never read."""
    found = []
    for path in directory.rglob("*"):
        parts = path.relative_to(directory).parts
        if path.suffix in (".yaml", ".yml") and not any(p.startswith(".") for p in parts) and path.is_file():
            found.append(path)
    return sorted(found)


def _cmd_lint(args: argparse.Namespace) -> int:
    from .diagnostics import Diagnostic
    from .lint import lint_file

    rubric = _rubric(args.rubric)
    files = _expand(args.paths)
    reports = [lint_file(f, rubric, max_states=args.max_states) for f in files]
    # SC208: the same scenario id in two files (play and records identify scenarios by id).
    seen: dict[str, str] = {}
    for report in reports:
        if report.scenario is None:
            continue
        sid = report.scenario.id
        if sid in seen:
            line, col = report.scenario.position("id")
            report.problems.append(Diagnostic(report.file, line, col, "SC208", _(
                "scenario id {id!r} is also used by {file}").format(id=sid, file=seen[sid])))
        else:
            seen[sid] = report.file
    problems = [p for r in reports for p in r.problems]
    warnings = sum(1 for p in problems if p.is_warning)
    errors = len(problems) - warnings
    if args.format == "json":
        out = {
            "problems": [p.to_dict() for p in problems],
            "scenarios": [r.to_dict() for r in reports],
            "summary": {"files": len(reports), "problems": len(problems), "errors": errors, "warnings": warnings},
        }
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        for p in problems:
            print(p.render())
        if errors:
            n_files = len({p.file for p in problems})
            if warnings:
                summary = _("Found {problems} problem(s) ({warnings} of them warning(s)) in {files} of {total} "
                            "file(s).")
            else:
                summary = _("Found {problems} problem(s) in {files} of {total} file(s).")
            print(summary.format(problems=len(problems), warnings=warnings, files=n_files, total=len(reports)))
        elif warnings:
            n_files = len({p.file for p in problems})
            print(_("No errors; {warnings} warning(s) in {files} of {total} file(s).").format(
                warnings=warnings, files=n_files, total=len(reports)))
        else:
            print(_("All checks passed ({total} scenario file(s)).").format(total=len(reports)))
    if errors or (warnings and args.strict):
        return EXIT_PROBLEMS
    return EXIT_OK


# -- play -------------------------------------------------------------------------------------------
def _find_scenario(ref: str, folder: Optional[str] = None):
    """A path to a scenario file, or an id looked up in ``folder`` (the global ``--scenarios DIR``, which
    the app uses too) or else among the packaged scenarios."""
    from .loader import parse_scenario, scenario_files

    path = Path(ref)
    if path.is_file():
        return _load(path)
    if any(ch in ref for ch in "/\\") or ref.endswith((".yaml", ".yml")):
        raise _Usage(_("{ref}: no such scenario file").format(ref=ref))
    directory = Path(folder) if folder else scenarios_dir()
    if folder and not directory.is_dir():
        raise _Usage(_("--scenarios {folder}: no such directory").format(folder=folder))
    candidates = scenario_files(directory) if directory.is_dir() else []
    for candidate in candidates:
        if candidate.stem == ref:
            scenario = _load(candidate)
            if scenario.id == ref:
                return scenario
    for candidate in candidates:
        parsed, _problems = parse_scenario(candidate)
        if parsed is not None and parsed.id == ref:
            return _load(candidate)
    known = []
    for candidate in candidates:
        parsed, _problems = parse_scenario(candidate)
        if parsed is not None:
            known.append(parsed.id)
    if known:
        raise _Usage(_("no scenario with id {ref!r} (known: {known})").format(ref=ref, known=", ".join(sorted(known))))
    raise _Usage(_("no scenario with id {ref!r}").format(ref=ref))


def _translate_cli():
    from . import translate_cli

    return translate_cli


def _localized(scenario: Any, args: argparse.Namespace) -> Any:
    """The scenario in the language of ``--lang`` (default: the locale); English texts fill any gap."""
    from auditor.i18n import language_from_environment

    from .localize import localized

    try:
        return localized(scenario, getattr(args, "lang", None) or language_from_environment())
    except ScenarioError as exc:
        raise _Usage(f"{exc} [{exc.code}]") from None


def _load(path: Path):
    from .loader import load_scenario

    try:
        return load_scenario(path)
    except ScenarioError as exc:
        raise _Usage(f"{exc} [{exc.code}]") from None


def _parse_choices(text: str) -> list[int]:
    if not text.strip():
        return []
    out = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit():
            raise _Usage(_("--choices: {part!r} is not an option number (expected e.g. 2,1,3)").format(part=part))
        out.append(int(part))
    return out


def _cmd_play(args: argparse.Namespace) -> int:
    from .engine import Session
    from .scoring import score

    rubric = _rubric(args.rubric)
    scenario = _localized(_find_scenario(args.scenario, getattr(args, "scenarios", None)), args)
    _warn_unknown_codes(scenario, rubric)
    wanted = _parse_choices(args.choices)
    try:
        session = Session.start(scenario, rubric)
        for i, number in enumerate(wanted):
            if session.finished:
                raise _Usage(_("the conversation ended after {count} choice(s); extra choices: {extra}").format(
                    count=i, extra=",".join(map(str, wanted[i:]))))
            try:
                session.choose(number)
            except ChoiceError as exc:
                raise _Usage(_("--choices: decision {number} (node {node!r}): {error}").format(
                    number=i + 1, node=exc.node_id, error=exc)) from None
        if args.random is not None:
            _play_random(session, random.Random(args.random))
    except SessionError as exc:
        raise _Usage(f"{scenario.path}: {exc}") from None
    result = score(session, rubric)
    if args.format == "json":
        print(json.dumps(_play_json(session, result), indent=2, ensure_ascii=False))
    else:
        _print_play(session, result)
    if not session.finished:
        print(_("rtw-train: stopped before an ending: {why}").format(why=_pending(session)), file=sys.stderr)
        return EXIT_STOPPED
    return EXIT_OK


def _play_random(session: Any, rng: random.Random) -> None:
    """Random choices to an ending; refuses (exit 2, the loop named) a playthrough that cannot end."""
    from .graph import analyse, leads_into

    scenario = session.scenario
    stats = analyse(scenario)
    into = leads_into(scenario, stats.traps)
    limit = RANDOM_DECISIONS_PER_NODE * len(scenario.nodes)
    start = len(session.turns)
    while not session.finished:
        if into[session.node_id] and session.node_id not in stats.can_finish:
            loop = stats.traps[min(into[session.node_id])]
            raise _Usage(_(
                "{file}: --random: after {count} decision(s) the conversation is at {node!r}, from which no "
                "ending can be reached: it would go round {loop} for ever (a loop with no way out: run "
                "rtw-train lint, SC309)").format(file=scenario.path, count=len(session.turns), node=session.node_id,
                                                 loop=", ".join(map(repr, loop))))
        if len(session.turns) - start >= limit:
            raise _Usage(_(
                "{file}: --random: no ending after {limit} random decisions ({per_node} per node): the "
                "conversation keeps going round {loop}, whose way out its conditions seldom or never open (run "
                "rtw-train lint)").format(file=scenario.path, limit=limit, per_node=RANDOM_DECISIONS_PER_NODE,
                                          loop=", ".join(map(repr, _loop_around(scenario, session.node_id)))))
        session.choose(rng.randint(1, len(session.choices())))


def _loop_around(scenario: Any, node_id: str) -> list[str]:
    """The nodes of the cycle (strongly connected component of the node graph) through ``node_id``."""
    from .graph import _sccs, successors

    names = list(scenario.nodes)
    edges = {n: successors(scenario, n) for n in names}
    for comp in _sccs(names, edges):
        if node_id in comp:
            return sorted(comp, key=names.index)
    return [node_id]


def _pending(session: Any) -> str:
    """'decision 'x' is waiting (3 options offered): give more --choices, or --random SEED to finish'."""
    from .graph import analyse

    offered = len(session.choices())
    turns = len(session.turns)
    if session.node_id not in analyse(session.scenario).can_finish:
        if turns:
            text = _("after {count} choice(s), decision {node!r} is waiting, but no ending can be reached from it "
                     "(a loop with no way out: run rtw-train lint, SC309)")
        else:
            text = _("before the first choice, decision {node!r} is waiting, but no ending can be reached from it "
                     "(a loop with no way out: run rtw-train lint, SC309)")
    elif turns:
        text = _("after {count} choice(s), decision {node!r} is waiting ({offered} option(s) offered): give more "
                 "--choices, or --random SEED to finish at random")
    else:
        text = _("before the first choice, decision {node!r} is waiting ({offered} option(s) offered): give more "
                 "--choices, or --random SEED to finish at random")
    return text.format(count=turns, node=session.node_id, offered=offered)


def _warn_unknown_codes(scenario: Any, rubric: Any) -> None:
    """Warn (stderr) about codes the rubric does not know: scoring would silently count them as no
    evidence, so a misspelt code would look like a missing skill. ``lint`` reports them as SC206."""
    known = rubric.code_ids()
    for node_id, node in scenario.nodes.items():
        for i, choice in enumerate(node.choices or []):
            for code in choice.codes:
                if code not in known:
                    print(_(
                        "rtw-train: warning: {file}: option {number} of {node!r}: code {code!r} is not in the "
                        "listening rubric and scores as no evidence (run `rtw-train lint` first)").format(
                            file=scenario.path, number=i + 1, node=node_id, code=code), file=sys.stderr)


def _prompt_of(session: Any, node_id: str) -> Optional[str]:
    """The cue shown above the options of a decision node (None if it has none)."""
    node = session.scenario.nodes.get(node_id)
    return node.prompt if node is not None and node.choices is not None else None


def _play_json(session: Any, result: Any) -> dict[str, Any]:
    ending = session.ending
    scored = result.to_dict()
    transcript = []
    for entry in session.transcript():
        item = entry.to_dict()
        # The cue the trainee saw above the options when making this choice (lines have none).
        item["prompt"] = _prompt_of(session, entry.node_id) if entry.kind == "choice" else None
        transcript.append(item)
    return {
        "scenario": session.scenario.id,
        "title": session.scenario.title,
        "version": session.scenario.version,
        "role": session.scenario.role,
        "summary": session.scenario.summary,
        "choices": session.chosen_numbers(),
        "finished": session.finished,
        "ending": (
            {"id": ending.id, "title": ending.title, "outcome": ending.outcome, "summary": ending.summary}
            if ending else None
        ),
        "pending_prompt": session.prompt(),
        "pending_choices": [c.to_dict() for c in session.choices()],
        "overall": scored["overall"],
        "scores": scored["scores"],
        "dimensions": scored["dimensions"],
        "indicators": scored["indicators"],
        "harmful_count": scored["harmful_count"],
        "global_ratings": scored["global_ratings"],
        "rubric_version": scored["rubric_version"],
        "trains": list(session.scenario.trains),
        "state": dict(session.state),
        "turns": [t.to_dict() for t in session.turns],
        "transcript": transcript,
    }


def _print_play(session: Any, result: Any) -> None:
    from .score_words import outcome_word, role_word

    sc = session.scenario
    print(_("{title} ({id} v{version}) — you play: {role}").format(
        title=sc.title, id=sc.id, version=sc.version, role=role_word(sc.role)))
    if sc.summary:
        print()
        print(sc.summary)
    print()
    for entry in session.transcript():
        if entry.kind == "line":
            print(_("{speaker}: {text}").format(speaker=entry.speaker_name, text=entry.text))
        else:
            turn = session.turns[entry.turn_index]
            cue = _prompt_of(session, entry.node_id)
            if cue:
                print(f"  ({cue})")
            print(_("You [{number}]: {text}").format(number=turn.number, text=entry.text))
            print(_("    codes: {codes}").format(codes=", ".join(turn.codes) or "-"))
            print(f"    {turn.feedback} ({turn.source})")
            if turn.better_choice:
                print(_("    better: [{number}] {text}").format(number=turn.better_choice.number,
                                                           text=turn.better_choice.text))
    print()
    if session.finished:
        ending = session.ending
        print(_("Ending: {title} ({outcome})").format(title=ending.title, outcome=outcome_word(ending.outcome)))
        print(f"  {ending.summary}")
    else:
        print(_("Not finished. Options now:"))
        if session.prompt():
            print(f"  ({session.prompt()})")
        for c in session.choices():
            print(f"  {c.number}. {c.text}")
    print()
    print(_("Overall: {overall}/100   harmful responses: {harmful}   (rubric v{version})").format(
        overall=result.overall, harmful=result.harmful_count, version=result.rubric_version))
    _print_scores(session, result)
    print()


def _print_scores(session: Any, result: Any) -> None:
    """Skills (verdicts only for the dimensions the scenario trains), MITI indicators with both levels, the
    harmful count in words, and the global ratings, said to be estimates."""
    from .score_words import (
        dimension_label,
        dimension_rows,
        estimate_note,
        harmful_sentence,
        indicator_label,
        indicator_target,
        indicator_value,
        rating_label,
        status_word,
    )

    kinds = {i.id: i.kind for i in session.rubric.indicators}
    for dim in dimension_rows(result):
        value = "  -" if dim.value is None else f"{dim.value:3d}"
        if dim.trained:
            verdict = _("{status}, threshold {threshold}").format(status=status_word(dim.status),
                                                                  threshold=_number(dim.threshold))
        else:
            verdict = status_word(dim.status)
        print(f"  {value}  {dimension_label(dim)} ({verdict})")
    for ind in result.indicators:
        kind = kinds.get(ind.id, "ratio")
        if kind == "harmful_count":
            print(f"  {harmful_sentence(int(ind.value or 0))}")
            continue
        print(_("  {label}: {value} ({status}; {target})").format(
            label=indicator_label(ind), value=indicator_value(ind.value, kind), status=status_word(ind.status),
            target=indicator_target(ind, kind)))
    if result.ratings:
        print(_("Global ratings — {note}").format(note=estimate_note()))
        for rating in result.ratings:
            print(_("  {label}: {value}").format(label=rating_label(rating), value="-" if rating.value is None else rating.value))


def _number(value: float) -> str:
    """A threshold as ``{:g}`` writes it ("70", "0.5"), with the locale's decimal sign."""
    from auditor.i18n import format_decimal

    text = f"{value:g}"
    return format_decimal(value, len(text.split(".")[1])) if "." in text else text


# -- graph ------------------------------------------------------------------------------------------
def _cmd_graph(args: argparse.Namespace) -> int:
    from .diagram import build, to_dot, to_mermaid

    rubric = _rubric(args.rubric)
    scenario = _find_scenario(args.scenario, getattr(args, "scenarios", None))
    fmt = args.format
    if fmt is None:
        fmt = "dot" if args.output and Path(args.output).suffix.lower() in (".dot", ".gv") else "mermaid"
    diagram = build(scenario, rubric)
    text = to_dot(diagram) if fmt == "dot" else to_mermaid(diagram)
    if not args.output:
        sys.stdout.write(text)
        return EXIT_OK
    target = Path(args.output)
    if target.is_dir():
        raise _Usage(_("-o {path}: is a directory; give a file name").format(path=target))
    source = Path(scenario.path) if scenario.path else None
    if source is not None and target.exists() and os.path.samefile(target, source):
        raise _Usage(_("-o {path}: that is the scenario file itself; give another file name").format(path=target))
    try:
        _write_atomic(target, text)
    except OSError as exc:
        raise _Usage(_("-o {path}: cannot write: {reason}").format(path=target, reason=exc.strerror or exc)) from None
    return EXIT_OK


# -- schema -----------------------------------------------------------------------------------------
def _cmd_schema(args: argparse.Namespace) -> int:
    from .scenario import scenario_json_schema

    text = json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        _write_atomic(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _write_atomic(path: Path, text: str) -> None:
    """Through the shared safe-output rule (``auditor.atomic``): a device or FIFO is written into, a
    symlink followed, a folder or a missing one refused with a message, never replaced."""
    from auditor.atomic import OutputError, atomic_writer, default_mode

    try:
        with atomic_writer(path, mode=default_mode()) as handle:
            handle.write(text)
    except OutputError as exc:
        raise _Usage(str(exc)) from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
