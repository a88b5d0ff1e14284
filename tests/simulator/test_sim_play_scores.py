"""What `rtw-train play` says about the scores under rubric v2: relevant evidence only, trained dimensions
judged, MITI levels in words, the harmful count as a sentence, the global ratings as estimates."""

from __future__ import annotations

import json
from pathlib import Path

from simulator.cli import main

DATA = Path(__file__).resolve().parent / "data"
MARKED = str(DATA / "marked.yaml")


def play(capsys, *argv):
    code = main(["play", *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_the_first_call_of_issue_9_is_not_judged_on_courses_of_action(capsys):
    out = play(capsys, "first-call", "--choices", "1,2,1,1,1,1,1,1,2")
    line = next(x for x in out.splitlines() if "Look for courses of action together" in x)
    assert "below" not in line and "50" not in line
    data = json.loads(play(capsys, "first-call", "--choices", "1,2,1,1,1,1,1,1,2", "--format", "json"))
    # The path's give_info (neutral) alone is no evidence; what evidence the revised call gives is positive.
    score = data["scores"]["courses_of_action_together"]
    assert score is None or score >= 70
    assert data["harmful_count"] == 0 and data["ending"]["outcome"] == "positive"


def test_only_trained_dimensions_get_a_verdict(capsys):
    out = play(capsys, MARKED, "--choices", "2,3,2")  # three harmful choices
    lines = out.splitlines()
    explore = next(x for x in lines if "Explore the actual work" in x)
    assert "not trained here" in explore and "below" not in explore and "threshold" not in explore
    listen = next(x for x in lines if "Listen without judging" in x)
    assert "(below, threshold 70)" in listen
    assert not any("Respect the process" in x for x in lines)  # neither trained nor evidenced: left out
    assert "3 harmful responses — target: none" in out


def test_indicators_and_ratings_in_words(capsys):
    out = play(capsys, MARKED, "--choices", "1,1,1")
    assert "Reflection-to-question ratio: 1.0 (fair; fair ≥1.0 · good ≥2.0)" in out
    assert "Share of complex reflections: 100% (good; fair ≥40% · good ≥50%)" in out
    assert "No harmful response — target: none" in out
    assert "not a MITI coding" in out
    data = json.loads(play(capsys, MARKED, "--choices", "1,1,1", "--format", "json"))
    assert data["global_ratings"]["estimated_from_codes"] is True
    assert set(data["global_ratings"]["ratings"]) == {
        "cultivating_change_talk", "softening_sustain_talk", "partnership", "empathy"
    }
    assert all(1 <= v <= 5 for v in data["global_ratings"]["ratings"].values())
    assert data["rubric_version"] == "2" and data["trains"][0] == "let_worker_lead"
    assert data["dimensions"]["explore_actual_work"]["status"] == "no evidence"
