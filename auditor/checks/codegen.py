"""The pieces every generated check is written with: literals, bound names, indented lines,
and the verdict markers a check's body is rendered from (``flat.py``, ``plan.py``).

Why one place: the safety of generating code rests on two rules kept here, that a rubric's value
enters the text only as the ``repr`` of a ``str``, ``int``, ``bool`` or ``None`` (``_literal``)
and every other value only as a made-up name bound in the namespace (``Source.bind``).
"""

from __future__ import annotations

import ast
import itertools
from typing import Any

from ..conditions import _as_list, event_set
from ..outcomes import FAIL, NA, OK, PENDING, SATISFIED, VIOLATED, WAIT, Verdict


class Unsupported(Exception):
    """The generator does not cover this ``check:``; the reference closure runs instead."""


#: The names generated code compares a value's type with (``type(v) is str``); any other type is bound.
_BUILTIN_TYPES = {str: "str", int: "int", bool: "bool", float: "float", type(None): "_NoneType"}
_SOURCES = itertools.count()


class Source:
    """The text of one generated module and the values it refers to by name."""

    def __init__(self) -> None:
        self.prefix = f"_c{next(_SOURCES)}"  # bound names unique across rules: their plan shares one namespace
        self.namespace: dict[str, Any] = {
            "Verdict": Verdict, "NA": NA, "OK": OK, "WAIT": WAIT, "FAIL": FAIL, "VIOLATED": VIOLATED,
            "PENDING": PENDING, "SATISFIED": SATISFIED, "_as_list": _as_list, "_event_set": event_set,
            "_NoneType": type(None),
        }
        self._names = 0

    def bind(self, value: Any) -> str:
        """A made-up name for ``value`` in the generated code's namespace (nothing of it is written out)."""
        name = f"{self.prefix}k{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def fresh(self, stem: str) -> str:
        self._names += 1
        return f"_{stem}{self._names}"

    def literal(self, value: Any) -> str:
        return _literal(value) if _is_plain(value) else self.bind(value)

    def type_name(self, value: Any) -> str:
        return _BUILTIN_TYPES.get(type(value)) or self.bind(type(value))


def _is_plain(value: Any) -> bool:
    return value is None or type(value) in (str, int, bool)


def _literal(value: Any) -> str:
    """``repr`` of a str, int, bool or None: a Python literal that reads back as exactly ``value``."""
    if not _is_plain(value):
        raise Unsupported(f"not a plain literal: {type(value).__name__}")
    text = repr(value)
    if ast.literal_eval(text) != value or type(ast.literal_eval(text)) is not type(value):
        raise Unsupported("literal does not read back")  # never happens for these types; a guard
    return text


_MARK = "\x00"


def render(lines: list[str], verdict) -> list[str]:
    """The lines with each verdict marker replaced by ``verdict(indent, shared, events)``'s lines."""
    out: list[str] = []
    for line in lines:
        if _MARK in line:
            indent, shared, events = line.split(_MARK)
            out.extend(indent + text for text in verdict(shared, events or None))
        else:
            out.append(line)
    return out


def _as_return(shared: str, events: str | None) -> list[str]:
    return [f"return Verdict(VIOLATED, {events})" if events is not None else f"return {shared}"]


class Block:
    """Lines of code at an indentation level."""

    def __init__(self, lines: list[str], indent: int) -> None:
        self.lines, self.indent = lines, indent

    def __call__(self, text: str) -> None:
        self.lines.append("    " * self.indent + text)

    def inner(self) -> Block:
        return Block(self.lines, self.indent + 1)

    def ret(self, shared: str, events: str | None = None) -> None:
        """The check's verdict: a shared one (``NA``, ``OK``, ``WAIT``, ``FAIL``) or, with
        ``events``, a violation naming them. Written as a marker that ``render`` turns into a
        ``return`` (one rule's function) or into the rule's result (the whole rubric's plan).
        A verdict is only ever given outside the loops of the check."""
        if shared not in ("NA", "OK", "WAIT", "FAIL", "VIOLATED") or (shared == "VIOLATED") != (events is not None):
            raise ValueError(shared)
        self.lines.append("    " * self.indent + _MARK + shared + _MARK + (events or ""))
