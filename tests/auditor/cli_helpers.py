"""Shared helper for the tests that run ``rtw-audit check`` in-process (not a test module)."""

from __future__ import annotations

from auditor.cli import main


def run_check(capsys, *argv) -> tuple[int, str, str]:
    """``rtw-audit check ARGV``: its exit status, standard output and standard error; never a traceback."""
    status = main(["check", *map(str, argv)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err
