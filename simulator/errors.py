"""Exceptions shared by the loader, the engine and the CLI.

Why a separate module: the Textual app and the CLI both catch these without importing the engine's
internals, and each error carries what a trainer needs to fix a file (file, line, column, message).
"""

from __future__ import annotations

from pathlib import Path

from .i18n import _

__all__ = ["ScenarioError", "RubricError", "SessionError", "ChoiceError", "SessionDataError"]


class ScenarioError(Exception):
    """A scenario file cannot be used. ``line``/``column`` are 1-based (0 when unknown)."""

    def __init__(self, file: str | Path, line: int, message: str, column: int = 0, code: str = "SC100"):
        self.file = str(file)
        self.line = int(line)
        self.column = int(column)
        self.message = message
        self.code = code
        super().__init__(self.location() + ": " + message)

    def location(self) -> str:
        if self.line and self.column:
            return f"{self.file}:{self.line}:{self.column}"
        if self.line:
            return f"{self.file}:{self.line}"
        return self.file


class RubricError(ScenarioError):
    """The listening rubric file cannot be used (same shape as :class:`ScenarioError`)."""

    def __init__(self, file: str | Path, line: int, message: str, column: int = 0, code: str = "RB100"):
        super().__init__(file, line, message, column, code)


class SessionError(Exception):
    """A session operation is not possible (finished session, broken scenario graph...)."""


class ChoiceError(SessionError, ValueError):
    """The trainee picked a choice number that does not exist at this point."""

    def __init__(self, number: object, available: int, node_id: str):
        self.number = number
        self.available = available
        self.node_id = node_id
        if available:
            msg = _("choice {number!r} does not exist at this point: pick a number from 1 to {available}").format(
                number=number, available=available)
        else:
            msg = _("no choice can be made at this point (node {node!r} offers none)").format(node=node_id)
        super().__init__(msg)


class SessionDataError(SessionError, ValueError):
    """Saved session data does not match the scenario (edited scenario, corrupt save...)."""
