"""What a scenario author meets first: lint messages that say what to fix (SC202, SC304, SC308, SC309),
lint on a folder of drafts, play's exit statuses, and --strict/--help agreeing with the docs."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml

from simulator.cli import EXIT_STATUSES, build_parser, main
from simulator.engine import Session
from simulator.lint import WARNING_CODES, lint_file
from simulator.loader import load_rubric, load_scenario

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
LINT = DATA / "lint"
REPO = HERE.parents[1]
DOC = (REPO / "docs" / "scenario-format.md").read_text(encoding="utf-8")
RUBRIC = load_rubric()
OPT = {"feedback": "f", "source": "IRSST guide, step 5"}


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def scenario_file(tmp_path: Path, nodes: dict, state: dict | None = None, start: str = "d0", name: str = "s.yaml") -> Path:
    data = {
        "id": name.split(".")[0], "title": "T", "version": "1", "role": "supervisor", "guide_steps": [5],
        "objectives": ["x"], "duration_minutes": 1, "difficulty": "introductory",
        "characters": {"w": {"name": "Pat Doe", "role": "worker"}},
        "state": state if state is not None else {"trust": {"initial": 50}},
        "start": start, "nodes": nodes,
    }
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def opt(text: str, nxt: str, codes=("open_question",), **extra) -> dict:
    return {"text": text, "codes": list(codes), **OPT, "next": nxt, **extra}


ENDINGS = {
    "e_pos": {"ending": {"title": "P", "outcome": "positive", "summary": "s"}},
    "e_neg": {"ending": {"title": "N", "outcome": "negative", "summary": "s"}},
}


def messages(path: Path, code: str) -> list[str]:
    return [d.message for d in lint_file(path, RUBRIC).problems if d.code == code]


# -- SC308 ------------------------------------------------------------------------------------------
def test_sc308_names_option_variable_value_and_range_and_its_replay_clamps(capsys):
    path = LINT / "authoring.yaml"
    [message] = messages(path, "SC308")
    assert message.startswith("option 2 of 'open' pushes 'calm' out of its range 0..10 in every state that offers it")
    assert "(e.g. to -2, " in message
    found = re.search(r"--choices ([\d,]+)", message)
    assert found
    replay = found.group(1)
    session = Session.start(load_scenario(path), RUBRIC)
    for number in map(int, replay.split(",")):
        turn = session.choose(number)
    assert turn.state_before["calm"] == 0 and turn.state_after["calm"] == 0  # -2 from 0: clamped, no change


def test_sc308_only_when_the_effect_never_applies_in_full(tmp_path):
    """+60 from 50 always overflows; +30 overflows only after the first +30, so it is left alone."""
    nodes = {
        "d0": {"choices": [opt("a", "d1", effects={"trust": 30}), opt("b", "d1"), opt("c", "d1", effects={"trust": 60})]},
        "d1": {"choices": [opt("d", "e_pos", effects={"trust": 30}), opt("e", "e_neg")]},
        **ENDINGS,
    }
    path = scenario_file(tmp_path, nodes)
    unmarked = {"SC412", "SC415"}  # the fixture has no model options nor `trains`: not what this test is about
    found = [(d.code, d.severity, d.line) for d in lint_file(path, RUBRIC).problems if d.code not in unmarked]
    assert [c for c, _, _ in found] == ["SC308"] and found[0][1] == "warning"
    assert messages(path, "SC308")[0].startswith("option 3 of 'd0' pushes 'trust'") and "to 110" in messages(path, "SC308")[0]


# -- SC304 ------------------------------------------------------------------------------------------
def test_sc304_names_each_blocking_condition_and_why():
    [message] = messages(LINT / "authoring.yaml", "SC304")
    assert message.startswith("ending 'end_plan' is never reached in any playthrough: every path to it is blocked at one of 2 places")
    assert "branch 1 of 'weigh', whose condition `agreed >= 2` can never hold: `agreed` has max: 1" in message
    assert "branch 2 of 'weigh', whose condition `trust >= 90` never holds in any playthrough: trust never reaches 90" in message
    assert "(highest value found: 60)" in message


def test_sc304_single_blocked_option_and_min_bound():
    [message] = messages(LINT / "graph.yaml", "SC304")
    assert message.endswith("every path to it passes branch 2 of 'check', whose condition `trust < 0` can never hold: "
                            "`trust` has min: 0")


def test_sc304_shadowed_branch_and_conditional_option(tmp_path):
    nodes = {
        "d0": {"choices": [opt("a", "gate", effects={"trust": 10}), opt("b", "gate", effects={"trust": -10})]},
        "gate": {"branches": [{"when": "trust >= 40", "next": "d1"}, {"when": "trust >= 55", "next": "e_mix"},
                              {"next": "e_neg"}]},
        "d1": {"choices": [opt("c", "e_pos"), opt("d", "e_neg"), opt("e", "e_hid", when="harmful > 0")]},
        "e_mix": {"ending": {"title": "M", "outcome": "mixed", "summary": "s"}},
        "e_hid": {"ending": {"title": "H", "outcome": "mixed", "summary": "s"}},
        **ENDINGS,
    }
    path = scenario_file(tmp_path, nodes)
    by_ending = {m.split("'")[1]: m for m in messages(path, "SC304")}
    assert set(by_ending) == {"e_mix", "e_hid"}
    assert by_ending["e_mix"].endswith("every path to it passes branch 2 of 'gate', never taken: whenever `trust >= 55` "
                                       "holds, an earlier branch applies first (e.g. branch 1: `trust >= 40`)")
    assert by_ending["e_hid"].endswith("every path to it passes option 3 of 'd1', offered only when `harmful > 0`, which "
                                       "never holds in any playthrough: harmful never exceeds 0 there (highest value found: 0)")


# -- SC309 / SC302 ----------------------------------------------------------------------------------
def test_a_loop_with_no_way_out_is_named_once_and_explains_the_dead_ends(tmp_path):
    nodes = {
        "d0": {"choices": [opt("a", "d1"), opt("b", "d1")]},
        "d1": {"choices": [opt("c", "l1"), opt("d", "l2")]},
        "l1": {"choices": [opt("e", "l2"), opt("f", "l3")]},
        "l2": {"choices": [opt("g", "l3"), opt("h", "l1")]},
        "l3": {"choices": [opt("i", "l1"), opt("j", "l2")]},
        "never": {"choices": [opt("k", "e_pos"), opt("l", "e_neg")]},
        **ENDINGS,
    }
    path = scenario_file(tmp_path, nodes)
    problems = lint_file(path, RUBRIC).problems
    assert [d.code for d in problems if d.code in ("SC302", "SC309")] == ["SC309"]
    [loop] = [d for d in problems if d.code == "SC309"]
    assert loop.line == path.read_text().splitlines().index("  l1:") + 1
    assert "'l1', 'l2', 'l3' lead only to one another" in loop.message
    assert "2 other node(s) can only end up in it: 'd0', 'd1'" in loop.message


def test_sc302_remains_for_a_dead_end_made_of_missing_nodes():
    codes = [d.code for d in lint_file(LINT / "missing-node.yaml", RUBRIC).problems]
    assert codes.count("SC302") == 2 and "SC309" not in codes


# -- SC202 ------------------------------------------------------------------------------------------
def test_sc202_suggests_the_nearest_node_id():
    found = messages(LINT / "missing-node.yaml", "SC202")
    assert found == [
        "option 1 of 'open' jumps to missing node 'wrap_up' (did you mean 'wrap'?)",
        "option 1 of 'closing' jumps to missing node 'wrap_up' (did you mean 'wrap'?)",
        "option 2 of 'closing' jumps to missing node 'wrapup' (did you mean 'wrap'?)",
    ]


# -- lint DIR ---------------------------------------------------------------------------------------
def test_lint_directory_searches_subfolders_and_skips_hidden_ones(tmp_path, capsys):
    (tmp_path / "drafts" / "deeper").mkdir(parents=True)
    (tmp_path / ".cache").mkdir()
    shutil.copy(LINT / "graph.yaml", tmp_path / "drafts" / "deeper" / "broken.yml")
    shutil.copy(DATA / "conditional.yaml", tmp_path / "top.yaml")
    shutil.copy(LINT / "bad-yaml.yaml", tmp_path / ".cache" / "ignored.yaml")
    shutil.copy(LINT / "bad-yaml.yaml", tmp_path / "drafts" / ".hidden.yaml")
    (tmp_path / "drafts" / "notes.txt").write_text("not a scenario")
    code, out, _ = run(capsys, "lint", tmp_path, "--format", "json")
    files = [Path(s["file"]).relative_to(tmp_path).as_posix() for s in json.loads(out)["scenarios"]]
    assert files == ["drafts/deeper/broken.yml", "top.yaml"] and code == 1


def test_lint_directory_without_scenarios_says_so(tmp_path, capsys):
    (tmp_path / "sub").mkdir()
    code, _, err = run(capsys, "lint", tmp_path)
    assert code == 2 and "no scenario file (*.yaml, *.yml) in this directory or its subfolders" in err


# -- play exit statuses -----------------------------------------------------------------------------
def test_play_stopped_before_an_ending_exits_3_and_names_the_decision(capsys):
    code, out, err = run(capsys, "play", DATA / "mini.yaml", "--choices", "1")
    assert code == 3 and "Not finished" in out
    assert err.strip() == ("rtw-train: stopped before an ending: after 1 choice(s), decision 'd2' is waiting "
                           "(2 option(s) offered): give more --choices, or --random SEED to finish at random")
    code, out, err = run(capsys, "play", DATA / "mini.yaml", "--format", "json")
    assert code == 3 and json.loads(out)["finished"] is False and "before the first choice, decision 'd1'" in err
    code, _, err = run(capsys, "play", DATA / "mini.yaml", "--choices", "1,1")
    assert code == 0 and err == ""
    code, _, err = run(capsys, "play", LINT / "authoring.yaml", "--choices", "3,1")
    assert code == 3 and "decision 'around' is waiting, but no ending can be reached from it" in err


def test_play_random_into_a_loop_with_no_way_out_exits_2_naming_it(capsys):
    started = time.monotonic()
    code, out, err = run(capsys, "play", LINT / "authoring.yaml", "--choices", "3", "--random", "5")
    assert code == 2 and out == "" and "Traceback" not in err
    assert "the conversation is at 'circle', from which no ending can be reached" in err
    assert "'circle', 'around'" in err and "SC309" in err
    assert time.monotonic() - started < 10


def test_play_random_around_a_loop_whose_exit_never_opens_is_bounded(tmp_path, capsys):
    nodes = {
        "d0": {"choices": [opt("a", "d1"), opt("b", "d1"), opt("out", "e_pos", when="trust > 90")]},
        "d1": {"choices": [opt("c", "d0"), opt("d", "d0")]},
        **ENDINGS,
    }
    path = scenario_file(tmp_path, nodes)
    code, _, err = run(capsys, "play", path, "--random", "1")
    assert code == 2 and "no ending after 80 random decisions (20 per node)" in err
    assert "keeps going round 'd0', 'd1'" in err


# -- --strict, --help and the docs agree -------------------------------------------------------------
def _doc_warning_codes() -> set[str]:
    return set(re.findall(r"^\| (SC\d{3}) \| \*warning\*", DOC, re.MULTILINE))


def test_warning_codes_are_the_same_in_lint_the_help_and_the_docs(capsys):
    assert _doc_warning_codes() == WARNING_CODES
    with pytest.raises(SystemExit):
        main(["lint", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    listed = re.search(r"--strict warnings fail too: exit 1 if any warning is found, whatever its code \(([^)]*)\)", help_text)
    assert listed and set(listed.group(1).split(", ")) == WARNING_CODES
    assert "`--strict`: warnings fail too" in DOC


def test_every_exit_status_is_in_the_help_and_the_docs():
    help_codes = re.findall(r"^  (\d+) ", EXIT_STATUSES, re.MULTILINE)
    assert help_codes == ["0", "1", "2", "3", "130"]
    assert EXIT_STATUSES in build_parser().format_help()
    section = DOC.split("## Exit statuses of rtw-train", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^\| (\d+) \|", section, re.MULTILINE) == help_codes
