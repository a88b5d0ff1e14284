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

from .errors import ChoiceError, RubricError, ScenarioError, SessionError
from .paths import scenarios_dir

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_STOPPED = 0, 1, 2, 3
# ``play --random`` gives up after this many decisions per node of the scenario: a playthrough that long
# is going round a loop whose way out its conditions never open (a loop with no way out at all is caught
# as soon as it is entered).
RANDOM_DECISIONS_PER_NODE = 20

EXIT_STATUSES = """\
exit status:
  0    success: lint found no error (warnings pass unless --strict), play reached an ending,
       graph or schema written
  1    lint found problems: errors, or with --strict warnings too
  2    unusable input or arguments: no such file or scenario, a file that cannot be played,
       a bad --choices number, a random playthrough stuck in a loop that never ends
  3    play stopped before an ending: --choices ran out at an open decision (named on stderr)
  130  interrupted (Ctrl-C)"""


class _Usage(Exception):
    """Bad input: message printed to stderr, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    from .lint import WARNING_CODES

    parser = argparse.ArgumentParser(
        prog="rtw-train",
        description=_wrap("Practise active listening in return-to-work conversations. "
                          "Without a subcommand, opens the interactive app."),
        epilog=EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # Options of the interactive app (simulator.app.run_app reads them from the namespace).
    parser.add_argument("--db", metavar="PATH", help="records database for the app (default: per-user data dir)")
    parser.add_argument("--scenarios", metavar="DIR", help="scenario folder for the app (default: the packaged one)")
    parser.add_argument("--rubric", metavar="PATH", help="listening rubric (default: the packaged one)")
    parser.add_argument("--trainee", metavar="NAME", help="trainee pseudonym for the app's records")
    parser.add_argument("--coach", action=argparse.BooleanOptionalAction, default=None,
                        help="show (or --no-coach: hide) the coach's notes after each choice")
    parser.add_argument("--lang", choices=("en", "fr"), default=None,
                        help="language of the scenarios (default: from LC_ALL/LC_MESSAGES/LANG, French if it starts with 'fr')")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    lint = sub.add_parser("lint", help="check scenario files", description="Check scenario files (codes in docs/scenario-format.md).",
                          epilog=EXIT_STATUSES, formatter_class=argparse.RawDescriptionHelpFormatter)
    lint.add_argument("paths", nargs="*", metavar="PATH",
                      help="scenario files or directories; a directory is searched with its subfolders for *.yaml "
                      "and *.yml files, hidden ones skipped (default: the packaged scenarios)")
    lint.add_argument("--format", choices=("text", "json"), default="text")
    lint.add_argument("--rubric", metavar="PATH", default=argparse.SUPPRESS, help="listening rubric (default: the packaged one)")
    lint.add_argument("--strict", action="store_true",
                      help="warnings fail too: exit 1 if any warning is found, whatever its code "
                      f"({', '.join(sorted(WARNING_CODES))})")
    lint.add_argument("--max-states", type=_positive_int, metavar="N", default=None,
                      help="bound of the state exploration, in (decision, state) pairs (default: 200000)")

    play = sub.add_parser("play", help="play a scenario headless", description="Play a scenario without the app.",
                          epilog=EXIT_STATUSES, formatter_class=argparse.RawDescriptionHelpFormatter)
    play.add_argument("scenario", metavar="SCENARIO",
                      help="scenario id (packaged, or in the --scenarios DIR given before 'play') or path to a scenario file")
    play.add_argument("--choices", default="", metavar="N,N,...", help="option numbers to pick in order, e.g. 2,1,3")
    play.add_argument("--random", type=int, metavar="SEED", default=None,
                      help="after --choices, pick the remaining options at random (seeded, reproducible)")
    play.add_argument("--format", choices=("text", "json"), default="text")
    play.add_argument("--rubric", metavar="PATH", default=argparse.SUPPRESS, help="listening rubric (default: the packaged one)")
    play.add_argument("--lang", choices=("en", "fr"), default=argparse.SUPPRESS, help="language to play in (as the global --lang)")

    graph = sub.add_parser(
        "graph", help="write a scenario's decision graph (Mermaid or Graphviz DOT)",
        description=_wrap("Write the decision graph of a scenario: decisions, branches and endings, every option "
                          "and branch an arrow (harmful options dashed and red, conditions written on the arrow), "
                          "endings coloured by outcome, with a legend."),
        epilog=EXIT_STATUSES, formatter_class=argparse.RawDescriptionHelpFormatter)
    graph.add_argument("scenario", metavar="SCENARIO",
                      help="scenario id (packaged, or in the --scenarios DIR given before 'graph') or path to a scenario file")
    graph.add_argument("--format", choices=("mermaid", "dot"), default=None,
                       help="mermaid (default) or dot (Graphviz); default dot when -o ends in .dot or .gv")
    graph.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    graph.add_argument("--rubric", metavar="PATH", default=argparse.SUPPRESS, help="listening rubric (default: the packaged one)")

    schema = sub.add_parser("schema", help="print the scenario JSON Schema", description="Print the JSON Schema of scenario files.")
    schema.add_argument("-o", "--output", metavar="PATH", help="write to PATH (atomically) instead of stdout")

    # history/export are implemented in simulator.records (imported only when used).
    history = sub.add_parser("history", help="show past training attempts (app records)")
    export = sub.add_parser("export", help="export past training attempts as CSV (app records)")
    for p in (history, export):
        p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="records database")
        p.add_argument("--trainee", metavar="NAME", default=argparse.SUPPRESS, help="only this trainee")
        p.add_argument("--scenario", metavar="ID", help="only this scenario")
    _translate_cli().add_parser(sub)
    history.add_argument("--csv", action="store_true", help="CSV instead of a table")
    export.add_argument("--csv", nargs="?", const=True, default=True, metavar="FILE",
                        help="write CSV to FILE (atomically); without FILE or with '-', to standard output")
    export.add_argument("--xapi", metavar="FILE", default=None,
                        help="write xAPI 1.0.3 statements (cmi5 where it applies) to FILE ('-': standard output)")
    export.add_argument("--lrs", metavar="URL", default=None,
                        help="send the xAPI statements to a learning record store; credentials from "
                        "RTW_LRS_USER/RTW_LRS_PASSWORD or RTW_LRS_TOKEN")
    export.add_argument("--xapi-homepage", metavar="URL", default=None,
                        help="homePage of the trainees' pseudonymous xAPI accounts (your organisation's address)")
    room = sub.add_parser(
        "room",
        help="serve the app to a training room's browsers",
        description="Start a training room: the app served to browsers on the local network, one shared "
        "records file, a room code for trainees and a trainer code for the group's live view.",
    )
    room.add_argument("--host", default="127.0.0.1",
                      help="address to listen on (default: 127.0.0.1, this computer only; 0.0.0.0: the local network)")
    room.add_argument("--port", type=_positive_int, default=8000, help="port (default: 8000)")
    room.add_argument("--hours", type=float, default=8.0, help="how long the codes are valid (default: 8)")
    room.add_argument("--new-code", action="store_true", help="new codes even if the room's codes are still valid")
    sub.add_parser("room-client", help=argparse.SUPPRESS)  # what each browser connection of a room runs
    return parser


def _wrap(text: str) -> str:
    """A description wrapped by hand: the exit-status epilog needs the raw formatter, which does not wrap."""
    import textwrap

    return textwrap.fill(text, width=79)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def main(argv: Optional[Sequence[str]] = None) -> int:
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
        print(f"rtw-train: error: {exc}", file=sys.stderr)
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
        raise _Usage(f"listening rubric unusable: {exc}") from None


def _expand(paths: Sequence[str]) -> list[Path]:
    targets = [Path(p) for p in paths] if paths else [scenarios_dir()]
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            found = _scenario_files_below(target)
            if not found:
                raise _Usage(f"{target}: no scenario file (*.yaml, *.yml) in this directory or its subfolders")
            files.extend(found)
        elif target.is_file():
            files.append(target)
        else:
            raise _Usage(f"{target}: no such file or directory")
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
            report.problems.append(Diagnostic(report.file, line, col, "SC208", f"scenario id {sid!r} is also used by {seen[sid]}"))
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
            extra = f" ({warnings} of them warning(s))" if warnings else ""
            print(f"Found {len(problems)} problem(s){extra} in {n_files} of {len(reports)} file(s).")
        elif warnings:
            n_files = len({p.file for p in problems})
            print(f"No errors; {warnings} warning(s) in {n_files} of {len(reports)} file(s).")
        else:
            print(f"All checks passed ({len(reports)} scenario file(s)).")
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
        raise _Usage(f"{ref}: no such scenario file")
    directory = Path(folder) if folder else scenarios_dir()
    if folder and not directory.is_dir():
        raise _Usage(f"--scenarios {folder}: no such directory")
    candidates = scenario_files(directory) if directory.is_dir() else []
    for candidate in candidates:
        if candidate.stem == ref:
            scenario = _load(candidate)
            if scenario.id == ref:
                return scenario
    for candidate in candidates:
        parsed, _ = parse_scenario(candidate)
        if parsed is not None and parsed.id == ref:
            return _load(candidate)
    known = []
    for candidate in candidates:
        parsed, _ = parse_scenario(candidate)
        if parsed is not None:
            known.append(parsed.id)
    hint = f" (known: {', '.join(sorted(known))})" if known else ""
    raise _Usage(f"no scenario with id {ref!r}{hint}")


def _translate_cli():
    from . import translate_cli

    return translate_cli


def _localized(scenario: Any, args: argparse.Namespace) -> Any:
    """The scenario in the language of ``--lang`` (default: the locale); English texts fill any gap."""
    from .localize import default_language, localized

    try:
        return localized(scenario, getattr(args, "lang", None) or default_language())
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
            raise _Usage(f"--choices: {part!r} is not an option number (expected e.g. 2,1,3)")
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
                raise _Usage(
                    f"the conversation ended after {i} choice(s); extra choices: {','.join(map(str, wanted[i:]))}"
                )
            try:
                session.choose(number)
            except ChoiceError as exc:
                raise _Usage(f"--choices: decision {i + 1} (node {exc.node_id!r}): {exc}") from None
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
        print(f"rtw-train: stopped before an ending: {_pending(session)}", file=sys.stderr)
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
            raise _Usage(
                f"{scenario.path}: --random: after {len(session.turns)} decision(s) the conversation is at "
                f"{session.node_id!r}, from which no ending can be reached: it would go round "
                f"{', '.join(map(repr, loop))} for ever (a loop with no way out: run rtw-train lint, SC309)"
            )
        if len(session.turns) - start >= limit:
            raise _Usage(
                f"{scenario.path}: --random: no ending after {limit} random decisions ({RANDOM_DECISIONS_PER_NODE} per "
                f"node): the conversation keeps going round {', '.join(map(repr, _loop_around(scenario, session.node_id)))}, "
                "whose way out its conditions seldom or never open (run rtw-train lint)"
            )
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
    after = f"after {turns} choice(s)" if turns else "before the first choice"
    if session.node_id not in analyse(session.scenario).can_finish:
        return (f"{after}, decision {session.node_id!r} is waiting, but no ending can be reached from it "
                "(a loop with no way out: run rtw-train lint, SC309)")
    return (f"{after}, decision {session.node_id!r} is waiting ({offered} option(s) offered): give more --choices, "
            "or --random SEED to finish at random")


def _warn_unknown_codes(scenario: Any, rubric: Any) -> None:
    """Warn (stderr) about codes the rubric does not know: scoring would silently count them as no
    evidence, so a misspelt code would look like a missing skill. ``lint`` reports them as SC206."""
    known = rubric.code_ids()
    for node_id, node in scenario.nodes.items():
        for i, choice in enumerate(node.choices or []):
            for code in choice.codes:
                if code not in known:
                    print(
                        f"rtw-train: warning: {scenario.path}: option {i + 1} of {node_id!r}: code {code!r} is not "
                        "in the listening rubric and scores as no evidence (run `rtw-train lint` first)",
                        file=sys.stderr,
                    )


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
    sc = session.scenario
    print(f"{sc.title} ({sc.id} v{sc.version}) — you play: {sc.role.replace('_', ' ')}")
    if sc.summary:
        print()
        print(sc.summary)
    print()
    for entry in session.transcript():
        if entry.kind == "line":
            print(f"{entry.speaker_name}: {entry.text}")
        else:
            turn = session.turns[entry.turn_index]
            cue = _prompt_of(session, entry.node_id)
            if cue:
                print(f"  ({cue})")
            print(f"You [{turn.number}]: {entry.text}")
            print(f"    codes: {', '.join(turn.codes) or '-'}")
            print(f"    {turn.feedback} ({turn.source})")
            if turn.better_choice:
                print(f"    better: [{turn.better_choice.number}] {turn.better_choice.text}")
    print()
    if session.finished:
        ending = session.ending
        print(f"Ending: {ending.title} ({ending.outcome})")
        print(f"  {ending.summary}")
    else:
        print("Not finished. Options now:")
        if session.prompt():
            print(f"  ({session.prompt()})")
        for c in session.choices():
            print(f"  {c.number}. {c.text}")
    print()
    print(f"Overall: {result.overall}/100   harmful responses: {result.harmful_count}   (rubric v{result.rubric_version})")
    _print_scores(session, result)
    print()


def _print_scores(session: Any, result: Any) -> None:
    """Skills (verdicts only for the dimensions the scenario trains), MITI indicators with both levels, the
    harmful count in words, and the global ratings, said to be estimates."""
    from .score_words import ESTIMATE_NOTE, dimension_rows, harmful_sentence, indicator_target, indicator_value

    kinds = {i.id: i.kind for i in session.rubric.indicators}
    for dim in dimension_rows(result):
        value = "  -" if dim.value is None else f"{dim.value:3d}"
        target = f", threshold {dim.threshold:g}" if dim.trained else ""
        print(f"  {value}  {dim.label} ({dim.status}{target})")
    for ind in result.indicators:
        kind = kinds.get(ind.id, "ratio")
        if kind == "harmful_count":
            print(f"  {harmful_sentence(int(ind.value or 0))}")
            continue
        print(f"  {ind.label}: {indicator_value(ind.value, kind)} ({ind.status}; {indicator_target(ind, kind)})")
    if result.ratings:
        print(f"Global ratings — {ESTIMATE_NOTE}")
        for rating in result.ratings:
            print(f"  {rating.label}: {'-' if rating.value is None else rating.value}")


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
        raise _Usage(f"-o {target}: is a directory; give a file name")
    source = Path(scenario.path) if scenario.path else None
    if source is not None and target.exists() and os.path.samefile(target, source):
        raise _Usage(f"-o {target}: that is the scenario file itself; give another file name")
    try:
        _write_atomic(target, text)
    except OSError as exc:
        raise _Usage(f"-o {target}: cannot write: {exc.strerror or exc}") from None
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
