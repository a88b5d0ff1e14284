"""``rtw-train graph``: a scenario's decision graph as Mermaid or Graphviz DOT text.

Why: a trainer preparing a session, or an author checking a draft, wants to *see* the branching — which
options lead where, which are harmful, which only appear in some states, and how each ending is judged —
the way Twine or Yarn Spinner users see their stories. Both outputs are plain text an author can paste
into a Markdown page (Mermaid) or render with ``dot -Tsvg`` (Graphviz).

Every piece of scenario text reaches the output through :func:`mermaid_text` or :func:`dot_text`, which
escape everything the target language could read as syntax (quotes, brackets, ``<``, ``#``, newlines…):
a prompt or a title can never break the diagram. Node ids in the output are generated (``n0``, ``n1``…), so
a scenario's own ids never need escaping there either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .rubric import ListeningRubric
from .scenario import Scenario

__all__ = ["Diagram", "build", "to_mermaid", "to_dot", "mermaid_text", "dot_text", "FORMATS", "OUTCOME_COLOURS"]

FORMATS = ("mermaid", "dot")
PROMPT_CHARS = 60  # a decision's prompt is cut to this many characters in its box

# Ending fill and border colours by outcome (readable with black text; not told apart by hue alone: the
# outcome is also written in the box).
OUTCOME_COLOURS = {
    "positive": ("#d4edda", "#1e7e34"),
    "mixed": ("#fff3cd", "#b8860b"),
    "negative": ("#f8d7da", "#b02a37"),
}
HARMFUL_COLOUR = "#c00000"


@dataclass(frozen=True)
class Box:
    key: str  # generated id in the output (n0, n1, …)
    node_id: str
    kind: str  # "decision" | "branch" | "ending"
    lines: tuple[str, ...]  # label lines, unescaped
    outcome: Optional[str] = None
    start: bool = False


@dataclass(frozen=True)
class Arrow:
    source: str  # Box.key
    target: str
    lines: tuple[str, ...]  # label lines, unescaped
    harmful: bool = False
    conditional: bool = False


@dataclass(frozen=True)
class Diagram:
    """What both formats draw: one box per node (file order), one arrow per option and per branch."""

    title: str
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]


def build(scenario: Scenario, rubric: ListeningRubric) -> Diagram:
    keys = {node_id: f"n{i}" for i, node_id in enumerate(scenario.nodes)}
    boxes: list[Box] = []
    arrows: list[Arrow] = []
    for node_id, node in scenario.nodes.items():
        key = keys[node_id]
        if node.ending is not None:
            boxes.append(Box(key, node_id, "ending", (node.ending.title, f"{node.ending.outcome} ending"),
                             node.ending.outcome, node_id == scenario.start))
            continue
        if node.choices is not None:
            lines = (node_id,) + ((_cut(node.prompt),) if node.prompt else ())
            boxes.append(Box(key, node_id, "decision", lines, start=node_id == scenario.start))
            for k, choice in enumerate(node.choices, start=1):
                if choice.next not in keys:
                    continue
                label = [f"{k}: {', '.join(choice.codes) or 'no code'}"]
                if choice.when is not None:
                    label.append(f"when {choice.when}")
                arrows.append(Arrow(key, keys[choice.next], tuple(label), rubric.is_harmful(choice.codes),
                                    choice.when is not None))
            continue
        boxes.append(Box(key, node_id, "branch", (node_id,), start=node_id == scenario.start))
        for k, branch in enumerate(node.branches or [], start=1):
            if branch.next not in keys:
                continue
            branch_label = f"when {branch.when}" if branch.when is not None else "otherwise"
            arrows.append(Arrow(key, keys[branch.next], (f"{k}: {branch_label}",), conditional=branch.when is not None))
    title = f"{scenario.title} ({scenario.id} v{scenario.version})"
    return Diagram(title, tuple(boxes), tuple(arrows))


def _cut(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PROMPT_CHARS else flat[: PROMPT_CHARS - 1].rstrip() + "…"


# -- Mermaid ----------------------------------------------------------------------------------------
_MERMAID_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:?!'-_/+=")


def mermaid_text(text: str) -> str:
    """Text for inside a Mermaid double-quoted label: every character outside a small safe set becomes an
    entity code (``#34;``), which Mermaid renders as the character; line breaks become ``<br>``."""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join("".join(c if c in _MERMAID_SAFE else f"#{ord(c)};" for c in line) for line in lines)


def _mermaid_label(lines: tuple[str, ...]) -> str:
    return '"' + "<br>".join(mermaid_text(line) for line in lines) + '"'


_MERMAID_SHAPES = {"decision": ("[", "]"), "branch": ("{", "}"), "ending": ("([", "])")}


def to_mermaid(diagram: Diagram) -> str:
    out = ["flowchart TD", f"    %% {mermaid_text(diagram.title)}: decision graph written by rtw-train graph"]
    for box in diagram.boxes:
        left, right = _MERMAID_SHAPES[box.kind]
        out.append(f"    {box.key}{left}{_mermaid_label(box.lines)}{right}")
    styled: list[int] = []
    for i, arrow in enumerate(diagram.arrows):
        link = "-.->" if arrow.harmful else "-->"
        out.append(f"    {arrow.source} {link}|{_mermaid_label(arrow.lines)}| {arrow.target}")
        if arrow.harmful:
            styled.append(i)
    # Legend: one box per outcome, and a constructive and a harmful arrow.
    out.append('    subgraph legend["Legend"]')
    for outcome in OUTCOME_COLOURS:
        out.append(f'        legend_{outcome}(["{outcome} ending"])')
    out.append('        legend_start["start"]')
    out.append('        legend_decision["decision"] -->|"option: its codes"| legend_branch{"branch on the state"}')
    out.append('        legend_from["decision"] -.->|"harmful option"| legend_to["next node"]')
    out.append("    end")
    count = len(diagram.arrows)
    styled.append(count + 1)  # the legend's harmful arrow
    for outcome, (fill, stroke) in OUTCOME_COLOURS.items():
        out.append(f"    classDef {outcome} fill:{fill},stroke:{stroke},color:#000000")
    out.append("    classDef start stroke-width:3px")
    for outcome in OUTCOME_COLOURS:
        members = [b.key for b in diagram.boxes if b.outcome == outcome] + [f"legend_{outcome}"]
        out.append(f"    class {','.join(members)} {outcome}")
    starts = [b.key for b in diagram.boxes if b.start] + ["legend_start"]
    out.append(f"    class {','.join(starts)} start")
    out.append(f"    linkStyle {','.join(map(str, styled))} stroke:{HARMFUL_COLOUR},color:{HARMFUL_COLOUR},stroke-width:2px")
    return "\n".join(out) + "\n"


# -- Graphviz DOT ------------------------------------------------------------------------------------
def dot_text(text: str) -> str:
    """Text for inside a DOT double-quoted string: backslashes and quotes escaped (so Graphviz's own
    ``\\N``, ``\\l``… never trigger), line breaks as ``\\n``, other control characters dropped."""
    out = []
    for c in str(text).replace("\r\n", "\n").replace("\r", "\n"):
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "\n":
            out.append("\\n")
        elif ord(c) < 32 or ord(c) == 127:
            out.append(" ")
        else:
            out.append(c)
    return "".join(out)


def _dot_label(lines: tuple[str, ...]) -> str:
    return '"' + "\\n".join(dot_text(line) for line in lines) + '"'


_DOT_SHAPES = {"decision": "box", "branch": "diamond", "ending": "box"}


def to_dot(diagram: Diagram) -> str:
    out = [
        "digraph scenario {",
        f'    graph [label={_dot_label((diagram.title,))}, labelloc=t, fontname="Helvetica"];',
        '    node [fontname="Helvetica", fontsize=11];',
        '    edge [fontname="Helvetica", fontsize=9];',
    ]
    for box in diagram.boxes:
        attrs = [f"label={_dot_label(box.lines)}", f"shape={_DOT_SHAPES[box.kind]}"]
        if box.kind == "ending":
            fill, stroke = OUTCOME_COLOURS[box.outcome or "mixed"]
            attrs += ['style="rounded,filled"', f'fillcolor="{fill}"', f'color="{stroke}"']
        if box.start:
            attrs.append("penwidth=3")
        out.append(f"    {box.key} [{', '.join(attrs)}];")
    for arrow in diagram.arrows:
        attrs = [f"label={_dot_label(arrow.lines)}"]
        if arrow.harmful:
            attrs += ["style=dashed", f'color="{HARMFUL_COLOUR}"', f'fontcolor="{HARMFUL_COLOUR}"']
        out.append(f"    {arrow.source} -> {arrow.target} [{', '.join(attrs)}];")
    out.append("    subgraph cluster_legend {")
    out.append('        label="Legend"; fontname="Helvetica"; fontsize=10;')
    for outcome, (fill, stroke) in OUTCOME_COLOURS.items():
        out.append(f'        legend_{outcome} [label="{outcome} ending", shape=box, style="rounded,filled", '
                   f'fillcolor="{fill}", color="{stroke}"];')
    out.append('        legend_start [label="start", shape=box, penwidth=3];')
    out.append('        legend_decision [label="decision", shape=box];')
    out.append('        legend_branch [label="branch on the state", shape=diamond];')
    out.append('        legend_next [label="next node", shape=box];')
    out.append('        legend_decision -> legend_branch [label="option: its codes"];')
    out.append(f'        legend_decision -> legend_next [label="harmful option", style=dashed, color="{HARMFUL_COLOUR}", '
               f'fontcolor="{HARMFUL_COLOUR}"];')
    out.append("    }")
    out.append("}")
    return "\n".join(out) + "\n"
