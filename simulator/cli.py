"""``rtw-train`` command line: lint, play (headless), schema; the app, history and export are hooks.

Why argparse and a thin layer: everything testable lives in the engine, lint and scoring modules; this
file only parses arguments, prints, and maps outcomes to exit statuses:
0 = success / clean, 1 = problems found, 2 = unusable input (bad path, bad choice number, bad file...).
No traceback reaches the user for bad input.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from pathlib import Path
from typing import Any, Optional, Sequence

from .errors import ChoiceError, RubricError, ScenarioError, SessionError
from .paths import scenarios_dir

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
MAX_PLAY_TURNS = 1000


class _Usage(Exception):
    """Bad input: message printed to stderr, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rtw-train",
        description="Practise active listening in return-to-work conversations. "
        "Without a subcommand, opens the interactive app.",
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

    lint = sub.add_parser("lint", help="check scenario files", description="Check scenario files (codes in docs/scenario-format.md).")
    lint.add_argument("paths", nargs="*", metavar="PATH", help="scenario files or directories (default: the packaged scenarios)")
    lint.add_argument("--format", choices=("text", "json"), default="text")
    lint.add_argument("--rubric", metavar="PATH", default=argparse.SUPPRESS, help="listening rubric (default: the packaged one)")
    lint.add_argument("--strict", action="store_true", help="exit 1 on warnings too (SC307, SC408)")
    lint.add_argument("--max-states", type=_positive_int, metavar="N", default=None,
                      help="bound of the state exploration, in (decision, state) pairs (default: 200000)")

    play = sub.add_parser("play", help="play a scenario headless", description="Play a scenario without the app.")
    play.add_argument("scenario", metavar="SCENARIO", help="scenario id (packaged, or in the --scenarios DIR given before 'play') or path to a scenario file")
    play.add_argument("--choices", default="", metavar="N,N,...", help="option numbers to pick in order, e.g. 2,1,3")
    play.add_argument("--random", type=int, metavar="SEED", default=None,
                      help="after --choices, pick the remaining options at random (seeded, reproducible)")
    play.add_argument("--format", choices=("text", "json"), default="text")
    play.add_argument("--rubric", metavar="PATH", default=argparse.SUPPRESS, help="listening rubric (default: the packaged one)")
    play.add_argument("--lang", choices=("en", "fr"), default=argparse.SUPPRESS, help="language to play in (as the global --lang)")

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
    return parser


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
        if args.command == "translate":
            return _translate_cli().run(args, lambda ref: _find_scenario(ref, getattr(args, "scenarios", None)), _Usage)
        if args.command == "history":
            return _hook("simulator.records", "cli_history", args)
        if args.command == "export":
            return _hook("simulator.records", "cli_export", args)
        return _hook("simulator.app", "run_app", args)
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


def _hook(module: str, func: str, args: argparse.Namespace) -> int:
    """Call a function written by another part of the project, importing it only when needed."""
    import importlib

    try:
        target = getattr(importlib.import_module(module), func)
    except ImportError as exc:
        what = "the interactive app" if module == "simulator.app" else f"'{args.command}'"
        raise _Usage(
            f"{what} is not available ({module}.{func} could not be imported: {exc}). "
            "Headless commands still work: rtw-train lint | play | schema"
        ) from None
    except AttributeError:
        raise _Usage(f"{module} has no function {func}()") from None
    result = target(args)
    return int(result) if isinstance(result, int) else EXIT_OK


# -- lint -------------------------------------------------------------------------------------------
def _rubric(path: Optional[str]):
    from .loader import load_rubric

    try:
        return load_rubric(path)
    except RubricError as exc:
        raise _Usage(f"listening rubric unusable: {exc}") from None


def _expand(paths: Sequence[str]) -> list[Path]:
    from .loader import scenario_files

    targets = [Path(p) for p in paths] if paths else [scenarios_dir()]
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            found = scenario_files(target)
            if not found:
                raise _Usage(f"{target}: no scenario file (*.yaml) in this directory")
            files.extend(found)
        elif target.is_file():
            files.append(target)
        else:
            raise _Usage(f"{target}: no such file or directory")
    return files


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
            rng = random.Random(args.random)
            while not session.finished:
                if len(session.turns) >= MAX_PLAY_TURNS:
                    print(f"rtw-train: stopped after {MAX_PLAY_TURNS} turns without reaching an ending", file=sys.stderr)
                    return EXIT_PROBLEMS
                session.choose(rng.randint(1, len(session.choices())))
    except SessionError as exc:
        raise _Usage(f"{scenario.path}: {exc}") from None
    result = score(session, rubric)
    if args.format == "json":
        print(json.dumps(_play_json(session, result), indent=2, ensure_ascii=False))
    else:
        _print_play(session, result)
    return EXIT_OK


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
    print(f"Overall: {result.overall}/100   harmful responses: {result.harmful_count}")
    for dim in result.dimensions.values():
        value = "  -" if dim.value is None else f"{dim.value:3d}"
        print(f"  {value}  {dim.label} ({dim.status}, threshold {dim.threshold:g})")
    for ind in result.indicators:
        value = "-" if ind.value is None else f"{ind.value:g}"
        sign = ">=" if ind.comparison == "at_least" else "<="
        print(f"  {ind.label}: {value} ({ind.status}, {sign} {ind.threshold:g})")


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
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise _Usage(f"{path}: directory {directory} does not exist")
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the file the usual permissions
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
