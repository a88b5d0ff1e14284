"""rtw-train graph: one box per node and one arrow per option and branch, harmful arrows marked, endings
coloured by outcome, atomic -o that never overwrites the scenario; hostile text never breaks the syntax
(checked by a strict line grammar for Mermaid and DOT, and by Graphviz itself when it is installed)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.cli import main
from simulator.diagram import OUTCOME_COLOURS, build, dot_text, mermaid_text, to_dot, to_mermaid
from simulator.loader import load_rubric, load_scenario
from simulator.scenario import Scenario

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SCENARIOS = sorted((HERE.parents[1] / "scenarios").glob("*.yaml"))
RUBRIC = load_rubric()
DOT = shutil.which("dot")

# -- a strict reading of the Mermaid we write --------------------------------------------------------
M_LABEL = r'"([^"<>\n]*(?:<br>[^"<>\n]*)*)"'  # a quoted label: no quote, no raw < > except <br>
M_NODE = re.compile(r"^    (n\d+)(?:\[" + M_LABEL + r"\]|\{" + M_LABEL + r"\}|\(\[" + M_LABEL + r"\]\))$")
M_EDGE = re.compile(r"^    (n\d+) (-->|-\.->)\|" + M_LABEL + r"\| (n\d+)$")
M_OTHER = [
    re.compile(r"^flowchart TD$"),
    re.compile(r"^    %% [^{}\n]*$"),
    re.compile(r'^    subgraph legend\["Legend"\]$'),
    re.compile(r"^        legend_\w+.*$"),
    re.compile(r"^    end$"),
    re.compile(r"^    classDef (positive|mixed|negative|start) [\w:#,-]+$"),
    re.compile(r"^    class [\w,]+ (positive|mixed|negative|start)$"),
    re.compile(r"^    linkStyle [\d,]+ [\w:#,-]+$"),
]


def parse_mermaid(text: str) -> dict:
    """Every line must be one of the forms above; returns the nodes, edges and styles it declares."""
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str, str]] = []
    classes: dict[str, set[str]] = {}
    styled: list[int] = []
    assert text.endswith("\n")
    for line in text[:-1].split("\n"):
        m = M_NODE.match(line)
        if m:
            assert m.group(1) not in nodes, line
            nodes[m.group(1)] = next(g for g in m.groups()[1:] if g is not None)
            continue
        m = M_EDGE.match(line)
        if m:
            edges.append((m.group(1), m.group(2), m.group(3), m.group(4)))
            continue
        assert any(p.match(line) for p in M_OTHER), f"not valid here: {line!r}"
        if line.startswith("    class "):
            members, name = line.split()[1:]
            classes.setdefault(name, set()).update(members.split(","))
        if line.startswith("    linkStyle "):
            styled = [int(i) for i in line.split()[1].split(",")]
    for source, _, _, target in edges:
        assert source in nodes and target in nodes
    return {"nodes": nodes, "edges": edges, "classes": classes, "styled": styled}


def unmermaid(label: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label.replace("<br>", "\n"))


# -- a strict reading of the DOT we write ------------------------------------------------------------
D_STRING = r'"((?:[^"\\\n]|\\.)*)"'
D_ATTR = r'\w+=(?:' + D_STRING + r'|[\w.]+)'
D_NODE = re.compile(r"^    (n\d+) \[(" + D_ATTR + r"(?:, " + D_ATTR + r")*)\];$")
D_EDGE = re.compile(r"^    (n\d+) -> (n\d+) \[(" + D_ATTR + r"(?:, " + D_ATTR + r")*)\];$")


def dot_attrs(text: str) -> dict[str, str]:
    return {m.group(1): (m.group(2) if m.group(2) is not None else m.group(3))
            for m in re.finditer(r'(\w+)=(?:"((?:[^"\\\n]|\\.)*)"|([\w.]+))', text)}


D_TOKEN = re.compile(r'\s*(?:(->)|([{}\[\];,=])|([A-Za-z_]\w*|-?\d+(?:\.\d+)?)|"((?:[^"\\]|\\.)*)")', re.DOTALL)


def dot_tokens(text: str) -> list[tuple[str, str]]:
    """The DOT tokens of ``text`` (an unterminated string or a stray character fails): (kind, value)."""
    out, pos = [], 0
    while text[pos:].strip():
        m = D_TOKEN.match(text, pos)
        assert m and m.end() > pos, f"not DOT at {text[pos:pos + 40]!r}"
        kind = next(k for k, g in zip(("arrow", "punct", "id", "string"), m.groups(), strict=True) if g is not None)
        assert m.lastindex is not None  # one group matched: its kind was found above
        out.append((kind, m.group(m.lastindex)))
        pos = m.end()
    return out


def parse_dot(text: str) -> dict:
    """The whole text must tokenize; scenario lines (``n0 [...]``, ``n0 -> n1 [...]``) must match exactly."""
    tokens = dot_tokens(text)
    assert tokens[:3] == [("id", "digraph"), ("id", "scenario"), ("punct", "{")] and tokens[-1] == ("punct", "}")
    nodes, edges = {}, []
    for line in text[:-1].split("\n"):
        if re.match(r"^    n\d+ ", line):
            if m := D_NODE.match(line):
                nodes[m.group(1)] = dot_attrs(m.group(2))
            else:
                m = D_EDGE.match(line)
                assert m, line
                edges.append((m.group(1), m.group(2), dot_attrs(m.group(3))))
    return {"nodes": nodes, "edges": edges, "tokens": tokens}


def undot(label: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), label)


# -- the diagram of a scenario ----------------------------------------------------------------------
def expected_arrows(scenario: Scenario) -> int:
    return sum(len(n.choices or []) + len(n.branches or []) for n in scenario.nodes.values())


@pytest.mark.parametrize("path", SCENARIOS + [DATA / "mini.yaml", DATA / "conditional.yaml"], ids=lambda p: p.stem)
def test_one_box_per_node_one_arrow_per_option_and_branch(path):
    scenario = load_scenario(path)
    diagram = build(scenario, RUBRIC)
    m = parse_mermaid(to_mermaid(diagram))
    d = parse_dot(to_dot(diagram))
    assert len(m["nodes"]) == len(d["nodes"]) == len(scenario.nodes)
    assert len(m["edges"]) == len(d["edges"]) == expected_arrows(scenario)
    harmful = [i for i, a in enumerate(diagram.arrows) if a.harmful]
    assert [i for i, e in enumerate(m["edges"]) if e[1] == "-.->"] == harmful
    assert m["styled"] == harmful + [len(diagram.arrows) + 1]  # + the legend's harmful arrow
    assert [i for i, e in enumerate(d["edges"]) if e[2].get("style") == "dashed"] == harmful
    for outcome, (fill, _) in OUTCOME_COLOURS.items():
        endings = {f"n{i}" for i, n in enumerate(scenario.nodes.values()) if n.ending and n.ending.outcome == outcome}
        assert m["classes"].get(outcome, set()) - {f"legend_{outcome}"} == endings
        assert {k for k, a in d["nodes"].items() if a.get("fillcolor") == fill} == endings


def test_labels_say_what_a_trainer_needs():
    scenario = load_scenario(DATA / "mini.yaml")
    m = parse_mermaid(to_mermaid(build(scenario, RUBRIC)))
    labels = {unmermaid(label) for _, _, label, _ in m["edges"]}
    assert {"1: when trust >= 50 and calm > 2", "2: otherwise", "2: judge", "1: open_question, emphasize_autonomy"} <= labels
    assert unmermaid(m["nodes"]["n1"]) == "d1\nPat waits."
    assert unmermaid(m["nodes"]["n5"]) == "Good\npositive ending"
    assert "n0" in m["classes"]["start"]
    conditional = build(load_scenario(DATA / "conditional.yaml"), RUBRIC)
    assert any(a.conditional and a.lines[-1].startswith("when ") for a in conditional.arrows)


# -- hostile text -----------------------------------------------------------------------------------
HOSTILE = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=40).filter(str.strip) | st.sampled_from(
    ['"]; n9["x', "a\nb\r\nc", "<b>x</b>", "#quot; #35;", "end", "\\N \\l \\", "|x| -->", "%% {}", "}]) x ([{", "`*_`"])


def hostile_scenario(prompt: str, title: str, summary: str) -> Scenario:
    opt = {"codes": ["open_question"], "feedback": "f", "source": "IRSST guide, step 5"}
    nodes = {
        "d0": {"prompt": prompt, "choices": [{**opt, "text": "a", "next": "e0"},
                                             {**opt, "text": "b", "codes": ["judge"], "next": "e1"}]},
        "e0": {"ending": {"title": title, "outcome": "positive", "summary": summary}},
        "e1": {"ending": {"title": prompt + title, "outcome": "negative", "summary": summary}},
    }
    data = {"id": "hostile", "title": title, "version": prompt[:10] or "1", "role": "supervisor", "guide_steps": [5],
            "objectives": ["x"], "duration_minutes": 1, "difficulty": "introductory",
            "characters": {"w": {"name": "W", "role": "worker"}}, "start": "d0", "nodes": nodes}
    return Scenario.model_validate(data)


def _flat(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prompt=HOSTILE, title=HOSTILE, summary=HOSTILE)
def test_hostile_text_never_breaks_the_syntax_and_reads_back_unchanged(prompt, title, summary):
    diagram = build(hostile_scenario(prompt, title, summary), RUBRIC)
    m = parse_mermaid(to_mermaid(diagram))
    d = parse_dot(to_dot(diagram))
    assert len(m["nodes"]) == len(d["nodes"]) == 3 and len(m["edges"]) == len(d["edges"]) == 2
    for box in diagram.boxes:
        want = "\n".join(box.lines).replace("\r\n", "\n").replace("\r", "\n")
        assert unmermaid(m["nodes"][box.key]) == want
        assert undot(d["nodes"][box.key]["label"]) == "".join(c if c == "\n" or ord(c) >= 32 and ord(c) != 127 else " " for c in want)
    assert _flat(title) in _flat(unmermaid(m["nodes"]["n1"]))
    # the same token structure as a tame scenario: only the strings' contents differ
    tame = parse_dot(to_dot(build(hostile_scenario("p", "t", "s"), RUBRIC)))["tokens"]
    assert [(k, v if k != "string" else "") for k, v in d["tokens"]] == [(k, v if k != "string" else "") for k, v in tame]


@pytest.mark.parametrize("text", ['say "hi"', "a\\nb", "<x>", "#35;", "[{()}]|;", "é", "line\nbreak"])
def test_escapers_keep_only_safe_characters(text):
    assert re.fullmatch(r"[A-Za-z0-9 .,:?!'\-_/+=#;<>br]*", mermaid_text(text))
    assert "<" not in mermaid_text(text).replace("<br>", "")
    assert re.fullmatch(r'(?:[^"\\\n]|\\.)*', dot_text(text))


@pytest.mark.skipif(DOT is None, reason="Graphviz 'dot' is not installed: the DOT output is checked by the grammar above only")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prompt=HOSTILE, title=HOSTILE)
def test_graphviz_renders_hostile_dot_without_complaint(prompt, title):
    text = to_dot(build(hostile_scenario(prompt, title, "s"), RUBRIC))
    assert DOT is not None  # skipped otherwise
    done = subprocess.run([DOT, "-Tsvg"], input=text.encode(), capture_output=True, timeout=60)
    assert done.returncode == 0 and b"<svg" in done.stdout, done.stderr.decode(errors="replace")
    assert b"syntax error" not in done.stderr


@pytest.mark.skipif(DOT is None, reason="Graphviz 'dot' is not installed")
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_graphviz_renders_every_packaged_scenario(path):
    text = to_dot(build(load_scenario(path), RUBRIC))
    assert DOT is not None  # skipped otherwise
    done = subprocess.run([DOT, "-Tsvg"], input=text.encode(), capture_output=True, timeout=60)
    assert done.returncode == 0 and done.stderr == b"", done.stderr.decode(errors="replace")
    assert load_scenario(path).title in html.unescape(done.stdout.decode())


# -- the command ------------------------------------------------------------------------------------
def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_graph_to_stdout_and_to_a_file_atomically(tmp_path, capsys):
    code, out, _ = run(capsys, "graph", "first-call")
    assert code == 0 and out.startswith("flowchart TD\n")
    target = tmp_path / "first-call.dot"
    code, out, _ = run(capsys, "graph", "first-call", "-o", target)
    assert code == 0 and out == "" and target.read_text().startswith("digraph scenario {")
    assert [p.name for p in tmp_path.iterdir()] == ["first-call.dot"]  # no temporary file left
    code, _, _ = run(capsys, "graph", "first-call", "-o", target, "--format", "mermaid")
    assert code == 0 and target.read_text().startswith("flowchart TD")


def test_graph_never_overwrites_the_scenario_and_refuses_bad_targets(tmp_path, capsys):
    source = tmp_path / "draft.yaml"
    shutil.copy(DATA / "mini.yaml", source)
    before = source.read_bytes()
    for target, message in [(source, "that is the scenario file itself"), (tmp_path, "is a directory"),
                            (tmp_path / "no" / "such" / "x.mmd", "does not exist")]:
        code, out, err = run(capsys, "graph", source, "-o", target)
        assert code == 2 and message in err and "Traceback" not in err and out == ""
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.yaml"]


def test_graph_of_a_broken_file_exits_2_with_its_line(capsys):
    code, out, err = run(capsys, "graph", DATA / "lint" / "references.yaml")
    assert code == 2 and out == "" and "references.yaml:19" in err
