"""Format name → writer: the one place that knows which output formats ``rtw-audit check`` has.

Why: the CLI, the parallel run and the tests all need "a writer for this format"; choosing a class
in each of them let the three drift apart (and led to ``isinstance`` tests on writers). A new
format is one module with a writer class and one ``register_writer`` line here.
"""

from __future__ import annotations

from typing import TextIO

from ..rubric import Rubric
from . import Writer, WriterFactory, WriterOptions
from .json_out import JsonWriter
from .markdown import MarkdownWriter
from .text import TextWriter

WRITERS: dict[str, WriterFactory] = {}


def register_writer(name: str, factory: WriterFactory) -> None:
    WRITERS[name] = factory


def formats() -> tuple[str, ...]:
    """The format names, in the order ``--format`` lists them (the first is the default)."""
    return tuple(WRITERS)


def make_writer(fmt: str, out: TextIO, rubric: Rubric, options: WriterOptions | None = None) -> Writer:
    """A writer of format ``fmt`` on ``out``; ``KeyError`` names no format (argparse checks first)."""
    return WRITERS[fmt](out, rubric, options or WriterOptions())


register_writer("text", TextWriter)
register_writer("json", JsonWriter)
register_writer("markdown", MarkdownWriter)
