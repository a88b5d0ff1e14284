"""JSON read as plain data, strictly: no duplicate keys, no NaN, nesting bounded, places kept.

``json.loads`` does the parsing (C code, and its syntax errors carry a line and column). It says
nothing about where a value was, so ``positions`` walks the text once more with a small tokenizer
to map each key and list item to its line and column, the same map the YAML reader makes.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable
from typing import Any

from auditor.errors import InputError
from auditor.i18n_domains import _
from auditor.reading.yaml_strict import MAX_DEPTH


class _Duplicate(ValueError):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _Duplicate(key)
            seen.add(key)
    return out


def unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` that raises ValueError on a duplicate key."""
    return _pairs(pairs)


def _no_constant(name: str) -> Any:
    raise ValueError(_("{name} is not allowed in a case log").format(name=name))


def depth_of(value: Any, limit: int = MAX_DEPTH) -> int:
    """Nesting depth of lists/dicts, counting stops just past ``limit`` (iterative: no recursion)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        stack.extend((c, depth) for c in children if isinstance(c, (dict, list)))
    return deepest


def loads(text: str, filename: str = "<string>", line_offset: int = 0) -> Any:
    """Parse JSON text strictly; raises InputError. ``line_offset`` shifts lines (JSON Lines)."""
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        # Python's own words (e.g. "Expecting ',' delimiter") stay English.
        raise InputError(_("this is not valid JSON: {problem}").format(problem=exc.msg), file=filename,
                         line=exc.lineno + line_offset, column=exc.colno) from None
    except _Duplicate as exc:
        where = find_key(text, str(exc))
        raise InputError(
            _("the key {key} appears twice in the same object").format(key=_shown_key(str(exc))),
            file=filename, line=where[0] + line_offset if where else None, column=where[1] if where else None,
        ) from None
    except RecursionError:
        raise InputError(_("the data is nested more than {count} levels deep").format(count=MAX_DEPTH), file=filename,
                         line=1 + line_offset) from None
    except ValueError as exc:  # NaN/Infinity, or an integer too long to read
        raise InputError(_("this is not valid JSON: {problem}").format(problem=str(exc)[:80]), file=filename,
                         line=1 + line_offset) from None
    if depth_of(data) > MAX_DEPTH:
        raise InputError(_("the data is nested more than {count} levels deep").format(count=MAX_DEPTH), file=filename,
                         line=1 + line_offset)
    return data


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+', re.S)


def _line_index(text: str) -> list[int]:
    return [m.start() for m in re.finditer("\n", text)]


def _lc(newlines: list[int], offset: int) -> tuple[int, int]:
    i = bisect.bisect_left(newlines, offset)
    start = newlines[i - 1] + 1 if i else 0
    return i + 1, offset - start + 1


def find_key(text: str, key: str) -> tuple[int, int] | None:
    """Line and column of the second occurrence of ``"key"`` (for duplicate-key messages)."""
    token = json.dumps(key)
    first = text.find(token)
    second = text.find(token, first + 1) if first >= 0 else -1
    spot = second if second >= 0 else first
    if spot < 0:
        return None
    return _lc(_line_index(text), spot)


def positions(text: str) -> dict[tuple, tuple[int, int]]:
    """path -> (line, column) of every key and list item, for text ``loads`` accepted."""
    newlines = _line_index(text)
    out: dict[tuple, tuple[int, int]] = {}
    # frame: [is_object, path, index, key]
    stack: list[list[Any]] = []
    top: list[Any] | None
    expect_key = False
    for m in _TOKEN.finditer(text):
        tok = m.group()
        c = tok[0]
        if c == "}" or c == "]":
            stack.pop()
            expect_key = False
            continue
        if c == ",":
            top = stack[-1]
            if top[0]:
                expect_key = True
            else:
                top[2] += 1
            continue
        if c == ":":
            continue
        top = stack[-1] if stack else None
        if top is not None and top[0] and expect_key:
            key = json.loads(tok)
            top[3] = key
            out[top[1] + (key,)] = _lc(newlines, m.start())
            expect_key = False
            continue
        if top is None:
            path: tuple = ()
        elif top[0]:
            path = top[1] + (top[3],)
        else:
            path = top[1] + (top[2],)
            out[path] = _lc(newlines, m.start())
        if c == "{":
            stack.append([True, path, 0, None])
            expect_key = True
        elif c == "[":
            stack.append([False, path, 0, None])
    return out


def _shown_key(key: str) -> str:
    """A duplicate key as it may be quoted: a known field name, else described (keys inside ``x-``
    mappings and exports from other systems can be anything, a name included)."""
    from auditor.reading.messages import shown_key  # here: messages needs the schema, which needs this module

    return shown_key(key)
