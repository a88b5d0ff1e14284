"""Loading: ScenarioError carries file and line; packaged data is found; the doc example is valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator import paths
from simulator.engine import Session, score
from simulator.errors import ScenarioError
from simulator.lint import lint_file
from simulator.loader import load_scenario, load_scenarios

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
REPO = HERE.parents[1]


@pytest.mark.parametrize(
    "name, line, code",
    [
        ("bad-yaml", 3, "SC001"),
        ("dup-key", 3, "SC002"),
        ("not-mapping", 1, "SC003"),
        ("schema", 4, "SC102"),
        ("start-missing", 11, "SC201"),
        ("references", 19, "SC205"),
    ],
)
def test_load_scenario_raises_with_file_and_line(name, line, code):
    path = DATA / "lint" / f"{name}.yaml"
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    err = info.value
    assert (err.file, err.line, err.code) == (str(path), line, code)
    assert str(err).startswith(f"{path}:{line}")


def test_pedagogy_problems_do_not_block_loading():
    assert load_scenario(DATA / "lint" / "pedagogy.yaml").id == "pedagogy"


def test_missing_file():
    with pytest.raises(ScenarioError) as info:
        load_scenario(DATA / "nope.yaml")
    assert "cannot read file" in info.value.message


def test_load_scenarios_default_and_duplicates(tmp_path):
    ids = [s.id for s in load_scenarios()]
    assert "first-call" in ids and len(ids) == len(set(ids))
    (tmp_path / "a.yaml").write_text((DATA / "mini.yaml").read_text())
    (tmp_path / "b.yaml").write_text((DATA / "mini.yaml").read_text())
    with pytest.raises(ScenarioError) as info:
        load_scenarios(tmp_path)
    assert "also used by" in info.value.message and info.value.line == 2


def test_paths_fall_back_to_the_repo(monkeypatch):
    monkeypatch.setattr(paths, "_package_path", lambda *a: None)
    assert paths.scenarios_dir() == REPO / "scenarios"
    assert paths.listening_rubric_path() == REPO / "rubrics" / "listening.yaml"


def test_paths_prefer_the_packaged_copy(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "_package_path", lambda package, *parts: tmp_path.joinpath(package, *parts))
    assert paths.scenarios_dir() == tmp_path / "simulator" / "_data" / "scenarios"
    assert paths.listening_rubric_path() == tmp_path / "auditor" / "_data" / "rubrics" / "listening.yaml"


def test_real_paths_exist():
    assert paths.scenarios_dir().is_dir() and paths.listening_rubric_path().is_file()


def test_doc_example_is_valid_and_playable(tmp_path, rubric):
    doc = (REPO / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    block = doc.split("## A full small example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "doc-example.yaml"
    path.write_text(block, encoding="utf-8")
    report = lint_file(path, rubric)
    assert report.problems == [], [d.render() for d in report.problems]
    s = Session.start(load_scenario(path), rubric)
    s.choose(1)
    s.choose(1)
    assert s.ending is not None
    assert s.ending.outcome == "positive" and score(s, rubric).overall == 100


def test_first_call_meets_the_brief(rubric):
    s = load_scenario(REPO / "scenarios" / "first-call.yaml")
    assert s.role == "coordinator" and 10 <= s.duration_minutes <= 15 and 2 in s.guide_steps
    decisions = s.decisions()
    assert len(decisions) >= 10
    assert all(n.choices is not None and 3 <= len(n.choices) <= 4 for n in decisions.values())
    assert len({e.title for e in s.endings().values()}) >= 3
    assert {e.outcome for e in s.endings().values()} == {"positive", "mixed", "negative"}
    for node in decisions.values():
        assert node.choices is not None
        for c in node.choices:
            assert c.codes and c.feedback and c.source


def test_hostile_yaml_is_refused_cleanly(tmp_path):
    laughs = tmp_path / "laughs.yaml"
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdef", "bcdefg", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    laughs.write_text("\n".join(lines) + "\n")
    deep = tmp_path / "deep.yaml"
    deep.write_text("a: " + "[" * 3000 + "]" * 3000 + "\n")
    for path, message in ((laughs, "too large"), (deep, "nested too deeply")):
        with pytest.raises(ScenarioError) as info:
            load_scenario(path)
        assert info.value.code == "SC001" and message in info.value.message
