"""Input problems, in words a committee member can act on.

Every reader turns what is wrong with an input into ``InputError`` values that carry where the
problem is (file, line, column, case, event) and a plain-language message. The CLI prints them and
exits with a distinct status; nothing here ever holds a ``notes`` value or a party's ``name``.
"""

from __future__ import annotations

from collections.abc import Iterable

#: A file's problems are reported together, up to this many (a broken export would otherwise
#: print one line per row).
MAX_ERRORS = 50


class InputError(Exception):
    """One problem with an input: file, line, column, case, event label, message (plain words)."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        case: str | None = None,
        event: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.case = case
        self.event = event

    def where(self) -> str:
        """``file:line:column`` as far as it is known (empty when nothing is)."""
        parts: list[str] = []
        if self.file is not None:
            parts.append(self.file)
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        from .i18n_domains import _  # at show time: the message follows the active language

        who: list[str] = []
        if self.case is not None:
            who.append(_("case {case}").format(case=self.case))
        if self.event is not None:
            who.append(_("event {event}").format(event=self.event))
        text = self.message
        if who:
            # Translators: where in a log the problem is ("case C-1, event e2"), then the problem.
            text = _("{where}: {problem}").format(where=", ".join(who), problem=text)
        where = self.where()
        return f"{where}: {text}" if where else text

    def __repr__(self) -> str:
        return f"InputError({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, InputError):
            return NotImplemented
        return (self.file, self.line, self.column, self.case, self.event, self.message) == (
            other.file, other.line, other.column, other.case, other.event, other.message,
        )

    def __hash__(self) -> int:
        return hash((self.file, self.line, self.column, self.case, self.event, self.message))

    def __reduce__(self):  # keep every attribute across pickling (e.g. to a worker process)
        return (_rebuild, (self.message, self.file, self.line, self.column, self.case, self.event))


def _rebuild(message, file, line, column, case, event) -> InputError:
    return InputError(message, file=file, line=line, column=column, case=case, event=event)


class InputErrors(Exception):
    """Several problems found in one input (a file, or one case of an event table)."""

    def __init__(self, errors: Iterable[InputError], *, file: str | None = None, case: str | None = None) -> None:
        self.errors: list[InputError] = list(errors)
        self.file = file if file is not None else next((e.file for e in self.errors if e.file), None)
        self.case = case
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)

    def __repr__(self) -> str:
        return f"InputErrors({len(self.errors)} problem(s) in {self.file or '<input>'})"

    def __reduce__(self):
        return (InputErrors, (self.errors,), {"file": self.file, "case": self.case})

    def __iter__(self):
        return iter(self.errors)

    def __len__(self) -> int:
        return len(self.errors)


class UsageError(Exception):
    """Bad arguments, of any subcommand: printed by ``auditor.cli.main`` as one line
    ("rtw-audit: error: …", control characters made visible), exit 2."""
