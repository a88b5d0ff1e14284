"""Where a report may be written, and writing it so that nothing is destroyed on the way.

The tools promise that inputs are never modified and that an output is either the old file or the
complete new one. ``atomic_writer`` keeps both promises whatever ``-o`` names:

- a regular file (new or existing) is replaced atomically: a temporary file beside it, then a rename;
  an existing file keeps its permissions;
- a symbolic link is followed: the file it points to is replaced, the link itself stays a link;
- a character device or a pipe (``/dev/null``, ``/dev/stdout``, a FIFO) is written into, as a shell
  redirection would: replacing ``/dev/null`` with a regular file breaks the whole system;
- a folder, a block device, a missing folder, a read-only folder, or one of the run's own inputs
  (the same file, by device and inode, whatever its name) is refused with an ``OutputError`` that
  names the path and says what to do: exit status 2, no traceback, nothing touched;
- an output inside an audited folder whose name the reader would pick up next time (``.yaml``,
  ``.json``, ``.csv``…) is refused too: the next run would read the report as a case log.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager

from .errors import InputError


class OutputError(InputError):
    """An output that cannot or must not be written (an ``InputError`` so the CLIs exit 2 with it)."""


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def _identity(path: str | os.PathLike | None) -> tuple[int, int] | None:
    if path is None or str(path) in ("", "-"):
        return None
    st = _stat(os.fspath(path))
    return None if st is None else (st.st_dev, st.st_ino)


def _inside(child: str, folder: str) -> bool:
    try:
        return os.path.commonpath([child, folder]) == folder
    except ValueError:
        return False


def check_target(
    path: str | os.PathLike,
    inputs: Iterable[str | os.PathLike | None] = (),
    read_suffixes: Iterable[str] = (),
) -> tuple[str, os.stat_result | None]:
    """Where ``path`` really leads (symlinks followed) and what is there now; raises OutputError.

    ``inputs`` are the run's input files and folders; ``read_suffixes`` the file name endings the
    reader picks up in a folder (an output with such a name inside an input folder is refused)."""
    name = os.fspath(path)
    real = os.path.realpath(name)
    st = _stat(real)
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError("this is a folder; give a file name for the output", file=name)
        if stat.S_ISBLK(st.st_mode):
            raise OutputError("this is a block device; give a file name for the output", file=name)
        mine = (st.st_dev, st.st_ino)
        for item in inputs:
            if _identity(item) == mine and stat.S_ISREG(st.st_mode):
                raise OutputError("this is one of the inputs, and inputs are never modified; choose another file name", file=name)
    if st is None or stat.S_ISREG(st.st_mode):
        folder = os.path.dirname(real) or "."
        fst = _stat(folder)
        if fst is None or not stat.S_ISDIR(fst.st_mode):
            raise OutputError(f"the folder {os.path.dirname(name) or '.'} does not exist; create it first", file=name)
        suffixes = {s.lower() for s in read_suffixes}
        if os.path.splitext(real)[1].lower() in suffixes:
            for item in inputs:
                if item is None or str(item) in ("", "-"):
                    continue
                src = os.path.realpath(os.fspath(item))
                if os.path.isdir(src) and _inside(real, src):
                    raise OutputError(
                        f"this is inside the audited folder {item} and ends in {os.path.splitext(real)[1]}: the next run "
                        "would read the report as a case log; write it elsewhere or give it another ending",
                        file=name,
                    )
    return real, st


def part_dir_for(path: str | os.PathLike | None) -> str | None:
    """Where temporary part files for ``path`` belong: beside the file it leads to, or None (the
    system's temporary folder) for standard output, a device or a pipe."""
    if path is None:
        return None
    real = os.path.realpath(os.fspath(path))
    st = _stat(real)
    if st is not None and not stat.S_ISREG(st.st_mode):
        return None
    return os.path.dirname(real) or "."


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_writer(
    path: str | os.PathLike,
    mode: int | None = None,
    encoding: str = "utf-8",
    newline: str | None = None,
    *,
    inputs: Iterable[str | os.PathLike | None] = (),
    read_suffixes: Iterable[str] = (),
    private: bool = False,
):
    """Yield a text handle for ``path``; see the module's docstring for what each kind of path gets.

    ``mode``: the permissions of a new file (an existing file keeps its own; default 0600, as
    ``mkstemp`` creates); ``private``: 0600 whatever was there (training records are personal).
    Raises OutputError before anything is written when ``path`` is refused."""
    name = os.fspath(path)
    real, st = check_target(name, inputs, read_suffixes)
    if st is not None and not stat.S_ISREG(st.st_mode):  # a device, a pipe, a socket: write into it
        try:
            handle = open(real, "w", encoding=encoding, newline=newline)
        except OSError as exc:
            raise OutputError(f"cannot write here ({exc.strerror or 'error'})", file=name) from None
        with handle:
            yield handle
        return
    folder = os.path.dirname(real) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(real)}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write in the folder {os.path.dirname(name) or '.'} ({exc.strerror or 'error'})", file=name) from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if private:
            os.chmod(tmp, 0o600)
        elif st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
        elif mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def default_mode() -> int:
    """0666 less the umask: the permissions ``open()`` would give a new file."""
    return 0o666 & ~_umask()


__all__ = ["OutputError", "atomic_writer", "check_target", "part_dir_for", "default_mode"]
