"""Read YAML while remembering where every value came from.

Why: trainers edit scenarios by hand; an error has to say "line 42" rather than "nodes.x.choices[2]".
PyYAML's composer gives nodes with marks; we build plain Python data from them ourselves and keep a map
from each location path (keys and list indices, the same shape as pydantic's error ``loc``) to the
1-based (line, column) of that entry. Mapping entries point at their key, list items at the item.
Duplicate keys — which YAML would silently collapse — are reported instead.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .i18n import _

__all__ = ["YamlProblem", "load_with_positions", "Positions"]

Positions = dict[tuple, tuple[int, int]]

#: Characters a terminal acts on or that reorder text (a double-quoted YAML string can spell them as
#: escapes, e.g. "\e[2J"): C0 controls except tab and newline, DEL, C1 controls, bidi overrides and isolates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# Aliases are expanded while building; a "billion laughs" document must not exhaust memory.
MAX_VALUES = 200_000


def position_of(positions: Positions, loc: tuple) -> tuple[int, int]:
    """(line, column) of ``loc``, else of its closest enclosing location, else of the document (1, 1)."""
    key = tuple(loc)
    while key:
        if key in positions:
            return positions[key]
        key = key[:-1]
    return positions.get((), (1, 1))


class YamlProblem(Exception):
    """Syntax error (SC001) or duplicate key (SC002) at a 1-based line and column."""

    def __init__(self, code: str, line: int, column: int, message: str):
        super().__init__(message)
        self.code = code
        self.line = line
        self.column = column
        self.message = message


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def load_with_positions(text: str) -> tuple[Any, Positions]:
    """Parse one YAML document; return (data, positions). Raises :class:`YamlProblem`."""
    try:
        return _load(text)
    except RecursionError:
        raise YamlProblem("SC001", 1, 1, _("YAML document is nested too deeply")) from None


#: libyaml's parser when PyYAML has it (about ten times faster on a scenario); the pure-Python one
#: otherwise, and always for a file that does not parse, so that messages and hints read the same.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(text: str) -> tuple[Any, Positions]:
    if _FAST_LOADER is not yaml.SafeLoader:
        try:
            return _load_with(_FAST_LOADER, text)
        except YamlProblem:
            pass  # read it again below: the pure-Python parser's wording is what the hints know
    return _load_with(yaml.SafeLoader, text)


def _load_with(loader_class: type, text: str) -> tuple[Any, Positions]:
    loader = loader_class(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problem = exc.problem or exc.context or "invalid YAML"
            raise YamlProblem("SC001", line, col,
                              _("YAML syntax error: {problem}{hint}").format(problem=problem, hint=_hint(problem))) from None
        except yaml.YAMLError as exc:  # e.g. several documents in one file
            raise YamlProblem("SC001", 1, 1, _("YAML error: {problem}").format(problem=exc)) from None
        positions: Positions = {}
        if root is None:
            return None, positions
        positions[()] = _mark(root)
        data = _build(loader, root, (), positions, [MAX_VALUES])
        return data, positions
    finally:
        loader.dispose()


def _hint(problem: str) -> str:
    """Plain words for the two syntax errors hand-edited files hit most (why: PyYAML's parser vocabulary,
    such as '<block end>', means nothing to a trainer)."""
    if "'\\t'" in problem or "\t" in problem:
        return _(" (tab characters cannot indent YAML; use spaces)")
    if "expected <block end>" in problem or "block mapping start" in problem:
        return _(" (the indentation of this line does not match the lines above)")
    return ""


def _build(loader: yaml.SafeLoader, node: Node, path: tuple, positions: Positions, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        line, col = _mark(node)
        raise YamlProblem("SC001", line, col, _("YAML document too large (more than {count} values once aliases are expanded)").format(
            count=MAX_VALUES))
    if isinstance(node, MappingNode):
        try:
            loader.flatten_mapping(node)  # resolves YAML merge keys (<<)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            raise YamlProblem("SC001", mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                              _("YAML error: {problem}").format(problem=exc.problem)) from None
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                line, col = _mark(key_node)
                raise YamlProblem("SC001", line, col, _("a mapping key must be a plain value"))
            key = _scalar(loader, key_node)
            line, col = _mark(key_node)
            if key in result:
                first = positions.get(path + (key,), (0, 0))[0]
                raise YamlProblem("SC002", line, col, _("duplicate key {key!r} (first defined on line {line})").format(key=key, line=first))
            child = path + (key,)
            positions[child] = (line, col)
            result[key] = _build(loader, value_node, child, positions, budget)
        return result
    if isinstance(node, SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            child = path + (index,)
            positions[child] = _mark(item)
            items.append(_build(loader, item, child, positions, budget))
        return items
    return _scalar(loader, node)


def _scalar(loader: yaml.SafeLoader, node: Node) -> Any:
    try:
        value = loader.construct_object(node, deep=True)
    except yaml.MarkedYAMLError as exc:
        line, col = _mark(node)
        raise YamlProblem("SC001", line, col, _("YAML error: {problem}").format(problem=exc.problem)) from None
    if isinstance(value, str):
        bad = _CONTROL.search(value)
        if bad is not None:
            line, col = _mark(node)
            raise YamlProblem(
                "SC001", line, col,
                _("this text holds the control character U+{code}; scenario text is shown on a terminal, where such "
                  "characters can clear the screen or hide text: remove it").format(code=f"{ord(bad.group()):04X}"),
            )
    return value
