"""Helpers shared by the app's Pilot tests: run an async test without a plugin, read a widget as text."""

from __future__ import annotations

import asyncio
import functools
import io

from rich.console import Console


def sync(test):
    """Run an async Pilot test with asyncio.run (no pytest asyncio plugin is needed)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


def plain(widget) -> str:
    """What a Static shows, as plain text (Rich tables and Text included)."""
    content = widget.content
    if isinstance(content, str):
        return content
    console = Console(width=78, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(content)
    return capture.get()
