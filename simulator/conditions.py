"""A tiny, safe condition language for scenario branches and line variants.

Why hand-written: scenario files are data written by trainers; they must never be able to run code, so
conditions are parsed here into a small tree and evaluated against the session state — ``eval`` is never
used. The grammar is deliberately minimal::

    expr       := or_expr
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | atom
    atom       := "(" expr ")" | "true" | "false" | comparison
    comparison := operand OP operand          OP is one of  <  <=  >  >=  ==  !=
    operand    := NAME | NUMBER               NAME is a declared state variable, NUMBER like 40, -5, 2.5

Examples: ``trust < 40``, ``trust >= 60 and openness >= 50``, ``not (trust < 30 or openness < 20)``.
Comparisons do not chain (``0 < trust < 10`` is an error: write ``trust > 0 and trust < 10``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Union

from .i18n import _

__all__ = [
    "ConditionSyntaxError",
    "Condition",
    "parse_condition",
    "evaluate",
    "variables",
]

Number = Union[int, float]


class ConditionSyntaxError(ValueError):
    """The condition text is not in the language; ``column`` is 1-based within the condition text."""

    def __init__(self, message: str, column: int):
        super().__init__(_("{message} (at character {column})").format(message=message, column=column))
        self.message = message
        self.column = column


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Num:
    value: Number


@dataclass(frozen=True)
class Compare:
    left: Union[Var, Num]
    op: str
    right: Union[Var, Num]


@dataclass(frozen=True)
class Not:
    operand: "Condition"


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    operands: tuple["Condition", ...]


@dataclass(frozen=True)
class Const:
    value: bool


Condition = Union[Compare, Not, BoolOp, Const]

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>-?\d+(?:\.\d+)?)
  | (?P<op><=|>=|==|!=|<|>)
  | (?P<lpar>\()
  | (?P<rpar>\))
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "true", "false"}
# How an expected token is named in messages (the author wrote ')', not 'rpar').
_SHOWN = {"rpar": "')'", "lpar": "'('"}


def _symbol_hint(text: str, pos: int) -> str:
    """Plain-words advice for a character the tokenizer cannot read (why: authors write ``=`` or ``=<``
    from habit, and "use and/or/not" would send them the wrong way)."""
    char, after = text[pos], text[pos + 1:pos + 2]
    if char == "=":
        if after in ("<", ">"):
            return _(" (did you mean `{operator}`?)").format(operator=f"{after}=")
        return _(" (to compare, use `==`)")
    if char in "&|!":
        return _(" (use 'and', 'or', 'not' instead of symbols)")
    return ""


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            hint = _symbol_hint(text, pos)
            raise ConditionSyntaxError(_("unexpected character {char!r}{hint}").format(char=text[pos], hint=hint), pos + 1)
        kind = m.lastgroup or ""
        value = m.group()
        if kind == "name" and value in _KEYWORDS:
            kind = value
        if kind != "ws":
            tokens.append((kind, value, pos + 1))
        pos = m.end()
    tokens.append(("end", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokenize(text)
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self, kind: str | None = None) -> tuple[str, str, int]:
        tok = self.tokens[self.i]
        if kind is not None and tok[0] != kind:
            raise ConditionSyntaxError(_("expected {expected}, found {found}").format(
                expected=_SHOWN.get(kind, repr(kind)), found=self._describe(tok)), tok[2])
        self.i += 1
        return tok

    @staticmethod
    def _describe(tok: tuple[str, str, int]) -> str:
        return _("end of condition") if tok[0] == "end" else repr(tok[1])

    def parse(self) -> Condition:
        if self.peek()[0] == "end":
            raise ConditionSyntaxError(_("empty condition"), 1)
        node = self.or_expr()
        tok = self.peek()
        if tok[0] != "end":
            raise ConditionSyntaxError(_("unexpected {found}").format(found=self._describe(tok)), tok[2])
        return node

    def or_expr(self) -> Condition:
        parts = [self.and_expr()]
        while self.peek()[0] == "or":
            self.take()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else BoolOp("or", tuple(parts))

    def and_expr(self) -> Condition:
        parts = [self.not_expr()]
        while self.peek()[0] == "and":
            self.take()
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else BoolOp("and", tuple(parts))

    def not_expr(self) -> Condition:
        if self.peek()[0] == "not":
            self.take()
            return Not(self.not_expr())
        return self.atom()

    def atom(self) -> Condition:
        kind, value, col = self.peek()
        if kind == "lpar":
            self.take()
            node = self.or_expr()
            self.take("rpar")
            return node
        if kind in ("true", "false"):
            self.take()
            return Const(kind == "true")
        start = col
        left = self.operand()
        kind, value, col = self.peek()
        if kind != "op":
            raise ConditionSyntaxError(
                _("expected a comparison operator (<, <=, >, >=, ==, !=) after {after}, found {found}").format(
                    after=self._describe(self.tokens[self.i - 1]), found=self._describe(self.peek())),
                col,
            )
        op = self.take()[1]
        right = self.operand()
        if self.peek()[0] == "op":
            raise ConditionSyntaxError(
                _("comparisons do not chain: write 'a < x and x < b'"), self.peek()[2]
            )
        if isinstance(left, Num) and isinstance(right, Num):
            raise ConditionSyntaxError(_("a comparison needs at least one state variable"), start)
        return Compare(left, op, right)

    def operand(self) -> Union[Var, Num]:
        kind, value, col = self.peek()
        if kind == "name":
            self.take()
            return Var(value)
        if kind == "num":
            self.take()
            return Num(float(value) if "." in value else int(value))
        raise ConditionSyntaxError(
            _("expected a state variable or a number, found {found}").format(found=self._describe(self.peek())), col
        )


def parse_condition(text: str) -> Condition:
    """Parse ``text``; raises :class:`ConditionSyntaxError` with a 1-based column on bad input."""
    if not isinstance(text, str):
        raise ConditionSyntaxError(_("a condition must be a string"), 1)
    return _Parser(text).parse()


def variables(cond: Condition) -> list[str]:
    """Names of the state variables a condition reads, in order of first appearance."""
    seen: list[str] = []

    def walk(node: Condition | Var | Num) -> None:
        if isinstance(node, Var):
            if node.name not in seen:
                seen.append(node.name)
        elif isinstance(node, Compare):
            walk(node.left)
            walk(node.right)
        elif isinstance(node, Not):
            walk(node.operand)
        elif isinstance(node, BoolOp):
            for part in node.operands:
                walk(part)

    walk(cond)
    return seen


_OPS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def evaluate(cond: Condition, state: Mapping[str, Number]) -> bool:
    """Evaluate against ``state``; an unknown variable raises ``KeyError`` (lint reports it beforehand)."""
    if isinstance(cond, Const):
        return cond.value
    if isinstance(cond, Compare):
        left = state[cond.left.name] if isinstance(cond.left, Var) else cond.left.value
        right = state[cond.right.name] if isinstance(cond.right, Var) else cond.right.value
        return _OPS[cond.op](left, right)
    if isinstance(cond, Not):
        return not evaluate(cond.operand, state)
    if isinstance(cond, BoolOp):
        if cond.op == "and":
            return all(evaluate(p, state) for p in cond.operands)
        return any(evaluate(p, state) for p in cond.operands)
    raise TypeError(f"not a condition: {cond!r}")
