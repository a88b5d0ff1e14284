"""YAML read as plain data, by the YAML 1.2 core rules, never trusting the file.

PyYAML's loaders build Python objects from tags, expand aliases, and resolve ``yes``/``no``,
``007`` and ``2026-02-03`` by YAML 1.1 rules; none of that is wanted for a case log. So we take
only the *event stream* of PyYAML's parser (libyaml's C parser when present, which is linear in the
input and keeps no recursion of its own) and compose the data ourselves:

- anchors, aliases and explicit tags are refused (no expansion bombs, nothing built from a tag);
- a duplicate key, a key that is not a scalar, nesting deeper than ``MAX_DEPTH``, or a second
  document is refused;
- a plain scalar is ``None`` for ``null``/``Null``/``NULL``/``~``/empty, ``True``/``False`` for
  the six YAML 1.2 core spellings, and otherwise the string as written (``007`` stays ``"007"``,
  ``2026-02-03`` stays a string for the schema to check). Under keys that hold ids or free text
  (``case``, ``id``, ``by``, ``concerns`` ...) even ``true`` stays the string ``"true"``;
- every mapping key and sequence item keeps its line and column, in a dict keyed by its path
  (``("events", 3, "channel")``), so an error names the field's own line.

Because the composer stops at the first refused construct and the parser is lazy, a hostile file
costs time and memory in proportion to the part of it that was read.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml import events as ev

from auditor.errors import InputError
from auditor.i18n_domains import _

try:  # libyaml's parser: same events, much faster
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]  # the stubs do not re-export it
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)


MAX_DEPTH = 64
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
#: Keys whose scalar values are ids or free text: a plain ``true`` there is the string "true".
TEXT_KEYS = frozenset({
    "format", "case", "id", "by", "to", "with", "first_speaker", "between", "new_supervisor", "requested_by",
    "subjects", "mediator", "owner", "concern", "action", "concerns", "changes", "pending_validation",
    "topics", "actions", "name", "notes", "role",
})

Path = tuple
Positions = dict  # path -> (line, column), both 1-based


class _Composer:
    __slots__ = ("parser", "filename", "positions")

    def __init__(self, text: str, filename: str) -> None:
        # Any: the stubs say ``get_event`` may return None, which it never does before the stream's end.
        self.parser: Any = _Parser(text)
        self.filename = filename
        self.positions: Positions = {}

    def error(self, message: str, mark: Any) -> InputError:
        return InputError(message, file=self.filename, line=mark.line + 1, column=mark.column + 1)

    def refuse_decorations(self, event: Any) -> None:
        if getattr(event, "anchor", None) is not None:
            raise self.error(
                _("anchors (&…) are not allowed in a case log; write the value out"), event.start_mark
            )
        if getattr(event, "tag", None) is not None:
            raise self.error(
                _("tags (!…) are not allowed in a case log; write plain values"), event.start_mark
            )

    def document(self) -> Any:
        get = self.parser.get_event
        get()  # StreamStart
        first = get()
        if isinstance(first, ev.StreamEndEvent):
            raise InputError(_("the file is empty"), file=self.filename, line=1)
        value = self.node(get(), (), 1, False)
        get()  # DocumentEnd
        nxt = get()
        if not isinstance(nxt, ev.StreamEndEvent):
            raise self.error(_("the file holds more than one YAML document; a case log is one document"), nxt.start_mark)
        return value

    def node(self, event: Any, path: Path, depth: int, text_only: bool) -> Any:
        if isinstance(event, ev.AliasEvent):
            raise self.error(
                _("aliases (*…) are not allowed in a case log; write the value out"), event.start_mark
            )
        self.refuse_decorations(event)
        if isinstance(event, ev.ScalarEvent):
            value = event.value
            if event.implicit[0]:  # plain scalar
                if value in _NULLS:
                    return None
                if not text_only and value in _BOOLS:
                    return _BOOLS[value]
            return value
        if depth > MAX_DEPTH:
            raise self.error(_("the data is nested more than {count} levels deep").format(count=MAX_DEPTH), event.start_mark)
        get = self.parser.get_event
        positions = self.positions
        if isinstance(event, ev.SequenceStartEvent):
            items: list[Any] = []
            i = 0
            while True:
                item = get()
                if isinstance(item, ev.SequenceEndEvent):
                    return items
                m = item.start_mark
                positions[path + (i,)] = (m.line + 1, m.column + 1)
                items.append(self.node(item, path + (i,), depth + 1, text_only))
                i += 1
        # MappingStartEvent
        mapping: dict[str, Any] = {}
        while True:
            key_event = get()
            if isinstance(key_event, ev.MappingEndEvent):
                return mapping
            if isinstance(key_event, ev.AliasEvent):
                self.node(key_event, path, depth, True)  # raises
            self.refuse_decorations(key_event)
            if not isinstance(key_event, ev.ScalarEvent):
                raise self.error(_("a key must be a single name, not a list or a mapping"), key_event.start_mark)
            key = key_event.value
            if key in mapping:
                raise self.error(_("the key {key} appears twice in the same mapping").format(key=_shown_key(key)),
                                 key_event.start_mark)
            mark: Any = key_event.start_mark
            positions[path + (key,)] = (mark.line + 1, mark.column + 1)
            mapping[key] = self.node(get(), path + (key,), depth + 1, text_only or key in TEXT_KEYS)


def nearest(positions: Positions, path: tuple) -> tuple[int | None, int | None]:
    """The place of ``path``, or of its closest ancestor that has one; (None, None) if none does."""
    while path:
        spot = positions.get(path)
        if spot is not None:
            return spot
        path = path[:-1]
    return None, None


def load(text: str, filename: str = "<string>") -> tuple[Any, Positions]:
    """Parse one YAML document as plain data; returns (data, positions). Raises InputError."""
    composer = _Composer(text, filename)
    try:
        data = composer.document()
    except yaml.MarkedYAMLError as exc:
        # Only the problem and its place: PyYAML's own text quotes the offending line, which may be a note.
        mark = exc.problem_mark or exc.context_mark
        # PyYAML's own words (e.g. "found character that cannot start any token") stay English.
        problem = exc.problem or exc.context or _("the YAML cannot be read")
        raise InputError(
            _("this is not valid YAML: {problem}").format(problem=problem),
            file=filename,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry a character offset, no mark
        position = getattr(exc, "position", None)
        line = column = None
        if isinstance(position, int) and 0 <= position <= len(text):
            line = text.count("\n", 0, position) + 1
            column = position - (text.rfind("\n", 0, position) + 1) + 1
        reason = getattr(exc, "reason", None) or _("unreadable character")
        raise InputError(_("this is not valid YAML: {problem}").format(problem=reason), file=filename, line=line,
                         column=column) from None
    return data, composer.positions


def _shown_key(key: str) -> str:
    """A duplicate key as it may be quoted: a known field name, else described (keys inside ``x-``
    mappings and exports from other systems can be anything, a name included)."""
    from auditor.reading.messages import shown_key  # here: messages needs the schema, which needs this module

    return shown_key(key)
