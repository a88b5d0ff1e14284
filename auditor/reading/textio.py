"""Bytes to text: UTF-8 only, a leading BOM allowed, and a bad byte named by its line.

Why not ``open(..., encoding="utf-8")``: its error says a byte offset in a decoding buffer, which a
committee member cannot use; we decode ourselves and translate the offset into a line.
"""

from __future__ import annotations

from auditor.errors import InputError
from auditor.i18n_domains import _

BOM = "\ufeff"


def decode(data: str | bytes, filename: str, first_line: int = 1) -> str:
    """``data`` as text without its BOM; raises InputError naming the line of the first bad byte."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + first_line
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise InputError(
                _("the file is not UTF-8 text (a byte here cannot be read); save it as UTF-8"),
                file=filename, line=line, column=column,
            ) from None
    else:
        text = data
    if text.startswith(BOM):
        text = text[1:]
    return text
