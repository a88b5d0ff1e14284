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

from .i18n import N_, _
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
            boxes.append(Box(key, node_id, "ending", (node.ending.title, _ending_word(node.ending.outcome)),
                             node.ending.outcome, node_id == scenario.start))
            continue
        if node.choices is not None:
            lines = (node_id,) + ((_cut(node.prompt),) if node.prompt else ())
            boxes.append(Box(key, node_id, "decision", lines, start=node_id == scenario.start))
            for k, choice in enumerate(node.choices, start=1):
                if choice.next not in keys:
                    continue
                label = [f"{k}: {', '.join(choice.codes) or _('no code')}"]
                if choice.when is not None:
                    label.append(_("when {condition}").format(condition=choice.when))
                arrows.append(Arrow(key, keys[choice.next], tuple(label), rubric.is_harmful(choice.codes),
                                    choice.when is not None))
            continue
        boxes.append(Box(key, node_id, "branch", (node_id,), start=node_id == scenario.start))
        for k, branch in enumerate(node.branches or [], start=1):
            if branch.next not in keys:
                continue
            branch_label = _("when {condition}").format(condition=branch.when) if branch.when is not None else _("otherwise")
            arrows.append(Arrow(key, keys[branch.next], (f"{k}: {branch_label}",), conditional=branch.when is not None))
    title = f"{scenario.title} ({scenario.id} v{scenario.version})"
    return Diagram(title, tuple(boxes), tuple(arrows))


_ENDINGS = {"positive": N_("positive ending"), "mixed": N_("mixed ending"), "negative": N_("negative ending")}


def _ending_word(outcome: str) -> str:
    """'positive ending'… in the active language (the graph is read by people; the outcome stays a class)."""
    return _(_ENDINGS[outcome]) if outcome in _ENDINGS else f"{outcome} ending"


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


def _legend() -> dict[str, str]:
    """The legend's words in the active language (both formats draw the same legend)."""
    return {
        "legend": _("Legend"),
        "start": _("start"),
        "decision": _("decision"),
        "option": _("option: its codes"),
        "branch": _("branch on the state"),
        "harmful": _("harmful option"),
        "next": _("next node"),
    }


def to_mermaid(diagram: Diagram) -> str:
    out = ["flowchart TD",
           "    %% " + mermaid_text(_("{title}: decision graph written by rtw-train graph").format(title=diagram.title))]
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
    words = {key: mermaid_text(text) for key, text in _legend().items()}
    out.append(f'    subgraph legend["{words["legend"]}"]')
    for outcome in OUTCOME_COLOURS:
        out.append(f'        legend_{outcome}(["{mermaid_text(_ending_word(outcome))}"])')
    out.append(f'        legend_start["{words["start"]}"]')
    out.append(f'        legend_decision["{words["decision"]}"] -->|"{words["option"]}"| legend_branch{{"{words["branch"]}"}}')
    out.append(f'        legend_from["{words["decision"]}"] -.->|"{words["harmful"]}"| legend_to["{words["next"]}"]')
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
    words = {key: dot_text(text) for key, text in _legend().items()}
    out.append("    subgraph cluster_legend {")
    out.append(f'        label="{words["legend"]}"; fontname="Helvetica"; fontsize=10;')
    for outcome, (fill, stroke) in OUTCOME_COLOURS.items():
        out.append(f'        legend_{outcome} [label="{dot_text(_ending_word(outcome))}", shape=box, style="rounded,filled", '
                   f'fillcolor="{fill}", color="{stroke}"];')
    out.append(f'        legend_start [label="{words["start"]}", shape=box, penwidth=3];')
    out.append(f'        legend_decision [label="{words["decision"]}", shape=box];')
    out.append(f'        legend_branch [label="{words["branch"]}", shape=diamond];')
    out.append(f'        legend_next [label="{words["next"]}", shape=box];')
    out.append(f'        legend_decision -> legend_branch [label="{words["option"]}"];')
    out.append(f'        legend_decision -> legend_next [label="{words["harmful"]}", style=dashed, color="{HARMFUL_COLOUR}", '
               f'fontcolor="{HARMFUL_COLOUR}"];')
    out.append("    }")
    out.append("}")
    return "\n".join(out) + "\n"
