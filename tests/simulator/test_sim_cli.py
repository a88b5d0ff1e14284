"""rtw-train lint / play / schema and the hooks for the app's subcommands."""

from __future__ import annotations

import json
import re
import shutil
import sys
import types
from pathlib import Path

import pytest

from simulator.cli import main

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
REPO = HERE.parents[1]
LINE = re.compile(r"^.+:\d+:\d+: SC\d{3} .+$")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_lint_packaged_scenarios_clean(capsys):
    code, out, _ = run(capsys, "lint")
    assert code == 0 and "All checks passed" in out


def test_lint_reports_ruff_like_lines_and_exit_1(capsys):
    code, out, _ = run(capsys, "lint", str(DATA / "lint" / "references.yaml"))
    assert code == 1
    lines = out.strip().splitlines()
    assert all(LINE.match(line) for line in lines[:-1]), out
    lines = [line for line in lines if not re.search(r" SC41[25] ", line)]  # the fixture predates `trains` and `model`
    assert lines[0].startswith(f"{DATA / 'lint' / 'references.yaml'}:19:9: SC205 ")


def test_lint_directory_and_json_stats(capsys):
    code, out, _ = run(capsys, "lint", str(REPO / "scenarios" / "first-call.yaml"), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["problems"] == [] and data["summary"] == {"files": 1, "problems": 0, "errors": 0, "warnings": 0}
    (stats,) = data["scenarios"]
    assert stats["id"] == "first-call"
    for key in ("title", "decision_points", "options", "endings", "reachable_endings", "shortest_path", "longest_path"):
        assert key in stats
    assert stats["decision_points"] >= 10 and stats["endings"] >= 3 and stats["reachable_endings"] == stats["endings"]
    assert stats["shortest_path"] <= stats["longest_path"]
    assert stats["state_exploration_bounded"] is False and 0 < stats["states_explored"] <= stats["state_limit"]


def test_lint_json_reports_the_exploration_bound(capsys):
    code, out, _ = run(capsys, "lint", str(REPO / "scenarios" / "first-call.yaml"), "--format", "json", "--max-states", "5")
    data = json.loads(out)
    (stats,) = data["scenarios"]
    assert stats["state_exploration_bounded"] is True and stats["state_limit"] == 5
    assert stats["reachable_endings"] is None
    assert [(p["code"], p["severity"]) for p in data["problems"]] == [("SC307", "warning")]
    assert code == 0 and data["summary"]["warnings"] == 1 and data["summary"]["errors"] == 0


def test_lint_warnings_exit_0_unless_strict(capsys):
    path = str(DATA / "lint" / "harm.yaml")
    code, out, _ = run(capsys, "lint", path)
    assert code == 0 and "SC408 [warning] positive ending 'end_good'" in out and "No errors; 1 warning(s)" in out
    assert "--choices 2,2,2" in out
    code, _, _ = run(capsys, "lint", path, "--strict")
    assert code == 1


@pytest.mark.parametrize("bad", ["0", "-3", "many"])
def test_lint_max_states_must_be_positive(capsys, bad):
    with pytest.raises(SystemExit) as info:
        main(["lint", "--max-states", bad])
    assert info.value.code == 2
    assert "--max-states" in capsys.readouterr().err


def test_lint_json_with_problems(capsys):
    code, out, _ = run(capsys, "lint", str(DATA / "lint"), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert {p["code"] for p in data["problems"]} >= {"SC001", "SC101", "SC202", "SC301", "SC405"}
    broken = next(s for s in data["scenarios"] if s["file"].endswith("bad-yaml.yaml"))
    assert broken["id"] is None and broken["problems"][0]["line"] == 3


def test_lint_duplicate_ids_across_files(tmp_path, capsys):
    shutil.copy(DATA / "mini.yaml", tmp_path / "a.yaml")
    shutil.copy(DATA / "mini.yaml", tmp_path / "b.yaml")
    code, out, _ = run(capsys, "lint", str(tmp_path))
    assert code == 1 and "b.yaml:2:1: SC208 scenario id 'mini' is also used by" in out


@pytest.mark.parametrize("args", [["lint", "/no/such/path"], ["lint", "{empty}"], ["lint", "--rubric", "/no/rubric.yaml"]])
def test_lint_unusable_input_exit_2(tmp_path, capsys, args):
    args = [a.replace("{empty}", str(tmp_path)) for a in args]
    code, out, err = run(capsys, *args)
    assert code == 2 and err.startswith("rtw-train: error: ") and "Traceback" not in err


def test_play_json(capsys):
    code, out, _ = run(capsys, "play", "first-call", "--choices", "1,3,2,1,2,2,1,1,1,1,1", "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    for key in ("ending", "scores", "indicators", "transcript", "overall", "turns"):
        assert key in data
    assert data["finished"] and data["ending"]["outcome"] in ("positive", "mixed", "negative")
    assert set(data["scores"]) == {
        "listen_without_judging", "let_worker_lead", "explore_actual_work",
        "courses_of_action_together", "confidentiality_consent", "respect_roles",
    }
    assert all(v is None or 0 <= v <= 100 for v in data["scores"].values())
    assert data["transcript"][0]["kind"] == "line"


def test_play_shows_the_summary_and_prompts(capsys):
    code, out, _ = run(capsys, "play", str(DATA / "conditional.yaml"), "--choices", "1")
    assert code == 3  # stopped before an ending
    lines = out.splitlines()
    assert lines[2] == "Sam, a dispatcher on leave, agreed to a short call."
    assert lines.index("  (Sam waits.)") < lines.index("You [1]: How have things been for you?")
    pending = lines.index("Not finished. Options now:")
    assert lines[pending + 1] == "  (Sam is waiting for your answer.)"
    assert lines[pending + 2] == "  1. You carried the whole workload alone, and it wore you down."


def test_play_json_has_summary_and_prompts(capsys):
    code, out, _ = run(capsys, "play", str(DATA / "conditional.yaml"), "--choices", "2,1", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["summary"] == "Sam, a dispatcher on leave, agreed to a short call."
    said = [(e["kind"], e["prompt"]) for e in data["transcript"]]
    assert said == [("line", None), ("choice", "Sam waits."), ("line", None), ("line", None),
                    ("choice", "Sam is waiting for your answer."), ]
    assert data["ending"] == {"id": "good", "title": "Heard", "outcome": "positive",
                              "summary": "Sam talked about the workload once you had repaired your slip."}
    assert data["pending_prompt"] is None and data["harmful_count"] == 1
    code, out, _ = run(capsys, "play", str(DATA / "conditional.yaml"), "--choices", "1", "--format", "json")
    assert json.loads(out)["pending_prompt"] == "Sam is waiting for your answer."


def test_play_text_by_path(capsys):
    code, out, _ = run(capsys, "play", str(DATA / "mini.yaml"), "--choices", "1,2")
    assert code == 0
    assert "You [1]: What would you like to talk about?" in out
    assert "Ending: Good (positive)" in out and "Overall: " in out


def test_play_unfinished_shows_pending_options(capsys):
    code, out, err = run(capsys, "play", str(DATA / "mini.yaml"), "--choices", "1")
    assert code == 3 and "Not finished" in out and "1. Tell me more about the workload." in out
    assert "stopped before an ending" in err and "decision 'd2'" in err


def test_play_random_is_reproducible(capsys):
    first = run(capsys, "play", "first-call", "--random", "7", "--format", "json")
    second = run(capsys, "play", "first-call", "--random", "7", "--format", "json")
    assert first == second and json.loads(first[1])["finished"]


@pytest.mark.parametrize(
    "choices, message",
    [
        ("9", "decision 1 (node 'd1'): choice 9 does not exist at this point: pick a number from 1 to 3"),
        ("1,0", "decision 2"),
        ("1,x", "'x' is not an option number"),
        ("1,1,1", "the conversation ended after 2 choice(s)"),
    ],
)
def test_play_bad_choices_exit_2(capsys, choices, message):
    code, out, err = run(capsys, "play", str(DATA / "mini.yaml"), "--choices", choices)
    assert code == 2 and message in err and "Traceback" not in err


def test_play_unknown_scenario_and_broken_file(capsys):
    code, _, err = run(capsys, "play", "no-such-scenario")
    assert code == 2 and "no scenario with id 'no-such-scenario'" in err and "first-call" in err
    code, _, err = run(capsys, "play", str(DATA / "lint" / "references.yaml"))
    assert code == 2 and "references.yaml:19" in err


def test_schema_matches_committed_file(capsys):
    code, out, _ = run(capsys, "schema")
    assert code == 0
    committed = (REPO / "docs" / "scenario.schema.json").read_text(encoding="utf-8")
    assert json.loads(out) == json.loads(committed), "regenerate: rtw-train schema > docs/scenario.schema.json"


def test_schema_output_file(tmp_path, capsys):
    target = tmp_path / "s.json"
    assert run(capsys, "schema", "-o", str(target))[0] == 0
    assert json.loads(target.read_text())["title"] == "rtw-train scenario"
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


def test_hooks_call_the_app_and_records(monkeypatch, capsys):
    calls: list[tuple] = []

    def run_app(args):
        calls.append(("app", args.db))
        return 0

    def cli_history(args):
        calls.append(("history", args.db, args.csv))
        return 0

    def cli_export(args):
        calls.append(("export", args.db, args.csv))
        return 3

    app = types.ModuleType("simulator.app")
    vars(app).update(run_app=run_app)
    reports = types.ModuleType("simulator.reports")
    vars(reports).update(cli_history=cli_history, cli_export=cli_export)
    monkeypatch.setitem(sys.modules, "simulator.app", app)
    monkeypatch.setitem(sys.modules, "simulator.reports", reports)
    assert main(["--db", "x.db"]) == 0
    assert main(["history", "--db", "h.db"]) == 0
    assert main(["export", "--csv"]) == 3
    assert main(["export", "--csv", "out.csv"]) == 3
    assert main(["history", "--csv"]) == 0
    assert calls == [("app", "x.db"), ("history", "h.db", False), ("export", None, True),
                     ("export", None, "out.csv"), ("history", None, True)]


def test_app_options_reach_run_app(monkeypatch):
    seen: dict[str, object] = {}

    def run_app(args):
        seen.update(vars(args))
        return 0

    app = types.ModuleType("simulator.app")
    vars(app).update(run_app=run_app)
    monkeypatch.setitem(sys.modules, "simulator.app", app)
    assert main(["--db", "d.db", "--scenarios", "s", "--rubric", "r.yaml", "--trainee", "T1", "--no-coach"]) == 0
    assert (seen["db"], seen["scenarios"], seen["rubric"], seen["trainee"], seen["coach"]) == ("d.db", "s", "r.yaml", "T1", False)
    assert seen["command"] is None
