"""The condition language: parsing, evaluation, clear errors, and no way to run code."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.conditions import ConditionSyntaxError, evaluate, parse_condition, variables

STATE = {"trust": 40, "openness": 55.5, "pressure": 0}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("trust < 40", False),
        ("trust <= 40", True),
        ("trust == 40", True),
        ("trust != 40", False),
        ("openness > 55", True),
        ("openness >= 55.5", True),
        ("40 <= trust", True),
        ("trust < 41 and openness > 50", True),
        ("trust > 41 or openness > 50", True),
        ("not trust < 41", False),
        ("not (trust < 30 or openness < 20)", True),
        ("trust < 30 or openness > 50 and pressure > 0", False),  # and binds tighter than or
        ("(trust < 30 or openness > 50) and pressure >= 0", True),
        ("pressure > -1", True),
        ("true", True),
        ("not false and trust < 100", True),
        ("trust < pressure", False),
    ],
)
def test_evaluates(text, expected):
    assert evaluate(parse_condition(text), STATE) is expected


@pytest.mark.parametrize(
    "text, column",
    [
        ("", 1),
        ("trust", 6),
        ("trust < ", 9),
        ("trust >> 3", 8),
        ("0 < trust < 10", 11),
        ("3 < 4", 1),
        ("trust < 4 and", 14),
        ("(trust < 4", 11),
        ("trust < 4)", 10),
        ("trust < 4 && openness > 1", 11),
        ("__import__('os').system('x')", 12),
        ("trust.__class__ < 3", 6),
        ("trust < 4; x", 10),
    ],
)
def test_syntax_errors_have_a_column(text, column):
    with pytest.raises(ConditionSyntaxError) as info:
        parse_condition(text)
    assert info.value.column == column


def test_variables_in_order():
    assert variables(parse_condition("b < 1 and (a > 2 or b == 3)")) == ["b", "a"]


def test_unknown_variable_raises_key_error():
    with pytest.raises(KeyError):
        evaluate(parse_condition("mood < 3"), STATE)


# A random expression tree, rendered to text and evaluated directly, must agree with parse+evaluate.
names = st.sampled_from(["trust", "openness", "pressure"])
numbers = st.integers(-5, 105)
ops = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])
PY_OPS = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
          ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}
comparisons = st.tuples(names, ops, numbers).map(lambda t: (f"{t[0]} {t[1]} {t[2]}", lambda s, t=t: PY_OPS[t[1]](s[t[0]], t[2])))


def _combine(children):
    def build(a, b, kind):
        if kind == "and":
            return (f"({a[0]}) and ({b[0]})", lambda s: a[1](s) and b[1](s))
        if kind == "or":
            return (f"({a[0]}) or ({b[0]})", lambda s: a[1](s) or b[1](s))
        return (f"not ({a[0]})", lambda s: not a[1](s))

    return st.builds(build, children, children, st.sampled_from(["and", "or", "not"]))


expressions = st.recursive(comparisons, _combine, max_leaves=8)


@settings(max_examples=150, deadline=None)
@given(expressions, st.fixed_dictionaries({"trust": numbers, "openness": numbers, "pressure": numbers}))
def test_random_expressions_agree_with_python(expr, state):
    text, oracle = expr
    assert evaluate(parse_condition(text), state) == oracle(state)
