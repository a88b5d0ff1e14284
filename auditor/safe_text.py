"""Untrusted strings made safe for where they are shown: a terminal, Markdown, a spreadsheet, JSON.

Why: case ids, event ids, party ids, file names and a trainee's name come from files and command
lines that someone else wrote. Printed raw, an escape sequence in an id clears the screen, retitles
the window or erases the line above it; a newline forges a whole "case FAKE" block; a bidi override
reverses what follows; ``<script>`` in Markdown runs when the notes are rendered as HTML; a cell
starting with ``=`` is a formula to a spreadsheet. Each function here answers one destination and
leaves ordinary text byte for byte as it was, so well-formed reports do not change.
"""

from __future__ import annotations

import re

#: What a terminal may act on or what reorders or hides text: C0 controls (newline and tab too: a
#: value is one line), DEL, C1 controls (0x9b is a one-byte CSI), the bidi embeddings, overrides,
#: isolates and marks, zero-width and line/paragraph separators, the BOM, and lone surrogates (which
#: cannot even be encoded as UTF-8).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

#: Cells a spreadsheet reads as a formula (or as the start of one after a separator).
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_HTML_CHARS = re.compile("[&<>\"']")


def _escape(match: re.Match) -> str:
    ch = match.group()
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: object) -> str:
    """``text`` with every control, escape, bidi and invisible character written as ``\\xNN`` or
    ``\\uNNNN``, so what reaches a terminal (or a log file read in one) is inert and on one line."""
    text = text if isinstance(text, str) else str(text)
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)


def has_unsafe(text: str) -> bool:
    """Whether ``for_terminal`` would change ``text``."""
    return _UNSAFE.search(text) is not None


def json_surrogates_escaped(encoded: str) -> str:
    """JSON text (as ``json.dumps(ensure_ascii=False)`` writes it) with each lone surrogate written
    as its ``\\udXXX`` escape: still the same JSON value, and now encodable as UTF-8.

    Safe on a whole document: outside string literals JSON holds only ASCII, so a surrogate found
    anywhere is inside a string, where the escape means exactly that code point."""
    if _LONE_SURROGATE.search(encoded) is None:
        return encoded
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


def markdown_cell(text: object) -> str:
    """``text`` for a Markdown table cell or heading: inert in a terminal, no HTML (``<script>``
    becomes ``&lt;script&gt;``), no Markdown markup, no cell separator, on one line."""
    safe = for_terminal(text)
    safe = _HTML_CHARS.sub(lambda m: _HTML[m.group()], safe)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", safe)


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet will show as text: a string starting with ``= + - @``, a tab or a
    carriage return gets a leading apostrophe (the usual neutraliser); anything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


class _NeutralisingWriter:
    """``csv.writer`` whose every cell goes through ``csv_cell`` first."""

    def __init__(self, writer) -> None:
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([csv_cell(cell) for cell in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out, **kwargs) -> _NeutralisingWriter:
    """A ``csv.writer(out, **kwargs)`` that neutralises formula-leading cells: every CSV either tool
    writes goes through one, so a trainee named ``=HYPERLINK(…)`` stays text in a spreadsheet."""
    import csv

    return _NeutralisingWriter(csv.writer(out, **kwargs))


def describe_text(value: object) -> str:
    """What a value is, without showing any of it: "a 23-character text", "a number", "a list" (in the
    active language: it is part of the input error messages)."""
    from .i18n_domains import _, ngettext

    if value is None:
        return _("empty")
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, (int, float)):
        return _("a number")
    if isinstance(value, str):
        n = len(value)
        if n == 0:
            return _("an empty text")
        return ngettext("a {count}-character text", "a {count}-character text", n).format(count=n)
    if isinstance(value, (list, tuple)):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return _("a value")


def quote_if(value: object, allowed: re.Pattern[str], limit: int = 24) -> str:
    """``'value'`` when it is short (``limit`` characters at most) and made only of the characters
    ``allowed`` accepts (a whole-value pattern); otherwise ``describe_text``. Why: columns shift in
    exports from other systems, so what arrives in a code field may be a name or a diagnosis."""
    if isinstance(value, str) and 0 < len(value) <= limit and allowed.fullmatch(value):
        return repr(value)
    return describe_text(value)
