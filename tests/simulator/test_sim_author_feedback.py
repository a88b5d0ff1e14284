"""What a scenario author with only the docs needs from lint and play: replay commands that work on their
own file, "did you mean" suggestions, one-based option numbers next to zero-based paths, plain-words YAML and
condition errors, and a warning when play meets a code the rubric does not know."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.conditions import ConditionSyntaxError, parse_condition
from simulator.lint import lint_file
from simulator.loader import did_you_mean, parse_scenario, place_label

DATA = Path(__file__).resolve().parent / "data"
MINI = (DATA / "mini.yaml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "draft.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def messages(path: Path, rubric, code: str) -> list[str]:
    return [d.message for d in lint_file(path, rubric).problems if d.code == code]


# 1. play: ids in --scenarios DIR, paths in replay commands ----------------------------------------------
def test_play_finds_an_id_in_the_scenarios_folder(tmp_path, capsys):
    write(tmp_path, MINI, "renamed.yaml")  # the file name need not match the id
    assert main(["--scenarios", str(tmp_path), "play", "mini", "--choices", "1,1"]) == 0
    assert "Ending: Good" in capsys.readouterr().out
    # Without --scenarios the id is looked up among the packaged scenarios only.
    assert main(["play", "mini"]) == 2
    assert "no scenario with id 'mini'" in capsys.readouterr().err


def test_play_with_a_missing_scenarios_folder_is_a_usage_error(tmp_path, capsys):
    assert main(["--scenarios", str(tmp_path / "nope"), "play", "mini"]) == 2
    assert "no such directory" in capsys.readouterr().err


@pytest.mark.parametrize("folder", ["plain", "with space"])
def test_sc408_replay_command_uses_the_linted_path_and_replays(tmp_path, rubric, capsys, folder):
    text = (DATA / "lint" / "harm.yaml").read_text(encoding="utf-8")
    (tmp_path / folder).mkdir()
    path = write(tmp_path / folder, text)
    [message] = messages(path, rubric, "SC408")
    found = re.search(r"`rtw-train (play .+?)`", message)
    assert found
    command = found.group(1)
    argv = shlex.split(command)
    assert argv[1] == str(path)
    assert main(argv) == 0
    assert "Ending:" in capsys.readouterr().out


def test_sc408_singular_for_one_harmful_choice(tmp_path, rubric):
    text = (DATA / "lint" / "harm.yaml").read_text(encoding="utf-8")
    path = write(tmp_path, text.replace("start: a", "positive_ending_max_harmful: 0\nstart: a"))
    [message] = messages(path, rubric, "SC408")
    assert "through 1 harmful choice (more than" in message


# 3. play warns about codes missing from the rubric -----------------------------------------------------
def test_play_warns_about_unknown_codes(tmp_path, rubric, capsys):
    path = write(tmp_path, MINI.replace("codes: [judge]", "codes: [juge]"))
    assert main(["play", str(path), "--choices", "2,1"]) == 0
    err = capsys.readouterr().err
    assert "warning" in err and "'juge'" in err and "option 2 of 'd1'" in err and "rtw-train lint" in err
    # a clean file plays without warnings
    assert main(["play", str(DATA / "mini.yaml"), "--choices", "2,1"]) == 0
    assert capsys.readouterr().err == ""


# 4. did you mean ---------------------------------------------------------------------------------------
def test_unknown_code_suggests_the_close_one(tmp_path, rubric):
    path = write(tmp_path, MINI.replace("codes: [judge]", "codes: [judgee]"))
    [message] = messages(path, rubric, "SC206")
    assert message.endswith("(did you mean 'judge'?)")


def test_undeclared_variables_suggest_the_close_one(tmp_path, rubric):
    text = MINI.replace('when: "trust >= 90"\n        next: d2', 'when: "turst >= 90"\n        next: d2')
    text = text.replace("effects: {trust: 5}", "effects: {trusst: 5}")
    path = write(tmp_path, text)
    [sc203] = messages(path, rubric, "SC203")
    [sc204] = messages(path, rubric, "SC204")
    assert "(did you mean 'turns' or 'trust'?)" in sc203  # both close: the built-in and the declared one
    assert "(did you mean 'trust'?)" in sc204  # effects cannot change built-ins: only declared ones offered


def test_unknown_field_suggests_a_field_of_that_place(tmp_path):
    path = write(tmp_path, MINI.replace('feedback: "Closed."', 'feeback: "Closed."'))
    _, problems = parse_scenario(path)
    [d] = [p for p in problems if p.code == "SC103"]
    assert d.message == "unknown field nodes.d1.choices[2].feeback (option 3 of 'd1') (did you mean 'feedback'?)"


def test_did_you_mean_only_when_close():
    assert did_you_mean("feeback", ["feedback", "source"]) == " (did you mean 'feedback'?)"
    assert did_you_mean("zzz", ["feedback", "source"]) == ""
    assert did_you_mean("turst", ["trust", "turns", "calm"]) == " (did you mean 'turns' or 'trust'?)"


# 5. condition messages ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, wanted",
    [
        ("(trust < 40", "expected ')'"),
        ("trust = 40", "to compare, use `==`"),
        ("trust =< 40", "did you mean `<=`?"),
        ("trust => 40", "did you mean `>=`?"),
        ("trust < 40 && calm > 1", "use 'and', 'or', 'not' instead of symbols"),
    ],
)
def test_condition_messages_in_plain_words(text, wanted):
    with pytest.raises(ConditionSyntaxError) as info:
        parse_condition(text)
    assert wanted in str(info.value)
    assert "rpar" not in str(info.value)
    if "=" in wanted or "`" in wanted:
        assert "instead of symbols" not in str(info.value)


# 6. one-based option wording ----------------------------------------------------------------------------
def test_schema_errors_name_the_option_from_one(tmp_path):
    path = write(tmp_path, MINI.replace('when: "trust >= 50 and calm > 2"', 'when: "trust = 50"'))
    _, problems = parse_scenario(path)
    [d] = [p for p in problems if p.code == "SC104"]
    assert d.message.startswith("nodes.gate.branches[0].when (branch 1 of 'gate'): ")
    assert place_label(("nodes", "d1", "choices", 1, "reply", 0, "speaker")) == " (option 2 of 'd1')"
    assert place_label(("nodes", "d1", "lines", 0)) == ""


def test_missing_node_message_says_option(tmp_path, rubric):
    path = write(tmp_path, MINI.replace('feedback: "Judging."\n        source: "IRSST guide, step 5"\n        next: fork',
                                        'feedback: "Judging."\n        source: "IRSST guide, step 5"\n        next: frok'))
    [message] = messages(path, rubric, "SC202")
    assert message == "option 2 of 'd1' jumps to missing node 'frok' (did you mean 'fork'?)"


# 7. YAML syntax hints ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, hint",
    [
        ("id: x\nnodes:\n\ta: 1\n", "tab characters cannot indent YAML; use spaces"),
        ("id: x\nnodes:\n  a: 1\n b: 2\n", "the indentation of this line does not match the lines above"),
    ],
)
def test_yaml_syntax_errors_in_plain_words(tmp_path, text, hint):
    _, problems = parse_scenario(write(tmp_path, text))
    [d] = problems
    assert d.code == "SC001" and hint in d.message


def test_global_rubric_option_reaches_play(capsys):
    """`rtw-train --rubric X play ...` must use X: a subcommand's own option must not reset it."""
    from simulator.cli import main

    status = main(["--rubric", "/nonexistent/listening.yaml", "play", "first-call", "--random", "1"])
    _, err = capsys.readouterr()
    assert status == 2
    assert "/nonexistent/listening.yaml" in err
