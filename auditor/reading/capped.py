"""Reading a whole file with a ceiling on what is read, not on what ``stat`` says.

Why: a size check before reading trusts ``st_size``, which is 0 for a device, a pipe or a FIFO, so
``--rubric /dev/zero`` (or a ``case.yaml`` symlink to it) read until the machine ran out of memory.
Here at most ``limit + 1`` bytes are ever read; one byte more than the limit means "too large".
"""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

from auditor.errors import InputError
from auditor.i18n import N_
from auditor.i18n_domains import _

#: What ``read_capped`` says about each kind of file, as whole sentences (a language may need "la grille"
#: but "le journal": the kind cannot be a word slotted into one sentence). Unknown kinds say "file".
_SAYS = {
    "file": (N_("this is a folder, not a file"),
             N_("the file cannot be read ({reason})"),
             N_("the file cannot be read (its name holds a character no file name can)"),
             N_("more than {size} could be read from it; a file is far smaller"
                " (a device or an endless stream is not a file to read)")),
    "case log": (N_("this is a folder, not a case log"),
                 N_("the case log cannot be read ({reason})"),
                 N_("the case log cannot be read (its name holds a character no file name can)"),
                 N_("more than {size} could be read from it; a case log is far smaller"
                    " (a device or an endless stream is not a file to read)")),
    "mapping file": (N_("this is a folder, not a mapping file"),
                     N_("the mapping file cannot be read ({reason})"),
                     N_("the mapping file cannot be read (its name holds a character no file name can)"),
                     N_("more than {size} could be read from it; a mapping file is far smaller"
                        " (a device or an endless stream is not a file to read)")),
    "rubric": (N_("this is a folder, not a rubric"),
               N_("the rubric cannot be read ({reason})"),
               N_("the rubric cannot be read (its name holds a character no file name can)"),
               N_("more than {size} could be read from it; a rubric is far smaller"
                  " (a device or an endless stream is not a file to read)")),
}

#: Names that mean standard input.
STDIN_NAMES = ("-", "/dev/stdin")


def is_stdin(path: str | os.PathLike) -> bool:
    return os.fspath(path) in STDIN_NAMES


def read_capped(path: str | os.PathLike, limit: int, what: str = "file") -> bytes:
    """The bytes of ``path`` (``-`` is standard input); InputError naming the file when more than
    ``limit`` bytes would be read or the file cannot be read. A folder is refused before opening."""
    name = os.fspath(path)
    folder, unreadable, bad_name, too_large = _SAYS.get(what, _SAYS["file"])
    try:
        if name == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            if Path(name).is_dir():
                raise InputError(_(folder), file=name)
            with open(name, "rb") as f:
                data = f.read(limit + 1)
    except OSError as exc:
        raise InputError(_(unreadable).format(reason=exc.strerror or _("unknown error")), file=name) from None
    except ValueError:  # a name with a NUL character (e.g. a rubric's `extends: "\0"`): no file can have it
        raise InputError(_(bad_name), file=repr(name)) from None
    if len(data) > limit:
        raise InputError(_(too_large).format(size=_size(limit)), file=name)
    return data


def regular_or_problem(path: Path) -> str | None:
    """For a file found in a folder: None when it is a regular file (through symlinks), otherwise
    why it is skipped (a dangling symlink, a FIFO, a device) — said, never silently passed over."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return _("skipped: a symbolic link to nothing") if path.is_symlink() \
            else _("skipped: it disappeared while the folder was read")
    except OSError as exc:
        return _("skipped: it cannot be read ({reason})").format(reason=exc.strerror or _("unknown error"))
    if stat.S_ISREG(st.st_mode):
        return None
    if stat.S_ISDIR(st.st_mode):
        return ""  # a folder named like a log: its files are listed on their own
    if stat.S_ISFIFO(st.st_mode):
        return _("skipped: a named pipe (FIFO), not a file; pass it by name to read from it")
    return _("skipped: a device or socket, not a file")


def _size(limit: int) -> str:
    mib = limit / (1024 * 1024)
    return _("{size} MB").format(size=f"{mib:g}") if mib >= 1 else _("{count} bytes").format(count=limit)


class LineTooLong(OSError):
    """A stream whose current line goes on past the cap (``strerror`` says so in plain words)."""


class _LineCappedRaw(io.RawIOBase):
    """A raw stream over ``source`` that fails once a line runs past ``limit`` bytes, so a table read
    from a device or a pipe (``/dev/zero``, an endless ``yes``) cannot fill memory with one line."""

    def __init__(self, source, limit: int) -> None:
        self.source = source
        self.limit = limit
        self.run = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        read = getattr(self.source, "read1", None) or self.source.read
        data = read(len(buffer))
        n = len(data)
        newline = data.rfind(b"\n")
        self.run = self.run + n if newline < 0 else n - newline - 1
        if self.run > self.limit:
            raise LineTooLong(0, _("a line is longer than {size}: a device or an endless stream, not a table").format(
                size=_size(self.limit)))
        buffer[:n] = data
        return n


def line_capped(source, limit: int):
    """``source`` (a binary stream that is not a regular file) with each line capped at ``limit`` bytes."""
    return io.BufferedReader(_LineCappedRaw(source, limit))
